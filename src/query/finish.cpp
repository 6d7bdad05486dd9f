// Finish: the groups' values (ratios from summed components), the measure
// filters (HAVING), the canonical row order and the ResultTable.
#include <cmath>
#include <string>
#include <variant>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_format.h"
#include "salesight/status_macros.hpp"
#include "query/internal/plan.hpp"

namespace salesight::query_internal {
namespace {

MeasureValue Int(std::int64_t v) {
  MeasureValue out;
  out.i = v;
  return out;
}
MeasureValue Ratio(double num, double den, double scale) {
  MeasureValue out;
  out.is_double = true;
  out.null = den == 0;
  out.d = out.null ? 0 : num / den * scale;
  return out;
}

// <0, 0, >0: the group's value against a filter value (money in currency
// units, rounded to the money scale; the caller handles null).
int Compare(const Plan& plan, MeasureId m, const MeasureValue& v, const QueryValue& x) {
  if (!v.is_double) {
    std::int64_t target = 0;
    bool exact = false;
    const std::int64_t unit = KindOf(m) == MeasureKind::kMoney ? Pow10(plan.money_scale) : 1;
    if (const std::int64_t* i = std::get_if<std::int64_t>(&x)) {
      exact = !__builtin_mul_overflow(*i, unit, &target);
    } else if (const double* d = std::get_if<double>(&x); d != nullptr && unit > 1) {
      const long double scaled = std::nearbyintl(static_cast<long double>(*d) * unit);
      exact = std::fabs(scaled) < 9.2e18L;
      if (exact) target = static_cast<std::int64_t>(scaled);
    }
    if (exact) return v.i < target ? -1 : v.i > target ? 1 : 0;
    const long double a = static_cast<long double>(v.i) / unit;
    const long double b = std::holds_alternative<double>(x)
                              ? static_cast<long double>(std::get<double>(x))
                              : static_cast<long double>(std::get<std::int64_t>(x));
    return a < b ? -1 : a > b ? 1 : 0;
  }
  const double b = std::holds_alternative<double>(x) ? std::get<double>(x)
                                                     : static_cast<double>(std::get<std::int64_t>(x));
  return v.d < b ? -1 : v.d > b ? 1 : 0;
}

bool Having(const Plan& plan, const Groups& g, std::int32_t slot, const QueryFilter& f) {
  if (f.kind != QueryFilter::Kind::kCondition) {
    const bool is_and = f.kind == QueryFilter::Kind::kAnd;
    for (const QueryFilter& c : f.children) {
      if (Having(plan, g, slot, c) != is_and) return !is_and;
    }
    return is_and;
  }
  std::size_t index = 0;
  while (plan.measure_names[index] != f.member) ++index;  // plan.cpp: a measure of the query
  const MeasureId m = plan.measures[index];
  const MeasureValue v = ValueOf(plan, g, slot, m);
  if (f.op == FilterOp::kSet) return !v.null;
  if (f.op == FilterOp::kNotSet) return v.null;
  if (v.null) return false;
  auto cmp = [&](std::size_t i) { return Compare(plan, m, v, f.values[i]); };
  bool any_equal = false;
  for (std::size_t i = 0; i < f.values.size(); ++i) any_equal = any_equal || cmp(i) == 0;
  switch (f.op) {
    case FilterOp::kEquals:
    case FilterOp::kIn: return any_equal;
    case FilterOp::kNotEquals:
    case FilterOp::kNotIn: return !any_equal;
    case FilterOp::kGt: return cmp(0) > 0;
    case FilterOp::kGte: return cmp(0) >= 0;
    case FilterOp::kLt: return cmp(0) < 0;
    case FilterOp::kLte: return cmp(0) <= 0;
    case FilterOp::kBetween: return cmp(0) >= 0 && cmp(1) <= 0;
    default: return false;  // CheckQuery refuses contains/startsWith on measures
  }
}

// Messages only (the result's labels come from the rows' keys).
std::string DimLabel(const Plan& plan, const GroupKeyer& k, std::int32_t slot, std::size_t d) {
  const GroupDim& dim = plan.dims[d];
  const Id code = k.Code(slot, static_cast<int>(d));
  if (dim.is_period) return PeriodLabel(dim.grain, dim.lo + code);
  return DimensionLabel(dim.column.dictionary, code);
}

MeasureValue Null(bool is_double) {
  MeasureValue out;
  out.is_double = is_double;
  out.null = true;
  return out;
}

// The other tables' measures (tables.cpp has their definitions).
MeasureValue TableValueOf(const Plan& plan, const Groups& g, std::int32_t slot, MeasureId m) {
  const auto e = static_cast<std::size_t>(slot);
  const TableSums t = e < g.table_sums.size() ? g.table_sums[e] : TableSums{};
  const bool mixed = e < g.entry_period.size() && g.entry_period[e] == kMixedPeriods;
  switch (m) {
    case MeasureId::kOpportunities: return Int(t.opportunities);
    case MeasureId::kWon: return Int(t.won);
    case MeasureId::kLost: return Int(t.lost);
    case MeasureId::kWinRate:
      return Ratio(static_cast<double>(t.won), static_cast<double>(t.won + t.lost), 1.0);
    case MeasureId::kPipelineAmount: return Int(t.pipeline_amount);
    case MeasureId::kWeightedPipeline: {
      // funnel.hpp: sum over stages of open amount x p_s, in currency units;
      // null when a stage holding open opportunities has no p_s.
      MeasureValue out;
      out.is_double = true;
      const auto S = static_cast<std::size_t>(plan.stages);
      for (std::size_t s = 0; s < S && e * S + s < g.open_by_stage.size(); ++s) {
        if (g.stage_probability.size() > s && g.stage_probability[s]) {
          out.d += MoneyToDouble(g.open_by_stage[e * S + s], plan.money_scale) *
                   *g.stage_probability[s];
        } else if (g.open_count_by_stage[e * S + s] > 0) {
          return Null(true);
        }
      }
      return out;
    }
    case MeasureId::kBilled: return Int(t.billed);
    case MeasureId::kCollected: return Int(t.collected);
    case MeasureId::kCollectionRate:
      return Ratio(static_cast<double>(t.collected), static_cast<double>(t.billed), 1.0);
    case MeasureId::kCreditSales: return Int(t.credit_sales);
    case MeasureId::kOutstanding: return mixed ? Null(false) : Int(t.outstanding);
    case MeasureId::kOverdue: return mixed ? Null(false) : Int(t.overdue);
    case MeasureId::kDso: {
      // receivables.hpp: outstanding / credit_sales x the days of [start, t].
      if (mixed || t.credit_sales <= 0) return Null(true);
      Day start = plan.from, end = plan.as_of;
      if (plan.grain) {
        const std::int32_t p = g.entry_period[e];
        const Day ps = PeriodStart(*plan.grain, p);
        start = start == kNoDate ? ps : std::max(start, ps);
        end = std::min(end, PeriodEnd(*plan.grain, p));
      }
      if (start == kNoDate) return Null(true);
      const double days = static_cast<double>(end) - static_cast<double>(start) + 1.0;
      return Ratio(static_cast<double>(t.outstanding), static_cast<double>(t.credit_sales), days);
    }
    case MeasureId::kTarget: return Int(TargetOf(t));
    case MeasureId::kAttainmentPct:
      return Ratio(static_cast<double>(g.sums[e].revenue), static_cast<double>(TargetOf(t)),
                   100.0);
    default: return MeasureValue{};
  }
}

}  // namespace

MeasureKind KindOf(MeasureId m) {
  switch (m) {
    case MeasureId::kRevenue:
    case MeasureId::kCost:
    case MeasureId::kCostedRevenue:
    case MeasureId::kMargin:
    case MeasureId::kReturnAmount:
    case MeasureId::kPipelineAmount:
    case MeasureId::kBilled:
    case MeasureId::kCollected:
    case MeasureId::kCreditSales:
    case MeasureId::kOutstanding:
    case MeasureId::kOverdue:
    case MeasureId::kTarget: return MeasureKind::kMoney;
    case MeasureId::kMarginPct:
    case MeasureId::kAov:
    case MeasureId::kRevenuePerCustomer:
    case MeasureId::kWinRate:
    case MeasureId::kWeightedPipeline:
    case MeasureId::kCollectionRate:
    case MeasureId::kDso:
    case MeasureId::kAttainmentPct: return MeasureKind::kRatio;
    default: return MeasureKind::kCount;
  }
}

std::string DescribeSlot(const Plan& plan, const GroupKeyer& keyer, std::int32_t slot) {
  std::string out;
  if (plan.grain) out = plan.time_column + "=" + PeriodLabel(*plan.grain, keyer.Period(slot));
  for (std::size_t d = 0; d < plan.dims.size(); ++d) {
    if (!out.empty()) out += ", ";
    out += plan.dims[d].name + "=" + DimLabel(plan, keyer, slot, d);
  }
  return out.empty() ? "all lines" : out;
}

MeasureValue ValueOf(const Plan& plan, const Groups& g, std::int32_t slot, MeasureId m) {
  const OrderSums& s = g.sums[static_cast<std::size_t>(slot)];
  auto distinct = [&](int which) { return g.distinct[which][static_cast<std::size_t>(slot)]; };
  const double unit = static_cast<double>(Pow10(plan.money_scale));
  // margin = costed_revenue - cost: both sums are exact; Finish checks the
  // difference before any value is read.
  switch (m) {
    case MeasureId::kRevenue: return Int(s.revenue);
    case MeasureId::kCost: return Int(s.cost);
    case MeasureId::kCostedRevenue: return Int(s.costed_revenue);
    case MeasureId::kMargin: return Int(s.costed_revenue - s.cost);
    case MeasureId::kMarginPct:
      return Ratio(static_cast<double>(s.costed_revenue - s.cost),
                   static_cast<double>(s.costed_revenue), 100.0);
    case MeasureId::kQuantity: return Int(s.quantity);
    case MeasureId::kLines: return Int(s.lines);
    case MeasureId::kOrders: return Int(distinct(kDistinctOrders));
    case MeasureId::kCustomers: return Int(distinct(kDistinctCustomers));
    case MeasureId::kNewCustomers: return Int(distinct(kDistinctNew));
    case MeasureId::kReturningCustomers: return Int(distinct(kDistinctReturning));
    case MeasureId::kAov:
      return Ratio(static_cast<double>(s.revenue), static_cast<double>(distinct(kDistinctOrders)),
                   1.0 / unit);
    case MeasureId::kRevenuePerCustomer:
      return Ratio(static_cast<double>(s.revenue),
                   static_cast<double>(distinct(kDistinctCustomers)), 1.0 / unit);
    case MeasureId::kReturnAmount: return Int(s.returns);
    default: return TableValueOf(plan, g, slot, m);
  }
  return MeasureValue{};
}

absl::StatusOr<QueryResult> Finish(const Plan& plan, const QuerySpec& spec, Groups groups,
                                   const Plan* compared_plan, const Groups* compared) {
  const GroupKeyer& k = *groups.keyer;
  std::vector<std::int32_t> rows;
  std::int64_t unknown_lines = 0;
  Money unknown_revenue = 0;
  for (const std::int32_t slot : k.CanonicalOrder()) {
    const OrderSums& s = groups.sums[static_cast<std::size_t>(slot)];
    Money margin = 0;
    if (plan.need_cost && __builtin_sub_overflow(s.costed_revenue, s.cost, &margin)) {
      return absl::OutOfRangeError(absl::StrFormat(
          "query: the margin of the group (%s) overflows int64", DescribeSlot(plan, k, slot)));
    }
    unknown_lines += s.cost_unknown_lines;
    if (__builtin_add_overflow(unknown_revenue, s.cost_unknown_revenue, &unknown_revenue)) {
      unknown_revenue = 0;
    }
    bool keep = true;
    for (const QueryFilter* f : plan.having) keep = keep && Having(plan, groups, slot, *f);
    if (keep) rows.push_back(slot);
  }

  SALESIGHT_ASSIGN_OR_RETURN(const std::vector<OutRow> shaped, ShapeRows(plan, spec, groups, rows));
  bool synthetic = false;
  for (const OutRow& r : shaped) {
    for (const std::int32_t part : r.key) synthetic = synthetic || part == kAllMember || part == kOthersMember;
  }
  auto label = [&](std::int32_t part, auto real) -> std::string {
    if (part == kAllMember) return "(all)";
    if (part == kOthersMember) return "(others)";
    return real(part);
  };

  QueryResult out;
  ResultTable& t = out.table;
  const std::size_t offset = plan.grain ? 1 : 0;
  if (plan.grain) {
    ResultColumn& col = t.AddString(plan.time_column);
    for (const OutRow& r : shaped) {
      col.strings.push_back(label(r.key[0], [&](std::int32_t p) { return PeriodLabel(*plan.grain, p); }));
    }
  }
  for (std::size_t d = 0; d < plan.dims.size(); ++d) {
    const GroupDim& dim = plan.dims[d];
    if (!synthetic && !dim.is_period && dim.column.dictionary && !dim.column.may_be_missing) {
      ResultColumn& col = t.AddCodes(dim.name, dim.column.dictionary);
      for (const OutRow& r : shaped) col.codes.push_back(r.key[offset + d]);
    } else {
      ResultColumn& col = t.AddString(dim.name);
      for (const OutRow& r : shaped) {
        col.strings.push_back(label(r.key[offset + d], [&](std::int32_t code) {
          return dim.is_period ? PeriodLabel(dim.grain, dim.lo + code)
                               : DimensionLabel(dim.column.dictionary, code);
        }));
      }
    }
  }
  for (std::size_t m = 0; m < plan.measures.size(); ++m) {
    const MeasureId id = plan.measures[m];
    const std::string& name = plan.measure_names[m];
    const MeasureKind kind = KindOf(id);
    ResultColumn& col = kind == MeasureKind::kMoney   ? t.AddMoney(name, plan.money_scale)
                        : kind == MeasureKind::kCount ? t.AddInt64(name)
                                               : t.AddDouble(name);
    bool any_null = false;
    for (const OutRow& r : shaped) {
      const MeasureValue v = ValueOf(plan, groups, r.entry, id);
      if (kind == MeasureKind::kRatio) {
        col.doubles.push_back(v.d);
      } else {
        col.ints.push_back(v.i);
      }
      col.valid.push_back(v.null ? 0 : 1);
      any_null = any_null || v.null;
    }
    if (!any_null) col.valid.clear();
  }
  if (plan.compare != QueryCompare::kNone) {
    AddCompareColumns(plan, groups, shaped, compared_plan != nullptr ? *compared_plan : plan,
                      compared != nullptr ? *compared : groups, t);
  }
  SALESIGHT_RETURN_IF_ERROR(t.Validate());
  out.problems.money_scale = plan.money_scale;
  if (plan.need_cost && unknown_lines > 0) {
    out.problems.items.push_back(
        CostUnknownProblem(unknown_lines, unknown_revenue, plan.money_scale));
  }
  return out;
}

}  // namespace salesight::query_internal
