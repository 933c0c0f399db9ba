DROP INDEX contacts_user_id;
ALTER TABLE contacts DROP CONSTRAINT contacts_known_by;
ALTER TABLE contacts DROP CONSTRAINT contacts_user_id_length;
UPDATE contacts SET wa_id = user_id WHERE wa_id IS NULL;
ALTER TABLE contacts DROP COLUMN username;
ALTER TABLE contacts ALTER COLUMN wa_id SET NOT NULL;
