// Segment summary, Pareto curve and new-vs-returning customers.
#include <algorithm>
#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "rfm/rfm_test_util.hpp"
#include "salesight/rfm.hpp"

namespace salesight {
namespace {

using rfm_test::Line;
using rfm_test::MakeLines;

// The hand case of rfm_test.cpp: A (id 0) net 1300 in 2 orders -> potential,
// B (1) 3000 in 1 order -> new, C (2) only a return, D (3) 500 in 2 orders -> potential.
std::vector<Line> HandLines() {
  return {{1, 19000, 0, 600}, {1, 19000, 0, 400}, {2, 19005, 1, 3000}, {3, 19010, 0, 500},
          {4, 19015, 2, -100}, {5, 19020, 0, -200}, {6, 19020, 3, 250}, {7, 19020, 3, 250}};
}

TEST(RfmSummary, SegmentsByHand) {
  absl::StatusOr<RfmResult> r = ComputeRfm(MakeLines(HandLines()));
  ASSERT_TRUE(r.ok()) << r.status();
  absl::StatusOr<RfmSegmentSummary> s = SummarizeSegments(*r);
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(s->customers, 3);
  EXPECT_EQ(s->revenue, 4800);  // 1300 + 3000 + 500
  ASSERT_EQ(s->rows.size(), 6u);  // all tiers listed, empty ones too
  const RfmSegmentSummaryRow& new_row = s->rows[1];
  EXPECT_EQ(new_row.label.en, "new");
  EXPECT_EQ(new_row.customers, 1);
  EXPECT_DOUBLE_EQ(new_row.customer_share, 1.0 / 3.0);
  EXPECT_EQ(new_row.revenue, 3000);
  EXPECT_DOUBLE_EQ(*new_row.revenue_share, 3000.0 / 4800.0);  // 0.625
  EXPECT_EQ(new_row.orders, 1);
  EXPECT_DOUBLE_EQ(*new_row.average_order_value, 30.0);  // 30.00 / 1 order
  const RfmSegmentSummaryRow& potential = s->rows[2];
  EXPECT_EQ(potential.label.en, "potential");
  EXPECT_EQ(potential.customers, 2);
  EXPECT_EQ(potential.revenue, 1800);
  EXPECT_EQ(potential.orders, 4);
  EXPECT_DOUBLE_EQ(*potential.average_order_value, 4.5);  // 18.00 / 4 orders
  EXPECT_EQ(s->rows[0].customers, 0);
  EXPECT_FALSE(s->rows[0].average_order_value.has_value());
  ResultTable t = ToResultTable(*s);
  ASSERT_TRUE(t.Validate().ok());
  EXPECT_EQ(t.Find("segment")->Texts()[2], "potential");
  EXPECT_TRUE(t.Find("average_order_value")->is_null(0));
  EXPECT_EQ(FormatCell(*t.Find("revenue"), 1), "30.00");
}

TEST(RfmSummary, RevenueShareIsNullWhenTotalNotPositive) {
  absl::StatusOr<RfmResult> r =
      ComputeRfm(MakeLines({{1, 19000, 0, 100}, {2, 19001, 0, -300}, {3, 19002, 1, 50}}));
  ASSERT_TRUE(r.ok());
  absl::StatusOr<RfmSegmentSummary> s = SummarizeSegments(*r);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->revenue, -150);
  for (const auto& row : s->rows) EXPECT_FALSE(row.revenue_share.has_value());
  absl::StatusOr<RfmPareto> p = ComputePareto(*r, 4);
  ASSERT_TRUE(p.ok());
  EXPECT_FALSE(p->top20_share.has_value());
}

TEST(RfmSummary, ParetoByHand) {
  absl::StatusOr<RfmResult> r = ComputeRfm(MakeLines(HandLines()));
  ASSERT_TRUE(r.ok());
  absl::StatusOr<RfmPareto> p = ComputePareto(*r, 3);
  ASSERT_TRUE(p.ok()) << p.status();
  // Totals DESC: 3000, 1300, 500 (sum 4800).
  ASSERT_EQ(p->points.size(), 3u);
  EXPECT_EQ(p->points[0].customers, 1);
  EXPECT_EQ(p->points[0].revenue, 3000);
  EXPECT_DOUBLE_EQ(*p->points[0].revenue_share, 0.625);
  EXPECT_EQ(p->points[1].revenue, 4300);
  EXPECT_DOUBLE_EQ(p->points[1].customer_share, 2.0 / 3.0);
  EXPECT_DOUBLE_EQ(*p->points[2].revenue_share, 1.0);
  // top 20 %: ceil(0.2 x 3) = 1 customer -> 3000 / 4800.
  EXPECT_DOUBLE_EQ(*p->top20_share, 0.625);
  EXPECT_FALSE(ComputePareto(*r, 0).ok());
  ResultTable t = ToResultTable(*p);
  ASSERT_TRUE(t.Validate().ok());
  EXPECT_EQ(t.num_rows(), 3u);
}

TEST(RfmSummary, ParetoAgainstSortedTotals) {
  for (std::uint64_t seed = 0; seed < 40; ++seed) {
    std::mt19937_64 rng(seed);
    std::vector<Line> lines;
    const int customers = 1 + static_cast<int>(rng() % 200);
    for (int i = 0; i < 600; ++i) {
      lines.push_back({i, 19000 + static_cast<Day>(rng() % 50), static_cast<Id>(rng() % customers),
                       static_cast<Money>(rng() % 100000)});
    }
    absl::StatusOr<RfmResult> r = ComputeRfm(MakeLines(lines));
    ASSERT_TRUE(r.ok());
    const int points = 1 + static_cast<int>(rng() % 30);
    absl::StatusOr<RfmPareto> p = ComputePareto(*r, points);
    ASSERT_TRUE(p.ok());
    std::map<Id, Money> total;
    for (const Line& l : lines) total[l.customer] += l.amount;
    std::vector<Money> v;
    for (const auto& [id, t] : total) v.push_back(t);
    std::sort(v.rbegin(), v.rend());
    Money all = 0;
    for (Money x : v) all += x;
    ASSERT_EQ(p->points.size(), static_cast<std::size_t>(points));
    for (int i = 1; i <= points; ++i) {
      // ceil(i * n / points) customers
      const std::size_t c = (static_cast<std::size_t>(i) * v.size() + static_cast<std::size_t>(points) - 1) /
                            static_cast<std::size_t>(points);
      Money top = 0;
      for (std::size_t j = 0; j < c; ++j) top += v[j];
      EXPECT_EQ(p->points[static_cast<std::size_t>(i - 1)].revenue, top);
      EXPECT_DOUBLE_EQ(*p->points[static_cast<std::size_t>(i - 1)].revenue_share,
                       static_cast<double>(top) / static_cast<double>(all));
    }
    Money top20 = 0;
    for (std::size_t j = 0; j < (v.size() + 4) / 5; ++j) top20 += v[j];
    EXPECT_DOUBLE_EQ(*p->top20_share, static_cast<double>(top20) / static_cast<double>(all));
  }
}

TEST(RfmNewReturning, MonthsByHand) {
  const Day jan10 = DayFromCivil(2024, 1, 10), jan15 = DayFromCivil(2024, 1, 15);
  const Day feb3 = DayFromCivil(2024, 2, 3), feb5 = DayFromCivil(2024, 2, 5);
  const Day feb6 = DayFromCivil(2024, 2, 6), feb7 = DayFromCivil(2024, 2, 7);
  const std::vector<Line> lines = {
      {1, jan10, 0, 1000},  // c0 first purchase (Jan)
      {2, jan15, 2, 500},   // c2 first purchase (Jan)
      {3, feb3, 0, 700},    // c0 again: returning in Feb
      {4, feb5, 1, 300},    // c1 first purchase (Feb)
      {5, feb6, 2, -200},   // c2 only returns in Feb: not active there
      {6, feb7, 1, -50},    // c1 return in Feb, c1 is active in Feb
  };
  const OrderLines t = MakeLines(lines);
  absl::StatusOr<RfmNewReturning> m = ComputeNewVsReturning(t);
  ASSERT_TRUE(m.ok()) << m.status();
  ASSERT_EQ(m->rows.size(), 2u);
  EXPECT_EQ(m->rows[0].label, "2024-01");
  EXPECT_EQ(m->rows[0].period, 202401);
  EXPECT_EQ(m->rows[0].new_customers, 2);
  EXPECT_EQ(m->rows[0].returning_customers, 0);
  EXPECT_EQ(m->rows[0].new_revenue, 1500);  // 1000 + 500
  EXPECT_EQ(m->rows[1].label, "2024-02");
  EXPECT_EQ(m->rows[1].new_customers, 1);
  EXPECT_EQ(m->rows[1].returning_customers, 1);
  EXPECT_EQ(m->rows[1].new_revenue, 250);        // c1: 300 - 50
  EXPECT_EQ(m->rows[1].returning_revenue, 700);  // c0
  // A 10-day window (as_of Feb 8): only February; c0 is still returning.
  RfmOptions w;
  w.window_days = 10;
  m = ComputeNewVsReturning(t, w);
  ASSERT_TRUE(m.ok());
  ASSERT_EQ(m->rows.size(), 1u);
  EXPECT_EQ(m->rows[0].returning_customers, 1);
  EXPECT_EQ(m->rows[0].new_customers, 1);
  // Quarter: all three are new in 2024-Q1; c2's Feb return counts (active in Q1).
  m = ComputeNewVsReturning(t, {}, GrainUnit::kQuarter);
  ASSERT_TRUE(m.ok());
  ASSERT_EQ(m->rows.size(), 1u);
  EXPECT_EQ(m->rows[0].label, "2024-Q1");
  EXPECT_EQ(m->rows[0].new_customers, 3);
  EXPECT_EQ(m->rows[0].new_revenue, 1000 + 500 + 700 + 300 - 200 - 50);
  ResultTable table = ToResultTable(*m);
  ASSERT_TRUE(table.Validate().ok());
  EXPECT_EQ(table.Find("period")->Texts()[0], "2024-Q1");
}

TEST(RfmNewReturning, AgainstPlainSets) {
  for (std::uint64_t seed = 0; seed < 40; ++seed) {
    std::mt19937_64 rng(900 + seed);
    std::vector<Line> lines;
    const int customers = 1 + static_cast<int>(rng() % 50);
    for (int i = 0; i < 500; ++i) {
      const Money amount = static_cast<Money>(rng() % 1000) - (rng() % 5 == 0 ? 1200 : 0);
      lines.push_back({i, 19000 + static_cast<Day>(rng() % 400), static_cast<Id>(rng() % customers), amount});
    }
    const Grain period = seed % 2 ? GrainUnit::kMonth : GrainUnit::kIsoWeek;
    RfmOptions o;
    if (seed % 3 == 0) o.window_days = 100;
    if (seed % 5 == 0) o.as_of = 19300;
    absl::StatusOr<RfmNewReturning> got = ComputeNewVsReturning(MakeLines(lines), o, period);
    ASSERT_TRUE(got.ok()) << got.status();
    Day max_day = 0;
    for (const Line& l : lines) max_day = std::max(max_day, l.day);
    const Day as_of = o.as_of == kNoDate ? max_day + 1 : o.as_of;
    const Day lo = o.window_days > 0 ? as_of - o.window_days : INT32_MIN;
    auto key = [&](Day d) {
      if (period == GrainUnit::kMonth) return YearMonth(d);
      const IsoWeek w = IsoWeekOf(d);
      return w.year * 100 + w.week;
    };
    std::map<Id, Day> first;
    for (const Line& l : lines) {
      if (l.day <= as_of && l.amount >= 0 && (!first.count(l.customer) || l.day < first[l.customer])) {
        first[l.customer] = l.day;
      }
    }
    std::map<int, std::set<Id>> active;
    for (const Line& l : lines) {
      if (l.day <= as_of && l.day >= lo && l.amount >= 0) active[key(l.day)].insert(l.customer);
    }
    std::map<int, NewReturningRow> want;
    for (const auto& [k, ids] : active) {
      for (Id id : ids) (key(first[id]) == k ? want[k].new_customers : want[k].returning_customers)++;
    }
    for (const Line& l : lines) {
      if (l.day > as_of || l.day < lo || !active[key(l.day)].count(l.customer)) continue;
      (key(first[l.customer]) == key(l.day) ? want[key(l.day)].new_revenue
                                            : want[key(l.day)].returning_revenue) += l.amount;
    }
    ASSERT_EQ(got->rows.size(), want.size()) << seed;
    std::size_t i = 0;
    for (const auto& [k, w] : want) {
      const NewReturningRow& g = got->rows[i++];
      EXPECT_EQ(g.period, k);
      EXPECT_EQ(g.new_customers, w.new_customers) << k;
      EXPECT_EQ(g.returning_customers, w.returning_customers) << k;
      EXPECT_EQ(g.new_revenue, w.new_revenue) << k;
      EXPECT_EQ(g.returning_revenue, w.returning_revenue) << k;
    }
  }
}

}  // namespace
}  // namespace salesight
