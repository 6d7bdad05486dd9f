// Rankings (top/bottom N) and slow movers: hand cases and a plain full-sort
// reference on random results.
#include <algorithm>
#include <random>

#include "gmock/gmock.h"
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

// Five products, one line each (cost column):
//   P0 qty 5 revenue 500 cost 300 -> margin 200, pct 40
//   P1 qty 2 revenue 800 cost 700 -> margin 100, pct 12.5
//   P2 qty 5 revenue 500 cost 100 -> margin 400, pct 80
//   P3 qty 1 revenue   0 cost  50 -> margin -50, pct null
//   P4 qty 9 revenue 200 cost   0 -> margin 200, pct 100
absl::StatusOr<MarginResult> HandResult(bool with_quantity = true) {
  LineRows l;
  l.products = Dict({"P0", "P1", "P2", "P3", "P4"});
  const Money revenue[] = {500, 800, 500, 0, 200};
  const Money cost[] = {300, 700, 100, 50, 0};
  const std::int32_t qty[] = {5, 2, 5, 1, 9};
  for (int p = 0; p < 5; ++p) {
    l.order_id.push_back(p);
    l.date.push_back(D(2024, 1, 1));
    l.customer.push_back(0);
    l.product.push_back(p);
    if (with_quantity) l.quantity.push_back(qty[p]);
    l.amount.push_back(revenue[p]);
    l.cost.push_back(cost[p]);
  }
  auto orders = l.Build();
  if (!orders.ok()) return orders.status();
  return ComputeMargin(*orders, nullptr, MarginOptions{});
}

std::vector<std::int64_t> RankedKeys(const MarginResult& r, const MarginRanking& k) {
  std::vector<std::int64_t> keys;
  for (const MarginRankEntry& e : k.entries) keys.push_back(r.groups[e.row].key[0]);
  return keys;
}

TEST(MarginRankingTest, HandRankingsTiesBySmallerId) {
  auto r = HandResult();
  ASSERT_TRUE(r.ok()) << r.status();
  using V = std::vector<std::int64_t>;
  auto rank = [&](MarginMetric metric, MarginRankOrder order, std::size_t n) {
    auto k = RankMargin(*r, MarginRankOptions{metric, order, n});
    EXPECT_TRUE(k.ok());
    return RankedKeys(*r, *k);
  };
  // Margin: 400 (P2), 200 (P0 before P4: tie, smaller id), 200 (P4).
  EXPECT_EQ(rank(MarginMetric::kMargin, MarginRankOrder::kTop, 3), (V{2, 0, 4}));
  EXPECT_EQ(rank(MarginMetric::kMargin, MarginRankOrder::kBottom, 2), (V{3, 1}));
  // Revenue: 800, 500 (P0 before P2), 500, 200, 0.
  EXPECT_EQ(rank(MarginMetric::kRevenue, MarginRankOrder::kTop, 10), (V{1, 0, 2, 4, 3}));
  EXPECT_EQ(rank(MarginMetric::kRevenue, MarginRankOrder::kBottom, 1), (V{3}));
  // Bottom ties also smaller id first: revenue 500 twice after 0 and 200.
  EXPECT_EQ(rank(MarginMetric::kRevenue, MarginRankOrder::kBottom, 4), (V{3, 4, 0, 2}));
  // Margin %: P3 has none and is left out: 100, 80, 40, 12.5.
  EXPECT_EQ(rank(MarginMetric::kMarginPct, MarginRankOrder::kTop, 10), (V{4, 2, 0, 1}));
  // Quantity: 9, 5 (P0 before P2).
  EXPECT_EQ(rank(MarginMetric::kQuantity, MarginRankOrder::kTop, 2), (V{4, 0}));
  EXPECT_TRUE(rank(MarginMetric::kMargin, MarginRankOrder::kTop, 0).empty());

  auto k = RankMargin(*r, MarginRankOptions{MarginMetric::kMargin, MarginRankOrder::kTop, 3});
  ASSERT_TRUE(k.ok());
  EXPECT_EQ(k->entries[2].rank, 3);
  const ResultTable t = ToResultTable(*k, *r);
  ASSERT_TRUE(t.Validate().ok());
  EXPECT_EQ(t.Find("product")->Texts(), (std::vector<std::string>{"P2", "P0", "P4"}));
  EXPECT_THAT(t.Find("rank")->ints, ::testing::ElementsAre(1, 2, 3));
  EXPECT_THAT(t.Find("margin")->ints, ::testing::ElementsAre(400, 200, 200));
}

TEST(MarginRankingTest, QuantityRankingNeedsAQuantityColumn) {
  auto r = HandResult(/*with_quantity=*/false);
  ASSERT_TRUE(r.ok());
  auto k = RankMargin(*r, MarginRankOptions{MarginMetric::kQuantity, MarginRankOrder::kTop, 3});
  EXPECT_FALSE(k.ok());
  EXPECT_NE(k.status().message().find("quantity"), std::string::npos);
}

// Against a full sort by (value, key tuple) on random results.
TEST(MarginRankingTest, MatchesAFullSortOnRandomResults) {
  for (std::uint64_t seed = 1; seed <= 60; ++seed) {
    const auto d = MakeRandomData(seed, 800);
    auto orders = d.lines.Build();
    ASSERT_TRUE(orders.ok());
    MarginOptions o;
    o.group_by.dimensions = {"region", "product"};
    auto r = ComputeMargin(*orders, nullptr, o);
    ASSERT_TRUE(r.ok());
    if (!r->has_quantity) continue;
    std::mt19937_64 rng(seed);
    for (int metric = 0; metric < 4; ++metric) {
      for (int order = 0; order < 2; ++order) {
        const std::size_t n = rng() % 30;
        const MarginRankOptions opt{static_cast<MarginMetric>(metric),
                                    static_cast<MarginRankOrder>(order), n};
        auto k = RankMargin(*r, opt);
        ASSERT_TRUE(k.ok());
        std::vector<std::pair<double, std::array<std::int64_t, kMaxMarginKeys>>> all;
        for (const MarginGroup& g : r->groups) {
          const MarginFigures& f = g.figures;
          double v = 0;
          switch (opt.metric) {
            case MarginMetric::kRevenue: v = static_cast<double>(f.revenue); break;
            case MarginMetric::kQuantity: v = static_cast<double>(f.quantity); break;
            case MarginMetric::kMargin: v = static_cast<double>(f.margin); break;
            case MarginMetric::kMarginPct:
              if (!f.margin_pct) continue;
              v = *f.margin_pct;
              break;
          }
          all.emplace_back(order == 0 ? -v : v, g.key);  // ascending = the wanted order
        }
        std::sort(all.begin(), all.end());
        ASSERT_EQ(k->entries.size(), std::min(n, all.size()));
        for (std::size_t i = 0; i < k->entries.size(); ++i) {
          EXPECT_EQ(r->groups[k->entries[i].row].key, all[i].second) << "seed " << seed;
          EXPECT_EQ(k->entries[i].rank, static_cast<std::int64_t>(i + 1));
        }
      }
    }
  }
}

// as_of 2024-03-31, no_sale_days 90 -> a sale must be after 2024-01-01.
//   P0 sold 2024-03-30 (q 2) and 2024-04-02 (after as_of: ignored)
//   P1 sold 2024-01-01 (q 10): 90 days before -> slow (boundary excluded)
//   P2 sold 2024-01-02 (q 1): 89 days -> recent
//   P3 sold 2023-06-01 (q 3), returned 2024-03-01 (q -1): last sale 2023-06-01 -> slow
//   P4 sold only 2024-04-05 (after as_of) -> never sold by as_of
//   P5 in Products, never ordered.
// Quantity window (2023-03-31, 2024-03-31]: P0 2, P1 10, P2 1, P3 2, P4 0, P5 0.
absl::StatusOr<OrderLines> SlowLines() {
  LineRows l;
  auto add = [&](Id p, Day d, std::int32_t q, Money a) {
    l.order_id.push_back(static_cast<std::int64_t>(l.order_id.size()));
    l.date.push_back(d);
    l.customer.push_back(0);
    l.product.push_back(p);
    l.quantity.push_back(q);
    l.amount.push_back(a);
  };
  add(0, D(2024, 3, 30), 2, 200);
  add(0, D(2024, 4, 2), 5, 500);
  add(1, D(2024, 1, 1), 10, 1000);
  add(2, D(2024, 1, 2), 1, 100);
  add(3, D(2023, 6, 1), 3, 300);
  add(3, D(2024, 3, 1), -1, -100);
  add(4, D(2024, 4, 5), 1, 100);
  return l.Build();
}

TEST(MarginSlowMoverTest, NoSaleInTheLastDaysAndBottomQuantity) {
  auto orders = SlowLines();
  ASSERT_TRUE(orders.ok()) << orders.status();
  ProductRows p;
  p.product = {0, 1, 2, 3, 4, 5};
  auto products = p.Build();
  ASSERT_TRUE(products.ok());
  SlowMoverOptions o;
  o.as_of = D(2024, 3, 31);
  o.no_sale_days = 90;
  auto r = FindSlowMovers(*orders, &*products, o);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->candidates, 6);
  std::vector<Id> ids;
  for (const SlowMover& m : r->products) ids.push_back(m.product);
  EXPECT_EQ(ids, (std::vector<Id>{1, 3, 4, 5}));
  EXPECT_EQ(r->products[0].last_sale, D(2024, 1, 1));
  EXPECT_EQ(*r->products[0].days_since_sale, 90);
  EXPECT_EQ(r->products[1].last_sale, D(2023, 6, 1));
  EXPECT_EQ(r->products[1].window_quantity, 2);   // 3 - 1
  EXPECT_EQ(r->products[1].window_revenue, 200);  // 300 - 100
  EXPECT_EQ(r->products[2].last_sale, kNoDate);
  EXPECT_FALSE(r->products[2].days_since_sale.has_value());

  // Bottom 40% of 6 candidates = ceil(2.4) = 3: P4 (0), P5 (0), P2 (1).
  o.bottom_quantity_pct = 40;
  r = FindSlowMovers(*orders, &*products, o);
  ASSERT_TRUE(r.ok());
  ids.clear();
  for (const SlowMover& m : r->products) ids.push_back(m.product);
  EXPECT_EQ(ids, (std::vector<Id>{1, 2, 3, 4, 5}));
  EXPECT_FALSE(r->products[1].no_recent_sale);  // P2: only by quantity
  EXPECT_TRUE(r->products[1].bottom_quantity);
  EXPECT_FALSE(r->products[0].bottom_quantity);  // P1: only by date

  // Without the catalogue: 4 candidates, ceil(1.6) = 2: P2 (1), then P0 and P3
  // tie at 2 -> P0 (smaller id).
  o.include_unsold_catalog = false;
  o.no_sale_days = 0;
  r = FindSlowMovers(*orders, &*products, o);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->candidates, 4);
  ids.clear();
  for (const SlowMover& m : r->products) ids.push_back(m.product);
  EXPECT_EQ(ids, (std::vector<Id>{0, 2}));

  const ResultTable t = ToResultTable(*r);
  ASSERT_TRUE(t.Validate().ok());
  EXPECT_EQ(t.num_rows(), 2u);
  EXPECT_THAT(t.Find("bottom_quantity")->ints, ::testing::ElementsAre(1, 1));
}

TEST(MarginSlowMoverTest, ThreadsDoNotChangeTheAnswerAndOptionsAreChecked) {
  const auto d = MakeRandomData(77, 5000);
  auto orders = d.lines.Build();
  ASSERT_TRUE(orders.ok());
  SlowMoverOptions o;
  o.no_sale_days = 30;
  o.bottom_quantity_pct = d.lines.quantity.empty() ? 0 : 25;
  auto one = FindSlowMovers(*orders, nullptr, o);
  ASSERT_TRUE(one.ok()) << one.status();
  o.num_threads = 3;
  auto three = FindSlowMovers(*orders, nullptr, o);
  ASSERT_TRUE(three.ok());
  ASSERT_EQ(one->products.size(), three->products.size());
  for (std::size_t i = 0; i < one->products.size(); ++i) {
    EXPECT_EQ(one->products[i].product, three->products[i].product);
    EXPECT_EQ(one->products[i].last_sale, three->products[i].last_sale);
    EXPECT_EQ(one->products[i].window_quantity, three->products[i].window_quantity);
    EXPECT_EQ(one->products[i].window_revenue, three->products[i].window_revenue);
  }
  o.bottom_quantity_pct = 120;
  EXPECT_FALSE(FindSlowMovers(*orders, nullptr, o).ok());
  o.bottom_quantity_pct = 0;
  o.no_sale_days = -1;
  EXPECT_FALSE(FindSlowMovers(*orders, nullptr, o).ok());
}

}  // namespace
}  // namespace salesight
