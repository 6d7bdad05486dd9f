// The report header's figures (salesight/overview.hpp): a hand-computed case,
// the edge cases (empty table, no product column, sums outside int64), and a
// plain brute force on random tables over many seeds, also on the rows
// shuffled (the figures do not depend on row order).
#include <algorithm>
#include <cstdint>
#include <random>
#include <set>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "dataset_test_util.hpp"
#include "gtest/gtest.h"
#include "salesight/dictionary.hpp"
#include "salesight/overview.hpp"

namespace salesight {
namespace {

__extension__ typedef __int128 Int128;

struct Lines {
  std::vector<std::int64_t> order;
  std::vector<Day> date;
  std::vector<Id> customer, product;
  std::vector<Money> amount;
  bool with_product = true;
  std::int32_t customer_ids = 0;  // > 0: a dictionary of that many codes is attached

  void Add(std::int64_t o, Day d, Id c, Id p, Money a) {
    order.push_back(o);
    date.push_back(d);
    customer.push_back(c);
    product.push_back(p);
    amount.push_back(a);
  }
  absl::StatusOr<OrderLines> Build() const {
    OrderLinesColumns c;
    c.order_id = Column<std::int64_t>::Own(order);
    c.order_date = Column<Day>::Own(date);
    c.customer = Column<Id>::Own(customer);
    if (with_product) c.product = Column<Id>::Own(product);
    c.amount = Column<Money>::Own(amount);
    c.money_scale = 2;
    if (customer_ids > 0) {
      auto dict = std::make_shared<Dictionary>();
      for (std::int32_t i = 0; i < customer_ids; ++i) {
        EXPECT_TRUE(dict->Intern(absl::StrCat("C", i)).ok());
      }
      c.customers = dict;
    }
    return OrderLines::Build(std::move(c));
  }
};

OrdersOverview Overview(const Lines& l) {
  absl::StatusOr<OrderLines> t = l.Build();
  EXPECT_TRUE(t.ok()) << t.status();
  absl::StatusOr<OrdersOverview> o = ComputeOverview(test_data::OrdersData(*t));
  EXPECT_TRUE(o.ok()) << o.status();
  return o.ok() ? *o : OrdersOverview{};
}

TEST(OverviewTest, HandComputed) {
  Lines l;
  l.customer_ids = 3;  // C0, C1, C2; C1 has no line
  const Day d0 = DayFromCivil(2024, 3, 1);
  l.Add(7, d0 + 2, 0, 4, 1000);   // order 7, line 1
  l.Add(7, d0 + 2, 0, 5, 250);    // order 7, line 2
  l.Add(3, d0, 2, 4, -300);       // a return (order 3)
  l.Add(9, d0 + 10, 2, 4, 0);     // a zero line: neither sales nor a return
  l.Add(7, d0 + 5, 0, 4, 50);     // order 7 again, not adjacent: still one order
  const OrdersOverview o = Overview(l);
  EXPECT_EQ(o.lines, 5);
  EXPECT_EQ(o.orders, 3);         // 7, 3, 9
  EXPECT_EQ(o.customers, 2);      // ids 0 and 2 (the dictionary holds 3)
  EXPECT_EQ(o.products, 2);       // ids 4 and 5
  EXPECT_EQ(o.return_lines, 1);
  EXPECT_EQ(o.first_day, d0);
  EXPECT_EQ(o.last_day, d0 + 10);
  EXPECT_EQ(o.sales, 1300);       // 1000 + 250 + 50
  EXPECT_EQ(o.returns, -300);
  EXPECT_EQ(o.net_revenue, 1000);  // 1300 - 300
  EXPECT_EQ(o.money_scale, 2);
}

TEST(OverviewTest, EmptyTable) {
  const OrdersOverview o = Overview(Lines{});
  EXPECT_EQ(o.lines, 0);
  EXPECT_EQ(o.orders, 0);
  EXPECT_EQ(o.customers, 0);
  EXPECT_EQ(o.products, 0);
  EXPECT_EQ(o.return_lines, 0);
  EXPECT_EQ(o.first_day, kNoDate);
  EXPECT_EQ(o.last_day, kNoDate);
  EXPECT_EQ(o.net_revenue, 0);
}

TEST(OverviewTest, NoProductColumnCountsNoProducts) {
  Lines l;
  l.with_product = false;
  l.Add(1, 19000, 0, 0, 100);
  l.Add(2, 19001, 1, 0, 200);
  const OrdersOverview o = Overview(l);
  EXPECT_EQ(o.products, 0);
  EXPECT_EQ(o.customers, 2);
  EXPECT_EQ(o.net_revenue, 300);
}

// 1100 x kMaxMoney = 9.9e18 > INT64_MAX (9.22e18): an error naming the figure,
// also when the net would fit (the sales alone do not).
TEST(OverviewTest, SumsOutsideInt64AreErrors) {
  struct Case {
    Money value;
    int count;
    const char* figure;
  };
  for (const Case& c : {Case{kMaxMoney, 1100, "sales"}, Case{-kMaxMoney, 1100, "returns"}}) {
    Lines l;
    for (int i = 0; i < c.count; ++i) l.Add(i, 19000, 0, 0, c.value);
    absl::StatusOr<OrderLines> t = l.Build();
    ASSERT_TRUE(t.ok()) << t.status();
    absl::StatusOr<OrdersOverview> o = ComputeOverview(test_data::OrdersData(*t));
    ASSERT_FALSE(o.ok());
    EXPECT_EQ(o.status().code(), absl::StatusCode::kOutOfRange);
    EXPECT_NE(o.status().message().find(c.figure), std::string_view::npos) << o.status();
  }
  Lines l;  // net 0, but the sales are outside int64
  for (int i = 0; i < 1100; ++i) l.Add(i, 19000, 0, 0, i % 2 == 0 ? kMaxMoney : -kMaxMoney);
  for (int i = 0; i < 1100; ++i) l.Add(i, 19000, 0, 0, i % 2 == 0 ? -kMaxMoney : kMaxMoney);
  absl::StatusOr<OrderLines> t = l.Build();
  ASSERT_TRUE(t.ok()) << t.status();
  EXPECT_FALSE(ComputeOverview(test_data::OrdersData(*t)).ok());
  // 1000 x kMaxMoney = 9e18 fits: exact.
  Lines fits;
  for (int i = 0; i < 1000; ++i) fits.Add(i, 19000, 0, 0, kMaxMoney);
  EXPECT_EQ(Overview(fits).sales, 1000 * kMaxMoney);
}

// The plain definition, written out: sets for the distinct counts, 128-bit
// sums, a scan for the dates.
OrdersOverview Reference(const Lines& l) {
  OrdersOverview o;
  o.money_scale = 2;
  o.lines = static_cast<std::int64_t>(l.amount.size());
  auto distinct = [](const auto& v) {
    return static_cast<std::int64_t>(std::set(v.begin(), v.end()).size());
  };
  o.orders = distinct(l.order);
  o.customers = distinct(l.customer);
  if (l.with_product) o.products = distinct(l.product);
  Int128 sales = 0, returns = 0;
  for (std::size_t i = 0; i < l.amount.size(); ++i) {
    if (l.amount[i] > 0) sales += l.amount[i];
    if (l.amount[i] < 0) {
      returns += l.amount[i];
      ++o.return_lines;
    }
    if (o.first_day == kNoDate || l.date[i] < o.first_day) o.first_day = l.date[i];
    if (o.last_day == kNoDate || l.date[i] > o.last_day) o.last_day = l.date[i];
  }
  o.sales = static_cast<Money>(sales);
  o.returns = static_cast<Money>(returns);
  o.net_revenue = static_cast<Money>(sales + returns);
  return o;
}

void ExpectSame(const OrdersOverview& got, const OrdersOverview& want) {
  EXPECT_EQ(got.lines, want.lines);
  EXPECT_EQ(got.orders, want.orders);
  EXPECT_EQ(got.customers, want.customers);
  EXPECT_EQ(got.products, want.products);
  EXPECT_EQ(got.return_lines, want.return_lines);
  EXPECT_EQ(got.first_day, want.first_day);
  EXPECT_EQ(got.last_day, want.last_day);
  EXPECT_EQ(got.sales, want.sales);
  EXPECT_EQ(got.returns, want.returns);
  EXPECT_EQ(got.net_revenue, want.net_revenue);
  EXPECT_EQ(got.money_scale, want.money_scale);
}

TEST(OverviewTest, MatchesReferenceOnRandomTablesAnyRowOrder) {
  for (std::uint32_t seed = 1; seed <= 300; ++seed) {
    SCOPED_TRACE(::testing::Message() << "seed " << seed);
    std::mt19937_64 rng(seed);
    auto uniform = [&rng](std::int64_t lo, std::int64_t hi) {
      return std::uniform_int_distribution<std::int64_t>(lo, hi)(rng);
    };
    Lines l;
    l.with_product = seed % 5 != 0;
    const std::int64_t n = uniform(0, 400);
    const std::int64_t orders = uniform(1, 60), customers = uniform(1, 40);
    const bool big = seed % 7 == 0;  // amounts near kMaxMoney (sums near int64's edge)
    for (std::int64_t i = 0; i < n; ++i) {
      // Runs of lines of one order (the common layout), with repeats elsewhere.
      const std::int64_t order = uniform(0, 3) == 0 ? uniform(-5, orders) : (i / 3) % orders;
      const Money amount = big ? uniform(-kMaxMoney / 1000, kMaxMoney / 1000) * 1000
                           : uniform(0, 9) == 0 ? 0
                                                : uniform(-50'000, 200'000);
      l.Add(order * 1'000'003, static_cast<Day>(uniform(kMinDay, kMaxDay)),
            static_cast<Id>(uniform(0, customers - 1)), static_cast<Id>(uniform(0, 25)), amount);
    }
    if (seed % 3 == 0) l.customer_ids = static_cast<std::int32_t>(customers + 5);
    const OrdersOverview want = Reference(l);
    ExpectSame(Overview(l), want);
    // The same lines in another order.
    std::vector<std::size_t> perm(l.amount.size());
    for (std::size_t i = 0; i < perm.size(); ++i) perm[i] = i;
    std::shuffle(perm.begin(), perm.end(), rng);
    Lines shuffled;
    shuffled.with_product = l.with_product;
    shuffled.customer_ids = l.customer_ids;
    for (std::size_t i : perm) {
      shuffled.Add(l.order[i], l.date[i], l.customer[i], l.product[i], l.amount[i]);
    }
    ExpectSame(Overview(shuffled), want);
  }
}

}  // namespace
}  // namespace salesight
