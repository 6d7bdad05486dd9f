// Gamma-Gamma spend model (Fader, Hardie & Lee 2005, "RFM and CLV: using
// iso-value curves"; Fader & Hardie 2013, "The Gamma-Gamma model of monetary
// value"). A customer's transaction values are Gamma(p, nu) with
// nu ~ Gamma(q, gamma); it reads the mean repeat-purchase value m
// (monetary_value) of customers with x > 0 repeat purchases. Rows with x = 0
// carry no spend information and are skipped.
//
// Per-customer log-likelihood:
//   ln G(px+q) - ln G(px) - ln G(q) + q ln gamma + (px-1) ln m + px ln x
//   - (px+q) ln(gamma + m x).
#pragma once

#include "absl/status/statusor.h"
#include "salesight/clv/fit.hpp"

namespace salesight::clv {

struct GammaGammaParams {
  double p = 0, q = 0, gamma = 0;
};

// Errors: no row with x > 0 ("no repeaters"), fewer than 2 of them, a row
// with x > 0 and monetary_value <= 0 (named), not converging.
absl::StatusOr<FitResult> FitGammaGamma(const CustomerSummary& summary,
                                        const FitOptions& options = {});
GammaGammaParams GammaGammaFromFit(const FitResult& fit);

// Total log-likelihood over the rows with x > 0; gradient (p, q, gamma).
absl::StatusOr<double> GammaGammaLogLikelihood(const GammaGammaParams& params,
                                               const CustomerSummary& summary,
                                               double* grad = nullptr, int num_threads = 1);

// E[Z | x, m] = (p gamma + p x m) / (p x + q - 1): the expected value of a
// future transaction (x = 0: the population mean p gamma / (q - 1)). Needs q > 1.
absl::StatusOr<double> GammaGammaExpectedSpend(const GammaGammaParams& params, double x, double m);

}  // namespace salesight::clv
