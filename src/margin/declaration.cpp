// margin, declared once (salesight/calculator.hpp): its options are
// src/margin/options_decl.cpp's; besides its typed surfaces (salesight_margin_compute,
// salesight.margin, `salesight margin`), every declared option through
// salesight_calculator_run(dataset, "margin", ...) and salesight.Dataset(...).run("margin").
// All named outputs come from one margin computation (the quadrant from its own
// two-period pass).
#include "core/internal/aggregator_kind.hpp"
#include "salesight/calculator.hpp"
#include "salesight/partial_state.hpp"
#include "salesight/margin.hpp"

namespace salesight {
namespace {

// The quadrant of the request's level (categories when the grouping is exactly
// category, else products), as salesight_margin_compute computes it; without a
// product column there is nothing to label: an empty quadrant.
absl::StatusOr<QuadrantResult> Quadrant(const Dataset& data, const MarginOptions& options) {
  const OrderLines& orders = *data.orders();
  const bool by_category =
      options.group_by.dimensions.size() == 1 && options.group_by.dimensions[0] == "category";
  if (orders.columns().product.empty()) {
    QuadrantResult empty;
    empty.level = by_category ? QuadrantLevel::kCategory : QuadrantLevel::kProduct;
    empty.money_scale = orders.money_scale();
    return empty;
  }
  QuadrantOptions q;
  q.level = by_category ? QuadrantLevel::kCategory : QuadrantLevel::kProduct;
  q.product_cost_order = options.product_cost_order;
  q.num_threads = options.num_threads;
  return ComputeQuadrant(orders, data.products(), q);
}

// Every output from the finished margin; the quadrant (its own pass over the
// lines) only when `data` is given.
absl::StatusOr<ResultSet> SetOf(const MarginResult& result, const MarginRequest& request,
                                const Dataset* data) {
  absl::StatusOr<MarginRanking> ranking = RankMargin(result, request.rank);
  if (!ranking.ok()) return ranking.status();
  AbcOptions abc_options;
  abc_options.metric = request.abc.value_or(AbcMetric::kRevenue);
  absl::StatusOr<AbcResult> abc = ClassifyAbc(result, abc_options);
  if (!abc.ok()) return abc.status();
  std::optional<QuadrantResult> quadrant;
  if (data != nullptr && data->orders() != nullptr) {
    absl::StatusOr<QuadrantResult> q = Quadrant(*data, request.options);
    if (!q.ok()) return q.status();
    quadrant = *std::move(q);
  } else if (request.quadrant) {
    return absl::InvalidArgumentError("margin partial: quadrant= needs the lines; finish with "
                                      "the dataset as context");
  }

  MarginTableOptions table;
  table.language = request.language;
  if (request.abc) table.abc = &*abc;
  if (request.quadrant) table.quadrant = &*quadrant;
  ResultSet out;
  out.tables.push_back({"table", ToResultTable(result, table)});
  out.tables.push_back({"ranking", ToResultTable(*ranking, result)});
  out.tables.push_back({"abc", ToResultTable(*abc, result)});
  if (quadrant) out.tables.push_back({"quadrant", ToResultTable(*quadrant, request.language)});
  out.problems = MarginProblems(result);
  return out;
}

absl::StatusOr<ResultSet> Run(const Dataset& data, const MarginRequest& request) {
  absl::StatusOr<MarginResult> result = ComputeMargin(data, request.options);
  if (!result.ok()) return result.status();
  return SetOf(*result, request, &data);
}

// The older byte format (salesight/partial_state.hpp) is kept: it is what
// salesight_partial_serialize has always written for margin.
const aggregator_internal::KindOps<MarginRequest, MarginPartial> kKind{
    .name = "margin",
    .kind = PartialKind::kMargin,
    .rows = TableKind::kOrders,
    .decls = MarginOptionDecls(),
    .partial = [](const Dataset& data, std::size_t begin, std::size_t end,
                  const MarginRequest& request) {
      return PartialMargin(data, begin, end, request.options);
    },
    .merge = &MergeMargin,
    .money_scale = [](MarginPartial& p) -> int& { return p.money_scale; },
    .serialize = &SerializeMarginPartial,
    .deserialize = &DeserializeMarginPartial,
    .attach = [](MarginPartial& p,
                 const MarginPartial& fresh) { p.dictionaries = fresh.dictionaries; },
    .finish = [](MarginPartial p, const MarginRequest& request,
                 const Dataset* context) -> absl::StatusOr<ResultSet> {
      if (p.grouping.dimensions != request.options.group_by.dimensions) {
        return absl::InvalidArgumentError("margin partial: by= differs from the partial's grouping");
      }
      absl::StatusOr<MarginResult> r = FinishMargin(std::move(p), request.options);
      if (!r.ok()) return r.status();
      return SetOf(*r, request, context);
    },
};

}  // namespace

AggregatorSpec MarginAggregator() { return aggregator_internal::DeclareAggregator(&kKind); }

CalculatorSpec MarginCalculator() {
  return DeclareCalculator<MarginRequest>(
      "margin",
      "Quantity, revenue, cost, margin, margin % and shares of total revenue and margin per "
      "group, the top/bottom ranked list, the ABC classes and the growth/share quadrant "
      "(definitions: include/salesight/margin.hpp, README).",
      {{TableKind::kOrders, true}, {TableKind::kProducts, false}},
      {"table", "ranking", "abc", "quadrant"}, MarginOptionDecls(), &Run);
}

}  // namespace salesight
