DROP FUNCTION wagent_dot(real[], real[]);
ALTER TABLE knowledge_sources DROP COLUMN embedding_error;
ALTER TABLE knowledge_chunks DROP COLUMN embedding_model, DROP COLUMN embedding;
