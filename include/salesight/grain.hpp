// Grain: the one calendar codec. Every calculator that groups or compares by
// period (funnel, margin, trend, contribution, RFM's new-vs-returning, the
// BTYD summary) maps dates to periods through these functions, so a month,
// an ISO week or a fiscal year means the same thing everywhere.
//
// ---------------------------------------------------------------- grains
//   kDay         one calendar day.
//   kIsoWeek     ISO 8601 week: Monday to Sunday; week 1 holds the year's first
//                Thursday, so 2022-01-01/02 belong to 2021-W52 and the
//                week-based year can differ from the calendar year.
//   kMonth       calendar month.
//   kQuarter     calendar quarter (Jan-Mar = Q1).
//   kYear        calendar year.
//   kFiscalYear  twelve months starting on the 1st of `fiscal_start_month`
//                (1..12; 1 = the calendar year). A fiscal year is NAMED BY THE
//                CALENDAR YEAR IN WHICH IT STARTS: with fiscal_start_month = 4,
//                FY2024 runs 2024-04-01 .. 2025-03-31 (as 2024年度 in Japan and
//                India's FY2024-25; US companies that name it by its end year
//                add one when they print it).
//
// ---------------------------------------------------------------- ordinals
// A period is an int32 ORDINAL: consecutive periods have consecutive
// ordinals, so grouping by period is array indexing and "the previous period"
// is ordinal - 1. For dates in the accepted range (1900..2199) ordinals are
// >= 0:
//   kDay         the Day itself (days since 1970-01-01; may be negative)
//   kIsoWeek     (monday - 1900-01-01) / 7 (1900-01-01 was a Monday)
//   kMonth       year * 12 + month - 1
//   kQuarter     year * 4 + quarter - 1
//   kYear        year
//   kFiscalYear  the starting calendar year
// This is the only week encoding in salesight. For people and tables there is
// the LABEL ("2024-03-05", "2024-W05", "2024-03", "2024-Q1", "2024", "FY2024")
// and the calendar NUMBER (the Day for kDay, iso_year * 100 + week, yyyymm,
// yyyy * 10 + quarter, yyyy, the fiscal year's starting yyyy): the number is a
// presentation of the ordinal, ascending with it, never used for arithmetic.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "salesight/date.hpp"

namespace salesight {

enum class GrainUnit : std::uint8_t { kDay, kIsoWeek, kMonth, kQuarter, kYear, kFiscalYear };

struct Grain {
  GrainUnit unit = GrainUnit::kMonth;
  std::int8_t fiscal_start_month = 1;  // kFiscalYear only: 1..12

  constexpr Grain() = default;
  constexpr Grain(GrainUnit u, int start_month = 1)  // NOLINT: a unit is a grain
      : unit(u), fiscal_start_month(static_cast<std::int8_t>(start_month)) {}
  friend constexpr bool operator==(const Grain& a, const Grain& b) {
    return a.unit == b.unit && (a.unit != GrainUnit::kFiscalYear ||
                                a.fiscal_start_month == b.fiscal_start_month);
  }
};

// ---------------------------------------------------------------- codec
// year * 12 + month - 1 of every real Day in [kMinDay, kMaxDay] (index
// day - kMinDay): built once (440 KB), so the month of a date is one load in
// hot loops (PeriodOfUnit reads it for real dates only).
const std::int32_t* MonthOrdinalTable();

// year * 12 + month - 1 of any day (the table for real dates, else the
// calendar arithmetic).
inline std::int32_t MonthOrdinal(Day day) {
  if (day >= kMinDay && day <= kMaxDay) return MonthOrdinalTable()[day - kMinDay];
  const CivilDate c = CivilFromDay(day);
  return c.year * 12 + c.month - 1;
}

// The ordinal of the period holding `day`. Hot loops that know their grain
// call PeriodOfUnit with the table pointer hoisted.
template <GrainUnit kUnit>
inline std::int32_t PeriodOfUnit(const std::int32_t* month_table, Day day,
                                 int fiscal_start_month = 1) {
  if constexpr (kUnit == GrainUnit::kDay) {
    return day;
  } else if constexpr (kUnit == GrainUnit::kIsoWeek) {
    const std::int32_t x = day - kMinDay;  // 1900-01-01 was a Monday
    return x >= 0 ? x / 7 : -((6 - x) / 7);
  } else {
    const std::int32_t month = month_table[day - kMinDay];
    if constexpr (kUnit == GrainUnit::kMonth) return month;
    if constexpr (kUnit == GrainUnit::kQuarter) return month / 3;
    if constexpr (kUnit == GrainUnit::kYear) return month / 12;
    if constexpr (kUnit == GrainUnit::kFiscalYear) return (month - (fiscal_start_month - 1)) / 12;
  }
}

inline std::int32_t PeriodOf(Grain grain, Day day) {
  switch (grain.unit) {
    case GrainUnit::kDay: return day;
    case GrainUnit::kIsoWeek: return PeriodOfUnit<GrainUnit::kIsoWeek>(nullptr, day);
    default: break;
  }
  const std::int32_t month = MonthOrdinal(day);
  switch (grain.unit) {
    case GrainUnit::kQuarter: return month / 3;
    case GrainUnit::kYear: return month / 12;
    case GrainUnit::kFiscalYear: return (month - (grain.fiscal_start_month - 1)) / 12;
    default: return month;
  }
}

// First and last day (inclusive) of the period with this ordinal.
Day PeriodStart(Grain grain, std::int32_t ordinal);
Day PeriodEnd(Grain grain, std::int32_t ordinal);

// "2024-03-05", "2024-W05", "2024-03", "2024-Q1", "2024", "FY2024".
std::string PeriodLabel(Grain grain, std::int32_t ordinal);
// The calendar number (file comment): Day, iso_year*100+week, yyyymm,
// yyyy*10+quarter, yyyy, fiscal yyyy.
std::int64_t PeriodNumber(Grain grain, std::int32_t ordinal);

// The ordinal of a calendar number, or nullopt when it is not the number of
// a period holding a date in [kMinDay, kMaxDay] (yyyymm with month 13,
// 2019-W53, ...).
// Checks untrusted keys (serialized states) and decodes stored numbers.
std::optional<std::int32_t> PeriodFromNumber(Grain grain, std::int64_t number);

// The same period one year earlier, or nullopt when there is none: Feb 29
// (kDay); ISO week 53 (no two consecutive ISO years both have a week 53, so
// "the same week number a year earlier" never exists for it, WORKLOADS (e));
// a period starting before 1900-01-01. Otherwise ISO week w of ISO year y maps
// to week w of y - 1, the others to the period starting a year earlier.
std::optional<std::int32_t> SamePeriodLastYear(Grain grain, std::int32_t ordinal);
// How many ordinals back SamePeriodLastYear can reach (to widen a date range
// so that its first periods have their comparison).
std::int32_t PeriodsPerYear(Grain grain);

// A stable one-byte code for serialized states: kDay 0, kIsoWeek 1, kMonth 2,
// kQuarter 3, kYear 4, kFiscalYear 5 + (start month - 1) = 5..16.
std::uint8_t GrainToByte(Grain grain);
std::optional<Grain> GrainFromByte(std::uint8_t code);

// ---------------------------------------------------------------- names
// "day", "week", "month", "quarter", "year", "fiscal_year": also the column
// name of a period in result tables.
std::string_view GrainName(Grain grain);
// Accepts the names above, "iso_week" for "week", and "fiscal_year:M" with a
// start month M in 1..12 ("fiscal_year" alone starts in January).
absl::StatusOr<Grain> ParseGrain(std::string_view name);

}  // namespace salesight
