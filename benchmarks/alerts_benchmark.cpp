// Alerts benchmarks on the bundled sample (GenerateSample), 10^6 and 10^7
// lines x 1, 2 threads, as_of the sample's snapshot (2024-12-31), month grain:
//   BM_AlertsOrders  every order-line KPI (revenue, margin, margin_pct,
//                    orders, customers, aov) x the total and each single
//                    dimension (region, salesperson, category, channel):
//                    goal <= 200 ms at 10^7 lines, 2 threads (issue 16).
//   BM_AlertsAll     the same plus the funnel conversions (pipeline) and
//                    collection_rate and overdue (invoices): each of those is
//                    one calculator call per window (32 windows x 5 slicings).
#include <string>

#include "bench_sample.hpp"
#include "benchmark/benchmark.h"
#include "salesight/alerts.hpp"

namespace salesight {
namespace {

void Run(benchmark::State& state, bool all) {
  const Dataset& data =
      CachedDataset(state.range(0), all ? kWithMasters | kWithPipeline | kWithInvoices : kWithMasters);
  AlertsOptions o;
  o.as_of = CachedSample(state.range(0)).snapshot;
  o.num_threads = static_cast<int>(state.range(1));
  std::size_t rows = 0;
  for (auto _ : state) {
    absl::StatusOr<AlertsResult> r = ComputeAlerts(data, o);
    if (!r.ok()) {
      state.SkipWithError(std::string(r.status().message()).c_str());
      return;
    }
    rows = r->alerts.size();
    benchmark::DoNotOptimize(r);
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
  state.counters["alerts"] = static_cast<double>(rows);
}

void BM_AlertsOrders(benchmark::State& state) { Run(state, false); }
void BM_AlertsAll(benchmark::State& state) { Run(state, true); }

BENCHMARK(BM_AlertsOrders)->ArgsProduct({{1'000'000, 10'000'000}, {1, 2}})->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_AlertsAll)->ArgsProduct({{1'000'000, 10'000'000}, {1, 2}})->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
}  // namespace salesight
