// The C ABI path beside the C++ path, on the same data and options
// (WORKLOADS.md (a) RFM on the bundled sample):
//   BM_RfmCpp       ComputeRfm on the OrderLines (what benchmarks/rfm_benchmark.cpp times)
//   BM_RfmCppTable  ComputeRfm + ToResultTable (the rows the CLI and the C ABI hand out)
//   BM_RfmCapi      through salesight.h: a table borrowing the four columns, then
//                   salesight_rfm_compute, then destroy - what an ERP vendor pays
//   BM_RfmCapiWide  the same from the dtypes a pandas export has: int64 customer
//                   ids and datetime64[ns] order dates, which the table builder
//                   narrows to int32 ids and days (what salesight.rfm pays, bar
//                   Python itself: tests/python/overhead.py compares the two)
//   BM_LatencyCapi* one WORKLOADS.md workload per call at 10^4 lines (below)
// Args {order lines, threads}. Data generation is outside the timing.
//   salesight_capi_benchmark --benchmark_repetitions=5
#include <cstdint>
#include <cstdlib>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "benchmark/benchmark.h"
#include "salesight.h"
#include "salesight/rfm.hpp"
#include "salesight/sample.hpp"

namespace {

const salesight::SampleData& Sample(std::int64_t order_lines) {
  static std::unique_ptr<salesight::SampleData> slot;
  if (!slot || slot->orders.size() != static_cast<std::size_t>(order_lines)) {
    slot.reset();
    salesight::SampleOptions o;
    o.order_lines = order_lines;
    o.num_threads = 2;
    auto data = salesight::GenerateSample(o);
    if (!data.ok()) std::abort();
    slot = std::make_unique<salesight::SampleData>(*std::move(data));
  }
  return *slot;
}

void Counters(benchmark::State& state, std::int64_t rows) {
  state.SetItemsProcessed(state.iterations() * rows);
  state.SetBytesProcessed(state.iterations() * rows * 24);
}

void BM_RfmCpp(benchmark::State& state) {
  const auto& data = Sample(state.range(0));
  auto options = salesight::RfmOptionsForWorkload(19996, static_cast<int>(state.range(1)));
  for (auto _ : state) {
    auto r = salesight::ComputeRfm(data.orders, options);
    if (!r.ok()) return state.SkipWithError(std::string(r.status().message()).c_str());
    benchmark::DoNotOptimize(r->scores.data());
  }
  Counters(state, static_cast<std::int64_t>(data.orders.size()));
}

void BM_RfmCppTable(benchmark::State& state) {
  const auto& data = Sample(state.range(0));
  auto options = salesight::RfmOptionsForWorkload(19996, static_cast<int>(state.range(1)));
  for (auto _ : state) {
    auto r = salesight::ComputeRfm(data.orders, options);
    if (!r.ok()) return state.SkipWithError(std::string(r.status().message()).c_str());
    salesight::ResultTable t = salesight::ToResultTable(*r);
    benchmark::DoNotOptimize(t.num_rows());
  }
  Counters(state, static_cast<std::int64_t>(data.orders.size()));
}

// The four ORDERS columns as an ERP vendor or pandas hands them over.
struct OrdersInput {
  salesight_type customer_type, date_type;
  const void* customer;
  const void* order_date;
};

void RunRfmCapi(benchmark::State& state, const OrdersInput& in) {
  const auto& data = Sample(state.range(0));
  const auto& c = data.orders.columns();
  const auto n = static_cast<int64_t>(data.orders.size());
  salesight_rfm_options o;
  salesight_rfm_options_init(&o, sizeof o);
  o.as_of = 19996;
  o.scoring = SALESIGHT_RFM_SCORING_NTILE;
  o.segments = SALESIGHT_RFM_SEGMENTS_WORKLOAD;
  o.all_lines_are_purchases = 1;
  o.num_threads = static_cast<int32_t>(state.range(1));
  for (auto _ : state) {
    salesight_table_builder* b = nullptr;
    salesight_table* t = nullptr;
    salesight_result* r = nullptr;
    if (salesight_table_builder_create(SALESIGHT_TABLE_ORDERS, &b) ||
        salesight_table_builder_add_column(b, "order_id", SALESIGHT_TYPE_INT64, c.order_id.data(),
                                           n, nullptr, SALESIGHT_BORROW) ||
        salesight_table_builder_add_column(b, "customer", in.customer_type, in.customer, n,
                                           nullptr, SALESIGHT_BORROW) ||
        salesight_table_builder_add_column(b, "order_date", in.date_type, in.order_date, n,
                                           nullptr, SALESIGHT_BORROW) ||
        salesight_table_builder_add_column(b, "amount", SALESIGHT_TYPE_MONEY, c.amount.data(), n,
                                           nullptr, SALESIGHT_BORROW) ||
        salesight_table_builder_finish(b, &t) || salesight_rfm_compute(t, &o, &r)) {
      state.SkipWithError(salesight_last_error());
      salesight_table_builder_destroy(b);
      salesight_table_destroy(t);
      return;
    }
    benchmark::DoNotOptimize(r);
    salesight_result_destroy(r);
    salesight_table_destroy(t);
    salesight_table_builder_destroy(b);
  }
  Counters(state, n);
}

void BM_RfmCapi(benchmark::State& state) {
  const auto& c = Sample(state.range(0)).orders.columns();
  RunRfmCapi(state, {SALESIGHT_TYPE_INT32, SALESIGHT_TYPE_DATE, c.customer.data(),
                     c.order_date.data()});
}

void BM_RfmCapiWide(benchmark::State& state) {
  const auto& c = Sample(state.range(0)).orders.columns();
  // Made once per size, outside the timing (as the DataFrame is in Python).
  static std::vector<std::int64_t> customer, order_ns;
  if (customer.size() != c.customer.size()) {
    customer.assign(c.customer.begin(), c.customer.end());
    order_ns.resize(c.order_date.size());
    for (std::size_t i = 0; i < order_ns.size(); ++i) {
      order_ns[i] = std::int64_t{c.order_date[i]} * 86'400'000'000'000;
    }
  }
  RunRfmCapi(state, {SALESIGHT_TYPE_INT64, SALESIGHT_TYPE_TIMESTAMP_NS, customer.data(),
                     order_ns.data()});
}

// Latency of one workload call on small data (issue 19: <= 200 us per call
// on 10^4 lines from C): WORKLOADS.md (a)-(e) as the C calls a vendor makes
// on tables it already holds (the sample's, through salesight_sample_table),
// each output's compute + result destroy timed. Args {order lines, threads}.
struct SampleTables {
  salesight_table* orders = nullptr;
  salesight_table* pipeline = nullptr;
  salesight_table* invoices = nullptr;
  int32_t as_of = 0;
};

const SampleTables& CapiSample(int64_t order_lines) {
  static std::int64_t lines = -1;
  static SampleTables t;
  if (lines != order_lines) {
    salesight_table_destroy(t.orders);
    salesight_table_destroy(t.pipeline);
    salesight_table_destroy(t.invoices);
    salesight_sample_options o;
    salesight_sample_options_init(&o, sizeof o);
    o.order_lines = order_lines;
    o.num_threads = 2;
    salesight_sample* s = nullptr;
    if (salesight_sample_generate(&o, &s) ||
        salesight_sample_table(s, SALESIGHT_TABLE_ORDERS, &t.orders) ||
        salesight_sample_table(s, SALESIGHT_TABLE_PIPELINE, &t.pipeline) ||
        salesight_sample_table(s, SALESIGHT_TABLE_INVOICES, &t.invoices) ||
        salesight_sample_as_of(s, &t.as_of)) {
      std::abort();
    }
    salesight_sample_destroy(s);
    lines = order_lines;
  }
  return t;
}

// Runs `call` (one output: returns its status, fills the result) per output
// of the workload in each iteration.
template <typename... Calls>
void RunOutputs(benchmark::State& state, const Calls&... calls) {
  for (auto _ : state) {
    for (const auto& call : {std::function<salesight_status(salesight_result**)>(calls)...}) {
      salesight_result* r = nullptr;
      if (call(&r)) return state.SkipWithError(salesight_last_error());
      benchmark::DoNotOptimize(r);
      salesight_result_destroy(r);
    }
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}

void BM_LatencyCapiRfm(benchmark::State& state) {
  const SampleTables& t = CapiSample(state.range(0));
  salesight_rfm_options o;
  salesight_rfm_options_init(&o, sizeof o);
  o.as_of = t.as_of;
  o.scoring = SALESIGHT_RFM_SCORING_NTILE;
  o.segments = SALESIGHT_RFM_SEGMENTS_WORKLOAD;
  o.all_lines_are_purchases = 1;
  o.num_threads = static_cast<int32_t>(state.range(1));
  RunOutputs(state, [&](salesight_result** r) { return salesight_rfm_compute(t.orders, &o, r); });
}

void BM_LatencyCapiFunnel(benchmark::State& state) {
  const SampleTables& t = CapiSample(state.range(0));
  salesight_funnel_options overall, group;
  salesight_funnel_options_init(&overall, sizeof overall);
  overall.output = SALESIGHT_FUNNEL_OUTPUT_WORKLOAD_OVERALL;
  overall.num_threads = static_cast<int32_t>(state.range(1));
  group = overall;
  group.output = SALESIGHT_FUNNEL_OUTPUT_WORKLOAD_GROUP;
  RunOutputs(
      state,
      [&](salesight_result** r) { return salesight_funnel_compute(t.pipeline, &overall, r); },
      [&](salesight_result** r) { return salesight_funnel_compute(t.pipeline, &group, r); });
}

void BM_LatencyCapiMargin(benchmark::State& state) {
  const SampleTables& t = CapiSample(state.range(0));
  salesight_margin_options product, top, region_month;
  salesight_margin_options_init(&product, sizeof product);
  product.group_by = "product";
  product.unknown_cost_error = 1;
  product.num_threads = static_cast<int32_t>(state.range(1));
  top = product;
  top.output = SALESIGHT_MARGIN_OUTPUT_RANKING;
  top.rank_n = 20;
  region_month = product;
  region_month.group_by = "region,month";
  RunOutputs(
      state,
      [&](salesight_result** r) {
        return salesight_margin_compute(t.orders, nullptr, &product, r);
      },
      [&](salesight_result** r) { return salesight_margin_compute(t.orders, nullptr, &top, r); },
      [&](salesight_result** r) {
        return salesight_margin_compute(t.orders, nullptr, &region_month, r);
      });
}

void BM_LatencyCapiAr(benchmark::State& state) {
  const SampleTables& t = CapiSample(state.range(0));
  salesight_aging_options aging, collection;
  salesight_aging_options_init(&aging, sizeof aging);
  aging.as_of = t.as_of;
  aging.num_threads = static_cast<int32_t>(state.range(1));
  collection = aging;
  collection.output = SALESIGHT_AGING_OUTPUT_COLLECTION;
  collection.rate_only = 1;
  RunOutputs(
      state,
      [&](salesight_result** r) { return salesight_aging_compute(t.invoices, nullptr, &aging, r); },
      [&](salesight_result** r) {
        return salesight_aging_compute(t.invoices, nullptr, &collection, r);
      });
}

void BM_LatencyCapiTrend(benchmark::State& state) {
  const SampleTables& t = CapiSample(state.range(0));
  salesight_trend_options month, week;
  salesight_trend_options_init(&month, sizeof month);
  month.emit_empty_periods = 0;
  month.with_margin = 0;
  month.count_orders = 0;
  month.num_threads = static_cast<int32_t>(state.range(1));
  week = month;
  week.grain = SALESIGHT_PERIOD_WEEK;
  auto trend = [&](const salesight_trend_options& o, salesight_result** r) {
    return salesight_trend_compute(t.orders, nullptr, nullptr, nullptr, nullptr, &o, r);
  };
  RunOutputs(
      state, [&](salesight_result** r) { return trend(month, r); },
      [&](salesight_result** r) { return trend(week, r); });
}

BENCHMARK(BM_RfmCpp)->ArgsProduct({{1'000'000, 10'000'000}, {1, 2}})->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_RfmCppTable)->ArgsProduct({{1'000'000, 10'000'000}, {1, 2}})->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_RfmCapi)->ArgsProduct({{1'000'000, 10'000'000}, {1, 2}})->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_RfmCapiWide)->ArgsProduct({{1'000'000, 10'000'000}, {1, 2}})->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_RfmCapi)->ArgsProduct({{10'000}, {1, 2}})->Unit(benchmark::kMicrosecond)->UseRealTime();
BENCHMARK(BM_LatencyCapiRfm)->ArgsProduct({{10'000}, {1, 2}})->Unit(benchmark::kMicrosecond)->UseRealTime();
BENCHMARK(BM_LatencyCapiFunnel)->ArgsProduct({{10'000}, {1, 2}})->Unit(benchmark::kMicrosecond)->UseRealTime();
BENCHMARK(BM_LatencyCapiMargin)->ArgsProduct({{10'000}, {1, 2}})->Unit(benchmark::kMicrosecond)->UseRealTime();
BENCHMARK(BM_LatencyCapiAr)->ArgsProduct({{10'000}, {1, 2}})->Unit(benchmark::kMicrosecond)->UseRealTime();
BENCHMARK(BM_LatencyCapiTrend)->ArgsProduct({{10'000}, {1, 2}})->Unit(benchmark::kMicrosecond)->UseRealTime();

}  // namespace
