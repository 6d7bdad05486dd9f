// BG/NBD (Fader, Hardie & Lee 2005, "Counting your customers the easy way").
// While alive a customer buys at Poisson rate lambda ~ Gamma(r, alpha); after
// each purchase they drop out with probability p ~ Beta(a, b). Times are in
// the summary's unit (e.g. weeks); x = repeat purchases, t_x = time of the
// last, T = age, all from the customer's first purchase.
//
// Per-customer log-likelihood (the paper's eq. 6, lifetimes' form):
//   ln G(r+x) - ln G(r) + r ln alpha + ln B(a, b+x) - ln B(a, b)
//   + ln[ (alpha+T)^-(r+x) + [x>0] a/(b+x-1) (alpha+t_x)^-(r+x) ].
#pragma once

#include <vector>

#include "absl/status/statusor.h"
#include "salesight/clv/fit.hpp"

namespace salesight::clv {

struct BgNbdParams {
  double r = 0, alpha = 0, a = 0, b = 0;
};

// Fits on the rows of `summary` (frequency, recency, T, optional weight).
// Start: r = alpha = a = b = 1, unless options.initial. Errors: fewer than 2
// rows, a bad row (named), not converging (unless allowed).
absl::StatusOr<FitResult> FitBgNbd(const CustomerSummary& summary, const FitOptions& options = {});
BgNbdParams BgNbdFromFit(const FitResult& fit);

// Total weighted log-likelihood, and its gradient (r, alpha, a, b) when grad
// is not null (4 doubles). Rows are validated.
absl::StatusOr<double> BgNbdLogLikelihood(const BgNbdParams& p, const CustomerSummary& summary,
                                          double* grad = nullptr, int num_threads = 1);

// One customer's log-likelihood (no validation; x, t_x, T as above).
double BgNbdCustomerLogLikelihood(const BgNbdParams& p, double x, double t_x, double T);

// E[X(t)]: expected purchases in (0, t] of a new customer (eq. 9).
absl::StatusOr<double> BgNbdExpectedPurchases(const BgNbdParams& p, double t);
// P(X(t) = n) of a new customer (eq. 8).
absl::StatusOr<double> BgNbdProbabilityOfPurchases(const BgNbdParams& p, double t, int n);
// E[Y(t) | x, t_x, T]: expected purchases in the next t (eq. 10).
absl::StatusOr<double> BgNbdConditionalExpectedPurchases(const BgNbdParams& p, double t, double x,
                                                         double t_x, double T);
// P(alive | x, t_x, T) (eq. A.7 of the paper's note).
absl::StatusOr<double> BgNbdProbabilityAlive(const BgNbdParams& p, double x, double t_x,
                                             double T);

}  // namespace salesight::clv
