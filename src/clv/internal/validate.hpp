// The checks every model runs on its customer rows before fitting or
// predicting, so that no bad row turns into a NaN. Messages name the
// 1-based row, the column and the value.
#pragma once

#include <cstddef>

#include "absl/status/status.h"
#include "salesight/clv/fit.hpp"

namespace salesight::clv::internal {

struct SummaryNeeds {
  bool recency = true;         // t_x and T are read
  bool monetary = false;       // monetary_value is read (rows with x > 0: > 0)
  std::size_t min_rows = 0;    // fitting: 2
  const char* model = "";      // for messages
};

absl::Status ValidateSummary(const CustomerSummary& s, const SummaryNeeds& needs);

// One customer's checks (the predictions check each row they are given).
absl::Status ValidateCustomer(double x, double t_x, double T);

// The purchase-rate models need one row with x > 0 and positive weight: with
// none the likelihood rises towards r -> 0 and no estimate exists.
absl::Status RequireRepeaters(const CustomerSummary& s, const char* model);

inline double WeightAt(const CustomerSummary& s, std::size_t i) {
  return s.weight.empty() ? 1.0 : s.weight[i];
}

}  // namespace salesight::clv::internal
