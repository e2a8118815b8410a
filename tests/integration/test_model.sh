#!/usr/bin/env bash
# fangzha train and eval on the team's tiny corpus (tests/data/model/tiny.tsv): the model is
# written and loads, eval prints one JSON object with the contract's keys and sensible figures,
# bad rows and bad model files are reported with exit code 2, usage errors too.
source "$(dirname "$0")/lib.sh"
TINY=$DATA/model/tiny.tsv

expect_code 0 "$FZ" train --help
expect_grep "usage: fangzha train" "$TMP/out"
expect_code 0 "$FZ" eval --help
expect_grep "usage: fangzha eval" "$TMP/out"
expect_code 2 "$FZ" train --data "$TINY"
expect_grep "--data and --out are required" "$TMP/err"
expect_code 2 "$FZ" eval --model "$TMP/none"
expect_code 2 "$FZ" train --data "$TINY" --out "$TMP/m" --dim-bits 40
expect_code 1 "$FZ" train --data "$TMP/missing.tsv" --out "$TMP/m"
expect_grep "cannot open" "$TMP/err"

# train: a report on stdout, no progress (stderr is not a terminal)
expect_code 0 "$FZ" train --data "$TINY" --out "$TMP/tiny.model" --dim-bits 16
expect_grep "rows: " "$TMP/out" "train report"
expect_grep "impersonate_authority" "$TMP/out" "train report"
expect_grep "wrote $TMP/tiny.model" "$TMP/out" "train report"
[ -s "$TMP/tiny.model" ] && ok || fail "no model file"
[ -s "$TMP/err" ] && fail "train wrote on stderr: $(head -c 200 "$TMP/err")" || ok

# eval on the training rows: one JSON object with every key, perfect on what it learned
expect_code 0 "$FZ" eval --model "$TMP/tiny.model" --data "$TINY"
expect_lines 1 "$TMP/out"
for key in '"n":' '"n_ham_spam":' '"precision":' '"recall":' '"f1":' '"fpr":' '"accuracy":' \
           '"fraud":{' '"types":{' '"macro_f1":' '"confusion":{' '"msgs_per_s":'; do
  expect_grep "$key" "$TMP/out" "eval"
done
expect_grep '"f1":1,' "$TMP/out" "eval"
if command -v python3 >/dev/null; then
  python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["n"] >= 30 and d["fraud"]["f1"] == 1' \
    "$TMP/out" && ok || fail "eval JSON does not parse or fraud f1 != 1"
fi

# bad rows are reported with their line numbers, the rest is still evaluated
printf 'label\tchannel\ttext\nham\tsms\thello\nweird\tsms\tx\nfraud\tsms\ta\\qb\nspam\tsms\tsale\n' >"$TMP/bad.tsv"
expect_code 2 "$FZ" eval --model "$TMP/tiny.model" --data "$TMP/bad.tsv"
expect_grep "bad.tsv:3: unknown label 'weird'" "$TMP/err"
expect_grep "bad.tsv:4:" "$TMP/err"
expect_grep '"n":2,' "$TMP/out"

# a corrupted or truncated model file is refused with a precise reason
head -c 1000 "$TMP/tiny.model" >"$TMP/trunc.model"
expect_code 2 "$FZ" eval --model "$TMP/trunc.model" --data "$TINY"
expect_grep "truncated" "$TMP/err"
cp "$TMP/tiny.model" "$TMP/flip.model"
printf 'Z' | dd of="$TMP/flip.model" bs=1 seek=5000 conv=notrunc status=none
expect_code 2 "$FZ" eval --model "$TMP/flip.model" --data "$TINY"
expect_grep "checksum" "$TMP/err"

# the split: test and train rows together are all rows
expect_code 0 "$FZ" eval --model "$TMP/tiny.model" --data "$TINY" --split test
nt=$(sed 's/^{"n":\([0-9]*\).*/\1/' "$TMP/out")
expect_code 0 "$FZ" eval --model "$TMP/tiny.model" --data "$TINY" --split train
nr=$(sed 's/^{"n":\([0-9]*\).*/\1/' "$TMP/out")
[ $((nt + nr)) -eq "$(($(wc -l <"$TINY") - 1))" ] && ok || fail "split $nt + $nr rows"

finish
