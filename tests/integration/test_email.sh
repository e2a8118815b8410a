#!/usr/bin/env bash
# fangzha scan --email on the real binary: one verdict per message file with the file name as
# id, stdin, errors (missing, empty, over the limit, --tsv), --strict, --format text; train
# and eval reading the e-mail TSV layout (plain and gzip, \xHH escapes, bad rows); and, when
# ../shared/data is present, eval over the spamassassin-email set.
source "$(dirname "$0")/lib.sh"
MAIL=$DATA/mail
FZ=$(cd "$(dirname "$FZ")" && pwd)/$(basename "$FZ") # the tests below cd into $MAIL

expect_code 0 "$FZ" scan --help; expect_grep "--email" "$TMP/out"
expect_code 0 "$FZ" --help; expect_grep "scan --email" "$TMP/out"

# One verdict per file, in order, id = the file name as given.
cd "$MAIL" || exit 1
files=(fraud_cn.eml crlf_ham.eml qp.eml base64_gbk.eml big5.eml html_only.eml nested.eml
       alt_empty_plain.eml broken_headers.eml truncated.eml)
expect_code 0 "$FZ" scan --email "${files[@]}"
expect_lines ${#files[@]} "$TMP/out"
for i in "${!files[@]}"; do
  line_of $((i + 1)) "$TMP/out" >"$TMP/l"
  expect_grep "{\"id\":\"${files[$i]}\",\"score\":" "$TMP/l"
done
# The police impersonation (HTML in GBK base64) is fraud, with the "safe account" rule and the
# link target of the HTML seen by the URL signal; the ordinary messages are allowed.
line_of 1 "$TMP/out" >"$TMP/l"
expect_grep '"label":"fraud","fraud_type":"impersonate_authority"' "$TMP/l"
expect_grep '"rule":"authority.safe_account"' "$TMP/l"
expect_grep '"value":"http://gaj-check.example.xyz/verify"' "$TMP/l"
expect_nogrep '"action":"allow"' "$TMP/l"
for n in 2 3 4 7; do
  line_of $n "$TMP/out" >"$TMP/l"; expect_grep '"action":"allow"' "$TMP/l" "scan --email line $n"
done
# A span cuts the rule's words out of the message text (subject, blank line, parts).
span=$(line_of 1 "$TMP/out" | grep -o '"rule":"authority.safe_account"[^]]*' | grep -o '[0-9]*,[0-9]*$')
[ -n "$span" ] && ok || fail "no span for authority.safe_account"

# stdin: "-" or no file.
expect_code 0 "$FZ" scan --email - <fraud_cn.eml
expect_grep '{"id":"-",' "$TMP/out"; expect_grep '"label":"fraud"' "$TMP/out"
expect_code 0 "$FZ" scan --email <crlf_ham.eml
expect_lines 1 "$TMP/out"; expect_grep '"label":"ham"' "$TMP/out"

# Readable output.
expect_code 0 "$FZ" scan --email --format text fraud_cn.eml
expect_grep "#fraud_cn.eml warn" "$TMP/out"; expect_grep "紧急：案件协查通知  【公安局】" "$TMP/out"
expect_grep "「安全账户」" "$TMP/out"; expect_lines 3 "$TMP/out" # one line per message, then its reasons

# Errors: the others go on, exit 2; --strict stops at the first.
: >"$TMP/empty.eml"
head -c $((10 * 1024 * 1024 + 1)) /dev/zero | tr '\0' 'a' >"$TMP/huge.eml"
expect_code 2 "$FZ" scan --email qp.eml /nonexistent.eml "$TMP/empty.eml" "$TMP/huge.eml" crlf_ham.eml
expect_lines 2 "$TMP/out"
expect_grep "cannot open '/nonexistent.eml'" "$TMP/err"
expect_grep "empty.eml: empty message" "$TMP/err"
expect_grep "huge.eml: message over the limit of 10485760 bytes (10 MiB)" "$TMP/err"
expect_code 2 "$FZ" scan --email --strict qp.eml /nonexistent.eml crlf_ham.eml
expect_lines 1 "$TMP/out"
expect_code 2 "$FZ" scan --email --tsv qp.eml; expect_grep "--email excludes --jsonl and --tsv" "$TMP/err"
expect_code 2 "$FZ" scan --email --jsonl qp.eml
# Binary junk is not a crash: it is read as what it is.
head -c 4096 /dev/urandom >"$TMP/junk.eml"
"$FZ" scan --email "$TMP/junk.eml" >"$TMP/out" 2>"$TMP/err"
code=$?; [ $code -eq 0 ] || [ $code -eq 2 ] && ok || fail "junk: exit $code"

# train and eval read the e-mail TSV layout (gzip or not) as rows of channel email.
tiny=$DATA/model/tiny.tsv
if [ -f "$tiny" ]; then
  gzip -c emails.tsv >"$TMP/emails.tsv.gz"
  expect_code 0 "$FZ" train --data "$tiny,$TMP/emails.tsv.gz" --out "$TMP/m.model"
  expect_code 0 "$FZ" eval --model "$TMP/m.model" --data emails.tsv
  expect_grep '"n":7,' "$TMP/out"; expect_grep '"bad_rows":0' "$TMP/out"
  expect_code 0 "$FZ" eval --model "$TMP/m.model" --data "$TMP/emails.tsv.gz"
  expect_grep '"n":7,' "$TMP/out"
  # A gzip-compressed canonical file is read as is.
  gzip -c "$tiny" >"$TMP/tiny.tsv.gz"
  expect_code 0 "$FZ" eval --model "$TMP/m.model" --data "$TMP/tiny.tsv.gz"
  expect_grep "\"n\":$(($(wc -l <"$tiny") - 1))," "$TMP/out"
  # Bad rows: a bad escape and a wrong field count are reported with their line, the rest read.
  { cat emails.tsv; printf 'ham\tg\tf\tm\tbad \\q escape\n'; printf 'ham\tonly three\tfields\n'; } >"$TMP/bad.tsv"
  expect_code 2 "$FZ" eval --model "$TMP/m.model" --data "$TMP/bad.tsv"
  expect_grep "bad.tsv:9: bad escape in raw_message" "$TMP/err"
  expect_grep "bad.tsv:10: wrong number of fields" "$TMP/err"
  expect_grep '"n":7,' "$TMP/out"
  # Corrupt and truncated gzip data is a runtime failure that says so.
  printf '\037\213\010\000garbage' >"$TMP/corrupt.tsv.gz"
  expect_code 1 "$FZ" eval --model "$TMP/m.model" --data "$TMP/corrupt.tsv.gz"
  expect_grep "corrupt or truncated gzip data" "$TMP/err"
  head -c 300 "$TMP/emails.tsv.gz" >"$TMP/cut.tsv.gz"
  expect_code 1 "$FZ" eval --model "$TMP/m.model" --data "$TMP/cut.tsv.gz"
  expect_grep "corrupt or truncated gzip data" "$TMP/err"
else
  echo "skip: $tiny absent (train/eval on e-mail rows)"
fi

# The spamassassin-email development set, when the shared data is there.
sa=$ROOT/../shared/data/spamassassin-email/emails.tsv.gz
if [ -f "$sa" ] && [ -f "$tiny" ]; then
  expect_code 0 "$FZ" eval --model "$TMP/m.model" --data "$sa"
  expect_grep '"n":4837,' "$TMP/out"; expect_grep '"bad_rows":0' "$TMP/out"
else
  echo "skip: $sa absent (shared data not present; e-mail evaluation not run)"
fi

finish
