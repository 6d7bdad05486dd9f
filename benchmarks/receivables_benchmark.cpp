// Receivables benchmarks on the bundled sample (GenerateSample, WORKLOADS data):
//   BM_ArWorkloadD      workload (d): ar_customer + ar_salesperson in one pass
//                       (ComputeArWorkload, tables materialized), 10^5..10^7
//                       invoices x 1, 2 threads. Target: <= 30 ms median at
//                       10^7, 2 threads.
//   BM_Aging            aging by customer with the overdue top 100.
//   BM_Collection       collection by salesperson over the last quarter.
//   BM_AgingPayments    aging from the Payments table (several per invoice).
#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <string>

#include "bench_sample.hpp"
#include "benchmark/benchmark.h"
#include "salesight/receivables.hpp"
#include "salesight/sample.hpp"

namespace salesight {
namespace {

const SampleData& Sample(std::int64_t lines) { return CachedSample(lines); }

// Minimal bytes of workload (d) per invoice (WORKLOADS.md "Minimal bytes read").
constexpr std::int64_t kWorkloadDBytesPerInvoice = 34;

void SetCounters(benchmark::State& state, std::int64_t rows, std::int64_t bytes_per_row) {
  state.SetItemsProcessed(state.iterations() * rows);
  state.SetBytesProcessed(state.iterations() * rows * bytes_per_row);
  state.counters["invoices"] = static_cast<double>(rows);
  state.counters["ns_per_invoice"] = benchmark::Counter(
      static_cast<double>(rows) * 1e-9,
      benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
}

void BM_ArWorkloadD(benchmark::State& state) {
  const SampleData& data = Sample(state.range(0));
  const int threads = static_cast<int>(state.range(1));
  std::size_t customers = 0;
  for (auto _ : state) {
    auto tables = ComputeArWorkload(Dataset::Of(data.invoices), data.as_of, threads);
    if (!tables.ok()) {
      state.SkipWithError(std::string(tables.status().message()).c_str());
      return;
    }
    customers = tables->ar_customer.num_rows();
    benchmark::DoNotOptimize(tables);
  }
  SetCounters(state, static_cast<std::int64_t>(data.invoices.size()), kWorkloadDBytesPerInvoice);
  state.counters["ar_customers"] = static_cast<double>(customers);
}
BENCHMARK(BM_ArWorkloadD)
    ->ArgNames({"invoices", "threads"})
    ->ArgsProduct({{100'000, 1'000'000, 10'000'000}, {1, 2}})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->MeasureProcessCPUTime();

void BM_Aging(benchmark::State& state) {
  const SampleData& data = Sample(state.range(0));
  AgingOptions o;
  o.as_of = data.as_of;
  o.num_threads = static_cast<int>(state.range(1));
  for (auto _ : state) {
    auto r = ComputeAging(Dataset::Of(data.invoices), o);
    if (!r.ok()) {
      state.SkipWithError(std::string(r.status().message()).c_str());
      return;
    }
    benchmark::DoNotOptimize(r);
  }
  // customer 4 + invoice_date 4 + due 4 + amount 8 + paid 8 + paid_date 4.
  SetCounters(state, static_cast<std::int64_t>(data.invoices.size()), 32);
}
BENCHMARK(BM_Aging)
    ->ArgNames({"invoices", "threads"})
    ->ArgsProduct({{1'000'000, 10'000'000}, {1, 2}})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->MeasureProcessCPUTime();

void BM_Collection(benchmark::State& state) {
  const SampleData& data = Sample(state.range(0));
  CollectionOptions o;
  o.as_of = data.as_of;
  o.from = data.as_of - 91;  // 2024-07-01 .. 2024-09-30
  o.num_threads = static_cast<int>(state.range(1));
  for (auto _ : state) {
    auto r = ComputeCollection(Dataset::Of(data.invoices), o);
    if (!r.ok()) {
      state.SkipWithError(std::string(r.status().message()).c_str());
      return;
    }
    benchmark::DoNotOptimize(r);
  }
  // salesperson 2 + invoice_date 4 + due 4 + amount 8 + paid 8 + paid_date 4.
  SetCounters(state, static_cast<std::int64_t>(data.invoices.size()), 30);
}
BENCHMARK(BM_Collection)
    ->ArgNames({"invoices", "threads"})
    ->ArgsProduct({{1'000'000, 10'000'000}, {1, 2}})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->MeasureProcessCPUTime();

void BM_AgingPayments(benchmark::State& state) {
  const SampleData& data = Sample(state.range(0));
  AgingOptions o;
  o.as_of = data.as_of;
  o.num_threads = static_cast<int>(state.range(1));
  DatasetTables tables;
  tables.invoices = std::shared_ptr<const Invoices>(&data.invoices, [](const Invoices*) {});
  tables.payments = std::shared_ptr<const Payments>(&data.payments, [](const Payments*) {});
  const Dataset with_payments = Dataset::Build(std::move(tables)).value();
  for (auto _ : state) {
    auto r = ComputeAging(with_payments, o);
    if (!r.ok()) {
      state.SkipWithError(std::string(r.status().message()).c_str());
      return;
    }
    benchmark::DoNotOptimize(r);
  }
  SetCounters(state, static_cast<std::int64_t>(data.invoices.size()), 32);
}
BENCHMARK(BM_AgingPayments)
    ->ArgNames({"invoices", "threads"})
    ->ArgsProduct({{1'000'000}, {1, 2}})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->MeasureProcessCPUTime();

}  // namespace
}  // namespace salesight
