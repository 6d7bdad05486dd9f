#!/usr/bin/env bash
# The main job: build salesight, then analyse the bundled sample data and print
# the report. Any arguments go to `salesight report`. It also writes the sales
# dashboard of the same sample (one offline HTML file) and says where it is.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bash "$root/scripts/build.sh" >&2
bin="${BUILD_DIR:-$root/build}/bin/salesight"
dashboard="${DASHBOARD_OUT:-$root/dashboard.html}"
"$bin" report "$@"
"$bin" dashboard --out "$dashboard" 2>/dev/null
echo
echo "dashboard: $dashboard (open it in a browser; it works offline)"
