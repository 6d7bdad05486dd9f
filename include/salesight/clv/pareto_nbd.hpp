// Pareto/NBD (Schmittlein, Morrison & Colombo 1987), estimated as in Fader &
// Hardie's note "A note on deriving the Pareto/NBD model and related
// expressions" (2005). While alive a customer buys at Poisson rate
// lambda ~ Gamma(r, alpha); lifetimes are exponential with rate
// mu ~ Gamma(s, beta). Per-customer log-likelihood:
//   ln G(r+x) - ln G(r) + r ln alpha + s ln beta
//   + ln[ (alpha+T)^-(r+x) (beta+T)^-s + s/(r+s+x) A0 ],
// A0 the difference of two 2F1 terms (at t_x and at T) taken in log-space,
// 2F1 by the log-space series of clv/internal/hyp2f1.hpp.
//
// The fit's gradient is by central differences in log-parameters (the
// 2F1's parameter derivatives are not implemented): the optimum is found to
// the same gradient tolerance, at about 9 likelihood evaluations a step.
#pragma once

#include "absl/status/statusor.h"
#include "salesight/clv/fit.hpp"

namespace salesight::clv {

struct ParetoNbdParams {
  double r = 0, alpha = 0, s = 0, beta = 0;
};

absl::StatusOr<FitResult> FitParetoNbd(const CustomerSummary& summary,
                                       const FitOptions& options = {});
ParetoNbdParams ParetoNbdFromFit(const FitResult& fit);

absl::StatusOr<double> ParetoNbdLogLikelihood(const ParetoNbdParams& p,
                                              const CustomerSummary& summary, int num_threads = 1);
// One customer (validated); an error when a 2F1 does not converge.
absl::StatusOr<double> ParetoNbdCustomerLogLikelihood(const ParetoNbdParams& p, double x,
                                                      double t_x, double T);

// P(alive | x, t_x, T).
absl::StatusOr<double> ParetoNbdProbabilityAlive(const ParetoNbdParams& p, double x, double t_x,
                                                 double T);
// E[Y(t) | x, t_x, T] (needs s != 1).
absl::StatusOr<double> ParetoNbdConditionalExpectedPurchases(const ParetoNbdParams& p, double t,
                                                             double x, double t_x, double T);
// E[X(t)] of a new customer: r beta / (alpha (s-1)) [1 - (beta/(beta+t))^(s-1)].
absl::StatusOr<double> ParetoNbdExpectedPurchases(const ParetoNbdParams& p, double t);

}  // namespace salesight::clv
