// The weighted pipeline of the landing forecast (salesight/forecast.hpp):
// reading the pipeline once into the per-stage facts every as-of day uses.
#include <algorithm>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "core/internal/parallel.hpp"
#include "forecast/internal/engine.hpp"

namespace salesight::forecast_internal {
namespace {

constexpr Day kLastDay = std::numeric_limits<Day>::max();

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

// The items of `parts`, taken in part order, ordered stably by key(item) in
// [0, keys): a counting sort (keys are days from a base, a small range).
template <typename T, typename Key>
std::vector<T> SortByKey(const std::vector<std::vector<T>>& parts, std::size_t keys, Key key) {
  std::vector<std::size_t> start(keys + 1, 0);
  for (const std::vector<T>& part : parts) {
    for (const T& x : part) ++start[key(x) + 1];
  }
  for (std::size_t k = 1; k <= keys; ++k) start[k] += start[k - 1];
  std::vector<T> out(start[keys]);
  for (const std::vector<T>& part : parts) {
    for (const T& x : part) out[start[key(x)]++] = x;
  }
  return out;
}

}  // namespace

Day PipelineTerm::LastDay(const Member& m, Day latest) {
  return m.last_age == kNever || m.last_age > latest - m.reached ? latest + 1 : m.reached + m.last_age;
}

// About 64 snapshots: a day's counts read one and at most `step` days of
// members; the snapshots take 2 x 65 x days counters.
void PipelineTerm::BuildUnwon(const std::vector<std::vector<Member>>& parts, Day first, Day latest,
                              Unwon* u) {
  u->base = first;
  u->days = latest - first + 1;
  u->step = std::max(1, (u->days + 63) / 64);
  const std::size_t days = static_cast<std::size_t>(u->days);
  u->by_last_day = SortByKey(parts, days + 1, [&](const Member& m) {
    return static_cast<std::size_t>(LastDay(m, latest) - first);
  });
  u->reached.assign(days, 0);
  for (const Member& m : u->by_last_day) ++u->reached[static_cast<std::size_t>(m.reached - first)];
  const std::size_t snapshots = static_cast<std::size_t>((u->days + u->step - 1) / u->step) + 1;
  u->snapshot_end.assign(snapshots, 0);
  u->by_age.assign(snapshots * days, 0);
  u->by_day.assign(snapshots * days, 0);
  std::vector<std::int64_t> age(days, 0), day(days, 0);
  std::size_t i = 0;
  for (std::size_t k = 0; k < snapshots; ++k) {
    const Day bound = first + static_cast<Day>(k) * u->step;
    for (; i < u->by_last_day.size(); ++i) {
      const Day x = LastDay(u->by_last_day[i], latest);
      if (x >= bound || x > latest) break;
      ++age[static_cast<std::size_t>(u->by_last_day[i].last_age)];
      ++day[static_cast<std::size_t>(u->by_last_day[i].reached - first)];
    }
    u->snapshot_end[k] = i;
    std::copy(age.begin(), age.end(), u->by_age.begin() + static_cast<std::ptrdiff_t>(k * days));
    std::copy(day.begin(), day.end(), u->by_day.begin() + static_cast<std::ptrdiff_t>(k * days));
  }
}

std::int32_t StayAtStage(const PipelineColumns& c, std::size_t won, std::size_t i, std::size_t s,
                         Day r, Day known, bool lost) {
  std::int32_t stay = kNever;
  for (std::size_t later = s + 1; later <= won; ++later) {
    const Day d = c.stage_dates[later][i];
    if (d != kNoDate && d <= known) stay = std::min(stay, std::max(0, d - r));
  }
  if (lost) stay = std::min(stay, std::max(0, c.lost_date[i] - r));
  return stay;
}

absl::StatusOr<PipelineTerm> PipelineTerm::Make(const Dataset& data, const ForecastOptions& options,
                                                const std::map<std::string, std::size_t>& group_of,
                                                std::size_t groups, Day earliest, Day latest) {
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
  t.earliest_ = earliest;
  t.latest_ = std::max(earliest, latest);
  t.Read(options.num_threads);
  return t;
}

// One pass over the rows (contiguous ranges on threads), then the cohorts
// and the open spans counting-sorted by day. Only what an as-of day in
// [earliest, latest] can use is kept.
void PipelineTerm::Read(int num_threads) {
  const PipelineColumns& c = pipeline_->columns();
  const std::size_t rows = pipeline_->size(), won = won_;
  const bool has_lost = !c.lost_date.empty();
  const Day latest = latest_, earliest = earliest_;
  threads_ = static_cast<int>(internal::ResolveThreads(num_threads, rows / kRowsPerThread + 1));
  const std::size_t parts = static_cast<std::size_t>(threads_);
  struct Part {
    std::vector<std::vector<Member>> won_members, unwon;
    std::vector<std::vector<std::size_t>> irregular;
    std::vector<std::vector<std::array<Day, 3>>> wins;
    std::vector<Span> spans;
    std::vector<Win> won;
    Day first_reached = std::numeric_limits<Day>::max();
  };
  std::vector<Part> part(parts);
  internal::ForEachRange(parts, rows, [&](std::size_t t, std::size_t begin, std::size_t end) {
    Part& out = part[t];
    out.won_members.resize(won);
    out.unwon.resize(won);
    out.irregular.resize(won);
    out.wins.resize(won);
    for (std::size_t i = begin; i < end; ++i) {
      const Day created = c.created[i], w = c.stage_dates[won][i];
      const Day l = has_lost ? c.lost_date[i] : kNoDate;
      const std::int64_t g = group_[i];
      Day higher = latest + 1;  // the first day a further open stage is reached
      Day after = w != kNoDate ? w : kLastDay;  // the first day any further stage is reached
      for (std::size_t s = won; s-- > 0;) {
        const Day r = c.stage_dates[s][i];
        if (r == kNoDate) continue;
        if (r <= latest) {
          // StayAtStage knowing everything, in O(1): max(0, d - r) is
          // smallest at the earliest further stage. A loss counts only while
          // the deal is not won; when a win would drop it, the stay depends
          // on the as-of day: irregular.
          const std::int32_t kept = after == kLastDay ? kNever : std::max(0, after - r);
          const std::int32_t with_lost = l != kNoDate ? std::min(kept, std::max(0, l - r)) : kept;
          if (created > r || (w != kNoDate && kept != with_lost)) {
            out.irregular[s].push_back(i);
          } else if (with_lost != 0) {  // a stay of 0 days counts at no age
            const Member m{r, with_lost == kNever ? kNever : with_lost - 1,
                           w != kNoDate ? std::max(0, w - r) : kNever};
            (m.won_gap != kNever ? out.won_members : out.unwon)[s].push_back(m);
            out.first_reached = std::min(out.first_reached, r);
          }
          if (overrides_[s].has_value() && w != kNoDate) out.wins[s].push_back({created, r, w});
        }
        if (g >= 0) {
          Day to = higher;
          if (w != kNoDate) to = std::min(to, w);
          if (l != kNoDate) to = std::min(to, l);
          const Day from = std::max(created, r);
          if (from < to && from <= latest && to > earliest) {
            out.spans.push_back({c.amount[i], from, to, r, static_cast<std::int32_t>(g),
                                 static_cast<std::int32_t>(s)});
          }
        }
        higher = std::min(higher, r);
        after = std::min(after, r);
      }
      if (g >= 0 && w != kNoDate && w <= latest) out.won.push_back({w, static_cast<std::int32_t>(g), c.amount[i]});
    }
  });
  Day first = latest;
  for (const Part& x : part) first = std::min(first, x.first_reached);
  cohorts_.assign(won, Cohort{});
  for (std::size_t s = 0; s < won; ++s) {
    Cohort& cohort = cohorts_[s];
    std::vector<std::vector<Member>> won_members(parts), unwon(parts);
    for (std::size_t t = 0; t < parts; ++t) {
      won_members[t] = std::move(part[t].won_members[s]);
      unwon[t] = std::move(part[t].unwon[s]);
      cohort.irregular.insert(cohort.irregular.end(), part[t].irregular[s].begin(), part[t].irregular[s].end());
      cohort.wins.insert(cohort.wins.end(), part[t].wins[s].begin(), part[t].wins[s].end());
    }
    cohort.won = SortByKey(won_members, static_cast<std::size_t>(latest - first) + 1,
                           [first](const Member& m) { return static_cast<std::size_t>(m.reached - first); });
    BuildUnwon(unwon, first, latest, &cohort.unwon);
  }
  std::vector<std::vector<Span>> spans(parts);
  for (std::size_t t = 0; t < parts; ++t) {
    spans[t] = std::move(part[t].spans);
    wins_.insert(wins_.end(), part[t].won.begin(), part[t].won.end());
  }
  first_open_.assign(won, latest + 1);
  for (const std::vector<Span>& x : spans) {
    for (const Span& span : x) {
      Day& f = first_open_[static_cast<std::size_t>(span.stage)];
      f = std::min(f, span.reached);
    }
  }
  // By `to` descending; every `to` after latest is one key (open on every day asked).
  spans_ = SortByKey(spans, static_cast<std::size_t>(latest - earliest) + 1, [latest](const Span& x) {
    return static_cast<std::size_t>(latest + 1 - std::min(x.to, latest + 1));
  });
}

}  // namespace salesight::forecast_internal
