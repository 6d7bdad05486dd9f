// `salesight contribution`: each region's (channel's, category's, ...) share
// of total revenue or margin, with percentages rounded so they sum to
// exactly 100.
#include <iostream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "internal/cli_common.hpp"
#include "internal/command.hpp"
#include "internal/commands.hpp"
#include "internal/declared_flags.hpp"
#include "salesight/status_macros.hpp"
#include "salesight/contribution.hpp"

namespace salesight::cli {
namespace {

// Options the command spells its own way: --threads (every command's, default
// 0 = all cores).
constexpr std::string_view kCliOwn[] = {"num_threads"};

absl::StatusOr<ContributionOptions> OptionsFromArgs(const Args& args) {
  ContributionOptions o;
  SALESIGHT_RETURN_IF_ERROR(ApplyDeclaredFlags(args, ContributionOptionDecls(), kCliOwn, o));
  SALESIGHT_ASSIGN_OR_RETURN(std::int64_t threads, args.GetInt("threads", 0));
  o.num_threads = static_cast<int>(threads);
  return o;
}

}  // namespace

int RunContribution(int argc, char** argv, int first) {
  std::vector<FlagSpec> own = DeclaredFlags(InfosOf(ContributionOptionDecls()), kCliOwn);
  own.push_back(ThreadsFlag());
  own.push_back(OutFlag());
  int exit_code = 0;
  std::optional<Args> args = ParseCommand(
      argc, argv, first, {MainFile::kOrders}, own,
      "salesight contribution --orders FILE --map order=COL,date=COL,amount=COL,region=COL,... "
      "[--by KEY] [options]",
      "Contribution: each group's share of total revenue (or margin). share is the exact\n"
      "ratio; share_pct is rounded by the largest-remainder method so the column sums to\n"
      "exactly 100. Without --orders it analyses the bundled sample. Definitions:\n"
      "include/salesight/contribution.hpp, README.",
      &exit_code);
  if (!args) return exit_code;
  absl::StatusOr<ContributionOptions> options = OptionsFromArgs(*args);
  if (!options.ok()) return UsageError(options.status());
  absl::StatusOr<std::unique_ptr<CommandData>> data = CommandData::Load(*args, MainFile::kOrders);
  if (!data.ok()) return DataError(data.status());
  absl::StatusOr<Dataset> dataset = (*data)->BuildDataset();
  if (!dataset.ok()) return DataError(dataset.status());
  // --by names dimensions of the data.
  if (absl::Status st = CheckMarginGrouping(*dataset, MarginGrouping{options->dimensions});
      !st.ok()) {
    return UsageError(absl::InvalidArgumentError(absl::StrCat("--by: ", st.message())));
  }
  absl::StatusOr<ContributionResult> result = ComputeContribution(*dataset, *options);
  if (!result.ok()) return DataError(result.status());
  PrintProblems(ProblemsToResultTable(ContributionProblems(*result)), std::cerr);
  std::cerr << absl::StrFormat("total %s over %d lines\n",
                               FormatMoney(result->total, result->money_scale), result->lines);
  return WriteResult(ToResultTable(*result), *args);
}

}  // namespace salesight::cli
