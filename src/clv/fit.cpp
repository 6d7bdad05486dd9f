#include "salesight/clv/fit.hpp"

#include <cmath>
#include <cstddef>
#include <limits>

#include "absl/strings/str_format.h"

namespace salesight::clv {

CustomerSummary FromBtydSummary(const BtydSummary& summary) {
  CustomerSummary s;
  s.frequency.assign(summary.frequency.begin(), summary.frequency.end());
  s.recency = summary.recency;
  s.T = summary.T;
  s.monetary_value = summary.monetary_value;
  return s;
}

const char* FitStatusName(FitStatus status) {
  switch (status) {
    case FitStatus::kConverged:
      return "converged";
    case FitStatus::kMaxIterations:
      return "max_iterations";
    case FitStatus::kLineSearchFailed:
      return "line_search_failed";
    case FitStatus::kDiverged:
      return "diverged";
  }
  return "unknown";
}

double FitResult::param(const std::string& name) const {
  for (std::size_t j = 0; j < names.size(); ++j) {
    if (names[j] == name) return params[j];
  }
  return std::numeric_limits<double>::quiet_NaN();
}

std::string DescribeConvergence(const FitResult& fit) {
  return absl::StrFormat("%s in %d iterations (%d evaluations), max |gradient| = %g",
                         FitStatusName(fit.status), fit.iterations, fit.evaluations,
                         fit.gradient_norm);
}

}  // namespace salesight::clv
