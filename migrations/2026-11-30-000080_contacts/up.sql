-- Contacts grow up: what a business knows of a customer besides what WhatsApp tells it,
-- the customer's marketing consent with its history, and the organization's own typed
-- fields. One contact per person per organization, shared by the inbox and campaigns.

-- Numbers typed without a country code are read in this country (ISO 3166 alpha-2).
ALTER TABLE organizations ADD COLUMN default_country text CHECK (default_country ~ '^[A-Z]{2}$');
-- Words that, sent alone, stop or resume marketing messages. Compared without case or accents.
ALTER TABLE organizations ADD COLUMN opt_out_keywords text[] NOT NULL
    DEFAULT ARRAY['STOP', 'UNSUBSCRIBE', 'PARAR', 'SAIR', 'CANCELAR', 'BAJA']
    CHECK (cardinality(opt_out_keywords) <= 50);
ALTER TABLE organizations ADD COLUMN opt_in_keywords text[] NOT NULL
    DEFAULT ARRAY['START', 'SUBSCRIBE', 'VOLTAR', 'ALTA']
    CHECK (cardinality(opt_in_keywords) <= 50);

ALTER TABLE contacts
    ADD COLUMN name text CHECK (length(name) BETWEEN 1 AND 256),
    ADD COLUMN email text CHECK (length(email) BETWEEN 3 AND 320),
    ADD COLUMN language text CHECK (language ~ '^[a-z]{2,3}(_[A-Z]{2})?$'),
    ADD COLUMN country text CHECK (country ~ '^[A-Z]{2}$'),
    ADD COLUMN time_zone text CHECK (length(time_zone) BETWEEN 1 AND 64),
    ADD COLUMN tags text[] NOT NULL DEFAULT '{}' CHECK (cardinality(tags) <= 100),
    -- Values of the organization's contact fields, by key; checked against their kind.
    ADD COLUMN fields jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(fields) = 'object'),
    -- Marketing consent: unknown until the customer or the business says.
    ADD COLUMN marketing text NOT NULL DEFAULT 'unknown'
        CHECK (marketing IN ('unknown', 'opted_in', 'opted_out')),
    ADD COLUMN marketing_source text
        CHECK (marketing_source IN ('keyword', 'meta', 'manual', 'import', 'api')),
    ADD COLUMN marketing_at timestamptz,
    ADD COLUMN last_inbound_at timestamptz,
    ADD COLUMN last_outbound_at timestamptz;

CREATE INDEX contacts_tags ON contacts USING gin (tags);
CREATE INDEX contacts_newest ON contacts (org_id, created_at DESC, id DESC);

UPDATE contacts SET
    last_inbound_at = (SELECT max(m.sent_at) FROM messages m JOIN conversations v
                         ON v.org_id = m.org_id AND v.id = m.conversation_id
                      WHERE v.org_id = contacts.org_id AND v.contact_id = contacts.id
                        AND m.direction = 'inbound'),
    last_outbound_at = (SELECT max(m.sent_at) FROM messages m JOIN conversations v
                          ON v.org_id = m.org_id AND v.id = m.conversation_id
                       WHERE v.org_id = contacts.org_id AND v.contact_id = contacts.id
                         AND m.direction = 'outbound');

-- The organization's own contact fields.
CREATE TABLE contact_fields (
    org_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    key text NOT NULL CHECK (key ~ '^[a-z][a-z0-9_]{0,39}$'),
    label text NOT NULL CHECK (length(label) BETWEEN 1 AND 100),
    kind text NOT NULL CHECK (kind IN ('text', 'number', 'date', 'boolean', 'choice')),
    choices text[] NOT NULL DEFAULT '{}' CHECK (cardinality(choices) <= 100),
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (org_id, key)
);

-- Every change of a contact's marketing consent, with its source: the record a business
-- shows when asked why a customer was (or was not) messaged.
CREATE TABLE consent_events (
    org_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    id uuid NOT NULL,
    contact_id uuid NOT NULL,
    marketing text NOT NULL CHECK (marketing IN ('unknown', 'opted_in', 'opted_out')),
    source text NOT NULL CHECK (source IN ('keyword', 'meta', 'manual', 'import', 'api')),
    detail text CHECK (length(detail) <= 500),
    actor_id uuid REFERENCES users (id) ON DELETE SET NULL,
    at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (org_id, id),
    FOREIGN KEY (org_id, contact_id) REFERENCES contacts (org_id, id) ON DELETE CASCADE
);
CREATE INDEX consent_events_contact ON consent_events (org_id, contact_id, at DESC);

DO $$
DECLARE t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['contact_fields', 'consent_events'] LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
        EXECUTE format('CREATE POLICY %I ON %I USING (org_id = app_current_org()) '
                       'WITH CHECK (org_id = app_current_org())', t || '_tenant', t);
    END LOOP;
END $$;
