// Trend benchmarks on the bundled sample (GenerateSample, WORKLOADS data):
//   BM_TrendWorkloadE   workload (e): trend_month + trend_week (revenue, last
//                       year, yoy; periods with orders only) from one pass
//                       (ComputeTrendGrains), both result tables materialized, 10^5..10^7 lines x 1, 2 threads.
//                       Goal: <= 10 ms median at 10^7, 2 threads (DuckDB 2T
//                       ~260 ms, plain C++ ~36 ms; 12 bytes/line read).
//   BM_TrendAllMeasures monthly, emit empty periods, revenue plus margin (a
//                       second pass through the margin calculator) and/or
//                       distinct orders (measures 1, 2; 3 = the defaults).
//   BM_TrendBySalesperson  revenue per salesperson x week (dense cells).
//   BM_Contribution     region x channel shares of revenue.
#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <string>

#include "bench_sample.hpp"
#include "benchmark/benchmark.h"
#include "salesight/contribution.hpp"
#include "salesight/sample.hpp"
#include "salesight/trend.hpp"

namespace salesight {
namespace {

const SampleData& Sample(std::int64_t lines) { return CachedSample(lines); }

// Minimal bytes of workload (e) per line: order_date 4 + amount 8.
constexpr std::int64_t kWorkloadEBytesPerLine = 12;

void SetCounters(benchmark::State& state, std::int64_t lines, std::int64_t bytes_per_line) {
  state.SetItemsProcessed(state.iterations() * lines);
  state.SetBytesProcessed(state.iterations() * lines * bytes_per_line);
  state.counters["lines"] = static_cast<double>(lines);
  state.counters["ns_per_line"] = benchmark::Counter(
      static_cast<double>(lines) * 1e-9,
      benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
}

void BM_TrendWorkloadE(benchmark::State& state) {
  const SampleData& data = Sample(state.range(0));
  TrendOptions o;
  o.compare = TrendCompare::kLastYear;
  o.emit_empty_periods = false;
  o.with_margin = false;
  o.count_orders = false;
  o.num_threads = static_cast<int>(state.range(1));
  const Grain grains[] = {GrainUnit::kMonth, GrainUnit::kIsoWeek};
  std::size_t rows = 0;
  for (auto _ : state) {
    // One pass feeds both tables: the day cells do not depend on the grain.
    auto results = ComputeTrendGrains(Dataset::Of(data.orders), grains, o);
    if (!results.ok()) {
      state.SkipWithError(std::string(results.status().message()).c_str());
      return;
    }
    ResultTable a = ToResultTable((*results)[0]), b = ToResultTable((*results)[1]);
    benchmark::DoNotOptimize(a);
    benchmark::DoNotOptimize(b);
    rows = a.num_rows() + b.num_rows();
  }
  SetCounters(state, static_cast<std::int64_t>(data.orders.size()), kWorkloadEBytesPerLine);
  state.counters["rows"] = static_cast<double>(rows);
}
BENCHMARK(BM_TrendWorkloadE)
    ->ArgNames({"lines", "threads"})
    ->ArgsProduct({{100'000, 1'000'000, 10'000'000}, {1, 2}})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->MeasureProcessCPUTime();

// measures: 0 revenue only, 1 + margin, 2 + distinct orders, 3 both (default).
void BM_TrendAllMeasures(benchmark::State& state) {
  const SampleData& data = Sample(state.range(0));
  TrendOptions o;
  o.num_threads = static_cast<int>(state.range(1));
  o.with_margin = (state.range(2) & 1) != 0;
  o.count_orders = (state.range(2) & 2) != 0;
  DatasetTables tables;
  tables.orders = std::shared_ptr<const OrderLines>(&data.orders, [](const OrderLines*) {});
  tables.products = std::shared_ptr<const Products>(&data.products, [](const Products*) {});
  const Dataset with_products = Dataset::Build(std::move(tables)).value();
  for (auto _ : state) {
    auto r = ComputeTrend(with_products, o);
    if (!r.ok()) {
      state.SkipWithError(std::string(r.status().message()).c_str());
      return;
    }
    benchmark::DoNotOptimize(r);
  }
  SetCounters(state, static_cast<std::int64_t>(data.orders.size()), 12);
}
BENCHMARK(BM_TrendAllMeasures)
    ->ArgNames({"lines", "threads", "measures"})
    ->ArgsProduct({{1'000'000, 10'000'000}, {1, 2}, {1, 2, 3}})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->MeasureProcessCPUTime();

void BM_TrendBySalesperson(benchmark::State& state) {
  const SampleData& data = Sample(state.range(0));
  TrendOptions o;
  o.grain = GrainUnit::kIsoWeek;
  o.group_by = "salesperson";
  o.with_margin = false;
  o.count_orders = false;
  o.num_threads = static_cast<int>(state.range(1));
  for (auto _ : state) {
    auto r = ComputeTrend(Dataset::Of(data.orders), o);
    if (!r.ok()) {
      state.SkipWithError(std::string(r.status().message()).c_str());
      return;
    }
    benchmark::DoNotOptimize(r);
  }
  SetCounters(state, static_cast<std::int64_t>(data.orders.size()), 14);
}
BENCHMARK(BM_TrendBySalesperson)
    ->ArgNames({"lines", "threads"})
    ->ArgsProduct({{1'000'000, 10'000'000}, {1, 2}})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->MeasureProcessCPUTime();

void BM_Contribution(benchmark::State& state) {
  const SampleData& data = Sample(state.range(0));
  ContributionOptions o;
  o.dimensions = {"region", "channel"};
  o.num_threads = static_cast<int>(state.range(1));
  for (auto _ : state) {
    auto r = ComputeContribution(Dataset::Of(data.orders), o);
    if (!r.ok()) {
      state.SkipWithError(std::string(r.status().message()).c_str());
      return;
    }
    benchmark::DoNotOptimize(r);
  }
  SetCounters(state, static_cast<std::int64_t>(data.orders.size()), 14);
}
BENCHMARK(BM_Contribution)
    ->ArgNames({"lines", "threads"})
    ->ArgsProduct({{1'000'000, 10'000'000}, {1, 2}})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->MeasureProcessCPUTime();

}  // namespace
}  // namespace salesight
