// RFM with CLV: the BTYD summary built in the RFM scan itself
// (src/rfm/internal/btyd_scan.hpp) against the former second pass.
//   BM_RfmBtydSummary: the scan side only (the fit and predictions are the
//     same either way). mode 0 = the RFM state alone (BuildState); 1 = the
//     RFM state and the summary from the same scan; 2 = the RFM state, then
//     ComputeBtydSummary's own pass over the lines (the former path).
//     shuffled 1: the rows in random order (the distinct days are then
//     recounted: see btyd_scan.hpp); the sample itself is date-sorted.
//   BM_RfmClv: ComputeRfm with the default options on the sample with churn
//     (below), clv 0 = no clv_model, 1 = clv_model bgnbd (fit and
//     predictions included).
//   Args {order lines, threads, ...}. The 10^7 cases are registered; run
//   them alone (--benchmark_filter='RfmBtyd.*/lines:10000000') on a busy machine.
#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <map>
#include <numeric>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "bench_sample.hpp"
#include "benchmark/benchmark.h"
#include "rfm/internal/btyd_scan.hpp"
#include "rfm/internal/partial.hpp"
#include "salesight/btyd.hpp"
#include "salesight/rfm.hpp"

namespace salesight {
namespace {

// The sample's order lines, rows permuted (shuffle) or each customer's lines
// after a "death" day dropped (churn: nobody churns in the sample, so no
// BTYD model can be fitted on it; this makes it fittable). Generated once per
// size and kind.
enum class Variant { kShuffled, kChurned };

const OrderLines& Derived(std::int64_t lines, Variant v) {
  static std::map<std::pair<std::int64_t, Variant>, std::unique_ptr<OrderLines>> cache;
  std::unique_ptr<OrderLines>& slot = cache[{lines, v}];
  if (!slot) {
    const OrderLines& all = CachedSample(lines).orders;
    const OrderLinesColumns& c = all.columns();
    std::vector<std::size_t> rows;
    if (v == Variant::kShuffled) {
      rows.resize(c.customer.size());
      std::iota(rows.begin(), rows.end(), std::size_t{0});
      std::shuffle(rows.begin(), rows.end(), std::mt19937_64(42));
    } else {
      const Day span = all.max_date() - all.min_date() + 1;
      for (std::size_t i = 0; i < c.customer.size(); ++i) {
        const std::uint64_t h =
            static_cast<std::uint64_t>(c.customer[i]) * 0x9E3779B97F4A7C15ull >> 20;
        if (c.order_date[i] <= all.min_date() + static_cast<Day>(h % static_cast<std::uint64_t>(span))) {
          rows.push_back(i);
        }
      }
    }
    std::vector<std::int64_t> order(rows.size());
    std::vector<Day> day(rows.size());
    std::vector<Id> customer(rows.size());
    std::vector<Money> amount(rows.size());
    for (std::size_t i = 0; i < rows.size(); ++i) {
      order[i] = c.order_id[rows[i]];
      day[i] = c.order_date[rows[i]];
      customer[i] = c.customer[rows[i]];
      amount[i] = c.amount[rows[i]];
    }
    OrderLinesColumns s;
    s.order_id = Column<std::int64_t>::Own(std::move(order));
    s.order_date = Column<Day>::Own(std::move(day));
    s.customer = Column<Id>::Own(std::move(customer));
    s.amount = Column<Money>::Own(std::move(amount));
    s.money_scale = all.money_scale();
    s.customers = c.customers;
    absl::StatusOr<OrderLines> t = OrderLines::Build(std::move(s));
    if (!t.ok()) std::abort();
    slot = std::make_unique<OrderLines>(*std::move(t));
  }
  return *slot;
}

void BM_RfmBtydSummary(benchmark::State& state) {
  const OrderLines& orders =
      state.range(3) ? Derived(state.range(0), Variant::kShuffled) : CachedSample(state.range(0)).orders;
  RfmOptions o;
  o.as_of = orders.max_date() + 1;
  o.num_threads = static_cast<int>(state.range(1));
  const int mode = static_cast<int>(state.range(2));
  std::size_t customers = 0;
  for (auto _ : state) {
    rfm_internal::BtydScan scan;
    absl::StatusOr<RfmPartial> rfm = rfm_internal::BuildState(orders, o, mode == 1 ? &scan : nullptr);
    if (!rfm.ok()) {
      state.SkipWithError(std::string(rfm.status().message()).c_str());
      return;
    }
    absl::StatusOr<BtydSummary> s = BtydSummary();
    if (mode == 1) {
      s = rfm_internal::BtydSummaryFromScan(orders, std::move(scan), o.as_of, BtydTimeUnit::kWeeks,
                                            o.num_threads);
    } else if (mode == 2) {
      s = ComputeBtydSummary(orders, {.observation_end = o.as_of, .unit = BtydTimeUnit::kWeeks,
                                      .num_threads = o.num_threads});
    }
    if (!s.ok()) {
      state.SkipWithError(std::string(s.status().message()).c_str());
      return;
    }
    customers = s->customer.size();
    benchmark::DoNotOptimize(s->frequency.data());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(orders.size()));
  state.counters["summary_rows"] = static_cast<double>(customers);
}
BENCHMARK(BM_RfmBtydSummary)
    ->ArgsProduct({{1'000'000, 10'000'000}, {1, 2}, {0, 1, 2}, {0}})
    ->ArgsProduct({{1'000'000}, {1, 2}, {0, 1, 2}, {1}})
    ->ArgNames({"lines", "threads", "mode", "shuffled"})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

void BM_RfmClv(benchmark::State& state) {
  const OrderLines& orders = Derived(state.range(0), Variant::kChurned);
  RfmOptions o;
  o.num_threads = static_cast<int>(state.range(1));
  if (state.range(2)) o.clv.model = RfmClvModel::kBgNbd;
  for (auto _ : state) {
    absl::StatusOr<RfmResult> r = ComputeRfm(orders, o);
    if (!r.ok()) {
      state.SkipWithError(std::string(r.status().message()).c_str());
      return;
    }
    benchmark::DoNotOptimize(r->scores.data());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(orders.size()));
  state.counters["used_lines"] = static_cast<double>(orders.size());
}
BENCHMARK(BM_RfmClv)
    ->ArgsProduct({{1'000'000, 10'000'000}, {1, 2}, {0, 1}})
    ->ArgNames({"lines", "threads", "clv"})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace
}  // namespace salesight
