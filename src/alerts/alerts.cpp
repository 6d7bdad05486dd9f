// ComputeAlerts: the anomaly pass and the rule pass over the KPI series
// (internal/series.hpp), then one ordering for both.
#include <algorithm>
#include <cmath>
#include <string>
#include <tuple>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "alerts/internal/series.hpp"
#include "alerts/internal/wording.hpp"
#include "salesight/names.hpp"

namespace salesight {
namespace {

__extension__ typedef __int128 Int128;

using alerts_internal::Kpi;
using alerts_internal::Series;
using alerts_internal::Slice;
using alerts_internal::Source;
using alerts_internal::Value;
using alerts_internal::Windows;

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

bool Known(const Value& v) { return v.den > 0; }

// a op b for a = an / ad and b = bn / bd exactly (ad, bd > 0): an x bd op bn x ad
// in 128 bits (long double only when even those overflow).
bool Holds(AlertOp op, Int128 lhs, Int128 rhs) {
  switch (op) {
    case AlertOp::kLess: return lhs < rhs;
    case AlertOp::kLessEqual: return lhs <= rhs;
    case AlertOp::kGreater: return lhs > rhs;
    default: return lhs >= rhs;
  }
}

// x1 * x2 * x3 op y1 * y2 * y3, exact.
bool CompareProducts(AlertOp op, Int128 x1, Int128 x2, Int128 x3, Int128 y1, Int128 y2,
                     Int128 y3) {
  Int128 l = 0, r = 0;
  if (!__builtin_mul_overflow(x1, x2, &l) && !__builtin_mul_overflow(l, x3, &l) &&
      !__builtin_mul_overflow(y1, y2, &r) && !__builtin_mul_overflow(r, y3, &r)) {
    return Holds(op, l, r);
  }
  const long double lf = static_cast<long double>(x1) * static_cast<long double>(x2) * static_cast<long double>(x3);
  const long double rf = static_cast<long double>(y1) * static_cast<long double>(y2) * static_cast<long double>(y3);
  switch (op) {
    case AlertOp::kLess: return lf < rf;
    case AlertOp::kLessEqual: return lf <= rf;
    case AlertOp::kGreater: return lf > rf;
    default: return lf >= rf;
  }
}

struct Context {
  const AlertsOptions* options = nullptr;
  const Windows* windows = nullptr;
  int money_scale = kDefaultMoneyScale;
  std::string period;
  Money min_base = 0;
};

void Anomalies(const Context& ctx, const Series& series, AlertsResult& out) {
  const Kpi& kpi = *series.kpi;
  const AlertsOptions& o = *ctx.options;
  const int w = ctx.windows->count;
  AlertSkippedRow skip;
  skip.kind = "anomaly";
  skip.kpi = kpi.name;
  skip.dimension = series.dimension;
  skip.note = series.note;
  for (const Slice& s : series.slices) {
    ++skip.slices;
    if ((kpi.lines_guard && s.sample[w] < o.min_lines) || (kpi.base_guard && s.base[w] < ctx.min_base)) {
      ++skip.guarded;
      continue;
    }
    const auto value = [&](int idx) { return alerts_internal::ToDouble(kpi, s.value[idx], ctx.money_scale); };
    // E(t) = L(t) x median_j V(t+j) / L(t+j); <= 0 when unknown.
    const auto expected = [&](int t) {
      if (!Known(s.value[w + t]) || s.value[w + t].num <= 0) return 0.0;
      std::vector<double> ratios;
      for (int j = 1; j <= o.k && t + j < w; ++j) {
        const Value& cur = s.value[t + j];
        const Value& lag = s.value[w + t + j];
        if (Known(cur) && Known(lag) && lag.num > 0) ratios.push_back(value(t + j) / value(w + t + j));
      }
      if (ratios.empty()) return 0.0;
      return value(w + t) * Median(ratios);
    };
    const double e0 = expected(0);
    std::vector<double> residuals;
    for (int t = 1; t <= o.history && t < w; ++t) {
      const double e = expected(t);
      if (e > 0 && Known(s.value[t])) residuals.push_back(value(t) / e - 1);
    }
    if (!(e0 > 0) || !Known(s.value[0]) || static_cast<int>(residuals.size()) < o.min_history) {
      ++skip.no_history;
      continue;
    }
    ++skip.checked;
    const double v0 = value(0);
    const double r0 = v0 / e0 - 1;
    const double med = Median(residuals);
    std::vector<double> dev;
    for (double r : residuals) dev.push_back(std::fabs(r - med));
    const double scale = std::max(o.mad_scale * Median(dev), o.min_band);
    const double z = (r0 - med) / scale;
    if (!(std::fabs(z) >= o.z)) continue;
    AlertRow a;
    a.kind = "anomaly";
    a.kpi = kpi.name;
    a.dimension = series.dimension;
    a.member = s.member;
    a.period = ctx.period;
    a.value = v0;
    a.expected = e0;
    a.deviation = v0 - e0;
    a.deviation_pct = 100 * r0;
    a.z = z;
    a.low = e0 * (1 + med - o.z * scale);
    a.high = e0 * (1 + med + o.z * scale);
    a.severity = std::fabs(z) >= o.z_critical ? AlertSeverity::kCritical : AlertSeverity::kWarning;
    a.sentence = alerts_internal::AnomalySentence(a, kpi, o.lang);
    out.alerts.push_back(std::move(a));
  }
  out.skipped.push_back(std::move(skip));
}

void Rules(const Context& ctx, const AlertRule& rule, const Series& series, AlertsResult& out) {
  const Kpi& kpi = *series.kpi;
  const AlertsOptions& o = *ctx.options;
  const int w = ctx.windows->count;
  AlertSkippedRow skip;
  skip.kind = "rule";
  skip.rule = rule.id;
  skip.kpi = kpi.name;
  skip.dimension = series.dimension;
  skip.note = series.note;
  const std::int64_t min_lines = rule.min_lines.value_or(o.min_lines);
  const Int128 tscale = Pow10(rule.threshold.decimals);
  for (const Slice& s : series.slices) {
    ++skip.slices;
    if (kpi.lines_guard && s.sample[0] < min_lines) {
      ++skip.guarded;
      continue;
    }
    const Value& v = s.value[0];
    const int ref_index = rule.compare == AlertCompare::kVsLastYear ? w : 1;
    const Value* ref = rule.compare == AlertCompare::kValue ? nullptr : &s.value[ref_index];
    if (!Known(v) || (ref != nullptr && (!Known(*ref) || ref->num <= 0))) {
      ++skip.no_history;
      continue;
    }
    ++skip.checked;
    bool fires = false;
    if (ref == nullptr) {
      // mult x num / den op units / 10^dec [x 10^scale for money minor units]
      fires = CompareProducts(rule.op, kpi.mult, v.num, tscale, rule.threshold.units, v.den,
                              kpi.money ? Pow10(ctx.money_scale) : 1);
    } else {
      // 100 x (a / b - 1) op T  <=>  100 x 10^dec x na x db op (100 x 10^dec + units) x nb x da
      fires = CompareProducts(rule.op, 100 * tscale, v.num, ref->den,
                              100 * tscale + rule.threshold.units, ref->num, v.den);
    }
    if (!fires) continue;
    AlertRow a;
    a.kind = "rule";
    a.rule = rule.id;
    a.kpi = kpi.name;
    a.dimension = series.dimension;
    a.member = s.member;
    a.period = ctx.period;
    a.value = alerts_internal::ToDouble(kpi, v, ctx.money_scale);
    if (ref != nullptr) {
      a.expected = alerts_internal::ToDouble(kpi, *ref, ctx.money_scale);
      a.deviation = *a.value - *a.expected;
      a.deviation_pct = 100 * (*a.value / *a.expected - 1);
    }
    a.threshold = rule.threshold.text;
    a.severity = rule.severity;
    a.sentence = alerts_internal::RuleSentence(a, kpi, rule, o.lang);
    out.alerts.push_back(std::move(a));
  }
  out.skipped.push_back(std::move(skip));
}

std::vector<std::string> DefaultDims(const Dataset& data) {
  std::vector<std::string> out;
  for (const char* name : {"region", "salesperson", "category", "channel"}) {
    if (data.Dimension(TableKind::kOrders, name).ok()) out.push_back(name);
  }
  return out;
}

}  // namespace

absl::StatusOr<AlertsResult> ComputeAlerts(const Dataset& data, const AlertsOptions& options) {
  if (data.orders() == nullptr) return absl::InvalidArgumentError("alerts: needs the order lines");
  const OrderLines& orders = *data.orders();
  const Day as_of = options.as_of != kNoDate ? options.as_of : orders.max_date();
  if (as_of == kNoDate) return absl::InvalidArgumentError("alerts: the order lines are empty");
  absl::StatusOr<Windows> windows = alerts_internal::MakeWindows(options, as_of);
  if (!windows.ok()) return windows.status();
  Context ctx;
  ctx.options = &options;
  ctx.windows = &*windows;
  ctx.money_scale = orders.money_scale();
  ctx.period = PeriodLabel(options.grain, windows->watched);
  if (windows->start[0] == kNoDate) {
    return absl::InvalidArgumentError(absl::StrCat("alerts: no period to watch before ", FormatDate(as_of)));
  }
  absl::StatusOr<Money> min_base = ParseMoney(options.min_base, {.scale = ctx.money_scale});
  if (!min_base.ok()) {
    return absl::InvalidArgumentError(absl::StrCat("option min_base: '", options.min_base, "': ",
                                                   min_base.status().message()));
  }
  ctx.min_base = *min_base;
  std::vector<AlertRule> rules;
  if (!options.rules.empty()) {
    absl::StatusOr<std::vector<AlertRule>> parsed = ParseAlertRules(options.rules);
    if (!parsed.ok()) return parsed.status();
    rules = *std::move(parsed);
  }
  const std::vector<Kpi> kpis = alerts_internal::AvailableKpis(data);
  std::vector<std::string> kpi_names;
  for (const Kpi& k : kpis) kpi_names.push_back(k.name);
  const auto find_kpi = [&](const std::string& name) -> const Kpi* {
    for (const Kpi& k : kpis) {
      if (k.name == name) return &k;
    }
    return nullptr;
  };
  // Rules are checked against this data before any work.
  for (std::size_t i = 0; i < rules.size(); ++i) {
    const AlertRule& r = rules[i];
    const auto error = [&](const std::string& field, const std::string& what) {
      return absl::InvalidArgumentError(
          absl::StrCat("rules: rule ", i + 1, " ('", r.id, "'), field '", field, "': ", what));
    };
    const Kpi* k = find_kpi(r.kpi);
    if (k == nullptr) {
      return error("kpi", absl::StrCat("'", r.kpi, "' is not a KPI of this data; the KPIs are ",
                                       QuotedNames(kpi_names), ".", DidYouMean(r.kpi, kpi_names)));
    }
    if (!r.dimension.empty()) {
      const TableKind table = k->source == Source::kOrders     ? TableKind::kOrders
                              : k->source == Source::kPipeline ? TableKind::kPipeline
                                                               : TableKind::kInvoices;
      absl::StatusOr<DimensionColumn> d = data.Dimension(table, r.dimension);
      if (!d.ok()) return error("dimension", std::string(d.status().message()));
    }
    if (k->money && r.compare == AlertCompare::kValue && r.threshold.decimals > ctx.money_scale) {
      return error("threshold", absl::StrCat("'", r.threshold.text, "' has more decimals than the data's money (",
                                             ctx.money_scale, ")"));
    }
  }
  std::vector<std::string> dims = options.dims_given ? options.dims : DefaultDims(data);
  dims.insert(dims.begin(), "");
  std::vector<std::string> order_dims = dims;
  for (const AlertRule& r : rules) {
    if (find_kpi(r.kpi)->source == Source::kOrders &&
        std::find(order_dims.begin(), order_dims.end(), r.dimension) == order_dims.end()) {
      order_dims.push_back(r.dimension);
    }
  }
  absl::StatusOr<std::vector<Series>> order_series =
      alerts_internal::OrderSeries(data, kpis, order_dims, *windows, options.num_threads,
                                   options.min_rows_per_thread);
  if (!order_series.ok()) return order_series.status();
  const auto order_series_of = [&](const std::string& kpi, const std::string& dim) -> const Series* {
    for (const Series& s : *order_series) {
      if (s.kpi->name == kpi && s.dimension == dim) return &s;
    }
    return nullptr;
  };
  AlertsResult out;
  out.period = ctx.period;
  out.window_start = windows->start[0];
  out.window_end = windows->end[0];
  const std::vector<char> all(static_cast<std::size_t>(2 * windows->count), 1);
  alerts_internal::FunnelCachePtr funnel_cache = alerts_internal::NewFunnelCache();
  if (options.anomalies) {
    for (const Kpi& k : kpis) {
      for (const std::string& d : dims) {
        if (k.source == Source::kOrders) {
          Anomalies(ctx, *order_series_of(k.name, d), out);
        } else {
          absl::StatusOr<Series> s =
              alerts_internal::OtherSeries(data, k, d, *windows, all, 0, options.num_threads, *funnel_cache);
          if (!s.ok()) return s.status();
          Anomalies(ctx, *s, out);
        }
      }
    }
  }
  for (const AlertRule& r : rules) {
    const Kpi& k = *find_kpi(r.kpi);
    if (k.source == Source::kOrders) {
      Rules(ctx, r, *order_series_of(k.name, r.dimension), out);
      continue;
    }
    std::vector<char> wanted(all.size(), 0);
    wanted[0] = 1;
    wanted[r.compare == AlertCompare::kVsLastYear ? static_cast<std::size_t>(windows->count) : 1] =
        r.compare != AlertCompare::kValue;
    absl::StatusOr<Series> s =
        alerts_internal::OtherSeries(data, k, r.dimension, *windows, wanted, r.days,
                                     options.num_threads, *funnel_cache);
    if (!s.ok()) return s.status();
    Rules(ctx, r, *s, out);
  }
  const auto key = [](const AlertRow& a) {
    return std::make_tuple(a.severity, a.z.has_value() ? 0 : 1, a.z.has_value() ? -std::fabs(*a.z) : 0.0,
                           std::cref(a.dimension), std::cref(a.member), std::cref(a.kpi),
                           std::cref(a.rule), std::cref(a.kind));
  };
  std::sort(out.alerts.begin(), out.alerts.end(),
            [&](const AlertRow& a, const AlertRow& b) { return key(a) < key(b); });
  return out;
}

ResultTable ToResultTable(const AlertsResult& result) {
  ResultTable t;
  ResultColumn& kind = t.AddString("kind");
  ResultColumn& rule = t.AddString("rule");
  ResultColumn& kpi = t.AddString("kpi");
  ResultColumn& dimension = t.AddString("dimension");
  ResultColumn& member = t.AddString("member");
  ResultColumn& period = t.AddString("period");
  std::vector<ResultColumn*> numbers;
  for (const char* name : {"value", "expected", "deviation", "deviation_pct", "z", "low", "high"}) {
    numbers.push_back(&t.AddDouble(name));
  }
  ResultColumn& threshold = t.AddString("threshold");
  ResultColumn& severity = t.AddString("severity");
  ResultColumn& sentence = t.AddString("sentence");
  for (const AlertRow& a : result.alerts) {
    kind.strings.push_back(a.kind);
    rule.strings.push_back(a.rule);
    kpi.strings.push_back(a.kpi);
    dimension.strings.push_back(a.dimension);
    member.strings.push_back(a.member);
    period.strings.push_back(a.period);
    const std::optional<double>* values[] = {&a.value, &a.expected, &a.deviation, &a.deviation_pct,
                                            &a.z,     &a.low,      &a.high};
    for (std::size_t i = 0; i < numbers.size(); ++i) {
      const std::optional<double>& v = *values[i];
      numbers[i]->doubles.push_back(v.has_value() && std::isfinite(*v) ? *v : 0.0);
      numbers[i]->valid.push_back(v.has_value() && std::isfinite(*v) ? 1 : 0);
    }
    threshold.strings.push_back(a.threshold);
    severity.strings.emplace_back(AlertSeverityName(a.severity));
    sentence.strings.push_back(a.sentence);
  }
  return t;
}

ResultTable SkippedResultTable(const AlertsResult& result) {
  ResultTable t;
  ResultColumn& kind = t.AddString("kind");
  ResultColumn& rule = t.AddString("rule");
  ResultColumn& kpi = t.AddString("kpi");
  ResultColumn& dimension = t.AddString("dimension");
  ResultColumn& slices = t.AddInt64("slices");
  ResultColumn& checked = t.AddInt64("checked");
  ResultColumn& guarded = t.AddInt64("guarded");
  ResultColumn& no_history = t.AddInt64("no_history");
  ResultColumn& note = t.AddString("note");
  for (const AlertSkippedRow& s : result.skipped) {
    kind.strings.push_back(s.kind);
    rule.strings.push_back(s.rule);
    kpi.strings.push_back(s.kpi);
    dimension.strings.push_back(s.dimension);
    slices.ints.push_back(s.slices);
    checked.ints.push_back(s.checked);
    guarded.ints.push_back(s.guarded);
    no_history.ints.push_back(s.no_history);
    note.strings.push_back(s.note);
  }
  return t;
}

}  // namespace salesight
