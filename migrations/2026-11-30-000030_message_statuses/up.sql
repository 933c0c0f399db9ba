-- Every status a message received (or our own final failure), kept so that the message's
-- current status does not depend on the order of arrival and no failure is lost.
CREATE TABLE message_statuses (
    org_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    id uuid NOT NULL,
    message_id uuid NOT NULL,
    -- The wamid the status was about; NULL for a failure of ours before Meta accepted it.
    wamid text CHECK (length(wamid) <= 256),
    status text NOT NULL CHECK (length(status) BETWEEN 1 AND 32),
    at timestamptz NOT NULL,
    error_code integer,
    error_title text CHECK (length(error_title) <= 512),
    error_details text CHECK (length(error_details) <= 2048),
    received_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (org_id, id),
    FOREIGN KEY (org_id, message_id) REFERENCES messages (org_id, id) ON DELETE CASCADE
);
-- Meta redelivers: one row per (wamid, status).
CREATE UNIQUE INDEX message_statuses_once ON message_statuses (org_id, wamid, status)
    WHERE wamid IS NOT NULL;
CREATE INDEX message_statuses_of_message ON message_statuses (org_id, message_id, at);

-- Webhook events that could not be applied, with the reason, for operators; the other
-- events of the same delivery are applied all the same.
CREATE TABLE webhook_failures (
    org_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    id uuid NOT NULL,
    -- `message`, `status`, `template_status`, ...
    kind text NOT NULL CHECK (length(kind) <= 64),
    -- The wamid (or other id) the event was about.
    reference text CHECK (length(reference) <= 256),
    reason text NOT NULL CHECK (length(reason) <= 2048),
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (org_id, id)
);
CREATE INDEX webhook_failures_recent ON webhook_failures (org_id, created_at DESC);

DO $$
DECLARE t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['message_statuses', 'webhook_failures'] LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
        EXECUTE format('CREATE POLICY %I ON %I USING (org_id = app_current_org()) '
                       'WITH CHECK (org_id = app_current_org())', t || '_tenant', t);
    END LOOP;
END $$;
