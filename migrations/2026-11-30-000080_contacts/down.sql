DROP TABLE consent_events;
DROP TABLE contact_fields;
DROP INDEX contacts_newest;
DROP INDEX contacts_tags;
ALTER TABLE contacts
    DROP COLUMN name, DROP COLUMN email, DROP COLUMN language, DROP COLUMN country,
    DROP COLUMN time_zone, DROP COLUMN tags, DROP COLUMN fields, DROP COLUMN marketing,
    DROP COLUMN marketing_source, DROP COLUMN marketing_at, DROP COLUMN last_inbound_at,
    DROP COLUMN last_outbound_at;
ALTER TABLE organizations
    DROP COLUMN default_country, DROP COLUMN opt_out_keywords, DROP COLUMN opt_in_keywords;
