DROP TABLE contact_import_rejects;
DROP TABLE contact_imports;
ALTER TABLE organizations DROP COLUMN contact_import_mapping;
