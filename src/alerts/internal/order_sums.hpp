// The order-line sums behind the alerts' order KPIs: per slicing (the total
// or a dimension), per member and per window, the exact sums and distinct
// counts. Only the lines inside a window are read, in date order (the
// dataset's date index), one date range at a time: windows with the same
// dates (a period and the "last year" window of the period 12 later) are one
// range, summed once. A range is summed whole by one thread, so any thread
// count gives the same numbers.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "absl/status/statusor.h"
#include "alerts/internal/series.hpp"
#include "salesight/dataset.hpp"
#include "salesight/dimension.hpp"

namespace salesight::alerts_internal {

// The numbers of one (member, date range); the stamps are the pass's
// bookkeeping for the distinct counts (the group last counted here).
struct alignas(64) OrderCell {
  Money revenue = 0, costed_revenue = 0, cost = 0;
  std::int64_t lines = 0, orders = 0, customers = 0;
  std::uint32_t order_stamp = 0, customer_stamp = 0;
};

struct OrderSums {
  std::vector<int> range_of_window;  // 2W: the date range of window s, -1 = unknown
  std::size_t ranges = 0;
  std::vector<std::size_t> members;            // per slicing
  std::vector<std::vector<OrderCell>> cells;   // per slicing: [range x members + member]
  const OrderCell* Find(std::size_t slicing, int window, std::size_t member) const {
    const int r = range_of_window[static_cast<std::size_t>(window)];
    return r < 0 ? nullptr : &cells[slicing][static_cast<std::size_t>(r) * members[slicing] + member];
  }
};

struct SumOrderOptions {
  bool margin = false;  // also the costed revenue and cost (MarginLineCosts)
  int num_threads = 1;  // 0 = hardware concurrency
  std::size_t min_rows_per_thread = 65536;
  // Tests turn these off to reach the other paths: the members carried
  // packed through the sort by customer (else looked up per line), and the
  // dataset's date index (else one built here).
  bool pack_members = true;
  bool dataset_index = true;
};

// dims: per slicing the dimension (null = the total). Windows starting before
// the first order line are unknown.
absl::StatusOr<OrderSums> SumOrderLines(const Dataset& data,
                                        const std::vector<const DimensionColumn*>& dims,
                                        const Windows& windows, const SumOrderOptions& options);

}  // namespace salesight::alerts_internal
