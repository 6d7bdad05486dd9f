// Special functions the likelihoods need. lgamma_r, not std::lgamma: glibc's
// std::lgamma writes the global signgam, a data race under threads.
#pragma once

#include <cmath>

namespace salesight::clv::internal {

inline double LogGamma(double x) {
  int sign = 0;
  return ::lgamma_r(x, &sign);
}

// psi(x) for x > 0: recurrence up to x >= 6, then the asymptotic series
// (error below 1e-15 there).
inline double Digamma(double x) {
  double result = 0.0;
  while (x < 6.0) {
    result -= 1.0 / x;
    x += 1.0;
  }
  const double inv = 1.0 / x, inv2 = inv * inv;
  result += std::log(x) - 0.5 * inv -
            inv2 * (1.0 / 12 - inv2 * (1.0 / 120 - inv2 * (1.0 / 252 - inv2 * (1.0 / 240 -
                                                                                inv2 / 132))));
  return result;
}

inline double LogBeta(double a, double b) { return LogGamma(a) + LogGamma(b) - LogGamma(a + b); }

// log(exp(u) + exp(v)) without overflow; -inf + -inf = -inf.
inline double LogAddExp(double u, double v) {
  const double m = u > v ? u : v;
  if (m == -INFINITY) return m;
  return m + std::log1p(std::exp(-std::fabs(u - v)));
}

}  // namespace salesight::clv::internal
