#!/usr/bin/env bash
# The HTTP load test of make bench (issue 4): `fangzha serve` on loopback, driven by wrk with
# the Lua scripts of bench/http/. Creates a database in BUILD_DIR/bench/http/ with an admin, a
# partner organisation with an API key, and 100,000 confirmed phone indicators seeded through
# the API; then measures, with the partner's key, GET /check/number, POST /check/text (with and
# without the model) and POST /reports at the default sync = full, and checks that the store
# holds at least as many reports as were acknowledged. Each figure is the best of 3 runs of
# HTTP_SECONDS (default 10) after a 2 s warm-up, with the server's and wrk's CPU time per
# request (from /proc and the shell's `time`), so a run on a loaded machine stays readable.
# Usage: scripts/bench_http.sh BUILD_DIR   (needs wrk, curl, jq; bench/gen_sms built)
set -euo pipefail
build=$(cd "$1" && pwd)
root=$(cd "$(dirname "$0")/.." && pwd)
fz=$build/fangzha
lua=$root/bench/http
dir=$build/bench/http
secs=${HTTP_SECONDS:-10}
runs=${HTTP_RUNS:-3}
indicators=${HTTP_INDICATORS:-100000}
export FANGZHA_CACHE_DIR=$build/bench/cache
model=$build/fangzha.model
[ -f "$model" ] || model=
cores=$(nproc)
default_threads=$cores # fangzha serve's default: one HTTP thread per core

for tool in wrk curl jq; do
  command -v $tool > /dev/null || { echo "bench_http: $tool is missing (scripts/deps.sh --bench)" >&2; exit 1; }
done
[ -x "$build/bench/gen_sms" ] || { echo "bench_http: $build/bench/gen_sms is not built" >&2; exit 1; }

rm -rf "$dir"
mkdir -p "$dir"
db=$dir/fangzha.db
log=$dir/serve.log

# ---- the database: an admin, a partner organisation and its key, an analyst key ----------
pw=$(head -c 24 /dev/urandom | base64 | tr -d '/+=')-9a
printf '%s\n' "$pw" | "$fz" user add bench-admin --role admin --org centre --create-org police \
  --centre --db "$db" > /dev/null
printf '%s\n' "$pw" | "$fz" user add carrier-gateway --role partner --org carrier \
  --create-org operator --db "$db" > /dev/null
analyst_key=$("$fz" apikey create --org centre --role analyst --name bench-seed --db "$db")
partner_key=$("$fz" apikey create --org carrier --role partner --name bench-partner --db "$db")
"$build/bench/gen_sms" 1000 7 > "$dir/messages.txt"
export FZ_BENCH_MESSAGES=$dir/messages.txt FZ_BENCH_INDICATORS=$indicators

# ---- the server -----------------------------------------------------------------------------
server_pid='' url=''
stop_server() {
  if [ -n "$server_pid" ]; then
    kill -TERM "$server_pid" 2> /dev/null || true
    wait "$server_pid" 2> /dev/null || true
    server_pid=''
  fi
}
trap stop_server EXIT

start_server() { # start_server [SERVE FLAGS...]: serves BUILD_DIR/bench/http/fangzha.db
  rm -f "$dir/ready"
  echo "-- fangzha serve $*" >> "$log"
  "$fz" serve --db "$db" --listen 127.0.0.1:0 --ready-file "$dir/ready" --rate-check 0 \
    --rate-report 0 "$@" >> "$log" 2>&1 &
  server_pid=$!
  local port=''
  for _ in $(seq 1200); do # 120 s: the first start compiles the rules into the cache
    port=$(cat "$dir/ready" 2> /dev/null || true)
    [[ $port =~ ^[0-9]+$ ]] && break
    kill -0 "$server_pid" 2> /dev/null || { echo "bench_http: the server died (see $log)" >&2; exit 1; }
    sleep 0.1
  done
  [[ $port =~ ^[0-9]+$ ]] || { echo "bench_http: the server did not start (see $log)" >&2; exit 1; }
  url=http://127.0.0.1:$port
}

cpu_ticks() { # utime + stime of a process, in clock ticks
  local s
  s=$(< "/proc/$1/stat")
  s=${s##*) }
  set -- $s
  echo $((${12} + ${13}))
}
hz=$(getconf CLK_TCK)

# run_wrk SCRIPT CONNECTIONS SECONDS KEY: one wrk run; prints the script's RESULT line with the
# server's CPU ticks and wrk's CPU seconds (user + system) added.
run_wrk() {
  local c0 c1 t
  c0=$(cpu_ticks "$server_pid")
  t=$({ TIMEFORMAT='%U %S'; time FZ_BENCH_KEY=$4 wrk -t1 -c"$2" -d"$3s" --latency \
    -s "$lua/$1" "$url" > "$dir/wrk.out" 2> "$dir/wrk.err"; } 2>&1)
  c1=$(cpu_ticks "$server_pid")
  local line
  line=$(grep '^RESULT' "$dir/wrk.out") || { cat "$dir/wrk.err" >&2; exit 1; }
  set -- $t
  echo "$line server_ticks=$((c1 - c0)) wrk_user=$1 wrk_sys=$2"
}

field() { # field NAME LINE: the value of NAME=... in a RESULT line
  local f
  for f in $2; do [ "${f%%=*}" = "$1" ] && { echo "${f#*=}"; return; }; done
  echo 0
}

total_2xx=0 # 2xx answers of the last measure(), warm-up included (for the reports check)

# measure LABEL SCRIPT CONNECTIONS THREADS TARGET_RPS: warm-up, then the best of $runs runs.
measure() {
  local label=$1 script=$2 conns=$3 threads=$4 target=$5 best='' all='' line r
  line=$(run_wrk "$script" "$conns" 2 "$partner_key")
  total_2xx=$(field n2xx "$line")
  for _ in $(seq "$runs"); do
    line=$(run_wrk "$script" "$conns" "$secs" "$partner_key")
    total_2xx=$((total_2xx + $(field n2xx "$line")))
    r=$(field rps "$line")
    all="$all $r"
    if [ -z "$best" ] || [ "$r" -gt "$(field rps "$best")" ]; then best=$line; fi
  done
  awk -v l="$label" -v c="$conns" -v t="$threads" -v all="$all" -v target="$target" -v hz="$hz" \
    -v rps="$(field rps "$best")" -v n="$(field requests "$best")" \
    -v p50="$(field p50_us "$best")" -v p99="$(field p99_us "$best")" \
    -v bad="$(field non2xx "$best")" -v err="$(field sock_errors "$best")" \
    -v st="$(field server_ticks "$best")" -v wu="$(field wrk_user "$best")" \
    -v ws="$(field wrk_sys "$best")" 'BEGIN {
    ok = rps >= target && p99 <= (target >= 10000 ? 5000 : 1e12) && bad == 0 && err == 0
    printf "%-32s [wrk -t1 -c%d; serve --threads %s]: %6.0f req/s (runs:%s), p50 %.2f ms, p99 %.2f ms, non-2xx %d, socket errors %d\n",
      l, c, t, rps, all, p50 / 1000, p99 / 1000, bad, err
    printf "%-32s   CPU per request: server %.1f us, wrk %.1f us; target >= %d req/s%s: %s\n",
      "", st * 1e6 / hz / n, (wu + ws) * 1e6 / n, target,
      (target >= 10000 ? ", p99 <= 5 ms" : ", durable"), (ok ? "met" : "MISSED") }'
}

count_reports() { # count_reports SINCE_MS: reports the store holds created since then
  local after='' n=0 page
  while :; do
    page=$(curl -sf -H "Authorization: Bearer $analyst_key" \
      "$url/api/v1/reports?since_ms=$1&order=oldest&limit=200${after:+&after=$after}")
    n=$((n + $(jq '.items | length' <<< "$page")))
    after=$(jq -r '.next_after // empty' <<< "$page")
    [ -n "$after" ] || break
  done
  echo "$n"
}

# measure_reports THREADS: POST /reports at sync = full, then the count in the store.
measure_reports() {
  local since
  since=$(($(date +%s%3N) - 1))
  FZ_BENCH_RUN=$1-$since measure "POST /api/v1/reports" reports.lua 64 "$1" 2000
  local stored
  stored=$(count_reports "$since")
  echo "                                   stored: $stored reports since the warm-up, 2xx answers: $total_2xx ($( ((stored >= total_2xx)) && echo ok || echo MISSING))"
}

echo "== HTTP API under wrk (loopback, $cores cores; load average $(cut -d' ' -f1-3 /proc/loadavg)) =="

# ---- seeding: 64 indicators per report, confirmed by an analyst (bench/http/seed.lua) ------
start_server --sync normal
t0=$(date +%s.%N)
FZ_BENCH_KEY=$analyst_key wrk -t1 -c1 -d3600s -s "$lua/seed.lua" "$url" > "$dir/seed.out" \
  2> "$dir/seed.err" || { cat "$dir/seed.out" "$dir/seed.err" >&2; exit 1; }
t1=$(date +%s.%N)
seeded=$(curl -sf "$url/metrics" | awk '/^fangzha_intel_indicators/ { n += $2 } END { print n + 0 }')
awk -v n="$seeded" -v a="$t0" -v b="$t1" 'BEGIN {
  printf "seeded %d phone indicators in %.1f s (1 report + triage + confirm per 64; setup, --sync normal)\n", n, b - a }'
[ "$seeded" -ge "$indicators" ] || { echo "bench_http: seeding failed" >&2; exit 1; }
stop_server

# ---- the figures ----------------------------------------------------------------------------
for threads in default 4; do
  if [ $threads = default ]; then
    start_server
    shown="$default_threads (default)"
  else
    start_server --threads "$threads"
    shown=$threads
  fi
  measure "GET /api/v1/check/number" check_number.lua 32 "$shown" 50000
  measure "POST /api/v1/check/text" check_text.lua 32 "$shown" 20000
  measure_reports "$shown"
  stop_server
  if [ -n "$model" ]; then
    if [ $threads = default ]; then start_server --model "$model"; else start_server --threads "$threads" --model "$model"; fi
    measure "POST /api/v1/check/text +model" check_text.lua 32 "$shown" 20000
    stop_server
  fi
done
[ -n "$model" ] || echo "(no model: run make model first for /check/text with one)"
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
