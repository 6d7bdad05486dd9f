#!/usr/bin/env bash
# Writes the files the dashboard tests read, into OUT_DIR: the bundled
# sample's page (en, zh) and JSON, and a page from CSV exports whose customer
# and region names are markup (and without a pipeline: a no-data panel), and
# a page from a real public export.
# usage: make_files.sh SALESIGHT_BIN OUT_DIR
set -euo pipefail
bin=$1
out=$2
mkdir -p "$out"
# The sample's pages carry a rule table that fires on it (rules.json), so the
# cards show alert badges and the strip its rows.
rules="$(dirname "$0")/rules.json"
"$bin" dashboard --rules "$rules" --out "$out/sample.html" 2>/dev/null
"$bin" dashboard --rules "$rules" --lang zh --out "$out/sample-zh.html" 2>/dev/null
"$bin" dashboard --rules "$rules" --format json --out "$out/sample.json" 2>/dev/null
"$bin" dashboard --rules "$rules" --lang zh --format json --out "$out/sample-zh.json" 2>/dev/null
rm -rf "$out/hostile-csv"
"$bin" generate --rows 1000 --seed 7 --out "$out/hostile-csv" >/dev/null
sed -i 's/C-0000/<script>alert(1)<\/script>/g; s/华南/<img src=x onerror=alert(2)>/g' \
  "$out/hostile-csv/orders.csv" "$out/hostile-csv/invoices.csv"
# A real public retail export (Tableau's Sample Superstore excerpt) with only a
# mapping: no salesperson, pipeline or invoices.
"$bin" dashboard --orders "$(dirname "$0")/../data/csv/superstore_real_excerpt.csv" \
  --map "order=Order ID,date=Order Date,customer=Customer ID,amount=Sales,product=Product ID,quantity=Quantity,margin=Profit,region=Region,category=Category" \
  --date-format %d/%m/%y --out "$out/superstore.html" 2>/dev/null
for format in html json; do
  "$bin" dashboard --orders "$out/hostile-csv/orders.csv" --map order=order_id,date=order_date \
    --invoices "$out/hostile-csv/invoices.csv" \
    --invoices-map invoice=invoice_id,date=invoice_date,due=due_date \
    --format "$format" --out "$out/hostile.$format" 2>/dev/null
done
