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
// order lines: the file grows with the members, not with the lines. The
// people rows are capped at options.max_people_rows (the salespeople with
// the most revenue in the period are kept; the targets follow them).
#include <algorithm>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_format.h"
#include "internal/panels.hpp"
#include "salesight/grain.hpp"
#include "salesight/margin.hpp"
#include "salesight/money.hpp"
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
  absl::flat_hash_set<std::int64_t> dropped;
  MarginResult& people = (*sets)[1];
  const auto sp = std::find(people.grouping.dimensions.begin(), people.grouping.dimensions.end(),
                            "salesperson");
  if (sp != people.grouping.dimensions.end() &&
      static_cast<std::int64_t>(people.groups.size()) > c.options.max_people_rows) {
    const std::size_t d = static_cast<std::size_t>(sp - people.grouping.dimensions.begin());
    const std::int64_t period_first = PeriodNumber(month, PeriodOf(month, c.from));
    absl::flat_hash_map<std::int64_t, std::pair<Money, std::int64_t>> by;  // revenue, rows
    for (const MarginGroup& g : people.groups) {
      auto& [revenue, rows] = by[g.key[d]];
      if (g.key[0] >= period_first && !AddMoney(revenue, g.figures.revenue, &revenue)) {
        return Failed(absl::OutOfRangeError("dashboard: a salesperson's revenue overflows"));
      }
      ++rows;
    }
    std::vector<std::pair<std::int64_t, std::pair<Money, std::int64_t>>> order(by.begin(), by.end());
    std::sort(order.begin(), order.end(), [](const auto& a, const auto& b) {
      return a.second.first != b.second.first ? a.second.first > b.second.first : a.first < b.first;
    });
    // The largest first, while their rows fit: a prefix of the ranking.
    std::int64_t kept_rows = 0, kept = 0;
    bool full = false;
    for (const auto& [id, figures] : order) {
      full = full || kept_rows + figures.second > c.options.max_people_rows;
      if (full) {
        dropped.insert(id);
        continue;
      }
      kept_rows += figures.second;
      ++kept;
    }
    std::erase_if(people.groups, [&](const MarginGroup& g) { return dropped.contains(g.key[d]); });
    f["people_kept"] = {{"salespeople", kept}, {"of", order.size()}};
  }
  f["people"] = cube(people);
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
        if (!row.target || *row.target == 0) continue;
        if (std::string_view(level) == "salesperson" && dropped.contains(row.group)) continue;
        rows.push_back({row.period - first, row.group, *row.target});
      }
      f["targets"] = {{"level", level}, {"columns", {"month", level, "target"}}, {"rows", rows}};
      break;
    }
  }
  return f;
}

}  // namespace salesight::dashboard
