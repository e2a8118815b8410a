#!/usr/bin/env bash
# fangzha link: golden clusters on tests/data/link/cases.jsonl, rejected lines reported with
# their line number and field (exit 2, the good lines still linked), --strict, --help, bad
# options, and --eval on a generated file when gen_gangs is built next to the binary.
source "$(dirname "$0")/lib.sh"

expect_code 0 "$FZ" link --hub-floor 2 --hub-ratio 0.3 "$DATA/link/cases.jsonl"
if cmp -s "$TMP/out" "$DATA/link/cases.expected.jsonl"; then ok; else
  fail "link output differs from cases.expected.jsonl"; diff "$TMP/out" "$DATA/link/cases.expected.jsonl" | head -10
fi
# the same from stdin, and without the summary line
expect_code 0 sh -c "'$FZ' link --hub-floor 2 --hub-ratio 0.3 --no-summary - < '$DATA/link/cases.jsonl'"
expect_lines 2 "$TMP/out"
expect_nogrep '"summary"' "$TMP/out"

# two spellings of one phone join; the hub (95588 in 4 of 8 cases) is reported
expect_code 0 "$FZ" link --hub-floor 2 --hub-ratio 0.3 "$DATA/link/cases.jsonl"
expect_grep '"cases":["A1","A2","A3","N2"]' "$TMP/out"
expect_grep '"hubs":[{"kind":"phone","value":"95588","cases":4}]' "$TMP/out"

# bad lines: each reported with its line number and field, the rest still linked, exit 2
expect_code 2 "$FZ" link "$DATA/link/bad.jsonl"
expect_grep 'bad.jsonl:2: bad JSON' "$TMP/err"
expect_grep 'bad.jsonl:3: identifiers[0].kind: unknown kind' "$TMP/err"
expect_grep 'bad.jsonl:5: loss_fen: loss_fen must be a whole number' "$TMP/err"
expect_grep 'bad.jsonl:6: identifiers[1].value: not a phone number' "$TMP/err"
expect_grep 'bad.jsonl:7: case_id: missing case_id' "$TMP/err"
expect_nogrep 'call me' "$TMP/err" # values are never echoed
n=$(wc -l < "$TMP/err"); [ "$n" -eq 5 ] && ok || fail "want 5 error lines, got $n"
expect_grep '"cases":["ok1","ok2"]' "$TMP/out"
# --strict stops at the first
expect_code 2 "$FZ" link --strict "$DATA/link/bad.jsonl"
expect_lines 0 "$TMP/out"
n=$(wc -l < "$TMP/err"); [ "$n" -eq 1 ] && ok || fail "--strict: want 1 error line, got $n"

# usage
expect_code 0 "$FZ" link --help
expect_grep 'usage: fangzha link' "$TMP/out"
expect_code 2 "$FZ" link --hub-cap 0 "$DATA/link/cases.jsonl"
expect_code 2 "$FZ" link --resolution -1 "$DATA/link/cases.jsonl"
expect_code 2 "$FZ" link --bogus
expect_code 2 "$FZ" link "$TMP/absent.jsonl"
expect_code 2 "$FZ" link a.jsonl b.jsonl
expect_code 0 "$FZ" link /dev/null
expect_grep '"clusters":0' "$TMP/out"

# --eval on synthetic gangs (when the generator was built)
GEN=$(dirname "$FZ")/bench/gen_gangs
if [ -x "$GEN" ]; then
  "$GEN" --cases 3000 --seed 7 --truth "$TMP/truth.tsv" > "$TMP/gangs.jsonl"
  expect_code 0 "$FZ" link --eval "$TMP/truth.tsv" "$TMP/gangs.jsonl"
  awk -F'[:,]' '{ for (i = 1; i < NF; i++) {
      if ($i == "\"ring_recall\"") r = $(i + 1); if ($i == "\"purity\"") p = $(i + 1)
      if ($i == "\"organiser_top3\"") o = $(i + 1) } }
    END { exit !(r >= 0.9 && p >= 0.9 && o >= 0.9) }' "$TMP/out" && ok ||
    fail "eval below target: $(cat "$TMP/out")"
  printf 'case\tx\n' > "$TMP/badtruth.tsv"
  expect_code 2 "$FZ" link --eval "$TMP/badtruth.tsv" "$TMP/gangs.jsonl"
  expect_grep 'badtruth.tsv:1: not a truth line' "$TMP/err"
else
  echo "skip: --eval (bench/gen_gangs not built)"
fi
finish
