// The leaves localiser (salesight/insights/localizer.hpp) on synthetic labelled
// cases shaped like the RiskLoc generator's: issue 16's goal is about 20,000
// leaves, 4-5 dimensions, every depth, in <= 3 ms.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <vector>

#include "insights/internal/synthetic_leaves.hpp"
#include "salesight/insights/localizer.hpp"

namespace {

using salesight::insights::LeavesTable;
using salesight::insights::internal::MakeSyntheticCase;
using salesight::insights::internal::SyntheticSpec;

// Args: cause depth (1..3); shape 0 = 4 dims {10,10,10,20} (20,000 leaves),
// 1 = 5 dims {10,12,10,8,5} (48,000, the paper's S), 2 = 5 dims {8,5,10,10,5} (20,000).
void BM_LocalizeLeaves(benchmark::State& state) {
  SyntheticSpec spec;
  spec.max_cause_depth = static_cast<int>(state.range(0));
  if (state.range(1) == 1) spec.cardinalities = {10, 12, 10, 8, 5};
  if (state.range(1) == 2) spec.cardinalities = {8, 5, 10, 10, 5};
  spec.num_causes = 3;
  spec.seed = 7;
  const LeavesTable leaves = *ToLeavesTable(MakeSyntheticCase(spec));
  salesight::insights::LocalizerOptions options;
  std::size_t causes = 0;
  for (auto _ : state) {
    auto result = salesight::insights::Localize(leaves, options);
    benchmark::DoNotOptimize(result);
    causes = result->causes.size();
  }
  state.counters["leaves"] = static_cast<double>(leaves.num_leaves());
  state.counters["causes"] = static_cast<double>(causes);
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(leaves.num_leaves()));
}
BENCHMARK(BM_LocalizeLeaves)->ArgsProduct({{1, 2, 3}, {0, 1, 2}})->Unit(benchmark::kMillisecond);

}  // namespace
