DROP TABLE ai_usage;
DROP TABLE ai_turns;
ALTER TABLE messages DROP COLUMN agent_id;
ALTER TABLE conversations DROP COLUMN bot_misses, DROP COLUMN handoff_at,
    DROP COLUMN handoff_reason, DROP COLUMN bot_episode_at, DROP COLUMN agent_id,
    DROP COLUMN handler;
DROP TABLE agents;
DROP TABLE knowledge_chunks;
DROP TABLE knowledge_sources;
DROP FUNCTION wagent_fold(text);
DROP TEXT SEARCH CONFIGURATION wagent_spanish;
DROP TEXT SEARCH CONFIGURATION wagent_portuguese;
DROP TEXT SEARCH CONFIGURATION wagent_english;
DROP TEXT SEARCH CONFIGURATION wagent_simple;
