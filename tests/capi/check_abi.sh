#!/usr/bin/env bash
# ctest: the built libsalesight.so against the committed ABI baseline
# (tests/capi/abi/salesight.abi, written by abidw from salesight.h's exported
# interfaces). Added functions pass (the ABI is append-only); anything else -
# a removed function, a changed signature, a changed struct layout - fails.
#   check_abi.sh <libsalesight.so> <baseline.abi> <salesight.h>
# Appending fields to an option struct is compatible (struct_size) but is a
# reported change too: after checking that it is an append, record the new
# baseline with
#   abidw --exported-interfaces-only --header-file capi/salesight.h \
#         --drop-private-types --no-corpus-path \
#         --out-file tests/capi/abi/salesight.abi <build>/capi/libsalesight.so
# An incompatible change is made only as the README's ABI policy allows (in
# 0.x with a minor version bump and a CHANGELOG.md entry, as 0.2.0 changed
# every options_init); its baseline is recorded the same way. A new 0.x minor
# also changes the SONAME (libsalesight.so.0.<minor>), which abidiff reports
# as incompatible: record the baseline of each 0.x minor.
set -uo pipefail
lib=$1 baseline=$2 header=$3
command -v abidiff >/dev/null || { echo "abidiff not found (Debian: abigail-tools)"; exit 1; }
report=$(abidiff --exported-interfaces-only --header-file2 "$header" --drop-private-types \
         "$baseline" "$lib")
rc=$?
echo "$report"
# abidiff's exit status is a bit field: 1 error, 2 usage error, 4 ABI change,
# 8 incompatible change (removed symbols).
if (( rc & 3 )); then echo "abidiff failed to run (status $rc)"; exit 1; fi
if (( rc & 8 )); then echo "INCOMPATIBLE ABI change against $baseline"; exit 1; fi
changed=$(grep -Eo '(Functions|Variables) changes summary: [0-9]+ Removed, [0-9]+ Changed' \
          <<<"$report" | grep -Ev ': 0 Removed, 0 Changed' || true)
if [[ -n "$changed" ]]; then
  echo "ABI change against $baseline (only added functions are accepted):"
  echo "$changed"
  exit 1
fi
echo "ABI compatible with $baseline"
