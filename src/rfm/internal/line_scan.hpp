// RFM's line scan: the pieces its two ways share. The direct scan
// (partial.cpp) adds each line into the dense per-customer state where it
// stands; the partitioned scan (partitioned_scan.cpp) first sorts the lines by
// customer block into buffers, then adds them block by block, so that the
// accumulators it hits at random fit in L2. Both add every customer's lines in
// row order: the states are equal field for field.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <type_traits>

#include "rfm.hpp"

namespace salesight::rfm_internal {

inline constexpr std::size_t kNoRow = std::numeric_limits<std::size_t>::max();

// Bounds of the used lines: [lo, hi] inclusive.
struct Filter {
  Day lo = std::numeric_limits<Day>::min();
  Day hi = std::numeric_limits<Day>::max();
  bool active() const {
    return lo != std::numeric_limits<Day>::min() || hi != std::numeric_limits<Day>::max();
  }
  bool Keeps(Day d) const { return d <= hi && d >= lo; }
};

inline Filter MakeFilter(Day as_of, std::int32_t window_days) {
  Filter f;
  if (as_of != kNoDate) {
    f.hi = as_of;
    if (window_days > 0) f.lo = as_of - window_days;
  }
  return f;
}

struct ScanStats {
  std::int64_t future = 0, before = 0, return_lines = 0;
  bool sorted = true;
  bool overflow = false;
  bool btyd_late = false;  // a BTYD line before its customer's last day (BtydScan)
  // kOrders: the counted order ids in row order form blocks of equal ids.
  bool has_orders = false;
  std::int64_t first_key = 0, last_key = 0;
  std::size_t first_block_row = kNoRow, second_block_row = kNoRow, last_block_row = kNoRow;
};

// The monetary value of a line: revenue or margin.
struct AmountSource {
  const Money* amount;
  Money operator()(std::size_t i) const { return amount[i]; }
};
struct CostSource {
  const Money* amount;
  const Money* cost;
  Money operator()(std::size_t i) const { return amount[i] - cost[i]; }
};
struct UnitCostSource {
  const Money* amount;
  const std::int32_t* quantity;
  const Money* unit_cost;
  Money operator()(std::size_t i) const { return amount[i] - quantity[i] * unit_cost[i]; }
};

// Calls fn(source, kOrders, kAllLines, kFilter) with the value source of
// `o.monetary` and the three kinds as std::bool_constant: one kernel
// instantiation per combination, chosen once per scan.
template <typename Fn>
void DispatchScanKinds(const OrderLines& t, const RfmOptions& o, bool filter, Fn&& fn) {
  const OrderLinesColumns& c = t.columns();
  auto with_kinds = [&](auto source) {
    const bool orders = o.frequency == RfmFrequency::kOrders;
    const bool all = o.purchase == RfmPurchase::kAllLines;
    auto with_filter = [&](auto kOrders, auto kAll) {
      if (filter) return fn(source, kOrders, kAll, std::true_type{});
      return fn(source, kOrders, kAll, std::false_type{});
    };
    if (orders && all) return with_filter(std::true_type{}, std::true_type{});
    if (orders) return with_filter(std::true_type{}, std::false_type{});
    if (all) return with_filter(std::false_type{}, std::true_type{});
    return with_filter(std::false_type{}, std::false_type{});
  };
  if (o.monetary == RfmMonetary::kRevenue) return with_kinds(AmountSource{c.amount.data()});
  if (!c.cost.empty()) return with_kinds(CostSource{c.amount.data(), c.cost.data()});
  return with_kinds(UnitCostSource{c.amount.data(), c.quantity.data(), c.unit_cost.data()});
}

// kOrders, after a scan of rows [begin, end) with counted lines (kept by `f`,
// purchases or all lines): the first counted order id, its first row and the
// first later counted row with another id (kNoRow if none).
// `day_at(i)`: row i's order day (the table's column, or the caller's wide
// timestamps: rfm_wide.hpp).
template <typename DayAt>
void FindFirstBlock(const OrderLines& t, DayAt day_at, std::size_t begin, std::size_t end,
                    Filter f, bool all_lines, ScanStats& st) {
  const Money* amount = t.columns().amount.data();
  const std::int64_t* order = t.columns().order_id.data();
  auto counted = [&](std::size_t i) { return f.Keeps(day_at(i)) && (all_lines || amount[i] >= 0); };
  std::size_t first_row = begin;
  while (!counted(first_row)) ++first_row;
  std::size_t second_row = first_row + 1;
  while (second_row < end && !(counted(second_row) && order[second_row] != order[first_row])) {
    ++second_row;
  }
  st.first_key = order[first_row];
  st.first_block_row = first_row;
  st.second_block_row = second_row < end ? second_row : kNoRow;
}
inline void FindFirstBlock(const OrderLines& t, std::size_t begin, std::size_t end, Filter f,
                           bool all_lines, ScanStats& st) {
  const Day* day = t.columns().order_date.data();
  FindFirstBlock(t, [day](std::size_t i) { return day[i]; }, begin, end, f, all_lines, st);
}

// How BuildState scans. kAuto chooses by size (PartitionedScanPays); tests
// force either way, and small blocks and chunks, on the same lines.
struct ScanChoice {
  enum class Path { kAuto, kDirect, kPartitioned };
  Path path = Path::kAuto;
  int customer_bits = 0;       // partitioned: 2^bits customers per block (0: from the L2 size)
  std::size_t chunk_rows = 0;  // partitioned: lines per partition pass (0: by size)
};

// The calling CPU's L2 size (Linux sysfs, else 512 KiB); large_array.cpp.
std::size_t L2CacheBytes();

// Whether the partitioned scan is the faster way for `rows` lines into
// `customers` accumulators on this machine. Results never depend on it.
bool PartitionedScanPays(std::size_t rows, std::int32_t customers);

// The partitioned scan of rows [begin, end) (fewer than 2^31) into `acc`
// (t.num_customers() zeroed records) on `threads` threads: the same
// accumulators and stats as one direct scan of the rows (no BTYD).
void ScanPartitioned(const OrderLines& t, std::size_t begin, std::size_t end, Filter f,
                     const RfmOptions& o, int threads, const ScanChoice& shape, RfmCustomer* acc,
                     ScanStats& st);

}  // namespace salesight::rfm_internal
