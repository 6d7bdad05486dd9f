// Creation-period keys for the funnel: every period is a dense integer
// ordinal, so grouping by period is array indexing in the hot loop.
//   kNone    0
//   kDay     the Day itself
//   kIsoWeek (day - kMinDay) / 7: weeks starting Monday (1900-01-01 was one)
//   kMonth   year * 12 + month - 1
//   kQuarter year * 4 + quarter - 1
//   kYear    year
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "salesight/date.hpp"
#include "salesight/funnel.hpp"

namespace salesight::internal {

// year * 12 + month - 1 for every real Day in [kMinDay, kMaxDay] (index
// day - kMinDay); built once, 440 KB, so the month of a date is one load.
const std::int32_t* MonthOrdinalTable();

inline std::int32_t PeriodOrdinal(FunnelPeriod period, const std::int32_t* month_table, Day day) {
  switch (period) {
    case FunnelPeriod::kNone:
      return 0;
    case FunnelPeriod::kDay:
      return day;
    case FunnelPeriod::kIsoWeek:
      return (day - kMinDay) / 7;
    case FunnelPeriod::kMonth:
      return month_table[day - kMinDay];
    case FunnelPeriod::kQuarter:
      return month_table[day - kMinDay] / 3;
    case FunnelPeriod::kYear:
      return month_table[day - kMinDay] / 12;
  }
  return 0;
}

// First day of the period with this ordinal (kNoDate for kNone).
Day PeriodStart(FunnelPeriod period, std::int32_t ordinal);

// The ordinal of the period to compare with, or nullopt (week 53 or Feb 29
// last year, or before 1900).
std::optional<std::int32_t> CompareOrdinal(FunnelPeriod period, FunnelCompare compare,
                                           std::int32_t ordinal);

// How many ordinals back the comparison can reach (for widening `from`).
std::int32_t CompareReach(FunnelPeriod period, FunnelCompare compare);

std::string PeriodColumnName(FunnelPeriod period);

}  // namespace salesight::internal
