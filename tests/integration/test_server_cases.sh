#!/usr/bin/env bash
# fangzha serve: typical cases (典型案例) — write, edit, publish, withdraw; the anonymisation
# refusal; HTML kept verbatim as a JSON string; roles; the public list for anyone.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/lib_server.sh"
DB=$TMP/fz.db
echo 'Centre-Admin-Pass-2026' | "$FZ" user add boss --role admin --org 区反诈中心 --create-org police --centre --db "$DB" >/dev/null
echo 'Reviewer#Strong-2026' | "$FZ" user add wang --role analyst --org 区反诈中心 --db "$DB" >/dev/null
echo 'Officer#Strong-2026' | "$FZ" user add li --role officer --org 区反诈中心 --db "$DB" >/dev/null
echo 'Auditor#Strong-2026' | "$FZ" user add zhao --role auditor --org 区反诈中心 --db "$DB" >/dev/null
"$FZ" apikey create --org 区反诈中心 --role partner --db "$DB" >"$TMP/key" || fail "apikey"
start_server --no-rules || exit 1

declare -A TOK
login() {
  curl -s -c "$TMP/$1.jar" -o "$TMP/login" -H 'Content-Type: application/json' \
    -d "{\"name\":\"$1\",\"password\":\"$2\"}" "$BASE/api/v1/auth/login"
  TOK[$1]=$(jq -r .csrf_token "$TMP/login")
}
as() {
  local u=$1 want=$2 method=$3 path=$4 body=${5-}
  expect_status "$want" "$method" "$path" "$body" -b "$TMP/$u.jar" -H "X-CSRF-Token: ${TOK[$u]}"
}
login boss Centre-Admin-Pass-2026; login wang Reviewer#Strong-2026; login li Officer#Strong-2026
login zhao Auditor#Strong-2026

# nothing public yet: an empty list, for anyone
expect_status 200 GET /api/v1/cases/public
expect_jq '.items == [] and .next_after == null'

# a draft by an analyst
as wang 201 POST /api/v1/cases '{"title":"冒充电商客服退款","fraud_type":"fake_customer_service","text":"市民王某接到自称客服的电话（号码 138****5678），称商品有问题可退款。\n\n对方诱导其下载会议软件共享屏幕，骗走 3 万元。"}'
expect_jq '.id == 1 and .status == "draft" and .version == 1 and .fraud_type == "fake_customer_service" and .published_at == null'
expect_jq '.text | contains("\n\n")'
expect_status 200 GET /api/v1/cases/public
expect_jq '.items == []' "a draft is not public"

# validation: the anonymisation refusal, limits, unknown members and types
as wang 422 POST /api/v1/cases '{"title":"t","fraud_type":"romance","text":"对方电话 13800138000，请勿相信"}'
expect_jq '.error.field == "text" and (.error.message | contains("anonymise")) and (.error.message | contains("13800138000") | not)'
as wang 422 POST /api/v1/cases '{"title":"t","fraud_type":"romance","text":"对方电话 +86 138 0013 8000"}'
expect_jq '.error.field == "text"'
as wang 422 POST /api/v1/cases '{"title":"t","fraud_type":"romance","text":"身份证号 11010519491231002X"}'
expect_jq '.error.field == "text" and (.error.message | contains("ID card"))'
as wang 422 POST /api/v1/cases '{"title":"联系13912345678","fraud_type":"romance","text":"x"}'
expect_jq '.error.field == "title"'
as wang 422 POST /api/v1/cases '{"title":"t","fraud_type":"no_such_type","text":"x"}'
expect_jq '.error.field == "fraud_type"'
as wang 422 POST /api/v1/cases '{"title":"t","fraud_type":"romance"}'
expect_jq '.error.field == "text"'
as wang 422 POST /api/v1/cases '{"title":"t","fraud_type":"romance","text":"x","extra":1}'
long=$(printf '案%.0s' $(seq 1 101))
as wang 413 POST /api/v1/cases "{\"title\":\"$long\",\"fraud_type\":\"romance\",\"text\":\"x\"}"
expect_jq '.error.field == "title"'
big=$(head -c 8193 /dev/zero | tr '\0' 'a')
as wang 422 POST /api/v1/cases "{\"title\":\"t\",\"fraud_type\":\"romance\",\"text\":\"$big\"}"
expect_jq '.error.field == "text"'
cat "$DB"* >"$TMP/dbfiles"; expect_nogrep "13800138000" "$TMP/dbfiles" "database"
expect_nogrep "13800138000" "$TMP/server.log" "server log"

# HTML is text: stored and returned verbatim, as a JSON string
as li 201 POST /api/v1/cases '{"title":"<b>粗体</b>","fraud_type":"phishing","text":"<script>alert(1)</script>"}'
expect_jq '.id == 2 and .text == "<script>alert(1)</script>" and .title == "<b>粗体</b>"'
grep -q '"text":"<script>alert(1)</script>"' "$TMP/body" && ok || fail "text is not the same JSON string"

# edit, publish, withdraw with versions
as wang 200 PATCH /api/v1/cases/1 '{"version":1,"title":"冒充电商客服“退款”"}'
expect_jq '.version == 2 and .title == "冒充电商客服“退款”"'
as wang 409 PATCH /api/v1/cases/1 '{"version":1,"title":"stale"}'
expect_jq '.error.field == "version"'
as wang 422 PATCH /api/v1/cases/1 '{"version":2,"text":"电话 138-0013-8000"}'
as wang 422 PATCH /api/v1/cases/1 '{"version":2}'
as wang 409 POST /api/v1/cases/1/withdraw '{"version":2,"reason":"x"}'  # not published
as wang 200 POST /api/v1/cases/1/publish '{"version":2}'
expect_jq '.status == "published" and .version == 3 and .published_at != null and .published_by != null'
as wang 409 PATCH /api/v1/cases/1 '{"version":3,"title":"x"}'           # published: withdraw first
expect_jq '.error.message | contains("withdraw")'
as li 200 POST /api/v1/cases/2/publish '{"version":1}'

# the public list: newest publication first, only the public members, paged
expect_status 200 GET /api/v1/cases/public
expect_jq '(.items | length) == 2 and .items[0].id == 2 and .items[1].id == 1'
expect_jq '.items[0].text == "<script>alert(1)</script>"'
expect_jq '(.items[0] | keys) == ["fraud_type","id","published_at","text","title"]'
expect_status 200 GET '/api/v1/cases/public?limit=1'
expect_jq '(.items | length) == 1 and .next_after == 2'
expect_status 200 GET '/api/v1/cases/public?limit=1&after=2'
expect_jq '.items[0].id == 1 and .next_after == null'
expect_status 422 GET '/api/v1/cases/public?limit=51'
expect_status 200 GET /api/v1/cases/public "" -H "Authorization: Bearer $(cat "$TMP/key")"

as li 422 POST /api/v1/cases/2/withdraw '{"version":2}'
as li 200 POST /api/v1/cases/2/withdraw '{"version":2,"reason":"案情需核实"}'
expect_jq '.status == "withdrawn" and .withdraw_reason == "案情需核实"'
expect_status 200 GET /api/v1/cases/public
expect_jq '(.items | length) == 1 and .items[0].id == 1'

# roles: admins and auditors read; partners and anonymous callers see only the public list
as boss 200 GET /api/v1/cases ""
expect_jq '(.items | length) == 2 and .items[0].id == 2'
as zhao 200 GET '/api/v1/cases?status=withdrawn' ""
expect_jq '(.items | length) == 1 and .items[0].id == 2'
as zhao 200 GET /api/v1/cases/1 ""
as boss 403 POST /api/v1/cases '{"title":"t","fraud_type":"romance","text":"x"}'
as zhao 403 POST /api/v1/cases/1/withdraw '{"version":3,"reason":"x"}'
expect_status 401 GET /api/v1/cases
expect_status 403 GET /api/v1/cases "" -H "Authorization: Bearer $(cat "$TMP/key")"
as wang 404 GET /api/v1/cases/99 ""
as wang 422 GET '/api/v1/cases?status=gone' ""

# the audit log has every write
as zhao 200 GET '/api/v1/audit?object_kind=case&limit=50' ""
expect_jq '[.items[] | select(.outcome == "ok") | .action] | sort == ["case.add","case.add","case.publish","case.publish","case.update","case.withdraw"]'

# publishing looks once more for personal data (the extractor): bank cards, e-mail, QQ, names
# after 姓名 ... are refused with the field and what was found, never the value; masked values,
# 李某 and service numbers (96110) pass. (After the audit check above: these are writes too.)
pii() { # pii KIND FIELD TITLE TEXT: a draft with it, whose publication is refused
  jq -cn --arg ti "$3" --arg tx "$4" '{title: $ti, fraud_type: "romance", text: $tx}' >"$TMP/case.json"
  as wang 201 POST /api/v1/cases "$(cat "$TMP/case.json")"
  local id; id=$(jq .id "$TMP/body")
  as wang 422 POST "/api/v1/cases/$id/publish" '{"version":1}'
  expect_jq ".error.field == \"$2\" and (.error.message | contains(\"personal data: $1\"))" "publish with a $1"
  expect_nogrep "$5" "$TMP/body" "the refusal"
}
pii bank_card text '网恋诈骗' '对方让受害人向 6222 0212 3456 7890 128 转账。' '7890'
pii email text '网恋诈骗' '对方留下邮箱 lover2026@example.com 联系。' 'lover2026'
pii qq text '网恋诈骗' '对方加了受害人的 QQ 2837461 后开始聊天。' '2837461'
pii name text '网恋诈骗' '受害人姓名：王小红，退休教师。' '王小红'
pii name title '联系人：张伟的遭遇' '受害人被骗三万元。' '张伟'
pii phone text '网恋诈骗' '对方座机 010-62345678 打来。' '62345678'
pii name text '网恋诈骗' '联系人说汇款给收款人：陈大明。' '陈大明'
jq -cn '{title: "网恋诈骗（已隐去）", fraud_type: "romance", text: "受害人李某（姓名：王*红）向 6222 **** **** 0128 转账，对方电话 138****5678。请拨打 96110 或 110。"}' >"$TMP/case.json"
as wang 201 POST /api/v1/cases "$(cat "$TMP/case.json")"
as wang 200 POST "/api/v1/cases/$(jq .id "$TMP/body")/publish" '{"version":1}'
expect_jq '.status == "published"' "a masked case is published"
as wang 409 POST "/api/v1/cases/$(jq .id "$TMP/body")/publish" '{"version":1}'  # stale: the store says so

# anonymous callers of the public list are rate-limited like /check
stop_server
start_server --no-rules --rate-check 2 || exit 1
for i in 1 2 3 4 5; do api GET /api/v1/cases/public >"$TMP/code.$i"; done
grep -qx 429 "$TMP"/code.* && ok || fail "no 429 for anonymous public-list callers"
stop_server
finish
