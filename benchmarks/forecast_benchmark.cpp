// The landing forecast (issue 16 item 6: "a forecast in <= 20 ms" at 10^7
// lines, 2 threads): ComputeForecast on the generated sample with its order
// lines, pipeline and targets in memory, as of the sample's D (2024-09-30),
// for the month, total and per salesperson.
#include <string>

#include "bench_sample.hpp"
#include "benchmark/benchmark.h"
#include "salesight/dataset.hpp"
#include "salesight/forecast.hpp"

namespace salesight {
namespace {

// Args: order lines, threads, grouped (0 = total, 1 = per salesperson).
void BM_Forecast(benchmark::State& state) {
  const Dataset& data = CachedDataset(state.range(0), kWithPipeline | kWithTargets);
  ForecastOptions options;
  options.as_of = CachedSample(state.range(0)).as_of;
  options.num_threads = static_cast<int>(state.range(1));
  if (state.range(2) == 1) options.group_by = "salesperson";
  for (auto _ : state) {
    absl::StatusOr<ForecastResult> r = ComputeForecast(data, options);
    if (!r.ok()) {
      state.SkipWithError(std::string(r.status().message()).c_str());
      return;
    }
    benchmark::DoNotOptimize(r->rows.data());
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_Forecast)
    ->ArgsProduct({{1'000'000, 10'000'000}, {1, 2}, {0, 1}})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace
}  // namespace salesight
