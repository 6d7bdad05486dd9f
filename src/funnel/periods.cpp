#include "funnel/periods.hpp"

#include <vector>

#include "absl/strings/str_format.h"

namespace salesight::internal {

const std::int32_t* MonthOrdinalTable() {
  static const std::vector<std::int32_t>* const table = [] {
    auto* t = new std::vector<std::int32_t>(static_cast<std::size_t>(kMaxDay - kMinDay + 1));
    for (Day d = kMinDay; d <= kMaxDay; ++d) {
      CivilDate c = CivilFromDay(d);
      (*t)[static_cast<std::size_t>(d - kMinDay)] = c.year * 12 + c.month - 1;
    }
    return t;
  }();
  return table->data();
}

Day PeriodStart(FunnelPeriod period, std::int32_t ordinal) {
  switch (period) {
    case FunnelPeriod::kNone:
      return kNoDate;
    case FunnelPeriod::kDay:
      return ordinal;
    case FunnelPeriod::kIsoWeek:
      return kMinDay + 7 * ordinal;
    case FunnelPeriod::kMonth:
      return DayFromCivil(ordinal / 12, ordinal % 12 + 1, 1);
    case FunnelPeriod::kQuarter:
      return DayFromCivil(ordinal / 4, (ordinal % 4) * 3 + 1, 1);
    case FunnelPeriod::kYear:
      return DayFromCivil(ordinal, 1, 1);
  }
  return kNoDate;
}

namespace {

// Monday of ISO week `week` of ISO year `year`.
Day IsoWeekMonday(int year, int week) {
  Day jan4 = DayFromCivil(year, 1, 4);
  Day monday_week1 = jan4 - (Weekday(jan4) - 1);
  return monday_week1 + 7 * (week - 1);
}

bool HasWeek53(int year) { return IsoWeekOf(DayFromCivil(year, 12, 28)).week == 53; }

}  // namespace

std::optional<std::int32_t> CompareOrdinal(FunnelPeriod period, FunnelCompare compare,
                                           std::int32_t ordinal) {
  if (period == FunnelPeriod::kNone || compare == FunnelCompare::kNone) return std::nullopt;
  std::optional<std::int32_t> out;
  if (compare == FunnelCompare::kPreviousPeriod) {
    out = ordinal - 1;
  } else {
    switch (period) {
      case FunnelPeriod::kNone:
        return std::nullopt;
      case FunnelPeriod::kDay: {
        CivilDate c = CivilFromDay(ordinal);
        if (c.month == 2 && c.day == 29) return std::nullopt;
        if (c.year - 1 < 1900) return std::nullopt;
        out = DayFromCivil(c.year - 1, c.month, c.day);
        break;
      }
      case FunnelPeriod::kIsoWeek: {
        IsoWeek w = IsoWeekOf(PeriodStart(period, ordinal));
        if (w.week == 53 && !HasWeek53(w.year - 1)) return std::nullopt;
        Day monday = IsoWeekMonday(w.year - 1, w.week);
        if (monday < kMinDay) return std::nullopt;
        out = (monday - kMinDay) / 7;
        break;
      }
      case FunnelPeriod::kMonth:
        out = ordinal - 12;
        break;
      case FunnelPeriod::kQuarter:
        out = ordinal - 4;
        break;
      case FunnelPeriod::kYear:
        out = ordinal - 1;
        break;
    }
  }
  if (out && PeriodStart(period, *out) < kMinDay) return std::nullopt;
  return out;
}

std::int32_t CompareReach(FunnelPeriod period, FunnelCompare compare) {
  if (compare == FunnelCompare::kPreviousPeriod) return 1;
  switch (period) {
    case FunnelPeriod::kNone:
      return 0;
    case FunnelPeriod::kDay:
      return 366;
    case FunnelPeriod::kIsoWeek:
      return 53;
    case FunnelPeriod::kMonth:
      return 12;
    case FunnelPeriod::kQuarter:
      return 4;
    case FunnelPeriod::kYear:
      return 1;
  }
  return 0;
}

std::string PeriodColumnName(FunnelPeriod period) {
  switch (period) {
    case FunnelPeriod::kNone:
      return "period";
    case FunnelPeriod::kDay:
      return "day";
    case FunnelPeriod::kIsoWeek:
      return "week";
    case FunnelPeriod::kMonth:
      return "month";
    case FunnelPeriod::kQuarter:
      return "quarter";
    case FunnelPeriod::kYear:
      return "year";
  }
  return "period";
}

}  // namespace salesight::internal

namespace salesight {

std::string FunnelPeriodLabel(FunnelPeriod period, Day start) {
  if (period == FunnelPeriod::kNone || start == kNoDate) return "";
  CivilDate c = CivilFromDay(start);
  switch (period) {
    case FunnelPeriod::kNone:
      return "";
    case FunnelPeriod::kDay:
      return FormatDate(start);
    case FunnelPeriod::kIsoWeek: {
      IsoWeek w = IsoWeekOf(start);
      return absl::StrFormat("%04d-W%02d", w.year, w.week);
    }
    case FunnelPeriod::kMonth:
      return absl::StrFormat("%04d-%02d", c.year, c.month);
    case FunnelPeriod::kQuarter:
      return absl::StrFormat("%04d-Q%d", c.year, (c.month - 1) / 3 + 1);
    case FunnelPeriod::kYear:
      return absl::StrFormat("%04d", c.year);
  }
  return "";
}

}  // namespace salesight
