// The BTYD summary (salesight/btyd.hpp, period kDay) built inside RFM's scan,
// so that RFM with a clv_model reads the order lines once.
//
// Per customer the scan keeps the first and last transaction day, the first
// day's amounts and the later days' amounts (exact int64 sums, in any row
// order), and a distinct-day count that is exact as long as each customer's
// lines arrive in date order within a row range (the count grows when a line
// is later than the customer's last day; a line EARLIER than it marks the
// range late). Ranges merge exactly when, per customer, their day spans meet
// at most at one day (row ranges of date-sorted lines). Otherwise - lines out
// of date order - the distinct days are recounted exactly from the lines
// (customer and date columns only; the sums are still the scan's), the same
// fallback RFM's own distinct-order count has.
#pragma once

#include <cstdint>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "rfm.hpp"
#include "salesight/btyd.hpp"
#include "salesight/large_array.hpp"

namespace salesight::rfm_internal {

// Day codes as RfmCustomer's: both grow with "better" (later last, earlier
// first) and 0 = no transaction, so the all-zero record is the empty one.
// The sums wrap; their wrap counts make them exact (value = sum + wraps x
// 2^64), so that whether a sum fits int64 does not depend on row order.
struct BtydAcc {
  std::int32_t last = 0;          // LastCode(latest transaction day)
  std::int32_t first = 0;         // FirstCode(earliest transaction day)
  std::int32_t days = 0;          // distinct transaction days (see above)
  std::int16_t first_wraps = 0;   // net wraps of first_sum (kSaturated: too many)
  std::int16_t repeat_wraps = 0;  // net wraps of repeat_sum
  Money first_sum = 0;            // the amounts on the first day
  Money repeat_sum = 0;           // the amounts on every later day
};
static_assert(sizeof(BtydAcc) == 32);

// A wrap count past +-32766 sticks here and means "does not fit".
inline constexpr std::int16_t kSaturated = -32768;

inline void AddWraps(std::int16_t& w, int delta) {
  if (w == kSaturated || delta == 0) return;
  const int v = w + delta;
  w = v > 32766 || v < -32766 ? kSaturated : static_cast<std::int16_t>(v);
}

// (sum, wraps) += a, exactly.
inline void AddExact(Money& sum, std::int16_t& wraps, Money a) {
  Money r;
  if (__builtin_add_overflow(sum, a, &r)) AddWraps(wraps, a > 0 ? 1 : -1);
  sum = r;  // the wrapped result
}

// (sum, wraps) += (b, b_wraps), exactly.
inline void AddExact(Money& sum, std::int16_t& wraps, Money b, std::int16_t b_wraps) {
  AddExact(sum, wraps, b);
  if (b_wraps == kSaturated) {
    wraps = kSaturated;
  } else {
    AddWraps(wraps, b_wraps);
  }
}

using BtydAccs = std::vector<BtydAcc, LargeArrayAllocator<BtydAcc>>;

// What BuildState fills when asked for the summary too.
struct BtydScan {
  BtydAccs acc;        // dense by customer id
  bool exact = true;   // false: `days` must be recounted
};

// One transaction (day d, amount a) of a customer; returns true when d is
// before the customer's last day so far (the count is then not exact).
inline bool AddBtydLine(BtydAcc& x, Day d, Money a) {
  const std::int32_t l = LastCode(d);
  const std::int32_t f = FirstCode(d);
  if (x.last == 0) {
    x.last = l;
    x.first = f;
    x.days = 1;
    x.first_sum = a;
    return false;
  }
  const bool late = l < x.last;
  x.days += l > x.last;
  x.last = l > x.last ? l : x.last;
  if (f > x.first) {  // a new first day: the old first day's amounts become repeats
    AddExact(x.repeat_sum, x.repeat_wraps, x.first_sum, x.first_wraps);
    x.first_sum = a;
    x.first_wraps = 0;
    x.first = f;
  } else if (f == x.first) {
    AddExact(x.first_sum, x.first_wraps, a);
  } else {
    AddExact(x.repeat_sum, x.repeat_wraps, a);
  }
  return late;
}

// Merges `b` into `a` (either may be empty); returns whether `days` stays
// exact (the customer's two day spans overlap at most at one day).
bool MergeBtyd(BtydAcc& a, const BtydAcc& b);

// The summary from the scan: days recounted from the lines when not exact,
// times in options.unit, observation end `as_of` (inclusive; lines after it
// were not scanned). Same values, bit for bit, as ComputeBtydSummary(orders,
// {as_of, kDay, unit}); the same errors for a bad as_of or a customer whose
// first purchase or repeat total does not fit int64 (the smallest id named).
absl::StatusOr<BtydSummary> BtydSummaryFromScan(const OrderLines& orders, BtydScan scan,
                                                Day as_of, BtydTimeUnit unit, int num_threads);

// ComputeBtydSummary's check of observation_end (shared so both say it alike).
absl::Status CheckObservationEnd(Day observation_end);

}  // namespace salesight::rfm_internal
