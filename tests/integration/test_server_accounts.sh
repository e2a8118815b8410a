#!/usr/bin/env bash
# fangzha serve: administrators manage organisations, users and API keys over HTTP.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/lib_server.sh"
DB=$TMP/fz.db
echo 'Centre-Admin-Pass-2026' | "$FZ" user add boss --role admin --org 区反诈中心 --create-org police --centre --db "$DB" >/dev/null
start_server --no-rules || exit 1

login() { # login NAME PASSWORD JAR: sets CSRF
  curl -s -c "$3" -o "$TMP/login" -H 'Content-Type: application/json' \
    -d "{\"name\":\"$1\",\"password\":\"$2\"}" "$BASE/api/v1/auth/login"
  CSRF=$(jq -r .csrf_token "$TMP/login")
}
login boss Centre-Admin-Pass-2026 "$TMP/admin"
W=(-b "$TMP/admin" -H "X-CSRF-Token: $CSRF")

expect_status 201 POST /api/v1/orgs '{"name":"某银行","kind":"bank"}' "${W[@]}"
BANK=$(jq -r .id "$TMP/body")
expect_status 409 POST /api/v1/orgs '{"name":"某银行","kind":"bank"}' "${W[@]}"
expect_status 422 POST /api/v1/orgs '{"name":"x","kind":"casino"}' "${W[@]}"
expect_jq '.error.field == "kind"'

expect_status 422 POST /api/v1/users '{"name":"chen","password":"password1234","role":"officer"}' "${W[@]}"
expect_jq '.error.field == "password"'
expect_status 422 POST /api/v1/users '{"name":"chen","password":"Chen#Strong-2026x","role":"boss"}' "${W[@]}"
expect_jq '.error.field == "role"'
expect_status 201 POST /api/v1/users "{\"name\":\"chen\",\"password\":\"Officer#Strong-2026\",\"role\":\"officer\",\"org_id\":$BANK}" "${W[@]}"
CHEN=$(jq -r .id "$TMP/body")
expect_status 200 GET /api/v1/users "" "${W[@]}"
expect_jq '[.items[].name] | sort == ["boss","chen"]'
expect_nogrep 'Officer#Strong' "$TMP/body" "user list"

# the new user logs in; disabling it ends the session at once
login chen Officer#Strong-2026 "$TMP/chen"
expect_status 200 GET /api/v1/auth/me "" -b "$TMP/chen"
expect_status 200 POST "/api/v1/users/$CHEN/disable" "" "${W[@]}"
expect_status 401 GET /api/v1/auth/me "" -b "$TMP/chen"

# an API key is shown once, works, and stops at once when revoked here
expect_status 201 POST /api/v1/apikeys "{\"role\":\"partner\",\"name\":\"网关\",\"org_id\":$BANK}" "${W[@]}"
KEY=$(jq -r .key "$TMP/body"); KID=$(jq -r .id "$TMP/body")
expect_status 200 GET /api/v1/auth/me "" -H "Authorization: Bearer $KEY"
expect_jq '.kind == "api_key" and .role == "partner"'
expect_status 200 GET /api/v1/apikeys "" "${W[@]}"
expect_nogrep "${KEY##*_}" "$TMP/body" "key list"
expect_status 200 DELETE "/api/v1/apikeys/$KID" "" "${W[@]}"
expect_status 401 GET /api/v1/auth/me "" -H "Authorization: Bearer $KEY"

# the command line writes to the same database while the server runs (its own audit records);
# the server's next writes carry on the one chain
expect_code 0 "$FZ" apikey create --org 某银行 --role partner --db "$DB"
expect_status 201 POST /api/v1/orgs '{"name":"某互联网公司","kind":"internet"}' "${W[@]}"
# SIGTERM lets a request in flight finish: a login (argon2id) answered 200 while stopping
curl -s -o "$TMP/late" -w '%{http_code}' -H 'Content-Type: application/json' \
  -d '{"name":"boss","password":"Centre-Admin-Pass-2026"}' "$BASE/api/v1/auth/login" >"$TMP/late.code" &
sleep 0.2
stop_server
wait
[ "$(cat "$TMP/late.code")" = 200 ] && ok || fail "a login in flight at SIGTERM got $(cat "$TMP/late.code")"

# the audit log's chain holds; a record changed behind the platform's back breaks it
expect_code 0 "$FZ" audit verify --db "$DB"
expect_grep '"intact":true' "$TMP/out"
sqlite3 "$DB" "update audit set action = 'user.hidden' where id = 3"
expect_code 1 "$FZ" audit verify --db "$DB"
expect_grep '"first_bad":3' "$TMP/out"
expect_code 2 "$FZ" audit verify
finish
