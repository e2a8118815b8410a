#!/usr/bin/env bash
# fangzha serve: rewards for good tips (有奖举报) — proposal, four eyes, budget, payment, ledger.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/lib_server.sh"
DB=$TMP/fz.db
echo 'Centre-Admin-Pass-2026' | "$FZ" user add boss --role admin --org 区反诈中心 --create-org police --centre --db "$DB" >/dev/null
for u in wang liu; do echo 'Reviewer#Strong-2026' | "$FZ" user add $u --role analyst --org 区反诈中心 --db "$DB" >/dev/null; done
echo 'Auditor#Strong-2026' | "$FZ" user add zhao --role auditor --org 区反诈中心 --db "$DB" >/dev/null
start_server --no-rules || exit 1

declare -A TOK
login() {
  curl -s -c "$TMP/$1.jar" -o "$TMP/login" -H 'Content-Type: application/json' \
    -d "{\"name\":\"$1\",\"password\":\"$2\"}" "$BASE/api/v1/auth/login"
  TOK[$1]=$(jq -r .csrf_token "$TMP/login")
}
# as USER WANT METHOD PATH [BODY]: expect_status with USER's session and CSRF token
as() {
  local u=$1 want=$2 method=$3 path=$4 body=${5-}
  expect_status "$want" "$method" "$path" "$body" -b "$TMP/$u.jar" -H "X-CSRF-Token: ${TOK[$u]}"
}
login boss Centre-Admin-Pass-2026; login wang Reviewer#Strong-2026; login liu Reviewer#Strong-2026
login zhao Auditor#Strong-2026

# a confirmed report with a loss of 20,000 yuan and one indicator
api POST /api/v1/reports '{"channel":"call","text":"冒充公安，让我转账","loss_fen":2000000,"contact_name":"王五","indicators":[{"kind":"phone","value":"17012345678"}]}' >/dev/null
as wang 409 POST /api/v1/reports/1/reward '{}'  # not confirmed yet
as wang 200 POST /api/v1/reports/1/triage '{"version":1}'
as wang 200 POST /api/v1/reports/1/confirm '{"version":2}'

# by rule: 200 + 300 (loss >= 10,000 yuan) + 100 (one confirmed indicator) = 600 yuan
as wang 201 POST /api/v1/reports/1/reward '{}'
expect_jq '.status == "proposed" and .amount_fen == 60000 and .by_rule == true'
as boss 403 POST /api/v1/reports/1/reward '{}'          # admins do not propose
as wang 409 POST /api/v1/reports/1/reward '{}'          # one active reward
as wang 403 POST /api/v1/rewards/1/approve '{"version":1}'  # not the proposer
expect_jq '.error.message | contains("proposer")'
as liu 409 POST /api/v1/rewards/1/approve '{"version":1}'   # no budget yet
expect_jq '.error.message | contains("no reward budget")'
as boss 200 GET /api/v1/rewards/budget ""
YEAR=$(jq -r .year "$TMP/body")
as boss 200 PUT "/api/v1/rewards/budget/$YEAR" '{"amount_fen":50000}'
expect_jq '.budget_fen == 50000 and .left_fen == 50000'
as liu 409 POST /api/v1/rewards/1/approve '{"version":1}'   # over budget
expect_jq '.error.message | contains("500.00 yuan")'
as wang 403 PUT "/api/v1/rewards/budget/$YEAR" '{"amount_fen":5000000}'
as boss 422 PUT /api/v1/rewards/budget/1900 '{"amount_fen":5000000}'
as boss 200 PUT "/api/v1/rewards/budget/$YEAR" '{"amount_fen":5000000}'
as liu 200 POST /api/v1/rewards/1/approve '{"version":1}'
expect_jq '.status == "approved" and .version == 2'
as boss 409 POST /api/v1/rewards/1/pay '{"version":1,"payment_ref":"PAY-2026-0001"}'
as liu 403 POST /api/v1/rewards/1/pay '{"version":2,"payment_ref":"PAY-2026-0001"}'
as boss 422 POST /api/v1/rewards/1/pay '{"version":2,"payment_ref":"13800138000"}'
as boss 200 POST /api/v1/rewards/1/pay '{"version":2,"payment_ref":"PAY-2026-0001"}'
expect_jq '.status == "paid" and .payment_ref == "PAY-2026-0001"'
as zhao 200 GET "/api/v1/rewards/budget?year=$YEAR" ""
expect_jq '.paid_fen == 60000 and .left_fen == 4940000'
as zhao 200 GET '/api/v1/rewards?status=paid' ""
expect_jq '(.items | length) == 1'

# a second report's reward is proposed by hand, then cancelled with a reason
api POST /api/v1/reports '{"channel":"sms","text":"刷单返利，先垫付后返佣","loss_fen":100}' >/dev/null
as wang 200 POST /api/v1/reports/2/triage '{"version":1}'
as wang 200 POST /api/v1/reports/2/confirm '{"version":2}'
as wang 422 POST /api/v1/reports/2/reward '{"amount_fen":50000}'            # by hand needs a basis
as wang 422 POST /api/v1/reports/2/reward '{"amount_fen":20000000,"basis":"x"}'  # over the cap
as wang 201 POST /api/v1/reports/2/reward '{"amount_fen":50000,"basis":"线索完整，协助破案"}'
expect_jq '.by_rule == false and .amount_fen == 50000'
as liu 422 POST /api/v1/rewards/2/cancel '{"version":1}'
as liu 200 POST /api/v1/rewards/2/cancel '{"version":1,"reason":"举报人撤回"}'
expect_jq '.status == "cancelled" and .cancel_reason == "举报人撤回"'

# the ledger as CSV, for the auditor; the reporter's name is nowhere in it
got=$(curl -s -D "$TMP/h" -o "$TMP/ledger.csv" -w '%{http_code}' -b "$TMP/zhao.jar" "$BASE/api/v1/rewards/ledger.csv?year=$YEAR")
[ "$got" = 200 ] && ok || fail "ledger: $got"
expect_grep "Content-Type: text/csv; charset=utf-8" "$TMP/h"
expect_grep "id,at,org_id,reward_id,report_id,action,amount_fen,amount_yuan,actor,reference" "$TMP/ledger.csv"
expect_grep ",proposed,60000,600.00," "$TMP/ledger.csv"
expect_grep ",paid,60000,600.00," "$TMP/ledger.csv"
expect_grep "PAY-2026-0001" "$TMP/ledger.csv"
expect_grep ",cancelled,50000,500.00," "$TMP/ledger.csv"
expect_nogrep "王五" "$TMP/ledger.csv" "ledger"
[ "$(grep -c $'\r$' "$TMP/ledger.csv")" -ge 5 ] && ok || fail "ledger rows end in CRLF"
as wang 403 GET /api/v1/rewards/ledger.csv ""

# the same ledger as an Excel workbook: a real .xlsx whose sheet holds the rows
got=$(curl -s -D "$TMP/hx" -o "$TMP/ledger.xlsx" -w '%{http_code}' -b "$TMP/zhao.jar" "$BASE/api/v1/rewards/ledger.xlsx?year=$YEAR")
[ "$got" = 200 ] && ok || fail "ledger.xlsx: $got"
expect_grep "spreadsheetml.sheet" "$TMP/hx"
expect_grep "filename=\"ledger-$YEAR.xlsx\"" "$TMP/hx"
unzip -p "$TMP/ledger.xlsx" xl/sharedStrings.xml >"$TMP/strings.xml" 2>/dev/null
expect_grep "PAY-2026-0001" "$TMP/strings.xml" "the workbook's strings"
expect_grep "线索完整，协助破案" "$TMP/strings.xml" "the workbook's strings"
expect_nogrep "王五" "$TMP/strings.xml" "the workbook"
unzip -p "$TMP/ledger.xlsx" xl/worksheets/sheet1.xml >"$TMP/sheet.xml" 2>/dev/null
expect_grep "<v>600</v>" "$TMP/sheet.xml" "the sheet (600 yuan as a number)"
stop_server
finish
