// overview, declared once (salesight/calculator.hpp): the report's header
// figures on every surface (salesight_calculator_run(dataset, "overview", ...),
// salesight.overview(df), `salesight overview`). No options yet.
#include "salesight/calculator.hpp"
#include "salesight/overview.hpp"

namespace salesight {
namespace {

absl::StatusOr<ResultSet> Run(const Dataset& data, const OverviewOptions& options) {
  absl::StatusOr<OrdersOverview> o = ComputeOverview(data, options);
  if (!o.ok()) return o.status();
  ResultSet out;
  out.problems.money_scale = o->money_scale;
  out.tables.push_back({"overview", ToResultTable(*o)});
  return out;
}

}  // namespace

CalculatorSpec OverviewCalculator() {
  return DeclareCalculator<OverviewOptions>(
      "overview",
      "The report's header figures. Lines, orders, customers, products, return lines, first "
      "and last order date, sales, returns and net revenue (definitions: "
      "include/salesight/overview.hpp, README).",
      {{TableKind::kOrders, true}}, {"overview"}, {}, &Run);
}

}  // namespace salesight
