// Period ordinals, labels and last-year mapping for trends. Called per day of
// the window and per period, never per line.
#include <string>

#include "absl/strings/str_format.h"
#include "salesight/trend.hpp"

namespace salesight {
namespace {

// Monday of ISO week `week` of ISO year `year`.
Day IsoWeekMonday(int year, int week) {
  const Day jan4 = DayFromCivil(year, 1, 4);
  return jan4 - (Weekday(jan4) - 1) + 7 * (week - 1);
}

// Floor division: periods before 1900-01-01 never occur (dates are validated
// to 1900..2200), but stay well defined.
std::int32_t FloorDiv(std::int32_t a, std::int32_t b) {
  return a >= 0 ? a / b : -((-a + b - 1) / b);
}

}  // namespace

std::int32_t TrendPeriodOf(TrendGrain grain, Day day) {
  switch (grain) {
    case TrendGrain::kDay:
      return day;
    case TrendGrain::kIsoWeek:
      return FloorDiv(day - kMinDay, 7);  // 1900-01-01 was a Monday
    case TrendGrain::kMonth: {
      const CivilDate c = CivilFromDay(day);
      return c.year * 12 + c.month - 1;
    }
    case TrendGrain::kQuarter: {
      const CivilDate c = CivilFromDay(day);
      return c.year * 4 + (c.month - 1) / 3;
    }
    case TrendGrain::kYear:
      return CivilFromDay(day).year;
  }
  return 0;
}

Day TrendPeriodStart(TrendGrain grain, std::int32_t period) {
  switch (grain) {
    case TrendGrain::kDay:
      return period;
    case TrendGrain::kIsoWeek:
      return kMinDay + 7 * period;
    case TrendGrain::kMonth:
      return DayFromCivil(FloorDiv(period, 12), period - 12 * FloorDiv(period, 12) + 1, 1);
    case TrendGrain::kQuarter:
      return DayFromCivil(FloorDiv(period, 4), (period - 4 * FloorDiv(period, 4)) * 3 + 1, 1);
    case TrendGrain::kYear:
      return DayFromCivil(period, 1, 1);
  }
  return 0;
}

Day TrendPeriodEnd(TrendGrain grain, std::int32_t period) {
  return TrendPeriodStart(grain, period + 1) - 1;
}

std::string TrendPeriodLabel(TrendGrain grain, std::int32_t period) {
  const Day start = TrendPeriodStart(grain, period);
  const CivilDate c = CivilFromDay(start);
  switch (grain) {
    case TrendGrain::kDay:
      return FormatDate(start);
    case TrendGrain::kIsoWeek: {
      const IsoWeek w = IsoWeekOf(start);
      return absl::StrFormat("%04d-W%02d", w.year, w.week);
    }
    case TrendGrain::kMonth:
      return absl::StrFormat("%04d-%02d", c.year, c.month);
    case TrendGrain::kQuarter:
      return absl::StrFormat("%04d-Q%d", c.year, (c.month - 1) / 3 + 1);
    case TrendGrain::kYear:
      return absl::StrFormat("%04d", c.year);
  }
  return "";
}

std::optional<std::int32_t> TrendLastYearPeriod(TrendGrain grain, std::int32_t period) {
  switch (grain) {
    case TrendGrain::kDay: {
      const CivilDate c = CivilFromDay(period);
      if (c.month == 2 && c.day == 29) return std::nullopt;
      if (c.year - 1 < 1900) return std::nullopt;
      return DayFromCivil(c.year - 1, c.month, c.day);
    }
    case TrendGrain::kIsoWeek: {
      const IsoWeek w = IsoWeekOf(TrendPeriodStart(grain, period));
      // Workload (e): week 53 has no counterpart, whatever last year had.
      if (w.week == 53 || w.year - 1 < 1900) return std::nullopt;
      const Day monday = IsoWeekMonday(w.year - 1, w.week);
      if (monday < kMinDay) return std::nullopt;
      return TrendPeriodOf(grain, monday);
    }
    case TrendGrain::kMonth:
      return period - 12;
    case TrendGrain::kQuarter:
      return period - 4;
    case TrendGrain::kYear:
      return period - 1;
  }
  return std::nullopt;
}

}  // namespace salesight
