// Contribution (issue 8 item 4): each member's share of total revenue or
// margin over a date range, by one dimension of the order lines or a pair:
// region, department, channel, salesperson, customer, category (through the
// product relation), any attribute column ("Sub-Category"), or a field or
// attribute of the customers / products tables (salesight/dimension.hpp).
//
// Definitions (options; defaults stated here):
//   * Lines with order_date in [from, to] (inclusive; kNoDate = unbounded).
//   * Items: one per key (or key pair) with at least one line, ascending by
//     key (first dimension most significant); keys as margin.hpp's "Groups"
//     defines them: the member's dictionary id, so the order is the codes'
//     canonical order and never the row order; -1 = no member (a product or
//     customer without a master row, a product without category), a group of
//     its own that sorts first and prints as null. The sums
//     come from PartialMargin / FinishMargin, so a value equals the margin
//     calculator's revenue or margin of the same group exactly (margin: over
//     the lines with a known cost, cost resolved as margin.hpp documents;
//     cost_unknown_lines reports the rest).
//   * total = the exact sum of the items' values; share = value / total as a
//     double (plain ratio). With negative items (net returns, loss makers) the
//     shares still sum to 1: a negative item has a negative share when the
//     total is positive; when the total is negative every share is
//     value / total, so a loss-making item has a POSITIVE share of a negative
//     total and a profitable item a negative one. total = 0: every share and
//     percentage is null (never NaN / infinity).
//   * share_pct: percent rounded to `decimals` places (default 1) so that the
//     rounded values sum to exactly 100 (x 10^decimals units): the exact
//     rational percent of each item, value x 100 x 10^decimals / total, is
//     floored (toward minus infinity, also for negative shares); the units
//     still missing to 100 (fewer than the number of items) go one each to
//     the items with the largest remainders (Hamilton / largest-remainder
//     method); equal remainders: smaller key first. All on exact 128-bit
//     integers, no floating point. share_pct_units holds the integer units.
//   * Threads: ComputeContribution splits the lines over num_threads; sums are
//     exact, so results do not depend on the thread count or partition.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "salesight/calculator.hpp"
#include "salesight/margin.hpp"
#include "salesight/result_table.hpp"
#include "salesight/tables.hpp"

namespace salesight {

enum class ContributionMeasure : std::uint8_t { kRevenue, kMargin };

struct ContributionOptions {
  // 1 or 2 dimension names of the order lines (checked against the data when
  // computed; an error names the valid ones).
  std::vector<std::string> dimensions = {"region"};
  ContributionMeasure measure = ContributionMeasure::kRevenue;
  Day from = kNoDate;
  Day to = kNoDate;
  int decimals = 1;  // of share_pct, 0..6
  ProductCostOrder product_cost_order = ProductCostOrder::kStandardThenTier;
  int num_threads = 1;  // 0 = hardware concurrency
};

// The partial state is the margin calculator's (grouped by the dimensions).
using ContributionPartial = MarginPartial;

// Rows [begin, end) of the dataset's order lines.
absl::StatusOr<ContributionPartial> PartialContribution(const Dataset& data, std::size_t begin,
                                                        std::size_t end,
                                                        const ContributionOptions& options);
absl::Status MergeContribution(ContributionPartial& into, const ContributionPartial& from);

struct ContributionItem {
  std::array<std::int64_t, 2> key{};  // key[1] = 0 with one dimension
  Money value = 0;
  std::optional<double> share;                // value / total
  std::optional<std::int64_t> share_pct_units;  // rounded percent x 10^decimals
  std::optional<double> share_pct;            // share_pct_units / 10^decimals
};

struct ContributionResult {
  ContributionOptions options;
  int money_scale = kDefaultMoneyScale;
  std::vector<ContributionItem> items;  // ascending by key
  Money total = 0;
  std::int64_t lines = 0;               // in range
  std::int64_t cost_unknown_lines = 0;  // margin measure: lines left out
  std::array<DictionaryPtr, 2> dictionaries{};
};

absl::StatusOr<ContributionResult> FinishContribution(ContributionPartial partial,
                                                      const ContributionOptions& options);
absl::StatusOr<ContributionResult> ComputeContribution(const Dataset& data,
                                                       const ContributionOptions& options);

// Largest-remainder rounding on its own: the percentages (x 10^decimals
// units) of `values` over their sum, summing to exactly 100 x 10^decimals;
// ties by index. Empty when the sum is 0; an error when it overflows.
absl::StatusOr<std::vector<std::int64_t>> LargestRemainderPercent(
    const std::vector<Money>& values, int decimals);

// <key>[, <key2>], value, share, share_pct. Key columns are named by their
// dimension and print as dictionary codes when one is attached (-1, no
// member, as null); value is kMoney;
// share_pct is a fixed-point decimal column (kMoney with scale = decimals,
// ints = share_pct_units), so it prints exactly and sums to exactly 100.
ResultTable ToResultTable(const ContributionResult& result);

// Data problems (see DataProblem): cost_unknown_lines with the margin measure.
DataProblems ContributionProblems(const ContributionResult& result);

// The declared calculator (src/contribution/declaration.cpp): output table.
absl::Span<const OptionDecl<ContributionOptions>> ContributionOptionDecls();
CalculatorSpec ContributionCalculator();
// Its partial state (salesight/aggregator.hpp).
struct AggregatorSpec;
AggregatorSpec ContributionAggregator();

}  // namespace salesight
