// Gamma-Gamma: by hand, gradient vs finite differences, Fader & Hardie's
// CDNOW fit; expected spend and the discounted CLV by hand.
#include "salesight/clv/gamma_gamma.hpp"

#include <cmath>
#include <random>

#include "clv/clv_test_util.hpp"
#include "gtest/gtest.h"
#include "salesight/clv/value.hpp"

namespace salesight::clv {
namespace {

// One customer's likelihood, plainly: G(px+q) / (G(px) G(q)) gamma^q m^(px-1) x^px / (gamma+mx)^(px+q).
double PlainLikelihood(const GammaGammaParams& g, double x, double m) {
  const double px = g.p * x;
  return std::tgamma(px + g.q) / (std::tgamma(px) * std::tgamma(g.q)) * std::pow(g.gamma, g.q) *
         std::pow(m, px - 1) * std::pow(x, px) / std::pow(g.gamma + m * x, px + g.q);
}

TEST(GammaGamma, LikelihoodMatchesPlainFormula) {
  for (std::uint64_t seed = 1; seed <= 20; ++seed) {
    std::mt19937_64 rng(seed);
    std::uniform_real_distribution<double> u(0.3, 4.0);
    const GammaGammaParams g{u(rng), u(rng), u(rng) * 5};
    CustomerSummary s = clv_test::RandomSummary(rng, 100, 6);
    double plain = 0;
    for (std::size_t i = 0; i < s.size(); ++i) {
      if (s.frequency[i] > 0) plain += std::log(PlainLikelihood(g, s.frequency[i], s.monetary_value[i]));
    }
    double grad[3];
    absl::StatusOr<double> ll = GammaGammaLogLikelihood(g, s, grad);
    ASSERT_TRUE(ll.ok()) << ll.status();
    EXPECT_NEAR(*ll, plain, 1e-9 * std::fabs(plain)) << seed;
    const double p[3] = {g.p, g.q, g.gamma};
    for (int j = 0; j < 3; ++j) {
      double up[3] = {p[0], p[1], p[2]}, down[3] = {p[0], p[1], p[2]};
      const double h = 1e-6 * p[j];
      up[j] += h;
      down[j] -= h;
      const double fd = (*GammaGammaLogLikelihood({up[0], up[1], up[2]}, s) -
                         *GammaGammaLogLikelihood({down[0], down[1], down[2]}, s)) / (2 * h);
      EXPECT_NEAR(grad[j], fd, 1e-6 * (1 + std::fabs(fd))) << seed << " " << j;
    }
  }
}

// Fader & Hardie (2013): p = 6.25, q = 3.74, gamma = 15.44, LL = -4055.9 on
// the 946 CDNOW customers with repeat purchases.
TEST(GammaGamma, ReproducesThePublishedCdnowFit) {
  const CustomerSummary s = clv_test::LoadCdnowSummary();
  absl::StatusOr<FitResult> fit = FitGammaGamma(s);
  ASSERT_TRUE(fit.ok()) << fit.status();
  EXPECT_EQ(fit->weight_sum, 946.0);
  const GammaGammaParams g = GammaGammaFromFit(*fit);
  EXPECT_NEAR(g.p, 6.25, 0.005);
  EXPECT_NEAR(g.q, 3.74, 0.005);
  // zbar is rounded to cents in the shipped file: gamma lands at 15.448
  // (lifetimes tests it to 2 decimals as well).
  EXPECT_NEAR(g.gamma, 15.44, 0.01);
  EXPECT_NEAR(fit->log_likelihood, -4055.9, 0.05);
  ASSERT_EQ(fit->standard_errors.size(), 3u);
}

TEST(GammaGamma, NoRepeatersIsAnError) {
  CustomerSummary s;
  s.frequency = {0, 0, 0};
  s.monetary_value = {0, 0, 0};
  absl::StatusOr<FitResult> fit = FitGammaGamma(s);
  ASSERT_FALSE(fit.ok());
  EXPECT_NE(fit.status().message().find("none of the 3 customer rows has a repeat purchase"),
            std::string::npos)
      << fit.status();
  s.frequency = {0, 2, 0};
  s.monetary_value = {0, -5, 0};
  fit = FitGammaGamma(s);
  ASSERT_FALSE(fit.ok());
  EXPECT_NE(fit.status().message().find("customer row 2: monetary_value -5"), std::string::npos)
      << fit.status();
}

TEST(GammaGamma, ExpectedSpendByHand) {
  const GammaGammaParams g{2.0, 3.0, 10.0};
  // (p gamma + p x m) / (p x + q - 1) = (20 + 2*4*30) / (8 + 2) = 26.
  EXPECT_DOUBLE_EQ(*GammaGammaExpectedSpend(g, 4, 30), 26.0);
  EXPECT_DOUBLE_EQ(*GammaGammaExpectedSpend(g, 0, 0), 10.0);  // p gamma / (q - 1)
  EXPECT_FALSE(GammaGammaExpectedSpend({2.0, 0.5, 10.0}, 1, 5).ok());
}

TEST(CustomerValue, DiscountedCashFlowByHand) {
  // E[Y(t)] = 2t: 2 purchases per period; spend 10, margin 0.5, 10% a period:
  // 0.5 * 10 * (2/1.1 + 2/1.21 + 2/1.331).
  ValueOptions o;
  o.horizon = 3;
  o.discount_rate = 0.1;
  o.margin = 0.5;
  auto linear = [](double t) -> absl::StatusOr<double> { return 2 * t; };
  EXPECT_NEAR(*DiscountedValue(linear, 10, o), 5 * (2 / 1.1 + 2 / 1.21 + 2 / 1.331), 1e-12);
  o.discount_rate = -1;
  EXPECT_FALSE(DiscountedValue(linear, 10, o).ok());
}

TEST(CustomerValue, BatchPredictionsAgreeWithTheScalarOnes) {
  const CustomerSummary s = clv_test::LoadCdnowSummary();
  const BgNbdParams bg{0.2425929, 4.4135319, 0.7928861, 2.4257532};
  const GammaGammaParams gg{6.25, 3.74, 15.44};
  ValueOptions o;
  o.horizon = 12;
  o.period_length = 52.0 / 12;
  o.discount_rate = 0.01;
  o.margin = 0.3;
  absl::StatusOr<BgNbdPredictions> one = PredictBgNbd(bg, s, o, &gg, 1);
  absl::StatusOr<BgNbdPredictions> two = PredictBgNbd(bg, s, o, &gg, 2);
  ASSERT_TRUE(one.ok()) << one.status();
  ASSERT_TRUE(two.ok());
  EXPECT_EQ(one->clv, two->clv);
  o.discount_rate = 0;
  absl::StatusOr<BgNbdPredictions> flat = PredictBgNbd(bg, s, o, &gg, 1);
  ASSERT_TRUE(flat.ok());
  for (std::size_t i = 0; i < s.size(); i += 97) {
    const double x = s.frequency[i], tx = s.recency[i], T = s.T[i];
    EXPECT_DOUBLE_EQ(one->expected_purchases[i], *BgNbdConditionalExpectedPurchases(bg, 52, x, tx, T));
    EXPECT_DOUBLE_EQ(one->p_alive[i], *BgNbdProbabilityAlive(bg, x, tx, T));
    // Without discounting, CLV = margin * spend * E[Y(52)].
    EXPECT_NEAR(flat->clv[i], 0.3 * one->expected_spend[i] * one->expected_purchases[i], 1e-9);
    EXPECT_LT(one->clv[i], flat->clv[i] + 1e-12);
  }
}

}  // namespace
}  // namespace salesight::clv
