-- Segments: saved filters over an organization's contacts (tags, fields, country, consent,
-- activity), counted live and used as campaign audiences. The filter is the typed model of
-- `contacts/segments/filter.rs` as JSON, checked by the server before it is stored.
CREATE TABLE segments (
    org_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    id uuid NOT NULL,
    name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    filter jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(filter) = 'object'),
    created_by uuid REFERENCES users (id) ON DELETE SET NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (org_id, id)
);
CREATE UNIQUE INDEX segments_name ON segments (org_id, lower(name));

ALTER TABLE segments ENABLE ROW LEVEL SECURITY;
ALTER TABLE segments FORCE ROW LEVEL SECURITY;
CREATE POLICY segments_tenant ON segments USING (org_id = app_current_org())
    WITH CHECK (org_id = app_current_org());
