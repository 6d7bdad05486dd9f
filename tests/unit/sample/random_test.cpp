// The sample generator's portable random numbers: known answers, a plain
// reference implementation, and the moments of each transform.
#include "sample/internal/random.hpp"

#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

#include "gtest/gtest.h"

namespace salesight::sample_internal {
namespace {

TEST(SampleRandomTest, SplitMix64KnownAnswers) {
  // Published first outputs of splitmix64 from state 0 (Vigna's splitmix64.c).
  std::uint64_t state = 0;
  EXPECT_EQ(SplitMix64(state), 0xe220a8397b1dcdafULL);
  EXPECT_EQ(SplitMix64(state), 0x6e789e6aa1b965f4ULL);
  EXPECT_EQ(SplitMix64(state), 0x06c45d188009454fULL);
}

TEST(SampleRandomTest, XoshiroKnownAnswersByHand) {
  // State {1, 2, 3, 4}: result = rotl(s1 * 5, 7) * 9 = rotl(10, 7) * 9 = 1280 * 9 = 11520.
  // Then s2 ^= s0 -> 2, s3 ^= s1 -> 6, s1 ^= s2 -> 0, s0 ^= s3 -> 7: next result
  // rotl(0 * 5, 7) * 9 = 0.
  Rng rng = Rng::FromState(1, 2, 3, 4);
  EXPECT_EQ(rng.Next(), 11520u);
  EXPECT_EQ(rng.Next(), 0u);
}

// xoshiro256** written plainly from the paper, to compare long sequences.
struct ReferenceXoshiro {
  std::uint64_t s[4];
  static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  std::uint64_t next() {
    std::uint64_t result = rotl(s[1] * 5, 7) * 9;
    std::uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
  }
};

TEST(SampleRandomTest, MatchesReferenceXoshiroSeededBySplitMix) {
  for (std::uint64_t key : {0ULL, 1ULL, 20240930ULL, 0xffffffffffffffffULL}) {
    ReferenceXoshiro ref;
    std::uint64_t sm = key;
    for (auto& w : ref.s) w = SplitMix64(sm);
    Rng rng(key);
    for (int i = 0; i < 1000; ++i) ASSERT_EQ(rng.Next(), ref.next()) << "key " << key << " i " << i;
  }
}

TEST(SampleRandomTest, StreamsDifferBySeedTagAndBlock) {
  const std::uint64_t base = StreamKey(7, 1, 0);
  EXPECT_NE(base, StreamKey(8, 1, 0));
  EXPECT_NE(base, StreamKey(7, 2, 0));
  EXPECT_NE(base, StreamKey(7, 1, 1));
  EXPECT_EQ(base, StreamKey(7, 1, 0));
}

// Our Log/Exp against libm: both are within an ulp of the true value, so they
// may differ by at most 2 ulps.
double UlpDistance(double a, double b) {
  if (a == b) return 0.0;
  const double ulp =
      std::nextafter(std::fabs(b), std::numeric_limits<double>::infinity()) - std::fabs(b);
  return std::fabs(a - b) / ulp;
}

TEST(SampleRandomTest, LogAndExpAgreeWithLibmWithinTwoUlps) {
  Rng rng(12345);
  for (int i = 0; i < 200000; ++i) {
    const double x = std::ldexp(1.0 + rng.Uniform(), static_cast<int>(rng.Below(200)) - 100);
    ASSERT_LE(UlpDistance(Log(x), std::log(x)), 2.0) << x;
    const double y = rng.Uniform(-700.0, 700.0);
    ASSERT_LE(UlpDistance(Exp(y), std::exp(y)), 2.0) << y;
  }
  EXPECT_EQ(Log(1.0), 0.0);
  EXPECT_EQ(Exp(0.0), 1.0);
  EXPECT_EQ(Exp(-800.0), 0.0);
  EXPECT_TRUE(std::isinf(Exp(800.0)));
  EXPECT_NEAR(Pow(2.0, 10.0), 1024.0, 1e-9);
}

TEST(SampleRandomTest, UniformRangesAndBelow) {
  Rng rng(99);
  std::vector<int> counts(7, 0);
  for (int i = 0; i < 70000; ++i) {
    const double u = rng.Uniform();
    ASSERT_GE(u, 0.0);
    ASSERT_LT(u, 1.0);
    const double p = rng.UniformPositive();
    ASSERT_GT(p, 0.0);
    ASSERT_LE(p, 1.0);
    const std::uint32_t b = rng.Below(7);
    ASSERT_LT(b, 7u);
    ++counts[b];
  }
  for (int c : counts) EXPECT_NEAR(c, 10000, 500);  // sd ~ 93
}

struct Moments {
  double mean = 0, var = 0;
};
template <typename F>
Moments Sample(int n, F draw) {
  double s = 0, s2 = 0;
  for (int i = 0; i < n; ++i) {
    const double x = draw();
    s += x;
    s2 += x * x;
  }
  Moments m;
  m.mean = s / n;
  m.var = s2 / n - m.mean * m.mean;
  return m;
}

TEST(SampleRandomTest, NormalMoments) {
  Rng rng(5);
  const Moments m = Sample(400000, [&] { return rng.Normal(); });
  EXPECT_NEAR(m.mean, 0.0, 0.01);  // se 0.0016
  EXPECT_NEAR(m.var, 1.0, 0.015);
}

TEST(SampleRandomTest, GammaMoments) {
  // Gamma(k, theta): mean k theta, variance k theta^2.
  for (double shape : {0.5, 1.0, 1.5, 2.0, 4.0}) {
    Rng rng(11);
    const double scale = 3.0;
    const Moments m = Sample(300000, [&] { return rng.Gamma(shape, scale); });
    EXPECT_NEAR(m.mean, shape * scale, 0.02 * shape * scale) << shape;
    EXPECT_NEAR(m.var, shape * scale * scale, 0.05 * shape * scale * scale) << shape;
  }
}

TEST(SampleRandomTest, LogNormalAndExponentialMoments) {
  Rng rng(13);
  // lognormal(0, 0.5): mean e^(0.125) = 1.1331.
  const Moments ln = Sample(300000, [&] { return rng.LogNormal(0.0, 0.5); });
  EXPECT_NEAR(ln.mean, std::exp(0.125), 0.01);
  const Moments ex = Sample(300000, [&] { return rng.Exponential(4.5); });
  EXPECT_NEAR(ex.mean, 4.5, 0.05);
  EXPECT_NEAR(ex.var, 4.5 * 4.5, 0.5);
}

TEST(SampleRandomTest, AliasTableFrequenciesMatchWeights) {
  // Weights 1, 2, 3, 4, 0, 10 (total 20): probabilities .05 .10 .15 .20 0 .50.
  const std::vector<double> w = {1, 2, 3, 4, 0, 10};
  AliasTable table(w);
  Rng rng(3);
  std::vector<int> counts(w.size(), 0);
  const int n = 400000;
  for (int i = 0; i < n; ++i) ++counts[static_cast<std::size_t>(table.Draw(rng))];
  for (std::size_t i = 0; i < w.size(); ++i) {
    const double p = w[i] / 20.0;
    const double se = std::sqrt(p * (1 - p) / n);
    EXPECT_NEAR(counts[i] / static_cast<double>(n), p, 5 * se + 1e-9) << i;
  }
  EXPECT_EQ(counts[4], 0);
}

TEST(SampleRandomTest, AliasTableOnRandomWeightsAgainstCumulativeSearch) {
  // Reference: probability of i = w_i / sum; compare empirical frequencies.
  for (std::uint64_t seed = 1; seed <= 5; ++seed) {
    Rng wr(seed);
    std::vector<double> w(50);
    for (double& x : w) x = wr.Uniform() < 0.2 ? 0.0 : wr.Exponential(1.0);
    double total = 0;
    for (double x : w) total += x;
    AliasTable table(w);
    Rng rng(seed + 100);
    std::vector<int> counts(w.size(), 0);
    const int n = 200000;
    for (int i = 0; i < n; ++i) ++counts[static_cast<std::size_t>(table.Draw(rng))];
    for (std::size_t i = 0; i < w.size(); ++i) {
      const double p = w[i] / total;
      const double se = std::sqrt(p * (1 - p) / n);
      EXPECT_NEAR(counts[i] / static_cast<double>(n), p, 5 * se + 1e-9) << seed << " " << i;
      if (w[i] == 0.0) {
        EXPECT_EQ(counts[i], 0);
      }
    }
  }
}

TEST(SampleRandomTest, PermutationIsAPermutation) {
  Rng rng(1);
  const std::vector<std::int32_t> p = RandomPermutation(1000, rng);
  std::vector<int> seen(1000, 0);
  for (std::int32_t x : p) ++seen[static_cast<std::size_t>(x)];
  for (int s : seen) EXPECT_EQ(s, 1);
  int fixed = 0;
  for (std::int32_t i = 0; i < 1000; ++i) fixed += p[static_cast<std::size_t>(i)] == i;
  EXPECT_LT(fixed, 10);  // a shuffle, not the identity (expected 1 fixed point)
}

}  // namespace
}  // namespace salesight::sample_internal
