// The query engine's private parts (salesight/query/run.hpp is the contract):
// the plan a spec compiles to, the row filter, the per-slot accumulators and
// the finish that turns groups into a ResultTable.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "salesight/dataset.hpp"
#include "salesight/group_keyer.hpp"
#include "salesight/margin.hpp"
#include "salesight/query/check.hpp"
#include "salesight/query/run.hpp"
#include "salesight/query/spec.hpp"

namespace salesight::query_internal {

__extension__ typedef __int128 Int128;

// Rows are filtered and aggregated in blocks of this many.
inline constexpr std::size_t kBlock = 1024;

// ---------------------------------------------------------------- filter
// A compiled row filter: a tree whose leaves are match tables, built once
// per query (per member of a dimension, per day of the orders' dates).
struct RowFilter {
  enum class Kind : std::uint8_t { kAnd, kOr, kMember, kDay };
  Kind kind = Kind::kAnd;
  std::vector<RowFilter> children;  // kAnd / kOr (kAnd of none = every row)
  // kMember: match[code + 1] (index 0 = kNoId) of the column's code per row.
  DimensionColumn column;
  // kDay: match[day - day_lo] of the row's date (the column's range); a
  // column with missing dates (kNoDate: lost_date, paid_date) reads
  // `missing_match` for them.
  const Day* days = nullptr;
  Day day_lo = 0;
  std::vector<std::uint8_t> match;
  bool has_missing = false;
  std::uint8_t missing_match = 0;
};

// mask[k] = 1 when row begin + k passes (n <= kBlock). `scratch` holds
// kBlock bytes per nesting level (the caller's, reused: no allocation).
void EvalRowFilter(const RowFilter& f, std::size_t begin, std::size_t n, std::uint8_t* mask,
                   std::uint8_t* scratch);
// The same over the rows rows[0 .. n) (n <= kBlock).
void EvalRowFilterAt(const RowFilter& f, const std::uint32_t* rows, std::size_t n,
                     std::uint8_t* mask, std::uint8_t* scratch);
// The lines with order_date in [from, to] (kNoDate = unbounded).
RowFilter RangeFilter(const OrderLines& orders, Day from, Day to);
bool RowFilterIsAll(const RowFilter& f);
int RowFilterDepth(const RowFilter& f);

// ---------------------------------------------------------------- plan
// The measures' ids (the order of QueryMeasures()).
enum class MeasureId : std::uint8_t {
  kRevenue, kCost, kCostedRevenue, kMargin, kMarginPct, kQuantity, kLines, kOrders, kCustomers,
  kNewCustomers, kReturningCustomers, kAov, kRevenuePerCustomer, kReturnAmount,
  // pipeline
  kOpportunities, kWon, kLost, kWinRate, kPipelineAmount, kWeightedPipeline,
  // receivables
  kBilled, kCollected, kCollectionRate, kCreditSales, kOutstanding, kOverdue, kDso,
  // targets
  kTarget, kAttainmentPct
};
// Whether the measure is a value as of a day (outstanding, overdue and dso:
// not additive over periods, so a total over several periods is null).
bool IsSnapshot(MeasureId m);

// A grouping dimension of a table other than the orders: its own column and
// the map of its codes into the unified member space of plan.dims (read per
// row, not materialized: a query allocates per member, not per row).
struct TableDim {
  DimensionColumn column;
  std::vector<Id> unified;  // per code of `column`
  // A period dimension with a date member of its own: that date column.
  const Column<Day>* days = nullptr;
  Id Code(std::size_t row) const {
    const Id k = column.Code(row);
    return k == kNoId ? kNoId : unified[static_cast<std::size_t>(k)];
  }
};

// The rows of a table other than the orders that a query reads (tables.cpp):
// its row filter (WHERE) and its grouping dimensions (period ones unused).
struct TablePart {
  TableKind table = TableKind::kPipeline;
  std::size_t rows = 0;
  RowFilter where;
  std::vector<TableDim> dims;  // per plan.dims
};

// A grouping dimension besides the time grain: a text member, or a period
// of order_date (its codes made per query: period - lo).
struct GroupDim {
  std::string name;
  bool is_period = false;
  Grain grain;            // is_period
  std::int32_t lo = 0;    // is_period: the period of code 0
  DimensionColumn column;
  std::shared_ptr<std::vector<Id>> owned_codes;  // is_period, or unified (several tables)
  std::string date_member;  // is_period: "" = each table's time member
};

struct Plan {
  const Dataset* data = nullptr;
  const OrderLines* orders = nullptr;
  int money_scale = kDefaultMoneyScale;
  std::vector<MeasureId> measures;  // in the spec's order
  std::vector<std::string> measure_names;
  bool need_cost = false, need_orders = false, need_customers = false, need_new = false,
       need_returning = false;
  std::optional<Grain> grain;  // time.grain
  QueryCompare compare = QueryCompare::kNone;
  std::string time_column;     // "<time.dimension>.<grain>"
  Day from = kNoDate, to = kNoDate;
  std::vector<GroupDim> dims;  // in the spec's order
  RowFilter where;
  std::vector<const QueryFilter*> having;  // top-level items on measures
  std::optional<MarginLineCosts> costs;
  std::vector<Day> first_purchase;  // per customer id: earliest amount >= 0 line (need_new/ret)
  std::int64_t max_groups = 0;
  // Partials (partial.cpp): with a grain, every order id of a slot's lines
  // (the finish keeps an order in its first period over all partitions).
  bool all_order_ids = false;

  // ---- tables other than the orders (tables.cpp). `orders` is null when
  // the query reads no orders measure.
  bool need_pipeline = false, need_invoices = false, need_targets = false;
  std::vector<TablePart> others;
  // The dates the other tables' rows are placed in periods by: the
  // pipeline's time member; the invoices' due set (billed, collected) and
  // credit sales dates (receivables.hpp's, whatever time.dimension).
  std::string pipeline_date = "created", due_date = "due_date", credit_date = "invoice_date";
  Day as_of = kNoDate;  // invoices: time.range's end, else the latest invoice date
  int won_stage = 0, stages = 0;
};

absl::StatusOr<Plan> BuildPlan(const Dataset& data, const QuerySpec& spec,
                               const QueryPlanInfo& info, const QueryLimits& limits);
// The parts of BuildPlan a partial's finish shares (partial.cpp).
std::optional<MeasureId> MeasureIdOf(std::string_view name);
void SetMeasureNeeds(Plan& plan);  // need_cost, need_orders, ... from plan.measures
void SetPlanTime(const QuerySpec& spec, Plan& plan);
// A top-level filter selects rows (WHERE), groups (all its members are
// measures of the query: HAVING), or mixes both (refused).
enum class FilterSide : std::uint8_t { kRows, kMeasures, kMixed };
FilterSide SideOf(const QuerySpec& spec, const QueryFilter& f);
// The row filter of one top-level filter item (plan.cpp resolves members).
absl::StatusOr<RowFilter> CompileRowFilter(const Dataset& data, const QueryFilter& f,
                                           const std::string& path);

// ---------------------------------------------------------------- select
// The lines the plan's WHERE may select, read from the dataset's indexes
// (salesight/order_index.hpp) instead of a scan: ascending order row ids, a
// superset of the selected lines (Aggregate still runs the filter on each).
// A top-level AND condition drives it: equals/in (any condition) on a
// dimension through its member postings, a condition on order_date or
// time.range through the date order; the one with the fewest lines wins,
// clipped to the rows of the date conditions when the lines are in date
// order. nullopt: scan every line - no condition can drive, `use` is
// kNever, or (kAuto) the driver keeps more than 1/kIndexSelectivity of the
// lines (then a scan is as fast).
inline constexpr std::uint64_t kIndexSelectivity = 16;
struct IndexedRows {
  std::vector<std::uint32_t> rows;
  // Every row passes the WHERE (each condition is the driver's, a date
  // condition the window holds, or keeps every line): not run again.
  bool exact = false;
};
std::optional<IndexedRows> IndexedLines(const Plan& plan, QueryIndexUse use);

// ---------------------------------------------------------------- aggregate
// Exact sums of one slot (a mergeable partial state's cell).
struct OrderSums {
  Money revenue = 0, cost = 0, costed_revenue = 0, returns = 0;
  std::int64_t quantity = 0, lines = 0, cost_unknown_lines = 0;
  Money cost_unknown_revenue = 0;
};
enum Distinct : int { kDistinctOrders, kDistinctCustomers, kDistinctNew, kDistinctReturning,
                      kNumDistinct };

// The ids of one distinct measure per slot: slot s holds ids[begin[s] ..
// begin[s + 1]) (duplicates kept). Ids in [lo, lo + span) when span > 0
// (counted with a stamp array), else any (counted by sorting).
struct IdSets {
  std::vector<std::int64_t> begin;
  std::vector<std::int64_t> ids;
  std::int64_t lo = 0, span = 0;
};

// Exact sums of one slot from the other tables. target_num is the target in
// 1/kTargetDenominator minor units (each day's share of its month, exact).
inline constexpr std::int64_t kTargetDenominator = 377580;  // lcm(28, 29, 30, 31)
struct TableSums {
  std::int64_t opportunities = 0, won = 0, lost = 0;
  Money pipeline_amount = 0;
  Money billed = 0, collected = 0, credit_sales = 0, outstanding = 0, overdue = 0;
  Int128 target_num = 0;
};

// The groups and their values. An ENTRY is a slot (0 .. num_slots - 1) or,
// after them, a total or "(others)" row that Roll appended.
struct Groups {
  std::optional<GroupKeyer> keyer;  // period (time.grain) at part 0, then the dims
  std::vector<OrderSums> sums;      // per entry
  std::array<std::vector<std::int64_t>, kNumDistinct> distinct;  // per entry, when needed
  std::array<IdSets, kNumDistinct> sets;  // slots only
  // The other tables (when the plan reads them): per entry.
  std::vector<TableSums> table_sums;
  std::vector<Money> open_by_stage;   // per entry x plan.stages: open amount at its stage
  std::vector<std::int64_t> open_count_by_stage;  // the same, counts
  std::vector<std::optional<double>> stage_probability;  // company-wide, over the selected rows
  // Per entry: its one period (time.grain), or kMixedPeriods for a total over several.
  std::vector<std::int32_t> entry_period;
};
inline constexpr std::int32_t kMixedPeriods = std::numeric_limits<std::int32_t>::min();

// A slot's target in minor units (its exact sum rounded once).
Money TargetOf(const TableSums& s);
// Adds slot s of `from` (its table sums and open-by-stage cells) into entry
// `into` of g (from may be g); false when a money sum overflows int64.
bool AddTableSlot(const Plan& plan, const Groups& from, std::size_t s, Groups& g,
                  std::size_t into);
// Adds the other tables' rows to `g` (slots keyed by the unified members).
absl::Status AggregateTables(const Plan& plan, const QueryRunOptions& options, Groups& g);
// An empty keyer of the plan's group key (a thread's own).
absl::StatusOr<GroupKeyer> MakeKeyer(const Plan& plan);
// Fills plan.others and unifies plan.dims over the query's tables (BuildPlan).
absl::Status PlanTables(const Dataset& data, const QuerySpec& spec, const QueryPlanInfo& info,
                        Plan& plan);
// The row filter of a top-level filter item over the rows of `table`
// (a date member that table lacks matches every row).
// `as_of` is the query's (time.range's end): the pipeline's stage is as of it.
absl::StatusOr<RowFilter> CompileTableFilter(const Dataset& data, TableKind table,
                                             const QueryFilter& f, const std::string& path,
                                             Day as_of);
// The date column `member` of the rows of `table` (order_date, created,
// lost_date, invoice_date, due_date, paid_date), or null when it lacks it.
const Column<Day>* DayColumn(const Dataset& data, TableKind table, const std::string& member);
// A dimension of the rows of `table` (the targets: their level's key; the
// pipeline's derived "stage": the furthest stage dated <= as_of).
absl::StatusOr<DimensionColumn> QueryDimensionOf(const Dataset& data, TableKind table,
                                                 const std::string& name, Day as_of);

absl::StatusOr<Groups> Aggregate(const Plan& plan, const QueryRunOptions& options);
// Sets a distinct measure's id sets and its per-slot counts.
void SetDistinct(Groups& g, int which, IdSets sets);
// Appends `count` entries: entry first + e sums the slots s with
// entry_of[s] == e (-1: none); distinct counts are over the union of the
// slots' id sets (exact).
absl::Status Roll(const Plan& plan, Groups& g, const std::vector<std::int32_t>& entry_of,
                  std::int32_t count);

// ---------------------------------------------------------------- shape
// A result row: an entry of Groups and its key per key column (the period
// first with time.grain, then the dimensions): the period ordinal or member
// code, or one of these markers.
inline constexpr std::int32_t kAllMember = std::numeric_limits<std::int32_t>::min();  // "(all)"
inline constexpr std::int32_t kOthersMember = kAllMember + 1;                         // "(others)"
struct OutRow {
  std::int32_t entry = 0;
  std::vector<std::int32_t> key;
};
OutRow SlotRow(const Plan& plan, const GroupKeyer& keyer, std::int32_t slot);

// `detail` (the groups that passed the measure filters, in canonical order)
// in the spec's shape: order, top (+ "(others)"), offset and limit, then the
// totals rows. Appends the entries of "(others)" and totals to `g`.
absl::StatusOr<std::vector<OutRow>> ShapeRows(const Plan& plan, const QuerySpec& spec, Groups& g,
                                              const std::vector<std::int32_t>& detail);

// ---------------------------------------------------------------- finish
// The group's value of every measure as the result holds it.
struct MeasureValue {
  bool is_double = false;
  bool null = false;
  std::int64_t i = 0;
  double d = 0;
};
enum class MeasureKind : std::uint8_t { kMoney, kCount, kRatio };
MeasureKind KindOf(MeasureId m);
// "order_date.month=2024-03, Region=East" for messages ("all lines" without keys).
std::string DescribeSlot(const Plan& plan, const GroupKeyer& keyer, std::int32_t slot);
MeasureValue ValueOf(const Plan& plan, const Groups& g, std::int32_t slot, MeasureId m);

// ---------------------------------------------------------------- compare
// The spec whose groups hold the comparison periods of `spec`'s (compare
// previous / last-year): time.range moved back by whole periods, no compare.
QuerySpec ComparisonSpec(const QuerySpec& spec);
// The comparison period of period p (nullopt: none, e.g. ISO week 53 a year back).
std::optional<std::int32_t> ComparedPeriod(QueryCompare compare, Grain grain, std::int32_t p);

// Per measure <m>_previous or <m>_last_year, <m>_change, <m>_change_pct
// (run.hpp) for `rows`, read from `compared` (the comparison's groups).
void AddCompareColumns(const Plan& plan, const Groups& g, const std::vector<OutRow>& rows,
                       const Plan& compared_plan, const Groups& compared, ResultTable& table);

// `compared`: the groups of ComparisonSpec (or the query's own, when they
// cover the same lines); null without compare.
absl::StatusOr<QueryResult> Finish(const Plan& plan, const QuerySpec& spec, Groups groups,
                                   const Plan* compared_plan, const Groups* compared);

}  // namespace salesight::query_internal
