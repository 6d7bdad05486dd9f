// ComputeFunnelWorkload: one WORKLOADS.md (b) table per call (the C ABI's
// WORKLOAD outputs), paying only for the table asked for.
#include <optional>
#include <utility>

#include "internal/funnel_state.hpp"
#include "internal/partial_internal.hpp"
#include "internal/workload_tables.hpp"
#include "salesight/funnel.hpp"
#include "salesight/status_macros.hpp"

namespace salesight {

absl::StatusOr<FunnelWorkloadTable> ComputeFunnelWorkload(const Dataset& data,
                                                          FunnelWorkloadOutput output,
                                                          int num_threads) {
  FunnelOptions options = WorkloadFunnelOptions();
  options.num_threads = num_threads;
  SALESIGHT_ASSIGN_OR_RETURN(internal::FunnelConfig cfg, internal::MakeFunnelConfig(data, options));
  FunnelWorkloadTable out;
  if (output == FunnelWorkloadOutput::kOverall) {
    // The overall row alone, as one group of everything: its counts, gaps
    // and issues are per opportunity in scope and the scope is not widened
    // (no compare), so they are the grouped computation's. The config above
    // still resolved the group key: the same errors as the grouped call.
    options.group_by.clear();
    options.period.reset();
    SALESIGHT_ASSIGN_OR_RETURN(FunnelResult result, ComputeFunnel(data, options));
    out.table = internal::WorkloadOverallTable(result);
    out.problems = FunnelProblems(result);
    return out;
  }
  // The groups straight into the table's columns (no FunnelGroup each).
  SALESIGHT_ASSIGN_OR_RETURN(FunnelPartial partial,
                             internal::AggregateFunnel(data, cfg, num_threads));
  std::optional<internal::WorkloadTableBuilder> table;
  SALESIGHT_ASSIGN_OR_RETURN(
      FunnelResult result,
      internal::FinishFunnelRows(
          std::move(partial), options,
          [&](std::size_t groups) { table.emplace(cfg.stage_names, true, groups); },
          [&](const internal::SlotKey& key, Day period_start, const FunnelGroupStats& stats) {
            table->Add(stats, key.keys[0], period_start);
          }));
  out.table = std::move(*table).Take();
  out.problems = FunnelProblems(result);
  return out;
}

}  // namespace salesight
