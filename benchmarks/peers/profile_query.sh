#!/usr/bin/env bash
# Where one of the 12 queries spends its time: perf attached to
# salesight_query_driver only while the query runs (the data are loaded first,
# outside the profile).
#
#   benchmarks/peers/profile_query.sh DRIVER DATA_DIR QUERY.json [THREADS] [RUNS]
#
# DRIVER: build/bin/salesight_query_driver; DATA_DIR: `salesight generate
# --format bin` output. Prints perf's flat profile (self time per symbol, >= 2 %).
set -euo pipefail
driver=$1 data=$2 spec=$3 threads=${4:-2} runs=${5:-10}
out=$(mktemp -d)
mkfifo "$out/in" "$out/out"
"$driver" --data "$data" <"$out/in" >"$out/out" &
driver_pid=$!
exec 3>"$out/in" 4<"$out/out"
read -r _ <&4  # loaded
# perf follows the driver for as long as its "workload" (the runs) lasts.
perf record -F 999 -p "$driver_pid" -o "$out/perf.data" -- bash -c \
  "for ((i = 0; i < $runs; ++i)); do echo 'run $spec $threads' >&3; read -r a <&4; done; echo \"\$a\" >'$out/last'" \
  2>"$out/perf.log"
echo quit >&3
exec 3>&- 4<&-
wait "$driver_pid" || true
echo "last run: $(cat "$out/last"); $(tail -1 "$out/perf.log")"
perf report -i "$out/perf.data" --no-children --sort symbol --percent-limit 2 --stdio 2>/dev/null \
  | grep -E "^ +[0-9]" | sed -E "s/ +$//" | cut -c1-150 || true
rm -rf "$out"
