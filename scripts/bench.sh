#!/usr/bin/env bash
# make bench: generates the SMS corpus deterministically, runs the in-process benchmarks, then
# times `fangzha extract` end to end from a file to a file, against `cat` of the same file as
# the baseline in the same run.
# Usage: scripts/bench.sh BUILD_DIR [MESSAGES]
set -euo pipefail
build=$1 count=${2:-200000}
out=$build/bench
mkdir -p "$out"
corpus=$out/sms-$count.txt
[ -s "$corpus" ] || "$out/gen_sms" "$count" 1 > "$corpus"

echo "== signals (library, one core) =="
"$out/bench_signals" "$corpus"

echo "== fangzha extract end to end (file to file, one core) =="
best() { # runs "$@" 3 times, prints the best wall time in seconds
  local best=999999 t0 t1
  for _ in 1 2 3; do
    t0=$(date +%s.%N); "$@"; t1=$(date +%s.%N)
    best=$(awk -v a="$t0" -v b="$t1" -v m="$best" 'BEGIN { t = b - a; print (t < m ? t : m) }')
  done
  echo "$best"
}
lines=$(wc -l < "$corpus")
tb=$(best sh -c "cat '$corpus' > '$out/cat.out'")
te=$(best sh -c "'$build/fangzha' extract '$corpus' > '$out/extract.jsonl'")
awk -v n="$lines" -v te="$te" -v tb="$tb" 'BEGIN {
  printf "fangzha extract: %d lines in %.3f s = %.0f lines/s (target >= 150000); cat baseline %.3f s\n", n, te, n / te, tb }'

echo "== fangzha scan end to end (shipped rules, no model; file to file) =="
ts=$(best sh -c "'$build/fangzha' scan /dev/null > /dev/null")
t1=$(best sh -c "'$build/fangzha' scan '$corpus' > '$out/scan.jsonl'")
t2=$(best sh -c "'$build/fangzha' scan -j 2 '$corpus' > '$out/scan2.jsonl'")
awk -v n="$lines" -v ts="$ts" -v t1="$t1" -v t2="$t2" 'BEGIN {
  printf "startup (load and compile the rules): %.3f s\n", ts
  printf "scan -j 1: %.0f lines/s after startup (%.3f s in all)\n", n / (t1 - ts), t1
  printf "scan -j 2: %.0f lines/s after startup (%.3f s in all; %.2fx of -j 1)\n", n / (t2 - ts), t2, (t1 - ts) / (t2 - ts) }'

echo "== side by side with Rspamd (server CPU per message; skipped when rspamd is absent) =="
RSPAMD_MESSAGES=${RSPAMD_MESSAGES:-500} bench/rspamd.sh "$build/fangzha" scan < "$corpus"
