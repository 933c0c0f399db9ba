-- A message has at most one media file, and a thread reads its messages' files in the same
-- statement as the messages (a left join on this index), not one lookup per message.
CREATE UNIQUE INDEX media_message ON media (org_id, message_id);
