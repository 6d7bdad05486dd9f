#include "salesight/clv/run.hpp"

#include <cmath>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "salesight/btyd.hpp"
#include "salesight/clv.hpp"
#include "salesight/clv/model.hpp"

namespace salesight::clv {
namespace {

absl::Status CheckOptions(const ClvRunOptions& o) {
  if (o.model != "bgnbd" && o.model != "pareto-nbd" && o.model != "gamma-gamma" && o.model != "bgbb") {
    return absl::InvalidArgumentError(absl::StrCat(
        "model '", o.model, "' is not one of bgnbd, pareto-nbd, gamma-gamma, bgbb"));
  }
  if (o.time_unit != "day" && o.time_unit != "week" && o.time_unit != "month") {
    return absl::InvalidArgumentError(
        absl::StrCat("time_unit '", o.time_unit, "' is not one of day, week, month"));
  }
  if (o.model == "bgbb" && o.time_unit == "month") {
    return absl::InvalidArgumentError(
        "bgbb counts one opportunity per day or per ISO week: use time_unit day or week");
  }
  ValueOptions v;
  v.horizon = o.horizon;
  v.discount_rate = o.discount;
  v.margin = o.margin;
  return CheckValueOptions(v);
}

}  // namespace

absl::StatusOr<BtydOptions> ClvBtydOptions(const ClvRunOptions& o) {
  if (absl::Status st = CheckOptions(o); !st.ok()) return st;
  BtydOptions bo;
  bo.observation_end = o.calibration_end;
  bo.num_threads = o.num_threads;
  bo.unit = o.time_unit == "week" ? BtydTimeUnit::kWeeks : BtydTimeUnit::kDays;
  if (o.model == "bgbb" && o.time_unit == "week") bo.period = GrainUnit::kIsoWeek;
  return bo;
}

void ToClvTimeUnit(const ClvRunOptions& o, BtydSummary& summary) {
  if (o.time_unit != "month") return;
  for (double& v : summary.recency) v *= 12.0 / 365.25;
  for (double& v : summary.T) v *= 12.0 / 365.25;
}

absl::StatusOr<BtydSummary> ClvSummary(const OrderLines& orders, const ClvRunOptions& o) {
  absl::StatusOr<BtydOptions> bo = ClvBtydOptions(o);
  if (!bo.ok()) return bo.status();
  absl::StatusOr<BtydSummary> btyd = ComputeBtydSummary(orders, *bo);
  if (!btyd.ok()) return btyd.status();
  ToClvTimeUnit(o, *btyd);
  return btyd;
}

absl::StatusOr<ClvRunResult> RunClv(const OrderLines& orders, const ClvRunOptions& o) {
  absl::StatusOr<BtydSummary> btyd = ClvSummary(orders, o);
  if (!btyd.ok()) return btyd.status();
  const CustomerSummary s = FromBtydSummary(*btyd);
  const std::size_t n = s.size();
  FitOptions fo;
  fo.l2_penalty = o.l2_penalty;
  fo.num_threads = o.num_threads;
  fo.allow_not_converged = o.allow_not_converged;
  ValueOptions vo;
  vo.horizon = o.horizon;
  vo.discount_rate = o.discount;
  vo.margin = o.margin;

  ClvRunResult out;
  out.customers = ToResultTable(*btyd);
  std::string json = absl::StrFormat(
      "{\"model\": \"%s\", \"time_unit\": \"%s\", \"calibration_end\": \"%s\", \"horizon\": %d, "
      "\"discount\": %.17g, \"margin\": %.17g",
      o.model, o.time_unit, FormatDate(btyd->observation_end), o.horizon, o.discount, o.margin);

  absl::StatusOr<ModelKind> kind = ParseModelKind(o.model);
  if (!kind.ok()) return kind.status();
  absl::StatusOr<ClvModel> model = FitModel(*kind, s, fo);
  if (!model.ok()) return model.status();
  if (*kind == ModelKind::kGammaGamma) {
    absl::StrAppend(&json, ", \"spend_model\": ", FitJson(model->fit));
  } else if (*kind != ModelKind::kBgBb) {
    if (model->spend) {
      absl::StrAppend(&json, ", \"spend_model\": ", FitJson(*model->spend));
    } else {
      absl::StrAppendFormat(&json, ", \"spend_model\": null, \"spend_model_error\": \"%s\"",
                            model->spend_error);
    }
  }
  absl::StatusOr<Predictions> pred = Predict(*model, s, {.value = vo, .num_threads = o.num_threads});
  if (!pred.ok()) return pred.status();
  if (*kind == ModelKind::kGammaGamma) {
    out.summary = absl::StrFormat("clv gamma-gamma: %d customers", n);
  } else {
    absl::StrAppend(&json, ", \"transaction_model\": ", FitJson(model->fit));
    out.summary = absl::StrFormat("clv %s: %d customers, log-likelihood %.4f, %s", o.model, n,
                                  model->fit.log_likelihood, DescribeConvergence(model->fit));
  }
  for (auto [name, column] : {std::pair{"p_alive", &pred->p_alive},
                              std::pair{"expected_purchases", &pred->expected_purchases},
                              std::pair{"expected_spend", &pred->expected_spend},
                              std::pair{"clv", &pred->clv}}) {
    if (!column->empty()) out.customers.AddDouble(name).doubles.assign(column->begin(), column->end());
  }
  out.params_json = json + "}\n";
  return out;
}

}  // namespace salesight::clv
