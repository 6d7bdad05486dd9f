// Helpers shared by the trend sources (not part of the API).
#pragma once

#include <string>

#include "absl/strings/str_cat.h"
#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "salesight/dataset.hpp"
#include "salesight/trend.hpp"

namespace salesight::trend_internal {

inline std::string GroupDayText(const std::string& group_by, std::int64_t group, Day day) {
  return group_by.empty() ? absl::StrCat("on ", FormatDate(day))
                          : absl::StrCat("of ", group_by, " ", group, " on ", FormatDate(day));
}

// The group column of the rows: per-row codes and their labels; groups = 1
// and no codes when the trend is not grouped (or the table is empty).
struct GroupSource {
  absl::Span<const Id> codes;
  DictionaryPtr labels;
  std::int32_t groups = 1;
};
absl::StatusOr<GroupSource> GroupsOf(const Dataset& data, TableKind rows, std::size_t num_rows,
                                     const std::string& group_by, std::string_view what);

}  // namespace salesight::trend_internal
