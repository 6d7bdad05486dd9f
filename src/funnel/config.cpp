// Option validation: every mistake is reported before any row is read, naming
// the option and the value.
#include <algorithm>
#include <limits>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "salesight/status_macros.hpp"
#include "internal/funnel_state.hpp"
#include "internal/periods.hpp"

namespace salesight {

FunnelOptions WorkloadFunnelOptions() {
  FunnelOptions o;
  o.mode = FunnelMode::kCohort;
  o.group_by = {"region"};
  o.period = GrainUnit::kMonth;
  o.implied_reached = false;        // n_<stage> counts non-NULL dates only
  o.include_backwards_gaps = true;  // the SQL median takes every difference
  o.compute_outcomes = false;       // not part of the workload
  o.compute_bottlenecks = false;
  return o;
}

namespace internal {
namespace {

constexpr Day kMinScopeDay = std::numeric_limits<Day>::min();
constexpr Day kMaxScopeDay = std::numeric_limits<Day>::max();

int FindStage(const std::vector<std::string>& names, const std::string& name) {
  for (std::size_t s = 0; s < names.size(); ++s) {
    if (names[s] == name) return static_cast<int>(s);
  }
  return -1;
}

absl::Status CheckDateOption(const char* name, Day day) {
  if (day != kNoDate && (day < kMinDay || day > kMaxDay)) {
    return absl::InvalidArgumentError(
        absl::StrFormat("funnel option '%s': day %d is outside 1900-01-01..2199-12-31", name, day));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<DimensionColumn> ResolveGroupKey(const Dataset& data, const std::string& name) {
  absl::StatusOr<DimensionColumn> dim = data.Dimension(TableKind::kPipeline, name);
  if (dim.ok()) return dim;
  // An empty table cannot tell an absent column from an empty one: its
  // groups are never read.
  if (data.pipeline()->size() == 0) {
    DimensionColumn never_read;
    never_read.name = name;
    return never_read;
  }
  return absl::InvalidArgumentError(
      absl::StrCat("funnel option 'group_by': ", dim.status().message()));
}

absl::StatusOr<FunnelConfig> MakeFunnelConfig(const Dataset& data, const FunnelOptions& o) {
  if (data.pipeline() == nullptr) {
    return absl::InvalidArgumentError("funnel: the dataset has no pipeline table");
  }
  const Pipeline& pipeline = *data.pipeline();
  const PipelineColumns& c = pipeline.columns();
  FunnelConfig cfg;
  cfg.num_stages = static_cast<int>(pipeline.num_stages());
  cfg.stage_names = c.stage_names;
  if (cfg.num_stages > kMaxFunnelStages) {
    return absl::InvalidArgumentError(absl::StrFormat("funnel: %d stages; at most %d are supported",
                                                      cfg.num_stages, kMaxFunnelStages));
  }
  const int S = cfg.num_stages;

  if (o.won_stage.empty()) {
    int w = FindStage(c.stage_names, "won");
    cfg.won_stage = w >= 0 ? w : S - 1;
  } else {
    cfg.won_stage = FindStage(c.stage_names, o.won_stage);
    if (cfg.won_stage < 0) {
      return absl::InvalidArgumentError(
          absl::StrFormat("funnel option 'won_stage': '%s' is not one of the stages %s",
                          o.won_stage, absl::StrJoin(c.stage_names, ", ")));
    }
  }
  if (o.qualified_stage.empty()) {
    cfg.qualified_stage = S >= 2 ? 1 : 0;
  } else {
    cfg.qualified_stage = FindStage(c.stage_names, o.qualified_stage);
    if (cfg.qualified_stage < 0) {
      return absl::InvalidArgumentError(
          absl::StrFormat("funnel option 'qualified_stage': '%s' is not one of the stages %s",
                          o.qualified_stage, absl::StrJoin(c.stage_names, ", ")));
    }
  }
  if (!o.stage_probability.empty()) {
    if (static_cast<int>(o.stage_probability.size()) != S) {
      return absl::InvalidArgumentError(
          absl::StrFormat("funnel option 'stage_probability': %d values for %d stages",
                          o.stage_probability.size(), S));
    }
    for (std::size_t s = 0; s < o.stage_probability.size(); ++s) {
      double p = o.stage_probability[s];
      if (!(p <= 1.0) || p != p) {
        return absl::InvalidArgumentError(absl::StrFormat(
            "funnel option 'stage_probability': %g for stage '%s' is not in [0, 1] (or < 0 "
            "for historical)",
            p, c.stage_names[s]));
      }
    }
  }

  cfg.mode = o.mode;
  cfg.period = o.period;
  cfg.compare = o.compare;
  cfg.keys = o.group_by;
  if (cfg.keys.size() > static_cast<std::size_t>(kMaxFunnelGroupBy)) {
    return absl::InvalidArgumentError("funnel option 'group_by': too many keys");
  }
  for (std::size_t i = 0; i < cfg.keys.size(); ++i) {
    for (std::size_t j = 0; j < i; ++j) {
      if (cfg.keys[i] == cfg.keys[j]) {
        return absl::InvalidArgumentError(
            absl::StrFormat("funnel option 'group_by': '%s' is listed twice", cfg.keys[i]));
      }
    }
    SALESIGHT_RETURN_IF_ERROR(ResolveGroupKey(data, cfg.keys[i]).status());
  }
  if (o.compare != FunnelCompare::kNone && !o.period.has_value()) {
    return absl::InvalidArgumentError(
        "funnel option 'compare': a comparison needs a period grain (day, week, month, quarter "
        "or year)");
  }
  SALESIGHT_RETURN_IF_ERROR(CheckDateOption("from", o.from));
  SALESIGHT_RETURN_IF_ERROR(CheckDateOption("to", o.to));
  SALESIGHT_RETURN_IF_ERROR(CheckDateOption("as_of", o.as_of));
  if (o.from != kNoDate && o.to != kNoDate && o.from > o.to) {
    return absl::InvalidArgumentError(absl::StrFormat("funnel options: from %s is after to %s",
                                                      FormatDate(o.from), FormatDate(o.to)));
  }
  if (o.mode == FunnelMode::kSnapshot && o.as_of == kNoDate) {
    return absl::InvalidArgumentError("funnel: snapshot mode needs options.as_of");
  }
  if (!(o.bottleneck_margin >= 0.0)) {
    return absl::InvalidArgumentError(
        absl::StrFormat("funnel option 'bottleneck_margin': %g must be >= 0", o.bottleneck_margin));
  }
  if (o.bottleneck_min_sample < 0 || o.max_reported_issues < 0 || o.num_threads < 0) {
    return absl::InvalidArgumentError(
        "funnel options: bottleneck_min_sample, max_reported_issues and num_threads must be "
        ">= 0");
  }

  cfg.as_of = o.as_of;
  cfg.cut = o.as_of == kNoDate ? kMaxScopeDay : o.as_of;
  cfg.lo = o.from == kNoDate ? kMinScopeDay : o.from;
  cfg.hi = std::min(o.to == kNoDate ? kMaxScopeDay : o.to, cfg.cut);
  cfg.main_from = cfg.lo;
  cfg.main_first_period = 0;
  cfg.widened = false;
  if (o.compare != FunnelCompare::kNone && o.from != kNoDate) {
    cfg.main_first_period = PeriodOrdinal(o.period, o.from);
    std::int32_t back = cfg.main_first_period - CompareReach(o.period, o.compare);
    Day start = PeriodStart(o.period,
                            std::max<std::int32_t>(back, PeriodOrdinal(o.period, kMinDay)));
    cfg.lo = std::max(start, kMinDay);
    cfg.widened = cfg.lo < o.from;
  }

  cfg.implied = o.implied_reached;
  cfg.include_backwards = o.include_backwards_gaps;
  cfg.outcomes = o.compute_outcomes;
  cfg.has_amount = cfg.outcomes && !c.amount.empty();
  cfg.has_lost = cfg.outcomes && !c.lost_date.empty();
  cfg.ages = cfg.outcomes && o.as_of != kNoDate && o.mode != FunnelMode::kActivity;
  cfg.max_issues = o.max_reported_issues;
  cfg.money_scale = c.money_scale;

  cfg.num_channels = S - 1 + (cfg.outcomes ? 1 : 0) + (cfg.ages ? S : 0);
  cfg.base_width.assign(static_cast<std::size_t>(S - 1), kGapBins);
  return cfg;
}

}  // namespace internal
}  // namespace salesight
