// Leaderboard: a hand-computed case, a brute-force reference on random data,
// and edge cases.
#include "salesight/leaderboard.hpp"

#include <algorithm>
#include <map>
#include <random>
#include <set>
#include <sstream>
#include <vector>

#include "gmock/gmock.h"
#include "dataset_test_util.hpp"
#include "gtest/gtest.h"

namespace salesight {
namespace {

using ::testing::ElementsAre;

struct Line {
  std::int64_t order;
  Day date;
  Id salesperson;
  std::int32_t quantity;
  Money amount;
  Money unit_cost;
};

OrderLines MakeOrders(const std::vector<Line>& lines, bool with_cost = true) {
  OrderLinesColumns c;
  std::vector<std::int64_t> order;
  std::vector<Day> date;
  std::vector<Id> customer, sp;
  std::vector<std::int32_t> qty;
  std::vector<Money> amount, unit_cost;
  for (const Line& l : lines) {
    order.push_back(l.order);
    date.push_back(l.date);
    customer.push_back(0);
    sp.push_back(l.salesperson);
    qty.push_back(l.quantity);
    amount.push_back(l.amount);
    unit_cost.push_back(l.unit_cost);
  }
  c.order_id = Column<std::int64_t>::Own(order);
  c.order_date = Column<Day>::Own(date);
  c.customer = Column<Id>::Own(customer);
  c.salesperson = Column<Id>::Own(sp);
  c.quantity = Column<std::int32_t>::Own(qty);
  c.amount = Column<Money>::Own(amount);
  if (with_cost) c.unit_cost = Column<Money>::Own(unit_cost);
  auto t = OrderLines::Build(std::move(c));
  EXPECT_TRUE(t.ok()) << t.status();
  return *std::move(t);
}

struct Opp {
  Id salesperson;
  Day created;
  Day won;   // kNoDate = not won
  Day lost;  // kNoDate = not lost
};

Pipeline MakePipeline(const std::vector<Opp>& opps) {
  PipelineColumns c;
  std::vector<std::int64_t> id;
  std::vector<Id> sp;
  std::vector<Day> created, won, lost, none;
  for (std::size_t i = 0; i < opps.size(); ++i) {
    id.push_back(static_cast<std::int64_t>(i));
    sp.push_back(opps[i].salesperson);
    created.push_back(opps[i].created);
    won.push_back(opps[i].won);
    lost.push_back(opps[i].lost);
    none.push_back(kNoDate);
  }
  c.opportunity = Column<std::int64_t>::Own(id);
  c.salesperson = Column<Id>::Own(sp);
  c.created = Column<Day>::Own(created);
  c.stage_names = {"lead", "won"};
  c.stage_dates = {Column<Day>::Own(created), Column<Day>::Own(won)};
  c.lost_date = Column<Day>::Own(lost);
  auto t = Pipeline::Build(std::move(c));
  EXPECT_TRUE(t.ok()) << t.status();
  return *std::move(t);
}

struct Inv {
  Id salesperson;
  Day due;
  Money amount;
  Money paid;
  Day paid_date;
};

Invoices MakeInvoices(const std::vector<Inv>& rows) {
  InvoicesColumns c;
  std::vector<std::int64_t> id;
  std::vector<Id> cust, sp;
  std::vector<Day> idate, due, pdate;
  std::vector<Money> amount, paid;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    id.push_back(static_cast<std::int64_t>(i));
    cust.push_back(0);
    sp.push_back(rows[i].salesperson);
    idate.push_back(rows[i].due - 30);
    due.push_back(rows[i].due);
    amount.push_back(rows[i].amount);
    paid.push_back(rows[i].paid);
    pdate.push_back(rows[i].paid_date);
  }
  c.invoice = Column<std::int64_t>::Own(id);
  c.customer = Column<Id>::Own(cust);
  c.salesperson = Column<Id>::Own(sp);
  c.invoice_date = Column<Day>::Own(idate);
  c.due_date = Column<Day>::Own(due);
  c.amount = Column<Money>::Own(amount);
  c.paid = Column<Money>::Own(paid);
  c.paid_date = Column<Day>::Own(pdate);
  auto t = Invoices::Build(std::move(c));
  EXPECT_TRUE(t.ok()) << t.status();
  return *std::move(t);
}

Targets MakeTargets(const std::vector<std::tuple<Id, int, Money>>& rows) {
  TargetsColumns c;
  std::vector<Id> key;
  std::vector<std::int32_t> month;
  std::vector<Money> amount;
  for (const auto& [k, m, a] : rows) {
    key.push_back(k);
    month.push_back(m);
    amount.push_back(a);
  }
  c.key = Column<Id>::Own(key);
  c.month = Column<std::int32_t>::Own(month);
  c.amount = Column<Money>::Own(amount);
  auto t = Targets::Build(std::move(c));
  EXPECT_TRUE(t.ok()) << t.status();
  return *std::move(t);
}

const Day kMar1 = DayFromCivil(2024, 3, 1);
const Day kMar31 = DayFromCivil(2024, 3, 31);

TEST(LeaderboardTest, HandCase) {
  // March 2024. Salesperson 0: orders 1 (two lines: 1000 + 500, cost 2x300 +
  // 1x200) and 2 (300, cost 100): revenue 1800, margin 1800 - 900 = 900,
  // orders 2. Salesperson 1: order 3 (2000, cost 1500): revenue 2000, margin
  // 500, orders 1; a line on Feb 29 (outside) is ignored. Salesperson 2: only a
  // target.
  const OrderLines orders = MakeOrders({
      {1, kMar1, 0, 2, 1000, 300},
      {1, kMar1, 0, 1, 500, 200},
      {2, kMar1 + 5, 0, 1, 300, 100},
      {3, kMar31, 1, 1, 2000, 1500},
      {4, kMar1 - 1, 1, 1, 9999, 1},
  });
  // Won in March: sp0 two, sp1 one; lost in March: sp0 one (sp1's loss is in April).
  const Pipeline pipeline = MakePipeline({
      {0, kMar1 - 20, kMar1 + 3, kNoDate},
      {0, kMar1 - 10, kMar1 + 9, kNoDate},
      {0, kMar1 - 10, kNoDate, kMar1 + 2},
      {1, kMar1, kMar1 + 1, kNoDate},
      {1, kMar1, kNoDate, kMar31 + 1},
  });
  // Due in March: sp0 1000 (paid 1000 on time) + 1000 (paid 500) -> 1500 / 2000;
  // sp1 400 unpaid -> 0 / 400.
  const Invoices invoices = MakeInvoices({
      {0, kMar1 + 10, 1000, 1000, kMar1 + 8},
      {0, kMar1 + 20, 1000, 500, kMar1 + 25},
      {1, kMar1 + 20, 400, 0, kNoDate},
  });
  // Targets for March: sp0 3600, sp1 1000 + 1000 (two rows), sp2 500; a
  // February target for sp0 is outside.
  const Targets targets = MakeTargets(
      {{0, 202403, 3600}, {1, 202403, 1000}, {1, 202403, 1000}, {2, 202403, 500}, {0, 202402, 7}});
  test_data::TestTables in;
  in.pipeline = &pipeline;
  in.invoices = &invoices;
  in.targets = &targets;
  LeaderboardOptions o;
  o.from = kMar1;
  o.to = kMar31;
  for (int threads : {1, 2}) {
    o.num_threads = threads;
    auto r = ComputeLeaderboard(test_data::WithOrders(orders, in), o);
    ASSERT_TRUE(r.ok()) << r.status();
    ASSERT_EQ(r->rows.size(), 3u);
    // By revenue: sp1 2000, sp0 1800, sp2 0.
    const LeaderboardRow& a = r->rows[0];
    EXPECT_EQ(a.rank, 1);
    EXPECT_EQ(a.salesperson, 1);
    EXPECT_EQ(a.revenue, 2000);
    EXPECT_EQ(a.margin, 500);
    EXPECT_EQ(a.orders, 1);
    EXPECT_EQ(a.won, 1);
    EXPECT_EQ(a.lost, 0);
    EXPECT_DOUBLE_EQ(*a.win_rate, 1.0);
    EXPECT_DOUBLE_EQ(*a.collection_rate, 0.0);
    EXPECT_EQ(a.target, 2000);
    EXPECT_DOUBLE_EQ(*a.attainment, 1.0);
    const LeaderboardRow& b = r->rows[1];
    EXPECT_EQ(b.salesperson, 0);
    EXPECT_EQ(b.revenue, 1800);
    EXPECT_EQ(b.margin, 900);
    EXPECT_EQ(b.orders, 2);
    EXPECT_EQ(b.won, 2);
    EXPECT_EQ(b.lost, 1);
    EXPECT_DOUBLE_EQ(*b.win_rate, 2.0 / 3.0);
    EXPECT_DOUBLE_EQ(*b.collection_rate, 0.75);  // 1500 / 2000
    EXPECT_EQ(b.target, 3600);
    EXPECT_DOUBLE_EQ(*b.attainment, 0.5);  // 1800 / 3600
    const LeaderboardRow& c = r->rows[2];
    EXPECT_EQ(c.salesperson, 2);
    EXPECT_EQ(c.revenue, 0);
    EXPECT_FALSE(c.win_rate.has_value());
    EXPECT_FALSE(c.collection_rate.has_value());
    EXPECT_EQ(c.target, 500);
    EXPECT_DOUBLE_EQ(*c.attainment, 0.0);
  }
  // By collection rate: sp0 0.75, sp1 0, sp2 null (last).
  o.rank_by = LeaderboardMetric::kCollectionRate;
  auto r = ComputeLeaderboard(test_data::WithOrders(orders, in), o);
  ASSERT_TRUE(r.ok());
  std::vector<Id> ids;
  for (const auto& row : r->rows) ids.push_back(row.salesperson);
  EXPECT_THAT(ids, ElementsAre(0, 1, 2));
  // By win rate: sp1 1.0, sp0 0.67, sp2 null.
  o.rank_by = LeaderboardMetric::kWinRate;
  r = ComputeLeaderboard(test_data::WithOrders(orders, in), o);
  ASSERT_TRUE(r.ok());
  ids.clear();
  for (const auto& row : r->rows) ids.push_back(row.salesperson);
  EXPECT_THAT(ids, ElementsAre(1, 0, 2));
  const ResultTable t = ToResultTable(*r);
  ASSERT_TRUE(t.Validate().ok());
  EXPECT_EQ(t.num_columns(), 11u);
  EXPECT_THAT(t.Find("rank")->ints, ElementsAre(1, 2, 3));
  EXPECT_TRUE(t.Find("win_rate")->is_null(2));
}

TEST(LeaderboardTest, OnlyOrders) {
  const OrderLines orders = MakeOrders({{1, kMar1, 3, 1, 100, 0}, {2, kMar1, 1, 1, 100, 0}},
                                       /*with_cost=*/false);
  auto r = ComputeLeaderboard(test_data::WithOrders(orders, {}), {});
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_EQ(r->rows.size(), 2u);
  // Equal revenue: ties by salesperson id ascending.
  EXPECT_EQ(r->rows[0].salesperson, 1);
  EXPECT_EQ(r->rows[1].salesperson, 3);
  EXPECT_FALSE(r->rows[0].margin.has_value());
  EXPECT_FALSE(r->rows[0].won.has_value());
  EXPECT_FALSE(r->rows[0].target.has_value());
  EXPECT_FALSE(r->rows[0].attainment.has_value());
}

// Partial states (hand case): order 1 has lines of salespeople 0 and 1 and
// is cut between the two partials; order 2 is salesperson 0's. Orders stay
// distinct across the cut: 0 -> 2 orders, 170.00; 1 -> 1 order, 30.00. No
// as_of is needed with orders only.
TEST(LeaderboardTest, PartialsMergeDistinctOrdersExactly) {
  const OrderLines orders =
      MakeOrders({{1, kMar1, 0, 1, 100, 0}, {1, kMar1, 0, 1, 50, 0}, {1, kMar1, 1, 1, 30, 0},
                  {2, kMar1, 0, 1, 20, 0}},
                 /*with_cost=*/false);
  const Dataset data = test_data::WithOrders(orders, {});
  EXPECT_EQ(LeaderboardRows(data), 4u);
  auto a = PartialLeaderboard(data, 0, 1, {});
  auto b = PartialLeaderboard(data, 1, 4, {});
  ASSERT_TRUE(a.ok() && b.ok()) << a.status() << b.status();
  ASSERT_TRUE(MergeLeaderboard(*b, *a).ok());
  auto r = FinishLeaderboard(*std::move(b), {});
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_EQ(r->rows.size(), 2u);
  EXPECT_EQ(r->rows[0].salesperson, 0);
  EXPECT_EQ(r->rows[0].revenue, 170);
  EXPECT_EQ(r->rows[0].orders, 2);
  EXPECT_EQ(r->rows[1].salesperson, 1);
  EXPECT_EQ(r->rows[1].revenue, 30);
  EXPECT_EQ(r->rows[1].orders, 1);
  EXPECT_FALSE(r->rows[0].margin.has_value());
  EXPECT_FALSE(PartialLeaderboard(data, 2, 5, {}).ok());  // beyond its rows
}

// With invoices (or a pipeline) a partition cannot know the latest date of
// all the data: as_of or end must be given, and the message says so.
TEST(LeaderboardTest, PartialsNeedAsOfWithInvoices) {
  const OrderLines orders = MakeOrders({{1, kMar1, 0, 1, 100, 10}});
  const Invoices invoices = MakeInvoices({{0, kMar1, 100, 0, kNoDate}});
  test_data::TestTables in;
  in.invoices = &invoices;
  const Dataset data = test_data::WithOrders(orders, in);
  auto p = PartialLeaderboard(data, 0, 2, {});
  ASSERT_FALSE(p.ok());
  EXPECT_THAT(std::string(p.status().message()), ::testing::HasSubstr("as_of"));
  LeaderboardOptions o;
  o.to = kMar31;
  EXPECT_TRUE(PartialLeaderboard(data, 0, 2, o).ok());
}

TEST(LeaderboardTest, Errors) {
  const OrderLines orders = MakeOrders({{1, kMar1, 0, 1, 100, 10}});
  const Invoices invoices = MakeInvoices({{0, kMar1, 100, 0, kNoDate}});
  test_data::TestTables in;
  in.invoices = &invoices;
  {
    // No as_of and no period end: as_of is the latest date of the data (kMar1
    // here), the same as stating it.
    auto implicit = ComputeLeaderboard(test_data::WithOrders(orders, in), {});
    ASSERT_TRUE(implicit.ok()) << implicit.status();
    LeaderboardOptions stated;
    stated.as_of = kMar1;
    auto explicit_ = ComputeLeaderboard(test_data::WithOrders(orders, in), stated);
    ASSERT_TRUE(explicit_.ok()) << explicit_.status();
    std::ostringstream a, b;
    WriteCsv(ToResultTable(*implicit), a);
    WriteCsv(ToResultTable(*explicit_), b);
    EXPECT_EQ(a.str(), b.str());
    EXPECT_TRUE(implicit->rows[0].collection_rate.has_value());
  }
  LeaderboardOptions o;
  o.from = kMar31;
  o.to = kMar1;
  EXPECT_FALSE(ComputeLeaderboard(test_data::WithOrders(orders, {}), o).ok());  // empty period
  o.from = kMar1;
  o.to = kMar31;
  o.as_of = kMar1;
  EXPECT_FALSE(ComputeLeaderboard(test_data::WithOrders(orders, in), o).ok());  // to after as_of
  const Targets zero = MakeTargets({{0, 202403, 0}});
  test_data::TestTables tin;
  tin.targets = &zero;
  o.as_of = kNoDate;
  auto r = ComputeLeaderboard(test_data::WithOrders(orders, tin), o);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->rows[0].target, 0);
  EXPECT_FALSE(r->rows[0].attainment.has_value());  // zero target -> null
}

// ---------------------------------------------------------------- brute force

TEST(LeaderboardReferenceTest, RandomData) {
  for (std::uint32_t seed = 1; seed <= 60; ++seed) {
    std::mt19937 rng(seed);
    auto uni = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
    const int people = uni(1, 8);
    const Day base = DayFromCivil(2024, 1, 1);
    std::vector<Line> lines;
    for (int i = 0, n = uni(0, 120); i < n; ++i) {
      lines.push_back({uni(0, 40), base + uni(0, 120), uni(0, people - 1), uni(-2, 9),
                       uni(-500, 5000), uni(0, 300)});
    }
    std::vector<Opp> opps;
    for (int i = 0, n = uni(0, 60); i < n; ++i) {
      const Day created = base + uni(0, 100);
      const bool won = uni(0, 2) == 0;
      const bool lost = uni(0, 2) == 0;
      opps.push_back({uni(0, people - 1), created, won ? created + uni(0, 60) : kNoDate,
                      lost ? created + uni(0, 60) : kNoDate});
    }
    std::vector<Inv> invs;
    for (int i = 0, n = uni(0, 60); i < n; ++i) {
      const Day due = base + uni(0, 130);
      const Money amount = uni(1, 3000);
      const bool paid = uni(0, 1) == 1;
      invs.push_back({uni(0, people - 1), due, amount, paid ? uni(1, static_cast<int>(amount)) : 0,
                      paid ? due + uni(-20, 40) : kNoDate});
    }
    std::vector<std::tuple<Id, int, Money>> trows;
    for (int i = 0, n = uni(0, 20); i < n; ++i) {
      trows.emplace_back(uni(0, people - 1), 202401 + uni(0, 4), uni(0, 9000));
    }
    const OrderLines orders = MakeOrders(lines);
    const Pipeline pipeline = MakePipeline(opps);
    const Invoices invoices = MakeInvoices(invs);
    const Targets targets = MakeTargets(trows);
    test_data::TestTables in;
    in.pipeline = &pipeline;
    in.invoices = &invoices;
    in.targets = &targets;
    LeaderboardOptions o;
    o.from = base + uni(0, 40);
    o.to = o.from + uni(0, 60);
    o.as_of = o.to + uni(0, 20);
    o.rank_by = static_cast<LeaderboardMetric>(uni(0, 6));
    o.num_threads = uni(1, 3);
    auto got = ComputeLeaderboard(test_data::WithOrders(orders, in), o);
    ASSERT_TRUE(got.ok()) << got.status();

    // Reference, straight from the header's definitions.
    struct Ref {
      Money revenue = 0, cost = 0;
      std::set<std::int64_t> orders;
      std::int64_t won = 0, lost = 0;
      Money billed = 0, collected = 0;
      bool has_due = false, has_target = false, present = false;
      Money target = 0;
    };
    std::map<Id, Ref> ref;
    for (const Line& l : lines) {
      if (l.date < o.from || l.date > o.to) continue;
      Ref& r = ref[l.salesperson];
      r.present = true;
      r.revenue += l.amount;
      r.cost += l.quantity * l.unit_cost;
      r.orders.insert(l.order);
    }
    for (const Opp& p : opps) {
      const bool won_by_as_of = p.won != kNoDate && p.won <= o.as_of;
      if (won_by_as_of && p.won >= o.from && p.won <= o.to) {
        ref[p.salesperson].won++;
        ref[p.salesperson].present = true;
      }
      if (!won_by_as_of && p.lost != kNoDate && p.lost >= o.from && p.lost <= o.to &&
          p.lost <= o.as_of) {
        ref[p.salesperson].lost++;
        ref[p.salesperson].present = true;
      }
    }
    for (const Inv& v : invs) {
      if (v.due < o.from || v.due > o.to) continue;
      Ref& r = ref[v.salesperson];
      r.present = r.has_due = true;
      r.billed += v.amount;
      if (v.paid_date != kNoDate && v.paid_date <= o.as_of) r.collected += v.paid;
    }
    for (const auto& [k, m, a] : trows) {
      if (m < YearMonth(o.from) || m > YearMonth(o.to)) continue;
      Ref& r = ref[k];
      r.present = r.has_target = true;
      r.target += a;
    }
    std::vector<LeaderboardRow> want;
    for (const auto& [id, r] : ref) {
      if (!r.present) continue;
      LeaderboardRow w;
      w.salesperson = id;
      w.revenue = r.revenue;
      // An empty orders table has no unit_cost column, hence no margin.
      if (!lines.empty()) w.margin = r.revenue - r.cost;
      w.orders = static_cast<std::int64_t>(r.orders.size());
      w.won = r.won;
      w.lost = r.lost;
      if (r.won + r.lost > 0) {
        w.win_rate = static_cast<double>(r.won) / static_cast<double>(r.won + r.lost);
      }
      if (r.has_due && r.billed != 0) {
        w.collection_rate = static_cast<double>(r.collected) / static_cast<double>(r.billed);
      }
      if (r.has_target) w.target = r.target;
      if (r.has_target && r.target != 0) {
        w.attainment = static_cast<double>(r.revenue) / static_cast<double>(r.target);
      }
      want.push_back(w);
    }
    // Rank: metric descending, nulls last, ties by id.
    auto metric = [&](const LeaderboardRow& r) -> std::optional<double> {
      switch (o.rank_by) {
        case LeaderboardMetric::kRevenue: return static_cast<double>(r.revenue);
        case LeaderboardMetric::kMargin:
          return r.margin ? std::optional<double>(static_cast<double>(*r.margin)) : std::nullopt;
        case LeaderboardMetric::kOrders: return static_cast<double>(r.orders);
        case LeaderboardMetric::kWon: return static_cast<double>(*r.won);
        case LeaderboardMetric::kWinRate: return r.win_rate;
        case LeaderboardMetric::kCollectionRate: return r.collection_rate;
        case LeaderboardMetric::kTargetAttainment: return r.attainment;
      }
      return std::nullopt;
    };
    std::stable_sort(want.begin(), want.end(), [&](const auto& a, const auto& b) {
      const auto x = metric(a), y = metric(b);
      if (x.has_value() != y.has_value()) return x.has_value();
      if (x && y && *x != *y) return *x > *y;
      return a.salesperson < b.salesperson;
    });
    SCOPED_TRACE("seed " + std::to_string(seed));
    ASSERT_EQ(got->rows.size(), want.size());
    for (std::size_t k = 0; k < want.size(); ++k) {
      const LeaderboardRow& g = got->rows[k];
      const LeaderboardRow& w = want[k];
      EXPECT_EQ(g.rank, static_cast<std::int64_t>(k + 1));
      EXPECT_EQ(g.salesperson, w.salesperson);
      EXPECT_EQ(g.revenue, w.revenue);
      EXPECT_EQ(g.margin, w.margin);
      EXPECT_EQ(g.orders, w.orders);
      EXPECT_EQ(g.won, w.won);
      EXPECT_EQ(g.lost, w.lost);
      EXPECT_EQ(g.win_rate, w.win_rate);
      EXPECT_EQ(g.collection_rate, w.collection_rate);
      EXPECT_EQ(g.target, w.target);
      EXPECT_EQ(g.attainment, w.attainment);
    }
  }
}

TEST(LeaderboardTest, TopKeepsTheFirstRowsOfTheRanking) {
  const OrderLines orders = MakeOrders({{1, kMar1, 0, 1, 100, 10},
                                        {2, kMar1, 1, 2, 300, 10},
                                        {3, kMar1, 2, 3, 200, 10}});
  auto all = ComputeLeaderboard(test_data::WithOrders(orders, {}), {});
  ASSERT_TRUE(all.ok()) << all.status();
  ASSERT_EQ(all->rows.size(), 3u);
  for (std::int64_t top : {1, 2, 3, 10}) {
    LeaderboardOptions o;
    o.top = top;
    auto cut = ComputeLeaderboard(test_data::WithOrders(orders, {}), o);
    ASSERT_TRUE(cut.ok()) << cut.status();
    ASSERT_EQ(cut->rows.size(), std::min<std::size_t>(3, static_cast<std::size_t>(top)));
    for (std::size_t k = 0; k < cut->rows.size(); ++k) {
      EXPECT_EQ(cut->rows[k].salesperson, all->rows[k].salesperson);
      EXPECT_EQ(cut->rows[k].rank, all->rows[k].rank);
    }
  }
  EXPECT_EQ(all->rows[0].revenue, 300);  // by revenue, descending
}

}  // namespace
}  // namespace salesight
