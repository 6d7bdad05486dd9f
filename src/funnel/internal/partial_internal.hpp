// Entry points shared by the funnel's implementation files.
#pragma once

#include <cstddef>

#include "absl/functional/function_ref.h"
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

// ComputeFunnel's aggregation: the rows split over num_threads (0 = the
// hardware's), each thread's partial merged into one.
absl::StatusOr<FunnelPartial> AggregateFunnel(const Dataset& data, const FunnelConfig& cfg,
                                              int num_threads);

// FinishFunnel for a caller that wants each group's statistics once, as a
// table row, not a FunnelResult's groups: the result holds everything but
// its groups (overall row, issues); begin(n) is called once with the number
// of groups, then row(...) per group in output order with one reused stats
// object (no allocation per group). No compare (an error), no bottlenecks.
absl::StatusOr<FunnelResult> FinishFunnelRows(
    FunnelPartial partial, const FunnelOptions& options,
    absl::FunctionRef<void(std::size_t groups)> begin,
    absl::FunctionRef<void(const SlotKey& key, Day period_start, const FunnelGroupStats& stats)>
        row);

// Bottleneck flags for a finished result (groups, overall and probabilities set).
std::vector<FunnelBottleneck> FindBottlenecks(const FunnelResult& result,
                                              const FunnelOptions& options);

}  // namespace salesight::internal
