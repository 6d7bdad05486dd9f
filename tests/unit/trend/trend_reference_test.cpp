// Trend against a plain brute force on random data: every line looked at
// with Boost's calendar, sums in std::map keyed by (group, period start day),
// comparisons and targets recomputed from the definitions in trend.hpp.
// Many seeds, num_threads 1, 2, 3, and random partitions merged in random
// order.
#include <algorithm>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "boost/date_time/gregorian/gregorian.hpp"
#include "dataset_test_util.hpp"
#include "gtest/gtest.h"
#include "salesight/trend.hpp"

namespace salesight {
namespace {

namespace bg = boost::gregorian;

bg::date B(Day d) { return bg::date(1970, 1, 1) + bg::date_duration(d); }
Day FromB(const bg::date& d) { return static_cast<Day>((d - bg::date(1970, 1, 1)).days()); }
Day Ymd(int y, int m, int d) {
  return FromB(bg::date(static_cast<unsigned short>(y), static_cast<unsigned short>(m),
                        static_cast<unsigned short>(d)));
}

// The first day of the period holding `d`.
Day BStart(Grain g, Day d) {
  const bg::date x = B(d);
  const int y = x.year(), m = x.month();
  switch (g.unit) {
    case GrainUnit::kDay:
      return d;
    case GrainUnit::kIsoWeek:
      return d - (x.day_of_week().as_number() + 6) % 7;  // boost: Sunday = 0
    case GrainUnit::kMonth:
      return Ymd(y, m, 1);
    case GrainUnit::kQuarter:
      return Ymd(y, (m - 1) / 3 * 3 + 1, 1);
    case GrainUnit::kYear:
    case GrainUnit::kFiscalYear:  // not drawn (fiscal years: tests/unit/core/grain_test.cpp)
      return Ymd(y, 1, 1);
  }
  return d;
}

Day BEnd(Grain g, Day start) {
  const bg::date x = B(start);
  switch (g.unit) {
    case GrainUnit::kDay:
      return start;
    case GrainUnit::kIsoWeek:
      return start + 6;
    case GrainUnit::kMonth:
      return FromB(x.end_of_month());
    case GrainUnit::kQuarter:
      return FromB((x + bg::months(2)).end_of_month());
    case GrainUnit::kYear:
    case GrainUnit::kFiscalYear:
      return Ymd(x.year(), 12, 31);
  }
  return start;
}

std::optional<Day> BLastYear(Grain g, Day start) {
  const bg::date x = B(start);
  switch (g.unit) {
    case GrainUnit::kDay:
      if (x.month() == 2 && x.day() == 29) return std::nullopt;
      return Ymd(x.year() - 1, x.month(), x.day());
    case GrainUnit::kIsoWeek: {
      const int week = x.week_number();
      if (week == 53) return std::nullopt;
      const int iso_year = (x + bg::days(3)).year();  // the Thursday's year
      const Day jan4 = Ymd(iso_year - 1, 1, 4);
      return BStart(GrainUnit::kIsoWeek, jan4) + 7 * (week - 1);
    }
    default:
      return Ymd(x.year() - 1, x.month(), 1);
  }
}

struct Data {
  std::vector<std::int64_t> order;
  std::vector<Day> date;
  std::vector<Id> region, channel;
  std::vector<Money> amount, cost;
  bool with_cost = false;
  // Invoices with paid / paid_date (collections).
  std::vector<Day> inv_date, paid_date;
  std::vector<Id> inv_region;
  std::vector<Money> inv_amount, paid;
  // Targets: company (ungrouped) or region level.
  std::vector<Id> t_key;
  std::vector<std::int32_t> t_month;
  std::vector<Money> t_amount;
};

Data MakeData(std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  Data d;
  const int n = static_cast<int>(rng() % 300);
  // A window somewhere in 2019-06..2022-03: ISO 2020-W53, leap day 2020-02-29.
  const Day w0 = Ymd(2019, 6, 1) + static_cast<Day>(rng() % 500);
  const Day span = 1 + static_cast<Day>(rng() % 400);
  const int orders = 1 + n / 2;
  for (int i = 0; i < n; ++i) {
    d.order.push_back(static_cast<std::int64_t>(rng() % static_cast<unsigned>(orders)) * 7 - 50);
    d.date.push_back(w0 + static_cast<Day>(rng() % static_cast<unsigned>(span)));
    d.region.push_back(static_cast<Id>(rng() % 4));
    d.channel.push_back(static_cast<Id>(rng() % 3));
    d.amount.push_back(static_cast<Money>(rng() % 6000) - 1000);
    d.cost.push_back(static_cast<Money>(rng() % 3000) - 200);
  }
  if (rng() % 2) std::sort(d.date.begin(), d.date.end());
  d.with_cost = rng() % 2;
  const int invoices = static_cast<int>(rng() % 60);
  for (int i = 0; i < invoices; ++i) {
    const Day id = w0 + static_cast<Day>(rng() % static_cast<unsigned>(span));
    d.inv_date.push_back(id);
    d.inv_region.push_back(static_cast<Id>(rng() % 4));
    d.inv_amount.push_back(1000);
    const bool is_paid = rng() % 3 != 0;
    d.paid.push_back(is_paid ? static_cast<Money>(1 + rng() % 1000) : 0);
    d.paid_date.push_back(is_paid ? id + static_cast<Day>(rng() % 90) : kNoDate);
  }
  for (int y = 2019; y <= 2022; ++y) {
    for (int m = 1; m <= 12; ++m) {
      for (Id k = 0; k < 4; ++k) {
        if (rng() % 3 == 0) continue;
        d.t_key.push_back(k);
        d.t_month.push_back(y * 100 + m);
        d.t_amount.push_back(static_cast<Money>(rng() % 100000));
      }
    }
  }
  return d;
}

struct Cell {
  Money revenue = 0, margin = 0, collections = 0;
  std::int64_t lines = 0, orders = 0, payments = 0;
};

std::int64_t Gcd(std::int64_t a, std::int64_t b) { return b == 0 ? a : Gcd(b, a % b); }

struct Expected {
  std::int64_t group;
  Day start;
  Cell cell;
  std::optional<Money> target;
  std::optional<std::int64_t> base;
};

std::optional<std::int64_t> PickB(const Cell& c, TrendMeasure m, bool margin_known,
                                  bool with_collections) {
  switch (m) {
    case TrendMeasure::kRevenue:
      return c.revenue;
    case TrendMeasure::kMargin:
      if (!margin_known || c.lines == 0) return std::nullopt;
      return c.margin;
    case TrendMeasure::kOrders:
      return c.orders;
    case TrendMeasure::kCollections:
      if (!with_collections) return std::nullopt;
      return c.collections;
  }
  return std::nullopt;
}

std::vector<Expected> BruteForce(const Data& d, const TrendOptions& o, bool with_invoices,
                                 bool with_targets) {
  const bool grouped = !o.group_by.empty();
  auto in_range = [&](Day day) {
    return (o.from == kNoDate || day >= o.from) && (o.to == kNoDate || day <= o.to);
  };
  auto group_of = [&](std::size_t i) -> std::int64_t {
    if (o.group_by == "region") return d.region[i];
    if (o.group_by == "channel") return d.channel[i];
    return 0;
  };
  std::map<std::pair<std::int64_t, Day>, Cell> cells;
  std::map<std::pair<std::int64_t, std::int64_t>, Day> first_day;
  std::set<std::int64_t> groups;
  Day lo = kNoDate, hi = kNoDate;
  auto see = [&](Day day) {
    lo = lo == kNoDate ? day : std::min(lo, day);
    hi = hi == kNoDate ? day : std::max(hi, day);
  };
  for (std::size_t i = 0; i < d.order.size(); ++i) {
    if (!in_range(d.date[i])) continue;
    const std::int64_t g = group_of(i);
    Cell& c = cells[{g, BStart(o.grain, d.date[i])}];
    c.revenue += d.amount[i];
    c.margin += d.amount[i] - d.cost[i];
    ++c.lines;
    auto [it, fresh] = first_day.try_emplace({g, d.order[i]}, d.date[i]);
    if (!fresh) it->second = std::min(it->second, d.date[i]);
    groups.insert(g);
    see(d.date[i]);
  }
  for (const auto& [key, day] : first_day) ++cells[{key.first, BStart(o.grain, day)}].orders;
  if (with_invoices) {
    for (std::size_t i = 0; i < d.inv_date.size(); ++i) {
      if (d.paid_date[i] == kNoDate || !in_range(d.paid_date[i])) continue;
      const std::int64_t g = o.group_by == "region" ? d.inv_region[i] : 0;
      Cell& c = cells[{g, BStart(o.grain, d.paid_date[i])}];
      c.collections += d.paid[i];
      ++c.payments;
      groups.insert(g);
      see(d.paid_date[i]);
    }
  }
  // The emitted axis (emit_empty_periods), as period start days.
  std::set<Day> axis;
  if (o.emit_empty_periods) {
    const Day a = o.from != kNoDate ? o.from : lo;
    const Day b = o.to != kNoDate ? o.to : hi;
    if (a != kNoDate && b != kNoDate) {
      for (Day x = a; x <= b; ++x) axis.insert(BStart(o.grain, x));
    }
    if (!grouped && !axis.empty()) groups.insert(0);
  }
  auto active = [&](std::int64_t g, Day start) {
    auto it = cells.find({g, start});
    return it != cells.end() && (it->second.lines > 0 || it->second.payments > 0);
  };
  auto target = [&](std::int64_t g, Day start) {
    Day b = start, e = BEnd(o.grain, start);
    if (o.from != kNoDate) b = std::max(b, o.from);
    if (o.to != kNoDate) e = std::min(e, o.to);
    // Sum of day shares as an exact fraction num / den.
    std::int64_t num = 0, den = 1;
    for (Day x = b; x <= e; ++x) {
      const bg::date bx = B(x);
      const int yyyymm = bx.year() * 100 + bx.month();
      Money t = 0;
      for (std::size_t i = 0; i < d.t_key.size(); ++i) {
        if (d.t_month[i] == yyyymm && (!grouped || d.t_key[i] == g)) t += d.t_amount[i];
      }
      const std::int64_t dim = bx.end_of_month().day();
      num = num * dim + t * den;
      den *= dim;
      const std::int64_t k = Gcd(num, den);
      num /= k;
      den /= k;
    }
    return (2 * num + den) / (2 * den);  // round half up (targets >= 0)
  };
  std::vector<Expected> out;
  for (std::int64_t g : groups) {
    std::set<Day> periods;
    if (o.emit_empty_periods) {
      periods = axis;
    } else {
      for (const auto& [key, c] : cells) {
        if (key.first == g && (c.lines > 0 || c.payments > 0)) periods.insert(key.second);
      }
    }
    for (Day start : periods) {
      Expected e{grouped ? g : kNoId, start, {}, std::nullopt, std::nullopt};
      if (auto it = cells.find({g, start}); it != cells.end()) e.cell = it->second;
      if (with_targets) e.target = target(g, start);
      if (o.compare == TrendCompare::kTarget) {
        e.base = e.target;
      } else {
        std::optional<Day> base = o.compare == TrendCompare::kPrevious
                                      ? std::optional<Day>(BStart(o.grain, start - 1))
                                      : BLastYear(o.grain, start);
        const bool exists =
            base && (o.emit_empty_periods ? axis.count(*base) > 0 : active(g, *base));
        if (exists) {
          Cell bc;
          if (auto it = cells.find({g, *base}); it != cells.end()) bc = it->second;
          e.base = PickB(bc, o.compare_measure, d.with_cost, with_invoices);
        }
      }
      out.push_back(e);
    }
  }
  return out;
}

struct Built {
  OrderLines orders;
  std::optional<Invoices> invoices;
  std::optional<Targets> targets;
};

Built BuildAll(const Data& d, const std::string& group_by) {
  OrderLinesColumns c;
  c.order_id = Column<std::int64_t>::Borrow(d.order);
  c.order_date = Column<Day>::Borrow(d.date);
  c.customer = Column<Id>::Own(std::vector<Id>(d.order.size(), 0));
  c.region = Column<Id>::Borrow(d.region);
  c.channel = Column<Id>::Borrow(d.channel);
  c.amount = Column<Money>::Borrow(d.amount);
  if (d.with_cost) c.cost = Column<Money>::Borrow(d.cost);
  auto orders = OrderLines::Build(std::move(c));
  EXPECT_TRUE(orders.ok()) << orders.status();
  Built b{*std::move(orders), std::nullopt, std::nullopt};
  InvoicesColumns ic;
  std::vector<std::int64_t> ids(d.inv_date.size());
  for (std::size_t i = 0; i < ids.size(); ++i) ids[i] = static_cast<std::int64_t>(i);
  ic.invoice = Column<std::int64_t>::Own(ids);
  ic.customer = Column<Id>::Own(std::vector<Id>(ids.size(), 0));
  ic.region = Column<Id>::Borrow(d.inv_region);
  ic.invoice_date = Column<Day>::Borrow(d.inv_date);
  ic.due_date = Column<Day>::Borrow(d.inv_date);
  ic.amount = Column<Money>::Borrow(d.inv_amount);
  ic.paid = Column<Money>::Borrow(d.paid);
  ic.paid_date = Column<Day>::Borrow(d.paid_date);
  auto inv = Invoices::Build(std::move(ic));
  EXPECT_TRUE(inv.ok()) << inv.status();
  b.invoices = *std::move(inv);
  TargetsColumns tc;
  tc.level = group_by == "region" ? TargetLevel::kRegion : TargetLevel::kCompany;
  tc.key = Column<Id>::Borrow(d.t_key);
  tc.month = Column<std::int32_t>::Borrow(d.t_month);
  tc.amount = Column<Money>::Borrow(d.t_amount);
  auto t = Targets::Build(std::move(tc));
  EXPECT_TRUE(t.ok()) << t.status();
  b.targets = *std::move(t);
  return b;
}

void ExpectSame(const std::vector<Expected>& want, const TrendResult& got, const Data& d,
                bool with_invoices) {
  const TrendOptions& o = got.options;
  ASSERT_EQ(got.rows.size(), want.size());
  for (std::size_t i = 0; i < want.size(); ++i) {
    const Expected& e = want[i];
    const TrendRow& r = got.rows[i];
    SCOPED_TRACE("row " + std::to_string(i) + " " + PeriodLabel(o.grain, r.period));
    ASSERT_EQ(r.group, e.group);
    ASSERT_EQ(r.period_start, e.start);
    EXPECT_EQ(r.period_end, BEnd(o.grain, e.start));
    EXPECT_EQ(r.value.revenue, e.cell.revenue);
    EXPECT_EQ(r.value.lines, e.cell.lines);
    EXPECT_EQ(r.value.orders, e.cell.orders);
    if (d.with_cost && e.cell.lines > 0) {
      EXPECT_EQ(r.value.margin, e.cell.margin);
    } else {
      EXPECT_FALSE(r.value.margin.has_value());
    }
    if (with_invoices) {
      EXPECT_EQ(r.value.collections, e.cell.collections);
    } else {
      EXPECT_FALSE(r.value.collections.has_value());
    }
    EXPECT_EQ(r.target, e.target);
    EXPECT_EQ(r.growth.base, e.base);
    const std::optional<std::int64_t> cur =
        PickB(e.cell, o.compare_measure, d.with_cost, with_invoices);
    if (cur && e.base) {
      EXPECT_EQ(r.growth.difference, *cur - *e.base);
      if (*e.base != 0) {
        const double g = static_cast<double>(*cur - *e.base) / static_cast<double>(*e.base);
        EXPECT_EQ(r.growth.growth, g);
        EXPECT_EQ(r.growth.growth_pct, 100.0 * g);
        EXPECT_EQ(r.growth.growth_ratio,
                  static_cast<double>(*cur) / static_cast<double>(*e.base));
      } else {
        EXPECT_FALSE(r.growth.growth_pct.has_value());
        EXPECT_FALSE(r.growth.growth_ratio.has_value());
      }
    } else {
      EXPECT_FALSE(r.growth.difference.has_value());
      EXPECT_FALSE(r.growth.growth_pct.has_value());
    }
  }
}

TEST(TrendReferenceTest, RandomDataMatchesBruteForce) {
  for (std::uint64_t seed = 1; seed <= 150; ++seed) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    const Data d = MakeData(seed);
    std::mt19937_64 rng(seed * 7919);
    TrendOptions o;
    o.grain = Grain(static_cast<GrainUnit>(rng() % 5));
    static const char* const kGroups[] = {"", "region", "", "channel"};  // no salesperson column
    o.group_by = kGroups[rng() % 4];
    o.emit_empty_periods = rng() % 2;
    o.compare = static_cast<TrendCompare>(rng() % 3);
    o.compare_measure =
        o.compare == TrendCompare::kTarget ? TrendMeasure::kRevenue
                                           : static_cast<TrendMeasure>(rng() % 4);
    if (rng() % 3 == 0 && !d.date.empty()) o.from = d.date[rng() % d.date.size()] - 3;
    if (rng() % 3 == 0 && !d.date.empty()) {
      o.to = d.date[rng() % d.date.size()] + 5;
      if (o.from != kNoDate && o.to < o.from) std::swap(o.from, o.to);
    }
    const bool with_invoices = o.group_by != "channel" && rng() % 2;
    const bool with_targets = o.group_by != "channel" &&
                              (o.compare == TrendCompare::kTarget || rng() % 2);
    if (o.compare == TrendCompare::kTarget && !with_targets) o.compare = TrendCompare::kPrevious;
    if (!with_invoices && o.compare_measure == TrendMeasure::kCollections) {
      o.compare_measure = TrendMeasure::kOrders;
    }
    const Built b = BuildAll(d, o.group_by);
    test_data::TestTables in{&b.orders};
    if (with_invoices) in.invoices = &*b.invoices;
    if (with_targets) in.targets = &*b.targets;
    const std::vector<Expected> want = BruteForce(d, o, with_invoices, with_targets);
    for (int threads : {1, 2, 3}) {
      SCOPED_TRACE("threads " + std::to_string(threads));
      o.num_threads = threads;
      auto r = ComputeTrend(test_data::TestData(in), o);
      ASSERT_TRUE(r.ok()) << r.status();
      ExpectSame(want, *r, d, with_invoices);
    }
    // Random partition, merged in random order.
    const std::size_t n = d.order.size();
    std::vector<std::size_t> cuts = {0, n};
    for (int k = 0; k < 3; ++k) cuts.push_back(n == 0 ? 0 : rng() % (n + 1));
    std::sort(cuts.begin(), cuts.end());
    std::vector<TrendPartial> parts;
    for (std::size_t k = 0; k + 1 < cuts.size(); ++k) {
      auto p = PartialTrend(test_data::OrdersData(b.orders, nullptr), cuts[k], cuts[k + 1], o);
      ASSERT_TRUE(p.ok()) << p.status();
      parts.push_back(*std::move(p));
    }
    if (with_invoices) {
      auto c = PartialTrendCollections(test_data::InvoicesData(*b.invoices, nullptr), 0, b.invoices->size(), o);
      ASSERT_TRUE(c.ok()) << c.status();
      parts.push_back(*std::move(c));
    }
    std::shuffle(parts.begin(), parts.end(), rng);
    TrendPartial total = parts[0];
    for (std::size_t k = 1; k < parts.size(); ++k) ASSERT_TRUE(MergeTrend(total, parts[k]).ok());
    auto r = FinishTrend(std::move(total), in.targets, o);
    ASSERT_TRUE(r.ok()) << r.status();
    ExpectSame(want, *r, d, with_invoices);
  }
}

// Exports sorted by order id (lines of an order adjacent, spread over a few
// days) cut at random rows, so partition boundaries split orders: partials
// merge by appending and must join the split order.
TEST(TrendReferenceTest, SortedOrdersSplitAcrossPartitions) {
  for (std::uint64_t seed = 1; seed <= 40; ++seed) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    std::mt19937_64 rng(seed);
    Data d;
    const Day start = Ymd(2021, 12, 20);
    for (std::int64_t ord = 0; ord < 200; ++ord) {
      const int lines = 1 + static_cast<int>(rng() % 4);
      for (int k = 0; k < lines; ++k) {
        d.order.push_back(ord);
        d.date.push_back(start + static_cast<Day>(ord / 10) + static_cast<Day>(rng() % 3));
        d.region.push_back(static_cast<Id>(rng() % 2));
        d.channel.push_back(0);
        d.amount.push_back(100);
        d.cost.push_back(0);
      }
    }
    TrendOptions o;
    o.grain = GrainUnit::kDay;
    o.group_by = rng() % 2 ? "region" : "";
    o.emit_empty_periods = false;
    const std::vector<Expected> want = BruteForce(d, o, false, false);
    const Built b = BuildAll(d, o.group_by);
    const std::size_t n = d.order.size();
    for (int rep = 0; rep < 5; ++rep) {
      std::vector<std::size_t> cuts = {0, n};
      for (int k = 0; k < 4; ++k) cuts.push_back(rng() % (n + 1));
      std::sort(cuts.begin(), cuts.end());
      std::optional<TrendPartial> total;
      for (std::size_t k = 0; k + 1 < cuts.size(); ++k) {
        auto p = PartialTrend(test_data::OrdersData(b.orders, nullptr), cuts[k], cuts[k + 1], o);
        ASSERT_TRUE(p.ok()) << p.status();
        if (!total) {
          total = *std::move(p);
        } else {
          ASSERT_TRUE(MergeTrend(*total, *p).ok());
        }
      }
      auto r = FinishTrend(*std::move(total), nullptr, o);
      ASSERT_TRUE(r.ok()) << r.status();
      ExpectSame(want, *r, d, false);
      if (o.group_by.empty()) {
        EXPECT_EQ(r->total.orders, 200);
      }
    }
  }
}

// Period-to-date windows against sums over explicit Boost date ranges.
TEST(TrendReferenceTest, PeriodToDateMatchesBruteForce) {
  for (std::uint64_t seed = 1; seed <= 60; ++seed) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    const Data d = MakeData(seed);
    if (d.date.empty()) continue;
    std::mt19937_64 rng(seed * 31);
    TrendOptions o;
    o.as_of = d.date[rng() % d.date.size()] + static_cast<Day>(rng() % 40);
    o.group_by = rng() % 2 ? "region" : "";
    const Built b = BuildAll(d, o.group_by);
    auto r = ComputeTrend(test_data::TestData({&b.orders}), o);
    ASSERT_TRUE(r.ok()) << r.status();
    const bg::date a = B(o.as_of);
    for (const TrendToDate& t : r->to_date) {
      const int months = t.kind == TrendToDateKind::kMonth ? 1
                         : t.kind == TrendToDateKind::kQuarter ? 3 : 12;
      const int month = a.month();
      const int first = months == 1 ? month : months == 3 ? (month - 1) / 3 * 3 + 1 : 1;
      const Day begin = Ymd(a.year(), first, 1);
      const Day ly_begin = Ymd(a.year() - 1, first, 1);
      const Day ly_period_end =
          FromB((B(ly_begin) + bg::months(months - 1)).end_of_month());
      const Day ly_end = std::min(ly_begin + (o.as_of - begin), ly_period_end);
      EXPECT_EQ(t.begin, begin);
      EXPECT_EQ(t.ly_begin, ly_begin);
      EXPECT_EQ(t.ly_end, ly_end);
      Money cur = 0, ly = 0;
      for (std::size_t i = 0; i < d.date.size(); ++i) {
        if (o.group_by == "region" && d.region[i] != t.group) continue;
        if (d.date[i] >= begin && d.date[i] <= o.as_of) cur += d.amount[i];
        if (d.date[i] >= ly_begin && d.date[i] <= ly_end) ly += d.amount[i];
      }
      ASSERT_TRUE(t.value && t.last_year);
      EXPECT_EQ(t.value->revenue, cur);
      EXPECT_EQ(t.last_year->revenue, ly);
    }
  }
}

}  // namespace
}  // namespace salesight
