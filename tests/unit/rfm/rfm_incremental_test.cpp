// RfmIncremental's refresh of only the rows whose scores may have changed
// (src/rfm/refresh.cpp) against a full recompute after every append.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "rfm/internal/refresh.hpp"
#include "rfm/rfm_test_util.hpp"
#include "salesight/rfm.hpp"

namespace salesight {
namespace {

using rfm_test::Line;
using rfm_test::MakeLines;

// Sets the refresh's work limit for one test and restores it.
class ShareScope {
 public:
  explicit ShareScope(double share) : saved_(rfm_internal::RefreshRowShare()) {
    rfm_internal::RefreshRowShare() = share;
  }
  ~ShareScope() { rfm_internal::RefreshRowShare() = saved_; }

 private:
  double saved_;
};

std::int64_t IncrementalRefreshes() { return rfm_internal::RefreshCounters().incremental.load(); }

// After every batch the result equals ComputeRfm over all lines so far.
void ExpectAppendsEqualRecompute(const std::vector<Line>& lines, const std::vector<std::size_t>& ends,
                                 const RfmOptions& o, const std::string& where) {
  absl::StatusOr<RfmIncremental> inc =
      RfmIncremental::Create(MakeLines(rfm_test::Slice(lines, 0, ends[0]), true), o);
  ASSERT_TRUE(inc.ok()) << inc.status() << where;
  for (std::size_t b = 1; b < ends.size(); ++b) {
    const absl::Status st = inc->Append(MakeLines(rfm_test::Slice(lines, ends[b - 1], ends[b]), true));
    ASSERT_TRUE(st.ok()) << st << where << " batch " << b;
    absl::StatusOr<RfmResult> whole = ComputeRfm(MakeLines(rfm_test::Slice(lines, 0, ends[b]), true), o);
    ASSERT_TRUE(whole.ok()) << whole.status() << where;
    const RfmResult& got = inc->result();
    ASSERT_EQ(rfm_test::Flatten(got), rfm_test::Flatten(*whole)) << where << " batch " << b;
    rfm_test::ExpectSameCounts(got.counts, whole->counts);
    EXPECT_EQ(got.as_of, whole->as_of) << where;
    EXPECT_EQ(got.recency_below, whole->recency_below) << where << " batch " << b;
    EXPECT_EQ(got.frequency_above, whole->frequency_above) << where << " batch " << b;
    EXPECT_EQ(got.monetary_above, whole->monetary_above) << where << " batch " << b;
    if (::testing::Test::HasFailure()) return;
  }
}

// Hand-computed: NTILE(2), four one-order customers (days 19000..19003,
// amounts 100..400; f ties split by id). Customer 0 buys again on 19005 for
// 1000: it moves to the top of every metric, and customer 2, untouched,
// falls from (2, 2, 2) to (1, 1, 1) because every cut moved across it.
TEST(RfmIncrementalRefresh, HandComputedUntouchedCustomerFalls) {
  ShareScope share(1e9);  // always the incremental refresh
  RfmOptions o;
  o.scoring = RfmScoring::kNtile;
  o.k = 2;
  o.as_of = 19010;
  std::vector<Line> lines = {{1, 19000, 0, 100}, {2, 19001, 1, 200}, {3, 19002, 2, 300},
                             {4, 19003, 3, 400}};
  absl::StatusOr<RfmIncremental> inc = RfmIncremental::Create(MakeLines(lines), o);
  ASSERT_TRUE(inc.ok()) << inc.status();
  auto scores = [&](Id customer) {
    const RfmResult& r = inc->result();
    for (std::size_t i = 0; i < r.customers.size(); ++i) {
      if (r.customers[i].customer == customer) {
        return std::vector<int>{r.scores[i].r, r.scores[i].f, r.scores[i].m};
      }
    }
    return std::vector<int>{};
  };
  EXPECT_EQ(scores(0), (std::vector<int>{1, 1, 1}));
  EXPECT_EQ(scores(2), (std::vector<int>{2, 2, 2}));
  const std::int64_t before = IncrementalRefreshes();
  ASSERT_TRUE(inc->Append(MakeLines({{5, 19005, 0, 1000}})).ok());
  EXPECT_EQ(IncrementalRefreshes(), before + 1);
  EXPECT_EQ(scores(0), (std::vector<int>{2, 2, 2}));
  EXPECT_EQ(scores(1), (std::vector<int>{1, 1, 1}));
  EXPECT_EQ(scores(2), (std::vector<int>{1, 1, 1}));
  EXPECT_EQ(scores(3), (std::vector<int>{2, 2, 2}));
  EXPECT_EQ(inc->result().customers[0].recency_days, 5);
}

// Random states and batches: tie groups everywhere (few days, frequencies
// and amounts, or wide amounts in multi-key buckets), customers first seen
// in later batches (ids in the middle of the id range), returns, as_of
// moving with the data or fixed (inside the data too: later lines are then
// excluded), windows, every scoring mode and segment table, mean
// aggregation, one and two threads. Half the seeds force the incremental
// refresh, half use the default limit (both paths, and switching).
TEST(RfmIncrementalRefresh, RandomAppendsEqualRecompute) {
  const std::int64_t before = IncrementalRefreshes();
  for (std::uint64_t seed = 0; seed < 160; ++seed) {
    ShareScope share(seed % 2 == 0 ? 1e9 : rfm_internal::RefreshRowShare());
    std::mt19937_64 rng(880000 + seed);
    std::uniform_int_distribution<int> pick(0, 999);
    const int customers = 5 + pick(rng) % (seed % 3 == 0 ? 40 : 1500);
    const int days = 1 + pick(rng) % (seed % 4 == 0 ? 6 : 400);
    const bool few_amounts = pick(rng) % 2 == 0;
    const int num_lines = 50 + pick(rng) * 6;
    std::vector<Line> lines;
    for (int i = 0; i < num_lines; ++i) {
      const Day day = 19000 + i * days / num_lines;
      // Zipf-like: a few frequent customers, many with one order; ids with
      // id % 5 == 3 only buy in the second half (new customers later).
      const double u = std::uniform_real_distribution<double>(0, 1)(rng);
      Id c = static_cast<Id>(std::min<double>(customers - 1, customers * u * u * u));
      if (c % 5 == 3 && i < num_lines / 2) c = (c + 1) % customers;
      Money amount = few_amounts ? 100 * (1 + pick(rng) % 4)
                                 : static_cast<Money>(std::pow(10.0, 1 + pick(rng) % 600 / 100.0));
      if (pick(rng) < 60) amount = -amount;
      lines.push_back({i, day, c, amount, amount / 3});
    }
    std::vector<std::size_t> ends = {static_cast<std::size_t>(num_lines) * (300 + pick(rng) % 500) / 1000};
    const int batches = 2 + pick(rng) % 5;
    for (int b = 1; b <= batches; ++b) {
      ends.push_back(ends[0] + (lines.size() - ends[0]) * static_cast<std::size_t>(b) /
                                   static_cast<std::size_t>(batches));
    }
    RfmOptions o;
    o.scoring = static_cast<RfmScoring>(seed / 2 % 3);
    o.segments = static_cast<RfmSegments>(pick(rng) % 5 == 0 ? 4 : pick(rng) % 3);  // + relative tiers
    o.k = o.segments == RfmSegments::kTiers || o.segments == RfmSegments::kRelativeTiers
              ? 1 + pick(rng) % 7
              : 5;
    o.frequency = pick(rng) % 3 == 0 ? RfmFrequency::kDays : RfmFrequency::kOrders;
    o.monetary = pick(rng) % 4 == 0 ? RfmMonetary::kMargin : RfmMonetary::kRevenue;
    o.aggregation = pick(rng) % 4 == 0 ? RfmAggregation::kMeanPerOrder : RfmAggregation::kSum;
    o.purchase = pick(rng) % 3 == 0 ? RfmPurchase::kAllLines : RfmPurchase::kNonNegativeAmount;
    o.num_threads = 1 + static_cast<int>(seed % 2);
    if (o.scoring == RfmScoring::kFixed) {
      for (int j = 1; j < o.k; ++j) {
        o.fixed.recency_days.push_back(j * (1 + days / 5));
        o.fixed.frequency.push_back(j);
        o.fixed.monetary.push_back(2.0 * j * j);
      }
    }
    if (pick(rng) % 2 == 0) {  // fixed as_of: after the data, or inside it
      o.as_of = 19000 + (pick(rng) % 3 == 0 ? days / 2 : days + pick(rng) % 20);
      if (pick(rng) % 3 == 0) o.window_days = 1 + days / 2;
    }
    ExpectAppendsEqualRecompute(lines, ends, o, absl::StrCat("seed ", seed));
    if (HasFailure()) return;
  }
  // The incremental refresh did run (most forced seeds take it).
  EXPECT_GT(IncrementalRefreshes() - before, 150);
}

// Enough customers that one-key tie groups hold thousands of rows and the
// cuts move inside them (the id walk). The work limit is the customer count
// (the default's eighth is too tight for batches this large against so few
// customers).
TEST(RfmIncrementalRefresh, LargeTieGroups) {
  ShareScope share(1.0);
  for (RfmScoring scoring : {RfmScoring::kNtile, RfmScoring::kQuantile}) {
    for (const Day as_of : {kNoDate, Day{20000}}) {
      std::mt19937_64 rng(4242);
      std::uniform_real_distribution<double> u(0, 1);
      std::vector<Line> lines;
      const int customers = 20000;
      for (int i = 0; i < 60000; ++i) {
        const double x = u(rng);
        lines.push_back({i, 19000 + i / 300, static_cast<Id>(customers * x * x * x),
                         static_cast<Money>(100 * (1 + static_cast<int>(u(rng) * 3)))});
      }
      std::vector<std::size_t> ends;
      for (std::size_t e = 50000; e <= lines.size(); e += 1000) ends.push_back(e);
      RfmOptions o = RfmOptionsForWorkload(as_of, 2);
      o.scoring = scoring;
      const std::int64_t before = IncrementalRefreshes();
      ExpectAppendsEqualRecompute(lines, ends, o, absl::StrCat("scoring ", static_cast<int>(scoring)));
      if (HasFailure()) return;
      EXPECT_GT(IncrementalRefreshes() - before, 0);
    }
  }
}

}  // namespace
}  // namespace salesight
