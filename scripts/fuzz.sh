#!/usr/bin/env bash
# Runs every libFuzzer driver in DIR: first replays its checked-in corpus (fuzz/corpus/NAME),
# then fuzzes for SECONDS with its dictionary (fuzz/NAME.dict) into a scratch copy of the
# corpus. Any crash, leak, sanitizer report or property failure fails the run; the input
# that triggered it is kept in fuzz/out/NAME/.
# Usage: scripts/fuzz.sh DIR SECONDS
set -euo pipefail
dir=$1 seconds=$2
root=$(cd "$(dirname "$0")/.." && pwd)
# Drivers that screen with the shipped rules load them compiled from here (fuzz/shipped.h).
export FANGZHA_CACHE_DIR=${FANGZHA_CACHE_DIR:-$(cd "$dir/.." && pwd)/cache}
shopt -s nullglob
drivers=("$dir"/fuzz_*)
[ ${#drivers[@]} -gt 0 ] || { echo "fuzz: no drivers in $dir" >&2; exit 1; }
for bin in "${drivers[@]}"; do
  name=$(basename "$bin"); name=${name#fuzz_}
  corpus=$root/fuzz/corpus/$name
  out=$root/fuzz/out/$name
  scratch=$(mktemp -d)
  mkdir -p "$out"
  [ -d "$corpus" ] && cp -r "$corpus"/. "$scratch"/
  dict=()
  [ -f "$root/fuzz/$name.dict" ] && dict=(-dict="$root/fuzz/$name.dict")
  echo "fuzz: $name: replaying $(ls "$scratch" | wc -l) corpus inputs, then ${seconds}s"
  if ! "$bin" -runs=0 "$scratch" >"$out/replay.log" 2>&1; then
    tail -40 "$out/replay.log"; echo "fuzz: $name: corpus replay FAILED"; exit 1
  fi
  if ! "$bin" "${dict[@]}" -max_total_time="$seconds" -max_len=4096 -rss_limit_mb=2048 \
       -timeout=10 -artifact_prefix="$out/" -print_final_stats=1 "$scratch" \
       >"$out/fuzz.log" 2>&1; then
    tail -40 "$out/fuzz.log"; echo "fuzz: $name: FAILED (artifacts in $out)"; exit 1
  fi
  grep -E "stat::number_of_executed_units" "$out/fuzz.log" | sed "s/^/fuzz: $name: /" || true
  rm -rf "$scratch"
done
echo "fuzz: all drivers passed"
