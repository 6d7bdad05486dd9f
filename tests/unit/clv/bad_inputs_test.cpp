// Bad inputs get errors naming the row and value, never NaN; not converging
// is reported, never silent.
#include <cmath>
#include <string>

#include "clv/clv_test_util.hpp"
#include "gtest/gtest.h"
#include "salesight/clv.hpp"

namespace salesight::clv {
namespace {

void ExpectError(const absl::Status& st, const std::string& part) {
  EXPECT_FALSE(st.ok());
  EXPECT_NE(st.message().find(part), std::string::npos) << st;
}

CustomerSummary Three() {
  CustomerSummary s;
  s.frequency = {0, 2, 1};
  s.recency = {0, 5, 3};
  s.T = {10, 10, 10};
  s.monetary_value = {0, 12.5, 8};
  return s;
}

TEST(ClvBadInputs, RecencyAfterT) {
  CustomerSummary s = Three();
  s.recency[1] = 12;
  ExpectError(FitBgNbd(s).status(), "BG/NBD: customer row 2: T 10 is not a time >= recency 12");
  ExpectError(FitParetoNbd(s).status(), "customer row 2: T 10");
  ExpectError(BgNbdProbabilityAlive({1, 1, 1, 1}, 2, 12, 10).status(), "T 10");
}

TEST(ClvBadInputs, NegativeAndFractionalCounts) {
  CustomerSummary s = Three();
  s.frequency[2] = -1;
  ExpectError(FitBgNbd(s).status(), "customer row 3: frequency -1");
  s.frequency[2] = 1.5;
  ExpectError(FitBgNbd(s).status(), "customer row 3: frequency 1.5");
  s.frequency[2] = NAN;
  ExpectError(FitBgNbd(s).status(), "customer row 3: frequency nan");
  s = Three();
  s.weight = {1, -2, 1};
  ExpectError(FitBgNbd(s).status(), "customer row 2: weight -2");
  s = Three();
  s.T.pop_back();
  ExpectError(FitBgNbd(s).status(), "T has 2 rows, frequency has 3");
}

TEST(ClvBadInputs, SingleCustomer) {
  CustomerSummary s;
  s.frequency = {2};
  s.recency = {5};
  s.T = {10};
  s.monetary_value = {3};
  ExpectError(FitBgNbd(s).status(), "BG/NBD cannot be fitted on 1 customer row(s)");
  ExpectError(FitParetoNbd(s).status(), "Pareto/NBD cannot be fitted on 1");
  ExpectError(FitGammaGamma(s).status(), "Gamma-Gamma cannot be fitted on 1");
}

TEST(ClvBadInputs, NoRepeatersAtAll) {
  CustomerSummary s;
  s.frequency = {0, 0};
  s.recency = {0, 0};
  s.T = {5, 8};
  s.monetary_value = {0, 0};
  ExpectError(FitGammaGamma(s).status(), "none of the 2 customer rows has a repeat purchase");
  // The purchase-rate models: r -> 0 is the boundary "optimum", no estimate.
  ExpectError(FitBgNbd(s).status(), "BG/NBD cannot be fitted: none of the 2 customer rows");
  ExpectError(FitParetoNbd(s).status(), "Pareto/NBD cannot be fitted: none of the 2");
}

TEST(ClvBadInputs, NonConvergenceIsReported) {
  const CustomerSummary s = clv_test::LoadCdnowSummary();
  FitOptions o;
  o.max_iterations = 3;
  absl::StatusOr<FitResult> fit = FitBgNbd(s, o);
  ExpectError(fit.status(), "did not converge (max_iterations) after 3 iterations");
  o.allow_not_converged = true;
  fit = FitBgNbd(s, o);
  ASSERT_TRUE(fit.ok());
  EXPECT_EQ(fit->status, FitStatus::kMaxIterations);
  EXPECT_GT(fit->gradient_norm, o.gradient_tolerance);
  EXPECT_EQ(fit->iterations, 3);
  o = {};
  o.l2_penalty = -1;
  ExpectError(FitBgNbd(s, o).status(), "l2_penalty");
  o = {};
  o.initial = {1, 1, 0, 1};
  ExpectError(FitBgNbd(s, o).status(), "initial a must be finite and > 0");
}

TEST(ClvBadInputs, PenaltyShrinksTheParameters) {
  const CustomerSummary s = clv_test::LoadCdnowSummary();
  FitOptions o;
  o.l2_penalty = 0.01;
  absl::StatusOr<FitResult> pen = FitBgNbd(s, o);
  absl::StatusOr<FitResult> free = FitBgNbd(s);
  ASSERT_TRUE(pen.ok() && free.ok()) << pen.status();
  double sq_pen = 0, sq_free = 0;
  for (int j = 0; j < 4; ++j) {
    sq_pen += pen->params[static_cast<std::size_t>(j)] * pen->params[static_cast<std::size_t>(j)];
    sq_free += free->params[static_cast<std::size_t>(j)] * free->params[static_cast<std::size_t>(j)];
  }
  EXPECT_LT(sq_pen, sq_free);
  EXPECT_LT(pen->log_likelihood, free->log_likelihood);
}

TEST(ClvBadInputs, ExtremeFrequenciesStayFinite) {
  CustomerSummary s = clv_test::LoadCdnowSummary();
  s.frequency[0] = 1e6;  // one customer with a million repeat purchases
  absl::StatusOr<FitResult> fit = FitBgNbd(s);
  ASSERT_TRUE(fit.ok()) << fit.status();
  EXPECT_TRUE(std::isfinite(fit->log_likelihood));
  for (double p : fit->params) EXPECT_TRUE(std::isfinite(p));
  const BgNbdParams p = BgNbdFromFit(*fit);
  absl::StatusOr<double> e = BgNbdConditionalExpectedPurchases(p, 39, 1e6, s.recency[0], s.T[0]);
  if (e.ok()) {
    EXPECT_TRUE(std::isfinite(*e));
  } else {
    EXPECT_NE(e.status().message().find("2F1"), std::string::npos) << e.status();
  }
  ExpectError(FitBgNbd([&] {
                CustomerSummary t = s;
                t.frequency[5] = 1e12;
                return t;
              }()).status(),
              "customer row 6: frequency 1e+12");
}

}  // namespace
}  // namespace salesight::clv
