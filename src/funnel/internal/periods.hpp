// The funnel's creation-period keys: the period ordinals of salesight/grain.hpp
// (so grouping by period is array indexing in the hot loop), and 0 for every
// date when the funnel has no period grain.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <type_traits>

#include "salesight/date.hpp"
#include "salesight/funnel.hpp"
#include "salesight/grain.hpp"

namespace salesight::internal {

// kUnit is a GrainUnit's value, or kNoPeriod.
inline constexpr int kNoPeriod = -1;

template <int kUnit>
inline std::int32_t FunnelPeriodOf(const std::int32_t* months, Day day, int fiscal_start_month) {
  if constexpr (kUnit == kNoPeriod) {
    return 0;
  } else {
    return PeriodOfUnit<static_cast<GrainUnit>(kUnit)>(months, day, fiscal_start_month);
  }
}

// Calls f(std::integral_constant<int, kUnit>) for the period's unit, so hot
// loops are compiled once per grain with the switch hoisted out.
template <typename F>
decltype(auto) WithPeriodUnit(const std::optional<Grain>& period, F&& f) {
  if (!period) return f(std::integral_constant<int, kNoPeriod>{});
  switch (period->unit) {
    case GrainUnit::kDay: return f(std::integral_constant<int, 0>{});
    case GrainUnit::kIsoWeek: return f(std::integral_constant<int, 1>{});
    case GrainUnit::kMonth: return f(std::integral_constant<int, 2>{});
    case GrainUnit::kQuarter: return f(std::integral_constant<int, 3>{});
    case GrainUnit::kYear: return f(std::integral_constant<int, 4>{});
    case GrainUnit::kFiscalYear: break;
  }
  static_assert(static_cast<int>(GrainUnit::kFiscalYear) == 5);
  return f(std::integral_constant<int, 5>{});
}

inline std::int32_t PeriodOrdinal(const std::optional<Grain>& period, Day day) {
  if (!period) return 0;
  return PeriodOf(*period, day);
}

// First day of the period with this ordinal (kNoDate without a period).
inline Day PeriodStart(const std::optional<Grain>& period, std::int32_t ordinal) {
  return period ? salesight::PeriodStart(*period, ordinal) : kNoDate;
}

// The ordinal of the period to compare with, or nullopt (week 53 or Feb 29
// last year, or before 1900).
std::optional<std::int32_t> CompareOrdinal(const std::optional<Grain>& period,
                                           FunnelCompare compare, std::int32_t ordinal);

// How many ordinals back the comparison can reach (for widening `from`).
std::int32_t CompareReach(const std::optional<Grain>& period, FunnelCompare compare);

std::string PeriodColumnName(const std::optional<Grain>& period);

}  // namespace salesight::internal
