#!/usr/bin/env bash
# fangzha serve: accounts, reports from intake to confirmation, indicators and the live index,
# personal data masking and reveal, audit — over real HTTP.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/lib_server.sh"
DB=$TMP/fz.db

# accounts from the command line
echo 'Centre-Admin-Pass-2026' | expect_code 0 "$FZ" user add boss --role admin --org 区反诈中心 --create-org police --centre --db "$DB"
echo 'Reviewer#Strong-2026' | expect_code 0 "$FZ" user add wang --role analyst --org 区反诈中心 --db "$DB"
echo 'Officer#Strong-2026' | expect_code 0 "$FZ" user add li --role officer --org 城东派出所 --create-org police --db "$DB"
echo 'Auditor#Strong-2026' | expect_code 0 "$FZ" user add zhao --role auditor --org 区反诈中心 --db "$DB"
echo 'short' | expect_code 2 "$FZ" user add weak --role analyst --org 区反诈中心 --db "$DB"
expect_grep "at least 12 characters" "$TMP/err"
echo 'Another#Strong-2026' | expect_code 2 "$FZ" user add wang --role analyst --org 区反诈中心 --db "$DB"
echo 'Another#Strong-2026' | expect_code 2 "$FZ" user add x --role chief --org 区反诈中心 --db "$DB"
echo 'Another#Strong-2026' | expect_code 2 "$FZ" user add x --role analyst --org 不存在 --db "$DB"
expect_code 0 "$FZ" apikey create --org 某运营商 --create-org operator --role partner --db "$DB"
KEY=$(cat "$TMP/out")
case $KEY in fzk_*) ok ;; *) fail "api key format: $KEY" ;; esac
if sqlite3 "$DB" "select * from api_keys" | grep -qF "${KEY##*_}"; then fail "the key's secret is stored"; else ok; fi
if sqlite3 "$DB" "select * from users" | grep -qF "Reviewer#Strong"; then fail "a password is stored"; else ok; fi

start_server --rules "$ROOT/rules" --rate-check 0 || exit 1

# a resident reports; the report is screened and its indicators extracted
TEXT='刚才有人冒充公安说我涉嫌洗钱，让我把钱转到安全账户，电话17012345678，网址 http://gaj-verify.top/a'
expect_status 201 POST /api/v1/reports "{\"channel\":\"sms\",\"text\":\"$TEXT\",\"loss_fen\":500000,\"contact_name\":\"张三\",\"contact_phone\":\"13800138000\",\"indicators\":[{\"kind\":\"bank_account\",\"value\":\"6222 0212 3456 7890 123\"}]}"
expect_jq '.id == 1 and (.tracking_code | test("^[A-Z0-9]{12}$"))'
CODE=$(jq -r .tracking_code "$TMP/body")
expect_status 200 GET "/api/v1/reports/track/$CODE"
expect_jq '.status == "new" and (has("text") | not) and (has("contact_name") | not)'
expect_status 404 GET /api/v1/reports/track/NOSUCHCODE00
# bad reports
expect_status 422 POST /api/v1/reports '{"channel":"pigeon","text":"x"}'
expect_jq '.error.field == "channel"'
expect_status 422 POST /api/v1/reports '{"channel":"sms"}'
expect_jq '.error.field == "text"'
expect_status 422 POST /api/v1/reports '{"channel":"sms","text":"x","loss_fen":-5}'
expect_jq '.error.field == "loss_fen"'
expect_status 422 POST /api/v1/reports '{"channel":"sms","text":"x","loss_fen":1.5}'
expect_status 422 POST /api/v1/reports '{"channel":"sms","text":"x","indicators":[{"kind":"phone","value":"12"}]}'
expect_jq '.error.field == "indicators"'
# staff only from here: no credentials → 401; a bad key → 401
expect_status 401 GET /api/v1/reports
expect_status 401 GET /api/v1/reports "" -H "Authorization: Bearer fzk_nope_nope"

# the analyst logs in: cookie flags, CSRF on writes
got=$(curl -s -c "$TMP/cj" -D "$TMP/h" -o "$TMP/body" -w '%{http_code}' -H 'Content-Type: application/json' \
  -d '{"name":"wang","password":"Reviewer#Strong-2026"}' "$BASE/api/v1/auth/login")
[ "$got" = 200 ] && ok || fail "login: $got"
expect_grep "HttpOnly; SameSite=Strict" "$TMP/h"
CSRF=$(jq -r .csrf_token "$TMP/body")
expect_status 401 POST /api/v1/auth/login '{"name":"wang","password":"wrong-password-123"}'
expect_jq '.error.code == "unauthenticated"'
A=(-b "$TMP/cj")
W=(-b "$TMP/cj" -H "X-CSRF-Token: $CSRF")
expect_status 200 GET /api/v1/auth/me "" "${A[@]}"
expect_jq '.name == "wang" and .role == "analyst" and .all_orgs == true'
expect_status 200 GET '/api/v1/reports?status=new' "" "${A[@]}"
expect_jq '(.items | length) == 1 and .items[0].contact_phone == "138****8000" and .items[0].contact_name == "张*"'
expect_jq '.items[0].verdict_label == "fraud" and .items[0].fraud_type == "impersonate_authority"'
expect_status 200 GET /api/v1/reports/1 "" "${A[@]}"
expect_jq '[.indicators[].kind] | sort == ["bank_account","phone","url"]'
expect_status 422 GET '/api/v1/reports?status=lost' "" "${A[@]}"
expect_jq '.error.field == "status"'
# the contact is revealed only on request, and the reveal is audited
expect_status 403 POST /api/v1/reports/1/reveal "" "${A[@]}"
expect_jq '.error.code == "csrf"'
expect_status 200 POST /api/v1/reports/1/reveal "" "${W[@]}"
expect_jq '.contact_phone == "13800138000" and .contact_revealed == true'

# workflow: stale versions conflict, confirm lists the indicators, /check follows at once
expect_status 200 GET '/api/v1/check/number?n=17012345678'
expect_jq '.action == "allow"'
expect_status 200 POST /api/v1/reports/1/triage '{"version":1}' "${W[@]}"
expect_jq '.status == "triaged" and .version == 2'
expect_status 409 POST /api/v1/reports/1/triage '{"version":1}' "${W[@]}"
expect_status 422 POST /api/v1/reports/1/reject '{"version":2}' "${W[@]}"
expect_jq '.error.field == "reason"'
expect_status 200 POST /api/v1/reports/1/confirm '{"version":2,"tlp":"green"}' "${W[@]}"
expect_jq '(.indicators | length) == 3'
expect_status 200 GET '/api/v1/check/number?n=%2B86%20170%201234%205678'
expect_jq '.action == "block" and .indicator.status == "confirmed"'
expect_status 200 POST /api/v1/check/text '{"text":"有事回电 170-1234-5678"}'
expect_jq '.action == "block" and ([.reasons[] | select(.signal == "intel.confirmed")] | length) == 1'
expect_status 200 GET '/api/v1/check/url?u=gaj-verify.top/a'
expect_jq '.action == "block"'
expect_status 200 GET '/api/v1/check/account?a=6222021234567890123'
expect_jq '.action == "block"'
expect_status 200 GET "/api/v1/reports/track/$CODE"
expect_jq '.status == "confirmed"'

# a resent report is linked to the first as a duplicate, and an officer of the centre merges it
expect_status 201 POST /api/v1/reports "{\"channel\":\"sms\",\"text\":\"$TEXT\"}"
DUP=$(jq -r .id "$TMP/body")
expect_status 200 GET "/api/v1/reports/$DUP" "" "${A[@]}"
expect_jq '.duplicate_of == 1'
expect_status 422 POST "/api/v1/reports/$DUP/merge" '{"version":1,"into":'"$DUP"'}' "${W[@]}"
expect_jq '.error.field == "into"'
expect_status 404 POST "/api/v1/reports/$DUP/merge" '{"version":1,"into":999}' "${W[@]}"
expect_status 200 POST "/api/v1/reports/$DUP/merge" '{"version":1,"into":1}' "${W[@]}"
expect_jq '.status == "duplicate"'
expect_status 200 GET '/api/v1/reports?status=duplicate' "" "${A[@]}"
expect_jq '(.items | length) == 1'

# indicators: search normalized, partner adds a suspected one, analyst clears with a reason
expect_status 200 GET '/api/v1/indicators?kind=phone&value=170-1234-5678' "" "${A[@]}"
expect_jq '(.items | length) == 1 and .items[0].status == "confirmed"'
ID=$(jq -r '.items[0].id' "$TMP/body")
K=(-H "Authorization: Bearer $KEY")
expect_status 201 POST /api/v1/indicators '{"kind":"domain","value":"Pay-Verify.TOP","fraud_type":"phishing"}' "${K[@]}"
expect_jq '.value == "pay-verify.top" and .status == "suspected"'
expect_status 200 POST /api/v1/check/text '{"text":"请访问 http://www.pay-verify.top/x 认证"}'
expect_jq '([.reasons[] | select(.signal == "intel.suspected")] | length) == 1'
expect_status 403 PATCH "/api/v1/indicators/$ID" '{"status":"cleared","reason":"x"}' "${K[@]}"
expect_status 422 PATCH "/api/v1/indicators/$ID" '{"status":"cleared"}' "${W[@]}"
expect_status 200 PATCH "/api/v1/indicators/$ID" '{"status":"cleared","reason":"号码已回收，申诉成立"}' "${W[@]}"
expect_jq '.status == "cleared" and .cleared_reason == "号码已回收，申诉成立"'
expect_status 200 GET '/api/v1/check/number?n=17012345678'
expect_jq '.action == "allow" and .indicator.status == "cleared"'
expect_status 200 GET "/api/v1/indicators/$ID/history" "" "${A[@]}"
expect_jq '[.items[].reason] | index("号码已回收，申诉成立") != null'
expect_status 201 POST "/api/v1/indicators/$ID/sightings" '{"channel":"sms","count":3}' "${K[@]}"
expect_status 422 POST /api/v1/indicators '{"kind":"imei","value":"123"}' "${K[@]}"
expect_jq '.error.field == "value"'

# roles: the officer of another station sees nothing of the centre's report; the auditor reads
# the audit log, which holds the reveal; nobody else does
got=$(curl -s -c "$TMP/cj2" -o "$TMP/body" -w '%{http_code}' -H 'Content-Type: application/json' \
  -d '{"name":"li","password":"Officer#Strong-2026"}' "$BASE/api/v1/auth/login")
expect_status 404 GET /api/v1/reports/1 "" -b "$TMP/cj2"
expect_status 403 GET /api/v1/audit "" "${A[@]}"
curl -s -c "$TMP/cj3" -o /dev/null -H 'Content-Type: application/json' \
  -d '{"name":"zhao","password":"Auditor#Strong-2026"}' "$BASE/api/v1/auth/login"
expect_status 200 GET '/api/v1/audit?action=report.reveal' "" -b "$TMP/cj3"
expect_jq '(.items | length) == 1 and .items[0].object_id == 1 and .items[0].actor_kind == "user"'
expect_status 200 GET '/api/v1/audit?limit=200' "" -b "$TMP/cj3"
expect_nogrep '13800138000' "$TMP/body" "audit log"
expect_nogrep '13800138000' "$TMP/server.log" "server log"
expect_nogrep '张三' "$TMP/server.log" "server log"

# the dashboard's aggregates, counted in the store
expect_status 200 GET /api/v1/stats/dashboard "" "${A[@]}"
expect_jq '.reports >= 2 and (.per_day | length) >= 1 and .median_triage_s != null'
expect_jq '[.top_values[] | select(.value == "+8617012345678")] | length == 1'
expect_jq '[.verdicts[] | select(.label == "fraud")] | length >= 1'
expect_jq '.indicators_confirmed >= 3'
expect_status 422 GET '/api/v1/stats/dashboard?since_ms=5&until_ms=4' "" "${A[@]}"
expect_jq '.error.field == "since_ms"'
expect_status 403 GET /api/v1/stats/dashboard "" "${K[@]}"

# logout ends the session
expect_status 200 POST /api/v1/auth/logout "" "${W[@]}"
expect_status 401 GET /api/v1/auth/me "" "${A[@]}"
stop_server
finish
