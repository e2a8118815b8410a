#!/usr/bin/env bash
# The platform part of make demo: a fresh SQLite database seeded with the project's own sample
# data — accounts (their passwords are printed), residents' reports made from the team's seed
# corpus (data/seed/seed.tsv, its fraud rows), some of them confirmed by the analyst so their
# numbers, URLs and accounts become confirmed indicators, and a partner's suspected indicators
# from data/samples — then the server on 127.0.0.1:8080 in the foreground, with what to try.
# Usage: scripts/demo_platform.sh path/to/fangzha [DIR]
# DEMO_LISTEN=ADDR:PORT serves elsewhere; DEMO_SERVE=0 seeds and stops (a smoke test).
set -euo pipefail
fz=$1
root=$(cd "$(dirname "$0")/.." && pwd)
dir=${2:-$(dirname "$fz")/demo}
listen=${DEMO_LISTEN:-127.0.0.1:8080}
db=$dir/fangzha.db
mkdir -p "$dir"
rm -f "$db" "$db-wal" "$db-shm" "$dir/port"

# A password that passes the strength check: random, mixed classes.
password() { printf 'Fz-%s-9a' "$(head -c 12 /dev/urandom | base64 | tr -d '/+=')"; }
admin_pw=$(password) analyst_pw=$(password)
echo "$admin_pw" | "$fz" user add admin --role admin --org 区反诈中心 --create-org police --centre --db "$db" >/dev/null
echo "$analyst_pw" | "$fz" user add analyst --role analyst --org 区反诈中心 --db "$db" >/dev/null
key=$("$fz" apikey create --org 示例运营商 --create-org operator --role partner --name 短信网关 --db "$db")

# Seed through the API, as residents, partners and the analyst would.
"$fz" serve --db "$db" --listen 127.0.0.1:0 --ready-file "$dir/port" --rate-report 0 --rate-check 0 \
  2>"$dir/seed.log" &
pid=$!
trap 'kill "$pid" 2>/dev/null || true' EXIT
for _ in $(seq 1 600); do [ -s "$dir/port" ] && break; sleep 0.2; done
base=http://127.0.0.1:$(cat "$dir/port")/api/v1
post() { curl -s -H 'Content-Type: application/json' "$@"; }

n=0
awk -F'\t' 'NR > 1 && $1 != "ham" && $1 != "spam" && $1 != "fraud"' "$root/data/seed/seed.tsv" |
while IFS=$'\t' read -r type channel text; do
  n=$((n + 1))
  ch=$([ "$channel" = call ] && echo call || echo sms)
  # the number that contacted the reporter: 40 numbers, so some are reported more than once
  prefixes=(170 171 165 162 167 138)
  from=${prefixes[$((n % 6))]}$(printf '%08d' $(( (n % 40) * 2654435 % 100000000 )))
  jq -cn --arg t "$text" --arg ch "$ch" --argjson loss $(( (n * 7919 % 50) * 100000 )) \
    --argjson at $(( $(date +%s) * 1000 - n * 3600000 )) --arg from "$from" \
    '{channel: $ch, text: $t, loss_fen: $loss, occurred_ms: $at,
      indicators: [{kind: "phone", value: $from}]}' |
    post -d @- "$base/reports" >/dev/null
done
reports=$(awk -F'\t' 'NR > 1 && $1 != "ham" && $1 != "spam" && $1 != "fraud"' "$root/data/seed/seed.tsv" | wc -l)

curl -s -c "$dir/cookies" -o "$dir/login.json" -H 'Content-Type: application/json' \
  -d "{\"name\":\"analyst\",\"password\":\"$analyst_pw\"}" "$base/auth/login"
csrf=$(jq -r .csrf_token "$dir/login.json")
confirmed=0
for id in $(seq 1 4 "$reports"); do   # every fourth report: triaged and confirmed
  post -b "$dir/cookies" -H "X-CSRF-Token: $csrf" -d '{"version":1}' "$base/reports/$id/triage" >/dev/null
  post -b "$dir/cookies" -H "X-CSRF-Token: $csrf" -d '{"version":2}' "$base/reports/$id/confirm" |
    jq -e '.status == "confirmed"' >/dev/null && confirmed=$((confirmed + 1))
done
while read -r number; do
  [ -n "$number" ] || continue
  jq -cn --arg v "$number" '{kind: "phone", value: $v, note: "示例：合作方上报"}' |
    post -H "Authorization: Bearer $key" -d @- "$base/indicators" >/dev/null
done < <(head -n 5 "$root/data/samples/numbers.txt")
indicators=$(curl -s -b "$dir/cookies" "$base/indicators?limit=200" | jq '.items | length')
rm -f "$dir/cookies" "$dir/login.json"
kill "$pid"; wait "$pid" 2>/dev/null || true
trap - EXIT

cat <<EOT
数据库 database: $db
  $reports reports (举报) from the seed corpus, $confirmed confirmed by the analyst; $indicators indicators
账号 accounts (passwords made for this demo — keep them):
  admin    $admin_pw
  analyst  $analyst_pw
  partner API key: $key
EOT
[ "${DEMO_SERVE:-1}" = 0 ] && exit 0

url=http://$listen/api/v1
cat <<EOT

Serving on http://$listen (Ctrl-C stops).
  门户 portal (residents):  http://$listen/
  控制台 console (staff):   http://$listen/console/   — log in as analyst or admin (passwords above)
Try, in another terminal:
  curl -s '$url/check/number?n=17012345678'
  curl -s -H 'Content-Type: application/json' -d '{"text":"您的账户涉嫌洗钱，请将资金转入安全账户"}' $url/check/text
  curl -s -H 'Authorization: Bearer $key' '$url/indicators?status=confirmed&limit=5'
  curl -s -H 'Content-Type: application/json' -d '{"channel":"sms","text":"有人冒充客服要我退款，电话17012345678"}' $url/reports
  curl -s -c /tmp/fz.cookies -H 'Content-Type: application/json' -d '{"name":"analyst","password":"$analyst_pw"}' $url/auth/login
  curl -s -b /tmp/fz.cookies '$url/reports?status=new&limit=3'
  curl -s http://$listen/metrics | head
API: docs/api.md
EOT
exec "$fz" serve --db "$db" --listen "$listen"
