// The query spec (issue 14 item 1): a versioned JSON document that asks any
// question of a Dataset - measures by dimensions, filtered, over a time range
// at a grain, compared, ordered, cut to the top N and totalled. Its shape
// follows Cube's query format:
//
//   {"version": 1,
//    "measures": ["revenue", "margin_pct"],
//    "dimensions": ["region", "Category", "order_date.quarter"],
//    "time": {"dimension": "order_date", "grain": "month",
//             "range": ["2024-01-01", "2024-12-31"], "compare": "last-year"},
//    "filters": [{"member": "Category", "op": "equals", "values": ["Furniture"]},
//                {"or": [{"member": "revenue", "op": "gt", "values": [1000]},
//                        {"member": "region", "op": "notSet"}]}],
//    "order": [{"member": "revenue", "desc": true}],
//    "limit": 100, "offset": 0,
//    "top": {"n": 10, "by": "revenue", "others": true},
//    "totals": "subtotals"}
//
// Every key but "measures" is optional; "version" defaults to 1 (the only
// version). The top-level "filters" array is an AND of its items; an item is
// a condition {member, op, values} or a group {"and": [...]} / {"or": [...]}.
// Ops and their values (Cube's): equals, notEquals, in, notIn, contains,
// startsWith: one or more values (several values match any of them);
// gt, gte, lt, lte: exactly one; between: exactly two (both inclusive);
// set, notSet: none ("values" absent or empty). A value is a JSON string or
// number (dates are "YYYY-MM-DD" strings). "range" is [from, to], both
// inclusive, either may be null (unbounded). "desc" defaults to false,
// "others" to false, "totals" to "none"; "top.by" defaults to the first
// measure (kept empty here). What the names mean - which measures exist,
// whether a member is a text, date or number - is checked against a Dataset
// by CheckQuery (salesight/query/check.hpp); ParseQuerySpec checks the shape.
//
// A spec is untrusted input (it may come from a web front end): its size, its
// nesting and the number of its measures, dimensions, filters, values and
// order items are bounded (QueryLimits), the nesting during parsing (no deep
// tree is ever built). Every error is an InvalidArgument naming the JSON path
// ("filters[2].values[0]"), the key, op, grain or compare it did not know with
// the valid names and a "did you mean", or the limit exceeded. No exception
// leaves ParseQuerySpec.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "absl/status/statusor.h"
#include "salesight/date.hpp"
#include "salesight/grain.hpp"

namespace salesight {

inline constexpr std::int64_t kQuerySpecVersion = 1;

struct QueryLimits {
  std::size_t max_bytes = std::size_t{1} << 20;  // the spec's JSON text
  int max_depth = 32;                  // nested JSON arrays/objects, the top object = 1
  std::size_t max_measures = 64;
  std::size_t max_dimensions = 16;
  std::size_t max_filters = 1024;      // conditions + and/or groups, all levels together
  std::size_t max_values = 100000;     // filter values, all filters together
  std::size_t max_order = 32;
  // CheckQuery: the estimated number of result groups (product of the
  // dimensions' cardinalities x periods) a query may make.
  std::int64_t max_groups = 10'000'000;
};

enum class FilterOp : std::uint8_t {
  kEquals, kNotEquals, kIn, kNotIn, kGt, kGte, kLt, kLte, kBetween, kContains, kStartsWith,
  kSet, kNotSet
};
inline constexpr int kNumFilterOps = 13;
std::string_view FilterOpName(FilterOp op);  // "equals", "notEquals", ...

// The comparison of a time series: none, the previous period, the same
// period a year earlier, or the target (salesight/trend.hpp's TrendCompare).
enum class QueryCompare : std::uint8_t { kNone, kPrevious, kLastYear, kTarget };
std::string_view QueryCompareName(QueryCompare compare);  // "none", "previous", "last-year", "target"

// none; grand: one total row; subtotals: a rollup per dimension level.
enum class QueryTotals : std::uint8_t { kNone, kGrand, kSubtotals };
std::string_view QueryTotalsName(QueryTotals totals);  // "none", "grand", "subtotals"

// A filter value as the JSON gave it: text, an integer or a fractional number.
using QueryValue = std::variant<std::string, std::int64_t, double>;

struct QueryFilter {
  enum class Kind : std::uint8_t { kCondition, kAnd, kOr };
  Kind kind = Kind::kCondition;
  // kCondition
  std::string member;
  FilterOp op = FilterOp::kEquals;
  std::vector<QueryValue> values;
  // kAnd / kOr
  std::vector<QueryFilter> children;

  friend bool operator==(const QueryFilter&, const QueryFilter&) = default;
};

struct QueryTime {
  std::string dimension;       // a date member: order_date, invoice_date, created, ...
  std::optional<Grain> grain;  // nullopt: the range only, no period rows
  Day from = kNoDate, to = kNoDate;  // both inclusive; kNoDate = unbounded
  QueryCompare compare = QueryCompare::kNone;

  friend bool operator==(const QueryTime&, const QueryTime&) = default;
};

struct QueryOrder {
  std::string member;  // a measure or dimension of the query
  bool desc = false;

  friend bool operator==(const QueryOrder&, const QueryOrder&) = default;
};

struct QueryTop {
  std::int64_t n = 10;  // >= 1
  std::string by;       // a measure of the query; "" = the first measure
  bool others = false;  // one more row "(others)" with the rest

  friend bool operator==(const QueryTop&, const QueryTop&) = default;
};

struct QuerySpec {
  std::int64_t version = kQuerySpecVersion;
  std::vector<std::string> measures;
  std::vector<std::string> dimensions;
  std::optional<QueryTime> time;
  std::vector<QueryFilter> filters;  // AND of the items
  std::vector<QueryOrder> order;
  std::optional<std::int64_t> limit;  // >= 0
  std::int64_t offset = 0;            // >= 0
  std::optional<QueryTop> top;
  QueryTotals totals = QueryTotals::kNone;

  friend bool operator==(const QuerySpec&, const QuerySpec&) = default;
};

// The spec in `json`, or an InvalidArgument saying what and where (file
// comment). Never throws.
absl::StatusOr<QuerySpec> ParseQuerySpec(std::string_view json, const QueryLimits& limits = {});

// The canonical JSON of a spec: keys in the order of the file comment's
// example, defaults left out (but "version" and "measures"), compact.
// ParseQuerySpec(QuerySpecJson(s)) == s for every spec ParseQuerySpec returns
// (numbers round-trip exactly).
std::string QuerySpecJson(const QuerySpec& spec);

// A grain as a spec names it: ParseGrain's names ("month", "week",
// "fiscal_year:4"), an unknown one an error with "did you mean" and the valid
// names; and its canonical text (fiscal_year:M with M != 1 keeps its month).
absl::StatusOr<Grain> ParseQueryGrain(std::string_view name);
std::string QueryGrainText(Grain grain);

// What ParseQuerySpec checks of the parsed structure, for a spec built in C++
// (CheckQuery calls it), with the same messages: the limits on measures,
// dimensions, order items, filters (conditions + and/or groups, all levels),
// values and the filters' nesting (a condition at the top is at JSON depth 3,
// each and/or adds 2, its values array 1); each op's number of values; the
// version; limit, offset >= 0; top.n >= 1; from <= to; enums and the fiscal
// start month in range.
absl::Status CheckQuerySpecShape(const QuerySpec& spec, const QueryLimits& limits);

}  // namespace salesight
