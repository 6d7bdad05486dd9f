// BG/NBD log-likelihood and its analytic gradient, and the fit.
#include "salesight/clv/bgnbd.hpp"

#include <cmath>
#include <memory>
#include <vector>

#include "Eigen/Core"
#include "clv/internal/blocked_sum.hpp"
#include "clv/internal/engine.hpp"
#include "clv/internal/frequency_table.hpp"
#include "clv/internal/special.hpp"
#include "clv/internal/validate.hpp"

namespace salesight::clv {
namespace {

using internal::Digamma;
using internal::LogGamma;

// The likelihood over one validated summary. Rows are split once into
// customers without repeat purchases (they need ln(alpha + T) only) and
// repeaters, each kept as contiguous columns. Per evaluation: the x-only
// terms per distinct x, then blocks of rows as Eigen arrays, so the logs
// and exps run vectorized.
class BgNbdLikelihood {
 public:
  BgNbdLikelihood(const CustomerSummary& s, int num_threads) : table_(s), num_threads_(num_threads) {
    for (std::size_t i = 0; i < s.size(); ++i) {
      const double w = internal::WeightAt(s, i);
      if (s.frequency[i] == 0) {
        zero_T_.push_back(s.T[i]);
        zero_w_.push_back(w);
        continue;
      }
      x_.push_back(s.frequency[i]);
      tx_.push_back(s.recency[i]);
      T_.push_back(s.T[i]);
      w_.push_back(w);
      slot_.push_back(table_.row_slot[i]);
    }
  }

  double operator()(const double* p, double* grad) {
    const double r = p[0], alpha = p[1], a = p[2], b = p[3];
    const std::size_t k = table_.values.size();
    log_a_over_.resize(k);
    inv_b_.resize(k);
    double ll = 0, gr = 0, galpha = 0, ga = 0, gb = 0;
    const double log_alpha = std::log(alpha);
    const double lg_r = LogGamma(r), lg_b = LogGamma(b), lg_ab = LogGamma(a + b);
    const double dg_r = Digamma(r), dg_b = Digamma(b), dg_ab = Digamma(a + b);
    for (std::size_t j = 0; j < k; ++j) {
      const double x = table_.values[j], w = table_.weight[j];
      ll += w * (LogGamma(r + x) - lg_r + r * log_alpha + lg_ab + LogGamma(b + x) - lg_b -
                 LogGamma(a + b + x));
      inv_b_[j] = x > 0 ? 1.0 / (b + x - 1) : 0.0;
      log_a_over_[j] = x > 0 ? std::log(a * inv_b_[j]) : 0.0;
      if (grad != nullptr) {
        const double dg_abx = Digamma(a + b + x);
        gr += w * (Digamma(r + x) - dg_r + log_alpha);
        galpha += w * r / alpha;
        ga += w * (dg_ab - dg_abx);
        gb += w * (dg_ab + Digamma(b + x) - dg_b - dg_abx);
      }
    }
    using Eigen::ArrayXd;
    using Map = Eigen::Map<const ArrayXd>;
    const bool want_grad = grad != nullptr;
    const auto zero = internal::BlockedSum<3>(
        zero_T_.size(), num_threads_, [&](std::size_t begin, std::size_t end, double* acc) {
          const auto len = static_cast<Eigen::Index>(end - begin);
          const Map T(zero_T_.data() + begin, len), w(zero_w_.data() + begin, len);
          const ArrayXd at = alpha + T;
          const double wl = (w * at.log()).sum();
          acc[0] -= r * wl;
          if (want_grad) {
            acc[1] -= wl;
            acc[2] -= r * (w / at).sum();
          }
        });
    const auto rep = internal::BlockedSum<5>(
        x_.size(), num_threads_, [&](std::size_t begin, std::size_t end, double* acc) {
          const auto len = static_cast<Eigen::Index>(end - begin);
          const Map x(x_.data() + begin, len), tx(tx_.data() + begin, len);
          const Map T(T_.data() + begin, len), w(w_.data() + begin, len);
          ArrayXd c(len), ib(len);
          for (Eigen::Index i = 0; i < len; ++i) {
            const std::uint32_t sl = slot_[begin + static_cast<std::size_t>(i)];
            c[i] = log_a_over_[sl];
            ib[i] = inv_b_[sl];
          }
          const ArrayXd rx = r + x, at = alpha + T, atx = alpha + tx;
          const ArrayXd l3 = at.log(), l4 = atx.log();
          const ArrayXd a3 = -rx * l3, a4 = c - rx * l4;
          const ArrayXd d = a4 - a3;
          const ArrayXd e = (-d.abs()).exp();  // e^-|a4 - a3| in (0, 1]
          // log(1 + e), not log1p: Eigen vectorizes log only; for e < 1e-16
          // the absolute error is below 1e-16, nothing in a sum of logs.
          acc[0] += (w * (a3.max(a4) + (1.0 + e).log())).sum();
          if (want_grad) {
            // w4 = e^a4 / (e^a3 + e^a4), the share of the "dropped out" term.
            const ArrayXd inv = 1.0 / (1.0 + e);
            const ArrayXd w4 = (d >= 0).select(inv, e * inv), w3 = 1.0 - w4;
            acc[1] -= (w * (w3 * l3 + w4 * l4)).sum();
            acc[2] -= (w * rx * (w3 / at + w4 / atx)).sum();
            acc[3] += (w * w4).sum();
            acc[4] += (w * w4 * ib).sum();
          }
        });
    if (grad != nullptr) {
      grad[0] = gr + zero[1] + rep[1];
      grad[1] = galpha + zero[2] + rep[2];
      grad[2] = ga + rep[3] / a;
      grad[3] = gb - rep[4];
    }
    return ll + zero[0] + rep[0];
  }

 private:
  internal::FrequencyTable table_;
  int num_threads_;
  std::vector<double> zero_T_, zero_w_;               // x = 0
  std::vector<double> x_, tx_, T_, w_;                // x > 0
  std::vector<std::uint32_t> slot_;                   // x > 0: distinct-x slot
  std::vector<double> log_a_over_, inv_b_;  // per distinct x: ln(a/(b+x-1)), 1/(b+x-1)
};

bool ValidParams(const BgNbdParams& p) {
  return p.r > 0 && p.alpha > 0 && p.a > 0 && p.b > 0 && std::isfinite(p.r) &&
         std::isfinite(p.alpha) && std::isfinite(p.a) && std::isfinite(p.b);
}

}  // namespace

BgNbdParams BgNbdFromFit(const FitResult& fit) {
  return {fit.param("r"), fit.param("alpha"), fit.param("a"), fit.param("b")};
}

double BgNbdCustomerLogLikelihood(const BgNbdParams& p, double x, double t_x, double T) {
  const double rx = p.r + x;
  const double base = LogGamma(rx) - LogGamma(p.r) + p.r * std::log(p.alpha) +
                      LogGamma(p.a + p.b) + LogGamma(p.b + x) - LogGamma(p.b) -
                      LogGamma(p.a + p.b + x);
  const double a3 = -rx * std::log(p.alpha + T);
  if (x == 0) return base + a3;
  const double a4 = std::log(p.a) - std::log(p.b + x - 1) - rx * std::log(p.alpha + t_x);
  return base + internal::LogAddExp(a3, a4);
}

absl::StatusOr<double> BgNbdLogLikelihood(const BgNbdParams& p, const CustomerSummary& summary,
                                          double* grad, int num_threads) {
  if (!ValidParams(p)) return absl::InvalidArgumentError("BG/NBD parameters must be finite and > 0");
  if (absl::Status st = internal::ValidateSummary(summary, {.model = "BG/NBD"}); !st.ok()) return st;
  BgNbdLikelihood ll(summary, num_threads);
  const double params[4] = {p.r, p.alpha, p.a, p.b};
  return ll(params, grad);
}

namespace {

absl::StatusOr<FitResult> Fit(const CustomerSummary& summary, const FitOptions& options,
                              std::vector<double>* inverse_hessian) {
  if (absl::Status st = internal::ValidateSummary(summary, {.min_rows = 2, .model = "BG/NBD"});
      !st.ok()) {
    return st;
  }
  if (absl::Status st = internal::RequireRepeaters(summary, "BG/NBD"); !st.ok()) return st;
  FitOptions run = options;
  std::vector<double> own_hinv;
  std::vector<double>& hinv = inverse_hessian != nullptr ? *inverse_hessian : own_hinv;
  // Large summaries: start from a fit on an evenly strided subsample of
  // about kWarmRows rows, so the full data needs only the last few steps.
  constexpr std::size_t kWarmRows = 50000;
  if (summary.size() > 4 * kWarmRows && options.initial.empty()) {
    const std::size_t stride = summary.size() / kWarmRows;
    CustomerSummary sub;
    for (std::size_t i = 0; i < summary.size(); i += stride) {
      sub.frequency.push_back(summary.frequency[i]);
      sub.recency.push_back(summary.recency[i]);
      sub.T.push_back(summary.T[i]);
      if (!summary.weight.empty()) sub.weight.push_back(summary.weight[i]);
    }
    if (internal::RequireRepeaters(sub, "BG/NBD").ok()) {
      FitOptions warm = options;
      warm.allow_not_converged = true;
      warm.gradient_tolerance = 1e-5;
      warm.skip_standard_errors = true;
      absl::StatusOr<FitResult> first = Fit(sub, warm, &hinv);
      if (first.ok()) {
        run.initial = first->params;
      } else {
        hinv.clear();
      }
    }
  }
  auto ll = std::make_shared<BgNbdLikelihood>(summary, options.num_threads);
  internal::ModelProblem problem;
  problem.model = "BG/NBD";
  problem.names = {"r", "alpha", "a", "b"};
  problem.start = {1.0, 1.0, 1.0, 1.0};
  for (std::size_t i = 0; i < summary.size(); ++i) {
    problem.weight_sum += internal::WeightAt(summary, i);
  }
  if (!(problem.weight_sum > 0)) {
    return absl::InvalidArgumentError("BG/NBD cannot be fitted: the row weights sum to 0");
  }
  problem.log_likelihood = [ll](const double* p, double* grad) { return (*ll)(p, grad); };
  return internal::MaximizeLikelihood(problem, run, &hinv);
}

}  // namespace

absl::StatusOr<FitResult> FitBgNbd(const CustomerSummary& summary, const FitOptions& options) {
  return Fit(summary, options, nullptr);
}

}  // namespace salesight::clv
