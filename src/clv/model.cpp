#include "salesight/clv/model.hpp"

#include <cmath>
#include <functional>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace salesight::clv {
namespace {

constexpr const char* kNames[] = {"bgnbd", "pareto-nbd", "gamma-gamma", "bgbb"};

absl::Status RowError(const char* what, std::size_t row, const absl::Status& st) {
  return absl::Status(st.code(), absl::StrCat(what, ": customer row ", row + 1, ": ", st.message()));
}

// The Gamma-Gamma parameters predictions may use (q > 1: finite E[spend]).
std::optional<GammaGammaParams> UsableSpend(const ClvModel& m) {
  const FitResult* fit = m.kind == ModelKind::kGammaGamma ? &m.fit
                         : m.spend                        ? &*m.spend
                                                          : nullptr;
  if (fit == nullptr) return std::nullopt;
  GammaGammaParams p = GammaGammaFromFit(*fit);
  if (!(p.q > 1)) return std::nullopt;
  return p;
}

// The row-by-row models (Pareto/NBD, BG/BB): P(alive) and E[Y(t)] per row.
absl::Status PredictRows(const ClvModel& m, const CustomerSummary& s, const PredictOptions& o,
                         double t, const GammaGammaParams* spend, Predictions& out) {
  std::function<absl::StatusOr<double>(double, std::size_t)> conditional;
  std::function<absl::StatusOr<double>(std::size_t)> alive;
  const char* what;
  if (m.kind == ModelKind::kParetoNbd) {
    const ParetoNbdParams p = ParetoNbdFromFit(m.fit);
    what = "Pareto/NBD prediction";
    conditional = [&s, p](double h, std::size_t i) {
      return ParetoNbdConditionalExpectedPurchases(p, h, s.frequency[i], s.recency[i], s.T[i]);
    };
    alive = [&s, p](std::size_t i) {
      return ParetoNbdProbabilityAlive(p, s.frequency[i], s.recency[i], s.T[i]);
    };
  } else {
    const BgBbParams p = BgBbFromFit(m.fit);
    what = "BG/BB prediction";
    conditional = [&s, p](double h, std::size_t i) {
      return BgBbConditionalExpectedPurchases(p, h, s.frequency[i], s.recency[i], s.T[i]);
    };
    alive = [&s, p](std::size_t i) {
      return BgBbProbabilityAlive(p, s.frequency[i], s.recency[i], s.T[i]);
    };
  }
  const std::size_t n = s.size();
  out.p_alive.resize(n);
  out.expected_purchases.resize(n);
  if (spend != nullptr) {
    out.expected_spend.resize(n);
    out.clv.resize(n);
  }
  for (std::size_t i = 0; i < n; ++i) {
    absl::StatusOr<double> a = alive(i);
    absl::StatusOr<double> e = a.ok() ? conditional(t, i) : a;
    if (!e.ok()) return RowError(what, i, e.status());
    out.p_alive[i] = *a;
    out.expected_purchases[i] = *e;
    if (spend != nullptr) {
      absl::StatusOr<double> z = GammaGammaExpectedSpend(*spend, s.frequency[i], s.monetary_value[i]);
      absl::StatusOr<double> v =
          z.ok() ? DiscountedValue([&](double h) { return conditional(h, i); }, *z, o.value) : z;
      if (!v.ok()) return RowError(what, i, v.status());
      out.expected_spend[i] = *z;
      out.clv[i] = *v;
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<ModelKind> ParseModelKind(std::string_view name) {
  for (int k = 0; k < 4; ++k) {
    if (name == kNames[k]) return static_cast<ModelKind>(k);
  }
  return absl::InvalidArgumentError(absl::StrCat(
      "model '", std::string(name), "' is not one of bgnbd, pareto-nbd, gamma-gamma, bgbb"));
}

const char* ModelKindName(ModelKind kind) { return kNames[static_cast<int>(kind)]; }

absl::StatusOr<ClvModel> FitModel(ModelKind kind, const CustomerSummary& summary,
                                  const FitOptions& options, bool fit_spend) {
  ClvModel m;
  m.kind = kind;
  absl::StatusOr<FitResult> fit;
  switch (kind) {
    case ModelKind::kBgNbd: fit = FitBgNbd(summary, options); break;
    case ModelKind::kParetoNbd: fit = FitParetoNbd(summary, options); break;
    case ModelKind::kGammaGamma: fit = FitGammaGamma(summary, options); break;
    case ModelKind::kBgBb: fit = FitBgBb(summary, options); break;
  }
  if (!fit.ok()) return fit.status();
  m.fit = *std::move(fit);
  if (fit_spend && (kind == ModelKind::kBgNbd || kind == ModelKind::kParetoNbd)) {
    if (summary.monetary_value.empty()) {
      m.spend_error = "the summary has no monetary_value";
    } else {
      absl::StatusOr<FitResult> gg = FitGammaGamma(summary, options);
      if (gg.ok()) {
        m.spend = *std::move(gg);
      } else {
        m.spend_error = std::string(gg.status().message());
      }
    }
  }
  return m;
}

absl::StatusOr<Predictions> Predict(const ClvModel& m, const CustomerSummary& s,
                                    const PredictOptions& o) {
  if (absl::Status st = CheckValueOptions(o.value); !st.ok()) return st;
  const double t = o.t > 0 ? o.t : o.value.horizon * o.value.period_length;
  if (!std::isfinite(t)) return absl::InvalidArgumentError(absl::StrCat("t ", o.t, " is not finite"));
  std::optional<GammaGammaParams> spend = UsableSpend(m);
  // Spend needs each row's monetary_value: without it, purchases only.
  if (m.kind != ModelKind::kGammaGamma && s.monetary_value.empty()) spend.reset();
  Predictions out;
  switch (m.kind) {
    case ModelKind::kBgNbd: {
      absl::StatusOr<BgNbdPredictions> p;
      if (o.t > 0 && o.t != o.value.horizon * o.value.period_length) {
        // E[Y(t)] for another t than the CLV horizon: purchases first, CLV after.
        ValueOptions at_t = o.value;
        at_t.horizon = 1;
        at_t.period_length = t;
        absl::StatusOr<BgNbdPredictions> purchases =
            PredictBgNbd(BgNbdFromFit(m.fit), s, at_t, nullptr, o.num_threads);
        if (!purchases.ok()) return purchases.status();
        p = PredictBgNbd(BgNbdFromFit(m.fit), s, o.value, spend ? &*spend : nullptr, o.num_threads);
        if (p.ok()) p->expected_purchases = std::move(purchases->expected_purchases);
      } else {
        p = PredictBgNbd(BgNbdFromFit(m.fit), s, o.value, spend ? &*spend : nullptr, o.num_threads);
      }
      if (!p.ok()) return p.status();
      out.expected_purchases = std::move(p->expected_purchases);
      out.p_alive = std::move(p->p_alive);
      out.expected_spend = std::move(p->expected_spend);
      out.clv = std::move(p->clv);
      break;
    }
    case ModelKind::kParetoNbd:
    case ModelKind::kBgBb: {
      if (absl::Status st = PredictRows(m, s, o, t, spend ? &*spend : nullptr, out); !st.ok()) {
        return st;
      }
      break;
    }
    case ModelKind::kGammaGamma: {
      if (!spend) {
        return absl::FailedPreconditionError(
            "Gamma-Gamma: the fitted q is <= 1, so the expected spend is infinite");
      }
      if (s.monetary_value.size() != s.size()) {
        return absl::InvalidArgumentError(absl::StrCat("Gamma-Gamma prediction: monetary_value has ",
                                                       s.monetary_value.size(),
                                                       " rows, frequency has ", s.size()));
      }
      out.expected_spend.resize(s.size());
      for (std::size_t i = 0; i < s.size(); ++i) {
        absl::StatusOr<double> z = GammaGammaExpectedSpend(*spend, s.frequency[i], s.monetary_value[i]);
        if (!z.ok()) return RowError("Gamma-Gamma prediction", i, z.status());
        out.expected_spend[i] = *z;
      }
      break;
    }
  }
  // Never NaN: a prediction the arithmetic could not give is an error.
  for (const auto* column : {&out.expected_purchases, &out.p_alive, &out.expected_spend, &out.clv}) {
    for (std::size_t i = 0; i < column->size(); ++i) {
      if (!std::isfinite((*column)[i])) {
        return absl::OutOfRangeError(absl::StrFormat(
            "%s prediction: customer row %d (frequency %g, recency %g, T %g): the prediction is "
            "not a finite number",
            ModelKindName(m.kind), i + 1, s.frequency[i], s.recency.empty() ? 0.0 : s.recency[i],
            s.T.empty() ? 0.0 : s.T[i]));
      }
    }
  }
  return out;
}

absl::StatusOr<double> ExpectedPurchasesNewCustomer(const ClvModel& m, double t) {
  switch (m.kind) {
    case ModelKind::kBgNbd: return BgNbdExpectedPurchases(BgNbdFromFit(m.fit), t);
    case ModelKind::kParetoNbd: return ParetoNbdExpectedPurchases(ParetoNbdFromFit(m.fit), t);
    default:
      return absl::UnimplementedError(absl::StrCat(
          "a new customer's expected purchases are given for bgnbd and pareto-nbd, not ",
          ModelKindName(m.kind)));
  }
}

absl::StatusOr<double> ProbabilityOfPurchasesNewCustomer(const ClvModel& m, double t, int n) {
  if (m.kind != ModelKind::kBgNbd) {
    return absl::UnimplementedError(absl::StrCat(
        "P(X(t) = n) of a new customer is given for bgnbd, not ", ModelKindName(m.kind)));
  }
  return BgNbdProbabilityOfPurchases(BgNbdFromFit(m.fit), t, n);
}

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

}  // namespace salesight::clv
