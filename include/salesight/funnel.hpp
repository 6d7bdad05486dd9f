// Sales funnel analysis (issue 4): stage counts, step and cumulative
// conversion, drop-off, days between stages, cycle length, win rates, average
// won deal, sales velocity, weighted pipeline, open pipeline by stage and its
// age, period-over-period comparison, bottlenecks.
//
// Definitions (every choice is an option; the default is stated here and the
// README's definitions table repeats it). S = number of stages, in funnel
// order; "date of stage s" is the Pipeline's stage_dates[s] (kNoDate = not
// reached).
//
// Reached. A stage is RECORDED for an opportunity when its date is present and
// not after `as_of` (a later date is "not yet happened"; as_of = kNoDate means
// no cut). The furthest stage L is the highest recorded stage.
//   * implied_reached = true (default): stages 0..L all count as reached (an
//     opportunity that has a contract passed the quote stage even if the ERP
//     has no quote date). The implied stages have no date, so they take part in
//     no day statistic.
//   * implied_reached = false: only recorded stages count (SQL's "date IS NOT
//     NULL"); step conversion can then exceed 1.
//   An opportunity with a stage recorded while an earlier one is not is counted
//   in issues.skipped_stage (not an error).
//
// Scope (FunnelMode):
//   * kCohort (default): opportunities whose `created` is in [from, to] (both
//     inclusive; kNoDate = unbounded) and not after as_of. Everything about
//     them (stages, won, lost) is counted whenever it happened (up to as_of).
//   * kActivity: events in the window. Stage s counts the opportunities whose
//     RECORDED stage-s date is in [from, to]; implied stages are not events and
//     are not counted. `opportunities` counts creations in the window, `won`
//     won-stage entries, `lost` lost dates (of opportunities not won). With a
//     period grain each event falls in the period of its own date. Step
//     conversion is then a flow ratio (entries into s / entries into s-1 in the
//     same group) and may exceed 1. Open pipeline figures are not computed.
//   * kSnapshot: as_of is required; the cohort of opportunities created up to
//     as_of (and in [from, to]), with every date after as_of ignored. Its
//     table output adds the open-at-stage columns. (The open figures are
//     computed in every non-activity mode; snapshot only makes as_of mandatory.)
//
// Stage statistics (per group and overall):
//   count n_s; step_conversion n_s / n_{s-1} (stage 0: null); cumulative
//   conversion n_s / n_0; drop_off n_{s-1} - n_s and drop_off_rate
//   1 - step_conversion (stage 0: 0 and null). A zero denominator gives null
//   (std::nullopt), never NaN or infinity.
//   Days into stage s (s >= 1): date(s) - date(s-1) over opportunities with
//   BOTH dates recorded (consecutive stages only: an opportunity that skipped
//   s-1 has no gap into s). median and p90 are quantile_cont (linear
//   interpolation at position q * (n-1) of the sorted values, as SQL's
//   quantile_cont / percentile_cont; the median of an even count is the mean of
//   the two middle values); mean is the exact sum / n. Null when n = 0.
//   Backwards dates: a recorded stage dated before the nearest earlier recorded
//   stage is reported in issues (with the opportunity id as given) and counted. Its gap
//   (when the two stages are consecutive) is EXCLUDED from the day statistics
//   unless include_backwards_gaps = true (SQL parity: then it enters as a
//   negative number). The same holds for a won date before `created` (cycle).
//
// Outcomes (compute_outcomes = true, default):
//   won stage w: `won_stage` by name (default: the stage named "won", else the
//   last stage). Won = stage w reached (implied counts). Lost = a lost_date
//   present (not after as_of) and not won; a won opportunity with a lost date
//   is counted in issues.won_and_lost and treated as won. Closed = won + lost.
//   win_rate_closed  = won / (won + lost);  win_rate_created = won / opportunities.
//   cycle days = date(w) - created over won opportunities with a recorded won
//   date (median, mean, p90 as above).
//   avg_won_amount = sum(amount of won) / won, in currency units (needs amount).
//   Open = in scope, at least one stage recorded, not won, not lost; its
//   current stage is L. open_count / open_amount per current stage; age =
//   as_of - date(L) (median, mean, p90; only when as_of is set).
//   Stage-to-won probability p_s (company-wide, over the whole scope):
//   among closed opportunities whose furthest stage is >= s, the share won;
//   overridable per stage by `stage_probability` (a value < 0 keeps the
//   historical one). null when no such closed opportunity exists.
//   weighted_pipeline = sum over stages of open_amount_s x p_s (currency
//   units; null when a stage holding open amount has a null p_s).
//   open_qualified = open opportunities whose current stage >= qualified
//   stage (`qualified_stage` by name; default: stage 1, the first after lead).
//   sales_velocity = open_qualified x avg_won_amount x win_rate_closed /
//   mean cycle days (currency units per day; null when any factor is null or
//   the mean cycle is 0).
//   With compute_outcomes = false none of this is computed (nulls and zeros)
//   and the amount and lost_date columns are not read.
//
// Groups: any combination (each at most once, in the order given, at most
// kMaxFunnelGroupBy) of dimensions of the pipeline rows, by name
// (salesight/dimension.hpp): the fields region, salesperson, source,
// customer, lost_reason; any attribute column ("origin", "category"); and
// through the dataset's customers table its region and attributes (e.g. a
// "segment" attribute). A customer without a customers row is the group
// "(none)". Plus a creation period (day, ISO week starting
// Monday, calendar month, quarter, year) of `created` (activity mode: of each
// event's date). One group per combination with at least one opportunity (or
// event) in scope; groups sorted by key values, then period. `overall` covers
// the whole scope (the comparison periods below excluded).
//
// Compare (needs a period grain): each group gets `previous` = the same keys
// in the previous period, or in the same period one year earlier (month - 12,
// quarter - 4, year - 1, ISO week (year - 1, week) — none for week 53 when
// that year has no week 53 —, day: same month and day, none for Feb 29). The
// lower bound `from` is widened internally by one period / one year so that
// the first periods have their comparison; those extra periods are not
// output as groups. Null when the compared group has nothing in scope.
//
// Bottlenecks (compute_bottlenecks = true, needs >= 1 group key or a
// period): for each group and stage s >= 1, a flag when
//   * kConversion: step_conversion < baseline x (1 - bottleneck_margin) with
//     n_{s-1} >= bottleneck_min_sample, or
//   * kDwell: median days into s > baseline median x (1 + bottleneck_margin)
//     with >= bottleneck_min_sample gaps,
// baseline = the `overall` row. Ranked by revenue_at_stake, descending (ties:
// group order, stage, kind). revenue_at_stake (currency units; 0 without
// amounts):
//   conversion: (baseline - group conversion) x n_{s-1} x value_s, where
//     value_s = overall avg_won_amount x p_s (p_s = 1 for s >= won stage);
//   dwell: the group's open amount waiting at stage s-1 x p_{s-1}.
// Each flag carries a one-line explanation such as
//   "quote → contract in 华东: 18% vs 31% company-wide, 240 opportunities".
//
// Threads and partitions: PartialFunnel aggregates a row range into a
// mergeable FunnelPartial (counts, exact money sums, per-group histograms of
// day gaps with an exact overflow list for values outside the histogram);
// MergeFunnel adds two partials of the same options (any order, any split);
// FinishFunnel computes the metrics. ComputeFunnel splits the rows over
// num_threads (0 = hardware concurrency). Every statistic comes from exact
// integer counts, so the result is identical for any thread count and any
// partition. Money sums are checked: overflow is an error naming the group.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "salesight/column.hpp"
#include "salesight/dataset.hpp"
#include "salesight/date.hpp"
#include "salesight/dictionary.hpp"
#include "salesight/grain.hpp"
#include "salesight/calculator.hpp"
#include "salesight/options.hpp"
#include "salesight/money.hpp"
#include "salesight/result_table.hpp"
#include "salesight/tables.hpp"

namespace salesight {

// ================================================================ stage log

// A stage-history log: one row per stage entry (re-entries and skipped stages
// allowed), e.g. a CRM's "stage changed" audit table.
struct StageLogColumns {
  Column<std::int64_t> opportunity;  // required
  Column<Id> stage;                  // required; ids of `stage_codes`
  Column<Day> entered;               // required; real dates (kNoDate is an error)
  DictionaryPtr stage_codes;         // required: the log's stage names by id
  // Optional: the opportunity ids' text codes (then `opportunity` holds ids
  // into it); messages name them and the converted columns carry them.
  DictionaryPtr opportunity_codes;
};

enum class StageEntry : std::uint8_t {
  kFirst,   // a stage's date is its first entry (default)
  kLatest,  // its latest entry
};

enum class UnknownStage : std::uint8_t {
  kIgnore,  // rows with a stage in neither `stages` nor lost_stage are skipped and counted
            // (default)
  kError,   // such a row is an error naming it
};

// Conversion rules (defaults first):
//   * one output row per distinct opportunity, ascending by opportunity;
//   * stage s's date = the first (kFirst) or latest (kLatest) entry into s;
//     entering a stage more than once counts in `re_entries`;
//   * mark_skipped_reached = true: a stage before the furthest entered stage
//     that was never entered counts as reached, dated with the date of the
//     nearest later ENTERED stage (the opportunity passed through it on the
//     way there: zero days in it); counted in `implied_stages`. false: it
//     stays kNoDate (not reached);
//   * created = the earliest entry date of the opportunity (any funnel or lost
//     row);
//   * lost_date = the latest entry into `lost_stage` (when that code exists in
//     stage_codes), unless a funnel stage was entered after it (the deal was
//     reopened; counted in `reopened`) — then kNoDate. Without the code the
//     output has no lost_date column.
struct StageLogOptions {
  std::vector<std::string> stages = DefaultStages();  // funnel order
  StageEntry entry = StageEntry::kFirst;
  bool mark_skipped_reached = true;
  std::string lost_stage = "lost";  // "" = none
  UnknownStage unknown_stage = UnknownStage::kIgnore;
};

struct StageLogConversion {
  // opportunity, created, stage_names, stage_dates, lost_date (see above); the
  // other attribute columns are empty: fill them in the same row order (or
  // join by `opportunity`) before Pipeline::Build.
  PipelineColumns columns;
  std::int64_t rows_used = 0;       // log rows that entered a funnel stage or lost
  std::int64_t ignored_rows = 0;    // unknown stage codes (kIgnore)
  std::int64_t re_entries = 0;      // (opportunity, stage) entries beyond the first
  std::int64_t implied_stages = 0;  // stages marked reached by mark_skipped_reached
  std::int64_t reopened = 0;        // lost entries followed by a later funnel entry
};

absl::StatusOr<StageLogConversion> PipelineFromStageLog(const StageLogColumns& log,
                                                        const StageLogOptions& options = {});

// ================================================================ options

enum class FunnelMode : std::uint8_t { kCohort, kActivity, kSnapshot };

inline constexpr int kMaxFunnelGroupBy = 5;

enum class FunnelCompare : std::uint8_t { kNone, kPreviousPeriod, kSamePeriodLastYear };

struct FunnelOptions {
  FunnelMode mode = FunnelMode::kCohort;
  Day from = kNoDate;   // inclusive; kNoDate = unbounded (cohort: created; activity: event date)
  Day to = kNoDate;     // inclusive; kNoDate = unbounded
  Day as_of = kNoDate;  // dates after it are ignored; required by kSnapshot; kNoDate = no cut

  // Dimension names (see Groups above); empty = only the overall row.
  std::vector<std::string> group_by;
  std::optional<Grain> period;  // none = no period grain
  FunnelCompare compare = FunnelCompare::kNone;  // needs a period

  bool implied_reached = true;
  bool include_backwards_gaps = false;
  bool compute_outcomes = true;

  std::string won_stage;        // "" = the stage named "won", else the last stage
  std::string qualified_stage;  // "" = stage 1 (stage 0 when there is one stage)
  // Empty = historical stage-to-won rates; else one per stage, each in [0, 1]
  // or < 0 for "historical".
  std::vector<double> stage_probability;

  bool compute_bottlenecks = true;
  double bottleneck_margin = 0.2;           // relative; >= 0
  std::int64_t bottleneck_min_sample = 30;  // opportunities in the denominator / gaps
  std::int64_t max_reported_issues = 100;   // examples kept (the first by row); counts are exact

  int num_threads = 1;  // 0 = hardware concurrency
};

// The options above, declared once (salesight/options.hpp; list in
// src/funnel/options_decl.cpp): the CLI's flags, the README table and the
// Python keywords derive from it. stage_probability and max_reported_issues
// are C++ only (the C struct has no field for them) and not declared.
absl::Span<const OptionDecl<FunnelOptions>> FunnelOptionDecls();
// The declared calculator (salesight/calculator.hpp): outputs table,
// detailed, bottlenecks.
CalculatorSpec FunnelCalculator();
// Its partial state (salesight/aggregator.hpp).
struct AggregatorSpec;
AggregatorSpec FunnelAggregator();
// Sets one declared option from its text form (errors name the option).
absl::Status SetFunnelOption(FunnelOptions& options, std::string_view name, std::string_view text);

// The options that reproduce WORKLOADS.md workload (b) exactly (SQL
// semantics: recorded stages only, backwards gaps included, no outcomes):
// grouped by region and month of created. Its `overall` row is funnel_overall.
FunnelOptions WorkloadFunnelOptions();

// ================================================================ results

struct FunnelDayStats {
  std::int64_t count = 0;  // values the statistics are over
  std::optional<double> median, mean, p90;
};

struct FunnelStageStats {
  std::int64_t count = 0;  // n_s
  std::optional<double> step_conversion;
  std::optional<double> cumulative_conversion;
  std::int64_t drop_off = 0;
  std::optional<double> drop_off_rate;
  FunnelDayStats days;  // from the previous stage (stage 0: empty)
  // Open pipeline currently at this stage (not in activity mode).
  std::int64_t open_count = 0;
  std::optional<Money> open_amount;       // minor units; null without amounts/outcomes
  std::optional<double> probability;      // stage-to-won probability used (company-wide)
  std::optional<double> weighted_amount;  // open_amount x probability, currency units
  FunnelDayStats age;                     // as_of - date(stage); needs as_of
};

struct FunnelGroupStats {
  std::int64_t opportunities = 0;  // in scope (activity: created in the window)
  std::vector<FunnelStageStats> stages;
  std::int64_t won = 0;
  std::int64_t lost = 0;
  std::optional<double> win_rate_closed;   // won / (won + lost)
  std::optional<double> win_rate_created;  // won / opportunities
  FunnelDayStats cycle_days;               // created -> won
  std::optional<Money> won_amount;         // minor units
  std::optional<double> avg_won_amount;    // currency units
  std::int64_t open = 0;
  std::int64_t open_qualified = 0;
  std::optional<Money> open_amount;         // minor units
  std::optional<double> weighted_pipeline;  // currency units
  std::optional<double> sales_velocity;     // currency units per day
};

struct FunnelGroup {
  std::vector<Id> keys;        // one per options.group_by (kNoId = "(none)")
  Day period_start = kNoDate;  // first day of the period; kNoDate without a period grain
  FunnelGroupStats stats;
  std::optional<FunnelGroupStats> previous;  // compare: the compared group's stats
  Day previous_start = kNoDate;              // compare: that period's first day
};

enum class BottleneckKind : std::uint8_t { kConversion, kDwell };

struct FunnelBottleneck {
  std::size_t group = 0;  // index into FunnelResult::groups
  int stage = 0;          // the step (stage - 1) -> stage
  BottleneckKind kind = BottleneckKind::kConversion;
  double value = 0;     // the group's step conversion or median days
  double baseline = 0;  // the company's
  std::int64_t sample = 0;
  double revenue_at_stake = 0;  // currency units
  std::string explanation;
};

struct FunnelDateIssue {
  std::size_t row = 0;
  std::int64_t opportunity = 0;  // the column's value (an id into opportunity_codes if set)
  int stage = 0;           // the later stage
  int previous_stage = 0;  // the earlier recorded stage; -1 = created (cycle)
  Day date = kNoDate;
  Day previous_date = kNoDate;
};

struct FunnelIssues {
  std::int64_t backwards_dates = 0;  // stage pairs (and won-before-created) dated backwards
  std::int64_t skipped_stage = 0;    // opportunities with a stage recorded without its predecessor
  std::int64_t won_and_lost = 0;     // won opportunities that also have a lost date
  std::vector<FunnelDateIssue> examples;  // the first max_reported_issues by row
};

struct FunnelResult {
  std::vector<std::string> stage_names;
  int won_stage = 0;
  int qualified_stage = 0;
  FunnelMode mode = FunnelMode::kCohort;
  std::vector<std::string> group_by;  // the dimension names
  std::optional<Grain> period;  // none = no period grain
  FunnelCompare compare = FunnelCompare::kNone;
  Day as_of = kNoDate;
  bool outcomes = true;
  bool has_amount = false;
  int money_scale = kDefaultMoneyScale;
  std::vector<DictionaryPtr> key_dictionaries;  // per group key, may be null

  FunnelGroupStats overall;
  std::vector<FunnelGroup> groups;
  std::vector<FunnelBottleneck> bottlenecks;
  FunnelIssues issues;
  DictionaryPtr opportunity_codes;  // Pipeline opportunities (null: the ids are numbers)
};

// ================================================================ compute

namespace internal {
struct FunnelState;
}

// Mergeable partial state. Move-only (copying it is never needed).
class FunnelPartial {
 public:
  FunnelPartial();
  ~FunnelPartial();
  FunnelPartial(FunnelPartial&&) noexcept;
  FunnelPartial& operator=(FunnelPartial&&) noexcept;
  FunnelPartial(const FunnelPartial&) = delete;
  FunnelPartial& operator=(const FunnelPartial&) = delete;

  std::int64_t rows() const;                        // table rows aggregated
  bool valid() const { return state_ != nullptr; }  // false after being moved from

  // Implementation access (src/funnel only).
  internal::FunnelState& state() { return *state_; }
  const internal::FunnelState& state() const { return *state_; }

 private:
  std::unique_ptr<internal::FunnelState> state_;
};

// Rows [begin, end) of the pipeline; at most 2^32 - 1 rows per partial
// (histogram bins are 32-bit; ComputeFunnel splits larger tables itself).
absl::StatusOr<FunnelPartial> PartialFunnel(const Dataset& data, std::size_t begin,
                                            std::size_t end, const FunnelOptions& options);
absl::StatusOr<FunnelPartial> PartialFunnel(const Pipeline& pipeline, std::size_t begin,
                                            std::size_t end, const FunnelOptions& options);
// `from` must come from the same options (and stage list); any order.
absl::Status MergeFunnel(FunnelPartial& into, const FunnelPartial& from);
// A partial of a table that continues earlier ones (a streamed batch, whose
// rows are numbered from 0): its issue examples name rows of the whole, its
// row 0 being `first_row`. Merging then keeps the first examples by row.
void OffsetFunnelRows(FunnelPartial& partial, std::size_t first_row);
absl::StatusOr<FunnelResult> FinishFunnel(FunnelPartial partial, const FunnelOptions& options);

// The dataset's pipeline, grouped by any of its dimensions.
absl::StatusOr<FunnelResult> ComputeFunnel(const Dataset& data, const FunnelOptions& options);
// A pipeline alone: its own fields and attributes as dimensions.
absl::StatusOr<FunnelResult> ComputeFunnel(const Pipeline& pipeline, const FunnelOptions& options);

// ================================================================ output

// "华东 / 2024-03": the group's key labels (dictionary codes, else the id as
// text, "(none)" for kNoId) and its period label (2024-03-01, 2024-W09,
// 2024-03, 2024-Q1, 2024), joined by " / "; "all" for no keys.
std::string FunnelGroupLabel(const FunnelResult& result, const FunnelGroup& group);
std::string FunnelPeriodLabel(const std::optional<Grain>& period, Day period_start);

// The CLI table: one row per group (or the single overall row when there are
// no groups): group columns (region, salesperson, source, segment, category:
// labels; then the period label in a column named day|week|month|quarter|
// year), per stage <stage>_count, <stage>_step_conv, <stage>_cum_conv,
// <stage>_median_days, then win_rate (= win_rate_closed), cycle_days (median).
// Snapshot mode adds per stage <stage>_open, <stage>_open_amount (money),
// <stage>_median_age. Compare adds compare_period and per stage
// <stage>_count_prev, <stage>_cum_conv_prev, then win_rate_prev.
ResultTable ToResultTable(const FunnelResult& result);

// The data problems of `issues` (see DataProblem), kinds with a count > 0 in
// this order: backwards_dates (examples: the first max_reported_issues by row,
// the opportunity as given and the two dates in the message), skipped_stage,
// won_and_lost (counts only: no examples are kept for these two).
DataProblems FunnelProblems(const FunnelResult& result);

// Every metric, one row per group plus a first row "all" (overall).
ResultTable ToDetailedResultTable(const FunnelResult& result);

// The bottleneck list: group, stage, kind, value, baseline, sample,
// revenue_at_stake, explanation.
ResultTable BottlenecksToResultTable(const FunnelResult& result);

// WORKLOADS.md (b): funnel_overall and funnel_group (region_id, month yyyymm,
// n_*, conv_*, med_*), ordered by (region_id, month). Needs group_by =
// {kRegion} and period = kMonth (as WorkloadFunnelOptions sets).
struct FunnelWorkloadTables {
  ResultTable overall;
  ResultTable group;
};
absl::StatusOr<FunnelWorkloadTables> ToWorkloadTables(const FunnelResult& result);

// One of the two tables above with the data problems, computed with
// WorkloadFunnelOptions() at `num_threads`: what a caller that wants one of
// them pays (the C ABI's two WORKLOAD outputs). kOverall computes no group:
// the overall row's counts and day values are exact, so it equals the
// grouped computation's overall row; the options are still checked as
// grouped (a table without regions is the same error for both).
enum class FunnelWorkloadOutput : std::uint8_t { kOverall, kGroup };
struct FunnelWorkloadTable {
  ResultTable table;
  DataProblems problems;
};
absl::StatusOr<FunnelWorkloadTable> ComputeFunnelWorkload(const Dataset& data,
                                                          FunnelWorkloadOutput output,
                                                          int num_threads);

}  // namespace salesight
