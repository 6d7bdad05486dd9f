// The data the page's filters re-aggregate: the labels of the filter
// dimensions and two pre-aggregated fact tables (the margin calculator
// grouped by month and dimensions, over [ly_from, to] so that a filtered
// trend still has its last-year line), plus the targets per month and
// salesperson (or region) from the trend calculator.
//
// Size bound (rows, each a few small integers and three money sums):
//   sales:  months x regions x categories x channels present (<= lines)
//   people: months x (salesperson, region) pairs present    (<= lines)
//   targets: months x salespeople (or regions)
// With 8 regions, 10 categories, 4 channels and 200 salespeople over 36
// months that is at most 11,520 + 7,200 + 7,200 rows whatever the number of
// order lines: the file grows with the members, not with the lines.
#include "absl/strings/str_format.h"
#include "panels.hpp"
#include "salesight/grain.hpp"
#include "salesight/margin.hpp"
#include "salesight/trend.hpp"

namespace salesight::dashboard {
namespace {

// Labels of every member a cube row uses, by id.
void AddLabels(Json& labels, const DictionaryPtr& codes, std::int64_t id) {
  const std::string key = std::to_string(id);
  if (!labels.contains(key)) labels[key] = Label(codes, id);
}

}  // namespace

Json Filters(const Context& c) {
  std::vector<std::string> sales_dims, people_dims;
  for (const char* dim : {"region", "category", "channel"}) {
    if (CanGroupBy(c, dim)) sales_dims.push_back(dim);
  }
  for (const char* dim : {"region", "salesperson"}) {
    if (CanGroupBy(c, dim)) people_dims.push_back(dim);
  }
  std::vector<MarginGrouping> groupings(2);
  groupings[0].dimensions = {"month"};
  groupings[0].dimensions.insert(groupings[0].dimensions.end(), sales_dims.begin(), sales_dims.end());
  groupings[1].dimensions = {"month"};
  groupings[1].dimensions.insert(groupings[1].dimensions.end(), people_dims.begin(), people_dims.end());
  MarginOptions o;
  o.from = c.ly_from;
  o.to = c.to;
  o.num_threads = c.options.num_threads;
  absl::StatusOr<std::vector<MarginResult>> sets = ComputeMarginSets(c.data, groupings, o);
  if (!sets.ok()) return Failed(sets.status());

  const Grain month{GrainUnit::kMonth};
  const std::int32_t first = PeriodOf(month, c.ly_from), last = PeriodOf(month, c.to);
  Json months = Json::array();
  for (std::int32_t m = first; m <= last; ++m) months.push_back(PeriodLabel(month, m));
  Json labels = Json::object();
  auto cube = [&](const MarginResult& r) {
    Json columns = Json::array({"month"});
    for (std::size_t d = 1; d < r.grouping.dimensions.size(); ++d) {
      columns.push_back(r.grouping.dimensions[d]);
      if (!labels.contains(r.grouping.dimensions[d])) labels[r.grouping.dimensions[d]] = Json::object();
    }
    for (const char* m : {"revenue", "margin", "costed_revenue"}) columns.push_back(m);
    Json rows = Json::array();
    for (const MarginGroup& g : r.groups) {
      const std::optional<std::int32_t> ordinal = PeriodFromNumber(month, g.key[0]);
      Json row = Json::array({ordinal ? *ordinal - first : -1});
      for (std::size_t d = 1; d < r.grouping.dimensions.size(); ++d) {
        row.push_back(g.key[d]);
        AddLabels(labels[r.grouping.dimensions[d]], r.dictionaries[d], g.key[d]);
      }
      row.push_back(g.figures.revenue);
      row.push_back(g.figures.margin);
      row.push_back(g.figures.revenue - g.figures.cost_unknown_revenue);
      rows.push_back(row);
    }
    return Json{{"columns", columns}, {"rows", rows}};
  };
  Json f = {{"months", months},
            {"period", {{"from", MonthLabel(c.from)}, {"to", MonthLabel(c.to)}}}};
  f["sales"] = cube((*sets)[0]);
  f["people"] = cube((*sets)[1]);
  f["labels"] = labels;

  if (c.data.targets() != nullptr) {
    for (const char* level : {"salesperson", "region"}) {
      TrendOptions t;
      t.group_by = level;
      t.from = c.from;
      t.to = c.to;
      t.with_margin = false;
      t.count_orders = false;
      t.emit_empty_periods = false;
      t.num_threads = c.options.num_threads;
      absl::StatusOr<TrendResult> r = ComputeTrend(c.data, t);
      if (!r.ok()) continue;
      Json rows = Json::array();
      for (const TrendRow& row : r->rows) {
        if (row.target && *row.target != 0) rows.push_back({row.period - first, row.group, *row.target});
      }
      f["targets"] = {{"level", level}, {"columns", {"month", level, "target"}}, {"rows", rows}};
      break;
    }
  }
  return f;
}

}  // namespace salesight::dashboard
