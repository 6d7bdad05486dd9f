// Building an ORDERS table through the C ABI from foreign columns, as the
// Python layer does for salesight.rfm(df): order_id INT64, customer, order_date,
// amount MONEY, all SALESIGHT_BORROW without validity bitmaps, then
// salesight_table_builder_finish (every table invariant is checked there).
//   BM_BuildOrders/<customer type>/<date type>: Args {order lines, threads}
//   (threads: salesight_table_builder_set_num_threads; 1 = the default)
//     Int64_TimestampNs  pandas' int64 ids + datetime64[ns] dates (two conversions)
//     Int64_Date         int64 ids (narrowed) + int32 days (borrowed)
//     Int32_TimestampNs  int32 ids (borrowed) + datetime64[ns] (converted)
//     Int32_Date         nothing to convert: only the finish-time checks
//
//   salesight_benchmarks --benchmark_filter=BM_BuildOrders --benchmark_repetitions=5
//
// The columns come from the bundled sample (bench_sample.hpp), widened once
// outside the timing: customer ids to int64, days to nanoseconds since the
// epoch plus a time of day (so the floor division has remainders to drop).
// Bytes: the input columns read, order_id 8 + customer 4|8 + order_date 4|8 +
// amount 8.
#include <cstdint>
#include <map>
#include <memory>
#include <vector>

#include "bench_sample.hpp"
#include "benchmark/benchmark.h"
#include "salesight.h"

namespace salesight {
namespace {

struct ForeignOrders {
  std::vector<std::int64_t> customer64;
  std::vector<std::int64_t> date_ns;
};

const ForeignOrders& Foreign(std::int64_t lines) {
  static std::map<std::int64_t, std::unique_ptr<ForeignOrders>> cache;
  std::unique_ptr<ForeignOrders>& slot = cache[lines];
  if (!slot) {
    const OrderLinesColumns& c = CachedSample(lines).orders.columns();
    slot = std::make_unique<ForeignOrders>();
    slot->customer64.assign(c.customer.begin(), c.customer.end());
    slot->date_ns.resize(c.order_date.size());
    constexpr std::int64_t kNsPerDay = 86'400'000'000'000;
    for (std::size_t i = 0; i < c.order_date.size(); ++i) {
      // A time of day that varies by row: 0..86399 s.
      const auto seconds = static_cast<std::int64_t>((i * 7919) % 86'400);
      slot->date_ns[i] = c.order_date[i] * kNsPerDay + seconds * 1'000'000'000;
    }
  }
  return *slot;
}

void BM_BuildOrders(benchmark::State& state, bool customer64, bool timestamps) {
  const std::int64_t lines = state.range(0);
  const auto threads = static_cast<int32_t>(state.range(1));
  const OrderLinesColumns& c = CachedSample(lines).orders.columns();
  const ForeignOrders& f = Foreign(lines);
  const auto n = static_cast<int64_t>(c.order_id.size());
  const void* customer = customer64 ? static_cast<const void*>(f.customer64.data())
                                    : static_cast<const void*>(c.customer.data());
  const void* date = timestamps ? static_cast<const void*>(f.date_ns.data())
                                : static_cast<const void*>(c.order_date.data());
  const salesight_type customer_type = customer64 ? SALESIGHT_TYPE_INT64 : SALESIGHT_TYPE_INT32;
  const salesight_type date_type = timestamps ? SALESIGHT_TYPE_TIMESTAMP_NS : SALESIGHT_TYPE_DATE;
  for (auto _ : state) {
    salesight_table_builder* b = nullptr;
    salesight_table* t = nullptr;
    if (salesight_table_builder_create(SALESIGHT_TABLE_ORDERS, &b) ||
        salesight_table_builder_set_num_threads(b, threads) ||
        salesight_table_builder_add_column(b, "order_id", SALESIGHT_TYPE_INT64,
                                           c.order_id.data(), n, nullptr, SALESIGHT_BORROW) ||
        salesight_table_builder_add_column(b, "customer", customer_type, customer, n, nullptr,
                                           SALESIGHT_BORROW) ||
        salesight_table_builder_add_column(b, "order_date", date_type, date, n, nullptr,
                                           SALESIGHT_BORROW) ||
        salesight_table_builder_add_column(b, "amount", SALESIGHT_TYPE_MONEY, c.amount.data(), n,
                                           nullptr, SALESIGHT_BORROW) ||
        salesight_table_builder_finish(b, &t)) {
      state.SkipWithError(salesight_last_error());
      salesight_table_builder_destroy(b);
      return;
    }
    benchmark::DoNotOptimize(t);
    salesight_table_destroy(t);
    salesight_table_builder_destroy(b);
  }
  state.SetItemsProcessed(state.iterations() * n);
  state.SetBytesProcessed(state.iterations() * n *
                          (8 + (customer64 ? 8 : 4) + (timestamps ? 8 : 4) + 8));
}

void Sizes(benchmark::internal::Benchmark* b) {
  b->ArgNames({"lines", "threads"})->ArgsProduct({{1'000'000, 10'000'000}, {1, 2}});
  b->Unit(benchmark::kMillisecond)->UseRealTime();
}

BENCHMARK_CAPTURE(BM_BuildOrders, Int64_TimestampNs, true, true)->Apply(Sizes);
BENCHMARK_CAPTURE(BM_BuildOrders, Int64_Date, true, false)->Apply(Sizes);
BENCHMARK_CAPTURE(BM_BuildOrders, Int32_TimestampNs, false, true)->Apply(Sizes);
BENCHMARK_CAPTURE(BM_BuildOrders, Int32_Date, false, false)->Apply(Sizes);

}  // namespace
}  // namespace salesight
