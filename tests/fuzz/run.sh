#!/usr/bin/env bash
# Runs each libFuzzer target for a bounded time on a scratch copy of the seed
# corpus (the committed corpus stays small; new inputs are not written back).
#   run.sh <fuzz build dir> [seconds per target, default 60]
set -euo pipefail
build=$1 seconds=${2:-60}
here=$(cd "$(dirname "$0")" && pwd)
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
for target in csv capi partial query approval preset alerts; do
  if [[ ! -x "$build/bin/salesight_fuzz_$target" ]]; then
    echo "== salesight_fuzz_$target: not built, skipped"
    continue
  fi
  mkdir -p "$scratch/$target"
  cp "$here/corpus/$target/"* "$scratch/$target/" 2>/dev/null || true
  echo "== salesight_fuzz_$target for ${seconds}s"
  "$build/bin/salesight_fuzz_$target" -max_total_time="$seconds" -max_len=4096 -timeout=10 \
    -rss_limit_mb=2048 -print_final_stats=1 "$scratch/$target"
done
echo "fuzzing OK"
