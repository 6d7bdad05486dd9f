#include "salesight/clv/gamma_gamma.hpp"

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
using internal::LogGamma;

constexpr internal::SummaryNeeds kNeeds{.recency = false, .monetary = true, .model = "Gamma-Gamma"};

// Rows with x > 0, validated.
class GammaGammaLikelihood {
 public:
  GammaGammaLikelihood(const CustomerSummary& s, int num_threads) : num_threads_(num_threads) {
    for (std::size_t i = 0; i < s.size(); ++i) {
      if (s.frequency[i] == 0) continue;
      x_.push_back(s.frequency[i]);
      m_.push_back(s.monetary_value[i]);
      w_.push_back(internal::WeightAt(s, i));
      weight_sum_ += w_.back();
    }
  }
  std::size_t size() const { return x_.size(); }
  double weight_sum() const { return weight_sum_; }

  double operator()(const double* params, double* grad) const {
    const double p = params[0], q = params[1], g = params[2];
    const double lg_q = LogGamma(q), dg_q = Digamma(q), log_g = std::log(g);
    const bool want_grad = grad != nullptr;
    const auto sums = internal::BlockedSum<4>(
        x_.size(), num_threads_, [&](std::size_t begin, std::size_t end, double* acc) {
          for (std::size_t i = begin; i < end; ++i) {
            const double x = x_[i], m = m_[i], w = w_[i], px = p * x;
            const double log_m = std::log(m), log_x = std::log(x), log_gmx = std::log(g + m * x);
            acc[0] += w * (LogGamma(px + q) - LogGamma(px) - lg_q + q * log_g + (px - 1) * log_m +
                           px * log_x - (px + q) * log_gmx);
            if (want_grad) {
              const double dg_pxq = Digamma(px + q);
              acc[1] += w * x * (dg_pxq - Digamma(px) + log_m + log_x - log_gmx);
              acc[2] += w * (dg_pxq - dg_q + log_g - log_gmx);
              acc[3] += w * (q / g - (px + q) / (g + m * x));
            }
          }
        });
    if (want_grad) {
      grad[0] = sums[1];
      grad[1] = sums[2];
      grad[2] = sums[3];
    }
    return sums[0];
  }

 private:
  std::vector<double> x_, m_, w_;
  double weight_sum_ = 0;
  int num_threads_;
};

absl::Status CheckParams(const GammaGammaParams& p) {
  if (p.p > 0 && p.q > 0 && p.gamma > 0 && std::isfinite(p.p) && std::isfinite(p.q) &&
      std::isfinite(p.gamma)) {
    return absl::OkStatus();
  }
  return absl::InvalidArgumentError("Gamma-Gamma parameters must be finite and > 0");
}

}  // namespace

GammaGammaParams GammaGammaFromFit(const FitResult& fit) {
  return {fit.param("p"), fit.param("q"), fit.param("gamma")};
}

absl::StatusOr<double> GammaGammaLogLikelihood(const GammaGammaParams& params,
                                               const CustomerSummary& summary, double* grad,
                                               int num_threads) {
  if (absl::Status st = CheckParams(params); !st.ok()) return st;
  if (absl::Status st = internal::ValidateSummary(summary, kNeeds); !st.ok()) return st;
  const double p[3] = {params.p, params.q, params.gamma};
  return GammaGammaLikelihood(summary, num_threads)(p, grad);
}

absl::StatusOr<FitResult> FitGammaGamma(const CustomerSummary& summary, const FitOptions& options) {
  if (absl::Status st = internal::ValidateSummary(summary, kNeeds); !st.ok()) return st;
  auto ll = std::make_shared<const GammaGammaLikelihood>(summary, options.num_threads);
  if (ll->size() == 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        "Gamma-Gamma cannot be fitted: none of the ", summary.size(),
        " customer rows has a repeat purchase (frequency > 0), so there is no spend to model"));
  }
  if (ll->size() < 2 || !(ll->weight_sum() > 0)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "Gamma-Gamma cannot be fitted on ", ll->size(),
        " customer(s) with repeat purchases (and positive weight): it needs at least 2"));
  }
  internal::ModelProblem problem;
  problem.model = "Gamma-Gamma";
  problem.names = {"p", "q", "gamma"};
  problem.start = {1.0, 1.0, 1.0};
  problem.weight_sum = ll->weight_sum();
  problem.log_likelihood = [ll](const double* p, double* grad) { return (*ll)(p, grad); };
  return internal::MaximizeLikelihood(problem, options);
}

absl::StatusOr<double> GammaGammaExpectedSpend(const GammaGammaParams& params, double x, double m) {
  if (absl::Status st = CheckParams(params); !st.ok()) return st;
  if (!(params.q > 1)) {
    return absl::InvalidArgumentError(
        absl::StrCat("Gamma-Gamma q = ", params.q, " <= 1: the expected spend is infinite"));
  }
  if (absl::Status st = internal::ValidateCustomer(x, 0, 0); !st.ok()) return st;
  if (x > 0 && !(m > 0 && std::isfinite(m))) {
    return absl::InvalidArgumentError(absl::StrCat("monetary_value ", m, " is not an amount > 0"));
  }
  const double px = params.p * x;
  return (params.p * params.gamma + px * (x > 0 ? m : 0.0)) / (px + params.q - 1);
}

}  // namespace salesight::clv
