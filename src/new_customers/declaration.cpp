// new_customers, declared once (salesight/calculator.hpp): its options, its
// inputs and outputs. Every surface derives from this file.
#include "absl/strings/str_cat.h"
#include "salesight/new_customers.hpp"

namespace salesight {
namespace {

using O = NewCustomersOptions;
using T = OptionType;
using V = OptionValue;

const OptionDecl<O> kDecls[] = {
    {Option("period", T::kChoice, "month", "day|week|month|quarter|year",
            "calendar period of the rows (week = ISO week)"),
     [](O& o, const V& v) { o.period = *ParseGrain(v.text); }},
    {Option("as_of", T::kDate, "", "",
            "analysis date; lines after it are not used (default: the day after the last order)"),
     [](O& o, const V& v) { o.as_of = v.date; }},
    {Option("window_days", T::kInt, "0", "",
            "only periods of the N days before as_of (0 = all history); earlier purchases still "
            "make a customer returning")
         .Range(0, 100000),
     [](O& o, const V& v) { o.window_days = static_cast<std::int32_t>(v.integer); }},
    {Option("all_lines_are_purchases", T::kBool, "false", "",
            "every line is a purchase (default: amount < 0 lines are returns, not purchases)"),
     [](O& o, const V& v) { o.all_lines_are_purchases = v.flag; }},
};

absl::StatusOr<ResultSet> Run(const Dataset& data, const O& options) {
  absl::StatusOr<NewCustomersResult> result = ComputeNewCustomers(*data.orders(), options);
  if (!result.ok()) return result.status();
  ResultSet out;
  out.problems.money_scale = result->money_scale;
  out.tables.push_back({"periods", ToResultTable(*result)});
  return out;
}

}  // namespace

absl::Span<const OptionDecl<NewCustomersOptions>> NewCustomersOptionDecls() { return kDecls; }

CalculatorSpec NewCustomersCalculator() {
  return DeclareCalculator<O>(
      "new_customers",
      "New vs returning customers per calendar period, with their revenue. A customer is new in "
      "the period of its first purchase (up to as_of, whatever the window) and returning in "
      "later periods; revenue is the net amount of the lines of the customers active in the "
      "period.",
      {{TableKind::kOrders, true}}, {"periods"}, NewCustomersOptionDecls(), &Run);
}

}  // namespace salesight
