// Drill-down, drill-through and cross-filter (issue 14 item 4) on a query's
// result.
//
// Hierarchies are declared once (QueryHierarchies): time year > quarter >
// month > week > day (grains of time.dimension); product category > product;
// organisation department > salesperson; geography region > province >
// city; customers tier > customer. A level that the dataset's orders do not
// have as a dimension is skipped ("as far as the columns exist").
//
// DrillDown(data, spec, result, row, level) is the query one level down
// under one row of `result` (the result of RunQuery(data, spec)):
//   * the row's members become filters: each dimension column an equals on
//     its label (a "(all)" column none), the period a time.range
//     intersected with the spec's range (the period's first to last day);
//   * the drilled level: `level` names a dimension of the spec or the time
//     column ("" = the last dimension, else the time column); it is replaced
//     by the next level of its hierarchy that the data has (a dimension), or
//     time.grain becomes the next finer grain (the time column);
//   * top, offset and limit are dropped (they ranked the level above);
//     measures, the other dimensions, filters, order and totals stay.
// Errors (InvalidArgument): a row out of range, a "(others)" row (it is not
// one member), a level that is not a column of the spec or has no level
// below it in the data.
//
// DrillThrough(data, spec, result, row, offset, limit): the order lines
// under one row (its members as above, the spec's row filters and range;
// measure filters do not apply to lines), in row order, paged: the lines
// offset .. offset + limit - 1 of them. Columns: row (0-based in the orders
// table), order_id (the ERP's number or code, as given), order_date,
// customer, product, region, salesperson (when the orders have them: the
// codes the user knows), quantity (when present), amount (money).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "salesight/dataset.hpp"
#include "salesight/query/run.hpp"
#include "salesight/query/spec.hpp"
#include "salesight/result_table.hpp"

namespace salesight {

struct QueryHierarchy {
  std::string_view name;                 // "time", "product", ...
  std::vector<std::string_view> levels;  // coarsest first
};
absl::Span<const QueryHierarchy> QueryHierarchies();

absl::StatusOr<QuerySpec> DrillDown(const Dataset& data, const QuerySpec& spec,
                                    const ResultTable& result, std::size_t row,
                                    std::string_view level = "");

// Cross-filter: the members of rows `rows` of `result` (a result of
// `source`) applied to another query `target`: one more filter on target,
// the OR over the rows of the AND of each row's members (as DrillDown makes
// them). A grand total row selects everything (target unchanged). The
// members must be row members of target's tables (RunQuery checks).
absl::StatusOr<QuerySpec> CrossFilter(const QuerySpec& source, const ResultTable& result,
                                      absl::Span<const std::size_t> rows,
                                      const QuerySpec& target);

// `index`: as QueryRunOptions::index (the same lines either way).
absl::StatusOr<ResultTable> DrillThrough(const Dataset& data, const QuerySpec& spec,
                                         const ResultTable& result, std::size_t row,
                                         std::int64_t offset = 0, std::int64_t limit = 100,
                                         QueryIndexUse index = QueryIndexUse::kAuto);

}  // namespace salesight
