// Customer value analysis: RFM metrics, scores and segments per customer, the
// segment / Pareto / new-vs-returning summaries, and a mergeable partial state
// (partitions, threads, appended batches). BTYD summaries are in btyd.hpp.
//
// ---------------------------------------------------------------- definitions
// Every choice below is an option (RfmOptions) unless stated otherwise.
//
// * as_of (default: the day after the latest order_date in the data, so the
//   most recent purchase has recency 1). Lines dated after as_of are not used
//   and are counted in RfmCounts::excluded_future. Lines ON as_of are used
//   (recency 0), as in WORKLOADS.md (a) ("order_date <= D").
// * window_days (default 0 = all history up to as_of). N > 0 keeps lines with
//   as_of - N <= order_date <= as_of, i.e. recency 0..N: the N whole days
//   before as_of plus as_of itself (which has no lines when as_of takes its
//   default). Earlier lines are counted in excluded_before_window.
// * Purchase line: a line with amount >= 0 (a zero-amount line, e.g. a free
//   sample, is a purchase); a return line: amount < 0. Recency, frequency and
//   first purchase use purchase lines only; monetary is the NET sum of every
//   line in the window (returns included, so it may be negative). A customer
//   whose lines in the window are all returns has no row and is counted in
//   customers_only_returns. RfmPurchase::kAllLines treats every line as a
//   purchase (WORKLOADS (a) semantics).
// * recency_days = as_of - last purchase day (>= 0).
// * frequency (RfmFrequency): kOrders (default) = distinct order ids among the
//   customer's purchase lines, i.e. distinct (customer, order_id) pairs; an
//   order with purchase and return lines counts once; kDays = distinct
//   purchase days.
// * monetary: source kRevenue (default, the net amount) or kMargin (amount -
//   cost, where cost is the `cost` column, else quantity x unit_cost; an error
//   if the table has neither); aggregation kSum (default) or kMeanPerOrder =
//   total / frequency rounded half away from zero to the minor unit.
// * first_purchase = the first purchase day in the window; tenure = as_of -
//   first_purchase (days).
// * "per year" figures used by the tiers: orders_per_year = frequency x 365 /
//   max(365, tenure) and amount_per_year = total x 365 / max(365, tenure):
//   customers younger than a year are not extrapolated, older ones are
//   annualized over their tenure. With window_days = 365 they are exactly the
//   trailing-year figures. Compared exactly (integer arithmetic).
//
// ---------------------------------------------------------------- by a dimension
// `by` names a dimension of the order lines (salesight/dimension.hpp: a
// field, an attribute column, or through the relations a customer's or a
// product's field or attribute); "" (default) = one population. The result
// then has one group per member, in canonical order (label bytes; the
// missing member kNoId is the group "(none)"), customers within a group in
// ascending id. as_of (and so every recency) is the same for all groups: the
// option, or the day after the latest order_date of the WHOLE table.
// `by_scope` (RfmByScope) is the definition choice:
// * kLines (DEFAULT): the lines are partitioned by each line's member and
//   RFM - metrics, score thresholds, segments, relative-tier cuts, counts -
//   is computed within each partition as if it were the whole data. A
//   customer who bought in two regions appears once per region, with that
//   region's lines only, scored against that region's customers. Why the
//   default: "RFM by region" answers a regional manager's question ("who are
//   MY best and lapsing customers?"); a customer's value to a region is what
//   it bought there, and a line attribute (order region, channel) often
//   differs between a customer's orders, which this scope accepts.
// * kCustomer: the member must be constant per customer (e.g. an attribute
//   of the customers table, or a line attribute every line of the customer
//   agrees on; every line of the table counts, used or not). RFM is computed
//   once over all customers (the same scores as without `by`) and each row
//   reports its customer's member; the groups split that one result. A
//   customer with lines in two members is an error naming the customer and
//   the two members (the smallest customer code and its first two members in
//   label order, so the message does not depend on row order).
// Members with lines but no customer in the window are groups without rows.
// The segment summary is per group (customer and revenue shares within the
// group); the Pareto curve and new-vs-returning take no `by`, nor do the
// partial states (PartialRfm, AppendRfm, RfmIncremental: an error).
//
// ---------------------------------------------------------------- scores 1..k
// Recency is reversed: the most recent customers score k. Every method orders
// customers the way WORKLOADS (a) does: r by recency DESC (= last purchase day
// ASC), f by frequency ASC, m by monetary ASC; customer id ASC breaks ties.
// With n customers, NTILE bucket b (1-based) holds the positions
// [s_{b-1}, s_b) where s_j = j*(n/k) + min(j, n%k): the first n%k buckets get
// one extra customer (SQL NTILE). When n < k the top buckets stay empty.
// * kQuantile (DEFAULT): value thresholds at those same positions; a customer
//   gets the NTILE bucket of the FIRST customer of its tie group, so equal
//   values always share a score (the lowest of the group). Equivalently:
//   score = 1 + #{j in 1..k-1 : value > t_j}, t_j = the value at position
//   s_j - 1 (for r the value is the last purchase day). When all values are
//   distinct it equals kNtile. Thresholds are reported in RfmResult.
//   Why the default: a score should be a function of the customer's behaviour
//   only. Under NTILE two customers with the same single order get different
//   f scores depending on their ids, which no sales manager can explain.
// * kNtile: SQL NTILE(k) with customer id breaking ties; RfmOptionsForWorkload()
//   reproduces WORKLOADS (a) exactly.
// * kFixed: user thresholds (RfmFixedThresholds), k-1 strictly ascending values
//   per metric (so k = size + 1, all three the same size): f and m score
//   1 + #{thresholds the value exceeds}; r scores k - #{recency thresholds the
//   recency exceeds}. E.g. recency {30, 90, 180, 365}: 0..30 days -> 5,
//   31..90 -> 4, ..., > 365 -> 1. Monetary thresholds are in currency units
//   and are rounded to the table's minor unit.
//
// ---------------------------------------------------------------- segments
// A rule table is evaluated top to bottom; the FIRST matching rule gives the
// label; no match gives the table's default label. Built-in tables (text form
// in RfmRuleTable::ToText(); English labels are stable snake_case codes):
// * kTiers (DEFAULT; thresholds in TierThresholds, any k), in this order:
//     high_value  高价值客户    recency < 30 and orders_per_year > 10 and amount_per_year > 1,000,000
//     new         新客户        recency < 60 and frequency = 1
//     potential   潜力客户      recency < 90 and (orders_per_year < 5 or amount_per_year < 100,000)
//     churn_risk  流失风险客户  recency > 180 and orders_per_year > 5
//     low_value   低价值客户    recency > 365 and orders_per_year < 2 and amount_per_year < 10,000
//     regular     一般客户      everyone else
//   Overlaps are resolved by this order. With the default thresholds the only
//   overlap is new/potential: every new customer (1 order, < 60 days) also
//   has < 5 orders a year, so `new` is checked BEFORE `potential` (else it
//   could never match). high_value precedes everything and churn_risk precedes
//   low_value, which decides the overlaps user thresholds can create.
// * kClassic (score based, needs k = 5):
//     champions r>=4 f>=4 m>=4 | loyal r>=3 f>=3 m>=3 | potential_loyalist r>=4 f>=2 |
//     new r>=4 f<=1 | promising r=3 f<=1 | need_attention r=3 |
//     cant_lose r<=1 f>=4 m>=4 | at_risk r<=2 f>=3 m>=3 | about_to_sleep r=2 |
//     hibernating r<=1 f>=2 | lost r<=1 | default other. Every label is reachable.
// * kWorkload (WORKLOADS (a), needs k = 5): champions r>=4 f>=4 m>=4 | loyal r>=3
//   f>=3 | new r>=4 f<=2 | cant_lose r<=2 f>=4 | at_risk r<=2 f>=2 | lost r<=2 |
//   default need_attention.
// * kCustom: RfmOptions::custom_rules, e.g. from ParseRuleTable (format below).
// * kRelativeTiers: the kTiers labels with thresholds taken from the data
//   (RelativeTierShares), so that no tier is empty on any data with enough
//   customers. Each tier is chosen from the customers no earlier tier took
//   (its candidates) by steps in order: a step with share p keeps the
//   candidates whose key is at least as good as that of the candidate at
//   rank ceil(p x candidates / 100) when ordered best first; every candidate
//   tying with that key is kept, so a step keeps at least its share and at
//   least one customer. The kept ones are the next step's candidates; the
//   last step's are the tier. Defaults, best first in brackets:
//     high_value  recency 50% [smallest], then amount_per_year 20% [largest],
//                 then orders_per_year 50% [largest]
//     new         tenure 10% [smallest: the customers acquired last]
//     potential   recency 50% [smallest], then amount_per_year 50% [smallest]
//     churn_risk  recency 50% [largest], then orders_per_year 30% [largest]
//     low_value   recency 50% [largest], then amount_per_year 50% [smallest]
//     regular     everyone else
//   The cut keys become a plain rule table (RfmResult::segment_rules, e.g.
//   "high_value|高价值客户|recency <= 12 and amount_per_year >= 52311.25 and
//   orders_per_year >= 14.6"; a cut between micro-units is rounded so that it
//   keeps the cut customer), evaluated first match wins like any table, which
//   gives exactly the steps above. Guarantee: a tier is non-empty whenever
//   some customer is left for it, and it takes ALL its candidates only when,
//   at one of its steps, every candidate from the cut rank on ties with the
//   cut key. So with pairwise distinct keys and at least 6 customers every
//   tier, regular included, is non-empty; heavy ties (e.g. everyone bought
//   once on the same day) can empty the later tiers. A tier left without
//   candidates gets the cuts of its steps over all customers (it stays empty;
//   the cuts show where it would be).
//
// Empty segments: ExplainEmptySegments says, for a segment no customer is in,
// which condition of its rule no customer meets and the best value seen (see
// RfmEmptySegment); SummarizeSegments fills RfmSegmentSummary::empty_segments
// and its table's `note` column with the wording.
//
// ---------------------------------------------------------------- partial state
// PartialRfm(rows) -> RfmPartial, MergeRfm, AppendRfm, FinishRfm: dense
// per-customer accumulators (32 bytes per customer id) that merge across
// partitions, threads and appended batches. Results are identical for every
// partition and thread count. Distinct-order counting stays EXACT:
// * inside a partition, when the counted lines' order ids are nondecreasing in
//   row order (lines sorted by order, as ERP exports and the sample are), one
//   streaming pass counts order changes; otherwise that partition is recounted
//   exactly (per-customer sort of its order ids; needs 12 bytes per line);
// * across partitions: two partitions may share at most ONE order id, their
//   boundary order (the largest id of the earlier partition = the smallest id
//   of the later one); it is counted once. Partitions whose order-id ranges
//   overlap more than that cannot be merged exactly: MergeRfm returns
//   FailedPrecondition and changes nothing (ComputeRfm then recounts the whole
//   table exactly, so it never fails for this reason).
// * kDays: per customer, the earlier partition's last purchase day may equal
//   the later one's first (counted once); overlapping day ranges of one
//   customer fail the same way.
// ComputeRfm splits rows into contiguous ranges, one state each, merged in
// order: as many ranges as num_threads while all the states fit in the
// last-level cache together, else fewer (down to one: more would evict each
// other's customers, and the scan is then bound by memory latency, which one
// thread saturates on the test machine). Compaction and scoring always use
// num_threads (the NTILE tie walk at most two: one from each end).
// AppendRfm requires every counted order id of the batch to be >= the
// largest in the state (kOrders), resp. each customer's days >= its last day
// (kDays); it then costs O(batch), not O(state).
// RfmIncremental keeps the scores fresh after each Append: O(batch) for the
// metrics, then it rescores the touched customers and those a moved cut
// crossed (+ one write of every recency when as_of moves); kRelativeTiers,
// and rules reading more than scores under a moving as_of, rescore all rows.
//
// Scoring never sorts the customers: histograms of the three keys over
// monotone buckets locate each cut's bucket; the customers of a cut bucket
// holding one key (recency days, small frequencies) are ranked by id while
// the pass walks the id-ordered rows; the few of other buckets are sorted.
//
// Memory (ComputeRfm, parts P as above): P x 32 bytes per customer id during
// the scan; the merged state is then converted IN PLACE into the result rows
// (32 bytes) + 4 bytes of scores, plus ~2 MB of histograms and tables.
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
#include "salesight/dataset.hpp"
#include "salesight/date.hpp"
#include "salesight/dictionary.hpp"
#include "salesight/grain.hpp"
#include "salesight/large_array.hpp"
#include "salesight/money.hpp"
#include "salesight/calculator.hpp"
#include "salesight/options.hpp"
#include "salesight/result_table.hpp"
#include "salesight/tables.hpp"

namespace salesight {

// ---------------------------------------------------------------- options
enum class RfmFrequency : std::uint8_t { kOrders, kDays };
enum class RfmMonetary : std::uint8_t { kRevenue, kMargin };
enum class RfmAggregation : std::uint8_t { kSum, kMeanPerOrder };
enum class RfmPurchase : std::uint8_t { kNonNegativeAmount, kAllLines };
enum class RfmScoring : std::uint8_t { kQuantile, kNtile, kFixed };
enum class RfmSegments : std::uint8_t { kTiers, kClassic, kWorkload, kCustom, kRelativeTiers };
enum class RfmLanguage : std::uint8_t { kEn, kZh };
enum class RfmByScope : std::uint8_t { kLines, kCustomer };

// ---------------------------------------------------------------- CLV columns
// clv.model != kNone adds per customer (ToResultTable: after `segment`):
// p_alive, expected_purchases (in the next clv.horizon time units) and clv
// (margin x expected spend, discounted per time unit, over the horizon:
// salesight/clv/value.hpp). The model (BG/NBD or Pareto/NBD, with
// Gamma-Gamma spend) is fitted on the BTYD summary of the same order lines
// (salesight/btyd.hpp; lifetimes' definitions, every line a transaction) at
// observation end = as_of (inclusive), time counted from each customer's
// first purchase in clv.time_unit. That summary is built in the RFM scan
// itself (per customer: first and last day, the first day's and the later
// days' amounts, distinct days counted while each customer's lines come in
// date order); lines out of date order get their distinct days recounted
// from the customer and date columns. Identical for any thread count.
// value = kClv: the M score - and so every segment rule reading m, the
// tiers' high_value included - ranks customers by clv (in minor units,
// rounded half away from zero) instead of monetary; the monetary column
// still shows monetary. fixed_monetary thresholds are then CLV amounts.
// Errors: CLV with `by`, with the partial states (FinishRfm, RfmIncremental:
// the model needs all lines), value kClv without a model or with aggregation
// kMeanPerOrder, a model that cannot be fitted (the message says why), and
// no spend model (no CLV without Gamma-Gamma).
enum class RfmClvModel : std::uint8_t { kNone, kBgNbd, kParetoNbd };
enum class RfmValue : std::uint8_t { kMonetary, kClv };

struct RfmClvOptions {
  RfmClvModel model = RfmClvModel::kNone;
  std::string time_unit = "week";  // day | week | month (365.25 / 12 days)
  int horizon = 12;                // time units ahead, >= 1
  double discount = 0.0;           // per time unit, > -1
  double margin = 1.0;             // share of spend kept
};

// kFixed scoring thresholds: k-1 strictly ascending values each (see above).
struct RfmFixedThresholds {
  std::vector<std::int32_t> recency_days;  // e.g. {30, 90, 180, 365}
  std::vector<std::int32_t> frequency;     // e.g. {1, 2, 5, 10}
  std::vector<double> monetary;            // currency units, e.g. {1000, 10000, 50000, 200000}
};

// The tiers table's thresholds; amounts in currency units (converted with the
// table's money scale), "per year" as defined in the header comment.
struct TierThresholds {
  std::int32_t high_value_recency_below = 30;
  double high_value_orders_per_year_above = 10;
  double high_value_amount_per_year_above = 1'000'000;
  std::int32_t new_recency_below = 60;
  std::int32_t new_frequency_equals = 1;
  std::int32_t potential_recency_below = 90;
  double potential_orders_per_year_below = 5;
  double potential_amount_per_year_below = 100'000;
  std::int32_t churn_recency_above = 180;
  double churn_orders_per_year_above = 5;
  std::int32_t low_value_recency_above = 365;
  double low_value_orders_per_year_below = 2;
  double low_value_amount_per_year_below = 10'000;
};

// kRelativeTiers: the share of each step in percent, 1..100 (definitions in
// the header comment, "segments").
struct RelativeTierShares {
  int high_value_recent = 50;    // most recent
  int high_value_amount = 20;    // largest amount_per_year
  int high_value_orders = 50;    // largest orders_per_year
  int new_newest = 10;           // smallest tenure
  int potential_recent = 50;     // most recent
  int potential_amount = 50;     // smallest amount_per_year
  int churn_lapsed = 50;         // least recent
  int churn_orders = 30;         // largest orders_per_year
  int low_value_lapsed = 50;     // least recent
  int low_value_amount = 50;     // smallest amount_per_year
};

// ---------------------------------------------------------------- rule tables
// Fields a rule may test. Units: days (recency, tenure), counts (frequency,
// lines, returns, orders_per_year), scores (r, f, m), currency units
// (monetary = the reported monetary value; total = the customer's total of the
// monetary source even when aggregation is a mean; amount_per_year).
enum class RfmField : std::uint8_t {
  kRecency, kFrequency, kMonetary, kTotal, kR, kF, kM, kTenure,
  kOrdersPerYear, kAmountPerYear, kLines, kReturns,
};
enum class RfmOp : std::uint8_t { kLt, kLe, kGt, kGe, kEq, kNe };

struct RfmCondition {
  RfmField field = RfmField::kRecency;
  RfmOp op = RfmOp::kLt;
  std::int64_t value_micros = 0;  // the threshold x 10^6 (exact up to 6 decimals)
};

// Matches when ANY clause matches; a clause matches when ALL its conditions
// hold. No clause at all = matches every customer.
struct RfmRule {
  std::string label_en;
  std::string label_zh;
  std::vector<std::vector<RfmCondition>> any_of;
};

// Text format (ParseRuleTable / ToText), UTF-8, one rule per line:
//   label_en|label_zh|condition
//   condition := '*' | clause ( 'or' clause )*        ('*' matches everyone)
//   clause    := term ( 'and' term )*                 ('and' binds tighter; no parentheses)
//   term      := field op number                      (spaces optional: recency<30)
//   field     := recency | frequency | monetary | total | r | f | m | tenure |
//                orders_per_year | amount_per_year | lines | returns
//   op        := < | <= | > | >= | = | == | !=
//   number    := [-]digits[.digits]   (at most 6 decimals; amounts in currency units)
// Blank lines and lines starting with '#' are ignored; keywords are
// case-insensitive; label_zh may be empty (then label_en is used). A rule
// after a '*' rule is unreachable and an error. Without a '*' rule the
// default label is other|其他. Rules sharing label_en share one segment.
// Errors name the line: "rules line 3: unknown field 'recncy'".
struct RfmRuleTable {
  std::vector<RfmRule> rules;
  std::string default_en = "other";
  std::string default_zh = "其他";
  // The k the score thresholds were written for (0 = any); FinishRfm fails
  // when it differs from RfmOptions::k.
  int designed_for_k = 0;

  static RfmRuleTable Tiers(const TierThresholds& thresholds = {});
  static RfmRuleTable Classic();
  static RfmRuleTable Workload();
  // The text form; ParseRuleTable(ToText()) gives the same table.
  std::string ToText() const;
};

absl::StatusOr<RfmRuleTable> ParseRuleTable(std::string_view text);

struct RfmOptions {
  Day as_of = kNoDate;          // kNoDate = the day after the latest order_date
  std::int32_t window_days = 0;  // 0 = all history up to as_of
  RfmFrequency frequency = RfmFrequency::kOrders;
  RfmMonetary monetary = RfmMonetary::kRevenue;
  RfmAggregation aggregation = RfmAggregation::kSum;
  RfmPurchase purchase = RfmPurchase::kNonNegativeAmount;
  RfmScoring scoring = RfmScoring::kQuantile;
  int k = 5;  // 1..60; for kFixed it must equal thresholds + 1
  RfmFixedThresholds fixed;
  RfmSegments segments = RfmSegments::kTiers;
  TierThresholds tiers;
  RelativeTierShares relative_tiers;  // used when segments == kRelativeTiers
  RfmRuleTable custom_rules;  // used when segments == kCustom
  RfmLanguage language = RfmLanguage::kEn;  // labels written by ToResultTable
  int num_threads = 1;  // 0 = hardware concurrency
  // A dimension name (see "by a dimension" above); "" = one population.
  std::string by;
  RfmByScope by_scope = RfmByScope::kLines;
  RfmClvOptions clv;                       // CLV columns (above); default none
  RfmValue value = RfmValue::kMonetary;    // what M ranks (above)
};

// The options above, declared once (salesight/options.hpp): names, types,
// defaults, allowed values, docs. The CLI, the README table and the Python
// keyword check derive from it.
absl::Span<const OptionDecl<RfmOptions>> RfmOptionDecls();
// The declared calculator (salesight/calculator.hpp): outputs customers,
// detail, segments.
CalculatorSpec RfmCalculator();
// Its partial state (salesight/aggregator.hpp).
struct AggregatorSpec;
AggregatorSpec RfmAggregator();
// Sets one declared option from its text form (errors name the option).
absl::Status SetRfmOption(RfmOptions& options, std::string_view name, std::string_view text);

// WORKLOADS.md (a): as_of D, every line a purchase, NTILE(5) with id ties,
// the workload segment table.
RfmOptions RfmOptionsForWorkload(Day as_of = 19996, int num_threads = 1);

// ---------------------------------------------------------------- memory
// The large per-customer arrays (the partial state and the result rows, which
// are the same memory) use LargeArrayAllocator (salesight/large_array.hpp):
// direct 2 MiB aligned mappings with transparent huge pages requested, since
// the scan hits them at random and with 4 KiB pages nearly every access is
// also a TLB miss - measured 3-4x slower scans.

// ---------------------------------------------------------------- result
// One result row; 32 bytes, so the partial state is converted into it in place.
struct RfmCustomer {
  Money monetary = 0;  // minor units; sum or rounded mean (see aggregation)
  Id customer = 0;
  std::int32_t recency_days = 0;
  std::int32_t frequency = 0;
  Day first_purchase = kNoDate;
  std::int32_t order_lines = 0;  // lines in the window, returns included
  std::int32_t returns = 0;      // lines in the window with amount < 0
};
static_assert(sizeof(RfmCustomer) == 32);

struct RfmScore {
  std::uint8_t r = 0, f = 0, m = 0;
  std::uint8_t segment = 0;  // index into RfmResult::segment_labels
};

struct RfmSegmentLabel {
  std::string en;
  std::string zh;
};

struct RfmCounts {
  std::int64_t lines = 0;                   // lines given (all partitions and batches)
  std::int64_t lines_in_window = 0;         // lines used
  std::int64_t excluded_future = 0;         // order_date > as_of
  std::int64_t excluded_before_window = 0;  // order_date < as_of - window_days
  std::int64_t return_lines = 0;            // used lines with amount < 0
  std::int64_t customers = 0;               // result rows
  std::int64_t customers_only_returns = 0;  // lines in the window but no purchase
};

using RfmCustomers = std::vector<RfmCustomer, LargeArrayAllocator<RfmCustomer>>;
struct RfmGroup;  // below: a member and its result

struct RfmResult {
  // Ascending customer id (ComputeRfm / FinishRfm). RfmIncremental appends the
  // customers first seen in a later batch at the end.
  RfmCustomers customers;
  std::vector<RfmScore> scores;  // parallel to customers
  // Per-customer totals of the monetary source; filled only when aggregation
  // is kMeanPerOrder (customers[i].monetary is then the mean), else empty.
  std::vector<Money> totals;
  std::vector<RfmSegmentLabel> segment_labels;
  // The rule table that gave the segments (for kRelativeTiers with the cuts
  // taken from this data).
  RfmRuleTable segment_rules;
  RfmCounts counts;
  Day as_of = kNoDate;
  Day window_start = kNoDate;  // first day used; kNoDate = no window
  int k = 5;
  RfmScoring scoring = RfmScoring::kQuantile;
  RfmAggregation aggregation = RfmAggregation::kSum;
  RfmLanguage language = RfmLanguage::kEn;
  // kQuantile / kFixed: r > j iff recency_days < recency_below[j-1];
  // f > j iff frequency > frequency_above[j-1]; m > j iff monetary >
  // monetary_above[j-1] (minor units). Empty for kNtile (ties split by id).
  std::vector<std::int64_t> recency_below, frequency_above, monetary_above;
  int money_scale = kDefaultMoneyScale;
  DictionaryPtr customer_codes;  // may be null (codes are then the ids)

  // Partitioned by a dimension (RfmOptions::by, "by a dimension" above): its
  // name, the scope and one group per member in canonical order, each a whole
  // result of its own (rows, scores, thresholds, rules, counts). The rows
  // above are then empty; counts are the groups' sums (kLines) or the one
  // population's (kCustomer), segment_labels those every group shares.
  std::string by;
  RfmByScope by_scope = RfmByScope::kLines;
  std::vector<RfmGroup> groups;

  // CLV columns (RfmOptions::clv), parallel to customers when has_clv.
  bool has_clv = false;
  std::vector<double> p_alive, expected_purchases, clv;

  // The total of the monetary source of row i (totals[i] or monetary).
  Money total(std::size_t i) const { return totals.empty() ? customers[i].monetary : totals[i]; }
  const std::string& label(std::size_t i) const;  // segment label of row i in `language`
};

struct RfmGroup {
  Id member = kNoId;  // the dimension's code; kNoId = missing
  std::string label;  // DimensionLabel: the member as the user gave it, "(none)" if missing
  RfmResult result;   // never itself partitioned
};

// ---------------------------------------------------------------- compute
// Needs the dataset's orders; `by` resolves against its order lines.
absl::StatusOr<RfmResult> ComputeRfm(const Dataset& data, const RfmOptions& options = {});
// The orders alone (Dataset::Of): `by` may name their fields and attributes.
absl::StatusOr<RfmResult> ComputeRfm(const OrderLines& orders, const RfmOptions& options = {});

// Mergeable partial state. Copyable (copy = 32 bytes per customer id).
class RfmPartial {
 public:
  RfmPartial() = default;
  std::int32_t num_customer_ids() const { return static_cast<std::int32_t>(acc_.size()); }
  const RfmCounts& counts() const { return counts_; }
  Day max_date() const { return max_date_; }  // latest order_date seen (any line), kNoDate if none

 private:
  friend struct RfmPartialAccess;  // src/rfm
  RfmCustomers acc_;  // dense by customer id; fields reused as accumulators
  RfmCounts counts_;
  Day max_date_ = kNoDate;
  // Scan options every merged part must share.
  Day as_of_ = kNoDate;
  std::int32_t window_days_ = 0;
  RfmFrequency frequency_ = RfmFrequency::kOrders;
  RfmMonetary monetary_ = RfmMonetary::kRevenue;
  RfmPurchase purchase_ = RfmPurchase::kNonNegativeAmount;
  int money_scale_ = kDefaultMoneyScale;
  int num_threads_ = 1;
  DictionaryPtr customer_codes_;
  DictionaryPtr order_codes_;  // OrderLinesColumns::orders (messages); not serialized
  // kOrders boundary: smallest / largest counted order id and the customers
  // that have them (usually one each). has_orders_ false = no counted line.
  bool has_orders_ = false;
  std::int64_t min_order_ = 0, max_order_ = 0;
  std::vector<Id> min_order_customers_, max_order_customers_;
};

// Rows [begin, end) of `orders`. A window (window_days > 0) needs an explicit
// as_of here (ComputeRfm resolves the default itself).
absl::StatusOr<RfmPartial> PartialRfm(const OrderLines& orders, std::size_t begin, std::size_t end,
                                      const RfmOptions& options = {});
// `from` holds rows that come after `into`'s (or entirely before: order-id
// ranges are compared, not positions). On error `into` is unchanged.
absl::Status MergeRfm(RfmPartial& into, const RfmPartial& from);
// Adds a batch of later lines to the state in O(batch). On error the state is
// unchanged. The batch's customer dictionary must extend the state's.
absl::Status AppendRfm(RfmPartial& state, const OrderLines& batch, const RfmOptions& options = {});
// Scores and segments; consumes the state (converted in place).
absl::StatusOr<RfmResult> FinishRfm(RfmPartial state, const RfmOptions& options = {});

// Keeps a scored result fresh under appended batches: Append costs O(batch)
// for the metrics plus rescoring the customers whose scores may have changed
// (above; every row's recency moves when as_of does). Needs window_days == 0
// or an explicit as_of. Memory: ~88-100 bytes per customer id (the state, the
// result, the rows by score bucket; + 8 with kMeanPerOrder).
class RfmIncremental {
 public:
  static absl::StatusOr<RfmIncremental> Create(const OrderLines& orders, const RfmOptions& options = {});
  absl::Status Append(const OrderLines& batch);
  const RfmResult& result() const;

  RfmIncremental(RfmIncremental&&) noexcept;
  RfmIncremental& operator=(RfmIncremental&&) noexcept;
  ~RfmIncremental();

 private:
  struct Impl;
  explicit RfmIncremental(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// ---------------------------------------------------------------- summaries
struct RfmSegmentSummaryRow {
  int segment = 0;
  RfmSegmentLabel label;
  std::int64_t customers = 0;
  double customer_share = 0;            // customers / all customers
  Money revenue = 0;                    // sum of totals (net revenue, or margin)
  std::optional<double> revenue_share;  // revenue / all revenue; null when that is <= 0
  std::int64_t orders = 0;              // sum of frequency
  // revenue / orders in currency units; null when orders == 0.
  std::optional<double> average_order_value;
};
// Why a segment is empty, from the conditions of its rules (all clauses of
// every rule with its label, in table order). Values are in the field's unit
// (days, counts, scores, currency units).
struct RfmConditionCheck {
  RfmCondition condition;
  std::int64_t customers = 0;  // customers meeting the condition
  // The value closest to meeting it: the largest for > and >=, the smallest
  // for < and <=, the nearest for = and != (ties: the smaller). Null without
  // customers.
  std::optional<double> best;
};
struct RfmClauseCheck {
  std::vector<RfmConditionCheck> conditions;
  std::int64_t customers = 0;  // customers meeting every condition (an earlier rule took them)
};
struct RfmEmptySegment {
  int segment = 0;  // index into RfmResult::segment_labels
  RfmSegmentLabel label;
  // One per clause of the label's rules; empty for a '*' rule or the
  // default label (every customer matched an earlier rule).
  std::vector<RfmClauseCheck> clauses;
  std::int64_t customers = 0;  // customers meeting some clause (an earlier rule took them)
};
// Every segment with no customer, in label order; nothing when the result has
// no customer at all.
absl::StatusOr<std::vector<RfmEmptySegment>> ExplainEmptySegments(const RfmResult& result);
// The wording, e.g. "high_value: no customer has amount_per_year > 1,000,000
// (largest: 312,400.00)": when some customer meets the rule, how many (an
// earlier segment took them); else per clause the first condition no customer
// meets and the best value, or the conditions no customer meets together (with
// how many meet each); clauses joined by "; ".
std::string DescribeEmptySegment(const RfmEmptySegment& empty, RfmLanguage language);

struct RfmSegmentGroup;
struct RfmSegmentSummary {
  std::vector<RfmSegmentSummaryRow> rows;  // one per label, table order, empty segments kept
  std::vector<RfmEmptySegment> empty_segments;  // ExplainEmptySegments
  std::int64_t customers = 0;
  Money revenue = 0;
  int money_scale = kDefaultMoneyScale;
  RfmLanguage language = RfmLanguage::kEn;
  // A partitioned result: the dimension and one summary per group (shares
  // within the group); rows and empty_segments above are then empty,
  // customers and revenue the groups' sums.
  std::string by;
  std::vector<RfmSegmentGroup> groups;
};
struct RfmSegmentGroup {
  std::string label;
  RfmSegmentSummary summary;
};
absl::StatusOr<RfmSegmentSummary> SummarizeSegments(const RfmResult& result);

// Customers ranked by total DESC (id ASC on ties). Point i (1..points) covers
// the top ceil(i * n / points) customers. Shares are null when the total
// revenue is <= 0.
struct RfmParetoPoint {
  std::int64_t customers = 0;
  double customer_share = 0;
  Money revenue = 0;
  std::optional<double> revenue_share;
};
struct RfmPareto {
  std::vector<RfmParetoPoint> points;
  std::optional<double> top20_share;  // share of the top ceil(0.2 n) customers
  Money revenue = 0;
  int money_scale = kDefaultMoneyScale;
};
absl::StatusOr<RfmPareto> ComputePareto(const RfmResult& result, int points = 100);

// ---------------------------------------------------------------- surfaces
// A partitioned result (RfmResult::by) gets the member's label as the first
// column, named after the dimension (RfmGroupColumnName), rows group by group.
// CLI columns: customer, recency_days, frequency, monetary, r, f, m, segment
// (customer = the dictionary code, else the id as text; monetary kMoney;
// segment in result.language). `detail` appends first_purchase (date),
// order_lines, returns, tenure_days, and total (kMoney).
ResultTable ToResultTable(const RfmResult& result, bool detail = false);
// segment, customers, customer_share, revenue, revenue_share, orders,
// average_order_value, note (DescribeEmptySegment for an empty segment, else null);
// partitioned: the group column first, one block of rows per group.
ResultTable ToResultTable(const RfmSegmentSummary& summary);
// The group column's name: the dimension's, or "by_<name>" when a column of
// the customers or segment table already has that name ("segment", "r", ...).
std::string RfmGroupColumnName(std::string_view by);
// customers, customer_share, revenue, revenue_share
ResultTable ToResultTable(const RfmPareto& pareto);

// Names for flags: "orders"|"days", "revenue"|"margin", "sum"|"mean",
// "quantile"|"ntile"|"fixed", "tiers"|"classic"|"workload"|"custom"|"relative", "en"|"zh".
// Periods: ParseGrain (salesight/grain.hpp).
absl::StatusOr<RfmFrequency> ParseRfmFrequency(std::string_view name);
absl::StatusOr<RfmMonetary> ParseRfmMonetary(std::string_view name);
absl::StatusOr<RfmAggregation> ParseRfmAggregation(std::string_view name);
absl::StatusOr<RfmScoring> ParseRfmScoring(std::string_view name);
absl::StatusOr<RfmSegments> ParseRfmSegments(std::string_view name);
absl::StatusOr<RfmLanguage> ParseRfmLanguage(std::string_view name);
absl::StatusOr<RfmByScope> ParseRfmByScope(std::string_view name);  // "lines"|"customer"
absl::StatusOr<RfmClvModel> ParseRfmClvModel(std::string_view name);  // "none"|"bgnbd"|"pareto-nbd"
absl::StatusOr<RfmValue> ParseRfmValue(std::string_view name);        // "monetary"|"clv"

}  // namespace salesight
