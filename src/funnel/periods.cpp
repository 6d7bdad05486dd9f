#include "internal/periods.hpp"

namespace salesight::internal {

std::optional<std::int32_t> CompareOrdinal(const std::optional<Grain>& period,
                                           FunnelCompare compare, std::int32_t ordinal) {
  if (!period || compare == FunnelCompare::kNone) return std::nullopt;
  if (compare == FunnelCompare::kSamePeriodLastYear) return SamePeriodLastYear(*period, ordinal);
  if (salesight::PeriodStart(*period, ordinal - 1) < kMinDay) return std::nullopt;
  return ordinal - 1;
}

std::int32_t CompareReach(const std::optional<Grain>& period, FunnelCompare compare) {
  if (!period || compare == FunnelCompare::kNone) return 0;
  return compare == FunnelCompare::kPreviousPeriod ? 1 : PeriodsPerYear(*period);
}

std::string PeriodColumnName(const std::optional<Grain>& period) {
  return period ? std::string(GrainName(*period)) : "period";
}

}  // namespace salesight::internal

namespace salesight {

std::string FunnelPeriodLabel(const std::optional<Grain>& period, Day start) {
  if (!period || start == kNoDate) return "";
  return PeriodLabel(*period, PeriodOf(*period, start));
}

}  // namespace salesight
