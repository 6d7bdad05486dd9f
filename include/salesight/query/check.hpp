// A query spec checked against a Dataset (issue 14 items 1 and 3), before
// anything is computed: every name means something for these tables, every
// filter fits its member's type, and the result cannot exceed the group cap.
//
// Names. A measure is one of QueryMeasures(); the tables it reads
// (MeasureTables) must be in the dataset. The query's tables are those of its
// measures. A member (a dimension, a filter's member, an order item) is, in
// this order:
//   * a bare grain name ("month", "fiscal_year:4"): the period of each
//     table's time member (below), as margin.hpp's grain dimensions;
//   * "<date member>.<grain>" ("order_date.quarter"): that date's period;
//   * a date member of a query table: order_date (orders); created,
//     lost_date (pipeline); invoice_date, due_date, paid_date (invoices);
//     month (targets). As a dimension it is its day;
//   * a dimension of the rows (salesight/dimension.hpp: fields, attributes,
//     related master fields), resolved through Dataset::Dimension on EVERY
//     query table (the targets table offers its level's key, salesperson or
//     region) - a dimension that one measure's table lacks is an error naming
//     both measures and tables;
//   * in filters and order items also a measure of the query (a filter on it
//     applies to the group's value, as SQL's HAVING); a period is not a
//     filter member (filter its date). An order item names a result column:
//     a measure, a dimension, or the time period "<time.dimension>.<grain>".
// The time member of a table is time.dimension when it is a date member of
// that table, else the date of the table's first measure (QueryMeasure::date),
// so "revenue and billed by month" places billed by its due date.
// time.dimension must be a date member of at least one query table.
//
// Types. A text member (a dimension) takes equals, notEquals, in, notIn,
// contains, startsWith, set, notSet, with string values (an integer stands
// for the label of an id without a dictionary); a date member takes equals,
// notEquals, in, notIn, gt, gte, lt, lte, between, set, notSet with
// "YYYY-MM-DD" values; a measure takes the same ops as a date with number
// values. between's low must not exceed its high. compare needs a grain;
// compare "target" needs the targets table. top needs a dimension or a
// grain and ranks by a measure of the query; totals "subtotals" needs a
// dimension. Measures and dimensions appear once each.
//
// Groups. The estimate is the product of the dimensions' cardinalities
// (members, "(none)" included; a top-level equals/in filter on the dimension
// caps it at its number of values; across tables the largest) x the periods
// of every grain (the periods between the range's ends, clipped to the
// data's dates). Over QueryLimits::max_groups the query is refused, naming
// each factor. An upper bound, computed from the tables' recorded statistics
// (and one pass over a date column the tables do not summarize): no group is
// built. A query over empty tables or with no possible row is valid.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "salesight/dataset.hpp"
#include "salesight/grain.hpp"
#include "salesight/query/measures.hpp"
#include "salesight/query/spec.hpp"

namespace salesight {

struct QueryPlanDimension {
  std::string name;    // as the spec names it
  bool is_period = false;
  Grain grain;              // is_period
  std::string date_member;  // is_period: "order_date"; "" = each table's time member
  std::int64_t cardinality = 0;  // members or periods, as estimated
};

struct QueryPlanTable {
  TableKind table = TableKind::kOrders;
  std::string time_member;  // the date that places its rows in periods
};

struct QueryPlanInfo {
  std::vector<const QueryMeasure*> measures;  // in the spec's order
  std::vector<QueryPlanTable> tables;         // first read first
  std::vector<QueryPlanDimension> dimensions;
  std::int64_t periods = 1;           // of time.grain (1 without one)
  std::int64_t estimated_groups = 0;  // the product (saturates at int64 max)
};

absl::StatusOr<QueryPlanInfo> CheckQuery(const Dataset& data, const QuerySpec& spec,
                                         const QueryLimits& limits = {});

}  // namespace salesight
