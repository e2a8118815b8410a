#!/usr/bin/env bash
# Authorization: every route against every kind of caller, from the hand-written table
# tests/data/server/authz.tsv; and every route the server has must be in the table.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/lib_server.sh"
DB=$TMP/fz.db
TABLE=$DATA/server/authz.tsv

echo 'Centre-Admin-Pass-2026' | "$FZ" user add boss --role admin --org 中心 --create-org police --centre --db "$DB" >/dev/null
declare -A KEY
for role in partner officer analyst auditor admin; do
  "$FZ" apikey create --org 中心 --role $role --db "$DB" >"$TMP/key" || fail "apikey $role"
  KEY[$role]=$(cat "$TMP/key")
done
start_server --no-rules --rate-check 0 --rate-report 0 || exit 1
# fixtures: report 1 and indicator 1
api POST /api/v1/reports '{"channel":"sms","text":"冒充公安 17012345678"}' >/dev/null
api POST /api/v1/indicators '{"kind":"phone","value":"17012345678"}' -H "Authorization: Bearer ${KEY[analyst]}" >/dev/null

# every route of the server is in the table
"$FZ" serve --routes | jq -r '"\(.method)\t\(.path)"' | sort >"$TMP/routes"
grep -v '^#' "$TABLE" | tail -n +2 | cut -f1,2 | sed 's/?.*//' | sort >"$TMP/table"
if diff "$TMP/routes" "$TMP/table" >"$TMP/diff"; then ok; else fail "routes and authz.tsv differ:"; cat "$TMP/diff"; fi

# and in docs/openapi.yaml: its paths (two-space indent) and their methods (four spaces)
awk '/^paths:/ {p = 1; next} p && /^  \/[^ ]*:$/ {path = $1; sub(/:$/, "", path)}
     p && /^    (get|post|put|patch|delete):/ {m = toupper($1); sub(/:$/, "", m); print m "\t" path}' \
  "$ROOT/docs/openapi.yaml" | sort >"$TMP/openapi"
if diff "$TMP/routes" "$TMP/openapi" >"$TMP/diff"; then ok; else fail "routes and docs/openapi.yaml differ:"; cat "$TMP/diff"; fi

callers=(anon partner officer analyst auditor admin)
while IFS=$'\t' read -r method path body e0 e1 e2 e3 e4 e5; do
  case $method in '#'* | method) continue ;; esac
  path=${path//\{id\}/1}; path=${path//\{code\}/NOSUCHCODE00}; path=${path//\{year\}/2030}
  [ "$body" = - ] && body=''
  want=("$e0" "$e1" "$e2" "$e3" "$e4" "$e5")
  for i in 0 1 2 3 4 5; do
    who=${callers[$i]}
    auth=()
    [ "$who" != anon ] && auth=(-H "Authorization: Bearer ${KEY[$who]}")
    got=$(api "$method" "$path" "$body" "${auth[@]}")
    case ${want[$i]} in
      ok) [ "$got" != 401 ] && [ "$got" != 403 ] && [ "$got" != 000 ] && ok || fail "$who $method $path: $got, want it allowed" ;;
      *) [ "$got" = "${want[$i]}" ] && ok || fail "$who $method $path: $got, want ${want[$i]}" ;;
    esac
  done
done <"$TABLE"
stop_server
finish
