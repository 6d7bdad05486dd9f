// The scoring's histograms over the data's bucket range (src/rfm/internal/
// scoring.hpp: BucketCounts) and scores whose keys move that range.
#include <algorithm>
#include <cstdint>
#include <map>
#include <random>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "rfm/internal/scoring.hpp"
#include "rfm/rfm_test_util.hpp"
#include "salesight/rfm.hpp"

namespace salesight {
namespace {

using rfm_internal::BucketCounts;
using rfm_test::Line;
using rfm_test::MakeLines;

void ExpectEqualsMap(const BucketCounts& got, const std::map<std::size_t, std::int32_t>& want,
                     std::size_t limit, const std::string& where) {
  ASSERT_LE(got.hi(), limit) << where;
  for (const auto& [b, c] : want) {
    ASSERT_GE(b, got.lo()) << where;
    ASSERT_LT(b, got.hi()) << where;
  }
  for (std::size_t b = got.lo(); b < got.hi(); ++b) {
    const auto it = want.find(b);
    ASSERT_EQ(got.at(b), it == want.end() ? 0 : it->second) << where << " bucket " << b;
  }
}

TEST(RfmBucketCounts, HandCase) {
  BucketCounts c(1000);
  c.Add(500, 2);
  EXPECT_EQ(c.lo(), 500u);
  EXPECT_EQ(c.hi(), 501u);
  c.Add(10, 1);  // grows down, with slack below, never under 0
  c.Add(999, -1);  // grows up to the limit, not beyond
  EXPECT_EQ(c.lo(), 0u);
  EXPECT_EQ(c.hi(), 1000u);
  EXPECT_EQ(c.at(10), 1);
  EXPECT_EQ(c.at(500), 2);
  EXPECT_EQ(c.at(999), -1);
  EXPECT_EQ(c.at(11), 0);
  c.Clear();
  EXPECT_EQ(c.hi() - c.lo(), 0u);
}

// Adds and merges at random buckets equal a plain map's counts.
TEST(RfmBucketCounts, RandomAddsAndMergesEqualAMap) {
  for (std::uint64_t seed = 0; seed < 200; ++seed) {
    std::mt19937_64 rng(seed);
    const std::size_t limit = 1 + rng() % 5000;
    const std::size_t center = rng() % limit, spread = 1 + rng() % limit;
    auto bucket = [&] {
      const std::int64_t b = static_cast<std::int64_t>(center) +
                             static_cast<std::int64_t>(rng() % (2 * spread)) -
                             static_cast<std::int64_t>(spread);
      return static_cast<std::size_t>(std::clamp<std::int64_t>(b, 0, static_cast<std::int64_t>(limit) - 1));
    };
    BucketCounts a(limit), b(limit);
    std::map<std::size_t, std::int32_t> want_a, want_b;
    for (int i = static_cast<int>(rng() % 200); i > 0; --i) {
      const std::size_t x = bucket();
      const std::int32_t d = static_cast<std::int32_t>(rng() % 5) - 2;
      a.Add(x, d);
      want_a[x] += d;
    }
    for (int i = static_cast<int>(rng() % 200); i > 0; --i) {
      const std::size_t x = bucket();
      b.Add(x, 1);
      ++want_b[x];
    }
    const std::string where = absl::StrCat("seed ", seed);
    ExpectEqualsMap(a, want_a, limit, where);
    ExpectEqualsMap(b, want_b, limit, where);
    a.Merge(b);
    for (const auto& [x, c] : want_b) want_a[x] += c;
    ExpectEqualsMap(a, want_a, limit, where + " merged");
    if (HasFatalFailure()) return;
  }
}

// Appended batches that take every metric's keys outside the range seen so
// far, both ways (later days, more orders, larger sums, negative margins
// from returns), and new customers, for each scoring: the incremental
// result equals a recompute after every batch.
TEST(RfmScoringRange, AppendsOutsideTheKeyRangeEqualRecompute) {
  for (std::uint64_t seed = 0; seed < 40; ++seed) {
    std::mt19937_64 rng(424242 + seed);
    std::uniform_int_distribution<int> pick(0, 999);
    RfmOptions o;
    o.scoring = static_cast<RfmScoring>(seed % 3);
    o.segments = RfmSegments::kTiers;
    o.k = 2 + static_cast<int>(seed % 5);
    o.purchase = RfmPurchase::kAllLines;
    o.num_threads = 1 + static_cast<int>(seed / 3 % 2);
    if (o.scoring == RfmScoring::kFixed) {
      for (int j = 1; j < o.k; ++j) {
        o.fixed.recency_days.push_back(40 * j);
        o.fixed.frequency.push_back(2 * j);
        o.fixed.monetary.push_back(100.0 * j * j);
      }
    }
    std::vector<Line> lines;
    std::int64_t order = 1;
    Day day = 19000;
    // Batch b: customers up to 20 + 30 b, amounts up to 10^(2+b) cents,
    // some large returns.
    std::vector<std::size_t> ends;
    for (int b = 0; b < 5; ++b) {
      const int customers = 20 + 30 * b;
      for (int i = 0; i < 60; ++i) {
        day += pick(rng) % 3;
        Money amount = 1 + pick(rng) % 100;
        for (int p = 0; p < b; ++p) amount *= 10;
        if (pick(rng) < 80) amount = -amount * 5;
        lines.push_back({order++, day, static_cast<Id>(pick(rng) % customers), amount});
      }
      ends.push_back(lines.size());
    }
    const std::string where = absl::StrCat("seed ", seed);
    absl::StatusOr<RfmIncremental> inc =
        RfmIncremental::Create(MakeLines(rfm_test::Slice(lines, 0, ends[0])), o);
    ASSERT_TRUE(inc.ok()) << inc.status() << where;
    for (std::size_t b = 1; b < ends.size(); ++b) {
      ASSERT_TRUE(inc->Append(MakeLines(rfm_test::Slice(lines, ends[b - 1], ends[b]))).ok()) << where;
      absl::StatusOr<RfmResult> whole = ComputeRfm(MakeLines(rfm_test::Slice(lines, 0, ends[b])), o);
      ASSERT_TRUE(whole.ok()) << whole.status() << where;
      ASSERT_EQ(rfm_test::Flatten(inc->result()), rfm_test::Flatten(*whole)) << where << " batch " << b;
      EXPECT_EQ(inc->result().recency_below, whole->recency_below) << where;
      EXPECT_EQ(inc->result().frequency_above, whole->frequency_above) << where;
      EXPECT_EQ(inc->result().monetary_above, whole->monetary_above) << where;
    }
  }
}

}  // namespace
}  // namespace salesight
