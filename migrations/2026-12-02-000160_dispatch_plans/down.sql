DROP FUNCTION app_refresh_statistics(text);
DROP INDEX campaign_recipients_due;
CREATE INDEX campaign_recipients_due ON campaign_recipients (org_id, campaign_id, not_before)
    WHERE status = 'queued';
