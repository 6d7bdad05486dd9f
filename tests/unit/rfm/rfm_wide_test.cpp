// ComputeRfmWide (rfm_wide.hpp): RFM over int64 ids and ns timestamps read a
// block at a time equals ComputeRfm over the same lines narrowed by a plain
// loop, row for row and error for error, whatever the row count around the
// block edges (the last block partial or not, the prefetch overlap), the
// options, the row order (the exact recount) and 1 or 2 threads. The table
// handed to ComputeRfmWide has zeros in its customer and order_date columns
// (with the real ranges, as the C builder's placeholders): any read of them
// would show in the results.
#include <algorithm>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "rfm/rfm_test_util.hpp"
#include "salesight/rfm.hpp"
#include "salesight/rfm_wide.hpp"

namespace salesight {
namespace {

constexpr std::int64_t kNsPerDay = 86'400'000'000'000;

struct WideLines {
  std::vector<std::int64_t> order, ids, ns;
  std::vector<Money> amount, cost;
};

// The plain narrowing: floor(ns / one day).
Day PlainDay(std::int64_t ns) {
  std::int64_t q = ns / kNsPerDay;
  if (ns % kNsPerDay < 0) --q;
  return static_cast<Day>(q);
}

// The lines with their ids and days narrowed row by row.
OrderLines Narrowed(const WideLines& w, bool with_cost) {
  OrderLinesColumns c;
  std::vector<Id> ids;
  std::vector<Day> days;
  for (std::size_t i = 0; i < w.ids.size(); ++i) {
    ids.push_back(static_cast<Id>(w.ids[i]));
    days.push_back(PlainDay(w.ns[i]));
  }
  c.order_id = Column<std::int64_t>::Own(w.order);
  c.customer = Column<Id>::Own(std::move(ids));
  c.order_date = Column<Day>::Own(std::move(days));
  c.amount = Column<Money>::Own(w.amount);
  if (with_cost) c.cost = Column<Money>::Own(w.cost);
  absl::StatusOr<OrderLines> t = OrderLines::Build(std::move(c));
  EXPECT_TRUE(t.ok()) << t.status();
  return *std::move(t);
}

// `real` with zeros for its customer and order_date values, claiming their
// real ranges.
OrderLines Shadow(const OrderLines& real) {
  OrderLinesColumns c = real.columns();
  auto zeros = [n = real.size()](const Column<std::int32_t>& column) {
    if (n == 0) return Column<std::int32_t>();
    const auto [lo, hi] = std::minmax_element(column.begin(), column.end());
    return Column<std::int32_t>::OwnWithRange(std::vector<std::int32_t>(n, 0), *lo, *hi);
  };
  c.customer = zeros(real.columns().customer);
  c.order_date = zeros(real.columns().order_date);
  absl::StatusOr<OrderLines> t = OrderLines::Build(std::move(c));
  EXPECT_TRUE(t.ok()) << t.status();
  return *std::move(t);
}

void ExpectSame(const absl::StatusOr<RfmResult>& a, const absl::StatusOr<RfmResult>& b,
                const std::string& where) {
  ASSERT_EQ(a.ok(), b.ok()) << where << ": " << a.status() << " / " << b.status();
  if (!a.ok()) {
    EXPECT_EQ(a.status(), b.status()) << where;
    return;
  }
  SCOPED_TRACE(where);
  EXPECT_EQ(a->as_of, b->as_of);
  EXPECT_EQ(a->window_start, b->window_start);
  rfm_test::ExpectSameCounts(a->counts, b->counts);
  EXPECT_EQ(rfm_test::Flatten(*a), rfm_test::Flatten(*b));
}

TEST(RfmWideHand, TimesOfDayAroundMidnightAndBefore1970) {
  WideLines w;
  // customer 0: 1969-12-31 23:00 (day -1) and 1970-01-02 01:00 (day 1);
  // customer 2: 1970-01-01 12:00 (day 0), a return on day 1.
  w.order = {1, 2, 3, 4};
  w.ids = {0, 2, 0, 2};
  w.ns = {-3'600'000'000'000, kNsPerDay / 2, kNsPerDay + 3'600'000'000'000,
          kNsPerDay + 5};
  w.amount = {100, 250, 40, -50};
  w.cost = {0, 0, 0, 0};
  const OrderLines real = Narrowed(w, false);
  const OrderLines shadow = Shadow(real);
  absl::StatusOr<RfmResult> r =
      ComputeRfmWide(shadow, RfmWideKeys{w.ids.data(), w.ns.data()}, RfmOptions{});
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->as_of, 2);  // the day after the last line
  ASSERT_EQ(r->customers.size(), 2u);
  EXPECT_EQ(r->customers[0].customer, 0);
  EXPECT_EQ(r->customers[0].recency_days, 1);
  EXPECT_EQ(r->customers[0].frequency, 2);
  EXPECT_EQ(r->customers[0].monetary, 140);
  EXPECT_EQ(r->customers[0].first_purchase, -1);
  EXPECT_EQ(r->customers[1].customer, 2);
  EXPECT_EQ(r->customers[1].recency_days, 2);
  EXPECT_EQ(r->customers[1].frequency, 1);
  EXPECT_EQ(r->customers[1].monetary, 200);
  EXPECT_EQ(r->customers[1].returns, 1);
  ExpectSame(ComputeRfm(real, RfmOptions{}), r, "hand");
}

TEST(RfmWideHand, ByAndClvAreRefused) {
  WideLines w;
  w.order = {1};
  w.ids = {0};
  w.ns = {0};
  w.amount = {5};
  const OrderLines shadow = Shadow(Narrowed(w, false));
  RfmOptions o;
  o.by = "region";
  EXPECT_EQ(ComputeRfmWide(shadow, RfmWideKeys{w.ids.data(), w.ns.data()}, o).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(RfmWideRandom, EqualsTheNarrowedTable) {
  constexpr std::size_t kBlock = RfmWideKeys::kBlockRows;
  // Row counts at the block edges and the 128-row prefetch overlap.
  const std::vector<std::size_t> edges = {0,          1,          127,          128,
                                          129,        kBlock - 1, kBlock,       kBlock + 1,
                                          kBlock + 127, kBlock + 128, kBlock + 129, 2 * kBlock,
                                          2 * kBlock + 3};
  const int cases = 200;
  for (int seed = 0; seed < cases; ++seed) {
    std::mt19937_64 rng(static_cast<std::uint64_t>(seed));
    auto pick = [&](std::int64_t n) { return static_cast<std::int64_t>(rng() % static_cast<std::uint64_t>(n)); };
    const std::size_t n = seed < static_cast<int>(edges.size())
                              ? edges[static_cast<std::size_t>(seed)]
                              : static_cast<std::size_t>(pick(3) == 0 ? pick(2 * kBlock + 300)
                                                                      : pick(400));
    const std::int64_t customers = 1 + pick(pick(2) == 0 ? 20 : 3000);
    const bool with_cost = pick(2) == 0;
    const bool overflow = pick(25) == 0;
    WideLines w;
    std::int64_t order = 1;
    for (std::size_t i = 0; i < n; ++i) {
      if (pick(3) == 0) order += 1 + pick(2);
      w.order.push_back(order);
      w.ids.push_back(pick(customers));
      // Days 1965..1975 around 1970 at any time of day.
      w.ns.push_back((-1800 + pick(3600)) * kNsPerDay + pick(kNsPerDay));
      w.amount.push_back(overflow ? 9'000'000'000'000'000 : pick(5) == 0 ? -(1 + pick(500))
                                                                          : pick(10'000));
      w.cost.push_back(pick(300));
    }
    if (pick(3) == 0) {  // unsorted orders and days: the exact recount
      std::vector<std::size_t> perm(n);
      for (std::size_t i = 0; i < n; ++i) perm[i] = i;
      std::shuffle(perm.begin(), perm.end(), rng);
      WideLines s;
      for (std::size_t i : perm) {
        s.order.push_back(w.order[i]);
        s.ids.push_back(w.ids[i]);
        s.ns.push_back(w.ns[i]);
        s.amount.push_back(w.amount[i]);
        s.cost.push_back(w.cost[i]);
      }
      w = std::move(s);
    }
    const OrderLines real = Narrowed(w, with_cost);
    const OrderLines shadow = Shadow(real);
    RfmOptions o;
    o.frequency = pick(2) == 0 ? RfmFrequency::kOrders : RfmFrequency::kDays;
    o.purchase = pick(2) == 0 ? RfmPurchase::kAllLines : RfmPurchase::kNonNegativeAmount;
    o.monetary = with_cost && pick(2) == 0 ? RfmMonetary::kMargin : RfmMonetary::kRevenue;
    if (pick(2) == 0) o.as_of = static_cast<Day>(-1800 + pick(3700));  // some lines after it
    if (o.as_of != kNoDate && pick(2) == 0) o.window_days = static_cast<std::int32_t>(pick(900));
    o.num_threads = 1 + static_cast<int>(pick(2));
    const std::string where = "seed " + std::to_string(seed) + " n " + std::to_string(n);
    ExpectSame(ComputeRfm(real, o), ComputeRfmWide(shadow, RfmWideKeys{w.ids.data(), w.ns.data()}, o),
               where);
  }
}

}  // namespace
}  // namespace salesight
