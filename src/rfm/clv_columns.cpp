// RFM's CLV columns and CLV-valued M (salesight/rfm.hpp, "CLV columns"): a
// BTYD model fitted on the same order lines, its predictions per customer id.
#include <cmath>
#include <limits>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "salesight/status_macros.hpp"
#include "internal/rfm.hpp"
#include "salesight/btyd.hpp"
#include "salesight/clv/model.hpp"
#include "salesight/clv/run.hpp"
#include "salesight/rfm.hpp"

namespace salesight {

absl::StatusOr<RfmClvModel> ParseRfmClvModel(std::string_view name) {
  if (name == "none") return RfmClvModel::kNone;
  if (name == "bgnbd") return RfmClvModel::kBgNbd;
  if (name == "pareto-nbd") return RfmClvModel::kParetoNbd;
  return absl::InvalidArgumentError(
      absl::StrCat("clv_model '", std::string(name), "' is not one of none, bgnbd, pareto-nbd"));
}

absl::StatusOr<RfmValue> ParseRfmValue(std::string_view name) {
  if (name == "monetary") return RfmValue::kMonetary;
  if (name == "clv") return RfmValue::kClv;
  return absl::InvalidArgumentError(
      absl::StrCat("value_measure '", std::string(name), "' is not one of monetary, clv"));
}

namespace rfm_internal {

absl::Status CheckClvOptions(const RfmOptions& o) {
  if (o.value == RfmValue::kClv && o.clv.model == RfmClvModel::kNone) {
    return absl::InvalidArgumentError(
        "rfm: value_measure clv needs a clv_model (bgnbd or pareto-nbd)");
  }
  if (o.clv.model == RfmClvModel::kNone) return absl::OkStatus();
  if (o.value == RfmValue::kClv && o.aggregation == RfmAggregation::kMeanPerOrder) {
    return absl::InvalidArgumentError(
        "rfm: value_measure clv ranks customers by CLV, which has no mean per order: use "
        "aggregation sum");
  }
  if (!o.by.empty()) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "rfm: clv_model fits one model on all customers and takes no by ('%s')", o.by));
  }
  if (o.clv.time_unit != "day" && o.clv.time_unit != "week" && o.clv.time_unit != "month") {
    return absl::InvalidArgumentError(
        absl::StrCat("rfm: clv_time_unit '", o.clv.time_unit, "' is not one of day, week, month"));
  }
  clv::ValueOptions v;
  v.horizon = o.clv.horizon;
  v.discount_rate = o.clv.discount;
  v.margin = o.clv.margin;
  absl::Status st = clv::CheckValueOptions(v);
  if (!st.ok()) return absl::InvalidArgumentError(absl::StrCat("rfm: clv ", st.message()));
  return absl::OkStatus();
}

absl::Status CheckNoClv(const RfmOptions& o, std::string_view what) {
  if (o.clv.model == RfmClvModel::kNone && o.value == RfmValue::kMonetary) return absl::OkStatus();
  return absl::InvalidArgumentError(absl::StrFormat(
      "rfm: %s cannot add CLV (clv_model, value_measure): the model is fitted on all order "
      "lines at once; use ComputeRfm",
      what));
}

clv::ClvRunOptions ClvRunFor(const RfmOptions& o) {
  clv::ClvRunOptions run;
  run.model = o.clv.model == RfmClvModel::kBgNbd ? "bgnbd" : "pareto-nbd";
  run.time_unit = o.clv.time_unit;
  run.calibration_end = o.as_of;  // RFM uses the lines ON as_of too
  run.horizon = o.clv.horizon;
  run.discount = o.clv.discount;
  run.margin = o.clv.margin;
  run.num_threads = o.num_threads;
  return run;
}

absl::StatusOr<ClvById> ComputeClvById(const BtydSummary& btyd, std::int32_t num_customers,
                                       const RfmOptions& o) {
  const clv::ClvRunOptions run = ClvRunFor(o);
  const clv::CustomerSummary s = clv::FromBtydSummary(btyd);
  clv::FitOptions fit;
  fit.num_threads = o.num_threads;
  SALESIGHT_ASSIGN_OR_RETURN(clv::ModelKind kind, clv::ParseModelKind(run.model));
  absl::StatusOr<clv::ClvModel> model = clv::FitModel(kind, s, fit);
  if (!model.ok()) {
    return absl::Status(model.status().code(),
                        absl::StrCat("rfm: clv_model ", run.model, ": ", model.status().message()));
  }
  clv::PredictOptions p;
  p.value.horizon = o.clv.horizon;
  p.value.discount_rate = o.clv.discount;
  p.value.margin = o.clv.margin;
  p.num_threads = o.num_threads;
  absl::StatusOr<clv::Predictions> pred = clv::Predict(*model, s, p);
  if (!pred.ok()) {
    return absl::Status(pred.status().code(),
                        absl::StrCat("rfm: clv_model ", run.model, ": ", pred.status().message()));
  }
  if (pred->clv.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "rfm: clv_model ", run.model, ": no CLV without a spend model (Gamma-Gamma): ",
        model->spend ? "its q <= 1, so the expected spend is infinite" : model->spend_error));
  }
  ClvById out;
  const auto ids = static_cast<std::size_t>(num_customers);
  out.p_alive.assign(ids, 0.0);
  out.expected_purchases.assign(ids, 0.0);
  out.clv.assign(ids, 0.0);
  out.known.assign(ids, 0);
  for (std::size_t i = 0; i < btyd.customer.size(); ++i) {
    const auto id = static_cast<std::size_t>(btyd.customer[i]);
    out.p_alive[id] = pred->p_alive[i];
    out.expected_purchases[id] = pred->expected_purchases[i];
    out.clv[id] = pred->clv[i];
    out.known[id] = 1;
  }
  return out;
}

absl::StatusOr<Money> ClvMinorUnits(double clv, int money_scale, Id customer) {
  const double minor = std::round(clv * static_cast<double>(Pow10(money_scale)));
  // 2^63 is exactly representable; anything at or past it does not fit.
  if (!(std::fabs(minor) < 9.2e18)) {
    return absl::OutOfRangeError(absl::StrFormat(
        "rfm: customer id %d: CLV %g does not fit money in minor units (scale %d)", customer, clv,
        money_scale));
  }
  return static_cast<Money>(minor);
}

void AttachClvColumns(const ClvById& by_id, RfmResult& result) {
  const std::size_t n = result.customers.size();
  result.has_clv = true;
  result.p_alive.resize(n);
  result.expected_purchases.resize(n);
  result.clv.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    const auto id = static_cast<std::size_t>(result.customers[i].customer);
    result.p_alive[i] = by_id.p_alive[id];
    result.expected_purchases[i] = by_id.expected_purchases[id];
    result.clv[i] = by_id.clv[id];
  }
}

}  // namespace rfm_internal
}  // namespace salesight
