// `salesight contribution`: each region's (channel's, category's, ...) share
// of total revenue or margin, with percentages rounded so they sum to
// exactly 100.
#include <iostream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "cli_common.hpp"
#include "command.hpp"
#include "commands.hpp"
#include "salesight/status_macros.hpp"
#include "salesight/contribution.hpp"

namespace salesight::cli {
namespace {

absl::StatusOr<ContributionOptions> OptionsFromArgs(const Args& args) {
  ContributionOptions o;
  // Dimension names, checked against the data once it is loaded.
  o.dimensions = SplitList(args.GetOr("by", "region"));
  if (o.dimensions.empty() || o.dimensions.size() > 2) {
    return absl::InvalidArgumentError("--by takes one or two keys");
  }
  const std::string measure = args.GetOr("measure", "revenue");
  if (measure == "revenue") {
    o.measure = ContributionMeasure::kRevenue;
  } else if (measure == "margin") {
    o.measure = ContributionMeasure::kMargin;
  } else {
    return absl::InvalidArgumentError("--measure must be revenue or margin");
  }
  for (auto [flag, field] : {std::pair{"from", &o.from}, {"to", &o.to}}) {
    if (std::optional<std::string> v = args.Get(flag)) {
      SALESIGHT_ASSIGN_OR_RETURN(*field, ParseDate(*v, DateFormat::kIso));
    }
  }
  SALESIGHT_ASSIGN_OR_RETURN(std::int64_t decimals, args.GetInt("decimals", 1));
  o.decimals = static_cast<int>(decimals);
  SALESIGHT_ASSIGN_OR_RETURN(std::int64_t threads, args.GetInt("threads", 0));
  o.num_threads = static_cast<int>(threads);
  return o;
}

}  // namespace

int RunContribution(int argc, char** argv, int first) {
  const std::vector<FlagSpec> own = {
      {"by", "DIMENSION[,DIMENSION]",
       "region (default), department, channel, category, salesperson, customer or any "
       "attribute column; two for a breakdown"},
      {"measure", "revenue|margin", "what is shared (default revenue)"},
      {"from", "YYYY-MM-DD", "first order date included"},
      {"to", "YYYY-MM-DD", "last order date included"},
      FlagSpec{"decimals", "N", "decimals of share_pct, 0..6 (default 1); the rounded values sum to 100"}
          .Range(0, 6),
      ThreadsFlag(),
      OutFlag(),
  };
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
