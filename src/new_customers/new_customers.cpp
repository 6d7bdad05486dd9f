// New vs returning customers per period: see salesight/new_customers.hpp.
#include "salesight/new_customers.hpp"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <vector>

#include "absl/strings/str_format.h"

namespace salesight {

absl::StatusOr<NewCustomersResult> ComputeNewCustomers(const OrderLines& orders,
                                                       const NewCustomersOptions& options) {
  const Grain period = options.period;
  NewCustomersResult out;
  out.period = period;
  out.money_scale = orders.money_scale();
  if (orders.size() == 0) return out;
  if (options.window_days < 0) {
    return absl::InvalidArgumentError("new_customers: window_days must be >= 0");
  }
  const OrderLinesColumns& c = orders.columns();
  const Day as_of = options.as_of == kNoDate ? orders.max_date() + 1 : options.as_of;
  const Day lo = options.window_days > 0 ? as_of - options.window_days : orders.min_date();
  const Day hi = std::min(as_of, orders.max_date());
  const std::size_t num_ids = static_cast<std::size_t>(orders.num_customers());
  auto purchase = [&](std::size_t i) {
    return options.all_lines_are_purchases || c.amount[i] >= 0;
  };
  // First purchase up to as_of, whatever the window.
  std::vector<Day> first(num_ids, std::numeric_limits<Day>::max());
  for (std::size_t i = 0; i < orders.size(); ++i) {
    const Day d = c.order_date[i];
    if (d > as_of || !purchase(i)) continue;
    Day& f = first[static_cast<std::size_t>(c.customer[i])];
    f = std::min(f, d);
  }
  if (hi < lo) return out;
  // Day -> period index over [lo, hi]; keys (period ordinals) grow with the day.
  const Day lo_day = std::max(lo, orders.min_date());
  std::vector<std::int32_t> index(static_cast<std::size_t>(hi - lo_day + 1));
  std::vector<std::int32_t> keys;
  for (Day d = lo_day; d <= hi; ++d) {
    const std::int32_t k = PeriodOf(period, d);
    if (keys.empty() || keys.back() != k) keys.push_back(k);
    index[static_cast<std::size_t>(d - lo_day)] = static_cast<std::int32_t>(keys.size()) - 1;
  }
  const std::size_t num_periods = keys.size();
  if (static_cast<double>(num_periods) * static_cast<double>(num_ids) > 2147483648.0) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "new_customers: %d periods x %d customers is too many; use a coarser period or a "
        "window",
        num_periods, num_ids));
  }
  // Period index of each customer's first purchase (-1 = before the window).
  auto first_period = [&](Id id) -> std::int64_t {
    const Day f = first[static_cast<std::size_t>(id)];
    return f < lo_day ? -1 : index[static_cast<std::size_t>(f - lo_day)];
  };
  std::vector<std::uint64_t> active((num_periods * num_ids + 63) / 64, 0);
  std::vector<NewCustomersRow> rows(num_periods);
  for (std::size_t i = 0; i < orders.size(); ++i) {
    const Day d = c.order_date[i];
    if (d < lo_day || d > hi || !purchase(i)) continue;
    const std::size_t p = static_cast<std::size_t>(index[static_cast<std::size_t>(d - lo_day)]);
    const std::size_t bit = p * num_ids + static_cast<std::size_t>(c.customer[i]);
    std::uint64_t& word = active[bit / 64];
    const std::uint64_t mask = std::uint64_t{1} << (bit % 64);
    if (word & mask) continue;
    word |= mask;
    if (first_period(c.customer[i]) == static_cast<std::int64_t>(p)) {
      ++rows[p].new_customers;
    } else {
      ++rows[p].returning_customers;
    }
  }
  for (std::size_t i = 0; i < orders.size(); ++i) {
    const Day d = c.order_date[i];
    if (d < lo_day || d > hi) continue;
    const std::size_t p = static_cast<std::size_t>(index[static_cast<std::size_t>(d - lo_day)]);
    const std::size_t bit = p * num_ids + static_cast<std::size_t>(c.customer[i]);
    if (!(active[bit / 64] & (std::uint64_t{1} << (bit % 64)))) continue;
    Money& sum = first_period(c.customer[i]) == static_cast<std::int64_t>(p)
                     ? rows[p].new_revenue
                     : rows[p].returning_revenue;
    if (!AddMoney(sum, c.amount[i], &sum)) {
      return absl::OutOfRangeError(absl::StrFormat(
          "new_customers: the revenue of period %s overflows int64", PeriodLabel(period, keys[p])));
    }
  }
  for (std::size_t p = 0; p < num_periods; ++p) {
    NewCustomersRow& row = rows[p];
    if (row.new_customers + row.returning_customers == 0) continue;
    row.period = static_cast<std::int32_t>(PeriodNumber(period, keys[p]));
    row.label = PeriodLabel(period, keys[p]);
    out.rows.push_back(std::move(row));
  }
  return out;
}

ResultTable ToResultTable(const NewCustomersResult& nr) {
  ResultTable t;
  {
    ResultColumn& c = t.AddString("period");
    for (const auto& row : nr.rows) c.strings.push_back(row.label);
  }
  {
    ResultColumn& c = t.AddInt64("new_customers");
    for (const auto& row : nr.rows) c.ints.push_back(row.new_customers);
  }
  {
    ResultColumn& c = t.AddInt64("returning_customers");
    for (const auto& row : nr.rows) c.ints.push_back(row.returning_customers);
  }
  {
    ResultColumn& c = t.AddMoney("new_revenue", nr.money_scale);
    for (const auto& row : nr.rows) c.ints.push_back(row.new_revenue);
  }
  {
    ResultColumn& c = t.AddMoney("returning_revenue", nr.money_scale);
    for (const auto& row : nr.rows) c.ints.push_back(row.returning_revenue);
  }
  return t;
}

}  // namespace salesight
