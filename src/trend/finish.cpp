// Finishing a trend: days -> periods (once per day, not per line), targets
// spread by calendar days, comparisons and growth from exact integers.
#include <algorithm>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "core/internal/parallel.hpp"
#include "salesight/status_macros.hpp"
#include "internal/trend.hpp"

namespace salesight {
namespace {


__extension__ typedef __int128 Int128;

// Per (group, day) or (group, period) figures.
struct Cells {
  std::vector<Money> revenue, margin, collections;
  std::vector<std::int64_t> lines, costed_lines, orders, payments;
  void Resize(std::size_t n) {
    revenue.assign(n, 0);
    margin.assign(n, 0);
    collections.assign(n, 0);
    lines.assign(n, 0);
    costed_lines.assign(n, 0);
    orders.assign(n, 0);
    payments.assign(n, 0);
  }
  // into[t] += from[s]; false on overflow.
  bool AddFrom(const Cells& from, std::size_t s, std::size_t t) {
    lines[t] += from.lines[s];
    costed_lines[t] += from.costed_lines[s];
    orders[t] += from.orders[s];
    payments[t] += from.payments[s];
    return AddMoney(revenue[t], from.revenue[s], &revenue[t]) &&
           AddMoney(margin[t], from.margin[s], &margin[t]) &&
           AddMoney(collections[t], from.collections[s], &collections[t]);
  }
};

struct Flags {
  bool margin, orders, collections;
};

TrendMeasures MeasuresAt(const Cells& c, std::size_t i, const Flags& f) {
  TrendMeasures m;
  m.revenue = c.revenue[i];
  m.lines = c.lines[i];
  if (f.margin && c.costed_lines[i] > 0) m.margin = c.margin[i];
  if (f.orders) m.orders = c.orders[i];
  if (f.collections) m.collections = c.collections[i];
  return m;
}

std::optional<std::int64_t> Pick(const TrendMeasures& m, TrendMeasure measure) {
  switch (measure) {
    case TrendMeasure::kRevenue:
      return m.revenue;
    case TrendMeasure::kMargin:
      return m.margin;
    case TrendMeasure::kOrders:
      return m.orders;
    case TrendMeasure::kCollections:
      return m.collections;
  }
  return std::nullopt;
}

absl::StatusOr<TrendGrowth> MakeGrowth(std::optional<std::int64_t> cur,
                                       std::optional<std::int64_t> base) {
  TrendGrowth g;
  g.base = base;
  if (!cur || !base) return g;
  std::int64_t diff;
  if (__builtin_sub_overflow(*cur, *base, &diff)) {
    return absl::OutOfRangeError(
        absl::StrCat("trend: difference ", *cur, " - ", *base, " overflows int64"));
  }
  g.difference = diff;
  if (*base == 0) return g;
  // As SQL divides: the exact integer difference, then one double division.
  g.growth = static_cast<double>(diff) / static_cast<double>(*base);
  g.growth_pct = *g.growth * 100.0;
  g.growth_ratio = static_cast<double>(*cur) / static_cast<double>(*base);
  return g;
}

int DaysInMonth(int year, int month) {
  return (month == 12 ? DayFromCivil(year + 1, 1, 1) : DayFromCivil(year, month + 1, 1)) -
         DayFromCivil(year, month, 1);
}

// Round num / den (den > 0) to nearest, halves away from zero.
Int128 RoundDiv(Int128 num, Int128 den) {
  const Int128 q = num / den, r = num % den;
  if (2 * (r < 0 ? -r : r) >= den) return q + (num < 0 ? -1 : 1);
  return q;
}

// Monthly targets per (group, month ordinal), at the result's money scale.
using TargetMap = absl::flat_hash_map<std::int64_t, Money>;

absl::StatusOr<TargetMap> MonthlyTargets(const Targets& targets, const TrendOptions& options,
                                         int money_scale) {
  const TargetsColumns& c = targets.columns();
  const bool grouped = !options.group_by.empty();
  if (grouped) {
    const bool ok = (options.group_by == "salesperson" && c.level == TargetLevel::kSalesperson) ||
                    (options.group_by == "region" && c.level == TargetLevel::kRegion);
    if (!ok) {
      return absl::InvalidArgumentError(absl::StrCat(
          "trend: targets of this level cannot be matched to a trend grouped by ",
          options.group_by, " (targets are set per salesperson or per region)"));
    }
  }
  if (c.money_scale > money_scale) {
    return absl::InvalidArgumentError(absl::StrCat("trend: targets' money scale ", c.money_scale,
                                                   " exceeds the orders' ", money_scale));
  }
  TargetMap map;
  for (std::size_t i = 0; i < targets.size(); ++i) {
    const int yyyymm = c.month[i];
    const int year = yyyymm / 100, month = yyyymm % 100;
    if (month < 1 || month > 12) {
      return absl::InvalidArgumentError(
          absl::StrCat("trend: targets row ", i, ", column 'month': ", yyyymm, " is not yyyymm"));
    }
    SALESIGHT_ASSIGN_OR_RETURN(const Money amount,
                               RescaleMoney(c.amount[i], c.money_scale, money_scale));
    const std::int64_t g = grouped ? c.key[i] : 0;
    const std::int64_t key = g * (1 << 20) + (year * 12 + month - 1);
    Money& slot = map[key];
    if (!AddMoney(slot, amount, &slot)) {
      return absl::OutOfRangeError(absl::StrCat("trend: targets for ", yyyymm, " overflow"));
    }
  }
  return map;
}

// Target of group g over days [b, e]: each day gets its month's target /
// days in month; one rounding at the end.
Money SpreadTarget(const TargetMap& map, std::int64_t g, Day b, Day e) {
  Int128 whole = 0, num = 0, den = 1;
  Day d = b;
  while (d <= e) {
    const CivilDate c = CivilFromDay(d);
    const int dim = DaysInMonth(c.year, c.month);
    const Day month_end = d - (c.day - 1) + dim - 1;
    const Day last = std::min(e, month_end);
    const int covered = last - d + 1;
    auto it = map.find(g * (1 << 20) + (c.year * 12 + c.month - 1));
    const Money t = it == map.end() ? 0 : it->second;
    if (covered == dim) {
      whole += t;
    } else {
      num = num * dim + static_cast<Int128>(t) * covered * den;
      den *= dim;
    }
    d = last + 1;
  }
  return static_cast<Money>(whole + RoundDiv(num, den));
}

}  // namespace

absl::StatusOr<TrendResult> FinishTrend(TrendPartial partial, const Targets* targets,
                                        const TrendOptions& options) {
  TrendResult r;
  r.options = options;
  r.money_scale = partial.money_scale;
  r.has_margin = partial.has_margin;
  r.has_orders = partial.lines_source && partial.has_orders;
  r.has_collections = partial.has_collections;
  r.has_target = targets != nullptr;
  r.lines_outside_range = partial.lines_outside_range;
  r.group_codes = partial.group_codes;
  const Flags flags{r.has_margin, r.has_orders, r.has_collections};
  if (options.compare == TrendCompare::kTarget) {
    if (targets == nullptr) {
      return absl::InvalidArgumentError("trend: compare = target needs a Targets table");
    }
    if (options.compare_measure != TrendMeasure::kRevenue) {
      return absl::InvalidArgumentError("trend: targets are revenue targets; compare_measure "
                                        "must be revenue");
    }
  }
  const bool grouped = !options.group_by.empty();
  const std::int64_t G = partial.groups, D = partial.days;
  const Day lo = partial.first_day;

  // Day cells: revenue/lines/collections from the partial, margin and orders
  // scattered in.
  Cells day;
  day.revenue = std::move(partial.revenue);
  day.lines = std::move(partial.lines);
  day.collections = std::move(partial.collections);
  day.payments = std::move(partial.payments);
  const auto ncells = static_cast<std::size_t>(G * D);
  day.margin.assign(ncells, 0);
  day.costed_lines.assign(ncells, 0);
  day.orders.assign(ncells, 0);
  auto cell_of = [&](std::int64_t g, Day d) -> std::optional<std::size_t> {
    if (g < 0 || g >= G || d < lo || d >= lo + D) return std::nullopt;
    return static_cast<std::size_t>(g * D + (d - lo));
  };
  if (r.has_margin) {
    const std::size_t dims = partial.margin.grouping.dimensions.size();
    for (std::size_t k = 0; k < partial.margin.sums.size(); ++k) {
      const std::int64_t* key = &partial.margin.keys[k * dims];
      const std::int64_t g = grouped ? key[0] : 0;
      const auto d = static_cast<Day>(key[dims - 1]);
      const MarginSums& s = partial.margin.sums[k];
      const auto c = cell_of(g, d);
      if (!c) return absl::InternalError("trend: margin cell outside the window");
      day.margin[*c] = s.revenue - s.cost_unknown_revenue - s.cost;
      day.costed_lines[*c] = s.lines - s.cost_unknown_lines;
    }
  }
  for (const TrendOrderFirst& f : partial.orders) {
    const auto c = cell_of(f.group, f.day);
    if (!c) return absl::InternalError("trend: order cell outside the window");
    ++day.orders[*c];
  }

  // Totals.
  {
    Cells t;
    t.Resize(1);
    for (std::size_t i = 0; i < ncells; ++i) {
      if (!t.AddFrom(day, i, 0)) {
        return absl::OutOfRangeError("trend: a total over the whole range overflows int64");
      }
    }
    r.total = MeasuresAt(t, 0, flags);
  }

  // Period axis: [p_lo, p_hi] covers the window and, with emit_empty, from/to.
  const Grain grain = options.grain;
  std::int32_t p_lo = 0, p_hi = -1;
  if (D > 0) {
    p_lo = PeriodOf(grain, lo);
    p_hi = PeriodOf(grain, static_cast<Day>(lo + D - 1));
  }
  std::int32_t e_lo = p_lo, e_hi = p_hi;  // emitted axis (emit_empty)
  if (options.emit_empty_periods) {
    if (options.from != kNoDate) e_lo = PeriodOf(grain, options.from);
    if (options.to != kNoDate) e_hi = PeriodOf(grain, options.to);
    if (D == 0 && (options.from == kNoDate || options.to == kNoDate)) e_hi = e_lo - 1;
  }
  std::int32_t a_lo = p_lo, a_hi = p_hi;
  if (D == 0) {
    a_lo = e_lo;
    a_hi = e_hi;
  } else if (e_hi >= e_lo) {
    a_lo = std::min(a_lo, e_lo);
    a_hi = std::max(a_hi, e_hi);
  }
  const std::int64_t P = std::max<std::int64_t>(0, std::int64_t{a_hi} - a_lo + 1);
  Cells per;
  per.Resize(static_cast<std::size_t>(G * P));
  if (D > 0) {
    std::vector<std::int32_t> period_of_day(static_cast<std::size_t>(D));
    for (std::int64_t d = 0; d < D; ++d) {
      period_of_day[static_cast<std::size_t>(d)] =
          PeriodOf(grain, static_cast<Day>(lo + d)) - a_lo;
    }
    for (std::int64_t g = 0; g < G; ++g) {
      for (std::int64_t d = 0; d < D; ++d) {
        const auto s = static_cast<std::size_t>(g * D + d);
        const auto t = static_cast<std::size_t>(g * P + period_of_day[static_cast<std::size_t>(d)]);
        if (!per.AddFrom(day, s, t)) {
          return absl::OutOfRangeError(absl::StrCat(
              "trend: the period ", PeriodLabel(grain, a_lo + period_of_day[static_cast<std::size_t>(d)]),
              grouped ? absl::StrCat(" of ", options.group_by, " ", g) : "",
              " overflows int64"));
        }
      }
    }
  }
  auto active = [&](std::int64_t g, std::int64_t p) {
    const auto i = static_cast<std::size_t>(g * P + p);
    return per.lines[i] > 0 || per.payments[i] > 0;
  };
  std::vector<bool> group_active(static_cast<std::size_t>(G), false);
  for (std::int64_t g = 0; g < G; ++g) {
    for (std::int64_t p = 0; p < P && !group_active[static_cast<std::size_t>(g)]; ++p) {
      group_active[static_cast<std::size_t>(g)] = active(g, p);
    }
  }
  if (!grouped && options.emit_empty_periods && e_hi >= e_lo) group_active[0] = true;

  TargetMap target_map;
  if (targets != nullptr) {
    SALESIGHT_ASSIGN_OR_RETURN(target_map, MonthlyTargets(*targets, options, r.money_scale));
  }
  auto period_target = [&](std::int64_t g, std::int32_t period) {
    Day b = PeriodStart(grain, period), e = PeriodEnd(grain, period);
    if (options.from != kNoDate) b = std::max(b, options.from);
    if (options.to != kNoDate) e = std::min(e, options.to);
    return b > e ? Money{0} : SpreadTarget(target_map, g, b, e);
  };
  // Whether the base period `q` of group g exists (see the header).
  auto base_exists = [&](std::int64_t g, std::int32_t q) {
    if (options.emit_empty_periods) return q >= e_lo && q <= e_hi && e_lo >= a_lo && e_hi <= a_hi;
    return q >= a_lo && q <= a_hi && active(g, q - a_lo);
  };
  // Base periods that exist lie inside [a_lo, a_hi] (a covers the emitted axis).
  auto measures_of = [&](std::int64_t g, std::int32_t q) {
    return MeasuresAt(per, static_cast<std::size_t>(g * P + (q - a_lo)), flags);
  };

  for (std::int64_t g = 0; g < G; ++g) {
    if (!group_active[static_cast<std::size_t>(g)]) continue;
    const std::int32_t from_p = options.emit_empty_periods ? e_lo : a_lo;
    const std::int32_t to_p = options.emit_empty_periods ? e_hi : a_hi;
    for (std::int32_t p = from_p; p <= to_p; ++p) {
      if (!options.emit_empty_periods && !active(g, p - a_lo)) continue;
      TrendRow row;
      row.group = grouped ? static_cast<Id>(g) : kNoId;
      row.period = p;
      row.period_start = PeriodStart(grain, p);
      row.period_end = PeriodEnd(grain, p);
      row.value = measures_of(g, p);
      if (targets != nullptr) row.target = period_target(g, p);
      std::optional<std::int64_t> base;
      if (options.compare == TrendCompare::kTarget) {
        base = row.target;
      } else {
        std::optional<std::int32_t> q = options.compare == TrendCompare::kPrevious
                                            ? std::optional<std::int32_t>(p - 1)
                                            : SamePeriodLastYear(grain, p);
        if (q && base_exists(g, *q)) base = Pick(measures_of(g, *q), options.compare_measure);
      }
      SALESIGHT_ASSIGN_OR_RETURN(row.growth,
                                 MakeGrowth(Pick(row.value, options.compare_measure), base));
      r.rows.push_back(std::move(row));
    }
  }

  // Period-to-date: sums over day ranges of the window.
  if (options.as_of != kNoDate) {
    auto in_range = [&](Day b, Day e) {
      return (options.from == kNoDate || b >= options.from) &&
             (options.to == kNoDate || e <= options.to);
    };
    auto sum_days = [&](std::int64_t g, Day b, Day e) -> absl::StatusOr<TrendMeasures> {
      Cells t;
      t.Resize(1);
      for (Day d = std::max(b, lo); d <= e && d < lo + D; ++d) {
        if (!t.AddFrom(day, static_cast<std::size_t>(g * D + (d - lo)), 0)) {
          return absl::OutOfRangeError("trend: a period-to-date sum overflows int64");
        }
      }
      return MeasuresAt(t, 0, flags);
    };
    const CivilDate c = CivilFromDay(options.as_of);
    for (std::int64_t g = 0; g < G; ++g) {
      if (!group_active[static_cast<std::size_t>(g)] && grouped) continue;
      for (TrendToDateKind kind :
           {TrendToDateKind::kMonth, TrendToDateKind::kQuarter, TrendToDateKind::kYear}) {
        TrendToDate t;
        t.kind = kind;
        t.group = grouped ? static_cast<Id>(g) : kNoId;
        const int first_month = kind == TrendToDateKind::kMonth     ? c.month
                                : kind == TrendToDateKind::kQuarter ? (c.month - 1) / 3 * 3 + 1
                                                                    : 1;
        const int months = kind == TrendToDateKind::kMonth ? 1 : kind == TrendToDateKind::kQuarter ? 3 : 12;
        t.begin = DayFromCivil(c.year, first_month, 1);
        t.end = options.as_of;
        t.ly_begin = DayFromCivil(c.year - 1, first_month, 1);
        const int end_month = first_month + months - 1;
        const Day ly_period_end = DayFromCivil(c.year - 1, end_month, DaysInMonth(c.year - 1, end_month));
        t.ly_end = std::min<Day>(t.ly_begin + (t.end - t.begin), ly_period_end);
        if (in_range(t.begin, t.end)) {
          SALESIGHT_ASSIGN_OR_RETURN(t.value, sum_days(g, t.begin, t.end));
        }
        if (in_range(t.ly_begin, t.ly_end)) {
          SALESIGHT_ASSIGN_OR_RETURN(t.last_year, sum_days(g, t.ly_begin, t.ly_end));
        }
        std::optional<std::int64_t> cur, base;
        if (t.value) cur = Pick(*t.value, options.compare_measure);
        if (t.last_year) base = Pick(*t.last_year, options.compare_measure);
        SALESIGHT_ASSIGN_OR_RETURN(t.growth, MakeGrowth(cur, base));
        r.to_date.push_back(std::move(t));
      }
    }
  }
  return r;
}

namespace {

absl::StatusOr<TrendPartial> ComputePartial(const Dataset& data, const TrendOptions& options) {
  if (data.orders() == nullptr) return absl::InvalidArgumentError("trend: orders are required");
  const OrderLines& orders = *data.orders();
  const std::size_t n = orders.size();
  const std::size_t threads = internal::ThreadsForRows(options.num_threads, n);
  std::vector<absl::StatusOr<TrendPartial>> parts(threads);
  internal::ForEachRange(threads, n, [&](std::size_t t, std::size_t b, std::size_t e) {
    parts[t] = PartialTrend(data, b, e, options);
  });
  for (const auto& p : parts) SALESIGHT_RETURN_IF_ERROR(p.status());
  TrendPartial total = std::move(*parts[0]);
  for (std::size_t t = 1; t < parts.size(); ++t) {
    SALESIGHT_RETURN_IF_ERROR(MergeTrend(total, *parts[t]));
  }
  if (data.invoices() != nullptr) {
    const std::size_t rows =
        data.payments() != nullptr ? data.payments()->size() : data.invoices()->size();
    SALESIGHT_ASSIGN_OR_RETURN(TrendPartial c, PartialTrendCollections(data, 0, rows, options));
    SALESIGHT_RETURN_IF_ERROR(MergeTrend(total, c));
  } else if (data.payments() != nullptr) {
    return absl::InvalidArgumentError("trend: payments need their invoices");
  }
  return total;
}

}  // namespace

absl::StatusOr<TrendResult> ComputeTrend(const Dataset& data, const TrendOptions& options) {
  SALESIGHT_ASSIGN_OR_RETURN(TrendPartial total, ComputePartial(data, options));
  return FinishTrend(std::move(total), data.targets(), options);
}

absl::StatusOr<std::vector<TrendResult>> ComputeTrendGrains(const Dataset& data,
                                                            absl::Span<const Grain> grains,
                                                            const TrendOptions& options) {
  SALESIGHT_ASSIGN_OR_RETURN(TrendPartial total, ComputePartial(data, options));
  std::vector<TrendResult> out;
  for (std::size_t i = 0; i < grains.size(); ++i) {
    TrendOptions o = options;
    o.grain = grains[i];
    // The last grain takes the partial itself; earlier ones a copy (cells
    // are groups x days, small next to the lines).
    SALESIGHT_ASSIGN_OR_RETURN(
        TrendResult r,
        FinishTrend(i + 1 == grains.size() ? std::move(total) : total, data.targets(), o));
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace salesight
