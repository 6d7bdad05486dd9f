// `salesight clv`: customer lifetime value from an orders export. Fits one
// BTYD model on the summary at --calibration-end (salesight/clv/run.hpp),
// writes one row per customer (--out) and the fit (--params-out).
#include <fstream>
#include <iostream>

#include "internal/cli_common.hpp"
#include "internal/command.hpp"
#include "internal/commands.hpp"
#include "internal/declared_flags.hpp"
#include "salesight/clv/run.hpp"
#include "salesight/status_macros.hpp"

namespace salesight::cli {
namespace {

constexpr std::string_view kCliOwn[] = {"num_threads"};

absl::StatusOr<clv::ClvRunOptions> OptionsFromArgs(const Args& args) {
  clv::ClvRunOptions o;
  SALESIGHT_RETURN_IF_ERROR(ApplyDeclaredFlags(
      args, InfosOf(clv::ClvOptionDecls()), kCliOwn,
      [&](std::string_view name, std::string_view text) { return clv::SetClvOption(o, name, text); }));
  SALESIGHT_ASSIGN_OR_RETURN(std::int64_t threads, args.GetInt("threads", 0));
  o.num_threads = static_cast<int>(threads);
  return o;
}

}  // namespace

int RunClv(int argc, char** argv, int first) {
  std::vector<FlagSpec> own = DeclaredFlags(InfosOf(clv::ClvOptionDecls()), kCliOwn);
  own.push_back(ThreadsFlag());
  own.push_back({"params-out", "FILE.json", "write the fitted parameters, standard errors, "
                                            "log-likelihood and convergence"});
  own.push_back(OutFlag());
  int exit_code = 0;
  std::optional<Args> args = ParseCommand(
      argc, argv, first, {MainFile::kOrders}, own,
      "salesight clv --orders FILE --map customer=COL,date=COL,amount=COL --model "
      "bgnbd|pareto-nbd|gamma-gamma|bgbb --time-unit day|week|month --calibration-end "
      "YYYY-MM-DD [--horizon N --discount R --margin M] [--params-out params.json] [--out clv.csv]",
      "Customer lifetime value (BTYD models): per customer P(alive), expected purchases\n"
      "in the next --horizon time units, expected spend and discounted CLV. Times count\n"
      "from each customer's first purchase. Definitions: include/salesight/clv/*.hpp.",
      &exit_code);
  if (!args) return exit_code;
  absl::StatusOr<clv::ClvRunOptions> options = OptionsFromArgs(*args);
  if (!options.ok()) return UsageError(options.status());
  absl::StatusOr<std::unique_ptr<CommandData>> data = CommandData::Load(*args, MainFile::kOrders);
  if (!data.ok()) return DataError(data.status());
  absl::StatusOr<clv::ClvRunResult> result = clv::RunClv(*(*data)->orders(), *options);
  if (!result.ok()) return DataError(result.status());
  std::cerr << result->summary << "\n";
  if (std::optional<std::string> path = args->Get("params-out")) {
    std::ofstream out(*path);
    out << result->params_json;
    if (!out) return DataError(absl::InternalError("cannot write " + *path));
  }
  return WriteResult(result->customers, *args);
}

}  // namespace salesight::cli
