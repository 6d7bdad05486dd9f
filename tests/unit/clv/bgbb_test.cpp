// BG/BB: the likelihood against its definition summed plainly (no logs),
// the gradient against finite differences, the donations fit of Fader,
// Hardie & Shang (2010), and the expectations against their sum form.
#include "salesight/clv/bgbb.hpp"

#include <cmath>
#include <fstream>
#include <random>
#include <sstream>
#include <string>

#include "clv/clv_test_util.hpp"
#include "gtest/gtest.h"

namespace salesight::clv {
namespace {

double Beta(double a, double b) { return std::tgamma(a) * std::tgamma(b) / std::tgamma(a + b); }

// The likelihood from its story: alive through n with p^x (1-p)^(n-x), or
// dead after opportunity t_x + i (i = 0..n-t_x-1), each averaged over the betas.
double PlainLikelihood(const BgBbParams& p, int x, int tx, int n) {
  double l = Beta(p.alpha + x, p.beta + n - x) / Beta(p.alpha, p.beta) *
             Beta(p.gamma, p.delta + n) / Beta(p.gamma, p.delta);
  for (int i = 0; i < n - tx; ++i) {
    l += Beta(p.alpha + x, p.beta + tx - x + i) / Beta(p.alpha, p.beta) *
         Beta(p.gamma + 1, p.delta + tx + i) / Beta(p.gamma, p.delta);
  }
  return l;
}

CustomerSummary RandomPatterns(std::mt19937_64& rng, int rows, int n) {
  CustomerSummary s;
  std::uniform_int_distribution<int> d(0, n);
  for (int i = 0; i < rows; ++i) {
    const int tx = d(rng);
    const int x = tx == 0 ? 0 : 1 + d(rng) % tx;
    s.frequency.push_back(x);
    s.recency.push_back(tx);
    s.T.push_back(n);
  }
  return s;
}

TEST(BgBb, LikelihoodAndGradientOnRandomPatterns) {
  for (std::uint64_t seed = 1; seed <= 20; ++seed) {
    std::mt19937_64 rng(seed);
    std::uniform_real_distribution<double> u(0.3, 3.0);
    const BgBbParams p{u(rng), u(rng), u(rng), u(rng)};
    const CustomerSummary s = RandomPatterns(rng, 30, 8);
    double plain = 0;
    for (std::size_t i = 0; i < s.size(); ++i) {
      plain += std::log(PlainLikelihood(p, static_cast<int>(s.frequency[i]),
                                        static_cast<int>(s.recency[i]), static_cast<int>(s.T[i])));
    }
    double grad[4];
    absl::StatusOr<double> ll = BgBbLogLikelihood(p, s, grad);
    ASSERT_TRUE(ll.ok()) << ll.status();
    EXPECT_NEAR(*ll, plain, 1e-10 * std::fabs(plain)) << seed;
    const double q[4] = {p.alpha, p.beta, p.gamma, p.delta};
    for (int j = 0; j < 4; ++j) {
      double up[4] = {q[0], q[1], q[2], q[3]}, down[4] = {q[0], q[1], q[2], q[3]};
      const double h = 1e-6 * q[j];
      up[j] += h;
      down[j] -= h;
      const double fd = (*BgBbLogLikelihood({up[0], up[1], up[2], up[3]}, s) -
                         *BgBbLogLikelihood({down[0], down[1], down[2], down[3]}, s)) / (2 * h);
      EXPECT_NEAR(grad[j], fd, 1e-6 * (1 + std::fabs(fd))) << seed << " " << j;
    }
  }
}

TEST(BgBb, ExpectationsMatchTheirSumForm) {
  const BgBbParams p{1.204, 0.750, 0.657, 2.783};
  for (int x = 0; x <= 6; ++x) {
    for (int tx = x; tx <= 6; ++tx) {
      if (x == 0 && tx > 0) break;
      const double l = PlainLikelihood(p, x, tx, 6);
      // P(alive at 7) and sum_{k=1..5} E[p] P(alive at 6+k), both given the data.
      const double alive = Beta(p.alpha + x, p.beta + 6 - x) / Beta(p.alpha, p.beta) *
                           Beta(p.gamma, p.delta + 7) / Beta(p.gamma, p.delta) / l;
      double expected = 0;
      for (int k = 1; k <= 5; ++k) {
        expected += Beta(p.alpha + x + 1, p.beta + 6 - x) / Beta(p.alpha, p.beta) *
                    Beta(p.gamma, p.delta + 6 + k) / Beta(p.gamma, p.delta) / l;
      }
      EXPECT_NEAR(*BgBbProbabilityAlive(p, x, tx, 6), alive, 1e-12) << x << " " << tx;
      EXPECT_NEAR(*BgBbConditionalExpectedPurchases(p, 5, x, tx, 6), expected, 1e-12) << x << " " << tx;
    }
  }
}

TEST(BgBb, BadPatternsNameTheRow) {
  CustomerSummary s;
  s.frequency = {1, 3};
  s.recency = {2, 2};
  s.T = {6, 6};
  absl::StatusOr<FitResult> fit = FitBgBb(s);
  ASSERT_FALSE(fit.ok());
  EXPECT_NE(fit.status().message().find("customer row 2"), std::string::npos) << fit.status();
}

// Fader, Hardie & Shang (2010), the 1995 donor cohort, 6 opportunities:
// alpha = 1.204, beta = 0.750, gamma = 0.657, delta = 2.783, LL = -33,225.6.
TEST(BgBb, ReproducesThePublishedDonationsFit) {
  std::ifstream in(std::string(SALESIGHT_CDNOW_DIR) + "/donations.csv");
  ASSERT_TRUE(in.good());
  CustomerSummary s;
  std::string line;
  std::getline(in, line);
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    std::stringstream ss(line);
    std::string f, r, n, w;
    std::getline(ss, f, ',');
    std::getline(ss, r, ',');
    std::getline(ss, n, ',');
    std::getline(ss, w, ',');
    s.frequency.push_back(std::stod(f));
    s.recency.push_back(std::stod(r));
    s.T.push_back(std::stod(n));
    s.weight.push_back(std::stod(w));
  }
  absl::StatusOr<FitResult> fit = FitBgBb(s);
  ASSERT_TRUE(fit.ok()) << fit.status();
  EXPECT_EQ(fit->weight_sum, 11104.0);
  const BgBbParams p = BgBbFromFit(*fit);
  EXPECT_NEAR(p.alpha, 1.204, 0.0005);
  EXPECT_NEAR(p.beta, 0.750, 0.0005);
  EXPECT_NEAR(p.gamma, 0.657, 0.0005);
  EXPECT_NEAR(p.delta, 2.783, 0.0005);
  EXPECT_NEAR(fit->log_likelihood, -33225.6, 0.05);
}

}  // namespace
}  // namespace salesight::clv
