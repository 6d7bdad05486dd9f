#!/usr/bin/env bash
# The peer comparison (issue 7) in one command: salesight vs DuckDB vs pandas
# on the WORKLOADS.md workloads, outputs checked row by row, Markdown table out.
#
#   scripts/bench_peers.sh [--rows N] [--reps R] [--warmup W] [--threads "1 2"]
#                          [--ingest-rows M] [--build-dir DIR] [--no-latest]
#
#   --rows N        order lines of the generated data (default 1000000; 1e7 on request)
#   --sizes "N,.."  the size sweep (issue 19 item 7): one run per size (e.g.
#                   1e4,1e5,1e6,1e7; 1e8 where memory allows), then one combined
#                   table (benchmarks/peers/results/sweep.{csv,md}) and the
#                   cost-vs-size plot (results/sweep.png, scripts/plot_sweep.py);
#                   each size's own report stays in build-bench/peers-run/rows-N
#   --large-engines "E.."  engines for sizes above 10^7 lines (default "salesight
#                   duckdb floor": at 10^7 salesight through Python peaked at 8 GB
#                   and pandas at 3 GB, ten times that does not fit in 24 GB)
#   --reps R        timed repetitions per engine and workload (default 5, >= 1)
#   --warmup W      untimed warm-up repetitions before them (default 1)
#   --threads "T.." thread counts for salesight, DuckDB and the floor (default "1 2")
#   --ingest-rows M rows of the orders.csv for the ingest workload (default min(N, 1e6))
#   --build-dir DIR build tree to use (default build-bench); an existing tree is
#                   built as configured, a new one is configured Release + benchmarks
#   --no-latest     do not overwrite benchmarks/peers/results/latest.md (smoke runs)
#   --queries       instead of the workloads: the query engine's 12 representative
#                   queries (benchmarks/peers/queries) vs DuckDB, via
#                   salesight_query_driver + query_bench.mjs; the table goes to
#                   benchmarks/peers/results/queries.md
#
# Steps, each idempotent: Debian packages (scripts/setup.sh), @duckdb/node-api
# into benchmarks/peers/node_modules (npm, version pinned in package.json), the
# build (targets salesight_cli + salesight_workloads, the Python module
# _salesight where the build tree has SALESIGHT_BUILD_PYTHON=ON (new trees do)
# for the salesight-through-Python engine, and the bandwidth probe with g++),
# the data (`salesight generate`, bin + csv), then
# benchmarks/peers/run_peers.py, which runs the engines interleaved, compares
# their outputs and prints the table. Exit status non-zero on any failure,
# including any output mismatch between engines.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
peers="$root/benchmarks/peers"

rows=1000000 reps=5 warmup=1 threads="1 2" ingest_rows="" build="$root/build-bench" latest=1 queries=0
sizes="" large_engines="salesight duckdb floor"
while (($#)); do
  case "$1" in
    --rows) rows=$2; shift 2 ;;
    --sizes) sizes=$2; shift 2 ;;
    --large-engines) large_engines=$2; shift 2 ;;
    --reps) reps=$2; shift 2 ;;
    --warmup) warmup=$2; shift 2 ;;
    --threads) threads=$2; shift 2 ;;
    --ingest-rows) ingest_rows=$2; shift 2 ;;
    --build-dir) build=$(mkdir -p "$2" && cd "$2" && pwd); shift 2 ;;
    --no-latest) latest=0; shift ;;
    --queries) queries=1; shift ;;
    -h|--help) sed -n '2,36p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "bench_peers: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done
# Accept 1e6-style sizes.
to_int() { /usr/bin/python3 -c "import sys; v=float(sys.argv[1]); assert v==int(v)>0; print(int(v))" "$1" 2>/dev/null \
  || { echo "bench_peers: '$1' is not a positive integer" >&2; exit 2; }; }
rows=$(to_int "$rows")
size_list=()
for s in ${sizes//,/ }; do size_list+=("$(to_int "$s")"); done
if [[ -n "$ingest_rows" ]]; then ingest_rows=$(to_int "$ingest_rows"); fi
step() { echo "== bench_peers: $*" >&2; }

step "packages"
bash "$root/scripts/setup.sh"
if ! command -v node >/dev/null || ! command -v npm >/dev/null || [[ ! -x /usr/bin/time ]] \
    || { [[ -n "$sizes" ]] && ! /usr/bin/python3 -c "import matplotlib" 2>/dev/null; }; then
  bash "$root/scripts/setup.sh" --bench
fi

if ((queries)); then
  # The DuckDB of tests/query_duckdb (scripts/setup.sh installs it): the
  # queries run through its spec -> SQL renderer and comparer.
  step "build in $build (salesight_cli, salesight_query_driver)"
  if [[ ! -f "$build/CMakeCache.txt" ]]; then
    cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release \
      -DPYTHON_EXECUTABLE=/usr/bin/python3 -DSALESIGHT_BUILD_BENCHMARKS=ON \
      -DSALESIGHT_BUILD_TESTS=OFF -DSALESIGHT_BUILD_PYTHON=OFF -DSALESIGHT_BUILD_CLI=ON >&2
  fi
  cmake --build "$build" -j "${JOBS:-2}" --target salesight_cli salesight_query_driver >&2
  data="$build/peers-data/bin-$rows"
  tables="$build/peers-data/query-csv-$rows"
  step "data: $rows order lines (bin), the same tables as CSV for DuckDB"
  rm -rf "$data" "$tables"
  "$build/bin/salesight" generate --rows "$rows" --format bin --out "$data" >&2
  "$build/bin/salesight_query_driver" --data "$data" --export "$tables"
  cpu=$(lscpu | sed -n 's/^Model name:[[:space:]]*//p' | head -1)
  header="Machine: ${cpu:-unknown CPU}, $(nproc) cores, $(uname -sr). \
Date: $(date -u '+%Y-%m-%d %H:%M UTC'). Commit: $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown). \
Data: \`salesight generate --rows $rows\`. \
Command: \`scripts/bench_peers.sh --queries --rows $rows --reps $reps --warmup $warmup --threads \"$threads\"\`. \
Load average at start (1/5/15 min): $(cut -d' ' -f1-3 /proc/loadavg)."
  md_args=()
  if ((latest)); then md_args=(--markdown "$peers/results/queries.md"); fi
  step "engines ($reps reps after $warmup warm-up, threads: $threads)"
  status=0
  node "$peers/query_bench.mjs" --driver "$build/bin/salesight_query_driver" --data "$data" \
    --csv "$tables" --reps "$reps" --warmup "$warmup" --threads "$threads" \
    --header "$header" "${md_args[@]}" || status=$?
  echo "Load average at the end (1/5/15 min): $(cut -d' ' -f1-3 /proc/loadavg)" >&2
  exit $status
fi

step "@duckdb/node-api (npm, into benchmarks/peers/node_modules)"
(cd "$peers" && npm install --no-audit --no-fund --loglevel=error >&2)

step "build in $build"
if [[ ! -f "$build/CMakeCache.txt" ]]; then
  cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release \
    -DPYTHON_EXECUTABLE=/usr/bin/python3 -DSALESIGHT_BUILD_BENCHMARKS=ON \
    -DSALESIGHT_BUILD_TESTS=OFF -DSALESIGHT_BUILD_PYTHON=ON -DSALESIGHT_BUILD_CLI=ON >&2
fi
targets=(salesight_cli salesight_workloads)
python_path=""
if grep -q '^SALESIGHT_BUILD_PYTHON:BOOL=ON' "$build/CMakeCache.txt"; then
  targets+=(_salesight)
  python_path="$build/python"
else
  step "no Python module in $build (SALESIGHT_BUILD_PYTHON=OFF): no salesight-through-Python engine"
fi
cmake --build "$build" -j "${JOBS:-2}" --target "${targets[@]}" >&2
probe="$build/bin/bandwidth_probe"
if [[ ! -x "$probe" || "$peers/bandwidth_probe.cpp" -nt "$probe" ]]; then
  mkdir -p "$build/bin"
  g++ -std=c++20 -O3 -march=native -pthread "$peers/bandwidth_probe.cpp" -o "$probe"
fi

cpu=$(lscpu | sed -n 's/^Model name:[[:space:]]*//p' | head -1)
mem=$(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo)
commit=$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)

# One size: data, engines, report (and results.json) in $build/peers-run/rows-N.
run_size() {
  local rows=$1 md=$2 ingest=${ingest_rows:-$(($1 < 1000000 ? $1 : 1000000))}
  step "data: $rows order lines (bin), $ingest (orders.csv)"
  local data="$build/peers-data/bin-$rows" csvdir="$build/peers-data/csv-$ingest"
  # Regenerated every time (seconds; never stale after a generator change).
  rm -rf "$data" "$csvdir"
  "$build/bin/salesight" generate --rows "$rows" --format bin --out "$data" >&2
  "$build/bin/salesight" generate --rows "$ingest" --format csv --out "$csvdir" >&2
  step "engines at $rows lines ($reps reps after $warmup warm-up, threads: $threads)"
  local header="Machine: ${cpu:-unknown CPU}, $(nproc) cores, $mem RAM, $(uname -sr). \
Date: $(date -u '+%Y-%m-%d %H:%M UTC'). Commit: $commit. \
Tools: $(g++ --version | head -1), node $(node --version), $(/usr/bin/python3 --version). \
Command: \`scripts/bench_peers.sh $cmdline\`. \
Ingest: orders.csv of $ingest lines ($(stat -c %s "$csvdir/orders.csv" | awk '{printf "%.1f", $1 / 1e6}') MB). \
Load average at start (1/5/15 min): $(cut -d' ' -f1-3 /proc/loadavg)."
  local md_args=() engine_args=()
  if [[ -n "$md" ]]; then md_args=(--markdown "$md"); fi
  if ((rows > 10000000)); then engine_args=(--engines "$large_engines"); fi
  local out="$build/peers-run/rows-$rows" status=0
  rm -rf "$out"
  /usr/bin/python3 "$peers/run_peers.py" --data "$data" --csv "$csvdir/orders.csv" --out "$out" \
    --reps "$reps" --warmup "$warmup" --threads "$threads" --rows "$rows" --ingest-rows "$ingest" \
    --salesight-bin "$build/bin/salesight_workloads" --probe-bin "$probe" \
    --python-path "$python_path" \
    --rows-label "$(/usr/bin/python3 -c "print(f'{int($rows):,}')")" \
    --header "$header" "${md_args[@]}" "${engine_args[@]}" || status=$?
  step "per-engine outputs, times and logs in $out"
  # The data of a large size would crowd out the next one's.
  if ((rows > 1000000)); then rm -rf "$data"; fi
  return $status
}

if ((${#size_list[@]} == 0)); then
  cmdline="--rows $rows --reps $reps --warmup $warmup --threads \"$threads\""
  md=""
  if ((latest)); then mkdir -p "$peers/results"; md="$peers/results/latest.md"; fi
  run_size "$rows" "$md"
  exit $?
fi

cmdline="--sizes $sizes --reps $reps --warmup $warmup --threads \"$threads\""
status=0
runs=()
for n in "${size_list[@]}"; do
  run_size "$n" "" || status=$?
  runs+=("$build/peers-run/rows-$n")
done
dest="$build/peers-run"
if ((latest)); then mkdir -p "$peers/results"; dest="$peers/results"; fi
step "sweep table and plot -> $dest/sweep.{csv,md,png}"
/usr/bin/python3 "$peers/sweep_report.py" --csv "$dest/sweep.csv" --markdown "$dest/sweep.md" \
  "${runs[@]}" || status=$?
/usr/bin/python3 "$root/scripts/plot_sweep.py" "$dest/sweep.csv" "$dest/sweep.png" || status=$?
exit $status
