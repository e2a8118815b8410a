#!/usr/bin/env bash
# Rspamd side by side (../shared/PEERS.md): starts Debian's Rspamd 3.4 on 127.0.0.1 with every
# module that does network I/O or needs Redis turned off and its resolver pointed at a closed
# port, sends the same messages through its normal worker's /checkv2, and prints the server's
# CPU time per message next to fangzha's on the same messages. A speed reference, not a
# detection one. Skips (exit 0) when rspamd is not installed: `apt-get install rspamd`.
# Usage: bench/rspamd.sh FANGZHA_COMMAND... < messages.txt   (one message per line)
#   e.g. bench/rspamd.sh build/fangzha extract < build/bench/sms-200000.txt
set -euo pipefail
[ $# -ge 1 ] || { echo "usage: bench/rspamd.sh FANGZHA_COMMAND... < messages.txt" >&2; exit 2; }
command -v rspamd >/dev/null || { echo "rspamd: skipped (not installed; apt-get install rspamd)"; exit 0; }
command -v curl >/dev/null || { echo "rspamd: skipped (curl not installed)"; exit 0; }

dir=$(mktemp -d)
port=${RSPAMD_PORT:-11333}
pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$dir"; }
trap cleanup EXIT
mkdir -p "$dir"/{conf/local.d,conf/override.d,run,db,log,msg}

for m in rbl fuzzy_check dcc asn spf dkim dkim_signing arc dmarc mx_check url_redirector \
         phishing rspamd_update neural reputation ratelimit greylist replies history_redis \
         metadata_exporter clickhouse elastic antivirus external_services p0f bimi emails \
         whitelist; do
  echo "enabled = false;" > "$dir/conf/local.d/$m.conf"
done
cat > "$dir/conf/local.d/options.inc" <<CONF
dns { nameserver = ["127.0.0.1:9"]; timeout = 0.2s; retransmits = 1; }
CONF
cat > "$dir/conf/local.d/worker-normal.inc" <<CONF
bind_socket = "127.0.0.1:$port";
count = 1;
CONF
echo 'enabled = false;' > "$dir/conf/local.d/worker-controller.inc"
echo 'enabled = false;' > "$dir/conf/local.d/worker-proxy.inc"
cat > "$dir/conf/local.d/logging.inc" <<CONF
type = "file"; filename = "$dir/log/rspamd.log"; level = "error";
CONF

# The messages, one file each (a bare SMS body, which Rspamd accepts).
n=0
while IFS= read -r line && [ $n -lt "${RSPAMD_MESSAGES:-1000}" ]; do
  n=$((n + 1)); printf '%s\n' "$line" > "$dir/msg/$n"
done

rspamd -f -i -u root -g root -c /etc/rspamd/rspamd.conf --var="LOCAL_CONFDIR=$dir/conf" \
  --var="RUNDIR=$dir/run" --var="DBDIR=$dir/db" --var="LOGDIR=$dir/log" >"$dir/log/stdout" 2>&1 &
pid=$!
for _ in $(seq 100); do
  curl -s -o /dev/null "http://127.0.0.1:$port/ping" && break
  sleep 0.2
done
curl -s -o /dev/null "http://127.0.0.1:$port/ping" || { echo "rspamd did not start:"; tail "$dir/log/"*; exit 1; }

cpu_ticks() { # utime + stime of the rspamd main process and its workers
  local t=0 p
  for p in $pid $(pgrep -P "$pid"); do
    t=$((t + $(awk '{print $14 + $15}' "/proc/$p/stat")))
  done
  echo $t
}
hz=$(getconf CLK_TCK)
curl -s -o /dev/null --data-binary @"$dir/msg/1" "http://127.0.0.1:$port/checkv2" # warm-up
c0=$(cpu_ticks); t0=$(date +%s.%N)
for i in $(seq "$n"); do
  curl -s -o /dev/null --data-binary @"$dir/msg/$i" "http://127.0.0.1:$port/checkv2"
done
t1=$(date +%s.%N); c1=$(cpu_ticks)

# fangzha on the same messages, repeated until it runs long enough to time.
reps=$(( 200000 / n + 1 ))
for _ in $(seq $reps); do cat "$dir"/msg/*; done > "$dir/all.txt"
TIMEFORMAT='%U %S'
ft=$( { time "$@" "$dir/all.txt" > /dev/null 2>&1; } 2>&1 )
awk -v n="$n" -v c="$((c1 - c0))" -v hz="$hz" -v t0="$t0" -v t1="$t1" -v ft="$ft" \
    -v fn="$((n * reps))" 'BEGIN {
  split(ft, f, " "); fz = (f[1] + f[2]) / fn * 1e6;
  rs = c / hz / n * 1e6;
  printf "rspamd /checkv2: %d messages, %.0f requests/s, %.0f us server CPU per message\n", n, n / (t1 - t0), rs;
  printf "fangzha:         %d messages, %.2f us CPU per message\n", fn, fz;
  printf "ratio (rspamd CPU / fangzha CPU per message, one core): %.0fx\n", rs / fz }'
