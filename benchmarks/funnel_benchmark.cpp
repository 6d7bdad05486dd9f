// Funnel benchmarks on the bundled sample (GenerateSample): N order lines ->
// N/5 opportunities.
//   BM_FunnelWorkload: WORKLOADS.md (b) — funnel_overall + funnel_group per
//     (region, month of created), output tables materialized.
//   BM_FunnelFull: every metric (outcomes, open pipeline and ages as of the
//     sample's D, bottlenecks) per (region, month).
//   BM_FunnelSalespersonWeek: a finer grouping (200 salespeople x ISO week).
// Args: {order lines, threads}. Data generation is outside the timing.
#include <cstdint>
#include <map>
#include <memory>

#include "bench_sample.hpp"
#include "benchmark/benchmark.h"
#include "salesight/funnel.hpp"
#include "salesight/sample.hpp"

namespace salesight {
namespace {

const SampleData& Sample(std::int64_t lines) { return CachedSample(lines); }

void Run(benchmark::State& state, FunnelOptions options, bool workload_tables) {
  const SampleData& data = Sample(state.range(0));
  const Pipeline& p = data.pipeline;
  options.num_threads = static_cast<int>(state.range(1));
  std::size_t groups = 0;
  for (auto _ : state) {
    auto r = ComputeFunnel(p, options);
    if (!r.ok()) {
      state.SkipWithError(std::string(r.status().message()).c_str());
      return;
    }
    if (workload_tables) {
      auto t = ToWorkloadTables(*r);
      benchmark::DoNotOptimize(t);
    }
    groups = r->groups.size();
    benchmark::DoNotOptimize(r);
  }
  const auto rows = static_cast<std::int64_t>(p.size());
  // Bytes the pass reads: created + region + one date per stage (+ amount
  // and lost date when outcomes are on).
  std::int64_t row_bytes = 4 + 4 + 4 * static_cast<std::int64_t>(p.num_stages());
  if (options.compute_outcomes) row_bytes += 8 + 4;
  state.SetItemsProcessed(state.iterations() * rows);
  state.SetBytesProcessed(state.iterations() * rows * row_bytes);
  state.counters["opportunities"] = static_cast<double>(rows);
  state.counters["groups"] = static_cast<double>(groups);
  state.counters["ns_per_opp"] =
      benchmark::Counter(static_cast<double>(rows), benchmark::Counter::kIsIterationInvariantRate |
                                                        benchmark::Counter::kInvert);
}

void BM_FunnelWorkload(benchmark::State& state) { Run(state, WorkloadFunnelOptions(), true); }

void BM_FunnelFull(benchmark::State& state) {
  FunnelOptions o;
  o.group_by = {"region"};
  o.period = GrainUnit::kMonth;
  o.as_of = Sample(state.range(0)).as_of;
  Run(state, o, false);
}

void BM_FunnelSalespersonWeek(benchmark::State& state) {
  FunnelOptions o;
  o.group_by = {"salesperson"};
  o.period = GrainUnit::kIsoWeek;
  Run(state, o, false);
}

BENCHMARK(BM_FunnelWorkload)
    ->ArgsProduct({{100'000, 1'000'000, 10'000'000}, {1, 2}})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK(BM_FunnelFull)
    ->ArgsProduct({{100'000, 1'000'000, 10'000'000}, {1, 2}})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK(BM_FunnelSalespersonWeek)
    ->ArgsProduct({{1'000'000, 10'000'000}, {1, 2}})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace
}  // namespace salesight
