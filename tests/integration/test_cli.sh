#!/usr/bin/env bash
# The command line's contract: help, exit codes, rejected lines with line numbers, --strict,
# TSV input, and over-long lines, on the real binary.
source "$(dirname "$0")/lib.sh"

expect_code 0 "$FZ" --help;              expect_grep "extract" "$TMP/out" "--help"
expect_code 0 "$FZ" --version;           expect_grep "fangzha " "$TMP/out" "--version"
expect_code 2 "$FZ"
expect_code 2 "$FZ" frobnicate;          expect_grep "unknown command 'frobnicate'" "$TMP/err"
expect_code 2 "$FZ" --bogus
for c in "check number" "check url" extract normalize; do
  expect_code 0 "$FZ" $c --help;         expect_grep "usage: fangzha" "$TMP/out" "$c --help"
done
expect_code 2 "$FZ" check
expect_code 2 "$FZ" check phone;         expect_grep "unknown kind 'phone'" "$TMP/err"
expect_code 2 "$FZ" extract --nope
expect_code 1 "$FZ" extract /nonexistent/file; expect_grep "cannot open '/nonexistent/file'" "$TMP/err"
expect_code 2 "$FZ" extract a b;         expect_grep "at most one FILE" "$TMP/err"

# A line over 1 MiB is rejected with its number; the lines around it still come out.
{ echo "第一行 13812345678"; head -c 1100000 /dev/zero | tr '\0' 'a'; echo; echo "第三行"; } >"$TMP/long.txt"
expect_code 2 "$FZ" extract "$TMP/long.txt"
expect_lines 2 "$TMP/out"
expect_grep "line 2: line longer than 1048576 bytes" "$TMP/err"
expect_grep '"line":3' "$TMP/out"
# --strict stops at the first rejected line.
expect_code 2 "$FZ" extract --strict "$TMP/long.txt"
expect_lines 1 "$TMP/out"
# Exactly 1 MiB is accepted.
{ head -c 1048576 /dev/zero | tr '\0' 'b'; echo; } >"$TMP/max.txt"
expect_code 0 "$FZ" normalize "$TMP/max.txt"
expect_lines 1 "$TMP/out"

# stdin and '-' work the same.
printf '13812345678\n' | "$FZ" check number >"$TMP/a"
printf '13812345678\n' | "$FZ" check number - >"$TMP/b"
if cmp -s "$TMP/a" "$TMP/b"; then ok; else fail "check number: stdin and '-' differ"; fi

# TSV: the canonical layout; a bad row is reported with its line and field, the rest goes on.
printf 'label\tchannel\ttext\nham\tsms\t你好\\n世界\nspam\tsms\nfraud\tsms\tbad \\q escape\nham\tsms\tok 13812345678\n' >"$TMP/in.tsv"
expect_code 2 "$FZ" extract --tsv "$TMP/in.tsv"
expect_lines 2 "$TMP/out"
expect_grep "line 3: 2 fields where the header has 3" "$TMP/err"
expect_grep "line 4: field 'text': unknown escape '\\q'" "$TMP/err"
expect_grep '"line":5' "$TMP/out"
printf 'label\tbody\nham\tx\n' >"$TMP/nocol.tsv"
expect_code 2 "$FZ" normalize --tsv "$TMP/nocol.tsv"
expect_grep "header has no 'text' column" "$TMP/err"
expect_code 0 "$FZ" normalize --tsv --column body "$TMP/nocol.tsv"

# Invalid UTF-8 and binary are repaired, not rejected; output stays valid UTF-8.
printf 'ab\xff\xfecd\x00ef\n\xe4\xb8\n' >"$TMP/bad.txt"
expect_code 0 "$FZ" normalize "$TMP/bad.txt"
expect_lines 2 "$TMP/out"
expect_grep '"invalid_utf8":2' "$TMP/out"
if iconv -f UTF-8 -t UTF-8 "$TMP/out" >/dev/null 2>&1; then ok; else fail "normalize output is not UTF-8"; fi
expect_code 0 "$FZ" extract "$TMP/bad.txt"

finish
