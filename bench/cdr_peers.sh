#!/usr/bin/env bash
# cdr_peers.sh: the peer baselines of the call-analytics figures (PEERS.md, "Call records:
# DuckDB and SQLite"). Both compute the same per-caller aggregate from the same CDR CSV
# (gen_cdr's columns, read from the page cache): calls, distinct callees, calls under 10 s
# (duration_s < 10, unanswered included), answered calls (duration_s > 0) and talk seconds,
# GROUP BY caller, and write it as CSV.
#   - DuckDB: the npm package @duckdb/node-api (it ships its native library), run by Node.js,
#     at 1 thread and at its default; installed with `npm ci` into bench/peers/node_modules
#     when missing. Time: read_csv + GROUP BY + COPY TO, in one process (peers/cdr_agg.mjs).
#   - SQLite: Debian's sqlite3 CLI; .import into an in-memory table, then the aggregate. Time:
#     the whole sqlite3 process, import included.
# Each is timed best of 3 (wall clock), with the CPU time of that round beside it (the machines
# are shared). The three results must agree (rows and a sha256 of the sorted aggregate), or the
# script fails. Prints one line per engine:
#   duckdb-1t: N rows in T s = R rows/s (CPU C s; DuckDB v1.5.6, threads 1)
set -euo pipefail

usage() {
  cat <<'EOF'
usage: bench/cdr_peers.sh [--rounds N] CSV
Times DuckDB (1 thread and default threads, via Node.js and @duckdb/node-api) and SQLite
(sqlite3 CLI, in-memory import) computing the same per-caller aggregate from CSV, a CDR file
written by gen_cdr (build/bench/gen_cdr --people 1000000 --out cdr.csv). Prints
"ENGINE: N rows in T s = R rows/s (CPU C s; ...)" for each (best of N rounds by wall time,
default 3, with that round's CPU time) and checks that the
three results agree. Exit status: 0 ok, 1 a peer failed or the results differ, 2 bad usage.
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

# DuckDB: cdr_agg.mjs prints "BEST_SECONDS CPU_SECONDS THREADS VERSION".
read -r t1 c1 th1 version < <(node "$peers/cdr_agg.mjs" "$csv" 1 "$tmp/duckdb-1t.csv" "$rounds")
report duckdb-1t "$t1" "$c1" "DuckDB $version, threads $th1"
read -r td cd thd version < <(node "$peers/cdr_agg.mjs" "$csv" default "$tmp/duckdb-default.csv" "$rounds")
report duckdb-default "$td" "$cd" "DuckDB $version, threads $thd"

# SQLite: typed columns, so duration_s compares as a number.
cat >"$tmp/agg.sql" <<EOF
CREATE TABLE cdr(caller TEXT, callee TEXT, start_time INTEGER, duration_s INTEGER,
                 ring_s INTEGER, direction TEXT, type TEXT, cell_id INTEGER, imei TEXT,
                 imsi TEXT, trunk TEXT);
.mode csv
.import --skip 1 '$csv' cdr
.output '$tmp/sqlite.csv'
SELECT caller, count(*), count(DISTINCT callee), sum(duration_s < 10), sum(duration_s > 0),
       sum(duration_s)
FROM cdr GROUP BY caller;
EOF
best= best_cpu=
TIMEFORMAT='%R %U %S'
for _ in $(seq "$rounds"); do
  { time sqlite3 :memory: <"$tmp/agg.sql"; } 2>"$tmp/time"
  read -r t u s <"$tmp/time"
  if [ -z "$best" ] || awk -v a="$t" -v b="$best" 'BEGIN { exit !(a < b) }'; then
    best=$t best_cpu=$(awk -v u="$u" -v s="$s" 'BEGIN { print u + s }')
  fi
done
report sqlite "$best" "$best_cpu" "SQLite $(sqlite3 --version | cut -d' ' -f1), in-memory, import included"

# The three must agree.
sums=()
for f in duckdb-1t duckdb-default sqlite; do
  sums+=("$(wc -l <"$tmp/$f.csv") $(LC_ALL=C sort "$tmp/$f.csv" | sha256sum | cut -c1-16)")
done
if [ "${sums[0]}" = "${sums[1]}" ] && [ "${sums[0]}" = "${sums[2]}" ]; then
  read -r callers sum <<<"${sums[0]}"
  echo "agree: $callers callers, sha256 of the sorted aggregate $sum"
else
  echo "cdr_peers: the results differ (callers sha256): ${sums[*]}" >&2
  exit 1
fi
