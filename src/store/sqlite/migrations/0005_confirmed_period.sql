-- 0005: the dashboard's indicators newly confirmed in a period (fz_store_dashboard) come from an
-- index instead of a scan of every indicator event: only the events that confirm an indicator
-- (created as confirmed, or moved to confirmed) are in it, by time. 1.2 million events, a
-- month of a year: 0.13-0.17 s -> 0.015-0.025 s per query (docs/internals/store.md).
CREATE INDEX indicator_events_confirmed ON indicator_events (at_ms, indicator_id)
  WHERE to_value = 'confirmed' AND action IN ('created', 'status');
