#include "salesight/group_keyer.hpp"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace salesight {
namespace {

// Rows per step of the batch loops: new keys are resolved per step, and with
// more than three dimensions a step's key numbers are built in the caller's
// output one column at a time, then read back while still in L1.
constexpr std::size_t kChunk = 2048;
constexpr std::int64_t kMaxDenseCap = std::int64_t{1} << 30;

// Period sources of the batch loop, so each is compiled into it: none, the
// caller's ordinals, or a day column at a grain known at compile time.
struct NoPeriod {
  std::int32_t operator()(std::size_t /*row*/, std::size_t /*k*/) const { return 0; }
};

struct GivenPeriods {
  const std::int32_t* periods;
  bool has_period;
  std::int32_t operator()(std::size_t /*row*/, std::size_t k) const {
    const std::int32_t p = periods[k];
    return has_period || p == GroupKeyer::kSkipRow ? p : 0;
  }
};

template <GrainUnit kUnit>
struct DayPeriods {
  const Day* days;
  const std::int32_t* months;
  Grain grain;
  std::int32_t operator()(std::size_t row, std::size_t /*k*/) const {
    const Day d = days[row];
    // Tables hold real dates or kNoDate; anything else takes the calendar
    // arithmetic instead of the month table.
    if (static_cast<std::uint32_t>(d) - static_cast<std::uint32_t>(kMinDay) >
        static_cast<std::uint32_t>(kMaxDay - kMinDay))
        [[unlikely]] {
      return d == kNoDate ? GroupKeyer::kSkipRow : PeriodOf(grain, d);
    }
    return PeriodOfUnit<kUnit>(months, d, grain.fiscal_start_month);
  }
};

// The dense lookup of a chunk of rows: out[k] = the slot, kSkip, or kMissing
// (a new key or a period outside the array); true if any is kMissing. Up to
// three dimensions are read in one fused loop (their columns side by side,
// nothing stored between); more take one pass per column into `out` first.
struct DenseLoop {
  const std::int32_t* map;
  std::uint32_t lo;
  std::uint32_t span;
  std::size_t stride;

  template <int kDims, typename Source, typename PeriodAt>
  bool Run(const Source* sources, int num_dims, std::size_t chunk, std::size_t k0, std::size_t n,
           PeriodAt period_at, std::int32_t* __restrict out) const {
    constexpr int kFused = kDims < 0 ? 0 : kDims;
    const Id* codes[kFused > 0 ? kFused : 1];
    const Id* lookup[kFused > 0 ? kFused : 1];
    std::uint32_t shift[kFused > 0 ? kFused : 1], mult[kFused > 0 ? kFused : 1];
    for (int d = 0; d < kFused; ++d) {
      codes[d] = sources[d].codes + chunk;
      lookup[d] = sources[d].lookup;
      shift[d] = sources[d].shift;
      mult[d] = static_cast<std::uint32_t>(sources[d].mult);
    }
    // More dimensions: the mixed-radix number per row, one column at a time
    // (exact in 32 bits: dense means stride <= 2^30), held in `out` (int32
    // and uint32 may alias).
    auto* other = reinterpret_cast<std::uint32_t*>(out);
    if constexpr (kDims < 0) {
      for (std::size_t k = 0; k < n; ++k) other[k] = 0;
      for (int d = 0; d < num_dims; ++d) {
        const Source& s = sources[d];
        const Id* c = s.codes + chunk;
        const std::uint32_t sh = s.shift;
        const auto m = static_cast<std::uint32_t>(s.mult);
        if (s.lookup != nullptr) {
          for (std::size_t k = 0; k < n; ++k) {
            other[k] += (static_cast<std::uint32_t>(s.lookup[c[k]]) + sh) * m;
          }
        } else {
          for (std::size_t k = 0; k < n; ++k) other[k] += (static_cast<std::uint32_t>(c[k]) + sh) * m;
        }
      }
    }
    std::int32_t miss = 0;
    for (std::size_t k = 0; k < n; ++k) {
      std::uint32_t o = 0;
      if constexpr (kDims < 0) {
        o = other[k];
      } else {
        for (int d = 0; d < kFused; ++d) {
          Id v = codes[d][k];
          if (lookup[d] != nullptr) v = lookup[d][v];
          o += (static_cast<std::uint32_t>(v) + shift[d]) * mult[d];
        }
      }
      const std::int32_t p = period_at(chunk + k, k0 + k);
      const std::uint32_t rel = static_cast<std::uint32_t>(p) - lo;
      const std::int32_t s = rel < span ? map[static_cast<std::size_t>(rel) * stride + o]
                                        : (p == GroupKeyer::kSkipRow ? GroupKeyer::kSkip
                                                                     : GroupKeyer::kMissing);
      out[k] = s;
      miss |= static_cast<std::int32_t>(s == GroupKeyer::kMissing);
    }
    return miss != 0;
  }
};

}  // namespace

absl::StatusOr<GroupKeyer> GroupKeyer::Make(std::vector<DimensionColumn> dimensions,
                                            std::optional<GroupPeriod> period,
                                            GroupKeyerLimits limits) {
  const std::size_t parts = dimensions.size() + (period ? 1 : 0);
  if (parts > static_cast<std::size_t>(kMaxGroupKeyParts)) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "grouping by %d dimensions%s: at most %d parts", dimensions.size(),
        period ? " and a period" : "", kMaxGroupKeyParts));
  }
  if (limits.max_groups < 1 || limits.max_groups > std::numeric_limits<std::int32_t>::max()) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "group limit %d is outside 1..%d", limits.max_groups,
        std::numeric_limits<std::int32_t>::max()));
  }
  GroupKeyer k;
  k.num_dims_ = static_cast<int>(dimensions.size());
  k.num_parts_ = static_cast<int>(parts);
  k.has_period_ = period.has_value();
  k.period_position_ = k.num_parts_;
  if (period) {
    const int pos = period->position < 0 ? k.num_dims_ : period->position;
    if (pos > k.num_dims_) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "period position %d is beyond the %d dimensions", period->position, k.num_dims_));
    }
    k.period_position_ = pos;
    k.grain_ = period->grain;
    k.days_ = period->days;
  }
  k.max_dense_ = std::clamp<std::int64_t>(limits.max_dense_entries, 0, kMaxDenseCap);
  k.max_groups_ = limits.max_groups;
  for (int d = 0; d < k.num_dims_; ++d) {
    const DimensionColumn& dim = dimensions[static_cast<std::size_t>(d)];
    if (dim.cardinality < 0) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "dimension '%s' has a negative cardinality %d", dim.name, dim.cardinality));
    }
    Source& s = k.sources_[static_cast<std::size_t>(d)];
    s.codes = dim.codes;
    s.lookup = dim.lookup;
    s.shift = dim.may_be_missing ? 1u : 0u;
    // An empty dimension (no rows) still has one code so the radix is never 0.
    s.card = std::max<std::uint64_t>(1, static_cast<std::uint64_t>(dim.cardinality) + s.shift);
    k.dim_part_[static_cast<std::size_t>(d)] =
        k.has_period_ && d >= k.period_position_ ? d + 1 : d;
  }
  std::uint64_t m = 1;
  bool saturated = false;
  for (int d = k.num_dims_ - 1; d >= 0; --d) {
    Source& s = k.sources_[static_cast<std::size_t>(d)];
    s.mult = m;
    saturated = saturated || __builtin_mul_overflow(m, s.card, &m);
  }
  k.others_ = saturated ? std::numeric_limits<std::uint64_t>::max() : m;
  k.dims_ = std::move(dimensions);

  k.dense_ = k.others_ <= static_cast<std::uint64_t>(k.max_dense_);
  if (!k.has_period_) {
    k.period_span_ = 1;
    if (k.dense_) k.map_.assign(static_cast<std::size_t>(k.others_), kMissing);
  } else if (k.dense_ && period->first_day != kNoDate && period->last_day != kNoDate &&
             period->first_day <= period->last_day) {
    k.Grow(PeriodOf(k.grain_, period->first_day));
    if (k.dense_) k.Grow(PeriodOf(k.grain_, period->last_day));
  }
  return k;
}

// ------------------------------------------------------------ slow paths

GroupKeyer::Tuple GroupKeyer::TupleOf(std::size_t row, std::int32_t period) const {
  Tuple t{};
  for (int d = 0; d < num_dims_; ++d) {
    const Source& s = sources_[static_cast<std::size_t>(d)];
    t[static_cast<std::size_t>(dim_part_[static_cast<std::size_t>(d)])] =
        s.lookup != nullptr ? s.lookup[s.codes[row]] : s.codes[row];
  }
  if (has_period_) t[static_cast<std::size_t>(period_position_)] = period;
  return t;
}

std::uint64_t GroupKeyer::DenseIndex(const Tuple& t) const {
  std::uint64_t other = 0;
  for (int d = 0; d < num_dims_; ++d) {
    const Source& s = sources_[static_cast<std::size_t>(d)];
    const std::int32_t v = t[static_cast<std::size_t>(dim_part_[static_cast<std::size_t>(d)])];
    other += static_cast<std::uint64_t>(static_cast<std::uint32_t>(v) + s.shift) * s.mult;
  }
  const std::uint32_t rel =
      has_period_ ? static_cast<std::uint32_t>(t[static_cast<std::size_t>(period_position_)]) -
                        static_cast<std::uint32_t>(period_lo_)
                  : 0u;
  return static_cast<std::uint64_t>(rel) * others_ + other;
}

void GroupKeyer::Grow(std::int32_t period) {
  std::int64_t lo = period_lo_;
  std::int64_t hi = std::int64_t{period_lo_} + period_span_ - 1;
  const std::int64_t span = period_span_;
  if (span == 0) {
    lo = hi = period;
  } else if (period < lo) {
    lo = std::min<std::int64_t>(period, lo - span);  // at least double: few regrowths
  } else {
    hi = std::max<std::int64_t>(period, hi + span);
  }
  lo = std::max<std::int64_t>(lo, std::numeric_limits<std::int32_t>::min() + std::int64_t{1});
  hi = std::min<std::int64_t>(hi, std::numeric_limits<std::int32_t>::max());
  const std::int64_t new_span = hi - lo + 1;
  if (static_cast<std::uint64_t>(new_span) > static_cast<std::uint64_t>(max_dense_) / others_) {
    ToHash();
    return;
  }
  map_.assign(static_cast<std::size_t>(new_span) * others_, kMissing);
  period_lo_ = static_cast<std::int32_t>(lo);
  period_span_ = static_cast<std::uint32_t>(new_span);
  const auto parts = static_cast<std::size_t>(num_parts_);
  for (std::int32_t s = 0; s < num_slots_; ++s) {
    Tuple t{};
    std::copy_n(keys_.data() + static_cast<std::size_t>(s) * parts, parts, t.begin());
    map_[static_cast<std::size_t>(DenseIndex(t))] = s;
  }
}

void GroupKeyer::ToHash() {
  dense_ = false;
  map_.clear();
  map_.shrink_to_fit();
  period_span_ = 0;
  hash_.reserve(static_cast<std::size_t>(num_slots_));
  const auto parts = static_cast<std::size_t>(num_parts_);
  for (std::int32_t s = 0; s < num_slots_; ++s) {
    Tuple t{};
    std::copy_n(keys_.data() + static_cast<std::size_t>(s) * parts, parts, t.begin());
    hash_.emplace(t, s);
  }
}

absl::StatusOr<std::int32_t> GroupKeyer::Insert(const Tuple& t) {
  if (dense_ && has_period_) {
    const std::int32_t p = t[static_cast<std::size_t>(period_position_)];
    if (static_cast<std::uint32_t>(p) - static_cast<std::uint32_t>(period_lo_) >= period_span_) {
      Grow(p);
    }
  }
  if (dense_) {
    std::int32_t& at = map_[static_cast<std::size_t>(DenseIndex(t))];
    if (at >= 0) return at;
    if (num_slots_ >= max_groups_) return LimitError();
    at = num_slots_;
  } else {
    auto [it, inserted] = hash_.try_emplace(t, num_slots_);
    if (!inserted) return it->second;
    if (num_slots_ >= max_groups_) {
      hash_.erase(it);
      return LimitError();
    }
  }
  keys_.insert(keys_.end(), t.begin(), t.begin() + num_parts_);
  return num_slots_++;
}

absl::StatusOr<std::int32_t> GroupKeyer::Add(std::size_t row, std::int32_t period) {
  return Insert(TupleOf(row, period));
}

std::int32_t GroupKeyer::PeriodOfRow(std::size_t row) const {
  if (!has_period_ || days_ == nullptr) return 0;
  const Day d = days_[row];
  return d == kNoDate ? kSkipRow : PeriodOf(grain_, d);
}

absl::StatusOr<std::int32_t> GroupKeyer::SlotOfKey(absl::Span<const std::int32_t> key) {
  if (key.size() != static_cast<std::size_t>(num_parts_)) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "a key of %d parts for a grouping of %d", key.size(), num_parts_));
  }
  Tuple t{};
  std::copy(key.begin(), key.end(), t.begin());
  for (int d = 0; d < num_dims_; ++d) {
    const Source& s = sources_[static_cast<std::size_t>(d)];
    const std::int32_t v = t[static_cast<std::size_t>(dim_part_[static_cast<std::size_t>(d)])];
    const std::int64_t shifted = std::int64_t{v} + s.shift;
    if (shifted < 0 || static_cast<std::uint64_t>(shifted) >= s.card) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "code %d is not a member of dimension '%s' (%d members%s)", v,
          dims_[static_cast<std::size_t>(d)].name, dims_[static_cast<std::size_t>(d)].cardinality,
          s.shift != 0 ? " and none" : ""));
    }
  }
  if (has_period_ && t[static_cast<std::size_t>(period_position_)] == kSkipRow) {
    return absl::InvalidArgumentError("a key's period is the skip marker");
  }
  return Insert(t);
}

absl::StatusOr<std::vector<std::int32_t>> GroupKeyer::Merge(const GroupKeyer& other) {
  bool same = num_dims_ == other.num_dims_ && has_period_ == other.has_period_ &&
              period_position_ == other.period_position_ &&
              (!has_period_ || grain_ == other.grain_);
  for (int d = 0; same && d < num_dims_; ++d) {
    const Source& a = sources_[static_cast<std::size_t>(d)];
    const Source& b = other.sources_[static_cast<std::size_t>(d)];
    same = a.card == b.card && a.shift == b.shift;
  }
  if (!same) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "cannot merge the groups of %s into those of %s", other.Describe(), Describe()));
  }
  std::vector<std::int32_t> remap(static_cast<std::size_t>(other.num_slots_));
  for (std::int32_t s = 0; s < other.num_slots_; ++s) {
    Tuple t{};
    const absl::Span<const std::int32_t> key = other.Key(s);
    std::copy(key.begin(), key.end(), t.begin());
    absl::StatusOr<std::int32_t> slot = Insert(t);
    if (!slot.ok()) return slot.status();
    remap[static_cast<std::size_t>(s)] = *slot;
  }
  return remap;
}

// ------------------------------------------------------------ batches

template <typename PeriodAt>
absl::Status GroupKeyer::Run(std::size_t begin, std::size_t end, PeriodAt period_at,
                             std::int32_t* out) {
  for (std::size_t chunk = begin; chunk < end; chunk += kChunk) {
    const std::size_t n = std::min(kChunk, end - chunk);
    std::int32_t* const o = out + (chunk - begin);
    const std::size_t k0 = chunk - begin;  // index into the caller's per-row inputs
    bool missing = false;
    if (dense_) {
      const DenseLoop loop{map_.data(), static_cast<std::uint32_t>(period_lo_), period_span_,
                           static_cast<std::size_t>(others_)};
      switch (num_dims_) {
        case 0: missing = loop.Run<0>(sources_.data(), num_dims_, chunk, k0, n, period_at, o); break;
        case 1: missing = loop.Run<1>(sources_.data(), num_dims_, chunk, k0, n, period_at, o); break;
        case 2: missing = loop.Run<2>(sources_.data(), num_dims_, chunk, k0, n, period_at, o); break;
        case 3: missing = loop.Run<3>(sources_.data(), num_dims_, chunk, k0, n, period_at, o); break;
        default: missing = loop.Run<-1>(sources_.data(), num_dims_, chunk, k0, n, period_at, o);
      }
    } else {
      for (std::size_t k = 0; k < n; ++k) o[k] = kMissing;
      missing = true;
    }
    if (missing) [[unlikely]] {
      for (std::size_t k = 0; k < n; ++k) {
        if (o[k] != kMissing) continue;
        const std::int32_t p = period_at(chunk + k, k0 + k);
        if (p == kSkipRow) {
          o[k] = kSkip;
          continue;
        }
        absl::StatusOr<std::int32_t> slot = Insert(TupleOf(chunk + k, p));
        if (!slot.ok()) return slot.status();
        o[k] = *slot;
      }
    }
  }
  return absl::OkStatus();
}

absl::Status GroupKeyer::Slots(std::size_t begin, std::size_t end, std::int32_t* out) {
  if (!has_period_) return Run(begin, end, NoPeriod{}, out);
  if (days_ == nullptr) {
    return absl::FailedPreconditionError(
        "GroupKeyer::Slots: the period has no day column; use SlotsOfPeriods");
  }
  const std::int32_t* months = MonthOrdinalTable();
  switch (grain_.unit) {
    case GrainUnit::kDay:
      return Run(begin, end, DayPeriods<GrainUnit::kDay>{days_, months, grain_}, out);
    case GrainUnit::kIsoWeek:
      return Run(begin, end, DayPeriods<GrainUnit::kIsoWeek>{days_, months, grain_}, out);
    case GrainUnit::kMonth:
      return Run(begin, end, DayPeriods<GrainUnit::kMonth>{days_, months, grain_}, out);
    case GrainUnit::kQuarter:
      return Run(begin, end, DayPeriods<GrainUnit::kQuarter>{days_, months, grain_}, out);
    case GrainUnit::kYear:
      return Run(begin, end, DayPeriods<GrainUnit::kYear>{days_, months, grain_}, out);
    case GrainUnit::kFiscalYear: break;
  }
  return Run(begin, end, DayPeriods<GrainUnit::kFiscalYear>{days_, months, grain_}, out);
}

absl::Status GroupKeyer::SlotsOfPeriods(std::size_t begin, std::size_t end,
                                        const std::int32_t* periods, std::int32_t* out) {
  return Run(begin, end, GivenPeriods{periods, has_period_}, out);
}

// ------------------------------------------------------------ keys

std::vector<std::int32_t> GroupKeyer::CanonicalOrder() const {
  std::vector<std::int32_t> order(static_cast<std::size_t>(num_slots_));
  for (std::int32_t s = 0; s < num_slots_; ++s) order[static_cast<std::size_t>(s)] = s;
  const auto parts = static_cast<std::size_t>(num_parts_);
  const std::int32_t* keys = keys_.data();
  std::sort(order.begin(), order.end(), [&](std::int32_t a, std::int32_t b) {
    const std::int32_t* ka = keys + static_cast<std::size_t>(a) * parts;
    const std::int32_t* kb = keys + static_cast<std::size_t>(b) * parts;
    return std::lexicographical_compare(ka, ka + parts, kb, kb + parts);
  });
  return order;
}

std::string GroupKeyer::Describe() const {
  std::string out;
  for (int part = 0; part < num_parts_; ++part) {
    if (part > 0) out += " x ";
    if (has_period_ && part == period_position_) {
      out += GrainName(grain_);
      continue;
    }
    const int d = has_period_ && part > period_position_ ? part - 1 : part;
    const DimensionColumn& dim = dims_[static_cast<std::size_t>(d)];
    absl::StrAppend(&out, "'", dim.name, "' (", dim.cardinality,
                    dim.cardinality == 1 ? " member" : " members",
                    dim.may_be_missing ? " + none" : "", ")");
  }
  return out.empty() ? "no dimensions" : out;
}

absl::Status GroupKeyer::LimitError() const {
  return absl::InvalidArgumentError(absl::StrFormat(
      "grouping by %s makes more than %d groups (the limit): group by fewer or coarser "
      "dimensions, or filter the rows first",
      Describe(), max_groups_));
}

}  // namespace salesight
