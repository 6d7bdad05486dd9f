// Column checks shared by the table builders. Each check returns an error
// naming the table, row, column and value, or OK.
//
// Speed: every check first runs a branch-free reduction (min / max, a count)
// that vectorizes and runs at memory bandwidth; only when the reduction shows
// a bad value does the careful per-row loop run, to name the FIRST bad row
// exactly as before. A column that carries its exact range (Column::
// known_range(), set by a conversion pass that computed it) is not read at all
// where the range decides the check.
#pragma once

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <limits>
#include <string_view>

#include "absl/status/status.h"
#include "absl/types/span.h"
#include "salesight/column_convert.hpp"
#include "salesight/tables.hpp"

namespace salesight::internal {

class ColumnChecker {
 public:
  ColumnChecker(std::string_view table, std::size_t rows) : table_(table), rows_(rows) {}

  // A present column must have `rows` values; a required one must be present.
  template <typename T>
  absl::Status Length(std::string_view column, const Column<T>& c, bool required) const {
    return LengthOf(column, c.size(), required);
  }
  absl::Status LengthOf(std::string_view column, std::size_t size, bool required) const;

  // ids >= 0 and < dict->size() when a dictionary is given; sets *cardinality.
  absl::Status Ids(std::string_view column, const Column<Id>& c, const DictionaryPtr& dict,
                   std::int32_t* cardinality) const;
  // With a dictionary (text keys): every key in [0, dict->size()). Without
  // one the keys are the ERP's own numbers: any int64.
  absl::Status Keys(std::string_view column, const Column<std::int64_t>& c,
                    const DictionaryPtr& dict) const;
  // Real dates in 1900..2199, or kNoDate when allow_missing. Tracks min/max of real dates.
  absl::Status Dates(std::string_view column, const Column<Day>& c, bool allow_missing,
                     Day* min_day = nullptr, Day* max_day = nullptr) const;
  // |value| <= kMaxMoney; and >= 0 when non_negative. Counts negatives into *negatives.
  absl::Status Money(std::string_view column, const Column<salesight::Money>& c, bool non_negative,
                     std::int64_t* negatives = nullptr) const;
  absl::Status Scale(int money_scale) const;
  // Every attribute: a unique name that is none of `fields`, a dictionary,
  // `rows` codes, each an id of the dictionary.
  absl::Status Attributes(const salesight::Attributes& attributes,
                          absl::Span<const std::string_view> fields) const;

 private:
  std::string_view table_;
  std::size_t rows_;
};

// ---------------------------------------------------------------- kernels
// Branch-free passes over a span (AVX2 clones beside the baseline x86-64
// ones). An empty span gives min = the type's max and max = the type's min.
// The conversion kernels of foreign columns (MinMax64, DayStats,
// TimestampNsToDays, NarrowToInt32) are public: salesight/column_convert.hpp.

struct MinMax32 {
  std::int32_t min = std::numeric_limits<std::int32_t>::max();
  std::int32_t max = std::numeric_limits<std::int32_t>::min();
};
struct MoneyStats {
  std::int64_t min = std::numeric_limits<std::int64_t>::max();
  std::int64_t max = std::numeric_limits<std::int64_t>::min();
  std::int64_t negatives = 0;  // values < 0
};

// Combines the results of two chunks.
MinMax32 Merge(MinMax32 a, MinMax32 b);

MinMax32 MinMaxOf(absl::Span<const std::int32_t> v);
// min over the values != kNoDate when skip_missing (kNoDate is INT32_MIN, so
// it never raises max); all missing gives min > max.
MinMax32 DateRangeOf(absl::Span<const Day> v, bool skip_missing);
MoneyStats MoneyStatsOf(absl::Span<const std::int64_t> v);

}  // namespace salesight::internal
