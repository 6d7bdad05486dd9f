// Bottleneck flags: a group's step conversion below, or its median dwell
// above, the company's own baseline (the overall row) by a relative margin,
// with a minimum sample; ranked by the revenue at stake.
#include <algorithm>

#include "absl/strings/str_format.h"
#include "internal/partial_internal.hpp"

namespace salesight::internal {
namespace {

std::string Percent(double fraction) { return absl::StrFormat("%.0f%%", 100.0 * fraction); }

std::string Days(double days) { return absl::StrFormat("%.1f", days); }

}  // namespace

std::vector<FunnelBottleneck> FindBottlenecks(const FunnelResult& r, const FunnelOptions& o) {
  std::vector<FunnelBottleneck> out;
  const FunnelGroupStats& base = r.overall;
  const int S = static_cast<int>(r.stage_names.size());
  if (base.stages.size() != r.stage_names.size()) return out;
  const double avg_won = base.avg_won_amount.value_or(0.0);
  const double margin = o.bottleneck_margin;
  const std::int64_t min_sample = o.bottleneck_min_sample;
  // Expected value of one opportunity at stage s: every stage from "won" on
  // is worth the whole average deal.
  auto value_at = [&](int s) {
    if (s >= r.won_stage) return avg_won;
    const auto& p = base.stages[static_cast<std::size_t>(s)].probability;
    return p ? avg_won * *p : 0.0;
  };

  for (std::size_t gi = 0; gi < r.groups.size(); ++gi) {
    const FunnelGroup& g = r.groups[gi];
    std::string label;  // built only for a group that gets a flag
    auto step_name = [&](std::size_t us) {
      if (label.empty()) label = FunnelGroupLabel(r, g);
      return absl::StrFormat("%s → %s in %s", r.stage_names[us - 1], r.stage_names[us], label);
    };
    for (int s = 1; s < S; ++s) {
      const auto us = static_cast<std::size_t>(s);
      const FunnelStageStats& gs = g.stats.stages[us];
      const FunnelStageStats& bs = base.stages[us];
      const std::int64_t n_prev = g.stats.stages[us - 1].count;
      if (gs.step_conversion && bs.step_conversion && n_prev >= min_sample &&
          *gs.step_conversion < *bs.step_conversion * (1.0 - margin)) {
        FunnelBottleneck b;
        b.group = gi;
        b.stage = s;
        b.kind = BottleneckKind::kConversion;
        b.value = *gs.step_conversion;
        b.baseline = *bs.step_conversion;
        b.sample = n_prev;
        b.revenue_at_stake = (b.baseline - b.value) * static_cast<double>(n_prev) * value_at(s);
        b.explanation =
            absl::StrFormat("%s: %s vs %s company-wide, %d opportunities", step_name(us),
                            Percent(b.value), Percent(b.baseline), n_prev);
        out.push_back(std::move(b));
      }
      if (gs.days.median && bs.days.median && gs.days.count >= min_sample && gs.days.count > 0 &&
          *gs.days.median > *bs.days.median * (1.0 + margin)) {
        FunnelBottleneck b;
        b.group = gi;
        b.stage = s;
        b.kind = BottleneckKind::kDwell;
        b.value = *gs.days.median;
        b.baseline = *bs.days.median;
        b.sample = gs.days.count;
        // The deals now waiting at the slow step, at their expected value.
        b.revenue_at_stake = g.stats.stages[us - 1].weighted_amount.value_or(0.0);
        b.explanation =
            absl::StrFormat("%s: median %s days vs %s days company-wide, %d opportunities",
                            step_name(us), Days(b.value), Days(b.baseline), b.sample);
        out.push_back(std::move(b));
      }
    }
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const FunnelBottleneck& a, const FunnelBottleneck& b) {
                     if (a.revenue_at_stake != b.revenue_at_stake)
                       return a.revenue_at_stake > b.revenue_at_stake;
                     if (a.group != b.group) return a.group < b.group;
                     if (a.stage != b.stage) return a.stage < b.stage;
                     return a.kind < b.kind;
                   });
  return out;
}

}  // namespace salesight::internal
