#!/usr/bin/env bash
# The main job: build salesight, then analyse the bundled sample data and print
# the report. Any arguments go to `salesight report`.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bash "$root/scripts/build.sh" >&2
exec "${BUILD_DIR:-$root/build}/bin/salesight" report "$@"
