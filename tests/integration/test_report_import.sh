#!/usr/bin/env bash
# fangzha report import: reports with their history, each step at its own time — the reports,
# the audit log and the indicator history carry the times of the file, so the dashboard counts
# them on their days; a bad row imports nothing; the audit chain stays intact.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/lib_server.sh"
DB=$TMP/fz.db
echo 'Centre-Admin-Pass-2026' | "$FZ" user add boss --role admin --org 区反诈中心 --create-org police --centre --db "$DB" >/dev/null

expect_code 0 "$FZ" report --help
expect_grep "received_ms" "$TMP/out"
expect_code 2 "$FZ" report import
expect_grep "--db PATH is required" "$TMP/err"
expect_code 2 "$FZ" report frobnicate --db "$DB"

# Times: whole days before today's 12:00 Beijing time, so every step falls on a known day.
day=86400000
noon=$(( ($(date +%s) * 1000 + 28800000) / day * day - 28800000 + 4 * 3600000 ))
[ "$noon" -le "$(( $(date +%s) * 1000 ))" ] || noon=$((noon - day))
at() { echo $((noon - $1 * day + ${2:-0} * 60000)); }   # at DAYS_AGO [MINUTES_AFTER]
tsv=$TMP/in.tsv
printf 'received_ms\tchannel\ttext\tloss_fen\tindicators\ttriaged_ms\toutcome\tdecided_ms\treason\tinto\n' >"$tsv"
row() { local IFS=$'\t'; echo "$*" >>"$tsv"; }
row "$(at 20)" sms '您的账户涉嫌洗钱，请将资金转入安全账户，联系 17012345678' 500000 'phone:170-1234-5679' "$(at 20 30)" confirmed "$(at 19)" '' ''
row "$(at 12)" call '自称客服说可以退款' 0 '' "$(at 12 10)" rejected "$(at 12 20)" '不构成诈骗' ''
row "$(at 6)" sms '您的账户涉嫌洗钱，请将资金转入安全账户，联系 17012345678' 0 '' '' duplicate "$(at 6 1)" '' 1
row "$(at 1)" chat '刷单返利，先垫付再返还' '' '' "$(at 1 90)" '' '' '' ''
expect_code 0 "$FZ" report import --db "$DB" --no-rules "$tsv"
[ "$(jq -c . "$TMP/out")" = '{"reports":4,"triaged":3,"confirmed":1,"rejected":1,"duplicates":1}' ] &&
  ok || fail "import summary: $(cat "$TMP/out")"
expect_code 0 "$FZ" audit verify --db "$DB"

# bad rows: each refused with its line, and nothing of the file is written
bad() { # bad WHAT LINE...: a file of a good row and LINE must exit 2 naming WHAT
  local what=$1; shift
  { head -n 2 "$tsv"; printf '%s\n' "$@"; } >"$TMP/bad.tsv"
  expect_code 2 "$FZ" report import --db "$DB" --no-rules "$TMP/bad.tsv"
  expect_grep "line 3: '$what'" "$TMP/err"
}
t=$(at 3)
bad received_ms "$(printf '%s\tsms\tx\t\t\t\t\t\t\t' $(( $(date +%s) * 1000 + day )))"
bad channel "$(printf '%s\tfax\tx\t\t\t\t\t\t\t' "$t")"
bad text "$(printf '%s\tsms\t\t\t\t\t\t\t\t' "$t")"
bad indicators "$(printf '%s\tsms\tx\t\tphone:12\t\t\t\t\t' "$t")"
bad indicators "$(printf '%s\tsms\tx\t\tnumber:17012345678\t\t\t\t\t' "$t")"
bad triaged_ms "$(printf '%s\tsms\tx\t\t\t%s\t\t\t\t' "$t" $((t - 1)))"
bad triaged_ms "$(printf '%s\tsms\tx\t\t\t\tconfirmed\t%s\t\t' "$t" "$t")"
bad decided_ms "$(printf '%s\tsms\tx\t\t\t%s\tconfirmed\t\t\t' "$t" "$t")"
bad outcome "$(printf '%s\tsms\tx\t\t\t%s\ttriaged\t%s\t\t' "$t" "$t" "$t")"
bad reason "$(printf '%s\tsms\tx\t\t\t%s\trejected\t%s\t\t' "$t" "$t" "$t")"
bad into "$(printf '%s\tsms\tx\t\t\t\tduplicate\t%s\t\t2' "$t" "$t")"
printf 'channel\ttext\nsms\tx\n' >"$TMP/bad.tsv"
expect_code 2 "$FZ" report import --db "$DB" --no-rules "$TMP/bad.tsv"
expect_grep "needs received_ms, channel and text" "$TMP/err"

# what the server makes of it
start_server --no-rules || exit 1
curl -s -c "$TMP/jar" -o "$TMP/login" -H 'Content-Type: application/json' \
  -d '{"name":"boss","password":"Centre-Admin-Pass-2026"}' "$BASE/api/v1/auth/login"
expect_status 200 GET '/api/v1/reports?limit=10' '' -b "$TMP/jar"
expect_jq '[.items[].status] == ["confirmed", "rejected", "duplicate", "triaged"]' "imported statuses"
expect_jq '.items | length == 4' "a bad file imported nothing"
expect_jq '[.items[].source] | unique == ["cli"]'
expect_jq '.items[0].verdict_label != null and .items[0].loss_fen == 500000'
expect_jq '.items[1].status_reason == "不构成诈骗" and .items[2].duplicate_of == 1'
# the days of the reports, the time to triage and the confirmed indicators come from the file
beijing() { date -u -d "@$(( ($1 + 28800000) / 1000 ))" +%F; }
expect_status 200 GET "/api/v1/stats/dashboard?since_ms=$(at 30)&until_ms=$(( $(date +%s) * 1000 + 1 ))" '' -b "$TMP/jar"
expect_jq "[.per_day[].day] == [\"$(beijing "$(at 20)")\", \"$(beijing "$(at 12)")\", \"$(beijing "$(at 6)")\", \"$(beijing "$(at 1)")\"]" "per-day counts on the file's days"
expect_jq '.reports == 4 and .median_triage_s == 1800' "triage delays of 10, 30 and 90 minutes"
expect_jq '.indicators_confirmed == 2'
expect_status 200 GET "/api/v1/stats/dashboard?since_ms=$(at 18)&until_ms=$(( $(date +%s) * 1000 + 1 ))" '' -b "$TMP/jar"
expect_jq '.reports == 3 and .indicators_confirmed == 0' "confirmed 19 days ago: not in the last 18"
expect_status 200 GET '/api/v1/indicators?kind=phone&value=17012345679' '' -b "$TMP/jar"
expect_jq '.items[0].status == "confirmed"'
expect_status 200 GET "/api/v1/indicators/$(jq .items[0].id "$TMP/body")/history" '' -b "$TMP/jar"
expect_jq "[.items[] | select(.to == \"confirmed\")][0].at == \"$(date -u -d "@$(( $(at 19) / 1000 ))" +%FT%T).000Z\"" "history at the decision's time"
expect_status 200 GET '/api/v1/check/number?n=17012345679'
expect_jq '.action == "block"'
stop_server
finish
