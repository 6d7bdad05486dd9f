// Hand-computed margin cases and edge cases. Every expected number is worked
// out in the comments from the input literals.
#include <limits>
#include <sstream>

#include "gtest/gtest.h"
#include "margin/margin_test_util.hpp"
#include "salesight/margin.hpp"

namespace salesight {
namespace {

using margin_test::D;
using margin_test::Dict;
using margin_test::LineRows;
using margin_test::ProductRows;

// Six lines, costs from Products (no cost/unit_cost column):
//   P0 standard 1.00, one tier from quantity 100 -> 0.01 (never reached here);
//   P1 standard 9999.99, tiers 1 -> 3.00 and 10 -> 2.50;
//   P2 standard 4.00, tier 2 -> 3.50;
//   P3 not in Products (cost unknown).
// Most cases run tier-first (kTierThenStandard) so that P1 and P2 use their
// tiers; StandardFirstIsTheDefault shows the default order.
struct HandData {
  LineRows lines;
  ProductRows products;
};

HandData MakeHand() {
  HandData h;
  LineRows& l = h.lines;
  l.customers = Dict({"C-0", "C-1"});
  l.products = Dict({"P-0", "P-1", "P-2", "P-3"});
  l.regions = Dict({"华东", "华南"});
  //            order date               cust prod reg qty amount
  auto add = [&](std::int64_t o, Day d, Id c, Id p, Id r, std::int32_t q, Money a) {
    l.order_id.push_back(o);
    l.date.push_back(d);
    l.customer.push_back(c);
    l.product.push_back(p);
    l.region.push_back(r);
    l.salesperson.push_back(0);
    l.channel.push_back(0);
    l.department.push_back(0);
    l.quantity.push_back(q);
    l.amount.push_back(a);
  };
  add(1, D(2024, 1, 15), 0, 0, 0, 5, 1000);   // r0
  add(1, D(2024, 1, 15), 0, 1, 0, 12, 4000);  // r1
  add(2, D(2024, 2, 3), 1, 1, 1, 3, 1200);    // r2
  add(3, D(2024, 2, 20), 1, 2, 1, 2, 700);    // r3
  add(4, D(2024, 2, 21), 0, 3, 0, 1, 500);    // r4
  add(5, D(2024, 3, 1), 1, 0, 1, -2, -400);   // r5 (a return)
  ProductRows& p = h.products;
  p.products = l.products;
  p.categories = Dict({"Tools", "Food"});
  p.product = {0, 1, 2};
  p.category = {0, 0, 1};
  p.standard_cost = {100, 999999, 400};
  p.tiers = {{1, 1, 300}, {1, 10, 250}, {2, 2, 350}, {0, 100, 1}};
  return h;
}

// Tier-first costs (kTierThenStandard):
//   r0 P0 q5: P0's only tier starts at 100 > 5 -> standard 1.00: 5 x 100 = 500
//   r1 P1 q12: tier 10 -> 12 x 250 = 3000
//   r2 P1 q3: tier 1 -> 3 x 300 = 900
//   r3 P2 q2: tier 2 -> 2 x 350 = 700
//   r4 P3: not in Products -> unknown
//   r5 P0 q-2: |q| = 2 < 100 -> standard: -2 x 100 = -200
// By product:
//   P0: qty 5-2=3, revenue 1000-400=600, cost 500-200=300, margin 300, pct 50
//   P1: qty 15, revenue 5200, cost 3900, margin 1300, pct 1300/5200 = 25
//   P2: qty 2, revenue 700, cost 700, margin 0, pct 0
//   P3: qty 1, revenue 500, unknown 1 line / 500, cost 0, margin 0, pct null
// Total: revenue 7000, cost 4900, unknown revenue 500, margin 6500-4900 = 1600.
TEST(MarginHandTest, ByProductTierFirst) {
  HandData h = MakeHand();
  auto orders = h.lines.Build();
  ASSERT_TRUE(orders.ok()) << orders.status();
  auto products = h.products.Build();
  ASSERT_TRUE(products.ok()) << products.status();
  MarginOptions o;
  o.product_cost_order = ProductCostOrder::kTierThenStandard;
  auto r = ComputeMargin(*orders, &*products, o);
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_EQ(r->groups.size(), 4u);
  const auto& g = r->groups;
  EXPECT_EQ(g[0].key[0], 0);
  EXPECT_EQ(g[0].figures.quantity, 3);
  EXPECT_EQ(g[0].figures.revenue, 600);
  EXPECT_EQ(g[0].figures.cost, 300);
  EXPECT_EQ(g[0].figures.margin, 300);
  EXPECT_DOUBLE_EQ(*g[0].figures.margin_pct, 50.0);
  EXPECT_EQ(g[1].figures.revenue, 5200);
  EXPECT_EQ(g[1].figures.cost, 3900);
  EXPECT_EQ(g[1].figures.margin, 1300);
  EXPECT_DOUBLE_EQ(*g[1].figures.margin_pct, 25.0);
  EXPECT_EQ(g[2].figures.cost, 700);
  EXPECT_EQ(g[2].figures.margin, 0);
  EXPECT_DOUBLE_EQ(*g[2].figures.margin_pct, 0.0);
  EXPECT_EQ(g[3].key[0], 3);
  EXPECT_EQ(g[3].figures.revenue, 500);
  EXPECT_EQ(g[3].figures.cost, 0);
  EXPECT_EQ(g[3].figures.cost_unknown_lines, 1);
  EXPECT_EQ(g[3].figures.cost_unknown_revenue, 500);
  EXPECT_EQ(g[3].figures.margin, 0);
  EXPECT_FALSE(g[3].figures.margin_pct.has_value());
  EXPECT_EQ(r->total.revenue, 7000);
  EXPECT_EQ(r->total.cost, 4900);
  EXPECT_EQ(r->total.margin, 1600);
  EXPECT_DOUBLE_EQ(*r->total.margin_pct, 100.0 * 1600 / 6500);
  // Shares: revenue 600/7000, 5200/7000, 700/7000, 500/7000; margin x/1600.
  EXPECT_DOUBLE_EQ(*g[0].figures.revenue_share, 600.0 / 7000);
  EXPECT_DOUBLE_EQ(*g[1].figures.revenue_share, 5200.0 / 7000);
  EXPECT_DOUBLE_EQ(*g[0].figures.margin_share, 300.0 / 1600);
  EXPECT_DOUBLE_EQ(*g[1].figures.margin_share, 1300.0 / 1600);
  EXPECT_DOUBLE_EQ(*g[3].figures.margin_share, 0.0);
  // Sources: standard r0 r5; tier r1 r2 r3; unknown r4.
  EXPECT_EQ(r->lines_by_cost_source[static_cast<int>(CostSource::kStandardCost)], 2);
  EXPECT_EQ(r->lines_by_cost_source[static_cast<int>(CostSource::kTierCost)], 3);
  EXPECT_EQ(r->lines_by_cost_source[static_cast<int>(CostSource::kUnknownCost)], 1);
}

// Standard-first (the default): P1's standard 9999.99 now wins over its tiers,
// P2 uses its standard 4.00:
//   P1: cost 12 x 999999 + 3 x 999999 = 15 x 999999 = 14999985,
//       margin 5200 - 14999985 = -14994785
//   P2: cost 2 x 400 = 800, margin -100, pct -100/700*100
TEST(MarginHandTest, StandardFirstIsTheDefault) {
  HandData h = MakeHand();
  auto orders = h.lines.Build();
  auto products = h.products.Build();
  ASSERT_TRUE(orders.ok() && products.ok());
  auto r = ComputeMargin(*orders, &*products, MarginOptions{});
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->groups[1].figures.cost, 14999985);
  EXPECT_EQ(r->groups[1].figures.margin, -14994785);
  EXPECT_EQ(r->groups[2].figures.cost, 800);
  EXPECT_DOUBLE_EQ(*r->groups[2].figures.margin_pct, -100.0 * 100 / 700);
  EXPECT_EQ(r->lines_by_cost_source[static_cast<int>(CostSource::kStandardCost)], 5);
  EXPECT_EQ(r->lines_by_cost_source[static_cast<int>(CostSource::kTierCost)], 0);
}

// Region x month, tier-first:
//   (华东, 202401): r0 r1 revenue 5000 cost 3500 margin 1500 pct 30
//   (华东, 202402): r4 revenue 500, unknown
//   (华南, 202402): r2 r3 revenue 1900 cost 1600 margin 300 pct 300/1900*100
//   (华南, 202403): r5 revenue -400 cost -200 margin -200 pct -200/-400*100 = 50
TEST(MarginHandTest, ByRegionAndMonth) {
  HandData h = MakeHand();
  auto orders = h.lines.Build();
  auto products = h.products.Build();
  ASSERT_TRUE(orders.ok() && products.ok());
  MarginOptions o;
  o.product_cost_order = ProductCostOrder::kTierThenStandard;
  o.group_by.dimensions = {"region", "month"};
  auto r = ComputeMargin(*orders, &*products, o);
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_EQ(r->groups.size(), 4u);
  const auto& g = r->groups;
  EXPECT_EQ(g[0].key[0], 0);
  EXPECT_EQ(g[0].key[1], 202401);
  EXPECT_EQ(g[0].figures.margin, 1500);
  EXPECT_DOUBLE_EQ(*g[0].figures.margin_pct, 30.0);
  EXPECT_EQ(g[1].key[1], 202402);
  EXPECT_EQ(g[1].figures.cost_unknown_revenue, 500);
  EXPECT_EQ(g[2].key[0], 1);
  EXPECT_EQ(g[2].figures.revenue, 1900);
  EXPECT_EQ(g[2].figures.cost, 1600);
  EXPECT_DOUBLE_EQ(*g[2].figures.margin_pct, 100.0 * 300 / 1900);
  EXPECT_EQ(g[3].key[1], 202403);
  EXPECT_EQ(g[3].figures.margin, -200);
  EXPECT_DOUBLE_EQ(*g[3].figures.margin_pct, 50.0);

  const ResultTable t = ToResultTable(*r);
  ASSERT_TRUE(t.Validate().ok());
  std::vector<std::string> names;
  for (const ResultColumn& c : t.columns()) names.push_back(c.name);
  EXPECT_EQ(names, (std::vector<std::string>{"region", "month", "quantity", "revenue", "cost",
                                             "margin", "margin_pct", "revenue_share",
                                             "margin_share", "cost_unknown_lines",
                                             "cost_unknown_revenue"}));
  EXPECT_EQ(t.Find("region")->Texts()[0], "华东");
  EXPECT_EQ(t.Find("region")->Texts()[2], "华南");
  EXPECT_EQ(t.Find("month")->ints[3], 202403);
  EXPECT_EQ(t.Find("margin")->type, ResultType::kMoney);
  EXPECT_EQ(FormatCell(*t.Find("margin"), 0), "15.00");
}

// Categories (tier-first): unknown (-1: P3) 500 unknown; Tools (P0, P1)
// revenue 5800 cost 4200; Food (P2) revenue 700 cost 700.
TEST(MarginHandTest, ByCategoryUnknownSortsFirst) {
  HandData h = MakeHand();
  auto orders = h.lines.Build();
  auto products = h.products.Build();
  ASSERT_TRUE(orders.ok() && products.ok());
  MarginOptions o;
  o.product_cost_order = ProductCostOrder::kTierThenStandard;
  o.group_by.dimensions = {"category"};
  auto r = ComputeMargin(*orders, &*products, o);
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_EQ(r->groups.size(), 3u);
  EXPECT_EQ(r->groups[0].key[0], -1);
  EXPECT_EQ(r->groups[0].figures.cost_unknown_revenue, 500);
  EXPECT_EQ(r->groups[1].key[0], 0);
  EXPECT_EQ(r->groups[1].figures.revenue, 5800);
  EXPECT_EQ(r->groups[1].figures.cost, 4200);
  EXPECT_EQ(r->groups[2].figures.cost, 700);
  const ResultTable t = ToResultTable(*r);
  EXPECT_TRUE(t.Find("category")->is_null(0));
  EXPECT_EQ(t.Find("category")->Texts()[1], "Tools");
}

// Date filter Feb 2024: r2 r3 r4 in range, r0 r1 r5 outside.
TEST(MarginHandTest, DateRangeIsInclusive) {
  HandData h = MakeHand();
  auto orders = h.lines.Build();
  auto products = h.products.Build();
  ASSERT_TRUE(orders.ok() && products.ok());
  MarginOptions o;
  o.product_cost_order = ProductCostOrder::kTierThenStandard;
  o.from = D(2024, 2, 3);  // r2's day: included
  o.to = D(2024, 2, 21);   // r4's day: included
  auto r = ComputeMargin(*orders, &*products, o);
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->groups.size(), 3u);  // P1 (r2), P2 (r3), P3 (r4)
  EXPECT_EQ(r->groups[0].key[0], 1);
  EXPECT_EQ(r->groups[0].figures.revenue, 1200);
  EXPECT_EQ(r->groups[0].figures.cost, 900);
  EXPECT_EQ(r->lines_outside_range, 3);
  EXPECT_EQ(r->total.revenue, 2400);
  o.from = D(2024, 2, 4);  // excludes r2
  r = ComputeMargin(*orders, &*products, o);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->groups.size(), 2u);
  EXPECT_EQ(r->lines_outside_range, 4);
}

TEST(MarginHandTest, UnknownCostCanBeAnError) {
  HandData h = MakeHand();
  auto orders = h.lines.Build();
  auto products = h.products.Build();
  ASSERT_TRUE(orders.ok() && products.ok());
  MarginOptions o;
  o.unknown_cost = UnknownCostPolicy::kError;
  auto r = ComputeMargin(*orders, &*products, o);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(r.status().message().find("row 4"), std::string::npos) << r.status();
  EXPECT_NE(r.status().message().find("P-3"), std::string::npos) << r.status();
  EXPECT_NE(r.status().message().find("not in the products table"), std::string::npos);
  // Without any cost source every line is unknown, never a zero cost.
  auto none = ComputeMargin(*orders, nullptr, MarginOptions{});
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(none->total.cost_unknown_lines, 6);
  EXPECT_EQ(none->total.cost_unknown_revenue, 7000);
  EXPECT_FALSE(none->total.margin_pct.has_value());
}

// Line cost column wins over unit_cost and Products; unit_cost over Products.
TEST(MarginHandTest, CostSourcePriority) {
  LineRows l;
  l.order_id = {1, 2};
  l.date = {D(2024, 1, 1), D(2024, 1, 2)};
  l.customer = {0, 0};
  l.product = {0, 0};
  l.quantity = {2, 3};
  l.amount = {1000, 1500};
  l.unit_cost = {100, 200};  // 2 x 100 + 3 x 200 = 800
  ProductRows p;
  p.product = {0};
  p.standard_cost = {1};
  auto products = p.Build();
  ASSERT_TRUE(products.ok());
  MarginOptions o;
  o.group_by.dimensions = {};
  auto orders = l.Build();
  ASSERT_TRUE(orders.ok());
  auto r = ComputeMargin(*orders, &*products, o);
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->groups.size(), 1u);
  EXPECT_EQ(r->groups[0].figures.cost, 800);
  EXPECT_EQ(r->lines_by_cost_source[static_cast<int>(CostSource::kUnitCost)], 2);
  l.cost = {10, 20};  // the line cost column beats unit_cost: 30
  orders = l.Build();
  ASSERT_TRUE(orders.ok());
  r = ComputeMargin(*orders, &*products, o);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->groups[0].figures.cost, 30);
  EXPECT_EQ(r->lines_by_cost_source[static_cast<int>(CostSource::kLineCost)], 2);
}

// Total margin -200 (groups +100 and -300): kSignOfGroup divides by |-200|
// (0.5, -1.5), kPlainRatio by -200 (-0.5, 1.5).
TEST(MarginHandTest, MarginShareSignWhenTheTotalIsALoss) {
  LineRows l;
  l.order_id = {1, 2};
  l.date = {D(2024, 1, 1), D(2024, 1, 2)};
  l.customer = {0, 0};
  l.product = {0, 1};
  l.amount = {1000, 1000};
  l.cost = {900, 1300};
  auto orders = l.Build();
  ASSERT_TRUE(orders.ok());
  MarginOptions o;
  auto r = ComputeMargin(*orders, nullptr, o);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->total.margin, -200);
  EXPECT_DOUBLE_EQ(*r->groups[0].figures.margin_share, 0.5);
  EXPECT_DOUBLE_EQ(*r->groups[1].figures.margin_share, -1.5);
  EXPECT_DOUBLE_EQ(*r->total.margin_share, -1.0);
  o.margin_share_sign = MarginShareSign::kPlainRatio;
  r = ComputeMargin(*orders, nullptr, o);
  ASSERT_TRUE(r.ok());
  EXPECT_DOUBLE_EQ(*r->groups[0].figures.margin_share, -0.5);
  EXPECT_DOUBLE_EQ(*r->groups[1].figures.margin_share, 1.5);
  // Quantity is null in the table when the orders have no quantity column.
  const ResultTable t = ToResultTable(*r);
  EXPECT_TRUE(t.Find("quantity")->is_null(0));
  EXPECT_EQ(t.Find("cost_unknown_lines"), nullptr);
}

// Period keys: 2024-12-30 is a Monday in ISO week 2025-W01; 2021-01-03 is in
// 2020-W53; quarter of Aug 15 is 3.
TEST(MarginHandTest, PeriodKeys) {
  LineRows l;
  l.order_id = {1, 2, 3};
  l.date = {D(2024, 12, 30), D(2021, 1, 3), D(2024, 8, 15)};
  l.customer = {0, 0, 0};
  l.amount = {1, 2, 3};
  auto orders = l.Build();
  ASSERT_TRUE(orders.ok());
  MarginOptions o;
  o.group_by.dimensions = {"week"};
  auto r = ComputeMargin(*orders, nullptr, o);
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_EQ(r->groups.size(), 3u);
  EXPECT_EQ(r->groups[0].key[0], 202053);
  EXPECT_EQ(r->groups[1].key[0], 202433);
  EXPECT_EQ(r->groups[2].key[0], 202501);
  ResultTable t = ToResultTable(*r);
  EXPECT_EQ(t.Find("week")->Texts()[0], "2020-W53");
  o.group_by.dimensions = {"quarter"};
  r = ComputeMargin(*orders, nullptr, o);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->groups[0].key[0], 20211);
  EXPECT_EQ(r->groups[1].key[0], 20243);
  EXPECT_EQ(r->groups[2].key[0], 20244);
  t = ToResultTable(*r);
  EXPECT_EQ(t.Find("quarter")->Texts()[1], "2024-Q3");
  o.group_by.dimensions = {"year"};
  r = ComputeMargin(*orders, nullptr, o);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->groups[0].key[0], 2021);
  EXPECT_EQ(r->groups[1].key[0], 2024);
  EXPECT_EQ(r->groups[1].figures.revenue, 4);
  o.group_by.dimensions = {"day"};
  r = ComputeMargin(*orders, nullptr, o);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->groups[0].key[0], D(2021, 1, 3));
  t = ToResultTable(*r);
  EXPECT_EQ(FormatCell(*t.Find("day"), 0), "2021-01-03");
}

// Sparse order ids (the hash / sorted-distinct path) keep their values.
TEST(MarginHandTest, GroupByOrderWithSparseIds) {
  LineRows l;
  l.order_id = {7, 900'000'000'000, 7, -5};
  l.date = {D(2024, 1, 1), D(2024, 1, 1), D(2024, 1, 1), D(2024, 1, 1)};
  l.customer = {0, 0, 0, 0};
  l.amount = {100, 200, 300, 400};
  l.cost = {10, 20, 30, 40};
  auto orders = l.Build();
  ASSERT_TRUE(orders.ok());
  MarginOptions o;
  o.group_by.dimensions = {"order"};
  for (std::int64_t dense : {std::int64_t{1} << 20, std::int64_t{1}}) {
    o.max_dense_groups = dense;
    auto r = ComputeMargin(*orders, nullptr, o);
    ASSERT_TRUE(r.ok()) << r.status();
    ASSERT_EQ(r->groups.size(), 3u);
    EXPECT_EQ(r->groups[0].key[0], -5);
    EXPECT_EQ(r->groups[1].key[0], 7);
    EXPECT_EQ(r->groups[1].figures.revenue, 400);  // 100 + 300
    EXPECT_EQ(r->groups[1].figures.cost, 40);
    EXPECT_EQ(r->groups[2].key[0], 900'000'000'000);
  }
}

TEST(MarginHandTest, EmptyTableAndTotalRow) {
  LineRows l;
  auto orders = l.Build();
  ASSERT_TRUE(orders.ok()) << orders.status();
  for (int threads : {1, 2}) {
    MarginOptions o;
    o.num_threads = threads;
    o.group_by.dimensions = {"product", "month"};
    auto r = ComputeMargin(*orders, nullptr, o);
    ASSERT_TRUE(r.ok()) << r.status();
    EXPECT_TRUE(r->groups.empty());
    EXPECT_EQ(r->total.revenue, 0);
    EXPECT_FALSE(r->total.margin_pct.has_value());
    EXPECT_FALSE(r->total.revenue_share.has_value());
    const ResultTable t = ToResultTable(*r);
    EXPECT_TRUE(t.Validate().ok());
    EXPECT_EQ(t.num_rows(), 0u);
  }
  // No dimensions: one grand-total row.
  LineRows one;
  one.order_id = {1, 2};
  one.date = {D(2024, 1, 1), D(2024, 5, 1)};
  one.customer = {0, 1};
  one.amount = {250, 750};
  one.cost = {100, 100};
  orders = one.Build();
  ASSERT_TRUE(orders.ok());
  MarginOptions o;
  o.group_by.dimensions = {};
  auto r = ComputeMargin(*orders, nullptr, o);
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->groups.size(), 1u);
  EXPECT_EQ(r->groups[0].figures.revenue, 1000);
  EXPECT_EQ(r->groups[0].figures.margin, 800);
  EXPECT_DOUBLE_EQ(*r->groups[0].figures.revenue_share, 1.0);
  // Revenue 0 in a group: margin % null, not NaN.
  one.amount = {0, 0};
  orders = one.Build();
  ASSERT_TRUE(orders.ok());
  r = ComputeMargin(*orders, nullptr, o);
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->groups[0].figures.margin_pct.has_value());
  EXPECT_FALSE(r->groups[0].figures.revenue_share.has_value());
  EXPECT_DOUBLE_EQ(*r->groups[0].figures.margin_share, -1.0);  // -200 / |-200|
}

TEST(MarginHandTest, OptionErrorsNameTheProblem) {
  HandData h = MakeHand();
  h.lines.region.clear();
  auto orders = h.lines.Build();
  ASSERT_TRUE(orders.ok());
  MarginOptions o;
  o.group_by.dimensions = {"region"};
  auto r = ComputeMargin(*orders, nullptr, o);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("'region'"), std::string::npos) << r.status();
  o.group_by.dimensions = {"category"};
  r = ComputeMargin(*orders, nullptr, o);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("category"), std::string::npos) << r.status();
  o.group_by.dimensions = {"product", "product"};
  r = ComputeMargin(*orders, nullptr, o);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("twice"), std::string::npos) << r.status();
  o.group_by.dimensions = {"product"};
  o.from = D(2024, 5, 1);
  o.to = D(2024, 4, 1);
  r = ComputeMargin(*orders, nullptr, o);
  EXPECT_FALSE(r.ok());
  o = MarginOptions{};
  auto p = PartialMargin(*orders, nullptr, 3, 99, o);
  EXPECT_EQ(p.status().code(), absl::StatusCode::kOutOfRange);
  o.num_threads = -1;
  EXPECT_FALSE(ComputeMargin(*orders, nullptr, o).ok());
}

// 1100 lines of 9e15 minor units in one product overflow int64 (9.22e18):
// an error naming the group, never a wrapped sum.
TEST(MarginHandTest, OverflowIsAnErrorNamingTheGroup) {
  LineRows l;
  l.products = Dict({"P-0", "P-1"});
  for (int i = 0; i < 1100; ++i) {
    l.order_id.push_back(i);
    l.date.push_back(D(2024, 1, 1));
    l.customer.push_back(0);
    l.product.push_back(i == 0 ? 0 : 1);
    l.amount.push_back(kMaxMoney);
    l.cost.push_back(0);
  }
  auto orders = l.Build();
  ASSERT_TRUE(orders.ok());
  for (int threads : {1, 2}) {
    MarginOptions o;
    o.num_threads = threads;
    auto r = ComputeMargin(*orders, nullptr, o);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().code(), absl::StatusCode::kOutOfRange);
    EXPECT_NE(r.status().message().find("product=P-1"), std::string::npos) << r.status();
    EXPECT_NE(r.status().message().find("revenue"), std::string::npos) << r.status();
  }
}

// quantity 2147483647 x standard cost 9e15 does not fit int64: an error
// naming the row; outside the date range the line is not costed at all.
TEST(MarginHandTest, ProductCostOverflowNamesTheRow) {
  LineRows l;
  l.order_id = {1, 2};
  l.date = {D(2024, 1, 1), D(2024, 6, 1)};
  l.customer = {0, 0};
  l.product = {0, 0};
  l.quantity = {1, 2147483647};
  l.amount = {100, 100};
  auto orders = l.Build();
  ASSERT_TRUE(orders.ok());
  ProductRows p;
  p.product = {0};
  p.standard_cost = {kMaxMoney};
  auto products = p.Build();
  ASSERT_TRUE(products.ok());
  auto r = ComputeMargin(*orders, &*products, MarginOptions{});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), absl::StatusCode::kOutOfRange);
  EXPECT_NE(r.status().message().find("orders row 1"), std::string::npos) << r.status();
  MarginOptions o;
  o.to = D(2024, 3, 1);
  r = ComputeMargin(*orders, &*products, o);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->total.cost, kMaxMoney);
}

// Products at scale 4 against orders at scale 2: 1.2300 is 123 cents;
// 1.2345 cannot be represented in cents and is an error.
TEST(MarginHandTest, ProductCostsAreRescaledExactly) {
  LineRows l;
  l.order_id = {1};
  l.date = {D(2024, 1, 1)};
  l.customer = {0};
  l.product = {0};
  l.quantity = {2};
  l.amount = {1000};
  auto orders = l.Build();
  ASSERT_TRUE(orders.ok());
  ProductRows p;
  p.money_scale = 4;
  p.product = {0};
  p.standard_cost = {12300};
  auto products = p.Build();
  ASSERT_TRUE(products.ok());
  auto r = ComputeMargin(*orders, &*products, MarginOptions{});
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->groups[0].figures.cost, 246);  // 2 x 123
  p.standard_cost = {12345};
  products = p.Build();
  ASSERT_TRUE(products.ok());
  r = ComputeMargin(*orders, &*products, MarginOptions{});
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("standard_cost"), std::string::npos) << r.status();
}

// cost = amount - margin.
TEST(MarginHandTest, CostFromMarginColumn) {
  const std::vector<Money> amount = {1000, -500, 0};
  const std::vector<Money> margin = {300, -100, -50};
  auto cost = CostFromMargin(amount, margin);
  ASSERT_TRUE(cost.ok());
  EXPECT_EQ(std::vector<Money>(cost->begin(), cost->end()), (std::vector<Money>{700, -400, 50}));
  EXPECT_FALSE(CostFromMargin(amount, absl::MakeConstSpan(margin).subspan(1)).ok());
  const std::vector<Money> big = {kMaxMoney};
  const std::vector<Money> neg = {-1};
  EXPECT_EQ(CostFromMargin(big, neg).status().code(), absl::StatusCode::kOutOfRange);
}

// Partials with different groupings or scales refuse to merge.
TEST(MarginHandTest, MergeChecksCompatibility) {
  HandData h = MakeHand();
  auto orders = h.lines.Build();
  ASSERT_TRUE(orders.ok());
  MarginOptions a;
  MarginOptions b;
  b.group_by.dimensions = {"customer"};
  auto pa = PartialMargin(*orders, nullptr, 0, 3, a);
  auto pb = PartialMargin(*orders, nullptr, 3, 6, b);
  ASSERT_TRUE(pa.ok() && pb.ok());
  EXPECT_FALSE(MergeMargin(*pa, *pb).ok());
  auto pc = PartialMargin(*orders, nullptr, 3, 6, a);
  ASSERT_TRUE(pc.ok());
  pc->money_scale = 3;
  EXPECT_FALSE(MergeMargin(*pa, *pc).ok());
}

}  // namespace
}  // namespace salesight
