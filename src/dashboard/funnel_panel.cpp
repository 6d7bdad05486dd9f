// Panel 4, the sales funnel: opportunities created in the period through the
// stages (counts, step and cumulative conversion, median days from the
// previous stage), overall and per region / source (the selector and the
// region filter), with the funnel calculator's bottleneck
// flags on the groups.
#include <set>

#include "internal/panels.hpp"
#include "salesight/funnel.hpp"

namespace salesight::dashboard {
namespace {

Json Stages(const FunnelResult& f, const FunnelGroupStats& g, const std::set<int>& flagged) {
  Json stages = Json::array();
  for (std::size_t s = 0; s < f.stage_names.size() && s < g.stages.size(); ++s) {
    const FunnelStageStats& st = g.stages[s];
    stages.push_back({{"name", f.stage_names[s]},
                      {"count", st.count},
                      {"step_conversion", NumberOrNull(st.step_conversion)},
                      {"cumulative_conversion", NumberOrNull(st.cumulative_conversion)},
                      {"median_days", NumberOrNull(st.days.median)},
                      {"bottleneck", flagged.count(static_cast<int>(s)) > 0}});
  }
  return {{"opportunities", g.opportunities}, {"won", g.won}, {"lost", g.lost},
          {"win_rate_closed", NumberOrNull(g.win_rate_closed)}, {"stages", stages}};
}

}  // namespace

Json FunnelPanel(const Context& c) {
  if (c.data.pipeline() == nullptr) return NoData("no pipeline (opportunities) given");
  FunnelOptions o;
  o.from = c.from;
  o.to = c.to;
  o.as_of = c.to;
  o.num_threads = c.options.num_threads;
  absl::StatusOr<FunnelResult> all = ComputeFunnel(c.data, o);
  if (!all.ok()) return Failed(all.status());
  Json p = {{"status", "ok"}, {"won_stage", all->stage_names[static_cast<std::size_t>(all->won_stage)]}};
  p["overall"] = Stages(*all, all->overall, {});
  Json by = Json::object();
  // Per salesperson the page shows the salesperson's region's funnel: 200 x
  // the stages would be a third of the file for a view few open.
  for (const char* dim : {"region", "source"}) {
    if (!c.data.Dimension(TableKind::kPipeline, dim).ok()) continue;
    FunnelOptions go = o;
    go.group_by = {dim};
    absl::StatusOr<FunnelResult> g = ComputeFunnel(c.data, go);
    if (!g.ok()) continue;
    Json members = Json::object();
    for (std::size_t i = 0; i < g->groups.size(); ++i) {
      std::set<int> flagged;
      Json reasons = Json::array();
      for (const FunnelBottleneck& b : g->bottlenecks) {
        if (b.group != i) continue;
        flagged.insert(b.stage);
        reasons.push_back(b.explanation);
      }
      const Id key = g->groups[i].keys[0];
      Json m = Stages(*g, g->groups[i].stats, flagged);
      m["label"] = Label(g->key_dictionaries[0], key);
      m["bottlenecks"] = reasons;
      members[Label(g->key_dictionaries[0], key)] = m;
    }
    by[dim] = members;
  }
  p["by"] = by;
  return p;
}

}  // namespace salesight::dashboard
