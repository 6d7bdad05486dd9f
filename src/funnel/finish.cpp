// FinishFunnel: metrics from the exact sums and histograms; ComputeFunnel:
// split, aggregate in threads, merge, finish.
#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <numeric>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_format.h"
#include "core/internal/parallel.hpp"
#include "salesight/status_macros.hpp"
#include "internal/distribution.hpp"
#include "internal/funnel_state.hpp"
#include "internal/partial_internal.hpp"
#include "internal/periods.hpp"

namespace salesight {
namespace internal {
namespace {

std::optional<double> Ratio(std::int64_t num, std::int64_t den) {
  if (den == 0) return std::nullopt;
  return static_cast<double>(num) / static_cast<double>(den);
}

// One group's exact sums (a slot's, or the overall's).
struct Sums {
  std::int64_t created = 0;
  std::vector<std::int64_t> reach;  // S + 1
  std::int64_t won = 0, lost = 0;
  Money won_amount = 0;
  std::vector<std::int64_t> won_top, lost_top;  // S + 1
  std::vector<std::int64_t> open_count;         // S
  std::vector<Money> open_amount;               // S
  std::vector<Distribution> dist;               // per channel
};

class Finisher {
 public:
  Finisher(FunnelState& st, const FunnelOptions& options)
      : st_(st), cfg_(st.cfg), options_(options) {
    S_ = static_cast<std::size_t>(cfg_.num_stages);
    // Overflow entries grouped by slot (a counting sort: one pass to count,
    // one to place); a slot's distributions sort their own few runs in Seal.
    overflow_begin_.assign(static_cast<std::size_t>(st_.num_slots()) + 1, 0);
    for (const OverflowEntry& e : st_.overflow)
      ++overflow_begin_[static_cast<std::size_t>(e.slot) + 1];
    std::partial_sum(overflow_begin_.begin(), overflow_begin_.end(), overflow_begin_.begin());
    overflow_.resize(st_.overflow.size());
    {
      std::vector<std::size_t> next(overflow_begin_.begin(), overflow_begin_.end() - 1);
      for (const OverflowEntry& e : st_.overflow) {
        overflow_[next[static_cast<std::size_t>(e.slot)]++] = e;
      }
    }
    // Every slot's occupied bins, read once, as runs per (slot, channel).
    const auto C = static_cast<std::size_t>(cfg_.num_channels);
    run_begin_.assign(static_cast<std::size_t>(st_.num_slots()) * C + 1, 0);
    runs_.clear();
    auto add = [this](std::int32_t v, std::int64_t c) { runs_.emplace_back(v, c); };
    std::size_t at = 0;
    for (std::int32_t slot = 0; slot < st_.num_slots(); ++slot) {
      for (std::size_t ch = 0; ch < st_.width.size(); ++ch) {
        ForEachOccupied(
            st_.hist.data() + (static_cast<std::int64_t>(slot) * st_.stride + st_.offset[ch]),
            static_cast<std::size_t>(st_.width[ch]), add);
        run_begin_[++at] = runs_.size();
      }
      for (int ch = cfg_.num_gap_channels(); ch < cfg_.num_channels; ++ch) {
        const std::vector<std::uint32_t>& bins = st_.LongHist(slot, ch);
        ForEachOccupied(bins.data(), bins.size(), add);
        run_begin_[++at] = runs_.size();
      }
    }
  }

  // The runs of (slot, channel): [first, second).
  std::pair<const Distribution::Run*, const Distribution::Run*> SlotRuns(std::int32_t slot,
                                                                         std::size_t ch) const {
    const std::size_t i = static_cast<std::size_t>(slot) *
                              static_cast<std::size_t>(cfg_.num_channels) + ch;
    return {runs_.data() + run_begin_[i], runs_.data() + run_begin_[i + 1]};
  }

  bool IsMain(std::int32_t slot) const {
    return !cfg_.widened ||
           st_.keys[static_cast<std::size_t>(slot)].period >= cfg_.main_first_period;
  }

  void LoadSlot(std::int32_t slot, Sums* out) const {
    const auto u = static_cast<std::size_t>(slot);
    const std::size_t S1 = S_ + 1;
    out->created = st_.created[u];
    out->reach.assign(st_.reach.begin() + static_cast<std::ptrdiff_t>(u * S1),
                      st_.reach.begin() + static_cast<std::ptrdiff_t>((u + 1) * S1));
    if (cfg_.outcomes) {
      out->won = st_.won[u];
      out->lost = st_.lost[u];
      out->won_amount = st_.won_amount[u];
      out->won_top.assign(st_.won_top.begin() + static_cast<std::ptrdiff_t>(u * S1),
                          st_.won_top.begin() + static_cast<std::ptrdiff_t>((u + 1) * S1));
      out->lost_top.assign(st_.lost_top.begin() + static_cast<std::ptrdiff_t>(u * S1),
                           st_.lost_top.begin() + static_cast<std::ptrdiff_t>((u + 1) * S1));
      out->open_count.assign(st_.open_count.begin() + static_cast<std::ptrdiff_t>(u * S_),
                             st_.open_count.begin() + static_cast<std::ptrdiff_t>((u + 1) * S_));
      out->open_amount.assign(st_.open_amount.begin() + static_cast<std::ptrdiff_t>(u * S_),
                              st_.open_amount.begin() + static_cast<std::ptrdiff_t>((u + 1) * S_));
    }
    out->dist.resize(static_cast<std::size_t>(cfg_.num_channels));
    for (std::size_t ch = 0; ch < out->dist.size(); ++ch) {
      const auto [begin, end] = SlotRuns(slot, ch);
      out->dist[ch].LoadRuns(begin, end);
    }
    for (std::size_t e = overflow_begin_[u]; e < overflow_begin_[u + 1]; ++e) {
      const OverflowEntry& o = overflow_[e];
      out->dist[static_cast<std::size_t>(o.channel)].AddRun(o.value, o.count);
    }
    for (Distribution& d : out->dist) d.Seal();
  }

  // Sums over every main slot (the overall row).
  absl::Status LoadOverall(Sums* out) const {
    const std::size_t S1 = S_ + 1;
    out->created = 0;
    out->reach.assign(S1, 0);
    out->won_top.assign(S1, 0);
    out->lost_top.assign(S1, 0);
    out->open_count.assign(S_, 0);
    out->open_amount.assign(S_, 0);
    const auto C = static_cast<std::size_t>(cfg_.num_channels);
    out->dist.resize(C);
    // Per channel, the dense range of the overall row (OverallDenseRange):
    // the bins [0, width) (the widest histogram of the channel), widened to
    // the main slots' overflow values when they are dense enough.
    std::vector<std::int64_t> bins(C, 0), entries(C, 0);
    std::vector<std::int32_t> min(C, std::numeric_limits<std::int32_t>::max());
    std::vector<std::int32_t> max(C, std::numeric_limits<std::int32_t>::min());
    for (std::size_t ch = 0; ch < st_.width.size(); ++ch) bins[ch] = st_.width[ch];
    for (int ch = cfg_.num_gap_channels(); ch < cfg_.num_channels; ++ch) {
      std::size_t width = 0;
      for (std::int32_t slot = 0; slot < st_.num_slots(); ++slot) {
        if (IsMain(slot)) width = std::max(width, st_.LongHist(slot, ch).size());
      }
      bins[static_cast<std::size_t>(ch)] = static_cast<std::int64_t>(width);
    }
    for (std::int32_t slot = 0; slot < st_.num_slots(); ++slot) {
      if (!IsMain(slot)) continue;
      const auto u = static_cast<std::size_t>(slot);
      for (std::size_t e = overflow_begin_[u]; e < overflow_begin_[u + 1]; ++e) {
        const OverflowEntry& o = overflow_[e];
        const auto ch = static_cast<std::size_t>(o.channel);
        min[ch] = std::min(min[ch], o.value);
        max[ch] = std::max(max[ch], o.value);
        ++entries[ch];
      }
    }
    for (std::size_t ch = 0; ch < C; ++ch) {
      const DenseRange r = OverallDenseRange(bins[ch], entries[ch], min[ch], max[ch]);
      out->dist[ch].Reset(static_cast<std::int32_t>(r.lo), static_cast<std::size_t>(r.hi - r.lo));
    }
    for (std::int32_t slot = 0; slot < st_.num_slots(); ++slot) {
      if (!IsMain(slot)) continue;
      const auto u = static_cast<std::size_t>(slot);
      out->created += st_.created[u];
      for (std::size_t j = 0; j < S1; ++j) out->reach[j] += st_.reach[u * S1 + j];
      if (cfg_.outcomes) {
        out->won += st_.won[u];
        out->lost += st_.lost[u];
        if (!AddMoney(out->won_amount, st_.won_amount[u], &out->won_amount)) {
          return absl::OutOfRangeError(
              "funnel: the won amount sum overflows int64 minor units in the overall row");
        }
        for (std::size_t j = 0; j < S1; ++j) {
          out->won_top[j] += st_.won_top[u * S1 + j];
          out->lost_top[j] += st_.lost_top[u * S1 + j];
        }
        for (std::size_t j = 0; j < S_; ++j) {
          out->open_count[j] += st_.open_count[u * S_ + j];
          if (!AddMoney(out->open_amount[j], st_.open_amount[u * S_ + j], &out->open_amount[j])) {
            return absl::OutOfRangeError(
                "funnel: the open amount sum overflows int64 minor units in the overall row");
          }
        }
      }
      for (std::size_t ch = 0; ch < out->dist.size(); ++ch) {
        const auto [begin, end] = SlotRuns(slot, ch);
        out->dist[ch].AccumulateRuns(begin, end);
      }
      for (std::size_t e = overflow_begin_[u]; e < overflow_begin_[u + 1]; ++e) {
        const OverflowEntry& o = overflow_[e];
        out->dist[static_cast<std::size_t>(o.channel)].AddRun(o.value, o.count);
      }
    }
    for (Distribution& d : out->dist) d.Seal();
    return absl::OkStatus();
  }

  // Company-wide stage-to-won probabilities (overrides applied).
  void SetProbabilities(const Sums& overall) {
    prob_.assign(S_, std::nullopt);
    if (!cfg_.outcomes) return;
    std::int64_t won_ge = 0, closed_ge = 0;
    for (std::size_t s = S_; s-- > 0;) {
      won_ge += overall.won_top[s + 1];
      closed_ge += overall.won_top[s + 1] + overall.lost_top[s + 1];
      prob_[s] = Ratio(won_ge, closed_ge);
    }
    for (std::size_t s = 0; s < options_.stage_probability.size() && s < S_; ++s) {
      if (options_.stage_probability[s] >= 0) prob_[s] = options_.stage_probability[s];
    }
  }
  const std::vector<std::optional<double>>& probabilities() const { return prob_; }

  // `slot` names the group in an error (-1: the overall row); the name is
  // only built then.
  // Into *into, whose stages vector is reused (a caller that streams groups
  // allocates nothing per group).
  absl::Status Stats(const Sums& g, std::int32_t slot, FunnelGroupStats* into) const {
    std::vector<FunnelStageStats> stages = std::move(into->stages);
    stages.assign(S_, FunnelStageStats{});
    *into = FunnelGroupStats{};
    into->stages = std::move(stages);
    FunnelGroupStats& out = *into;
    out.opportunities = g.created;
    const bool per_stage = !cfg_.implied || cfg_.mode == FunnelMode::kActivity;
    std::int64_t suffix = 0;
    std::array<std::int64_t, kMaxFunnelStages> n;  // no allocation per group
    for (std::size_t s = S_; s-- > 0;) {
      suffix += g.reach[s + 1];
      n[s] = per_stage ? g.reach[s] : suffix;
    }
    for (std::size_t s = 0; s < S_; ++s) {
      FunnelStageStats& st = out.stages[s];
      st.count = n[s];
      st.cumulative_conversion = Ratio(n[s], n[0]);
      if (s > 0) {
        st.step_conversion = Ratio(n[s], n[s - 1]);
        st.drop_off = n[s - 1] - n[s];
        if (st.step_conversion) st.drop_off_rate = 1.0 - *st.step_conversion;
        st.days = g.dist[static_cast<std::size_t>(cfg_.gap_channel(static_cast<int>(s)))].Stats();
      }
    }
    if (!cfg_.outcomes) return absl::OkStatus();

    const int scale = cfg_.money_scale;
    out.won = g.won;
    out.lost = g.lost;
    out.win_rate_closed = Ratio(g.won, g.won + g.lost);
    out.win_rate_created = Ratio(g.won, g.created);
    out.cycle_days = g.dist[static_cast<std::size_t>(cfg_.cycle_channel())].Stats();
    if (cfg_.has_amount) {
      out.won_amount = g.won_amount;
      if (g.won > 0)
        out.avg_won_amount = MoneyToDouble(g.won_amount, scale) / static_cast<double>(g.won);
    }
    if (cfg_.mode == FunnelMode::kActivity) {
      for (std::size_t s = 0; s < S_; ++s) out.stages[s].probability = prob_[s];
      return absl::OkStatus();
    }
    Money open_amount = 0;
    double weighted = 0;
    bool weighted_known = cfg_.has_amount;
    for (std::size_t s = 0; s < S_; ++s) {
      FunnelStageStats& st = out.stages[s];
      st.open_count = g.open_count[s];
      st.probability = prob_[s];
      out.open += st.open_count;
      if (static_cast<int>(s) >= cfg_.qualified_stage) out.open_qualified += st.open_count;
      if (cfg_.has_amount) {
        st.open_amount = g.open_amount[s];
        if (!AddMoney(open_amount, g.open_amount[s], &open_amount)) {
          return absl::OutOfRangeError(
              absl::StrFormat("funnel: the open amount sum overflows int64 minor units in %s",
                              slot < 0 ? std::string("the overall row") : st_.SlotName(slot)));
        }
        if (prob_[s]) {
          st.weighted_amount = MoneyToDouble(g.open_amount[s], scale) * *prob_[s];
          weighted += *st.weighted_amount;
        } else if (st.open_count > 0) {
          weighted_known = false;
        }
      }
      if (cfg_.ages) {
        st.age = g.dist[static_cast<std::size_t>(cfg_.age_channel(static_cast<int>(s)))].Stats();
      }
    }
    if (cfg_.has_amount) {
      out.open_amount = open_amount;
      if (weighted_known) out.weighted_pipeline = weighted;
    }
    if (out.avg_won_amount && out.win_rate_closed && out.cycle_days.mean &&
        *out.cycle_days.mean != 0) {
      out.sales_velocity = static_cast<double>(out.open_qualified) * *out.avg_won_amount *
                           *out.win_rate_closed / *out.cycle_days.mean;
    }
    return absl::OkStatus();
  }

 private:
  FunnelState& st_;
  const FunnelConfig& cfg_;
  const FunnelOptions& options_;
  std::size_t S_ = 0;
  std::vector<OverflowEntry> overflow_;     // st_.overflow grouped by slot
  std::vector<std::size_t> overflow_begin_;  // per slot + 1, into overflow_
  std::vector<Distribution::Run> runs_;  // occupied bins, by (slot, channel)
  std::vector<std::size_t> run_begin_;   // per (slot, channel) + 1
  std::vector<std::optional<double>> prob_;
};

// FinishFunnel's result before its groups: the options echoed, the issues
// (moved out of the state: the partial is consumed), the overall row; sets
// the probabilities in `fin`.
absl::Status StartResult(FunnelState& st, Finisher& fin, FunnelResult* result) {
  const FunnelConfig& cfg = st.cfg;
  result->stage_names = cfg.stage_names;
  result->won_stage = cfg.won_stage;
  result->qualified_stage = cfg.qualified_stage;
  result->mode = cfg.mode;
  result->group_by = cfg.keys;
  result->period = cfg.period;
  result->compare = cfg.compare;
  result->as_of = cfg.as_of;
  result->outcomes = cfg.outcomes;
  result->has_amount = cfg.has_amount;
  result->money_scale = cfg.money_scale;
  result->key_dictionaries = st.key_dicts;
  result->key_dictionaries.resize(cfg.keys.size());
  result->issues = std::move(st.issues);
  result->opportunity_codes = st.opportunity_codes;
  Sums sums;
  SALESIGHT_RETURN_IF_ERROR(fin.LoadOverall(&sums));
  fin.SetProbabilities(sums);
  return fin.Stats(sums, -1, &result->overall);
}

bool Grouped(const FunnelConfig& cfg) { return !cfg.keys.empty() || cfg.period.has_value(); }

// The groups: every main slot, ascending by key values then period (none
// without a grouping).
std::vector<std::int32_t> OutputOrder(const FunnelState& st, const Finisher& fin) {
  std::vector<std::int32_t> order;
  if (!Grouped(st.cfg)) return order;
  for (std::int32_t s = 0; s < st.num_slots(); ++s) {
    if (fin.IsMain(s)) order.push_back(s);
  }
  const std::size_t nk = st.cfg.keys.size();
  std::sort(order.begin(), order.end(), [&](std::int32_t a, std::int32_t b) {
    const SlotKey& ka = st.keys[static_cast<std::size_t>(a)];
    const SlotKey& kb = st.keys[static_cast<std::size_t>(b)];
    for (std::size_t j = 0; j < nk; ++j) {
      if (ka.keys[j] != kb.keys[j]) return ka.keys[j] < kb.keys[j];
    }
    return ka.period < kb.period;
  });
  return order;
}

absl::Status CheckPartial(const FunnelPartial& partial) {
  if (!partial.valid() || partial.state().cfg.num_stages == 0) {
    return absl::InvalidArgumentError("funnel: FinishFunnel needs a partial from PartialFunnel");
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<FunnelResult> FinishFunnelRows(
    FunnelPartial partial, const FunnelOptions& options,
    absl::FunctionRef<void(std::size_t groups)> begin,
    absl::FunctionRef<void(const SlotKey& key, Day period_start, const FunnelGroupStats& stats)>
        row) {
  SALESIGHT_RETURN_IF_ERROR(CheckPartial(partial));
  FunnelState& st = partial.state();
  if (st.cfg.compare != FunnelCompare::kNone) {
    return absl::InternalError("funnel: FinishFunnelRows has no comparison periods");
  }
  Finisher fin(st, options);
  FunnelResult result;
  SALESIGHT_RETURN_IF_ERROR(StartResult(st, fin, &result));
  const std::vector<std::int32_t> order = OutputOrder(st, fin);
  begin(order.size());
  Sums local;
  FunnelGroupStats stats;  // reused: no allocation per group
  for (const std::int32_t slot : order) {
    const SlotKey& key = st.keys[static_cast<std::size_t>(slot)];
    fin.LoadSlot(slot, &local);
    SALESIGHT_RETURN_IF_ERROR(fin.Stats(local, slot, &stats));
    row(key, PeriodStart(st.cfg.period, key.period), stats);
  }
  return result;
}

}  // namespace internal

absl::StatusOr<FunnelResult> FinishFunnel(FunnelPartial partial, const FunnelOptions& options) {
  SALESIGHT_RETURN_IF_ERROR(internal::CheckPartial(partial));
  internal::FunnelState& st = partial.state();
  const internal::FunnelConfig& cfg = st.cfg;
  internal::Finisher fin(st, options);
  FunnelResult result;
  SALESIGHT_RETURN_IF_ERROR(internal::StartResult(st, fin, &result));
  const std::vector<std::int32_t> order = internal::OutputOrder(st, fin);
  const std::size_t nk = cfg.keys.size();
  absl::flat_hash_map<internal::SlotKey, std::int32_t> by_key;
  if (cfg.compare != FunnelCompare::kNone) {
    for (std::int32_t s = 0; s < st.num_slots(); ++s) {
      by_key.emplace(st.keys[static_cast<std::size_t>(s)], s);
    }
  }
  // Per-group statistics are independent: with many groups, split them over
  // the threads (the Finisher only reads the state).
  result.groups.resize(order.size());
  // Slots are visited in memory order (their histograms stream from memory
  // instead of being hit at random), each result stored at its sorted place:
  // position[slot] = its group's index (order.size() for a slot that is no group).
  std::vector<std::pair<std::int32_t, std::size_t>> by_slot;
  by_slot.reserve(order.size());
  {
    std::vector<std::size_t> position(static_cast<std::size_t>(st.num_slots()), order.size());
    for (std::size_t gi = 0; gi < order.size(); ++gi) {
      position[static_cast<std::size_t>(order[gi])] = gi;
    }
    for (std::int32_t s = 0; s < st.num_slots(); ++s) {
      const std::size_t gi = position[static_cast<std::size_t>(s)];
      if (gi < order.size()) by_slot.emplace_back(s, gi);
    }
  }
  auto finish_groups = [&](std::size_t begin, std::size_t end) -> absl::Status {
    internal::Sums local;
    for (std::size_t j = begin; j < end; ++j) {
      const auto [slot, gi] = by_slot[j];
      const internal::SlotKey& key = st.keys[static_cast<std::size_t>(slot)];
      FunnelGroup& g = result.groups[gi];
      g.keys.assign(key.keys.begin(), key.keys.begin() + static_cast<std::ptrdiff_t>(nk));
      g.period_start = internal::PeriodStart(cfg.period, key.period);
      fin.LoadSlot(slot, &local);
      SALESIGHT_RETURN_IF_ERROR(fin.Stats(local, slot, &g.stats));
      if (cfg.compare != FunnelCompare::kNone) {
        if (auto ord = internal::CompareOrdinal(cfg.period, cfg.compare, key.period)) {
          g.previous_start = internal::PeriodStart(cfg.period, *ord);
          internal::SlotKey prev = key;
          prev.period = *ord;
          if (auto it = by_key.find(prev); it != by_key.end()) {
            fin.LoadSlot(it->second, &local);
            SALESIGHT_RETURN_IF_ERROR(fin.Stats(local, it->second, &g.previous.emplace()));
          }
        }
      }
    }
    return absl::OkStatus();
  };
  const std::size_t threads =
      order.size() < 256 ? 1 : internal::ResolveThreads(options.num_threads, order.size());
  std::vector<absl::Status> status(threads);
  internal::ForEachRange(threads, order.size(), [&](std::size_t t, std::size_t b, std::size_t e) {
    status[t] = finish_groups(b, e);
  });
  for (const absl::Status& s : status) SALESIGHT_RETURN_IF_ERROR(s);
  if (options.compute_bottlenecks && internal::Grouped(cfg)) {
    result.bottlenecks = internal::FindBottlenecks(result, options);
  }
  return result;
}

absl::StatusOr<FunnelResult> ComputeFunnel(const Pipeline& pipeline, const FunnelOptions& options) {
  return ComputeFunnel(Dataset::Of(pipeline), options);
}

namespace internal {

absl::StatusOr<FunnelPartial> AggregateFunnel(const Dataset& data, const FunnelConfig& cfg,
                                              int num_threads) {
  const std::size_t n = data.pipeline()->size();
  const std::size_t threads = ThreadsForRows(num_threads, n);
  // Each thread aggregates `per_thread` consecutive ranges of at most
  // kMaxPartialRows rows (one range unless the table is gigantic).
  const std::size_t per_thread = std::max<std::size_t>(
      1, (n / threads + internal::kMaxPartialRows - 1) / internal::kMaxPartialRows);
  const std::size_t ranges = threads * per_thread;
  std::vector<absl::StatusOr<FunnelPartial>> parts(threads);
  auto run = [&](std::size_t t) {
    for (std::size_t r = t * per_thread; r < (t + 1) * per_thread; ++r) {
      const std::size_t begin = n * r / ranges, end = n * (r + 1) / ranges;
      auto part = internal::PartialWithConfig(data, begin, end, cfg,
                                              internal::HistogramBudgetForRows(n));
      if (!part.ok() || r == t * per_thread) {
        parts[t] = std::move(part);
        if (!parts[t].ok()) return;
        continue;
      }
      if (absl::Status s = MergeFunnel(*parts[t], *part); !s.ok()) {
        parts[t] = s;
        return;
      }
    }
  };
  internal::RunOnThreads(threads, run);
  for (auto& p : parts) {
    if (!p.ok()) return p.status();
  }
  FunnelPartial total = std::move(*parts[0]);
  for (std::size_t t = 1; t < threads; ++t) {
    SALESIGHT_RETURN_IF_ERROR(MergeFunnel(total, *parts[t]));
  }
  return total;
}

}  // namespace internal

absl::StatusOr<FunnelResult> ComputeFunnel(const Dataset& data, const FunnelOptions& options) {
  SALESIGHT_ASSIGN_OR_RETURN(internal::FunnelConfig cfg, internal::MakeFunnelConfig(data, options));
  SALESIGHT_ASSIGN_OR_RETURN(FunnelPartial total,
                             internal::AggregateFunnel(data, cfg, options.num_threads));
  return FinishFunnel(std::move(total), options);
}

}  // namespace salesight
