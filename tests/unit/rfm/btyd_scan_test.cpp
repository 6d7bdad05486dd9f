// The BTYD summary built inside RFM's scan (src/rfm/internal/btyd_scan.hpp)
// is ComputeBtydSummary's, bit for bit, for every row order, thread count and
// RFM option; the RFM state it rides along with is unchanged; date-sorted
// lines need no recount (one scan).
#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <random>
#include <utility>
#include <vector>

#include "gtest/gtest.h"
#include "rfm/internal/btyd_scan.hpp"
#include "rfm/internal/partial.hpp"
#include "rfm/rfm_test_util.hpp"
#include "salesight/btyd.hpp"

namespace salesight::rfm_internal {
namespace {

using rfm_test::Line;
using rfm_test::MakeLines;

absl::StatusOr<BtydSummary> Fused(const OrderLines& orders, const RfmOptions& o, BtydTimeUnit unit,
                                  bool* exact = nullptr) {
  BtydScan scan;
  absl::StatusOr<RfmPartial> state = BuildState(orders, o, &scan);
  if (!state.ok()) return state.status();
  if (exact != nullptr) *exact = scan.exact;
  return BtydSummaryFromScan(orders, std::move(scan), o.as_of, unit, o.num_threads);
}

void ExpectSame(const BtydSummary& got, const BtydSummary& want, std::uint64_t seed) {
  ASSERT_EQ(got.customer, want.customer) << seed;
  EXPECT_EQ(got.frequency, want.frequency) << seed;
  EXPECT_EQ(got.recency, want.recency) << seed;  // doubles compared exactly
  EXPECT_EQ(got.T, want.T) << seed;
  EXPECT_EQ(got.monetary_value, want.monetary_value) << seed;
  EXPECT_EQ(got.observation_end, want.observation_end) << seed;
  EXPECT_EQ(got.unit, want.unit) << seed;
}

TEST(BtydScanHand, SameDayMergedFirstDayExcluded) {
  // Customer 0: day 100 twice (one purchase, 15.00), repeats 20.00 and -4.00
  // out of date order; customer 1: one purchase; lines after as_of dropped.
  const std::vector<Line> lines = {
      {1, 19110, 0, -400}, {2, 19100, 0, 1000}, {3, 19103, 0, 2000}, {4, 19100, 0, 500},
      {5, 19115, 1, 700},  {6, 19125, 2, 900},  {7, 19125, 0, 900},
  };
  RfmOptions o;
  o.as_of = 19120;
  bool exact = true;
  absl::StatusOr<BtydSummary> s = Fused(MakeLines(lines), o, BtydTimeUnit::kDays, &exact);
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_FALSE(exact);  // day 100 came after day 110: recounted
  ASSERT_EQ(s->customer, (std::vector<Id>{0, 1}));
  EXPECT_EQ(s->frequency, (std::vector<std::int32_t>{2, 0}));
  EXPECT_EQ(s->recency, (std::vector<double>{10.0, 0.0}));
  EXPECT_EQ(s->T, (std::vector<double>{20.0, 5.0}));
  EXPECT_EQ(s->monetary_value, (std::vector<double>{8.0, 0.0}));  // (20.00 - 4.00) / 2
}

TEST(BtydScanHand, MergeCountsASharedDayOnce) {
  BtydAcc a, b;
  EXPECT_FALSE(AddBtydLine(a, 100, 1));
  EXPECT_FALSE(AddBtydLine(a, 105, 2));
  EXPECT_FALSE(AddBtydLine(b, 105, 4));
  EXPECT_FALSE(AddBtydLine(b, 109, 8));
  BtydAcc m = a;
  EXPECT_TRUE(MergeBtyd(m, b));  // days 100, 105 | 105, 109: 3 days
  EXPECT_EQ(m.days, 3);
  EXPECT_EQ(m.first_sum, 1);
  EXPECT_EQ(m.repeat_sum, 14);
  m = b;
  EXPECT_TRUE(MergeBtyd(m, a));  // either order
  EXPECT_EQ(m.days, 3);
  EXPECT_EQ(m.first_sum, 1);
  EXPECT_EQ(m.repeat_sum, 14);
  BtydAcc c;
  AddBtydLine(c, 101, 16);
  AddBtydLine(c, 104, 32);
  m = a;
  EXPECT_FALSE(MergeBtyd(m, c));  // 100..105 and 101..104 overlap: count not exact
  EXPECT_EQ(m.first_sum, 1);      // the sums still are
  EXPECT_EQ(m.repeat_sum, 50);
  EXPECT_TRUE(AddBtydLine(a, 101, 0));  // before the last day: late
  // A repeat total that leaves int64 and comes back is exact (wrap counts).
  const Money big = std::numeric_limits<Money>::max() - 10;
  BtydAcc w;
  for (Money v : {Money{1}, big, big, -big}) AddBtydLine(w, 100 + static_cast<Day>(w.days), v);
  EXPECT_EQ(w.repeat_wraps, 0);
  EXPECT_EQ(w.repeat_sum, big);
  AddBtydLine(w, 200, big);
  EXPECT_EQ(w.repeat_wraps, 1);
}

TEST(BtydScanHand, OverflowIsOfTheExactTotals) {
  // Amounts are at most 9e15 minor units, so a sum needs > 1024 lines to
  // leave int64. The lines lie before RFM's window: only the summary sums them.
  const Money big = 9'000'000'000'000'000;
  RfmOptions o;
  o.as_of = 19200;
  o.window_days = 50;
  struct Run {
    Day day;
    Money amount;
    int count;
  };
  auto lines = [&](const std::vector<Run>& runs) {
    std::vector<Line> out;
    for (const Run& r : runs) {
      for (int i = 0; i < r.count; ++i) out.push_back({0, r.day, 1, r.amount});
    }
    return MakeLines(out);
  };
  // The first day's -9.9e18 does not fit: an error naming the customer, as ComputeBtydSummary's.
  const OrderLines bad = lines({{19101, big, 1100}, {19100, -big, 1100}, {19102, big, 1}});
  BtydScan scan;
  ASSERT_TRUE(BuildState(bad, o, &scan).ok());
  absl::StatusOr<BtydSummary> s =
      BtydSummaryFromScan(bad, std::move(scan), o.as_of, BtydTimeUnit::kDays, 1);
  ASSERT_EQ(s.status().code(), absl::StatusCode::kOutOfRange);
  EXPECT_NE(s.status().message().find("customer '1'"), std::string::npos) << s.status();
  EXPECT_EQ(ComputeBtydSummary(bad, {.observation_end = o.as_of}).status().code(),
            absl::StatusCode::kOutOfRange);
  // The repeat sum leaves int64 in row order (days 101, 102: 1.89e19) and
  // comes back (day 103: 9e18): exact, no error, the reference's value.
  const OrderLines back =
      lines({{19100, 1, 1}, {19101, big, 1000}, {19102, big, 1100}, {19103, -big, 1100}});
  scan = BtydScan();
  ASSERT_TRUE(BuildState(back, o, &scan).ok());
  s = BtydSummaryFromScan(back, std::move(scan), o.as_of, BtydTimeUnit::kDays, 1);
  ASSERT_TRUE(s.ok()) << s.status();
  absl::StatusOr<BtydSummary> want = ComputeBtydSummary(back, {.observation_end = o.as_of});
  ASSERT_TRUE(want.ok()) << want.status();
  EXPECT_EQ(s->monetary_value, want->monetary_value);
  EXPECT_EQ(s->frequency, (std::vector<std::int32_t>{3}));
}

// 60 seeds by default (well under 1 s in Release); SALESIGHT_BTYD_SCAN_SEEDS
// asks for more (a long run).
std::uint64_t Seeds() {
  const char* env = std::getenv("SALESIGHT_BTYD_SCAN_SEEDS");
  const long n = env != nullptr ? std::atol(env) : 0;
  return n > 0 ? static_cast<std::uint64_t>(n) : 60;
}

// Random lines in every row order (date-sorted, customer-then-date, shuffled)
// and random RFM options (window, purchase kind, frequency, margin, as_of
// inside or after the data): the fused summary equals ComputeBtydSummary's
// exactly, for 1..4 threads, and the RFM state equals the one scanned alone.
TEST(BtydScanReference, EqualsComputeBtydSummaryOnRandomData) {
  for (std::uint64_t seed = 0; seed < Seeds(); ++seed) {
    std::mt19937_64 rng(seed);
    const int customers = 1 + static_cast<int>(rng() % 60);
    const int n = static_cast<int>(rng() % 900);
    const Day span = 1 + static_cast<Day>(rng() % 200);
    std::vector<Line> lines;
    for (int i = 0; i < n; ++i) {
      const Money amount = static_cast<Money>(rng() % 5000) - (rng() % 4 == 0 ? 3000 : 0);
      lines.push_back({static_cast<std::int64_t>(rng() % 300), 19000 + static_cast<Day>(rng() % span),
                       static_cast<Id>(rng() % customers), amount, static_cast<Money>(rng() % 800)});
    }
    const int order = static_cast<int>(seed % 3);
    if (order == 0) {
      std::stable_sort(lines.begin(), lines.end(),
                       [](const Line& a, const Line& b) { return a.day < b.day; });
    } else if (order == 1) {
      std::stable_sort(lines.begin(), lines.end(), [](const Line& a, const Line& b) {
        return a.customer != b.customer ? a.customer < b.customer : a.day < b.day;
      });
    }
    const OrderLines t = MakeLines(lines, /*with_cost=*/true);
    RfmOptions o;
    o.as_of = n == 0 || rng() % 3 == 0 ? 19000 + span : 19000 + static_cast<Day>(rng() % span);
    o.window_days = rng() % 3 == 0 ? static_cast<std::int32_t>(rng() % 100) : 0;
    o.purchase = rng() % 2 ? RfmPurchase::kAllLines : RfmPurchase::kNonNegativeAmount;
    o.frequency = rng() % 2 ? RfmFrequency::kDays : RfmFrequency::kOrders;
    o.monetary = rng() % 3 == 0 ? RfmMonetary::kMargin : RfmMonetary::kRevenue;
    const BtydTimeUnit unit = rng() % 2 ? BtydTimeUnit::kWeeks : BtydTimeUnit::kDays;
    absl::StatusOr<BtydSummary> want =
        ComputeBtydSummary(t, {.observation_end = o.as_of, .unit = unit});
    ASSERT_TRUE(want.ok()) << want.status();
    for (int threads = 1; threads <= 4; ++threads) {
      o.num_threads = threads;
      bool exact = false;
      absl::StatusOr<BtydSummary> got = Fused(t, o, unit, &exact);
      ASSERT_TRUE(got.ok()) << seed << " " << got.status();
      ExpectSame(*got, *want, seed);
      // Date-sorted lines, and any single range of customer-then-date lines: one scan.
      if (order == 0 || (order == 1 && threads == 1)) {
        EXPECT_TRUE(exact) << seed;
      }
      // The RFM state is the one scanned without the summary.
      BtydScan scan;
      absl::StatusOr<RfmPartial> with = BuildState(t, o, &scan);
      absl::StatusOr<RfmPartial> without = BuildState(t, o);
      ASSERT_TRUE(with.ok() && without.ok());
      const RfmCustomers& a = Access::acc(*with);
      const RfmCustomers& b = Access::acc(*without);
      ASSERT_EQ(a.size(), b.size());
      EXPECT_EQ(std::memcmp(a.data(), b.data(), a.size() * sizeof(RfmCustomer)), 0) << seed;
      EXPECT_EQ(Access::counts(*with).lines_in_window, Access::counts(*without).lines_in_window);
    }
  }
}

}  // namespace
}  // namespace salesight::rfm_internal
