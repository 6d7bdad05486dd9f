// `salesight aging`: receivables aging per customer (or salesperson, region)
// as of a date; --overdue lists the invoices to chase first; --collection
// prints collection rate, DSO, CEI, days to pay and on-time rate instead.
#include <algorithm>
#include <iostream>

#include "absl/strings/numbers.h"
#include "absl/strings/str_format.h"
#include "cli_common.hpp"
#include "command.hpp"
#include "commands.hpp"
#include "salesight/status_macros.hpp"
#include "salesight/receivables.hpp"

namespace salesight::cli {
namespace {

absl::StatusOr<Day> DateFlag(const Args& args, std::string_view flag) {
  std::optional<std::string> v = args.Get(flag);
  if (!v) return kNoDate;
  absl::StatusOr<Day> d = ParseDate(*v, DateFormat::kIso);
  if (!d.ok()) {
    return absl::InvalidArgumentError(absl::StrFormat("--%s: %s", flag, d.status().message()));
  }
  return *d;
}

}  // namespace

int RunAging(int argc, char** argv, int first) {
  const std::vector<FlagSpec> own = {
      {"as-of", "YYYY-MM-DD", "aging date (default: the latest invoice date)"},
      FlagSpec{"basis", "due|invoice", "age from the due date (default) or the invoice date"}
          .Excludes("collection", "collection does not age"),
      FlagSpec{"buckets", "C1,C2,..", "ascending cut-offs in days (default 0,30,60,90: current, "
                                      "1-30, 31-60, 61-90, over 90; a bucket holds age <= its cut-off)"}
          .Excludes("collection", "collection has no aging buckets")
          .Excludes("overdue", "the overdue list has no buckets"),
      FlagSpec{"by", "DIMENSION|none",
               "group by a dimension of the invoices: customer (default; salesperson with "
               "--collection), salesperson, region, any attribute column; none = one total"}
          .Excludes("overdue", "the overdue list is per invoice"),
      FlagSpec{"overdue", "N", "list the N overdue invoices with the largest outstanding x days past "
                               "due instead of the aging table"}
          .Range(0, 1000000000)
          .Excludes("collection", "both replace the aging table"),
      {"collection", "", "collection rate, DSO, CEI, days to pay, on-time rate per group "
                         "instead of the aging table (--by default salesperson)"},
      FlagSpec{"from", "YYYY-MM-DD", "collection period start (default: unbounded)"}.Needs(
          "collection", "it bounds the collection period"),
      FlagSpec{"to", "YYYY-MM-DD", "collection period end (default: the as-of date)"}.Needs(
          "collection", "it bounds the collection period"),
      FlagSpec{"weighted-days", "", "collection: average days to pay weighted by amount"}.Needs(
          "collection"),
      ThreadsFlag(),
      OutFlag(),
  };
  int exit_code = 0;
  std::optional<Args> args = ParseCommand(
      argc, argv, first, {MainFile::kInvoices, MainFile::kPayments}, own,
      "salesight aging --invoices FILE --map invoice=COL,customer=COL,date=COL,due=COL,"
      "amount=COL[,paid=COL,paid_date=COL] [--payments FILE --payments-map ...] [options]",
      "Receivables: per customer the outstanding amount (amount - payments dated on or\n"
      "before the as-of date) in aging buckets by days past due, and the overdue list.\n"
      "Overpayments and payments dated before their invoice are counted and reported.\n"
      "Without --invoices it analyses the bundled sample. Definitions:\n"
      "include/salesight/receivables.hpp, README.",
      &exit_code);
  if (!args) return exit_code;
  const bool collection = args->Has("collection");
  std::string group_by = args->GetOr("by", collection ? "salesperson" : "customer");
  if (group_by == "none") group_by.clear();
  absl::StatusOr<Day> as_of = DateFlag(*args, "as-of");
  absl::StatusOr<Day> from = DateFlag(*args, "from");
  absl::StatusOr<Day> to = DateFlag(*args, "to");
  for (const auto* d : {&as_of, &from, &to}) {
    if (!d->ok()) return UsageError(d->status());
  }
  absl::StatusOr<std::int64_t> threads = args->GetInt("threads", 0);
  if (!threads.ok()) return UsageError(threads.status());
  std::string basis = args->GetOr("basis", "due");
  if (basis != "due" && basis != "invoice") {
    return UsageError(absl::InvalidArgumentError("--basis must be due or invoice"));
  }
  std::vector<std::int32_t> cutoffs;
  if (std::optional<std::string> spec = args->Get("buckets")) {
    for (const std::string& item : SplitList(*spec)) {
      std::int32_t v = 0;
      if (!absl::SimpleAtoi(item, &v)) {
        return UsageError(absl::InvalidArgumentError(
            absl::StrFormat("--buckets: '%s' is not a whole number of days", item)));
      }
      cutoffs.push_back(v);
    }
  }
  absl::StatusOr<std::int64_t> overdue = args->GetInt("overdue", -1);
  if (!overdue.ok()) return UsageError(overdue.status());

  absl::StatusOr<std::unique_ptr<CommandData>> data =
      CommandData::Load(*args, MainFile::kInvoices);
  if (!data.ok()) return DataError(data.status());
  absl::StatusOr<Dataset> dataset = (*data)->BuildDataset();
  if (!dataset.ok()) return DataError(dataset.status());
  const Invoices& invoices = *dataset->invoices();
  if (!group_by.empty() && invoices.size() > 0) {  // --by names a dimension of the data
    if (absl::Status st = CheckDimensionFlag(*dataset, TableKind::kInvoices, group_by, "by");
        !st.ok()) {
      return UsageError(st);
    }
  }
  // Default: the latest invoice date (the last day the export knows).
  const Day date = *as_of != kNoDate ? *as_of : invoices.max_invoice_date();
  if (date == kNoDate) return DataError(absl::InvalidArgumentError("no invoices to age"));
  const int scale = invoices.money_scale();

  if (collection) {
    CollectionOptions o;
    o.as_of = date;
    o.from = *from;
    o.to = *to;
    o.group_by = group_by;
    o.days_to_pay =
        args->Has("weighted-days") ? DaysToPayMean::kAmountWeighted : DaysToPayMean::kPlain;
    o.num_threads = static_cast<int>(*threads);
    absl::StatusOr<CollectionResult> r = ComputeCollection(*dataset, o);
    if (!r.ok()) return DataError(r.status());
    std::cerr << absl::StrFormat("collection as of %s, invoices due %s .. %s\n", FormatDate(date),
                                 o.from == kNoDate ? "(any)" : FormatDate(o.from),
                                 FormatDate(r->to));
    return WriteResult(ToResultTable(*r), *args);
  }
  AgingOptions o;
  o.as_of = date;
  o.age_basis = basis == "due" ? AgeBasis::kDueDate : AgeBasis::kInvoiceDate;
  if (!cutoffs.empty()) o.cutoffs = cutoffs;
  o.group_by = group_by;
  o.overdue_top_n = *overdue >= 0 ? static_cast<std::size_t>(*overdue) : 0;
  o.num_threads = static_cast<int>(*threads);
  absl::StatusOr<AgingResult> r = ComputeAging(*dataset, o);
  if (!r.ok()) return DataError(r.status());
  std::cerr << absl::StrFormat("aging as of %s: %d invoices known, %d open, outstanding %s\n",
                               FormatDate(date), r->invoices, r->open_invoices,
                               FormatMoney(r->total, scale));
  PrintProblems(ProblemsToResultTable(ReceivablesProblems(r->issues, invoices)), std::cerr);
  if (*overdue >= 0) return WriteResult(OverdueToResultTable(*r), *args);
  return WriteResult(ToResultTable(*r), *args);
}

}  // namespace salesight::cli
