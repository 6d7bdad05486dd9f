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

namespace salesight::clv {
namespace {

// "name": value pairs of a fit (parameters, standard errors, convergence).
std::string FitJson(const FitResult& fit) {
  std::string params, errors;
  for (std::size_t j = 0; j < fit.names.size(); ++j) {
    absl::StrAppendFormat(&params, "%s\"%s\": %.17g", j ? ", " : "", fit.names[j], fit.params[j]);
    if (!fit.standard_errors.empty()) {
      absl::StrAppendFormat(&errors, "%s\"%s\": %.17g", j ? ", " : "", fit.names[j],
                            fit.standard_errors[j]);
    }
  }
  return absl::StrFormat(
      "{\"params\": {%s}, \"standard_errors\": %s, \"log_likelihood\": %.17g, \"customers\": %.17g, "
      "\"convergence\": {\"status\": \"%s\", \"iterations\": %d, \"evaluations\": %d, "
      "\"gradient_norm\": %.6g}}",
      params, fit.standard_errors.empty() ? "null" : "{" + errors + "}", fit.log_likelihood,
      fit.weight_sum, FitStatusName(fit.status), fit.iterations, fit.evaluations,
      fit.gradient_norm);
}

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

absl::StatusOr<ClvRunResult> RunClv(const OrderLines& orders, const ClvRunOptions& o) {
  if (absl::Status st = CheckOptions(o); !st.ok()) return st;
  BtydOptions bo;
  bo.observation_end = o.calibration_end;
  bo.num_threads = o.num_threads;
  bo.unit = o.time_unit == "week" ? BtydTimeUnit::kWeeks : BtydTimeUnit::kDays;
  if (o.model == "bgbb" && o.time_unit == "week") bo.period = GrainUnit::kIsoWeek;
  absl::StatusOr<BtydSummary> btyd = ComputeBtydSummary(orders, bo);
  if (!btyd.ok()) return btyd.status();
  if (o.time_unit == "month") {
    for (double& v : btyd->recency) v *= 12.0 / 365.25;
    for (double& v : btyd->T) v *= 12.0 / 365.25;
  }
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
  const double horizon = static_cast<double>(o.horizon);

  // Gamma-Gamma on the repeaters (bgnbd, pareto-nbd, gamma-gamma).
  std::optional<GammaGammaParams> spend;
  if (o.model != "bgbb") {
    absl::StatusOr<FitResult> gg = FitGammaGamma(s, fo);
    if (gg.ok()) {
      spend = GammaGammaFromFit(*gg);
      absl::StrAppend(&json, ", \"spend_model\": ", FitJson(*gg));
    } else if (o.model == "gamma-gamma") {
      return gg.status();
    } else {
      absl::StrAppendFormat(&json, ", \"spend_model\": null, \"spend_model_error\": \"%s\"",
                            std::string(gg.status().message()));
    }
    if (spend && !(spend->q > 1)) spend.reset();  // E[spend] infinite: no spend, no CLV
  }

  std::vector<double> p_alive(n), expected(n), spend_col, clv_col;
  // Per-customer conditional expectation of the transaction model.
  std::function<absl::StatusOr<double>(double, std::size_t)> conditional;
  std::function<absl::StatusOr<double>(std::size_t)> alive;
  std::optional<FitResult> fit;
  if (o.model == "bgnbd") {
    absl::StatusOr<FitResult> f = FitBgNbd(s, fo);
    if (!f.ok()) return f.status();
    fit = *f;
    const BgNbdParams p = BgNbdFromFit(*f);
    absl::StatusOr<BgNbdPredictions> pred =
        PredictBgNbd(p, s, {.horizon = o.horizon, .period_length = 1.0, .discount_rate = o.discount,
                            .margin = o.margin},
                     spend ? &*spend : nullptr, o.num_threads);
    if (!pred.ok()) return pred.status();
    p_alive = pred->p_alive;
    expected = pred->expected_purchases;
    spend_col = pred->expected_spend;
    clv_col = pred->clv;
  } else if (o.model == "pareto-nbd") {
    absl::StatusOr<FitResult> f = FitParetoNbd(s, fo);
    if (!f.ok()) return f.status();
    fit = *f;
    const ParetoNbdParams p = ParetoNbdFromFit(*f);
    conditional = [&s, p](double t, std::size_t i) {
      return ParetoNbdConditionalExpectedPurchases(p, t, s.frequency[i], s.recency[i], s.T[i]);
    };
    alive = [&s, p](std::size_t i) {
      return ParetoNbdProbabilityAlive(p, s.frequency[i], s.recency[i], s.T[i]);
    };
  } else if (o.model == "bgbb") {
    absl::StatusOr<FitResult> f = FitBgBb(s, fo);
    if (!f.ok()) return f.status();
    fit = *f;
    const BgBbParams p = BgBbFromFit(*f);
    conditional = [&s, p](double t, std::size_t i) {
      return BgBbConditionalExpectedPurchases(p, t, s.frequency[i], s.recency[i], s.T[i]);
    };
    alive = [&s, p](std::size_t i) {
      return BgBbProbabilityAlive(p, s.frequency[i], s.recency[i], s.T[i]);
    };
  }
  if (conditional) {  // pareto-nbd, bgbb: row by row
    if (spend) {
      spend_col.resize(n);
      clv_col.resize(n);
    }
    for (std::size_t i = 0; i < n; ++i) {
      absl::StatusOr<double> a = alive(i);
      absl::StatusOr<double> e = a.ok() ? conditional(horizon, i) : a;
      if (!e.ok()) {
        return absl::Status(e.status().code(), absl::StrCat("customer '",
                                                            out.customers.Find("customer")->strings[i],
                                                            "': ", e.status().message()));
      }
      p_alive[i] = *a;
      expected[i] = *e;
      if (spend) {
        absl::StatusOr<double> z = GammaGammaExpectedSpend(*spend, s.frequency[i], s.monetary_value[i]);
        absl::StatusOr<double> v =
            z.ok() ? DiscountedValue([&](double t) { return conditional(t, i); }, *z, vo) : z;
        if (!v.ok()) return v.status();
        spend_col[i] = *z;
        clv_col[i] = *v;
      }
    }
  }
  if (fit) {
    absl::StrAppend(&json, ", \"transaction_model\": ", FitJson(*fit));
    out.customers.AddDouble("p_alive").doubles.assign(p_alive.begin(), p_alive.end());
    out.customers.AddDouble("expected_purchases").doubles.assign(expected.begin(), expected.end());
    out.summary = absl::StrFormat("clv %s: %d customers, log-likelihood %.4f, %s", o.model, n,
                                  fit->log_likelihood, DescribeConvergence(*fit));
  }
  if (o.model == "gamma-gamma") {
    if (!spend) {
      return absl::FailedPreconditionError(
          "Gamma-Gamma: the fitted q is <= 1, so the expected spend is infinite");
    }
    spend_col.resize(n);
    for (std::size_t i = 0; i < n; ++i) {
      absl::StatusOr<double> z = GammaGammaExpectedSpend(*spend, s.frequency[i], s.monetary_value[i]);
      if (!z.ok()) return z.status();
      spend_col[i] = *z;
    }
    out.summary = absl::StrFormat("clv gamma-gamma: %d customers", n);
  }
  if (!spend_col.empty()) out.customers.AddDouble("expected_spend").doubles.assign(spend_col.begin(), spend_col.end());
  if (!clv_col.empty()) out.customers.AddDouble("clv").doubles.assign(clv_col.begin(), clv_col.end());
  out.params_json = json + "}\n";
  return out;
}

}  // namespace salesight::clv
