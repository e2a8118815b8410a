#!/usr/bin/env bash
# make demo: runs the batch tools on the project's own samples (data/samples) and prints what
# they find in a form a person can read; then seeds a database and serves the HTTP API on
# 127.0.0.1:8080 (scripts/demo_platform.sh; DEMO_SERVE=0 stops after seeding).
# Usage: scripts/demo.sh path/to/fangzha
set -euo pipefail
fz=$1
root=$(cd "$(dirname "$0")/.." && pwd)
s=$root/data/samples

section() { printf '\n\033[1m== %s ==\033[0m\n' "$*"; }

section "信息研判 screening messages (fangzha scan: shipped rules + a model of the team's seed corpus)"
model=$(dirname "$fz")/seed.model
if [ ! -s "$model" ] || [ "$root/data/seed/seed.tsv" -nt "$model" ]; then
  echo "(training $model on data/seed/seed.tsv, a few seconds; make model trains on the datasets)"
  "$fz" train --data "$root/data/seed/seed.tsv" --out "$model" > /dev/null
fi
"$fz" scan --model "$model" --format text "$s/sms.txt"

section "号码研判 phone numbers (fangzha check number)"
"$fz" check number --format text - < "$s/numbers.txt"

section "网址研判 URLs (fangzha check url)"
"$fz" check url --format text - < "$s/urls.txt"

section "要素提取 entities in messages (fangzha extract)"
"$fz" extract --format text "$s/sms.txt"

section "归一化 what the engines see (fangzha normalize), first 6 messages"
head -n 6 "$s/sms.txt" | "$fz" normalize --format text -

printf '\nVerdicts as JSON (what partners integrate): %s scan --model %s %s\n' "$fz" "$model" "$s/sms.txt"
printf 'JSON Lines for tools: add nothing (JSON is the default), e.g.\n  %s extract %s\n' "$fz" "$s/sms.txt"

section "平台 the platform server: a seeded database, then the HTTP API (Ctrl-C stops it)"
"$root/scripts/demo_platform.sh" "$fz"
