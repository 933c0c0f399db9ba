-- Notices of changed inbox rows, for the servers' caches of inbox pages (wagent_db's
-- `Changes`). Each statement that writes a conversation, contact or number sends, at commit,
-- the organization its transaction acts for (`*` when none: a migration, SQL by hand);
-- PostgreSQL folds a transaction's equal notices into one. A statement trigger costs one call
-- whatever the number of rows, so bulk imports pay nothing per row. A change to a person's
-- name or address sends `*`: one person is assignee in many organizations.
CREATE FUNCTION app_notify_inbox_change() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    PERFORM pg_notify('wagent_changes', coalesce(app_current_org()::text, '*'));
    RETURN NULL;
END
$$;

CREATE FUNCTION app_notify_person_change() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    PERFORM pg_notify('wagent_changes', '*');
    RETURN NULL;
END
$$;

CREATE TRIGGER conversations_change_notice
    AFTER INSERT OR UPDATE OR DELETE ON conversations
    FOR EACH STATEMENT EXECUTE FUNCTION app_notify_inbox_change();
CREATE TRIGGER contacts_change_notice
    AFTER INSERT OR UPDATE OR DELETE ON contacts
    FOR EACH STATEMENT EXECUTE FUNCTION app_notify_inbox_change();
CREATE TRIGGER phone_numbers_change_notice
    AFTER INSERT OR UPDATE OR DELETE ON phone_numbers
    FOR EACH STATEMENT EXECUTE FUNCTION app_notify_inbox_change();

-- Per row, and only when what an inbox row shows of a person changed: signing in updates
-- `last_seen_at` on every visit.
CREATE TRIGGER users_change_notice
    AFTER UPDATE ON users
    FOR EACH ROW
    WHEN (OLD.name IS DISTINCT FROM NEW.name
        OR OLD.email IS DISTINCT FROM NEW.email
        OR OLD.email_verified IS DISTINCT FROM NEW.email_verified)
    EXECUTE FUNCTION app_notify_person_change();
CREATE TRIGGER users_removal_notice
    AFTER DELETE ON users
    FOR EACH STATEMENT EXECUTE FUNCTION app_notify_person_change();
