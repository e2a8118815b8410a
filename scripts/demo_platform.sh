#!/usr/bin/env bash
# The platform part of make demo: a fresh SQLite database seeded with the project's own sample
# data — accounts (their passwords are printed) with the CLI; 30 days of residents' reports made
# from the team's seed corpus (data/seed/seed.tsv, its fraud rows), worked by the analyst in a
# fixed pattern (confirmed, so their numbers, URLs and accounts become confirmed indicators;
# rejected with a reason; merged as duplicates; triaged), imported with each step at its own
# time (fangzha report import); then through the API a partner's suspected indicators from
# data/samples, this year's reward budget with rewards proposed, approved by a second analyst and
# one paid, and three typical cases published — then the server on 127.0.0.1:8080 in the
# foreground, with the portal and console URLs and what to try. Only the passwords, the API key
# and the times (relative to now) differ from one run to the next.
# Usage: scripts/demo_platform.sh path/to/fangzha [DIR]
# DEMO_LISTEN=ADDR:PORT serves elsewhere; DEMO_SERVE=0 seeds and stops (a smoke test).
set -euo pipefail
fz=$1
root=$(cd "$(dirname "$0")/.." && pwd)
dir=${2:-$(dirname "$fz")/demo}
listen=${DEMO_LISTEN:-127.0.0.1:8080}
db=$dir/fangzha.db
mkdir -p "$dir"
rm -f "$db" "$db-wal" "$db-shm" "$dir/port"

# A password that passes the strength check: random, mixed classes.
password() { printf 'Fz-%s-9a' "$(head -c 12 /dev/urandom | base64 | tr -d '/+=')"; }
admin_pw=$(password) analyst_pw=$(password) analyst2_pw=$(password)
echo "$admin_pw" | "$fz" user add admin --role admin --org 区反诈中心 --create-org police --centre --db "$db" >/dev/null
echo "$analyst_pw" | "$fz" user add analyst --role analyst --org 区反诈中心 --db "$db" >/dev/null
echo "$analyst2_pw" | "$fz" user add analyst2 --role analyst --org 区反诈中心 --db "$db" >/dev/null
key=$("$fz" apikey create --org 示例运营商 --create-org operator --role partner --name 短信网关 --db "$db")

# The residents' reports of the last 30 days, made from the team's seed corpus and imported with
# their history (fangzha report import: each step at its own time, so the dashboard's days, the
# time to triage and the confirmed indicators per day are spread as they would be). Per day:
# more on weekdays, slowly rising, a wave of reports 10-12 days ago (a campaign), today only up
# to now. Reports come in between 08:00 and 22:00 Beijing time; the number that contacted the
# reporter is one of 40, so some are reported more than once (a text used again names it). The analyst triages each within
# 15 minutes to a day and, in a fixed pattern over the reports (of every 12): 1, 5, 9 confirmed
# (their numbers, URLs and accounts become confirmed indicators) 1-48 hours later; 3 rejected
# with a reason; 7 merged as a duplicate of the report 6 before it; 0, 4, 8, 11 triaged only;
# 2, 6, 10 stay new — and nothing happens after now.
awk -F'\t' -v now="$(( $(date +%s) * 1000 ))" -v OFS='\t' '
  NR > 1 && $1 != "ham" && $1 != "spam" && $1 != "fraud" { texts[nt++] = $3; calls[nt - 1] = $2 == "call" }
  END {
    day = 86400000; hour = 3600000; min = 60000
    split("经核实为正常的商家营销短信，不构成诈骗|举报内容不足以核实，未发现涉诈要素|属于消费纠纷，已告知举报人向市场监管部门反映", reasons, "|")
    split("170 171 165 162 167 138", prefixes, " ")
    print "received_ms", "channel", "text", "loss_fen", "indicators", "triaged_ms", "outcome", "decided_ms", "reason", "into"
    today = int((now + 8 * hour) / day) * day - 8 * hour       # 00:00 Beijing time
    n = 0
    for (ago = 29; ago >= 0; ago--) {
      start = today - ago * day
      weekday = (int((start + 8 * hour) / day) + 4) % 7          # 0 = Sunday
      count = 4 + int((29 - ago) / 5) + (weekday >= 1 && weekday <= 5 ? 3 : 0) + (ago >= 10 && ago <= 12 ? 7 : 0)
      for (i = 0; i < count; i++) {
        at = start + 8 * hour + int((i + 0.5) * 14 * hour / count) + (n * 7919 % 40) * min
        if (at > now) break
        n++
        from = prefixes[n % 6 + 1] sprintf("%08d", (n % 40) * 2654435 % 100000000)
        t = texts[n % nt]
        if (n > nt) t = (calls[n % nt] ? "号码 " from " 来电说：" : "号码 " from " 发来短信：") t
        ch = calls[n % nt] ? "call" : (n % 5 == 0 ? "web" : (n % 7 == 0 ? "app" : "sms"))
        triaged = at + 15 * min + (n * 7919 % 1425) * min
        k = n % 12; outcome = ""; decided = ""; reason = ""; into = ""
        if (k == 1 || k == 5 || k == 9) { outcome = "confirmed"; decided = triaged + (1 + n * 31 % 48) * hour }
        else if (k == 3) { outcome = "rejected"; decided = triaged + (1 + n * 17 % 6) * hour; reason = reasons[int(n / 12) % 3 + 1] }
        else if (k == 7) { outcome = "duplicate"; decided = at + (1 + n % 6) * hour; into = n - 6; triaged = "" }
        else if (k == 2 || k == 6 || k == 10) triaged = ""
        if (decided != "" && decided > now) { outcome = ""; decided = ""; reason = ""; into = "" }
        if (triaged != "" && triaged > now) { triaged = ""; if (outcome != "duplicate") { outcome = ""; decided = ""; reason = "" } }
        ms = "%.0f"   # mawk prints large numbers as 1.79e+12 otherwise
        printf ms "\t%s\t%s\t%d\tphone:%s\t%s\t%s\t%s\t%s\t%s\n", at, ch, t, (n * 7919 % 50) * 100000, from,
          triaged == "" ? "" : sprintf(ms, triaged), outcome, decided == "" ? "" : sprintf(ms, decided), reason, into
      }
    }
  }' "$root/data/seed/seed.tsv" >"$dir/reports.tsv"
"$fz" report import --db "$db" "$dir/reports.tsv" >"$dir/import.json"
reports=$(jq .reports "$dir/import.json") confirmed=$(jq .confirmed "$dir/import.json")
rejected=$(jq .rejected "$dir/import.json") merged=$(jq .duplicates "$dir/import.json")
triaged=$(( $(jq .triaged "$dir/import.json") - confirmed - rejected ))

# Seed the rest through the API, as partners and staff would.
"$fz" serve --db "$db" --listen 127.0.0.1:0 --ready-file "$dir/port" --rate-report 0 --rate-check 0 \
  2>"$dir/seed.log" &
pid=$!
trap 'kill "$pid" 2>/dev/null || true' EXIT
for _ in $(seq 1 600); do [ -s "$dir/port" ] && break; sleep 0.2; done
base=http://127.0.0.1:$(cat "$dir/port")/api/v1
post() { curl -s -H 'Content-Type: application/json' "$@"; }

# Staff sessions: login NAME PASSWORD keeps the cookie in $dir/NAME.cookies and the CSRF token;
# as NAME curl-args... sends a request with both.
declare -A csrf
login() {
  jq -cn --arg n "$1" --arg p "$2" '{name: $n, password: $p}' |
    curl -s -c "$dir/$1.cookies" -o "$dir/$1.login" -H 'Content-Type: application/json' -d @- \
      "$base/auth/login"
  csrf[$1]=$(jq -r .csrf_token "$dir/$1.login")
}
as() {
  local who=$1; shift
  curl -s -b "$dir/$who.cookies" -H "X-CSRF-Token: ${csrf[$who]}" -H 'Content-Type: application/json' "$@"
}
login analyst "$analyst_pw"
login analyst2 "$analyst2_pw"
login admin "$admin_pw"

while read -r number; do
  [ -n "$number" ] || continue
  jq -cn --arg v "$number" '{kind: "phone", value: $v, note: "示例：合作方上报"}' |
    post -H "Authorization: Bearer $key" -d @- "$base/indicators" >/dev/null
done < <(head -n 5 "$root/data/samples/numbers.txt")
indicators=$(as analyst "$base/indicators?limit=200" | jq '.items | length')

# Rewards: the admin sets this year's budget (50,000 yuan); the analyst proposes rewards (by the
# rule) for the first four confirmed reports; the second analyst approves three; the admin pays one.
year=$(as admin "$base/rewards/budget" | jq -r .year)
as admin -X PUT -d '{"amount_fen":5000000}' "$base/rewards/budget/$year" | jq -e '.set' >/dev/null
approved=0
for id in 1 5 9 13; do
  as analyst -d '{}' "$base/reports/$id/reward" >"$dir/reward.json"
  rid=$(jq -r .id "$dir/reward.json") ver=$(jq -r .version "$dir/reward.json")
  [ "$id" = 13 ] && continue    # left for a second person to approve in the console
  as analyst2 -d "{\"version\":$ver}" "$base/rewards/$rid/approve" >"$dir/reward.json"
  jq -e '.status == "approved"' "$dir/reward.json" >/dev/null && approved=$((approved + 1))
  if [ "$id" = 1 ]; then
    jq -cn --argjson v "$(jq .version "$dir/reward.json")" '{version: $v, payment_ref: "PAY-DEMO-0001"}' |
      as admin -d @- "$base/rewards/$rid/pay" | jq -e '.status == "paid"' >/dev/null
  fi
done
as admin "$base/rewards?year=$year&limit=200" >"$dir/rewards.json"
rewards=$(jq '.items | length' "$dir/rewards.json")
paid=$(jq '[.items[] | select(.status == "paid")] | length' "$dir/rewards.json")
budget=$(as admin "$base/rewards/budget?year=$year" |
  jq -r '"\(.budget_fen / 100) yuan, \((.approved_fen + .paid_fen) / 100) used, \(.left_fen / 100) left"')

# Three typical cases for the portal's 典型案例, written for this demo and anonymised (the store
# refuses a text that still holds a phone or ID number).
case1='退休职工李某接到自称快递公司客服的电话，对方准确说出了她的包裹信息，称包裹在运输中丢失，可以双倍赔偿。

对方让李某下载一个“会议”软件并开启屏幕共享，说要指导她领取赔款。随后又以“备用金账户被冻结”“需要验证流水”为由，一步步让她把银行卡里的钱转到所谓的“理赔专户”。李某前后转账四次，共计六万余元，直到对方失联才发觉被骗。

民警提示：正规客服不会要求下载会议软件或共享屏幕，也不会让您向个人账户转账“验证”。接到这类电话，请挂断后通过官方平台核实。'
case2='大学生小王在社交平台看到“动动手指日赚三百”的兼职广告，加入了一个任务群。前几单给商品点赞、关注店铺，都按时收到了十几元佣金。

随后群里的“导师”让他做“连单任务”，先垫付资金购买指定商品，完成全部任务后再连本带利返还。小王垫付了两千元后，对方以“操作超时”“需要解冻”为由要求继续充值，他又借了网贷，累计投入三万多元，钱始终没有退回。

民警提示：所有刷单都是诈骗。先给小甜头、再要求垫付，是刷单返利骗局的固定套路，千万不要为了“解冻”继续转账。'
case3='个体经营者赵女士接到一个陌生来电，对方自称某地公安局民警，说她的身份信息被人冒用开户，涉嫌一起洗钱案，并通过视频向她出示了所谓的“通缉令”。

对方要求她对谁都不能说，否则按妨碍侦查处理，又让她把名下存款转入“安全账户”配合资金清查。赵女士转账前犹豫再三，拨打了社区民警的电话，民警当即上门劝阻，避免了二十万元的损失。

民警提示：公安机关不会通过电话、视频办案，更没有所谓的“安全账户”。凡是让您转账到“安全账户”的，都是诈骗，请立即拨打 110 或 96110。'
published=0
for c in "fake_customer_service|快递客服称包裹丢失要双倍理赔，退休职工被骗六万余元|$case1" \
         "order_brushing|“点赞返佣”兼职变成连环垫付，大学生被骗三万多元|$case2" \
         "impersonate_authority|冒充公安称涉嫌洗钱要求转入“安全账户”，民警及时劝阻|$case3"; do
  IFS='|' read -r -d '' ftype title text <<<"$c" || true
  jq -cn --arg f "$ftype" --arg t "$title" --arg x "${text%$'\n'}" '{fraud_type: $f, title: $t, text: $x}' |
    as analyst -d @- "$base/cases" >"$dir/case.json"
  jq -cn --argjson v "$(jq .version "$dir/case.json")" '{version: $v}' |
    as analyst -d @- "$base/cases/$(jq -r .id "$dir/case.json")/publish" |
    jq -e '.status == "published"' >/dev/null && published=$((published + 1))
done
cases=$(curl -s "$base/cases/public?limit=50" | jq '.items | length')

rm -f "$dir"/*.cookies "$dir"/*.login "$dir/import.json" "$dir/reward.json" "$dir/rewards.json" "$dir/case.json"
kill "$pid"; wait "$pid" 2>/dev/null || true
trap - EXIT

cat <<EOT
数据库 database: $db
  $reports reports (举报) from the seed corpus, $confirmed confirmed by the analyst, $rejected rejected with a reason, $merged merged as duplicates, $triaged triaged; $indicators indicators
  $rewards rewards (奖励) in $year: $approved approved by a second analyst, $paid of them paid (PAY-DEMO-0001); budget $budget
  $cases typical cases (典型案例) published
门户 portal (residents):  http://$listen/
控制台 console (staff):   http://$listen/console/
账号 accounts (passwords made for this demo — keep them):
  admin     $admin_pw
  analyst   $analyst_pw
  analyst2  $analyst2_pw   (a second analyst: approves the rewards the first one proposes)
  partner API key: $key
EOT
if [ "${DEMO_SERVE:-1}" = 0 ]; then
  echo "(DEMO_SERVE=0: not serving; $fz serve --db $db --listen $listen serves it)"
  exit 0
fi

url=http://$listen/api/v1
cat <<EOT

Serving on http://$listen (Ctrl-C stops); log in to the console as analyst, analyst2 or admin.
Try, in another terminal:
  curl -s '$url/check/number?n=17012345678'
  curl -s -H 'Content-Type: application/json' -d '{"text":"您的账户涉嫌洗钱，请将资金转入安全账户"}' $url/check/text
  curl -s -H 'Authorization: Bearer $key' '$url/indicators?status=confirmed&limit=5'
  curl -s -H 'Content-Type: application/json' -d '{"channel":"sms","text":"有人冒充客服要我退款，电话17012345678"}' $url/reports
  curl -s -c /tmp/fz.cookies -H 'Content-Type: application/json' -d '{"name":"analyst","password":"$analyst_pw"}' $url/auth/login
  curl -s -b /tmp/fz.cookies '$url/reports?status=new&limit=3'
  curl -s http://$listen/metrics | head
API: docs/api.md
EOT
exec "$fz" serve --db "$db" --listen "$listen"
