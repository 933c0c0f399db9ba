-- A one-off file as a campaign's audience: an import started "as an audience" remembers
-- every contact its valid rows matched (new, updated or already there), so that a campaign
-- goes to exactly the people of that file. Written in the import's transaction; erasing a
-- contact or deleting the import removes its rows.
CREATE TABLE contact_import_members (
    org_id uuid NOT NULL,
    import_id uuid NOT NULL,
    contact_id uuid NOT NULL,
    PRIMARY KEY (org_id, import_id, contact_id),
    FOREIGN KEY (org_id, import_id) REFERENCES contact_imports (org_id, id) ON DELETE CASCADE,
    FOREIGN KEY (org_id, contact_id) REFERENCES contacts (org_id, id) ON DELETE CASCADE
);
-- Erasing a contact finds its rows without scanning every import's.
CREATE INDEX contact_import_members_contact ON contact_import_members (org_id, contact_id);

ALTER TABLE contact_import_members ENABLE ROW LEVEL SECURITY;
ALTER TABLE contact_import_members FORCE ROW LEVEL SECURITY;
CREATE POLICY contact_import_members_tenant ON contact_import_members
    USING (org_id = app_current_org()) WITH CHECK (org_id = app_current_org());
