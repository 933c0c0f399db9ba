DROP TABLE campaign_timeline;
DROP TABLE campaign_breakdowns;
DROP TABLE campaign_recipients;
DROP TABLE campaigns;
ALTER TABLE organizations DROP COLUMN time_zone;
