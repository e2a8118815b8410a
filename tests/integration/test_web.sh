#!/usr/bin/env bash
# The web pages in headless Chromium (tests/e2e/*.spec.mjs): a real server with the shipped
# pages, accounts made with the CLI, screenshots in BUILD/e2e/.
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
start_server --rules "$ROOT/rules" --web "$ROOT/web" --rate-report 0 --rate-check 0 || exit 1
export FZ_E2E_USERS='{"admin":["boss","Centre-Admin-Pass-2026"],"analyst":["wang","Reviewer#Strong-2026"],"analyst2":["liu","Reviewer#Strong-2027"],"auditor":["zhao","Auditor#Strong-2026"]}'
out=$(dirname "$FZ")/e2e
if node "$ROOT/tests/e2e/run.mjs" "$BASE" "$out" >"$TMP/e2e.log" 2>&1; then ok; else fail "browser tests"; fi
cat "$TMP/e2e.log"
stop_server
finish
