// rfm, declared once (salesight/calculator.hpp): besides its typed surfaces
// (salesight_rfm_compute, salesight.rfm, `salesight rfm`), every declared
// option through salesight_calculator_run(dataset, "rfm", ...) and
// salesight.Dataset(...).run("rfm", ...).
#include "core/internal/aggregator_kind.hpp"
#include "internal/rfm.hpp"
#include "salesight/calculator.hpp"
#include "salesight/partial_state.hpp"
#include "salesight/rfm.hpp"

namespace salesight {
namespace {

absl::StatusOr<ResultSet> SetOf(const RfmResult& rfm) {
  absl::StatusOr<RfmSegmentSummary> segments = SummarizeSegments(rfm);
  if (!segments.ok()) return segments.status();
  ResultSet out;
  out.tables.push_back({"customers", ToResultTable(rfm)});
  out.tables.push_back({"detail", ToResultTable(rfm, /*detail=*/true)});
  out.tables.push_back({"segments", ToResultTable(*segments)});
  return out;
}

absl::StatusOr<ResultSet> Run(const Dataset& data, const RfmOptions& options) {
  absl::StatusOr<RfmResult> rfm = ComputeRfm(data, options);
  if (!rfm.ok()) return rfm.status();
  return SetOf(*rfm);
}

// The older byte format (salesight/partial_state.hpp) is kept: it is what
// salesight_partial_serialize has always written for RFM.
const aggregator_internal::KindOps<RfmOptions, RfmPartial> kKind{
    .name = "rfm",
    .kind = PartialKind::kRfm,
    .rows = TableKind::kOrders,
    .decls = RfmOptionDecls(),
    .partial = [](const Dataset& data, std::size_t begin, std::size_t end,
                  const RfmOptions& options) -> absl::StatusOr<RfmPartial> {
      if (data.orders() == nullptr) return absl::InvalidArgumentError("rfm: orders are required");
      if (!options.by.empty()) {
        return absl::InvalidArgumentError("rfm partial: by= needs all the lines at once; run rfm "
                                          "on the whole dataset");
      }
      return PartialRfm(*data.orders(), begin, end, options);
    },
    .merge = &MergeRfm,
    .merge_keeps_into_on_error = true,  // and a copy would be 32 bytes per customer id
    .money_scale = [](RfmPartial& p) -> int& { return RfmPartialAccess::money_scale(p); },
    .serialize = &SerializeRfmPartial,
    .deserialize = &DeserializeRfmPartial,
    .attach =
        [](RfmPartial& p, const RfmPartial& fresh) {
          RfmPartialAccess::customer_codes(p) =
              RfmPartialAccess::customer_codes(const_cast<RfmPartial&>(fresh));
        },
    .finish = [](RfmPartial p, const RfmOptions& options,
                 const Dataset*) -> absl::StatusOr<ResultSet> {
      absl::StatusOr<RfmResult> r = FinishRfm(std::move(p), options);
      if (!r.ok()) return r.status();
      return SetOf(*r);
    },
};

}  // namespace

AggregatorSpec RfmAggregator() { return aggregator_internal::DeclareAggregator(&kKind); }

CalculatorSpec RfmCalculator() {
  return DeclareCalculator<RfmOptions>(
      "rfm",
      "Recency, frequency, monetary value, scores and segments per customer (definitions: "
      "include/salesight/rfm.hpp, README).",
      {{TableKind::kOrders, true}}, {"customers", "detail", "segments"}, RfmOptionDecls(), &Run);
}

}  // namespace salesight
