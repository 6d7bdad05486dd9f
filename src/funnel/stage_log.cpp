// PipelineFromStageLog: a stage-history log -> one date column per stage.
#include <algorithm>
#include <numeric>

#include "absl/strings/str_format.h"
#include "salesight/funnel.hpp"

namespace salesight {
namespace {

constexpr int kUnknown = -1;
constexpr int kLost = -2;

}  // namespace

absl::StatusOr<StageLogConversion> PipelineFromStageLog(const StageLogColumns& log,
                                                        const StageLogOptions& options) {
  const std::size_t n = log.opportunity.size();
  if (log.stage.size() != n || log.entered.size() != n) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "stage log: columns 'opportunity' (%d rows), 'stage' (%d) and 'entered' (%d) differ in "
        "length",
        n, log.stage.size(), log.entered.size()));
  }
  if (!log.stage_codes) {
    return absl::InvalidArgumentError(
        "stage log: 'stage_codes' (the dictionary of the stage column) is required");
  }
  const std::vector<std::string>& stages = options.stages;
  const std::size_t S = stages.size();
  if (S == 0) return absl::InvalidArgumentError("stage log: the stage list is empty");
  for (std::size_t s = 0; s < S; ++s) {
    for (std::size_t t = 0; t < s; ++t) {
      if (stages[s] == stages[t]) {
        return absl::InvalidArgumentError(
            absl::StrFormat("stage log: stage '%s' is listed twice", stages[s]));
      }
    }
    if (!options.lost_stage.empty() && stages[s] == options.lost_stage) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "stage log: the lost stage '%s' is also a funnel stage", options.lost_stage));
    }
  }

  // Dictionary id -> funnel position (or kLost / kUnknown).
  const Dictionary& codes = *log.stage_codes;
  std::vector<int> position(static_cast<std::size_t>(codes.size()), kUnknown);
  bool has_lost_code = false;
  for (Id id = 0; id < codes.size(); ++id) {
    std::string_view code = codes.Code(id);
    for (std::size_t s = 0; s < S; ++s) {
      if (code == stages[s]) position[static_cast<std::size_t>(id)] = static_cast<int>(s);
    }
    if (!options.lost_stage.empty() && code == options.lost_stage) {
      position[static_cast<std::size_t>(id)] = kLost;
      has_lost_code = true;
    }
  }

  StageLogConversion out;
  for (std::size_t i = 0; i < n; ++i) {
    const Id id = log.stage[i];
    if (id < 0 || id >= codes.size()) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "stage log row %d, column 'stage': id %d is not in the stage dictionary (%d codes)", i,
          id, codes.size()));
    }
    const Day d = log.entered[i];
    if (d == kNoDate || d < kMinDay || d > kMaxDay) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "stage log row %d, column 'entered': %s is not a date in 1900-01-01..2199-12-31", i,
          d == kNoDate ? std::string("a missing date") : std::to_string(d)));
    }
    if (position[static_cast<std::size_t>(id)] == kUnknown) {
      if (options.unknown_stage == UnknownStage::kError) {
        return absl::InvalidArgumentError(absl::StrFormat(
            "stage log row %d (opportunity '%s'), column 'stage': '%s' is neither a funnel "
            "stage nor the lost stage",
            i, KeyIdText(log.opportunity_codes, log.opportunity[i]), codes.Code(id)));
      }
      ++out.ignored_rows;
    }
  }

  // Rows grouped by opportunity (stable: ties keep log order).
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return log.opportunity[a] < log.opportunity[b];
  });

  std::vector<std::int64_t> opportunity;
  std::vector<Day> created, lost_date;
  std::vector<std::vector<Day>> dates(S);
  std::vector<Day> stage_date(S);
  std::vector<std::int64_t> entries(S);
  for (std::size_t a = 0; a < n;) {
    std::size_t b = a;
    const std::int64_t opp = log.opportunity[order[a]];
    while (b < n && log.opportunity[order[b]] == opp) ++b;
    std::fill(stage_date.begin(), stage_date.end(), kNoDate);
    std::fill(entries.begin(), entries.end(), 0);
    Day first = kNoDate, latest_funnel = kNoDate, latest_lost = kNoDate;
    bool used = false;
    for (std::size_t k = a; k < b; ++k) {
      const std::size_t row = order[k];
      const int pos = position[static_cast<std::size_t>(log.stage[row])];
      if (pos == kUnknown) continue;
      const Day d = log.entered[row];
      used = true;
      ++out.rows_used;
      first = first == kNoDate ? d : std::min(first, d);
      if (pos == kLost) {
        latest_lost = latest_lost == kNoDate ? d : std::max(latest_lost, d);
        continue;
      }
      const auto s = static_cast<std::size_t>(pos);
      latest_funnel = latest_funnel == kNoDate ? d : std::max(latest_funnel, d);
      ++entries[s];
      if (stage_date[s] == kNoDate) {
        stage_date[s] = d;
      } else if (options.entry == StageEntry::kFirst) {
        stage_date[s] = std::min(stage_date[s], d);
      } else {
        stage_date[s] = std::max(stage_date[s], d);
      }
    }
    a = b;
    if (!used) continue;
    for (std::size_t s = 0; s < S; ++s) {
      if (entries[s] > 1) out.re_entries += entries[s] - 1;
    }
    if (options.mark_skipped_reached) {
      // Walking down from the furthest stage, a never-entered stage takes the
      // date of the nearest later entered one.
      Day next = kNoDate;
      for (std::size_t s = S; s-- > 0;) {
        if (stage_date[s] != kNoDate) {
          next = stage_date[s];
        } else if (next != kNoDate) {
          stage_date[s] = next;
          ++out.implied_stages;
        }
      }
    }
    Day lost = latest_lost;
    if (lost != kNoDate && latest_funnel != kNoDate && latest_funnel > lost) {
      lost = kNoDate;
      ++out.reopened;
    }
    opportunity.push_back(opp);
    created.push_back(first);
    lost_date.push_back(lost);
    for (std::size_t s = 0; s < S; ++s) dates[s].push_back(stage_date[s]);
  }

  PipelineColumns& c = out.columns;
  c.opportunity = Column<std::int64_t>::Own(std::move(opportunity));
  c.created = Column<Day>::Own(std::move(created));
  c.stage_names = stages;
  c.stage_dates.clear();
  for (std::size_t s = 0; s < S; ++s)
    c.stage_dates.push_back(Column<Day>::Own(std::move(dates[s])));
  if (has_lost_code) c.lost_date = Column<Day>::Own(std::move(lost_date));
  c.opportunities = log.opportunity_codes;
  return out;
}

}  // namespace salesight
