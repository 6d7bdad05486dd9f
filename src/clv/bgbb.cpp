#include "salesight/clv/bgbb.hpp"

#include <cmath>
#include <memory>
#include <vector>

#include "absl/strings/str_cat.h"
#include "clv/internal/blocked_sum.hpp"
#include "clv/internal/engine.hpp"
#include "clv/internal/special.hpp"
#include "clv/internal/validate.hpp"

namespace salesight::clv {
namespace {

using internal::Digamma;
using internal::LogBeta;
using internal::LogGamma;

absl::Status CheckParams(const BgBbParams& p) {
  if (p.alpha > 0 && p.beta > 0 && p.gamma > 0 && p.delta > 0 && std::isfinite(p.alpha) &&
      std::isfinite(p.beta) && std::isfinite(p.gamma) && std::isfinite(p.delta)) {
    return absl::OkStatus();
  }
  return absl::InvalidArgumentError("BG/BB parameters must be finite and > 0");
}

absl::Status CheckCustomer(double x, double t_x, double n) {
  auto whole = [](double v) { return std::isfinite(v) && v >= 0 && v == std::floor(v) && v < 1e9; };
  if (!whole(x) || !whole(t_x) || !whole(n)) {
    return absl::InvalidArgumentError(absl::StrCat("frequency ", x, ", recency ", t_x, ", T ", n,
                                                   " are not all whole numbers of opportunities"));
  }
  if (x > t_x || t_x > n || (x == 0 && t_x != 0)) {
    return absl::InvalidArgumentError(absl::StrCat("frequency ", x, ", recency ", t_x, ", T ", n,
                                                   " do not satisfy x <= t_x <= n (t_x = 0 when x = 0)"));
  }
  return absl::OkStatus();
}

absl::Status ValidateRows(const CustomerSummary& s, std::size_t min_rows) {
  if (absl::Status st = internal::ValidateSummary(s, {.min_rows = min_rows, .model = "BG/BB"});
      !st.ok()) {
    return st;
  }
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (absl::Status st = CheckCustomer(s.frequency[i], s.recency[i], s.T[i]); !st.ok()) {
      return absl::InvalidArgumentError(absl::StrCat("BG/BB: customer row ", i + 1, ": ", st.message()));
    }
  }
  return absl::OkStatus();
}

// One customer: ln L and, when grad, d ln L / d (alpha, beta, gamma, delta)
// added times w. Terms are ln B(a+x, b+m) - ln B(a,b) + ln B(g+e, d+k) - ln B(g,d).
double CustomerLogLikelihood(const BgBbParams& p, double x, double tx, double n, double w,
                             double* grad) {
  const double lb_ab = LogBeta(p.alpha, p.beta), lb_gd = LogBeta(p.gamma, p.delta);
  auto log_term = [&](double m, double e, double k) {
    return LogBeta(p.alpha + x, p.beta + m) - lb_ab + LogBeta(p.gamma + e, p.delta + k) - lb_gd;
  };
  const int extra = static_cast<int>(n - tx);
  std::vector<double> terms(static_cast<std::size_t>(extra) + 1);
  terms[0] = log_term(n - x, 0, n);
  double lse = terms[0];
  for (int i = 0; i < extra; ++i) {
    terms[static_cast<std::size_t>(i) + 1] = log_term(tx - x + i, 1, tx + i);
    lse = internal::LogAddExp(lse, terms[static_cast<std::size_t>(i) + 1]);
  }
  if (grad != nullptr) {
    const double dab = Digamma(p.alpha + p.beta), da = Digamma(p.alpha), db = Digamma(p.beta);
    const double dgd = Digamma(p.gamma + p.delta), dg = Digamma(p.gamma), dd = Digamma(p.delta);
    const double dax = Digamma(p.alpha + x);
    for (int i = -1; i < extra; ++i) {
      const double m = i < 0 ? n - x : tx - x + i, e = i < 0 ? 0 : 1, k = i < 0 ? n : tx + i;
      const double share = w * std::exp(terms[static_cast<std::size_t>(i + 1)] - lse);
      const double dabm = Digamma(p.alpha + p.beta + x + m), dgdk = Digamma(p.gamma + e + p.delta + k);
      grad[0] += share * (dax - dabm - da + dab);
      grad[1] += share * (Digamma(p.beta + m) - dabm - db + dab);
      grad[2] += share * (Digamma(p.gamma + e) - dgdk - dg + dgd);
      grad[3] += share * (Digamma(p.delta + k) - dgdk - dd + dgd);
    }
  }
  return lse;
}

double Total(const BgBbParams& p, const CustomerSummary& s, double* grad, int num_threads) {
  const auto sums = internal::BlockedSum<5>(
      s.size(), num_threads, [&](std::size_t begin, std::size_t end, double* acc) {
        for (std::size_t i = begin; i < end; ++i) {
          const double w = internal::WeightAt(s, i);
          acc[0] += w * CustomerLogLikelihood(p, s.frequency[i], s.recency[i], s.T[i], w,
                                              grad != nullptr ? acc + 1 : nullptr);
        }
      });
  if (grad != nullptr) {
    for (int j = 0; j < 4; ++j) grad[j] = sums[static_cast<std::size_t>(j) + 1];
  }
  return sums[0];
}

}  // namespace

BgBbParams BgBbFromFit(const FitResult& fit) {
  return {fit.param("alpha"), fit.param("beta"), fit.param("gamma"), fit.param("delta")};
}

absl::StatusOr<double> BgBbLogLikelihood(const BgBbParams& p, const CustomerSummary& summary,
                                         double* grad, int num_threads) {
  if (absl::Status st = CheckParams(p); !st.ok()) return st;
  if (absl::Status st = ValidateRows(summary, 0); !st.ok()) return st;
  return Total(p, summary, grad, num_threads);
}

absl::StatusOr<FitResult> FitBgBb(const CustomerSummary& summary, const FitOptions& options) {
  if (absl::Status st = ValidateRows(summary, 2); !st.ok()) return st;
  internal::ModelProblem problem;
  problem.model = "BG/BB";
  problem.names = {"alpha", "beta", "gamma", "delta"};
  problem.start = {1.0, 1.0, 1.0, 1.0};
  for (std::size_t i = 0; i < summary.size(); ++i) problem.weight_sum += internal::WeightAt(summary, i);
  if (!(problem.weight_sum > 0)) {
    return absl::InvalidArgumentError("BG/BB cannot be fitted: the row weights sum to 0");
  }
  const int threads = options.num_threads;
  problem.log_likelihood = [&summary, threads](const double* p, double* grad) {
    return Total({p[0], p[1], p[2], p[3]}, summary, grad, threads);
  };
  return internal::MaximizeLikelihood(problem, options);
}

absl::StatusOr<double> BgBbProbabilityAlive(const BgBbParams& p, double x, double t_x, double n) {
  if (absl::Status st = CheckParams(p); !st.ok()) return st;
  if (absl::Status st = CheckCustomer(x, t_x, n); !st.ok()) return st;
  const double ll = CustomerLogLikelihood(p, x, t_x, n, 1.0, nullptr);
  return std::exp(LogBeta(p.alpha + x, p.beta + n - x) - LogBeta(p.alpha, p.beta) +
                  LogBeta(p.gamma, p.delta + n + 1) - LogBeta(p.gamma, p.delta) - ll);
}

absl::StatusOr<double> BgBbConditionalExpectedPurchases(const BgBbParams& p, double future,
                                                        double x, double t_x, double n) {
  if (absl::Status st = CheckParams(p); !st.ok()) return st;
  if (absl::Status st = CheckCustomer(x, t_x, n); !st.ok()) return st;
  if (!(future >= 0) || future != std::floor(future)) {
    return absl::InvalidArgumentError(absl::StrCat("future opportunities ", future,
                                                   " is not a whole number >= 0"));
  }
  if (p.gamma == 1.0) return absl::InvalidArgumentError("BG/BB expectations need gamma != 1");
  const double ll = CustomerLogLikelihood(p, x, t_x, n, 1.0, nullptr);
  // delta/(gamma-1) G(g+d)/G(1+d) [G(1+d+n)/G(g+d+n) - G(1+d+n+n*)/G(g+d+n+n*)], the
  // bracket as e^u1 - e^u2 with its sign.
  const double u1 = LogGamma(1 + p.delta + n) - LogGamma(p.gamma + p.delta + n);
  const double u2 = LogGamma(1 + p.delta + n + future) - LogGamma(p.gamma + p.delta + n + future);
  const double front = LogBeta(p.alpha + x + 1, p.beta + n - x) - LogBeta(p.alpha, p.beta) +
                       LogGamma(p.gamma + p.delta) - LogGamma(1 + p.delta) - ll;
  const double bracket = std::exp(u1) * -std::expm1(u2 - u1);
  return std::exp(front) * p.delta / (p.gamma - 1) * bracket;
}

}  // namespace salesight::clv
