#!/usr/bin/env bash
# An acknowledged write is never lost: reports answered 201 and a confirmation answered 200
# survive kill -9 of the server (SQLite WAL, synchronous=FULL by default; NORMAL too, since a
# process crash is not a power loss).
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/lib_server.sh"

# Sends reports from 4 parallel clients until killed; each acknowledged tracking code is
# appended to $TMP/acked.
flood() {
  local n=0
  while :; do
    n=$((n + 1))
    curl -s -H 'Content-Type: application/json' \
      -d "{\"channel\":\"sms\",\"text\":\"client $1 report $n: 冒充客服退款，电话1701234$(printf %04d $((n % 10000)))\"}" \
      "$BASE/api/v1/reports" | jq -r 'select(.tracking_code) | .tracking_code' >>"$TMP/acked.$1" || return
  done
}

run_once() {
  local sync=$1
  DB=$TMP/$sync.db
  rm -f "$TMP"/acked.*
  echo 'Reviewer#Strong-2026' | "$FZ" user add wang --role analyst --org 中心 --create-org police --centre --db "$DB" >/dev/null
  start_server --no-rules --rate-report 0 --sync "$sync" || return 1
  for c in 1 2 3 4; do flood $c & done
  for _ in $(seq 1 300); do
    [ "$(cat "$TMP"/acked.* 2>/dev/null | wc -l)" -ge 300 ] && break
    sleep 0.1
  done
  kill -9 "$PID"; wait "$PID" 2>/dev/null
  sleep 0.3; kill $(jobs -p) 2>/dev/null; wait 2>/dev/null
  cat "$TMP"/acked.* | sort -u >"$TMP/codes"
  local acked; acked=$(wc -l <"$TMP/codes")
  [ "$acked" -ge 300 ] && ok || fail "$sync: only $acked reports acknowledged before the kill"
  [ "$(sqlite3 "$DB" 'pragma integrity_check')" = ok ] && ok || fail "$sync: integrity_check"

  start_server --no-rules --sync "$sync" || return 1
  local lost=0
  while read -r code; do
    [ "$(api GET "/api/v1/reports/track/$code")" = 200 ] || lost=$((lost + 1))
  done <"$TMP/codes"
  [ "$lost" -eq 0 ] && ok || fail "$sync: $lost of $acked acknowledged reports lost after kill -9"

  # a confirmation answered 200 blocks after a crash too
  curl -s -c "$TMP/cj" -o "$TMP/login" -H 'Content-Type: application/json' \
    -d '{"name":"wang","password":"Reviewer#Strong-2026"}' "$BASE/api/v1/auth/login"
  local csrf; csrf=$(jq -r .csrf_token "$TMP/login")
  local W=(-b "$TMP/cj" -H "X-CSRF-Token: $csrf")
  expect_status 200 POST /api/v1/reports/1/triage '{"version":1}' "${W[@]}"
  expect_status 200 POST /api/v1/reports/1/confirm '{"version":2}' "${W[@]}"
  kill -9 "$PID"; wait "$PID" 2>/dev/null
  start_server --no-rules --sync "$sync" || return 1
  expect_status 200 GET '/api/v1/check/number?n=17012340001'
  expect_jq '.action == "block"' "$sync: check after kill -9"
  stop_server
}

run_once full
run_once normal
finish
