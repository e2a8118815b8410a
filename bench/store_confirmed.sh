#!/usr/bin/env bash
# store_confirmed.sh: the dashboard's indicators newly confirmed in a period (src/store/sqlite/
# stats.c, NEWLY_CONFIRMED), with and without migration 0005's partial index, in the same run.
# Builds a database from the shipped migrations with the sqlite3 shell, fills it with N
# indicators over a year (each created suspected and strengthened; 40 % then confirmed: about
# 2.4 events an indicator), and times the two confirmed-indicator queries over one month, best
# of 3, on a copy without the index and on the database with it. The results must agree.
# Usage: bench/store_confirmed.sh [INDICATORS]   (default 500000)
set -euo pipefail
n=${1:-500000}
case $n in '' | *[!0-9]* | 0) echo "store_confirmed: bad count '$n'" >&2; exit 2 ;; esac
command -v sqlite3 >/dev/null || { echo "store_confirmed: sqlite3 is not installed" >&2; exit 1; }
root=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

cat "$root"/src/store/sqlite/migrations/[0-9][0-9][0-9][0-9]_*.sql | sqlite3 "$tmp/with.db"
sqlite3 "$tmp/with.db" <<SQL
PRAGMA foreign_keys = OFF;
WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k WHERE i < $n)
INSERT INTO indicators (id, kind, value, status, tlp, score, first_seen_ms, last_seen_ms,
                        created_ms, updated_ms)
SELECT i, CASE i % 3 WHEN 0 THEN 'phone' WHEN 1 THEN 'url' ELSE 'bank_account' END, 'v' || i,
       CASE WHEN i % 5 < 2 THEN 'confirmed' ELSE 'suspected' END, 'green', 50,
       1764547200000 + i * (31536000000 / $n), 1764547200000 + i * (31536000000 / $n),
       1764547200000 + i * (31536000000 / $n), 1764547200000 + i * (31536000000 / $n) FROM k;
INSERT INTO indicator_events (indicator_id, at_ms, actor, action, from_value, to_value)
SELECT id, created_ms, 'cli', 'created', NULL, 'suspected' FROM indicators;
INSERT INTO indicator_events (indicator_id, at_ms, actor, action, from_value, to_value)
SELECT id, created_ms + 3600000, 'cli', 'strengthened', '50', '60' FROM indicators;
INSERT INTO indicator_events (indicator_id, at_ms, actor, action, from_value, to_value)
SELECT id, created_ms + 86400000, 'cli', 'status', 'suspected', 'confirmed'
  FROM indicators WHERE status = 'confirmed';
SQL
cp "$tmp/with.db" "$tmp/without.db"
sqlite3 "$tmp/without.db" "DROP INDEX indicator_events_confirmed"

# The two queries of stats.c for the month from 2026-09-22 (Beijing), every organisation.
confirmed=" FROM indicator_events e JOIN indicators i ON i.id = e.indicator_id
 WHERE e.to_value = 'confirmed' AND e.action IN ('created', 'status')
 AND e.at_ms >= 1790000000000 AND e.at_ms < 1792592000000 AND (0 = 0 OR i.source_org_id = 0)"
queries="SELECT i.kind, NULL, count(DISTINCT e.indicator_id) $confirmed GROUP BY 1 ORDER BY 3 DESC, 1;
SELECT (e.at_ms + 28800000) / 86400000, i.kind, count(DISTINCT e.indicator_id) $confirmed
 GROUP BY 1, 2 ORDER BY 1, 2;"

events=$(sqlite3 "$tmp/with.db" "SELECT count(*) FROM indicator_events")
for db in without with; do
  best=999
  for _ in 1 2 3; do
    t0=$(date +%s.%N)
    sqlite3 "$tmp/$db.db" "$queries" > "$tmp/$db.out"
    t1=$(date +%s.%N)
    best=$(awk -v a="$t0" -v b="$t1" -v m="$best" 'BEGIN { t = b - a; print (t < m ? t : m) }')
  done
  printf '%s the index: %s events, a month'"'"'s confirmed counts (both queries, the sqlite3 shell included): %.3f s\n' \
    "$db" "$events" "$best"
done
cmp -s "$tmp/without.out" "$tmp/with.out" || { echo "store_confirmed: the results differ" >&2; exit 1; }
echo "same results: $(wc -l < "$tmp/with.out") rows"
