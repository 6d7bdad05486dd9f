#!/usr/bin/env bash
# Installs every Debian 12 package the build, tests and benchmarks need.
# Idempotent: does nothing (not even `apt-get update`) when all are present.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config git
  libeigen3-dev libabsl-dev libboost-date-time-dev
  nlohmann-json3-dev libpugixml-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  python3 python3-numpy python3-pandas python3-pybind11 pybind11-dev python3-pytest
  python3-dask python3-distributed
  abigail-tools clang libclang-rt-14-dev binutils
  # The dashboard: node + npm fetch the pinned ECharts (inlined into the page)
  # and playwright-core; Debian's chromium, CJK fonts and pdffonts run the
  # browser tests (tests/dashboard).
  nodejs chromium firefox-esr fonts-noto-cjk poppler-utils
)
# npm: Debian's package, unless the installed nodejs already brings the
# command (NodeSource's does, and conflicts with Debian's npm).
if ! command -v npm >/dev/null; then packages+=(npm); fi
if [[ "${1:-}" == "--bench" ]]; then
  packages+=(time python3-scipy python3-matplotlib)  # matplotlib: the sweep plot
fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}" >&2
  SUDO=""
  if [[ $(id -u) -ne 0 ]]; then SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# npm packages at the versions pinned in each folder's package-lock.json,
# skipped when node_modules already holds exactly those versions:
#   scripts/web: the dashboard's echarts, playwright-core and puppeteer-core
#     (no browser download: the tests drive /usr/bin/chromium and
#     /usr/bin/firefox-esr);
#   tests/query_duckdb: @duckdb/node-api, the query engine's differential test.
root="$(cd "$(dirname "$0")/.." && pwd)"
for dir in "$root/scripts/web" "$root/tests/query_duckdb"; do
  if ! node "$root/scripts/web/check_installed.js" "$dir" 2>/dev/null; then
    echo "setup: npm ci in ${dir#"$root"/}" >&2
    (cd "$dir" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 PUPPETEER_SKIP_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error >/dev/null)
  fi
done
