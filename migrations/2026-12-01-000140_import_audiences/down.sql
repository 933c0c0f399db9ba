DROP TABLE contact_import_members;
