-- cdr_windows.sql: the call-analytics engine's window counters per caller, as at the end of the
-- file, for bench/cdr_peers.sh (DuckDB and SQLite run the same text; @SRC@ is the CDR table and
-- @DIV@ integer division). Windows are the engine's buckets: the last 6 ten-minute, 12
-- two-hour and 7 one-day buckets up to the newest record. Per caller: voice calls placed,
-- short (< 10 s), answered, talk seconds, at night (22:00-06:00 Beijing time), one-ring (not
-- answered, rang at most 3 s), on the international trunk, distinct callees; voice calls
-- received; callees that called back after the first call to them; distinct cells and IMEIs;
-- the most numbers seen on one of its IMEIs; when it was first seen. Not reproduced: the
-- phone normalizer (numbers are grouped as written) and the sequential-callee check.
WITH rec AS (
  SELECT caller, callee, start_time AS t, duration_s AS d, ring_s AS r, type, cell_id, imei,
         trunk FROM @SRC@),
now AS (
  SELECT max(t) @DIV@ 600 AS h, max(t) @DIV@ 7200 AS d, max(t) @DIV@ 86400 AS w, max(t) AS t
  FROM rec),
v AS (
  SELECT c.caller, c.callee, c.t, c.d, c.r, c.trunk,
         c.t @DIV@ 600 > n.h - 6 AS in_h, c.t @DIV@ 7200 > n.d - 12 AS in_d,
         c.t @DIV@ 86400 > n.w - 7 AS in_w,
         (c.t + 28800) @DIV@ 3600 % 24 >= 22 OR (c.t + 28800) @DIV@ 3600 % 24 < 6 AS night
  FROM rec c, now n WHERE c.type = 'voice'),
placed AS (
  SELECT caller,
         count(*) FILTER (WHERE in_h) AS calls_1h,
         count(*) FILTER (WHERE in_h AND d < 10) AS short_1h,
         count(DISTINCT callee) FILTER (WHERE in_h) AS callees_1h,
         count(*) FILTER (WHERE in_d) AS calls_24h,
         count(*) FILTER (WHERE in_d AND d < 10) AS short_24h,
         count(*) FILTER (WHERE in_d AND d > 0) AS answered_24h,
         coalesce(sum(d) FILTER (WHERE in_d), 0) AS talk_24h,
         count(*) FILTER (WHERE in_d AND night) AS night_24h,
         count(*) FILTER (WHERE in_d AND d = 0 AND r BETWEEN 0 AND 3) AS one_ring_24h,
         count(*) FILTER (WHERE in_d AND trunk = 'international') AS intl_24h,
         count(DISTINCT callee) FILTER (WHERE in_d) AS callees_24h,
         count(*) FILTER (WHERE in_w) AS calls_7d,
         count(DISTINCT callee) FILTER (WHERE in_w) AS callees_7d
  FROM v GROUP BY caller),
received AS (
  SELECT callee AS caller, count(*) FILTER (WHERE in_d) AS in_24h,
         count(*) FILTER (WHERE in_w) AS in_7d
  FROM v GROUP BY callee),
first_call AS (SELECT caller, callee, min(t) AS t FROM rec GROUP BY caller, callee),
called_back AS (
  SELECT f.caller, min(b.t) AS t
  FROM first_call f JOIN rec b ON b.caller = f.callee AND b.callee = f.caller AND b.t >= f.t
  GROUP BY f.caller, f.callee),
callbacks AS (
  SELECT b.caller, count(*) FILTER (WHERE b.t @DIV@ 7200 > n.d - 12) AS callbacks_24h,
         count(*) FILTER (WHERE b.t @DIV@ 86400 > n.w - 7) AS callbacks_7d
  FROM called_back b, now n GROUP BY b.caller),
place AS (
  SELECT caller, count(DISTINCT nullif(cell_id, '')) AS cells,
         count(DISTINCT nullif(imei, '')) AS imeis
  FROM rec GROUP BY caller),
on_imei AS (
  SELECT imei, count(DISTINCT caller) AS numbers FROM rec WHERE imei <> '' GROUP BY imei),
imei_most AS (
  SELECT p.caller, max(o.numbers) AS numbers_on_imei
  FROM (SELECT DISTINCT caller, imei FROM rec) p JOIN on_imei o ON o.imei = p.imei
  GROUP BY p.caller),
seen AS (
  SELECT caller, min(t) AS first_seen
  FROM (SELECT caller, t FROM rec UNION ALL SELECT callee, t FROM rec) GROUP BY caller)
SELECT p.caller, calls_1h, short_1h, callees_1h, calls_24h, short_24h, answered_24h, talk_24h,
       night_24h, one_ring_24h, intl_24h, callees_24h, calls_7d, callees_7d,
       coalesce(in_24h, 0), coalesce(in_7d, 0), coalesce(callbacks_24h, 0),
       coalesce(callbacks_7d, 0), cells, imeis, coalesce(numbers_on_imei, 0), first_seen
FROM placed p
LEFT JOIN received USING (caller) LEFT JOIN callbacks USING (caller)
LEFT JOIN place USING (caller) LEFT JOIN imei_most USING (caller) LEFT JOIN seen USING (caller)
