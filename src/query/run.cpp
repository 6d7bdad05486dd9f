// RunQuery: check, plan, aggregate, finish (salesight/query/run.hpp).
#include "salesight/query/run.hpp"

#include <utility>

#include "core/status_macros.hpp"
#include "query/internal/plan.hpp"

namespace salesight {

absl::StatusOr<QueryResult> RunQuery(const Dataset& data, const QuerySpec& spec,
                                     const QueryRunOptions& options) {
  SALESIGHT_ASSIGN_OR_RETURN(QueryPlanInfo info, CheckQuery(data, spec, options.limits));
  SALESIGHT_ASSIGN_OR_RETURN(query_internal::Plan plan,
                             query_internal::BuildPlan(data, spec, info, options.limits));
  SALESIGHT_ASSIGN_OR_RETURN(query_internal::Groups groups, query_internal::Aggregate(plan, options));
  SALESIGHT_ASSIGN_OR_RETURN(QueryResult result,
                             query_internal::Finish(plan, spec, std::move(groups)));
  result.plan = std::move(info);
  return result;
}

}  // namespace salesight
