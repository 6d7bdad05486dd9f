// Segment summary and Pareto curve.
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

}  // namespace
}  // namespace salesight
