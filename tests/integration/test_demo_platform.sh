#!/usr/bin/env bash
# make demo's platform part seeds a database through the API (DEMO_SERVE=0: no server left):
# its summary, then the seeded database served again and read back through the API — reports
# in every status, this year's budget with rewards approved and one paid, three published cases.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/lib_server.sh"
DEMO_SERVE=0 expect_code 0 bash "$ROOT/scripts/demo_platform.sh" "$FZ" "$TMP/demo"
cp "$TMP/out" "$TMP/summary"
expect_grep "confirmed by the analyst" "$TMP/summary"
expect_grep "partner API key: fzk_" "$TMP/summary"
expect_grep "http://127.0.0.1:8080/console/" "$TMP/summary"
expect_grep "http://127.0.0.1:8080/" "$TMP/summary"
expect_grep "PAY-DEMO-0001" "$TMP/summary"
# num PATTERN: the number in front of PATTERN in the summary
num() { grep -oE "[0-9]+ $1" "$TMP/summary" | head -n 1 | grep -oE '^[0-9]+'; }
atleast() { [ "${2:-0}" -ge "$3" ] && ok || fail "demo: ${2:-0} $1, want >= $3"; }
n=$(grep -oE '^  [0-9]+ reports' "$TMP/summary" | grep -oE '[0-9]+')
atleast reports "$n" 100
atleast indicators "$(num indicators)" 20
atleast rejected "$(num 'rejected with a reason')" 5
atleast merged "$(num 'merged as duplicates')" 5
atleast rewards "$(num 'rewards')" 2
atleast approved "$(num 'approved by a second analyst')" 2
[ "$(num 'typical cases')" = 3 ] && ok || fail "demo published $(num 'typical cases') cases, want 3"
[ -s "$TMP/demo/fangzha.db" ] && ok || fail "no demo database"
pw() { awk -v who="$1" '$1 == who { print $2; exit }' "$TMP/summary"; }
for who in admin analyst analyst2; do [ -n "$(pw $who)" ] && ok || fail "no password printed for $who"; done

# The seeded database, read back through the API.
DB=$TMP/demo/fangzha.db start_server || exit 1
api GET /api/v1/cases/public >/dev/null
[ "$(jq '.items | length' "$TMP/body")" = 3 ] && ok || fail "public cases: $(head -c 300 "$TMP/body")"
jq -cn --arg p "$(pw admin)" '{name: "admin", password: $p}' >"$TMP/login.json"
curl -s -c "$TMP/cookies" -o /dev/null -H 'Content-Type: application/json' -d @"$TMP/login.json" \
  "$BASE/api/v1/auth/login"
api GET '/api/v1/rewards?limit=200' '' -b "$TMP/cookies" >/dev/null
atleast "rewards (API)" "$(jq '.items | length' "$TMP/body")" 2
atleast "approved or paid rewards (API)" "$(jq '[.items[] | select(.status == "approved" or .status == "paid")] | length' "$TMP/body")" 2
[ "$(jq -r '[.items[] | select(.status == "paid")][0].payment_ref' "$TMP/body")" = PAY-DEMO-0001 ] &&
  ok || fail "no reward paid with PAY-DEMO-0001"
api GET /api/v1/rewards/budget '' -b "$TMP/cookies" >/dev/null
[ "$(jq '.set and .budget_fen > 0 and .left_fen < .budget_fen' "$TMP/body")" = true ] &&
  ok || fail "budget: $(cat "$TMP/body")"
api GET /api/v1/stats/dashboard '' -b "$TMP/cookies" >/dev/null
for s in new triaged confirmed rejected duplicate; do
  atleast "$s reports (dashboard)" "$(jq --arg s "$s" '[.by_status[] | select(.status == $s) | .n] | add // 0' "$TMP/body")" 1
done
atleast "verdict rows (dashboard)" "$(jq '.verdicts | length' "$TMP/body")" 2
atleast "top values (dashboard)" "$(jq '.top_values | length' "$TMP/body")" 5
atleast "indicators confirmed (dashboard)" "$(jq '.indicators_confirmed' "$TMP/body")" 1
[ "$(jq '.median_triage_s != null' "$TMP/body")" = true ] && ok || fail "no median triage time"
# the reports are spread over the last 30 days (imported with their times), not all made today
atleast "days with reports (dashboard)" "$(jq '[.per_day[].day] | unique | length' "$TMP/body")" 25
atleast "reports on the busiest day" "$(jq '[.per_day | group_by(.day)[] | map(.n) | add] | max' "$TMP/body")" 12
[ "$(jq '.median_triage_s > 600 and .median_triage_s < 86400' "$TMP/body")" = true ] && ok ||
  fail "median triage $(jq .median_triage_s "$TMP/body") s, want minutes to hours"
stop_server
finish
