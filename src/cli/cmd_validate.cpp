// `salesight validate`: ingest exports with a mapping, print what was loaded
// and every row that was not (with its file line).
#include <iostream>

#include "absl/strings/str_format.h"
#include "internal/cli_common.hpp"
#include "internal/commands.hpp"
#include "internal/ingest_flags.hpp"

namespace salesight::cli {
namespace {

std::string Total(absl::Span<const Money> amounts, int scale) {
  Money sum = 0;
  for (Money a : amounts) {
    if (!AddMoney(sum, a, &sum)) return "overflow";
  }
  return FormatMoney(sum, scale);
}

void PrintOrders(const OrdersCsv& csv, std::ostream& out) {
  const OrderLines& t = csv.table;
  out << absl::StrFormat(
      "orders:   %d lines, %d customers, %d products, %s .. %s, total amount %s "
      "(money scale %d), %d return lines\n",
      t.size(), t.num_customers(), t.num_products(), FormatDate(t.min_date()),
      FormatDate(t.max_date()), Total(t.columns().amount.span(), t.money_scale()),
      t.money_scale(), t.num_returns());
}

void PrintPipeline(const PipelineCsv& csv, std::ostream& out) {
  const Pipeline& t = csv.table;
  out << absl::StrFormat("pipeline: %d opportunities, stages:", t.size());
  for (std::size_t s = 0; s < t.num_stages(); ++s) {
    std::size_t reached = 0;
    for (Day d : t.columns().stage_dates[s]) reached += d != kNoDate;
    out << absl::StrFormat(" %s %d", t.columns().stage_names[s], reached);
  }
  out << "\n";
}

void PrintInvoices(const InvoicesCsv& csv, std::ostream& out) {
  const Invoices& t = csv.table;
  out << absl::StrFormat("invoices: %d invoices, total amount %s (money scale %d)\n", t.size(),
                         Total(t.columns().amount.span(), t.money_scale()), t.money_scale());
}

}  // namespace

int RunValidate(int argc, char** argv, int first) {
  std::vector<FlagSpec> specs =
      IngestFlagSpecs({MainFile::kOrders, MainFile::kPipeline, MainFile::kInvoices},
                      {MainFile::kPipeline, MainFile::kInvoices});
  specs.push_back(ThreadsFlag(
      "threads reading the orders file (default 0 = all cores; same result for any count)"));
  absl::StatusOr<Args> args = Args::Parse(argc, argv, first, specs);
  if (!args.ok()) return UsageError(args.status());
  if (args->help()) {
    std::cout << FormatHelp(
        "salesight validate --orders FILE --map order=COL,date=COL,customer=COL,amount=COL "
        "[--date-format F]",
        "Loads exports with a mapping and prints a summary of each table and the reject\n"
        "report: every row that could not be read, with its file line, column, value and\n"
        "reason. accepted + rejected = data lines, always. Exit code 1 if any row was rejected.",
        specs);
    return 0;
  }
  if (!args->Has("orders") && !args->Has("pipeline") && !args->Has("invoices")) {
    return UsageError(absl::InvalidArgumentError(
        "give at least one of --orders, --pipeline, --invoices (see --help)"));
  }
  MainFile main = args->Has("orders")     ? MainFile::kOrders
                  : args->Has("pipeline") ? MainFile::kPipeline
                                          : MainFile::kInvoices;
  absl::StatusOr<LoadedExports> loaded = LoadExports(*args, main);
  if (!loaded.ok()) return DataError(loaded.status());
  std::int64_t rejected = 0;
  if (loaded->orders) {
    PrintOrders(*loaded->orders, std::cout);
    rejected += loaded->orders->report.rejected;
  }
  if (loaded->pipeline) {
    PrintPipeline(*loaded->pipeline, std::cout);
    rejected += loaded->pipeline->report.rejected;
  }
  if (loaded->invoices) {
    PrintInvoices(*loaded->invoices, std::cout);
    rejected += loaded->invoices->report.rejected;
  }
  return rejected > 0 ? 1 : 0;
}

}  // namespace salesight::cli
