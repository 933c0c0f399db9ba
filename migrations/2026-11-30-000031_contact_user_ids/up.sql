-- Business-scoped user ids (Meta, 2026-03-31): a customer is known by phone (wa_id), by
-- user id, or both; a customer with a WhatsApp username may have no phone at all.
ALTER TABLE contacts ALTER COLUMN wa_id DROP NOT NULL;
ALTER TABLE contacts ADD COLUMN username text CHECK (length(username) <= 256);

-- Before, a username-only customer's user id was stored as their phone number.
UPDATE contacts SET user_id = coalesce(user_id, wa_id), wa_id = NULL
 WHERE wa_id !~ '^[0-9]+$'
   AND NOT EXISTS (SELECT 1 FROM contacts o
                    WHERE o.org_id = contacts.org_id AND o.id <> contacts.id
                      AND o.user_id = contacts.wa_id);

ALTER TABLE contacts ADD CONSTRAINT contacts_user_id_length
    CHECK (length(user_id) BETWEEN 1 AND 256);
ALTER TABLE contacts ADD CONSTRAINT contacts_known_by
    CHECK (wa_id IS NOT NULL OR user_id IS NOT NULL);
CREATE UNIQUE INDEX contacts_user_id ON contacts (org_id, user_id);
