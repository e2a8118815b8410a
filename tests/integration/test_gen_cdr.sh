#!/usr/bin/env bash
# gen_cdr, the simulated city's call records (bench/gen/cdrsim.c, docs/internals/cdrsim.md):
# the same seed gives the same bytes, records come in time order, every caller is labelled and
# every archetype is planted at 100 000 people, the archetypes look the way the document says,
# and the counts stay in their ranges. gen_cdr is a benchmark program: the test skips when the
# build has no benchmarks.
source "$(dirname "$0")/lib.sh"

GEN=$(dirname "$FZ")/bench/gen_cdr
if [ ! -x "$GEN" ]; then
  echo "SKIP: $GEN not built (FZ_BUILD_BENCH=OFF, or cmake --build build --target gen_cdr)"
  exit 0
fi
START=1793462400 # 2026-11-01T00:00:00+08:00
HEADER=caller,callee,start_time,duration_s,ring_s,direction,type,cell_id,imei,imsi,trunk

# Usage and errors.
expect_code 0 "$GEN" --help
expect_grep "--victims FILE" "$TMP/out"
expect_code 2 "$GEN" --people 0
expect_grep "bad --people" "$TMP/err"
expect_code 2 "$GEN" --start 2026-13-01
expect_code 2 "$GEN" --frobnicate
expect_code 1 "$GEN" --people 100 --out "$TMP/no/such/dir/x.csv"

# Determinism: the same seed gives the same bytes (CSV, JSON Lines and the side files); another
# seed does not.
for i in 1 2; do
  expect_code 0 "$GEN" --people 20000 --days 2 --seed 7 --out "$TMP/d$i.csv" \
    --labels "$TMP/dl$i.csv" --victims "$TMP/dv$i.csv"
  expect_code 0 "$GEN" --people 3000 --seed 7 --jsonl --iso --out "$TMP/j$i.jsonl"
done
for f in d dl dv; do
  a=$(sha256sum <"$TMP/${f}1.csv") b=$(sha256sum <"$TMP/${f}2.csv")
  if [ "$a" = "$b" ]; then ok; else fail "seed 7 gave two different $f files"; fi
done
if [ "$(sha256sum <"$TMP/j1.jsonl")" = "$(sha256sum <"$TMP/j2.jsonl")" ]; then ok; else
  fail "seed 7 gave two different JSON Lines files"; fi
expect_code 0 "$GEN" --people 20000 --days 2 --seed 8 --out "$TMP/d3.csv"
if [ "$(sha256sum <"$TMP/d1.csv")" != "$(sha256sum <"$TMP/d3.csv")" ]; then ok; else
  fail "seeds 7 and 8 gave the same records"; fi
# Two days: still in time order across midnight, and within the period.
awk -F, -v s=$START 'NR == 1 { next } ($3 < p || $3 < s || $3 >= s + 2 * 86400) { bad++ } { p = $3 + 0 }
  END { exit bad > 0 }' "$TMP/d1.csv" && ok || fail "two-day records out of order or period"

# JSON Lines with ISO times carry the same keys; unknown devices are null.
line_of 1 "$TMP/j1.jsonl" >"$TMP/l"
for key in '{"caller":"' '"callee":"' '"start_time":"2026-11-01T' '+08:00"' '"duration_s":' \
  '"ring_s":' '"direction":"out"' '"type":"' '"cell_id":' '"imei":' '"imsi":' '"trunk":"'; do
  expect_grep "$key" "$TMP/l" "first JSON line"
done
expect_grep '"imei":null' "$TMP/j1.jsonl" "JSON Lines (a landline's record)"
# --start moves the period (Beijing midnight); --iso prints it back.
expect_code 0 "$GEN" --people 1000 --start 2026-12-25 --iso
line_of 2 "$TMP/out" >"$TMP/l"
expect_grep ",2026-12-25T" "$TMP/l" "first record with --start 2026-12-25"

# 100 000 people, one day: the file the remaining checks read.
expect_code 0 "$GEN" --people 100000 --out "$TMP/c.csv" --labels "$TMP/l.csv" \
  --victims "$TMP/v.csv" --whitelist "$TMP/w.txt" --stats
if [ "$(line_of 1 "$TMP/c.csv")" = "$HEADER" ]; then ok; else fail "CSV header"; fi
expect_grep "records per person per day" "$TMP/err" "--stats"
rows=$(($(wc -l <"$TMP/c.csv") - 1))
# About 3 records per person per day.
if [ "$rows" -ge 250000 ] && [ "$rows" -le 400000 ]; then ok; else
  fail "$rows records for 100000 people in a day, want 250000-400000"; fi
awk -F, -v s=$START 'NR == 1 { next } ($3 < p || $3 < s || $3 >= s + 86400) { bad++ } { p = $3 + 0 }
  END { exit bad > 0 }' "$TMP/c.csv" && ok || fail "records out of time order or out of the day"
# Every field well-formed.
awk -F, 'NR > 1 && (NF != 11 || $6 != "out" || ($7 != "voice" && $7 != "sms") ||
  ($11 != "domestic" && $11 != "international") || $4 !~ /^[0-9]+$/ || $5 !~ /^[0-9]+$/ ||
  ($7 == "sms" && ($4 != 0 || $5 != 0)) || $1 == "" || $2 == "") { bad++; if (bad < 4) print }
  END { exit bad > 0 }' "$TMP/c.csv" && ok || fail "malformed records"

# Labels: every caller has exactly one; every archetype is planted.
if [ "$(line_of 1 "$TMP/l.csv")" = "number,label,archetype" ]; then ok; else fail "labels header"; fi
awk -F, 'NR == FNR { if (FNR > 1) { if ($1 in L) dup++; L[$1] = 1 } next }
  FNR > 1 && !($1 in L) { miss++ } END { exit miss + dup > 0 }' "$TMP/l.csv" "$TMP/c.csv" &&
  ok || fail "a caller without a label, or a number labelled twice"
for a in mass_dialler simbox wangiri spoofed impersonator; do
  expect_grep ",fraud,$a" "$TMP/l.csv" labels
done
for a in subscriber courier delivery business call_centre bank_service iot; do
  expect_grep ",legit,$a" "$TMP/l.csv" labels
done
# Planted counts per 100 000 people (a week's worth in a one-day run), give or take the ones
# that start too late in the day to call.
count() { grep -c ",$1\$" "$TMP/l.csv"; }
check_range() { # WHAT VALUE LO HI
  if [ "$2" -ge "$3" ] && [ "$2" -le "$4" ]; then ok; else fail "$1: $2, want $3-$4"; fi
}
check_range "mass diallers" "$(count mass_dialler)" 6 10
check_range "GOIP SIMs (3 racks of 16-64)" "$(count simbox)" 30 192
check_range "impersonators" "$(count impersonator)" 12 20
check_range "couriers" "$(count courier)" 120 280
check_range "riders" "$(count delivery)" 200 400

# Per-archetype behaviour, joined on the labels (one awk pass over the records).
awk -F, -v s=$START '
  NR == FNR { if (FNR > 1) A[$1] = $3; next }
  FNR == 1 { next }
  {
    a = A[$1]; n[a]++
    if ($11 == "international") intl[a]++
    if ($4 > 0) answered[a]++
    if ($4 < 10) short[a]++
    if ($7 == "sms") sms[a]++
    if ($11 == "international" && $1 !~ /^(\+|00)/ && a != "spoofed") domestic_intl++
    if (a == "wangiri" && ($4 != 0 || $5 < 1 || $5 > 3)) bad_wangiri++
    if (a == "impersonator" && $4 > 0 && ($4 < 300 || $4 > 1800)) bad_imp++
    hour = int(($3 - s) / 3600); per_hour[$1 "," hour]++
    if (A[$2] == "simbox") to_simbox++
    if (a == "simbox") { sims[$1] = 1; if ($9 != "") imsi_of[$9 "," $10] = 1; imeis[$9] = 1 }
  }
  END {
    for (k in per_hour) { split(k, p, ","); if (A[p[1]] == "mass_dialler" && per_hour[k] > burst) burst = per_hour[k]
                          if (A[p[1]] == "courier" && per_hour[k] > courier_h) courier_h = per_hour[k] }
    ns = 0; for (k in sims) ns++; ni = 0; for (k in imeis) ni++
    printf "mass dialler: max %d calls in an hour, %.2f short\n", burst, short["mass_dialler"] / n["mass_dialler"]
    printf "simbox: %d SIMs on %d IMEIs, %d calls to them\n", ns, ni, to_simbox + 0
    printf "couriers: max %d calls in an hour; answered %.2f\n", courier_h, answered["courier"] / n["courier"]
    printf "subscribers answered %.2f; iot sms %d of %d\n", answered["subscriber"] / n["subscriber"], sms["iot"], n["iot"]
    bad = 0
    if (burst < 150) { print "FAIL mass diallers never burst"; bad++ }
    if (short["mass_dialler"] < 0.8 * n["mass_dialler"]) { print "FAIL mass dialler calls not mostly short"; bad++ }
    if (intl["wangiri"] != n["wangiri"] || bad_wangiri) { print "FAIL wangiri not one-ring international"; bad++ }
    if (intl["spoofed"] != n["spoofed"] || answered["spoofed"] < 0.5 * n["spoofed"]) { print "FAIL spoofed calls"; bad++ }
    if (domestic_intl) { print "FAIL a legit domestic number on the international trunk"; bad++ }
    if (bad_imp || answered["impersonator"] < 0.7 * n["impersonator"]) { print "FAIL impersonator talks"; bad++ }
    if (to_simbox || ni * 4 > ns) { print "FAIL GOIP SIMs receive calls or do not share IMEIs"; bad++ }
    if (courier_h >= 100 || answered["courier"] < 0.6 * n["courier"] || answered["courier"] > 0.8 * n["courier"]) { print "FAIL couriers"; bad++ }
    if (sms["iot"] != n["iot"]) { print "FAIL IoT numbers place voice calls"; bad++ }
    if (answered["subscriber"] < 0.65 * n["subscriber"]) { print "FAIL subscribers answer too little"; bad++ }
    exit bad > 0
  }' "$TMP/l.csv" "$TMP/c.csv" >"$TMP/behaviour" && ok || fail "archetype behaviour"
sed 's/^/  /' "$TMP/behaviour"

# Victims: every fraud number that reached a resident, with consistent counts; every fraud
# archetype has some.
if [ "$(line_of 1 "$TMP/v.csv")" = "resident,fraud_number,archetype,calls,answered,total_talk_s,max_talk_s" ]; then
  ok; else fail "victims header"; fi
awk -F, 'NR == FNR { if (FNR > 1) { L[$1] = $2; A[$1] = $3 } next }
  FNR > 1 && (L[$2] != "fraud" || A[$2] != $3 || L[$1] == "fraud" || $5 > $4 || $7 > $6 ||
              ($5 > 0) != ($6 > 0) || $4 < 1) { bad++; if (bad < 4) print }
  END { exit bad > 0 }' "$TMP/l.csv" "$TMP/v.csv" && ok || fail "inconsistent victim rows"
for a in mass_dialler simbox wangiri spoofed impersonator; do
  expect_grep ",$a," "$TMP/v.csv" victims
done
# A Wangiri victim who called back talked on the premium line.
awk -F, '$3 == "wangiri" && $5 > 0 { n++ } END { exit n < 10 }' "$TMP/v.csv" && ok ||
  fail "fewer than 10 Wangiri callbacks"
# Victims match the records: each row's calls and talk are those of the CSV between the two
# (Wangiri left out: its victims call back a different spelling, 00 for +).
awk -F, 'NR == FNR { if ($2 == "fraud" && $3 != "wangiri") F[$1] = 1; next }
  FNR == 1 { next }
  FILENAME ~ /c.csv$/ && ($1 in F) { k = $2 "," $1; calls[k]++; talk[k] += $4; next }
  FILENAME ~ /c.csv$/ && ($2 in F) { k = $1 "," $2; calls[k]++; talk[k] += $4; next }
  FILENAME ~ /v.csv$/ && $3 != "wangiri" { rows++; k = $1 "," $2
    if (calls[k] != $4 || talk[k] != $6) { bad++; if (bad < 4) print "victim row " $0 " vs " calls[k] " calls " talk[k] " s" } }
  END { if (rows < 100) { print "only " rows " victim rows"; bad++ } exit bad > 0 }' \
  "$TMP/l.csv" "$TMP/c.csv" "$TMP/v.csv" && ok || fail "victim rows disagree with the records"

# Whitelist: the banks' and courier companies' service numbers, never a courier's mobile.
expect_grep "95588" "$TMP/w.txt" whitelist
expect_grep "95338" "$TMP/w.txt" whitelist
awk -F, 'NR == FNR { W[$1] = 1; next } ($1 in W) && $3 != "bank_service" && $3 != "call_centre" { bad++ }
  END { exit bad > 0 }' "$TMP/w.txt" "$TMP/l.csv" && ok || fail "whitelist holds a personal number"

finish
