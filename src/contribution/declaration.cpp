// contribution, declared once (salesight/calculator.hpp): besides its typed
// surfaces (salesight_contribution_compute, salesight.contribution, `salesight
// contribution`), every declared option through salesight_calculator_run(dataset,
// "contribution", ...) and salesight.Dataset(...).run("contribution", ...).
#include "absl/strings/str_format.h"
#include "core/internal/aggregator_kind.hpp"
#include "core/internal/partial_codec_util.hpp"
#include "salesight/calculator.hpp"
#include "salesight/partial_state.hpp"
#include "salesight/contribution.hpp"
#include "salesight/margin.hpp"

namespace salesight {
namespace {

using O = ContributionOptions;
using T = OptionType;
using V = OptionValue;

// One or two names, split as margin's grouping is (one comma rule).
absl::Status CheckDimensions(const V& v) {
  absl::StatusOr<MarginGrouping> g = ParseMarginGrouping(v.text);
  if (!g.ok()) return g.status();
  if (g->dimensions.empty() || g->dimensions.size() > 2) {
    return absl::InvalidArgumentError(
        absl::StrFormat("'%s' names %d dimensions; one or two are needed", v.text,
                        g->dimensions.size()));
  }
  return absl::OkStatus();
}

const OptionDecl<O> kDecls[] = {
    {Option("by", T::kText, "region", "DIMENSION[,DIMENSION]", "region, department, channel, category, salesperson, customer or any attribute column; two for a breakdown"),
     [](O& o, const V& v) { o.dimensions = ParseMarginGrouping(v.text)->dimensions; },  // checked
     CheckDimensions},
    {Option("measure", T::kChoice, "revenue", "revenue|margin", "what is shared (margin: lines without a cost are left out and reported)"),
     [](O& o, const V& v) {
       o.measure = v.text == "margin" ? ContributionMeasure::kMargin : ContributionMeasure::kRevenue;
     }},
    {Option("start", T::kDate, "", "", "first order date included (default unbounded)").Cli("from"),
     [](O& o, const V& v) { o.from = v.date; }},
    {Option("end", T::kDate, "", "", "last order date included (default unbounded)").Cli("to"),
     [](O& o, const V& v) { o.to = v.date; }},
    {Option("decimals", T::kInt, "1", "", "decimals of share_pct; the rounded values sum to exactly 100").Range(0, 6),
     [](O& o, const V& v) { o.decimals = static_cast<int>(v.integer); }},
    {Option("tier_cost_first", T::kBool, "false", "", "margin: cost a line by its product's quantity tier before its standard cost (as margin)"),
     [](O& o, const V& v) {
       o.product_cost_order =
           v.flag ? ProductCostOrder::kTierThenStandard : ProductCostOrder::kStandardThenTier;
     }},
    {ThreadsOption(),
     [](O& o, const V& v) { o.num_threads = static_cast<int>(v.integer); }},
};

ResultSet SetOf(const ContributionResult& r) {
  ResultSet out;
  out.tables.push_back({"table", ToResultTable(r)});
  out.problems = ContributionProblems(r);
  return out;
}

absl::StatusOr<ResultSet> Run(const Dataset& data, const O& options) {
  absl::StatusOr<ContributionResult> r = ComputeContribution(data, options);
  if (!r.ok()) return r.status();
  return SetOf(*r);
}

// The partial state is the margin partial: its bytes are margin's, nested.
const aggregator_internal::KindOps<O, ContributionPartial> kKind{
    .name = "contribution",
    .kind = PartialKind::kContribution,
    .rows = TableKind::kOrders,
    .decls = kDecls,
    .partial = &PartialContribution,
    .merge = &MergeContribution,
    .money_scale = [](ContributionPartial& p) -> int& { return p.money_scale; },
    .write =
        [](const ContributionPartial& p, byte_io::Writer& w) {
          aggregator_internal::WriteNested(p, &SerializeMarginPartial, w);
        },
    .read =
        [](byte_io::Reader& r, ContributionPartial* p) {
          return aggregator_internal::ReadNested(r, p, &DeserializeMarginPartial,
                                                 "margin partial");
        },
    .attach = [](ContributionPartial& p,
                 const ContributionPartial& fresh) { p.dictionaries = fresh.dictionaries; },
    .finish = [](ContributionPartial p, const O& options,
                 const Dataset*) -> absl::StatusOr<ResultSet> {
      absl::StatusOr<ContributionResult> r = FinishContribution(std::move(p), options);
      if (!r.ok()) return r.status();
      return SetOf(*r);
    },
};

}  // namespace

absl::Span<const OptionDecl<ContributionOptions>> ContributionOptionDecls() { return kDecls; }

AggregatorSpec ContributionAggregator() { return aggregator_internal::DeclareAggregator(&kKind); }

CalculatorSpec ContributionCalculator() {
  return DeclareCalculator<O>(
      "contribution",
      "Each group's share of total revenue or margin: share is the exact ratio, share_pct is "
      "rounded by the largest-remainder method so the column sums to exactly 100 "
      "(definitions: include/salesight/contribution.hpp, README).",
      {{TableKind::kOrders, true}, {TableKind::kProducts, false}}, {"table"},
      ContributionOptionDecls(), &Run);
}

}  // namespace salesight
