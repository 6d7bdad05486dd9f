// funnel, declared once (salesight/calculator.hpp): besides its typed
// surfaces, every declared option through salesight_calculator_run(dataset,
// "funnel", ...) and salesight.Dataset(...).run("funnel", ...).
#include "salesight/calculator.hpp"
#include "salesight/funnel.hpp"

namespace salesight {
namespace {

absl::StatusOr<ResultSet> Run(const Dataset& data, const FunnelOptions& options) {
  absl::StatusOr<FunnelResult> funnel = ComputeFunnel(data, options);
  if (!funnel.ok()) return funnel.status();
  ResultSet out;
  out.tables.push_back({"table", ToResultTable(*funnel)});
  out.tables.push_back({"detailed", ToDetailedResultTable(*funnel)});
  out.tables.push_back({"bottlenecks", BottlenecksToResultTable(*funnel)});
  out.problems = FunnelProblems(*funnel);
  return out;
}

}  // namespace

CalculatorSpec FunnelCalculator() {
  return DeclareCalculator<FunnelOptions>(
      "funnel",
      "Stage counts, step and cumulative conversion, days between stages, win rates, cycle, "
      "velocity, weighted pipeline and bottlenecks of the pipeline (definitions: "
      "include/salesight/funnel.hpp, README).",
      {{TableKind::kPipeline, true}}, {"table", "detailed", "bottlenecks"}, FunnelOptionDecls(),
      &Run);
}

}  // namespace salesight
