DROP INDEX media_message;
