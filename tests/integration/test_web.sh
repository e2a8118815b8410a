#!/usr/bin/env bash
# The web pages in headless Chromium (tests/e2e/*.spec.mjs): a real server with the shipped
# pages, accounts made with the CLI, three weeks of imported reports, screenshots in BUILD/e2e/.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/lib_server.sh"
DB=$TMP/fz.db
if [ ! -x /usr/bin/chromium ] || [ ! -d "$ROOT/web/node_modules/playwright-core" ]; then
  echo "SKIP: chromium or web/node_modules missing (scripts/deps.sh; make web)"; exit 0
fi
echo 'Centre-Admin-Pass-2026' | "$FZ" user add boss --role admin --org 区反诈中心 --create-org police --centre --db "$DB" >/dev/null
echo 'Reviewer#Strong-2026' | "$FZ" user add wang --role analyst --org 区反诈中心 --db "$DB" >/dev/null
echo 'Reviewer#Strong-2027' | "$FZ" user add liu --role analyst --org 区反诈中心 --db "$DB" >/dev/null
echo 'Auditor#Strong-2026' | "$FZ" user add zhao --role auditor --org 区反诈中心 --db "$DB" >/dev/null
# Three weeks of history for the dashboard's per-day charts (fangzha report import: each step at
# its own time): one to three reports a day, each from its own number, most triaged within hours,
# some confirmed or rejected a day later. The specs add today's reports through the API.
awk -v now="$(( $(date +%s) * 1000 ))" 'BEGIN {
  OFS = "\t"; day = 86400000; hour = 3600000
  split("您的账户涉嫌洗钱，请将资金转入安全账户配合调查|兼职刷单，先垫付后返佣，日结三百|您的快递丢失，客服将双倍理赔，请下载会议软件共享屏幕|低息贷款无抵押，先交保证金解冻账户|游戏账号低价出售，请到指定平台交易", texts, "|")
  print "received_ms", "channel", "text", "indicators", "triaged_ms", "outcome", "decided_ms", "reason"
  n = 0
  for (ago = 21; ago >= 1; ago--) {
    for (i = 0; i < 1 + (ago % 3 == 0) + (ago % 7 == 2); i++) {
      n++
      at = now - ago * day + i * 2 * hour
      from = sprintf("1700000%04d", n)
      triaged = n % 4 == 0 ? "" : sprintf("%.0f", at + (n % 5 + 1) * hour)
      outcome = ""; decided = ""; reason = ""
      if (triaged != "" && n % 3 == 0) { outcome = "confirmed"; decided = sprintf("%.0f", at + day) }
      else if (triaged != "" && n % 5 == 0) { outcome = "rejected"; decided = sprintf("%.0f", at + day); reason = "信息不足，无法核实" }
      printf "%.0f\t%s\t号码 %s 发来：%s\tphone:%s\t%s\t%s\t%s\t%s\n", at, (n % 2 ? "sms" : "call"), from, texts[n % 5 + 1], from, triaged, outcome, decided, reason
    }
  }
}' >"$TMP/history.tsv"
"$FZ" report import --db "$DB" "$TMP/history.tsv" >/dev/null || fail "report import"
start_server --rules "$ROOT/rules" --web "$ROOT/web" --rate-report 0 --rate-check 0 || exit 1
export FZ_E2E_USERS='{"admin":["boss","Centre-Admin-Pass-2026"],"analyst":["wang","Reviewer#Strong-2026"],"analyst2":["liu","Reviewer#Strong-2027"],"auditor":["zhao","Auditor#Strong-2026"]}'
out=$(dirname "$FZ")/e2e
if node "$ROOT/tests/e2e/run.mjs" "$BASE" "$out" >"$TMP/e2e.log" 2>&1; then ok; else fail "browser tests"; fi
cat "$TMP/e2e.log"
stop_server
finish
