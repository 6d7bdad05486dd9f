// `salesight margin`: quantity, revenue, cost, margin, margin % and shares per
// group; --top N ranks, --abc classifies, --quadrant adds growth/share labels.
#include <iostream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "internal/cli_common.hpp"
#include "internal/commands.hpp"
#include "salesight/status_macros.hpp"
#include "internal/command.hpp"
#include "internal/declared_flags.hpp"
#include "internal/stream_command.hpp"
#include "salesight/margin.hpp"

namespace salesight::cli {
namespace {

// Options the command spells its own way: --top N / --bottom N (which list
// and its size), --abc [--abc-metric M], and --threads (every command's,
// default 0 = all cores).
constexpr std::string_view kCliOwn[] = {"abc", "top", "bottom", "num_threads"};

absl::StatusOr<MarginRequest> RequestFromArgs(const Args& args) {
  MarginRequest r;
  SALESIGHT_RETURN_IF_ERROR(ApplyDeclaredFlags(
      args, InfosOf(MarginOptionDecls()), kCliOwn,
      [&](std::string_view name, std::string_view text) { return SetMarginOption(r, name, text); }));
  if (args.Has("abc")) {
    if (absl::Status st = SetMarginOption(r, "abc", args.GetOr("abc-metric", "revenue")); !st.ok()) {
      return AsFlagError(st, "abc", "abc-metric");
    }
  }
  for (const char* list : {"top", "bottom"}) {
    if (!args.Has(list)) continue;
    SALESIGHT_RETURN_IF_ERROR(SetMarginOption(r, "top", *args.Get(list)));  // the range is checked with the flags
    SALESIGHT_RETURN_IF_ERROR(SetMarginOption(r, "bottom", list == std::string_view("bottom") ? "true" : "false"));
  }
  SALESIGHT_ASSIGN_OR_RETURN(std::int64_t threads, args.GetInt("threads", 0));
  r.options.num_threads = static_cast<int>(threads);
  return r;
}

// The lines after the computation: problems on stderr, then the table.
int WriteMargin(const MarginResult& result, const MarginRequest& request, const Dataset& dataset,
                const Args& args) {
  const MarginOptions& options = request.options;
  PrintProblems(ProblemsToResultTable(MarginProblems(result)), std::cerr);
  if (result.lines_outside_range > 0) {
    std::cerr << absl::StrFormat("%d lines outside --from/--to\n", result.lines_outside_range);
  }

  MarginTableOptions table_options;
  table_options.language = request.language;
  std::optional<AbcResult> abc;
  if (request.abc) {
    AbcOptions ao;
    ao.metric = *request.abc;
    absl::StatusOr<AbcResult> a = ClassifyAbc(result, ao);
    if (!a.ok()) return DataError(a.status());
    abc = *std::move(a);
    table_options.abc = &*abc;
  }
  std::optional<QuadrantResult> quadrant;
  if (request.quadrant) {
    QuadrantOptions qo;
    qo.num_threads = options.num_threads;
    qo.product_cost_order = options.product_cost_order;
    absl::StatusOr<QuadrantResult> q =
        ComputeQuadrant(*dataset.orders(), dataset.products(), qo);
    if (!q.ok()) return DataError(q.status());
    quadrant = *std::move(q);
    table_options.quadrant = &*quadrant;
  }
  if (args.Has("top") || args.Has("bottom")) {
    absl::StatusOr<MarginRanking> ranking = RankMargin(result, request.rank);
    if (!ranking.ok()) return DataError(ranking.status());
    return WriteResult(ToResultTable(*ranking, result), args);
  }
  return WriteResult(ToResultTable(result, table_options), args);
}

// --stream: one margin partial per batch, merged, finished (exact sums: the
// same result for any cut).
int RunMarginStreamed(const Args& args, const MarginRequest& request) {
  const MarginOptions& options = request.options;
  bool bad_by = false;  // a usage error, as in the plain command
  auto folded = StreamFold<MarginPartial>(
      args,
      [&](const Dataset& batch, Day) -> absl::StatusOr<MarginPartial> {
        if (batch.orders()->size() > 0) {  // --by names a dimension of the data
          if (absl::Status st = CheckMarginGrouping(batch, options.group_by); !st.ok()) {
            bad_by = true;
            return absl::InvalidArgumentError(absl::StrCat("--by: ", st.message()));
          }
        }
        return PartialMargin(batch, 0, batch.orders()->size(), options);
      },
      [](MarginPartial& into, const MarginPartial& from) { return MergeMargin(into, from); });
  if (!folded.ok()) return bad_by ? UsageError(folded.status()) : DataError(folded.status());
  absl::StatusOr<MarginResult> result = FinishMargin(std::move(folded->second), options);
  if (!result.ok()) return DataError(result.status());
  return WriteMargin(*result, request, folded->first->context(), args);
}

}  // namespace

int RunMargin(int argc, char** argv, int first) {
  std::vector<FlagSpec> own = DeclaredFlags(InfosOf(MarginOptionDecls()), kCliOwn);
  FlagNamed(own, "rank-by") =
      FlagNamed(own, "rank-by").Needs("top|bottom", "it orders the ranked list");
  FlagNamed(own, "quadrant") = FlagNamed(own, "quadrant")
                                   .Excludes("top|bottom", "the ranked list has no quadrant column");
  FlagNamed(own, "lang") =
      FlagNamed(own, "lang").Needs("abc|quadrant", "only their labels are translated");
  own.push_back(FlagSpec{"top", "N", "only the top N groups by --rank-by"}
                    .Range(0, 1000000000)
                    .Excludes("bottom", "one ranked list at a time"));
  own.push_back(FlagSpec{"bottom", "N", "only the bottom N groups by --rank-by"}.Range(0, 1000000000));
  own.push_back(FlagSpec{"abc", "", "add the ABC class (A up to 80% cumulative, B up to 95%, C the rest)"}
                    .Excludes("top|bottom", "the ranked list has no ABC column"));
  own.push_back(FlagSpec{"abc-metric", "revenue|margin", "what ABC ranks by (default revenue)"}
                    .Needs("abc")
                    .Check([](std::string_view metric) {
                      MarginRequest r;
                      return AsFlagError(SetMarginOption(r, "abc", metric), "abc", "abc-metric");
                    }));
  own.push_back(ThreadsFlag());
  own.push_back(OutFlag());
  for (FlagSpec& f : StreamFlags({{"quadrant", "it compares two periods of every line"}})) {
    own.push_back(std::move(f));
  }
  int exit_code = 0;
  std::optional<Args> args = ParseCommand(
      argc, argv, first, {MainFile::kOrders}, own,
      "salesight margin --orders FILE --map order=COL,product=COL,amount=COL,"
      "(cost=COL|margin=COL|unit_cost=COL),quantity=COL[,category=COL,...] [options]",
      "Product and profitability: quantity, revenue, cost, gross margin, margin %, and the\n"
      "shares of total revenue and margin per group. Cost per line: the cost column, else\n"
      "quantity x unit cost, else the product's standard or tier cost; lines with no cost\n"
      "are counted and reported, never costed at zero. Without --orders it analyses the\n"
      "bundled sample. Definitions: include/salesight/margin.hpp, README.",
      &exit_code);
  if (!args) return exit_code;
  if (args->Has("quadrant") && args->GetOr("by", "product") != "product") {
    return UsageError(absl::InvalidArgumentError(
        "--quadrant labels products: it needs --by product (the default)"));
  }
  absl::StatusOr<MarginRequest> request = RequestFromArgs(*args);
  if (!request.ok()) return UsageError(request.status());
  const MarginOptions& options = request->options;
  if (args->Has("stream")) return RunMarginStreamed(*args, *request);

  absl::StatusOr<std::unique_ptr<CommandData>> data = CommandData::Load(*args, MainFile::kOrders);
  if (!data.ok()) return DataError(data.status());
  // The exports' per-line categories are the dataset's products (DatasetFromExports).
  absl::StatusOr<Dataset> dataset = (*data)->BuildDataset();
  if (!dataset.ok()) return DataError(dataset.status());
  // --by names a dimension of the data.
  if (absl::Status st = CheckMarginGrouping(*dataset, options.group_by); !st.ok()) {
    return UsageError(absl::InvalidArgumentError(absl::StrCat("--by: ", st.message())));
  }
  absl::StatusOr<MarginResult> result = ComputeMargin(*dataset, options);
  if (!result.ok()) return DataError(result.status());
  return WriteMargin(*result, *request, *dataset, *args);
}

}  // namespace salesight::cli
