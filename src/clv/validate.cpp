#include "clv/internal/validate.hpp"

#include <cmath>

#include "absl/strings/str_cat.h"

namespace salesight::clv::internal {
namespace {

// Above 2^31 repeat purchases a "frequency" is a unit mistake, not a count.
constexpr double kMaxFrequency = 2147483647.0;

}  // namespace

absl::Status ValidateCustomer(double x, double t_x, double T) {
  if (!std::isfinite(x) || x < 0 || x != std::floor(x) || x > kMaxFrequency) {
    return absl::InvalidArgumentError(absl::StrCat(
        "frequency ", x, " is not a whole number of repeat purchases in [0, 2^31)"));
  }
  if (!std::isfinite(t_x) || t_x < 0) {
    return absl::InvalidArgumentError(absl::StrCat("recency ", t_x, " is not a time >= 0"));
  }
  if (!std::isfinite(T) || T < t_x) {
    return absl::InvalidArgumentError(
        absl::StrCat("T ", T, " is not a time >= recency ", t_x));
  }
  return absl::OkStatus();
}

absl::Status ValidateSummary(const CustomerSummary& s, const SummaryNeeds& needs) {
  const std::size_t n = s.frequency.size();
  auto length = [&](const std::vector<double>& v, const char* name) {
    return v.size() == n ? absl::OkStatus()
                         : absl::InvalidArgumentError(absl::StrCat(
                               needs.model, ": ", name, " has ", v.size(),
                               " rows, frequency has ", n));
  };
  if (needs.recency) {
    if (absl::Status st = length(s.recency, "recency"); !st.ok()) return st;
    if (absl::Status st = length(s.T, "T"); !st.ok()) return st;
  }
  if (needs.monetary) {
    if (absl::Status st = length(s.monetary_value, "monetary_value"); !st.ok()) return st;
  }
  if (!s.weight.empty()) {
    if (absl::Status st = length(s.weight, "weight"); !st.ok()) return st;
  }
  if (n < needs.min_rows) {
    return absl::InvalidArgumentError(absl::StrCat(
        needs.model, " cannot be fitted on ", n, " customer row(s): it needs at least ",
        needs.min_rows));
  }
  for (std::size_t i = 0; i < n; ++i) {
    const double x = s.frequency[i];
    absl::Status st = needs.recency ? ValidateCustomer(x, s.recency[i], s.T[i])
                                    : ValidateCustomer(x, 0.0, 0.0);
    if (st.ok() && needs.monetary && x > 0 &&
        (!std::isfinite(s.monetary_value[i]) || s.monetary_value[i] <= 0)) {
      st = absl::InvalidArgumentError(absl::StrCat("monetary_value ", s.monetary_value[i],
                                                   " is not an amount > 0"));
    }
    if (st.ok() && !s.weight.empty() && (!std::isfinite(s.weight[i]) || s.weight[i] < 0)) {
      st = absl::InvalidArgumentError(absl::StrCat("weight ", s.weight[i], " is not >= 0"));
    }
    if (!st.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat(needs.model, ": customer row ", i + 1, ": ", st.message()));
    }
  }
  return absl::OkStatus();
}

absl::Status RequireRepeaters(const CustomerSummary& s, const char* model) {
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s.frequency[i] > 0 && WeightAt(s, i) > 0) return absl::OkStatus();
  }
  return absl::InvalidArgumentError(absl::StrCat(
      model, " cannot be fitted: none of the ", s.size(),
      " customer rows has a repeat purchase (frequency > 0), so the purchase rate has no estimate"));
}

}  // namespace salesight::clv::internal
