DROP TRIGGER users_removal_notice ON users;
DROP TRIGGER users_change_notice ON users;
DROP TRIGGER phone_numbers_change_notice ON phone_numbers;
DROP TRIGGER contacts_change_notice ON contacts;
DROP TRIGGER conversations_change_notice ON conversations;
DROP FUNCTION app_notify_person_change();
DROP FUNCTION app_notify_inbox_change();
