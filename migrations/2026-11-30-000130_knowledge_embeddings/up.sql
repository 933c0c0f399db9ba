-- Optional embeddings of knowledge chunks, from an OpenAI-compatible embeddings endpoint
-- when one is configured: unit-length vectors (so a dot product is the cosine) and the
-- model that made them, since vectors of two models do not compare.
ALTER TABLE knowledge_chunks
    ADD COLUMN embedding real[] CHECK (cardinality(embedding) BETWEEN 1 AND 8192),
    ADD COLUMN embedding_model text CHECK (length(embedding_model) <= 200);

-- Why a source has no embeddings although they are configured (the endpoint failed); its
-- text search works all the same.
ALTER TABLE knowledge_sources
    ADD COLUMN embedding_error text CHECK (length(embedding_error) <= 2000);

-- The dot product of two vectors of the same length.
CREATE FUNCTION wagent_dot(real[], real[]) RETURNS float8
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    AS $$ SELECT sum(a::float8 * b) FROM unnest($1, $2) AS t (a, b) $$;
