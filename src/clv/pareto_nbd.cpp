#include "salesight/clv/pareto_nbd.hpp"

#include <cmath>
#include <memory>

#include "absl/strings/str_cat.h"
#include "clv/internal/blocked_sum.hpp"
#include "clv/internal/engine.hpp"
#include "clv/internal/hyp2f1.hpp"
#include "clv/internal/special.hpp"
#include "clv/internal/validate.hpp"

namespace salesight::clv {
namespace {

using internal::LogGamma;

absl::Status CheckParams(const ParetoNbdParams& p) {
  if (p.r > 0 && p.alpha > 0 && p.s > 0 && p.beta > 0 && std::isfinite(p.r) &&
      std::isfinite(p.alpha) && std::isfinite(p.s) && std::isfinite(p.beta)) {
    return absl::OkStatus();
  }
  return absl::InvalidArgumentError("Pareto/NBD parameters must be finite and > 0");
}

// ln A0 (-inf when t_x = T). The 2F1 argument (|alpha - beta| / (max + t))
// is in [0, 1) for any positive parameters.
bool LogA0(const ParetoNbdParams& p, double x, double t_x, double T, double* out) {
  const double rsx = p.r + p.s + x;
  const bool alpha_big = p.alpha >= p.beta;
  const double big = alpha_big ? p.alpha : p.beta;
  const double b = alpha_big ? p.s + 1 : p.r + x;
  const double diff = std::fabs(p.alpha - p.beta);
  const internal::LogValue f1 = internal::LogHyp2f1(rsx, b, rsx + 1, diff / (big + t_x));
  const internal::LogValue f2 = internal::LogHyp2f1(rsx, b, rsx + 1, diff / (big + T));
  if (!f1.ok || !f2.ok || f1.sign <= 0 || f2.sign <= 0) return false;
  const double l1 = f1.log_abs - rsx * std::log(big + t_x);
  const double l2 = f2.log_abs - rsx * std::log(big + T);
  // A0 = e^l1 - e^l2 >= 0; rounding can make it a hair negative at t_x ~ T.
  *out = l2 >= l1 ? -INFINITY : l1 + std::log(-std::expm1(l2 - l1));
  return true;
}

// The two terms of the bracket: ln[(alpha+T)^-(r+x) (beta+T)^-s] and
// ln[s/(r+s+x) A0].
bool LogTerms(const ParetoNbdParams& p, double x, double t_x, double T, double* first,
              double* second) {
  double log_a0 = 0;
  if (!LogA0(p, x, t_x, T, &log_a0)) return false;
  *first = -(p.r + x) * std::log(p.alpha + T) - p.s * std::log(p.beta + T);
  *second = std::log(p.s / (p.r + p.s + x)) + log_a0;
  return true;
}

absl::Status SeriesError(double x, double t_x, double T) {
  return absl::OutOfRangeError(absl::StrCat("Pareto/NBD: the 2F1 series for x = ", x, ", t_x = ",
                                            t_x, ", T = ", T, " did not converge"));
}

// NaN when a 2F1 fails (the fit then treats the point as infeasible).
double CustomerLogLikelihood(const ParetoNbdParams& p, double x, double t_x, double T) {
  double first = 0, second = 0;
  if (!LogTerms(p, x, t_x, T, &first, &second)) return NAN;
  return LogGamma(p.r + x) - LogGamma(p.r) + p.r * std::log(p.alpha) + p.s * std::log(p.beta) +
         internal::LogAddExp(first, second);
}

double TotalLogLikelihood(const ParetoNbdParams& p, const CustomerSummary& s, int num_threads) {
  const auto sums = internal::BlockedSum<1>(
      s.size(), num_threads, [&](std::size_t begin, std::size_t end, double* acc) {
        for (std::size_t i = begin; i < end; ++i) {
          acc[0] += internal::WeightAt(s, i) *
                    CustomerLogLikelihood(p, s.frequency[i], s.recency[i], s.T[i]);
        }
      });
  return sums[0];
}

}  // namespace

ParetoNbdParams ParetoNbdFromFit(const FitResult& fit) {
  return {fit.param("r"), fit.param("alpha"), fit.param("s"), fit.param("beta")};
}

absl::StatusOr<double> ParetoNbdCustomerLogLikelihood(const ParetoNbdParams& p, double x,
                                                      double t_x, double T) {
  if (absl::Status st = CheckParams(p); !st.ok()) return st;
  if (absl::Status st = internal::ValidateCustomer(x, t_x, T); !st.ok()) return st;
  const double ll = CustomerLogLikelihood(p, x, t_x, T);
  if (std::isnan(ll)) return SeriesError(x, t_x, T);
  return ll;
}

absl::StatusOr<double> ParetoNbdLogLikelihood(const ParetoNbdParams& p,
                                              const CustomerSummary& summary, int num_threads) {
  if (absl::Status st = CheckParams(p); !st.ok()) return st;
  if (absl::Status st = internal::ValidateSummary(summary, {.model = "Pareto/NBD"}); !st.ok()) {
    return st;
  }
  const double ll = TotalLogLikelihood(p, summary, num_threads);
  if (std::isnan(ll)) {
    for (std::size_t i = 0; i < summary.size(); ++i) {
      absl::StatusOr<double> one =
          ParetoNbdCustomerLogLikelihood(p, summary.frequency[i], summary.recency[i], summary.T[i]);
      if (!one.ok()) {
        return absl::OutOfRangeError(absl::StrCat("customer row ", i + 1, ": ", one.status().message()));
      }
    }
  }
  return ll;
}

absl::StatusOr<FitResult> FitParetoNbd(const CustomerSummary& summary, const FitOptions& options) {
  if (absl::Status st = internal::ValidateSummary(summary, {.min_rows = 2, .model = "Pareto/NBD"});
      !st.ok()) {
    return st;
  }
  if (absl::Status st = internal::RequireRepeaters(summary, "Pareto/NBD"); !st.ok()) return st;
  internal::ModelProblem problem;
  problem.model = "Pareto/NBD";
  problem.names = {"r", "alpha", "s", "beta"};
  problem.start = {1.0, 1.0, 1.0, 1.0};
  for (std::size_t i = 0; i < summary.size(); ++i) problem.weight_sum += internal::WeightAt(summary, i);
  if (!(problem.weight_sum > 0)) {
    return absl::InvalidArgumentError("Pareto/NBD cannot be fitted: the row weights sum to 0");
  }
  const int threads = options.num_threads;
  problem.numeric_gradient = true;
  problem.log_likelihood = internal::WithNumericGradient(
      [&summary, threads](const double* p) {
        return TotalLogLikelihood({p[0], p[1], p[2], p[3]}, summary, threads);
      },
      4);
  return internal::MaximizeLikelihood(problem, options);
}

absl::StatusOr<double> ParetoNbdProbabilityAlive(const ParetoNbdParams& p, double x, double t_x,
                                                 double T) {
  if (absl::Status st = CheckParams(p); !st.ok()) return st;
  if (absl::Status st = internal::ValidateCustomer(x, t_x, T); !st.ok()) return st;
  double first = 0, second = 0;
  if (!LogTerms(p, x, t_x, T, &first, &second)) return SeriesError(x, t_x, T);
  // 1 / (1 + e^(second - first)).
  const double u = second - first;
  return u > 700 ? 0.0 : 1.0 / (1.0 + std::exp(u));
}

absl::StatusOr<double> ParetoNbdConditionalExpectedPurchases(const ParetoNbdParams& p, double t,
                                                             double x, double t_x, double T) {
  if (!std::isfinite(t) || t < 0) {
    return absl::InvalidArgumentError(absl::StrCat("horizon t ", t, " is not a time >= 0"));
  }
  if (p.s == 1.0) return absl::InvalidArgumentError("Pareto/NBD expectations need s != 1");
  absl::StatusOr<double> alive = ParetoNbdProbabilityAlive(p, x, t_x, T);
  if (!alive.ok()) return alive.status();
  const double bt = p.beta + T;
  const double scale = (p.r + x) * bt / ((p.alpha + T) * (p.s - 1));
  return scale * -std::expm1((p.s - 1) * std::log(bt / (bt + t))) * *alive;
}

absl::StatusOr<double> ParetoNbdExpectedPurchases(const ParetoNbdParams& p, double t) {
  if (absl::Status st = CheckParams(p); !st.ok()) return st;
  if (!std::isfinite(t) || t < 0) {
    return absl::InvalidArgumentError(absl::StrCat("horizon t ", t, " is not a time >= 0"));
  }
  if (p.s == 1.0) return absl::InvalidArgumentError("Pareto/NBD expectations need s != 1");
  return p.r * p.beta / (p.alpha * (p.s - 1)) *
         -std::expm1((p.s - 1) * std::log(p.beta / (p.beta + t)));
}

}  // namespace salesight::clv
