// Sales trends (issue 8 item 3): revenue, margin, orders and collections per
// day, ISO week, month, quarter or year; compared with the previous period,
// the same period last year or the target; period-to-date and year-to-date
// aligned to the same elapsed days. Workload (e) of WORKLOADS.md is
// ComputeTrend with grain kMonth / kIsoWeek, compare kLastYear, measures
// revenue only and emit_empty_periods = false.
//
// Definitions (every choice is an option; defaults stated here):
//
// Lines. A line takes part when its order_date is in [from, to] (both
// inclusive; kNoDate = unbounded). The range filters every figure, the
// comparison bases included (SQL: WHERE order_date BETWEEN from AND to, then
// the period comparison): to compare 2024 with 2023, include 2023 in the
// range. Lines outside are counted in lines_outside_range.
//
// Periods and labels. kDay: the date, label "2019-03-05"; kIsoWeek: ISO 8601
// weeks (Monday first, week 1 holds the year's first Thursday), label
// "2019-W05" with the ISO week-based year (2021-W52 holds 2022-01-01/02);
// kMonth "2019-03"; kQuarter "2019-Q1"; kYear "2019".
//
// Measures per period (and group):
//   revenue      sum of the lines' amount (returns negative).
//   margin       revenue - cost over the lines whose cost is known, the cost
//                resolved exactly as margin.hpp documents (line cost;
//                quantity x unit_cost; quantity x the product's standard cost,
//                else its tier cost, from `products`) - computed through
//                PartialMargin, so the two calculators always agree. Null for
//                a period with no costed line; the whole column is null
//                (TrendResult::has_margin false) when the orders have no cost
//                source (no cost column, no unit_cost + quantity, no Products)
//                or with_margin is false.
//   orders       distinct order ids. An order is counted ONCE per group, in
//                the period of its earliest line date within [from, to]: an
//                order whose lines span two days (even two periods) counts on
//                its first day only, so period counts add up to the number of
//                orders in the range (unlike SQL count(DISTINCT order_id) per
//                period, which would count it in both periods). An order whose
//                lines carry two groups (e.g. two salespeople) counts in each.
//                Null when count_orders is false.
//   collections  when invoices are given: the Payments rows' amounts by
//                payment date, or, without Payments, the invoices' paid
//                amount on paid_date (kNoDate = unpaid). Grouping by region
//                or salesperson uses the invoice's column (an error when the
//                invoices lack it); grouping by channel cannot carry
//                collections (error). Null when no invoices are given.
//   lines        number of order lines (always).
//
// Rows. One row per (group, period). With emit_empty_periods (default) every
// period from the period of `from` (else of the first line) to the period of
// `to` (else of the last line) is emitted for every group that has at least
// one line or collection, zero-filled, so charts have no gaps; without it
// only periods with at least one line or collection in the group (workload
// (e): periods with orders). Rows are ascending by (group, period).
//
// Comparison (compare, on compare_measure, default revenue). The base is
//   kPrevious  the period before (ordinal - 1);
//   kLastYear  kDay: the same calendar date one year earlier, Feb 29 has no
//              base (null); kIsoWeek: (iso_year - 1, same week), week 53 has
//              no base (null), as workload (e) states; kMonth: month - 12;
//              kQuarter: quarter - 4; kYear: year - 1;
//   kTarget    the period's target (revenue only; needs Targets).
// A base period "exists" when it is (or, for a period before the first row,
// would be) a row of this result: without emit_empty_periods when it has a
// line or collection in [from, to] in the group; with it when it lies in the
// emitted period range (so an emitted empty period is a base of 0, and a
// period before the range is missing). A missing base gives a null compare
// value and null growth.
// Growth from the exact integers: difference = cur - base (null only when the
// base is missing), growth = (cur - base) / base as a fraction (workload (e)'s
// yoy), growth_pct = 100 x growth, growth_ratio = cur / base; these three are
// null when the base is missing or 0 - never NaN or infinity. A null current
// value (margin of an uncosted period) gives null growth too.
//
// Targets. Monthly amounts (Targets, yyyymm) are spread to days by calendar
// days: a month's target / its days in month per day; a period's target is the
// sum over its days within [from, to] (a week across a month boundary takes
// each day's share of its own month), computed exactly as a fraction and
// rounded once per period to the nearest minor unit (halves away from zero),
// so month, quarter and year targets are exact sums. Ungrouped trends use the
// sum of all target rows whatever their level; grouped by salesperson (region)
// the targets must have level kSalesperson (kRegion) and are matched by key;
// other combinations are an error. A period without target rows has target 0,
// so its growth against target is null. Null when no Targets are given.
//
// Period-to-date (as_of != kNoDate): for month, quarter and year, the current
// window [period start, as_of] and last year's window of the same number of
// elapsed days starting at last year's period start, capped at that period's
// end. Feb 29 is aligned by elapsed days, not by calendar date: YTD as of
// 2024-03-01 (61 days) compares with 2023-01-01..2023-03-02; MTD as of
// 2024-02-29 (29 days) compares with 2023-02-01..2023-02-28 (capped); YTD as
// of 2025-03-01 (60 days) compares with 2024-01-01..2024-02-29. A window
// reaching outside [from, to] has a null value (its lines were not read).
//
// Groups: group_by, one dimension name of the order lines (a trend per member).
//
// Threads and partitions. Dense arrays indexed by (group, day) over the date
// window: no hashing and no calendar arithmetic per line; days are rolled up
// to periods once at the end. All sums are exact integers (overflow is an
// error naming the group and day), so results are identical for any thread
// count and any partition. The (group x day) window is limited to
// max_cells cells (an error beyond; narrow the date range).
//
// Cost (10^7 sample lines, 1 thread, loaded 2-core machine, CPU time):
// workload (e) (revenue, month + week from one ComputeTrendGrains pass) ~4 ms;
// with_margin adds the margin calculator's pass (~30 ms);
// count_orders adds ~100 ms (16 bytes of state per distinct order, written,
// merged and counted) - turn both off when only revenue is wanted, as
// workload (e) does.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "salesight/calculator.hpp"
#include "salesight/dataset.hpp"
#include "salesight/date.hpp"
#include "salesight/grain.hpp"
#include "salesight/margin.hpp"
#include "salesight/result_table.hpp"
#include "salesight/tables.hpp"

namespace salesight {

enum class TrendCompare : std::uint8_t { kPrevious, kLastYear, kTarget };
enum class TrendMeasure : std::uint8_t { kRevenue, kMargin, kOrders, kCollections };

struct TrendOptions {
  Grain grain = GrainUnit::kMonth;
  TrendCompare compare = TrendCompare::kLastYear;
  TrendMeasure compare_measure = TrendMeasure::kRevenue;
  // One dimension of the order lines by name (salesight/dimension.hpp):
  // region, salesperson, channel, any attribute column, ...; "" = no groups.
  // Collections group by the same name on the invoices; targets match
  // "salesperson" or "region".
  std::string group_by;
  Day from = kNoDate;  // inclusive; kNoDate = unbounded
  Day to = kNoDate;    // inclusive; kNoDate = unbounded
  bool emit_empty_periods = true;
  bool with_margin = true;   // margin when a cost source exists (a second pass)
  bool count_orders = true;  // distinct orders (16 bytes of state per order)
  Day as_of = kNoDate;       // period-to-date windows; kNoDate = none
  ProductCostOrder product_cost_order = ProductCostOrder::kStandardThenTier;
  std::int64_t max_cells = std::int64_t{1} << 24;  // groups x days
  int num_threads = 1;                              // 0 = hardware concurrency
};

// ---------------------------------------------------------------- partial state

// One (group, order) with the earliest line day seen.
struct TrendOrderFirst {
  std::int64_t order = 0;
  Id group = 0;
  Day day = 0;
};

// Mergeable partial state. Cells are dense over [first_day, first_day + days)
// x [0, groups), index group * days + (day - first_day).
struct TrendPartial {
  std::string group_by;  // "" = no groups
  int money_scale = kDefaultMoneyScale;
  Day first_day = 0;
  std::int32_t days = 0;
  std::int32_t groups = 1;
  std::vector<Money> revenue;         // per cell (empty while days == 0)
  std::vector<std::int64_t> lines;    // per cell
  std::vector<Money> collections;     // per cell, or empty = none read
  std::vector<std::int64_t> payments;  // per cell, rows behind collections
  bool has_collections = false;
  bool lines_source = false;  // made from order lines (orders, margin known)
  bool has_orders = false;
  std::vector<TrendOrderFirst> orders;  // ascending by (group, order), unique
  bool has_margin = false;
  MarginPartial margin;  // grouping [group?, day] when has_margin
  std::int64_t lines_outside_range = 0;
  DictionaryPtr group_codes;
};

// Lines [begin, end) of the dataset's order lines (margin costs from its
// products table when it has one).
absl::StatusOr<TrendPartial> PartialTrend(const Dataset& data, std::size_t begin,
                                          std::size_t end, const TrendOptions& options);
// Collections from rows [begin, end) of the dataset's payments (when it has
// them) or else of its invoices (paid / paid_date).
absl::StatusOr<TrendPartial> PartialTrendCollections(const Dataset& data, std::size_t begin,
                                                     std::size_t end, const TrendOptions& options);
// Fails when the groupings or money scales differ, or a sum overflows.
absl::Status MergeTrend(TrendPartial& into, const TrendPartial& from);

// ---------------------------------------------------------------- results

struct TrendMeasures {
  Money revenue = 0;
  std::int64_t lines = 0;
  std::optional<Money> margin;
  std::optional<std::int64_t> orders;
  std::optional<Money> collections;
};

struct TrendGrowth {
  std::optional<std::int64_t> base;        // the compared value
  std::optional<std::int64_t> difference;  // cur - base
  std::optional<double> growth;            // (cur - base) / base
  std::optional<double> growth_pct;        // 100 x growth
  std::optional<double> growth_ratio;      // cur / base
};

struct TrendRow {
  Id group = kNoId;  // kNoId when ungrouped
  std::int32_t period = 0;  // ordinal (see PeriodStart)
  Day period_start = 0, period_end = 0;
  TrendMeasures value;
  std::optional<Money> target;  // when Targets are given
  TrendGrowth growth;
};

enum class TrendToDateKind : std::uint8_t { kMonth, kQuarter, kYear };

struct TrendToDate {
  TrendToDateKind kind = TrendToDateKind::kMonth;
  Id group = kNoId;
  Day begin = 0, end = 0;        // [period start, as_of]
  Day ly_begin = 0, ly_end = 0;  // same elapsed days last year (capped)
  std::optional<TrendMeasures> value;       // null when outside [from, to]
  std::optional<TrendMeasures> last_year;   // null when outside [from, to]
  TrendGrowth growth;                       // of compare_measure
};

struct TrendResult {
  TrendOptions options;
  int money_scale = kDefaultMoneyScale;
  bool has_margin = false, has_orders = false, has_collections = false, has_target = false;
  std::vector<TrendRow> rows;        // ascending by (group, period)
  std::vector<TrendToDate> to_date;  // per group: MTD, QTD, YTD (when as_of given)
  TrendMeasures total;               // over every line in range (margin over costed lines)
  std::int64_t lines_outside_range = 0;
  DictionaryPtr group_codes;
};

absl::StatusOr<TrendResult> FinishTrend(TrendPartial partial, const Targets* targets,
                                        const TrendOptions& options);

// The dataset's order lines (required); when present its products (margin
// costs), invoices + payments (collections) and targets (compare kTarget, the
// target column).
absl::StatusOr<TrendResult> ComputeTrend(const Dataset& data, const TrendOptions& options);

// Several grains from ONE pass over the lines (the partial state does not
// depend on the grain): result i is ComputeTrend with grain = grains[i];
// options.grain is ignored. Workload (e) is {kMonth, kIsoWeek}.
absl::StatusOr<std::vector<TrendResult>> ComputeTrendGrains(const Dataset& data,
                                                            absl::Span<const Grain> grains,
                                                            const TrendOptions& options);

// Periods, labels and "same period last year" are salesight/grain.hpp's
// (PeriodOf, PeriodStart, PeriodEnd, PeriodLabel, SamePeriodLastYear).

// ---------------------------------------------------------------- result tables

// period, [<group>,] revenue, margin, orders, revenue_compare, growth_pct,
// growth_diff, growth_ratio, [target,] [collections,] lines. `revenue_compare`
// holds the base of compare_measure (named <measure>_compare when it is not
// revenue). Money columns are kMoney at the result's scale; group ids print as
// dictionary codes when attached; growth columns of a money measure are kMoney
// (difference) and double.
ResultTable ToResultTable(const TrendResult& result);
// kind (MTD/QTD/YTD), [<group>,] begin, end, ly_begin, ly_end, revenue,
// revenue_ly, margin, margin_ly, orders, orders_ly, [collections,
// collections_ly,] growth_pct, growth_diff, growth_ratio.
ResultTable ToDateResultTable(const TrendResult& result);

// The declared calculator (src/trend/declaration.cpp): outputs table and
// to_date; every field of TrendOptions is a declared option (`salesight trend`
// derives its flags from them).
absl::Span<const OptionDecl<TrendOptions>> TrendOptionDecls();
CalculatorSpec TrendCalculator();
// Its partial state (salesight/aggregator.hpp) over order-line rows;
// collections (invoices, payments) and targets are read at finish from the
// context dataset when it has them.
struct AggregatorSpec;
AggregatorSpec TrendAggregator();

}  // namespace salesight
