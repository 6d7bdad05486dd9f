// salesight_clv_*: the CLV model handle. Translation only: fitting and every
// prediction are salesight/clv/model.hpp's, the summary of order lines
// salesight/clv/run.hpp's (the CLI's).
#include <cmath>
#include <cstddef>
#include <cstring>
#include <limits>
#include <memory>
#include <string>

#include "absl/strings/str_format.h"
#include "capi_guard.hpp"
#include "capi_internal.hpp"
#include "options_internal.hpp"
#include "salesight.h"
#include "salesight/btyd.hpp"
#include "salesight/clv/model.hpp"
#include "salesight/clv/run.hpp"

static_assert(sizeof(salesight_clv_fit_options) ==
                  offsetof(salesight_clv_fit_options, gradient_tolerance) + sizeof(double),
              "salesight_clv_fit_options has tail padding");
static_assert(sizeof(salesight_clv_predict_options) ==
                  offsetof(salesight_clv_predict_options, margin) + sizeof(double),
              "salesight_clv_predict_options has tail padding");
static_assert(sizeof(salesight_clv_fit_info) ==
                  offsetof(salesight_clv_fit_info, customers) + sizeof(double),
              "salesight_clv_fit_info has tail padding");
static_assert(SALESIGHT_CLV_BGNBD == static_cast<int>(salesight::clv::ModelKind::kBgNbd) &&
              SALESIGHT_CLV_PARETO_NBD == static_cast<int>(salesight::clv::ModelKind::kParetoNbd) &&
              SALESIGHT_CLV_GAMMA_GAMMA == static_cast<int>(salesight::clv::ModelKind::kGammaGamma) &&
              SALESIGHT_CLV_BGBB == static_cast<int>(salesight::clv::ModelKind::kBgBb));
static_assert(SALESIGHT_CLV_CONVERGED == static_cast<int>(salesight::clv::FitStatus::kConverged) &&
              SALESIGHT_CLV_MAX_ITERATIONS ==
                  static_cast<int>(salesight::clv::FitStatus::kMaxIterations) &&
              SALESIGHT_CLV_LINE_SEARCH_FAILED ==
                  static_cast<int>(salesight::clv::FitStatus::kLineSearchFailed) &&
              SALESIGHT_CLV_DIVERGED == static_cast<int>(salesight::clv::FitStatus::kDiverged));

namespace salesight::capi {

struct ClvModelImpl {
  clv::ClvModel model;
  clv::ClvRunOptions summary;  // model, time_unit, calibration_end (the fit's, when from orders)
};
SALESIGHT_CAPI_HANDLE(salesight_clv_model, ClvModelImpl)

namespace {

constexpr const char* kUnits[] = {"day", "week", "month"};

salesight_clv_fit_options DefaultFitOptions() {
  const clv::FitOptions d;
  salesight_clv_fit_options o{};
  o.struct_size = static_cast<uint32_t>(sizeof(o));
  o.model = SALESIGHT_CLV_BGNBD;
  o.time_unit = SALESIGHT_CLV_UNIT_WEEK;
  o.calibration_end = SALESIGHT_NO_DATE;
  o.max_iterations = d.max_iterations;
  o.allow_not_converged = d.allow_not_converged ? 1 : 0;
  o.fit_spend = 1;
  o.num_threads = d.num_threads;
  o.l2_penalty = d.l2_penalty;
  o.gradient_tolerance = d.gradient_tolerance;
  return o;
}

salesight_clv_predict_options DefaultPredictOptions() {
  const clv::ValueOptions d;
  salesight_clv_predict_options o{};
  o.struct_size = static_cast<uint32_t>(sizeof(o));
  o.horizon = d.horizon;
  o.num_threads = 1;
  o.calibration_end = SALESIGHT_NO_DATE;
  o.t = 0;
  o.period_length = d.period_length;
  o.discount = d.discount_rate;
  o.margin = d.margin;
  return o;
}

// The C fit options as the library's: the fit and the summary's settings.
salesight_status ReadFitOptions(const salesight_clv_fit_options* options, clv::FitOptions* fit,
                                clv::ClvRunOptions* summary, clv::ModelKind* kind,
                                bool* fit_spend) {
  salesight_clv_fit_options o = DefaultFitOptions();
  if (salesight_status st = ReadOptions(options, &o, "salesight_clv_fit_options"); st != SALESIGHT_OK) {
    return st;
  }
  if (o.model < SALESIGHT_CLV_BGNBD || o.model > SALESIGHT_CLV_BGBB) {
    return BadOption("salesight_clv_fit_options.model", o.model);
  }
  if (o.time_unit < SALESIGHT_CLV_UNIT_DAY || o.time_unit > SALESIGHT_CLV_UNIT_MONTH) {
    return BadOption("salesight_clv_fit_options.time_unit", o.time_unit);
  }
  if (o.max_iterations < 1) return BadOption("salesight_clv_fit_options.max_iterations", o.max_iterations);
  if (o.allow_not_converged != 0 && o.allow_not_converged != 1) {
    return BadOption("salesight_clv_fit_options.allow_not_converged", o.allow_not_converged);
  }
  if (o.fit_spend != 0 && o.fit_spend != 1) return BadOption("salesight_clv_fit_options.fit_spend", o.fit_spend);
  if (salesight_status st = CheckThreads(o.num_threads); st != SALESIGHT_OK) return st;
  if (!(o.l2_penalty >= 0) || !std::isfinite(o.l2_penalty)) {
    return Fail(SALESIGHT_ERR_INVALID_ARGUMENT,
                absl::StrFormat("salesight_clv_fit_options.l2_penalty = %g is not a number >= 0",
                                o.l2_penalty));
  }
  if (!(o.gradient_tolerance > 0) || !std::isfinite(o.gradient_tolerance)) {
    return Fail(SALESIGHT_ERR_INVALID_ARGUMENT,
                absl::StrFormat("salesight_clv_fit_options.gradient_tolerance = %g is not > 0",
                                o.gradient_tolerance));
  }
  *kind = static_cast<clv::ModelKind>(o.model);
  *fit_spend = o.fit_spend == 1;
  fit->l2_penalty = o.l2_penalty;
  fit->max_iterations = o.max_iterations;
  fit->gradient_tolerance = o.gradient_tolerance;
  fit->allow_not_converged = o.allow_not_converged == 1;
  fit->num_threads = o.num_threads;
  summary->model = clv::ModelKindName(*kind);
  summary->time_unit = kUnits[o.time_unit];
  summary->calibration_end = o.calibration_end;
  summary->num_threads = o.num_threads;
  return SALESIGHT_OK;
}

salesight_status ReadPredictOptions(const salesight_clv_predict_options* options,
                                    clv::PredictOptions* p, Day* calibration_end) {
  salesight_clv_predict_options o = DefaultPredictOptions();
  if (salesight_status st = ReadOptions(options, &o, "salesight_clv_predict_options");
      st != SALESIGHT_OK) {
    return st;
  }
  if (salesight_status st = CheckThreads(o.num_threads); st != SALESIGHT_OK) return st;
  if (!(o.t >= 0) || !std::isfinite(o.t)) {
    return Fail(SALESIGHT_ERR_INVALID_ARGUMENT,
                absl::StrFormat("salesight_clv_predict_options.t = %g is not a time >= 0", o.t));
  }
  p->t = o.t;
  p->num_threads = o.num_threads;
  p->value.horizon = o.horizon;
  p->value.period_length = o.period_length;
  p->value.discount_rate = o.discount;
  p->value.margin = o.margin;
  *calibration_end = o.calibration_end;
  // horizon, period_length, discount, margin: clv::Predict checks them (its message names them).
  return SALESIGHT_OK;
}

// A summary over the caller's columns (copied: the model outlives them).
salesight_status SummaryOf(const char* fn, const double* frequency, const double* recency,
                           const double* T, const double* monetary_value, const double* weight,
                           int64_t n, clv::CustomerSummary* s) {
  if (n < 0) {
    return Fail(SALESIGHT_ERR_INVALID_ARGUMENT,
                absl::StrFormat("%s: num_customers = %d is negative", fn, n));
  }
  if (n > 0) {
    if (frequency == nullptr) return NullArgument(fn, "frequency");
    if (recency == nullptr) return NullArgument(fn, "recency");
    if (T == nullptr) return NullArgument(fn, "T");
  }
  const auto count = static_cast<std::size_t>(n);
  auto copy = [count](const double* p, std::vector<double>* v) {
    if (p != nullptr && count > 0) v->assign(p, p + count);
  };
  copy(frequency, &s->frequency);
  copy(recency, &s->recency);
  copy(T, &s->T);
  copy(monetary_value, &s->monetary_value);
  copy(weight, &s->weight);
  return SALESIGHT_OK;
}

salesight_status Keep(clv::ClvModel model, const clv::ClvRunOptions& summary,
                      salesight_clv_model** out) {
  auto impl = std::make_unique<ClvModelImpl>();
  impl->model = std::move(model);
  impl->summary = summary;
  *out = ToHandle(impl.release());
  return SALESIGHT_OK;
}

salesight_status Fit(const double* frequency, const double* recency, const double* T,
                     const double* monetary_value, const double* weight, int64_t n,
                     const salesight_clv_fit_options* options, salesight_clv_model** out) {
  constexpr const char* kFn = "salesight_clv_fit";
  if (out == nullptr) return NullArgument(kFn, "out");
  *out = nullptr;
  clv::FitOptions fit;
  clv::ClvRunOptions summary;
  clv::ModelKind kind;
  bool fit_spend;
  if (salesight_status st = ReadFitOptions(options, &fit, &summary, &kind, &fit_spend);
      st != SALESIGHT_OK) {
    return st;
  }
  summary.calibration_end = kNoDate;  // not from orders
  clv::CustomerSummary s;
  if (salesight_status st = SummaryOf(kFn, frequency, recency, T, monetary_value, weight, n, &s);
      st != SALESIGHT_OK) {
    return st;
  }
  absl::StatusOr<clv::ClvModel> model = clv::FitModel(kind, s, fit, fit_spend);
  if (!model.ok()) return FromStatus(model.status());
  return Keep(*std::move(model), summary, out);
}

// The summary of a dataset's order lines under `summary`'s settings.
salesight_status DatasetSummary(const char* fn, const salesight_dataset* dataset,
                                const clv::ClvRunOptions& summary, BtydSummary* out) {
  if (dataset == nullptr) return NullArgument(fn, "dataset");
  const Dataset& data = DatasetOf(dataset);
  if (data.orders() == nullptr) {
    return Fail(SALESIGHT_ERR_INVALID_ARGUMENT,
                absl::StrFormat("%s: the dataset has no order lines", fn));
  }
  absl::StatusOr<BtydSummary> btyd = clv::ClvSummary(*data.orders(), summary);
  if (!btyd.ok()) return FromStatus(btyd.status());
  *out = *std::move(btyd);
  return SALESIGHT_OK;
}

salesight_status FitDataset(const salesight_dataset* dataset,
                            const salesight_clv_fit_options* options, salesight_clv_model** out) {
  constexpr const char* kFn = "salesight_clv_fit_dataset";
  if (out == nullptr) return NullArgument(kFn, "out");
  *out = nullptr;
  clv::FitOptions fit;
  clv::ClvRunOptions summary;
  clv::ModelKind kind;
  bool fit_spend;
  if (salesight_status st = ReadFitOptions(options, &fit, &summary, &kind, &fit_spend);
      st != SALESIGHT_OK) {
    return st;
  }
  BtydSummary btyd;
  if (salesight_status st = DatasetSummary(kFn, dataset, summary, &btyd); st != SALESIGHT_OK) {
    return st;
  }
  summary.calibration_end = btyd.observation_end;
  absl::StatusOr<clv::ClvModel> model =
      clv::FitModel(kind, clv::FromBtydSummary(btyd), fit, fit_spend);
  if (!model.ok()) return FromStatus(model.status());
  return Keep(*std::move(model), summary, out);
}

salesight_status Summary(const salesight_dataset* dataset, const salesight_clv_fit_options* options,
                         salesight_result** out) {
  constexpr const char* kFn = "salesight_clv_summary";
  if (out == nullptr) return NullArgument(kFn, "out");
  *out = nullptr;
  clv::FitOptions fit;
  clv::ClvRunOptions summary;
  clv::ModelKind kind;
  bool fit_spend;
  if (salesight_status st = ReadFitOptions(options, &fit, &summary, &kind, &fit_spend);
      st != SALESIGHT_OK) {
    return st;
  }
  BtydSummary btyd;
  if (salesight_status st = DatasetSummary(kFn, dataset, summary, &btyd); st != SALESIGHT_OK) {
    return st;
  }
  return NewResult(ToResultTable(btyd), out);
}

// The fit `which` names, or an error saying why there is none.
salesight_status FitOf(const char* fn, const salesight_clv_model* model, int32_t which,
                       const clv::FitResult** out) {
  if (model == nullptr) return NullArgument(fn, "model");
  const ClvModelImpl& m = *Impl(model);
  if (which == SALESIGHT_CLV_FIT_MODEL) {
    *out = &m.model.fit;
    return SALESIGHT_OK;
  }
  if (which != SALESIGHT_CLV_FIT_SPEND) return BadOption("salesight_clv_model which", which);
  if (!m.model.spend) {
    return Fail(SALESIGHT_ERR_INVALID_ARGUMENT,
                absl::StrFormat("%s: the %s model has no spend fit%s%s", fn,
                                clv::ModelKindName(m.model.kind),
                                m.model.spend_error.empty() ? "" : ": ", m.model.spend_error));
  }
  *out = &*m.model.spend;
  return SALESIGHT_OK;
}

salesight_status Info(const salesight_clv_model* model, int32_t which, salesight_clv_fit_info* out) {
  constexpr const char* kFn = "salesight_clv_model_info";
  if (out == nullptr) return NullArgument(kFn, "out");
  const std::uint32_t size = out->struct_size;
  if (size < sizeof(std::uint32_t) || size > kMaxOptionsStructSize) {
    return Fail(SALESIGHT_ERR_INVALID_ARGUMENT,
                absl::StrFormat("%s: out->struct_size = %u is not a valid size (this library's "
                                "struct is %u bytes); set it to sizeof(salesight_clv_fit_info)",
                                kFn, size, sizeof(salesight_clv_fit_info)));
  }
  const clv::FitResult* fit = nullptr;
  if (salesight_status st = FitOf(kFn, model, which, &fit); st != SALESIGHT_OK) return st;
  const ClvModelImpl& m = *Impl(model);
  salesight_clv_fit_info info{};
  info.struct_size = size;
  info.model = which == SALESIGHT_CLV_FIT_SPEND ? SALESIGHT_CLV_GAMMA_GAMMA
                                                : static_cast<int32_t>(m.model.kind);
  info.status = static_cast<int32_t>(fit->status);
  info.iterations = fit->iterations;
  info.evaluations = fit->evaluations;
  info.num_params = static_cast<int32_t>(fit->params.size());
  info.has_standard_errors = fit->standard_errors.empty() ? 0 : 1;
  for (int32_t u = 0; u < 3; ++u) {
    if (m.summary.time_unit == kUnits[u]) info.time_unit = u;
  }
  info.log_likelihood = fit->log_likelihood;
  info.gradient_norm = fit->gradient_norm;
  info.customers = fit->weight_sum;
  // The caller's struct may be older (shorter) or newer (longer): write what both know.
  std::memcpy(static_cast<void*>(out), &info, size < sizeof(info) ? size : sizeof(info));
  return SALESIGHT_OK;
}

salesight_status Param(const salesight_clv_model* model, int32_t which, int32_t index,
                       const char** out_name, double* out_estimate, double* out_std_error) {
  constexpr const char* kFn = "salesight_clv_model_param";
  if (out_name == nullptr) return NullArgument(kFn, "out_name");
  if (out_estimate == nullptr) return NullArgument(kFn, "out_estimate");
  if (out_std_error == nullptr) return NullArgument(kFn, "out_std_error");
  const clv::FitResult* fit = nullptr;
  if (salesight_status st = FitOf(kFn, model, which, &fit); st != SALESIGHT_OK) return st;
  if (index < 0 || static_cast<std::size_t>(index) >= fit->params.size()) {
    return Fail(SALESIGHT_ERR_INVALID_ARGUMENT,
                absl::StrFormat("%s: index %d is not in 0..%d", kFn, index,
                                static_cast<int>(fit->params.size()) - 1));
  }
  const auto j = static_cast<std::size_t>(index);
  *out_name = fit->names[j].c_str();
  *out_estimate = fit->params[j];
  *out_std_error = fit->standard_errors.empty() ? 0.0 : fit->standard_errors[j];
  return SALESIGHT_OK;
}

salesight_status NewCustomer(const char* fn, const salesight_clv_model* model, double t, int32_t n,
                             bool probability, double* out) {
  if (out == nullptr) return NullArgument(fn, "out");
  if (model == nullptr) return NullArgument(fn, "model");
  if (!(t >= 0) || !std::isfinite(t)) {
    return Fail(SALESIGHT_ERR_INVALID_ARGUMENT, absl::StrFormat("%s: t = %g is not a time >= 0", fn, t));
  }
  if (n < 0) return Fail(SALESIGHT_ERR_INVALID_ARGUMENT, absl::StrFormat("%s: n = %d < 0", fn, n));
  const clv::ClvModel& m = Impl(model)->model;
  absl::StatusOr<double> v = probability ? clv::ProbabilityOfPurchasesNewCustomer(m, t, n)
                                         : clv::ExpectedPurchasesNewCustomer(m, t);
  if (!v.ok()) return FromStatus(v.status());
  *out = *v;
  return SALESIGHT_OK;
}

// Appends the prediction columns to `table` and hands it out.
salesight_status Emit(const clv::ClvModel& model, const clv::CustomerSummary& s,
                      const clv::PredictOptions& p, ResultTable table, salesight_result** out) {
  absl::StatusOr<clv::Predictions> pred = clv::Predict(model, s, p);
  if (!pred.ok()) return FromStatus(pred.status());
  for (auto [name, column] : {std::pair{"expected_purchases", &pred->expected_purchases},
                              std::pair{"p_alive", &pred->p_alive},
                              std::pair{"expected_spend", &pred->expected_spend},
                              std::pair{"clv", &pred->clv}}) {
    if (!column->empty()) table.AddDouble(name).doubles.assign(column->begin(), column->end());
  }
  return NewResult(std::move(table), out);
}

salesight_status PredictSummary(const salesight_clv_model* model, const double* frequency,
                                const double* recency, const double* T,
                                const double* monetary_value, int64_t n,
                                const salesight_clv_predict_options* options,
                                salesight_result** out) {
  constexpr const char* kFn = "salesight_clv_predict";
  if (out == nullptr) return NullArgument(kFn, "out");
  *out = nullptr;
  if (model == nullptr) return NullArgument(kFn, "model");
  clv::PredictOptions p;
  Day calibration_end;
  if (salesight_status st = ReadPredictOptions(options, &p, &calibration_end); st != SALESIGHT_OK) {
    return st;
  }
  clv::CustomerSummary s;
  if (salesight_status st = SummaryOf(kFn, frequency, recency, T, monetary_value, nullptr, n, &s);
      st != SALESIGHT_OK) {
    return st;
  }
  ResultTable table;
  table.AddDouble("frequency").doubles.assign(s.frequency.begin(), s.frequency.end());
  table.AddDouble("recency").doubles.assign(s.recency.begin(), s.recency.end());
  table.AddDouble("T").doubles.assign(s.T.begin(), s.T.end());
  return Emit(Impl(model)->model, s, p, std::move(table), out);
}

salesight_status PredictDataset(const salesight_clv_model* model, const salesight_dataset* dataset,
                                const salesight_clv_predict_options* options,
                                salesight_result** out) {
  constexpr const char* kFn = "salesight_clv_predict_dataset";
  if (out == nullptr) return NullArgument(kFn, "out");
  *out = nullptr;
  if (model == nullptr) return NullArgument(kFn, "model");
  clv::PredictOptions p;
  Day calibration_end;
  if (salesight_status st = ReadPredictOptions(options, &p, &calibration_end); st != SALESIGHT_OK) {
    return st;
  }
  clv::ClvRunOptions summary = Impl(model)->summary;
  if (calibration_end != kNoDate) summary.calibration_end = calibration_end;
  summary.num_threads = p.num_threads;
  BtydSummary btyd;
  if (salesight_status st = DatasetSummary(kFn, dataset, summary, &btyd); st != SALESIGHT_OK) {
    return st;
  }
  return Emit(Impl(model)->model, clv::FromBtydSummary(btyd), p, ToResultTable(btyd), out);
}

}  // namespace
}  // namespace salesight::capi

extern "C" {

salesight_status salesight_clv_fit_options_init(salesight_clv_fit_options* options,
                                                size_t struct_size) {
  return salesight::capi::InitOptions("salesight_clv_fit_options_init", options, struct_size,
                                      salesight::capi::DefaultFitOptions);
}

salesight_status salesight_clv_predict_options_init(salesight_clv_predict_options* options,
                                                    size_t struct_size) {
  return salesight::capi::InitOptions("salesight_clv_predict_options_init", options, struct_size,
                                      salesight::capi::DefaultPredictOptions);
}

salesight_status salesight_clv_fit(const double* frequency, const double* recency, const double* T,
                                   const double* monetary_value, const double* weight,
                                   int64_t num_customers, const salesight_clv_fit_options* options,
                                   salesight_clv_model** out) {
  return salesight::capi::Guard([&] {
    return salesight::capi::Fit(frequency, recency, T, monetary_value, weight, num_customers,
                                options, out);
  });
}

salesight_status salesight_clv_summary(const salesight_dataset* dataset,
                                       const salesight_clv_fit_options* options,
                                       salesight_result** out) {
  return salesight::capi::Guard([&] { return salesight::capi::Summary(dataset, options, out); });
}

salesight_status salesight_clv_fit_dataset(const salesight_dataset* dataset,
                                           const salesight_clv_fit_options* options,
                                           salesight_clv_model** out) {
  return salesight::capi::Guard([&] { return salesight::capi::FitDataset(dataset, options, out); });
}

void salesight_clv_model_destroy(salesight_clv_model* model) {
  delete salesight::capi::Impl(model);
}

salesight_status salesight_clv_model_info(const salesight_clv_model* model, int32_t which,
                                          salesight_clv_fit_info* out) {
  return salesight::capi::Guard([&] { return salesight::capi::Info(model, which, out); });
}

salesight_status salesight_clv_model_param(const salesight_clv_model* model, int32_t which,
                                           int32_t index, const char** out_name,
                                           double* out_estimate, double* out_std_error) {
  return salesight::capi::Guard([&] {
    return salesight::capi::Param(model, which, index, out_name, out_estimate, out_std_error);
  });
}

salesight_status salesight_clv_model_expected_purchases(const salesight_clv_model* model, double t,
                                                        double* out) {
  return salesight::capi::Guard([&] {
    return salesight::capi::NewCustomer("salesight_clv_model_expected_purchases", model, t, 0,
                                        false, out);
  });
}

salesight_status salesight_clv_model_probability_of_purchases(const salesight_clv_model* model,
                                                              double t, int32_t n, double* out) {
  return salesight::capi::Guard([&] {
    return salesight::capi::NewCustomer("salesight_clv_model_probability_of_purchases", model, t,
                                        n, true, out);
  });
}

salesight_status salesight_clv_predict(const salesight_clv_model* model, const double* frequency,
                                       const double* recency, const double* T,
                                       const double* monetary_value, int64_t num_customers,
                                       const salesight_clv_predict_options* options,
                                       salesight_result** out) {
  return salesight::capi::Guard([&] {
    return salesight::capi::PredictSummary(model, frequency, recency, T, monetary_value,
                                           num_customers, options, out);
  });
}

salesight_status salesight_clv_predict_dataset(const salesight_clv_model* model,
                                               const salesight_dataset* dataset,
                                               const salesight_clv_predict_options* options,
                                               salesight_result** out) {
  return salesight::capi::Guard([&] {
    return salesight::capi::PredictDataset(model, dataset, options, out);
  });
}

}  // extern "C"
