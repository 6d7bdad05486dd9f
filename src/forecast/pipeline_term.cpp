// The weighted pipeline of the landing forecast: see salesight/forecast.hpp.
#include <algorithm>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "forecast/internal/engine.hpp"

namespace salesight::forecast_internal {
namespace {

absl::Status ParseOverrides(const std::string& text, const std::vector<std::string>& stages,
                            std::size_t won, std::vector<std::optional<double>>* out) {
  out->assign(won, std::nullopt);
  if (text.empty()) return absl::OkStatus();
  for (absl::string_view item : absl::StrSplit(text, ',')) {
    const std::vector<std::string> kv = absl::StrSplit(item, absl::MaxSplits('=', 1));
    double p = 0;
    if (kv.size() != 2 || !absl::SimpleAtod(kv[1], &p) || !(p >= 0 && p <= 1)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "stage_probabilities: '", std::string(item), "' is not stage=p with 0 <= p <= 1"));
    }
    const auto it = std::find(stages.begin(), stages.end(), kv[0]);
    const std::size_t s = static_cast<std::size_t>(it - stages.begin());
    if (it == stages.end() || s >= won) {
      std::string valid;
      for (std::size_t i = 0; i < won; ++i) absl::StrAppend(&valid, i ? ", " : "", stages[i]);
      return absl::InvalidArgumentError(absl::StrCat("stage_probabilities: '", kv[0],
                                                     "' is not an open stage; the open stages: ",
                                                     valid));
    }
    (*out)[s] = p;
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<PipelineTerm> PipelineTerm::Make(const Dataset& data, const ForecastOptions& options,
                                                const std::map<std::string, std::size_t>& group_of,
                                                std::size_t groups) {
  PipelineTerm t;
  t.groups_ = groups;
  const Pipeline* p = data.pipeline();
  if (!options.include_pipeline) {
    t.unavailable_ = "pipeline not included (include_pipeline = false)";
    return t;
  }
  if (p == nullptr) {
    t.unavailable_ = "no pipeline table";
    return t;
  }
  const PipelineColumns& c = p->columns();
  if (c.amount.empty()) {
    t.unavailable_ = "the pipeline has no amount column";
    return t;
  }
  const auto won = std::find(c.stage_names.begin(), c.stage_names.end(), options.won_stage);
  if (won == c.stage_names.end()) {
    return absl::InvalidArgumentError(absl::StrCat("won_stage: '", options.won_stage,
                                                   "' is not a stage of the pipeline; its stages: ",
                                                   absl::StrJoin(c.stage_names, ", ")));
  }
  t.won_ = static_cast<std::size_t>(won - c.stage_names.begin());
  if (absl::Status st = ParseOverrides(options.stage_probabilities, c.stage_names, t.won_,
                                       &t.overrides_);
      !st.ok()) {
    return st;
  }
  t.group_.assign(p->size(), groups == 1 && options.group_by.empty() ? 0 : -1);
  if (!options.group_by.empty()) {
    absl::StatusOr<DimensionColumn> dim = data.Dimension(TableKind::kPipeline, options.group_by);
    if (!dim.ok()) {
      t.unavailable_ = absl::StrCat("the pipeline has no column '", options.group_by, "'");
      return t;
    }
    std::vector<std::int64_t> by_code(static_cast<std::size_t>(dim->cardinality), -1);
    for (std::size_t code = 0; code < by_code.size(); ++code) {
      const auto it = group_of.find(DimensionLabel(dim->dictionary, static_cast<Id>(code)));
      if (it != group_of.end()) by_code[code] = static_cast<std::int64_t>(it->second);
    }
    for (std::size_t i = 0; i < p->size(); ++i) {
      const Id code = dim->Code(i);
      if (code >= 0 && static_cast<std::size_t>(code) < by_code.size()) t.group_[i] = by_code[code];
    }
  }
  t.pipeline_ = p;
  return t;
}

namespace {

// Counts of values inserted so far that are <= x (values in [0, size)).
class Fenwick {
 public:
  explicit Fenwick(std::size_t size) : tree_(size + 1, 0) {}
  void Add(std::int64_t v) {
    for (std::size_t i = static_cast<std::size_t>(v) + 1; i < tree_.size(); i += i & (~i + 1)) ++tree_[i];
  }
  std::int64_t AtMost(std::int64_t x) const {
    if (x < 0) return 0;
    std::int64_t sum = 0;
    for (std::size_t i = std::min(static_cast<std::size_t>(x) + 1, tree_.size() - 1); i > 0; i -= i & (~i + 1)) {
      sum += tree_[i];
    }
    return sum;
  }

 private:
  std::vector<std::int64_t> tree_;
};

constexpr std::int32_t kNever = std::numeric_limits<std::int32_t>::max();

}  // namespace

std::vector<double> PipelineTerm::Expected(Day as_of, Day end, std::string* notes) const {
  std::vector<double> out(groups_, 0.0);
  if (pipeline_ == nullptr) return out;
  const PipelineColumns& c = pipeline_->columns();
  const std::int32_t horizon = end - as_of;
  auto reached = [&](std::size_t s, std::size_t i) {
    const Day d = c.stage_dates[s][i];
    return d != kNoDate && d <= as_of;
  };
  auto lost_by = [&](std::size_t i) {
    return !c.lost_date.empty() && c.lost_date[i] != kNoDate && c.lost_date[i] <= as_of;
  };
  // P(won within the horizon | still at stage s at this age): of the deals
  // that reached s, observed for age + horizon days since reaching it, and
  // still at s at `age` (not advanced, won or lost by then), the share won
  // within (age, age + horizon], by any path. Deals that never close stay in
  // the denominator. A deal of the cohort counts for every age up to
  // min(days it stayed at s - 1, as_of - horizon - reached): ages are taken
  // in descending order and deals join a Fenwick tree of won gaps as their
  // limit is reached.
  struct Member {
    std::int32_t last_age;  // the largest age at which it counts
    std::int32_t won_gap;   // days from reaching s to winning; kNever
  };
  struct Open {
    std::int32_t age;
    std::size_t row;
  };
  std::vector<std::vector<Member>> cohort(won_);
  std::vector<std::vector<Open>> open(won_);
  std::vector<std::vector<std::int32_t>> won_gaps(won_);  // the overrides' timing: all wins known
  for (std::size_t i = 0; i < pipeline_->size(); ++i) {
    if (c.created[i] > as_of) continue;
    const bool won = reached(won_, i), lost = !won && lost_by(i);
    std::size_t stage = won_;
    for (std::size_t s = 0; s < won_; ++s) {
      if (!reached(s, i)) continue;
      stage = s;
      const Day r = c.stage_dates[s][i];
      std::int32_t stay = kNever;  // days at s: until the next stage, a win or a loss
      for (std::size_t later = s + 1; later <= won_; ++later) {
        if (reached(later, i)) stay = std::min(stay, std::max(0, c.stage_dates[later][i] - r));
      }
      if (lost) stay = std::min(stay, std::max(0, c.lost_date[i] - r));
      const std::int32_t won_gap = won ? std::max(0, c.stage_dates[won_][i] - r) : kNever;
      if (won) won_gaps[s].push_back(won_gap);
      const std::int32_t observed = as_of - horizon - r;
      const std::int32_t last_age = std::min(stay == kNever ? observed : stay - 1, observed);
      if (last_age >= 0) cohort[s].push_back({last_age, won_gap});
    }
    if (!won && !lost && stage < won_ && group_[i] >= 0) {
      open[stage].push_back({as_of - c.stage_dates[stage][i], i});
    }
  }
  for (std::size_t s = 0; s < won_; ++s) {
    if (open[s].empty()) continue;
    std::vector<Member>& m = cohort[s];
    std::sort(m.begin(), m.end(), [](const Member& a, const Member& b) { return a.last_age > b.last_age; });
    std::sort(open[s].begin(), open[s].end(), [](const Open& a, const Open& b) { return a.age > b.age; });
    std::int32_t span = 1;
    for (const Member& x : m) {
      if (x.won_gap != kNever) span = std::max(span, x.won_gap + 1);
    }
    std::vector<std::int32_t>& gaps = won_gaps[s];
    std::sort(gaps.begin(), gaps.end());
    Fenwick wins(static_cast<std::size_t>(span));
    std::size_t next = 0;
    std::int64_t alive = 0;
    std::int32_t last_age = -1;
    double share = 0, q_share = 0;
    bool noted = false;
    for (const Open& deal : open[s]) {
      if (deal.age != last_age) {
        last_age = deal.age;
        for (; next < m.size() && m[next].last_age >= deal.age; ++next) {
          ++alive;
          if (m[next].won_gap != kNever) wins.Add(m[next].won_gap);
        }
        const std::int64_t won = wins.AtMost(static_cast<std::int64_t>(deal.age) + horizon) - wins.AtMost(deal.age);
        share = alive > 0 ? static_cast<double>(won) / static_cast<double>(alive) : 0.0;
        if (alive == 0 && !noted && !overrides_[s].has_value()) {
          noted = true;
          AddNote(notes, absl::StrCat("stage '", c.stage_names[s],
                                      "' has open deals older than its observed history: p = 0"));
        }
        // With an override p(stage): p x the share of the stage's wins
        // slower than this age that won within the horizon.
        const auto older = std::upper_bound(gaps.begin(), gaps.end(), deal.age);
        const auto within = std::upper_bound(gaps.begin(), gaps.end(), deal.age + horizon);
        const std::int64_t later = gaps.end() - older;
        q_share = later == 0 ? 0.0 : static_cast<double>(within - older) / static_cast<double>(later);
      }
      const double p = overrides_[s].has_value() ? *overrides_[s] * q_share : share;
      out[static_cast<std::size_t>(group_[deal.row])] += static_cast<double>(c.amount[deal.row]) * p;
    }
  }
  return out;
}

std::vector<double> PipelineTerm::Won(Day from, Day to) const {
  std::vector<double> out(groups_, 0.0);
  if (pipeline_ == nullptr) return out;
  const PipelineColumns& c = pipeline_->columns();
  for (std::size_t i = 0; i < pipeline_->size(); ++i) {
    const Day d = c.stage_dates[won_][i];
    if (group_[i] < 0 || d == kNoDate || d < from || d > to) continue;
    out[static_cast<std::size_t>(group_[i])] += static_cast<double>(c.amount[i]);
  }
  return out;
}

}  // namespace salesight::forecast_internal
