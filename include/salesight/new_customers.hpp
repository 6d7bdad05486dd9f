// New vs returning customers per calendar period, with their revenue (the
// seed's 新客户 view): how many customers bought for the first time in each
// month, how many came back, and what each group spent.
//
// Definitions (each an option, defaults in brackets):
// * A purchase is an order line with amount >= 0 [all_lines_are_purchases =
//   false; true counts every line], dated on or before as_of [the day after
//   the last order].
// * A customer is ACTIVE in a period when it has a purchase there inside the
//   window [window_days = 0: all history up to as_of].
// * It is NEW in the period of its first purchase up to as_of (the window does
//   not hide earlier purchases: a customer whose first purchase is before the
//   window is returning), RETURNING in any later period.
// * Revenue = the net amount of ALL lines (returns included) in the period of
//   the customers active in it, split new / returning.
// * period [month]: day, week (ISO), month, quarter, year.
// Rows: periods with at least one active customer, ascending.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "salesight/calculator.hpp"
#include "salesight/date.hpp"
#include "salesight/grain.hpp"
#include "salesight/money.hpp"
#include "salesight/options.hpp"
#include "salesight/result_table.hpp"
#include "salesight/tables.hpp"

namespace salesight {

struct NewCustomersOptions {
  Day as_of = kNoDate;          // kNoDate = the day after the last order
  std::int32_t window_days = 0;  // 0 = all history up to as_of
  bool all_lines_are_purchases = false;
  Grain period = GrainUnit::kMonth;
};

struct NewCustomersRow {
  std::int32_t period = 0;  // the calendar number (PeriodNumber): yyyymm, yyyyq, ...
  std::string label;        // PeriodLabel: "2024-09", "2024-Q3", "2024-W39", ...
  std::int64_t new_customers = 0, returning_customers = 0;
  Money new_revenue = 0, returning_revenue = 0;
};

struct NewCustomersResult {
  std::vector<NewCustomersRow> rows;  // ascending period, periods with activity only
  Grain period = GrainUnit::kMonth;
  int money_scale = kDefaultMoneyScale;
};

absl::StatusOr<NewCustomersResult> ComputeNewCustomers(const OrderLines& orders,
                                                       const NewCustomersOptions& options = {});

// period, new_customers, returning_customers, new_revenue, returning_revenue
ResultTable ToResultTable(const NewCustomersResult& result);

// The declaration every surface derives from (salesight/calculator.hpp).
absl::Span<const OptionDecl<NewCustomersOptions>> NewCustomersOptionDecls();
CalculatorSpec NewCustomersCalculator();

}  // namespace salesight
