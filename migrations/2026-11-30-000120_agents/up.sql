-- AI agents that answer from the business's own knowledge: knowledge sources and their
-- chunks (searched in PostgreSQL: full-text search per language plus trigram similarity),
-- agents, who handles each conversation (bot or team), and a log of every AI turn.

-- Trusted extensions (PostgreSQL 13+): a database owner may create them.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE EXTENSION IF NOT EXISTS unaccent;

-- Text search configurations that ignore accents ("não" finds "nao"), one per language we
-- stem, and `wagent_simple` (no stemming) for every other language and for names and codes.
CREATE TEXT SEARCH CONFIGURATION wagent_simple (COPY = simple);
ALTER TEXT SEARCH CONFIGURATION wagent_simple
    ALTER MAPPING FOR hword, hword_part, word WITH unaccent, simple;
CREATE TEXT SEARCH CONFIGURATION wagent_english (COPY = english);
ALTER TEXT SEARCH CONFIGURATION wagent_english
    ALTER MAPPING FOR hword, hword_part, word WITH unaccent, english_stem;
CREATE TEXT SEARCH CONFIGURATION wagent_portuguese (COPY = portuguese);
ALTER TEXT SEARCH CONFIGURATION wagent_portuguese
    ALTER MAPPING FOR hword, hword_part, word WITH unaccent, portuguese_stem;
CREATE TEXT SEARCH CONFIGURATION wagent_spanish (COPY = spanish);
ALTER TEXT SEARCH CONFIGURATION wagent_spanish
    ALTER MAPPING FOR hword, hword_part, word WITH unaccent, spanish_stem;

-- `unaccent` is only STABLE (it reads its dictionary); this wrapper names the dictionary, so
-- that what it folds is the same at write and at search time.
CREATE FUNCTION wagent_fold(text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    AS $$ SELECT lower(public.unaccent('public.unaccent'::regdictionary, $1)) $$;

CREATE TABLE knowledge_sources (
    org_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    id uuid NOT NULL,
    kind text NOT NULL CHECK (kind IN ('file', 'url')),
    title text NOT NULL CHECK (length(title) BETWEEN 1 AND 512),
    -- A file: its name, type and size as uploaded (the file itself lives in storage).
    file_name text CHECK (length(file_name) <= 255),
    content_type text CHECK (length(content_type) <= 255),
    size bigint,
    -- A URL: where to start, how deep to follow links and how many pages at most.
    url text CHECK (length(url) <= 2048),
    crawl_depth integer NOT NULL DEFAULT 0 CHECK (crawl_depth BETWEEN 0 AND 5),
    crawl_max_pages integer NOT NULL DEFAULT 1 CHECK (crawl_max_pages BETWEEN 1 AND 500),
    -- Re-crawled this often (hours), when set.
    recrawl_hours integer CHECK (recrawl_hours BETWEEN 1 AND 8760),
    -- The language its text is in: en, pt, es, or another code (searched without stemming).
    language text NOT NULL DEFAULT 'en' CHECK (length(language) BETWEEN 2 AND 16),
    status text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'processing', 'ready', 'failed')),
    status_reason text CHECK (length(status_reason) <= 2000),
    -- Progress of the running ingestion: pages (or files) done of those known.
    progress_done integer NOT NULL DEFAULT 0,
    progress_total integer NOT NULL DEFAULT 0,
    pages integer NOT NULL DEFAULT 0,
    chunk_count integer NOT NULL DEFAULT 0,
    -- Pages of a crawl that failed, with their reasons: [{"url": ..., "reason": ...}].
    page_errors jsonb NOT NULL DEFAULT '[]',
    created_by uuid REFERENCES users (id) ON DELETE SET NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    ingested_at timestamptz,
    PRIMARY KEY (org_id, id)
);
CREATE INDEX knowledge_sources_newest ON knowledge_sources (org_id, created_at DESC, id DESC);

CREATE TABLE knowledge_chunks (
    org_id uuid NOT NULL,
    id uuid NOT NULL,
    source_id uuid NOT NULL,
    ordinal integer NOT NULL,
    -- The page of a crawl the chunk came from, and its title.
    url text CHECK (length(url) <= 2048),
    page_title text CHECK (length(page_title) <= 512),
    -- The PDF page where the chunk starts.
    page integer,
    heading_path text[] NOT NULL DEFAULT '{}',
    text text NOT NULL CHECK (length(text) BETWEEN 1 AND 20000),
    -- The search configuration of the chunk's language, and the vectors built with it and
    -- with `wagent_simple`; headings weigh more than body text.
    ts_config text NOT NULL CHECK (ts_config IN ('wagent_english', 'wagent_portuguese', 'wagent_spanish', 'wagent_simple')),
    tsv tsvector NOT NULL,
    tsv_simple tsvector NOT NULL,
    -- Headings and text, lower-cased without accents: what trigram similarity compares.
    search_text text NOT NULL,
    PRIMARY KEY (org_id, id),
    FOREIGN KEY (org_id, source_id) REFERENCES knowledge_sources (org_id, id) ON DELETE CASCADE
);
CREATE INDEX knowledge_chunks_source ON knowledge_chunks (org_id, source_id, ordinal);
CREATE INDEX knowledge_chunks_tsv ON knowledge_chunks USING gin (tsv);
CREATE INDEX knowledge_chunks_tsv_simple ON knowledge_chunks USING gin (tsv_simple);
CREATE INDEX knowledge_chunks_trgm ON knowledge_chunks USING gin (search_text gin_trgm_ops);

CREATE TABLE agents (
    org_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    id uuid NOT NULL,
    name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    system_prompt text NOT NULL DEFAULT '' CHECK (length(system_prompt) <= 20000),
    tone text NOT NULL DEFAULT '' CHECK (length(tone) <= 500),
    -- Rules it must follow, one a line.
    rules text[] NOT NULL DEFAULT '{}' CHECK (cardinality(rules) <= 50),
    -- Languages it answers in (the customer's, when among them); empty: any.
    languages text[] NOT NULL DEFAULT '{}' CHECK (cardinality(languages) <= 20),
    -- NULL: the configured default model.
    model text CHECK (length(model) <= 100),
    temperature real NOT NULL DEFAULT 0.3 CHECK (temperature BETWEEN 0 AND 2),
    max_answer_chars integer NOT NULL DEFAULT 700 CHECK (max_answer_chars BETWEEN 50 AND 4096),
    thinking boolean NOT NULL DEFAULT false,
    -- Its knowledge sources; empty: all the organization's.
    knowledge_source_ids uuid[] NOT NULL DEFAULT '{}',
    -- The numbers it answers on.
    phone_number_ids uuid[] NOT NULL DEFAULT '{}',
    -- {"time_zone": "America/Sao_Paulo", "days": {"mon": [["09:00", "18:00"]], ...}}; NULL: always.
    business_hours jsonb CHECK (business_hours IS NULL OR jsonb_typeof(business_hours) = 'object'),
    out_of_hours_message text CHECK (length(out_of_hours_message) <= 1024),
    handoff_allowed boolean NOT NULL DEFAULT true,
    handoff_keywords text[] NOT NULL DEFAULT '{}' CHECK (cardinality(handoff_keywords) <= 50),
    handoff_on_request boolean NOT NULL DEFAULT true,
    handoff_on_no_answer boolean NOT NULL DEFAULT true,
    -- Hand over after this many answers in a row without grounding; 0: never.
    handoff_after_misses integer NOT NULL DEFAULT 2 CHECK (handoff_after_misses BETWEEN 0 AND 10),
    handoff_message text NOT NULL DEFAULT 'I''m passing you to a member of our team, who will answer here shortly.'
        CHECK (length(handoff_message) BETWEEN 1 AND 1024),
    -- How long to wait for more messages from the customer before answering them together.
    debounce_ms integer NOT NULL DEFAULT 3000 CHECK (debounce_ms BETWEEN 0 AND 60000),
    enabled boolean NOT NULL DEFAULT false,
    -- Why the agent stopped answering on its own (the provider refused the key or the
    -- account has no balance); cleared when it is switched on again.
    paused_reason text CHECK (length(paused_reason) <= 2000),
    created_by uuid REFERENCES users (id) ON DELETE SET NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (org_id, id)
);

-- Who answers a conversation: the bot (an agent) or the team. The bot's episode starts when it
-- takes the conversation; only messages since then are its history.
ALTER TABLE conversations
    ADD COLUMN handler text NOT NULL DEFAULT 'team' CHECK (handler IN ('bot', 'team')),
    ADD COLUMN agent_id uuid,
    ADD COLUMN bot_episode_at timestamptz,
    ADD COLUMN handoff_reason text CHECK (length(handoff_reason) <= 500),
    ADD COLUMN handoff_at timestamptz,
    -- Answers in a row without a grounded reply, in the bot's episode.
    ADD COLUMN bot_misses integer NOT NULL DEFAULT 0;
ALTER TABLE conversations ADD FOREIGN KEY (org_id, agent_id) REFERENCES agents (org_id, id) ON DELETE SET NULL (agent_id);
-- A message the bot sent names its agent.
ALTER TABLE messages ADD COLUMN agent_id uuid;

-- Every AI turn: what it answered from, with which model, at what cost.
CREATE TABLE ai_turns (
    org_id uuid NOT NULL,
    id uuid NOT NULL,
    agent_id uuid,
    conversation_id uuid,
    -- The answer it sent (none for a playground turn, a handoff without words, or a failure).
    message_id uuid,
    outcome text NOT NULL CHECK (outcome IN ('answered', 'fallback', 'handoff', 'out_of_hours', 'silenced', 'failed')),
    handoff_reason text CHECK (length(handoff_reason) <= 500),
    error text CHECK (length(error) <= 2000),
    model text,
    prompt_tokens integer NOT NULL DEFAULT 0,
    completion_tokens integer NOT NULL DEFAULT 0,
    cache_hit_tokens integer NOT NULL DEFAULT 0,
    latency_ms integer NOT NULL DEFAULT 0,
    cost_micros bigint NOT NULL DEFAULT 0,
    -- [{"chunk_id", "source_id", "title", "text", "score", "page", "url"}]
    sources jsonb NOT NULL DEFAULT '[]',
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (org_id, id),
    FOREIGN KEY (org_id, agent_id) REFERENCES agents (org_id, id) ON DELETE SET NULL (agent_id),
    FOREIGN KEY (org_id, conversation_id) REFERENCES conversations (org_id, id) ON DELETE CASCADE
);
CREATE INDEX ai_turns_agent ON ai_turns (org_id, agent_id, created_at DESC);
CREATE INDEX ai_turns_message ON ai_turns (org_id, message_id) WHERE message_id IS NOT NULL;
CREATE INDEX ai_turns_conversation ON ai_turns (org_id, conversation_id, created_at DESC);

-- AI usage per organization and month, kept as turns are logged.
CREATE TABLE ai_usage (
    org_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    month date NOT NULL,
    replies integer NOT NULL DEFAULT 0,
    prompt_tokens bigint NOT NULL DEFAULT 0,
    completion_tokens bigint NOT NULL DEFAULT 0,
    cost_micros bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (org_id, month)
);

DO $$
DECLARE t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['knowledge_sources', 'knowledge_chunks', 'agents', 'ai_turns',
                             'ai_usage'] LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
        EXECUTE format('CREATE POLICY %I ON %I USING (org_id = app_current_org()) '
                       'WITH CHECK (org_id = app_current_org())', t || '_tenant', t);
    END LOOP;
END $$;
