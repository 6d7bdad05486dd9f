#!/usr/bin/env bash
# What does not fit CI's 30 minutes on 2 cores; run it before a release or after
# touching threads, parsers or the query engine (about 30-60 minutes):
#   1. the 8-thread C ABI test under ThreadSanitizer;
#   2. the long random modes (1,000,000 approval sequences, 20,000 query specs
#      against the brute-force reference) in a Release build;
#   3. every libFuzzer target for ${FUZZ_SECONDS:-600} s.
# Usage: bash scripts/long_checks.sh  (builds into build-tsan, build, build-fuzz)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
jobs=$(nproc 2>/dev/null || echo 2)
stamp() { echo "== $*"; }

stamp "C ABI thread test under ThreadSanitizer"
cmake -S . -B build-tsan -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g1" \
  -DCMAKE_C_FLAGS_RELWITHDEBINFO="-O1 -g1" -DSALESIGHT_SANITIZE=thread \
  -DSALESIGHT_BUILD_PYTHON=OFF -DSALESIGHT_BUILD_BENCHMARKS=OFF -DSALESIGHT_BUILD_CLI=OFF \
  -DPYTHON_EXECUTABLE=/usr/bin/python3 >/dev/null
cmake --build build-tsan -j "$jobs" --target salesight_capi_threads_test
ctest --test-dir build-tsan --output-on-failure -R capi_threads

stamp "long random modes (Release)"
bash scripts/build.sh
SALESIGHT_APPROVAL_SEQUENCES=1000000 SALESIGHT_QUERY_REFERENCE_CASES=20000 \
  "$root/build/tests/salesight_unit_tests" --gtest_brief=1 \
  --gtest_filter='InstanceProperty.*:RunQueryReference.*'

stamp "libFuzzer, ${FUZZ_SECONDS:-600} s per target"
CC=clang CXX=clang++ cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g1" -DCMAKE_C_FLAGS_RELWITHDEBINFO="-O1 -g1" \
  -DSALESIGHT_FUZZ=ON "-DSALESIGHT_SANITIZE=address;undefined;fuzzer-no-link" \
  -DSALESIGHT_BUILD_PYTHON=OFF -DSALESIGHT_BUILD_BENCHMARKS=OFF -DSALESIGHT_BUILD_CLI=OFF \
  -DPYTHON_EXECUTABLE=/usr/bin/python3 >/dev/null
cmake --build build-fuzz -j "$jobs" --target salesight_fuzz_csv salesight_fuzz_capi salesight_fuzz_partial \
  salesight_fuzz_query salesight_fuzz_approval salesight_fuzz_preset salesight_fuzz_alerts
bash tests/fuzz/run.sh build-fuzz "${FUZZ_SECONDS:-600}"
stamp "long checks done"
