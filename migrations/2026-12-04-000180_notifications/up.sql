-- The in-app notification centre: what the app tells one person of an organization (a
-- campaign Meta's answer paused, ...), written in the transaction that causes it, read and
-- marked read by that person only (the queries filter on the caller; the policy keeps every
-- organization to its own rows).
CREATE TABLE notifications (
    org_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind text NOT NULL CHECK (kind IN ('campaign_paused')),
    title text NOT NULL CHECK (length(title) <= 200),
    body text NOT NULL CHECK (length(body) <= 2000),
    -- What it is about, for the link: the campaign, gone with it.
    campaign_id uuid,
    created_at timestamptz NOT NULL DEFAULT now(),
    read_at timestamptz,
    PRIMARY KEY (org_id, id),
    FOREIGN KEY (org_id, campaign_id) REFERENCES campaigns (org_id, id) ON DELETE CASCADE
);
-- A person's list, newest first, and their unread count.
CREATE INDEX notifications_newest ON notifications (org_id, user_id, created_at DESC, id DESC);
CREATE INDEX notifications_unread ON notifications (org_id, user_id) WHERE read_at IS NULL;

ALTER TABLE notifications ENABLE ROW LEVEL SECURITY;
ALTER TABLE notifications FORCE ROW LEVEL SECURITY;
CREATE POLICY notifications_tenant ON notifications
    USING (org_id = app_current_org()) WITH CHECK (org_id = app_current_org());
