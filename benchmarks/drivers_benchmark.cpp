// The leaves localiser (salesight/insights/localizer.hpp) on synthetic labelled
// cases shaped like the RiskLoc generator's: issue 16's goal is about 20,000
// leaves, 4-5 dimensions, every depth, in <= 3 ms. And the drivers calculator
// over a Dataset (below).
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
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
// the sample's last month vs the previous one over 6 dimensions (Args: lines,
// threads, dims set - see SixDims), combinations up to 3 deep (41 cuboids).
// Goal: <= 100 ms at 10^7 lines, 2 threads. The work grows with the leaves
// (the finest combinations: counter "leaves") more than with the lines.
namespace salesight {
namespace {

// The sample's orders with two more low-cardinality attributes (a customer
// tier, 4 members, a product pack, 6, and a customer segment, 3: the sample
// has four such dimensions of its own), so that drivers search 6 dimensions.
struct DriversBench {
  OrderLines orders;
  Dataset data;
};

AttributeColumn Derived(const char* name, const Column<Id>& from, int members) {
  std::vector<std::string> codes;
  for (int m = 0; m < members; ++m) codes.push_back(absl::StrCat(name, "-", m));
  std::vector<Id> ids(from.size());
  for (std::size_t i = 0; i < ids.size(); ++i) ids[i] = from[i] % members;
  return {name, Column<Id>::Own(std::move(ids)),
          std::make_shared<const Dictionary>(*Dictionary::FromCodes(codes))};
}

const Dataset& DriversData(std::int64_t lines) {
  static std::map<std::int64_t, std::unique_ptr<DriversBench>> cache;
  auto it = cache.find(lines);
  if (it == cache.end()) {
    const SampleData& s = CachedSample(lines);
    OrderLinesColumns c = s.orders.columns();
    c.attributes.push_back(Derived("tier", c.customer, 4));
    c.attributes.push_back(Derived("pack", c.product, 6));
    c.attributes.push_back(Derived("segment", c.customer, 3));
    auto bench = std::make_unique<DriversBench>();
    bench->orders = *OrderLines::Build(std::move(c));
    DatasetTables t;
    t.orders = BorrowTable(bench->orders);
    t.customers = BorrowTable(s.customers);
    t.products = BorrowTable(s.products);
    bench->data = *Dataset::Build(std::move(t));
    it = cache.emplace(lines, std::move(bench)).first;
  }
  return it->second->data;
}

// Dims set 0: the sample's four (salesperson has dozens of members) + tier,
// pack; set 1: six low-cardinality ones (segment, 3 members, for salesperson).
std::vector<std::string> SixDims(std::int64_t set) {
  if (set == 1) return {"region", "segment", "channel", "category", "tier", "pack"};
  return {"region", "salesperson", "channel", "category", "tier", "pack"};
}

void BM_DriversDataset(benchmark::State& state) {
  const Dataset& data = DriversData(state.range(0));
  DriversOptions o;
  o.dims = SixDims(state.range(2));
  o.dims_given = true;
  o.max_depth = 3;
  o.num_threads = static_cast<int>(state.range(1));
  std::size_t rows = 0;
  std::int64_t leaves = 0;
  for (auto _ : state) {
    absl::StatusOr<DriversResult> r = ComputeDrivers(data, o);
    if (!r.ok()) {
      state.SkipWithError(std::string(r.status().message()).c_str());
      return;
    }
    rows = r->rows.size();
    leaves = r->leaves;
    benchmark::DoNotOptimize(r);
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
  state.counters["leaves"] = static_cast<double>(leaves);
  state.counters["dims"] = static_cast<double>(o.dims.size());
  state.SetLabel(absl::StrJoin(o.dims, ","));
  state.counters["drivers"] = static_cast<double>(rows);
}
BENCHMARK(BM_DriversDataset)
    ->ArgsProduct({{1'000'000, 10'000'000}, {1, 2}, {0, 1}})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace
}  // namespace salesight
