// Running a query spec (issue 14 items 2 and 5): RunQuery checks the spec
// against the Dataset (CheckQuery), compiles it to a plan over the columnar
// tables and returns one ResultTable.
//
// ---------------------------------------------------------------- result shape
// Columns, in this order:
//   1. with time.grain: the period, named "<time.dimension>.<grain>"
//      ("order_date.month"), its label text ("2024-03", grain.hpp's
//      PeriodLabel);
//   2. the dimensions in the spec's order, named as the spec names them: the
//      member's label (text; dictionary-encoded when the column has a
//      dictionary and no missing member), "(none)" for a row without a
//      member (a product without a master row); a period dimension
//      ("order_date.quarter", "quarter") and a date ("order_date": its day)
//      as their labels;
//   3. one column per measure, named as the measure: money -> kMoney (exact
//      int64 minor units at the orders' money scale, else the first other
//      table's); counts -> kInt64;
//      ratios (margin_pct, aov, revenue_per_customer) -> kDouble, null when
//      the denominator is 0 (aov and revenue_per_customer in currency units,
//      margin_pct in percent).
// One row per group with at least one selected line (a query without
// dimensions or grain: one row, or none when no line is selected; an empty
// result is a valid table with every column). Rows are ascending by the
// period, then by each dimension's member in value order (ids are in their
// codes' canonical order, dictionary.hpp; "(none)" first) - never by input
// row order or thread count.
//
// ---------------------------------------------------------------- shape
// order: the rows sorted by the order items (a measure by its value, nulls
// last whether ascending or descending; a dimension or the period by its
// member's value order), ties in the canonical order above.
// top {n, by, others}: ranks the groups by `by` (default: the first
// measure) descending, ties canonical, and keeps n - within each period when
// the query has time.grain and dimensions, else over all groups (the periods
// themselves without dimensions); `order` then sorts the kept rows of each
// period, stably: rows tied under `order` keep the top ranking's order (by
// `by` descending, then canonical), not the canonical order alone. others: after each period's rows one "(others)" row (every
// dimension reads "(others)", the period its own) over the rest - its
// distinct counts exact over the rest's lines, never a sum of counts.
// offset, then limit: applied after order and top.
// totals: rows appended after the (limited) rows, over every group that
// passed the filters (before top, offset and limit): "grand" one row whose
// key columns read "(all)"; "subtotals" a ROLLUP over the key columns (the
// period first, then the dimensions): the subtotals over all key columns but
// the last, then over one fewer, ..., then the grand total; within a level
// ascending by key. A total's distinct counts are over the union of its
// groups' id sets (exact: orders 5, not the sum of per-region counts).
//
// ---------------------------------------------------------------- compare
// time.compare previous / last-year (needs time.grain): after the measure
// columns, per measure <m>_previous or <m>_last_year (the same group - the
// same dimension members - in the previous period, or in
// SamePeriodLastYear), <m>_change (the value minus it; money, count or
// double as the measure) and <m>_change_pct (100 x change / |comparison|,
// null when the comparison is 0 or null). A comparison period without lines
// has money and counts 0, ratios null; a period without a comparison (ISO
// week 53, Feb 29 a year back), a total and an "(others)" row have null.
// The comparison is the value that the same query shows for that period over
// the range moved back by whole periods (a second aggregation when the range
// has a start), so adding compare never changes the query's own columns.
// time.compare target (needs revenue among the measures and the targets
// table): revenue_target (the group's target, as the measure target),
// revenue_change (revenue - target) and revenue_change_pct (100 x change /
// target, null when the target is 0), from the query's own groups; the other
// measures get no comparison columns.
//
// ---------------------------------------------------------------- filters
// The spec's top-level filters are an AND of items. An item whose members
// are all row members (dimensions, order_date) selects lines (SQL WHERE); an
// item whose members are all measures of the query selects groups after
// aggregation (SQL HAVING). One and/or group that mixes both is refused.
// Row filters are evaluated once per member (a table of matches over the
// dimension's codes) or per day of the orders' dates, then looked up per row,
// in blocks. A selective top-level condition (equals/in on a dimension, a
// date condition, time.range) reads the dataset's indexes so that only the
// lines it selects are visited (QueryIndexUse); the result is the same. A text condition compares the member's label as the result
// shows it ("(none)" for a missing member; an integer value stands for the
// decimal label of an id without a dictionary): equals/in match any value,
// notEquals/notIn match every other member ("(none)" included), contains and
// startsWith are bytewise on the label, set matches members that are present
// and not the empty text (an attribute's missing value), notSet the others.
// A date condition compares days (order_date is always set: set matches
// every line, notSet none). A measure condition compares the group's value:
// money in currency units (the value rounded to the money scale), counts and
// ratios as numbers; a null ratio matches only notSet (set: not null).
// time.range [from, to] (inclusive) selects lines by order_date.
//
// ---------------------------------------------------------------- measures
// The orders measures (query/measures.hpp, README): sums are exact int64
// with checked overflow (an error naming the group and the measure); cost,
// costed_revenue, margin and margin_pct use the margin calculator's cost of a
// line (MarginLineCosts: unknown costs left out, never zero). Distinct counts
// are exact:
//   orders: distinct order ids of the group's lines; with time.grain an order
//     counts only in the period of its earliest selected line (in each group
//     of that period holding one of its lines then), so periods add up;
//   customers: distinct customer ids of the group's lines;
//   new_customers / returning_customers: distinct customers with a selected
//     purchase (a line with amount >= 0) in the group whose first purchase
//     ever (over every line of the orders, filters and range ignored) falls in
//     the group's period / in an earlier period; without time.grain the period
//     is the range [from, to] (an unbounded from: every customer is new).
// Partial states (per-slot sums and per-slot id sets) merge exactly, so the
// result is identical for any thread count and any split of the rows.
//
// The pipeline, receivables and targets measures (query/measures.hpp):
//   pipeline (funnel.hpp, cohort mode, as_of = time.range's end, else no
//     cut): an opportunity takes part when its time member (created, or
//     lost_date when that is time.dimension) is in the range; won, lost, open
//     and the company-wide stage-to-won probabilities of weighted_pipeline
//     (over every opportunity the filters and range select) as the funnel's;
//     weighted_pipeline is a double in currency units;
//   receivables (receivables.hpp collection, as_of A = time.range's end,
//     else the latest invoice date): billed and collected over the invoices
//     due in [from, A] placed by their due date (collected: payments dated <=
//     A), credit_sales over the invoices dated in [from, A] placed by their
//     invoice date - whatever time.dimension; outstanding and overdue as of
//     t = each period's last day (capped at A; A without a grain) over the
//     invoices dated <= t; dso = outstanding / credit_sales x the days from
//     the period's (or range's) start to t. A total over several periods of
//     outstanding, overdue or dso is null (values as of a day do not add
//     over time); they cannot group by a period dimension (use time.grain);
//   targets (trend.hpp): each month's target spread over its days (clipped
//     to the range), a group's target the exact sum of its days' shares
//     rounded once (halves away from zero); grouped by the targets' level
//     (salesperson or region) or not at all.
// Several tables: each table's rows are grouped on the query's dimensions,
// the members matched by their labels (one member space per dimension, the
// union of the tables' members in value order), and the groups joined by
// key - a full outer join: a group one table lacks has 0 (money, counts) or
// null (ratios) there. A row filter applies to every table; a condition on a
// date member selects the rows of the tables that have it (the others pass),
// the targets' month only through time.range. A period dimension is placed
// by its date where a table has it, else by the table's own date.
#pragma once

#include <cstdint>

#include "absl/status/statusor.h"
#include "salesight/dataset.hpp"
#include "salesight/query/check.hpp"
#include "salesight/query/spec.hpp"
#include "salesight/result_table.hpp"

namespace salesight {

// Whether the orders' row filter may read the dataset's indexes
// (salesight/order_index.hpp) to visit only the lines it can select: kAuto
// when that is a small part of the lines, kNever always scans, kAlways uses
// an index whenever a filter can (tests force both paths). The result is
// the same either way.
enum class QueryIndexUse : std::uint8_t { kAuto, kNever, kAlways };

struct QueryRunOptions {
  int num_threads = 0;  // 0 = one per hardware thread (fewer for small tables)
  // A thread is started per this many rows at most (small tables stay on one).
  std::int64_t min_rows_per_thread = 1 << 16;
  QueryLimits limits;
  QueryIndexUse index = QueryIndexUse::kAuto;
};

struct QueryResult {
  ResultTable table;
  DataProblems problems;  // empty when none
  QueryPlanInfo plan;     // what CheckQuery resolved
};

absl::StatusOr<QueryResult> RunQuery(const Dataset& data, const QuerySpec& spec,
                                     const QueryRunOptions& options = {});

}  // namespace salesight
