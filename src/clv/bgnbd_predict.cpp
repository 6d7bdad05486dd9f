// BG/NBD predictions (Fader, Hardie & Lee 2005, eqs. 8-10 and the P(alive)
// of their technical note), the 2F1 terms by internal::LogHyp2f1.
#include <cmath>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "clv/internal/bgnbd_parts.hpp"
#include "clv/internal/hyp2f1.hpp"
#include "clv/internal/special.hpp"
#include "clv/internal/validate.hpp"
#include "salesight/clv/bgnbd.hpp"

namespace salesight::clv {
namespace {

using internal::LogBeta;
using internal::LogGamma;

absl::Status CheckParams(const BgNbdParams& p) {
  const bool ok = p.r > 0 && p.alpha > 0 && p.a > 0 && p.b > 0 && std::isfinite(p.r) &&
                  std::isfinite(p.alpha) && std::isfinite(p.a) && std::isfinite(p.b);
  if (!ok) return absl::InvalidArgumentError("BG/NBD parameters must be finite and > 0");
  return absl::OkStatus();
}

// The expectations' (a+b-1)/(a-1) * [...] is 0/0 at a = 1.
absl::Status CheckExpectationParams(const BgNbdParams& p) {
  if (absl::Status st = CheckParams(p); !st.ok()) return st;
  if (p.a == 1.0) return absl::InvalidArgumentError("BG/NBD expectations need a != 1");
  return absl::OkStatus();
}

absl::Status CheckHorizon(double t) {
  if (!std::isfinite(t) || t < 0) {
    return absl::InvalidArgumentError(absl::StrCat("horizon t ", t, " is not a time >= 0"));
  }
  return absl::OkStatus();
}

absl::Status SeriesError(double a, double b, double c, double z) {
  return absl::OutOfRangeError(absl::StrCat("2F1(", a, ", ", b, "; ", c, "; ", z,
                                            ") did not converge to full precision"));
}

// ln[ a/(b+x-1) ((alpha+T)/(alpha+t_x))^(r+x) ]: the odds of having dropped
// out after the last purchase; -inf when x = 0.
double LogDropOdds(const BgNbdParams& p, double x, double t_x, double T) {
  if (x == 0) return -INFINITY;
  return std::log(p.a / (p.b + x - 1)) + (p.r + x) * std::log((p.alpha + T) / (p.alpha + t_x));
}

}  // namespace

absl::StatusOr<double> BgNbdExpectedPurchases(const BgNbdParams& p, double t) {
  if (absl::Status st = CheckExpectationParams(p); !st.ok()) return st;
  if (absl::Status st = CheckHorizon(t); !st.ok()) return st;
  const double z = t / (p.alpha + t);
  const internal::LogValue h = internal::LogHyp2f1(p.r, p.b, p.a + p.b - 1, z);
  if (!h.ok) return SeriesError(p.r, p.b, p.a + p.b - 1, z);
  const double y = p.r * std::log(p.alpha / (p.alpha + t)) + h.log_abs;
  return (p.a + p.b - 1) / (p.a - 1) * -std::expm1(y) * (h.sign > 0 ? 1 : -1);
}

absl::StatusOr<double> BgNbdProbabilityOfPurchases(const BgNbdParams& p, double t, int n) {
  if (absl::Status st = CheckParams(p); !st.ok()) return st;
  if (absl::Status st = CheckHorizon(t); !st.ok()) return st;
  if (n < 0) return absl::InvalidArgumentError(absl::StrCat("purchase count ", n, " is < 0"));
  const double la = std::log(p.alpha / (p.alpha + t));
  const double z = t / (p.alpha + t);
  const double lz = t > 0 ? std::log(z) : -INFINITY;
  const double lb = LogBeta(p.a, p.b);
  // ln of the NBD(r, alpha) probability of n purchases in t.
  const double log_nbd_n =
      n == 0 ? p.r * la : LogGamma(p.r + n) - LogGamma(p.r) - LogGamma(n + 1.0) + p.r * la + n * lz;
  double result = std::exp(LogBeta(p.a, p.b + n) - lb + log_nbd_n);
  if (n > 0) {
    // P(NBD >= n), summed from n upwards relative to pmf(n) (no cancellation):
    // pmf(j+1)/pmf(j) = (r+j)/(j+1) z, and past j every later ratio is at
    // most rho = z max(1, (r+j+1)/(j+2)).
    double rel = 1.0, term = 1.0;
    for (int j = n; j < n + 10000000; ++j) {
      term *= (p.r + j) / (j + 1.0) * z;
      rel += term;
      const double rho = z * std::fmax(1.0, (p.r + j + 1) / (j + 2.0));
      if (rho < 1 && term * rho < 1e-17 * (1 - rho) * rel) break;
    }
    result += std::exp(LogBeta(p.a + 1, p.b + n - 1) - lb + log_nbd_n + std::log(rel));
  }
  return result;
}

namespace internal {

absl::StatusOr<double> BgNbdAliveExpectedPurchases(const BgNbdParams& p, double t, double x,
                                                   double T) {
  const double ha = p.r + x, hb = p.b + x, hc = p.a + p.b + x - 1;
  const double z = t / (p.alpha + T + t);
  const LogValue h = LogHyp2f1(ha, hb, hc, z);
  if (!h.ok || h.sign <= 0) return SeriesError(ha, hb, hc, z);
  const double y = h.log_abs + (p.r + x) * std::log((p.alpha + T) / (p.alpha + T + t));
  const double first = (p.a + p.b + x - 1) / (p.a - 1);
  return first * -std::expm1(y);
}

double BgNbdAliveProbability(const BgNbdParams& p, double x, double t_x, double T) {
  const double u = LogDropOdds(p, x, t_x, T);  // 1 / (1 + e^u), one exp
  return u > 745 ? 0.0 : 1.0 / (1.0 + std::exp(u));
}

}  // namespace internal

absl::StatusOr<double> BgNbdConditionalExpectedPurchases(const BgNbdParams& p, double t, double x,
                                                         double t_x, double T) {
  if (absl::Status st = CheckExpectationParams(p); !st.ok()) return st;
  if (absl::Status st = CheckHorizon(t); !st.ok()) return st;
  if (absl::Status st = internal::ValidateCustomer(x, t_x, T); !st.ok()) return st;
  absl::StatusOr<double> alive = internal::BgNbdAliveExpectedPurchases(p, t, x, T);
  if (!alive.ok()) return alive.status();
  return *alive * internal::BgNbdAliveProbability(p, x, t_x, T);
}

absl::StatusOr<double> BgNbdProbabilityAlive(const BgNbdParams& p, double x, double t_x,
                                             double T) {
  if (absl::Status st = CheckParams(p); !st.ok()) return st;
  if (absl::Status st = internal::ValidateCustomer(x, t_x, T); !st.ok()) return st;
  return internal::BgNbdAliveProbability(p, x, t_x, T);
}

}  // namespace salesight::clv
