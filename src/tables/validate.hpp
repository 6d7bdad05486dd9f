// Column checks shared by the table builders. Each returns an error naming the
// table, row, column and value, or OK.
#pragma once

#include <cstdint>
#include <string_view>

#include "absl/status/status.h"
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
  // Real dates in 1900..2200, or kNoDate when allow_missing. Tracks min/max of real dates.
  absl::Status Dates(std::string_view column, const Column<Day>& c, bool allow_missing,
                     Day* min_day = nullptr, Day* max_day = nullptr) const;
  // |value| <= kMaxMoney; and >= 0 when non_negative. Counts negatives into *negatives.
  absl::Status Money(std::string_view column, const Column<salesight::Money>& c, bool non_negative,
                     std::int64_t* negatives = nullptr) const;
  absl::Status Scale(int money_scale) const;

 private:
  std::string_view table_;
  std::size_t rows_;
};

}  // namespace salesight::internal
