// Receivables, declared once (salesight/calculator.hpp) as TWO calculators:
//   aging       outputs aging, overdue, issues (one aging computation);
//   collection  output collection.
// Two rather than one with four outputs because a run computes every output of
// its calculator: the collection groups by salesperson by default, so one
// calculator would fail the aging of invoices without a salesperson column, and
// each has its own default grouping and options. The typed surfaces
// (salesight_aging_compute, salesight.aging / collection, `salesight aging
// [--collection]`) keep their shapes; `salesight collection` is the generic
// command of the second.
#include "core/internal/aggregator_kind.hpp"
#include "internal/partial_codec.hpp"
#include "salesight/calculator.hpp"
#include "salesight/receivables.hpp"

namespace salesight {
namespace {

using T = OptionType;
using V = OptionValue;

// "none" = no grouping (one total row), as the CLI's --by none.
std::string GroupOf(const V& v) { return v.text == "none" ? std::string() : v.text; }

const OptionDecl<AgingOptions> kAging[] = {
    {Option("as_of", T::kDate, "", "", "aging date (default: the latest invoice date)"),
     [](AgingOptions& o, const V& v) { o.as_of = v.date; }},
    {Option("basis", T::kChoice, "due", "due|invoice", "age from the due date (days past due) or the invoice date"),
     [](AgingOptions& o, const V& v) {
       o.age_basis = v.text == "invoice" ? AgeBasis::kInvoiceDate : AgeBasis::kDueDate;
     }},
    {Option("cutoffs", T::kIntList, "0,30,60,90", "", "strictly ascending cut-offs in days (a bucket holds age <= its cut-off, the last one the rest)").Range(-1000000, 1000000).Cli("buckets"),
     [](AgingOptions& o, const V& v) { o.cutoffs.assign(v.integers.begin(), v.integers.end()); }},
    {Option("by", T::kText, "customer", "DIMENSION|none", "group by a dimension of the invoices (customer, salesperson, region, an attribute column, one of the customer's); none = one total"),
     [](AgingOptions& o, const V& v) { o.group_by = GroupOf(v); }},
    {Option("top", T::kInt, "100", "", "size of the overdue list: the open invoices past due with the largest outstanding x days past due (the CLI: --overdue N prints it)").Range(0, 1000000000).Cli("overdue"),
     [](AgingOptions& o, const V& v) { o.overdue_top_n = static_cast<std::size_t>(v.integer); }},
    {ThreadsOption(),
     [](AgingOptions& o, const V& v) { o.num_threads = static_cast<int>(v.integer); }},
};

const OptionDecl<CollectionOptions> kCollection[] = {
    {Option("as_of", T::kDate, "", "", "what is known: payments dated up to it (default: the latest invoice date)"),
     [](CollectionOptions& o, const V& v) { o.as_of = v.date; }},
    {Option("start", T::kDate, "", "", "first due date of the period (default unbounded)").Cli("from"),
     [](CollectionOptions& o, const V& v) { o.from = v.date; }},
    {Option("end", T::kDate, "", "", "last due date of the period (default as_of)").Cli("to"),
     [](CollectionOptions& o, const V& v) { o.to = v.date; }},
    {Option("by", T::kText, "salesperson", "DIMENSION|none", "group by a dimension of the invoices (salesperson, customer, region, an attribute column, one of the customer's); none = one total"),
     [](CollectionOptions& o, const V& v) { o.group_by = GroupOf(v); }},
    {Option("days_to_pay", T::kChoice, "plain", "plain|amount_weighted", "average days to pay: the plain mean or weighted by amount"),
     [](CollectionOptions& o, const V& v) {
       o.days_to_pay = v.text == "amount_weighted" ? DaysToPayMean::kAmountWeighted
                                                   : DaysToPayMean::kPlain;
     }},
    {Option("rate_only", T::kBool, "false", "", "only invoices_due, billed, collected and collection_rate (the other columns null)"),
     [](CollectionOptions& o, const V& v) { o.rate_only = v.flag; }},
    {ThreadsOption(),
     [](CollectionOptions& o, const V& v) { o.num_threads = static_cast<int>(v.integer); }},
};

// The as-of date a run uses: the option, else the latest invoice date (the
// last day the export knows), as `salesight aging` does.
Day AsOf(const Dataset& data, Day given) {
  return given != kNoDate ? given : data.invoices()->max_invoice_date();
}

ResultSet AgingSet(const AgingResult& r, const Invoices& invoices) {
  ResultSet out;
  out.tables.push_back({"aging", ToResultTable(r)});
  out.tables.push_back({"overdue", OverdueToResultTable(r)});
  out.tables.push_back({"issues", IssuesToResultTable(r.issues, r.money_scale)});
  out.problems = ReceivablesProblems(r.issues, invoices);
  return out;
}

ResultSet CollectionSet(const CollectionResult& r) {
  ResultSet out;
  out.problems.money_scale = r.money_scale;
  out.tables.push_back({"collection", ToResultTable(r)});
  return out;
}

absl::StatusOr<ResultSet> RunAging(const Dataset& data, const AgingOptions& options) {
  AgingOptions o = options;
  o.as_of = AsOf(data, options.as_of);
  absl::StatusOr<AgingResult> r = ComputeAging(data, o);
  if (!r.ok()) return r.status();
  return AgingSet(*r, *data.invoices());
}

absl::StatusOr<ResultSet> RunCollection(const Dataset& data, const CollectionOptions& options) {
  CollectionOptions o = options;
  o.as_of = AsOf(data, options.as_of);
  absl::StatusOr<CollectionResult> r = ComputeCollection(data, o);
  if (!r.ok()) return r.status();
  return CollectionSet(*r);
}

// ---------------------------------------------------------------- partial states

// A partition knows only its own invoices, so the as-of date a run derives
// from the data (the latest invoice date) must be given.
absl::Status NeedAsOf(Day as_of, const char* what) {
  if (as_of != kNoDate) return absl::OkStatus();
  return absl::InvalidArgumentError(absl::StrCat(
      what, " partial: as_of is required (each partition would default to its own latest "
            "invoice date)"));
}

absl::StatusOr<AgingPartial> AgingRows(const Dataset& data, std::size_t begin, std::size_t end,
                                       const AgingOptions& options) {
  if (absl::Status st = NeedAsOf(options.as_of, "aging"); !st.ok()) return st;
  return PartialAging(data, begin, end, options);
}

absl::StatusOr<CollectionPartial> CollectionRows(const Dataset& data, std::size_t begin,
                                                 std::size_t end,
                                                 const CollectionOptions& options) {
  if (absl::Status st = NeedAsOf(options.as_of, "collection"); !st.ok()) return st;
  return PartialCollection(data, begin, end, options);
}

absl::StatusOr<ResultSet> FinishAgingSet(AgingPartial p, const AgingOptions& options,
                                         const Dataset* context) {
  const int scale = p.money_scale;
  absl::StatusOr<AgingResult> r = FinishAging(std::move(p), options);
  if (!r.ok()) return r.status();
  if (context != nullptr && context->invoices() != nullptr) {
    return AgingSet(*r, *context->invoices());
  }
  // No invoices to name the examples by: the problems keep counts and amounts.
  InvoicesColumns none;
  none.money_scale = scale;
  absl::StatusOr<Invoices> empty = Invoices::Build(std::move(none));
  if (!empty.ok()) return empty.status();
  return AgingSet(*r, *empty);
}

absl::StatusOr<ResultSet> FinishCollectionSet(CollectionPartial p,
                                              const CollectionOptions& options, const Dataset*) {
  absl::StatusOr<CollectionResult> r = FinishCollection(std::move(p), options);
  if (!r.ok()) return r.status();
  return CollectionSet(*r);
}

const aggregator_internal::KindOps<AgingOptions, AgingPartial> kAgingKind{
    .name = "aging",
    .kind = PartialKind::kAging,
    .rows = TableKind::kInvoices,
    .decls = kAging,
    .partial = &AgingRows,
    .merge = &MergeAging,
    .money_scale = [](AgingPartial& p) -> int& { return p.money_scale; },
    .write = &receivables_internal::WriteAging,
    .read = &receivables_internal::ReadAging,
    .attach =
        [](AgingPartial& p, const AgingPartial& fresh) {
          p.group_codes = fresh.group_codes;
          p.invoice_codes = fresh.invoice_codes;
          p.customer_codes = fresh.customer_codes;
        },
    .finish = &FinishAgingSet,
};

const aggregator_internal::KindOps<CollectionOptions, CollectionPartial> kCollectionKind{
    .name = "collection",
    .kind = PartialKind::kCollection,
    .rows = TableKind::kInvoices,
    .decls = kCollection,
    .partial = &CollectionRows,
    .merge = &MergeCollection,
    .money_scale = [](CollectionPartial& p) -> int& { return p.money_scale; },
    .write = &receivables_internal::WriteCollection,
    .read = &receivables_internal::ReadCollection,
    .attach = [](CollectionPartial& p,
                 const CollectionPartial& fresh) { p.group_codes = fresh.group_codes; },
    .finish = &FinishCollectionSet,
};

}  // namespace

absl::Span<const OptionDecl<AgingOptions>> AgingOptionDecls() { return kAging; }
absl::Span<const OptionDecl<CollectionOptions>> CollectionOptionDecls() { return kCollection; }

AggregatorSpec AgingAggregator() { return aggregator_internal::DeclareAggregator(&kAgingKind); }
AggregatorSpec CollectionAggregator() {
  return aggregator_internal::DeclareAggregator(&kCollectionKind);
}

CalculatorSpec AgingCalculator() {
  return DeclareCalculator<AgingOptions>(
      "aging",
      "Receivables aging as of a date: per group the outstanding amount (amount - payments "
      "dated on or before as_of) in buckets of days past due, the overdue list to chase "
      "first and the data issues (overpaid invoices, early payments; definitions: "
      "include/salesight/receivables.hpp, README).",
      {{TableKind::kInvoices, true}, {TableKind::kPayments, false}},
      {"aging", "overdue", "issues"}, AgingOptionDecls(), &RunAging);
}

CalculatorSpec CollectionCalculator() {
  return DeclareCalculator<CollectionOptions>(
      "collection",
      "Collection over a period of due dates as of a date. Collection rate, credit sales, "
      "receivables at the period's ends, DSO, CEI, average days to pay and on-time rate per "
      "group (definitions: include/salesight/receivables.hpp, README).",
      {{TableKind::kInvoices, true}, {TableKind::kPayments, false}}, {"collection"},
      CollectionOptionDecls(), &RunCollection);
}

}  // namespace salesight
