// The Gauss hypergeometric function 2F1(a, b; c; z) for |z| < 1 by its
// series, summed in log-space: each term is kept as (log |t_n|, sign) and
// the running sum is rescaled whenever a term outgrows it, so terms like
// (r+x)_n z^n for thousands of purchases x neither overflow nor underflow.
// Stops when the tail bound |t_n| rho / (1 - rho) (rho the term ratio, once
// it is below 1 for good) is below 1e-17 of the sum.
#pragma once

namespace salesight::clv::internal {

struct LogValue {
  double log_abs = 0.0;  // log |value|
  int sign = 1;          // +1, -1, or 0 for a zero value
  bool ok = true;        // false: no convergence in the term budget, or
                         // cancellation lost more than 10 digits
};

// c must not be 0, -1, -2, ...; |z| < 1.
LogValue LogHyp2f1(double a, double b, double c, double z);

}  // namespace salesight::clv::internal
