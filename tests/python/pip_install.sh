#!/usr/bin/env bash
# The documented offline install from the source tree, exercised end to end:
# pip builds the package with setup.py (CMake over the whole tree, Debian's
# python3-pybind11), installs it into a scratch --target, and a fresh Python
# imports it from there and computes.
#   pip_install.sh <scratch dir>
set -euo pipefail
scratch=$1
root=$(cd "$(dirname "$0")/../.." && pwd)
rm -rf "$scratch"
mkdir -p "$scratch"
SALESIGHT_CMAKE_BUILD_DIR="$scratch/cmake" /usr/bin/python3 -m pip install --no-build-isolation \
  --no-deps --no-index --target "$scratch/site" "$root/bindings/python" >"$scratch/pip.log" 2>&1 ||
  { tail -50 "$scratch/pip.log"; exit 1; }
cd "$scratch"
PYTHONPATH="$scratch/site" /usr/bin/python3 - <<'PY'
import pandas as pd
import salesight
df = pd.DataFrame({"c": ["A", "B", "A"], "d": pd.to_datetime(["2024-01-01", "2024-01-02",
                                                              "2024-01-03"]),
                   "amt": [1.0, 2.0, 3.0]})
r = salesight.rfm(df, customer="c", date="d", amount="amt")
assert r["monetary"].tolist() == [4.0, 2.0], r
print("pip-installed salesight", salesight.__version__, "OK from", salesight.__file__)
PY
