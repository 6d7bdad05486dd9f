// `salesight aging`: receivables aging per customer (or salesperson, region)
// as of a date; --overdue lists the invoices to chase first; --collection
// prints collection rate, DSO, CEI, days to pay and on-time rate instead.
#include <algorithm>
#include <iostream>

#include "absl/strings/str_format.h"
#include "internal/cli_common.hpp"
#include "internal/command.hpp"
#include "internal/commands.hpp"
#include "internal/declared_flags.hpp"
#include "salesight/status_macros.hpp"
#include "salesight/receivables.hpp"

namespace salesight::cli {
namespace {

// The command runs two declared calculators: aging (the default) and
// collection (--collection). Options both have (as_of, by) are one flag; the
// command spells its own way: --by (its default depends on --collection),
// --threads (every command's, default 0 = all cores), and --overdue N (the
// declared `top`, which also picks the overdue list as the output).
constexpr std::string_view kAgingOwn[] = {"by", "top", "num_threads"};
constexpr std::string_view kCollectionOwn[] = {"as_of", "by", "num_threads"};

std::vector<FlagSpec> Flags() {
  std::vector<FlagSpec> own = DeclaredFlags(InfosOf(AgingOptionDecls()), kAgingOwn);
  for (const char* aging_only : {"basis", "buckets"}) {
    FlagNamed(own, aging_only) = FlagNamed(own, aging_only).Excludes("collection", "collection does not age");
  }
  FlagNamed(own, "buckets") =
      FlagNamed(own, "buckets").Excludes("overdue", "the overdue list has no buckets");
  own.push_back(FlagSpec{"by", "DIMENSION|none",
                         "group by a dimension of the invoices: customer (default; salesperson with "
                         "--collection), salesperson, region, any attribute column; none = one total"}
                    .Excludes("overdue", "the overdue list is per invoice"));
  own.push_back(FlagSpec{"overdue", "N",
                         "list the N overdue invoices with the largest outstanding x days past due "
                         "instead of the aging table"}
                    .Range(0, 1000000000)
                    .Excludes("collection", "both replace the aging table"));
  own.push_back({"collection", "",
                 "collection rate, DSO, CEI, days to pay, on-time rate per group instead of the "
                 "aging table (--by default salesperson)"});
  for (FlagSpec flag : DeclaredFlags(InfosOf(CollectionOptionDecls()), kCollectionOwn)) {
    own.push_back(flag.Needs("collection", "a collection option"));
  }
  own.push_back(ThreadsFlag());
  own.push_back(OutFlag());
  return own;
}

}  // namespace

int RunAging(int argc, char** argv, int first) {
  const std::vector<FlagSpec> own = Flags();
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
  absl::StatusOr<std::int64_t> threads = args->GetInt("threads", 0);
  if (!threads.ok()) return UsageError(threads.status());
  absl::StatusOr<std::int64_t> overdue = args->GetInt("overdue", -1);
  if (!overdue.ok()) return UsageError(overdue.status());
  AgingOptions aging;
  CollectionOptions collect;
  if (absl::Status st = collection
                            ? ApplyDeclaredFlags(*args, CollectionOptionDecls(), kCollectionOwn, collect)
                            : ApplyDeclaredFlags(*args, AgingOptionDecls(), kAgingOwn, aging);
      !st.ok()) {
    return UsageError(st);
  }
  if (collection) {  // as_of is one flag for both (declared by aging)
    if (std::optional<std::string> v = args->Get("as-of")) {
      if (absl::Status st = SetOption(CollectionOptionDecls(), collect, "as_of", *v); !st.ok()) {
        return UsageError(AsFlagError(st, "as_of", "as-of"));
      }
    }
  }

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
  const Day given = collection ? collect.as_of : aging.as_of;
  const Day date = given != kNoDate ? given : invoices.max_invoice_date();
  if (date == kNoDate) return DataError(absl::InvalidArgumentError("no invoices to age"));
  const int scale = invoices.money_scale();

  if (collection) {
    CollectionOptions& o = collect;
    if (o.as_of == kNoDate) o.as_of = date;
    o.group_by = group_by;
    o.num_threads = static_cast<int>(*threads);
    absl::StatusOr<CollectionResult> r = ComputeCollection(*dataset, o);
    if (!r.ok()) return DataError(r.status());
    std::cerr << absl::StrFormat("collection as of %s, invoices due %s .. %s\n", FormatDate(date),
                                 o.from == kNoDate ? "(any)" : FormatDate(o.from),
                                 FormatDate(r->to));
    return WriteResult(ToResultTable(*r), *args);
  }
  AgingOptions& o = aging;
  o.as_of = date;
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
