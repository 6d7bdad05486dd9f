// BG/NBD log-likelihood and its analytic gradient, and the fit.
#include "salesight/clv/bgnbd.hpp"

#include <cmath>
#include <memory>
#include <vector>

#include "clv/internal/blocked_sum.hpp"
#include "clv/internal/engine.hpp"
#include "clv/internal/frequency_table.hpp"
#include "clv/internal/special.hpp"
#include "clv/internal/validate.hpp"

namespace salesight::clv {
namespace {

using internal::Digamma;
using internal::LogGamma;

// The likelihood over one validated summary. Per evaluation: the x-only
// terms per distinct x, then one pass over the rows for the part in
// alpha + T and alpha + t_x.
class BgNbdLikelihood {
 public:
  BgNbdLikelihood(const CustomerSummary& s, int num_threads)
      : s_(s), table_(s), num_threads_(num_threads) {}

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
    const double* f = s_.frequency.data();
    const double* tx = s_.recency.data();
    const double* tt = s_.T.data();
    const double* wt = s_.weight.empty() ? nullptr : s_.weight.data();
    const std::uint32_t* slot = table_.row_slot.data();
    const bool want_grad = grad != nullptr;
    const auto sums = internal::BlockedSum<5>(
        s_.size(), num_threads_, [&](std::size_t begin, std::size_t end, double* acc) {
          for (std::size_t i = begin; i < end; ++i) {
            const double w = wt ? wt[i] : 1.0, x = f[i], rx = r + x;
            const double l3 = std::log(alpha + tt[i]);
            if (x == 0) {
              acc[0] -= w * r * l3;
              if (want_grad) {
                acc[1] -= w * l3;
                acc[2] -= w * r / (alpha + tt[i]);
              }
              continue;
            }
            const double l4 = std::log(alpha + tx[i]);
            const double a3 = -rx * l3, a4 = log_a_over_[slot[i]] - rx * l4;
            const double lse = internal::LogAddExp(a3, a4);
            acc[0] += w * lse;
            if (want_grad) {
              const double w4 = std::exp(a4 - lse), w3 = 1.0 - w4;
              acc[1] -= w * (w3 * l3 + w4 * l4);
              acc[2] -= w * rx * (w3 / (alpha + tt[i]) + w4 / (alpha + tx[i]));
              acc[3] += w * w4;
              acc[4] += w * w4 * inv_b_[slot[i]];
            }
          }
        });
    if (grad != nullptr) {
      grad[0] = gr + sums[1];
      grad[1] = galpha + sums[2];
      grad[2] = ga + sums[3] / a;
      grad[3] = gb - sums[4];
    }
    return ll + sums[0];
  }

 private:
  const CustomerSummary& s_;
  internal::FrequencyTable table_;
  int num_threads_;
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

absl::StatusOr<FitResult> FitBgNbd(const CustomerSummary& summary, const FitOptions& options) {
  if (absl::Status st = internal::ValidateSummary(summary, {.min_rows = 2, .model = "BG/NBD"});
      !st.ok()) {
    return st;
  }
  if (absl::Status st = internal::RequireRepeaters(summary, "BG/NBD"); !st.ok()) return st;
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
  return internal::MaximizeLikelihood(problem, options);
}

}  // namespace salesight::clv
