// Panel 1, the sales trend: revenue by month / ISO week / day with last year,
// target and attainment, from one trend calculator pass over [ly_from, to].
#include <array>

#include "internal/panels.hpp"
#include "salesight/grain.hpp"
#include "salesight/trend.hpp"

namespace salesight::dashboard {
namespace {

Json Series(const Context& c, const TrendResult& t, Grain grain) {
  Json periods = Json::array(), revenue = Json::array(), last_year = Json::array(),
       target = Json::array(), attainment = Json::array(), orders = Json::array(),
       margin = Json::array();
  for (const TrendRow& row : t.rows) {
    if (row.period_end < c.from) continue;  // read only as a last-year base
    periods.push_back(PeriodLabel(grain, row.period));
    revenue.push_back(row.value.revenue);
    last_year.push_back(MoneyOrNull(row.growth.base));
    target.push_back(MoneyOrNull(row.target));
    std::optional<double> pct;
    if (row.target && *row.target > 0) {
      pct = 100.0 * static_cast<double>(row.value.revenue) / static_cast<double>(*row.target);
    }
    attainment.push_back(NumberOrNull(pct));
    orders.push_back(IntOrNull(row.value.orders));
    margin.push_back(MoneyOrNull(row.value.margin));
  }
  Json s = {{"periods", periods}, {"revenue", revenue}, {"last_year", last_year}};
  if (t.has_target) {
    s["target"] = target;
    s["attainment_pct"] = attainment;
  }
  s["orders"] = orders;
  s["margin"] = margin;
  return s;
}

}  // namespace

Json TrendPanel(const Context& c) {
  TrendOptions o;
  o.compare = TrendCompare::kLastYear;
  o.from = c.ly_from;
  o.to = c.to;
  o.as_of = c.to;
  o.num_threads = c.options.num_threads;
  const std::array<Grain, 3> grains = {Grain{GrainUnit::kMonth}, Grain{GrainUnit::kIsoWeek},
                                       Grain{GrainUnit::kDay}};
  absl::StatusOr<std::vector<TrendResult>> r = ComputeTrendGrains(c.data, grains, o);
  if (!r.ok()) return Failed(r.status());
  Json p = {{"status", "ok"}, {"default_grain", "month"}, {"has_target", (*r)[0].has_target}};
  if (!(*r)[0].has_target) p["target_reason"] = "no targets given";
  p["grains"] = {{"month", Series(c, (*r)[0], grains[0])},
                 {"week", Series(c, (*r)[1], grains[1])},
                 {"day", Series(c, (*r)[2], grains[2])}};
  return p;
}

}  // namespace salesight::dashboard
