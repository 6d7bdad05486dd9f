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
#include "internal/stream_command.hpp"
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

// The lines after the computation.
int WriteTrend(const TrendResult& result, const Args& args) {
  if (result.lines_outside_range > 0) {
    std::cerr << absl::StrFormat("%d lines outside --from/--to\n", result.lines_outside_range);
  }
  if (args.Has("to-date")) return WriteResult(ToDateResultTable(result), args);
  return WriteResult(ToResultTable(result), args);
}

// --stream: one trend partial per batch of lines, merged in file order; the
// collections (whole invoices / payments) and targets come from the context
// as in ComputeTrend.
int RunTrendStreamed(const Args& args, const TrendOptions& options) {
  bool bad_by = false;  // a usage error, as in the plain command
  auto folded = StreamFold<TrendPartial>(
      args,
      [&](const Dataset& batch, Day) -> absl::StatusOr<TrendPartial> {
        if (!options.group_by.empty() && batch.orders()->size() > 0) {
          // --by names a dimension of the data.
          if (absl::Status st =
                  CheckDimensionFlag(batch, TableKind::kOrders, options.group_by, "by");
              !st.ok()) {
            bad_by = true;
            return st;
          }
        }
        return PartialTrend(batch, 0, batch.orders()->size(), options);
      },
      [](TrendPartial& into, const TrendPartial& from) { return MergeTrend(into, from); });
  if (!folded.ok()) return bad_by ? UsageError(folded.status()) : DataError(folded.status());
  TrendPartial& total = folded->second;
  const Dataset& context = folded->first->context();
  if (context.invoices() != nullptr) {
    const std::size_t rows =
        context.payments() != nullptr ? context.payments()->size() : context.invoices()->size();
    absl::StatusOr<TrendPartial> c = PartialTrendCollections(context, 0, rows, options);
    if (!c.ok()) return DataError(c.status());
    if (absl::Status st = MergeTrend(total, *c); !st.ok()) return DataError(st);
  }
  absl::StatusOr<TrendResult> result = FinishTrend(std::move(total), context.targets(), options);
  if (!result.ok()) return DataError(result.status());
  return WriteTrend(*result, args);
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
  for (FlagSpec& f : StreamFlags()) own.push_back(std::move(f));
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
  if (args->Has("stream")) return RunTrendStreamed(*args, *options);

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
  return WriteTrend(*result, *args);
}

}  // namespace salesight::cli
