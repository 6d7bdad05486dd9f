// The values of one (group, channel) of the funnel's day statistics, as
// sorted (value, count) runs, and their count, mean, median and p90.
//
// Why runs: a group holds few values next to its histogram's bins (10^4
// lines in 286 region x month groups: about 7 opportunities each, in 256 day
// bins per stage), so the statistics walk the occupied bins only. The
// finisher reads every slot's bins once, 8 at a time, skipping empty blocks
// (ForEachOccupied), into runs per (slot, channel); a group's statistics and
// the overall row's sums then cost what the groups hold.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <utility>
#include <vector>

#include "salesight/funnel.hpp"

namespace salesight::internal {

// Calls fn(value, count) for each non-zero bin of bins[0, width), ascending.
// One test per 64 bytes (a cache line: 16 32-bit bins): an empty block costs
// a few vector instructions, so a sparse histogram costs what it holds.
template <typename T, typename Fn>
inline void ForEachOccupied(const T* bins, std::size_t width, Fn&& fn) {
  constexpr std::size_t kBlock = 64 / sizeof(T);
  static_assert(kBlock * sizeof(T) == 64 && kBlock % 8 == 0);
  std::size_t v = 0;
  for (; v + kBlock <= width; v += kBlock) {
    std::uint64_t words[8];
    std::memcpy(words, bins + v, sizeof words);
    const std::uint64_t any = (words[0] | words[1]) | (words[2] | words[3]) |
                              (words[4] | words[5]) | (words[6] | words[7]);
    if (any == 0) continue;
    for (std::size_t k = v; k < v + kBlock; ++k) {
      if (bins[k] != 0) fn(static_cast<std::int32_t>(k), static_cast<std::int64_t>(bins[k]));
    }
  }
  for (; v < width; ++v) {
    if (bins[v] != 0) fn(static_cast<std::int32_t>(v), static_cast<std::int64_t>(bins[v]));
  }
}

// The overall row's dense range [lo, hi) of a channel: its bins [0, bins)
// widened to the range [min, max] of the overflow values (`entries` of
// them) when that costs at most kDensePerEntry counters per entry (about
// what sorting them would cost) and at most kMaxDenseWidening counters;
// else the bins alone (the overflow values are then sorted). A small call's
// narrow bins send most values to the overflow list: they are counted, not
// sorted.
inline constexpr std::int64_t kDensePerEntry = 16;
inline constexpr std::int64_t kMaxDenseWidening = std::int64_t{1} << 20;
struct DenseRange {
  std::int64_t lo = 0, hi = 0;
};
inline DenseRange OverallDenseRange(std::int64_t bins, std::int64_t entries, std::int32_t min,
                                    std::int32_t max) {
  if (entries == 0) return {0, bins};
  const DenseRange wide{std::min<std::int64_t>(0, min),
                        std::max<std::int64_t>(bins, std::int64_t{max} + 1)};
  const std::int64_t width = wide.hi - wide.lo;
  if (width > bins && (width > kDensePerEntry * entries || width - bins > kMaxDenseWidening)) {
    return {0, bins};
  }
  return wide;
}

class Distribution {
 public:
  using Run = std::pair<std::int32_t, std::int64_t>;  // value, count

  // A slot's own: its occupied bins as runs (ascending, one per value),
  // then AddRun for its overflow entries, then Seal.
  void LoadRuns(const Run* begin, const Run* end) {
    runs_.assign(begin, end);
    dense_.clear();
    sorted_ = true;
  }
  // The overall row: Reset(lo, width) (dense counts for the values
  // lo .. lo + width - 1: at least the widest histogram of the channel, and
  // the overflow entries' range when it is small enough to count instead of
  // sort), AccumulateRuns of every slot's runs (values inside that range)
  // and AddRun of its overflow entries, then Seal.
  void Reset(std::size_t width) { Reset(0, width); }
  void Reset(std::int32_t lo, std::size_t width) {
    runs_.clear();
    dense_.assign(width, 0);
    base_ = lo;
    sorted_ = true;
  }
  void AccumulateRuns(const Run* begin, const Run* end) {
    for (const Run* r = begin; r != end; ++r) {
      dense_[static_cast<std::size_t>(std::int64_t{r->first} - base_)] +=
          static_cast<std::uint64_t>(r->second);
    }
  }
  // An exact value outside the bins (or a bin's excess past 2^32).
  void AddRun(std::int32_t value, std::int64_t count) {
    const std::int64_t at = std::int64_t{value} - base_;
    if (at >= 0 && static_cast<std::uint64_t>(at) < dense_.size()) {
      dense_[static_cast<std::size_t>(at)] += static_cast<std::uint64_t>(count);
      return;
    }
    runs_.emplace_back(value, count);
    sorted_ = false;
  }
  // Runs sorted by value, one per value.
  void Seal() {
    if (!dense_.empty()) {
      // Ascending: without runs outside the range (AddRun cleared sorted_
      // for those) no sort follows.
      const std::int32_t base = base_;
      ForEachOccupied(dense_.data(), dense_.size(), [this, base](std::int32_t k, std::int64_t c) {
        runs_.emplace_back(static_cast<std::int32_t>(std::int64_t{k} + base), c);
      });
      dense_.clear();
      base_ = 0;
    }
    if (sorted_) return;
    std::sort(runs_.begin(), runs_.end());
    std::size_t out = 0;
    for (std::size_t i = 0; i < runs_.size(); ++i) {
      if (out > 0 && runs_[out - 1].first == runs_[i].first) {
        runs_[out - 1].second += runs_[i].second;
      } else {
        runs_[out++] = runs_[i];
      }
    }
    runs_.resize(out);
    sorted_ = true;
  }
  const std::vector<Run>& runs() const { return runs_; }

  // count, mean (exact sum / n), median and p90 as quantile_cont (position
  // q * (n - 1), linear between its floor and ceil). After Seal.
  FunnelDayStats Stats() const {
    FunnelDayStats out;
    std::int64_t n = 0, sum = 0;
    for (const auto& [v, c] : runs_) n += c, sum += std::int64_t{v} * c;
    out.count = n;
    if (n == 0) return out;
    out.mean = static_cast<double>(sum) / static_cast<double>(n);
    const double q[2] = {0.5, 0.9};
    double pos[2];
    std::int64_t ranks[4];
    for (int j = 0; j < 2; ++j) {
      pos[j] = q[j] * static_cast<double>(n - 1);
      ranks[2 * j] = static_cast<std::int64_t>(std::floor(pos[j]));
      ranks[2 * j + 1] = static_cast<std::int64_t>(std::ceil(pos[j]));
    }
    // values[j] = the ranks[j]-th smallest value (0-based), in one walk; the
    // median's ceil can exceed the p90's floor (n = 2), so ranks ascending.
    std::int32_t values[4] = {0, 0, 0, 0};
    int order[4] = {0, 1, 2, 3};
    std::sort(order, order + 4, [&](int a, int b) { return ranks[a] < ranks[b]; });
    int next = 0;
    std::int64_t seen = 0;
    for (std::size_t i = 0; i < runs_.size() && next < 4; ++i) {
      seen += runs_[i].second;
      while (next < 4 && ranks[order[next]] < seen) values[order[next++]] = runs_[i].first;
    }
    double res[2];
    for (int j = 0; j < 2; ++j) {
      const double lo = values[2 * j], hi = values[2 * j + 1];
      res[j] = lo + (hi - lo) * (pos[j] - std::floor(pos[j]));
    }
    out.median = res[0];
    out.p90 = res[1];
    return out;
  }

 private:
  std::vector<Run> runs_;
  std::vector<std::uint64_t> dense_;  // the overall row's bins until Seal
  std::int32_t base_ = 0;             // the value of dense_[0]
  bool sorted_ = true;
};

}  // namespace salesight::internal
