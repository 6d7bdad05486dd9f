// RunQuery: check, plan, aggregate, finish (salesight/query/run.hpp).
#include "salesight/query/run.hpp"

#include <optional>
#include <utility>

#include "salesight/status_macros.hpp"
#include "query/internal/plan.hpp"

namespace salesight {

absl::StatusOr<QueryResult> RunQuery(const Dataset& data, const QuerySpec& spec,
                                     const QueryRunOptions& options) {
  SALESIGHT_ASSIGN_OR_RETURN(QueryPlanInfo info, CheckQuery(data, spec, options.limits));
  SALESIGHT_ASSIGN_OR_RETURN(query_internal::Plan plan,
                             query_internal::BuildPlan(data, spec, info, options.limits));
  SALESIGHT_ASSIGN_OR_RETURN(query_internal::Groups groups, query_internal::Aggregate(plan, options));
  // The comparison periods: from a second aggregation over the range moved
  // back when the range has a start, else the query's own groups hold them.
  std::optional<query_internal::Plan> compared_plan;
  std::optional<query_internal::Groups> compared;
  if (plan.compare != QueryCompare::kNone && plan.compare != QueryCompare::kTarget &&
      spec.time->from != kNoDate) {
    const QuerySpec cs = query_internal::ComparisonSpec(spec);
    SALESIGHT_ASSIGN_OR_RETURN(QueryPlanInfo cinfo, CheckQuery(data, cs, options.limits));
    SALESIGHT_ASSIGN_OR_RETURN(compared_plan,
                               query_internal::BuildPlan(data, cs, cinfo, options.limits));
    SALESIGHT_ASSIGN_OR_RETURN(compared, query_internal::Aggregate(*compared_plan, options));
  }
  SALESIGHT_ASSIGN_OR_RETURN(
      QueryResult result,
      query_internal::Finish(plan, spec, std::move(groups),
                             compared_plan ? &*compared_plan : nullptr,
                             compared ? &*compared : nullptr));
  result.plan = std::move(info);
  return result;
}

}  // namespace salesight
