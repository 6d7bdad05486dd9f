// Margin benchmarks on the bundled sample (GenerateSample, WORKLOADS data):
//   BM_MarginWorkloadC  workload (c): margin_product + margin_top20 +
//                       margin_region_month, all materialized, 10^5..10^7 lines
//                       x 1, 2 threads. Target: <= 20 ms median at 10^7, 2 threads.
//   BM_MarginProductCosts  the general path: costs from Products (standard
//                       cost / tiers), grouped by category x month.
//   BM_QuoteCheck       one quote check on a prepared index. Target: <= 5 us.
#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "bench_sample.hpp"
#include "benchmark/benchmark.h"
#include "salesight/margin.hpp"
#include "salesight/quote_check.hpp"
#include "salesight/sample.hpp"

namespace salesight {
namespace {

const SampleData& Sample(std::int64_t lines) { return CachedSample(lines); }

// Minimal bytes of workload (c) per line (WORKLOADS.md "Minimal bytes read").
constexpr std::int64_t kWorkloadCBytesPerLine = 29;

void BM_MarginWorkloadC(benchmark::State& state) {
  const SampleData& data = Sample(state.range(0));
  MarginOptions options;
  options.num_threads = static_cast<int>(state.range(1));
  const std::vector<MarginGrouping> sets = {
      MarginGrouping{{"product"}},
      MarginGrouping{{"region", "month"}}};
  const MarginRankOptions top20{MarginMetric::kMargin, MarginRankOrder::kTop, 20};
  std::size_t groups = 0;
  for (auto _ : state) {
    auto results = ComputeMarginSets(data.orders, nullptr, sets, options);
    if (!results.ok()) {
      state.SkipWithError(std::string(results.status().message()).c_str());
      return;
    }
    auto ranking = RankMargin((*results)[0], top20);
    benchmark::DoNotOptimize(ranking);
    groups = (*results)[0].groups.size() + (*results)[1].groups.size();
  }
  const auto lines = static_cast<std::int64_t>(data.orders.size());
  state.SetItemsProcessed(state.iterations() * lines);
  state.SetBytesProcessed(state.iterations() * lines * kWorkloadCBytesPerLine);
  state.counters["lines"] = static_cast<double>(lines);
  state.counters["groups"] = static_cast<double>(groups);
  state.counters["ns_per_line"] = benchmark::Counter(
      static_cast<double>(lines) * 1e-9, benchmark::Counter::kIsIterationInvariantRate |
                                             benchmark::Counter::kInvert);
}
BENCHMARK(BM_MarginWorkloadC)
    ->ArgNames({"lines", "threads"})
    ->ArgsProduct({{100'000, 1'000'000, 10'000'000}, {1, 2}})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->MeasureProcessCPUTime();

// Costs from Products: the sample's orders without their unit_cost column.
void BM_MarginProductCosts(benchmark::State& state) {
  const SampleData& data = Sample(state.range(0));
  OrderLinesColumns c = data.orders.columns();
  c.unit_cost = Column<Money>();
  auto orders = OrderLines::Build(std::move(c));
  if (!orders.ok()) {
    state.SkipWithError(std::string(orders.status().message()).c_str());
    return;
  }
  MarginOptions options;
  options.num_threads = static_cast<int>(state.range(1));
  options.group_by = MarginGrouping{{"category", "month"}};
  for (auto _ : state) {
    auto result = ComputeMargin(*orders, &data.products, options);
    if (!result.ok()) {
      state.SkipWithError(std::string(result.status().message()).c_str());
      return;
    }
    benchmark::DoNotOptimize(result);
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(orders->size()));
}
BENCHMARK(BM_MarginProductCosts)
    ->ArgNames({"lines", "threads"})
    ->ArgsProduct({{1'000'000, 10'000'000}, {1, 2}})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->MeasureProcessCPUTime();

void BM_QuoteCheck(benchmark::State& state) {
  const SampleData& data = Sample(1'000'000);
  auto receivables = OpenReceivablesFromInvoices(data.invoices, &data.payments, data.as_of);
  if (!receivables.ok()) {
    state.SkipWithError(std::string(receivables.status().message()).c_str());
    return;
  }
  auto index = QuoteIndex::Build(data.products, data.customers, *receivables);
  if (!index.ok()) {
    state.SkipWithError(std::string(index.status().message()).c_str());
    return;
  }
  // Requests prepared up front: random listed customers and products.
  std::mt19937_64 rng(42);
  std::vector<QuoteRequest> requests(4096);
  const auto& customers = data.customers.columns().customer;
  const auto& products = data.products.columns().product;
  for (QuoteRequest& r : requests) {
    r.customer = customers[rng() % customers.size()];
    r.product = products[rng() % products.size()];
    r.quantity = static_cast<std::int32_t>(1 + rng() % 200);
    r.unit_price = static_cast<Money>(100 + rng() % 100000);
    r.date = data.as_of;
  }
  std::size_t i = 0;
  std::int64_t warnings = 0;
  for (auto _ : state) {
    auto result = index->Check(requests[i++ & 4095]);
    benchmark::DoNotOptimize(result);
    warnings += result.ok() ? (result->warnings != 0) : 0;
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["with_warning"] =
      benchmark::Counter(static_cast<double>(warnings), benchmark::Counter::kAvgIterations);
}
BENCHMARK(BM_QuoteCheck)->Unit(benchmark::kNanosecond);

// The same by ERP codes (two dictionary look-ups more).
void BM_QuoteCheckByCode(benchmark::State& state) {
  const SampleData& data = Sample(1'000'000);
  auto receivables = OpenReceivablesFromInvoices(data.invoices, &data.payments, data.as_of);
  auto index = QuoteIndex::Build(data.products, data.customers,
                                 receivables.ok() ? *receivables : OpenReceivables{});
  if (!index.ok()) {
    state.SkipWithError(std::string(index.status().message()).c_str());
    return;
  }
  const Dictionary& cust = *data.customer_codes;
  const Dictionary& prod = *data.product_codes;
  std::mt19937_64 rng(7);
  std::vector<std::pair<std::string_view, std::string_view>> codes(4096);
  for (auto& [c, p] : codes) {
    c = cust.Code(static_cast<Id>(rng() % static_cast<std::uint64_t>(data.customers.size())));
    p = prod.Code(static_cast<Id>(rng() % static_cast<std::uint64_t>(data.products.size())));
  }
  std::size_t i = 0;
  for (auto _ : state) {
    const auto& [c, p] = codes[i++ & 4095];
    auto result = index->Check(c, p, 12, 12345, data.as_of);
    benchmark::DoNotOptimize(result);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_QuoteCheckByCode)->Unit(benchmark::kNanosecond);

}  // namespace
}  // namespace salesight
