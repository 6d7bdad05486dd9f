// Helpers shared by the trend sources (not part of the API).
#pragma once

#include <string>

#include "absl/strings/str_cat.h"
#include "salesight/trend.hpp"

namespace salesight::trend_internal {

inline std::string GroupName(TrendGroupBy g) {
  switch (g) {
    case TrendGroupBy::kNone:
      return "";
    case TrendGroupBy::kRegion:
      return "region";
    case TrendGroupBy::kSalesperson:
      return "salesperson";
    case TrendGroupBy::kChannel:
      return "channel";
  }
  return "";
}

inline std::string GroupDayText(TrendGroupBy g, std::int64_t group, Day day) {
  return g == TrendGroupBy::kNone ? absl::StrCat("on ", FormatDate(day))
                                  : absl::StrCat("of ", GroupName(g), " ", group, " on ",
                                                 FormatDate(day));
}

}  // namespace salesight::trend_internal
