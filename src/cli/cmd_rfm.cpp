// `salesight rfm`: one row per customer with recency, frequency, monetary, the
// r/f/m scores and the segment; --summary prints the segment table and Pareto.
#include <fstream>
#include <iostream>
#include <sstream>

#include "absl/strings/str_format.h"
#include "cli_common.hpp"
#include "commands.hpp"
#include "salesight/status_macros.hpp"
#include "command.hpp"
#include "rfm_flags.hpp"
#include "salesight/rfm.hpp"

namespace salesight::cli {
namespace {

template <typename T>
absl::StatusOr<std::vector<T>> ParseList(const Args& args, std::string_view flag) {
  std::vector<T> out;
  std::optional<std::string> v = args.Get(flag);
  if (!v) return out;
  for (const std::string& part : SplitList(*v)) {
    std::string s(part);
    std::istringstream in(s);
    T value{};
    if (!(in >> value) || !in.eof()) {
      return absl::InvalidArgumentError(
          absl::StrFormat("--%s: '%s' is not a number", flag, s));
    }
    out.push_back(value);
  }
  return out;
}

absl::StatusOr<RfmOptions> OptionsFromArgs(const Args& args) {
  RfmOptions o;
  if (std::optional<std::string> as_of = args.Get("as-of")) {
    SALESIGHT_ASSIGN_OR_RETURN(o.as_of, ParseDate(*as_of, DateFormat::kIso));
  }
  SALESIGHT_ASSIGN_OR_RETURN(std::int64_t window, args.GetInt("window-days", 0));
  o.window_days = static_cast<std::int32_t>(window);
  SALESIGHT_ASSIGN_OR_RETURN(o.frequency, ParseRfmFrequency(args.GetOr("frequency", "orders")));
  SALESIGHT_ASSIGN_OR_RETURN(o.monetary, ParseRfmMonetary(args.GetOr("monetary", "revenue")));
  SALESIGHT_ASSIGN_OR_RETURN(o.aggregation, ParseRfmAggregation(args.GetOr("aggregate", "sum")));
  SALESIGHT_ASSIGN_OR_RETURN(o.scoring, ParseRfmScoring(args.GetOr("scoring", "quantile")));
  SALESIGHT_ASSIGN_OR_RETURN(o.language, ParseRfmLanguage(args.GetOr("lang", "en")));
  SALESIGHT_ASSIGN_OR_RETURN(std::int64_t k, args.GetInt("k", 5));
  o.k = static_cast<int>(k);
  SALESIGHT_ASSIGN_OR_RETURN(std::int64_t threads, args.GetInt("threads", 0));
  o.num_threads = static_cast<int>(threads);
  if (o.scoring == RfmScoring::kFixed) {
    SALESIGHT_ASSIGN_OR_RETURN(o.fixed.recency_days, ParseList<std::int32_t>(args, "fixed-recency"));
    SALESIGHT_ASSIGN_OR_RETURN(o.fixed.frequency, ParseList<std::int32_t>(args, "fixed-frequency"));
    SALESIGHT_ASSIGN_OR_RETURN(o.fixed.monetary, ParseList<double>(args, "fixed-monetary"));
    o.k = static_cast<int>(o.fixed.recency_days.size()) + 1;
  }
  SALESIGHT_RETURN_IF_ERROR(SegmentsFromFlag(args, o));
  return o;
}

}  // namespace

int RunRfm(int argc, char** argv, int first) {
  const std::string fixed_why = "fixed scoring takes k-1 thresholds per metric";
  const std::vector<FlagSpec> own = {
      {"as-of", "YYYY-MM-DD", "analysis date (default: the day after the last order)"},
      FlagSpec{"window-days", "N", "only the N days before as-of (default 0 = all history)"}
          .Range(0, 100000),
      {"frequency", "orders|days", "distinct orders (default) or distinct purchase days"},
      {"monetary", "revenue|margin", "net revenue (default) or margin (needs cost)"},
      {"aggregate", "sum|mean", "monetary as the sum (default) or mean per order"},
      FlagSpec{"scoring", "quantile|ntile|fixed", "score method (default quantile: ties share a score)"}
          .NeedsWhen("fixed", "fixed-recency", fixed_why)
          .NeedsWhen("fixed", "fixed-frequency", fixed_why)
          .NeedsWhen("fixed", "fixed-monetary", fixed_why),
      FlagSpec{"k", "K", "number of score levels, 1..60 (default 5)"}
          .Range(1, 60)
          .Excludes("scoring=fixed", "with fixed scoring k = thresholds + 1"),
      FlagSpec{"fixed-recency", "D1,D2,..", "fixed scoring: recency thresholds in days (k-1 values)"}
          .Needs("scoring=fixed", fixed_why),
      FlagSpec{"fixed-frequency", "F1,F2,..", "fixed scoring: frequency thresholds"}
          .Needs("scoring=fixed", fixed_why),
      FlagSpec{"fixed-monetary", "M1,M2,..", "fixed scoring: monetary thresholds in currency units"}
          .Needs("scoring=fixed", fixed_why),
      SegmentsFlag(),
      {"lang", "en|zh", "segment label language (default en)"},
      ThreadsFlag(),
      FlagSpec{"detail", "", "add first_purchase, order_lines, returns, tenure_days, total"}
          .Excludes("summary", "the summary has one row per segment"),
      {"summary", "", "print the segment table and the Pareto share instead of customers"},
      OutFlag(),
  };
  int exit_code = 0;
  std::optional<Args> args = ParseCommand(
      argc, argv, first, {MainFile::kOrders}, own,
      "salesight rfm --orders FILE --map customer=COL,date=COL,amount=COL[,order=COL] [options]",
      "Customer value: per customer recency (days since the last purchase), frequency\n"
      "(distinct orders), monetary (net amount), scores 1..k (recency reversed: most\n"
      "recent = k) and a segment. Without --orders it analyses the bundled sample.\n"
      "Definitions: README.md, section Definitions, and include/salesight/rfm.hpp.",
      &exit_code);
  if (!args) return exit_code;
  absl::StatusOr<RfmOptions> options = OptionsFromArgs(*args);
  if (!options.ok()) return UsageError(options.status());

  absl::StatusOr<std::unique_ptr<CommandData>> data = CommandData::Load(*args, MainFile::kOrders);
  if (!data.ok()) return DataError(data.status());
  const OrderLines* orders = (*data)->orders();
  absl::StatusOr<RfmResult> result = ComputeRfm(*orders, *options);
  if (!result.ok()) return DataError(result.status());
  std::cerr << absl::StrFormat(
      "rfm as of %s: %d customers from %d lines (%d after as-of excluded, %d before the "
      "window, %d customers with only returns)\n",
      FormatDate(result->as_of), result->counts.customers, result->counts.lines_in_window,
      result->counts.excluded_future, result->counts.excluded_before_window,
      result->counts.customers_only_returns);
  if (args->Has("summary")) {
    absl::StatusOr<RfmSegmentSummary> segments = SummarizeSegments(*result);
    if (!segments.ok()) return DataError(segments.status());
    absl::StatusOr<RfmPareto> pareto = ComputePareto(*result, 10);
    if (!pareto.ok()) return DataError(pareto.status());
    int rc = WriteSegmentSummary(*segments, *args, std::cout);
    if (pareto->top20_share) {
      std::cout << absl::StrFormat("top 20%% of customers: %.1f%% of revenue\n",
                                   100.0 * *pareto->top20_share);
    }
    return rc;
  }
  return WriteResult(ToResultTable(*result, args->Has("detail")), *args);
}

}  // namespace salesight::cli
