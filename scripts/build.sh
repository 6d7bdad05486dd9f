#!/usr/bin/env bash
# Configures and builds salesight into ${BUILD_DIR:-build} (Release), after setup.
# Extra arguments go to cmake's configure step.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bash "$root/scripts/setup.sh"
build="${BUILD_DIR:-$root/build}"
jobs=$(nproc 2>/dev/null || echo 2)
# A compiler cache when the machine has one (rebuilds of other clones and trees hit it).
launcher=()
if command -v ccache >/dev/null; then
  launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache)
  # The unit tests' precompiled header: cacheable only with these.
  export CCACHE_SLOPPINESS="${CCACHE_SLOPPINESS:-pch_defines,time_macros,include_file_mtime,include_file_ctime}"
fi
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE="${BUILD_TYPE:-Release}" \
  -DPYTHON_EXECUTABLE=/usr/bin/python3 -DSALESIGHT_BUILD_PYTHON=ON "${launcher[@]}" "$@" >/dev/null
cmake --build "$build" -j "$jobs"
