// The two line scans (src/rfm/internal/line_scan.hpp) build the same state:
// the partitioned scan, forced with tiny customer blocks and chunks so that
// every boundary (block, chunk, thread range, an order split across them) is
// crossed by a few hundred lines, equals the direct scan field for field, and
// so do the finished results, for every RFM scan option, sorted and unsorted
// lines, 1-3 threads.
#include <algorithm>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "rfm/internal/partial.hpp"
#include "rfm/rfm_test_util.hpp"

namespace salesight::rfm_internal {
namespace {

using rfm_test::Line;
using rfm_test::MakeLines;
using Path = ScanChoice::Path;

absl::StatusOr<RfmPartial> Build(const OrderLines& t, const RfmOptions& o, Path path, int bits = 0,
                                 std::size_t chunk = 0) {
  ScanChoice c;
  c.path = path;
  c.customer_bits = bits;
  c.chunk_rows = chunk;
  return BuildState(t, o, nullptr, c);
}

// Every accumulator field but `customer` (the direct scan's scratch, which
// differs with its part count), the counts and the order boundaries.
void ExpectSameState(RfmPartial& a, RfmPartial& b, const std::string& where) {
  const RfmCustomers& x = Access::acc(a);
  const RfmCustomers& y = Access::acc(b);
  ASSERT_EQ(x.size(), y.size()) << where;
  for (std::size_t k = 0; k < x.size(); ++k) {
    ASSERT_EQ(x[k].monetary, y[k].monetary) << where << " customer " << k;
    ASSERT_EQ(x[k].recency_days, y[k].recency_days) << where << " customer " << k;
    ASSERT_EQ(x[k].frequency, y[k].frequency) << where << " customer " << k;
    ASSERT_EQ(x[k].first_purchase, y[k].first_purchase) << where << " customer " << k;
    ASSERT_EQ(x[k].order_lines, y[k].order_lines) << where << " customer " << k;
    ASSERT_EQ(x[k].returns, y[k].returns) << where << " customer " << k;
  }
  SCOPED_TRACE(where);
  rfm_test::ExpectSameCounts(Access::counts(a), Access::counts(b));
  EXPECT_EQ(Access::max_date(a), Access::max_date(b));
  EXPECT_EQ(Access::num_threads(a), Access::num_threads(b));
  EXPECT_EQ(Access::has_orders(a), Access::has_orders(b));
  if (Access::has_orders(a) && Access::has_orders(b)) {
    EXPECT_EQ(Access::min_order(a), Access::min_order(b));
    EXPECT_EQ(Access::max_order(a), Access::max_order(b));
    EXPECT_EQ(Access::min_order_customers(a), Access::min_order_customers(b));
    EXPECT_EQ(Access::max_order_customers(a), Access::max_order_customers(b));
  }
}

TEST(RfmScanPathsHand, AnOrderSplitAcrossBlocksChunksAndThreads) {
  // Order 7 spans the two threads' ranges and two chunks; customers 0 and 5
  // (blocks 0 and 1 of 4 customers) buy in it on both sides: one order each.
  const std::vector<Line> lines = {
      {3, 19000, 0, 100}, {7, 19001, 0, 200}, {7, 19001, 5, 300}, {7, 19001, 0, -50},
      {7, 19001, 5, 400}, {9, 19002, 5, 500}, {9, 19003, 1, 600}, {11, 19500, 1, 700},
  };
  const OrderLines t = MakeLines(lines);
  RfmOptions o;
  o.as_of = 19010;  // order 11 is after as_of
  o.num_threads = 2;
  absl::StatusOr<RfmPartial> s = Build(t, o, Path::kPartitioned, 2, 3);
  ASSERT_TRUE(s.ok()) << s.status();
  const RfmCustomers& acc = Access::acc(*s);
  EXPECT_EQ(acc[0].frequency, 2);  // orders 3, 7 (the return is not a purchase)
  EXPECT_EQ(acc[0].monetary, 250);
  EXPECT_EQ(acc[0].order_lines, 3);
  EXPECT_EQ(acc[0].returns, 1);
  EXPECT_EQ(acc[5].frequency, 2);  // orders 7, 9
  EXPECT_EQ(acc[5].monetary, 1200);
  EXPECT_EQ(acc[1].frequency, 1);
  EXPECT_EQ(LastDayOf(acc[5].recency_days), 19002);
  EXPECT_EQ(FirstDayOf(acc[5].first_purchase), 19001);
  EXPECT_EQ(Access::counts(*s).excluded_future, 1);
  EXPECT_EQ(Access::min_order(*s), 3);
  EXPECT_EQ(Access::max_order(*s), 9);
  EXPECT_EQ(Access::max_order_customers(*s), (std::vector<Id>{1, 5}));
  absl::StatusOr<RfmPartial> d = Build(t, o, Path::kDirect);
  ASSERT_TRUE(d.ok()) << d.status();
  ExpectSameState(*s, *d, "hand");
}

TEST(RfmScanPathsHand, OverflowNamesTheSameCustomer) {
  // Amounts are at most 9e15 minor units: 1100 of them leave int64.
  std::vector<Line> lines = {{0, 19000, 3, 5}};
  for (int i = 1; i <= 1100; ++i) lines.push_back({i, 19001, 1, 9'000'000'000'000'000});
  const OrderLines t = MakeLines(lines);
  RfmOptions o;
  o.as_of = 19010;
  for (int threads : {1, 2}) {
    o.num_threads = threads;
    absl::StatusOr<RfmPartial> s = Build(t, o, Path::kPartitioned, 1, 300);
    ASSERT_FALSE(s.ok());
    // One state at any thread count: the error of the one-part direct scan
    // (the direct scan's two parts report it from their merge instead).
    EXPECT_EQ(s.status().code(), absl::StatusCode::kOutOfRange);
    EXPECT_EQ(s.status().message(),
              "rfm: the monetary total of customer '1' overflows int64 at orders row 1025");
  }
  o.num_threads = 1;
  EXPECT_EQ(Build(t, o, Path::kPartitioned, 1, 300).status(), Build(t, o, Path::kDirect).status());
}

TEST(RfmScanPathsRandom, PartitionedEqualsDirect) {
  const int cases = 300;
  for (int seed = 0; seed < cases; ++seed) {
    std::mt19937_64 rng(static_cast<std::uint64_t>(seed));
    auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<std::uint64_t>(n)); };
    const int bits = 1 + pick(4);  // blocks of 2..16 customers
    const int block = 1 << bits;
    // Customer counts around the block boundaries, lines around the chunks'.
    const int customers =
        std::max(1, (1 + pick(4)) * block + (pick(3) - 1));
    const int n = pick(6) == 0 ? pick(4) : 1 + pick(400);
    const std::size_t chunk = pick(3) == 0 ? 0 : static_cast<std::size_t>(1 + pick(60));
    const bool with_cost = pick(2) == 0;
    std::vector<Line> lines;
    std::int64_t order = 1;
    for (int i = 0; i < n; ++i) {
      if (pick(3) == 0) order += 1 + pick(2);  // orders of a few lines
      Line l;
      l.order = order;
      l.day = 19000 + pick(60);
      // Many customers have one line (the last ids), a few many.
      l.customer = pick(2) == 0 ? static_cast<Id>(pick(std::min(customers, 3)))
                                : static_cast<Id>(pick(customers));
      l.amount = pick(5) == 0 ? -(1 + pick(500)) : pick(10'000);
      l.cost = pick(300);
      lines.push_back(l);
    }
    if (n > 0) lines.back().customer = static_cast<Id>(customers - 1);  // every id in use
    if (pick(3) == 0) std::shuffle(lines.begin(), lines.end(), rng);  // unsorted orders and days
    const OrderLines t = MakeLines(lines, with_cost);
    RfmOptions o;
    o.frequency = pick(2) == 0 ? RfmFrequency::kOrders : RfmFrequency::kDays;
    o.purchase = pick(2) == 0 ? RfmPurchase::kAllLines : RfmPurchase::kNonNegativeAmount;
    o.monetary = with_cost && pick(2) == 0 ? RfmMonetary::kMargin : RfmMonetary::kRevenue;
    o.as_of = pick(3) == 0 ? 19070 : 19000 + pick(70);  // some lines after as_of, or none
    o.window_days = pick(3) == 0 ? pick(40) : 0;
    o.num_threads = 1 + pick(3);
    const std::string where = "seed " + std::to_string(seed);
    absl::StatusOr<RfmPartial> direct = Build(t, o, Path::kDirect);
    absl::StatusOr<RfmPartial> part = Build(t, o, Path::kPartitioned, bits, chunk);
    ASSERT_EQ(direct.ok(), part.ok()) << where << ": " << direct.status() << " / " << part.status();
    if (!direct.ok()) {
      EXPECT_EQ(direct.status(), part.status()) << where;
      continue;
    }
    ExpectSameState(*direct, *part, where);
    absl::StatusOr<RfmResult> a = Finish(*std::move(direct), o);
    absl::StatusOr<RfmResult> b = Finish(*std::move(part), o);
    ASSERT_EQ(a.ok(), b.ok()) << where;
    if (!a.ok()) continue;
    EXPECT_EQ(rfm_test::Flatten(*a), rfm_test::Flatten(*b)) << where;
  }
}

}  // namespace
}  // namespace salesight::rfm_internal
