// Overview of an order-lines table: the figures at the head of a report
// (`salesight report`'s "Data" section), each defined once here so that no
// surface adds them up itself.
//
// Definitions:
//   lines         rows of the table: every line, returns included.
//   orders        distinct order_id values.
//   customers     distinct customer ids that have at least one line (an
//                 attached dictionary may hold codes no line uses; they do
//                 not count).
//   products      distinct product ids that have at least one line; 0 when
//                 the table has no product column.
//   return_lines  lines with amount < 0.
//   first_day, last_day   the earliest and the latest order_date (inclusive);
//                 kNoDate when the table is empty.
//   sales         the sum of the amounts > 0.
//   returns       the sum of the amounts < 0 (so returns <= 0).
//   net_revenue   sales + returns: the sum of every line's amount.
// Money figures are exact sums in the table's minor units (money_scale); a
// figure outside int64 is an OutOfRange error naming it, never a wrapped
// value. Every figure is independent of row order.
#pragma once

#include <cstdint>

#include "absl/status/statusor.h"
#include "salesight/calculator.hpp"
#include "salesight/dataset.hpp"
#include "salesight/date.hpp"
#include "salesight/money.hpp"
#include "salesight/tables.hpp"

namespace salesight {

struct OrdersOverview {
  std::int64_t lines = 0;
  std::int64_t orders = 0;
  std::int64_t customers = 0;
  std::int64_t products = 0;
  std::int64_t return_lines = 0;
  Day first_day = kNoDate;
  Day last_day = kNoDate;
  Money sales = 0;
  Money returns = 0;
  Money net_revenue = 0;
  int money_scale = kDefaultMoneyScale;
};

// One pass over the lines (single-threaded: a report's header is never the
// bottleneck). Memory: one byte per customer and per product id, and a hash
// set of the distinct order ids.
// No choices yet: the figures above have one definition each. Kept so the
// overview has the (dataset, options) shape of every calculator.
struct OverviewOptions {};

// The dataset's order lines (an error without them).
absl::StatusOr<OrdersOverview> ComputeOverview(const Dataset& data,
                                               const OverviewOptions& options = {});

// One row: lines, orders, customers, products, return_lines, first_day,
// last_day (null when there is no line), sales, returns, net_revenue (money).
ResultTable ToResultTable(const OrdersOverview& overview);
// The declared calculator (src/overview/declaration.cpp): output overview.
CalculatorSpec OverviewCalculator();

}  // namespace salesight
