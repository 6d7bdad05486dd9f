#include "salesight/btyd.hpp"

#include <algorithm>
#include <limits>
#include <utility>

#include "absl/strings/str_format.h"
#include "salesight/status_macros.hpp"
#include "internal/btyd_scan.hpp"
#include "internal/rfm.hpp"

namespace salesight {
namespace {

__extension__ typedef __int128 Int128;

// Transactions are counted per period (lifetimes' freq): the period's first day.
Day FirstDayOf(Day d, Grain g) { return PeriodStart(g, PeriodOf(g, d)); }

}  // namespace

absl::StatusOr<BtydSummary> ComputeBtydSummary(const OrderLines& orders, const BtydOptions& o) {
  BtydSummary s;
  s.period = o.period;
  s.unit = o.unit;
  s.money_scale = orders.money_scale();
  s.customer_codes = orders.columns().customers;
  s.observation_end = o.observation_end;
  SALESIGHT_RETURN_IF_ERROR(rfm_internal::CheckObservationEnd(o.observation_end));
  if (orders.size() == 0) return s;
  if (orders.size() > std::numeric_limits<std::uint32_t>::max()) {
    return absl::InvalidArgumentError("btyd: at most 2^32-1 order lines");
  }
  const Day end = o.observation_end == kNoDate ? orders.max_date() : o.observation_end;
  s.observation_end = end;
  const Day end_period = FirstDayOf(end, o.period);
  const OrderLinesColumns& c = orders.columns();
  const std::size_t num_ids = static_cast<std::size_t>(orders.num_customers());

  // Lines grouped by customer (counting sort), then each customer's lines
  // sorted by period and merged.
  std::vector<std::uint32_t> offset(num_ids + 1, 0);
  for (std::size_t i = 0; i < orders.size(); ++i) {
    if (FirstDayOf(c.order_date[i], o.period) > end_period) continue;
    ++offset[static_cast<std::size_t>(c.customer[i]) + 1];
  }
  for (std::size_t k = 0; k < num_ids; ++k) offset[k + 1] += offset[k];
  struct Tx {
    Day period;
    Money amount;
  };
  std::vector<Tx> tx(offset[num_ids]);
  {
    std::vector<std::uint32_t> pos(offset.begin(), offset.end() - 1);
    for (std::size_t i = 0; i < orders.size(); ++i) {
      const Day p = FirstDayOf(c.order_date[i], o.period);
      if (p > end_period) continue;
      tx[pos[static_cast<std::size_t>(c.customer[i])]++] = {p, c.amount[i]};
    }
  }
  const double unit = o.unit == BtydTimeUnit::kWeeks ? 7.0 : 1.0;
  const double money_unit = static_cast<double>(Pow10(orders.money_scale()));
  std::vector<std::int32_t> freq(num_ids, -1);
  std::vector<double> recency(num_ids), age(num_ids), value(num_ids);
  std::vector<std::vector<std::int64_t>> overflow(
      static_cast<std::size_t>(rfm_internal::ResolveThreads(o.num_threads)));
  rfm_internal::ParallelFor(
      rfm_internal::ResolveThreads(o.num_threads), num_ids,
      [&](std::size_t b, std::size_t e, int part) {
        for (std::size_t k = b; k < e; ++k) {
          if (offset[k] == offset[k + 1]) continue;
          auto first = tx.begin() + offset[k], last = tx.begin() + offset[k + 1];
          std::sort(first, last, [](const Tx& x, const Tx& y) { return x.period < y.period; });
          const Day first_period = first->period;
          Day last_period = first_period;
          std::int32_t periods = 0;
          // Exact sums: whether they fit does not depend on the lines' order.
          Int128 first_sum = 0, repeat = 0;
          for (auto it = first; it != last;) {
            Int128 period_sum = 0;
            const Day p = it->period;
            for (; it != last && it->period == p; ++it) period_sum += it->amount;
            (periods > 0 ? repeat : first_sum) += period_sum;
            ++periods;
            last_period = p;
          }
          auto fits = [](Int128 v) {
            return v >= std::numeric_limits<Money>::min() && v <= std::numeric_limits<Money>::max();
          };
          if (!fits(first_sum) || !fits(repeat)) {
            overflow[static_cast<std::size_t>(part)].push_back(static_cast<std::int64_t>(k));
            continue;
          }
          const Money repeat_sum = static_cast<Money>(repeat);
          freq[k] = periods - 1;
          recency[k] = static_cast<double>(last_period - first_period) / unit;
          age[k] = static_cast<double>(end_period - first_period) / unit;
          value[k] = periods > 1 ? static_cast<double>(repeat_sum) / money_unit /
                                       static_cast<double>(periods - 1)
                                 : 0.0;
        }
      });
  for (const auto& part : overflow) {
    if (!part.empty()) {
      return absl::OutOfRangeError(absl::StrFormat(
          "btyd: the purchase values of customer '%s' overflow int64",
          rfm_internal::CustomerName(s.customer_codes, static_cast<Id>(part.front()))));
    }
  }
  for (std::size_t k = 0; k < num_ids; ++k) {
    if (freq[k] < 0) continue;
    s.customer.push_back(static_cast<Id>(k));
    s.frequency.push_back(freq[k]);
    s.recency.push_back(recency[k]);
    s.T.push_back(age[k]);
    s.monetary_value.push_back(value[k]);
  }
  return s;
}

ResultTable ToResultTable(const BtydSummary& s) {
  ResultTable t;
  {
    ResultColumn& c = t.AddString("customer");
    for (Id id : s.customer) c.strings.push_back(rfm_internal::CustomerName(s.customer_codes, id));
  }
  {
    ResultColumn& c = t.AddInt64("frequency");
    for (std::int32_t f : s.frequency) c.ints.push_back(f);
  }
  t.AddDouble("recency").doubles.assign(s.recency.begin(), s.recency.end());
  t.AddDouble("T").doubles.assign(s.T.begin(), s.T.end());
  t.AddDouble("monetary_value").doubles.assign(s.monetary_value.begin(), s.monetary_value.end());
  return t;
}

}  // namespace salesight
