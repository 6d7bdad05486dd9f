// `salesight leaderboard`: per salesperson revenue, margin, orders, won deals
// and win rate, collection rate and target attainment over a period, ranked.
#include <algorithm>
#include <iostream>

#include "absl/strings/str_format.h"
#include "cli_common.hpp"
#include "command.hpp"
#include "commands.hpp"
#include "salesight/status_macros.hpp"
#include "salesight/leaderboard.hpp"

namespace salesight::cli {
namespace {

absl::StatusOr<LeaderboardOptions> OptionsFromArgs(const Args& args) {
  LeaderboardOptions o;
  static constexpr std::pair<std::string_view, LeaderboardMetric> kMetrics[] = {
      {"revenue", LeaderboardMetric::kRevenue},
      {"margin", LeaderboardMetric::kMargin},
      {"orders", LeaderboardMetric::kOrders},
      {"won", LeaderboardMetric::kWon},
      {"win_rate", LeaderboardMetric::kWinRate},
      {"collection_rate", LeaderboardMetric::kCollectionRate},
      {"attainment", LeaderboardMetric::kTargetAttainment}};
  const std::string rank_by = args.GetOr("rank-by", "revenue");
  bool found = false;
  for (const auto& [name, metric] : kMetrics) {
    if (rank_by == name) {
      o.rank_by = metric;
      found = true;
    }
  }
  if (!found) {
    return absl::InvalidArgumentError(
        "--rank-by must be revenue, margin, orders, won, win_rate, collection_rate or "
        "attainment");
  }
  for (auto [flag, field] : {std::pair{"from", &o.from}, {"to", &o.to}, {"as-of", &o.as_of}}) {
    if (std::optional<std::string> v = args.Get(flag)) {
      SALESIGHT_ASSIGN_OR_RETURN(*field, ParseDate(*v, DateFormat::kIso));
    }
  }
  SALESIGHT_ASSIGN_OR_RETURN(std::int64_t threads, args.GetInt("threads", 0));
  o.num_threads = static_cast<int>(threads);
  return o;
}

// The latest date any input knows: the default as-of (the leaderboard needs
// one as soon as a pipeline or invoices are given).
Day LatestDate(const Dataset& data) {
  Day latest = data.orders()->max_date();  // kNoDate (INT32_MIN) when empty: max() skips it
  if (data.invoices()) latest = std::max(latest, data.invoices()->max_invoice_date());
  if (data.pipeline()) latest = std::max(latest, data.pipeline()->max_created());
  return latest;
}

}  // namespace

int RunLeaderboard(int argc, char** argv, int first) {
  const std::vector<FlagSpec> own = {
      {"from", "YYYY-MM-DD", "first day of the period (default: unbounded)"},
      {"to", "YYYY-MM-DD", "last day of the period (default: unbounded)"},
      {"as-of", "YYYY-MM-DD", "what is known (default --to, else the latest date in the data)"},
      {"rank-by", "METRIC", "revenue (default), margin, orders, won, win_rate, "
                            "collection_rate or attainment; descending, ties by salesperson"},
      FlagSpec{"top", "N", "only the first N rows"}.Range(0, 1000000000),
      ThreadsFlag(),
      OutFlag(),
  };
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
  absl::StatusOr<std::int64_t> top = args->GetInt("top", -1);
  if (!top.ok()) return UsageError(top.status());

  absl::StatusOr<std::unique_ptr<CommandData>> data = CommandData::Load(*args, MainFile::kOrders);
  if (!data.ok()) return DataError(data.status());
  absl::StatusOr<Dataset> dataset = (*data)->BuildDataset();
  if (!dataset.ok()) return DataError(dataset.status());
  if (options->as_of == kNoDate && options->to == kNoDate) {
    options->as_of = LatestDate(*dataset);
  }
  absl::StatusOr<LeaderboardResult> result = ComputeLeaderboard(*dataset, *options);
  if (!result.ok()) return DataError(result.status());
  if (*top >= 0 && static_cast<std::size_t>(*top) < result->rows.size()) {
    result->rows.resize(static_cast<std::size_t>(*top));
  }
  return WriteResult(ToResultTable(*result), *args);
}

}  // namespace salesight::cli
