#!/usr/bin/env bash
# `rfm --stream` (orders) and `funnel --stream` (pipeline) run in bounded
# memory: under an address-space limit (ulimit -v) that a plain load of a
# TENTH of the file already exceeds, the streamed run of the whole file
# succeeds and prints what the unlimited plain run prints; the plain run of
# the whole file fails under the limit.
#
# The limit: `base` is the smallest limit under which the command analyses a
# 1000-line file (the binary, its libraries, one thread's stack, the
# allocator with MALLOC_ARENA_MAX=2), found by bisection; the limit is
# base + HEADROOM_MB. The file: a generated export of 10^5 lines repeated
# COPIES times with the order numbers moved on each time (10^6 lines by
# default, ~75 MB; its customers stay those of 10^5 lines, so what streaming
# keeps, the codes, is small next to the lines). The first tenth of it (the
# header and 10^5 lines) must FAIL to load under the limit: so the file is
# more than 10 times what the limit allows a plain load. The pipeline file:
# the opportunities of that export (20,000) repeated 5 x COPIES times with
# the ids moved on (10^6 opportunities by default, ~100 MB), the same rules.
# Usage: stream_memory_test.sh BIN [COPIES] [HEADROOM_MB]
set -uo pipefail
bin=$1
copies=${2:-10}
headroom_mb=${3:-5}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0
export MALLOC_ARENA_MAX=2

check() {  # check NAME CONDITION-COMMAND...
  local name=$1
  shift
  if "$@"; then echo "ok   $name"; else echo "FAIL $name"; failures=$((failures + 1)); fi
}
# under KB CMD...: runs CMD with its address space limited to KB KiB.
under() { (ulimit -v "$1" && "${@:2}"); }
# The smallest limit (KiB, to 256) under which CMD... succeeds.
smallest_limit() {
  local lo=4096 hi=4194304 mid
  while ((hi - lo > 256)); do
    mid=$(((lo + hi) / 2))
    if under "$mid" "$@" >/dev/null 2>&1; then hi=$mid; else lo=$mid; fi
  done
  echo "$hi"
}

"$bin" generate --rows 100000 --out "$tmp/g" --threads 1 >/dev/null 2>&1
# repeat_rows FILE N FIELDS: FILE's rows N times, the id (field 1) shifted by
# 1,000,000 per copy so that every copy's ids are new; its first FIELDS fields.
repeat_rows() {
  awk -F, -v OFS=, -v copies="$2" -v fields="$3" '
    NR == 1 { print; next }
    { line[++n] = $0 }
    END {
      for (c = 0; c < copies; c++) {
        for (i = 1; i <= n; i++) {
          split(line[i], f, ",")
          f[1] += c * 1000000
          s = f[1]
          for (k = 2; k <= fields; k++) s = s "," f[k]
          print s
        }
      }
    }' "$1"
}
repeat_rows "$tmp/g/orders.csv" "$copies" 10 >"$tmp/big.csv"
# prove NAME FILE ARGS...: the four checks above for `BIN ARGS... FILE-FLAG FILE`
# (ARGS end with the file flag, e.g. --orders).
prove() {
  local name=$1 file=$2
  shift 2
  local lines=$(($(wc -l <"$file") - 1))
  head -n $((lines / 10 + 1)) "$file" >"$tmp/tenth.csv"
  head -n 1001 "$file" >"$tmp/small.csv"
  local base limit
  base=$(smallest_limit "$bin" "$@" "$tmp/small.csv" "${opts[@]}")
  limit=$((base + headroom_mb * 1024))
  echo "$name: $lines lines, $(($(wc -c <"$file") >> 20)) MiB; base $base KiB; limit $limit KiB"
  "$bin" "$@" "$file" "${opts[@]}" >"$tmp/plain.csv" 2>"$tmp/plain.err"
  check "$name: the plain run without a limit" test $? -eq 0
  under "$limit" "$bin" "$@" "$tmp/tenth.csv" "${opts[@]}" >/dev/null 2>&1
  check "$name: a plain load of a tenth of the file fails under the limit" test $? -ne 0
  under "$limit" "$bin" "$@" "$file" "${opts[@]}" >/dev/null 2>&1
  check "$name: the plain load of the file fails under the limit" test $? -ne 0
  under "$limit" "$bin" "$@" "$file" "${opts[@]}" --stream --chunk-mb 0.5 \
    >"$tmp/stream.csv" 2>"$tmp/stream.err"
  check "$name: --stream succeeds under the limit" test $? -eq 0
  check "$name: ... printing what the plain run prints" cmp -s "$tmp/plain.csv" "$tmp/stream.csv"
  check "$name: ... and the same summary" cmp -s "$tmp/plain.err" "$tmp/stream.err"
}

opts=(--map order=order_id,date=order_date --threads 1 --detail --out -)
prove "rfm" "$tmp/big.csv" rfm --orders
rm -f "$tmp/big.csv"

repeat_rows "$tmp/g/pipeline.csv" "$((copies * 5))" 15 >"$tmp/pipeline.csv"
opts=(--map id=opportunity_id,created=created_date,region=region,amount=amount,lost=lost_date
      --stages lead=lead_date,opportunity=opportunity_date,quote=quote_date,contract=contract_date,won=won_date,paid=paid_date
      --by region --threads 1 --out -)
prove "funnel" "$tmp/pipeline.csv" funnel --pipeline

echo "$failures failures"
[[ $failures -eq 0 ]]
