// The dashboard's generation time (issue 15 item 1: "written in 1 s or less at
// 10^7 lines with 2 threads, data loaded"): RenderDashboard on the generated
// sample with every table (orders, customers, products, pipeline, invoices,
// payments, targets), the data already in memory, HTML (the page) and JSON
// (the panel data alone). Counters: the document's bytes.
#include <string>

#include "bench_sample.hpp"
#include "benchmark/benchmark.h"
#include "salesight/dashboard.hpp"
#include "salesight/dataset.hpp"

namespace salesight {
namespace {

// Args: order lines, threads, format (0 = HTML, 1 = JSON).
void BM_DashboardRender(benchmark::State& state) {
  const Dataset& data = CachedDataset(state.range(0), kWithAll);
  DashboardOptions options;
  options.num_threads = static_cast<int>(state.range(1));
  const DashboardFormat format = state.range(2) == 0 ? DashboardFormat::kHtml : DashboardFormat::kJson;
  std::size_t bytes = 0;
  for (auto _ : state) {
    absl::StatusOr<std::string> doc = RenderDashboard(data, options, format);
    if (!doc.ok()) {
      state.SkipWithError(std::string(doc.status().message()).c_str());
      return;
    }
    bytes = doc->size();
    benchmark::DoNotOptimize(doc->data());
  }
  state.counters["bytes"] = static_cast<double>(bytes);
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_DashboardRender)
    ->ArgsProduct({{1'000'000, 10'000'000}, {1, 2}, {0, 1}})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace
}  // namespace salesight
