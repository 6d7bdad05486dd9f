// `salesight rfm`: one row per customer with recency, frequency, monetary, the
// r/f/m scores and the segment; --summary prints the segment table and Pareto.
#include <iostream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "internal/cli_common.hpp"
#include "internal/commands.hpp"
#include "salesight/status_macros.hpp"
#include "internal/command.hpp"
#include "internal/declared_flags.hpp"
#include "internal/rfm_flags.hpp"
#include "internal/stream_command.hpp"
#include "salesight/dataset.hpp"
#include "salesight/rfm.hpp"

namespace salesight::cli {
namespace {

// Options the command spells its own way: --segments FILE (a rules file)
// and --threads (every command's, default 0 = all cores).
constexpr std::string_view kCliOwn[] = {"segments", "rules", "num_threads"};

absl::StatusOr<RfmOptions> OptionsFromArgs(const Args& args) {
  RfmOptions o;
  SALESIGHT_RETURN_IF_ERROR(ApplyDeclaredFlags(
      args, InfosOf(RfmOptionDecls()), kCliOwn,
      [&](std::string_view name, std::string_view text) { return SetRfmOption(o, name, text); }));
  SALESIGHT_ASSIGN_OR_RETURN(std::int64_t threads, args.GetInt("threads", 0));
  o.num_threads = static_cast<int>(threads);
  if (o.scoring == RfmScoring::kFixed) o.k = static_cast<int>(o.fixed.recency_days.size()) + 1;
  SALESIGHT_RETURN_IF_ERROR(SegmentsFromFlag(args, o));
  return o;
}

// The lines after the scan: counts on stderr, then the customers or --summary.
int WriteRfm(const RfmResult& r, const Args& args) {
  const RfmResult* result = &r;
  std::cerr << absl::StrFormat(
      "rfm as of %s: %d customers from %d lines (%d after as-of excluded, %d before the "
      "window, %d customers with only returns)\n",
      FormatDate(result->as_of), result->counts.customers, result->counts.lines_in_window,
      result->counts.excluded_future, result->counts.excluded_before_window,
      result->counts.customers_only_returns);
  if (args.Has("summary")) {
    absl::StatusOr<RfmSegmentSummary> segments = SummarizeSegments(*result);
    if (!segments.ok()) return DataError(segments.status());
    const int rc = WriteSegmentSummary(*segments, args, std::cout);
    // The Pareto share per population: the whole, or each group.
    std::vector<std::pair<std::string, const RfmResult*>> parts;
    if (result->by.empty()) parts.emplace_back("", result);
    for (const RfmGroup& g : result->groups) {
      parts.emplace_back(absl::StrCat(result->by, " ", g.label, ": "), &g.result);
    }
    for (const auto& [prefix, part] : parts) {
      absl::StatusOr<RfmPareto> pareto = ComputePareto(*part, 10);
      if (!pareto.ok()) return DataError(pareto.status());
      if (pareto->top20_share) {
        std::cout << absl::StrFormat("%stop 20%% of customers: %.1f%% of revenue\n", prefix,
                                     100.0 * *pareto->top20_share);
      }
    }
    return rc;
  }
  return WriteResult(ToResultTable(*result, args.Has("detail")), args);
}

// --stream: one RFM partial per batch, merged in file order (MergeRfm: the
// file's lines in order-number order, as ERP exports are), then scored. The
// default as_of is the day after the file's last order date, as in one load.
int RunRfmStreamed(const Args& args, RfmOptions options) {
  auto folded = StreamFold<RfmPartial>(
      args,
      [&](const Dataset& batch, Day max_date) {
        // As ComputeRfm resolves them for the whole file, once.
        if (options.as_of == kNoDate && max_date != kNoDate) options.as_of = max_date + 1;
        if (options.as_of == kNoDate) options.window_days = 0;  // no lines: nothing to window
        return PartialRfm(*batch.orders(), 0, batch.orders()->size(), options);
      },
      [](RfmPartial& into, const RfmPartial& from) -> absl::Status {
        absl::Status st = MergeRfm(into, from);
        if (st.ok()) return st;
        return absl::Status(st.code(), absl::StrCat("--stream: ", st.message(),
                                                    " (read without --stream, or sort the file "
                                                    "by order number)"));
      });
  if (!folded.ok()) return DataError(folded.status());
  absl::StatusOr<RfmResult> result = FinishRfm(std::move(folded->second), options);
  if (!result.ok()) return DataError(result.status());
  return WriteRfm(*result, args);
}

}  // namespace

int RunRfm(int argc, char** argv, int first) {
  const std::string fixed_why = "fixed scoring takes k-1 thresholds per metric";
  std::vector<FlagSpec> own = DeclaredFlags(InfosOf(RfmOptionDecls()), kCliOwn);
  FlagNamed(own, "scoring") = FlagNamed(own, "scoring")
                                  .NeedsWhen("fixed", "fixed-recency", fixed_why)
                                  .NeedsWhen("fixed", "fixed-frequency", fixed_why)
                                  .NeedsWhen("fixed", "fixed-monetary", fixed_why);
  FlagNamed(own, "k") =
      FlagNamed(own, "k").Excludes("scoring=fixed", "with fixed scoring k = thresholds + 1");
  for (const char* fixed : {"fixed-recency", "fixed-frequency", "fixed-monetary"}) {
    FlagNamed(own, fixed) = FlagNamed(own, fixed).Needs("scoring=fixed", fixed_why);
  }
  own.push_back(SegmentsFlag());
  own.push_back(ThreadsFlag());
  own.push_back(FlagSpec{"detail", "", "add first_purchase, order_lines, returns, tenure_days, total"}
                    .Excludes("summary", "the summary has one row per segment"));
  own.push_back({"summary", "", "print the segment table and the Pareto share instead of customers"});
  own.push_back(OutFlag());
  for (FlagSpec& f : StreamFlags({{"by", "groups are scored on their own members"},
                                  {"clv-model", "CLV fits a model on the whole history"}})) {
    own.push_back(std::move(f));
  }
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
  if (args->Has("stream")) return RunRfmStreamed(*args, *options);

  absl::StatusOr<std::unique_ptr<CommandData>> data = CommandData::Load(*args, MainFile::kOrders);
  if (!data.ok()) return DataError(data.status());
  absl::StatusOr<Dataset> dataset = (*data)->BuildDataset();
  if (!dataset.ok()) return DataError(dataset.status());
  if (!options->by.empty()) {  // --by names a dimension of the data
    if (absl::Status st = dataset->Dimension(TableKind::kOrders, options->by).status(); !st.ok()) {
      return UsageError(absl::InvalidArgumentError(absl::StrCat("--by: ", st.message())));
    }
  }
  absl::StatusOr<RfmResult> result = ComputeRfm(*dataset, *options);
  if (!result.ok()) return DataError(result.status());
  return WriteRfm(*result, *args);
}

}  // namespace salesight::cli
