#!/usr/bin/env bash
# fangzha trace end to end: the flow tree, freeze list and refunds of a small fixture against
# golden files (JSON for FIFO and LIFO, the freeze list as CSV), bad rows reported with their
# line numbers and exit code 2, usage errors, and mule scoring (the AMLSim evaluation when
# ../shared/data/amlsim-20k is present).
source "$(dirname "$0")/lib.sh"
T=$DATA/trace
V=(--victim 6222000000000100:50000:2026-03-01T10:00 --victim 6228000000000200:30000:2026-03-01T10:00)

expect_code 0 "$FZ" trace --tx "$T/small.csv" "${V[@]}"
if cmp -s "$TMP/out" "$T/small.golden.json"; then ok; else
  fail "trace JSON differs from small.golden.json"; diff <(python3 -m json.tool "$T/small.golden.json") <(python3 -m json.tool "$TMP/out") | head -20; fi
expect_code 0 "$FZ" trace --tx "$T/small.csv" "${V[@]}" --rule lifo
if cmp -s "$TMP/out" "$T/small.lifo.golden.json"; then ok; else fail "LIFO JSON differs from small.lifo.golden.json"; fi
expect_code 0 "$FZ" trace --tx "$T/small.csv" "${V[@]}" --csv
if cmp -s "$TMP/out" "$T/small.freeze.csv"; then ok; else fail "freeze CSV differs from small.freeze.csv"; fi
# the same from standard input, and the JSON is valid
expect_code 0 sh -c "'$FZ' trace --tx - ${V[*]} < '$T/small.csv'"
if cmp -s "$TMP/out" "$T/small.golden.json"; then ok; else fail "trace from stdin differs"; fi
if python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert set(d) >= {"victims","tree","freeze","refunds"}' "$TMP/out"; then ok; else fail "not the documented JSON"; fi
expect_grep '"method":"pro_rata","notice_until":"2026-04-03T10:00:00+08:00"' "$TMP/out"
expect_grep '"stop_payment_deadline":"2026-03-03T10:30:00+08:00","freeze_until":"2026-09-01T10:30:00+08:00"' "$TMP/out"

# every bad row, with its line and field; exit 2
expect_code 2 "$FZ" trace --tx "$T/bad.csv" --victim A:1:0
expect_grep "bad.csv: line 3, field 'amount_fen': fractional amount '12.5'" "$TMP/err"
expect_grep "line 4, field 'amount_fen': negative amount '-3'" "$TMP/err"
expect_grep "line 6, field 'time': bad time '2026-03-01 25:00'" "$TMP/err"
expect_grep "line 7, field 'to': the same account as 'from'" "$TMP/err"
expect_grep "line 8, field 'amount_fen': amount overflows int64" "$TMP/err"
expect_lines 5 "$TMP/err"
expect_lines 0 "$TMP/out"

# usage errors
expect_code 2 "$FZ" trace --tx "$T/small.csv"
expect_code 2 "$FZ" trace --tx "$T/small.csv" --victim nope
expect_code 2 "$FZ" trace --tx "$T/small.csv" --victim NOPE:100:2026-03-01T10:00
expect_grep "victim account 'NOPE' is not in" "$TMP/err"
expect_code 2 "$FZ" trace --tx "$T/small.csv" "${V[@]}" --rule random
expect_code 2 "$FZ" trace --tx "$T/small.csv" "${V[@]}" --max-hops 0
expect_code 1 "$FZ" trace --tx "$T/absent.csv" "${V[@]}"
expect_code 0 "$FZ" trace --help
expect_grep "stop_payment_deadline" "$TMP/out"
expect_code 2 "$FZ" trace mules

# mule scores
expect_code 0 "$FZ" trace mules --tx "$T/small.csv" --top 3
expect_lines 3 "$TMP/out"
expect_grep '"rank":1,' "$TMP/out"
AML=$ROOT/../shared/data/amlsim-20k/20K_fanin200
if [ -f "$AML/nodes.csv" ]; then
  expect_code 0 "$FZ" trace mules --eval "$AML"
  if python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); a=[x for x in d["at"] if x["k"]==100][0]; assert a["precision"] >= 0.8, a' "$TMP/out"; then ok; else fail "AMLSim precision@100 below 0.8: $(cat "$TMP/out")"; fi
else
  echo "skip: $AML is absent (AMLSim evaluation)"
fi
finish
