#include "clv/internal/hyp2f1.hpp"

#include <cmath>

namespace salesight::clv::internal {

namespace {

// A bound on every term ratio after term n + 1, once a+m, b+m, c+m > 0:
// (a+m)/(c+m), (b+m)/(m+1), (b+m)/(c+m) and (a+m)/(m+1) each move
// monotonically towards 1, so either pairing bounds the ratio; the smaller
// bound is kept (b ~ c ~ 10^7 would make the first pairing useless).
double TailRatio(double an, double bn, double cn, int n, double z) {
  const double m1 = n + 2.0;
  const double first = std::fmax(1.0, (an + 1) / (cn + 1)) * std::fmax(1.0, (bn + 1) / m1);
  const double second = std::fmax(1.0, (bn + 1) / (cn + 1)) * std::fmax(1.0, (an + 1) / m1);
  return std::fabs(z) * std::fmin(first, second);
}

// The plain series while its terms stay far from overflow: false when they
// do not (then the log-space sum below runs).
bool PlainSeries(double a, double b, double c, double z, LogValue* out) {
  double term = 1.0, sum = 1.0, max_term = 1.0;
  for (int n = 0; n < 100000; ++n) {
    const double an = a + n, bn = b + n, cn = c + n;
    if (an == 0 || bn == 0 || z == 0) break;
    term *= an * bn / (cn * (n + 1.0)) * z;
    sum += term;
    const double mag = std::fabs(term);
    if (!(mag < 1e250)) return false;
    if (mag > max_term) max_term = mag;
    if (an + 1 > 0 && bn + 1 > 0 && cn + 1 > 0) {
      const double rho = TailRatio(an, bn, cn, n, z);
      if (rho < 1.0 && mag * rho < 1e-17 * (1.0 - rho) * std::fabs(sum)) break;
    }
    if (n + 1 == 100000) return false;
  }
  out->sign = sum > 0 ? 1 : (sum < 0 ? -1 : 0);
  out->log_abs = sum == 0 ? -INFINITY : std::log(std::fabs(sum));
  out->ok = max_term < 1e10 * std::fabs(sum);
  return true;
}

}  // namespace

LogValue LogHyp2f1(double a, double b, double c, double z) {
  LogValue out;
  if (!(std::fabs(z) < 1.0) || (c <= 0 && c == std::floor(c)) || !std::isfinite(a) ||
      !std::isfinite(b) || !std::isfinite(c)) {
    out.ok = false;
    return out;
  }
  if (PlainSeries(a, b, c, z, &out)) return out;
  constexpr int kMaxTerms = 2000000;
  double log_term = 0.0;  // t_0 = 1
  int sign = 1;
  double scale = 0.0;  // sum is stored as sum * e^-scale
  double sum = 1.0;
  double max_log_term = 0.0;
  const double log_z = z == 0 ? -INFINITY : std::log(std::fabs(z));
  for (int n = 0; n < kMaxTerms; ++n) {
    const double an = a + n, bn = b + n, cn = c + n;
    if (an == 0 || bn == 0 || z == 0) break;  // the series terminates
    const double ratio = an * bn / (cn * (n + 1.0));
    log_term += std::log(std::fabs(ratio)) + log_z;
    if ((ratio < 0) != (z < 0)) sign = -sign;
    if (log_term > max_log_term) max_log_term = log_term;
    if (log_term - scale > 600.0) {  // rescale before exp overflows
      sum *= std::exp(scale - log_term);
      scale = log_term;
    }
    sum += sign * std::exp(log_term - scale);
    // Every later ratio is at most rho (TailRatio), so the tail is at most
    // |t_n| rho / (1 - rho).
    if (an + 1 > 0 && bn + 1 > 0 && cn + 1 > 0 && sum != 0) {
      const double rho = TailRatio(an, bn, cn, n, z);
      const double log_sum = std::log(std::fabs(sum)) + scale;
      if (rho < 1.0 && log_term + std::log(rho / (1.0 - rho)) < log_sum - 39.1) {
        out.sign = sum > 0 ? 1 : -1;
        out.log_abs = log_sum;
        // More than 10 digits cancelled: the sum is not trustworthy.
        out.ok = max_log_term - log_sum < 23.0;
        return out;
      }
    }
    if (n + 1 == kMaxTerms) {
      out.ok = false;
      return out;
    }
  }
  out.sign = sum > 0 ? 1 : (sum < 0 ? -1 : 0);
  out.log_abs = sum == 0 ? -INFINITY : std::log(std::fabs(sum)) + scale;
  out.ok = max_log_term - out.log_abs < 23.0;
  return out;
}

}  // namespace salesight::clv::internal
