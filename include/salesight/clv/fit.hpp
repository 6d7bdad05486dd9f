// Customer lifetime value (BTYD models): what every model shares. The
// customer summary the models read, the fit options, and the fit result
// with its convergence report.
//
// Fitting is maximum likelihood over log-parameters (every parameter of these
// models is positive) by BFGS with a Wolfe line search. The objective is
//   -LL(params) / W + l2_penalty * sum(params^2),    W = the sum of the weights,
// the mean negative log-likelihood plus lifetimes' L2 penalty on the natural
// parameters (penalizer_coef). Converged means max |d objective / d log p| <=
// gradient_tolerance. Not converging is an error carrying the diagnostics
// unless allow_not_converged, when the result says so in `status`.
//
// Standard errors come from the Hessian of W * objective (with the penalty,
// none without it: the observed information of the log-likelihood), taken
// by forward differences of the analytic gradient (central ones of a
// numeric gradient), inverted with Eigen.
//
// Sums over customers run in fixed blocks of kFitBlock customers added in
// block order: the result is bit-identical for any num_threads.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "salesight/btyd.hpp"

namespace salesight::clv {

inline constexpr std::size_t kFitBlock = 4096;

// One row per customer (lifetimes' names). frequency = repeat purchases x
// (whole, >= 0), recency = t_x (time of the last purchase since the first),
// T = age (first purchase to the end of calibration), in one time unit;
// monetary_value = mean value of the repeat purchases (Gamma-Gamma only);
// weight = how many identical customers the row stands for (empty = 1 each).
struct CustomerSummary {
  std::vector<double> frequency;
  std::vector<double> recency;
  std::vector<double> T;
  std::vector<double> monetary_value;
  std::vector<double> weight;
  std::size_t size() const { return frequency.size(); }
};

// The BTYD summary the RFM layer builds (its unit and money scale kept).
CustomerSummary FromBtydSummary(const BtydSummary& summary);

enum class FitStatus : std::uint8_t {
  kConverged,         // gradient norm <= gradient_tolerance
  kMaxIterations,     // iteration budget spent
  kLineSearchFailed,  // no step decreased the objective (flat or non-finite)
  kDiverged,          // a parameter left [1/max_parameter, max_parameter]: the data do
                      // not identify the model (e.g. a handful of customers)
};
const char* FitStatusName(FitStatus status);

struct FitOptions {
  double l2_penalty = 0.0;          // lifetimes' penalizer_coef, >= 0
  int max_iterations = 500;
  double gradient_tolerance = 1e-8;  // on max |d objective / d log p|
  bool allow_not_converged = false;  // false: not converging is an error
  int num_threads = 1;               // 0 = hardware concurrency
  std::vector<double> initial;       // natural parameters; empty = the model's start
  bool skip_standard_errors = false;  // true: no Hessian (saves 2k gradient evaluations)
  // A fit whose parameters drift beyond this factor either way stops as
  // kDiverged. The papers' estimates sit within 1e-2..1e3 in days, weeks or
  // months; a drifting Pareto/NBD also makes each 2F1 evaluation run to its
  // term budget, so without the bound a degenerate summary runs for minutes.
  double max_parameter = 1e5;
};

struct FitResult {
  std::vector<std::string> names;  // the papers' names, e.g. r, alpha, a, b
  std::vector<double> params;
  // Empty when the Hessian is not negative definite (see hessian_message).
  std::vector<double> standard_errors;
  std::string hessian_message;
  double log_likelihood = 0.0;  // total, weighted, without the penalty
  double weight_sum = 0.0;      // customers (sum of the weights)
  FitStatus status = FitStatus::kConverged;
  int iterations = 0;
  int evaluations = 0;       // objective + gradient evaluations
  double gradient_norm = 0;  // max |d objective / d log p| at the end
  double param(const std::string& name) const;  // NaN when unknown
};

// One line: "converged in 23 iterations (31 evaluations), |g| = 3e-10".
std::string DescribeConvergence(const FitResult& fit);

}  // namespace salesight::clv
