#include "internal/btyd_scan.hpp"

#include <algorithm>
#include <limits>
#include <utility>

#include "absl/strings/str_format.h"

namespace salesight::rfm_internal {
namespace {

// Exact distinct transaction days per customer (lines up to as_of): a
// counting sort of the days by customer, then a sort of each customer's.
void RecountDays(const OrderLines& orders, Day as_of, int threads, BtydAccs& acc) {
  const OrderLinesColumns& c = orders.columns();
  const std::size_t num_ids = acc.size();
  std::vector<std::uint32_t> offset(num_ids + 1, 0);
  for (std::size_t i = 0; i < orders.size(); ++i) {
    if (c.order_date[i] <= as_of) ++offset[static_cast<std::size_t>(c.customer[i]) + 1];
  }
  for (std::size_t k = 0; k < num_ids; ++k) offset[k + 1] += offset[k];
  std::vector<Day> days(offset[num_ids]);
  {
    std::vector<std::uint32_t> pos(offset.begin(), offset.end() - 1);
    for (std::size_t i = 0; i < orders.size(); ++i) {
      if (c.order_date[i] <= as_of) days[pos[static_cast<std::size_t>(c.customer[i])]++] = c.order_date[i];
    }
  }
  ParallelFor(threads, num_ids, [&](std::size_t b, std::size_t e, int) {
    for (std::size_t k = b; k < e; ++k) {
      auto first = days.begin() + offset[k], last = days.begin() + offset[k + 1];
      std::sort(first, last);
      acc[k].days = static_cast<std::int32_t>(std::unique(first, last) - first);
    }
  });
}

}  // namespace

absl::Status CheckObservationEnd(Day end) {
  if (end != kNoDate && (end < kMinDay || end > kMaxDay)) {
    return absl::InvalidArgumentError(
        absl::StrFormat("btyd: observation_end %d is not a date in 1900..2199", end));
  }
  return absl::OkStatus();
}

bool MergeBtyd(BtydAcc& a, const BtydAcc& b) {
  if (b.last == 0) return true;
  if (a.last == 0) {
    a = b;
    return true;
  }
  const Day a_first = FirstDayOf(a.first), a_last = LastDayOf(a.last);
  const Day b_first = FirstDayOf(b.first), b_last = LastDayOf(b.last);
  bool exact = true;
  if (a_last < b_first || b_last < a_first) {
    a.days += b.days;
  } else if (a_last == b_first || b_last == a_first) {
    a.days += b.days - 1;  // the one shared day (a one-day span shares no more)
  } else {
    exact = false;
  }
  // The sums: the earlier first day keeps its amounts, the other's move to the repeats.
  AddExact(a.repeat_sum, a.repeat_wraps, b.repeat_sum, b.repeat_wraps);
  if (a.first == b.first) {
    AddExact(a.first_sum, a.first_wraps, b.first_sum, b.first_wraps);
  } else if (b.first > a.first) {  // b's first day is earlier
    AddExact(a.repeat_sum, a.repeat_wraps, a.first_sum, a.first_wraps);
    a.first_sum = b.first_sum;
    a.first_wraps = b.first_wraps;
    a.first = b.first;
  } else {
    AddExact(a.repeat_sum, a.repeat_wraps, b.first_sum, b.first_wraps);
  }
  a.last = std::max(a.last, b.last);
  return exact;
}

absl::StatusOr<BtydSummary> BtydSummaryFromScan(const OrderLines& orders, BtydScan scan, Day as_of,
                                                BtydTimeUnit unit, int num_threads) {
  BtydSummary s;
  s.period = GrainUnit::kDay;
  s.unit = unit;
  s.money_scale = orders.money_scale();
  s.customer_codes = orders.columns().customers;
  s.observation_end = as_of;
  if (absl::Status st = CheckObservationEnd(as_of); !st.ok()) return st;
  if (orders.size() > std::numeric_limits<std::uint32_t>::max()) {
    return absl::InvalidArgumentError("btyd: at most 2^32-1 order lines");
  }
  BtydAccs& acc = scan.acc;
  const int threads = ResolveThreads(num_threads);
  if (!scan.exact) RecountDays(orders, as_of, threads, acc);
  std::size_t rows = 0;
  for (const BtydAcc& x : acc) rows += x.last != 0;
  s.customer.reserve(rows);
  s.frequency.reserve(rows);
  s.recency.reserve(rows);
  s.T.reserve(rows);
  s.monetary_value.reserve(rows);
  const double unit_days = unit == BtydTimeUnit::kWeeks ? 7.0 : 1.0;
  const double money_unit = static_cast<double>(Pow10(orders.money_scale()));
  for (std::size_t k = 0; k < acc.size(); ++k) {
    const BtydAcc& x = acc[k];
    if (x.last == 0) continue;
    if (x.first_wraps != 0 || x.repeat_wraps != 0) {  // the smallest such id, as ComputeBtydSummary
      return absl::OutOfRangeError(
          absl::StrFormat("btyd: the purchase values of customer '%s' overflow int64",
                          CustomerName(s.customer_codes, static_cast<Id>(k))));
    }
    const Day first = FirstDayOf(x.first), last = LastDayOf(x.last);
    // The expressions of ComputeBtydSummary, so that the doubles are the same.
    s.customer.push_back(static_cast<Id>(k));
    s.frequency.push_back(x.days - 1);
    s.recency.push_back(static_cast<double>(last - first) / unit_days);
    s.T.push_back(static_cast<double>(as_of - first) / unit_days);
    s.monetary_value.push_back(x.days > 1 ? static_cast<double>(x.repeat_sum) / money_unit /
                                                static_cast<double>(x.days - 1)
                                          : 0.0);
  }
  return s;
}

}  // namespace salesight::rfm_internal
