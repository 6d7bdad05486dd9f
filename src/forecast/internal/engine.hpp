// The forecast's machinery (salesight/forecast.hpp states every definition):
// daily revenue per group as known on as_of, the pipeline term, and the
// point forecast of one period at one elapsed day, memoized because the
// interval and the backtest ask for the same points many times.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "salesight/dataset.hpp"
#include "salesight/forecast.hpp"

namespace salesight::forecast_internal {

// What one forecast made of; notes say which fallbacks it took.
struct Point {
  Money actual = 0, rest = 0, pipeline = 0, forecast = 0;
  std::string notes;
};

// Expected won amount per group of the opportunities open at a date.
class PipelineTerm {
 public:
  // `group_of` maps a pipeline row's member label to a group index (absent
  // labels are not counted). Null pipeline or no amount column: empty term.
  static absl::StatusOr<PipelineTerm> Make(const Dataset& data, const ForecastOptions& options,
                                           const std::map<std::string, std::size_t>& group_of,
                                           std::size_t groups);
  // Per group: sum of amount x p(stage) x q over the open opportunities.
  std::vector<double> Expected(Day as_of, Day end, std::string* notes) const;
  // Per group: the amounts of the deals won in [from, to].
  std::vector<double> Won(Day from, Day to) const;
  bool available() const { return pipeline_ != nullptr; }
  const std::string& unavailable() const { return unavailable_; }

 private:
  const Pipeline* pipeline_ = nullptr;
  std::size_t groups_ = 0;
  std::size_t won_ = 0;
  std::vector<std::int64_t> group_;  // per row; -1 = not counted
  std::vector<std::optional<double>> overrides_;  // per stage before won
  std::string unavailable_;  // why there is no pipeline term ("" = there is)
};

class Engine {
 public:
  static absl::StatusOr<Engine> Make(const Dataset& data, const ForecastOptions& options);

  std::size_t groups() const { return labels_.size(); }
  const std::string& label(std::size_t g) const { return labels_[g]; }
  Day as_of() const { return as_of_; }
  int money_scale() const { return money_scale_; }
  const std::string& notes() const { return notes_; }  // about the whole run

  // The forecast of every group for period `ordinal`, made as of its start +
  // elapsed days (capped at its end), knowing nothing later.
  absl::StatusOr<const std::vector<Point>*> At(std::int32_t ordinal, std::int32_t elapsed);
  // Net revenue of group g over [from, to] (known days only).
  Money Revenue(std::size_t g, Day from, Day to) const;
  // Interval of the forecast `value` of group g in period `ordinal` at
  // `elapsed` days, from the periods before it (null with a note when fewer
  // than 3 errors).
  absl::Status Interval(std::size_t g, std::int32_t ordinal, std::int32_t elapsed, Money value,
                        std::optional<Money>* low, std::optional<Money>* high,
                        std::int32_t* history, std::string* notes);
  // Targets of group g over the months of [from, to], or null with a note.
  std::optional<Money> Target(std::size_t g, Day from, Day to, std::string* notes) const;
  Grain grain() const { return options_.period; }
  Day data_start() const { return data_start_; }

 private:
  double Rest(std::size_t g, Day as_of, Day end, std::string* notes) const;
  Day RunRateStart(Day as_of) const;

  ForecastOptions options_;
  const Dataset* data_ = nullptr;
  Day as_of_ = kNoDate, first_ = 0, data_start_ = kNoDate;
  std::int32_t days_ = 0;
  int money_scale_ = kDefaultMoneyScale;
  std::vector<std::string> labels_;
  std::vector<Money> revenue_;  // group * days_ + (day - first_), known days only
  std::optional<PipelineTerm> pipeline_;
  std::string notes_;
  std::map<std::pair<std::int32_t, std::int32_t>, std::vector<Point>> memo_;
};

// "; "-joins a note onto notes (no duplicates).
void AddNote(std::string* notes, const std::string& note);
// Rounds a projected amount to minor units, halves away from zero; an
// amount outside the money range is an error naming `what`.
absl::StatusOr<Money> RoundMoney(double value, const std::string& what);

}  // namespace salesight::forecast_internal
