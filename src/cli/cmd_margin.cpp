// `salesight margin`: quantity, revenue, cost, margin, margin % and shares per
// group; --top N ranks, --abc classifies, --quadrant adds growth/share labels.
#include <iostream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "cli_common.hpp"
#include "commands.hpp"
#include "salesight/status_macros.hpp"
#include "command.hpp"
#include "salesight/margin.hpp"

namespace salesight::cli {
namespace {

absl::StatusOr<MarginGrouping> ParseGrouping(std::string_view spec) {
  absl::StatusOr<MarginGrouping> g = ParseMarginGrouping(spec);
  if (!g.ok()) return absl::InvalidArgumentError(absl::StrCat("--by: ", g.status().message()));
  return g;
}

absl::StatusOr<MarginMetric> ParseMetric(std::string_view name) {
  if (name == "revenue") return MarginMetric::kRevenue;
  if (name == "quantity") return MarginMetric::kQuantity;
  if (name == "margin") return MarginMetric::kMargin;
  if (name == "margin_pct") return MarginMetric::kMarginPct;
  return absl::InvalidArgumentError("--rank-by must be revenue, quantity, margin or margin_pct");
}

}  // namespace

int RunMargin(int argc, char** argv, int first) {
  const std::vector<FlagSpec> own = {
      {"by", "KEY,...", "group by any column of the orders or products (product by default, "
                        "category, customer, region, \"Sub-Category\", ...), order and/or a "
                        "period (day..year, fiscal_year[:M])"},
      {"from", "YYYY-MM-DD", "first order date included"},
      {"to", "YYYY-MM-DD", "last order date included"},
      FlagSpec{"top", "N", "only the top N groups by --rank-by"}
          .Range(0, 1000000000)
          .Excludes("bottom", "one ranked list at a time"),
      FlagSpec{"bottom", "N", "only the bottom N groups by --rank-by"}.Range(0, 1000000000),
      FlagSpec{"rank-by", "METRIC", "revenue, quantity, margin (default) or margin_pct"}.Needs(
          "top|bottom", "it orders the ranked list"),
      FlagSpec{"abc", "", "add the ABC class (A up to 80% cumulative, B up to 95%, C the rest)"}
          .Excludes("top|bottom", "the ranked list has no ABC column"),
      FlagSpec{"abc-metric", "revenue|margin", "what ABC ranks by (default revenue)"}.Needs("abc"),
      FlagSpec{"quadrant", "", "add star / cash_cow / question_mark / dog / new per product"}
          .Excludes("top|bottom", "the ranked list has no quadrant column"),
      FlagSpec{"lang", "en|zh", "label language of --abc / --quadrant (default en)"}.Needs(
          "abc|quadrant", "only their labels are translated"),
      ThreadsFlag(),
      OutFlag(),
  };
  int exit_code = 0;
  std::optional<Args> args = ParseCommand(
      argc, argv, first, {MainFile::kOrders}, own,
      "salesight margin --orders FILE --map order=COL,product=COL,amount=COL,"
      "(cost=COL|margin=COL|unit_cost=COL),quantity=COL[,category=COL,...] [options]",
      "Product and profitability: quantity, revenue, cost, gross margin, margin %, and the\n"
      "shares of total revenue and margin per group. Cost per line: the cost column, else\n"
      "quantity x unit cost, else the product's standard or tier cost; lines with no cost\n"
      "are counted and reported, never costed at zero. Without --orders it analyses the\n"
      "bundled sample. Definitions: include/salesight/margin.hpp, README.",
      &exit_code);
  if (!args) return exit_code;
  MarginOptions options;
  if (args->Has("quadrant") && args->GetOr("by", "product") != "product") {
    return UsageError(absl::InvalidArgumentError(
        "--quadrant labels products: it needs --by product (the default)"));
  }
  absl::StatusOr<MarginGrouping> grouping = ParseGrouping(args->GetOr("by", "product"));
  if (!grouping.ok()) return UsageError(grouping.status());
  options.group_by = *grouping;
  for (auto [flag, field] : {std::pair{"from", &options.from}, {"to", &options.to}}) {
    if (std::optional<std::string> v = args->Get(flag)) {
      absl::StatusOr<Day> d = ParseDate(*v, DateFormat::kIso);
      if (!d.ok()) return UsageError(d.status());
      *field = *d;
    }
  }
  absl::StatusOr<std::int64_t> threads = args->GetInt("threads", 0);
  if (!threads.ok()) return UsageError(threads.status());
  options.num_threads = static_cast<int>(*threads);
  const std::string lang = args->GetOr("lang", "en");
  if (lang != "en" && lang != "zh") {
    return UsageError(absl::InvalidArgumentError("--lang must be en or zh"));
  }
  const MarginLabelLanguage language =
      lang == "zh" ? MarginLabelLanguage::kChinese : MarginLabelLanguage::kEnglish;
  const std::string abc_metric = args->GetOr("abc-metric", "revenue");
  if (abc_metric != "revenue" && abc_metric != "margin") {
    return UsageError(absl::InvalidArgumentError("--abc-metric must be revenue or margin"));
  }
  absl::StatusOr<MarginMetric> rank_metric = ParseMetric(args->GetOr("rank-by", "margin"));
  if (!rank_metric.ok()) return UsageError(rank_metric.status());

  absl::StatusOr<std::unique_ptr<CommandData>> data = CommandData::Load(*args, MainFile::kOrders);
  if (!data.ok()) return DataError(data.status());
  const OrderLines* orders = (*data)->orders();
  const Products* products = (*data)->products();
  std::optional<Products> derived_products;
  if (const LoadedExports* exports = (*data)->exports()) {
    absl::StatusOr<std::optional<Products>> p =
        ProductsFromLineCategories(*exports->orders, exports->dicts);
    if (!p.ok()) return DataError(p.status());
    derived_products = *std::move(p);
    if (derived_products) products = &*derived_products;
  }
  DatasetTables tables;
  tables.orders = std::shared_ptr<const OrderLines>(orders, [](const OrderLines*) {});
  if (products != nullptr) {
    tables.products = std::shared_ptr<const Products>(products, [](const Products*) {});
  }
  absl::StatusOr<Dataset> dataset = Dataset::Build(std::move(tables));
  if (!dataset.ok()) return DataError(dataset.status());
  // --by names a dimension of the data.
  if (absl::Status st = CheckMarginGrouping(*dataset, options.group_by); !st.ok()) {
    return UsageError(absl::InvalidArgumentError(absl::StrCat("--by: ", st.message())));
  }
  absl::StatusOr<MarginResult> result = ComputeMargin(*dataset, options);
  if (!result.ok()) return DataError(result.status());
  PrintProblems(ProblemsToResultTable(MarginProblems(*result)), std::cerr);
  if (result->lines_outside_range > 0) {
    std::cerr << absl::StrFormat("%d lines outside --from/--to\n", result->lines_outside_range);
  }

  MarginTableOptions table_options;
  table_options.language = language;
  std::optional<AbcResult> abc;
  if (args->Has("abc")) {
    AbcOptions ao;
    ao.metric = abc_metric == "margin" ? AbcMetric::kMargin : AbcMetric::kRevenue;
    absl::StatusOr<AbcResult> a = ClassifyAbc(*result, ao);
    if (!a.ok()) return DataError(a.status());
    abc = *std::move(a);
    table_options.abc = &*abc;
  }
  std::optional<QuadrantResult> quadrant;
  if (args->Has("quadrant")) {
    QuadrantOptions qo;
    qo.num_threads = options.num_threads;
    absl::StatusOr<QuadrantResult> q = ComputeQuadrant(*orders, products, qo);
    if (!q.ok()) return DataError(q.status());
    quadrant = *std::move(q);
    table_options.quadrant = &*quadrant;
  }
  if (args->Has("top") || args->Has("bottom")) {
    MarginRankOptions ro;
    ro.metric = *rank_metric;
    ro.order = args->Has("top") ? MarginRankOrder::kTop : MarginRankOrder::kBottom;
    absl::StatusOr<std::int64_t> n = args->GetInt(args->Has("top") ? "top" : "bottom", 10);
    if (!n.ok()) return UsageError(n.status());  // the range is checked with the flags
    ro.n = static_cast<std::size_t>(*n);
    absl::StatusOr<MarginRanking> ranking = RankMargin(*result, ro);
    if (!ranking.ok()) return DataError(ranking.status());
    return WriteResult(ToResultTable(*ranking, *result), *args);
  }
  return WriteResult(ToResultTable(*result, table_options), *args);
}

}  // namespace salesight::cli
