// Contribution shares: hand cases (thirds, ties, negative items and totals),
// the largest-remainder property on random data, and values against a plain
// brute force over random lines (1 and 2 dimensions, threads 1, 2, 3).
#include <algorithm>
#include <map>
#include <numeric>
#include <random>
#include <string>
#include <vector>

#include "dataset_test_util.hpp"
#include "gtest/gtest.h"
#include "salesight/contribution.hpp"

namespace salesight {
namespace {

__extension__ typedef __int128 Int128;

struct Lines {
  std::vector<std::int64_t> order;
  std::vector<Day> date;
  std::vector<Id> region, channel, customer;
  std::vector<Money> amount, cost;
  void Add(Id r, Money a, Money c = 0, Id ch = 0, Day d = 19000) {
    order.push_back(static_cast<std::int64_t>(order.size()));
    date.push_back(d);
    region.push_back(r);
    channel.push_back(ch);
    customer.push_back(0);
    amount.push_back(a);
    cost.push_back(c);
  }
  OrderLines Build() const {
    OrderLinesColumns c;
    c.order_id = Column<std::int64_t>::Own(order);
    c.order_date = Column<Day>::Own(date);
    c.customer = Column<Id>::Own(customer);
    c.region = Column<Id>::Own(region);
    c.channel = Column<Id>::Own(channel);
    c.amount = Column<Money>::Own(amount);
    c.cost = Column<Money>::Own(cost);
    auto t = OrderLines::Build(std::move(c));
    EXPECT_TRUE(t.ok()) << t.status();
    return *std::move(t);
  }
};

TEST(ContributionTest, ThirdsRoundToExactlyHundred) {
  Lines l;
  l.Add(0, 100);
  l.Add(1, 100);
  l.Add(2, 100);
  const OrderLines orders = l.Build();
  auto r = ComputeContribution(test_data::OrdersData(orders, nullptr), ContributionOptions{});
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_EQ(r->items.size(), 3u);
  EXPECT_EQ(r->total, 300);
  // Each is 33.333..%: floors 333 units each (sum 999), the one missing unit
  // goes to the equal remainders' smallest key: 33.4, 33.3, 33.3.
  EXPECT_EQ(r->items[0].share_pct_units, 334);
  EXPECT_EQ(r->items[1].share_pct_units, 333);
  EXPECT_EQ(r->items[2].share_pct_units, 333);
  EXPECT_DOUBLE_EQ(*r->items[0].share_pct, 33.4);
  EXPECT_DOUBLE_EQ(*r->items[0].share, 1.0 / 3.0);
  ResultTable t = ToResultTable(*r);
  ASSERT_TRUE(t.Validate().ok());
  EXPECT_EQ(t.columns()[0].name, "region");
  EXPECT_EQ(t.columns()[1].name, "value");
  EXPECT_EQ(t.columns()[2].name, "share");
  EXPECT_EQ(t.columns()[3].name, "share_pct");
  EXPECT_EQ(FormatCell(*t.Find("value"), 0), "1.00");
}

TEST(ContributionTest, LargestRemainderByHand) {
  // 1/7, 2/7, 4/7 with 0 decimals: 14.29, 28.57, 57.14 -> floors 14, 28, 57
  // (sum 99); remainders 2/7, 4/7, 1/7 -> the 28 gets the unit: 14, 29, 57.
  auto u = LargestRemainderPercent({1, 2, 4}, 0);
  ASSERT_TRUE(u.ok());
  EXPECT_EQ(*u, (std::vector<std::int64_t>{14, 29, 57}));
  // Two decimals: 1428.57, 2857.14, 5714.28 -> 1428, 2857, 5714 (sum 9999);
  // remainders .57, .14, .28 (x 7: 4, 1, 2) -> 1429, 2857, 5714.
  u = LargestRemainderPercent({1, 2, 4}, 2);
  ASSERT_TRUE(u.ok());
  EXPECT_EQ(*u, (std::vector<std::int64_t>{1429, 2857, 5714}));
  // Zero total: no percentages.
  u = LargestRemainderPercent({5, -5}, 1);
  ASSERT_TRUE(u.ok());
  EXPECT_TRUE(u->empty());
  EXPECT_FALSE(LargestRemainderPercent({1}, 7).ok());
}

TEST(ContributionTest, NegativeItemsAndNegativeTotals) {
  // Revenue 150 and -50 (net returns): total 100, shares 1.5 and -0.5.
  Lines l;
  l.Add(0, 150);
  l.Add(1, -50);
  auto r = ComputeContribution(test_data::OrdersData(l.Build(), nullptr), ContributionOptions{});
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_DOUBLE_EQ(*r->items[0].share, 1.5);
  EXPECT_DOUBLE_EQ(*r->items[1].share, -0.5);
  EXPECT_EQ(r->items[0].share_pct_units, 1500);
  EXPECT_EQ(r->items[1].share_pct_units, -500);
  // Margin: region 0 loses 100 (amount 100, cost 200), region 1 earns 50:
  // total -50; shares -100/-50 = 2 and 50/-50 = -1.
  Lines m;
  m.Add(0, 100, 200);
  m.Add(1, 80, 30);
  ContributionOptions o;
  o.measure = ContributionMeasure::kMargin;
  r = ComputeContribution(test_data::OrdersData(m.Build(), nullptr), o);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->total, -50);
  EXPECT_DOUBLE_EQ(*r->items[0].share, 2.0);
  EXPECT_DOUBLE_EQ(*r->items[1].share, -1.0);
  EXPECT_EQ(r->items[0].share_pct_units, 2000);
  EXPECT_EQ(r->items[1].share_pct_units, -1000);
  // -1/3 of a negative total rounds by floor too: values -1, -1, -1, total -3:
  // each 33.3.. -> 333, the extra unit to key 0.
  auto u = LargestRemainderPercent({-1, -1, -1}, 1);
  ASSERT_TRUE(u.ok());
  EXPECT_EQ(*u, (std::vector<std::int64_t>{334, 333, 333}));
  // Zero total: shares null, and null in the table.
  Lines z;
  z.Add(0, 10);
  z.Add(1, -10);
  r = ComputeContribution(test_data::OrdersData(z.Build(), nullptr), ContributionOptions{});
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->items[0].share.has_value());
  EXPECT_FALSE(r->items[0].share_pct.has_value());
  ResultTable t = ToResultTable(*r);
  EXPECT_TRUE(t.Find("share")->is_null(0));
}

TEST(ContributionTest, OptionErrors) {
  Lines l;
  l.Add(0, 1);
  const OrderLines orders = l.Build();
  ContributionOptions o;
  o.dimensions = {};
  EXPECT_FALSE(ComputeContribution(test_data::OrdersData(orders, nullptr), o).ok());
  o.dimensions = {"region", "region"};
  EXPECT_FALSE(ComputeContribution(test_data::OrdersData(orders, nullptr), o).ok());
  o.dimensions = {"department"};  // no department column
  EXPECT_FALSE(ComputeContribution(test_data::OrdersData(orders, nullptr), o).ok());
  o.dimensions = {"region"};
  o.decimals = -1;
  EXPECT_FALSE(ComputeContribution(test_data::OrdersData(orders, nullptr), o).ok());
}

// Property of the largest-remainder method, checked against exact rationals:
// units sum to 100 x 10^dec; each is floor or floor + 1 of the exact value;
// every item that got +1 has a remainder >= every item that did not (equal
// remainders: smaller index first).
TEST(ContributionTest, LargestRemainderPropertyOnRandomData) {
  std::mt19937_64 rng(99);
  for (int iter = 0; iter < 3000; ++iter) {
    const int n = 1 + static_cast<int>(rng() % 12);
    const int dec = static_cast<int>(rng() % 4);
    std::vector<Money> v(static_cast<std::size_t>(n));
    const bool signs = rng() % 4 == 0;
    for (Money& x : v) {
      x = static_cast<Money>(rng() % (rng() % 2 ? 10 : 1000000000000));
      if (signs && rng() % 2) x = -x;
    }
    const Int128 total = std::accumulate(v.begin(), v.end(), Int128{0});
    auto u = LargestRemainderPercent(v, dec);
    ASSERT_TRUE(u.ok());
    if (total == 0) {
      EXPECT_TRUE(u->empty());
      continue;
    }
    const Int128 scale = 100 * static_cast<Int128>(Pow10(dec));
    Int128 sum = 0;
    std::vector<Int128> rem(v.size());
    std::vector<bool> up(v.size());
    for (std::size_t i = 0; i < v.size(); ++i) {
      sum += (*u)[i];
      // exact value x = v * scale / total; check floor(x) <= u <= floor(x) + 1
      // via  u * total  vs  v * scale  with a positive denominator.
      const Int128 den = total < 0 ? -total : total;
      const Int128 num = (total < 0 ? -Int128{v[i]} : Int128{v[i]}) * scale;
      const Int128 lo = static_cast<Int128>((*u)[i]) * den;  // u * den
      ASSERT_TRUE(lo <= num + den && lo > num - den) << "iter " << iter << " item " << i;
      up[i] = lo > num;  // rounded up
      rem[i] = num - (lo > num ? lo - den : lo);  // num - floor * den, in [0, den)
      ASSERT_GE(rem[i], 0);
    }
    EXPECT_EQ(sum, scale) << "iter " << iter;
    for (std::size_t i = 0; i < v.size(); ++i) {
      for (std::size_t j = 0; j < v.size(); ++j) {
        if (up[i] && !up[j]) {
          EXPECT_TRUE(rem[i] > rem[j] || (rem[i] == rem[j] && i < j))
              << "iter " << iter << " items " << i << ", " << j;
        }
      }
    }
  }
}

TEST(ContributionTest, RandomLinesMatchBruteForce) {
  for (std::uint64_t seed = 1; seed <= 40; ++seed) {
    std::mt19937_64 rng(seed);
    Lines l;
    const int n = static_cast<int>(rng() % 500);
    for (int i = 0; i < n; ++i) {
      l.Add(static_cast<Id>(rng() % 6), static_cast<Money>(rng() % 10000) - 2000,
            static_cast<Money>(rng() % 5000), static_cast<Id>(rng() % 4),
            19000 + static_cast<Day>(rng() % 100));
    }
    const OrderLines orders = l.Build();
    ContributionOptions o;
    const bool two = rng() % 2;
    o.dimensions = two ? std::vector<std::string>{"channel",
                                                            "region"}
                       : std::vector<std::string>{"region"};
    o.measure = rng() % 2 ? ContributionMeasure::kMargin : ContributionMeasure::kRevenue;
    o.from = 19000 + static_cast<Day>(rng() % 30);
    o.to = o.from + static_cast<Day>(rng() % 80);
    o.decimals = static_cast<int>(rng() % 3);
    std::map<std::pair<Id, Id>, Money> want;
    for (std::size_t i = 0; i < l.amount.size(); ++i) {
      if (l.date[i] < o.from || l.date[i] > o.to) continue;
      const Money v = o.measure == ContributionMeasure::kMargin ? l.amount[i] - l.cost[i]
                                                                : l.amount[i];
      want[two ? std::pair<Id, Id>{l.channel[i], l.region[i]} : std::pair<Id, Id>{l.region[i], 0}] +=
          v;
    }
    Money total = 0;
    for (const auto& [k, v] : want) total += v;
    for (int threads : {1, 2, 3}) {
      SCOPED_TRACE("seed " + std::to_string(seed) + " threads " + std::to_string(threads));
      o.num_threads = threads;
      auto r = ComputeContribution(test_data::OrdersData(orders, nullptr), o);
      ASSERT_TRUE(r.ok()) << r.status();
      ASSERT_EQ(r->items.size(), want.size());
      EXPECT_EQ(r->total, total);
      std::int64_t units = 0;
      std::size_t i = 0;
      for (const auto& [k, v] : want) {
        const ContributionItem& item = r->items[i++];
        EXPECT_EQ(item.key[0], k.first);
        EXPECT_EQ(item.key[1], k.second);
        EXPECT_EQ(item.value, v);
        if (total != 0) {
          EXPECT_DOUBLE_EQ(*item.share, static_cast<double>(v) / static_cast<double>(total));
          units += *item.share_pct_units;
        }
      }
      if (total != 0 && !want.empty()) {
        EXPECT_EQ(units, 100 * Pow10(o.decimals));
      }
      ResultTable t = ToResultTable(*r);
      EXPECT_TRUE(t.Validate().ok());
      EXPECT_EQ(t.num_columns(), two ? 5u : 4u);
    }
  }
}

}  // namespace
}  // namespace salesight
