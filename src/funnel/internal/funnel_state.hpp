// The funnel's mergeable partial state: per group ("slot") exact counts, money
// sums and histograms of day values, plus an exact overflow list.
//
// Day values are small integers, so quantiles come from histograms, which
// merge by addition (what makes the median mergeable without keeping every
// value). Two kinds of channels:
//   * gaps between consecutive stages (the hot loop): one flat array of
//     `width` bins per (slot, channel) for the values 0..width-1. When many
//     groups appear the bins are halved (values beyond the new width move to
//     the overflow list) to keep memory bounded;
//   * cycle lengths and ages ("long" channels, wider ranges): one histogram
//     per (slot, channel) that grows to the values actually seen, up to
//     kLongGrowCap days and a total of kLongBudgetBins bins.
// Any value outside a histogram (negative, too large, or past a budget) goes
// to `overflow` with its exact value. Results never depend on the layout.
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "salesight/dataset.hpp"
#include "salesight/funnel.hpp"

namespace salesight::internal {

inline constexpr int kMaxFunnelStages = 30;
// Gap histogram bins per channel before any halving.
inline constexpr std::int32_t kGapBins = 256;
// Long channels grow (to powers of two, at least kLongMinBins) for values
// below kLongGrowCap while all long histograms together hold at most
// kLongBudgetBins bins.
inline constexpr std::int32_t kLongMinBins = 64;
inline constexpr std::int32_t kLongGrowCap = 1 << 13;
inline constexpr std::int64_t kLongBudgetBins = std::int64_t{4} << 20;
// Rows one PartialFunnel may cover (32-bit histogram bins cannot wrap).
inline constexpr std::size_t kMaxPartialRows = 0xFFFFFFFFu;
// Histogram memory per partial above which the bins are halved.
inline constexpr std::int64_t kHistogramBudgetBytes = std::int64_t{24} << 20;
// A one-shot computation (ComputeFunnel) of few rows in many groups halves
// the bins sooner: at 64 bytes of bins per row (at least 64 KiB), so a
// call's fixed cost (zeroing, then reading every bin in FinishFunnel) follows
// the rows, not groups x stages x kGapBins (10^4 lines: 286 groups x 5
// stages x 256 bins = 1.4 MB for 2,000 opportunities). The values past the
// narrower bins are kept exactly in the overflow list (at most one entry per
// recorded day value: memory proportional to the rows). Mergeable partials
// (PartialFunnel) keep kHistogramBudgetBytes: merged, the narrowest level
// wins, and a streamed file's overflow would grow with the file.
inline std::int64_t HistogramBudgetForRows(std::size_t rows) {
  const std::int64_t bytes = static_cast<std::int64_t>(std::min<std::size_t>(rows, std::size_t{1} << 30)) * 64;
  return std::clamp<std::int64_t>(bytes, std::int64_t{64} << 10, kHistogramBudgetBytes);
}

// Everything derived from (table, options) that a computation fixes; two
// partials merge only when their configs are equal.
struct FunnelConfig {
  int num_stages = 0;
  std::vector<std::string> stage_names;
  int won_stage = 0;
  int qualified_stage = 0;
  FunnelMode mode = FunnelMode::kCohort;
  std::optional<Grain> period;  // none = no period grain
  FunnelCompare compare = FunnelCompare::kNone;
  std::vector<std::string> keys;  // group dimension names, in order
  // Scope window on the scope date (cohort: created; activity: event date),
  // inclusive, already widened for compare and cut at as_of.
  Day lo = 0;
  Day hi = 0;
  // The user's `from` (rows/events before it only feed comparison periods),
  // INT32_MIN when unbounded; main_first_period = its period ordinal.
  Day main_from = 0;
  std::int32_t main_first_period = 0;
  bool widened = false;
  Day as_of = kNoDate;
  Day cut = 0;  // as_of, or INT32_MAX without one
  bool implied = true;
  bool include_backwards = false;
  bool outcomes = true;
  bool has_amount = false;
  bool has_lost = false;
  bool ages = false;
  std::int64_t max_issues = 0;
  int money_scale = kDefaultMoneyScale;
  // Channels: gap into stage s -> s - 1; cycle -> S - 1; age at stage s -> S + s.
  int num_channels = 0;
  std::vector<std::int32_t> base_width;  // per gap channel, before halving

  int num_gap_channels() const { return num_stages - 1; }
  int num_long_channels() const { return num_channels - num_gap_channels(); }
  int gap_channel(int stage) const { return stage - 1; }
  int cycle_channel() const { return num_stages - 1; }
  int age_channel(int stage) const { return num_stages + stage; }

  bool operator==(const FunnelConfig&) const = default;
};

// Validates the options against the table and derives the config.
// A group key's dimension over the pipeline rows (funnel option 'group_by').
absl::StatusOr<DimensionColumn> ResolveGroupKey(const Dataset& data, const std::string& name);

// Every group dimension must resolve against the dataset's pipeline rows.
absl::StatusOr<FunnelConfig> MakeFunnelConfig(const Dataset& data, const FunnelOptions& options);

struct SlotKey {
  std::int32_t period = 0;
  std::array<Id, kMaxFunnelGroupBy> keys{};  // unused entries 0

  bool operator==(const SlotKey&) const = default;
  template <typename H>
  friend H AbslHashValue(H h, const SlotKey& k) {
    return H::combine(std::move(h), k.period, k.keys);
  }
};

struct OverflowEntry {
  std::int32_t slot;
  std::int32_t channel;
  std::int32_t value;
  std::int64_t count;
};

struct FunnelState {
  FunnelConfig cfg;
  std::int64_t rows = 0;
  std::int64_t hist_budget_bytes = kHistogramBudgetBytes;  // AddSlot halves above it

  // Gap histogram layout at the current halving level.
  int level = 0;
  std::vector<std::int32_t> width;   // per gap channel
  std::vector<std::int32_t> offset;  // per gap channel, within a slot
  std::int64_t stride = 0;           // gap bins per slot

  std::vector<SlotKey> keys;  // per slot
  // Per slot (x S+1 / x S where noted):
  std::vector<std::int64_t> created;
  // implied: reach[L + 1] counts opportunities whose furthest recorded stage
  // is L (index 0 = none recorded); recorded / activity: reach[s] counts
  // stage s (index S unused).
  std::vector<std::int64_t> reach;      // x (S+1)
  std::vector<std::int64_t> won, lost;  // outcomes
  std::vector<Money> won_amount;
  std::vector<std::int64_t> won_top, lost_top;  // x (S+1), by furthest stage + 1
  std::vector<std::int64_t> open_count;         // x S, by current stage
  std::vector<Money> open_amount;               // x S
  std::vector<std::uint32_t> hist;              // x stride (gap channels)
  // Long channels: [slot * num_long_channels + channel - num_gap_channels].
  std::vector<std::vector<std::uint32_t>> long_hist;
  std::int64_t long_bins = 0;  // total size of long_hist
  std::vector<OverflowEntry> overflow;

  FunnelIssues issues;  // examples ascending by row
  // Label dictionaries per group key (not part of cfg: partials of tables
  // with equal ids but separate dictionary objects still merge).
  std::vector<DictionaryPtr> key_dicts;
  // The opportunity ids' codes (Pipeline opportunities), so that issues name
  // the ids as given; like key_dicts not serialized.
  DictionaryPtr opportunity_codes;

  void Init(FunnelConfig config);
  std::int32_t num_slots() const { return static_cast<std::int32_t>(keys.size()); }
  // Room for `n` slots in every per-slot array (AddSlot then moves no
  // array), the histograms first halved to fit n slots in the budget.
  void ReserveSlots(std::int32_t n);
  // Appends a zeroed slot; may halve the histograms (then returns with a new
  // layout: callers re-read width/offset and pointers).
  std::int32_t AddSlot(const SlotKey& key);
  // Adds `count` occurrences of `value` to (slot, channel).
  void AddValue(std::int32_t slot, int channel, std::int32_t value, std::int64_t count);
  std::vector<std::uint32_t>& LongHist(std::int32_t slot, int channel) {
    return long_hist[static_cast<std::size_t>(slot) *
                         static_cast<std::size_t>(cfg.num_long_channels()) +
                     static_cast<std::size_t>(channel - cfg.num_gap_channels())];
  }
  const std::vector<std::uint32_t>& LongHist(std::int32_t slot, int channel) const {
    return long_hist[static_cast<std::size_t>(slot) *
                         static_cast<std::size_t>(cfg.num_long_channels()) +
                     static_cast<std::size_t>(channel - cfg.num_gap_channels())];
  }
  // Grows a long histogram to hold `value` if the caps allow; false if not.
  bool GrowLong(std::vector<std::uint32_t>& bins, std::int32_t value);
  // Halves every gap channel's bins once (level + 1).
  void Shrink();
  std::string SlotName(std::int32_t slot) const;
  void AddIssueExample(const FunnelDateIssue& issue);
  // Kernels that report a block's issues out of row order set
  // defer_issue_cap, then call SortIssueBlock(examples size at block start).
  bool defer_issue_cap = false;
  void SortIssueBlock(std::size_t block_start);
};

}  // namespace salesight::internal
