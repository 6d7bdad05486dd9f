// GroupKeyer: the one way rows become groups. Built from a list of
// dimensions (salesight/dimension.hpp) and optionally one period (a Day
// column at a Grain, or period ordinals the caller computes), it maps rows to
// int32 group SLOTS, numbered 0, 1, 2, ... in the order their keys are first
// seen. Calculators keep their per-group accumulators in arrays indexed by
// slot; the keyer keeps each slot's key.
//
// ---------------------------------------------------------------- keys
// A key has one PART per dimension (the member's code; kNoId = the row has
// no member, a group of its own) and, with a period, one part for the
// period's ordinal (grain.hpp) at `GroupPeriod::position` among them. The
// CANONICAL order of slots is ascending by key, part by part (so kNoId comes
// first): callers emit groups in that order, so no output depends on row
// order, on how rows were split over threads, or on first-seen numbering.
//
// ---------------------------------------------------------------- modes
// Dense: a flat int32 array indexed by the mixed-radix number of the key
// (dimension codes, shifted by one where kNoId may occur, times the period's
// offset from the lowest period seen): a few multiply-adds and one load per
// row, no hash. Used while (product of the dimensions' cardinalities) x
// (periods spanned) <= `max_dense_entries`; the period span grows on demand.
// Hash: beyond that cap (or once the span outgrows it) a hash map from the
// key tuple. The mode changes neither slots nor keys.
//
// ---------------------------------------------------------------- limits
// `max_groups` bounds the number of slots: the call that would add one more
// fails with InvalidArgument naming the dimensions and their cardinalities,
// so a caller can refuse a grouping that would exhaust memory
// ("three high-cardinality dimensions") instead of trying.
//
// A keyer reads the columns it was built from (they must outlive it) and is
// not thread-safe: use one per thread and Merge them (slots of one keyer
// mapped into another by key).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "salesight/date.hpp"
#include "salesight/dictionary.hpp"
#include "salesight/dimension.hpp"
#include "salesight/grain.hpp"

namespace salesight {

// Parts of a key (dimensions + the period).
inline constexpr int kMaxGroupKeyParts = 9;

struct GroupPeriod {
  // Per row, the day whose period is the row's key part (kNoDate: the row is
  // not grouped, its slot is GroupKeyer::kSkip). Null: the caller passes
  // period ordinals (SlotsOfPeriods, Find/Add).
  const Day* days = nullptr;
  Grain grain;
  // Index of the period among the key's parts; -1 = after the dimensions.
  int position = -1;
  // Optional: the range of the days (a table's min/max date), so the dense
  // array is sized once instead of grown.
  Day first_day = kNoDate;
  Day last_day = kNoDate;
};

struct GroupKeyerLimits {
  // Dense array entries (4 bytes each) at most; above it, the hash map.
  // Clamped to 2^30.
  std::int64_t max_dense_entries = std::int64_t{1} << 22;
  // Slots at most (the memory guard); at most 2^31 - 1.
  std::int64_t max_groups = std::numeric_limits<std::int32_t>::max();
};

class GroupKeyer {
 public:
  // A row that is not grouped: its out slot (and its period ordinal in).
  static constexpr std::int32_t kSkip = -1;
  static constexpr std::int32_t kSkipRow = std::numeric_limits<std::int32_t>::min();
  // Find(): the key has no slot yet.
  static constexpr std::int32_t kMissing = -2;

  // Dimensions in key order (a period goes at period->position). Errors:
  // more than kMaxGroupKeyParts parts, a negative cardinality, a period
  // position out of range.
  static absl::StatusOr<GroupKeyer> Make(std::vector<DimensionColumn> dimensions,
                                         std::optional<GroupPeriod> period = std::nullopt,
                                         GroupKeyerLimits limits = {});

  // out[k] = the slot of row begin + k, for rows [begin, end); adds slots for
  // new keys. The period comes from GroupPeriod::days (rows with kNoDate get
  // kSkip); a keyer without a day column but with a period needs
  // SlotsOfPeriods (FailedPrecondition). Otherwise fails only on the group
  // limit (slots added before the failing row stay).
  absl::Status Slots(std::size_t begin, std::size_t end, std::int32_t* out);
  // The same with the caller's period ordinals: periods[k] for row
  // begin + k, or kSkipRow (out[k] = kSkip). Without a period part only
  // kSkipRow is read.
  absl::Status SlotsOfPeriods(std::size_t begin, std::size_t end, const std::int32_t* periods,
                              std::int32_t* out);

  // One row at a time (rows with several dated events): the slot of (row's
  // members, period), or kMissing when that key has no slot yet (then Add).
  // `period` is ignored without a period part.
  std::int32_t Find(std::size_t row, std::int32_t period) const {
    if (!dense_) return kMissing;
    const std::uint32_t rel = has_period_ ? static_cast<std::uint32_t>(period) -
                                                static_cast<std::uint32_t>(period_lo_)
                                          : 0u;
    if (rel >= period_span_) return kMissing;
    std::uint64_t other = 0;
    for (int d = 0; d < num_dims_; ++d) {
      const Source& p = sources_[static_cast<std::size_t>(d)];
      const Id v = p.lookup != nullptr ? p.lookup[p.codes[row]] : p.codes[row];
      other += static_cast<std::uint64_t>(static_cast<std::uint32_t>(v) + p.shift) * p.mult;
    }
    return map_[static_cast<std::size_t>(rel * others_ + other)];
  }
  // Find, adding a slot for a new key.
  absl::StatusOr<std::int32_t> Add(std::size_t row, std::int32_t period);
  // The period ordinal of a row from GroupPeriod::days (kSkipRow for kNoDate;
  // 0 without a period or day column).
  std::int32_t PeriodOfRow(std::size_t row) const;

  // The slot of a key given as its parts (Key's layout), added when new.
  // Errors: wrong number of parts, a code outside its dimension, the limit.
  absl::StatusOr<std::int32_t> SlotOfKey(absl::Span<const std::int32_t> key);
  // Adds every key of `other` (same dimensions, cardinalities and period
  // grain); result[s] = this keyer's slot of other's slot s.
  absl::StatusOr<std::vector<std::int32_t>> Merge(const GroupKeyer& other);

  std::int32_t num_slots() const { return num_slots_; }
  int num_parts() const { return num_parts_; }
  int num_dims() const { return num_dims_; }
  bool has_period() const { return has_period_; }
  // Index of the period among the parts (num_parts() without a period).
  int period_position() const { return period_position_; }
  const std::vector<DimensionColumn>& dimensions() const { return dims_; }
  std::optional<Grain> grain() const {
    return has_period_ ? std::optional<Grain>(grain_) : std::nullopt;
  }
  bool dense() const { return dense_; }

  // A slot's key: num_parts() values in key order (codes, kNoId = missing,
  // and the period ordinal at period_position()).
  absl::Span<const std::int32_t> Key(std::int32_t slot) const {
    const auto parts = static_cast<std::size_t>(num_parts_);
    return absl::MakeConstSpan(keys_.data() + static_cast<std::size_t>(slot) * parts, parts);
  }
  // Dimension d's code in a slot's key (d indexes dimensions(), not parts).
  Id Code(std::int32_t slot, int d) const {
    return Key(slot)[static_cast<std::size_t>(dim_part_[static_cast<std::size_t>(d)])];
  }
  // The period ordinal of a slot (0 without a period).
  std::int32_t Period(std::int32_t slot) const {
    return has_period_ ? Key(slot)[static_cast<std::size_t>(period_position_)] : 0;
  }
  // Every slot, ascending by key (the order of output).
  std::vector<std::int32_t> CanonicalOrder() const;
  // "region (5 members + none) x product (1200 members) x month", for
  // messages.
  std::string Describe() const;

 private:
  // One dimension as the hot loops read it.
  struct Source {
    const Id* codes = nullptr;
    const Id* lookup = nullptr;
    std::uint32_t shift = 0;  // 1 when kNoId may occur
    std::uint64_t card = 1;   // cardinality + shift
    std::uint64_t mult = 1;   // mixed-radix multiplier among the dimensions
  };
  using Tuple = std::array<std::int32_t, kMaxGroupKeyParts>;

  GroupKeyer() = default;
  // Tuple of (row, period) in key order.
  Tuple TupleOf(std::size_t row, std::int32_t period) const;
  // The slot of a tuple, added when new (the slow path of every lookup).
  absl::StatusOr<std::int32_t> Insert(const Tuple& t);
  std::uint64_t DenseIndex(const Tuple& t) const;
  // Widens the dense period range to hold `period`, or switches to the hash
  // map when the array would pass the cap.
  void Grow(std::int32_t period);
  void ToHash();
  absl::Status LimitError() const;
  template <typename PeriodAt>
  absl::Status Run(std::size_t begin, std::size_t end, PeriodAt period_at, std::int32_t* out);

  std::vector<DimensionColumn> dims_;
  std::array<Source, kMaxGroupKeyParts> sources_{};
  std::array<int, kMaxGroupKeyParts> dim_part_{};  // part index of dimension d
  int num_dims_ = 0;
  int num_parts_ = 0;
  bool has_period_ = false;
  int period_position_ = 0;
  Grain grain_;
  const Day* days_ = nullptr;
  std::int64_t max_dense_ = 0;
  std::int64_t max_groups_ = 0;

  std::uint64_t others_ = 1;  // product of the dimensions' cards (saturating)
  bool dense_ = true;
  std::int32_t period_lo_ = 0;
  std::uint32_t period_span_ = 0;  // 1 without a period
  std::vector<std::int32_t> map_;  // dense: (period - lo) * others_ + other -> slot or kMissing
  absl::flat_hash_map<Tuple, std::int32_t> hash_;

  std::int32_t num_slots_ = 0;
  std::vector<std::int32_t> keys_;  // num_parts_ per slot
};

}  // namespace salesight
