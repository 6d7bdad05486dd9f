// FunnelProblems: FunnelIssues as the one data-problems list of the surfaces.
#include <cstddef>
#include <string>

#include "absl/strings/str_format.h"
#include "salesight/funnel.hpp"

namespace salesight {

DataProblems FunnelProblems(const FunnelResult& result) {
  DataProblems out;
  out.money_scale = result.money_scale;
  const FunnelIssues& x = result.issues;
  auto stage_name = [&](int s) -> std::string {
    if (s < 0) return "created";
    const auto i = static_cast<std::size_t>(s);
    return i < result.stage_names.size() ? result.stage_names[i] : absl::StrFormat("stage %d", s);
  };
  if (x.backwards_dates > 0) {
    DataProblem p;
    p.problem = "backwards_dates";
    p.count = x.backwards_dates;
    for (const FunnelDateIssue& e : x.examples) {
      p.example_ids.push_back(KeyIdText(result.opportunity_codes, e.opportunity));
      p.example_rows.push_back(static_cast<std::int64_t>(e.row));
    }
    p.message = absl::StrFormat(
        "%d stage dates before the date of an earlier stage (their gaps are left out of the "
        "day statistics unless backwards gaps are included)",
        x.backwards_dates);
    if (!x.examples.empty()) {
      const FunnelDateIssue& e = x.examples.front();
      absl::StrAppendFormat(&p.message, "; e.g. opportunity '%s': %s %s is before %s %s",
                            p.example_ids.front(), stage_name(e.stage), FormatDate(e.date),
                            stage_name(e.previous_stage), FormatDate(e.previous_date));
    }
    out.items.push_back(std::move(p));
  }
  if (x.skipped_stage > 0) {
    DataProblem p;
    p.problem = "skipped_stage";
    p.count = x.skipped_stage;
    p.message = absl::StrFormat(
        "%d opportunities have a stage recorded while an earlier stage has no date",
        x.skipped_stage);
    out.items.push_back(std::move(p));
  }
  if (x.won_and_lost > 0) {
    DataProblem p;
    p.problem = "won_and_lost";
    p.count = x.won_and_lost;
    p.message = absl::StrFormat(
        "%d won opportunities also have a lost date (counted as won)", x.won_and_lost);
    out.items.push_back(std::move(p));
  }
  return out;
}

}  // namespace salesight
