// CLV from order lines in one call, what the CLI's `salesight clv` runs:
// the BTYD summary at calibration_end (time counted from each customer's
// first purchase, as in the papers), one model fitted, per-customer
// predictions and the fit as JSON under the papers' parameter names.
//
// time_unit: day or week (exact: days / 7) or month (days / (365.25 / 12)).
// bgnbd and pareto-nbd also fit Gamma-Gamma on the repeaters for expected
// spend and CLV (skipped, with the reason in the JSON, when it cannot be
// fitted). bgbb counts one opportunity per day or ISO week (month: an error).
// Horizon: `horizon` time units; CLV discounts each unit at `discount` and
// keeps `margin` of the spend (salesight/clv/value.hpp).
#pragma once

#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "salesight/btyd.hpp"
#include "salesight/calculator.hpp"
#include "salesight/options.hpp"
#include "salesight/result_table.hpp"
#include "salesight/tables.hpp"

namespace salesight::clv {

struct ClvRunOptions {
  std::string model = "bgnbd";      // bgnbd | pareto-nbd | gamma-gamma | bgbb
  std::string time_unit = "week";   // day | week | month
  Day calibration_end = kNoDate;    // inclusive; kNoDate = the latest order_date
  int horizon = 12;                 // time units ahead
  double discount = 0.0;            // per time unit
  double margin = 1.0;
  double l2_penalty = 0.0;
  bool allow_not_converged = false;  // true: a fit that did not converge is used, its status in the JSON
  int num_threads = 1;
};

absl::Span<const OptionDecl<ClvRunOptions>> ClvOptionDecls();
absl::Status SetClvOption(ClvRunOptions& options, std::string_view name, std::string_view text);

struct ClvRunResult {
  // customer, frequency, recency, T, monetary_value, then by model:
  // p_alive, expected_purchases, expected_spend, clv.
  ResultTable customers;
  std::string params_json;  // model, parameters, standard errors, log_likelihood, convergence
  std::string summary;      // one line for a terminal
};

// The customer summary RunClv fits on: the BTYD summary at calibration_end
// in time_unit (bgbb: opportunities per day or ISO week). Options are checked.
absl::StatusOr<BtydSummary> ClvSummary(const OrderLines& orders, const ClvRunOptions& options);
// ClvSummary in two halves, for a caller that builds the summary in its own
// scan (RFM with a clv_model): the BtydOptions it asks for (options checked;
// observation_end is calibration_end), then the rescaling of recency and T
// to time_unit (month).
absl::StatusOr<BtydOptions> ClvBtydOptions(const ClvRunOptions& options);
void ToClvTimeUnit(const ClvRunOptions& options, BtydSummary& summary);

absl::StatusOr<ClvRunResult> RunClv(const OrderLines& orders, const ClvRunOptions& options);

// The declaration every surface derives from (salesight/calculator.hpp):
// outputs "customers" and "params" (one row: the fit as JSON).
CalculatorSpec ClvCalculator();

}  // namespace salesight::clv
