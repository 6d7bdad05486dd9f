// funnel, declared once (salesight/calculator.hpp): besides its typed
// surfaces, every declared option through salesight_calculator_run(dataset,
// "funnel", ...) and salesight.Dataset(...).run("funnel", ...).
#include "core/internal/aggregator_kind.hpp"
#include "internal/funnel_state.hpp"
#include "salesight/calculator.hpp"
#include "salesight/partial_state.hpp"
#include "salesight/funnel.hpp"

namespace salesight {
namespace {

ResultSet SetOf(const FunnelResult& funnel) {
  ResultSet out;
  out.tables.push_back({"table", ToResultTable(funnel)});
  out.tables.push_back({"detailed", ToDetailedResultTable(funnel)});
  out.tables.push_back({"bottlenecks", BottlenecksToResultTable(funnel)});
  out.problems = FunnelProblems(funnel);
  return out;
}

absl::StatusOr<ResultSet> Run(const Dataset& data, const FunnelOptions& options) {
  absl::StatusOr<FunnelResult> funnel = ComputeFunnel(data, options);
  if (!funnel.ok()) return funnel.status();
  return SetOf(*funnel);
}

// The older byte format (salesight/partial_state.hpp) is kept: it is what
// salesight_partial_serialize has always written for the funnel.
const aggregator_internal::KindOps<FunnelOptions, FunnelPartial> kKind{
    .name = "funnel",
    .kind = PartialKind::kFunnel,
    .rows = TableKind::kPipeline,
    .decls = FunnelOptionDecls(),
    .partial = [](const Dataset& data, std::size_t begin, std::size_t end,
                  const FunnelOptions& options) { return PartialFunnel(data, begin, end, options); },
    .merge = &MergeFunnel,
    .money_scale = [](FunnelPartial& p) -> int& { return p.state().cfg.money_scale; },
    .serialize = &SerializeFunnelPartial,
    .deserialize = &DeserializeFunnelPartial,
    .attach =
        [](FunnelPartial& p, const FunnelPartial& fresh) {
          p.state().key_dicts = fresh.state().key_dicts;
          p.state().opportunity_codes = fresh.state().opportunity_codes;
        },
    .finish = [](FunnelPartial p, const FunnelOptions& options,
                 const Dataset*) -> absl::StatusOr<ResultSet> {
      absl::StatusOr<FunnelResult> r = FinishFunnel(std::move(p), options);
      if (!r.ok()) return r.status();
      return SetOf(*r);
    },
};

}  // namespace

AggregatorSpec FunnelAggregator() { return aggregator_internal::DeclareAggregator(&kKind); }

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
