-- Sealed deliveries cannot be opened in SQL: they are dropped (Meta retries undelivered ones
-- only for a while, so run this only with the queue drained).
DELETE FROM webhook_events WHERE body IS NULL;
ALTER TABLE webhook_events DROP CONSTRAINT webhook_events_one_body;
ALTER TABLE webhook_events ALTER COLUMN body SET NOT NULL;
ALTER TABLE webhook_events DROP COLUMN body_sealed;
