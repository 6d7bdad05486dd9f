// One fitted CLV model of any kind, fitted from a customer summary and
// predicting per customer: what the C handle (salesight_clv_model), Python's
// salesight.clv.fit, the CLI's `salesight clv` and RFM's CLV columns share.
//
// bgnbd and pareto-nbd also fit Gamma-Gamma on the repeaters (when the
// summary has monetary_value) for expected spend and CLV; when it cannot be
// fitted (e.g. no repeaters) the model keeps the reason; with it fitted but
// q <= 1 (infinite expected spend) it is kept but not used. Either way the
// model then predicts purchases and P(alive) only. gamma-gamma predicts
// spend only; bgbb purchases and P(alive) (and CLV with a spend model).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "salesight/clv/bgbb.hpp"
#include "salesight/clv/bgnbd.hpp"
#include "salesight/clv/fit.hpp"
#include "salesight/clv/gamma_gamma.hpp"
#include "salesight/clv/pareto_nbd.hpp"
#include "salesight/clv/value.hpp"

namespace salesight::clv {

enum class ModelKind : std::uint8_t { kBgNbd, kParetoNbd, kGammaGamma, kBgBb };

// "bgnbd" | "pareto-nbd" | "gamma-gamma" | "bgbb" (the CLI's and Python's names).
absl::StatusOr<ModelKind> ParseModelKind(std::string_view name);
const char* ModelKindName(ModelKind kind);

struct ClvModel {
  ModelKind kind = ModelKind::kBgNbd;
  FitResult fit;                   // the model's own fit (Gamma-Gamma's for gamma-gamma)
  std::optional<FitResult> spend;  // Gamma-Gamma beside a purchase model, when fitted
  std::string spend_error;         // why there is no spend model ("" when there is)
};

// fit_spend: also fit Gamma-Gamma beside a purchase model (needs monetary_value).
absl::StatusOr<ClvModel> FitModel(ModelKind kind, const CustomerSummary& summary,
                                  const FitOptions& options, bool fit_spend = true);

struct PredictOptions {
  double t = 0;         // expected purchases in the next t time units; <= 0: horizon * period_length
  ValueOptions value;   // CLV: horizon, period_length, discount_rate, margin
  int num_threads = 1;  // 0 = hardware concurrency
};

// Columns parallel to the summary's rows; a column the model cannot give is empty.
struct Predictions {
  std::vector<double> expected_purchases;  // E[Y(t) | x, t_x, T]
  std::vector<double> p_alive;
  std::vector<double> expected_spend;      // E[Z | x, m] (needs a spend model and monetary_value)
  std::vector<double> clv;                 // salesight/clv/value.hpp
};

// Rows are validated (an error names the row). Never NaN: a non-finite
// prediction is an error naming the row.
absl::StatusOr<Predictions> Predict(const ClvModel& model, const CustomerSummary& summary,
                                    const PredictOptions& options);

// A new customer's E[X(t)] (bgnbd, pareto-nbd) and P(X(t) = n) (bgnbd);
// other models: Unimplemented.
absl::StatusOr<double> ExpectedPurchasesNewCustomer(const ClvModel& model, double t);
absl::StatusOr<double> ProbabilityOfPurchasesNewCustomer(const ClvModel& model, double t, int n);

// The fit as JSON: {"params": {...}, "standard_errors": {...}|null,
// "log_likelihood", "customers", "convergence": {...}} (the papers' names).
std::string FitJson(const FitResult& fit);

}  // namespace salesight::clv
