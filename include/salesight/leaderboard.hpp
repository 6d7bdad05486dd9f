// Salesperson leaderboard (issue 8 item 5): revenue, margin, orders, won
// deals and win rate, collection rate and target attainment per salesperson
// over a period, ranked by any of them.
//
// Definitions (period [from, to], both inclusive; kNoDate = unbounded):
//   * revenue = sum of order-line amounts (net of returns) with order_date in
//     the period, by the line's salesperson (OrderLines needs a salesperson
//     column).
//   * margin = ComputeMargin grouped by salesperson over the same period
//     (margin.hpp: lines with unknown cost are left out of margin). Null for
//     everyone when there is no cost information at all (no cost / unit_cost
//     column - an empty OrderLines table has none - and no Products table with
//     standard costs or cost tiers).
//   * orders = number of distinct order ids among the salesperson's lines in
//     the period (an order split between two salespeople counts for both).
//   * won / lost / win_rate (needs a Pipeline with a salesperson column;
//     null without one): funnel.hpp's activity mode with recorded stages only:
//     won = opportunities whose won-stage date (the stage named "won", else
//     the last) is in the period and not after as_of; lost = opportunities
//     with a lost_date in the period (and not after as_of) that are not won by
//     as_of; win_rate = won / (won + lost).
//   * collection_rate (needs Invoices with a salesperson column; null without
//     them): receivables.hpp's collection rate over invoices due in the
//     period, as of as_of (Payments when given, else the invoices'
//     paid/paid_date).
//   * target = sum of the salesperson's Targets (level kSalesperson) over the
//     calendar months that overlap the period (whole months; an unbounded side
//     takes every month on that side); attainment = revenue / target. Null
//     when no Targets are given, the salesperson has no target row in those
//     months, or the target sums to 0.
//   * as_of defaults to `to`, else to the latest date any input holds (the
//     last order date, invoice date or opportunity creation date: the last
//     day the export knows); `to` after as_of is an error (the future is not
//     known).
//   * top > 0 keeps the first `top` rows of the ranking (0 = all).
//   Rows: every salesperson with an order line, a won or lost deal, an
//   invoice due, or a target in the period; ascending by rank.
//   Ranking: by `rank_by` descending; nulls last; ties by salesperson id
//   ascending. rank = 1..n (row numbers: tied values get different ranks).
//   Money is exact int64 at the orders' money scale (Targets and Invoices
//   must use the same scale); ratios are doubles from exact sums, null (not
//   NaN) on a zero denominator.
//
// Partial state (salesight/aggregator.hpp kind "leaderboard"): its rows are
// the dataset's orders, pipeline, invoices (each with its payments) and
// target rows one after another, so a partition is any dataset (or row
// range) holding a share of each. It keeps exact sums per salesperson
// (revenue, targets), the distinct (salesperson, order id) pairs of the period
// (orders stay exact for any split, also an order split between partitions),
// and margin's, funnel's and collection's own partial states; ranking and
// `top` are applied when finishing. With a pipeline or invoices it needs
// as_of or `end`: the default, the latest date of ALL the data, is not known
// to a partition (salesight.dask.run computes it first and passes it).
#pragma once

#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "salesight/calculator.hpp"
#include "salesight/dataset.hpp"
#include "salesight/date.hpp"
#include "salesight/dictionary.hpp"
#include "salesight/funnel.hpp"
#include "salesight/margin.hpp"
#include "salesight/money.hpp"
#include "salesight/receivables.hpp"
#include "salesight/result_table.hpp"
#include "salesight/tables.hpp"

namespace salesight {

enum class LeaderboardMetric : std::uint8_t {
  kRevenue,
  kMargin,
  kOrders,
  kWon,
  kWinRate,
  kCollectionRate,
  kTargetAttainment,
};

struct LeaderboardOptions {
  Day from = kNoDate;  // inclusive; kNoDate = unbounded
  Day to = kNoDate;    // inclusive; kNoDate = unbounded
  Day as_of = kNoDate;  // kNoDate = `to`
  LeaderboardMetric rank_by = LeaderboardMetric::kRevenue;
  std::int64_t top = 0;  // the first `top` rows of the ranking; 0 = all
  int num_threads = 1;  // for the margin, funnel and collection passes
};

struct LeaderboardRow {
  std::int64_t rank = 0;
  Id salesperson = kNoId;
  Money revenue = 0;
  std::optional<Money> margin;
  std::int64_t orders = 0;
  std::optional<std::int64_t> won;
  std::optional<std::int64_t> lost;
  std::optional<double> win_rate;
  std::optional<double> collection_rate;
  std::optional<Money> target;
  std::optional<double> attainment;
};

struct LeaderboardResult {
  LeaderboardOptions options;
  int money_scale = kDefaultMoneyScale;
  std::vector<LeaderboardRow> rows;  // in rank order
  DictionaryPtr salesperson_codes;
};

// The dataset's order lines (required) and, when present, its products
// (costs for margin), pipeline (won, lost, win rate), invoices + payments
// (collection rate) and targets (attainment, level kSalesperson); an absent
// table leaves its columns null.
absl::StatusOr<LeaderboardResult> ComputeLeaderboard(const Dataset& data,
                                                     const LeaderboardOptions& options);

// A salesperson's own sums of the rows seen (a line in the period or a target
// in its months); ascending by salesperson.
struct LeaderboardSums {
  Id salesperson = kNoId;
  Money revenue = 0;
  std::optional<Money> target;
};

struct LeaderboardPartial {
  int money_scale = kDefaultMoneyScale;
  // Rows seen per table: a side that saw none of a table adds nothing to
  // that table's nested partial (whose options may differ by what an empty
  // table lacks, e.g. a lost-date or cost column).
  std::int64_t order_rows = 0, pipeline_rows = 0, invoice_rows = 0;
  std::vector<LeaderboardSums> sums;
  std::vector<std::pair<Id, std::int64_t>> orders;  // distinct, ascending
  std::optional<MarginPartial> margin;          // with cost information
  std::optional<FunnelPartial> funnel;          // with a pipeline
  std::optional<CollectionPartial> collection;  // with invoices
  DictionaryPtr salesperson_codes;              // not serialized
};

// Rows [begin, end) of the orders, pipeline, invoices and targets one after
// another (LeaderboardRows); as_of or `to` required with a pipeline or
// invoices.
std::size_t LeaderboardRows(const Dataset& data);
absl::StatusOr<LeaderboardPartial> PartialLeaderboard(const Dataset& data, std::size_t begin,
                                                      std::size_t end,
                                                      const LeaderboardOptions& options);
// Any order; fails (into unchanged) when the inputs differ (one with a
// pipeline or invoices, one without), the money scales differ or a sum
// overflows. Margin: one side without it (no cost column, e.g. no order
// lines) adds nothing.
absl::Status MergeLeaderboard(LeaderboardPartial& into, const LeaderboardPartial& from);
absl::StatusOr<LeaderboardResult> FinishLeaderboard(LeaderboardPartial partial,
                                                    const LeaderboardOptions& options);

// rank, salesperson, revenue, margin, orders, won, lost, win_rate,
// collection_rate, target, attainment (money kMoney; nulls as validity).
ResultTable ToResultTable(const LeaderboardResult& result);

// The declared calculator (src/leaderboard/declaration.cpp): output table;
// `salesight leaderboard` derives its flags from it.
absl::Span<const OptionDecl<LeaderboardOptions>> LeaderboardOptionDecls();
CalculatorSpec LeaderboardCalculator();
struct AggregatorSpec;
AggregatorSpec LeaderboardAggregator();

}  // namespace salesight
