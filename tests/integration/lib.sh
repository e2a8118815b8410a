# Shared helpers for the integration tests: each test_*.sh gets the fangzha binary as $1 and
# the test data directory as $2, runs the real binary and checks its output and exit codes.
set -uo pipefail
FZ=$1
DATA=$2
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
SAMPLES=$ROOT/data/samples
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
failures=0 checks=0

fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
ok() { checks=$((checks + 1)); }

# expect_code WANT CMD...: runs CMD, stdout to $TMP/out, stderr to $TMP/err.
expect_code() {
  local want=$1; shift
  "$@" >"$TMP/out" 2>"$TMP/err"
  local got=$?
  if [ "$got" -ne "$want" ]; then
    fail "exit $got, want $want: $*"; sed 's/^/  stderr: /' "$TMP/err" | head -5
  else ok; fi
}

# expect_grep PATTERN FILE [WHAT]: a fixed string must occur in FILE.
expect_grep() {
  if grep -qF -- "$1" "$2"; then ok; else fail "${3:-$2} lacks: $1"; head -c 600 "$2" | sed 's/^/  /'; fi
}
expect_nogrep() {
  if grep -qF -- "$1" "$2"; then fail "${3:-$2} should not contain: $1"; else ok; fi
}
expect_lines() {
  local n; n=$(wc -l <"$2")
  if [ "$n" -eq "$1" ]; then ok; else fail "$2 has $n lines, want $1"; fi
}
# line_of N FILE: prints line N.
line_of() { sed -n "${1}p" "$2"; }

finish() {
  echo "$checks passed, $failures failed"
  [ "$failures" -eq 0 ]
}
