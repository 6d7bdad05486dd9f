#!/usr/bin/env bash
# Configures and builds salesight into ${BUILD_DIR:-build} (Release), after setup.
# Extra arguments go to cmake's configure step.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bash "$root/scripts/setup.sh"
build="${BUILD_DIR:-$root/build}"
jobs=$(nproc 2>/dev/null || echo 2)
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE="${BUILD_TYPE:-Release}" \
  -DPYTHON_EXECUTABLE=/usr/bin/python3 -DSALESIGHT_BUILD_PYTHON=ON "$@" >/dev/null
cmake --build "$build" -j "$jobs"
