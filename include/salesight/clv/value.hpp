// Customer lifetime value as a discounted cash flow over whole periods, the
// discrete form of the papers' DERT (and lifetimes' customer_lifetime_value):
//
//   CLV = margin * E[spend] * sum_{k=1..horizon} (E[Y(kL)] - E[Y((k-1)L)]) / (1+d)^k
//
// E[Y(t)] the customer's expected purchases in the next t (conditional on
// their history), L = period_length in the model's time unit (e.g. 52/12
// weeks for months), d = discount_rate per period; a period's purchases are
// discounted at its end.
#pragma once

#include <functional>
#include <vector>

#include "absl/status/statusor.h"
#include "salesight/clv/bgnbd.hpp"
#include "salesight/clv/fit.hpp"
#include "salesight/clv/gamma_gamma.hpp"

namespace salesight::clv {

struct ValueOptions {
  int horizon = 12;            // periods, >= 1
  double period_length = 1.0;  // in the model's time unit, > 0
  double discount_rate = 0.0;  // per period, > -1
  double margin = 1.0;         // share of spend kept, finite
};

absl::Status CheckValueOptions(const ValueOptions& options);

// expected(t) = E[Y(t)], called at t = L, 2L, ..., horizon L.
absl::StatusOr<double> DiscountedValue(
    const std::function<absl::StatusOr<double>(double t)>& expected, double spend,
    const ValueOptions& options);

// Per customer of a summary: the next-horizon predictions of BG/NBD with
// Gamma-Gamma spend. Columns parallel to the summary's rows.
struct BgNbdPredictions {
  std::vector<double> expected_purchases;  // E[Y(horizon * period_length)]
  std::vector<double> p_alive;
  std::vector<double> expected_spend;  // empty without monetary_value
  std::vector<double> clv;             // empty without monetary_value
};

// Rows are validated first (an error names the row). spend: Gamma-Gamma
// parameters, or nullptr for purchases and P(alive) only.
absl::StatusOr<BgNbdPredictions> PredictBgNbd(const BgNbdParams& params,
                                              const CustomerSummary& summary,
                                              const ValueOptions& options,
                                              const GammaGammaParams* spend = nullptr,
                                              int num_threads = 1);

}  // namespace salesight::clv
