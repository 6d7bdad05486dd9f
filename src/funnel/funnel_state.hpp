// The funnel's mergeable partial state: per group ("slot") exact counts, money
// sums and histograms of day values, plus an exact overflow list.
//
// Day values (gaps between stages, cycle lengths, ages) are small integers,
// so each (slot, channel) keeps a histogram of `width` bins for the values
// 0..width-1; any other value (negative, or too large) goes to `overflow` with
// its exact value, so quantiles stay exact. Histograms merge by addition,
// which is what makes the median mergeable without keeping every value.
// When many groups appear, the bins are halved (values beyond the new width
// move to the overflow list) to keep memory bounded; the results do not
// depend on it.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "salesight/funnel.hpp"

namespace salesight::internal {

inline constexpr int kMaxFunnelStages = 30;
// Histogram bins per channel before any halving.
inline constexpr std::int32_t kGapBins = 256;
inline constexpr std::int32_t kLongBins = 512;  // cycle lengths and ages
// Rows one PartialFunnel may cover (32-bit histogram bins cannot wrap).
inline constexpr std::size_t kMaxPartialRows = 0xFFFFFFFFu;
// Histogram memory per partial above which the bins are halved.
inline constexpr std::int64_t kHistogramBudgetBytes = std::int64_t{24} << 20;

// Everything derived from (table, options) that a computation fixes; two
// partials merge only when their configs are equal.
struct FunnelConfig {
  int num_stages = 0;
  std::vector<std::string> stage_names;
  int won_stage = 0;
  int qualified_stage = 0;
  FunnelMode mode = FunnelMode::kCohort;
  FunnelPeriod period = FunnelPeriod::kNone;
  FunnelCompare compare = FunnelCompare::kNone;
  std::vector<FunnelKey> keys;
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
  std::vector<std::int32_t> base_width;  // per channel, before halving

  int gap_channel(int stage) const { return stage - 1; }
  int cycle_channel() const { return num_stages - 1; }
  int age_channel(int stage) const { return num_stages + stage; }

  bool operator==(const FunnelConfig&) const = default;
};

// Validates the options against the table and derives the config.
absl::StatusOr<FunnelConfig> MakeFunnelConfig(const Pipeline& pipeline,
                                              const FunnelOptions& options);

struct SlotKey {
  std::int32_t period = 0;
  std::array<Id, kMaxFunnelKeys> keys{};  // unused entries 0

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

  // Histogram layout at the current halving level.
  int level = 0;
  std::vector<std::int32_t> width;   // per channel
  std::vector<std::int32_t> offset;  // per channel, within a slot
  std::int64_t stride = 0;           // bins per slot

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
  std::vector<std::uint32_t> hist;              // x stride
  std::vector<OverflowEntry> overflow;

  FunnelIssues issues;  // examples ascending by row
  // Label dictionaries per group key (not part of cfg: partials of tables
  // with equal ids but separate dictionary objects still merge).
  std::vector<DictionaryPtr> key_dicts;

  void Init(FunnelConfig config);
  std::int32_t num_slots() const { return static_cast<std::int32_t>(keys.size()); }
  // Appends a zeroed slot; may halve the histograms (then returns with a new
  // layout: callers re-read width/offset and pointers).
  std::int32_t AddSlot(const SlotKey& key);
  // Adds `count` occurrences of `value` to (slot, channel).
  void AddValue(std::int32_t slot, int channel, std::int32_t value, std::int64_t count);
  // Halves every channel's bins once (level + 1).
  void Shrink();
  std::string SlotName(std::int32_t slot) const;
  void AddIssueExample(const FunnelDateIssue& issue);
};

}  // namespace salesight::internal
