// Landing forecast (issue 16 item 4): where will the current month (quarter,
// year) land, against its target, and how far off such forecasts have been.
//
// Knowledge. Everything is computed as of `as_of` (inclusive): order lines
// dated later and pipeline events dated later are not read, so a forecast
// "from day 10" of a past month sees exactly what was known on day 10.
// The period P is the period of `period` grain (month, quarter, year, fiscal
// year) that holds as_of; S and E are its first and last day.
//
// The estimate, per group (a dimension of the order lines, or one total):
//   forecast = actual + rest + pipeline
//   actual   = net revenue (amounts, returns negative) of the lines in [S, as_of].
//   rest     = the expected revenue of the days (as_of, E]:
//                rest = rate x sum over those days d of shape(d)
//              shape(d) = weekday(d) x season(d):
//                weekday(w) = the mean revenue of weekday w over the
//                  `shape_days` days ending at as_of, divided by the mean of
//                  all those days (1 for every weekday when that mean is <= 0;
//                  a weekday with no sales has shape 0);
//                season(d) = last year's mean daily revenue in the calendar
//                  month a year before d's month (`seasonality`; 1 when off,
//                  or when a needed month of last year lies before the first
//                  order line, or is <= 0 for every needed month);
//              rate = the revenue of the `run_rate_days` days ending at as_of
//                divided by the sum of their shapes (the run rate with the
//                shape taken out; the plain daily mean when that sum is 0).
//              So a run rate is projected through last year's month-by-month
//              seasonality and this year's day-of-week shape. Days before the
//              first order line are unknown, not zero: both windows start
//              there at the earliest (means over the days they keep).
//   pipeline = sum over the opportunities OPEN at as_of (created <= as_of,
//              not won and not lost by as_of) of amount x P, where
//              stage = the furthest stage (before the won stage) it reached
//              by as_of, age = as_of - the day it reached it, H = E - as_of,
//              and P = the dataset's own history as known on as_of: of the
//              deals that reached that stage, were observed for age + H days
//              after reaching it, and were still at it at `age` days (not
//              advanced, won or lost by then), the share won within (age,
//              age + H] by any path. Deals that never close (stale, neither
//              won nor lost) stay in the denominator; a deal older than every
//              observed one gets P = 0 (noted). `stage_probabilities` sets
//              p(stage) instead: P = p x the share of the stage's wins slower
//              than `age` that won within (age, age + H]. Needs the pipeline
//              table with amounts and `include_pipeline`; grouped forecasts
//              match the pipeline's column of the same name by member label.
//              Won deals become order lines, so the run rate is made net of
//              them: rest is scaled by 1 - (amounts of the deals won in the
//              run-rate window / that window's revenue), clamped to [0, 1] -
//              the run rate carries the business that does not go through the
//              pipeline, the pipeline term the deals (Salesforce, HubSpot and
//              Odoo call amount x probability the weighted pipeline).
//   target   = the sum of the monthly targets of P's months (level company:
//              every row; grouped by salesperson or region: the rows whose key
//              label is the group's label). gap = target - forecast.
// Money: actual and target are exact sums; rest and pipeline are projected in
// double and rounded once per group to the nearest minor unit (halves away
// from zero), so forecast = actual + rest + pipeline exactly.
//
// Interval, from the historical forecast error: for each of the
// `history_periods` periods before P whose first day is on or after the first
// order line, the same forecast is made as of the same elapsed day (as_of -
// S days after its start, capped at its end) and compared with what it
// actually landed at: error = actual_final / forecast - 1 (periods with a
// forecast <= 0 are skipped). low/high = forecast x (1 + the error quantiles
// at (1 - coverage) / 2 and (1 + coverage) / 2, linear interpolation between
// order statistics); with fewer than 3 errors there is no interval (null, and
// a note says why).
//
// Backtest (the `backtest` calculator): for each of the `history_periods`
// complete periods before the period of as_of and each `from_day` (default 10
// and 20: forecasts made on day 10 and day 20 of the period), the forecast as
// of that day, its interval (from the periods before it), what the period
// actually landed at, the absolute percentage error, and whether the interval
// covered the truth; a summary per from_day gives MAPE and coverage.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "salesight/calculator.hpp"
#include "salesight/dataset.hpp"
#include "salesight/date.hpp"
#include "salesight/grain.hpp"
#include "salesight/money.hpp"
#include "salesight/options.hpp"

namespace salesight {

struct ForecastOptions {
  Day as_of = kNoDate;  // kNoDate = the last order line's date
  Grain period = GrainUnit::kMonth;  // month, quarter, year or fiscal year
  std::string group_by;              // a dimension of the order lines; "" = the total
  std::int32_t run_rate_days = 28;
  std::int32_t shape_days = 364;  // a whole number of weeks keeps weekdays balanced
  bool seasonality = true;
  bool include_pipeline = true;
  std::string won_stage = "won";
  // "stage=p,stage=p" (0 <= p <= 1): overrides p(stage); "" = from history.
  std::string stage_probabilities;
  std::int32_t history_periods = 12;
  double coverage = 0.8;  // of the interval
  std::vector<std::int32_t> from_days = {10, 20};  // backtest only
  int num_threads = 1;
};

struct ForecastRow {
  std::string group;  // "" when ungrouped
  std::string period;  // PeriodLabel
  Day as_of = kNoDate;
  std::int32_t days_elapsed = 0, days_in_period = 0;
  Money actual = 0, rest = 0, pipeline = 0, forecast = 0;
  std::optional<Money> target, gap;
  std::optional<double> attainment_pct;  // 100 x forecast / target
  std::optional<Money> low, high;
  std::int32_t history = 0;  // past errors behind the interval
  std::string notes;         // "; "-separated: fallbacks taken, stages without history
};

struct BacktestRow {
  std::string group;
  std::string period;
  std::int32_t from_day = 0;
  Day as_of = kNoDate;
  Money forecast = 0, actual = 0;
  std::optional<double> error_pct;  // 100 x |forecast - actual| / |actual|; null when actual = 0
  std::optional<Money> low, high;
  std::optional<bool> covered;  // null without an interval
};

struct BacktestSummaryRow {
  std::int32_t from_day = 0;
  std::int64_t periods = 0;             // rows with an error_pct
  std::optional<double> mape_pct;       // mean of error_pct
  std::int64_t intervals = 0;           // rows with an interval
  std::optional<double> coverage_pct;   // 100 x covered / intervals
};

struct ForecastResult {
  std::vector<ForecastRow> rows;  // by group label (bytewise), the total first when ungrouped
  int money_scale = kDefaultMoneyScale;
  std::string group_by;
};

struct BacktestResult {
  std::vector<BacktestRow> rows;  // by (group, period, from_day)
  std::vector<BacktestSummaryRow> summary;
  int money_scale = kDefaultMoneyScale;
  std::string group_by;
};

absl::StatusOr<ForecastResult> ComputeForecast(const Dataset& data, const ForecastOptions& options);
absl::StatusOr<BacktestResult> ComputeBacktest(const Dataset& data, const ForecastOptions& options);

ResultTable ToResultTable(const ForecastResult& result);
ResultTable ToResultTable(const BacktestResult& result);
ResultTable SummaryResultTable(const BacktestResult& result);

// The declarations every surface derives from (salesight/calculator.hpp).
absl::Span<const OptionDecl<ForecastOptions>> ForecastOptionDecls();
CalculatorSpec ForecastCalculator();
CalculatorSpec BacktestCalculator();

}  // namespace salesight
