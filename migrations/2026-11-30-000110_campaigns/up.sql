-- Broadcast campaigns: a template sent to an audience frozen at launch, one row per
-- recipient with its rendered values, dispatched by jobs that claim recipients with
-- `FOR UPDATE SKIP LOCKED`, and counters kept as recipients move (no scans on read).

-- Times people type ("9:00") are read in the organization's time zone (IANA name).
ALTER TABLE organizations ADD COLUMN time_zone text NOT NULL DEFAULT 'UTC'
    CHECK (length(time_zone) BETWEEN 1 AND 64);

CREATE TABLE campaigns (
    org_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    id uuid NOT NULL,
    name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    phone_number_id uuid NOT NULL,
    template_id uuid NOT NULL,
    -- Where each placeholder's value comes from, with a fallback (see campaigns/plan.rs).
    parameters jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(parameters) = 'array'),
    -- Tags, segments and contacts the audience is made of.
    audience jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(audience) = 'object'),
    -- now, at (a time), local (each recipient's local time) or recurring.
    schedule jsonb NOT NULL DEFAULT '{"kind": "now"}' CHECK (jsonb_typeof(schedule) = 'object'),
    -- Retry a recipient Meta's per-user marketing limit refused (131049), 24 h later.
    retry_per_user_limit boolean NOT NULL DEFAULT false,
    -- A customer's first message within this many hours of the campaign's counts as a reply.
    reply_window_hours integer NOT NULL DEFAULT 72 CHECK (reply_window_hours BETWEEN 1 AND 720),
    status text NOT NULL DEFAULT 'draft' CHECK (status IN
        ('draft', 'scheduled', 'running', 'paused', 'completed', 'cancelled', 'failed')),
    -- Why it paused or failed, in words a person reads (with Meta's code when Meta said).
    status_reason text CHECK (length(status_reason) <= 2000),
    -- A run of a recurring campaign names the campaign it was made from.
    parent_id uuid,
    created_by uuid REFERENCES users (id) ON DELETE SET NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    -- When it starts (scheduled) and when its next run is made (recurring).
    starts_at timestamptz,
    launched_at timestamptz,
    finished_at timestamptz,
    -- Counters, kept as recipients move. Funnel counters count recipients that reached the
    -- step or a later one (a read message was delivered).
    audience_count integer NOT NULL DEFAULT 0,
    skipped integer NOT NULL DEFAULT 0,
    queued integer NOT NULL DEFAULT 0,
    sent integer NOT NULL DEFAULT 0,
    held integer NOT NULL DEFAULT 0,
    delivered integer NOT NULL DEFAULT 0,
    read integer NOT NULL DEFAULT 0,
    replied integer NOT NULL DEFAULT 0,
    failed integer NOT NULL DEFAULT 0,
    unknown integer NOT NULL DEFAULT 0,
    cancelled integer NOT NULL DEFAULT 0,
    opted_out integer NOT NULL DEFAULT 0,
    PRIMARY KEY (org_id, id),
    FOREIGN KEY (org_id, phone_number_id) REFERENCES phone_numbers (org_id, id) ON DELETE CASCADE,
    FOREIGN KEY (org_id, template_id) REFERENCES message_templates (org_id, id) ON DELETE CASCADE
);
CREATE INDEX campaigns_newest ON campaigns (org_id, created_at DESC, id DESC);
CREATE INDEX campaigns_running ON campaigns (org_id, phone_number_id) WHERE status = 'running';

CREATE TABLE campaign_recipients (
    org_id uuid NOT NULL,
    campaign_id uuid NOT NULL,
    id uuid NOT NULL,
    contact_id uuid NOT NULL,
    -- The address, frozen at launch: a phone number (digits) or a business-scoped user id.
    phone text,
    user_id text,
    -- The template's components with this recipient's values, ready to send.
    components jsonb NOT NULL DEFAULT '[]',
    status text NOT NULL CHECK (status IN ('skipped', 'queued', 'sending', 'sent', 'held',
        'delivered', 'read', 'failed', 'unknown', 'cancelled')),
    skip_reason text CHECK (skip_reason IN ('missing_value', 'invalid_value', 'opted_out',
        'duplicate', 'no_address', 'us_marketing', 'over_budget')),
    -- Not sent before this time (each recipient's local time, or a later retry).
    not_before timestamptz NOT NULL DEFAULT now(),
    attempts integer NOT NULL DEFAULT 0,
    -- The worker sending it and until when its claim holds: a claim that expires with the
    -- row still `sending` means the worker died mid-send, and the row becomes `unknown`.
    claimed_by text,
    claimed_until timestamptz,
    wamid text,
    error_code integer,
    error_text text CHECK (length(error_text) <= 2000),
    sent_at timestamptz,
    delivered_at timestamptz,
    read_at timestamptz,
    replied_at timestamptz,
    failed_at timestamptz,
    opted_out_at timestamptz,
    -- From the status webhooks' pricing: what Meta charges for this message.
    pricing_category text CHECK (length(pricing_category) <= 64),
    billable boolean,
    PRIMARY KEY (org_id, id),
    FOREIGN KEY (org_id, campaign_id) REFERENCES campaigns (org_id, id) ON DELETE CASCADE,
    FOREIGN KEY (org_id, contact_id) REFERENCES contacts (org_id, id) ON DELETE CASCADE
);
CREATE INDEX campaign_recipients_due ON campaign_recipients (org_id, campaign_id, not_before)
    WHERE status = 'queued';
CREATE INDEX campaign_recipients_sending ON campaign_recipients (org_id, campaign_id)
    WHERE status = 'sending';
CREATE INDEX campaign_recipients_list ON campaign_recipients (org_id, campaign_id, status, id);
-- A contact's campaign messages, for replies and opt-outs that follow them.
CREATE INDEX campaign_recipients_contact ON campaign_recipients (org_id, contact_id, sent_at DESC);
-- What the messaging-limit budget already spent in the last 24 hours.
CREATE INDEX campaign_recipients_recent ON campaign_recipients (org_id, sent_at)
    WHERE sent_at IS NOT NULL;
CREATE INDEX campaign_recipients_wamid ON campaign_recipients (org_id, wamid) WHERE wamid IS NOT NULL;

-- Counts by reason: skipped by skip reason, failed by Meta's code (with its words), billable
-- messages by pricing category.
CREATE TABLE campaign_breakdowns (
    org_id uuid NOT NULL,
    campaign_id uuid NOT NULL,
    kind text NOT NULL CHECK (kind IN ('skipped', 'failed', 'billable')),
    key text NOT NULL CHECK (length(key) <= 64),
    label text CHECK (length(label) <= 512),
    n integer NOT NULL DEFAULT 0,
    PRIMARY KEY (org_id, campaign_id, kind, key),
    FOREIGN KEY (org_id, campaign_id) REFERENCES campaigns (org_id, id) ON DELETE CASCADE
);

-- What happened minute by minute: the campaign's timeline chart.
CREATE TABLE campaign_timeline (
    org_id uuid NOT NULL,
    campaign_id uuid NOT NULL,
    minute timestamptz NOT NULL,
    sent integer NOT NULL DEFAULT 0,
    delivered integer NOT NULL DEFAULT 0,
    read integer NOT NULL DEFAULT 0,
    replied integer NOT NULL DEFAULT 0,
    failed integer NOT NULL DEFAULT 0,
    PRIMARY KEY (org_id, campaign_id, minute),
    FOREIGN KEY (org_id, campaign_id) REFERENCES campaigns (org_id, id) ON DELETE CASCADE
);

DO $$
DECLARE t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['campaigns', 'campaign_recipients', 'campaign_breakdowns',
                             'campaign_timeline'] LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
        EXECUTE format('CREATE POLICY %I ON %I USING (org_id = app_current_org()) '
                       'WITH CHECK (org_id = app_current_org())', t || '_tenant', t);
    END LOOP;
END $$;
