// Growth/share quadrant: a hand case with all five labels, the edge cases
// (no prior revenue, a single product in a category, a category without
// positive revenue, Feb 29), category level, the margin-% axis, and a plain
// reference on random data.
#include <algorithm>
#include <map>
#include <random>

#include "gtest/gtest.h"
#include "margin/margin_test_util.hpp"
#include "salesight/margin.hpp"

namespace salesight {
namespace {

using margin_test::D;
using margin_test::Dict;
using margin_test::LineRows;
using margin_test::MakeRandomData;
using margin_test::ProductRows;

struct Sale {
  Id product;
  Day day;
  Money amount;
  Money cost;
};

absl::StatusOr<OrderLines> Lines(const std::vector<Sale>& sales) {
  LineRows l;
  l.products = Dict({"P0", "P1", "P2", "P3", "P4", "P5", "P6", "P7", "P8"});
  for (const Sale& s : sales) {
    l.order_id.push_back(static_cast<std::int64_t>(l.order_id.size()));
    l.date.push_back(s.day);
    l.customer.push_back(0);
    l.product.push_back(s.product);
    l.amount.push_back(s.amount);
    l.cost.push_back(s.cost);
  }
  return l.Build();
}

absl::StatusOr<Products> Catalog() {
  ProductRows p;
  p.products = Dict({"P0", "P1", "P2", "P3", "P4", "P5", "P6", "P7", "P8"});
  p.categories = Dict({"家电", "食品", "文具", "服装"});
  p.product = {0, 1, 2, 3, 4, 5, 6, 7, 8};
  p.category = {0, 0, 0, 1, 0, 1, 0, 2, 3};
  return p.Build();
}

// 2024 vs 2023 revenue (category):
//   P0 1000 / 500 (c0)  growth  1.0   share 1000/1000 = 1.0
//   P1  400 / 800 (c0)  growth -0.5   share 0.4
//   P2  200 / -   (c0)  new           share 0.2
//   P3  300 / 100 (c1)  growth  2.0   share 300/300 = 1.0
//   P4    - / 100 (c0)  growth -1.0   share 0.0
//   P5  100 /  50 (c1)  growth  1.0   share 1/3
//   P6  900 /1000 (c0)  growth -0.1   share 0.9
// Medians over the non-new: growth {-1,-.5,-.1,1,1,2} -> (-.1+1)/2 = 0.45;
// share {0,1/3,.4,.9,1,1} -> (.4+.9)/2 = 0.65.
// Labels (high = >= threshold): P0 star, P1 dog, P2 new, P3 star, P4 dog,
// P5 question_mark, P6 cash_cow.
std::vector<Sale> HandSales() {
  const Day cur = D(2024, 6, 1), prev = D(2023, 6, 1);
  return {{0, cur, 1000, 0}, {0, prev, 500, 0},  {1, cur, 400, 0},  {1, prev, 800, 0},
          {2, cur, 200, 0},  {3, cur, 300, 0},   {3, prev, 100, 0}, {4, prev, 100, 0},
          {5, cur, 100, 0},  {5, prev, 50, 0},   {6, cur, 900, 0},  {6, prev, 1000, 0}};
}

QuadrantOptions Year2024() {
  QuadrantOptions o;
  o.period_begin = D(2024, 1, 1);
  o.period_end = D(2024, 12, 31);
  return o;
}

TEST(MarginQuadrantTest, HandCaseAllLabels) {
  auto orders = Lines(HandSales());
  auto products = Catalog();
  ASSERT_TRUE(orders.ok() && products.ok());
  auto q = ComputeQuadrant(*orders, &*products, Year2024());
  ASSERT_TRUE(q.ok()) << q.status();
  EXPECT_EQ(q->prior_begin, D(2023, 1, 1));
  EXPECT_EQ(q->prior_end, D(2023, 12, 31));
  ASSERT_EQ(q->entries.size(), 7u);
  EXPECT_DOUBLE_EQ(*q->growth_threshold, 0.45);
  EXPECT_DOUBLE_EQ(*q->share_threshold, 0.65);
  const Quadrant want[] = {Quadrant::kStar, Quadrant::kDog,          Quadrant::kNew,
                           Quadrant::kStar, Quadrant::kDog,          Quadrant::kQuestionMark,
                           Quadrant::kCashCow};
  for (std::size_t i = 0; i < 7; ++i) {
    EXPECT_EQ(q->entries[i].item, static_cast<Id>(i));
    EXPECT_EQ(q->entries[i].quadrant, want[i]) << "P" << i;
  }
  EXPECT_DOUBLE_EQ(*q->entries[1].growth, -0.5);
  EXPECT_DOUBLE_EQ(*q->entries[1].relative_share, 0.4);
  EXPECT_FALSE(q->entries[2].growth.has_value());  // new: no prior revenue
  EXPECT_DOUBLE_EQ(*q->entries[2].relative_share, 0.2);
  EXPECT_EQ(q->entries[4].revenue, 0);
  EXPECT_EQ(q->entries[4].revenue_prior, 100);
  EXPECT_DOUBLE_EQ(*q->entries[5].relative_share, 1.0 / 3);
  EXPECT_EQ(q->entries[3].category, 1);

  const ResultTable t = ToResultTable(*q, MarginLabelLanguage::kChinese);
  ASSERT_TRUE(t.Validate().ok());
  EXPECT_EQ(t.Find("quadrant")->Texts(),
            (std::vector<std::string>{"明星", "瘦狗", "新品", "明星", "瘦狗", "问题", "现金牛"}));
  EXPECT_EQ(t.Find("product")->Texts()[6], "P6");
  EXPECT_EQ(t.Find("category")->Texts()[3], "食品");
  EXPECT_TRUE(t.Find("growth")->is_null(2));
  EXPECT_EQ(ToResultTable(*q).Find("quadrant")->Texts()[6], "cash_cow");

  // Joined onto a by-product margin table.
  MarginOptions mo;
  mo.from = D(2024, 1, 1);
  mo.to = D(2024, 12, 31);
  auto m = ComputeMargin(*orders, &*products, mo);
  ASSERT_TRUE(m.ok());
  MarginTableOptions to;
  to.quadrant = &*q;
  const ResultTable mt = ToResultTable(*m, to);
  EXPECT_EQ(mt.Find("quadrant")->Texts(),
            (std::vector<std::string>{"star", "dog", "new", "star", "question_mark", "cash_cow"}));
}

// Explicit thresholds replace the medians: growth >= 0, share >= 0.5.
//   P0 (1, 1) star; P1 (-.5, .4) dog; P3 (2, 1) star; P4 (-1, 0) dog;
//   P5 (1, 1/3) question_mark; P6 (-.1, .9) cash_cow.
TEST(MarginQuadrantTest, ExplicitThresholds) {
  auto orders = Lines(HandSales());
  auto products = Catalog();
  ASSERT_TRUE(orders.ok() && products.ok());
  QuadrantOptions o = Year2024();
  o.growth_threshold = 0.0;
  o.share_threshold = 0.5;
  auto q = ComputeQuadrant(*orders, &*products, o);
  ASSERT_TRUE(q.ok());
  EXPECT_EQ(q->entries[5].quadrant, Quadrant::kQuestionMark);
  EXPECT_EQ(q->entries[6].quadrant, Quadrant::kCashCow);
  EXPECT_EQ(*q->growth_threshold, 0.0);
  // Growth exactly at the threshold is high: P0's growth 1.0 with threshold 1.0.
  o.growth_threshold = 1.0;
  q = ComputeQuadrant(*orders, &*products, o);
  ASSERT_TRUE(q.ok());
  EXPECT_EQ(q->entries[0].quadrant, Quadrant::kStar);
  EXPECT_EQ(q->entries[5].quadrant, Quadrant::kQuestionMark);
}

// A single product in its category is its own leader (share 1.0); a category
// whose period revenue is not positive has no leader (share null -> low);
// prior revenue from returns only (<= 0) makes a product "new".
//   P7 (c2): 2024 50, 2023 100 -> growth -0.5, share 1.0
//   P8 (c3): 2024 -50 (a return), 2023 100 -> growth -1.5, share null
//   P2 (c0): 2024 200, 2023 -30 (return only) -> new
TEST(MarginQuadrantTest, SingleProductCategoryAndNoLeader) {
  auto orders = Lines({{7, D(2024, 3, 1), 50, 0},
                       {7, D(2023, 3, 1), 100, 0},
                       {8, D(2024, 3, 1), -50, 0},
                       {8, D(2023, 3, 1), 100, 0},
                       {2, D(2024, 3, 1), 200, 0},
                       {2, D(2023, 3, 1), -30, 0}});
  auto products = Catalog();
  ASSERT_TRUE(orders.ok() && products.ok());
  QuadrantOptions o = Year2024();
  auto q = ComputeQuadrant(*orders, &*products, o);
  ASSERT_TRUE(q.ok()) << q.status();
  ASSERT_EQ(q->entries.size(), 3u);
  const QuadrantEntry& p2 = q->entries[0];
  const QuadrantEntry& p7 = q->entries[1];
  const QuadrantEntry& p8 = q->entries[2];
  EXPECT_EQ(p2.quadrant, Quadrant::kNew);
  EXPECT_DOUBLE_EQ(*p7.relative_share, 1.0);
  EXPECT_DOUBLE_EQ(*p7.growth, -0.5);
  EXPECT_FALSE(p8.relative_share.has_value());
  EXPECT_DOUBLE_EQ(*p8.growth, -1.5);
  // Medians: growth {-1.5, -0.5} -> -1.0; share {1.0} -> 1.0.
  EXPECT_DOUBLE_EQ(*q->growth_threshold, -1.0);
  EXPECT_DOUBLE_EQ(*q->share_threshold, 1.0);
  // P7: growth -0.5 >= -1.0 (high), share 1.0 >= 1.0 (high) -> star;
  // P8: growth -1.5 (low), share null (low) -> dog.
  EXPECT_EQ(p7.quadrant, Quadrant::kStar);
  EXPECT_EQ(p8.quadrant, Quadrant::kDog);
}

// Category level: 2024 c0 = 1000+400+200+900 = 2500, c1 = 300+100 = 400;
// 2023 c0 = 500+800+100+1000 = 2400, c1 = 150. Leader c0 (2500):
// c0 share 1.0 growth 100/2400; c1 share 0.16 growth 250/150.
// Medians: growth (1/24 + 5/3)/2, share 0.58 -> c0 cash_cow, c1 question_mark.
TEST(MarginQuadrantTest, CategoryLevel) {
  auto orders = Lines(HandSales());
  auto products = Catalog();
  ASSERT_TRUE(orders.ok() && products.ok());
  QuadrantOptions o = Year2024();
  o.level = QuadrantLevel::kCategory;
  auto q = ComputeQuadrant(*orders, &*products, o);
  ASSERT_TRUE(q.ok()) << q.status();
  ASSERT_EQ(q->entries.size(), 2u);
  EXPECT_EQ(q->entries[0].revenue, 2500);
  EXPECT_EQ(q->entries[0].revenue_prior, 2400);
  EXPECT_DOUBLE_EQ(*q->entries[1].relative_share, 0.16);
  EXPECT_DOUBLE_EQ(*q->entries[1].growth, 250.0 / 150);
  EXPECT_EQ(q->entries[0].quadrant, Quadrant::kCashCow);
  EXPECT_EQ(q->entries[1].quadrant, Quadrant::kQuestionMark);
  EXPECT_EQ(ToResultTable(*q).Find("category")->Texts()[1], "食品");
  EXPECT_FALSE(ComputeQuadrant(*orders, nullptr, o).ok());  // needs categories
}

// Margin % on the share axis: P0 margin 40%, P1 10%, P3 50%, P5 0%;
// thresholds growth 0, margin % 20: P0 (1.0, 40) star, P1 (-0.5, 10) dog,
// P3 (2.0, 50) star, P5 (1.0, 0) question_mark.
TEST(MarginQuadrantTest, MarginPercentAxis) {
  auto orders = Lines({{0, D(2024, 5, 1), 1000, 600},
                       {0, D(2023, 5, 1), 500, 0},
                       {1, D(2024, 5, 1), 400, 360},
                       {1, D(2023, 5, 1), 800, 0},
                       {3, D(2024, 5, 1), 300, 150},
                       {3, D(2023, 5, 1), 100, 0},
                       {5, D(2024, 5, 1), 100, 100},
                       {5, D(2023, 5, 1), 50, 0}});
  auto products = Catalog();
  ASSERT_TRUE(orders.ok() && products.ok());
  QuadrantOptions o = Year2024();
  o.share_metric = QuadrantShareMetric::kMarginPct;
  o.growth_threshold = 0.0;
  o.share_threshold = 20.0;
  auto q = ComputeQuadrant(*orders, &*products, o);
  ASSERT_TRUE(q.ok());
  ASSERT_EQ(q->entries.size(), 4u);
  EXPECT_DOUBLE_EQ(*q->entries[0].margin_pct, 40.0);
  EXPECT_EQ(q->entries[0].margin, 400);
  EXPECT_EQ(q->entries[0].quadrant, Quadrant::kStar);
  EXPECT_EQ(q->entries[1].quadrant, Quadrant::kDog);
  EXPECT_EQ(q->entries[2].quadrant, Quadrant::kStar);
  EXPECT_EQ(q->entries[3].quadrant, Quadrant::kQuestionMark);
}

// Default period: the year ending at the last order date; Feb 29 shifts to
// Feb 28 one year back.
TEST(MarginQuadrantTest, DefaultPeriodAndLeapDay) {
  auto orders = Lines({{0, D(2024, 2, 29), 100, 0}, {0, D(2023, 2, 28), 50, 0}});
  ASSERT_TRUE(orders.ok());
  auto q = ComputeQuadrant(*orders, nullptr, QuadrantOptions{});
  ASSERT_TRUE(q.ok()) << q.status();
  EXPECT_EQ(q->period_end, D(2024, 2, 29));
  EXPECT_EQ(q->period_begin, D(2023, 3, 1));
  EXPECT_EQ(q->prior_end, D(2023, 2, 28));
  EXPECT_EQ(q->prior_begin, D(2022, 3, 1));
  ASSERT_EQ(q->entries.size(), 1u);
  EXPECT_EQ(q->entries[0].revenue, 100);
  EXPECT_EQ(q->entries[0].revenue_prior, 50);
  EXPECT_EQ(q->entries[0].category, kNoId);  // no Products: category unknown
  EXPECT_DOUBLE_EQ(*q->entries[0].relative_share, 1.0);
  QuadrantOptions bad;
  bad.period_begin = D(2024, 5, 1);
  bad.period_end = D(2024, 4, 1);
  EXPECT_FALSE(ComputeQuadrant(*orders, nullptr, bad).ok());
}

// Reference: plain per-line sums, leaders, medians by sorting.
TEST(MarginQuadrantTest, MatchesPlainReferenceOnRandomData) {
  for (std::uint64_t seed = 1; seed <= 40; ++seed) {
    const auto d = MakeRandomData(seed, 2000);
    if (d.products.product.empty()) continue;
    auto orders = d.lines.Build();
    auto products = d.products.Build();
    ASSERT_TRUE(orders.ok() && products.ok());
    QuadrantOptions o;
    o.period_begin = D(2023, 7, 1);
    o.period_end = D(2024, 1, 10);
    o.num_threads = static_cast<int>(seed % 3) + 1;
    auto q = ComputeQuadrant(*orders, &*products, o);
    ASSERT_TRUE(q.ok()) << q.status();
    const Day pb = D(2022, 7, 1), pe = D(2023, 1, 10);
    std::map<Id, std::pair<Money, Money>> rev;  // product -> (current, prior)
    for (std::size_t i = 0; i < d.lines.size(); ++i) {
      const Day day = d.lines.date[i];
      if (day >= o.period_begin && day <= o.period_end) rev[d.lines.product[i]].first += d.lines.amount[i];
      if (day >= pb && day <= pe) rev[d.lines.product[i]].second += d.lines.amount[i];
    }
    auto category = [&](Id p) {
      for (std::size_t r = 0; r < d.products.product.size(); ++r) {
        if (d.products.product[r] == p) return d.products.category[r];
      }
      return kNoId;
    };
    std::map<Id, Money> leader;
    for (const auto& [p, v] : rev) {
      auto it = leader.find(category(p));
      if (it == leader.end() || v.first > it->second) leader[category(p)] = v.first;
    }
    std::vector<double> growths, shares;
    for (const auto& [p, v] : rev) {
      if (v.second <= 0) continue;
      growths.push_back((static_cast<double>(v.first) - static_cast<double>(v.second)) /
                        static_cast<double>(v.second));
      const Money lead = leader[category(p)];
      if (lead > 0) shares.push_back(static_cast<double>(v.first) / static_cast<double>(lead));
    }
    auto median = [](std::vector<double> x) -> std::optional<double> {
      if (x.empty()) return std::nullopt;
      std::sort(x.begin(), x.end());
      const std::size_t m = x.size() / 2;
      return x.size() % 2 ? x[m] : (x[m - 1] + x[m]) / 2;
    };
    const auto gt = median(growths), st = median(shares);
    ASSERT_EQ(q->entries.size(), rev.size()) << "seed " << seed;
    if (gt) {
      EXPECT_NEAR(*q->growth_threshold, *gt, 1e-12);
    }
    if (st) {
      EXPECT_NEAR(*q->share_threshold, *st, 1e-12);
    }
    std::size_t i = 0;
    for (const auto& [p, v] : rev) {
      const QuadrantEntry& e = q->entries[i++];
      ASSERT_EQ(e.item, p);
      EXPECT_EQ(e.revenue, v.first);
      EXPECT_EQ(e.revenue_prior, v.second);
      if (v.second <= 0) {
        EXPECT_EQ(e.quadrant, Quadrant::kNew);
        continue;
      }
      const double g = (static_cast<double>(v.first) - static_cast<double>(v.second)) /
                       static_cast<double>(v.second);
      const Money lead = leader[category(p)];
      const std::optional<double> s =
          lead > 0 ? std::optional<double>(static_cast<double>(v.first) / static_cast<double>(lead))
                   : std::nullopt;
      const bool hg = g >= *q->growth_threshold;
      const bool hs = s && q->share_threshold && *s >= *q->share_threshold;
      const Quadrant want = hg ? (hs ? Quadrant::kStar : Quadrant::kQuestionMark)
                               : (hs ? Quadrant::kCashCow : Quadrant::kDog);
      EXPECT_EQ(e.quadrant, want) << "seed " << seed << " product " << p;
    }
  }
}

}  // namespace
}  // namespace salesight
