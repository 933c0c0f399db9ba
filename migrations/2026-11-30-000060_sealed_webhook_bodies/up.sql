-- Raw webhook deliveries hold every tenant's message content outside row-level security
-- (their organization is unknown until they are read), so they are sealed at rest like
-- WhatsApp tokens: body_sealed is XChaCha20-Poly1305 under the configured keys. `body`
-- stays only for deliveries stored in clear before this migration; none are written now,
-- and a later migration drops it.
ALTER TABLE webhook_events ADD COLUMN body_sealed text;
ALTER TABLE webhook_events ALTER COLUMN body DROP NOT NULL;
ALTER TABLE webhook_events
    ADD CONSTRAINT webhook_events_one_body CHECK ((body IS NULL) <> (body_sealed IS NULL));
