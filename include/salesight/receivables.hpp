// Receivables (issue 8 items 1-2): aging as of a date, collection metrics over
// a period, and WORKLOADS.md workload (d) (ar_customer, ar_salesperson).
//
// Definitions (every choice is an option with the default stated here; the
// README's definitions table repeats them):
//
// Payments. When a Payments table is given it is the only payment source (its
// rows may come in any order, several per invoice); otherwise each invoice's
// `paid` / `paid_date` columns are one payment of `paid` dated `paid_date`
// (none when paid_date is kNoDate); with neither, nothing is paid. Knowledge is
// as of a date t: an invoice is known when invoice_date <= t, a payment when
// its date <= t. paid_by(i, t) = the sum of invoice i's payments dated <= t.
// Payments are summed with checked arithmetic (overflow is an error naming
// the invoice row).
//
// Aging (AgingOptions, as_of required):
//   * invoices with invoice_date > as_of are not yet known: excluded and
//     counted in issues.invoices_after_as_of; payments dated after as_of are
//     ignored and counted in issues.payments_after_as_of (+ amount);
//   * outstanding(i) = amount(i) - paid_by(i, as_of);
//   * age(i) = as_of - due_date(i) (AgeBasis::kDueDate, default: days past
//     due) or as_of - invoice_date(i) (kInvoiceDate);
//   * buckets from ascending cut-offs c_0 < ... < c_{k-1} (default
//     {0, 30, 60, 90}): bucket 0 is age <= c_0, bucket j is c_{j-1} < age <=
//     c_j, bucket k is age > c_{k-1}. With the default: "current" age <= 0,
//     "1-30", "31-60", "61-90", "over 90" (so age 0 is current, 1 and 30 are
//     1-30, 31 is 31-60, 90 is 61-90, 91 is over 90);
//   * an invoice contributes its outstanding to its group's bucket only when
//     outstanding > 0. Outstanding < 0 (overpaid, or a credit note: amount
//     < 0) contributes 0 to aging and is counted in issues.overpaid_invoices,
//     with -outstanding summed in issues.overpaid_amount. Outstanding == 0 is
//     settled. A payment dated before its invoice_date is a real payment
//     (a prepayment: it counts in paid_by) and is reported in
//     issues.early_payments / early_payment_amount;
//   * the result has one row per group with total outstanding > 0 (exactly
//     the groups with at least one invoice with outstanding > 0), ascending by
//     group id (see "Groups"); default group customer;
//   * overdue list: invoices with dpd = as_of - due_date > 0 (always from the
//     due date, whatever the age basis) and outstanding > 0, sorted by
//     outstanding x dpd descending (exact integer product), ties by invoice
//     (number, or code order) ascending, then row; at most overdue_top_n
//     entries (kAllOverdue = all).
//   Example rows for the issues: the smallest `max_examples` invoice rows.
//
// Collection (CollectionOptions: period [from, to] both inclusive, as_of):
//   as_of is required; to = kNoDate means as_of; to > as_of is an error (the
//   future is not known); from = kNoDate means unbounded below.
//   Due set = invoices with due_date in [from, to] (hence <= as_of and known).
//   * billed = sum of their amounts; collected = sum of paid_by(i, as_of) over
//     them (raw payments, not capped at the amount, so an overpayment can push
//     the rate above 1);  collection_rate = collected / billed.
//     With from unbounded and to = as_of this is workload (d)'s ar_salesperson.
//   * receivables at day t: AR(t) = sum over invoices with invoice_date <= t of
//     max(0, amount - paid_by(i, t)) (overpayments are liabilities, not
//     negative receivables); current AR(t) = the same over invoices with
//     due_date >= t (not past due at t).
//     ending = AR(to), ending_current = current AR(to), beginning =
//     AR(from - 1) (0 when from is unbounded).
//   * credit_sales = sum of amounts of invoices with invoice_date in [from, to].
//   * DSO = ending / credit_sales x days, days = to - from + 1; null when from
//     is unbounded or credit_sales <= 0.
//   * CEI = (beginning + credit_sales - ending) /
//           (beginning + credit_sales - ending_current) x 100 (percent);
//     null when the denominator is 0.
//   * Payable set = due set with amount > 0. Fully paid: paid_by(i, as_of) >=
//     amount; paid on time: paid_by(i, due_date) >= amount.
//     on_time_rate = on-time invoices / payable invoices.
//     days to pay(i) = (date of i's last payment dated <= as_of) -
//     invoice_date, over fully paid payable invoices; avg_days_to_pay is the
//     plain mean over them (DaysToPayMean::kPlain, default) or weighted by
//     amount (kAmountWeighted). Group by customer for "per customer".
//   * A group has a row when it has an invoice in the due set, an invoice
//     dated in [from, to], or beginning/ending AR > 0; ascending by group id;
//     default group salesperson.
//   Every ratio is a double computed at the end from exact integer sums; a
//   zero denominator gives std::nullopt, never NaN or infinity.
//
// Groups (group_by of both options): a dimension NAME of the invoice rows
// (salesight/dimension.hpp), resolved against the dataset: a field of the
// invoices (customer, salesperson, region), an attribute column of the
// invoices, or through the invoice's customer a field or attribute of the
// customers table ("region" when the invoices have none, "Segment"); "" =
// no grouping (one row, id 0). Group ids are the members' dictionary ids, in
// the codes' canonical order (dictionary.hpp), so the output order never
// depends on row order. An invoice whose customer has no row in the customers
// table has no member: it forms the group kNoId (labelled "(none)" by
// DimensionLabel, a null group cell in the result tables), sorted first.
//
// Threads and partitions: Compute* split the invoice rows into num_threads
// contiguous ranges (0 = hardware concurrency), build a partial per range
// and merge them. All sums are exact integers and the lists are ordered by
// total orders, so the result is identical for any thread count and any
// partition. No hashing: collection sums live in dense arrays indexed by
// group id (size = the dictionary's size when one is attached, else max id +
// 1); aging buffers each range's open invoices and sums them per group by a
// radix partition on the id into cache-sized dense blocks.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "salesight/calculator.hpp"
#include "salesight/dataset.hpp"
#include "salesight/date.hpp"
#include "salesight/dictionary.hpp"
#include "salesight/money.hpp"
#include "salesight/result_table.hpp"
#include "salesight/tables.hpp"

namespace salesight {

enum class AgeBasis : std::uint8_t { kDueDate, kInvoiceDate };
enum class DaysToPayMean : std::uint8_t { kPlain, kAmountWeighted };

inline constexpr std::size_t kAllOverdue = std::numeric_limits<std::size_t>::max();

struct AgingOptions {
  Day as_of = kNoDate;  // required (an error when kNoDate)
  AgeBasis age_basis = AgeBasis::kDueDate;
  // Strictly ascending, 1..1000 entries, each in -1000000..1000000 days.
  std::vector<std::int32_t> cutoffs = {0, 30, 60, 90};
  std::string group_by = "customer";  // a dimension of the invoices; "" = none
  std::size_t overdue_top_n = 100;  // kAllOverdue = every overdue invoice; 0 = none
  std::size_t max_examples = 5;     // example invoice rows per reported issue
  int num_threads = 1;              // 0 = hardware concurrency
};

struct CollectionOptions {
  Day from = kNoDate;   // inclusive; kNoDate = unbounded below
  Day to = kNoDate;     // inclusive; kNoDate = as_of
  Day as_of = kNoDate;  // required
  std::string group_by = "salesperson";  // a dimension of the invoices; "" = none
  DaysToPayMean days_to_pay = DaysToPayMean::kPlain;
  // Only invoices_due, billed and collected (hence collection_rate): the
  // other sums stay 0 and their ratios null, and the rows are the groups with
  // an invoice in the due set (workload (d)'s ar_salesperson). About half the
  // per-invoice work.
  bool rate_only = false;
  int num_threads = 1;
};

// Data problems found while aging: counted and shown, never dropped silently.
struct ReceivablesIssues {
  std::int64_t invoices_after_as_of = 0;  // excluded: not yet known
  std::int64_t payments_after_as_of = 0;  // of known invoices; ignored
  Money payments_after_as_of_amount = 0;
  std::int64_t overpaid_invoices = 0;  // outstanding < 0 (incl. credit notes)
  Money overpaid_amount = 0;           // sum of -outstanding over them
  std::int64_t early_payments = 0;     // payments dated before the invoice date
  Money early_payment_amount = 0;
  std::vector<std::int64_t> overpaid_examples;       // invoice rows, ascending
  std::vector<std::int64_t> early_payment_examples;  // invoice rows, ascending
};

struct OverdueInvoice {
  std::int64_t row = 0;      // invoice row
  std::int64_t invoice = 0;  // the invoice column's value
  Id customer = kNoId;
  Day due_date = kNoDate;
  Money amount = 0;
  Money outstanding = 0;
  std::int32_t days_past_due = 0;
};

// Mergeable partial state of aging.
struct AgingPartial {
  Day as_of = kNoDate;
  AgeBasis age_basis = AgeBasis::kDueDate;
  std::vector<std::int32_t> cutoffs;
  std::string group_by;
  std::size_t overdue_top_n = 0;
  std::size_t max_examples = 0;
  int money_scale = kDefaultMoneyScale;
  // While accumulating, a group's slot = its id + slot_offset (1 when a
  // member may be missing, slot 0 = kNoId); `groups` holds ids. num_slots:
  // the dimension's slot count (a sizing hint).
  std::int32_t slot_offset = 0;
  std::int64_t num_slots = 1;
  // Groups with an open invoice (ids; kNoId = no member), ascending, and
  // their bucket sums. (Open
  // invoices are buffered during the pass and aggregated by a radix
  // partition on the group id into cache-sized dense blocks: no per-customer
  // array the size of the customer table, no hashing, and the output comes
  // out in id order.)
  std::vector<Id> groups;
  std::vector<Money> cells;  // groups.size() x (cutoffs.size() + 1), row-major
  std::int64_t invoices = 0;       // known invoices (invoice_date <= as_of)
  std::int64_t open_invoices = 0;  // outstanding > 0
  std::vector<OverdueInvoice> overdue;  // best first, at most overdue_top_n
  ReceivablesIssues issues;
  DictionaryPtr group_codes;
  DictionaryPtr invoice_codes;  // Invoices::columns().invoices (text invoice numbers)
  DictionaryPtr customer_codes;  // Invoices::columns().customers (the overdue list)
};

struct AgingResult {
  Day as_of = kNoDate;
  AgeBasis age_basis = AgeBasis::kDueDate;
  std::vector<std::int32_t> cutoffs;
  std::string group_by;  // "" = not grouped
  int money_scale = kDefaultMoneyScale;
  std::vector<std::string> bucket_names;  // "current", "1_30", ..., "over_90" (see ToResultTable)
  std::vector<Id> groups;                 // ascending (kNoId first); total outstanding > 0
  std::vector<Money> amounts;             // groups.size() x num_buckets(), row-major
  std::vector<Money> totals;              // per group
  std::vector<Money> bucket_totals;       // over all groups
  Money total = 0;
  std::int64_t invoices = 0;
  std::int64_t open_invoices = 0;
  std::vector<OverdueInvoice> overdue;
  ReceivablesIssues issues;
  DictionaryPtr group_codes;
  DictionaryPtr invoice_codes;  // null: invoice numbers are the ERP's integers
  DictionaryPtr customer_codes;

  std::size_t num_buckets() const { return cutoffs.size() + 1; }
  Money amount(std::size_t group_row, std::size_t bucket) const {
    return amounts[group_row * num_buckets() + bucket];
  }
};

// Invoice rows [begin, end) of the dataset's invoices; payments from its
// payments table when it has one, else the invoices' paid/paid_date columns
// (if any).
absl::StatusOr<AgingPartial> PartialAging(const Dataset& data, std::size_t begin,
                                          std::size_t end, const AgingOptions& options);
// Fails when the partials' options or money scales differ, or a sum overflows.
absl::Status MergeAging(AgingPartial& into, const AgingPartial& from);
absl::StatusOr<AgingResult> FinishAging(AgingPartial partial, const AgingOptions& options);
absl::StatusOr<AgingResult> ComputeAging(const Dataset& data, const AgingOptions& options);

// ---------------------------------------------------------------- collection

// Exact sums of one group (the partial state's cells).
struct CollectionSums {
  std::int64_t invoices_due = 0;
  Money billed = 0;
  Money collected = 0;
  std::int64_t payable_invoices = 0;
  std::int64_t on_time_invoices = 0;
  std::int64_t paid_invoices = 0;
  std::int64_t days_to_pay_sum = 0;       // plain
  Money paid_amount = 0;                  // weights of the weighted mean
  // sum(amount x days to pay) as a 128-bit two's complement integer (exact).
  std::uint64_t amount_days_lo = 0;
  std::int64_t amount_days_hi = 0;
  std::int64_t invoiced = 0;              // invoices dated in [from, to]
  Money credit_sales = 0;
  Money ar_beginning = 0;
  Money ar_ending = 0;
  Money ar_ending_current = 0;
};

struct CollectionRow {
  Id group = 0;  // kNoId = no member (see "Groups")
  CollectionSums sums;
  std::optional<double> collection_rate;
  std::optional<double> dso;
  std::optional<double> cei;  // percent
  std::optional<double> avg_days_to_pay;
  std::optional<double> on_time_rate;
};

struct CollectionPartial {
  Day from = kNoDate, to = kNoDate, as_of = kNoDate;
  bool rate_only = false;
  std::string group_by;
  int money_scale = kDefaultMoneyScale;
  // Slot of a group = its id + slot_offset; slot_offset is 1 when a member
  // may be missing (slot 0 = kNoId), else 0.
  std::int32_t slot_offset = 0;
  std::int64_t num_groups = 0;
  std::vector<CollectionSums> sums;  // indexed by slot
  DictionaryPtr group_codes;
};

struct CollectionResult {
  Day from = kNoDate, to = kNoDate, as_of = kNoDate;
  bool rate_only = false;
  std::string group_by;  // "" = not grouped
  DaysToPayMean days_to_pay = DaysToPayMean::kPlain;
  int money_scale = kDefaultMoneyScale;
  std::vector<CollectionRow> rows;  // ascending by group
  CollectionRow total;              // over all invoices (group 0)
  DictionaryPtr group_codes;
};

absl::StatusOr<CollectionPartial> PartialCollection(const Dataset& data, std::size_t begin,
                                                    std::size_t end,
                                                    const CollectionOptions& options);
absl::Status MergeCollection(CollectionPartial& into, const CollectionPartial& from);
absl::StatusOr<CollectionResult> FinishCollection(CollectionPartial partial,
                                                  const CollectionOptions& options);
absl::StatusOr<CollectionResult> ComputeCollection(const Dataset& data,
                                                   const CollectionOptions& options);

// Aging and collection in ONE pass over the invoices (each column read once);
// equal to ComputeAging + ComputeCollection. num_threads from aging options.
struct ReceivablesResult {
  AgingResult aging;
  CollectionResult collection;
};
absl::StatusOr<ReceivablesResult> ComputeReceivables(const Dataset& data,
                                                     const AgingOptions& aging,
                                                     const CollectionOptions& collection);

// ---------------------------------------------------------------- tables

// <group>, one money column per bucket named b_current, b_1_30, b_31_60,
// b_61_90, b_over_90 (generally: b_current when c_0 = 0 else b_le_<c_0>,
// b_<c_{j-1}+1>_<c_j>, b_over_<c_{k-1}>, a minus sign written as 'm'), total.
// <group> is the group_by name (dictionary codes, else the id as text; the
// member kNoId is null); no group column when not grouped.
ResultTable ToResultTable(const AgingResult& result);
// invoice (the number as given: text when the invoices carry codes, else
// INT64), customer, due_date, amount, outstanding, days_past_due.
ResultTable OverdueToResultTable(const AgingResult& result);
// <group>, invoices_due, billed, collected, collection_rate, credit_sales,
// ar_beginning, ar_ending, ar_ending_current, dso, cei, avg_days_to_pay,
// on_time_rate.
ResultTable ToResultTable(const CollectionResult& result);
// issue, count, amount, example_rows ("3;17;42").
ResultTable IssuesToResultTable(const ReceivablesIssues& issues, int money_scale);

// The data problems of `issues` (see DataProblem), kinds with a count > 0 in
// this order: invoices_after_as_of, payments_after_as_of (amount),
// overpaid_invoices (amount; examples), payments_before_invoice_date (amount;
// examples: the invoices). Example ids are the invoice numbers as given
// (`invoices` is the table the issues were computed from).
DataProblems ReceivablesProblems(const ReceivablesIssues& issues, const Invoices& invoices);

// WORKLOADS.md (d) at `as_of`: ar_customer(customer_id, b_current, b_1_30,
// b_31_60, b_61_90, b_over_90, total) and ar_salesperson(salesperson_id,
// billed, collected, collection_rate) with integer ids, money as kMoney.
// Needs the invoices' salesperson column.
struct ArWorkloadTables {
  ResultTable ar_customer;
  ResultTable ar_salesperson;
};
// ---------------------------------------------------------------- declared

// Two declared calculators (src/receivables/declaration.cpp; why two: there):
// aging (outputs aging, overdue, issues) and collection (output collection).
// as_of defaults to the latest invoice date.
absl::Span<const OptionDecl<AgingOptions>> AgingOptionDecls();
absl::Span<const OptionDecl<CollectionOptions>> CollectionOptionDecls();
CalculatorSpec AgingCalculator();
CalculatorSpec CollectionCalculator();
// Their partial states (salesight/aggregator.hpp): as_of must be given.
struct AggregatorSpec;
AggregatorSpec AgingAggregator();
AggregatorSpec CollectionAggregator();

absl::StatusOr<ArWorkloadTables> ComputeArWorkload(const Dataset& data, Day as_of,
                                                   int num_threads = 1);

}  // namespace salesight
