-- WhatsApp: connected business accounts and numbers, templates, and the inbox.

-- A WhatsApp Business Account connected to an organization, with the access token WAgent
-- calls Meta with, sealed with XChaCha20-Poly1305 (never stored or returned in clear).
CREATE TABLE whatsapp_accounts (
    org_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    id uuid NOT NULL,
    waba_id text NOT NULL CHECK (length(waba_id) BETWEEN 1 AND 64),
    business_id text,
    access_token_sealed text NOT NULL,
    connected_via text NOT NULL CHECK (connected_via IN ('manual', 'embedded_signup', 'cli')),
    connected_by uuid REFERENCES users (id) ON DELETE SET NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (org_id, id),
    UNIQUE (org_id, waba_id)
);

CREATE TABLE phone_numbers (
    org_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    id uuid NOT NULL,
    account_id uuid NOT NULL,
    phone_number_id text NOT NULL CHECK (length(phone_number_id) BETWEEN 1 AND 64),
    display_phone_number text,
    verified_name text,
    quality_rating text,
    status text,
    name_status text,
    code_verification_status text,
    platform_type text,
    messaging_limit text,
    throughput_level text,
    refreshed_at timestamptz,
    -- A disconnected number keeps its conversations (read-only) until it is connected again.
    disconnected_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (org_id, id),
    UNIQUE (org_id, phone_number_id),
    FOREIGN KEY (org_id, account_id) REFERENCES whatsapp_accounts (org_id, id) ON DELETE CASCADE
);

CREATE TABLE message_templates (
    org_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    id uuid NOT NULL,
    account_id uuid NOT NULL,
    meta_template_id text,
    name text NOT NULL CHECK (length(name) BETWEEN 1 AND 512),
    language text NOT NULL,
    category text NOT NULL,
    status text NOT NULL,
    quality_score text,
    rejected_reason text,
    parameter_format text,
    components jsonb NOT NULL DEFAULT '[]',
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (org_id, id),
    UNIQUE (org_id, account_id, name, language),
    FOREIGN KEY (org_id, account_id) REFERENCES whatsapp_accounts (org_id, id) ON DELETE CASCADE
);

-- A customer on WhatsApp, one per wa_id per organization.
CREATE TABLE contacts (
    org_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    id uuid NOT NULL,
    wa_id text NOT NULL CHECK (length(wa_id) BETWEEN 1 AND 64),
    user_id text,
    profile_name text CHECK (length(profile_name) <= 256),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (org_id, id),
    UNIQUE (org_id, wa_id)
);

-- One conversation per contact and number. The customer-service window is open until
-- last_inbound_at + 24 hours.
CREATE TABLE conversations (
    org_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    id uuid NOT NULL,
    phone_number_id uuid NOT NULL,
    contact_id uuid NOT NULL,
    status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'pending', 'resolved')),
    assignee_id uuid REFERENCES users (id) ON DELETE SET NULL,
    labels text[] NOT NULL DEFAULT '{}',
    unread_count integer NOT NULL DEFAULT 0 CHECK (unread_count >= 0),
    last_message_at timestamptz,
    last_inbound_at timestamptz,
    last_message_preview text,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (org_id, id),
    UNIQUE (org_id, phone_number_id, contact_id),
    FOREIGN KEY (org_id, phone_number_id) REFERENCES phone_numbers (org_id, id) ON DELETE CASCADE,
    FOREIGN KEY (org_id, contact_id) REFERENCES contacts (org_id, id) ON DELETE CASCADE
);
CREATE INDEX conversations_recent ON conversations (org_id, last_message_at DESC NULLS LAST, id DESC);

-- Messages in and out. `status` only moves forward (see wagent-domain's inbox module).
CREATE TABLE messages (
    org_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    id uuid NOT NULL,
    conversation_id uuid NOT NULL,
    direction text NOT NULL CHECK (direction IN ('inbound', 'outbound')),
    wamid text CHECK (length(wamid) <= 256),
    kind text NOT NULL,
    body text,
    payload jsonb NOT NULL DEFAULT '{}',
    status text NOT NULL,
    status_at timestamptz NOT NULL DEFAULT now(),
    -- Meta's error code and text, for failed messages.
    error_code integer,
    error_text text,
    reply_to_wamid text,
    sent_by uuid REFERENCES users (id) ON DELETE SET NULL,
    sent_at timestamptz NOT NULL,
    PRIMARY KEY (org_id, id),
    UNIQUE (org_id, wamid),
    FOREIGN KEY (org_id, conversation_id) REFERENCES conversations (org_id, id) ON DELETE CASCADE
);
CREATE INDEX messages_thread ON messages (org_id, conversation_id, sent_at DESC, id DESC);
CREATE INDEX messages_search ON messages USING gin (to_tsvector('simple', coalesce(body, '')));

-- Media of inbound and outbound messages, stored under the data folder.
CREATE TABLE media (
    org_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    id uuid NOT NULL,
    message_id uuid NOT NULL,
    meta_media_id text,
    mime_type text,
    sha256 text,
    file_name text,
    file_size bigint,
    stored_at timestamptz,
    error text,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (org_id, id),
    FOREIGN KEY (org_id, message_id) REFERENCES messages (org_id, id) ON DELETE CASCADE
);

CREATE TABLE conversation_notes (
    org_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    id uuid NOT NULL,
    conversation_id uuid NOT NULL,
    author_id uuid REFERENCES users (id) ON DELETE SET NULL,
    body text NOT NULL CHECK (length(body) BETWEEN 1 AND 4096),
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (org_id, id),
    FOREIGN KEY (org_id, conversation_id) REFERENCES conversations (org_id, id) ON DELETE CASCADE
);

CREATE TABLE canned_responses (
    org_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    id uuid NOT NULL,
    shortcut text NOT NULL CHECK (shortcut ~ '^[a-z0-9_-]{1,32}$'),
    body text NOT NULL CHECK (length(body) BETWEEN 1 AND 4096),
    created_by uuid REFERENCES users (id) ON DELETE SET NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (org_id, id),
    UNIQUE (org_id, shortcut)
);

DO $$
DECLARE t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['whatsapp_accounts', 'phone_numbers', 'message_templates', 'contacts',
                             'conversations', 'messages', 'media', 'conversation_notes',
                             'canned_responses'] LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
        EXECUTE format('CREATE POLICY %I ON %I USING (org_id = app_current_org()) '
                       'WITH CHECK (org_id = app_current_org())', t || '_tenant', t);
    END LOOP;
END $$;

-- Webhook deliveries as received, before anyone knows their organization: stored durably
-- so that Meta gets its 200 at once, processed by a job, deleted once processed. A failed
-- one is kept (with its error) for at most 7 days.
CREATE TABLE webhook_events (
    id uuid PRIMARY KEY,
    source text NOT NULL,
    body bytea NOT NULL,
    received_at timestamptz NOT NULL DEFAULT now(),
    error text
);
