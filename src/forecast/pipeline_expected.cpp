// The weighted pipeline as of one day (salesight/forecast.hpp), from the
// facts PipelineTerm::Make kept.
//
// Why the facts as finally known give the counts of any as-of day A (with
// H = end - A days left and T = A - H): a deal counts in the cohort of stage
// s at age a when it reached s on r <= T - a and was still at s at a, i.e.
// a <= last_age = min(stay - 1, T - r). An event that ends the stay on day
// d changes that minimum only when d - r - 1 < T - r, so d <= T <= A: it is
// known on A. A win on w counts for a when w - r <= a + H <= A - r, so
// w <= A: known too. A loss is ignored once the deal is won by A; the rows
// where that changes the stay are read as of A (the irregular rows).
#include <algorithm>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "core/internal/parallel.hpp"
#include "forecast/internal/engine.hpp"

namespace salesight::forecast_internal {
namespace {

// Per age a in [0, ages): how many of a stage's cohort count at a (alive)
// and how many of those won within (a, a + horizon] (won), as difference
// arrays: alive by last age (clamped to ages - 1), won as +1/-1 at the ends
// of the ages each win counts for.
struct AgeCounts {
  std::vector<std::int64_t> alive, won;
  explicit AgeCounts(std::size_t ages) : alive(ages, 0), won(ages + 1, 0) {}

  void Add(std::int32_t last_age, std::int32_t won_gap, std::int32_t horizon) {
    const std::int32_t top = static_cast<std::int32_t>(alive.size()) - 1;
    ++alive[static_cast<std::size_t>(std::min(last_age, top))];
    if (won_gap == kNever) return;
    // a < won_gap <= a + horizon and a <= last_age.
    const std::int32_t lo = std::max(0, won_gap - horizon);
    const std::int32_t hi = std::min({last_age, won_gap - 1, top});
    if (lo > hi) return;
    ++won[static_cast<std::size_t>(lo)];
    --won[static_cast<std::size_t>(hi) + 1];
  }
  void Merge(const AgeCounts& o) {
    for (std::size_t a = 0; a < alive.size(); ++a) alive[a] += o.alive[a];
    for (std::size_t a = 0; a < won.size(); ++a) won[a] += o.won[a];
  }
};

}  // namespace

// The members never won, by last age clamped to alive.size() - 1: a
// snapshot of those closed before `until`, the members closed since, and
// the rest (running on `until`) from the per-day counts.
void PipelineTerm::AddUnwon(const Unwon& u, Day until, std::vector<std::int64_t>* alive) const {
  if (until < u.base || u.days == 0) return;
  const std::int32_t top = static_cast<std::int32_t>(alive->size()) - 1;
  auto at = [&](std::int32_t age) -> std::int64_t& {
    return (*alive)[static_cast<std::size_t>(std::min(age, top))];
  };
  const std::size_t snapshots = u.snapshot_end.size();
  const std::size_t k = std::min(snapshots - 1, static_cast<std::size_t>((until + 1 - u.base) / u.step));
  const std::size_t days = static_cast<std::size_t>(u.days);
  const std::int64_t* by_age = u.by_age.data() + k * days;
  const std::int64_t* by_day = u.by_day.data() + k * days;
  const std::int32_t running_days = std::min(until - u.base + 1, u.days);
  for (std::int32_t a = 0; a < running_days; ++a) at(a) += by_age[a];
  for (std::int32_t d = 0; d < running_days; ++d) {
    at(until - u.base - d) += u.reached[static_cast<std::size_t>(d)] - by_day[d];
  }
  for (std::size_t i = u.snapshot_end[k]; i < u.by_last_day.size(); ++i) {
    const Member& m = u.by_last_day[i];
    if (LastDay(m, latest_) > until) break;
    --at(until - m.reached);  // counted as running above
    ++at(m.last_age);
  }
}

absl::StatusOr<std::vector<double>> PipelineTerm::Expected(Day as_of, Day end, std::string* notes) const {
  std::vector<double> out(groups_, 0.0);
  if (pipeline_ == nullptr) return out;
  if (as_of < earliest_ || as_of > latest_ || end < as_of) {
    return absl::InternalError(absl::StrCat("forecast: the pipeline term was read for as-of days ",
                                            FormatDate(earliest_), "..", FormatDate(latest_), ", not ",
                                            FormatDate(as_of)));
  }
  const PipelineColumns& c = pipeline_->columns();
  const std::int32_t horizon = end - as_of;
  const Day until = as_of - horizon;  // a cohort deal must be observed age + horizon days by as_of

  // The open deals (spans holding as_of), counting-sorted by stage and age:
  // one pass reading the spans, one reading their buckets. Ages are bounded
  // by as_of - the stage's first reached day.
  const auto open_end = std::partition_point(spans_.begin(), spans_.end(),
                                             [as_of](const Span& x) { return x.to > as_of; });
  std::vector<std::size_t> base(won_ + 1, 0);  // bucket of (s, age) = base[s] + age
  for (std::size_t s = 0; s < won_; ++s) {
    base[s + 1] = base[s] + static_cast<std::size_t>(std::max(0, as_of - first_open_[s] + 1));
  }
  constexpr std::uint32_t kClosed = std::numeric_limits<std::uint32_t>::max();
  const std::size_t candidates = static_cast<std::size_t>(open_end - spans_.begin());
  std::vector<std::uint32_t> key(candidates);
  std::vector<std::size_t> start(base[won_] + 1, 0);
  for (std::size_t j = 0; j < candidates; ++j) {
    const Span& x = spans_[j];
    if (x.from > as_of) {
      key[j] = kClosed;
      continue;
    }
    const std::size_t b = base[static_cast<std::size_t>(x.stage)] + static_cast<std::size_t>(as_of - x.reached);
    key[j] = static_cast<std::uint32_t>(b);
    ++start[b + 1];
  }
  for (std::size_t k = 1; k < start.size(); ++k) start[k] += start[k - 1];
  std::vector<std::size_t> open(start.back());
  {
    std::vector<std::size_t> next(start.begin(), start.end() - 1);
    for (std::size_t j = 0; j < candidates; ++j) {
      if (key[j] != kClosed) open[next[key[j]]++] = j;
    }
  }
  std::vector<std::int32_t> max_age(won_, -1);
  for (std::size_t s = 0; s < won_; ++s) {
    for (std::size_t b = base[s + 1]; b-- > base[s];) {
      if (start[b] != start[b + 1]) {
        max_age[s] = static_cast<std::int32_t>(b - base[s]);
        break;
      }
    }
  }

  std::vector<Money> sum(groups_, 0);
  std::vector<std::int32_t> touched;
  for (std::size_t s = 0; s < won_; ++s) {
    if (max_age[s] < 0) continue;
    const std::size_t ages = static_cast<std::size_t>(max_age[s]) + 1;
    // P(won within the horizon | still at s at this age), per age.
    std::vector<double> p(ages, 0.0);
    std::vector<bool> unobserved(ages, false);
    if (overrides_[s].has_value()) {
      // p(stage) x the share of the stage's wins slower than the age that
      // won within the horizon (all wins known on as_of).
      const std::size_t cap = ages + static_cast<std::size_t>(horizon) + 1;
      std::vector<std::int64_t> at_most(cap + 1, 0);  // at_most[x + 1]: gaps <= x
      for (const std::array<Day, 3>& w : cohorts_[s].wins) {
        if (w[0] > as_of || w[1] > as_of || w[2] > as_of) continue;
        ++at_most[std::min(static_cast<std::size_t>(std::max(0, w[2] - w[1])), cap - 1) + 1];
      }
      for (std::size_t x = 1; x <= cap; ++x) at_most[x] += at_most[x - 1];
      for (std::size_t a = 0; a < ages; ++a) {
        const std::int64_t later = at_most[cap] - at_most[a + 1];
        const std::int64_t within = at_most[a + 1 + static_cast<std::size_t>(horizon)] - at_most[a + 1];
        p[a] = later == 0 ? 0.0 : *overrides_[s] * (static_cast<double>(within) / static_cast<double>(later));
      }
    } else {
      // The members with a win, one by one (their counts depend on the horizon).
      const std::vector<Member>& m = cohorts_[s].won;
      const std::size_t n = static_cast<std::size_t>(
          std::partition_point(m.begin(), m.end(), [until](const Member& x) { return x.reached <= until; }) -
          m.begin());
      const std::size_t parts = n >= kRowsPerThread ? static_cast<std::size_t>(threads_) : 1;
      std::vector<AgeCounts> counts(parts, AgeCounts(ages));
      internal::ForEachRange(parts, n, [&](std::size_t t, std::size_t begin, std::size_t stop) {
        AgeCounts& k = counts[t];
        for (std::size_t i = begin; i < stop; ++i) {
          k.Add(std::min(m[i].last_age, until - m[i].reached), m[i].won_gap, horizon);
        }
      });
      AgeCounts& k = counts[0];
      for (std::size_t t = 1; t < parts; ++t) k.Merge(counts[t]);
      AddUnwon(cohorts_[s].unwon, until, &k.alive);
      // The irregular rows, read as of as_of exactly as the definition says.
      for (const std::size_t i : cohorts_[s].irregular) {
        const Day r = c.stage_dates[s][i], w = c.stage_dates[won_][i];
        if (c.created[i] > as_of || r > until) continue;
        const bool won = w != kNoDate && w <= as_of;
        const bool lost = !won && !c.lost_date.empty() && c.lost_date[i] != kNoDate && c.lost_date[i] <= as_of;
        const std::int32_t stay = StayAtStage(c, won_, i, s, r, as_of, lost);
        const std::int32_t last_age = std::min(stay == kNever ? until - r : stay - 1, until - r);
        if (last_age >= 0) k.Add(last_age, won ? std::max(0, w - r) : kNever, horizon);
      }
      std::int64_t alive = 0, won = 0;
      std::vector<std::int64_t> won_at(ages);
      for (std::size_t a = 0; a < ages; ++a) won_at[a] = won += k.won[a];
      for (std::size_t a = ages; a-- > 0;) {
        alive += k.alive[a];
        p[a] = alive > 0 ? static_cast<double>(won_at[a]) / static_cast<double>(alive) : 0.0;
        unobserved[a] = alive == 0;
      }
    }
    // Exact amounts per (age, group), then one product per group and age:
    // the sum does not depend on the order of the rows.
    bool noted = false;
    for (std::size_t a = ages; a-- > 0;) {
      const std::size_t b = base[s] + a;
      if (start[b] == start[b + 1]) continue;
      if (unobserved[a] && !noted) {
        noted = true;
        AddNote(notes, absl::StrCat("stage '", c.stage_names[s],
                                    "' has open deals older than its observed history: p = 0"));
      }
      for (std::size_t j = start[b]; j < start[b + 1]; ++j) {
        const Span& x = spans_[open[j]];
        Money& into = sum[static_cast<std::size_t>(x.group)];
        if (into == 0) touched.push_back(x.group);
        if (!AddMoney(into, x.amount, &into)) {
          return absl::OutOfRangeError("forecast: the open pipeline's amounts overflow int64");
        }
      }
      for (const std::int32_t g : touched) {
        out[static_cast<std::size_t>(g)] += static_cast<double>(sum[static_cast<std::size_t>(g)]) * p[a];
        sum[static_cast<std::size_t>(g)] = 0;
      }
      touched.clear();
    }
  }
  return out;
}

absl::StatusOr<std::vector<double>> PipelineTerm::Won(Day from, Day to) const {
  std::vector<Money> sum(groups_, 0);
  for (const Win& w : wins_) {
    if (w.day < from || w.day > to) continue;
    Money& into = sum[static_cast<std::size_t>(w.group)];
    if (!AddMoney(into, w.amount, &into)) {
      return absl::OutOfRangeError("forecast: the won deals' amounts overflow int64");
    }
  }
  return std::vector<double>(sum.begin(), sum.end());
}

}  // namespace salesight::forecast_internal
