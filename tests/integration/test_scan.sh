#!/usr/bin/env bash
# fangzha scan on the real binary: the verdict contract, JSON Lines input and its errors, TSV,
# the shipped rules, and a model trained on the team's tiny set.
source "$(dirname "$0")/lib.sh"

expect_code 0 "$FZ" scan --help; expect_grep "usage: fangzha scan" "$TMP/out"
expect_code 0 "$FZ" scan "$SAMPLES/sms.txt"
expect_lines "$(wc -l <"$SAMPLES/sms.txt")" "$TMP/out"
for key in '"id":' '"score":' '"label":' '"fraud_type":' '"action":' '"reasons":[' '"entities":{"phones":['; do
  c=$(grep -cF -- "$key" "$TMP/out")
  [ "$c" -eq "$(wc -l <"$SAMPLES/sms.txt")" ] && ok || fail "scan: $key on $c lines"
done
# The "safe account" message is blocked as impersonating the authorities, with spans.
line_of 4 "$TMP/out" >"$TMP/l"
expect_grep '"label":"fraud","fraud_type":"impersonate_authority","action":"block"' "$TMP/l"
expect_grep '"rule":"authority.safe_account"' "$TMP/l"
# Ordinary messages are allowed: the meeting, the pickup code, the verification code.
for n in 7 8 9; do line_of $n "$TMP/out" >"$TMP/l"; expect_grep '"label":"ham"' "$TMP/l" "scan line $n"; expect_grep '"action":"allow"' "$TMP/l" "scan line $n"; done
# A span cuts the matched words out of the original line.
line=$(sed -n 4p "$SAMPLES/sms.txt")
span=$(line_of 4 "$TMP/out" | grep -o '"rule":"authority.safe_account"[^]]*' | grep -o '"span":\[[0-9]*,[0-9]*' | grep -o '[0-9]*,[0-9]*')
s=${span%,*} e=${span#*,}
cut=$(printf '%s' "$line" | tail -c +$((s + 1)) | head -c $((e - s)))
[ "$cut" = "安全账户" ] && ok || fail "span $span cuts '$cut'"

# -j N keeps the input order and gives the same verdicts.
for _ in 1 2 3 4 5 6 7 8 9 10; do cat "$SAMPLES/sms.txt"; done >"$TMP/many.txt"
"$FZ" scan "$TMP/many.txt" >"$TMP/j1"
expect_code 0 "$FZ" scan -j 3 "$TMP/many.txt"
if cmp -s "$TMP/j1" "$TMP/out"; then ok; else fail "scan -j 3 differs from -j 1"; fi
expect_code 2 "$FZ" scan -j 0 "$TMP/many.txt"; expect_grep "--jobs wants a number from 1 to 64" "$TMP/err"

# JSON Lines: ids carried through; bad lines reported with their number and field.
printf '%s\n' '{"id":"m1","text":"请将资金转入安全账户","channel":"sms","sender":"10690000"}' \
  '{"id":"m2","text":"明天开会"}' 'not json' '{"id":"m4"}' '{"id":5,"text":"x"}' '{"text":"无编号"}' >"$TMP/in.jsonl"
expect_code 2 "$FZ" scan --jsonl "$TMP/in.jsonl"
expect_lines 3 "$TMP/out"
expect_grep '"id":"m1","score":' "$TMP/out"
expect_grep '"id":"m2","score":0,"label":"ham"' "$TMP/out"
expect_grep '"id":6,' "$TMP/out"
expect_grep "line 3: bad JSON" "$TMP/err"
expect_grep "line 4: field 'text': expected an object with a string \"text\"" "$TMP/err"
expect_grep "line 5: field 'id': \"id\" must be a string" "$TMP/err"
expect_code 2 "$FZ" scan --jsonl --tsv "$TMP/in.jsonl"
# The same rejections, in the same order, on two threads; --strict stops at the first.
expect_code 2 "$FZ" scan -j 2 --jsonl "$TMP/in.jsonl"
expect_lines 3 "$TMP/out"
expect_grep "line 5: field 'id'" "$TMP/err"
expect_code 2 "$FZ" scan -j 2 --strict --jsonl "$TMP/in.jsonl"
expect_lines 2 "$TMP/out"
expect_nogrep "line 4" "$TMP/err"

# Rules: a missing directory or a broken file is a runtime failure with the reason.
expect_code 1 "$FZ" scan --rules /nonexistent "$SAMPLES/sms.txt"
expect_grep "rules" "$TMP/err"
mkdir -p "$TMP/rules" && printf 'rule: x\ntype: nonsense\n' >"$TMP/rules/bad.rules"
expect_code 1 "$FZ" scan --rules "$TMP/rules" "$SAMPLES/sms.txt"
expect_grep "line 2" "$TMP/err"
# The sender is judged too (its reasons have no span); channel and sender are checked.
printf '%s\n' '{"id":"a","text":"请回电","sender":"17012345678","channel":"sms"}' \
  '{"id":"b","text":"x","channel":"fax"}' '{"id":"c","text":"x","sender":5}' >"$TMP/sender.jsonl"
expect_code 2 "$FZ" scan --jsonl "$TMP/sender.jsonl"
expect_lines 1 "$TMP/out"
expect_grep '"signal":"sender.phone.mvno"' "$TMP/out"
expect_grep '"description_zh":"发送号码：' "$TMP/out"
expect_grep '"span":null' "$TMP/out"
expect_grep "line 2: field 'channel': \"channel\" must be sms, chat, email, call or other" "$TMP/err"
expect_grep "line 3: field 'sender': \"sender\" must be a string" "$TMP/err"

# Compiled rules are cached: the first run writes the cache, the second loads it, same verdicts;
# FANGZHA_CACHE_DIR="" turns the cache off.
expect_code 0 env FANGZHA_CACHE_DIR="$TMP/cache" "$FZ" --verbose scan "$SAMPLES/sms.txt"
expect_grep "compiled rules written to $TMP/cache/rules-" "$TMP/err"
cp "$TMP/out" "$TMP/first"
expect_code 0 env FANGZHA_CACHE_DIR="$TMP/cache" "$FZ" --verbose scan "$SAMPLES/sms.txt"
expect_grep "compiled rules loaded from $TMP/cache/rules-" "$TMP/err"
if cmp -s "$TMP/out" "$TMP/first"; then ok; else fail "verdicts differ with cached rules"; fi
expect_code 0 env FANGZHA_CACHE_DIR= "$FZ" --verbose scan "$SAMPLES/sms.txt"
expect_nogrep "compiled rules" "$TMP/err"
# Robustness: a line of 1 MiB of one character, of one CJK character, of every byte value (not
# UTF-8), and lines holding tens of thousands of entities: one verdict each, same at -j 2.
python3 - "$TMP/big.txt" <<'PY'
import sys
with open(sys.argv[1], "wb") as f:
    f.write(b"a" * ((1 << 20) - 11) + b"\n")
    f.write("\u4e2d".encode() * ((1 << 20) // 3 - 10) + b"\n")
    f.write(bytes(b for b in range(256) if b != 10) * 4000 + b"\n")
    f.write("\u5b89\u5168\u8d26\u6237".encode() * 80000 + b"\n")
    f.write(b"13812345678 " * 80000 + b"\n")
    f.write(b"http://" * 140000 + b"\n")
PY
expect_code 0 "$FZ" scan "$TMP/big.txt"
expect_lines 6 "$TMP/out"
cp "$TMP/out" "$TMP/big1"
expect_code 0 "$FZ" scan -j 2 "$TMP/big.txt"
if cmp -s "$TMP/out" "$TMP/big1"; then ok; else fail "-j 2 differs on the big lines"; fi
line_of 4 "$TMP/big1" >"$TMP/l"; expect_grep '"rule":"authority.safe_account"' "$TMP/l"
# Without rules and model, only entity risk remains.
expect_code 0 "$FZ" scan --no-rules "$SAMPLES/sms.txt"
line_of 4 "$TMP/out" >"$TMP/l"; expect_nogrep '"rule":' "$TMP/l"
expect_code 1 "$FZ" scan --model /nonexistent.model "$SAMPLES/sms.txt"

# With a model trained on the team's tiny set.
tiny=$DATA/model/tiny.tsv
if [ -f "$tiny" ]; then
  expect_code 0 "$FZ" train --data "$tiny" --out "$TMP/tiny.model"
  expect_code 0 "$FZ" scan --model "$TMP/tiny.model" "$SAMPLES/sms.txt"
  expect_lines "$(wc -l <"$SAMPLES/sms.txt")" "$TMP/out"
  expect_code 0 "$FZ" scan --model "$TMP/tiny.model" --tsv "$tiny"
else
  echo "skip: $tiny absent"
fi

finish
