#!/usr/bin/env bash
# The signal commands on the team's samples (data/samples): the JSON contract of check number,
# check url, extract and normalize, field by field, and a golden file for extract.
source "$(dirname "$0")/lib.sh"

# check number: one object per input, in order, with every contract field.
expect_code 0 "$FZ" check number - <"$SAMPLES/numbers.txt"
expect_lines "$(wc -l <"$SAMPLES/numbers.txt")" "$TMP/out"
for key in '"input":' '"valid":' '"e164":' '"class":' '"country_code":' '"flags":[' '"risk":' '"reasons":['; do
  expect_grep "$key" "$TMP/out" "check number"
done
n() { line_of "$1" "$TMP/out"; }
n 2  >"$TMP/l"; expect_grep '"e164":"+8613812345678","class":"mobile","country_code":86' "$TMP/l"
n 4  >"$TMP/l"; expect_grep '"e164":"+861065123456","class":"landline"' "$TMP/l"
n 6  >"$TMP/l"; expect_grep '"e164":"+864008208820","class":"tollfree"' "$TMP/l"
n 7  >"$TMP/l"; expect_grep '"e164":null,"class":"service"' "$TMP/l"
n 9  >"$TMP/l"; expect_grep '"had_ip_prefix"' "$TMP/l"
n 10 >"$TMP/l"; expect_grep '"class":"mvno"' "$TMP/l"
n 11 >"$TMP/l"; expect_grep '"class":"data"' "$TMP/l"
n 12 >"$TMP/l"; expect_grep '"class":"iot"' "$TMP/l"
n 13 >"$TMP/l"; expect_grep '"class":"sms_port"' "$TMP/l"
n 14 >"$TMP/l"; expect_grep '"e164":"+14155552671","class":"international","country_code":1' "$TMP/l"
n 15 >"$TMP/l"; expect_grep '"had_cn_numerals"' "$TMP/l"
n 16 >"$TMP/l"; expect_grep '"had_fullwidth"' "$TMP/l"
n 17 >"$TMP/l"; expect_grep '"had_tel_uri"' "$TMP/l"
n 19 >"$TMP/l"; expect_grep '"valid":false,"e164":null,"class":"invalid"' "$TMP/l"
# Arguments work as well as stdin; a 300-byte argument is rejected with its position.
expect_code 2 "$FZ" check number 13812345678 "$(head -c 300 /dev/zero | tr '\0' 1)"
expect_lines 1 "$TMP/out"
expect_grep "line 2: number of 300 bytes is too long" "$TMP/err"

# check url
expect_code 0 "$FZ" check url - <"$SAMPLES/urls.txt"
expect_lines "$(wc -l <"$SAMPLES/urls.txt")" "$TMP/out"
n 1 >"$TMP/l"; expect_grep '"host":"www.icbc.com.cn","registrable_domain":"icbc.com.cn","flags":[],"lookalike_of":null' "$TMP/l"
n 2 >"$TMP/l"; expect_grep '"lookalike_of":"icbc.com.cn"' "$TMP/l"; expect_grep '"no_scheme"' "$TMP/l"
n 4 >"$TMP/l"; expect_grep '"lookalike_of":"paypal.com"' "$TMP/l"
n 5 >"$TMP/l"; expect_grep '"registrable_domain":null,"flags":["ip_host","nonstandard_port"]' "$TMP/l"
n 6 >"$TMP/l"; expect_grep '"userinfo"' "$TMP/l"
n 7 >"$TMP/l"; expect_grep '"shortener"' "$TMP/l"
n 8 >"$TMP/l"; expect_grep '"punycode"' "$TMP/l"
n 9 >"$TMP/l"; expect_grep '"url":"http://etc-vip.top/"' "$TMP/l"
n 10 >"$TMP/l"; expect_grep '"url":"http://taobao.com.cn-refund.top/a?b=1"' "$TMP/l"

# extract: every contract key on every line, offsets that cut the original bytes.
expect_code 0 "$FZ" extract "$SAMPLES/sms.txt"
expect_lines "$(wc -l <"$SAMPLES/sms.txt")" "$TMP/out"
for key in '"line":' '"phones":[' '"urls":[' '"emails":[' '"bank_cards":[' '"id_numbers":[' '"qq":[' '"wechat":[' '"amounts_fen":[' '"obfuscation":'; do
  c=$(grep -cF -- "$key" "$TMP/out")
  [ "$c" -eq "$(wc -l <"$SAMPLES/sms.txt")" ] && ok || fail "extract: $key on $c lines"
done
n 4 >"$TMP/l"; expect_grep '"id_numbers":[{"raw":"110101199003074258","value":"110101199003074258"' "$TMP/l"
expect_grep '"raw":"+86 10 6512 3456","value":"+861065123456"' "$TMP/l"
n 5 >"$TMP/l"; expect_grep '"raw":"幺三八 一二三四 五六七八","value":"+8613812345678"' "$TMP/l"
n 6 >"$TMP/l"; expect_grep '"bank_cards":[{"raw":"6222 0212 3456 7890 128","value":"6222021234567890128"' "$TMP/l"
expect_grep '"class":"mvno"' "$TMP/l"
n 8 >"$TMP/l"; expect_grep '"phones":[]' "$TMP/l"   # pickup code, date and time are no phones
n 9 >"$TMP/l"; expect_grep '"phones":[]' "$TMP/l"   # a verification code is no phone
n 11 >"$TMP/l"; expect_grep '"wechat":[{"raw":"licai_8888"' "$TMP/l"; expect_grep '"value":1000000' "$TMP/l"
n 14 >"$TMP/l"; expect_grep '"raw":"3.5万","value":3500000' "$TMP/l"
n 18 >"$TMP/l"; expect_grep '"qq":[{"raw":"908123456"' "$TMP/l"
# The byte offsets cut exactly the raw text out of the original line.
line=$(sed -n 4p "$SAMPLES/sms.txt")
start=$(sed -n 4p "$TMP/out" | grep -o '"raw":"+86 10 6512 3456","value":"[^"]*","start":[0-9]*' | grep -o '[0-9]*$')
cut=$(printf '%s' "$line" | tail -c +$((start + 1)) | head -c 16)
[ "$cut" = "+86 10 6512 3456" ] && ok || fail "offset $start cuts '$cut'"

# The whole extract output is pinned by a golden file (regenerate deliberately with
# FZ_UPDATE_GOLDEN=1 after reviewing the diff).
golden=$DATA/golden/extract_samples.jsonl
if [ "${FZ_UPDATE_GOLDEN:-}" = 1 ]; then mkdir -p "$(dirname "$golden")"; cp "$TMP/out" "$golden"; fi
if diff -u "$golden" "$TMP/out" >"$TMP/diff"; then ok; else fail "extract differs from $golden"; head -40 "$TMP/diff"; fi

# normalize: disguises are undone and counted.
printf '安 全 账 户\n幺三八一二三四五六七八\n請將資金轉入\nＡＢＣ１２３\n' | "$FZ" normalize - >"$TMP/out"
n 1 >"$TMP/l"; expect_grep '"text":"安全账户"' "$TMP/l"
n 2 >"$TMP/l"; expect_grep '"text":"13812345678"' "$TMP/l"
n 3 >"$TMP/l"; expect_grep '"text":"请将资金转入"' "$TMP/l"
n 4 >"$TMP/l"; expect_grep '"text":"abc123"' "$TMP/l"

# The canonical datasets, when present, go through extract without a rejected line.
canon=$ROOT/../shared/data/canonical
if [ -f "$canon/cn-spam-sms.tsv" ]; then
  expect_code 0 "$FZ" extract --tsv "$canon/cn-spam-sms.tsv"
  expect_lines "$(($(wc -l <"$canon/cn-spam-sms.tsv") - 1))" "$TMP/out"
else
  echo "skip: $canon not present (shared datasets are optional)"
fi

finish
