DROP INDEX conversation_notes_thread;
