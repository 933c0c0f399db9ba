-- A conversation's notes are read by conversation (the thread, and a page of conversations
-- at once), and deleted with it.
CREATE INDEX conversation_notes_thread ON conversation_notes (org_id, conversation_id, id);
