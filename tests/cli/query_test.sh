#!/usr/bin/env bash
# End-to-end checks of `salesight query`: flags and a spec file give the same
# answer, --where builds the documented filters, bad names exit 2 naming the
# valid ones, and on a real public retail export (Tableau's Superstore, an
# excerpt) revenue and margin by Region x Category equal a plain pandas
# groupby to the cent. Usage: query_test.sh BIN DATA_DIR
set -uo pipefail
bin=$1
data=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0

check() {  # check NAME CONDITION-COMMAND...
  local name=$1
  shift
  if "$@"; then echo "ok   $name"; else echo "FAIL $name"; failures=$((failures + 1)); fi
}
exit_code() { "${@:2}" >"$tmp/out" 2>"$tmp/err"; [[ $? -eq $1 ]]; }

check "query --help" bash -c "'$bin' query --help | grep -q 'usage: salesight query'"
check "query without measures exits 2" exit_code 2 "$bin" query --by region
check "unknown dimension exits 2" exit_code 2 "$bin" query --measures revenue --by Regoin
check "... naming the valid ones" grep -q "Valid: 'customer'" "$tmp/err"
check "bad --where exits 2" exit_code 2 "$bin" query --measures revenue --where "region"

# Flags -> spec -> the same answer from --spec.
flags=(--measures revenue,margin_pct,orders --by region --grain quarter --compare last-year
       --where "category!=none;revenue>=0" --top 2 --others --totals grand --order=-revenue)
check "flags run" exit_code 0 "$bin" query "${flags[@]}" --out "$tmp/flags.csv"
"$bin" query "${flags[@]}" --print-spec >"$tmp/spec.json"
check "print-spec is the JSON spec" grep -q '"compare":"last-year"' "$tmp/spec.json"
check "spec file runs" exit_code 0 "$bin" query --spec "$tmp/spec.json" --out "$tmp/spec.csv"
check "flags = spec file" cmp -s "$tmp/flags.csv" "$tmp/spec.csv"
check "compare columns" bash -c "head -1 '$tmp/flags.csv' | grep -q 'revenue_last_year,revenue_change,revenue_change_pct'"
check "json out" exit_code 0 "$bin" query --spec "$tmp/spec.json" --out "$tmp/spec.json.json"
check "--where a|b is in" bash -c "'$bin' query --measures revenue --where 'region=a|b' --print-spec | grep -q '\"op\":\"in\",\"values\":\\[\"a\",\"b\"\\]'"
check "threads agree" bash -c "'$bin' query --spec '$tmp/spec.json' --threads 1 --out - >'$tmp/t1.csv' && '$bin' query --spec '$tmp/spec.json' --threads 2 --out - >'$tmp/t2.csv' && cmp -s '$tmp/t1.csv' '$tmp/t2.csv'"

# Drill-down: the row's members become filters, the level goes one down.
check "drill spec" bash -c "'$bin' query --measures revenue --by region --grain year --drill 0 --drill-level order_date.year --print-spec | grep -q '\"grain\":\"quarter\".*\"op\":\"between\"'"
check "drill runs" exit_code 0 "$bin" query --measures revenue --by category --drill 0 --out "$tmp/drill.csv"
check "drill lists products" bash -c "head -1 '$tmp/drill.csv' | grep -q '^product,revenue'"
check "drill-through pages lines" bash -c "'$bin' query --measures revenue --by category --drill-through 0 --lines 3 --out - | wc -l | grep -q '^4$'"
check "drill-through of a bad row exits 2" exit_code 2 "$bin" query --measures revenue --by category --drill-through 999

# The pipeline, receivables and targets measures and compare target (the sample has every table).
check "tables measures run" exit_code 0 "$bin" query --measures revenue,opportunities,win_rate,billed,collection_rate,target --by salesperson --out "$tmp/tables.csv"
check "... one column each" bash -c "head -1 '$tmp/tables.csv' | grep -q '^salesperson,revenue,opportunities,win_rate,billed,collection_rate,target$'"
check "compare target columns" bash -c "'$bin' query --measures revenue --grain month --compare target --out - | head -1 | grep -q 'revenue,revenue_target,revenue_change,revenue_change_pct'"

# Cross-filter: rows selected elsewhere become one more filter (an OR of ANDs).
check "cross-filter spec" bash -c "'$bin' query --measures revenue --by category --cross-filter 'region=华东;region=华南' --print-spec | grep -q '\"or\":\[{\"and\":\[{\"member\":\"region\",\"op\":\"equals\",\"values\":\[\"华东\"\]'"
"$bin" query --measures revenue,orders --by region --out "$tmp/all_regions.csv"
"$bin" query --measures revenue,orders --by region --cross-filter 'region=华东;region=华南' --out "$tmp/cross.csv"
check "cross-filter keeps the selected rows" bash -c "grep -E '^(region|华东|华南),' '$tmp/all_regions.csv' | cmp -s - '$tmp/cross.csv'"
check "cross-filter of rows naming other members exits 2" exit_code 2 "$bin" query --measures revenue --cross-filter 'region=华东;category=x'
check "... saying so" grep -q "names the same members" "$tmp/err"

# The acceptance case: a real export loaded with only a mapping = pandas.
if [[ -f "$data/csv/superstore_real_excerpt.csv" ]] && /usr/bin/python3 -c "import pandas" 2>/dev/null; then
  csv="$data/csv/superstore_real_excerpt.csv"
  check "superstore query" exit_code 0 "$bin" query --orders "$csv" \
    --map "order=Order ID,date=Order Date,customer=Customer ID,amount=Sales,product=Product ID,quantity=Quantity,margin=Profit" \
    --date-format %d/%m/%y --measures revenue,margin --by Region,Category --out "$tmp/ss.csv"
  check "superstore = pandas groupby to the cent" /usr/bin/python3 - "$csv" "$tmp/ss.csv" <<'PY'
import sys
from decimal import Decimal
import pandas as pd
raw = pd.read_csv(sys.argv[1], dtype=str)
want = {}
for _, r in raw.iterrows():
    k = (r["Region"], r["Category"])
    s, p = want.get(k, (Decimal(0), Decimal(0)))
    want[k] = (s + Decimal(r["Sales"]), p + Decimal(r["Profit"]))
# pandas' own float groupby agrees to the cent as well.
g = pd.read_csv(sys.argv[1]).groupby(["Region", "Category"])[["Sales", "Profit"]].sum()
got = pd.read_csv(sys.argv[2], dtype=str)
assert len(got) == len(want) == len(g), (len(got), len(want), len(g))
for _, r in got.iterrows():
    k = (r["Region"], r["Category"])
    assert Decimal(r["revenue"]) == want[k][0], (k, r["revenue"], want[k])
    assert Decimal(r["margin"]) == want[k][1], (k, r["margin"], want[k])
    assert abs(float(r["revenue"]) - g.loc[k, "Sales"]) < 0.005, k
    assert abs(float(r["margin"]) - g.loc[k, "Profit"]) < 0.005, k
PY
fi

echo "$failures failure(s)"
[[ $failures -eq 0 ]]
