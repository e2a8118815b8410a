# Helpers for tests that drive `fangzha serve` over HTTP (sourced after lib.sh).
# start_server [ARGS...]: starts the server on a free loopback port with a database in $TMP;
# sets PID, PORT and BASE. stop_server: SIGTERM, waits, checks the exit code.
# api METHOD PATH [BODY] [CURL ARGS...]: sends a request; the body goes to $TMP/body, the
# status is printed.

start_server() {
  rm -f "$TMP/port"
  "$FZ" serve --db "${DB:-$TMP/fz.db}" --listen 127.0.0.1:0 --ready-file "$TMP/port" "$@" \
    2>>"$TMP/server.log" &
  PID=$!
  for _ in $(seq 1 600); do
    [ -s "$TMP/port" ] && break
    kill -0 "$PID" 2>/dev/null || { echo "server died:"; cat "$TMP/server.log"; return 1; }
    sleep 0.2
  done
  [ -s "$TMP/port" ] || { echo "server did not start"; cat "$TMP/server.log"; return 1; }
  PORT=$(cat "$TMP/port")
  BASE="http://127.0.0.1:$PORT"
}

stop_server() {
  kill -TERM "$PID" 2>/dev/null
  wait "$PID"
  local code=$?
  if [ "$code" -eq 0 ]; then ok; else fail "server exit code $code after SIGTERM"; fi
}

api() {
  local method=$1 path=$2 body=${3-}
  shift 2; [ $# -gt 0 ] && shift
  if [ -n "$body" ]; then
    curl -s -o "$TMP/body" -w '%{http_code}' -X "$method" -H 'Content-Type: application/json' \
      --data-binary "$body" "$@" "$BASE$path"
  else
    curl -s -o "$TMP/body" -w '%{http_code}' -X "$method" "$@" "$BASE$path"
  fi
}

# expect_status WANT METHOD PATH [BODY] [CURL ARGS...]
expect_status() {
  local want=$1; shift
  local got; got=$(api "$@")
  if [ "$got" = "$want" ]; then ok; else fail "$1 $2: status $got, want $want"; head -c 400 "$TMP/body" | sed 's/^/  /'; echo; fi
}

# expect_jq FILTER [WHAT]: jq -e FILTER must hold on $TMP/body.
expect_jq() {
  if jq -e "$1" "$TMP/body" >/dev/null 2>&1; then ok; else fail "${2:-body} fails jq '$1'"; head -c 600 "$TMP/body" | sed 's/^/  /'; echo; fi
}
