// kRelativeTiers (definitions in salesight/rfm.hpp, "segments").
#pragma once

#include "absl/status/status.h"
#include "rules.hpp"
#include "salesight/rfm.hpp"

namespace salesight::rfm_internal {

// Every share in 1..100.
absl::Status CheckRelativeTierShares(const RelativeTierShares& shares);

// The tiers with the cuts taken from result's scored rows (recency relative to
// result.as_of).
RfmRuleTable RelativeTierTable(const RfmResult& result, const RelativeTierShares& shares);

// Sets result.segment_rules to RelativeTierTable and re-segments every row.
absl::Status ApplyRelativeTiers(const RfmOptions& options, RfmResult& result);

}  // namespace salesight::rfm_internal
