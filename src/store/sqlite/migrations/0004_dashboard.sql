-- 0004: the dashboard's aggregates (fz_store_dashboard) read indexes only.
-- reports of a period: per day and channel, type, status and intake verdict, from one index.
CREATE INDEX reports_period ON reports (created_ms, org_id, channel, fraud_type, status,
                                        verdict_label, verdict_score);

-- The most reported values of a period: each value row carries its report's time and
-- organisation, so the count walks one index in (kind, value) order instead of joining
-- ~200,000 value rows to the reports table.
ALTER TABLE report_values ADD COLUMN created_ms INTEGER NOT NULL DEFAULT 0;
ALTER TABLE report_values ADD COLUMN org_id INTEGER NOT NULL DEFAULT 0;
UPDATE report_values
   SET created_ms = (SELECT r.created_ms FROM reports r WHERE r.id = report_values.report_id),
       org_id = (SELECT r.org_id FROM reports r WHERE r.id = report_values.report_id);
CREATE INDEX report_values_period ON report_values (kind, value, created_ms, org_id);
