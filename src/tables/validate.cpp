#include "internal/validate.hpp"

#include <algorithm>
#include <bit>
#include <cstdint>
#include <limits>

#include "absl/strings/str_format.h"
#include "salesight/status_macros.hpp"
#include "core/internal/multiversion.hpp"

namespace salesight::internal {

absl::Status ColumnChecker::LengthOf(std::string_view column, std::size_t size,
                                     bool required) const {
  if (size == 0 && rows_ > 0) {
    if (!required) return absl::OkStatus();
    return absl::InvalidArgumentError(
        absl::StrFormat("%s: required column '%s' is missing", table_, column));
  }
  if (size != rows_) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "%s: column '%s' has %d values but the table has %d rows", table_, column, size, rows_));
  }
  return absl::OkStatus();
}

absl::Status ColumnChecker::Keys(std::string_view column, const Column<std::int64_t>& c,
                                 const DictionaryPtr& dict) const {
  if (!dict) return absl::OkStatus();
  const std::int64_t limit = dict->size();
  for (std::size_t i = 0; i < c.size(); ++i) {
    if (c[i] < 0 || c[i] >= limit) {
      return absl::OutOfRangeError(absl::StrFormat(
          "%s row %d, column '%s': id %d is outside its codes [0, %d)", table_, i, column, c[i],
          limit));
    }
  }
  return absl::OkStatus();
}

absl::Status ColumnChecker::Ids(std::string_view column, const Column<Id>& c,
                                const DictionaryPtr& dict, std::int32_t* cardinality) const {
  const std::int32_t limit = dict ? dict->size() : std::numeric_limits<std::int32_t>::max();
  const Id* v = c.data();
  const MinMax32 range = c.known_range() ? MinMax32{c.known_range()->min, c.known_range()->max}
                                         : MinMaxOf(c.span());
  Id max_id = -1;
  if (c.empty() || (range.min >= 0 && range.max < limit)) {
    max_id = c.empty() ? -1 : range.max;
  } else {
    // Some id is out of range: find the first one for the message.
    for (std::size_t i = 0; i < c.size(); ++i) {
      if (v[i] < 0 || v[i] >= limit) {
        return absl::OutOfRangeError(absl::StrFormat(
            "%s row %d, column '%s': id %d is outside [0, %d)", table_, i, column, v[i],
            dict ? dict->size() : limit));
      }
      max_id = std::max(max_id, v[i]);
    }
  }
  // Without a dictionary the calculators size per-id arrays by max id + 1.
  const std::int64_t dense_limit =
      std::max(kMinDenseIdSpace, kDenseIdsPerRow * static_cast<std::int64_t>(rows_));
  if (!dict && max_id >= dense_limit) {
    const std::size_t row =
        static_cast<std::size_t>(std::find(v, v + c.size(), max_id) - v);
    return absl::OutOfRangeError(absl::StrFormat(
        "%s row %d, column '%s': id %d is too sparse for a table of %d rows without a "
        "dictionary (ids must be < %d); attach a Dictionary or factorize the codes",
        table_, row, column, max_id, rows_, dense_limit));
  }
  if (cardinality) *cardinality = dict ? dict->size() : max_id + 1;
  return absl::OkStatus();
}

absl::Status ColumnChecker::Dates(std::string_view column, const Column<Day>& c,
                                  bool allow_missing, Day* min_day, Day* max_day) const {
  // A known range without kNoDate in it decides the check; with kNoDate in it
  // (a nullable column that has nulls) the real dates' minimum is unknown.
  MinMax32 range;
  if (c.known_range() && (!allow_missing || c.known_range()->min != kNoDate)) {
    range = MinMax32{c.known_range()->min, c.known_range()->max};
  } else {
    range = DateRangeOf(c.span(), allow_missing);
  }
  if (range.min < kMinDay || range.max > kMaxDay) {
    // Some date is bad: the first one names the row.
    const Day* v = c.data();
    for (std::size_t i = 0; i < c.size(); ++i) {
      if (v[i] == kNoDate && allow_missing) continue;
      if (v[i] < kMinDay || v[i] > kMaxDay) {
        if (v[i] == kNoDate) {
          return absl::InvalidArgumentError(absl::StrFormat(
              "%s row %d, column '%s': the date is missing but the column requires one", table_,
              i, column));
        }
        return absl::OutOfRangeError(absl::StrFormat(
            "%s row %d, column '%s': day %d is outside 1900-01-01..2199-12-31", table_, i,
            column, v[i]));
      }
    }
    return absl::InternalError(absl::StrFormat(
        "%s column '%s': the date range %d..%d disagrees with the values", table_, column,
        range.min, range.max));
  }
  // Empty, or every date missing: min > max.
  if (min_day) *min_day = range.min > range.max ? kNoDate : range.min;
  if (max_day) *max_day = range.min > range.max ? kNoDate : range.max;
  return absl::OkStatus();
}

absl::Status ColumnChecker::Money(std::string_view column, const Column<salesight::Money>& c,
                                  bool non_negative, std::int64_t* negatives) const {
  MoneyStats stats;
  if (c.known_range() && c.known_range()->min >= 0) {
    // Nothing negative: the range is all the check needs.
    stats.min = c.known_range()->min;
    stats.max = c.known_range()->max;
  } else {
    stats = MoneyStatsOf(c.span());
  }
  const salesight::Money lowest = non_negative ? 0 : -kMaxMoney;
  if (!c.empty() && (stats.min < lowest || stats.max > kMaxMoney)) {
    const salesight::Money* v = c.data();
    for (std::size_t i = 0; i < c.size(); ++i) {
      if (v[i] > kMaxMoney || v[i] < -kMaxMoney || (non_negative && v[i] < 0)) {
        return absl::OutOfRangeError(absl::StrFormat(
            "%s row %d, column '%s': amount %d minor units is outside %s", table_, i, column,
            v[i], non_negative ? "[0, 9e15]" : "+-9e15"));
      }
    }
    return absl::InternalError(absl::StrFormat(
        "%s column '%s': the amount range %d..%d disagrees with the values", table_, column,
        stats.min, stats.max));
  }
  if (negatives) *negatives = stats.negatives;
  return absl::OkStatus();
}

absl::Status ColumnChecker::Scale(int money_scale) const {
  if (money_scale < 0 || money_scale > kMaxMoneyScale) {
    return absl::InvalidArgumentError(absl::StrFormat("%s: money scale %d is outside 0..%d",
                                                      table_, money_scale, kMaxMoneyScale));
  }
  return absl::OkStatus();
}

absl::Status ColumnChecker::Attributes(const salesight::Attributes& attributes,
                                       absl::Span<const std::string_view> fields) const {
  for (std::size_t a = 0; a < attributes.size(); ++a) {
    const AttributeColumn& attr = attributes[a];
    if (attr.name.empty()) {
      return absl::InvalidArgumentError(absl::StrFormat("%s: attribute %d has no name", table_, a));
    }
    for (std::string_view field : fields) {
      if (attr.name == field) {
        return absl::InvalidArgumentError(absl::StrFormat(
            "%s: attribute '%s' has the name of a field; map the column to the field instead",
            table_, attr.name));
      }
    }
    for (std::size_t b = 0; b < a; ++b) {
      if (attributes[b].name == attr.name) {
        return absl::InvalidArgumentError(
            absl::StrFormat("%s: attribute '%s' is given twice", table_, attr.name));
      }
    }
    if (attr.dictionary == nullptr) {
      return absl::InvalidArgumentError(
          absl::StrFormat("%s: attribute '%s' has no dictionary of its values", table_, attr.name));
    }
    SALESIGHT_RETURN_IF_ERROR(LengthOf(attr.name, attr.codes.size(), true));
    std::int32_t cardinality = 0;
    SALESIGHT_RETURN_IF_ERROR(Ids(attr.name, attr.codes, attr.dictionary, &cardinality));
  }
  return absl::OkStatus();
}

// ---------------------------------------------------------------- kernels
// Plain loops written so that GCC vectorizes them: no early exit, selects
// instead of branches, one accumulator per quantity.

MinMax32 Merge(MinMax32 a, MinMax32 b) {
  return MinMax32{std::min(a.min, b.min), std::max(a.max, b.max)};
}

SALESIGHT_AVX2_CLONES
MinMax32 MinMaxOf(absl::Span<const std::int32_t> v) {
  const std::int32_t* p = v.data();
  const std::size_t n = v.size();
  std::int32_t lo = std::numeric_limits<std::int32_t>::max();
  std::int32_t hi = std::numeric_limits<std::int32_t>::min();
  for (std::size_t i = 0; i < n; ++i) {
    lo = std::min(lo, p[i]);
    hi = std::max(hi, p[i]);
  }
  return MinMax32{lo, hi};
}

SALESIGHT_AVX2_CLONES
MinMax32 DateRangeOf(absl::Span<const Day> v, bool skip_missing) {
  const Day* p = v.data();
  const std::size_t n = v.size();
  // A skipped kNoDate counts as +inf for the minimum.
  const Day missing_as = skip_missing ? std::numeric_limits<Day>::max() : kNoDate;
  Day lo = std::numeric_limits<Day>::max();
  Day hi = std::numeric_limits<Day>::min();
  for (std::size_t i = 0; i < n; ++i) {
    const Day d = p[i];
    lo = std::min(lo, d == kNoDate ? missing_as : d);
    hi = std::max(hi, d);
  }
  return MinMax32{lo, hi};
}

SALESIGHT_AVX2_CLONES
MoneyStats MoneyStatsOf(absl::Span<const std::int64_t> v) {
  const std::int64_t* p = v.data();
  const std::size_t n = v.size();
  std::int64_t lo = std::numeric_limits<std::int64_t>::max();
  std::int64_t hi = std::numeric_limits<std::int64_t>::min();
  std::int64_t negatives = 0;
  for (std::size_t i = 0; i < n; ++i) {
    lo = std::min(lo, p[i]);
    hi = std::max(hi, p[i]);
    negatives += p[i] < 0;
  }
  return MoneyStats{lo, hi, negatives};
}

}  // namespace salesight::internal

// ---------------------------------------------------------------- conversion
// The public kernels of salesight/column_convert.hpp.
namespace salesight {

MinMax64 Merge(MinMax64 a, MinMax64 b) {
  return MinMax64{std::min(a.min, b.min), std::max(a.max, b.max)};
}
DayStats Merge(DayStats a, DayStats b) {
  return DayStats{std::min(a.min, b.min), std::max(a.max, b.max), a.nats + b.nats};
}

std::int64_t FloorDaysOfNs(std::int64_t ns) {
  constexpr std::int64_t kNsPerDay = 86'400'000'000'000;
  std::int64_t q = ns / kNsPerDay;
  if (ns % kNsPerDay < 0) --q;
  return q;
}

// Why doubles: 86400e9 = 2^16 x 1318359375, so floor(ns / 86400e9) =
// floor(x / 1318359375) with x = floor(ns / 2^16), |x| < 2^47. x is exact as
// a double, and so is every product q x 1318359375 below (< 2^48), so the
// quotient's truncation q (off by at most one from the floor) is corrected
// with the exact remainder x - q x 1318359375. All of it is add / multiply /
// compare / convert on 64-bit lanes, which AVX2 has (it has no 64-bit integer
// multiply or arithmetic shift, and an int64 division does not vectorize).
// x itself: flipping the sign bit adds 2^63, so ((ns ^ 2^63) >> 16) (logical)
// is x + 2^47 in [0, 2^48); OR-ing it into the mantissa of 2^52 makes the
// double 2^52 + x + 2^47.
SALESIGHT_AVX2_CLONES
DayStats TimestampNsToDays(absl::Span<const std::int64_t> ns, std::int32_t* out) {
  constexpr double kDivisor = 1318359375.0;  // 86400e9 / 2^16
  constexpr double kInverse = 1.0 / kDivisor;
  constexpr std::uint64_t kSignBit = std::uint64_t{1} << 63;
  constexpr std::uint64_t kTwo52Bits = 0x4330000000000000;  // the double 2^52
  constexpr double kBias = 4503599627370496.0 + 140737488355328.0;  // 2^52 + 2^47
  constexpr std::int64_t kNaT = std::numeric_limits<std::int64_t>::min();
  constexpr auto kNoDateBits = std::bit_cast<std::uint64_t>(double{kNoDate});
  constexpr auto kInt32MaxBits =
      std::bit_cast<std::uint64_t>(double{std::numeric_limits<std::int32_t>::max()});
  const std::int64_t* p = ns.data();
  const std::size_t n = ns.size();
  std::int32_t lo = std::numeric_limits<std::int32_t>::max();
  std::int32_t hi = std::numeric_limits<std::int32_t>::min();
  std::int64_t nats = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const std::uint64_t biased = (static_cast<std::uint64_t>(p[i]) ^ kSignBit) >> 16;
    const double x = std::bit_cast<double>(biased | kTwo52Bits) - kBias;
    // |x / kDivisor| < 106753: the truncation fits in int32.
    double q = static_cast<double>(static_cast<std::int32_t>(x * kInverse));
    const double r = x - q * kDivisor;
    q += r < 0 ? -1.0 : 0.0;  // negative quotients truncate up
    // The product's rounding error is < 3e-11, so the truncation is below the
    // floor only if x / kDivisor is an integer computed a hair low; with this
    // divisor that does not happen (tested for every day), but the exact
    // remainder makes the result independent of that.
    q += r >= kDivisor ? 1.0 : 0.0;
    // NaT: selected with an all-ones mask on the double's bits (a plain
    // `nat ? a : b` made GCC branch instead of vectorizing). kNoDate is
    // INT32_MIN, so it never raises the max; the min sees INT32_MAX instead.
    const std::uint64_t nat = std::uint64_t{0} - static_cast<std::uint64_t>(p[i] == kNaT);
    const std::uint64_t q_bits = std::bit_cast<std::uint64_t>(q);
    const auto day =
        static_cast<std::int32_t>(std::bit_cast<double>((q_bits & ~nat) | (kNoDateBits & nat)));
    const auto day_for_min =
        static_cast<std::int32_t>(std::bit_cast<double>((q_bits & ~nat) | (kInt32MaxBits & nat)));
    out[i] = day;
    hi = std::max(hi, day);
    lo = std::min(lo, day_for_min);
    nats += static_cast<std::int64_t>(nat & 1);
  }
  return DayStats{lo, hi, nats};
}

SALESIGHT_AVX2_CLONES
MinMax64 NarrowToInt32(absl::Span<const std::int64_t> v, std::int32_t* out) {
  const std::int64_t* p = v.data();
  const std::size_t n = v.size();
  std::int64_t lo = std::numeric_limits<std::int64_t>::max();
  std::int64_t hi = std::numeric_limits<std::int64_t>::min();
  for (std::size_t i = 0; i < n; ++i) {
    out[i] = static_cast<std::int32_t>(p[i]);
    lo = std::min(lo, p[i]);
    hi = std::max(hi, p[i]);
  }
  return MinMax64{lo, hi};
}

}  // namespace salesight
