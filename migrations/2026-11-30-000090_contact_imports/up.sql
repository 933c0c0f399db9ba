-- Contact imports: a CSV or XLSX file uploaded, mapped, previewed, then imported by a job in
-- one transaction (all or nothing), with every rejected row kept for the report.

-- The last mapping an organization used, by column name (lower-case): the next file with
-- the same columns is mapped the same way.
ALTER TABLE organizations ADD COLUMN contact_import_mapping jsonb NOT NULL DEFAULT '{}'
    CHECK (jsonb_typeof(contact_import_mapping) = 'object');

CREATE TABLE contact_imports (
    org_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    id uuid NOT NULL,
    created_by uuid REFERENCES users (id) ON DELETE SET NULL,
    file_name text NOT NULL CHECK (length(file_name) BETWEEN 1 AND 255),
    format text NOT NULL CHECK (format IN ('csv', 'xlsx')),
    size bigint NOT NULL CHECK (size >= 0),
    status text NOT NULL DEFAULT 'uploaded'
        CHECK (status IN ('uploaded', 'queued', 'running', 'done', 'failed', 'cancelled')),
    -- How it was read and mapped (sheet, header row, delimiter, default country, mapping,
    -- duplicate policy), as the import was started.
    options jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(options) = 'object'),
    -- records = imported + updated + duplicates + invalid + empty once done.
    records bigint NOT NULL DEFAULT 0,
    imported bigint NOT NULL DEFAULT 0,
    updated bigint NOT NULL DEFAULT 0,
    duplicates bigint NOT NULL DEFAULT 0,
    invalid bigint NOT NULL DEFAULT 0,
    empty bigint NOT NULL DEFAULT 0,
    -- Share of the file read while running, 0 to 1.
    progress real NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 1),
    error text CHECK (length(error) <= 2000),
    created_at timestamptz NOT NULL DEFAULT now(),
    started_at timestamptz,
    finished_at timestamptz,
    PRIMARY KEY (org_id, id)
);
CREATE INDEX contact_imports_newest ON contact_imports (org_id, created_at DESC, id DESC);

-- Rows an import could not take, with why: the downloadable report.
CREATE TABLE contact_import_rejects (
    org_id uuid NOT NULL,
    import_id uuid NOT NULL,
    line bigint NOT NULL,
    reason text NOT NULL CHECK (length(reason) <= 500),
    -- The row as read, cells joined by tabs, so that it can be fixed and imported again.
    row text NOT NULL CHECK (length(row) <= 70000),
    PRIMARY KEY (org_id, import_id, line),
    FOREIGN KEY (org_id, import_id) REFERENCES contact_imports (org_id, id) ON DELETE CASCADE
);

DO $$
DECLARE t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['contact_imports', 'contact_import_rejects'] LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
        EXECUTE format('CREATE POLICY %I ON %I USING (org_id = app_current_org()) '
                       'WITH CHECK (org_id = app_current_org())', t || '_tenant', t);
    END LOOP;
END $$;
