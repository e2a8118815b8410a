#!/usr/bin/env bash
# fangzha serve: the HTTP layer and the /check endpoints, over real HTTP on loopback.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/lib_server.sh"

start_server --rules "$ROOT/rules" --rate-check 0 || exit 1

# health and routing
expect_status 200 GET /healthz
expect_jq '.status == "ok" and .engine == 1'
expect_status 404 GET /api/v1/nothing-here
expect_jq '.error.code == "not_found"'
expect_status 405 DELETE /api/v1/check/number
expect_status 405 POST /healthz '{}'

# /check/text: the same verdict object as fangzha scan --jsonl
MSG='您的账户涉嫌洗钱，请立即将资金转入安全账户 6222021234567890123，联系 17012345678'
expect_status 200 POST /api/v1/check/text "{\"id\":\"m1\",\"text\":\"$MSG\"}"
expect_jq '.id == "m1" and .label == "fraud" and .action == "block"'
expect_jq '[.reasons[] | select(.rule == "authority.safe_account")] | length == 1'
jq -S . "$TMP/body" >"$TMP/api.json"
printf '{"id":"m1","text":"%s"}\n' "$MSG" | "$FZ" scan --jsonl --rules "$ROOT/rules" - | jq -S . >"$TMP/cli.json"
if cmp -s "$TMP/api.json" "$TMP/cli.json"; then ok; else fail "API and CLI verdicts differ"; diff "$TMP/api.json" "$TMP/cli.json" | head; fi
expect_status 200 POST /api/v1/check/text '{"text":"明天下午三点开会","sender":"+8613800138000","channel":"sms"}'
expect_jq '.label == "ham" and .action == "allow" and (has("id") | not)'

# bad bodies: each gets a precise error
expect_status 422 POST /api/v1/check/text '{"text":1}'
expect_jq '.error.field == "text" and (.error.message | contains("string"))'
expect_status 422 POST /api/v1/check/text '{"txt":"hello"}'
expect_jq '.error.code == "invalid" and (.error.message | contains("unknown field"))'
expect_status 422 POST /api/v1/check/text '{"id":"x"}'
expect_jq '.error.field == "text" and (.error.message | contains("required"))'
expect_status 422 POST /api/v1/check/text '{"text":"hi","channel":"pigeon"}'
expect_jq '.error.field == "channel"'
expect_status 400 POST /api/v1/check/text '{"text":"a",'
expect_jq '.error.code == "parse_error" and (.error.message | contains("column"))'
expect_status 400 POST /api/v1/check/text '[1,2]'
printf '{"text":"ab\xff"}' >"$TMP/bad.json"
expect_status 400 POST /api/v1/check/text "@$TMP/bad.json"
expect_jq '.error.code == "bad_utf8" and (.error.message | contains("byte 11"))'
got=$(curl -s -o "$TMP/body" -w '%{http_code}' -X POST -H 'Content-Type: text/plain' -d '{"text":"a"}' "$BASE/api/v1/check/text")
[ "$got" = 415 ] && ok || fail "wrong content type: $got, want 415"

# oversize bodies: refused by Content-Length before the body is read, and when chunked
head -c 100000 /dev/zero | tr '\0' a >"$TMP/big"
got=$(curl -s -o "$TMP/body" -w '%{http_code}' -X POST -H 'Content-Type: application/json' --data-binary "@$TMP/big" "$BASE/api/v1/check/text")
[ "$got" = 413 ] && ok || fail "oversize body: $got, want 413"
expect_jq '.error.code == "too_big"'
got=$(curl -s -o "$TMP/body" -w '%{http_code}' -X POST -H 'Content-Type: application/json' -H 'Transfer-Encoding: chunked' --data-binary "@$TMP/big" "$BASE/api/v1/check/text")
[ "$got" = 413 ] && ok || fail "oversize chunked body: $got, want 413"

# /check/number, /check/url, /check/account
expect_status 200 GET '/api/v1/check/number?n=17012345678'
expect_jq '.["e164"] == "+8617012345678" and .class == "mvno" and .indicator == null and .action == "allow"'
"$FZ" check number 17012345678 | jq -S . >"$TMP/cli.json"
api GET '/api/v1/check/number?n=17012345678' >/dev/null
jq -S 'del(.indicator, .score, .action)' "$TMP/body" >"$TMP/api.json"
if cmp -s "$TMP/api.json" "$TMP/cli.json"; then ok; else fail "check number: API and CLI differ"; diff "$TMP/api.json" "$TMP/cli.json" | head; fi
expect_status 200 GET '/api/v1/check/number?n=hello'
expect_jq '.valid == false'
expect_status 422 GET '/api/v1/check/number'
expect_jq '.error.field == "n"'
expect_status 200 GET '/api/v1/check/url?u=http://icbc-secure.top/login'
expect_jq '.lookalike_of == "icbc.com.cn" and .action == "warn"'
expect_status 200 GET '/api/v1/check/account?a=6222%200212%203456%207890%20123'
expect_jq '.kind == "bank_account" and .value == "6222021234567890123"'
expect_status 422 GET '/api/v1/check/account?a=12'
expect_jq '.error.field == "a"'
expect_status 422 GET '/api/v1/check/account?a=abc&kind=imei'
expect_jq '.error.field == "kind"'

# keep-alive: two requests share one connection
curl -sv -o /dev/null -o /dev/null "$BASE/healthz" "$BASE/healthz" 2>"$TMP/verbose"
expect_grep "Re-using existing connection" "$TMP/verbose" "curl -v"

# metrics in the Prometheus text format
expect_status 200 GET /metrics
expect_grep '# TYPE fangzha_http_requests_total counter' "$TMP/body"
expect_grep 'fangzha_http_requests_total{method="POST",route="/api/v1/check/text",code="2xx"}' "$TMP/body"
expect_grep 'fangzha_http_request_duration_seconds_bucket{method="GET",route="/healthz",le="+Inf"}' "$TMP/body"
expect_grep 'fangzha_verdicts_total{label="fraud",action="block"} 1' "$TMP/body"

# SIGHUP with broken rules keeps the running engine; a good reload makes a new one
mkdir -p "$TMP/rules" && cp "$ROOT"/rules/*.rules "$TMP/rules/"
stop_server
start_server --rules "$TMP/rules" --rate-check 0 || exit 1
echo 'this is not a rule' >>"$TMP/rules/zz-broken.rules"
kill -HUP "$PID"
for _ in $(seq 1 300); do grep -q "reload failed" "$TMP/server.log" && break; sleep 0.1; done
expect_grep "reload failed" "$TMP/server.log"
expect_status 200 GET /healthz
expect_jq '.engine == 1' "healthz after a failed reload"
rm "$TMP/rules/zz-broken.rules"
kill -HUP "$PID"
for _ in $(seq 1 100); do api GET /healthz >/dev/null; jq -e '.engine == 2' "$TMP/body" >/dev/null && break; sleep 0.2; done
expect_jq '.engine == 2' "healthz after a good reload"
stop_server

# rate limit of anonymous checks: 429 with Retry-After
start_server --rules "$ROOT/rules" --rate-check 1 || exit 1
# a burst of 2, refilled at 1 per second: 12 requests in a row must run out even on a slow machine
for _ in $(seq 1 12); do api GET '/api/v1/check/number?n=13800138000' >/dev/null; done
got=$(curl -s -D "$TMP/headers" -o "$TMP/body" -w '%{http_code}' "$BASE/api/v1/check/number?n=13800138000")
[ "$got" = 429 ] && ok || fail "rate limit: $got, want 429"
expect_grep "Retry-After:" "$TMP/headers"
expect_jq '.error.code == "rate_limited"'
stop_server

# bad command lines
expect_code 2 "$FZ" serve --threads 0
expect_code 2 "$FZ" serve --sync sometimes
expect_code 1 "$FZ" serve --listen nonsense --db "$TMP/x.db" --no-rules
expect_grep "want ADDR:PORT" "$TMP/err"
# the configuration file: the shipped example is valid; errors name file, line and setting
expect_code 0 "$FZ" serve --config "$ROOT/dist/fangzha.conf.example" --routes
printf 'listen = 127.0.0.1:0\n\nthreads = 0\n' >"$TMP/bad.conf"
expect_code 2 "$FZ" serve --config "$TMP/bad.conf"
expect_grep "bad.conf:3: 'threads' wants 1..256" "$TMP/err"
expect_code 1 "$FZ" serve --config "$TMP/missing.conf"
finish
