-- cdr_totals.sql: the per-caller totals over the whole file for bench/cdr_peers.sh (DuckDB and
-- SQLite run the same text; @SRC@ is the CDR table): calls, distinct callees, calls under 10 s
-- (unanswered included), answered calls and talk seconds.
SELECT caller, count(*), count(DISTINCT callee), count(*) FILTER (WHERE duration_s < 10),
       count(*) FILTER (WHERE duration_s > 0), sum(duration_s)
FROM @SRC@ GROUP BY caller
