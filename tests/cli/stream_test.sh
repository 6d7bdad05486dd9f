#!/usr/bin/env bash
# `--stream` (rfm, margin, trend on the orders; funnel on the pipeline)
# prints byte for byte what the plain command
# prints (stdout, stderr, --rejects, exit code) for batch sizes from one byte
# to more than the file, on a generated export and on a hand-made
# document-style file whose edges fall everywhere: quoted newlines and
# commas, rejected rows, fill-down documents with a checked document total,
# an auto money scale that grows after the first batches, order numbers
# that turn into codes half way. Usage: stream_test.sh BIN
set -uo pipefail
bin=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0

check() {  # check NAME CONDITION-COMMAND...
  local name=$1
  shift
  if "$@"; then echo "ok   $name"; else echo "FAIL $name"; failures=$((failures + 1)); fi
}

# same NAME CHUNKS -- ARGS...: the plain run and --stream --chunk-mb C for
# every C agree on stdout, stderr, the rejects file and the exit code.
same() {
  local name=$1 chunks=$2
  shift 3
  "$bin" "$@" --threads 1 --out - --rejects "$tmp/a.rej" >"$tmp/a.out" 2>"$tmp/a.err"
  local want=$?
  for c in $chunks; do
    "$bin" "$@" --stream --chunk-mb "$c" --out - --rejects "$tmp/b.rej" >"$tmp/b.out" 2>"$tmp/b.err"
    local got=$?
    check "$name --chunk-mb $c (exit $want)" bash -c "[[ $want -eq $got ]] && cmp -s '$tmp/a.out' '$tmp/b.out' && cmp -s '$tmp/a.err' '$tmp/b.err' && cmp -s '$tmp/a.rej' '$tmp/b.rej'"
  done
}

# A generated ERP export (orders in order-number order, as ERPs write them).
"$bin" generate --rows 3000 --out "$tmp/g" --threads 1 >/dev/null 2>&1
g=(--orders "$tmp/g/orders.csv" --map order=order_id,date=order_date)
chunks="0.000001 0.0003 0.01 64"
same "rfm" "$chunks" -- rfm "${g[@]}" --detail
same "rfm window" "0.0003 64" -- rfm "${g[@]}" --window-days 200 --summary
same "margin by region" "$chunks" -- margin "${g[@]}" --by region --abc
same "margin top" "0.0003 64" -- margin "${g[@]}" --top 7
same "trend" "$chunks" -- trend "${g[@]}" --grain week --by channel
same "trend with collections and targets" "0.0003 64" -- trend "${g[@]}" --by salesperson \
  --invoices "$tmp/g/invoices.csv" --invoices-map invoice=invoice_id,order=order_id,date=invoice_date,due=due_date \
  --targets "$tmp/g/targets.csv" --targets-map salesperson=salesperson,month=month,amount=target

# A document-style export: a document's first line carries order, date,
# customer and its total; its lines below carry the rest (--fill-down).
# Every 23rd line has a bad amount (rejected: its document's total then
# mismatches, a note), every 31st a bad date; notes hold quoted newlines and
# commas; amounts are whole until document 120, then cents, then from
# document 300 some have 3 decimals (the auto scale grows twice); from
# document 200 on the order numbers are codes ("SO-...").
awk 'BEGIN {
  srand(7); n = 0;
  print "Order,Date,Customer,Product,Amount,Note,DocTotal";
  for (d = 1; d <= 400; d++) {
    lines = 1 + int(rand() * 4);
    order = d >= 200 ? sprintf("SO-%05d", d) : d;
    day = 1 + (d % 28); month = 1 + int(d / 40) % 12;
    total = 0; out = "";
    for (k = 1; k <= lines; k++) {
      n++;
      cents = d < 120 ? 100 * (1 + int(rand() * 900)) : 1 + int(rand() * 90000);
      amount = d < 120 ? sprintf("%d", cents / 100) : sprintf("%d.%02d", int(cents / 100), cents % 100);
      if (d >= 300 && k == 2) amount = amount "5";
      if (n % 23 == 0) amount = "x" amount; else total += cents;
      note = (n % 5 == 0) ? "\"two\nlines, \"\"quoted\"\"\"" : "plain";
      date = (n % 31 == 0) ? "2024-02-30" : sprintf("2024-%02d-%02d", month, day);
      product = "P-" (1 + int(rand() * 40));
      if (k == 1) first = order "," date ",C-" (1 + (d * 7) % 50); 
      row[k] = (k == 1 ? first : ",,") "," product "," amount "," note;
    }
    for (k = 1; k <= lines; k++) {
      if (k == 1) print row[k] "," (d < 120 ? sprintf("%d", total / 100) : sprintf("%d.%02d", int(total / 100), total % 100));
      else print row[k] ",";
    }
  }
}' >"$tmp/docs.csv"
docs=(--orders "$tmp/docs.csv" --map order=Order,date=Date,customer=Customer,product=Product,amount=Amount
      --fill-down Order,Date,Customer --document-total DocTotal)
check "the document file has rejects and notes" bash -c "'$bin' margin ${docs[*]} --out - 2>&1 >/dev/null | grep -q 'rejected' "
same "docs margin by customer" "0.000001 0.0002 0.002 64" -- margin "${docs[@]}" --by customer
same "docs margin by order" "0.0002 64" -- margin "${docs[@]}" --by order
same "docs trend" "0.000001 0.002 64" -- trend "${docs[@]}" --grain month
# RFM counts distinct orders across batches only for a file in order-number
# order: the numeric part of the document file (documents 1..199).
head -n "$(grep -n '^SO-' "$tmp/docs.csv" | head -1 | cut -d: -f1)" "$tmp/docs.csv" | sed '$d' >"$tmp/docs_num.csv"
docs_num=("${docs[@]}")
docs_num[1]="$tmp/docs_num.csv"
same "docs rfm" "0.000001 0.002 64" -- rfm "${docs_num[@]}" --detail
same "docs rfm by days" "0.0002 64" -- rfm "${docs[@]}" --frequency days

# funnel --stream reads the pipeline export: the generated one, then a
# hand-made one whose batch edges fall everywhere: quoted newlines and commas
# in the notes, rejected rows (bad amount, bad date), stage dates before the
# previous stage (data-problem examples naming rows of the whole file), skipped
# stages, an auto money scale that grows twice, opportunity numbers that turn
# into codes half way.
p=(--pipeline "$tmp/g/pipeline.csv" --map id=opportunity_id,created=created_date,region=region,amount=amount,lost=lost_date
   --stages lead=lead_date,opportunity=opportunity_date,quote=quote_date,contract=contract_date,won=won_date,paid=paid_date)
same "funnel" "$chunks" -- funnel "${p[@]}"
same "funnel by region and month, compared" "0.0001 0.003 64" -- funnel "${p[@]}" --by region \
  --period month --compare previous
same "funnel bottlenecks" "0.0001 64" -- funnel "${p[@]}" --by region --bottlenecks --min-sample 5
same "funnel snapshot" "0.0001 64" -- funnel "${p[@]}" --by region --mode snapshot --as-of 2023-06-30
awk 'BEGIN {
  srand(11);
  print "Opp,Created,Region,Source,Amount,Lead,Quote,Won,Lost,Note";
  for (n = 1; n <= 700; n++) {
    id = n >= 350 ? sprintf("OP-%05d", n) : n;
    d = 1 + n % 28; m = 1 + int(n / 60) % 12;
    created = (n % 31 == 0) ? "2024-02-30" : sprintf("2024-%02d-%02d", m, d);
    cents = n < 150 ? 100 * (1 + int(rand() * 900)) : 1 + int(rand() * 90000);
    amount = n < 150 ? sprintf("%d", cents / 100) : sprintf("%d.%02d", int(cents / 100), cents % 100);
    if (n >= 450 && n % 3 == 0) amount = amount "5";
    if (n % 23 == 0) amount = "x" amount;
    lead = sprintf("2024-%02d-%02d", m, d);
    quote = (n % 4 == 0) ? "" : sprintf("2024-%02d-%02d", m + (n % 7 == 0 ? 0 : 1), (n % 7 == 0 && d > 1) ? d - 1 : d);
    won = (n % 3 == 0) ? sprintf("2024-%02d-%02d", m + 2, d) : "";
    lost = (n % 3 == 1 && n % 5 != 0) ? sprintf("2024-%02d-%02d", m + 3, d) : "";
    note = (n % 5 == 0) ? "\"two\nlines, \"\"quoted\"\"\"" : "plain";
    print id "," created ",R" (n % 6) ",S" (n % 4) "," amount "," lead "," quote "," won "," lost "," note;
  }
}' >"$tmp/pipe.csv"
q=(--pipeline "$tmp/pipe.csv" --map id=Opp,created=Created,region=Region,source=Source,amount=Amount,lost=Lost
   --stages lead=Lead,quote=Quote,won=Won)
check "the pipeline file has rejects and backwards dates" bash -c "'$bin' funnel ${q[*]} --out - 2>&1 >/dev/null | grep -q 'rejected' && '$bin' funnel ${q[*]} --out - 2>&1 >/dev/null | grep -q 'before'"
same "hand-made funnel" "0.000001 0.0001 0.002 64" -- funnel "${q[@]}"
same "hand-made funnel by source and month" "0.000001 0.002 64" -- funnel "${q[@]}" --by source,region --period month --explicit-stages-only
same "hand-made funnel with backwards gaps" "0.0001 64" -- funnel "${q[@]}" --by region --include-backwards-gaps
same "an unknown funnel --by" "0.0001 64" -- funnel "${p[@]}" --by regoin
"$bin" funnel "${q[@]}" --stream --orders "$tmp/g/orders.csv" --by segment >"$tmp/out" 2>"$tmp/err"
check "funnel --stream --orders exits 2 naming --orders" bash -c "[[ $? -eq 2 ]] && grep -q -- '--orders' '$tmp/err'"

# What cannot stream says so, naming the option.
"$bin" rfm "${g[@]}" --stream --by region >"$tmp/out" 2>"$tmp/err"
check "rfm --stream --by exits 2 naming --by" bash -c "[[ $? -eq 2 ]] && grep -q -- '--by' '$tmp/err'"
"$bin" margin "${g[@]}" --stream --quadrant >"$tmp/out" 2>"$tmp/err"
check "margin --stream --quadrant exits 2" bash -c "[[ $? -eq 2 ]] && grep -q -- '--quadrant' '$tmp/err'"
"$bin" rfm "${g[@]}" --stream --attrs region >"$tmp/out" 2>"$tmp/err"
check "--stream --attrs exits 2" bash -c "[[ $? -eq 2 ]] && grep -q -- '--attrs' '$tmp/err'"
"$bin" rfm "${g[@]}" --stream --chunk-mb 0 >"$tmp/out" 2>"$tmp/err"
check "--chunk-mb 0 exits 2" bash -c "[[ $? -eq 2 ]] && grep -q -- '--chunk-mb' '$tmp/err'"
"$bin" rfm "${docs[@]}" --stream --chunk-mb 0.000001 >"$tmp/out" 2>"$tmp/err"
check "rfm --stream on orders out of order exits 1 naming --stream" bash -c "[[ $? -eq 1 ]] && grep -q -- '--stream' '$tmp/err'"
# A total row closing lines of an earlier batch is an error naming its line.
printf 'order,date,customer,amount\n1,2024-01-01,C1,10\n2,2024-01-02,C2,20\n3,2024-01-03,C1,5\n,,合计,35\n' >"$tmp/total.csv"
t=(--orders "$tmp/total.csv")
same "a total row inside one batch" "64" -- margin "${t[@]}" --by customer
same "an unknown --by" "0.000001 64" -- margin "${g[@]}" --by regoin
"$bin" margin "${t[@]}" --by customer --stream --chunk-mb 0.000001 >"$tmp/out" 2>"$tmp/err"
check "a total row across batches exits 1 naming its line" bash -c "[[ $? -eq 1 ]] && grep -q 'line 5' '$tmp/err' && grep -q -- '--chunk-mb' '$tmp/err'"

echo "$failures failures"
[[ $failures -eq 0 ]]
