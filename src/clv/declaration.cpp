// clv, declared once (salesight/calculator.hpp): the CLI command's options
// also make `salesight_calculator_run(dataset, "clv", ...)` in C and
// `salesight.clv(df, ...)` in Python.
#include "salesight/calculator.hpp"
#include "salesight/clv/run.hpp"

namespace salesight::clv {
namespace {

absl::StatusOr<ResultSet> Run(const Dataset& data, const ClvRunOptions& options) {
  absl::StatusOr<ClvRunResult> run = RunClv(*data.orders(), options);
  if (!run.ok()) return run.status();
  ResultSet out;
  out.tables.push_back({"customers", std::move(run->customers)});
  // The fit as the CLI's --params-out JSON: one row, one column.
  ResultTable params;
  params.AddString("json").strings.push_back(run->params_json);
  out.tables.push_back({"params", std::move(params)});
  return out;
}

}  // namespace

CalculatorSpec ClvCalculator() {
  return DeclareCalculator<ClvRunOptions>(
      "clv",
      "Customer lifetime value: a BTYD model (BG/NBD, Pareto/NBD, Gamma-Gamma or BG/BB) fitted "
      "by maximum likelihood on the customers' purchase summary at calibration_end, with "
      "per-customer P(alive), expected purchases, expected spend and CLV over the horizon.",
      {{TableKind::kOrders, true}}, {"customers", "params"}, ClvOptionDecls(), &Run);
}

}  // namespace salesight::clv
