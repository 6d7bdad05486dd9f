// The sample generator and its writers. Items = order lines; bytes = the
// WORKLOADS-listed column bytes of the three tables (orders 43, opportunities
// 43 per opportunity = N/5, invoices 50 per line), so MB/s compare across sizes.
#include <cstdint>
#include <filesystem>
#include <string>

#include "benchmark/benchmark.h"
#include "salesight/sample.hpp"

namespace {

std::int64_t WorkloadBytes(std::int64_t n) { return n * 43 + n / 5 * 43 + n * 50; }

void BM_GenerateSample(benchmark::State& state) {
  salesight::SampleOptions o;
  o.order_lines = state.range(0);
  o.num_threads = static_cast<int>(state.range(1));
  for (auto _ : state) {
    auto d = salesight::GenerateSample(o);
    if (!d.ok()) state.SkipWithError(std::string(d.status().message()).c_str());
    benchmark::DoNotOptimize(d);
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
  state.SetBytesProcessed(state.iterations() * WorkloadBytes(state.range(0)));
}
BENCHMARK(BM_GenerateSample)
    ->ArgsProduct({{100000, 1000000, 10000000}, {1, 2}})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

void BM_WriteWorkloadBin(benchmark::State& state) {
  salesight::SampleOptions o;
  o.order_lines = state.range(0);
  auto d = salesight::GenerateSample(o);
  if (!d.ok()) {
    state.SkipWithError(std::string(d.status().message()).c_str());
    return;
  }
  const std::string dir =
      (std::filesystem::temp_directory_path() / "salesight_sample_benchmark_bin").string();
  for (auto _ : state) {
    auto st = salesight::WriteWorkloadBin(*d, dir);
    if (!st.ok()) state.SkipWithError(std::string(st.message()).c_str());
  }
  std::filesystem::remove_all(dir);
  state.SetItemsProcessed(state.iterations() * state.range(0));
  state.SetBytesProcessed(state.iterations() * WorkloadBytes(state.range(0)));
}
BENCHMARK(BM_WriteWorkloadBin)->Arg(1000000)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_ReadWorkloadBin(benchmark::State& state) {
  salesight::SampleOptions o;
  o.order_lines = state.range(0);
  auto d = salesight::GenerateSample(o);
  const std::string dir =
      (std::filesystem::temp_directory_path() / "salesight_sample_benchmark_read").string();
  if (!d.ok() || !salesight::WriteWorkloadBin(*d, dir).ok()) {
    state.SkipWithError("could not prepare the data set");
    return;
  }
  for (auto _ : state) {
    auto r = salesight::ReadWorkloadBin(dir);
    if (!r.ok()) state.SkipWithError(std::string(r.status().message()).c_str());
    benchmark::DoNotOptimize(r);
  }
  std::filesystem::remove_all(dir);
  state.SetItemsProcessed(state.iterations() * state.range(0));
  state.SetBytesProcessed(state.iterations() * WorkloadBytes(state.range(0)));
}
BENCHMARK(BM_ReadWorkloadBin)->Arg(1000000)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_WriteSampleCsv(benchmark::State& state) {
  salesight::SampleOptions o;
  o.order_lines = state.range(0);
  auto d = salesight::GenerateSample(o);
  if (!d.ok()) {
    state.SkipWithError(std::string(d.status().message()).c_str());
    return;
  }
  const std::string dir =
      (std::filesystem::temp_directory_path() / "salesight_sample_benchmark_csv").string();
  std::int64_t bytes = 0;
  for (auto _ : state) {
    auto st = salesight::WriteSampleCsv(*d, dir);
    if (!st.ok()) state.SkipWithError(std::string(st.message()).c_str());
  }
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    bytes += static_cast<std::int64_t>(e.file_size());
  }
  std::filesystem::remove_all(dir);
  state.SetItemsProcessed(state.iterations() * state.range(0));
  state.SetBytesProcessed(state.iterations() * bytes);  // CSV bytes written
}
BENCHMARK(BM_WriteSampleCsv)->Arg(1000000)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
