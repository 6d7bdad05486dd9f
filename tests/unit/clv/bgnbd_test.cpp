// BG/NBD: the likelihood by hand, its gradient against finite differences,
// the fit and the predictions against Fader, Hardie & Lee (2005) on CDNOW.
#include "salesight/clv/bgnbd.hpp"

#include <cmath>
#include <random>
#include <vector>

#include "clv/clv_test_util.hpp"
#include "gtest/gtest.h"

namespace salesight::clv {
namespace {

// The paper's eq. 6 written with std::tgamma/beta, no logs.
double PlainLikelihood(const BgNbdParams& p, double x, double tx, double T) {
  auto beta = [](double u, double v) { return std::tgamma(u) * std::tgamma(v) / std::tgamma(u + v); };
  const double g = std::tgamma(p.r + x) * std::pow(p.alpha, p.r) / std::tgamma(p.r);
  double l = beta(p.a, p.b + x) / beta(p.a, p.b) * g / std::pow(p.alpha + T, p.r + x);
  if (x > 0) l += beta(p.a + 1, p.b + x - 1) / beta(p.a, p.b) * g / std::pow(p.alpha + tx, p.r + x);
  return l;
}

TEST(BgNbdLikelihood, HandComputedCustomers) {
  const BgNbdParams p{0.5, 2.0, 0.8, 2.5};
  // x = 0, T = 6: L = (2/8)^0.5 = 0.5 (B(a, b)/B(a, b) = 1).
  EXPECT_NEAR(BgNbdCustomerLogLikelihood(p, 0, 0, 6), std::log(0.5), 1e-14);
  // x = 1, t_x = 2, T = 6: G(1.5)/G(0.5) = 0.5, alpha^r = sqrt 2;
  // B(0.8, 3.5)/B(0.8, 2.5) = 2.5/3.3; B(1.8, 2.5)/B(0.8, 2.5) = 0.8/3.3.
  const double g = 0.5 * std::sqrt(2.0);
  const double want = 2.5 / 3.3 * g / std::pow(8.0, 1.5) + 0.8 / 3.3 * g / std::pow(4.0, 1.5);
  EXPECT_NEAR(BgNbdCustomerLogLikelihood(p, 1, 2, 6), std::log(want), 1e-13);
}

TEST(BgNbdLikelihood, MatchesPlainFormulaOnRandomCustomers) {
  for (std::uint64_t seed = 1; seed <= 20; ++seed) {
    std::mt19937_64 rng(seed);
    std::uniform_real_distribution<double> u(0.1, 3.0);
    const BgNbdParams p{u(rng), u(rng) * 3, u(rng), u(rng) * 2};
    const CustomerSummary s = clv_test::RandomSummary(rng, 300, 10);
    double plain = 0;
    for (std::size_t i = 0; i < s.size(); ++i) {
      plain += std::log(PlainLikelihood(p, s.frequency[i], s.recency[i], s.T[i]));
    }
    absl::StatusOr<double> ll = BgNbdLogLikelihood(p, s);
    ASSERT_TRUE(ll.ok()) << ll.status();
    EXPECT_NEAR(*ll, plain, 1e-9 * std::fabs(plain)) << "seed " << seed;
  }
}

TEST(BgNbdLikelihood, GradientMatchesFiniteDifferences) {
  for (std::uint64_t seed = 1; seed <= 20; ++seed) {
    std::mt19937_64 rng(seed);
    std::uniform_real_distribution<double> u(0.2, 3.0);
    const CustomerSummary s = clv_test::RandomSummary(rng, 200, 8);
    double p[4] = {u(rng), u(rng) * 3, u(rng), u(rng) * 2};
    double grad[4];
    ASSERT_TRUE(BgNbdLogLikelihood({p[0], p[1], p[2], p[3]}, s, grad).ok());
    for (int j = 0; j < 4; ++j) {
      const double h = 1e-6 * p[j];
      double q[4] = {p[0], p[1], p[2], p[3]};
      q[j] = p[j] + h;
      const double up = *BgNbdLogLikelihood({q[0], q[1], q[2], q[3]}, s);
      q[j] = p[j] - h;
      const double down = *BgNbdLogLikelihood({q[0], q[1], q[2], q[3]}, s);
      const double fd = (up - down) / (2 * h);
      EXPECT_NEAR(grad[j], fd, 1e-6 * (1 + std::fabs(fd))) << "seed " << seed << " param " << j;
    }
  }
}

// Fader, Hardie & Lee (2005): r = 0.243, alpha = 4.414, a = 0.793,
// b = 2.426, LL = -9582.4 on the 2,357 CDNOW customers.
TEST(BgNbdCdnow, ReproducesThePublishedFit) {
  const CustomerSummary s = clv_test::LoadCdnowSummary();
  ASSERT_EQ(s.size(), 2357u);
  absl::StatusOr<FitResult> fit = FitBgNbd(s);
  ASSERT_TRUE(fit.ok()) << fit.status();
  EXPECT_EQ(fit->status, FitStatus::kConverged) << DescribeConvergence(*fit);
  EXPECT_LE(fit->gradient_norm, 1e-8);
  const BgNbdParams p = BgNbdFromFit(*fit);
  EXPECT_NEAR(p.r, 0.243, 0.0005);
  EXPECT_NEAR(p.alpha, 4.414, 0.0005);
  EXPECT_NEAR(p.a, 0.793, 0.0005);
  EXPECT_NEAR(p.b, 2.426, 0.0005);
  EXPECT_NEAR(fit->log_likelihood, -9582.4, 0.05);
  EXPECT_EQ(fit->weight_sum, 2357.0);
  ASSERT_EQ(fit->standard_errors.size(), 4u) << fit->hessian_message;
  for (double se : fit->standard_errors) EXPECT_GT(se, 0);
  // E[Y(39) | x = 2, t_x = 30.43, T = 38.86] = 1.226 (the paper's example).
  absl::StatusOr<double> e = BgNbdConditionalExpectedPurchases(p, 39, 2, 30.43, 38.86);
  ASSERT_TRUE(e.ok()) << e.status();
  EXPECT_NEAR(*e, 1.226, 0.0005);
  // E[X(t)] at the paper's tracking points.
  const double t[] = {0.1429, 1, 3, 31.8571, 32, 78};
  const double want[] = {0.0078, 0.0532, 0.1506, 1.0405, 1.0437, 1.8576};
  for (int i = 0; i < 6; ++i) {
    absl::StatusOr<double> ex = BgNbdExpectedPurchases(p, t[i]);
    ASSERT_TRUE(ex.ok());
    // The sheet behind these numbers (Hardie's, as lifetimes tests them) agrees
    // to 4 decimals up to t = 32; at t = 78 to 3 (1.8580 here, 0.0004 off).
    EXPECT_NEAR(*ex, want[i], t[i] < 40 ? 0.00005 : 0.0005) << "t = " << t[i] << " got " << *ex;
  }
}

// P(X(t) = n) is a distribution whose mean is E[X(t)]; P(alive) by hand.
TEST(BgNbdPredict, ProbabilitiesSumToOneWithTheExpectedMean) {
  for (std::uint64_t seed = 1; seed <= 10; ++seed) {
    std::mt19937_64 rng(seed);
    std::uniform_real_distribution<double> u(0.2, 3.0);
    BgNbdParams p{u(rng), u(rng) * 3, u(rng) + 1.1, u(rng) * 2};  // a > 1: a finite mean
    const double t = u(rng) * 10;
    double total = 0, mean = 0;
    for (int n = 0; n < 3000; ++n) {
      absl::StatusOr<double> pn = BgNbdProbabilityOfPurchases(p, t, n);
      ASSERT_TRUE(pn.ok()) << pn.status();
      ASSERT_GE(*pn, 0);
      total += *pn;
      mean += n * *pn;
    }
    EXPECT_NEAR(total, 1.0, 1e-9) << "seed " << seed;
    EXPECT_NEAR(mean, *BgNbdExpectedPurchases(p, t), 1e-6) << "seed " << seed;
  }
}

TEST(BgNbdPredict, ProbabilityAliveByHand) {
  const BgNbdParams p{0.5, 2.0, 0.8, 2.5};
  EXPECT_EQ(*BgNbdProbabilityAlive(p, 0, 0, 10), 1.0);
  // x = 1, t_x = 2, T = 6: 1 / (1 + 0.8/2.5 * (8/4)^1.5).
  EXPECT_NEAR(*BgNbdProbabilityAlive(p, 1, 2, 6), 1.0 / (1.0 + 0.32 * std::pow(2.0, 1.5)), 1e-15);
  // Extreme frequency: no overflow, no NaN, and next to no chance of being alive.
  absl::StatusOr<double> extreme = BgNbdProbabilityAlive(p, 1e6, 1, 40);
  ASSERT_TRUE(extreme.ok());
  EXPECT_EQ(*extreme, 0.0);
  absl::StatusOr<double> e = BgNbdConditionalExpectedPurchases(p, 39, 5000, 40, 40);
  ASSERT_TRUE(e.ok()) << e.status();
  EXPECT_TRUE(std::isfinite(*e));
  EXPECT_GT(*e, 1000);
}

TEST(BgNbdPredict, ConditionalOfANewCustomerIsTheUnconditional) {
  // x = 0, T = 0: nothing observed, so E[Y(t) | 0, 0, 0] = E[X(t)].
  const BgNbdParams p{0.243, 4.414, 0.793, 2.426};
  for (double t : {1.0, 10.0, 39.0, 200.0}) {
    EXPECT_NEAR(*BgNbdConditionalExpectedPurchases(p, t, 0, 0, 0), *BgNbdExpectedPurchases(p, t),
                1e-12);
  }
}

TEST(BgNbdCdnow, SameFitForAnyThreadCount) {
  const CustomerSummary s = clv_test::LoadCdnowSummary();
  FitOptions o;
  o.num_threads = 1;
  absl::StatusOr<FitResult> one = FitBgNbd(s, o);
  o.num_threads = 3;
  absl::StatusOr<FitResult> three = FitBgNbd(s, o);
  ASSERT_TRUE(one.ok() && three.ok());
  EXPECT_EQ(one->params, three->params);
  EXPECT_EQ(one->log_likelihood, three->log_likelihood);
}

// Many blocks: the sums are bit-identical for 1, 2 and 3 threads.
TEST(BgNbdLikelihood, BitIdenticalForAnyThreadCount) {
  std::mt19937_64 rng(7);
  const CustomerSummary s = clv_test::RandomSummary(rng, 10 * kFitBlock + 123, 20);
  const BgNbdParams p{0.3, 4.0, 0.8, 2.4};
  double g1[4], g2[4], g3[4];
  const double l1 = *BgNbdLogLikelihood(p, s, g1, 1);
  const double l2 = *BgNbdLogLikelihood(p, s, g2, 2);
  const double l3 = *BgNbdLogLikelihood(p, s, g3, 3);
  EXPECT_EQ(l1, l2);
  EXPECT_EQ(l1, l3);
  for (int j = 0; j < 4; ++j) {
    EXPECT_EQ(g1[j], g2[j]);
    EXPECT_EQ(g1[j], g3[j]);
  }
}

}  // namespace
}  // namespace salesight::clv
