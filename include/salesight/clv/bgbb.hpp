// BG/BB for discrete purchase opportunities (Fader, Hardie & Shang 2010,
// "Customer-base analysis in a discrete-time noncontractual setting").
// At each of n opportunities an alive customer buys with probability
// p ~ Beta(alpha, beta), and dies before the next with probability
// theta ~ Beta(gamma, delta). In the summary, for BG/BB: frequency = x
// transactions, recency = t_x the opportunity of the last one (0 when x = 0),
// T = n opportunities, all whole numbers with x <= t_x <= n.
//
// Per-customer likelihood (their eq. 5):
//   B(a+x, b+n-x)/B(a,b) B(g, d+n)/B(g,d)
//   + sum_{i=0}^{n-t_x-1} B(a+x, b+t_x-x+i)/B(a,b) B(g+1, d+t_x+i)/B(g,d).
#pragma once

#include "absl/status/statusor.h"
#include "salesight/clv/fit.hpp"

namespace salesight::clv {

struct BgBbParams {
  double alpha = 0, beta = 0, gamma = 0, delta = 0;
};

absl::StatusOr<FitResult> FitBgBb(const CustomerSummary& summary, const FitOptions& options = {});
BgBbParams BgBbFromFit(const FitResult& fit);

absl::StatusOr<double> BgBbLogLikelihood(const BgBbParams& p, const CustomerSummary& summary,
                                         double* grad = nullptr, int num_threads = 1);

// P(alive at opportunity n + 1 | x, t_x, n) (their eq. 11).
absl::StatusOr<double> BgBbProbabilityAlive(const BgBbParams& p, double x, double t_x, double n);
// Expected transactions in the next `future` opportunities (their eq. 13).
absl::StatusOr<double> BgBbConditionalExpectedPurchases(const BgBbParams& p, double future,
                                                        double x, double t_x, double n);

}  // namespace salesight::clv
