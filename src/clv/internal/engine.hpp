// The one maximum-likelihood driver every model fits through (see
// salesight/clv/fit.hpp for the objective, the convergence rule and the
// standard errors).
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "salesight/clv/fit.hpp"

namespace salesight::clv::internal {

// Total weighted log-likelihood at natural parameters p; when grad is not
// null, also its gradient d LL / d p. Non-finite for parameters it cannot take.
using LogLikelihoodFn = std::function<double(const double* p, double* grad)>;

struct ModelProblem {
  std::string model;  // for messages: "BG/NBD"
  std::vector<std::string> names;
  std::vector<double> start;
  double weight_sum = 0.0;
  LogLikelihoodFn log_likelihood;
  // The standard errors' Hessian: forward differences of step 1e-6 p of an
  // analytic gradient; a numeric gradient is too noisy for that and takes
  // central differences of step 1e-4 p.
  bool numeric_gradient = false;
};

// inverse_hessian (k*k, row-major, of the objective in log-parameters):
// when given with k*k entries it starts BFGS instead of the identity (a warm
// start from a subsample fit); on return it holds the final estimate.
absl::StatusOr<FitResult> MaximizeLikelihood(const ModelProblem& problem,
                                             const FitOptions& options,
                                             std::vector<double>* inverse_hessian = nullptr);

// Gradient by central differences in log-parameters, for likelihoods without
// an analytic one: d LL / d p_j = (LL(p e^h) - LL(p e^-h)) / (2 h p_j).
LogLikelihoodFn WithNumericGradient(std::function<double(const double* p)> ll, int k);

}  // namespace salesight::clv::internal
