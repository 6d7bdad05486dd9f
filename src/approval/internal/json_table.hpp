// The JSON form of a decision table (salesight/approval/table_loaders.hpp),
// from an already parsed document: the policy loader reads its "decision"
// member through this too.
#pragma once

#include "absl/status/statusor.h"
#include "nlohmann/json.hpp"
#include "salesight/approval/decision_table.hpp"
#include "salesight/approval/loader_limits.hpp"

namespace salesight::approval::internal {

absl::StatusOr<DecisionTable> DecisionTableFromJson(const nlohmann::json& j,
                                                    const LoadLimits& limits);

}  // namespace salesight::approval::internal
