DROP TABLE webhook_failures;
DROP TABLE message_statuses;
