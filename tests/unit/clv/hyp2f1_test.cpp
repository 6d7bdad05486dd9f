// 2F1 against closed forms and against the plain series in long double.
#include "clv/internal/hyp2f1.hpp"

#include <cmath>
#include <random>

#include "gtest/gtest.h"

namespace salesight::clv::internal {
namespace {

double Value(const LogValue& v) { return v.sign * std::exp(v.log_abs); }

// The series term by term in long double, no rescaling: fine where the
// terms stay small.
double PlainSeries(double a, double b, double c, double z) {
  long double term = 1, sum = 1;
  for (int n = 0; n < 200000; ++n) {
    term *= (static_cast<long double>(a) + n) * (b + n) / ((c + n) * (n + 1.0L)) * z;
    sum += term;
    if (std::fabs(static_cast<double>(term)) < 1e-22 * std::fabs(static_cast<double>(sum)) && n > 50) break;
  }
  return static_cast<double>(sum);
}

TEST(Hyp2f1, ClosedForms) {
  for (double z : {0.0, 0.1, 0.5, 0.9, 0.99, -0.5}) {
    // 2F1(1, 1; 2; z) = -ln(1 - z) / z.
    const LogValue v = LogHyp2f1(1, 1, 2, z);
    ASSERT_TRUE(v.ok) << z;
    EXPECT_NEAR(Value(v), z == 0 ? 1.0 : -std::log1p(-z) / z, 1e-13) << z;
    // 2F1(a, b; b; z) = (1 - z)^-a.
    EXPECT_NEAR(LogHyp2f1(2.5, 1.7, 1.7, z).log_abs, -2.5 * std::log1p(-z), 1e-12) << z;
    // 2F1(1/2, 1/2; 3/2; z^2) = asin(z) / z.
    if (z > 0) {
      EXPECT_NEAR(Value(LogHyp2f1(0.5, 0.5, 1.5, z * z)), std::asin(z) / z, 1e-13) << z;
    }
  }
  // A terminating series: 2F1(-2, b; c; z) = 1 - 2bz/c + b(b+1)z^2/(c(c+1)).
  EXPECT_NEAR(Value(LogHyp2f1(-2, 3, 4, 0.5)), 1 - 2 * 3 * 0.5 / 4 + 3 * 4 * 0.25 / 20, 1e-15);
}

TEST(Hyp2f1, MatchesPlainSeriesOnRandomArguments) {
  for (std::uint64_t seed = 1; seed <= 200; ++seed) {
    std::mt19937_64 rng(seed);
    std::uniform_real_distribution<double> u(0.0, 1.0);
    const double a = 0.05 + 20 * u(rng), b = 0.05 + 20 * u(rng), c = 0.05 + 30 * u(rng);
    const double z = 0.95 * u(rng);
    const LogValue v = LogHyp2f1(a, b, c, z);
    ASSERT_TRUE(v.ok) << seed;
    const double plain = PlainSeries(a, b, c, z);
    EXPECT_NEAR(Value(v) / plain, 1.0, 1e-12) << "seed " << seed;
  }
}

// Large parameters (thousands of purchases): terms near e^1000 overflow a
// double; the log-space sum does not. 2F1(a, b; b; z) = (1 - z)^-a again.
TEST(Hyp2f1, HugeTermsInLogSpace) {
  const LogValue v = LogHyp2f1(5000.3, 2.2, 2.2, 0.5);
  ASSERT_TRUE(v.ok);
  EXPECT_NEAR(v.log_abs / (-5000.3 * std::log(0.5)), 1.0, 1e-12);
  // The BG/NBD conditional expectation's shape, r + x = b + x - ... large.
  const LogValue w = LogHyp2f1(20000.2, 20002.4, 20002.2, 0.3);
  ASSERT_TRUE(w.ok);
  EXPECT_TRUE(std::isfinite(w.log_abs));
  EXPECT_GT(w.log_abs, 700);  // e^700 and more: beyond a double
}

// b ~ c ~ 10^7 (a BG/NBD fit at its no-dropout boundary): converges in a
// few terms; 2F1(a, b; b; z) = (1 - z)^-a.
TEST(Hyp2f1, HugeBAndC) {
  const LogValue v = LogHyp2f1(0.58, 1.13411e7, 1.13411e7, 0.158);
  ASSERT_TRUE(v.ok);
  EXPECT_NEAR(v.log_abs, -0.58 * std::log1p(-0.158), 1e-12);
  ASSERT_TRUE(LogHyp2f1(0.583961, 1.13411e+07, 1.13424e+07, 0.158105).ok);
}

TEST(Hyp2f1, OutsideTheDiscIsNotOk) {
  EXPECT_FALSE(LogHyp2f1(1, 1, 2, 1.0).ok);
  EXPECT_FALSE(LogHyp2f1(1, 1, -2, 0.5).ok);
}

}  // namespace
}  // namespace salesight::clv::internal
