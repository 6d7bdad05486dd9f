// The landing forecast and its backtest: see salesight/forecast.hpp.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "forecast/internal/engine.hpp"
#include "salesight/forecast.hpp"
#include "salesight/status_macros.hpp"

namespace salesight {

using forecast_internal::Engine;
using forecast_internal::Point;

absl::StatusOr<ForecastResult> ComputeForecast(const Dataset& data, const ForecastOptions& options) {
  // The interval looks history_periods back.
  SALESIGHT_ASSIGN_OR_RETURN(Engine e, Engine::Make(data, options, options.history_periods));
  ForecastResult out;
  out.money_scale = e.money_scale();
  out.group_by = options.group_by;
  if (e.groups() == 0) return out;
  const std::int32_t ordinal = PeriodOf(options.period, e.as_of());
  const Day start = PeriodStart(options.period, ordinal), end = PeriodEnd(options.period, ordinal);
  const std::int32_t elapsed = e.as_of() - start;
  SALESIGHT_ASSIGN_OR_RETURN(const std::vector<Point>* points, e.At(ordinal, elapsed));
  const std::vector<Point> now = *points;  // At() may grow the memo below
  for (std::size_t g = 0; g < e.groups(); ++g) {
    ForecastRow r;
    r.group = e.label(g);
    r.period = PeriodLabel(options.period, ordinal);
    r.as_of = e.as_of();
    r.days_elapsed = elapsed + 1;
    r.days_in_period = end - start + 1;
    r.actual = now[g].actual;
    r.rest = now[g].rest;
    r.pipeline = now[g].pipeline;
    r.forecast = now[g].forecast;
    r.notes = e.notes();
    forecast_internal::AddNote(&r.notes, now[g].notes);
    if (r.notes.rfind("; ", 0) == 0) r.notes.erase(0, 2);
    r.target = e.Target(g, start, end, &r.notes);
    if (r.target) {
      r.gap = *r.target - r.forecast;  // both within the money range: no overflow
      if (*r.target != 0) r.attainment_pct = 100.0 * static_cast<double>(r.forecast) / static_cast<double>(*r.target);
    }
    SALESIGHT_RETURN_IF_ERROR(e.Interval(g, ordinal, elapsed, r.forecast, &r.low, &r.high, &r.history, &r.notes));
    out.rows.push_back(std::move(r));
  }
  return out;
}

absl::StatusOr<BacktestResult> ComputeBacktest(const Dataset& data, const ForecastOptions& options) {
  // history_periods backtested, each with an interval from history_periods before it.
  SALESIGHT_ASSIGN_OR_RETURN(Engine e, Engine::Make(data, options, 2 * options.history_periods));
  BacktestResult out;
  out.money_scale = e.money_scale();
  out.group_by = options.group_by;
  std::vector<std::int32_t> from_days = options.from_days;
  std::sort(from_days.begin(), from_days.end());
  from_days.erase(std::unique(from_days.begin(), from_days.end()), from_days.end());
  std::map<std::int32_t, BacktestSummaryRow> summary;
  std::map<std::int32_t, double> error_sum;
  std::map<std::int32_t, std::int64_t> covered;
  for (std::int32_t day : from_days) summary[day].from_day = day;
  if (e.groups() > 0) {
    const std::int32_t current = PeriodOf(options.period, e.as_of());
    for (std::int32_t k = options.history_periods; k >= 1; --k) {
      const std::int32_t ordinal = current - k;
      const Day start = PeriodStart(options.period, ordinal), end = PeriodEnd(options.period, ordinal);
      if (start < e.data_start()) continue;
      for (std::int32_t day : from_days) {
        const std::int32_t elapsed = std::min(day - 1, end - start);
        SALESIGHT_ASSIGN_OR_RETURN(const std::vector<Point>* points, e.At(ordinal, elapsed));
        const std::vector<Point> at = *points;
        for (std::size_t g = 0; g < e.groups(); ++g) {
          BacktestRow r;
          r.group = e.label(g);
          r.period = PeriodLabel(options.period, ordinal);
          r.from_day = day;
          r.as_of = start + elapsed;
          r.forecast = at[g].forecast;
          r.actual = e.Revenue(g, start, end);
          if (r.actual != 0) {
            r.error_pct = 100.0 * std::fabs(static_cast<double>(r.forecast) - static_cast<double>(r.actual)) /
                          std::fabs(static_cast<double>(r.actual));
          }
          std::int32_t history = 0;
          std::string notes;
          SALESIGHT_RETURN_IF_ERROR(e.Interval(g, ordinal, elapsed, r.forecast, &r.low, &r.high, &history, &notes));
          if (r.low) r.covered = *r.low <= r.actual && r.actual <= *r.high;
          BacktestSummaryRow& s = summary[day];
          if (r.error_pct) {
            ++s.periods;
            error_sum[day] += *r.error_pct;
          }
          if (r.covered) {
            ++s.intervals;
            covered[day] += *r.covered ? 1 : 0;
          }
          out.rows.push_back(std::move(r));
        }
      }
    }
  }
  std::stable_sort(out.rows.begin(), out.rows.end(), [](const BacktestRow& a, const BacktestRow& b) {
    return a.group < b.group;  // periods and from_days are already ascending per group
  });
  for (auto& [day, s] : summary) {
    if (s.periods > 0) s.mape_pct = error_sum[day] / static_cast<double>(s.periods);
    if (s.intervals > 0) s.coverage_pct = 100.0 * static_cast<double>(covered[day]) / static_cast<double>(s.intervals);
    out.summary.push_back(s);
  }
  return out;
}

namespace {

void PutOptionalMoney(ResultColumn& col, const std::optional<Money>& v) {
  col.ints.push_back(v.value_or(0));
  col.valid.push_back(v.has_value() ? 1 : 0);
}
void PutOptionalDouble(ResultColumn& col, const std::optional<double>& v) {
  col.doubles.push_back(v.value_or(0.0));
  col.valid.push_back(v.has_value() ? 1 : 0);
}

}  // namespace

ResultTable ToResultTable(const ForecastResult& result) {
  ResultTable t;
  const int s = result.money_scale;
  ResultColumn* group = result.group_by.empty() ? nullptr : &t.AddString(result.group_by);
  ResultColumn& period = t.AddString("period");
  ResultColumn& as_of = t.AddDate("as_of");
  ResultColumn& elapsed = t.AddInt64("days_elapsed");
  ResultColumn& days = t.AddInt64("days_in_period");
  ResultColumn& actual = t.AddMoney("actual", s);
  ResultColumn& rest = t.AddMoney("rest", s);
  ResultColumn& pipeline = t.AddMoney("pipeline", s);
  ResultColumn& forecast = t.AddMoney("forecast", s);
  ResultColumn& target = t.AddMoney("target", s);
  ResultColumn& gap = t.AddMoney("gap", s);
  ResultColumn& attainment = t.AddDouble("attainment_pct");
  ResultColumn& low = t.AddMoney("low", s);
  ResultColumn& high = t.AddMoney("high", s);
  ResultColumn& history = t.AddInt64("history");
  ResultColumn& notes = t.AddString("notes");
  for (const ForecastRow& r : result.rows) {
    if (group) group->strings.push_back(r.group);
    period.strings.push_back(r.period);
    as_of.ints.push_back(r.as_of);
    elapsed.ints.push_back(r.days_elapsed);
    days.ints.push_back(r.days_in_period);
    actual.ints.push_back(r.actual);
    rest.ints.push_back(r.rest);
    pipeline.ints.push_back(r.pipeline);
    forecast.ints.push_back(r.forecast);
    PutOptionalMoney(target, r.target);
    PutOptionalMoney(gap, r.gap);
    PutOptionalDouble(attainment, r.attainment_pct);
    PutOptionalMoney(low, r.low);
    PutOptionalMoney(high, r.high);
    history.ints.push_back(r.history);
    notes.strings.push_back(r.notes);
  }
  return t;
}

ResultTable ToResultTable(const BacktestResult& result) {
  ResultTable t;
  const int s = result.money_scale;
  ResultColumn* group = result.group_by.empty() ? nullptr : &t.AddString(result.group_by);
  ResultColumn& period = t.AddString("period");
  ResultColumn& from_day = t.AddInt64("from_day");
  ResultColumn& as_of = t.AddDate("as_of");
  ResultColumn& forecast = t.AddMoney("forecast", s);
  ResultColumn& actual = t.AddMoney("actual", s);
  ResultColumn& error = t.AddDouble("error_pct");
  ResultColumn& low = t.AddMoney("low", s);
  ResultColumn& high = t.AddMoney("high", s);
  ResultColumn& covered = t.AddInt64("covered");
  for (const BacktestRow& r : result.rows) {
    if (group) group->strings.push_back(r.group);
    period.strings.push_back(r.period);
    from_day.ints.push_back(r.from_day);
    as_of.ints.push_back(r.as_of);
    forecast.ints.push_back(r.forecast);
    actual.ints.push_back(r.actual);
    PutOptionalDouble(error, r.error_pct);
    PutOptionalMoney(low, r.low);
    PutOptionalMoney(high, r.high);
    covered.ints.push_back(r.covered.value_or(false) ? 1 : 0);
    covered.valid.push_back(r.covered.has_value() ? 1 : 0);
  }
  return t;
}

ResultTable SummaryResultTable(const BacktestResult& result) {
  ResultTable t;
  ResultColumn& from_day = t.AddInt64("from_day");
  ResultColumn& periods = t.AddInt64("periods");
  ResultColumn& mape = t.AddDouble("mape_pct");
  ResultColumn& intervals = t.AddInt64("intervals");
  ResultColumn& coverage = t.AddDouble("coverage_pct");
  for (const BacktestSummaryRow& r : result.summary) {
    from_day.ints.push_back(r.from_day);
    periods.ints.push_back(r.periods);
    PutOptionalDouble(mape, r.mape_pct);
    intervals.ints.push_back(r.intervals);
    PutOptionalDouble(coverage, r.coverage_pct);
  }
  return t;
}

}  // namespace salesight
