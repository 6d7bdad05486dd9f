// `salesight trend`: revenue, margin, orders (and collections, target) per
// day / ISO week / month / quarter / year, against the previous period, the
// same period last year or the target; --to-date prints MTD / QTD / YTD
// against the same elapsed days of last year.
#include <iostream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "internal/cli_common.hpp"
#include "internal/command.hpp"
#include "internal/commands.hpp"
#include "internal/declared_flags.hpp"
#include "salesight/status_macros.hpp"
#include "salesight/trend.hpp"

namespace salesight::cli {
namespace {

// Options the command spells its own way: --threads (every command's, default
// 0 = all cores). --to-date picks the output, not an option.
constexpr std::string_view kCliOwn[] = {"num_threads"};

absl::StatusOr<TrendOptions> OptionsFromArgs(const Args& args) {
  TrendOptions o;
  SALESIGHT_RETURN_IF_ERROR(ApplyDeclaredFlags(args, TrendOptionDecls(), kCliOwn, o));
  SALESIGHT_ASSIGN_OR_RETURN(std::int64_t threads, args.GetInt("threads", 0));
  o.num_threads = static_cast<int>(threads);
  return o;
}

}  // namespace

int RunTrend(int argc, char** argv, int first) {
  std::vector<FlagSpec> own = DeclaredFlags(InfosOf(TrendOptionDecls()), kCliOwn);
  FlagNamed(own, "compare") = FlagNamed(own, "compare")
                                  .NeedsWhen("target", "targets", "the targets are the base");
  FlagNamed(own, "as-of") = FlagNamed(own, "as-of").Needs("to-date");
  own.push_back(FlagSpec{"to-date", "", "print MTD / QTD / YTD vs the same elapsed days last year instead"}
                    .Needs("as-of")
                    .Excludes("grain", "the windows are month, quarter and year to date")
                    .Excludes("compare", "to-date compares with last year")
                    .Excludes("only-active", "it shapes the period table only"));
  own.push_back(ThreadsFlag());
  own.push_back(OutFlag());
  int exit_code = 0;
  std::optional<Args> args = ParseCommand(
      argc, argv, first,
      {MainFile::kOrders, MainFile::kTargets, MainFile::kInvoices, MainFile::kPayments}, own,
      "salesight trend --orders FILE --map order=COL,date=COL,amount=COL[,...] "
      "[--grain G] [--compare C] [--targets FILE --targets-map ...] [options]",
      "Trends: revenue, margin, orders (and collections with --invoices, target with\n"
      "--targets) per period, the compared value and growth as difference, percent and\n"
      "ratio; growth is empty where the base is missing or zero. Monthly targets are\n"
      "spread over the month's days. Without --orders it analyses the bundled sample.\n"
      "Definitions: include/salesight/trend.hpp, README.",
      &exit_code);
  if (!args) return exit_code;
  absl::StatusOr<TrendOptions> options = OptionsFromArgs(*args);
  if (!options.ok()) return UsageError(options.status());

  absl::StatusOr<std::unique_ptr<CommandData>> data = CommandData::Load(*args, MainFile::kOrders);
  if (!data.ok()) return DataError(data.status());
  absl::StatusOr<Dataset> dataset = (*data)->BuildDataset();
  if (!dataset.ok()) return DataError(dataset.status());
  if (!options->group_by.empty() && dataset->orders()->size() > 0) {
    // --by names a dimension of the data.
    if (absl::Status st =
            CheckDimensionFlag(*dataset, TableKind::kOrders, options->group_by, "by");
        !st.ok()) {
      return UsageError(st);
    }
  }
  absl::StatusOr<TrendResult> result = ComputeTrend(*dataset, *options);
  if (!result.ok()) return DataError(result.status());
  if (result->lines_outside_range > 0) {
    std::cerr << absl::StrFormat("%d lines outside --from/--to\n", result->lines_outside_range);
  }
  if (args->Has("to-date")) return WriteResult(ToDateResultTable(*result), *args);
  return WriteResult(ToResultTable(*result), *args);
}

}  // namespace salesight::cli
