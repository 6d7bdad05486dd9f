// `salesight funnel`: stage counts, step and cumulative conversion, days in
// stage, win rate and cycle per group; --bottlenecks prints the flags.
#include <algorithm>
#include <iostream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "internal/cli_common.hpp"
#include "internal/commands.hpp"
#include "salesight/status_macros.hpp"
#include "internal/command.hpp"
#include "internal/declared_flags.hpp"
#include "internal/ingest_flags.hpp"
#include "internal/stream_command.hpp"
#include "salesight/funnel.hpp"
#include "salesight/dataset.hpp"
#include "salesight/rfm.hpp"

namespace salesight::cli {
namespace {

// --threads is every command's (default 0 = all cores).
constexpr std::string_view kCliOwn[] = {"num_threads"};

absl::StatusOr<FunnelOptions> OptionsFromArgs(const Args& args) {
  FunnelOptions o;
  SALESIGHT_RETURN_IF_ERROR(ApplyDeclaredFlags(
      args, InfosOf(FunnelOptionDecls()), kCliOwn,
      [&](std::string_view name, std::string_view text) { return SetFunnelOption(o, name, text); }));
  SALESIGHT_ASSIGN_OR_RETURN(std::int64_t threads, args.GetInt("threads", 0));
  o.num_threads = static_cast<int>(threads);
  return o;
}

// "segment" is not a column but a derived customer attribute: each
// customer's RFM tier from the orders. It reaches the opportunities through
// the dataset's customer relation, like any customers-table attribute.
absl::StatusOr<std::shared_ptr<const Customers>> CustomerSegments(const Pipeline& pipeline,
                                                                  const OrderLines* orders,
                                                                  const FunnelOptions& o) {
  if (pipeline.columns().customer.empty()) {
    return absl::InvalidArgumentError("--by segment needs the pipeline's customer column");
  }
  if (orders == nullptr) {
    return absl::InvalidArgumentError(
        "--by segment needs the orders (--orders FILE --orders-map ...) to segment customers");
  }
  RfmOptions rfm;
  rfm.as_of = o.as_of;
  rfm.num_threads = o.num_threads;
  SALESIGHT_ASSIGN_OR_RETURN(RfmResult r, ComputeRfm(*orders, rfm));
  auto labels = std::make_shared<Dictionary>();
  for (const RfmSegmentLabel& label : r.segment_labels) (void)labels->Intern(label.en);
  std::vector<Id> ids, segment;
  for (std::size_t i = 0; i < r.customers.size(); ++i) {
    ids.push_back(r.customers[i].customer);
    segment.push_back(r.scores[i].segment);
  }
  CustomersColumns c;
  c.customer = Column<Id>::Own(std::move(ids));
  c.customers = pipeline.columns().customers;
  c.attributes.push_back({"segment", Column<Id>::Own(std::move(segment)), std::move(labels)});
  SALESIGHT_ASSIGN_OR_RETURN(Customers customers, Customers::Build(std::move(c)));
  return std::make_shared<const Customers>(std::move(customers));
}

// The data problems to stderr, then the table (or the bottleneck flags).
int WriteFunnel(const FunnelResult& result, const Args& args) {
  PrintProblems(ProblemsToResultTable(FunnelProblems(result)), std::cerr);
  if (args.Has("bottlenecks")) {
    if (result.bottlenecks.empty()) std::cerr << "no bottlenecks flagged\n";
    for (const FunnelBottleneck& b : result.bottlenecks) std::cout << b.explanation << "\n";
    if (args.Has("out")) return WriteResult(BottlenecksToResultTable(result), args);
    return 0;
  }
  return WriteResult(ToResultTable(result), args);
}

// --by names a dimension of the pipeline rows (a usage error).
absl::Status CheckGroupBy(const Dataset& data, const FunnelOptions& options) {
  for (const std::string& name : options.group_by) {
    SALESIGHT_RETURN_IF_ERROR(CheckDimensionFlag(data, TableKind::kPipeline, name, "by"));
  }
  return absl::OkStatus();
}

// --stream: one funnel partial per batch of the pipeline, its issue rows
// moved to the whole file's rows, merged in file order and finished (exact
// counts and histograms: the same result for any cut).
int RunFunnelStreamed(const Args& args, const FunnelOptions& options) {
  bool bad_by = false;  // a usage error, as in the plain command
  std::size_t rows_before = 0;
  auto folded = StreamFold<FunnelPartial>(
      args, MainFile::kPipeline,
      [&](const Dataset& batch, Day) -> absl::StatusOr<FunnelPartial> {
        if (absl::Status st = CheckGroupBy(batch, options); !st.ok()) {
          bad_by = true;
          return st;
        }
        const std::size_t rows = batch.pipeline()->size();
        SALESIGHT_ASSIGN_OR_RETURN(FunnelPartial part, PartialFunnel(batch, 0, rows, options));
        OffsetFunnelRows(part, rows_before);
        rows_before += rows;
        return part;
      },
      [](FunnelPartial& into, const FunnelPartial& from) { return MergeFunnel(into, from); });
  if (!folded.ok()) return bad_by ? UsageError(folded.status()) : DataError(folded.status());
  absl::StatusOr<FunnelResult> result = FinishFunnel(std::move(folded->second), options);
  if (!result.ok()) return DataError(result.status());
  return WriteFunnel(*result, args);
}

}  // namespace

int RunFunnel(int argc, char** argv, int first) {
  std::vector<FlagSpec> own = DeclaredFlags(InfosOf(FunnelOptionDecls()), kCliOwn);
  FlagNamed(own, "compare") =
      FlagNamed(own, "compare").Needs("period", "figures are compared period by period");
  FlagNamed(own, "no-bottlenecks") =
      FlagNamed(own, "no-bottlenecks").Excludes("bottlenecks", "they are not computed");
  own.insert(own.begin(),
             FlagSpec{"lost", "COL", "column holding the lost date (same as lost=COL in --map)"}
                 .Needs("pipeline", "the bundled sample has its own lost dates"));
  own.push_back({"bottlenecks", "", "print the bottleneck flags instead of the funnel table"});
  own.push_back(ThreadsFlag());
  own.push_back(OutFlag());
  for (FlagSpec& f :
       StreamFlags({{"orders", "--by segment scores the customers on the whole orders"}},
                   MainFile::kPipeline)) {
    own.push_back(std::move(f));
  }
  int exit_code = 0;
  std::optional<Args> args = ParseCommand(
      argc, argv, first, {MainFile::kPipeline, MainFile::kOrders}, own,
      "salesight funnel --pipeline FILE --map id=COL[,created=COL][,amount=COL] "
      "--stages NAME=COL,... [options]",
      "Sales funnel: per group the count reaching each stage, step conversion (n / previous\n"
      "stage), cumulative conversion (n / first stage), median days from the previous stage,\n"
      "win rate (won / (won + lost)) and median cycle (created -> won). Without --pipeline\n"
      "it analyses the bundled sample. Definitions: include/salesight/funnel.hpp, README.",
      &exit_code);
  if (!args) return exit_code;
  absl::StatusOr<FunnelOptions> options = OptionsFromArgs(*args);
  if (!options.ok()) return UsageError(options.status());
  const bool by_segment = std::find(options->group_by.begin(), options->group_by.end(),
                                    "segment") != options->group_by.end();
  if (args->Has("orders") && !by_segment) {
    return UsageError(absl::InvalidArgumentError(
        "--orders is read only for --by segment (the customers' RFM tiers)"));
  }

  if (args->Has("stream")) return RunFunnelStreamed(*args, *options);

  absl::StatusOr<std::unique_ptr<CommandData>> data =
      CommandData::Load(*args, MainFile::kPipeline);
  if (!data.ok()) return DataError(data.status());
  const Pipeline* pipeline = (*data)->pipeline();
  absl::StatusOr<Dataset> loaded = (*data)->BuildDataset();
  if (!loaded.ok()) return DataError(loaded.status());
  absl::StatusOr<Dataset> dataset = loaded;
  if (by_segment) {
    // --by segment: the customers are the customers' RFM tiers (the loaded
    // dataset's other tables stay, borrowed from `loaded`).
    absl::StatusOr<std::shared_ptr<const Customers>> segments =
        CustomerSegments(*pipeline, (*data)->orders(), *options);
    if (!segments.ok()) return DataError(segments.status());
    DatasetTables tables;
    tables.orders = BorrowTable(loaded->orders());
    tables.products = BorrowTable(loaded->products());
    tables.pipeline = BorrowTable(loaded->pipeline());
    tables.invoices = BorrowTable(loaded->invoices());
    tables.payments = BorrowTable(loaded->payments());
    tables.targets = BorrowTable(loaded->targets());
    tables.customers = *std::move(segments);
    dataset = Dataset::Build(std::move(tables));
  }
  if (!dataset.ok()) return DataError(dataset.status());
  if (absl::Status st = CheckGroupBy(*dataset, *options); !st.ok()) return UsageError(st);
  absl::StatusOr<FunnelResult> result = ComputeFunnel(*dataset, *options);
  if (!result.ok()) return DataError(result.status());
  return WriteFunnel(*result, *args);
}

}  // namespace salesight::cli
