#!/usr/bin/env bash
# make demo's platform part seeds a database through the API (DEMO_SERVE=0: no server left).
source "$(dirname "$0")/lib.sh"
DEMO_SERVE=0 expect_code 0 bash "$ROOT/scripts/demo_platform.sh" "$FZ" "$TMP/demo"
expect_grep "confirmed by the analyst" "$TMP/out"
expect_grep "partner API key: fzk_" "$TMP/out"
n=$(grep -oE '^  [0-9]+ reports' "$TMP/out" | grep -oE '[0-9]+')
[ "${n:-0}" -ge 100 ] && ok || fail "demo seeded ${n:-0} reports, want >= 100"
i=$(grep -oE '[0-9]+ indicators' "$TMP/out" | grep -oE '[0-9]+')
[ "${i:-0}" -ge 20 ] && ok || fail "demo has ${i:-0} indicators, want >= 20"
[ -s "$TMP/demo/fangzha.db" ] && ok || fail "no demo database"
finish
