#!/usr/bin/env bash
# fangzha cdr on the real binary: analyze (flagged numbers with the right detector and reasons,
# bad rows located, late rows reported, --strict), JSON Lines input, a header without a required
# column, warnings graded, train and eval, and cdr stream surviving kill -9 with its checkpoint
# without losing a warning. With the simulator (build/bench/gen_cdr) beside the binary, also a
# simulated city end to end.
source "$(dirname "$0")/lib.sh"
CITY=$DATA/cdr/city.csv

expect_code 0 "$FZ" cdr --help; expect_grep "usage: fangzha cdr analyze" "$TMP/out"
expect_code 2 "$FZ" cdr; expect_code 2 "$FZ" cdr frobnicate
expect_code 2 "$FZ" cdr analyze --flag-threshold 7 "$CITY"
expect_code 2 "$FZ" cdr train "$CITY"; expect_grep "needs --labels and --out" "$TMP/err"

# analyze: the two planted numbers flagged, each by its own detector, with readable reasons;
# the two malformed rows located; the late row counted; exit 2 because rows were bad.
expect_code 2 "$FZ" cdr analyze --flagged --alerts "$TMP/alerts.jsonl" "$CITY"
expect_lines 2 "$TMP/out"
grep -F '"number":"+8613900000001"' "$TMP/out" >"$TMP/dialler"
expect_grep '"flagged":true' "$TMP/dialler"; expect_grep '"detectors":["mass_dialler"]' "$TMP/dialler"
expect_grep '群呼：1小时内外呼' "$TMP/dialler"; expect_grep '"calls_1h":' "$TMP/dialler"
grep -F '"number":"110"' "$TMP/out" >"$TMP/spoof"
expect_grep '"detectors":["spoofed_caller_id"]' "$TMP/spoof"
expect_grep "city.csv, line 100, field 'duration_s': not a whole number" "$TMP/err"
expect_grep "line 645, field 'start_time'" "$TMP/err"
expect_grep "1 records arrived too late" "$TMP/err"
# every caller scored without --flagged; the highest first
expect_code 2 "$FZ" cdr analyze "$CITY"
[ "$(wc -l <"$TMP/out")" -gt 40 ] && ok || fail "analyze: too few numbers"
expect_grep '"score":0.99' <(head -1 "$TMP/out") "analyze first line"
# warnings: the resident who talked 5 minutes with the dialler is high, the 110 victim too
expect_grep '"resident":"+8613810000005","fraud_number":"+8613900000001"' "$TMP/alerts.jsonl"
grep -F '"resident":"+8613810000005"' "$TMP/alerts.jsonl" >"$TMP/hi"
expect_grep '"grade":"high"' "$TMP/hi"; expect_grep '"total_talk_s":300' "$TMP/hi"
grep -F '"fraud_number":"110"' "$TMP/alerts.jsonl" >"$TMP/hi110"
expect_grep '"grade":"high"' "$TMP/hi110"; expect_grep '"resident":"+8613700000003"' "$TMP/hi110"
expect_grep '"grade":"low"' "$TMP/alerts.jsonl"
# --strict stops at line 100
expect_code 2 "$FZ" cdr analyze --strict "$CITY"; expect_lines 0 "$TMP/out"
expect_grep "line 100" "$TMP/err"
# a header without start_time is refused as a whole
printf 'caller,callee,duration_s\n13900000001,13800138000,5\n' >"$TMP/nohdr.csv"
expect_code 2 "$FZ" cdr analyze "$TMP/nohdr.csv"; expect_grep "lacks the required column 'start_time'" "$TMP/err"
# JSON Lines: the same records give the same verdicts
head -n 98 "$CITY" | tail -n +2 | awk -F, '{ printf "{\"caller\":\"%s\",\"callee\":\"%s\",\"start_time\":%s,\"duration_s\":%s,\"ring_s\":%s,\"trunk\":\"%s\",\"imei\":\"%s\",\"cell_id\":\"%s\"}\n", $1, $2, $3, $4, $5, $11, $9, $8 }' >"$TMP/c.jsonl"
head -n 98 "$CITY" >"$TMP/c.csv"
"$FZ" cdr analyze "$TMP/c.jsonl" >"$TMP/j.out" 2>/dev/null; "$FZ" cdr analyze "$TMP/c.csv" >"$TMP/c.out" 2>/dev/null
cmp -s "$TMP/j.out" "$TMP/c.out" && ok || fail "JSON Lines and CSV disagree"

# train and eval on the labelled fixture
expect_code 2 "$FZ" cdr train --labels "$DATA/cdr/labels.csv" --out "$TMP/m.model" "$CITY"
expect_grep '"fraud":2' "$TMP/out"; expect_grep "fangzha-cdr-model 1" "$TMP/m.model"
expect_code 2 "$FZ" cdr eval --labels "$DATA/cdr/labels.csv" --model "$TMP/m.model" "$CITY"
expect_grep '"at_flag_threshold":{"precision":1,"recall":1' "$TMP/out"
expect_grep '"mass_dialler":{"numbers":1,"flagged":1,"detection_rate":1,"right_detector_rate":1}' "$TMP/out"
printf 'number,label\n13900000001,maybe\n' >"$TMP/badlab.csv"
expect_code 2 "$FZ" cdr eval --labels "$TMP/badlab.csv" "$CITY"; expect_grep "badlab.csv, line 2" "$TMP/err"
printf 'not a model\n' >"$TMP/bad.model"
expect_code 2 "$FZ" cdr analyze --model "$TMP/bad.model" "$CITY"; expect_grep "not a fangzha CDR model" "$TMP/err"

# stream: the same warnings as analyze, as events
"$FZ" cdr stream <"$CITY" >"$TMP/stream.all" 2>/dev/null
expect_grep '{"event":"flagged","number":"+8613900000001"' "$TMP/stream.all"
expect_grep '{"event":"alert","alert_id":' "$TMP/stream.all"
grep -o '"alert_id":"[0-9a-f]*"' "$TMP/stream.all" | sort -u >"$TMP/ids.all"
[ "$(wc -l <"$TMP/ids.all")" -gt 200 ] && ok || fail "stream: too few warnings"

# kill -9 in the middle, restart from the checkpoint: no warning lost
mkfifo "$TMP/fifo"
"$FZ" cdr stream --checkpoint "$TMP/ck" --checkpoint-rows 50 <"$TMP/fifo" >"$TMP/stream.1" 2>/dev/null &
pid=$!
exec 3>"$TMP/fifo"
head -n 300 "$CITY" >&3
for _ in $(seq 100); do [ -s "$TMP/ck" ] && [ "$(grep -c alert_id "$TMP/stream.1")" -gt 0 ] && break; sleep 0.1; done
kill -9 "$pid"; wait "$pid" 2>/dev/null; exec 3>&-
[ -s "$TMP/ck" ] && ok || fail "no checkpoint before the kill"
"$FZ" cdr stream --checkpoint "$TMP/ck" <"$CITY" >"$TMP/stream.2" 2>"$TMP/err"
expect_grep "resumed from" "$TMP/err"
cat "$TMP/stream.1" "$TMP/stream.2" | grep -o '"alert_id":"[0-9a-f]*"' | sort -u >"$TMP/ids.both"
missing=$(comm -23 "$TMP/ids.all" "$TMP/ids.both" | wc -l)
[ "$missing" -eq 0 ] && ok || fail "$missing warnings lost across kill -9"
[ -e "$TMP/ck.tmp" ] && fail "a temporary checkpoint was left" || ok
expect_code 2 "$FZ" cdr stream --checkpoint "$TMP/nohdr.csv" </dev/null
expect_grep "not a checkpoint" "$TMP/err"

# the simulator end to end, when the benchmarks were built
GEN=$(dirname "$FZ")/bench/gen_cdr
if [ -x "$GEN" ]; then
  "$GEN" --people 20000 --days 2 --seed 3 --out "$TMP/a.csv" --labels "$TMP/a.lab" --whitelist "$TMP/a.wl"
  "$GEN" --people 20000 --days 2 --seed 4 --out "$TMP/b.csv" --labels "$TMP/b.lab" --victims "$TMP/b.vic" --whitelist "$TMP/b.wl"
  expect_code 0 "$FZ" cdr train --labels "$TMP/a.lab" --whitelist "$TMP/a.wl" --out "$TMP/sim.model" "$TMP/a.csv"
  expect_code 0 "$FZ" cdr eval --labels "$TMP/b.lab" --victims "$TMP/b.vic" --whitelist "$TMP/b.wl" --model "$TMP/sim.model" "$TMP/b.csv"
  for a in mass_dialler simbox wangiri spoofed; do
    expect_grep "\"$a\":{\"numbers\":" "$TMP/out"
    grep -o "\"$a\":{[^}]*}" "$TMP/out" | grep -qF '"right_detector_rate":1}' && ok || fail "sim: $a not all caught by its detector: $(grep -o "\"$a\":{[^}]*}" "$TMP/out")"
  done
  for a in courier delivery; do
    grep -o "\"$a\":{[^}]*}" "$TMP/out" | grep -qF '"false_positive_rate":0}' && ok || fail "sim: $a flagged: $(grep -o "\"$a\":{[^}]*}" "$TMP/out")"
  done
else
  echo "skipped: the simulated city (no $GEN; the benchmarks were not built)"
fi
finish
