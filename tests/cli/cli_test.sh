#!/usr/bin/env bash
# End-to-end checks of the salesight CLI: every command runs, fails cleanly on
# bad input, and its outputs agree with each other. Usage: cli_test.sh BIN DATA_DIR
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
contains() { grep -q -- "$2" "$1"; }
exit_code() { "${@:2}" >"$tmp/out" 2>"$tmp/err"; [[ $? -eq $1 ]]; }

check "version" bash -c "'$bin' --version | grep -q '^salesight [0-9]'"
check "help lists commands" bash -c "'$bin' --help | grep -q 'report'"
for cmd in report rfm funnel margin aging trend contribution leaderboard validate generate; do
  check "$cmd --help" bash -c "'$bin' $cmd --help | grep -q 'usage: salesight $cmd'"
done
check "unknown command exits 2" exit_code 2 "$bin" frobnicate
check "unknown flag exits 2" exit_code 2 "$bin" rfm --no-such-flag

# The main job on the bundled sample: every section present.
"$bin" report >"$tmp/report.txt" 2>"$tmp/report.err"
check "report exits 0" test $? -eq 0
for section in "Customer tiers" "Sales funnel" "Top products" "customer pyramid" "Receivables aging" "chase first" "Revenue trend" "year to date"; do
  check "report has '$section'" contains "$tmp/report.txt" "$section"
done

# generate -> validate round trip: every generated row is accepted.
check "generate csv" exit_code 0 "$bin" generate --rows 2000 --format both --out "$tmp/erp"
check "generate wrote orders.csv" test -s "$tmp/erp/orders.csv"
check "generate wrote bin meta" test -s "$tmp/erp/meta.json"
lines=$(($(wc -l <"$tmp/erp/orders.csv") - 1))
"$bin" validate --orders "$tmp/erp/orders.csv" \
  --map order=order_id,date=order_date,customer=customer,amount=amount,product=product,quantity=quantity,unit_cost=unit_cost \
  >"$tmp/validate.txt" 2>"$tmp/validate.err"
check "validate generated orders exits 0" test $? -eq 0
check "validate accepted every line" contains "$tmp/validate.err" "$lines data lines, $lines accepted, 0 rejected"

# A public-retail-style export with quoted commas and US dates: invalid rows
# are reported with their line, exit code 1.
if [[ -f "$data/csv/superstore_orders.csv" ]]; then
  "$bin" validate --orders "$data/csv/superstore_orders.csv" \
    --map "order=Order ID,date=Order Date,customer=Customer ID,amount=Sales,product=Product Name,quantity=Quantity,margin=Profit" \
    --date-format %m/%d/%Y --rejects "$tmp/rejects.csv" >"$tmp/ss.txt" 2>"$tmp/ss.err"
  rc=$?
  check "superstore validate reports rejects (exit 1)" test $rc -eq 1
  check "superstore rejects file has lines" bash -c "[[ \$(wc -l <'$tmp/rejects.csv') -gt 1 ]]"
  check "superstore summary counts" contains "$tmp/ss.err" "accepted"
fi

# rfm on the sample: one row per customer, CSV and JSON agree on the row count.
check "rfm csv" exit_code 0 "$bin" rfm --out "$tmp/rfm.csv"
check "rfm json" exit_code 0 "$bin" rfm --out "$tmp/rfm.json" --lang zh
check "rfm header" bash -c "head -1 '$tmp/rfm.csv' | grep -q '^customer,recency_days,frequency,monetary,r,f,m,segment'"
rows_csv=$(($(wc -l <"$tmp/rfm.csv") - 1))
rows_json=$(grep -c '"customer"' "$tmp/rfm.json")
check "rfm csv and json have the same rows ($rows_csv)" test "$rows_csv" -eq "$rows_json"
check "rfm zh labels" contains "$tmp/rfm.json" "客户"
check "rfm summary" exit_code 0 "$bin" rfm --summary
check "rfm bad scoring exits 2" exit_code 2 "$bin" rfm --scoring magic
check "rfm on exported csv" exit_code 0 "$bin" rfm --orders "$tmp/erp/orders.csv" \
  --map order=order_id,date=order_date,customer=customer,amount=amount --out "$tmp/rfm2.csv"

# funnel and margin on the sample and on the exported files.
check "funnel" exit_code 0 "$bin" funnel --by region --out "$tmp/funnel.csv"
check "funnel header" bash -c "head -1 '$tmp/funnel.csv' | grep -q 'lead_count'"
check "funnel csv" exit_code 0 "$bin" funnel --pipeline "$tmp/erp/pipeline.csv" \
  --map id=opportunity_id,created=created_date,region=region,amount=amount,lost=lost_date \
  --stages lead=lead_date,opportunity=opportunity_date,quote=quote_date,contract=contract_date,won=won_date,paid=paid_date \
  --period month --out "$tmp/funnel2.csv"
# --by segment: every opportunity lands in exactly one RFM tier group (or "(none)").
check "funnel by segment" exit_code 0 "$bin" funnel --pipeline "$tmp/erp/pipeline.csv" \
  --map id=opportunity_id,created=created_date,customer=customer \
  --orders "$tmp/erp/orders.csv" --orders-map order=order_id,date=order_date,customer=customer,amount=amount \
  --by segment --out "$tmp/funnel_seg.csv"
opps=$(($(wc -l <"$tmp/erp/pipeline.csv") - 1))
check "funnel by segment covers every opportunity" \
  test "$(awk -F, 'NR > 1 { n += $2 } END { print n }' "$tmp/funnel_seg.csv")" -eq "$opps"
check "funnel by segment without orders exits 1" exit_code 1 "$bin" funnel \
  --pipeline "$tmp/erp/pipeline.csv" --map id=opportunity_id,created=created_date,customer=customer \
  --by segment
# --by category from a pipeline category column; counts worked by hand:
# Tools: O1 won, O2 open -> lead 2, won 1; Toys: O3 won -> lead 1, won 1.
printf 'id,created,category,lead_date,won_date\nO1,2024-01-01,Tools,2024-01-01,2024-01-09\nO2,2024-01-02,Tools,2024-01-02,\nO3,2024-01-03,Toys,2024-01-03,2024-01-05\n' >"$tmp/pipe_cat.csv"
check "funnel by category" exit_code 0 "$bin" funnel --pipeline "$tmp/pipe_cat.csv" \
  --map id=id,created=created,category=category --stages lead=lead_date,won=won_date \
  --by category --out "$tmp/funnel_cat.csv"
check "funnel by category Tools" bash -c "cut -d, -f1,2,6 '$tmp/funnel_cat.csv' | grep -qx 'Tools,2,1'"
check "funnel by category Toys" bash -c "cut -d, -f1,2,6 '$tmp/funnel_cat.csv' | grep -qx 'Toys,1,1'"
check "funnel by category needs the column" exit_code 2 "$bin" funnel --by category
# Any column is a dimension: an unmapped 'origin' column (some cells empty) is
# kept as an attribute; one row per origin, the empty one included (first,
# "" sorts first), and its counts equal a plain awk count (a later stage implies
# the earlier ones, so lead = every row; won = rows with a won date).
awk 'BEGIN { srand(7); print "mql_id,first_contact_date,won_date,origin,note";
  split("web,fair,,partner,ads,", o, ",");
  for (i = 1; i <= 300; i++) {
    won = rand() < 0.4 ? sprintf("2024-03-%02d", 1 + int(rand() * 28)) : "";
    printf "%d,2024-01-%02d,%s,%s,free text %d\n", i, 1 + int(rand() * 28), won, o[1 + int(rand() * 6)], i } }' \
  >"$tmp/leads.csv"
check "funnel by an unmapped column" exit_code 0 "$bin" funnel --pipeline "$tmp/leads.csv" \
  --map id=mql_id --stages lead=first_contact_date,won=won_date --by origin --out "$tmp/by_origin.csv"
awk -F, 'NR > 1 { lead[$4]++; if ($3 != "") won[$4]++ }
  END { for (k in lead) printf "%s,%d,%d\n", k, lead[k], won[k] }' "$tmp/leads.csv" | sort >"$tmp/origin_want.txt"
cut -d, -f1,2,6 "$tmp/by_origin.csv" | tail -n +2 | sort >"$tmp/origin_got.txt"
check "funnel by origin: counts per origin as awk counts them" cmp -s "$tmp/origin_want.txt" "$tmp/origin_got.txt"
check "funnel by origin: the empty origin is a row" bash -c "sed -n 2p '$tmp/by_origin.csv' | grep -q '^,'"
check "funnel by origin: 5 origins" test "$(tail -n +2 "$tmp/by_origin.csv" | wc -l)" -eq 5
check "funnel by origin (printed)" exit_code 0 "$bin" funnel --pipeline "$tmp/leads.csv" \
  --map id=mql_id --stages lead=first_contact_date,won=won_date --by origin
check "funnel --attrs origin keeps origin" exit_code 0 "$bin" funnel --pipeline "$tmp/leads.csv" \
  --map id=mql_id --stages lead=first_contact_date,won=won_date --attrs origin --by origin
check "funnel --attrs none: origin is no dimension" exit_code 2 "$bin" funnel \
  --pipeline "$tmp/leads.csv" --map id=mql_id --stages lead=first_contact_date,won=won_date \
  --attrs none --by origin
check "funnel --attrs none: the error names the column" contains "$tmp/err" "'origin' is not a dimension"
check "funnel --attrs with an unknown column exits 1" exit_code 1 "$bin" funnel \
  --pipeline "$tmp/leads.csv" --map id=mql_id --stages lead=first_contact_date,won=won_date \
  --attrs orign --by origin
check "funnel --attrs unknown column is named" contains "$tmp/err" "'orign'"
# aging and contribution --by any column: an unmapped 'Segment' / 'Sub-Category'
# column (some cells empty) is a dimension; the totals per member are awk's.
awk 'BEGIN { srand(11); print "inv,cust,issued,due,amt,Segment";
  split("Retail,Wholesale,,Online", seg, ",");
  for (i = 1; i <= 300; i++) { d = 1 + int(rand() * 28);
    printf "%d,C%d,2024-05-%02d,2024-06-%02d,%d,%s\n", i, 1 + int(rand() * 9), d, d,
      1 + int(rand() * 900), seg[1 + int(rand() * 4)] } }' >"$tmp/inv_seg.csv"
check "aging --by Segment" exit_code 0 "$bin" aging --invoices "$tmp/inv_seg.csv" \
  --map invoice=inv,customer=cust,date=issued,due=due,amount=amt --as-of 2024-07-31 \
  --by Segment --out "$tmp/aging_seg.csv"
awk -F, 'NR > 1 { t[$6] += $5 } END { for (k in t) printf "%s,%d\n", k, t[k] }' \
  "$tmp/inv_seg.csv" | sort >"$tmp/aging_seg_want.txt"
awk -F, 'NR > 1 { printf "%s,%d\n", $1, $NF }' "$tmp/aging_seg.csv" | sort >"$tmp/aging_seg_got.txt"
check "aging --by Segment: totals per segment as awk sums them" \
  cmp -s "$tmp/aging_seg_want.txt" "$tmp/aging_seg_got.txt"
check "aging --by Segment: rows in the members' order (empty first)" \
  bash -c "cut -d, -f1 '$tmp/aging_seg.csv' | tail -n +2 | tr '\n' ' ' | grep -qx ' Online Retail Wholesale '"
check "aging --by a misspelt column exits 2" exit_code 2 "$bin" aging --invoices "$tmp/inv_seg.csv" \
  --map invoice=inv,customer=cust,date=issued,due=due,amount=amt --as-of 2024-07-31 --by Segmnt
check "aging --by a misspelt column: did you mean" contains "$tmp/err" "Did you mean 'Segment'"
awk 'BEGIN { srand(5); print "order,date,cust,amt,Sub-Category";
  split("Chairs,Desks,,Paper", sub_, ",");
  for (i = 1; i <= 200; i++) printf "%d,2024-03-%02d,C%d,%d,%s\n", i, 1 + int(rand() * 28),
    int(rand() * 5), 1 + int(rand() * 500), sub_[1 + int(rand() * 4)] }' >"$tmp/orders_sub.csv"
check "contribution --by Sub-Category" exit_code 0 "$bin" contribution --orders "$tmp/orders_sub.csv" \
  --map order=order,date=date,customer=cust,amount=amt --by Sub-Category --out "$tmp/contrib_sub.csv"
awk -F, 'NR > 1 { t[$5] += $4 } END { for (k in t) printf "%s,%d\n", k, t[k] }' \
  "$tmp/orders_sub.csv" | sort >"$tmp/contrib_want.txt"
cut -d, -f1,2 "$tmp/contrib_sub.csv" | tail -n +2 | sort >"$tmp/contrib_got.txt"
check "contribution --by Sub-Category: values as awk sums them" \
  cmp -s "$tmp/contrib_want.txt" "$tmp/contrib_got.txt"
check "contribution --by a misspelt column exits 2" exit_code 2 "$bin" contribution \
  --orders "$tmp/orders_sub.csv" --map order=order,date=date,customer=cust,amount=amt --by SubCategory
check "contribution --by a misspelt column: did you mean" contains "$tmp/err" "Did you mean 'Sub-Category'"
# rfm --by category on an export with a per-line category (it reaches rfm through the
# dataset's products, as it reaches margin): one row per (category, customer) pair.
awk -F, 'NR == 1 { print "order,date,cust,amt,cat,prod"; next }
  { c = $5 == "" ? "Misc" : $5; print $1 "," $2 "," $3 "," $4 "," c ",P-" c (NR % 2) }' \
  "$tmp/orders_sub.csv" >"$tmp/orders_cat.csv"
check "rfm --by category on an export" exit_code 0 "$bin" rfm --orders "$tmp/orders_cat.csv" \
  --map order=order,date=date,customer=cust,amount=amt,category=cat,product=prod --by category \
  --out "$tmp/rfm_cat.csv"
awk -F, 'NR > 1 { print $5 "," $3 }' "$tmp/orders_cat.csv" | sort -u >"$tmp/rfm_cat_want.txt"
cut -d, -f1,2 "$tmp/rfm_cat.csv" | tail -n +2 | sort >"$tmp/rfm_cat_got.txt"
check "rfm --by category: one row per category and customer" \
  cmp -s "$tmp/rfm_cat_want.txt" "$tmp/rfm_cat_got.txt"
# Data problems name the opportunity as the export spells it (32-character
# lead ids here), never the internal dense id: the second lead's won date is
# before its lead date (2 backwards dates: won < lead and won < created).
printf 'id,lead_date,won_date\n0f3a9c2e7b1d4e5f8a6b7c9d0e1f2a3b,2024-01-01,2024-01-09\na1f3c9e27b4d4e5f8a6b7c9d0e1f2a3b,2024-01-05,2024-01-02\nb2c4d6e8f0a1b3c5d7e9f1a3b5c7d9e1,2024-01-03,\n' >"$tmp/pipe_back.csv"
check "funnel backwards dates exit 0" exit_code 0 "$bin" funnel --pipeline "$tmp/pipe_back.csv" \
  --map id=id --stages lead=lead_date,won=won_date --out "$tmp/funnel_back.csv"
check "funnel data problem names the lead id as given" \
  contains "$tmp/err" "opportunity 'a1f3c9e27b4d4e5f8a6b7c9d0e1f2a3b': won 2024-01-02 is before"
check "funnel data problem counts both backwards dates" contains "$tmp/err" "data problem: 2 stage dates"
check "funnel data problem example lists the id and row" contains "$tmp/err" "'a1f3c9e27b4d4e5f8a6b7c9d0e1f2a3b' (row 1)"
check "funnel data problem never names the dense id" bash -c "! grep -Eq 'opportunity [0-9]' '$tmp/err'"
check "margin" exit_code 0 "$bin" margin --by category --abc --out "$tmp/margin.csv"
check "margin header" bash -c "head -1 '$tmp/margin.csv' | grep -q 'revenue,cost,margin,margin_pct,revenue_share,margin_share'"
check "margin top" exit_code 0 "$bin" margin --top 5
check "margin csv" exit_code 0 "$bin" margin --orders "$tmp/erp/orders.csv" \
  --map order=order_id,date=order_date,customer=customer,amount=amount,product=product,quantity=quantity,unit_cost=unit_cost \
  --by product --quadrant --out "$tmp/margin2.csv"

# aging: the bundled sample, then the exported invoices with and without the
# payments file (the generator's payments sum to each invoice's paid amount,
# so both sources must age identically), and per-customer rows summing to the
# ungrouped total.
inv_map=invoice=invoice_id,order=order_id,customer=customer,salesperson=salesperson,region=region,date=invoice_date,due=due_date,amount=amount
check "aging" exit_code 0 "$bin" aging --out "$tmp/aging.csv"
check "aging header" bash -c "head -1 '$tmp/aging.csv' | grep -qx 'customer,b_current,b_1_30,b_31_60,b_61_90,b_over_90,total'"
check "aging csv paid columns" exit_code 0 "$bin" aging --invoices "$tmp/erp/invoices.csv" \
  --map "$inv_map,paid=paid,paid_date=paid_date" --as-of 2024-06-30 --out "$tmp/aging_paid.csv"
check "aging csv payments file" exit_code 0 "$bin" aging --invoices "$tmp/erp/invoices.csv" \
  --map "$inv_map" --payments "$tmp/erp/payments.csv" --payments-map invoice=invoice_id,date=payment_date,amount=amount \
  --as-of 2024-06-30 --out "$tmp/aging_pay.csv"
check "aging: payments file = paid columns" cmp -s "$tmp/aging_paid.csv" "$tmp/aging_pay.csv"
# Receivables problems name the invoice as given: INV-B is overpaid.
printf 'invoice,customer,date,due,amount,paid,paid_date\nINV-A,C1,2024-01-01,2024-01-31,100.00,0,\nINV-B,C2,2024-01-02,2024-02-01,50.00,80.00,2024-01-20\n' >"$tmp/inv_over.csv"
check "aging overpaid exits 0" exit_code 0 "$bin" aging --invoices "$tmp/inv_over.csv" \
  --map invoice=invoice,customer=customer,date=date,due=due,amount=amount,paid=paid,paid_date=paid_date \
  --as-of 2024-03-01 --out "$tmp/aging_over.csv"
check "aging data problem names the invoice as given" contains "$tmp/err" \
  "data problem: 1 invoices overpaid or credit notes (30): not aged; e.g. invoice 'INV-B'"
check "aging overdue names the invoice as given" bash -c "'$bin' aging --invoices '$tmp/inv_over.csv' \
  --map invoice=invoice,customer=customer,date=date,due=due,amount=amount,paid=paid,paid_date=paid_date \
  --as-of 2024-03-01 --overdue 5 --out - 2>/dev/null | grep -q '^INV-A,C1,2024-01-31'"
check "aging ungrouped" exit_code 0 "$bin" aging --invoices "$tmp/erp/invoices.csv" \
  --map "$inv_map,paid=paid,paid_date=paid_date" --as-of 2024-06-30 --by none --out "$tmp/aging_all.csv"
check "aging: customer rows sum to the total" test \
  "$(awk -F, 'NR > 1 { s += $7 * 100 } END { printf "%.0f", s }' "$tmp/aging_paid.csv")" = \
  "$(awk -F, 'NR > 1 { printf "%.0f", $6 * 100 }' "$tmp/aging_all.csv")"
check "aging overdue" exit_code 0 "$bin" aging --overdue 10 --out "$tmp/overdue.csv"
check "aging overdue rows" test "$(($(wc -l <"$tmp/overdue.csv") - 1))" -eq 10
check "aging collection" exit_code 0 "$bin" aging --collection --out "$tmp/collection.csv"
check "aging collection header" bash -c "head -1 '$tmp/collection.csv' | grep -q '^salesperson,invoices_due,billed,collected,collection_rate'"
check "aging bad bucket exits 2" exit_code 2 "$bin" aging --buckets 0,x

# trend: monthly revenue adds up to the export's total; weeks are ISO labels.
ord_map=order=order_id,date=order_date,customer=customer,amount=amount,product=product,quantity=quantity,unit_cost=unit_cost
check "trend csv" exit_code 0 "$bin" trend --orders "$tmp/erp/orders.csv" --map "$ord_map" \
  --only-active --out "$tmp/trend.csv"
check "trend header" bash -c "head -1 '$tmp/trend.csv' | grep -q '^period,revenue,margin,orders,revenue_compare,growth_pct'"
check "trend months add up to the orders' total" test \
  "$(awk -F, 'NR > 1 { s += $2 * 100 } END { printf "%.0f", s }' "$tmp/trend.csv")" = \
  "$(awk -F, 'NR > 1 { s += $9 * 100 } END { printf "%.0f", s }' "$tmp/erp/orders.csv")"
check "trend week labels" bash -c "'$bin' trend --grain week --out - 2>/dev/null | sed -n 2p | grep -Eq '^[0-9]{4}-W[0-9]{2},'"
check "trend target needs targets" exit_code 2 "$bin" trend --orders "$tmp/erp/orders.csv" \
  --map "$ord_map" --compare target
check "trend target" exit_code 0 "$bin" trend --orders "$tmp/erp/orders.csv" --map "$ord_map" \
  --targets "$tmp/erp/targets.csv" --targets-map salesperson=salesperson,month=month,amount=target \
  --compare target --grain quarter --out "$tmp/trend_target.csv"
check "trend: --targets without --orders exits 2" exit_code 2 "$bin" trend --compare target \
  --targets "$tmp/erp/targets.csv" --targets-map salesperson=salesperson,month=month,amount=target
check "trend: the message says why" contains "$tmp/err" "needs --orders"
check "trend to-date" exit_code 0 "$bin" trend --as-of 2024-09-30 --to-date --out "$tmp/ytd.csv"
check "trend to-date rows" bash -c "cut -d, -f1 '$tmp/ytd.csv' | tr '\n' ' ' | grep -q 'kind MTD QTD YTD'"
# flags derived from the declaration: the earlier spelling of a choice still
# works, and --no-margin (with_margin=false) leaves the margin column empty.
check "trend --compare last-year = default" bash -c \
  "cmp <('$bin' trend --compare last-year --out - 2>/dev/null) <('$bin' trend --out - 2>/dev/null)"
check "trend --no-margin" bash -c \
  "'$bin' trend --no-margin --out - 2>/dev/null | awk -F, 'NR > 1 && \$3 != \"\" { bad = 1 } END { exit bad }'"
check "trend --max-cells refuses a large window" exit_code 1 "$bin" trend --grain day --max-cells 10

# contribution: the rounded percentages sum to exactly 100.0 (largest remainder).
check "contribution" exit_code 0 "$bin" contribution --by region --out "$tmp/share.csv"
check "contribution header" bash -c "head -1 '$tmp/share.csv' | grep -qx 'region,value,share,share_pct'"
check "contribution sums to 100.0" test \
  "$(awk -F, 'NR > 1 { s += $4 * 10 } END { printf "%.0f", s }' "$tmp/share.csv")" = 1000
check "contribution two keys, margin" exit_code 0 "$bin" contribution --orders "$tmp/erp/orders.csv" \
  --map "$ord_map,region=region,channel=channel" --by region,channel --measure margin --decimals 2 \
  --out "$tmp/share2.csv"
check "contribution two keys sum to 100.00" test \
  "$(awk -F, 'NR > 1 { s += $5 * 100 } END { printf "%.0f", s }' "$tmp/share2.csv")" = 10000
check "contribution bad key exits 2" exit_code 2 "$bin" contribution --by planet

# leaderboard: every line has a salesperson in the sample, so the revenue
# column adds up to the same total as the contribution by region; ranking by
# margin is descending.
check "leaderboard" exit_code 0 "$bin" leaderboard --out "$tmp/lb.csv"
check "leaderboard header" bash -c "head -1 '$tmp/lb.csv' | grep -qx 'rank,salesperson,revenue,margin,orders,won,lost,win_rate,collection_rate,target,attainment'"
check "leaderboard revenue adds up to the total" test \
  "$(awk -F, 'NR > 1 { s += $3 * 100 } END { printf "%.0f", s }' "$tmp/lb.csv")" = \
  "$(awk -F, 'NR > 1 { s += $2 * 100 } END { printf "%.0f", s }' "$tmp/share.csv")"
check "leaderboard by margin" exit_code 0 "$bin" leaderboard --rank-by margin --out "$tmp/lb2.csv"
check "leaderboard by margin is descending" bash -c \
  "awk -F, 'NR > 2 && \$4 + 0 > prev + 0 { bad = 1 } NR > 1 { prev = \$4 } END { exit bad }' '$tmp/lb2.csv'"
check "leaderboard top 3" bash -c "'$bin' leaderboard --top 3 --out - 2>/dev/null | wc -l | grep -qx 4"
check "leaderboard bad metric exits 2" exit_code 2 "$bin" leaderboard --rank-by charm

# --preset: a Kingdee sales order export loads without --map (金额 is the
# amount, not 价税合计); an unknown preset is a usage error naming the close one.
printf '%s\n' '单据编号,日期,客户编码,销售员,物料编码,销售数量,价税合计,金额' \
  'XSDD01,2024/1/7,C001,张三,P-01,2,226.00,200.00' 'XSDD02,2024/1/8,C002,李四,P-02,1,113.00,100.00' \
  > "$tmp/kingdee.csv"
check "--preset kingdee" exit_code 0 "$bin" margin --orders "$tmp/kingdee.csv" --preset kingdee \
  --by customer --out "$tmp/kingdee_margin.csv"
check "--preset kingdee reads 金额" bash -c "grep -q '^C001,2,200,' '$tmp/kingdee_margin.csv'"
check "--preset unknown exits 1" exit_code 1 "$bin" validate --orders "$tmp/kingdee.csv" --preset kingde
check "--preset unknown: did you mean" contains "$tmp/err" "Did you mean 'kingdee'?"

# No flag is ever ignored: each rule of the flag specs is a usage error (exit
# 2) naming the flag and what it needs.
usage() {  # usage NAME MESSAGE ARGS...: exit 2 and stderr contains MESSAGE
  local name=$1 message=$2
  shift 2
  check "$name exits 2" exit_code 2 "$bin" "$@"
  check "$name says '$message'" contains "$tmp/err" "$message"
}
usage "threads -5" "--threads: -5 is outside 0..1024" rfm --threads -5
usage "threads abc" "--threads: 'abc' is not an integer" rfm --threads abc
usage "threads on every command" "--threads: 2000 is outside 0..1024" margin --threads 2000
usage "generate threads" "--threads: -1 is outside" generate --out "$tmp/g" --threads -1
usage "stages without pipeline" "--stages needs --pipeline" funnel --stages lead=a,won=b
usage "validate stages without pipeline" "--stages needs --pipeline" validate --orders x.csv --stages lead=a
usage "per-file map without its file" "--orders-map needs --orders" rfm --orders-map customer=c
usage "map without a file" "--map needs --orders" rfm --map customer=c
usage "report map without a file" "--map needs --orders, --pipeline or --invoices" report --map x=y
usage "reading option without a file" "--date-format needs --orders" rfm --date-format %d.%m.%Y
usage "rejects without a file" "--rejects needs --orders" margin --rejects "$tmp/r.csv"
usage "other file without the main one" "--pipeline needs --orders (without --orders the bundled sample" leaderboard --pipeline p.csv
usage "report targets without orders" "--targets needs --orders" report --targets t.csv
usage "payments without invoices" "--payments needs --invoices" report --payments p.csv
usage "value flag twice" "--k given twice ('3' and '4')" rfm --k 3 --k 4
usage "boolean with a value" "--summary takes no value" rfm --summary=yes
usage "value missing" "flag --out needs a value" rfm --out --summary
usage "stray argument" "unexpected argument 'orders.csv'" rfm orders.csv
usage "out extension" "--out 'r.txt': the file name must end in .csv or .json" rfm --out r.txt
usage "fixed thresholds need fixed scoring" "--fixed-recency needs --scoring fixed" rfm --fixed-recency 30,90
usage "k with fixed scoring" "--k cannot be combined with --scoring fixed" rfm --scoring fixed --k 4 \
  --fixed-recency 30,90 --fixed-frequency 1,2 --fixed-monetary 10,20
usage "k range" "--k: 61 is outside 1..60" rfm --k 61
usage "window range" "--window-days: -1 is outside 0..100000" rfm --window-days -1
usage "detail with summary" "--detail cannot be combined with --summary" rfm --detail --summary
usage "money scale range" "--money-scale: 7 is outside 0..6" validate --orders x.csv --money-scale 7
usage "funnel compare needs period" "--compare needs --period" funnel --compare previous
usage "funnel lost needs pipeline" "--lost needs --pipeline" funnel --lost Lost
usage "funnel min-sample range" "--min-sample: -1 is outside" funnel --min-sample -1
usage "margin rank-by needs top" "--rank-by needs --top or --bottom" margin --rank-by revenue
usage "margin top and bottom" "--top cannot be combined with --bottom" margin --top 3 --bottom 3
usage "margin abc with top" "--abc cannot be combined with --top" margin --abc --top 3
usage "margin abc-metric needs abc" "--abc-metric needs --abc" margin --abc-metric margin
usage "margin lang needs abc" "--lang needs --abc or --quadrant" margin --lang zh
usage "margin lang value" "--lang must be en or zh" margin --abc --lang fr
usage "margin abc-metric value" "--abc-metric must be revenue or margin" margin --abc --abc-metric cost
usage "margin by an unknown name" "--by: 'regoin' is not a dimension of the orders. Did you mean 'region'?" margin --by regoin,month
usage "margin by two grains" "at most one period grain" margin --by month,week
usage "aging from needs collection" "--from needs --collection" aging --from 2024-01-01
usage "aging days-to-pay needs collection" "--days-to-pay needs --collection" aging --days-to-pay amount_weighted
usage "aging overdue with collection" "--overdue cannot be combined with --collection" aging --overdue 5 --collection
usage "aging buckets with collection" "--buckets cannot be combined with --collection" aging --buckets 0,30 --collection
usage "aging by with overdue" "--by cannot be combined with --overdue" aging --by region --overdue 5
usage "aging overdue range" "--overdue: -3 is outside" aging --overdue -3
usage "trend as-of needs to-date" "--as-of needs --to-date" trend --as-of 2024-09-30
usage "trend to-date needs as-of" "--to-date needs --as-of" trend --to-date
usage "trend to-date with grain" "--to-date cannot be combined with --grain" trend --to-date --as-of 2024-09-30 --grain week
usage "contribution decimals range" "--decimals: 9 is outside 0..6" contribution --decimals 9
usage "leaderboard top range" "--top: -1 is outside" leaderboard --top -1
usage "generate rows range" "--rows: 10 is outside 1000..100000000" generate --rows 10 --out "$tmp/g"
usage "generate seed range" "--seed: -1 is outside" generate --seed -1 --out "$tmp/g"
usage "segments value" "neither tiers, relative, classic, workload nor a readable rules file" rfm --segments nope
usage "margin quadrant needs products" "--quadrant labels products" margin --quadrant --by region
usage "funnel orders only for segment" "--orders is read only for --by segment" funnel --pipeline p.csv --orders o.csv
usage "fixed scoring needs its thresholds" "--scoring fixed needs --fixed-recency" rfm --scoring fixed
usage "compare target needs targets" "--compare target needs --targets" trend --compare target
check "help shows what a flag needs" bash -c "'$bin' rfm --help | grep -q 'fixed-recency.*needs --scoring fixed'"
# Flags derived from the declared options (src/funnel/options_decl.cpp,
# src/margin/options_decl.cpp): values checked with the flags, '-' = '_' in a
# choice, the new flags reach the calculator.
usage "funnel mode value" "--mode must be cohort, activity or snapshot, not 'weekly'" funnel --mode weekly
usage "funnel no-bottlenecks with bottlenecks" "--no-bottlenecks cannot be combined with --bottlenecks" funnel --no-bottlenecks --bottlenecks
usage "funnel bottleneck-margin range" "--bottleneck-margin: '-1' is outside 0.." funnel --bottleneck-margin -1
usage "margin unknown-cost value" "--unknown-cost must be exclude or error, not 'skip'" margin --unknown-cost skip
check "funnel compare last-year" exit_code 0 "$bin" funnel --period month --compare last-year --out "$tmp/f_ly.csv"
check "funnel compare last_year is the same" bash -c "'$bin' funnel --period month --compare last_year --out - 2>/dev/null | cmp -s - '$tmp/f_ly.csv'"
check "margin plain shares" exit_code 0 "$bin" margin --by region --margin-share plain --out "$tmp/m_plain.csv"
check "margin plain shares sum to 1" \
  awk -F, 'NR > 1 { s += $NF } END { exit !(s > 0.999999 && s < 1.000001) }' "$tmp/m_plain.csv"

# Segments: every default tier of the bundled sample has customers (its key
# accounts); relative tiers on rfm and report; an empty tier says why.
"$bin" rfm --summary --out "$tmp/seg.csv" 2>/dev/null
check "sample: every default tier has customers" \
  test "$(awk -F, 'NR > 1 && $2 > 0 { n++ } END { print n }' "$tmp/seg.csv")" -eq 6
check "segment summary has a note column" bash -c "head -1 '$tmp/seg.csv' | grep -q ',note$'"
check "rfm relative" exit_code 0 "$bin" rfm --segments relative --summary --out "$tmp/rel.csv"
check "rfm relative: every tier has customers" \
  test "$(awk -F, 'NR > 1 && $2 > 0 { n++ } END { print n }' "$tmp/rel.csv")" -eq 6
check "report relative" exit_code 0 "$bin" report --segments relative
check "report says key accounts" contains "$tmp/out" "3 key accounts"
# On the plain generated export (no key accounts) high_value is empty: the
# report says which threshold nobody reached.
"$bin" report --orders "$tmp/erp/orders.csv" --map "order=order_id,date=order_date,customer=customer,amount=amount" \
  >"$tmp/report2.txt" 2>/dev/null
check "report explains an empty tier" contains "$tmp/report2.txt" "note: high_value: no customer has"

# clv on CDNOW (tests/data/cdnow): BG/NBD + Gamma-Gamma, the fit as JSON, one row
# per customer. On the bundled sample BG/NBD runs to its boundary (no dropout:
# a, b -> infinity): not converging is an error unless allowed.
check "clv --help" bash -c "'$bin' clv --help | grep -q 'usage: salesight clv'"
awk 'BEGIN { print "order,cust,day,amount" }
     { printf "%d,%s,%s-%s-%s,%s\n", NR, $2, substr($3, 1, 4), substr($3, 5, 2), substr($3, 7, 2), $5 }' \
  "$(dirname "$0")/../data/cdnow/CDNOW_sample.txt" >"$tmp/cdnow.csv"
check "clv exits 0" exit_code 0 "$bin" clv --orders "$tmp/cdnow.csv" \
  --map order=order,customer=cust,date=day,amount=amount --model bgnbd --time-unit week \
  --calibration-end 1997-09-30 --horizon 39 --discount 0.002 --margin 0.3 \
  --params-out "$tmp/clv.json" --out "$tmp/clv.csv"
check "clv cdnow r" contains "$tmp/clv.json" '"r": 0.2425'
check "clv sample not converging exits 1" exit_code 1 "$bin" clv
check "clv says it did not converge" contains "$tmp/err" "did not converge\\|diverged"
check "clv allow-not-converged exits 0" exit_code 0 "$bin" clv --allow-not-converged --out "$tmp/clv2.csv"
check "clv params converged" contains "$tmp/clv.json" '"transaction_model": {"params": {"r": '
check "clv params status" contains "$tmp/clv.json" '"status": "converged"'
check "clv columns" contains "$tmp/clv.csv" "p_alive,expected_purchases,expected_spend,clv"
check "clv bad model exits 2" exit_code 2 "$bin" clv --model weibull
check "clv bgbb by month exits 1" exit_code 1 "$bin" clv --model bgbb --time-unit month
check "clv bgbb by month says why" contains "$tmp/err" "one opportunity per day or per ISO week"

# Real ERP exports: a GBK file needs --encoding (the error shows the header
# both ways), Excel's UTF-16 "Unicode text" is detected, Chinese and serial dates.
printf '单据编号,单据日期,客户编码,金额\nBI001,2024年1月7日,客户甲,"￥1,234.50"\nBI002,45293,客户乙,1.50元\n' |
  iconv -f UTF-8 -t GBK >"$tmp/gbk.csv"
erp_map="order=单据编号,date=单据日期,customer=客户编码,amount=金额"
check "gbk without --encoding exits 1" exit_code 1 "$bin" validate --orders "$tmp/gbk.csv" --map "$erp_map"
check "gbk error suggests --encoding gb18030" contains "$tmp/err" "encoding gb18030"
check "gbk error shows the decoded header" contains "$tmp/err" "as GB18030: '单据编号,单据日期,客户编码,金额'"
check "gbk with --encoding gbk and --excel-dates" exit_code 0 "$bin" validate --orders "$tmp/gbk.csv" \
  --map "$erp_map" --encoding gbk --excel-dates
check "gbk all accepted" contains "$tmp/err" "2 data lines, 2 accepted, 0 rejected"
check "serial date rejected without --excel-dates" exit_code 1 "$bin" validate --orders "$tmp/gbk.csv" \
  --map "$erp_map" --encoding gb18030
check "serial date hint" contains "$tmp/err" "--excel-dates"
{ printf '\xff\xfe'; printf 'order\tdate\tcustomer\tamount\n1\t2024-01-07\tC1\t5\n' | iconv -f UTF-8 -t UTF-16LE; } >"$tmp/unicode.txt"
check "utf-16 unicode text detected" exit_code 0 "$bin" validate --orders "$tmp/unicode.txt"
check "utf-16 accepted" contains "$tmp/err" "1 data lines, 1 accepted, 0 rejected"
check "bad --encoding exits 1" exit_code 1 "$bin" validate --orders "$tmp/unicode.txt" --encoding latin1

# A document-style export: fill-down, a 合计 row checked and kept out, a
# planted document-amount mismatch reported with both numbers; --rejects lists
# every such row.
printf '单据编号,单据日期,客户编码,销售金额,商品编码,金额\nBI001,2026-08-01,001,0.30,P001,0.10\n,,,,P002,0.20\nBI002,2026-08-02,002,5.00,P001,1.00\n,,,,合计:,1.30\n' >"$tmp/doc.csv"
doc_map="order=单据编号,date=单据日期,customer=客户编码,product=商品编码,amount=金额"
check "document export" exit_code 0 "$bin" validate --orders "$tmp/doc.csv" --map "$doc_map" \
  --fill-down 单据编号,单据日期,客户编码 --document-total 销售金额 --rejects "$tmp/doc_rejects.csv"
check "document export counts" contains "$tmp/err" "4 data lines, 3 accepted, 0 rejected, 1 total rows"
check "document amount mismatch shown" contains "$tmp/err" "5.00 but the 1 accepted line of the document"
check "rejects file lists the total row" contains "$tmp/doc_rejects.csv" "total row: 合计: 金额 1.30"
check "rejects file lists the filled-down row" contains "$tmp/doc_rejects.csv" "filled down: 单据编号, 单据日期, 客户编码 from line 2"
check "--document-total needs --fill-down" exit_code 2 "$bin" validate --orders "$tmp/doc.csv" \
  --map "$doc_map" --document-total 销售金额

# Alerts: the shipped rule file is read by --rules; a bad rule is a usage
# error naming the rule and the field.
rules="$(cd "$(dirname "$0")/../.." && pwd)/examples/alerts/rules.json"
check "alerts with the example rules" exit_code 0 "$bin" alerts --rules "$rules" --out "$tmp/alerts.csv"
check "alerts header" bash -c "head -1 '$tmp/alerts.csv' | grep -q '^kind,rule,kpi,dimension,member,period,value,expected'"
check "alerts: the overdue rule fires" contains "$tmp/alerts.csv" "^rule,customer_overdue_90,overdue,customer,"
check "alerts skipped output" exit_code 0 "$bin" alerts --output skipped --out "$tmp/skipped.csv"
check "alerts skipped counts guarded slices" contains "$tmp/skipped.csv" "^anomaly,,revenue,salesperson,"
printf '[{"id":"x","kpi":"revenue","op":"=<","threshold":1}]' >"$tmp/bad_rules.json"
check "alerts bad rule exits 2" exit_code 2 "$bin" alerts --rules "$tmp/bad_rules.json"
check "alerts bad rule named" contains "$tmp/err" "rule 1 ('x'), field 'op'"

# Drivers: the dataset mode on the bundled sample (revenue of its last month
# vs the one before, by region x category), and the --leaves mode beside it.
check "drivers dataset mode" exit_code 0 "$bin" drivers --measure revenue --compare previous \
  --dims region,category --out "$tmp/drivers.csv"
check "drivers header" bash -c "head -1 '$tmp/drivers.csv' | grep -q '^rank,combination,depth,before,after,change,change_pct,effect,mix_effect,rate_effect,share,surprise,root_cause'"
check "drivers combinations in the dims' order" bash -c "grep -q 'region=[^,]*&category=' '$tmp/drivers.csv' && ! grep -q 'category=[^,]*&region=' '$tmp/drivers.csv'"
check "drivers summary in zh" exit_code 0 "$bin" drivers --dims region --output summary --lang zh \
  --out "$tmp/drivers_summary.csv"
check "drivers summary sentence" contains "$tmp/drivers_summary.csv" "上期"
check "drivers ratio measure" exit_code 0 "$bin" drivers --measure margin_pct --dims region --out "$tmp/drivers_pct.csv"
check "drivers ratio has mix and rate" bash -c "sed -n 2p '$tmp/drivers_pct.csv' | awk -F, '{exit !(\$9 != \"\" && \$10 != \"\")}'"
check "drivers vs target (the targets' level)" exit_code 0 "$bin" drivers --compare target --output summary \
  --out "$tmp/drivers_target.csv"
check "drivers vs target sentence" contains "$tmp/drivers_target.csv" "vs the target"
check "drivers bad period exits 1" exit_code 1 "$bin" drivers --period 2024-13
check "drivers bad period named" contains "$tmp/err" "period '2024-13' is not a month label"
check "drivers bad measure exits 2" exit_code 2 "$bin" drivers --measure revenu
printf 'a,b,real,predict\nx,u,10,10\nx,v,2,10\ny,u,10,10\ny,v,10,10\n' >"$tmp/leaves.csv"
check "drivers --leaves still works" exit_code 0 "$bin" drivers --leaves "$tmp/leaves.csv" --dims a,b \
  --out "$tmp/causes.csv"
check "drivers --leaves writes its columns" bash -c "head -1 '$tmp/causes.csv' | grep -q '^combination,depth,ep,risk'"

# Missing file: a clear error, exit 1, no crash.
check "missing file exits 1" exit_code 1 "$bin" rfm --orders "$tmp/nope.csv" --map order=a,date=b,customer=c,amount=d
check "missing file message names it" contains "$tmp/err" "nope.csv"

echo "$failures failure(s)"
exit $((failures > 0))
