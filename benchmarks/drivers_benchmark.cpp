// The leaves localiser (salesight/insights/localizer.hpp) on synthetic labelled
// cases shaped like the RiskLoc generator's: issue 16's goal is about 20,000
// leaves, 4-5 dimensions, every depth, in <= 3 ms. And the drivers calculator
// over a Dataset (below).
#include <benchmark/benchmark.h>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "bench_sample.hpp"
#include "insights/internal/synthetic_leaves.hpp"
#include "salesight/insights/drivers.hpp"
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

// ---------------------------------------------------------------- over a Dataset
// The drivers calculator (salesight/insights/drivers.hpp) on the bundled
// sample (GenerateSample) at 10^6 and 10^7 lines x 1, 2 threads: revenue of
// the sample's last month vs the previous one over 6 dimensions (the
// orders' dimensions with at most 64 members, first 6 in resolution order),
// combinations up to 3 deep. Goal: <= 100 ms at 10^7 lines, 2 threads.
namespace salesight {
namespace {

const Dataset& DriversData(std::int64_t lines) {
  static std::map<std::int64_t, Dataset> cache;
  auto it = cache.find(lines);
  if (it == cache.end()) {
    const SampleData& s = CachedSample(lines);
    DatasetTables t;
    t.orders = BorrowTable(s.orders);
    t.customers = BorrowTable(s.customers);
    t.products = BorrowTable(s.products);
    it = cache.emplace(lines, *Dataset::Build(std::move(t))).first;
  }
  return it->second;
}

std::vector<std::string> SixDims(const Dataset& data) {
  std::vector<std::string> out;
  for (const DimensionColumn& d : data.Dimensions(TableKind::kOrders)) {
    if (d.cardinality > 1 && d.cardinality <= 64 && out.size() < 6) out.push_back(d.name);
  }
  return out;
}

void BM_DriversDataset(benchmark::State& state) {
  const Dataset& data = DriversData(state.range(0));
  DriversOptions o;
  o.dims = SixDims(data);
  o.dims_given = true;
  o.max_depth = 3;
  o.num_threads = static_cast<int>(state.range(1));
  std::size_t rows = 0;
  for (auto _ : state) {
    absl::StatusOr<DriversResult> r = ComputeDrivers(data, o);
    if (!r.ok()) {
      state.SkipWithError(std::string(r.status().message()).c_str());
      return;
    }
    rows = r->rows.size();
    benchmark::DoNotOptimize(r);
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
  state.counters["dims"] = static_cast<double>(o.dims.size());
  state.counters["drivers"] = static_cast<double>(rows);
}
BENCHMARK(BM_DriversDataset)
    ->ArgsProduct({{1'000'000, 10'000'000}, {1, 2}})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace
}  // namespace salesight
