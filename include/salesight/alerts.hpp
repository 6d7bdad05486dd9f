// Anomaly alerts and a user-edited rule table (issue 16 item 3): which KPI x
// slice is outside its expected band in the period under watch, and which
// slice breaks a rule a user wrote ("margin % of any product below 10%").
//
// ---------------------------------------------------------------- the period
// as_of A (default: the last order line's date); nothing dated later is read.
// `grain` G (salesight/grain.hpp, default month). The watched period P and the
// window W(q) of any period q:
//   * watch = complete (default): P = the period holding A when A is its last
//     day, else the one before it; W(q) = all of q. The comparison window
//     W'(q) = all of SamePeriodLastYear(G, q) (none for ISO week 53, Feb 29).
//   * watch = to_date: P = the period holding A, e = A - start(P) + 1 elapsed
//     days; W(q) = the first e days of q (capped at its end), so every period
//     is compared like-for-like on the same elapsed days; W'(q) = W(q) moved
//     back 364 days (52 weeks: the same weekday shape a year earlier).
// A window that starts before the first row of its table (order lines:
// order_date; pipeline: created; invoices: invoice_date) is unknown, never a
// zero.
//
// ---------------------------------------------------------------- KPIs
// Per window and slice (a slice is the total, or one member of a dimension,
// labelled as the data gives it):
//   revenue      sum of the lines' amounts (returns negative), money;
//   margin       revenue of the lines with a known cost - their cost (the cost
//                of a line as MarginLineCosts resolves it, salesight/margin.hpp),
//                money; margin KPIs exist only when some line has a cost;
//   margin_pct   100 x margin / that revenue (a ratio of sums, percent);
//   orders       distinct order_id; customers: distinct customer;
//   aov          revenue / orders, money;
//   conversion:S (with a pipeline) the funnel's step conversion into stage S
//                in ComputeFunnel's activity mode over the window (entries
//                into S / entries into the stage before, percent), as_of the
//                window's last day;
//   collection_rate (with invoices) ComputeCollection's collected / billed of
//                the invoices due in the window, as_of its last day, percent;
//   overdue      (with invoices) outstanding more than `days` (rules; anomalies
//                0) days past due at the window's last day, per
//                ComputeAging, money.
// Pipeline and invoice KPIs are sliced by the dimension of the same name of
// their own rows; a dimension those rows lack is noted in `skipped`.
// Sample of a slice in a window: order lines; opportunities entering the
// stage before S; invoices due; (overdue: not counted, the guard is min_base).
// Base: revenue; -; billed; outstanding.
//
// ---------------------------------------------------------------- anomalies
// For window index t (period P - t; t = 0 is the watched one), V(t) the value
// in W(P - t) and L(t) the value in W'(P - t):
//   trend(t)    = the median over j = 1..k of V(t+j) / L(t+j), over the j
//                 with both known and L(t+j) > 0 (none: unknown);
//   E(t)        = L(t) x trend(t) (unknown when L(t) <= 0 or unknown);
//   r(t)        = V(t) / E(t) - 1 (E(t) > 0);
//   residuals   = r(1..history) that are known; fewer than min_history of
//                 them, or E(0) unknown: the slice has NO HISTORY (counted in
//                 `skipped`, never flagged);
//   scale       = max(mad_scale x MAD(residuals), min_band) (MAD = median of
//                 |r - median(r)|; min_band keeps a flat history from turning
//                 a 0.1% wobble into an infinite z);
//   z           = (r(0) - median(residuals)) / scale;
//   flagged when |z| >= z; severity critical when |z| >= z_critical, else
//   warning; expected = E(0), deviation = V(0) - E(0), deviation_pct =
//   100 x r(0); band low/high = E(0) x (1 + median +- z x scale).
// Minimum-sample guard: a slice whose last-year window (W'(P)) has fewer than
// min_lines samples or a base below min_base is GUARDED (counted in
// `skipped`, never flagged). Medians of an even count are the mean of the
// two middle values.
//
// ---------------------------------------------------------------- rules
// `rules` is a JSON object {"rules": [RULE, ...]} (or the bare array): at most
// kMaxAlertRules rules, kMaxAlertRulesBytes bytes, JSON depth 8. A RULE:
//   "id"          required, unique, 1..64 characters;
//   "kpi"         required, a KPI above ("conversion:quote"); checked against
//                 the data's KPIs when run (did-you-mean);
//   "dimension"   a dimension name, or "total" (default);
//   "compare"     value (default) | vs_last_year | vs_previous: the value
//                 itself, or the change in percent against W'(P) / W(P-1):
//                 100 x (V / V_ref - 1) (V_ref <= 0: the slice is skipped);
//   "op"          "<" | "<=" | ">" | ">=" (required);
//   "threshold"   required: money KPIs (value compare) in currency units, an
//                 integer or a decimal STRING ("50000.50": exact, no more
//                 decimals than the data's money scale); percent KPIs and
//                 changes in percent (10 = 10%); counts as numbers. At most 6
//                 decimals; compared exactly on the integer sums;
//   "days"        overdue only: the days-past-due floor (default 0);
//   "min_lines"   the rule's minimum sample in W(P) (default: the option);
//   "severity"    info | warning (default) | critical;
//   "note"        free text, ignored.
// Unknown keys are errors. Errors name the rule (index and id) and the field.
// A rule fires per slice whose value or change satisfies op threshold.
//
// ---------------------------------------------------------------- outputs
// alerts: kind (anomaly|rule), rule, kpi, dimension ("" = total), member,
//   period (label of P), value, expected, deviation, deviation_pct, z, low,
//   high, threshold, severity, sentence (lang en|zh). Money in currency units.
//   Ordered by severity (critical, warning, info), |z| descending (rules have
//   no z: after), then dimension, member, kpi, rule, kind bytewise.
// skipped: per kind, rule, kpi, dimension: slices, checked, guarded,
//   no_history, note. Deterministic for any row order and thread count.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "salesight/calculator.hpp"
#include "salesight/dataset.hpp"
#include "salesight/date.hpp"
#include "salesight/grain.hpp"
#include "salesight/money.hpp"
#include "salesight/options.hpp"

namespace salesight {

// The KPI names (see "KPIs" above), in output order; a pipeline adds
// kAlertConversionPrefix + each stage after the first.
inline constexpr std::string_view kAlertOrderKpis[] = {"revenue", "margin",    "margin_pct",
                                                       "orders",  "customers", "aov"};
inline constexpr std::string_view kAlertInvoiceKpis[] = {"collection_rate", "overdue"};
inline constexpr std::string_view kAlertConversionPrefix = "conversion:";

inline constexpr std::size_t kMaxAlertRules = 1000;
inline constexpr std::size_t kMaxAlertRulesBytes = std::size_t{1} << 20;
inline constexpr int kMaxAlertRulesDepth = 8;

enum class AlertWatch : std::uint8_t { kComplete, kToDate };
enum class AlertCompare : std::uint8_t { kValue, kVsLastYear, kVsPrevious };
enum class AlertOp : std::uint8_t { kLess, kLessEqual, kGreater, kGreaterEqual };
enum class AlertSeverity : std::uint8_t { kCritical, kWarning, kInfo };  // sort order

std::string_view AlertSeverityName(AlertSeverity s);  // "critical", ...
std::string_view AlertOpName(AlertOp op);              // "<", ...

// A threshold as written: an exact decimal, `units` x 10^-decimals.
struct AlertThreshold {
  std::int64_t units = 0;
  int decimals = 0;  // 0..6
  std::string text;  // as the user wrote it
};

struct AlertRule {
  std::string id;
  std::string kpi;
  std::string dimension;  // "" = total
  AlertCompare compare = AlertCompare::kValue;
  AlertOp op = AlertOp::kLess;
  AlertThreshold threshold;
  std::int32_t days = 0;                  // overdue only
  std::optional<std::int64_t> min_lines;  // none = the option
  AlertSeverity severity = AlertSeverity::kWarning;
};

// Parses and validates a rule table (the format above): a KPI must be one of
// the names above (conversion:STAGE for any stage); ComputeAlerts checks that
// the data has it. Errors: "rules: rule 2 ('low_margin'),
// field 'op': ...".
absl::StatusOr<std::vector<AlertRule>> ParseAlertRules(std::string_view json);

struct AlertsOptions {
  Day as_of = kNoDate;  // kNoDate = the last order line's date
  Grain grain = GrainUnit::kMonth;
  AlertWatch watch = AlertWatch::kComplete;
  // Dimensions of the order lines; empty = those of region, salesperson,
  // category, channel the data has.
  std::vector<std::string> dims;
  bool dims_given = false;  // dims set explicitly (an empty list = the total only)
  bool anomalies = true;
  std::int32_t k = 3;              // trend periods
  std::int32_t history = 12;       // residual periods
  std::int32_t min_history = 6;    // residuals needed
  double z = 3.0;
  double z_critical = 5.0;
  double mad_scale = 1.4826;  // MAD -> standard deviation under normality
  double min_band = 0.02;     // floor of the residual scale (relative)
  std::int64_t min_lines = 30;
  std::string min_base = "0";  // currency units (exact decimal)
  // A rule table: inline JSON (starts with '{' or '['), else a file path read
  // by the declaration's option (the CLI's --rules FILE).
  std::string rules;
  std::string lang = "en";  // en | zh
  int num_threads = 1;  // 0 = hardware concurrency
  // C++ only (not declared): a thread per this many order lines at most, so
  // small tables stay on one thread (tests set 1 to split tiny tables).
  std::size_t min_rows_per_thread = 65536;
};

struct AlertRow {
  std::string kind;  // anomaly | rule
  std::string rule;
  std::string kpi;
  std::string dimension;
  std::string member;
  std::string period;
  std::optional<double> value, expected, deviation, deviation_pct, z, low, high;
  std::string threshold;
  AlertSeverity severity = AlertSeverity::kWarning;
  std::string sentence;
};

struct AlertSkippedRow {
  std::string kind;
  std::string rule;
  std::string kpi;
  std::string dimension;
  std::int64_t slices = 0, checked = 0, guarded = 0, no_history = 0;
  std::string note;
};

struct AlertsResult {
  std::string period;  // label of P
  Day window_start = kNoDate, window_end = kNoDate;
  std::vector<AlertRow> alerts;
  std::vector<AlertSkippedRow> skipped;
};

absl::StatusOr<AlertsResult> ComputeAlerts(const Dataset& data, const AlertsOptions& options);

ResultTable ToResultTable(const AlertsResult& result);
ResultTable SkippedResultTable(const AlertsResult& result);

absl::Span<const OptionDecl<AlertsOptions>> AlertsOptionDecls();
CalculatorSpec AlertsCalculator();

}  // namespace salesight
