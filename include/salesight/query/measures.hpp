// The measures of the query engine (issue 14 item 2), declared once: name,
// the table whose rows it reads, how it aggregates, its unit, the date that
// places it in a period, and its definition in one line citing the
// calculator header it agrees with. The README's measures table is generated
// from this list (QueryMeasuresMarkdown; a unit test fails on drift).
//
// Aggregations:
//   kSum       a sum over the rows (exact: int64 money, counts);
//   kDistinct  an exact count of distinct ids (not additive over groups);
//   kSnapshot  a sum over the rows of a value taken as of the period's last
//              day (or the range's end): additive over dimensions, not over
//              time (receivables outstanding at a date);
//   kRatio     numerator / denominator, each the SUM of component measures
//              summed over the group first - never an average of ratios -
//              times `scale`; a zero denominator gives null.
// Units: money (currency units, int64 minor units until shown), count,
// ratio (a fraction), percent (x 100), days.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "salesight/dataset.hpp"

namespace salesight {

enum class MeasureAggregation : std::uint8_t { kSum, kDistinct, kSnapshot, kRatio };
enum class MeasureUnit : std::uint8_t { kMoney, kCount, kRatio, kPercent, kDays };
// kOne: the plain fraction; kHundred: percent; kDaysInPeriod: x the days of
// the period (or of the range without a grain): DSO.
enum class RatioScale : std::uint8_t { kOne, kHundred, kDaysInPeriod };

std::string_view MeasureAggregationName(MeasureAggregation a);  // "sum", "distinct", ...
std::string_view MeasureUnitName(MeasureUnit u);                // "money", "count", ...

struct QueryMeasure {
  std::string_view name;
  TableKind table = TableKind::kOrders;  // the rows it reads (ratio: its components')
  MeasureAggregation aggregation = MeasureAggregation::kSum;
  MeasureUnit unit = MeasureUnit::kMoney;
  // The date member that places a row in a period when the query's time
  // dimension is not a date of this table (see CheckQuery).
  std::string_view date;
  std::vector<std::string_view> numerator, denominator;  // kRatio: measure names, summed
  RatioScale scale = RatioScale::kOne;
  std::string_view definition;  // one line
  std::string_view source;      // the calculator header whose definition it is
};

// Every measure, in the README's order (orders, pipeline, receivables, targets).
absl::Span<const QueryMeasure> QueryMeasures();
// The measure `name`, or InvalidArgument naming the valid ones with "did you mean".
absl::StatusOr<const QueryMeasure*> FindQueryMeasure(std::string_view name);
// Every table a measure reads: its own and, for a ratio, its components'
// (first seen first).
std::vector<TableKind> MeasureTables(const QueryMeasure& measure);
// The names of every measure, in order.
std::vector<std::string> QueryMeasureNames();

// The README table: | measure | table | aggregation | unit | definition | as in |.
std::string QueryMeasuresMarkdown();

}  // namespace salesight
