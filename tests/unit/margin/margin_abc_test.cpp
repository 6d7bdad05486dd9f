// ABC classification: hand-computed boundaries for both crossing rules,
// negative and zero items, exact cumulative shares, and a rational-arithmetic
// reference on random values.
#include <algorithm>
#include <numeric>
#include <random>

#include "gtest/gtest.h"
#include "margin/margin_test_util.hpp"
#include "salesight/margin.hpp"

namespace salesight {
namespace {

using margin_test::D;
using margin_test::LineRows;

// A result grouped by product whose revenues are `values` (key = index).
MarginResult ResultWithRevenues(const std::vector<Money>& values) {
  MarginResult r;
  r.grouping.dimensions = {"product"};
  for (std::size_t i = 0; i < values.size(); ++i) {
    MarginGroup g;
    g.key[0] = static_cast<std::int64_t>(i);
    g.figures.revenue = values[i];
    g.figures.margin = values[i];
    r.groups.push_back(g);
  }
  return r;
}

std::string Classes(const AbcResult& abc) {
  std::string s;
  for (const AbcEntry& e : abc.entries) s += std::string(AbcLabel(e.abc));
  return s;
}

// Revenues by key: 5, 50, 0, 30, -10, 10, 5. Ranked: 50 (k1), 30 (k3),
// 10 (k5), 5 (k0), 5 (k6; tie -> smaller key first), 0 (k2), -10 (k4).
// Positive total 100; cumulative 0.50, 0.80, 0.90, 0.95, 1.00, (zero) 1.00,
// (negative) null.
//   lower-class rule (cum <= limit): A A B B C C N
//   upper-class rule (cum before < limit): before = 0, .5, .8, .9, .95 ->
//     A A B B C, then C N
TEST(MarginAbcTest, HandBoundariesBothRules) {
  const MarginResult r = ResultWithRevenues({5, 50, 0, 30, -10, 10, 5});
  auto abc = ClassifyAbc(r, AbcOptions{});
  ASSERT_TRUE(abc.ok()) << abc.status();
  std::vector<std::size_t> rows;
  for (const AbcEntry& e : abc->entries) rows.push_back(e.row);
  EXPECT_EQ(rows, (std::vector<std::size_t>{1, 3, 5, 0, 6, 2, 4}));
  EXPECT_EQ(Classes(*abc), "AABBCCN");
  EXPECT_EQ(abc->positive_total, 100);
  EXPECT_DOUBLE_EQ(*abc->entries[0].cumulative_share, 0.5);
  EXPECT_DOUBLE_EQ(*abc->entries[1].cumulative_share, 0.8);
  EXPECT_EQ(*abc->entries[4].cumulative_share, 1.0);  // exactly
  EXPECT_EQ(*abc->entries[5].cumulative_share, 1.0);  // zero item
  EXPECT_FALSE(abc->entries[6].cumulative_share.has_value());
  EXPECT_DOUBLE_EQ(*abc->entries[6].share, -0.1);
  EXPECT_EQ(abc->summary[static_cast<int>(AbcClass::kA)].items, 2);
  EXPECT_EQ(abc->summary[static_cast<int>(AbcClass::kA)].value, 80);
  EXPECT_EQ(abc->summary[static_cast<int>(AbcClass::kB)].value, 15);
  EXPECT_EQ(abc->summary[static_cast<int>(AbcClass::kC)].value, 5);
  EXPECT_EQ(abc->summary[static_cast<int>(AbcClass::kN)].value, -10);
  EXPECT_EQ(abc->class_of_row[4], AbcClass::kN);
  EXPECT_EQ(abc->class_of_row[1], AbcClass::kA);

  AbcOptions upper;
  upper.crossing_item = AbcBoundary::kUpperClass;
  abc = ClassifyAbc(r, upper);
  ASSERT_TRUE(abc.ok());
  EXPECT_EQ(Classes(*abc), "AABBCCN");
  // Limits 0.6 / 0.85 separate the rules: cumulative .5 .8 .9 .95 1
  //   lower: A (.5<=.6) B (.8<=.85) C C C;  upper: before 0 .5 .8 .9 .95 -> A A B C C
  AbcOptions lower2;
  lower2.a_limit = 0.6;
  lower2.b_limit = 0.85;
  abc = ClassifyAbc(r, lower2);
  ASSERT_TRUE(abc.ok());
  EXPECT_EQ(Classes(*abc), "ABCCCCN");
  lower2.crossing_item = AbcBoundary::kUpperClass;
  abc = ClassifyAbc(r, lower2);
  ASSERT_TRUE(abc.ok());
  EXPECT_EQ(Classes(*abc), "AABCCCN");
  // Negative items as C.
  AbcOptions as_c;
  as_c.negative_as_c = true;
  abc = ClassifyAbc(r, as_c);
  ASSERT_TRUE(abc.ok());
  EXPECT_EQ(Classes(*abc), "AABBCCC");
}

TEST(MarginAbcTest, CumulativeShareIsExactlyOneAtTheLastPositiveItem) {
  // Thirds: 1/3, 2/3, then exactly 1.0.
  auto abc = ClassifyAbc(ResultWithRevenues({1, 1, 1}), AbcOptions{});
  ASSERT_TRUE(abc.ok());
  EXPECT_EQ(*abc->entries[2].cumulative_share, 1.0);
  std::mt19937_64 rng(5);
  for (int round = 0; round < 50; ++round) {
    std::vector<Money> v(1 + rng() % 3000);
    for (Money& x : v) x = static_cast<Money>(rng() % 1'000'000'000'000) - 1000;
    abc = ClassifyAbc(ResultWithRevenues(v), AbcOptions{});
    ASSERT_TRUE(abc.ok());
    double last = 0;
    const AbcEntry* last_positive = nullptr;
    for (const AbcEntry& e : abc->entries) {
      if (e.value <= 0) continue;
      EXPECT_GE(*e.cumulative_share, last);
      last = *e.cumulative_share;
      last_positive = &e;
    }
    if (last_positive != nullptr) {
      EXPECT_EQ(*last_positive->cumulative_share, 1.0);
    }
  }
}

// Reference: exact rational comparisons prefix * 100 <= pct * total, with the
// limits as whole percents.
TEST(MarginAbcTest, MatchesRationalReferenceOnRandomValues) {
  __extension__ typedef __int128 I128;
  std::mt19937_64 rng(11);
  for (int round = 0; round < 300; ++round) {
    std::vector<Money> v(rng() % 60);
    for (Money& x : v) x = static_cast<Money>(rng() % 200) - 30;
    if (rng() % 3 == 0) {
      for (Money& x : v) x = x * 1'000'000'000'000 + static_cast<Money>(rng() % 7);
    }
    const int a_pct = 1 + static_cast<int>(rng() % 99);
    const int b_pct = a_pct + static_cast<int>(rng() % (101 - a_pct));
    AbcOptions o;
    o.a_limit = a_pct / 100.0;
    o.b_limit = b_pct / 100.0;
    o.crossing_item = static_cast<AbcBoundary>(rng() % 2);
    auto abc = ClassifyAbc(ResultWithRevenues(v), o);
    ASSERT_TRUE(abc.ok());
    // Reference order: value desc, key asc.
    std::vector<std::size_t> order(v.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::stable_sort(order.begin(), order.end(), [&](std::size_t x, std::size_t y) { return v[x] > v[y]; });
    I128 total = 0;
    for (Money x : v) total += x > 0 ? x : 0;
    I128 prefix = 0;
    ASSERT_EQ(abc->entries.size(), v.size());
    for (std::size_t i = 0; i < order.size(); ++i) {
      const Money x = v[order[i]];
      AbcClass want;
      if (x < 0) {
        want = AbcClass::kN;
      } else if (x == 0) {
        want = AbcClass::kC;
      } else {
        const I128 before = prefix;
        prefix += x;
        const I128 ref = o.crossing_item == AbcBoundary::kLowerClass ? prefix : before;
        const bool lower = o.crossing_item == AbcBoundary::kLowerClass;
        auto within = [&](int pct) {
          return lower ? ref * 100 <= pct * total : ref * 100 < pct * total;
        };
        want = within(a_pct) ? AbcClass::kA : within(b_pct) ? AbcClass::kB : AbcClass::kC;
      }
      EXPECT_EQ(abc->entries[i].row, order[i]);
      EXPECT_EQ(abc->entries[i].abc, want) << "round " << round << " item " << i;
    }
  }
}

TEST(MarginAbcTest, ByMarginOnAComputedResultWithTable) {
  LineRows l;
  // Customers 0..2: margins 600 - 100 = 500, 300 - 400 = -100, 700 - 200 = 500.
  l.order_id = {1, 2, 3};
  l.date = {D(2024, 1, 1), D(2024, 1, 2), D(2024, 1, 3)};
  l.customer = {0, 1, 2};
  l.amount = {600, 300, 700};
  l.cost = {100, 400, 200};
  auto orders = l.Build();
  ASSERT_TRUE(orders.ok());
  MarginOptions mo;
  mo.group_by.dimensions = {"customer"};
  auto r = ComputeMargin(*orders, nullptr, mo);
  ASSERT_TRUE(r.ok());
  AbcOptions o;
  o.metric = AbcMetric::kMargin;
  auto abc = ClassifyAbc(*r, o);
  ASSERT_TRUE(abc.ok());
  // 500 (c0), 500 (c2): cumulative .5 -> A, 1.0 -> C; c1 loses money -> N.
  EXPECT_EQ(Classes(*abc), "ACN");
  const ResultTable ranked = ToResultTable(*abc, *r);
  ASSERT_TRUE(ranked.Validate().ok());
  EXPECT_EQ(ranked.Find("customer")->Texts(), (std::vector<std::string>{"0", "2", "1"}));
  EXPECT_EQ(ranked.Find("abc")->Texts(), (std::vector<std::string>{"A", "C", "N"}));
  EXPECT_TRUE(ranked.Find("cumulative_share")->is_null(2));
  MarginTableOptions to;
  to.abc = &*abc;
  const ResultTable t = ToResultTable(*r, to);
  EXPECT_EQ(t.Find("abc")->Texts(), (std::vector<std::string>{"A", "N", "C"}));
}

TEST(MarginAbcTest, NoPositiveItemsAndBadLimits) {
  auto abc = ClassifyAbc(ResultWithRevenues({0, -5}), AbcOptions{});
  ASSERT_TRUE(abc.ok());
  EXPECT_EQ(Classes(*abc), "CN");
  EXPECT_FALSE(abc->entries[0].share.has_value());
  EXPECT_FALSE(abc->entries[0].cumulative_share.has_value());
  abc = ClassifyAbc(ResultWithRevenues({}), AbcOptions{});
  ASSERT_TRUE(abc.ok());
  EXPECT_TRUE(abc->entries.empty());
  AbcOptions bad;
  bad.a_limit = 0.9;
  bad.b_limit = 0.8;
  EXPECT_FALSE(ClassifyAbc(ResultWithRevenues({1}), bad).ok());
  bad.a_limit = 0;
  EXPECT_FALSE(ClassifyAbc(ResultWithRevenues({1}), bad).ok());
}

}  // namespace
}  // namespace salesight
