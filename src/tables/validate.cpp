#include "validate.hpp"

#include <algorithm>

#include "absl/strings/str_format.h"

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

absl::Status ColumnChecker::Ids(std::string_view column, const Column<Id>& c,
                                const DictionaryPtr& dict, std::int32_t* cardinality) const {
  const std::int32_t limit = dict ? dict->size() : std::numeric_limits<std::int32_t>::max();
  Id max_id = -1;
  const Id* v = c.data();
  for (std::size_t i = 0; i < c.size(); ++i) {
    if (v[i] < 0 || v[i] >= limit) {
      return absl::OutOfRangeError(absl::StrFormat(
          "%s row %d, column '%s': id %d is outside [0, %d)", table_, i, column, v[i],
          dict ? dict->size() : limit));
    }
    max_id = std::max(max_id, v[i]);
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
  Day lo = kMaxDay + 1, hi = kMinDay - 1;
  const Day* v = c.data();
  for (std::size_t i = 0; i < c.size(); ++i) {
    if (v[i] == kNoDate && allow_missing) continue;
    if (v[i] < kMinDay || v[i] > kMaxDay) {
      if (v[i] == kNoDate) {
        return absl::InvalidArgumentError(absl::StrFormat(
            "%s row %d, column '%s': the date is missing but the column requires one", table_, i,
            column));
      }
      return absl::OutOfRangeError(absl::StrFormat(
          "%s row %d, column '%s': day %d is outside 1900-01-01..2200-12-31", table_, i, column,
          v[i]));
    }
    lo = std::min(lo, v[i]);
    hi = std::max(hi, v[i]);
  }
  if (min_day) *min_day = lo > hi ? kNoDate : lo;
  if (max_day) *max_day = lo > hi ? kNoDate : hi;
  return absl::OkStatus();
}

absl::Status ColumnChecker::Money(std::string_view column, const Column<salesight::Money>& c,
                                  bool non_negative, std::int64_t* negatives) const {
  std::int64_t neg = 0;
  const salesight::Money* v = c.data();
  for (std::size_t i = 0; i < c.size(); ++i) {
    if (v[i] > kMaxMoney || v[i] < -kMaxMoney || (non_negative && v[i] < 0)) {
      return absl::OutOfRangeError(absl::StrFormat(
          "%s row %d, column '%s': amount %d minor units is outside %s", table_, i, column, v[i],
          non_negative ? "[0, 9e15]" : "+-9e15"));
    }
    neg += v[i] < 0;
  }
  if (negatives) *negatives = neg;
  return absl::OkStatus();
}

absl::Status ColumnChecker::Scale(int money_scale) const {
  if (money_scale < 0 || money_scale > kMaxMoneyScale) {
    return absl::InvalidArgumentError(absl::StrFormat("%s: money scale %d is outside 0..%d",
                                                      table_, money_scale, kMaxMoneyScale));
  }
  return absl::OkStatus();
}

}  // namespace salesight::internal
