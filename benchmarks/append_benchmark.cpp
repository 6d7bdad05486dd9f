// BM_DatasetAppend (issue 14 item 5): 10^4 order lines appended to the 10^7
// of the generated sample (orders + customers + products) whose indexes a
// drill query built, then the drill query again (bench query 4: one region,
// one quarter, by product, through the indexes). Timed per iteration:
// append + query; counters: append_ms (mean wall per append), append_max_ms,
// first_append_ms (the first append copies the lines into growing columns:
// once per dataset, not timed in the loop), index_bytes_per_line at the end.
// batch_dict:1 codes the batch's customers with its own dictionary (10 of
// them new to the dataset, matched by code as the C ABI's tables are), 0
// shares the dataset's. A fixed 100 iterations (10^6 lines appended, past a
// sixteenth of the lines: one index rebuild by a query is inside the loop).
#include <time.h>

#include <algorithm>
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "bench_sample.hpp"
#include "benchmark/benchmark.h"
#include "salesight/dataset.hpp"
#include "salesight/query.hpp"

namespace salesight {
namespace {

constexpr std::size_t kBatch = 10'000;

const char* const kDrillQuery =
    R"({"measures": ["revenue", "margin", "lines"], "dimensions": ["product"],
        "filters": [{"member": "region", "op": "equals", "values": ["华东"]}],
        "time": {"dimension": "order_date", "range": ["2024-04-01", "2024-06-30"]}})";

// The sample's last kBatch lines as a batch (borrowed columns), dated the
// day after the last; with own_dictionary its customers coded by a
// dictionary of their own codes, 10 of them new (the first 10 lines').
OrderLines Batch(const OrderLines& orders, bool own_dictionary) {
  const OrderLinesColumns& c = orders.columns();
  const std::size_t from = orders.size() - kBatch;
  OrderLinesColumns b;
  b.money_scale = c.money_scale;
  b.order_id = Column<std::int64_t>::Borrow(c.order_id.span().subspan(from));
  if (!c.line.empty()) b.line = Column<std::int32_t>::Borrow(c.line.span().subspan(from));
  // Today's orders: the day after the last, so the lines stay in date order.
  b.order_date = Column<Day>::Own(std::vector<Day>(kBatch, orders.max_date() + 1));
  b.product = Column<Id>::Borrow(c.product.span().subspan(from));
  b.products = c.products;
  if (!c.region.empty()) b.region = Column<Id>::Borrow(c.region.span().subspan(from));
  b.regions = c.regions;
  if (!c.salesperson.empty()) {
    b.salesperson = Column<Id>::Borrow(c.salesperson.span().subspan(from));
  }
  b.salespeople = c.salespeople;
  if (!c.quantity.empty()) {
    b.quantity = Column<std::int32_t>::Borrow(c.quantity.span().subspan(from));
  }
  b.amount = Column<Money>::Borrow(c.amount.span().subspan(from));
  if (!c.cost.empty()) b.cost = Column<Money>::Borrow(c.cost.span().subspan(from));
  if (!c.unit_cost.empty()) {
    b.unit_cost = Column<Money>::Borrow(c.unit_cost.span().subspan(from));
  }
  if (!c.channel.empty()) b.channel = Column<Id>::Borrow(c.channel.span().subspan(from));
  b.channels = c.channels;
  if (!c.department.empty()) {
    b.department = Column<Id>::Borrow(c.department.span().subspan(from));
  }
  b.departments = c.departments;
  b.orders = c.orders;
  for (const AttributeColumn& a : c.attributes) {
    b.attributes.push_back(
        AttributeColumn{a.name, Column<Id>::Borrow(a.codes.span().subspan(from)), a.dictionary});
  }
  b.customers = c.customers;
  b.customer = Column<Id>::Borrow(c.customer.span().subspan(from));
  if (own_dictionary) {
    Dictionary dict;
    std::vector<Id> ids;
    for (std::size_t i = from; i < orders.size(); ++i) {
      const std::string code = i < from + 10 ? absl::StrCat("NEW-", i - from)
                                             : std::string(c.customers->Code(c.customer[i]));
      ids.push_back(*dict.Intern(code));
    }
    b.customer = Column<Id>::Own(std::move(ids));
    b.customers = std::make_shared<const Dictionary>(std::move(dict));
  }
  return *OrderLines::Build(std::move(b));
}

void BM_DatasetAppend(benchmark::State& state) {
  Dataset data = CachedDataset(state.range(0), kWithMasters);  // a copy: the cache's stays
  const OrderLines batch = Batch(*data.orders(), state.range(1) != 0);
  const QuerySpec spec = *ParseQuerySpec(kDrillQuery);
  if (!RunQuery(data, spec).ok()) {  // builds the region postings and the date order
    state.SkipWithError("drill query");
    return;
  }
  using Clock = std::chrono::steady_clock;
  auto ms = [](Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); };
  // This thread's CPU time (the machine is shared: wall time is inflated).
  auto cpu_ms = [] {
    timespec t{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return static_cast<double>(t.tv_sec) * 1e3 + static_cast<double>(t.tv_nsec) / 1e6;
  };
  const Clock::time_point first = Clock::now();
  const double first_cpu = cpu_ms();
  if (!data.AppendOrders(batch).ok()) {
    state.SkipWithError("append");
    return;
  }
  const double first_ms = ms(Clock::now() - first), first_cpu_ms = cpu_ms() - first_cpu;
  double total_ms = 0, max_ms = 0, total_cpu_ms = 0, max_cpu_ms = 0;
  for (auto _ : state) {
    const Clock::time_point t0 = Clock::now();
    const double c0 = cpu_ms();
    const absl::Status s = data.AppendOrders(batch);
    const double one = ms(Clock::now() - t0), one_cpu = cpu_ms() - c0;
    total_ms += one;
    max_ms = std::max(max_ms, one);
    total_cpu_ms += one_cpu;
    max_cpu_ms = std::max(max_cpu_ms, one_cpu);
    absl::StatusOr<QueryResult> r = RunQuery(data, spec);
    if (!s.ok() || !r.ok()) {
      state.SkipWithError("append or query");
      return;
    }
    benchmark::DoNotOptimize(r);
  }
  const auto lines = static_cast<double>(data.orders()->size());
  state.counters["append_ms"] = total_ms / static_cast<double>(state.iterations());
  state.counters["append_max_ms"] = max_ms;
  state.counters["first_append_ms"] = first_ms;
  state.counters["append_cpu_ms"] = total_cpu_ms / static_cast<double>(state.iterations());
  state.counters["append_max_cpu_ms"] = max_cpu_ms;
  state.counters["first_append_cpu_ms"] = first_cpu_ms;
  state.counters["index_bytes_per_line"] = static_cast<double>(data.IndexBytes()) / lines;
}
BENCHMARK(BM_DatasetAppend)
    ->ArgNames({"lines", "batch_dict"})
    ->ArgsProduct({{10'000'000}, {0, 1}})
    ->Iterations(100)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace
}  // namespace salesight
