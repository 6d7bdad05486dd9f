// Workload (c) of WORKLOADS.md (margin_product, margin_top20,
// margin_region_month) reproduced through the public API and compared with a
// plain transcription of its SQL definition; and exact money over 10^7 lines.
#include <algorithm>
#include <cmath>
#include <map>
#include <random>
#include <tuple>
#include <vector>

#include "gtest/gtest.h"
#include "margin/margin_test_util.hpp"
#include "salesight/margin.hpp"

namespace salesight {
namespace {

using margin_test::D;
using margin_test::ToBoost;

// Workload-shaped orders: product in [0, 5000), quantity 1..50, region in
// [0, 8), dates sorted over 2022-01-01..2024-12-31, unit cost 45-85% of price.
struct WorkloadColumns {
  std::vector<std::int64_t> order_id;
  std::vector<Day> order_date;
  std::vector<Id> customer, product, region;
  std::vector<std::int32_t> quantity;
  std::vector<Money> amount, unit_cost;
};

WorkloadColumns MakeWorkload(std::size_t n, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  WorkloadColumns w;
  const Day first = D(2022, 1, 1), last = D(2024, 12, 31);
  std::uniform_int_distribution<Day> day(first, last);
  for (std::size_t i = 0; i < n; ++i) w.order_date.push_back(day(rng));
  std::sort(w.order_date.begin(), w.order_date.end());
  std::uniform_int_distribution<int> product(0, 4999), qty(1, 50), region(0, 7), cust(0, 999);
  std::uniform_int_distribution<Money> price(100, 200000);
  std::uniform_int_distribution<int> ratio(45, 85);
  for (std::size_t i = 0; i < n; ++i) {
    w.order_id.push_back(static_cast<std::int64_t>(i));
    w.customer.push_back(cust(rng));
    // Skewed products: the square of a uniform draw favours small ids.
    const int p = product(rng);
    w.product.push_back(static_cast<Id>(static_cast<std::int64_t>(p) * p / 5000));
    const int q = qty(rng);
    w.quantity.push_back(q);
    const Money unit_price = price(rng);
    w.amount.push_back(q * unit_price - static_cast<Money>(rng() % 100));
    w.unit_cost.push_back(unit_price * ratio(rng) / 100);
    w.region.push_back(static_cast<Id>(region(rng)));
  }
  return w;
}

absl::StatusOr<OrderLines> BuildOrders(const WorkloadColumns& w) {
  OrderLinesColumns c;
  c.order_id = Column<std::int64_t>::Borrow(w.order_id);
  c.order_date = Column<Day>::Borrow(w.order_date);
  c.customer = Column<Id>::Borrow(w.customer);
  c.product = Column<Id>::Borrow(w.product);
  c.region = Column<Id>::Borrow(w.region);
  c.quantity = Column<std::int32_t>::Borrow(w.quantity);
  c.amount = Column<Money>::Borrow(w.amount);
  c.unit_cost = Column<Money>::Borrow(w.unit_cost);
  return OrderLines::Build(std::move(c));
}

// ---- the SQL definitions, transcribed plainly
struct SqlRow {
  Money revenue = 0, cost = 0;
};
double SqlMarginPct(Money margin, Money revenue) {
  // 100 * margin / revenue: integer product, then double division.
  return static_cast<double>(100 * margin) / static_cast<double>(revenue);
}
bool Near(double a, double b) { return std::abs(a - b) <= 1e-9 * std::max(1.0, std::abs(b)); }

TEST(MarginWorkloadTest, WorkloadCMatchesTheSqlDefinition) {
  for (std::uint64_t seed : {1u, 2u, 3u}) {
    const WorkloadColumns w = MakeWorkload(seed == 1 ? 200000 : 50000, seed);
    auto orders = BuildOrders(w);
    ASSERT_TRUE(orders.ok()) << orders.status();

    // SELECT product_id, sum(amount), sum(quantity * unit_cost) ... GROUP BY product_id
    std::map<Id, SqlRow> by_product;
    // ... GROUP BY region_id, month
    std::map<std::pair<Id, int>, SqlRow> by_region_month;
    for (std::size_t i = 0; i < w.order_id.size(); ++i) {
      const Money cost = std::int64_t{w.quantity[i]} * w.unit_cost[i];
      SqlRow& p = by_product[w.product[i]];
      p.revenue += w.amount[i];
      p.cost += cost;
      const auto date = ToBoost(w.order_date[i]);
      SqlRow& rm = by_region_month[{w.region[i], date.year() * 100 + date.month()}];
      rm.revenue += w.amount[i];
      rm.cost += cost;
    }
    // ORDER BY margin DESC, product_id ASC LIMIT 20
    std::vector<std::pair<Money, Id>> top;
    for (const auto& [p, row] : by_product) top.emplace_back(row.revenue - row.cost, p);
    std::sort(top.begin(), top.end(), [](const auto& a, const auto& b) {
      return a.first != b.first ? a.first > b.first : a.second < b.second;
    });
    top.resize(std::min<std::size_t>(20, top.size()));

    for (int threads : {1, 2, 3}) {
      SCOPED_TRACE("seed " + std::to_string(seed) + " threads " + std::to_string(threads));
      MarginOptions o;
      o.num_threads = threads;
      const std::vector<MarginGrouping> sets = {
          MarginGrouping{{"product"}},
          MarginGrouping{{"region", "month"}}};
      auto results = ComputeMarginSets(*orders, nullptr, sets, o);
      ASSERT_TRUE(results.ok()) << results.status();
      const MarginResult& product = (*results)[0];
      const MarginResult& region_month = (*results)[1];

      ASSERT_EQ(product.groups.size(), by_product.size());
      std::size_t row = 0;
      for (const auto& [p, sql] : by_product) {
        const MarginGroup& g = product.groups[row++];
        ASSERT_EQ(g.key[0], p);
        EXPECT_EQ(g.figures.revenue, sql.revenue);
        EXPECT_EQ(g.figures.cost, sql.cost);
        EXPECT_EQ(g.figures.margin, sql.revenue - sql.cost);
        ASSERT_TRUE(g.figures.margin_pct.has_value());
        EXPECT_TRUE(Near(*g.figures.margin_pct, SqlMarginPct(sql.revenue - sql.cost, sql.revenue)))
            << *g.figures.margin_pct;
      }

      auto ranking = RankMargin(product, MarginRankOptions{MarginMetric::kMargin,
                                                           MarginRankOrder::kTop, 20});
      ASSERT_TRUE(ranking.ok());
      ASSERT_EQ(ranking->entries.size(), top.size());
      for (std::size_t k = 0; k < top.size(); ++k) {
        const MarginRankEntry& e = ranking->entries[k];
        EXPECT_EQ(e.rank, static_cast<std::int64_t>(k + 1));
        EXPECT_EQ(product.groups[e.row].key[0], top[k].second);
        EXPECT_EQ(product.groups[e.row].figures.margin, top[k].first);
      }

      ASSERT_EQ(region_month.groups.size(), by_region_month.size());
      row = 0;
      for (const auto& [key, sql] : by_region_month) {
        const MarginGroup& g = region_month.groups[row++];
        ASSERT_EQ(g.key[0], key.first);
        ASSERT_EQ(g.key[1], key.second);
        EXPECT_EQ(g.figures.revenue, sql.revenue);
        EXPECT_EQ(g.figures.cost, sql.cost);
        EXPECT_EQ(g.figures.margin, sql.revenue - sql.cost);
        EXPECT_TRUE(Near(*g.figures.margin_pct, SqlMarginPct(sql.revenue - sql.cost, sql.revenue)));
      }
      // The CLI table of the top 20: rank, product, ..., margin.
      const ResultTable t = ToResultTable(*ranking, product);
      ASSERT_TRUE(t.Validate().ok());
      EXPECT_EQ(t.columns()[0].name, "rank");
      EXPECT_EQ(t.columns()[1].name, "product");
      EXPECT_EQ(t.Find("product")->Texts()[0], std::to_string(top[0].second));
    }
  }
}

// 10^7 lines of 9,000,000,000.01 (900000000001 cents) over three products
// round-robin: product 0 gets 3333334 lines, products 1 and 2 get 3333333.
//   revenue(0) = 3333334 x 900000000001 = 3000000600003333334 (exact int64)
//   revenue(1) = revenue(2) = 3333333 x 900000000001 = 2999999700003333333
//   total = 10^7 x 900000000001 = 9000000000010000000
// A double sum could not hold these (its spacing there is 1024 cents).
// Cost: quantity 1 x unit_cost 300000000000 -> total 3 x 10^18,
// margin = 9000000000010000000 - 3000000000000000000 = 6000000000010000000.
TEST(MarginWorkloadTest, ExactToTheCentOverTenMillionLines) {
  constexpr std::size_t n = 10'000'000;
  OrderLinesColumns c;
  {
    std::vector<std::int64_t> order(n);
    std::vector<Day> date(n, D(2024, 6, 1));
    std::vector<Id> customer(n, 0), product(n);
    std::vector<std::int32_t> quantity(n, 1);
    std::vector<Money> amount(n, 900'000'000'001), unit_cost(n, 300'000'000'000);
    for (std::size_t i = 0; i < n; ++i) {
      order[i] = static_cast<std::int64_t>(i);
      product[i] = static_cast<Id>(i % 3);
    }
    c.order_id = Column<std::int64_t>::Own(std::move(order));
    c.order_date = Column<Day>::Own(std::move(date));
    c.customer = Column<Id>::Own(std::move(customer));
    c.product = Column<Id>::Own(std::move(product));
    c.quantity = Column<std::int32_t>::Own(std::move(quantity));
    c.amount = Column<Money>::Own(std::move(amount));
    c.unit_cost = Column<Money>::Own(std::move(unit_cost));
  }
  auto orders = OrderLines::Build(std::move(c));
  ASSERT_TRUE(orders.ok()) << orders.status();
  MarginOptions o;
  o.num_threads = 2;
  auto r = ComputeMargin(*orders, nullptr, o);
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_EQ(r->groups.size(), 3u);
  EXPECT_EQ(r->groups[0].figures.revenue, 3000000600003333334);
  EXPECT_EQ(r->groups[1].figures.revenue, 2999999700003333333);
  EXPECT_EQ(r->groups[2].figures.revenue, 2999999700003333333);
  EXPECT_EQ(r->groups[0].figures.lines, 3333334);
  EXPECT_EQ(r->total.revenue, 9000000000010000000);
  EXPECT_EQ(r->total.cost, 3000000000000000000);
  EXPECT_EQ(r->total.margin, 6000000000010000000);
  const ResultTable t = ToResultTable(*r);
  EXPECT_EQ(FormatCell(*t.Find("revenue"), 0), "30000006000033333.34");
}

}  // namespace
}  // namespace salesight
