// The bundled sample: a deterministic, seeded generator of one coherent ERP
// data set (customers, products, order lines, pipeline, invoices, payments,
// targets) as docs/WORKLOADS.md "Data" describes it, and its two
// on-disk forms: the WORKLOADS exchange format (raw little-endian columns) and
// CSV exports.
//
// Determinism. Every random draw comes from a splitmix64-seeded xoshiro256**
// stream written in this library, transformed by our own uniform / normal
// (polar) / gamma (Marsaglia-Tsang) / lognormal code and our own log/exp
// (fdlibm algorithms in basic IEEE arithmetic) - never std::*_distribution or
// libm's transcendentals, whose results differ between standard libraries and
// CPUs. Work is cut into blocks of 8192 rows, each with its own stream keyed
// by (seed, stream, block), so the bytes depend only on (order_lines, seed) -
// not on num_threads. (GCC in ISO mode, as this project builds, never fuses
// a*b+c into FMA; with Clang on FMA hardware add -ffp-contract=off.)
//
// Definitions (fixed; they are what WORKLOADS.md promises):
//   * Window 2022-01-01 (day 18993) .. 2024-12-31 (day 20088); as_of = D =
//     2024-09-30 (19996); snapshot = end of 2024-12-31 (20088).
//   * N order lines, one line per order; order_id 0..N-1 increasing with
//     order_date (dates sorted). K = N/10 customers (codes "C-000000"..),
//     P = 5000 products ("P-00000"..; max(100, N/10) when N < 50000),
//     8 regions (华东 华南 华北 华中 西南 西北 东北 Overseas, ids 0..7),
//     200 salespeople (salesperson s belongs to region s mod 8).
//   * Customer weights Zipf 1/(rank+20)^s with s = SampleCustomerZipfExponent(K);
//     a random permutation maps rank to customer id. Measured (seeds 1-3):
//     top 20% of customers hold 79-81% of revenue and 91-94% of customers have
//     an order for N = 1e4..1e7 (N = 1e3: 80%, 85%). The others are prospects.
//   * Products Zipf(0.8) (rank permuted to ids); list price lognormal around
//     300.00 (sigma 1); cost ratio per product uniform in 0.45..0.85;
//     standard_cost = price x ratio; ~20% of products have cost tiers
//     (-5% from 10 units, -10% from 30); the order's unit_cost is the tier cost
//     for its quantity, else standard_cost (no precomputed cost column).
//     quantity = 1 + floor(Exp(mean 4.5)), at most 50; channel 直销 45%,
//     经销商 30% (12-20% discount), 电商 15%, 电话销售 10%;
//     amount = round(quantity x price x lognormal(0, 0.08) x (1 - discount)).
//   * Each customer has a region (shares 26/20/16/10/9/5/6/8%) and an owner (a
//     salesperson of that region); 95% of its orders are booked by the owner,
//     5% by another salesperson of the same region. Order region = customer's.
//   * Daily volume grows 20%/year, with month factors (Feb 0.70 for Chinese
//     New Year .. Dec 1.25), weekday factors (Sat 0.40, Sun 0.25) and 8% daily
//     noise; per-day counts are exact (largest remainder).
//   * Pipeline: M = N/5 opportunities (opp_id 0..M-1 increasing with
//     created_date); customer: 70% by the Zipf weights, 30% uniform; its owner
//     and region. Every one is a lead on its created date; the next stage is
//     reached with probability 0.55/0.60/0.50/0.70/0.92 (opportunity/quote/
//     contract/won/paid) x the region factor 1.08/1.05/1.00/0.95/0.90/0.85/
//     0.92/1.02 (region ids 0..7; the product stays below 1); gaps are
//     1 + floor(Gamma(shape 2, mean 7/14/21/14/30 days)); a stage dated after
//     the snapshot is not reached (kNoDate), nor any later one. 80% of the
//     opportunities refused before "won" are closed as lost 1 + Gamma(2, 20
//     days mean) later (if by the snapshot), with a lost reason. Table ids
//     cannot be missing, so lost_reason is 0 where lost_date is kNoDate (the
//     bin file stores -1 there, the CSV an empty field).
//   * Invoices: one per order, invoice_id = order_id, invoice_date =
//     order_date, amount = order amount (these columns are shared with the
//     orders table, not copied); due = invoice_date + 30 (70% of customers) or
//     60. Payer type per customer: good 70% (paid 5 days early on average,
//     Gamma(4, 1.25)), late 25% (20 days late, Gamma(4, 5)), bad 5% (60 days
//     late, Gamma(4, 15); 40% of its invoices never paid), never before the
//     invoice date. Independently 1% of invoices are never paid and 5% are
//     paid partially (paid = 20-90% of the amount). A payment dated after the
//     snapshot is not yet made. Invariants: 0 <= paid <= amount; paid_date ==
//     kNoDate iff paid == 0; invoice_date <= paid_date <= snapshot.
//   * Payments: one row per paid invoice (amount = paid, date = paid_date),
//     except ~2% of paid invoices paid in two instalments whose sum is `paid`
//     (the second dated paid_date, the first on a day in [invoice_date,
//     paid_date]). Rows are in invoice order.
//   * Customers' created date: 1 + Gamma(1.5, mean 300 days) before the first
//     order (not before 2005-01-01); prospects: a day in the window.
//   * Targets: per salesperson per month of the window (200 x 36 rows, level
//     kSalesperson): the month's actual revenue x uniform(0.9, 1.25), rounded
//     to 100.00, at least 100.00.
//   * Money scale 2 everywhere.
//   * Key accounts (SampleOptions::key_accounts = A, default 0; the bundled
//     report sample of the CLI uses 3): the customers of Zipf ranks 0..A-1 are
//     large B2B accounts buying in bulk: each of their lines has 5 x the
//     drawn quantity (so up to 250 units; amount, cost tier and payments
//     follow). Every third of them (ranks 2, 5, 8) went to a competitor: its
//     lines dated in the last 270 days of the window belong to other customers
//     (drawn again by weight from their own stream, never a key account).
//     So the default segment tiers (rfm.hpp) all have customers: the active
//     key accounts are high_value, the lapsed one churn_risk. With A = 0 no
//     draw or value of the WORKLOADS data changes (a test pins its bytes).
//     Measured (seed 20240930, A = 3): top 20% of customers hold 81% of revenue
//     at N = 20000.
//
// Exchange format (WriteWorkloadBin / ReadWorkloadBin):
//   <dir>/meta.json  {"format": "salesight-workloads", "version": 1, "N", "K", "M", "P",
//                    "payments", "targets", "cost_tiers" (row counts), "seed", "as_of"
//                    (day), "as_of_date" ("2024-09-30"), "snapshot", "money_scale",
//                    "stages": ["lead", ...]}; written last, so its presence marks a
//                    complete data set.
//   <dir>/<table>/<column>.bin  raw little-endian, dates i32 with -1 = missing
//   orders/        order_id i64, customer_id i32, order_date i32, amount_cents i64,
//                  product_id i32, quantity i32, unit_cost_cents i64, region_id i8,
//                  salesperson_id i16, (extra) channel_id i8
//   opportunities/ opp_id i64, customer_id i32, salesperson_id i16, region_id i8,
//                  created_date i32, lead_date, opportunity_date, quote_date,
//                  contract_date, won_date, paid_date i32, (extra) source_id i8,
//                  amount_cents i64, lost_date i32, lost_reason_id i8 (-1 if not lost)
//   invoices/      invoice_id i64, order_id i64, customer_id i32, salesperson_id i16,
//                  invoice_date i32, due_date i32, amount_cents i64, paid_cents i64,
//                  paid_date i32, (extra) region_id i8
//   customers/     customer_id i32, region_id i8, owner_id i16, credit_limit_cents i64,
//                  created_date i32, terms_days i16, payer_type i8 (0 good, 1 late, 2 bad)
//   products/      product_id i32, category_id i8, standard_cost_cents i64
//   product_cost_tiers/ product_id i32, min_quantity i32, unit_cost_cents i64
//   payments/      invoice_id i64, payment_date i32, amount_cents i64
//   targets/       salesperson_id i16, month i32 (yyyymm), amount_cents i64
//   dictionaries/<name>.txt  UTF-8 codes in id order, one per line (customer,
//                  product, region, salesperson, category, channel, source,
//                  lost_reason); customers/name.txt, customers/name_en.txt,
//                  products/name.txt, products/name_en.txt,
//                  salespeople/name_en.txt: one string per line, in row order.
//
// CSV export (WriteSampleCsv): UTF-8 (no BOM), ',' delimited, RFC 4180 quoting
// where needed, LF line ends, header line first; codes (not ids), money as
// decimals with 2 places ("1234.50"), ISO dates, empty for missing. Files and
// columns, in order:
//   orders.csv     order_id,order_date,customer,product,region,salesperson,channel,
//                  quantity,amount,unit_cost
//   customers.csv  customer,name,name_en,region,owner,credit_limit,created,terms_days
//   products.csv   product,name,name_en,category,standard_cost
//   cost_tiers.csv product,min_quantity,unit_cost
//   salespeople.csv salesperson,name_en,region
//   pipeline.csv   opportunity_id,customer,salesperson,region,source,amount,created_date,
//                  lead_date,opportunity_date,quote_date,contract_date,won_date,paid_date,
//                  lost_date,lost_reason
//   invoices.csv   invoice_id,order_id,customer,salesperson,region,invoice_date,due_date,
//                  amount,paid,paid_date
//   payments.csv   invoice_id,payment_date,amount
//   targets.csv    salesperson,month,target        (month as "2024-09")
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "salesight/date.hpp"
#include "salesight/dictionary.hpp"
#include "salesight/tables.hpp"

namespace salesight {

// Customer Zipf exponent s for K customers: weight of rank r (0-based) is
// 1/(r+20)^s. With a fixed s the head's share grows with K, so s is the root of
// "the top 20% of ranks hold kSampleTopWeightShare of the weight" (solved by
// bisection on an Euler-Maclaurin form of the sums: O(1) in K). The target
// weight share was calibrated once so that the top 20% of customers by
// realized revenue hold ~80% of it (amount noise adds ~5 points on top of the
// weight share; 0.75 -> 79-81%); tests check 75-85% at N = 1e4, 1e5, 1e6.
inline constexpr double kSampleTopWeightShare = 0.75;
double SampleCustomerZipfExponent(std::int64_t customers);

inline constexpr std::int64_t kSampleMinOrderLines = 1000;
inline constexpr std::int64_t kSampleMaxOrderLines = 100'000'000;
inline constexpr int kSampleMaxKeyAccounts = 10;

struct SampleOptions {
  std::int64_t order_lines = 20000;  // N; 10^3 .. 10^8 (error outside)
  std::uint64_t seed = 20240930;
  // Generation threads (0 = hardware concurrency). The bytes never depend on it.
  int num_threads = 1;
  // Key accounts (0..kSampleMaxKeyAccounts; 0 = none, the WORKLOADS data, whose
  // bytes do not depend on this code at all). See "Key accounts" above.
  int key_accounts = 0;
};

struct SampleData {
  // Shared dictionaries: customer codes "C-000123", product codes "P-00042",
  // 8 regions (华东, 华南, 华北, 华中, 西南, 西北, 东北, Overseas), 200
  // salespeople (codes are unique Chinese names, e.g. "王芳"), product
  // categories, sales channels, lead sources, lost reasons.
  std::shared_ptr<Dictionary> customer_codes, product_codes, region_codes, salesperson_codes,
      category_codes, channel_codes, source_codes;
  OrderLines orders;     // N rows, order_id 0..N-1 increasing with date; quantity, unit_cost,
                         // product, region, salesperson, channel; money scale 2
  Customers customers;   // K = N/10 rows: Chinese name, region, owner, credit limit, created
  Products products;     // P rows with category, standard_cost; cost tiers for ~20% of products
  Pipeline pipeline;     // M = N/5 opportunities, default 6 stages
  Invoices invoices;     // N, one per order, with paid + paid_date
  Payments payments;     // one row per paid invoice, a few in two instalments
  Targets targets;       // monthly targets per salesperson over the window
  Day as_of = 19996;     // 2024-09-30 (WORKLOADS' D)
  Day snapshot = 20088;  // 2024-12-31

  // Attributes the tables have no column for (row order of their tables).
  std::shared_ptr<Dictionary> lost_reason_codes;
  std::vector<std::string> customer_names_en;     // K English company names
  std::vector<std::string> product_names_en;      // P English product names
  std::vector<std::string> salesperson_names_en;  // 200 pinyin names
  std::vector<std::int16_t> customer_terms_days;  // K: 30 or 60
  std::vector<std::int8_t> customer_payer_type;   // K: 0 good, 1 late, 2 bad
  std::uint64_t seed = 0;                         // the seed that generated it
};

absl::StatusOr<SampleData> GenerateSample(const SampleOptions& options);

// Writes the exchange format described above into `dir` (created if missing;
// existing files are overwritten).
absl::Status WriteWorkloadBin(const SampleData& data, const std::string& dir);

// Reads it back (-1 dates become kNoDate); columns are owned. Round trip:
// every table column, dictionary and name list equals the written one.
absl::StatusOr<SampleData> ReadWorkloadBin(const std::string& dir);

// Writes the CSV files listed above into `dir` (created if missing).
absl::Status WriteSampleCsv(const SampleData& data, const std::string& dir);

}  // namespace salesight
