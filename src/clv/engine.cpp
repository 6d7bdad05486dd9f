// BFGS over log-parameters with a strong-Wolfe line search (Nocedal & Wright,
// algorithms 3.5/3.6), then the Hessian by central differences of the
// gradient and standard errors from its inverse.
#include "clv/internal/engine.hpp"

#include <algorithm>
#include <cmath>
#include <utility>

#include "Eigen/Dense"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace salesight::clv::internal {
namespace {

using Eigen::MatrixXd;
using Eigen::VectorXd;

// The objective in log-parameters theta: mean negative log-likelihood plus
// the penalty, and its gradient in theta.
class Objective {
 public:
  Objective(const ModelProblem& problem, double penalty)
      : problem_(problem), penalty_(penalty), p_(problem.names.size()),
        grad_p_(problem.names.size()) {}

  double operator()(const VectorXd& theta, VectorXd* grad) {
    ++evaluations_;
    const Eigen::Index k = theta.size();
    for (Eigen::Index j = 0; j < k; ++j) p_[static_cast<std::size_t>(j)] = std::exp(theta[j]);
    const double ll = problem_.log_likelihood(p_.data(), grad_p_.data());
    last_ll_ = ll;
    const double w = problem_.weight_sum;
    double f = -ll / w;
    grad->resize(k);
    for (Eigen::Index j = 0; j < k; ++j) {
      const double p = p_[static_cast<std::size_t>(j)];
      f += penalty_ * p * p;
      (*grad)[j] = (-grad_p_[static_cast<std::size_t>(j)] / w + 2.0 * penalty_ * p) * p;
    }
    if (!std::isfinite(f) || !grad->allFinite()) return INFINITY;
    return f;
  }
  int evaluations() const { return evaluations_; }
  // The log-likelihood and d LL / d p of the last evaluation.
  double last_ll() const { return last_ll_; }
  const std::vector<double>& last_grad_p() const { return grad_p_; }

 private:
  double last_ll_ = 0;
  const ModelProblem& problem_;
  double penalty_;
  std::vector<double> p_, grad_p_;
  int evaluations_ = 0;
};

struct Point {
  double alpha = 0, f = INFINITY, dphi = 0;
  VectorXd theta, grad;
  double ll = 0;                // the log-likelihood there
  std::vector<double> grad_p;   // d LL / d p there
};

// Strong Wolfe line search along d from (theta0, f0, g0). Near the optimum
// the decrease falls below f's rounding: a step whose f is equal to within
// rounding and whose slope is small is accepted (Hager & Zhang's
// approximate Wolfe conditions).
bool LineSearch(Objective& obj, const VectorXd& theta0, double f0, const VectorXd& g0,
                const VectorXd& d, double max_alpha, Point* out) {
  constexpr double c1 = 1e-4, c2 = 0.9;
  const double dphi0 = g0.dot(d);
  const double eps_f = 1e-14 * (1.0 + std::fabs(f0));
  auto eval = [&](double alpha) {
    Point p;
    p.alpha = alpha;
    p.theta = theta0 + alpha * d;
    p.f = obj(p.theta, &p.grad);
    p.dphi = std::isfinite(p.f) ? p.grad.dot(d) : 0.0;
    p.ll = obj.last_ll();
    p.grad_p = obj.last_grad_p();
    return p;
  };
  auto sufficient = [&](const Point& p) {
    return std::isfinite(p.f) &&
           (p.f <= f0 + c1 * p.alpha * dphi0 ||
            (p.f <= f0 + eps_f && p.dphi <= (1 - 2 * c1) * std::fabs(dphi0)));
  };
  auto curvature = [&](const Point& p) { return std::fabs(p.dphi) <= -c2 * dphi0; };
  auto zoom = [&](Point lo, Point hi) {
    for (int j = 0; j < 60; ++j) {
      double a = 0.5 * (lo.alpha + hi.alpha);
      if (std::isfinite(hi.f)) {  // safeguarded quadratic interpolation
        const double da = hi.alpha - lo.alpha;
        const double denom = 2.0 * (hi.f - lo.f - lo.dphi * da);
        if (denom > 0) {
          const double q = lo.alpha - lo.dphi * da * da / denom;
          const double lo_a = std::min(lo.alpha, hi.alpha), hi_a = std::max(lo.alpha, hi.alpha);
          if (q > lo_a + 0.1 * (hi_a - lo_a) && q < hi_a - 0.1 * (hi_a - lo_a)) a = q;
        }
      }
      Point p = eval(a);
      if (!sufficient(p) || p.f > lo.f + eps_f) {
        hi = std::move(p);
      } else {
        if (curvature(p)) {
          *out = std::move(p);
          return true;
        }
        if (p.dphi * (hi.alpha - lo.alpha) >= 0) hi = lo;
        lo = std::move(p);
      }
      if (std::fabs(hi.alpha - lo.alpha) < 1e-16 * std::max(1.0, lo.alpha)) break;
    }
    if (lo.alpha > 0 && lo.f < f0) {  // a decrease, without the curvature: take it
      *out = std::move(lo);
      return true;
    }
    return false;
  };
  Point prev;
  prev.alpha = 0;
  prev.f = f0;
  prev.dphi = dphi0;
  prev.theta = theta0;
  prev.grad = g0;
  prev.ll = obj.last_ll();  // unused: a returned prev has alpha > 0

  double alpha = std::min(1.0, max_alpha);
  for (int i = 0; i < 30; ++i) {
    Point p = eval(alpha);
    if (!sufficient(p) || (i > 0 && p.f >= prev.f)) return zoom(std::move(prev), std::move(p));
    if (curvature(p)) {
      *out = std::move(p);
      return true;
    }
    if (p.dphi >= 0) return zoom(std::move(p), std::move(prev));
    prev = std::move(p);
    if (alpha >= max_alpha) {
      *out = std::move(prev);
      return true;
    }
    alpha = std::min(2.0 * alpha, max_alpha);
  }
  *out = std::move(prev);
  return out->f < f0;
}

// Hessian of LL - W * penalty * sum p^2 in natural parameters by forward
// differences of the analytic gradient (k + 1 gradients, not 2k: the SEs need
// a few digits, and at 10^6 customers each gradient is a pass over the data),
// then SE = sqrt(diag((-H)^-1)).
// grad_at: d LL / d p at the estimate, from the optimizer's last step.
void StandardErrors(const ModelProblem& problem, double penalty, const std::vector<double>& grad_at,
                    FitResult* fit) {
  const std::size_t k = fit->params.size();
  MatrixXd h(static_cast<Eigen::Index>(k), static_cast<Eigen::Index>(k));
  std::vector<double> p = fit->params, g0 = grad_at, gp(k);
  const bool central = problem.numeric_gradient;
  for (std::size_t j = 0; j < k; ++j) {
    const double step = (central ? 1e-4 : 1e-6) * fit->params[j];
    p[j] = fit->params[j] + step;
    problem.log_likelihood(p.data(), gp.data());
    if (central) {
      p[j] = fit->params[j] - step;
      problem.log_likelihood(p.data(), g0.data());
    }
    p[j] = fit->params[j];
    for (std::size_t i = 0; i < k; ++i) {
      h(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)) =
          (gp[i] - g0[i]) / (central ? 2 * step : step) -
          (i == j ? 2.0 * problem.weight_sum * penalty : 0.0);
    }
  }
  const MatrixXd info = -0.5 * (h + h.transpose());
  Eigen::LLT<MatrixXd> llt(info);
  if (!info.allFinite() || llt.info() != Eigen::Success) {
    fit->hessian_message =
        "the Hessian is not negative definite at the estimate: no standard errors";
    return;
  }
  const MatrixXd cov = llt.solve(MatrixXd::Identity(info.rows(), info.cols()));
  fit->standard_errors.resize(k);
  for (std::size_t j = 0; j < k; ++j) {
    fit->standard_errors[j] = std::sqrt(cov(static_cast<Eigen::Index>(j),
                                            static_cast<Eigen::Index>(j)));
  }
}

}  // namespace

absl::StatusOr<FitResult> MaximizeLikelihood(const ModelProblem& problem,
                                             const FitOptions& options,
                                             std::vector<double>* inverse_hessian) {
  const std::size_t k = problem.names.size();
  if (!(options.l2_penalty >= 0) || !std::isfinite(options.l2_penalty)) {
    return absl::InvalidArgumentError(
        absl::StrCat("l2_penalty must be a finite number >= 0, got ", options.l2_penalty));
  }
  if (!(options.gradient_tolerance > 0) || options.max_iterations < 1) {
    return absl::InvalidArgumentError(
        "gradient_tolerance must be > 0 and max_iterations >= 1");
  }
  if (!(options.max_parameter > 1) || !std::isfinite(options.max_parameter)) {
    return absl::InvalidArgumentError(
        absl::StrCat("max_parameter must be a finite number > 1, got ", options.max_parameter));
  }
  const double log_bound = std::log(options.max_parameter);
  std::vector<double> start = options.initial.empty() ? problem.start : options.initial;
  if (start.size() != k) {
    return absl::InvalidArgumentError(absl::StrCat(problem.model, " has ", k,
                                                   " parameters; initial has ", start.size()));
  }
  VectorXd theta(static_cast<Eigen::Index>(k));
  for (std::size_t j = 0; j < k; ++j) {
    if (!(start[j] > 0) || !std::isfinite(start[j])) {
      return absl::InvalidArgumentError(absl::StrCat("initial ", problem.names[j],
                                                     " must be finite and > 0, got ", start[j]));
    }
    theta[static_cast<Eigen::Index>(j)] = std::log(start[j]);
  }
  Objective obj(problem, options.l2_penalty);
  VectorXd g;
  double f = obj(theta, &g);
  double ll_at = obj.last_ll();
  std::vector<double> grad_p_at = obj.last_grad_p();
  if (!std::isfinite(f)) {
    return absl::InvalidArgumentError(absl::StrCat(
        problem.model, ": the log-likelihood is not finite at the initial parameters"));
  }
  FitResult fit;
  fit.names = problem.names;
  MatrixXd hinv = MatrixXd::Identity(static_cast<Eigen::Index>(k), static_cast<Eigen::Index>(k));
  bool fresh = true;  // hinv is the identity: a failed search is final
  if (inverse_hessian != nullptr && inverse_hessian->size() == k * k) {
    hinv = Eigen::Map<const MatrixXd>(inverse_hessian->data(), static_cast<Eigen::Index>(k),
                                      static_cast<Eigen::Index>(k));
    fresh = false;
  }
  fit.status = FitStatus::kMaxIterations;
  int it = 0;
  for (; it < options.max_iterations; ++it) {
    if (g.lpNorm<Eigen::Infinity>() <= options.gradient_tolerance) {
      fit.status = FitStatus::kConverged;
      break;
    }
    VectorXd d = -hinv * g;
    if (g.dot(d) >= 0) {  // not a descent direction: restart from steepest descent
      hinv.setIdentity();
      d = -g;
      fresh = true;
    }
    // A step changes no parameter by more than a factor e^3.
    const double max_alpha = 3.0 / std::max(d.lpNorm<Eigen::Infinity>(), 1e-300);
    Point next;
    if (!LineSearch(obj, theta, f, g, d, std::max(max_alpha, 1e-12), &next)) {
      if (fresh) {
        fit.status = FitStatus::kLineSearchFailed;
        break;
      }
      hinv.setIdentity();
      fresh = true;
      continue;
    }
    const VectorXd s = next.theta - theta, y = next.grad - g;
    theta = next.theta;
    if (theta.cwiseAbs().maxCoeff() > log_bound) {
      f = next.f;
      g = next.grad;
      ll_at = next.ll;
      grad_p_at = next.grad_p;
      fit.status = FitStatus::kDiverged;
      ++it;
      break;
    }
    f = next.f;
    g = next.grad;
    ll_at = next.ll;
    grad_p_at = next.grad_p;
    const double sy = s.dot(y);
    if (sy > 1e-300 * s.squaredNorm() && sy > 0) {
      if (fresh) hinv *= sy / y.squaredNorm();  // scale the first step (N&W 6.20)
      const double rho = 1.0 / sy;
      const MatrixXd i_rsy =
          MatrixXd::Identity(hinv.rows(), hinv.cols()) - rho * s * y.transpose();
      hinv = i_rsy * hinv * i_rsy.transpose() + rho * s * s.transpose();
      fresh = false;
    }
  }
  if (it == options.max_iterations && g.lpNorm<Eigen::Infinity>() <= options.gradient_tolerance) {
    fit.status = FitStatus::kConverged;
  }
  fit.iterations = it;
  fit.evaluations = obj.evaluations();
  if (inverse_hessian != nullptr) inverse_hessian->assign(hinv.data(), hinv.data() + hinv.size());
  fit.gradient_norm = g.lpNorm<Eigen::Infinity>();
  fit.params.resize(k);
  for (std::size_t j = 0; j < k; ++j) fit.params[j] = std::exp(theta[static_cast<Eigen::Index>(j)]);
  fit.weight_sum = problem.weight_sum;
  // The evaluation at the estimate already gave LL (same parameters, the
  // same exp of the same theta: the same bits as a fresh call).
  fit.log_likelihood = ll_at;
  if (fit.status != FitStatus::kConverged && !options.allow_not_converged) {
    std::string at;
    for (std::size_t j = 0; j < k; ++j) {
      absl::StrAppend(&at, j ? ", " : "", problem.names[j], " = ", fit.params[j]);
    }
    if (fit.status == FitStatus::kDiverged) {
      return absl::FailedPreconditionError(absl::StrFormat(
          "%s fit diverged after %d iterations: a parameter left [1/%g, %g] (%s); the data do "
          "not identify the model (too few customers or repeat purchases?), log-likelihood %.6f "
          "(allow_not_converged returns this estimate)",
          problem.model, fit.iterations, options.max_parameter, options.max_parameter, at,
          fit.log_likelihood));
    }
    return absl::FailedPreconditionError(absl::StrFormat(
        "%s fit did not converge (%s) after %d iterations: max |gradient| %g > tolerance %g at "
        "%s, log-likelihood %.6f (allow_not_converged returns this estimate)",
        problem.model, FitStatusName(fit.status), fit.iterations, fit.gradient_norm,
        options.gradient_tolerance, at, fit.log_likelihood));
  }
  if (options.skip_standard_errors) {
    fit.hessian_message = "standard errors not computed (skip_standard_errors)";
  } else {
    StandardErrors(problem, options.l2_penalty, grad_p_at, &fit);
  }
  return fit;
}

LogLikelihoodFn WithNumericGradient(std::function<double(const double* p)> ll, int k) {
  return [ll = std::move(ll), k](const double* p, double* grad) {
    const double value = ll(p);
    if (grad == nullptr) return value;
    std::vector<double> q(p, p + k);
    constexpr double h = 1e-5;
    for (int j = 0; j < k; ++j) {
      const auto jj = static_cast<std::size_t>(j);
      q[jj] = p[j] * std::exp(h);
      const double up = ll(q.data());
      q[jj] = p[j] * std::exp(-h);
      const double down = ll(q.data());
      q[jj] = p[j];
      grad[j] = (up - down) / (2 * h * p[j]);
    }
    return value;
  };
}

}  // namespace salesight::clv::internal
