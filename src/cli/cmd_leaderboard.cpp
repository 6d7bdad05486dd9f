// `salesight leaderboard`: per salesperson revenue, margin, orders, won deals
// and win rate, collection rate and target attainment over a period, ranked.
#include <iostream>

#include "absl/strings/str_format.h"
#include "internal/cli_common.hpp"
#include "internal/command.hpp"
#include "internal/commands.hpp"
#include "internal/declared_flags.hpp"
#include "salesight/status_macros.hpp"
#include "salesight/leaderboard.hpp"

namespace salesight::cli {
namespace {

// Options the command spells its own way: --threads (every command's, default
// 0 = all cores).
constexpr std::string_view kCliOwn[] = {"num_threads"};

absl::StatusOr<LeaderboardOptions> OptionsFromArgs(const Args& args) {
  LeaderboardOptions o;
  SALESIGHT_RETURN_IF_ERROR(ApplyDeclaredFlags(args, LeaderboardOptionDecls(), kCliOwn, o));
  SALESIGHT_ASSIGN_OR_RETURN(std::int64_t threads, args.GetInt("threads", 0));
  o.num_threads = static_cast<int>(threads);
  return o;
}

}  // namespace

int RunLeaderboard(int argc, char** argv, int first) {
  std::vector<FlagSpec> own = DeclaredFlags(InfosOf(LeaderboardOptionDecls()), kCliOwn);
  own.push_back(ThreadsFlag());
  own.push_back(OutFlag());
  int exit_code = 0;
  std::optional<Args> args = ParseCommand(
      argc, argv, first,
      {MainFile::kOrders, MainFile::kPipeline, MainFile::kInvoices, MainFile::kPayments,
       MainFile::kTargets},
      own,
      "salesight leaderboard --orders FILE --map order=COL,date=COL,amount=COL,salesperson=COL "
      "[--pipeline FILE ...] [--invoices FILE ...] [--targets FILE ...] [options]",
      "Leaderboard: per salesperson revenue, margin, orders, won deals and win rate (with\n"
      "--pipeline), collection rate (with --invoices) and target attainment (with\n"
      "--targets), ranked; a missing input leaves its columns empty. Without --orders it\n"
      "analyses the bundled sample. Definitions: include/salesight/leaderboard.hpp, README.",
      &exit_code);
  if (!args) return exit_code;
  absl::StatusOr<LeaderboardOptions> options = OptionsFromArgs(*args);
  if (!options.ok()) return UsageError(options.status());

  absl::StatusOr<std::unique_ptr<CommandData>> data = CommandData::Load(*args, MainFile::kOrders);
  if (!data.ok()) return DataError(data.status());
  absl::StatusOr<Dataset> dataset = (*data)->BuildDataset();
  if (!dataset.ok()) return DataError(dataset.status());
  absl::StatusOr<LeaderboardResult> result = ComputeLeaderboard(*dataset, *options);
  if (!result.ok()) return DataError(result.status());
  return WriteResult(ToResultTable(*result), *args);
}

}  // namespace salesight::cli
