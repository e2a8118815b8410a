#!/usr/bin/env bash
# cdr_peers.sh: the peer baselines of the call-analytics figures (PEERS.md, "Call records:
# DuckDB and SQLite"). Both run the same two per-caller queries over the same CDR CSV (gen_cdr's
# columns, read from the page cache) and write the result as CSV:
#   - totals (bench/peers/cdr_totals.sql): calls, distinct callees, calls under 10 s, answered
#     calls and talk seconds over the whole file, GROUP BY caller;
#   - windows (bench/peers/cdr_windows.sql): the engine's window counters as at the end of the
#     file — 1 h, 24 h and 7 d in the engine's buckets: calls placed, short, answered, talk,
#     night, one-ring, international trunk, distinct callees, calls received, callees that
#     called back, cells, IMEIs, numbers on the IMEI, first seen (the inputs of its features;
#     the engine computes them for every call as it streams, the query once).
#   - DuckDB: the npm package @duckdb/node-api (it ships its native library), run by Node.js,
#     at 1 thread and at its default; installed with `npm ci` into bench/peers/node_modules
#     when missing. Time: read_csv + the query + COPY TO, in one process (peers/cdr_agg.mjs).
#   - SQLite: Debian's sqlite3 CLI; .import into an in-memory table, then the query. Time:
#     the whole sqlite3 process, import included.
# Each is timed best of 3 (wall clock), with the CPU time of that round beside it (the machines
# are shared). For each query the three results must agree (rows and a sha256 of the sorted
# result), or the script fails. Prints one line per engine and query:
#   duckdb-1t: N rows in T s = R rows/s (CPU C s; DuckDB v1.5.6, threads 1)
#   duckdb-1t-windows: ...
set -euo pipefail

usage() {
  cat <<'EOF'
usage: bench/cdr_peers.sh [--rounds N] CSV
Times DuckDB (1 thread and default threads, via Node.js and @duckdb/node-api) and SQLite
(sqlite3 CLI, in-memory import) computing the same per-caller queries from CSV, a CDR file
written by gen_cdr (build/bench/gen_cdr --people 1000000 --out cdr.csv): whole-file totals,
and the engine's window counters as at the end of the file. Prints
"ENGINE[-windows]: N rows in T s = R rows/s (CPU C s; ...)" for each (best of N rounds by wall
time, default 3, with that round's CPU time) and checks that the three results of each query
agree. Exit status: 0 ok, 1 a peer failed or the results differ, 2 bad usage.
Needs node and npm (DuckDB is installed into bench/peers/node_modules) and sqlite3.
EOF
}

rounds=3
while [ $# -gt 0 ]; do
  case $1 in
    -h | --help) usage; exit 0 ;;
    --rounds) [ $# -ge 2 ] || { usage >&2; exit 2; }; rounds=$2; shift 2 ;;
    -*) echo "cdr_peers: unknown option '$1'" >&2; usage >&2; exit 2 ;;
    *) break ;;
  esac
done
[ $# -eq 1 ] || { usage >&2; exit 2; }
csv=$(realpath -- "$1")
[ -r "$csv" ] || { echo "cdr_peers: cannot read '$1'" >&2; exit 2; }
case $rounds in '' | *[!0-9]* | 0) echo "cdr_peers: bad --rounds '$rounds'" >&2; exit 2 ;; esac
for tool in node npm sqlite3; do
  command -v $tool >/dev/null || { echo "cdr_peers: $tool is not installed" >&2; exit 1; }
done

peers=$(cd "$(dirname "$0")/peers" && pwd)
if [ ! -d "$peers/node_modules/@duckdb/node-api" ]; then
  echo "cdr_peers: installing @duckdb/node-api (npm ci in bench/peers)" >&2
  (cd "$peers" && npm ci --no-audit --no-fund --loglevel=error >&2)
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

rows=$(($(wc -l <"$csv") - 1))
cat "$csv" >/dev/null # into the page cache

report() { # NAME SECONDS CPU_SECONDS NOTE
  awk -v n="$1" -v r="$rows" -v t="$2" -v c="$3" -v note="$4" \
    'BEGIN { printf "%s: %d rows in %.3f s = %.0f rows/s (CPU %.3f s; %s)\n", n, r, t, r / t, c, note }'
}

# QUERY SUFFIX: runs bench/peers/QUERY.sql on DuckDB (1 thread, default) and SQLite, reports
# each as ENGINE$SUFFIX, and checks that the three results agree.
run_query() {
  local sql="$peers/$1.sql" suffix=$2
  # DuckDB: cdr_agg.mjs prints "BEST_SECONDS CPU_SECONDS THREADS VERSION". Run by command
  # substitution, which waits for it: a process substitution's node would be reaped later and
  # its CPU time counted in the next `time` (SQLite's).
  local out t c threads used version
  for threads in 1 default; do
    out=$(node "$peers/cdr_agg.mjs" "$csv" "$threads" "$tmp/duckdb-$threads.csv" "$rounds" "$sql")
    read -r t c used version <<<"$out"
    report "duckdb-${threads/1/1t}$suffix" "$t" "$c" "DuckDB $version, threads $used"
  done

  # SQLite: typed columns, so durations and times compare as numbers.
  {
    cat <<EOF
CREATE TABLE cdr(caller TEXT, callee TEXT, start_time INTEGER, duration_s INTEGER,
                 ring_s INTEGER, direction TEXT, type TEXT, cell_id TEXT, imei TEXT,
                 imsi TEXT, trunk TEXT);
.mode csv
.import --skip 1 '$csv' cdr
.output '$tmp/sqlite.csv'
EOF
    sed -e '/^--/d' -e 's/@SRC@/cdr/g' -e 's#@DIV@#/#g' "$sql"
    echo ';'
  } >"$tmp/query.sql"
  local best='' best_cpu='' u s
  TIMEFORMAT='%R %U %S'
  for _ in $(seq "$rounds"); do
    { time sqlite3 :memory: <"$tmp/query.sql"; } 2>"$tmp/time"
    read -r t u s <"$tmp/time"
    if [ -z "$best" ] || awk -v a="$t" -v b="$best" 'BEGIN { exit !(a < b) }'; then
      best=$t best_cpu=$(awk -v u="$u" -v s="$s" 'BEGIN { print u + s }')
    fi
  done
  report "sqlite$suffix" "$best" "$best_cpu" "SQLite $(sqlite3 --version | cut -d' ' -f1), in-memory, import included"

  local sums=() f callers sum
  for f in duckdb-1 duckdb-default sqlite; do
    sums+=("$(wc -l <"$tmp/$f.csv") $(LC_ALL=C sort "$tmp/$f.csv" | sha256sum | cut -c1-16)")
  done
  if [ "${sums[0]}" = "${sums[1]}" ] && [ "${sums[0]}" = "${sums[2]}" ]; then
    read -r callers sum <<<"${sums[0]}"
    echo "agree ($1): $callers callers, sha256 of the sorted result $sum"
  else
    echo "cdr_peers: the $1 results differ (callers sha256): ${sums[*]}" >&2
    exit 1
  fi
}

run_query cdr_totals ''
run_query cdr_windows -windows
