// forecast and backtest, declared once (salesight/calculator.hpp): their
// options, inputs and outputs. Every surface derives from this file.
#include "absl/strings/str_cat.h"
#include "salesight/forecast.hpp"

namespace salesight {
namespace {

using O = ForecastOptions;
using T = OptionType;
using V = OptionValue;

absl::Status CheckPeriod(const V& v) {
  absl::StatusOr<Grain> g = ParseGrain(v.text);
  if (!g.ok()) return g.status();
  if (g->unit == GrainUnit::kDay || g->unit == GrainUnit::kIsoWeek) {
    return absl::InvalidArgumentError(
        absl::StrCat("period: '", v.text, "' is too short; month, quarter, year or fiscal_year[:M]"));
  }
  return absl::OkStatus();
}

const OptionDecl<O> kDecls[] = {
    {Option("as_of", T::kDate, "", "",
            "knowledge date: nothing dated later is read (default: the last order line's date)"),
     [](O& o, const V& v) { o.as_of = v.date; }},
    {Option("period", T::kText, "month", "month|quarter|year|fiscal_year[:M]",
            "the period whose landing is forecast: the one holding as_of"),
     [](O& o, const V& v) { o.period = *ParseGrain(v.text); }, &CheckPeriod},
    {Option("by", T::kText, "", "DIMENSION",
            "one forecast per member of this dimension of the order lines (salesperson, region, "
            "any column); \"\" = the total"),
     [](O& o, const V& v) { o.group_by = v.text; }},
    {Option("run_rate_days", T::kInt, "28", "", "days ending at as_of whose revenue sets the run rate")
         .Range(1, 3660),
     [](O& o, const V& v) { o.run_rate_days = static_cast<std::int32_t>(v.integer); }},
    {Option("shape_days", T::kInt, "364", "", "days ending at as_of that set the day-of-week shape")
         .Range(7, 3660),
     [](O& o, const V& v) { o.shape_days = static_cast<std::int32_t>(v.integer); }},
    {Option("seasonality", T::kBool, "true", "",
            "weight the days ahead by last year's revenue in their months")
         .CliFalse("no-seasonality", "do not weight the days ahead by last year's months"),
     [](O& o, const V& v) { o.seasonality = v.flag; }},
    {Option("include_pipeline", T::kBool, "true", "",
            "add the open opportunities' amount x p(stage) x P(close within the period)")
         .CliFalse("no-pipeline", "leave the weighted pipeline out"),
     [](O& o, const V& v) { o.include_pipeline = v.flag; }},
    {Option("won_stage", T::kText, "won", "STAGE", "the pipeline stage that means won"),
     [](O& o, const V& v) { o.won_stage = v.text; }},
    {Option("stage_probabilities", T::kText, "", "STAGE=P,...",
            "p(stage) overrides, 0..1 (default: the dataset's stage -> won conversion as of as_of)"),
     [](O& o, const V& v) { o.stage_probabilities = v.text; }},
    {Option("history_periods", T::kInt, "12", "",
            "past periods forecast at the same elapsed day for the interval (and backtested)")
         .Range(0, 120),
     [](O& o, const V& v) { o.history_periods = static_cast<std::int32_t>(v.integer); }},
    {Option("coverage", T::kDouble, "0.8", "", "central coverage of the interval").Between(0.01, 0.99),
     [](O& o, const V& v) { o.coverage = v.number; }},
    {Option("from_days", T::kIntList, "10,20", "", "backtest: forecast from these days of each period")
         .Range(1, 366),
     [](O& o, const V& v) { o.from_days.assign(v.integers.begin(), v.integers.end()); }},
};

absl::StatusOr<ResultSet> RunForecast(const Dataset& data, const O& options) {
  absl::StatusOr<ForecastResult> result = ComputeForecast(data, options);
  if (!result.ok()) return result.status();
  ResultSet out;
  out.problems.money_scale = result->money_scale;
  out.tables.push_back({"forecast", ToResultTable(*result)});
  return out;
}

absl::StatusOr<ResultSet> RunBacktest(const Dataset& data, const O& options) {
  absl::StatusOr<BacktestResult> result = ComputeBacktest(data, options);
  if (!result.ok()) return result.status();
  ResultSet out;
  out.problems.money_scale = result->money_scale;
  out.tables.push_back({"summary", SummaryResultTable(*result)});
  out.tables.push_back({"forecasts", ToResultTable(*result)});
  return out;
}

constexpr const char* kInputsDoc =
    " Reads the order lines, and the pipeline (weighted open deals) and targets when given.";

}  // namespace

absl::Span<const OptionDecl<ForecastOptions>> ForecastOptionDecls() { return kDecls; }

CalculatorSpec ForecastCalculator() {
  static const std::string doc = absl::StrCat(
      "Where the period holding as_of will land: actual to date + a run rate projected through "
      "last year's monthly seasonality and the day-of-week shape + the weighted open pipeline "
      "expected to close in the period; against target, with an interval from the errors of the "
      "same forecast in past periods.",
      kInputsDoc);
  return DeclareCalculator<O>(
      "forecast", doc,
      {{TableKind::kOrders, true}, {TableKind::kPipeline, false}, {TableKind::kTargets, false}},
      {"forecast"}, ForecastOptionDecls(), &RunForecast);
}

CalculatorSpec BacktestCalculator() {
  static const std::string doc = absl::StrCat(
      "The landing forecast made on given days of past periods against where they landed: per "
      "period and from_day the forecast, the actual, the absolute percentage error and whether "
      "the interval covered it; the summary gives MAPE and coverage per from_day.",
      kInputsDoc);
  return DeclareCalculator<O>(
      "backtest", doc,
      {{TableKind::kOrders, true}, {TableKind::kPipeline, false}, {TableKind::kTargets, false}},
      {"summary", "forecasts"}, ForecastOptionDecls(), &RunBacktest);
}

}  // namespace salesight
