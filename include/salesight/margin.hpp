// Product and profitability analysis (issue 5): margins by any grouping,
// rankings, slow movers, ABC classes and the growth/share quadrant. The quote
// check (deal desk) lives in quote_check.hpp.
//
// Definitions (every choice below is an option with the default stated here;
// the README's definitions table repeats them):
//
// Lines. A line takes part when its order_date is in [from, to] (both
// inclusive; kNoDate = unbounded). quantity is the line's signed quantity
// (negative on returns); revenue is the line's net `amount` (negative on
// returns).
//
// Cost of a line, first available source wins:
//   1. the line's `cost` column (kLineCost), when OrderLines has one;
//   2. else quantity x `unit_cost` (kUnitCost), when OrderLines has one;
//   3. else, with a Products table and a product + quantity column, per line:
//      quantity x the product's standard cost (kStandardCost), else
//      quantity x the unit cost of its cost tier (kTierCost: the tier with the
//      largest min_quantity <= |quantity|). `product_cost_order` swaps 3's two
//      steps (tier first) - ERPs differ; the default follows the issue.
//   4. else the cost is UNKNOWN (kUnknownCost). Columns cannot hold a "missing"
//      money value, so 1 and 2 apply to the whole table; 3 is decided per line
//      (a product without a standard cost and without a fitting tier, or absent
//      from Products, is unknown).
// Unknown cost is never a silent zero. With UnknownCostPolicy::kExclude
// (default) such a line counts in `lines`, `quantity` and `revenue`, and is
// reported in `cost_unknown_lines` / `cost_unknown_revenue`; it is left out of
// `cost`, `margin` and `margin_pct`, which cover only the "costed" lines:
//   margin     = (revenue - cost_unknown_revenue) - cost
//   margin_pct = 100 * margin / (revenue - cost_unknown_revenue)   (percent)
// With kError the first such line is an error naming its row and product.
// Returns (negative quantity) get a negative cost, so margin nets them out.
// Products' money is rescaled to the orders' scale exactly (an error if a cost
// has more decimals than the orders' scale keeps).
// To analyse an export that carries a margin column instead of cost, build
// the cost column with CostFromMargin (cost = amount - margin) first.
//
// Money is int64 minor units at the orders' scale, summed exactly; a sum that
// would leave int64 is an error naming the group and the sum (quantities are
// int64 sums of int32 values and cannot overflow below 2^32 lines).
//
// Shares (fractions, not percent):
//   revenue_share = revenue / total revenue;
//   margin_share  = margin / |total margin| (MarginShareSign::kSignOfGroup,
//     default): a share has the sign of its group's margin whatever the sign of
//     the total, so with a negative total margin the shares sum to -1; with
//     kPlainRatio it is margin / total margin (shares always sum to +1, a
//     profitable group gets a negative share when the total is a loss).
// Ratios are doubles computed once from the exact integer sums; a zero
// denominator gives std::nullopt (null), never NaN or infinity.
//
// Groups. A grouping is a list of dimension NAMES (each at most once, in the
// order given, at most kMaxMarginKeys); the result has one row per
// combination that has >= 1 line, ascending by the key tuple (first dimension
// most significant). A name resolves, first match wins, to
//   order: the order_id value;
//   category: the product's category id from Products, -1 when unknown (the
//     product is not in Products or Products has no category) - sorts first;
//   a grain name (salesight/grain.hpp: day, week, month, quarter, year,
//     fiscal_year[:M]; at most one): the period of order_date, as its calendar
//     number (PeriodNumber): kDay the Day; kIsoWeek iso_year * 100 + week;
//     kMonth yyyymm; kQuarter year * 10 + quarter; kYear the year;
//     kFiscalYear its starting year;
//   any other name: a dimension of the order lines (salesight/dimension.hpp)
//     - the fields product, customer, region, salesperson, channel,
//     department, an attribute column ("Sub-Category"), or through the
//     dataset's products / customers table their fields and attributes. The
//     key is the member's id (dictionary code); a line whose product or
//     customer has no master row has the key -1 (the member "(none)"), which
//     sorts first.
// Keys are dense integers computed from the ids (mixed radix over the
// dimensions' cardinalities: dictionary size, else max id + 1; for periods the
// periods between the orders' first and last date; for orders the id range or
// the distinct ids) and accumulated in a flat array, no hashing, when that key
// space is at most `max_dense_groups` and also at most max(65536, 4 x the rows
// aggregated); larger key spaces (e.g. order x product) use a hash map. Both
// give identical results.
//
// Threads and partitions. ComputeMargin splits the rows into num_threads
// contiguous ranges (0 = hardware concurrency), aggregates each into a
// MarginPartial and merges them. Partials hold natural key values (not table
// specific codes), so partials of different OrderLines tables sharing the same
// dictionaries merge too. All sums are exact integers, so the result is
// identical for any thread count and any partition. (Only an overflow error,
// which needs running sums near 9.2e18, can depend on where rows are cut, as
// a running sum may leave int64 in one order of addition and not another.)
//
// Rankings (RankMargin): top/bottom N groups by revenue, quantity, margin or
// margin %; ties always by the key tuple ascending (smaller id first) for top
// and bottom alike; ranks are 1..N (row numbers, no shared ranks); groups with
// a null margin % are left out of a margin % ranking.
//
// Slow movers (FindSlowMovers): see SlowMoverOptions.
// ABC (ClassifyAbc): see AbcOptions. Quadrant (ComputeQuadrant): see
// QuadrantOptions.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "salesight/calculator.hpp"
#include "salesight/column.hpp"
#include "salesight/dataset.hpp"
#include "salesight/date.hpp"
#include "salesight/grain.hpp"
#include "salesight/dictionary.hpp"
#include "salesight/money.hpp"
#include "salesight/options.hpp"
#include "salesight/result_table.hpp"
#include "salesight/tables.hpp"

namespace salesight {

// ---------------------------------------------------------------- options

inline constexpr int kMaxMarginKeys = 9;

struct MarginGrouping;
// "product,month", "Sub-Category, fiscal_year:4", "" (a grand total):
// comma-separated dimension names (see "Groups"; spaces around a name are
// dropped), each at most once, at most one period grain, in the order given.
// Names are checked against the data when the margin is computed. The CLI's
// --by and the C ABI's group_by.
absl::StatusOr<MarginGrouping> ParseMarginGrouping(std::string_view spec);

struct MarginGrouping {
  // Dimension names (see "Groups" above); empty = a single grand-total row.
  std::vector<std::string> dimensions = {"product"};
};

// OK when every name of the grouping means something for the dataset's order
// lines; else an error naming the valid names and the closest one (what
// ComputeMargin says after "margin option 'group_by': "). A surface checks
// its users' names with it before computing.
absl::Status CheckMarginGrouping(const Dataset& data, const MarginGrouping& grouping);

enum class CostSource : std::uint8_t {
  kLineCost,
  kUnitCost,
  kStandardCost,
  kTierCost,
  kUnknownCost,
};
inline constexpr int kNumCostSources = 5;

enum class ProductCostOrder : std::uint8_t {
  kStandardThenTier,  // standard cost, else the quantity tier (MarginOptions default)
  kTierThenStandard,  // the quantity tier, else standard cost (QuoteIndexOptions default)
};

enum class UnknownCostPolicy : std::uint8_t {
  kExclude,  // count and report the line; leave it out of cost/margin (default)
  kError,    // fail naming the first such line
};

enum class MarginShareSign : std::uint8_t {
  kSignOfGroup,  // margin / |total margin| (default)
  kPlainRatio,   // margin / total margin
};

struct MarginOptions {
  MarginGrouping group_by;
  Day from = kNoDate;  // inclusive lower bound on order_date; kNoDate = none
  Day to = kNoDate;    // inclusive upper bound on order_date; kNoDate = none
  ProductCostOrder product_cost_order = ProductCostOrder::kStandardThenTier;
  UnknownCostPolicy unknown_cost = UnknownCostPolicy::kExclude;
  MarginShareSign margin_share_sign = MarginShareSign::kSignOfGroup;
  // Flat-array accumulation up to this many possible keys (per thread; 48
  // bytes each); see "Groups" above.
  std::int64_t max_dense_groups = std::int64_t{1} << 20;
  int num_threads = 1;  // 0 = hardware concurrency
};

// ---------------------------------------------------------------- results

// Exact integer sums of one group (also the mergeable partial state's cells).
struct MarginSums {
  std::int64_t lines = 0;
  std::int64_t quantity = 0;  // 0 when the orders have no quantity column
  Money revenue = 0;
  Money cost = 0;  // over lines with a known cost
  std::int64_t cost_unknown_lines = 0;
  Money cost_unknown_revenue = 0;
};

struct MarginFigures {
  std::int64_t lines = 0;
  std::int64_t quantity = 0;
  Money revenue = 0;
  Money cost = 0;
  Money margin = 0;  // (revenue - cost_unknown_revenue) - cost
  std::int64_t cost_unknown_lines = 0;
  Money cost_unknown_revenue = 0;
  std::optional<double> margin_pct;     // percent; null when costed revenue is 0
  std::optional<double> revenue_share;  // fraction; null when total revenue is 0
  std::optional<double> margin_share;   // fraction; null when total margin is 0
};

struct MarginGroup {
  // key[d] is the value of grouping.dimensions[d] (see "Groups" above);
  // entries past the grouping's size are 0.
  std::array<std::int64_t, kMaxMarginKeys> key{};
  MarginFigures figures;
};

struct MarginResult {
  MarginGrouping grouping;
  int money_scale = kDefaultMoneyScale;
  bool has_quantity = false;        // the orders had a quantity column
  std::vector<MarginGroup> groups;  // ascending by key
  MarginFigures total;              // over every line in the date range
  std::int64_t lines_outside_range = 0;
  // Lines per cost source (indexed by CostSource), over the lines in range.
  std::array<std::int64_t, kNumCostSources> lines_by_cost_source{};
  // Dictionary of each grouping dimension (null when none is attached or the
  // dimension has none: order, period); used to print codes.
  std::array<DictionaryPtr, kMaxMarginKeys> dictionaries{};
};

// ---------------------------------------------------------------- margin

// Mergeable partial state: groups in ascending key order with exact sums.
struct MarginPartial {
  MarginGrouping grouping;
  int money_scale = kDefaultMoneyScale;
  bool has_quantity = false;
  std::vector<std::int64_t> keys;  // groups x grouping.dimensions.size(), row-major
  std::vector<MarginSums> sums;    // one per group
  std::int64_t lines_outside_range = 0;
  std::array<std::int64_t, kNumCostSources> lines_by_cost_source{};
  std::array<DictionaryPtr, kMaxMarginKeys> dictionaries{};
};

// Rows [begin, end) of the dataset's order lines; costs and categories come
// from its products table when it has one.
absl::StatusOr<MarginPartial> PartialMargin(const Dataset& data, std::size_t begin,
                                            std::size_t end, const MarginOptions& options);
// `products` may be null (no standard costs, tiers or categories); a dataset
// of the two tables (Dataset::Build: one id coding, one row per product).
absl::StatusOr<MarginPartial> PartialMargin(const OrderLines& orders, const Products* products,
                                            std::size_t begin, std::size_t end,
                                            const MarginOptions& options);
// Fails when the partials' groupings or money scales differ, or a sum overflows.
absl::Status MergeMargin(MarginPartial& into, const MarginPartial& from);
absl::StatusOr<MarginResult> FinishMargin(MarginPartial partial, const MarginOptions& options);

// The dataset's order lines, grouped by any of their dimensions.
absl::StatusOr<MarginResult> ComputeMargin(const Dataset& data, const MarginOptions& options);
absl::StatusOr<MarginResult> ComputeMargin(const OrderLines& orders, const Products* products,
                                           const MarginOptions& options);

// Several groupings in ONE pass over the lines (SQL GROUPING SETS): result i
// is ComputeMargin with group_by = groupings[i]; options.group_by is ignored.
absl::StatusOr<std::vector<MarginResult>> ComputeMarginSets(
    const Dataset& data, absl::Span<const MarginGrouping> groupings,
    const MarginOptions& options);
absl::StatusOr<std::vector<MarginResult>> ComputeMarginSets(
    const OrderLines& orders, const Products* products,
    absl::Span<const MarginGrouping> groupings, const MarginOptions& options);

// cost = amount - margin per row (for exports that carry profit instead of
// cost); errors name the row when the lengths differ or a value leaves the
// money range.
absl::StatusOr<Column<Money>> CostFromMargin(absl::Span<const Money> amount,
                                             absl::Span<const Money> margin);

// Per-line cost exactly as ComputeMargin resolves it ("Cost of a line"
// above), for engines that aggregate lines themselves (the query engine's
// cost/margin measures), so the cost rules are written once, here.
namespace margin_internal { class ProductCosts; }
class MarginLineCosts {
 public:
  // Decides the cost source of the dataset's order lines once (the products'
  // costs rescaled to the orders' scale: an error as ComputeMargin's).
  static absl::StatusOr<MarginLineCosts> Make(const Dataset& data,
                                              ProductCostOrder order =
                                                  ProductCostOrder::kStandardThenTier);
  // cost[k] and known[k] (1 = a known cost, else cost 0) of order row
  // begin + k; OutOfRange naming the row when quantity x unit cost overflows.
  absl::Status Costs(std::size_t begin, std::size_t end, Money* cost, std::uint8_t* known) const;

 private:
  const OrderLines* orders_ = nullptr;
  int mode_ = 0;  // margin_internal::CostMode
  std::shared_ptr<const margin_internal::ProductCosts> product_costs_;
};

// ---------------------------------------------------------------- rankings

enum class MarginMetric : std::uint8_t { kRevenue, kQuantity, kMargin, kMarginPct };
enum class MarginRankOrder : std::uint8_t { kTop, kBottom };

struct MarginRankOptions {
  MarginMetric metric = MarginMetric::kMargin;
  MarginRankOrder order = MarginRankOrder::kTop;
  std::size_t n = 10;  // at most this many entries
};

struct MarginRankEntry {
  std::int64_t rank = 0;  // 1-based
  std::size_t row = 0;    // index into MarginResult::groups
};

struct MarginRanking {
  MarginRankOptions options;
  std::vector<MarginRankEntry> entries;
};

// Fails for kQuantity when the orders had no quantity column.
absl::StatusOr<MarginRanking> RankMargin(const MarginResult& result,
                                         const MarginRankOptions& options);

// ---------------------------------------------------------------- slow movers

// A "sale" is a line with quantity > 0 (amount > 0 when there is no quantity
// column) dated on or before as_of; lines after as_of are ignored. A product
// is a slow mover when
//   * no_sale_days > 0 and it had no sale in (as_of - no_sale_days, as_of]
//     (its last sale is on or before as_of - no_sale_days, or it never sold), or
//   * bottom_quantity_pct > 0 and it is among the ceil(pct/100 x P) products
//     with the smallest net quantity over (as_of - quantity_window_days, as_of]
//     (ties: smaller product id first), P = the candidate products.
// Candidates: products with at least one line on or before as_of, plus, when
// include_unsold_catalog and a Products table is given, every product listed
// there (never sold: last_sale = kNoDate).
struct SlowMoverOptions {
  Day as_of = kNoDate;  // kNoDate = the orders' last date
  std::int32_t no_sale_days = 90;
  double bottom_quantity_pct = 0.0;  // 0 disables; (0, 100]
  std::int32_t quantity_window_days = 365;
  bool include_unsold_catalog = true;
  int num_threads = 1;
};

struct SlowMover {
  Id product = kNoId;
  Day last_sale = kNoDate;                      // kNoDate = never sold by as_of
  std::optional<std::int32_t> days_since_sale;  // as_of - last_sale
  std::int64_t window_quantity = 0;             // net, over the quantity window
  Money window_revenue = 0;                     // net, over the quantity window
  bool no_recent_sale = false;
  bool bottom_quantity = false;
};

struct SlowMoverResult {
  Day as_of = kNoDate;
  int money_scale = kDefaultMoneyScale;
  std::int64_t candidates = 0;
  std::vector<SlowMover> products;  // slow movers only, ascending by product id
  DictionaryPtr product_codes;
};

absl::StatusOr<SlowMoverResult> FindSlowMovers(const OrderLines& orders,
                                               const Products* products,
                                               const SlowMoverOptions& options);

// ---------------------------------------------------------------- ABC

// Items = the groups of a MarginResult (normally grouped by product or by
// customer). Items are ranked by the metric descending, ties by key ascending.
// total = the sum of the positive values; share = value / total;
// cumulative_share = (exact integer prefix sum of the positive values) /
// total, so it is exactly 1.0 at the last positive item.
//   kLowerClass (default): an item is A when its cumulative share <= a_limit,
//     else B when <= b_limit, else C: the item that crosses a boundary falls
//     into the LOWER class (A holds exactly the items "up to 80%").
//   kUpperClass: an item is A when the cumulative share BEFORE it is < a_limit
//     (the crossing item is still A), likewise B.
// Limits are compared exactly (as parts per million against integer sums).
// Zero-valued items rank after the positive ones, are C, share 0 and
// cumulative share 1. Negative items (loss makers by margin, net returns by
// revenue) are ranked last (most negative last), have a negative share, no
// cumulative share (null), and get class N - or C when negative_as_c. With no
// positive item (total 0) every share and cumulative share is null.
enum class AbcMetric : std::uint8_t { kRevenue, kMargin };
enum class AbcBoundary : std::uint8_t { kLowerClass, kUpperClass };
enum class AbcClass : std::uint8_t { kA, kB, kC, kN };

struct AbcOptions {
  AbcMetric metric = AbcMetric::kRevenue;
  double a_limit = 0.80;  // cumulative fraction, 0 < a_limit <= b_limit <= 1
  double b_limit = 0.95;
  AbcBoundary crossing_item = AbcBoundary::kLowerClass;
  bool negative_as_c = false;
};

struct AbcEntry {
  std::size_t row = 0;    // index into MarginResult::groups
  std::int64_t rank = 0;  // 1-based
  Money value = 0;        // the metric
  std::optional<double> share;
  std::optional<double> cumulative_share;
  AbcClass abc = AbcClass::kC;
};

struct AbcClassSummary {
  std::int64_t items = 0;
  Money value = 0;
};

struct AbcResult {
  AbcOptions options;
  Money positive_total = 0;
  std::vector<AbcEntry> entries;       // in rank order
  std::vector<AbcClass> class_of_row;  // indexed like MarginResult::groups
  std::array<AbcClassSummary, 4> summary{};  // indexed by AbcClass
};

absl::StatusOr<AbcResult> ClassifyAbc(const MarginResult& result, const AbcOptions& options);

// ---------------------------------------------------------------- quadrant

// Per product (or per category): revenue in the period [period_begin,
// period_end] and in the same period last year (both bounds shifted back one
// calendar year; Feb 29 -> Feb 28).
//   growth = (revenue - revenue_prior) / revenue_prior;
//   relative_share = revenue / the leader's revenue, the leader being the
//     item with the largest period revenue in the same category (kProduct) or
//     over all categories (kCategory); null when the leader's revenue <= 0;
//   share_metric kMarginPct puts the period's margin % on that axis instead.
// Items with revenue_prior <= 0 (nothing sold last year, or only returns) are
// kNew, not a quadrant. The others: "high" means value >= threshold; a null
// value counts as low. Thresholds default to the median over the non-new
// items with a value (even count: mean of the two middle values).
//   star = high growth & high share; cash_cow = low growth & high share;
//   question_mark = high growth & low share; dog = low growth & low share.
// Items are products (categories) with at least one line in either period;
// products missing from Products (or without category) are in category -1.
enum class QuadrantLevel : std::uint8_t { kProduct, kCategory };
enum class QuadrantShareMetric : std::uint8_t { kRelativeShare, kMarginPct };
enum class Quadrant : std::uint8_t { kStar, kCashCow, kQuestionMark, kDog, kNew };
enum class MarginLabelLanguage : std::uint8_t { kEnglish, kChinese };

struct QuadrantOptions {
  QuadrantLevel level = QuadrantLevel::kProduct;
  Day period_end = kNoDate;    // inclusive; kNoDate = the orders' last date
  Day period_begin = kNoDate;  // inclusive; kNoDate = period_end one year back + 1 day
  QuadrantShareMetric share_metric = QuadrantShareMetric::kRelativeShare;
  std::optional<double> growth_threshold;  // as a fraction (0.1 = +10%); default median
  std::optional<double> share_threshold;   // relative share or percent; default median
  ProductCostOrder product_cost_order = ProductCostOrder::kStandardThenTier;
  int num_threads = 1;
};

struct QuadrantEntry {
  Id item = kNoId;      // product id, or category id (-1 = unknown category)
  Id category = kNoId;  // the item's category (-1 unknown); = item for kCategory
  Money revenue = 0;
  Money revenue_prior = 0;
  Money margin = 0;  // period margin over costed lines
  std::optional<double> growth;
  std::optional<double> relative_share;
  std::optional<double> margin_pct;
  Quadrant quadrant = Quadrant::kNew;
};

struct QuadrantResult {
  QuadrantLevel level = QuadrantLevel::kProduct;
  QuadrantShareMetric share_metric = QuadrantShareMetric::kRelativeShare;
  Day period_begin = kNoDate, period_end = kNoDate;
  Day prior_begin = kNoDate, prior_end = kNoDate;
  std::optional<double> growth_threshold;  // null when nothing was classified
  std::optional<double> share_threshold;
  int money_scale = kDefaultMoneyScale;
  std::vector<QuadrantEntry> entries;  // ascending by item
  DictionaryPtr item_codes, category_codes;
};

absl::StatusOr<QuadrantResult> ComputeQuadrant(const OrderLines& orders,
                                               const Products* products,
                                               const QuadrantOptions& options);

// "star" / "明星", "cash_cow" / "现金牛", "question_mark" / "问题", "dog" / "瘦狗",
// "new" / "新品".
std::string_view QuadrantLabel(Quadrant quadrant,
                               MarginLabelLanguage language = MarginLabelLanguage::kEnglish);
std::string_view AbcLabel(AbcClass abc);  // "A", "B", "C", "N"

// ---------------------------------------------------------------- result tables

enum class CostUnknownColumns : std::uint8_t { kWhenAny, kAlways, kNever };

struct MarginTableOptions {
  // Adds column `abc` (must come from ClassifyAbc on the same result).
  const AbcResult* abc = nullptr;
  // Adds column `quadrant`, joined on the key of a single product (or
  // category) dimension; null where the item has no quadrant entry.
  const QuadrantResult* quadrant = nullptr;
  MarginLabelLanguage language = MarginLabelLanguage::kEnglish;
  // Columns cost_unknown_lines, cost_unknown_revenue: by default only when
  // some line had an unknown cost.
  CostUnknownColumns cost_unknown_columns = CostUnknownColumns::kWhenAny;
};

// Columns: <group columns>, quantity, revenue, cost, margin, margin_pct,
// revenue_share, margin_share [, cost_unknown_lines, cost_unknown_revenue]
// [, abc] [, quadrant]. Group columns are named by the dimension name, and
// day | week | month | quarter | year | fiscal_year for the period; ids print
// as dictionary codes when one is attached, else as the id (strings); an
// unknown category or a missing member (-1) is null; order is int64;
// day is a date, week "2024-W05", month int64 yyyymm, quarter "2024-Q3",
// year int64. Money columns are kMoney at the result's scale; quantity is null
// when the orders had no quantity column.
ResultTable ToResultTable(const MarginResult& result, const MarginTableOptions& options = {});

// Data problems (see DataProblem): cost_unknown_lines, lines whose cost is
// unknown (left out of cost and margin; amount = their revenue; no examples
// are kept). Lines outside the date range are scope, not a problem.
DataProblems MarginProblems(const MarginResult& result);
// The one cost_unknown_lines entry (margin, contribution); revenue when known.
DataProblem CostUnknownProblem(std::int64_t lines, std::optional<Money> revenue,
                               int money_scale);
// rank, <group columns>, quantity, revenue, cost, margin, margin_pct,
// revenue_share, margin_share.
ResultTable ToResultTable(const MarginRanking& ranking, const MarginResult& result);
// rank, <group columns>, value, share, cumulative_share, abc.
ResultTable ToResultTable(const AbcResult& abc, const MarginResult& result);
// product | category, [category,] revenue, revenue_prior, margin, growth,
// relative_share, margin_pct, quadrant.
ResultTable ToResultTable(const QuadrantResult& quadrant,
                          MarginLabelLanguage language = MarginLabelLanguage::kEnglish);
// product, last_sale, days_since_sale, window_quantity, window_revenue,
// no_recent_sale, bottom_quantity (0/1).
ResultTable ToResultTable(const SlowMoverResult& slow_movers);

// ---------------------------------------------------------------- declared options

// What one margin analysis asks for on every surface (the CLI's flags, the C
// struct's fields, the Python keywords): the aggregation's options and the
// views of its result (ABC class, quadrant column, their label language, the
// ranked list). Declared once (salesight/options.hpp; list in
// src/margin/options_decl.cpp); the README table and the Python keywords
// derive from it. MarginOptions::max_dense_groups is a C++ tuning knob (the
// C struct has no field for it) and not declared.
struct MarginRequest {
  MarginOptions options;
  std::optional<AbcMetric> abc;  // adds the ABC class ranked by this metric
  bool quadrant = false;         // adds the quadrant column (product grouping)
  MarginLabelLanguage language = MarginLabelLanguage::kEnglish;
  MarginRankOptions rank;  // metric; order (bottom); n (top)
};

absl::Span<const OptionDecl<MarginRequest>> MarginOptionDecls();
// Sets one declared option from its text form (errors name the option).
absl::Status SetMarginOption(MarginRequest& request, std::string_view name,
                             std::string_view text);

// The declared calculator (src/margin/declaration.cpp): outputs table (with
// the abc / quadrant columns when asked), ranking, abc (by revenue unless abc
// names the metric) and quadrant (categories when the grouping is exactly
// category, else products; empty without a product column).
CalculatorSpec MarginCalculator();
// Its partial state (salesight/aggregator.hpp); the quadrant output needs the finish context (the lines).
struct AggregatorSpec;
AggregatorSpec MarginAggregator();

}  // namespace salesight
