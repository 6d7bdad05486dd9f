// Entry points shared by the funnel's implementation files.
#pragma once

#include <cstddef>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "funnel_state.hpp"
#include "salesight/funnel.hpp"

namespace salesight::internal {

// PartialFunnel with an already validated config (ComputeFunnel validates
// once); `hist_budget_bytes`: FunnelState::hist_budget_bytes.
absl::StatusOr<FunnelPartial> PartialWithConfig(
    const Dataset& data, std::size_t begin, std::size_t end, const FunnelConfig& cfg,
    std::int64_t hist_budget_bytes = kHistogramBudgetBytes);

absl::Status MergeStates(FunnelState& into, const FunnelState& from);

// Bottleneck flags for a finished result (groups, overall and probabilities set).
std::vector<FunnelBottleneck> FindBottlenecks(const FunnelResult& result,
                                              const FunnelOptions& options);

}  // namespace salesight::internal
