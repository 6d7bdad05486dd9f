#!/usr/bin/env bash
# Smoke test of the peer benchmark harness (issue 7): the comparison's own
# self-test, then the whole of scripts/bench_peers.sh at 10^4 order lines with
# one warm-up and one timed repetition (then its size-sweep table and plot).
# Fails (non-zero) on any error: set-up,
# build, data generation, an engine failing, or any output mismatch between
# salesight, DuckDB and pandas; then the query engine's 12 queries against
# DuckDB (bench_peers.sh --queries) the same way. Checks no timing.
#
#   tests/peers/smoke.sh [BUILD_DIR]
#
# BUILD_DIR: an existing build tree to reuse (e.g. ctest's own), else
# build-bench. It never overwrites benchmarks/peers/results/latest.md.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build="${1:-$root/build-bench}"

/usr/bin/python3 "$root/tests/peers/compare_selftest.py"
mkdir -p "$build"
log="$build/peers-smoke.log"
if ! bash "$root/scripts/bench_peers.sh" --rows 10000 --reps 1 --warmup 1 --threads "1 2" \
    --build-dir "$build" --no-latest >"$log" 2>&1; then
  tail -n 40 "$log" >&2
  echo "peers smoke: harness failed (whole log: $log)" >&2
  exit 1
fi
report="$build/peers-run/rows-10000/report.md"
# The report must exist and show every workload row (engines answered).
for w in "(a) RFM" "(b) funnel" "(c) margin" "(d) AR aging" "(e) trends" "ingest"; do
  grep -qF "| $w" "$report" || { echo "smoke: report lacks '$w'" >&2; exit 1; }
done
# The size sweep's table and plot (bench_peers.sh --sizes) from this one size.
/usr/bin/python3 "$root/benchmarks/peers/sweep_report.py" --csv "$build/peers-smoke-sweep.csv" \
  --markdown "$build/peers-smoke-sweep.md" "$build/peers-run/rows-10000" >/dev/null
grep -qF "## (a) RFM" "$build/peers-smoke-sweep.md" || { echo "smoke: sweep table lacks RFM" >&2; exit 1; }
if /usr/bin/python3 -c "import matplotlib" 2>/dev/null; then  # scripts/setup.sh --bench
  /usr/bin/python3 "$root/scripts/plot_sweep.py" "$build/peers-smoke-sweep.csv" "$build/peers-smoke-sweep.png"
  [[ -s "$build/peers-smoke-sweep.png" ]] || { echo "smoke: no sweep plot" >&2; exit 1; }
else
  echo "peers smoke: no python3-matplotlib, the sweep plot is not checked" >&2
fi
# The query engine's 12 queries (--queries): salesight and DuckDB must give
# the same table for each (query_bench.mjs exits 1 on a mismatch).
qlog="$build/peers-smoke-queries.log"
if ! bash "$root/scripts/bench_peers.sh" --queries --rows 10000 --reps 1 --warmup 0 --threads 2 \
    --build-dir "$build" --no-latest >"$qlog" 2>&1; then
  tail -n 40 "$qlog" >&2
  echo "peers smoke: the queries failed (whole log: $qlog)" >&2
  exit 1
fi
for q in "$root"/benchmarks/peers/queries/*.json; do
  name=$(basename "$q" .json)
  grep -qF "| $name |" "$qlog" || { echo "smoke: the queries' table lacks '$name'" >&2; exit 1; }
done
echo "peers smoke: 2 passed, 0 failed"
