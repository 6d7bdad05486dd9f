// Change drivers (issue 16 item 1): which combinations of dimension members
// (region=华东 & category=办公用品) explain the change of a measure between two
// periods, or between actual and target - the `drivers` calculator.
//
// ---------------------------------------------------------------- inputs
// measure: a query measure (salesight/query/measures.hpp) that adds up over
//   groups (revenue, cost, margin, quantity, lines, billed, collected, ...),
//   a distinct count (orders, customers: exact per combination, one query per
//   combination of dimensions, so slower), or a ratio of sums (margin_pct,
//   collection_rate, win_rate, aov, ...). Snapshot measures (outstanding,
//   overdue, dso) and the targets' own measures are refused.
// The two periods: `period` (a label of `grain`: 2024-03, 2024-Q1, 2024-W05,
//   2024, FY2024, 2024-03-05; default: the period holding the orders' last
//   line) is AFTER; BEFORE is the previous period (compare=previous), the same
//   period a year earlier (last_year; grain.hpp's SamePeriodLastYear), or the
//   same period's target (target: revenue only, targets table, dims within
//   the targets' level). Or explicit ranges: from..to (AFTER) and
//   before_from..before_to (BEFORE), all inclusive; with compare=target only
//   from..to. A value is the query engine's over that date range (RunQuery:
//   time.range, no grain).
// dims: default = those of region, salesperson, category, channel that the
//   measure's table offers (the low-cardinality dimensions of an ERP export;
//   product and customer are left out on purpose: thousands of members);
//   with compare=target, the targets' level (salesperson or region).
//
// ---------------------------------------------------------------- method
// Leaves = the finest combination of the dims (one query per period grouped
// by every dim; members matched by label). Elements = every combination of
// 1..max_depth dims (a "cuboid") and members; an element's before/after are
// exact int64 sums over its leaves (money in minor units; a distinct count
// is queried per cuboid instead, since it does not add up over leaves).
// Per element (B, A = the totals; b, a = the element's values):
//   change = a - b;  explained share (Adtributor's explanatory power, EP) =
//     (a - b) / (A - B), null when A = B;
//   surprise = Adtributor's Jensen-Shannon divergence of the element's share
//     before p = |b| / sum|b| and after q = |a| / sum|a| over its cuboid
//     (absolute values: margins and quantities may be negative), base 2, so
//     in [0, 1]: 0.5 p log2(2p / (p + q)) + 0.5 q log2(2q / (p + q)), a 0
//     share contributing 0. For a ratio, the surprise of the numerator plus
//     the denominator's (Adtributor's rule for derived measures).
// Ranking (rank 1 = the best driver):
//   1. additive measures: the root causes that the leaves localiser finds
//      (salesight/insights/localizer.hpp: RiskLoc's risk-based partition,
//      explanatory power and HotSpot's ripple-effect score; real = after,
//      forecast = before, its default parameters: risk_threshold 0.5,
//      pep_threshold 0.02, n_remove 5; max_depth as here; for a distinct
//      count it reads the leaves' own counts), in the order found,
//      with root_cause = 1 - but a cause that moved against the total
//      (explained share <= 0: RiskLoc flags anomalies either way) is an
//      ordinary element below;
//   2. then the other elements whose explained share is at least min_share
//      (Adtributor's T_EEP, default 0.1; when A = B every element that
//      changed), as Adtributor ranks its candidates: by surprise descending
//      (an element whose own mix moved most: a true cause is more surprising
//      than the ancestors that dilute it, and its descendants each explain
//      less than min_share or less surprise), then explained share
//      descending, then depth ascending, then cuboid (dims in the given
//      order, shallow first, subsets in lexicographic order of dim
//      positions), then members in value order;
//   3. succinctness: walking that order, an element nested with (holding or
//      held by) an element kept before it whose effect differs from its own
//      by less than |min_share x total change| says nothing new (east after
//      east & online, which holds all of east's change): it moves after the
//      others, in its order. Nothing depends on input row order or thread
//      count.
//   `top` rows are kept. No element changed (or none reaches min_share): no
//   row, and the sentence says what happened.
//
// ---------------------------------------------------------------- ratio measures
// For R = N / D (times the measure's scale: 100 for margin_pct), over the
// elements i of one cuboid (they partition the rows): w_i = D_i / D,
// r_i = N_i / D_i (an element absent on one side takes its other side's r),
// midpoints w~ = (w0 + w1) / 2, r~ = (r0 + r1) / 2, R~ = (R0 + R1) / 2:
//   mix effect  m_i = (w1_i - w0_i) (r~_i - R~)
//   rate effect t_i = w~_i (r1_i - r0_i)
// the standard two-factor (midpoint-weight) decomposition: sum_i (m_i + t_i)
// = R1 - R0 exactly in real arithmetic (sum_i (w1_i - w0_i) = 0, so centring
// on R~ moves no total; it makes a weight shift towards an above-average rate
// read as a positive mix effect). Per element: before/after are its own rate
// r0/r1, change = r1 - r0, effect = m + t, explained share = effect /
// (R1 - R0). For additive measures mix and rate are null and effect = change.
// A side with D = 0 has no rate: R is null there, and every share with it.
//
// ---------------------------------------------------------------- outputs
// drivers: rank, combination ("dim=value&dim=value", dims in the given
//   order), depth, before, after, change, change_pct (100 change / |before|,
//   null when before = 0), effect, mix_effect, rate_effect, share, surprise,
//   root_cause. before/after/change/effect are money (kMoney), counts (int64)
//   or, for a ratio, double in the measure's unit.
// summary: one row: measure, before_period, after_period (labels or
//   "FROM..TO"), before, after, change, change_pct, drivers (rows kept),
//   sentence (en or zh), e.g. "Revenue fell 1.2M (-12%) vs the previous
//   period; region=华东 & category=办公用品 explains 71% of the fall (-40% there)."
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "salesight/calculator.hpp"
#include "salesight/dataset.hpp"
#include "salesight/date.hpp"
#include "salesight/grain.hpp"
#include "salesight/options.hpp"
#include "salesight/query/measures.hpp"
#include "salesight/result_table.hpp"

namespace salesight {

enum class DriversCompare : std::uint8_t { kPrevious, kLastYear, kTarget };

struct DriversOptions {
  std::string measure = "revenue";
  Grain grain = GrainUnit::kMonth;
  std::string period;  // a PeriodLabel of grain; "" = the orders' last period
  DriversCompare compare = DriversCompare::kPrevious;
  // Explicit ranges (inclusive); from/to set = they replace period.
  Day from = kNoDate, to = kNoDate, before_from = kNoDate, before_to = kNoDate;
  std::vector<std::string> dims;
  bool dims_given = false;
  int max_depth = 3;  // 0 = every dim
  int top = 10;
  double min_share = 0.1;
  std::string lang = "en";  // en | zh
  int num_threads = 1;      // 0 = all cores
};

struct DriverRow {
  std::vector<std::string> members;  // per dim: the member's label, "" = not fixed
  std::string combination;
  int depth = 0;
  // Additive measures: exact values (minor units or counts); ratio measures
  // use the doubles. change = after - before.
  std::int64_t before = 0, after = 0;
  double before_rate = 0, after_rate = 0;
  bool has_before_rate = false, has_after_rate = false;
  double effect = 0;  // ratio: mix + rate; additive: change (as a double)
  double mix = 0, rate = 0;
  std::optional<double> share;
  double surprise = 0;
  bool root_cause = false;
};

struct DriversResult {
  std::string measure;
  MeasureUnit unit = MeasureUnit::kMoney;
  bool ratio = false;
  int money_scale = 2;
  std::vector<std::string> dims;
  std::string before_label, after_label;
  std::int64_t before = 0, after = 0;  // additive totals
  std::optional<double> before_rate, after_rate;
  std::vector<DriverRow> rows;  // ranked
  std::string sentence;
  std::int64_t leaves = 0;  // finest combinations searched (the work grows with them)
};

absl::StatusOr<DriversResult> ComputeDrivers(const Dataset& data, const DriversOptions& options);

ResultTable DriversTable(const DriversResult& result);
ResultTable DriversSummaryTable(const DriversResult& result);

// The declaration every surface derives from (salesight/calculator.hpp).
absl::Span<const OptionDecl<DriversOptions>> DriversOptionDecls();
CalculatorSpec DriversCalculator();

}  // namespace salesight
