// The salesight engine of the peer comparison (issue 7): WORKLOADS.md
// workloads (a)-(e) and the orders CSV ingest through salesight's public C++
// API, driven by benchmarks/peers/run_peers.py.
//
//   salesight_workloads --data DIR [--csv FILE] [--as-of DAY]
//
// The data are loaded with ReadWorkloadBin BEFORE any timing, once for every
// thread count. Then one JSON line answers each stdin command:
//   run <workload> <T>      {"ok":true,"ms":...}  one timed repetition with num_threads T,
//                           or {"ok":true,"not_yet":true}
//   write <workload> <dir>  {"ok":true}  the last run's outputs -> <dir>/<table>.csv, by key
//   quit                    {"ok":true,"times":{...}}
// A repetition times the calculator calls only: their result structs (C++
// vectors) are the materialized output, as DuckDB's temp tables and pandas'
// DataFrames are. Dropping the previous result and writing CSVs are untimed.
//
// Each workload is compiled in only when its calculator header exists
// (__has_include), so this file builds at every stage of the project; a
// workload without one answers "not_yet" and the report shows "not yet".
// The options used are the ones that reproduce the workload's definition
// exactly; run_peers.py checks that claim row by row against DuckDB and pandas.
#include <chrono>
#include <cinttypes>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "salesight/json.hpp"
#include "salesight/result_table.hpp"
#include "salesight/sample.hpp"
#include "salesight/tables.hpp"
#include "salesight.h"  // SALESIGHT_VERSION_STRING only

#if __has_include("salesight/rfm.hpp")
#include "salesight/rfm.hpp"
#define SALESIGHT_PEERS_HAVE_RFM 1
#endif
#if __has_include("salesight/funnel.hpp")
#include "salesight/funnel.hpp"
#define SALESIGHT_PEERS_HAVE_FUNNEL 1
#endif
#if __has_include("salesight/margin.hpp")
#include "salesight/margin.hpp"
#define SALESIGHT_PEERS_HAVE_MARGIN 1
#endif
#if __has_include("salesight/receivables.hpp")
#include "salesight/receivables.hpp"
#define SALESIGHT_PEERS_HAVE_AR 1
#endif
#if __has_include("salesight/trend.hpp")
#include "salesight/trend.hpp"
#define SALESIGHT_PEERS_HAVE_TREND 1
#endif
#if __has_include("salesight/csv.hpp")
#include "salesight/csv.hpp"
#define SALESIGHT_PEERS_HAVE_CSV 1
#endif

namespace {

using salesight::ResultColumn;
using salesight::ResultColumns;
using salesight::ResultTable;
using salesight::ResultType;
using salesight::SampleData;

struct Context {
  const SampleData* data = nullptr;
  int threads = 1;               // of the current run
  salesight::Day as_of = 19996;  // WORKLOADS.md D = 2024-09-30
  std::string out_dir;           // of the current write
  std::string csv_path;
};

// One workload: Run is the timed repetition; Clear frees the previous outputs
// (untimed, before Run); Write prints the outputs of the last Run.
class Workload {
 public:
  virtual ~Workload() = default;
  virtual absl::Status Run(const Context& ctx) = 0;
  virtual void Clear() = 0;
  virtual absl::Status Write(const Context& ctx) const = 0;
};

// The exchange format's CSV: header, integers (money in minor units = cents),
// doubles with 17 significant digits (round trip), null as an empty field.
absl::Status WriteWorkloadCsv(const ResultTable& table, const std::string& path) {
  if (absl::Status st = table.Validate(); !st.ok()) return st;
  std::ofstream out(path);
  if (!out) return absl::UnavailableError(absl::StrCat("cannot write ", path));
  const ResultColumns& cols = table.columns();
  for (std::size_t c = 0; c < cols.size(); ++c) out << (c ? "," : "") << cols[c].name;
  out << '\n';
  for (const ResultColumn& col : cols) {
    if (col.type == ResultType::kMoney && col.money_scale != 2) {
      return absl::FailedPreconditionError(absl::StrCat(
          path, ": column ", col.name, " has money scale ", col.money_scale,
          ", the workloads are in cents (scale 2)"));
    }
  }
  for (std::size_t r = 0; r < table.num_rows(); ++r) {
    for (std::size_t c = 0; c < cols.size(); ++c) {
      const ResultColumn& col = cols[c];
      if (c) out << ',';
      if (col.is_null(r)) continue;
      switch (col.type) {
        case ResultType::kInt64:
        case ResultType::kDate:
        case ResultType::kMoney:
          out << col.ints[r];
          break;
        case ResultType::kDouble:
          out << absl::StrFormat("%.17g", col.doubles[r]);
          break;
        case ResultType::kString:
          out << col.strings[r];  // workload labels: no delimiter or quote in them
          break;
      }
    }
    out << '\n';
  }
  out.close();
  if (!out) return absl::UnavailableError(absl::StrCat("error writing ", path));
  return absl::OkStatus();
}

std::string OutPath(const Context& ctx, const char* table) {
  return absl::StrCat(ctx.out_dir, "/", table, ".csv");
}

void AddOptionalDouble(ResultColumn& col, const std::optional<double>& v) {
  col.doubles.push_back(v.value_or(0.0));
  col.valid.push_back(v.has_value() ? 1 : 0);
}

#ifdef SALESIGHT_PEERS_HAVE_RFM
// (a): RfmOptionsForWorkload() is the RFM header's own statement of the
// options that reproduce the workload (as_of D, every line a purchase,
// NTILE(5) with customer-id ties, the workload segment table).
class RfmWorkload final : public Workload {
 public:
  absl::Status Run(const Context& ctx) override {
    absl::StatusOr<salesight::RfmResult> r = salesight::ComputeRfm(
        ctx.data->orders, salesight::RfmOptionsForWorkload(ctx.as_of, ctx.threads));
    if (!r.ok()) return r.status();
    result_ = *std::move(r);
    return absl::OkStatus();
  }
  void Clear() override { result_.reset(); }
  absl::Status Write(const Context& ctx) const override {
    const salesight::RfmResult& r = *result_;
    ResultTable t;
    for (const char* name : {"customer_id", "recency", "frequency", "monetary", "r", "f", "m"}) {
      t.AddInt64(name);
    }
    t.AddString("segment");
    ResultColumns& c = t.mutable_columns();
    for (std::size_t i = 0; i < r.customers.size(); ++i) {
      const salesight::RfmCustomer& row = r.customers[i];
      c[0].ints.push_back(row.customer);
      c[1].ints.push_back(row.recency_days);
      c[2].ints.push_back(row.frequency);
      c[3].ints.push_back(row.monetary);
      c[4].ints.push_back(r.scores[i].r);
      c[5].ints.push_back(r.scores[i].f);
      c[6].ints.push_back(r.scores[i].m);
      c[7].strings.push_back(r.label(i));
    }
    return WriteWorkloadCsv(t, OutPath(ctx, "rfm"));
  }

 private:
  std::optional<salesight::RfmResult> result_;
};
#endif

#ifdef SALESIGHT_PEERS_HAVE_FUNNEL
// (b): WorkloadFunnelOptions() is the funnel header's own statement of the
// options that reproduce the workload (recorded stages only, backwards gaps
// kept, quantile_cont medians, region x month of created).
class FunnelWorkload final : public Workload {
 public:
  absl::Status Run(const Context& ctx) override {
    salesight::FunnelOptions options = salesight::WorkloadFunnelOptions();
    options.num_threads = ctx.threads;
    absl::StatusOr<salesight::FunnelResult> r =
        salesight::ComputeFunnel(ctx.data->pipeline, options);
    if (!r.ok()) return r.status();
    result_ = *std::move(r);
    return absl::OkStatus();
  }
  void Clear() override { result_.reset(); }
  absl::Status Write(const Context& ctx) const override {
    absl::StatusOr<salesight::FunnelWorkloadTables> t = salesight::ToWorkloadTables(*result_);
    if (!t.ok()) return t.status();
    if (absl::Status st = WriteWorkloadCsv(t->overall, OutPath(ctx, "funnel_overall"));
        !st.ok()) {
      return st;
    }
    return WriteWorkloadCsv(t->group, OutPath(ctx, "funnel_group"));
  }

 private:
  std::optional<salesight::FunnelResult> result_;
};
#endif

#ifdef SALESIGHT_PEERS_HAVE_MARGIN
// (c): revenue = amount, cost = quantity x unit_cost (the sample's orders carry
// unit_cost and no line cost, so every line is costed that way; no Products
// table is passed). Both groupings in one pass (ComputeMarginSets); top 20 by
// margin with ties by product id is RankMargin's definition.
class MarginWorkload final : public Workload {
 public:
  absl::Status Run(const Context& ctx) override {
    salesight::MarginGrouping by_product;
    by_product.dimensions = {"product"};
    salesight::MarginGrouping by_region_month;
    by_region_month.dimensions = {"region", "month"};
    const salesight::MarginGrouping groupings[] = {by_product, by_region_month};
    salesight::MarginOptions options;
    options.unknown_cost = salesight::UnknownCostPolicy::kError;
    options.num_threads = ctx.threads;
    absl::StatusOr<std::vector<salesight::MarginResult>> r = salesight::ComputeMarginSets(
        ctx.data->orders, nullptr, absl::MakeConstSpan(groupings), options);
    if (!r.ok()) return r.status();
    results_ = *std::move(r);
    salesight::MarginRankOptions rank;
    rank.metric = salesight::MarginMetric::kMargin;
    rank.order = salesight::MarginRankOrder::kTop;
    rank.n = 20;
    absl::StatusOr<salesight::MarginRanking> top = salesight::RankMargin(results_[0], rank);
    if (!top.ok()) return top.status();
    top_ = *std::move(top);
    return absl::OkStatus();
  }
  void Clear() override {
    results_.clear();
    top_.reset();
  }
  absl::Status Write(const Context& ctx) const override {
    absl::Status st = WriteWorkloadCsv(Groups(results_[0], {"product_id"}),
                                       OutPath(ctx, "margin_product"));
    if (!st.ok()) return st;
    ResultTable top;
    top.AddInt64("rank");
    top.AddInt64("product_id");
    top.AddMoney("margin", results_[0].money_scale);
    ResultColumn& rank = top.mutable_columns()[0];
    ResultColumn& product = top.mutable_columns()[1];
    ResultColumn& margin = top.mutable_columns()[2];
    for (const salesight::MarginRankEntry& e : top_->entries) {
      const salesight::MarginGroup& g = results_[0].groups[e.row];
      rank.ints.push_back(e.rank);
      product.ints.push_back(g.key[0]);
      margin.ints.push_back(g.figures.margin);
    }
    st = WriteWorkloadCsv(top, OutPath(ctx, "margin_top20"));
    if (!st.ok()) return st;
    return WriteWorkloadCsv(Groups(results_[1], {"region_id", "month"}),
                            OutPath(ctx, "margin_region_month"));
  }

 private:
  static ResultTable Groups(const salesight::MarginResult& r,
                            const std::vector<std::string>& key_names) {
    ResultTable t;
    for (const std::string& name : key_names) t.AddInt64(name);
    t.AddMoney("revenue", r.money_scale);
    t.AddMoney("cost", r.money_scale);
    t.AddMoney("margin", r.money_scale);
    t.AddDouble("margin_pct");
    ResultColumns& cols = t.mutable_columns();
    const std::size_t nk = key_names.size();
    ResultColumn& revenue = cols[nk];
    ResultColumn& cost = cols[nk + 1];
    ResultColumn& margin = cols[nk + 2];
    ResultColumn& pct = cols[nk + 3];
    for (const salesight::MarginGroup& g : r.groups) {
      for (std::size_t k = 0; k < nk; ++k) cols[k].ints.push_back(g.key[k]);
      revenue.ints.push_back(g.figures.revenue);
      cost.ints.push_back(g.figures.cost);
      margin.ints.push_back(g.figures.margin);
      AddOptionalDouble(pct, g.figures.margin_pct);
    }
    return t;
  }

  std::vector<salesight::MarginResult> results_;
  std::optional<salesight::MarginRanking> top_;
};
#endif

#ifdef SALESIGHT_PEERS_HAVE_AR
// (d): ComputeArWorkload is the receivables header's own statement of the
// workload (aging by customer over invoices known at D with the invoices'
// paid / paid_date as the payment, and the collection rate per salesperson
// over invoices due by D), one pass over the invoices for both tables.
class ArWorkload final : public Workload {
 public:
  absl::Status Run(const Context& ctx) override {
    absl::StatusOr<salesight::ArWorkloadTables> r =
        salesight::ComputeArWorkload(salesight::Dataset::Of(ctx.data->invoices), ctx.as_of,
                                     ctx.threads);
    if (!r.ok()) return r.status();
    result_ = *std::move(r);
    return absl::OkStatus();
  }
  void Clear() override { result_.reset(); }
  absl::Status Write(const Context& ctx) const override {
    if (absl::Status st = WriteWorkloadCsv(result_->ar_customer, OutPath(ctx, "ar_customer"));
        !st.ok()) {
      return st;
    }
    return WriteWorkloadCsv(result_->ar_salesperson, OutPath(ctx, "ar_salesperson"));
  }

 private:
  std::optional<salesight::ArWorkloadTables> result_;
};
#endif

#ifdef SALESIGHT_PEERS_HAVE_TREND
// (e): revenue only (no margin pass, no distinct orders), only periods with
// orders, compared with the same period last year (ISO week 53 has none);
// month and ISO week finished from ONE pass over the lines
// (ComputeTrendGrains).
class TrendWorkload final : public Workload {
 public:
  absl::Status Run(const Context& ctx) override {
    salesight::TrendOptions options;
    options.compare = salesight::TrendCompare::kLastYear;
    options.emit_empty_periods = false;
    options.with_margin = false;
    options.count_orders = false;
    options.num_threads = ctx.threads;
    const salesight::Grain grains[] = {salesight::GrainUnit::kMonth,
                                            salesight::GrainUnit::kIsoWeek};
    absl::StatusOr<std::vector<salesight::TrendResult>> r =
        salesight::ComputeTrendGrains(salesight::Dataset::Of(ctx.data->orders),
                                      absl::MakeConstSpan(grains), options);
    if (!r.ok()) return r.status();
    results_ = *std::move(r);
    return absl::OkStatus();
  }
  void Clear() override { results_.clear(); }
  absl::Status Write(const Context& ctx) const override {
    if (absl::Status st = WriteWorkloadCsv(Table(results_[0], false), OutPath(ctx, "trend_month"));
        !st.ok()) {
      return st;
    }
    return WriteWorkloadCsv(Table(results_[1], true), OutPath(ctx, "trend_week"));
  }

 private:
  // month (yyyymm) or iso_year, iso_week; revenue, revenue_ly, yoy.
  static ResultTable Table(const salesight::TrendResult& r, bool weeks) {
    ResultTable t;
    ResultColumn* key0 = &t.AddInt64(weeks ? "iso_year" : "month");
    ResultColumn* key1 = weeks ? &t.AddInt64("iso_week") : nullptr;
    ResultColumn& revenue = t.AddMoney("revenue", r.money_scale);
    ResultColumn& revenue_ly = t.AddMoney("revenue_ly", r.money_scale);
    ResultColumn& yoy = t.AddDouble("yoy");
    for (const salesight::TrendRow& row : r.rows) {
      if (weeks) {
        const salesight::IsoWeek w = salesight::IsoWeekOf(row.period_start);
        key0->ints.push_back(w.year);
        key1->ints.push_back(w.week);
      } else {
        key0->ints.push_back(salesight::YearMonth(row.period_start));
      }
      revenue.ints.push_back(row.value.revenue);
      revenue_ly.ints.push_back(row.growth.base.value_or(0));
      revenue_ly.valid.push_back(row.growth.base.has_value() ? 1 : 0);
      AddOptionalDouble(yoy, row.growth.growth);
    }
    return t;
  }

  std::vector<salesight::TrendResult> results_;
};
#endif

#ifdef SALESIGHT_PEERS_HAVE_CSV
// Ingest: the whole orders.csv of `salesight generate --format csv` through
// ReadOrdersCsv with fresh dictionaries per repetition (so no code is already
// interned), ISO dates and scale 2 stated as a user who knows the file would
// (DuckDB gets the same: DATE and DECIMAL(18,2)), with num_threads T (the
// parallel read). Output: a checksum row the DuckDB side computes too.
class IngestWorkload final : public Workload {
 public:
  absl::Status Run(const Context& ctx) override {
    absl::StatusOr<salesight::FieldMapping> mapping =
        salesight::ParseFieldMapping("order=order_id,date=order_date");
    if (!mapping.ok()) return mapping.status();
    salesight::IngestOptions options;
    options.mapping = *std::move(mapping);
    options.date_format = salesight::DateFormat::kIso;
    options.money_scale = 2;
    options.num_threads = ctx.threads;
    dicts_ = std::make_unique<salesight::Dictionaries>();
    absl::StatusOr<salesight::OrdersCsv> r = salesight::ReadOrdersCsv(ctx.csv_path, options, *dicts_);
    if (!r.ok()) return r.status();
    if (r->report.rejected != 0) {
      return absl::DataLossError(absl::StrCat(ctx.csv_path, ": ", r->report.rejected,
                                              " rows rejected, e.g. ",
                                              salesight::FormatRejectReport(r->report, 3)));
    }
    result_ = std::make_unique<salesight::OrdersCsv>(*std::move(r));
    return absl::OkStatus();
  }
  void Clear() override {
    result_.reset();
    dicts_.reset();
  }
  absl::Status Write(const Context& ctx) const override {
    const salesight::OrderLinesColumns& c = result_->table.columns();
    std::int64_t amount = 0, quantity = 0, days = 0;
    for (salesight::Money a : c.amount) amount += a;
    for (std::int32_t q : c.quantity) quantity += q;
    for (salesight::Day d : c.order_date) days += d;
    ResultTable t;
    t.AddInt64("rows").ints = {static_cast<std::int64_t>(result_->table.size())};
    t.AddInt64("amount_cents_sum").ints = {amount};
    t.AddInt64("quantity_sum").ints = {quantity};
    t.AddInt64("order_day_sum").ints = {days};
    t.AddInt64("customers").ints = {dicts_->customers ? dicts_->customers->size() : 0};
    t.AddInt64("products").ints = {dicts_->products ? dicts_->products->size() : 0};
    return WriteWorkloadCsv(t, OutPath(ctx, "ingest_summary"));
  }

 private:
  std::unique_ptr<salesight::Dictionaries> dicts_;
  std::unique_ptr<salesight::OrdersCsv> result_;
};
#endif

std::map<std::string, std::unique_ptr<Workload>> MakeWorkloads(const Context& ctx) {
  std::map<std::string, std::unique_ptr<Workload>> w;
#ifdef SALESIGHT_PEERS_HAVE_RFM
  w["rfm"] = std::make_unique<RfmWorkload>();
#endif
#ifdef SALESIGHT_PEERS_HAVE_FUNNEL
  w["funnel"] = std::make_unique<FunnelWorkload>();
#endif
#ifdef SALESIGHT_PEERS_HAVE_MARGIN
  w["margin"] = std::make_unique<MarginWorkload>();
#endif
#ifdef SALESIGHT_PEERS_HAVE_AR
  w["ar"] = std::make_unique<ArWorkload>();
#endif
#ifdef SALESIGHT_PEERS_HAVE_TREND
  w["trend"] = std::make_unique<TrendWorkload>();
#endif
#ifdef SALESIGHT_PEERS_HAVE_CSV
  if (!ctx.csv_path.empty()) w["ingest"] = std::make_unique<IngestWorkload>();
#endif
  (void)ctx;
  return w;
}

std::string JsonString(std::string_view s) { return salesight::JsonQuote(s); }

void Reply(const std::string& json) { std::cout << json << '\n' << std::flush; }

void ReplyError(const absl::Status& status) {
  Reply(absl::StrCat("{\"ok\":false,\"error\":", JsonString(status.ToString()), "}"));
}

long RssBytes() {
  std::ifstream statm("/proc/self/statm");
  long pages_total = 0, pages_resident = 0;
  statm >> pages_total >> pages_resident;
  return pages_resident * 4096;
}

}  // namespace

int main(int argc, char** argv) {
  Context ctx;
  std::string data_dir;
  for (int i = 1; i < argc; i += 2) {
    const std::string flag = argv[i];
    if (i + 1 >= argc) {
      ReplyError(absl::InvalidArgumentError(absl::StrCat("flag ", flag, " needs a value")));
      return 2;
    }
    const std::string value = argv[i + 1];
    if (flag == "--data") {
      data_dir = value;
    } else if (flag == "--csv") {
      ctx.csv_path = value;
    } else if (flag == "--as-of") {
      ctx.as_of = static_cast<salesight::Day>(std::atoi(value.c_str()));
    } else {
      ReplyError(absl::InvalidArgumentError(absl::StrCat("unknown flag ", flag)));
      return 2;
    }
  }
  if (data_dir.empty()) {
    ReplyError(absl::InvalidArgumentError(
        "usage: salesight_workloads --data DIR [--csv FILE] [--as-of DAY]"));
    return 2;
  }

  const auto load_start = std::chrono::steady_clock::now();
  absl::StatusOr<SampleData> data = salesight::ReadWorkloadBin(data_dir);
  if (!data.ok()) {
    ReplyError(data.status());
    return 1;
  }
  const double load_ms = std::chrono::duration<double, std::milli>(
                             std::chrono::steady_clock::now() - load_start)
                             .count();
  ctx.data = &*data;
  std::map<std::string, std::unique_ptr<Workload>> workloads = MakeWorkloads(ctx);
  Reply(absl::StrFormat(
      "{\"ok\":true,\"ready\":true,\"engine\":\"salesight\","
      "\"version\":\"salesight %s\",\"load_ms\":%.3f,"
      "\"rows\":{\"orders\":%d,\"opportunities\":%d,\"invoices\":%d},\"rss_after_load\":%d}",
      SALESIGHT_VERSION_STRING, load_ms, data->orders.size(), data->pipeline.size(),
      data->invoices.size(), RssBytes()));

  std::map<std::string, std::vector<double>> times;
  std::set<std::string> ran;  // workloads whose last run succeeded (Write needs one)
  std::string line;
  while (std::getline(std::cin, line)) {
    std::istringstream words(line);
    std::string cmd, name, arg;
    words >> cmd >> name >> arg;
    if (cmd == "quit") break;
    auto it = workloads.find(name);
    if (cmd != "run" && cmd != "write") {
      ReplyError(absl::InvalidArgumentError(absl::StrCat("unknown command '", line, "'")));
    } else if (it == workloads.end()) {
      Reply("{\"ok\":true,\"not_yet\":true}");
    } else if (cmd == "run") {
      ctx.threads = std::atoi(arg.c_str());
      if (ctx.threads < 1) {
        ReplyError(absl::InvalidArgumentError(
            absl::StrCat("run ", name, ": thread count '", arg, "' is not >= 1")));
        continue;
      }
      ran.erase(name);
      it->second->Clear();
      const auto start = std::chrono::steady_clock::now();
      absl::Status st = it->second->Run(ctx);
      const double ms = std::chrono::duration<double, std::milli>(
                            std::chrono::steady_clock::now() - start)
                            .count();
      if (!st.ok()) {
        ReplyError(st);
        continue;
      }
      ran.insert(name);
      times[absl::StrCat(name, " ", ctx.threads, "T")].push_back(ms);
      Reply(absl::StrFormat("{\"ok\":true,\"ms\":%.6f}", ms));
    } else {
      ctx.out_dir = arg;
      absl::Status st =
          ctx.out_dir.empty()       ? absl::InvalidArgumentError(absl::StrCat("write ", name, ": no folder"))
          : !ran.contains(name) ? absl::FailedPreconditionError(absl::StrCat("write ", name, ": no run to write"))
                                : it->second->Write(ctx);
      if (st.ok()) {
        Reply("{\"ok\":true}");
      } else {
        ReplyError(st);
      }
    }
  }
  std::string times_json;
  for (const auto& [name, ms] : times) {
    std::string list;
    for (double v : ms) absl::StrAppend(&list, list.empty() ? "" : ",", absl::StrFormat("%.6f", v));
    absl::StrAppend(&times_json, times_json.empty() ? "" : ",", JsonString(name), ":[", list, "]");
  }
  Reply(absl::StrCat("{\"ok\":true,\"times\":{", times_json, "}}"));
  return 0;
}
