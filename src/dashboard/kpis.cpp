// The header KPI cards. Each card: the value for the period, last year's
// value for the same period one year earlier, the target where one exists,
// and a sparkline of the last (up to) 12 months ending with `to`'s month
// (won deals: the opportunities created in the month, won by `to`).
// Revenue MTD / QTD / YTD are the trend calculator's to-date windows as of
// `to` (aligned to elapsed days last year). Rates are in percent. A card
// the drivers explain carries "why" for its windows (why.cpp; a window pair
// two cards share, the period and YTD by default, is explained once).
#include <algorithm>
#include <functional>
#include <map>
#include <tuple>

#include "absl/container/flat_hash_map.h"

#include "internal/panels.hpp"
#include "salesight/funnel.hpp"
#include "salesight/grain.hpp"
#include "salesight/margin.hpp"
#include "salesight/new_customers.hpp"
#include "salesight/receivables.hpp"
#include "salesight/trend.hpp"

namespace salesight::dashboard {
namespace {

constexpr std::int32_t kSparkMonths = 12;

struct Window {
  Day from, to;
};

Json Card(const char* id, const char* kind, Json value, Json last_year, Json target = nullptr) {
  Json card = {{"id", id}, {"kind", kind}, {"value", value}, {"last_year", last_year}};
  if (!target.is_null()) card["target"] = target;
  std::optional<double> change;
  if (value.is_number() && last_year.is_number() && last_year.get<double>() != 0) {
    change = 100.0 * (value.get<double>() - last_year.get<double>()) / std::abs(last_year.get<double>());
  }
  card["change_pct"] = NumberOrNull(change);
  return card;
}

// The target of [from, to]: the trend calculator's year rows (targets spread
// to days, rounded once per calendar year).
std::optional<Money> TargetOf(const Context& c, Window w) {
  if (c.data.targets() == nullptr) return std::nullopt;
  TrendOptions t;
  t.grain = GrainUnit::kYear;
  t.compare = TrendCompare::kTarget;
  t.from = w.from;
  t.to = w.to;
  t.with_margin = false;
  t.count_orders = false;
  absl::StatusOr<TrendResult> r = ComputeTrend(c.data, t);
  if (!r.ok() || !r->has_target) return std::nullopt;
  Money sum = 0;
  for (const TrendRow& row : r->rows) {
    if (row.target && !AddMoney(sum, *row.target, &sum)) return std::nullopt;
  }
  return sum;
}

// Revenue and distinct orders of the lines in [from, to] (the cards read
// nothing else: no margin pass).
TrendOptions RevenueAndOrders(const Context& c, Window w, GrainUnit grain) {
  TrendOptions t;
  t.grain = grain;
  t.from = w.from;
  t.to = w.to;
  t.with_margin = false;
  t.num_threads = c.options.num_threads;
  return t;
}

absl::StatusOr<TrendMeasures> TrendTotal(const Context& c, Window w) {
  absl::StatusOr<TrendResult> r = ComputeTrend(c.data, RevenueAndOrders(c, w, GrainUnit::kYear));
  if (!r.ok()) return r.status();
  return r->total;
}

// The same per sparkline month, from one trend pass by month over the
// months' span (each window is its calendar month clipped to the period, as
// the trend's month rows are); a month without lines is zero.
std::vector<absl::StatusOr<TrendMeasures>> MonthlyTotals(const Context& c,
                                                         const std::vector<Window>& months) {
  absl::StatusOr<TrendResult> r =
      ComputeTrend(c.data, RevenueAndOrders(c, {months.front().from, months.back().to}, GrainUnit::kMonth));
  if (!r.ok()) return std::vector<absl::StatusOr<TrendMeasures>>(months.size(), r.status());
  TrendMeasures empty;
  if (r->has_orders) empty.orders = 0;
  absl::flat_hash_map<std::int64_t, TrendMeasures> by_month;
  for (const TrendRow& row : r->rows) by_month[YearMonth(row.period_start)] = row.value;
  std::vector<absl::StatusOr<TrendMeasures>> out;
  for (const Window& w : months) {
    auto it = by_month.find(YearMonth(w.from));
    out.push_back(it == by_month.end() ? empty : it->second);
  }
  return out;
}

std::optional<double> MarginPct(const Context& c, Window w) {
  MarginOptions o;
  o.group_by = MarginGrouping{{}};
  o.from = w.from;
  o.to = w.to;
  o.num_threads = c.options.num_threads;
  absl::StatusOr<MarginResult> r = ComputeMargin(c.data, o);
  if (!r.ok()) return std::nullopt;
  return r->total.margin_pct;
}

// New customers per day as of `to`: a customer is new on its first
// purchase day, which no later as_of changes, so every window ending by `to`
// sums the same rows.
absl::StatusOr<NewCustomersResult> NewCustomersByDay(const Context& c) {
  NewCustomersOptions o;
  o.as_of = c.to;
  o.period = GrainUnit::kDay;
  return ComputeNewCustomers(*c.data.orders(), o);
}

std::optional<std::int64_t> NewCustomers(const absl::StatusOr<NewCustomersResult>& r, Window w) {
  if (!r.ok()) return std::nullopt;
  std::int64_t n = 0;
  for (const NewCustomersRow& row : r->rows) {
    if (row.period >= w.from && row.period <= w.to) n += row.new_customers;
  }
  return n;
}

std::optional<std::int64_t> Won(const Context& c, Window w) {
  if (c.data.pipeline() == nullptr) return std::nullopt;
  FunnelOptions o;
  o.from = w.from;
  o.to = w.to;
  o.as_of = w.to;
  o.compute_bottlenecks = false;
  o.num_threads = c.options.num_threads;
  absl::StatusOr<FunnelResult> r = ComputeFunnel(c.data, o);
  if (!r.ok()) return std::nullopt;
  return r->overall.won;
}

std::optional<double> CollectionRate(const Context& c, Window w) {
  if (c.data.invoices() == nullptr) return std::nullopt;
  CollectionOptions o;
  o.from = w.from;
  o.to = w.to;
  o.as_of = w.to;
  o.group_by = "";
  o.rate_only = true;  // the card reads the rate alone
  o.num_threads = c.options.num_threads;
  absl::StatusOr<CollectionResult> r = ComputeCollection(c.data, o);
  if (!r.ok() || !r->total.collection_rate) return std::nullopt;
  return 100.0 * *r->total.collection_rate;
}

std::optional<Money> Overdue(const Context& c, Day as_of) {
  if (c.data.invoices() == nullptr) return std::nullopt;
  AgingOptions o;
  o.as_of = as_of;
  o.group_by = "";
  o.overdue_top_n = 0;
  o.num_threads = c.options.num_threads;
  absl::StatusOr<AgingResult> r = ComputeAging(c.data, o);
  if (!r.ok()) return std::nullopt;
  return r->bucket_totals.empty() ? r->total : r->total - r->bucket_totals[0];
}

Day YearEarlier(Day day) {
  CivilDate d = CivilFromDay(day);
  return DayFromCivil(d.year - 1, d.month, (d.month == 2 && d.day == 29) ? 28 : d.day);
}

}  // namespace

Json KpiCards(const Context& c) {
  const Window period{c.from, c.to}, ly{c.ly_from, c.ly_to};
  // The sparkline months: the last 12 calendar months ending with `to`'s,
  // cut at `from` (the first may be partial).
  const Grain month{GrainUnit::kMonth};
  const std::int32_t last = PeriodOf(month, c.to);
  const std::int32_t first = std::max(PeriodOf(month, c.from), last - kSparkMonths + 1);
  std::vector<Window> months;
  Json labels = Json::array();
  for (std::int32_t m = first; m <= last; ++m) {
    months.push_back({std::max(c.from, PeriodStart(month, m)), std::min(c.to, PeriodEnd(month, m))});
    labels.push_back(PeriodLabel(month, m));
  }
  std::map<std::tuple<std::string_view, Day, Day, Day, Day>, Json> explained;
  auto explain = [&](Json& card, Window now_window, Window before_window) {
    const std::string_view id = card["id"].get_ref<const std::string&>();
    std::string_view measure;
    for (const CardSources& s : CardSourceTable()) {
      if (s.card == id) measure = s.drivers_measure;
    }
    if (measure.empty()) return;
    const auto key = std::make_tuple(measure, now_window.from, now_window.to, before_window.from,
                                     before_window.to);
    auto it = explained.find(key);
    if (it == explained.end()) {
      it = explained
               .emplace(key, Why(c, id, now_window.from, now_window.to, before_window.from,
                                 before_window.to))
               .first;
    }
    card["why"] = it->second;
  };
  auto spark = [&](const std::function<Json(Window)>& f) {
    Json values = Json::array();
    for (const Window& w : months) values.push_back(f(w));
    return Json{{"periods", labels}, {"values", values}};
  };

  absl::StatusOr<TrendMeasures> now = TrendTotal(c, period);
  if (!now.ok()) return Failed(now.status());
  absl::StatusOr<TrendMeasures> before = TrendTotal(c, ly);
  Json cards = Json::array();

  const std::vector<absl::StatusOr<TrendMeasures>> monthly = MonthlyTotals(c, months);
  auto from_monthly = [&](auto field) {
    Json values = Json::array();
    for (const auto& m : monthly) values.push_back(m.ok() ? field(*m) : Json(nullptr));
    return Json{{"periods", labels}, {"values", values}};
  };
  Json revenue_spark = from_monthly([](const TrendMeasures& m) { return Json(m.revenue); });
  Json card = Card("revenue", "money", now->revenue,
                   before.ok() ? Json(before->revenue) : Json(nullptr), MoneyOrNull(TargetOf(c, period)));
  card["sparkline"] = revenue_spark;
  explain(card, period, ly);
  cards.push_back(card);

  // MTD / QTD / YTD as of `to`, from the trend calculator's to-date windows.
  TrendOptions td;
  td.grain = GrainUnit::kMonth;
  td.from = YearEarlier(PeriodStart(GrainUnit::kYear, PeriodOf(GrainUnit::kYear, c.to)));
  td.to = c.to;
  td.as_of = c.to;
  td.with_margin = false;
  td.count_orders = false;
  td.num_threads = c.options.num_threads;
  absl::StatusOr<TrendResult> to_date = ComputeTrend(c.data, td);
  if (to_date.ok()) {
    const char* ids[] = {"revenue_mtd", "revenue_qtd", "revenue_ytd"};
    for (const TrendToDate& d : to_date->to_date) {
      if (d.group != kNoId) continue;
      Json x = Card(ids[static_cast<int>(d.kind)], "money",
                    d.value ? Json(d.value->revenue) : Json(nullptr),
                    d.last_year ? Json(d.last_year->revenue) : Json(nullptr),
                    MoneyOrNull(TargetOf(c, {d.begin, d.end})));
      x["from"] = FormatDate(d.begin);
      x["to"] = FormatDate(d.end);
      x["sparkline"] = revenue_spark;
      if (d.value && d.last_year) explain(x, {d.begin, d.end}, {d.ly_begin, d.ly_end});
      cards.push_back(x);
    }
  }

  card = Card("gross_margin_pct", "percent", NumberOrNull(MarginPct(c, period)),
              NumberOrNull(MarginPct(c, ly)));
  {
    // One margin pass grouped by month gives every window's margin % (the
    // windows are the calendar months clipped to the period).
    MarginOptions o;
    o.group_by = MarginGrouping{{"month"}};
    o.from = months.front().from;
    o.to = c.to;
    o.num_threads = c.options.num_threads;
    absl::StatusOr<MarginResult> r = ComputeMargin(c.data, o);
    absl::flat_hash_map<std::int64_t, std::optional<double>> by_month;
    if (r.ok()) {
      for (const MarginGroup& g : r->groups) by_month[g.key[0]] = g.figures.margin_pct;
    }
    card["sparkline"] = spark([&](Window w) {
      auto it = by_month.find(YearMonth(w.from));
      return it == by_month.end() ? Json(nullptr) : NumberOrNull(it->second);
    });
  }
  explain(card, period, ly);
  cards.push_back(card);

  card = Card("orders", "count", IntOrNull(now->orders),
              before.ok() ? IntOrNull(before->orders) : Json(nullptr));
  card["sparkline"] = from_monthly([](const TrendMeasures& m) { return IntOrNull(m.orders); });
  explain(card, period, ly);
  cards.push_back(card);

  const absl::StatusOr<NewCustomersResult> fresh = NewCustomersByDay(c);
  card = Card("new_customers", "count", IntOrNull(NewCustomers(fresh, period)),
              IntOrNull(NewCustomers(fresh, ly)));
  card["sparkline"] = spark([&](Window w) { return IntOrNull(NewCustomers(fresh, w)); });
  explain(card, period, ly);
  cards.push_back(card);

  if (c.data.pipeline() == nullptr) {
    cards.push_back({{"id", "won_deals"}, {"status", "no_data"}, {"reason", "no pipeline (opportunities) given"}});
  } else {
    card = Card("won_deals", "count", IntOrNull(Won(c, period)), IntOrNull(Won(c, ly)));
    // The opportunities created in each month, won by `to` (one funnel pass
    // by created month): the months of the period add up to the card.
    FunnelOptions o;
    o.from = months.front().from;
    o.to = c.to;
    o.as_of = c.to;
    o.period = Grain{GrainUnit::kMonth};
    o.compute_bottlenecks = false;
    o.num_threads = c.options.num_threads;
    absl::StatusOr<FunnelResult> r = ComputeFunnel(c.data, o);
    absl::flat_hash_map<std::int64_t, std::int64_t> by_month;
    if (r.ok()) {
      for (const FunnelGroup& g : r->groups) by_month[YearMonth(g.period_start)] = g.stats.won;
    }
    card["sparkline"] = spark([&](Window w) {
      auto it = by_month.find(YearMonth(w.from));
      return r.ok() ? Json(it == by_month.end() ? 0 : it->second) : Json(nullptr);
    });
    explain(card, period, ly);
    cards.push_back(card);
  }
  if (c.data.invoices() == nullptr) {
    for (const char* id : {"collection_rate", "overdue"}) {
      cards.push_back({{"id", id}, {"status", "no_data"}, {"reason", "no invoices given"}});
    }
  } else {
    card = Card("collection_rate", "percent", NumberOrNull(CollectionRate(c, period)),
                NumberOrNull(CollectionRate(c, ly)));
    card["sparkline"] = spark([&](Window w) { return NumberOrNull(CollectionRate(c, w)); });
    explain(card, period, ly);
    cards.push_back(card);
    card = Card("overdue", "money", MoneyOrNull(Overdue(c, c.to)), MoneyOrNull(Overdue(c, c.ly_to)));
    card["sparkline"] = spark([&](Window w) { return MoneyOrNull(Overdue(c, w.to)); });
    cards.push_back(card);
  }
  return cards;
}

}  // namespace salesight::dashboard
