// RFM benchmarks on the bundled sample (GenerateSample, WORKLOADS.md data).
//   BM_RfmWorkload: WORKLOADS (a) exactly (as_of D, NTILE(5) with id ties, the
//     workload segments), result rows materialized. Args {order lines, threads}.
//   BM_RfmDefaults: the default options (quantile scores, tiers segments).
//   BM_RfmBinDir: WORKLOADS (a) on the order lines of an exchange-format
//     folder named by SALESIGHT_RFM_BIN_DIR (e.g. 10^8 lines from
//     `salesight generate --rows 1e8 --format bin --out DIR`): only the four
//     columns RFM reads are loaded, before timing. Registered only when the
//     variable is set (10^8 lines need 2.4 GB of columns).
//   BM_RfmScan: the line scan alone (the state WORKLOADS (a) scores), the
//     direct (path 0) or the partitioned scan (path 1), forced.
//   BM_RfmAppendRefresh: RfmIncremental over the first 10^7 lines, then each
//     iteration appends the next 10^4 lines (the next days) and refreshes
//     every score and segment; as_of moving with the data or fixed. Manual
//     time = Append only (wall); counter append_cpu_ms = the process's CPU
//     time per Append (all threads), what to quote on a loaded machine;
//     incremental = the share of appends refreshed without the full pass,
//     rescored = rows those refreshes rescored per append.
//
//   salesight_benchmarks --benchmark_filter='Rfm' --benchmark_repetitions=5
//
// Data generation is outside the timing. Bytes: the columns read per line,
// order_id 8 + customer 4 + order_date 4 + amount 8 = 24.
#include <chrono>
#include <ctime>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "bench_sample.hpp"
#include "benchmark/benchmark.h"
#include "rfm/internal/partial.hpp"
#include "rfm/internal/refresh.hpp"
#include "salesight/rfm.hpp"
#include "salesight/sample.hpp"

namespace salesight {
namespace {

constexpr std::int64_t kBytesPerLine = 24;

const SampleData& Sample(std::int64_t lines) { return CachedSample(lines); }

double ProcessCpuSeconds() {
  timespec t{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) * 1e-9;
}

void Run(benchmark::State& state, RfmOptions options) {
  const SampleData& data = Sample(state.range(0));
  options.num_threads = static_cast<int>(state.range(1));
  std::size_t customers = 0;
  for (auto _ : state) {
    absl::StatusOr<RfmResult> r = ComputeRfm(data.orders, options);
    if (!r.ok()) {
      state.SkipWithError(std::string(r.status().message()).c_str());
      return;
    }
    customers = r->customers.size();
    benchmark::DoNotOptimize(r->scores.data());
  }
  const auto rows = static_cast<std::int64_t>(data.orders.size());
  state.SetItemsProcessed(state.iterations() * rows);
  state.SetBytesProcessed(state.iterations() * rows * kBytesPerLine);
  state.counters["customers"] = static_cast<double>(customers);
}

void BM_RfmWorkload(benchmark::State& state) { Run(state, RfmOptionsForWorkload(19996)); }
void BM_RfmDefaults(benchmark::State& state) { Run(state, RfmOptions()); }

void BM_RfmScan(benchmark::State& state) {
  const SampleData& data = Sample(state.range(0));
  const RfmOptions options = RfmOptionsForWorkload(19996, static_cast<int>(state.range(1)));
  rfm_internal::ScanChoice choice;
  choice.path = state.range(2) == 0 ? rfm_internal::ScanChoice::Path::kDirect
                                     : rfm_internal::ScanChoice::Path::kPartitioned;
  for (auto _ : state) {
    absl::StatusOr<RfmPartial> s = rfm_internal::BuildState(data.orders, options, nullptr, choice);
    if (!s.ok()) {
      state.SkipWithError(std::string(s.status().message()).c_str());
      return;
    }
    benchmark::DoNotOptimize(&*s);
  }
  const auto rows = static_cast<std::int64_t>(data.orders.size());
  state.SetItemsProcessed(state.iterations() * rows);
  state.SetBytesProcessed(state.iterations() * rows * kBytesPerLine);
}

// Size-major order, so the one-slot sample cache generates each size once.
// CPU time is the whole process's (all threads), wall time is the time.
void SizesByThreads(benchmark::internal::Benchmark* b, std::vector<std::int64_t> sizes) {
  for (std::int64_t n : sizes) {
    for (std::int64_t threads : {1, 2}) b->Args({n, threads});
  }
  b->ArgNames({"lines", "threads"})
      ->Unit(benchmark::kMillisecond)
      ->MeasureProcessCPUTime()
      ->UseRealTime();
}
BENCHMARK(BM_RfmWorkload)->Apply([](benchmark::internal::Benchmark* b) {
  SizesByThreads(b, {100'000, 1'000'000, 10'000'000});
});
BENCHMARK(BM_RfmDefaults)->Apply([](benchmark::internal::Benchmark* b) {
  SizesByThreads(b, {10'000'000});
});
// A raw little-endian column of the exchange format (as many values as the
// file holds; this host is little-endian like the writer).
template <typename T>
std::vector<T> ReadRaw(const std::string& path) {
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (!in) {
    std::fprintf(stderr, "BM_RfmBinDir: cannot open %s\n", path.c_str());
    std::abort();
  }
  const auto bytes = static_cast<std::size_t>(in.tellg());
  std::vector<T> v(bytes / sizeof(T));
  in.seekg(0);
  in.read(reinterpret_cast<char*>(v.data()), static_cast<std::streamsize>(v.size() * sizeof(T)));
  return v;
}

const OrderLines& BinDirLines(const std::string& dir) {
  static const OrderLines lines = [&] {
    OrderLinesColumns c;
    c.order_id = Column<std::int64_t>::Own(ReadRaw<std::int64_t>(dir + "/orders/order_id.bin"));
    c.customer = Column<Id>::Own(ReadRaw<Id>(dir + "/orders/customer_id.bin"));
    c.order_date = Column<Day>::Own(ReadRaw<Day>(dir + "/orders/order_date.bin"));
    c.amount = Column<Money>::Own(ReadRaw<Money>(dir + "/orders/amount_cents.bin"));
    auto t = OrderLines::Build(std::move(c));
    if (!t.ok()) {
      std::fprintf(stderr, "BM_RfmBinDir: %s\n", std::string(t.status().message()).c_str());
      std::abort();
    }
    return *std::move(t);
  }();
  return lines;
}

void BM_RfmBinDir(benchmark::State& state, const std::string& dir) {
  const OrderLines& lines = BinDirLines(dir);
  const RfmOptions options = RfmOptionsForWorkload(19996, static_cast<int>(state.range(0)));
  for (auto _ : state) {
    absl::StatusOr<RfmResult> r = ComputeRfm(lines, options);
    if (!r.ok()) {
      state.SkipWithError(std::string(r.status().message()).c_str());
      return;
    }
    benchmark::DoNotOptimize(r->scores.data());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(lines.size()));
  state.counters["lines"] = static_cast<double>(lines.size());
}

[[maybe_unused]] const bool kBinDirRegistered = [] {
  const char* dir = std::getenv("SALESIGHT_RFM_BIN_DIR");
  if (dir == nullptr || *dir == 0) return false;
  benchmark::RegisterBenchmark("BM_RfmBinDir", BM_RfmBinDir, std::string(dir))
      ->ArgName("threads")
      ->Arg(1)
      ->Arg(2)
      ->Unit(benchmark::kMillisecond)
      ->MeasureProcessCPUTime()
      ->UseRealTime();
  return true;
}();

BENCHMARK(BM_RfmScan)
    ->ArgsProduct({{1'000'000, 10'000'000}, {1, 2}, {0, 1}})
    ->ArgNames({"lines", "threads", "path"})
    ->Unit(benchmark::kMillisecond)
    ->MeasureProcessCPUTime()
    ->UseRealTime();

// A table over rows [b, e) of the sample, borrowing its columns.
OrderLines Rows(const OrderLines& all, std::size_t b, std::size_t e) {
  const OrderLinesColumns& c = all.columns();
  OrderLinesColumns s;
  const std::size_t n = e - b;
  s.order_id = Column<std::int64_t>::Borrow(c.order_id.span().subspan(b, n));
  s.order_date = Column<Day>::Borrow(c.order_date.span().subspan(b, n));
  s.customer = Column<Id>::Borrow(c.customer.span().subspan(b, n));
  s.amount = Column<Money>::Borrow(c.amount.span().subspan(b, n));
  s.money_scale = all.money_scale();
  s.customers = c.customers;
  auto t = OrderLines::Build(std::move(s));
  if (!t.ok()) std::abort();
  return *std::move(t);
}

void BM_RfmAppendRefresh(benchmark::State& state) {
  constexpr std::int64_t kBase = 10'000'000;
  const std::int64_t batch = state.range(0);
  constexpr std::int64_t kBatches = 50;
  const SampleData& data = Sample(kBase + kBatches * batch);
  // fixed_as_of 0: as_of = the day after the latest line, so it moves with
  // the appended days and every customer's recency is rewritten; 1: a fixed
  // as_of (2025-01-01, a dashboard's "today"), recency only changes for the
  // customers in the batch.
  RfmOptions o = RfmOptionsForWorkload(state.range(2) ? DayFromCivil(2025, 1, 1) : kNoDate,
                                       static_cast<int>(state.range(1)));
  const OrderLines base = Rows(data.orders, 0, kBase);
  std::unique_ptr<RfmIncremental> inc;
  std::int64_t next = kBatches;
  double cpu = 0;
  const std::int64_t incremental_before = rfm_internal::RefreshCounters().incremental.load();
  const std::int64_t rescored_before = rfm_internal::RefreshCounters().rescored.load();
  for (auto _ : state) {
    if (next == kBatches) {  // (re)build the 10^7-line state: not timed
      auto created = RfmIncremental::Create(base, o);
      if (!created.ok()) {
        state.SkipWithError(std::string(created.status().message()).c_str());
        return;
      }
      inc = std::make_unique<RfmIncremental>(*std::move(created));
      next = 0;
    }
    const std::size_t b = static_cast<std::size_t>(kBase + next * batch);
    const OrderLines lines = Rows(data.orders, b, b + static_cast<std::size_t>(batch));
    const auto start = std::chrono::steady_clock::now();
    const double cpu_start = ProcessCpuSeconds();
    absl::Status st = inc->Append(lines);
    cpu += ProcessCpuSeconds() - cpu_start;
    const auto stop = std::chrono::steady_clock::now();
    if (!st.ok()) {
      state.SkipWithError(std::string(st.message()).c_str());
      return;
    }
    benchmark::DoNotOptimize(inc->result().scores.data());
    state.SetIterationTime(std::chrono::duration<double>(stop - start).count());
    ++next;
  }
  state.SetItemsProcessed(state.iterations() * batch);
  state.counters["customers"] = static_cast<double>(inc ? inc->result().customers.size() : 0);
  state.counters["append_cpu_ms"] = 1e3 * cpu / static_cast<double>(state.iterations());
  state.counters["incremental"] =
      static_cast<double>(rfm_internal::RefreshCounters().incremental.load() - incremental_before) /
      static_cast<double>(state.iterations());
  state.counters["rescored"] =
      static_cast<double>(rfm_internal::RefreshCounters().rescored.load() - rescored_before) /
      static_cast<double>(state.iterations());
}

BENCHMARK(BM_RfmAppendRefresh)
    ->ArgsProduct({{10'000}, {1, 2}, {0, 1}})
    ->ArgNames({"batch", "threads", "fixed_as_of"})
    ->Unit(benchmark::kMillisecond)
    ->UseManualTime()
    ->Iterations(40);

}  // namespace
}  // namespace salesight
