// The funnel's day statistics from (value, count) runs (the finisher's
// Distribution) against a plain sort of the values: count, mean, median and
// p90 (quantile_cont), for groups of 0, 1, a few and many values, with
// values inside the bins, below 0, past the bins and bins' spills.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <climits>
#include <iterator>
#include <random>
#include <string>
#include <vector>

#include "funnel/internal/distribution.hpp"
#include "gtest/gtest.h"

namespace salesight::internal {
namespace {

// The reference: every value written out, sorted.
FunnelDayStats SortedStats(std::vector<std::int32_t> values) {
  FunnelDayStats out;
  out.count = static_cast<std::int64_t>(values.size());
  if (values.empty()) return out;
  std::sort(values.begin(), values.end());
  std::int64_t sum = 0;
  for (std::int32_t v : values) sum += v;
  out.mean = static_cast<double>(sum) / static_cast<double>(values.size());
  auto quantile = [&](double q) {
    const double pos = q * static_cast<double>(values.size() - 1);
    const double lo = values[static_cast<std::size_t>(std::floor(pos))];
    const double hi = values[static_cast<std::size_t>(std::ceil(pos))];
    return lo + (hi - lo) * (pos - std::floor(pos));
  };
  out.median = quantile(0.5);
  out.p90 = quantile(0.9);
  return out;
}

void ExpectSame(const FunnelDayStats& got, const FunnelDayStats& want, const std::string& what) {
  EXPECT_EQ(got.count, want.count) << what;
  EXPECT_EQ(got.mean, want.mean) << what;
  EXPECT_EQ(got.median, want.median) << what;
  EXPECT_EQ(got.p90, want.p90) << what;
}

std::vector<Distribution::Run> RunsOf(const std::vector<std::uint32_t>& bins) {
  std::vector<Distribution::Run> runs;
  ForEachOccupied(bins.data(), bins.size(),
                  [&](std::int32_t v, std::int64_t c) { runs.emplace_back(v, c); });
  return runs;
}

TEST(FunnelDistribution, HandComputed) {
  std::vector<std::uint32_t> bins(20, 0);
  bins[1] = bins[2] = bins[3] = bins[4] = 1;  // 1, 2, 3, 4
  const std::vector<Distribution::Run> runs = RunsOf(bins);
  Distribution d;
  d.LoadRuns(runs.data(), runs.data() + runs.size());
  d.Seal();
  FunnelDayStats s = d.Stats();
  EXPECT_EQ(s.count, 4);
  EXPECT_DOUBLE_EQ(*s.mean, 2.5);
  EXPECT_DOUBLE_EQ(*s.median, 2.5);  // between 2 and 3
  EXPECT_DOUBLE_EQ(*s.p90, 3.7);     // position 2.7: 3 + 0.7 x (4 - 3)
  // A value below 0 and one past the bins (overflow runs), one spill into bin 2.
  d.LoadRuns(runs.data(), runs.data() + runs.size());
  d.AddRun(40, 1);
  d.AddRun(-3, 1);
  d.AddRun(2, 2);  // 2 now counted three times
  d.Seal();
  s = d.Stats();   // -3, 1, 2, 2, 2, 3, 4, 40
  EXPECT_EQ(s.count, 8);
  EXPECT_DOUBLE_EQ(*s.median, 2.0);
  EXPECT_DOUBLE_EQ(*s.p90, 4 + 0.3 * 36);  // position 6.3
  EXPECT_DOUBLE_EQ(*s.mean, 51.0 / 8);
  Distribution empty;
  empty.Reset(16);
  empty.Seal();
  EXPECT_EQ(empty.Stats().count, 0);
  EXPECT_FALSE(empty.Stats().median.has_value());
}

// A group's values: mostly inside [0, width), some below 0 or past it (the
// overflow list), some inside given as overflow runs (a bin's spill).
struct Group {
  std::vector<std::uint32_t> bins;
  std::vector<Distribution::Run> overflow;
  std::vector<std::int32_t> values;  // every value, for the reference
};

Group RandomGroup(std::mt19937_64& rng, std::size_t width, int n) {
  Group g;
  g.bins.assign(width, 0);
  std::uniform_int_distribution<int> kind(0, 19);
  const int spread = std::uniform_int_distribution<int>(1, static_cast<int>(width))(rng);
  for (int i = 0; i < n; ++i) {
    const int k = kind(rng);
    std::int32_t v;
    if (k == 0) {
      v = -std::uniform_int_distribution<std::int32_t>(1, 400)(rng);
      g.overflow.emplace_back(v, 1);
    } else if (k == 1) {
      v = static_cast<std::int32_t>(width) + std::uniform_int_distribution<std::int32_t>(0, 3000)(rng);
      g.overflow.emplace_back(v, 1);
    } else if (k == 2) {
      v = std::uniform_int_distribution<std::int32_t>(0, spread - 1)(rng);
      g.overflow.emplace_back(v, 1);
    } else {
      v = std::uniform_int_distribution<std::int32_t>(0, spread - 1)(rng);
      ++g.bins[static_cast<std::size_t>(v)];
    }
    g.values.push_back(v);
  }
  std::shuffle(g.overflow.begin(), g.overflow.end(), rng);  // the finisher sorts by slot only
  return g;
}

TEST(FunnelDistribution, RandomGroupsMatchASort) {
  int seeds = 300;
  if (const char* env = std::getenv("SALESIGHT_FUNNEL_DISTRIBUTION_SEEDS")) seeds = std::atoi(env);
  const std::size_t widths[] = {1, 7, 16, 33, 64, 256};
  for (int seed = 0; seed < seeds; ++seed) {
    std::mt19937_64 rng(static_cast<std::uint64_t>(seed) * 7919 + 3);
    const std::size_t width = widths[static_cast<std::size_t>(seed) % std::size(widths)];
    // 0, 1, a few and many values per group; several groups for the overall row.
    const int sizes[] = {0, 1, 2, 3, std::uniform_int_distribution<int>(4, 12)(rng),
                         std::uniform_int_distribution<int>(100, 3000)(rng)};
    const int groups = std::uniform_int_distribution<int>(1, 6)(rng);
    // Three overall rows of the same values: dense over the bins only
    // (Reset(width)); over a random range around them (values on both sides
    // of it, sorted with the dense ones); over OverallDenseRange of every
    // overflow value, as the finisher chooses (below: all groups known).
    Distribution overall, around, chosen;
    overall.Reset(width);
    const std::int32_t around_lo = -std::uniform_int_distribution<std::int32_t>(0, 500)(rng);
    around.Reset(around_lo, width - static_cast<std::size_t>(around_lo) +
                                std::uniform_int_distribution<std::size_t>(0, 3000)(rng));
    std::vector<Group> made;
    std::vector<std::int32_t> all;
    for (int gi = 0; gi < groups; ++gi) {
      const int n = sizes[std::uniform_int_distribution<std::size_t>(0, std::size(sizes) - 1)(rng)];
      const Group g = RandomGroup(rng, width, n);
      const std::string what = "seed " + std::to_string(seed) + " group " + std::to_string(gi) +
                               " of " + std::to_string(n) + " values, width " +
                               std::to_string(width);
      const std::vector<Distribution::Run> runs = RunsOf(g.bins);
      Distribution d;
      d.LoadRuns(runs.data(), runs.data() + runs.size());
      for (const auto& [v, c] : g.overflow) d.AddRun(v, c);
      d.Seal();
      ExpectSame(d.Stats(), SortedStats(g.values), what);
      for (Distribution* o : {&overall, &around}) {
        o->AccumulateRuns(runs.data(), runs.data() + runs.size());
        for (const auto& [v, c] : g.overflow) o->AddRun(v, c);
      }
      all.insert(all.end(), g.values.begin(), g.values.end());
      made.push_back(g);
      if (testing::Test::HasFailure()) return;
    }
    std::int64_t entries = 0;
    std::int32_t min = INT32_MAX, max = INT32_MIN;
    for (const Group& g : made) {
      for (const auto& [v, c] : g.overflow) {
        ++entries;
        min = std::min(min, v);
        max = std::max(max, v);
      }
    }
    const DenseRange r = OverallDenseRange(static_cast<std::int64_t>(width), entries, min, max);
    ASSERT_LE(r.lo, 0);
    ASSERT_GE(r.hi, static_cast<std::int64_t>(width));
    chosen.Reset(static_cast<std::int32_t>(r.lo), static_cast<std::size_t>(r.hi - r.lo));
    for (const Group& g : made) {
      const std::vector<Distribution::Run> runs = RunsOf(g.bins);
      chosen.AccumulateRuns(runs.data(), runs.data() + runs.size());
      for (const auto& [v, c] : g.overflow) chosen.AddRun(v, c);
    }
    const FunnelDayStats want = SortedStats(all);
    overall.Seal();
    around.Seal();
    chosen.Seal();
    ExpectSame(overall.Stats(), want, "seed " + std::to_string(seed) + " overall");
    ExpectSame(around.Stats(), want, "seed " + std::to_string(seed) + " overall, range around");
    ExpectSame(chosen.Stats(), want, "seed " + std::to_string(seed) + " overall, chosen range");
    if (testing::Test::HasFailure()) return;
  }
}

// The overall row's dense range: the bins, widened over the overflow values
// while they are dense enough: exactly at kDensePerEntry counters per entry
// it widens, one counter past it it does not; never past kMaxDenseWidening.
TEST(FunnelDistribution, OverallDenseRangeThreshold) {
  auto same = [](DenseRange a, std::int64_t lo, std::int64_t hi) {
    return a.lo == lo && a.hi == hi;
  };
  EXPECT_TRUE(same(OverallDenseRange(16, 0, 0, 0), 0, 16));  // no overflow value
  EXPECT_TRUE(same(OverallDenseRange(16, 1, 3, 3), 0, 16));   // inside the bins (a spill)
  // 2 entries: up to 32 counters.
  EXPECT_TRUE(same(OverallDenseRange(16, 2, 20, 31), 0, 32));
  EXPECT_TRUE(same(OverallDenseRange(16, 2, 20, 32), 0, 16));
  EXPECT_TRUE(same(OverallDenseRange(16, 2, -16, 15), -16, 16));
  EXPECT_TRUE(same(OverallDenseRange(16, 2, -17, 15), 0, 16));
  EXPECT_TRUE(same(OverallDenseRange(0, 3, -5, 40), -5, 41));
  EXPECT_TRUE(same(OverallDenseRange(0, 3, -5, 42), -5, 43));  // 48 = 16 x 3 counters
  EXPECT_TRUE(same(OverallDenseRange(0, 3, -5, 43), 0, 0));
  // Many entries: the widening stops at kMaxDenseWidening counters.
  EXPECT_TRUE(same(OverallDenseRange(256, 1 << 20, 0, 255 + (1 << 20)), 0, 256 + (1 << 20)));
  EXPECT_TRUE(same(OverallDenseRange(256, 1 << 20, 0, 256 + (1 << 20)), 0, 256));
  EXPECT_TRUE(same(OverallDenseRange(16, 1 << 28, INT32_MIN, INT32_MAX), 0, 16));
}

// Every occupied bin once, ascending, whatever the width (blocks of 16 and
// a tail) and wherever the occupied bins sit.
TEST(FunnelDistribution, ForEachOccupiedVisitsEveryBin) {
  std::mt19937_64 rng(5);
  for (std::size_t width : {0u, 1u, 15u, 16u, 17u, 100u, 256u}) {
    for (int trial = 0; trial < 20; ++trial) {
      std::vector<std::uint32_t> bins(width, 0);
      std::vector<Distribution::Run> want;
      for (std::size_t v = 0; v < width; ++v) {
        if (std::uniform_int_distribution<int>(0, 9)(rng) == 0) {
          bins[v] = std::uniform_int_distribution<std::uint32_t>(1, 4000000000u)(rng);
          want.emplace_back(static_cast<std::int32_t>(v), bins[v]);
        }
      }
      EXPECT_EQ(RunsOf(bins), want) << "width " << width;
    }
  }
}

}  // namespace
}  // namespace salesight::internal
