// The forecast's machinery (salesight/forecast.hpp states every definition):
// daily revenue per group as known on as_of, the pipeline term, and the
// point forecast of one period at one elapsed day, memoized because the
// interval and the backtest ask for the same points many times.
#pragma once

#include <array>
#include <cstdint>
#include <limits>
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

inline constexpr std::int32_t kNever = std::numeric_limits<std::int32_t>::max();

// Days row i of the pipeline stayed at stage s (reached on r) before
// advancing or winning - and being lost, when `lost` - counting only the
// events dated <= known; kNever when none.
std::int32_t StayAtStage(const PipelineColumns& c, std::size_t won, std::size_t i, std::size_t s,
                         Day r, Day known, bool lost);

// Expected won amount per group of the opportunities open at a date. Make
// reads the pipeline once and keeps, per stage, the facts every as-of day
// needs (each deal's stay and win gap as finally known, its open spans);
// Expected then answers one as-of day from those, with exact integer counts.
class PipelineTerm {
 public:
  // `group_of` maps a pipeline row's member label to a group index (absent
  // labels are not counted). Null pipeline or no amount column: empty term.
  // Expected may be asked for as-of days in [earliest, latest] only.
  static absl::StatusOr<PipelineTerm> Make(const Dataset& data, const ForecastOptions& options,
                                           const std::map<std::string, std::size_t>& group_of,
                                           std::size_t groups, Day earliest, Day latest);
  // Per group: sum of amount x p(stage) x q over the open opportunities.
  absl::StatusOr<std::vector<double>> Expected(Day as_of, Day end, std::string* notes) const;
  // Per group: the amounts of the deals won in [from, to].
  absl::StatusOr<std::vector<double>> Won(Day from, Day to) const;
  bool available() const { return pipeline_ != nullptr; }
  const std::string& unavailable() const { return unavailable_; }

  // A deal that reached one stage before won, with its facts as finally
  // known: pipeline_expected.cpp shows that an event dated after an as-of
  // day cannot change that day's counts. The rows
  // for which that does not hold (created after reaching the stage, or lost
  // and later won) are in `irregular` and read as of each day.
  struct Member {
    Day reached;
    std::int32_t last_age;  // days at the stage - 1 (until advanced, won or lost); kNever
    std::int32_t won_gap;   // days from reaching it to winning; kNever
  };
  // Members never won count only through their last age, min(last_age,
  // until - reached) for an as-of day's `until`: those whose last counted
  // day x = reached + last_age is <= until count at last_age, the others at
  // until - reached. So they are kept by x, with running counts (by last
  // age and by reached day) of the members with x < each of a few snapshot
  // days: a day's counts are a snapshot plus at most `step` days of members.
  struct Unwon {
    Day base = 0;           // the first day a member reached the stage
    std::int32_t days = 0;  // base .. latest
    std::int32_t step = 1;  // days between snapshots
    std::vector<Member> by_last_day;          // by x (x > latest last)
    std::vector<std::int64_t> reached;        // per day from base: members that reached it
    std::vector<std::size_t> snapshot_end;    // per snapshot k: members with x < base + k x step
    std::vector<std::int64_t> by_age, by_day;  // per snapshot k: days x (last age, reached - base)
  };
  struct Cohort {
    std::vector<Member> won;  // members with a win, by reached
    Unwon unwon;
    std::vector<std::size_t> irregular;
    std::vector<std::array<Day, 3>> wins;  // created, reached, won: kept with an override only
  };
  // A deal open at `stage` on the days [from, to), aged from `reached`.
  struct Span {
    Money amount;
    Day from, to, reached;
    std::int32_t group, stage;
  };
  struct Win {
    Day day;
    std::int32_t group;
    Money amount;
  };

 private:
  // Below this many rows per thread a thread costs more than it saves.
  static constexpr std::size_t kRowsPerThread = std::size_t{1} << 14;
  void Read(int num_threads);
  // min(reached + last_age, latest + 1): the last day a member counts at its age.
  static Day LastDay(const Member& m, Day latest);
  void AddUnwon(const Unwon& u, Day until, std::vector<std::int64_t>* alive) const;
  static void BuildUnwon(const std::vector<std::vector<Member>>& parts, Day first, Day latest, Unwon* u);

  const Pipeline* pipeline_ = nullptr;
  std::size_t groups_ = 0;
  std::size_t won_ = 0;
  int threads_ = 1;
  Day earliest_ = kNoDate, latest_ = kNoDate;
  std::vector<std::int64_t> group_;  // per row; -1 = not counted
  std::vector<std::optional<double>> overrides_;  // per stage before won
  std::vector<Cohort> cohorts_;                   // per stage before won
  std::vector<Span> spans_;                       // by `to` descending
  std::vector<Day> first_open_;                   // per stage: the first `reached` of its spans
  std::vector<Win> wins_;
  std::string unavailable_;  // why there is no pipeline term ("" = there is)
};

class Engine {
 public:
  // At() will be asked for periods at most `periods_back` before as_of's.
  static absl::StatusOr<Engine> Make(const Dataset& data, const ForecastOptions& options,
                                     std::int32_t periods_back);

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
