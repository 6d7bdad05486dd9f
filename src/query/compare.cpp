// Compare: each row's value beside the same group's value in the previous
// period or the same period a year earlier. The comparison periods come from
// a second aggregation over the range moved back (so the query's own rows
// never change when compare is added), or from the query's groups when the
// range is unbounded below (they then cover the same lines).
#include <algorithm>
#include <cmath>
#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"

#include "query/internal/plan.hpp"

namespace salesight::query_internal {
namespace {

// The fewest and the most ordinals a comparison period lies back.
std::int32_t MinBack(QueryCompare compare, Grain grain) {
  if (compare == QueryCompare::kPrevious) return 1;
  if (grain.unit == GrainUnit::kDay) return 365;
  if (grain.unit == GrainUnit::kIsoWeek) return 52;
  return PeriodsPerYear(grain);
}
std::int32_t MaxBack(QueryCompare compare, Grain grain) {
  return compare == QueryCompare::kPrevious ? 1 : PeriodsPerYear(grain);
}

}  // namespace

std::optional<std::int32_t> ComparedPeriod(QueryCompare compare, Grain grain, std::int32_t p) {
  if (compare == QueryCompare::kPrevious) return p - 1;
  return SamePeriodLastYear(grain, p);
}

QuerySpec ComparisonSpec(const QuerySpec& spec) {
  QuerySpec out = spec;
  QueryTime& t = *out.time;
  const Grain grain = *t.grain;
  if (t.from != kNoDate) {
    const Day from = PeriodStart(grain, PeriodOf(grain, t.from) - MaxBack(t.compare, grain));
    t.from = std::max(from, kMinDay);
  }
  if (t.to != kNoDate) {
    const Day to = PeriodEnd(grain, PeriodOf(grain, t.to) - MinBack(t.compare, grain));
    t.to = std::max(to, kMinDay);
  }
  t.compare = QueryCompare::kNone;
  out.order.clear();
  out.limit.reset();
  out.offset = 0;
  out.top.reset();
  out.totals = QueryTotals::kNone;
  return out;
}

// compare target: revenue beside the same group's target (trend.hpp's
// compare target): revenue_target, revenue_change = revenue - target and
// revenue_change_pct = 100 x change / target (null when the target is 0).
void AddTargetColumns(const Plan& plan, const Groups& g, const std::vector<OutRow>& rows,
                      ResultTable& table) {
  ResultColumn& target = table.AddMoney("revenue_target", plan.money_scale);
  ResultColumn& change = table.AddMoney("revenue_change", plan.money_scale);
  ResultColumn& pct = table.AddDouble("revenue_change_pct");
  for (const OutRow& r : rows) {
    const Money revenue = g.sums[static_cast<std::size_t>(r.entry)].revenue;
    const Money t = TargetOf(g.table_sums[static_cast<std::size_t>(r.entry)]);
    Money delta = 0;
    const bool overflow = __builtin_sub_overflow(revenue, t, &delta);
    target.ints.push_back(t);
    change.ints.push_back(overflow ? 0 : delta);
    change.valid.push_back(overflow ? 0 : 1);
    const bool pct_null = overflow || t == 0;
    pct.doubles.push_back(pct_null ? 0 : 100.0 * static_cast<double>(delta) / static_cast<double>(t));
    pct.valid.push_back(pct_null ? 0 : 1);
  }
}

void AddCompareColumns(const Plan& plan, const Groups& g, const std::vector<OutRow>& rows,
                       const Plan& compared_plan, const Groups& compared, ResultTable& table) {
  if (plan.compare == QueryCompare::kTarget) {
    AddTargetColumns(plan, g, rows, table);
    return;
  }
  const GroupKeyer& k = *g.keyer;
  const GroupKeyer& ck = *compared.keyer;
  absl::flat_hash_map<std::vector<std::int32_t>, std::int32_t> slot_of;
  for (std::int32_t s = 0; s < ck.num_slots(); ++s) {
    const auto key = ck.Key(s);
    slot_of.emplace(std::vector<std::int32_t>(key.begin(), key.end()), s);
  }
  // Per row: the comparison's slot, -1 = a period without lines (zero sums),
  // -2 = no comparison (a total or "(others)" row, no such period).
  std::vector<std::int32_t> source;
  for (const OutRow& r : rows) {
    const bool synthetic = std::any_of(r.key.begin(), r.key.end(), [](std::int32_t part) {
      return part == kAllMember || part == kOthersMember;
    });
    std::optional<std::int32_t> period;
    if (!synthetic) period = ComparedPeriod(plan.compare, *plan.grain, k.Period(r.entry));
    if (!period) {
      source.push_back(-2);
      continue;
    }
    const auto key = k.Key(r.entry);
    std::vector<std::int32_t> wanted(key.begin(), key.end());
    wanted[0] = *period;  // the period is part 0 (aggregate.cpp)
    const auto it = slot_of.find(wanted);
    source.push_back(it == slot_of.end() ? -1 : it->second);
  }
  const std::string suffix = plan.compare == QueryCompare::kPrevious ? "_previous" : "_last_year";
  for (std::size_t m = 0; m < plan.measures.size(); ++m) {
    const MeasureId id = plan.measures[m];
    const std::string& name = plan.measure_names[m];
    const MeasureKind kind = KindOf(id);
    auto add = [&](const std::string& column, MeasureKind as) -> ResultColumn& {
      return as == MeasureKind::kMoney   ? table.AddMoney(column, plan.money_scale)
             : as == MeasureKind::kCount ? table.AddInt64(column)
                                         : table.AddDouble(column);
    };
    ResultColumn& before = add(name + suffix, kind);
    ResultColumn& change = add(name + "_change", kind);
    ResultColumn& pct = table.AddDouble(name + "_change_pct");
    for (std::size_t i = 0; i < rows.size(); ++i) {
      const MeasureValue now = ValueOf(plan, g, rows[i].entry, id);
      MeasureValue then;
      then.is_double = kind == MeasureKind::kRatio;
      then.null = source[i] == -2 || (source[i] == -1 && then.is_double);
      if (source[i] >= 0) then = ValueOf(compared_plan, compared, source[i], id);
      bool change_null = now.null || then.null;
      double delta = 0, base = 0;
      std::int64_t idelta = 0;
      if (then.is_double) {
        before.doubles.push_back(then.d);
        delta = now.d - then.d;
        base = then.d;
        change.doubles.push_back(change_null ? 0 : delta);
      } else {
        before.ints.push_back(then.i);
        change_null = change_null || __builtin_sub_overflow(now.i, then.i, &idelta);
        delta = static_cast<double>(idelta);
        base = static_cast<double>(then.i);
        change.ints.push_back(change_null ? 0 : idelta);
      }
      before.valid.push_back(then.null ? 0 : 1);
      change.valid.push_back(change_null ? 0 : 1);
      const bool pct_null = change_null || base == 0;
      pct.doubles.push_back(pct_null ? 0 : 100.0 * delta / std::abs(base));
      pct.valid.push_back(pct_null ? 0 : 1);
    }
  }
}

}  // namespace salesight::query_internal
