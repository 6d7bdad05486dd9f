// Dates: int32 days since 1970-01-01 (1970-01-01 = 0). Missing = kNoDate.
//
// Parsing and formatting go through Boost.Date_Time's Gregorian calendar; the
// hot-loop helpers (year/month of a day, ISO week) are branch-light integer
// arithmetic checked against Boost in the tests.
#pragma once

#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace salesight {

using Day = std::int32_t;

// "Not reached / unknown". Not -1: -1 is 1969-12-31, a real date.
inline constexpr Day kNoDate = std::numeric_limits<Day>::min();
// Accepted range of real dates: 1900-01-01 (kMinDay) .. 2199-12-31 (kMaxDay)
// inclusive; ParseDate accepts exactly these. kMaxDay is part of the
// serialized RFM partial state (first-purchase day codes are kMaxDay + 1 -
// day), so moving it changes bytes on the wire.
inline constexpr Day kMinDay = -25567;
inline constexpr Day kMaxDay = 84005;

enum class DateFormat {
  kAuto,      // try the explicit formats below in this order: ISO, Y/M/D, compact, D.M.Y, M/D/Y
  kIso,       // %Y-%m-%d
  kYmdSlash,  // %Y/%m/%d
  kMdySlash,  // %m/%d/%Y  (US exports; 1- or 2-digit month and day)
  kDmyDot,    // %d.%m.%Y  (German/Russian exports)
  kCompact,   // %Y%m%d
  // Day-first slashes (UK, India, most of Europe and Latin America) and the
  // two-digit-year spreadsheet exports. Never tried by kAuto: 03/01/2019 is
  // ambiguous, so the user states the order. Two-digit years follow POSIX
  // strptime %y: 00..68 -> 2000..2068, 69..99 -> 1969..1999.
  kDmySlash,   // %d/%m/%Y
  kMdySlash2,  // %m/%d/%y
  kDmySlash2,  // %d/%m/%y
};

// Parses "%Y-%m-%d", "%Y/%m/%d", "%m/%d/%Y", "%d.%m.%Y", "%Y%m%d", "%d/%m/%Y",
// "%m/%d/%y" or "%d/%m/%y" (as `format` says); a trailing time part after ' ' or 'T' ("2024-03-01 13:45:00",
// "2024-03-01T13:45:00Z") is dropped. Invalid calendar dates (2023-02-29) and
// dates outside 1900..2199 are errors.
absl::StatusOr<Day> ParseDate(std::string_view text, DateFormat format = DateFormat::kIso);

// Accepts the strftime-like spellings above ("%Y-%m-%d", ..., "auto").
absl::StatusOr<DateFormat> ParseDateFormatName(std::string_view name);
std::string_view DateFormatName(DateFormat format);

// The same dates Boost would build; day must be a real date (not kNoDate).
Day DayFromCivil(int year, int month, int day);
struct CivilDate {
  int year;
  int month;  // 1..12
  int day;    // 1..31
};
CivilDate CivilFromDay(Day day);

// "2024-03-01"; "" for kNoDate.
std::string FormatDate(Day day);

// Calendar keys used for grouping.
int YearMonth(Day day);  // yyyymm
int Quarter(Day day);    // 1..4
struct IsoWeek {
  int year;  // ISO week-based year
  int week;  // 1..53
};
IsoWeek IsoWeekOf(Day day);
int Weekday(Day day);  // ISO: Monday = 1 .. Sunday = 7

}  // namespace salesight
