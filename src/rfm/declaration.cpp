// rfm, declared once (salesight/calculator.hpp): besides its typed surfaces
// (salesight_rfm_compute, salesight.rfm, `salesight rfm`), every declared
// option through salesight_calculator_run(dataset, "rfm", ...) and
// salesight.Dataset(...).run("rfm", ...).
#include "salesight/calculator.hpp"
#include "salesight/rfm.hpp"

namespace salesight {
namespace {

absl::StatusOr<ResultSet> Run(const Dataset& data, const RfmOptions& options) {
  absl::StatusOr<RfmResult> rfm = ComputeRfm(data, options);
  if (!rfm.ok()) return rfm.status();
  absl::StatusOr<RfmSegmentSummary> segments = SummarizeSegments(*rfm);
  if (!segments.ok()) return segments.status();
  ResultSet out;
  out.tables.push_back({"customers", ToResultTable(*rfm)});
  out.tables.push_back({"detail", ToResultTable(*rfm, /*detail=*/true)});
  out.tables.push_back({"segments", ToResultTable(*segments)});
  return out;
}

}  // namespace

CalculatorSpec RfmCalculator() {
  return DeclareCalculator<RfmOptions>(
      "rfm",
      "Recency, frequency, monetary value, scores and segments per customer (definitions: "
      "include/salesight/rfm.hpp, README).",
      {{TableKind::kOrders, true}}, {"customers", "detail", "segments"}, RfmOptionDecls(), &Run);
}

}  // namespace salesight
