// Query engine benchmarks (issue 14 item 7) on the generated sample (orders +
// customers + products), the issue's representative queries that this
// version computes (the orders measures), at 1 and 2 threads:
//   0 revenue by month vs last year
//   1 margin by region x category
//   2 top 20 products + others by margin, with a grand total
//   3 customers and new customers by salesperson by quarter
//   4 one region and one quarter, by product (a drill-down's shape)
// BM_QueryDrill: query 4 (one region, one quarter, by product: 2.6% of the
// lines; month:1 one month, 0.9%) at 10^6 and 10^7 through the dataset's
// indexes (the first, untimed call builds them) and as a full scan
// (index:0); counters: the selected share, the index bytes per line. BM_IndexBuild: the region postings and the date
// order built from scratch.
// Not yet: collection rate by salesperson, weighted pipeline by stage and
// month (pipeline / receivables measures), the DuckDB side (peers harness).
#include <string>
#include <vector>

#include "bench_sample.hpp"
#include "benchmark/benchmark.h"
#include "salesight/dataset.hpp"
#include "salesight/order_index.hpp"
#include "salesight/query.hpp"

namespace salesight {
namespace {

const char* const kQueries[] = {
    R"({"measures": ["revenue"], "time": {"dimension": "order_date", "grain": "month",
        "compare": "last-year"}})",
    R"({"measures": ["margin", "margin_pct"], "dimensions": ["region", "category"]})",
    R"({"measures": ["margin", "revenue"], "dimensions": ["product"],
        "top": {"n": 20, "by": "margin", "others": true}, "totals": "grand"})",
    R"({"measures": ["customers", "new_customers"], "dimensions": ["salesperson"],
        "time": {"dimension": "order_date", "grain": "quarter"}})",
    R"({"measures": ["revenue", "margin"], "dimensions": ["product"],
        "filters": [{"member": "region", "op": "equals", "values": ["华东"]}],
        "time": {"dimension": "order_date", "range": ["2024-04-01", "2024-06-30"]}})",
};

// Query 4 with the lines it counts (the selected share); the same over one
// month (under 1% of the lines).
const char* const kDrill[] = {
    R"({"measures": ["revenue", "margin", "lines"], "dimensions": ["product"],
        "filters": [{"member": "region", "op": "equals", "values": ["华东"]}],
        "time": {"dimension": "order_date", "range": ["2024-04-01", "2024-06-30"]}})",
    R"({"measures": ["revenue", "margin", "lines"], "dimensions": ["product"],
        "filters": [{"member": "region", "op": "equals", "values": ["华东"]}],
        "time": {"dimension": "order_date", "range": ["2024-05-01", "2024-05-31"]}})",
};

void BM_Query(benchmark::State& state) {
  const Dataset& data = CachedDataset(state.range(0), kWithMasters);
  const QuerySpec spec = *ParseQuerySpec(kQueries[state.range(1)]);
  QueryRunOptions options;
  options.num_threads = static_cast<int>(state.range(2));
  std::size_t rows = 0;
  for (auto _ : state) {
    absl::StatusOr<QueryResult> r = RunQuery(data, spec, options);
    if (!r.ok()) {
      state.SkipWithError(std::string(r.status().message()).c_str());
      return;
    }
    rows = r->table.num_rows();
    benchmark::DoNotOptimize(r);
  }
  const auto lines = static_cast<std::int64_t>(data.orders()->size());
  state.SetItemsProcessed(state.iterations() * lines);
  state.counters["rows"] = static_cast<double>(rows);
}
BENCHMARK(BM_Query)
    ->ArgNames({"lines", "query", "threads"})
    ->ArgsProduct({{1'000'000}, {0, 1, 2, 3, 4}, {1, 2}})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

void BM_QueryDrill(benchmark::State& state) {
  const Dataset& data = CachedDataset(state.range(0), kWithMasters);
  const QuerySpec spec = *ParseQuerySpec(kDrill[state.range(3)]);
  QueryRunOptions options;
  options.num_threads = static_cast<int>(state.range(1));
  options.index = state.range(2) != 0 ? QueryIndexUse::kAuto : QueryIndexUse::kNever;
  absl::StatusOr<QueryResult> first = RunQuery(data, spec, options);  // builds the indexes
  if (!first.ok()) {
    state.SkipWithError(std::string(first.status().message()).c_str());
    return;
  }
  for (auto _ : state) {
    absl::StatusOr<QueryResult> r = RunQuery(data, spec, options);
    benchmark::DoNotOptimize(r);
  }
  const auto lines = static_cast<double>(data.orders()->size());
  double selected = 0;
  for (const std::int64_t v : first->table.Find("lines")->ints) selected += static_cast<double>(v);
  state.counters["selected_share"] = selected / lines;
  state.counters["index_bytes_per_line"] = static_cast<double>(data.IndexBytes()) / lines;
  state.counters["groups"] = static_cast<double>(first->table.num_rows());
}
BENCHMARK(BM_QueryDrill)
    ->ArgNames({"lines", "threads", "index", "month"})
    ->ArgsProduct({{1'000'000, 10'000'000}, {1, 2}, {1, 0}, {0, 1}})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

void BM_IndexBuild(benchmark::State& state) {
  const Dataset& data = CachedDataset(state.range(0), kWithMasters);
  const DimensionColumn region = *data.Dimension(TableKind::kOrders, "region");
  const std::shared_ptr<const OrderLines> orders = BorrowTable(data.orders());
  std::int64_t bytes = 0;
  for (auto _ : state) {
    OrderIndexes index(orders);
    benchmark::DoNotOptimize(index.Members(region));
    benchmark::DoNotOptimize(index.Dates());
    bytes = index.Bytes();
  }
  const auto lines = static_cast<std::int64_t>(data.orders()->size());
  state.SetItemsProcessed(state.iterations() * lines);
  state.counters["index_bytes_per_line"] = static_cast<double>(bytes) / static_cast<double>(lines);
}
BENCHMARK(BM_IndexBuild)
    ->ArgNames({"lines"})
    ->Arg(1'000'000)
    ->Arg(10'000'000)
    ->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace salesight
