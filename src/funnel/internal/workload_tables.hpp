// The two WORKLOADS.md (b) tables, funnel_overall (n_*, conv_*, med_* of the
// overall row) and funnel_group (region_id, month, then the same per group),
// built row by row: from a FunnelResult (ToWorkloadTables) or straight from
// the finisher's groups (ComputeFunnelWorkload), one definition for both.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "salesight/funnel.hpp"
#include "salesight/result_table.hpp"

namespace salesight::internal {

class WorkloadTableBuilder {
 public:
  // group_columns: funnel_group (region_id and month first); `rows`: the
  // rows to come (reserved).
  WorkloadTableBuilder(const std::vector<std::string>& stage_names, bool group_columns,
                       std::size_t rows);
  // One row; region and period_start only for funnel_group.
  void Add(const FunnelGroupStats& stats, Id region = kNoId, Day period_start = kNoDate);
  ResultTable Take() && { return std::move(table_); }

 private:
  ResultTable table_;
  ResultColumn* region_ = nullptr;  // null: funnel_overall
  ResultColumn* month_ = nullptr;
  std::vector<ResultColumn*> n_, conv_, med_;  // per stage; conv_, med_ from stage 1
};

// funnel_overall of a result (any grouping).
ResultTable WorkloadOverallTable(const FunnelResult& result);
// funnel_group needs group_by = {region} and period = month.
absl::Status CheckWorkloadGrouping(const FunnelResult& result);

}  // namespace salesight::internal
