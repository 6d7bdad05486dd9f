// `salesight funnel`: stage counts, step and cumulative conversion, days in
// stage, win rate and cycle per group; --bottlenecks prints the flags.
#include <algorithm>
#include <iostream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "cli_common.hpp"
#include "commands.hpp"
#include "salesight/status_macros.hpp"
#include "command.hpp"
#include "salesight/funnel.hpp"
#include "salesight/dataset.hpp"
#include "salesight/rfm.hpp"

namespace salesight::cli {
namespace {

absl::StatusOr<FunnelOptions> OptionsFromArgs(const Args& args) {
  FunnelOptions o;
  std::string mode = args.GetOr("mode", "cohort");
  if (mode == "cohort") {
    o.mode = FunnelMode::kCohort;
  } else if (mode == "activity") {
    o.mode = FunnelMode::kActivity;
  } else if (mode == "snapshot") {
    o.mode = FunnelMode::kSnapshot;
  } else {
    return absl::InvalidArgumentError("--mode must be cohort, activity or snapshot");
  }
  for (auto [flag, field] : {std::pair{"from", &o.from}, {"to", &o.to}, {"as-of", &o.as_of}}) {
    if (std::optional<std::string> v = args.Get(flag)) {
      SALESIGHT_ASSIGN_OR_RETURN(*field, ParseDate(*v, DateFormat::kIso));
    }
  }
  if (std::optional<std::string> by = args.Get("by")) {
    for (const std::string& key : SplitList(*by)) o.group_by.push_back(key);
  }
  const std::string period = args.GetOr("period", "none");
  if (period != "none") {
    absl::StatusOr<Grain> grain = ParseGrain(period);
    if (!grain.ok()) {
      return absl::InvalidArgumentError(absl::StrCat("--period: ", grain.status().message()));
    }
    o.period = *grain;
  }
  std::string compare = args.GetOr("compare", "none");
  if (compare == "previous") {
    o.compare = FunnelCompare::kPreviousPeriod;
  } else if (compare == "last-year") {
    o.compare = FunnelCompare::kSamePeriodLastYear;
  } else if (compare != "none") {
    return absl::InvalidArgumentError("--compare must be previous or last-year");
  }
  if (args.Has("explicit-stages-only")) o.implied_reached = false;
  SALESIGHT_ASSIGN_OR_RETURN(std::int64_t min_sample, args.GetInt("min-sample", 30));
  o.bottleneck_min_sample = min_sample;
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

}  // namespace

int RunFunnel(int argc, char** argv, int first) {
  const std::vector<FlagSpec> own = {
      FlagSpec{"lost", "COL", "column holding the lost date (same as lost=COL in --map)"}.Needs(
          "pipeline", "the bundled sample has its own lost dates"),
      {"mode", "cohort|activity|snapshot", "scope (default cohort: created in the period)"},
      {"from", "YYYY-MM-DD", "first day of the scope (inclusive)"},
      {"to", "YYYY-MM-DD", "last day of the scope (inclusive)"},
      {"as-of", "YYYY-MM-DD", "ignore dates after this day (required by snapshot)"},
      {"by", "KEY,...",
       "group by dimensions: region, salesperson, source, customer, any other column of the "
       "pipeline export (e.g. category, origin), segment (the customer's RFM tier, from the "
       "orders)"},
      {"period", "day|week|month|quarter|year|fiscal_year[:M]",
       "group by the creation period (fiscal_year:4 = April-March)"},
      FlagSpec{"compare", "previous|last-year", "add the previous / same-period-last-year figures"}
          .Needs("period", "figures are compared period by period"),
      {"explicit-stages-only", "", "count only stages with a date (default: reaching a later "
                                   "stage implies the earlier ones)"},
      FlagSpec{"min-sample", "N", "bottlenecks need at least N opportunities (default 30)"}.Range(
          0, 1000000000),
      {"bottlenecks", "", "print the bottleneck flags instead of the funnel table"},
      ThreadsFlag(),
      OutFlag(),
  };
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

  absl::StatusOr<std::unique_ptr<CommandData>> data =
      CommandData::Load(*args, MainFile::kPipeline);
  if (!data.ok()) return DataError(data.status());
  const Pipeline* pipeline = (*data)->pipeline();
  DatasetTables tables;
  tables.pipeline = std::shared_ptr<const Pipeline>(pipeline, [](const Pipeline*) {});
  if (by_segment) {
    absl::StatusOr<std::shared_ptr<const Customers>> segments =
        CustomerSegments(*pipeline, (*data)->orders(), *options);
    if (!segments.ok()) return DataError(segments.status());
    tables.customers = *std::move(segments);
  }
  absl::StatusOr<Dataset> dataset = Dataset::Build(std::move(tables));
  if (!dataset.ok()) return DataError(dataset.status());
  for (const std::string& name : options->group_by) {  // --by names a dimension of the data
    if (absl::Status st = dataset->Dimension(TableKind::kPipeline, name).status(); !st.ok()) {
      return UsageError(absl::InvalidArgumentError(absl::StrCat("--by: ", st.message())));
    }
  }
  absl::StatusOr<FunnelResult> result = ComputeFunnel(*dataset, *options);
  if (!result.ok()) return DataError(result.status());
  PrintProblems(ProblemsToResultTable(FunnelProblems(*result)), std::cerr);
  if (args->Has("bottlenecks")) {
    if (result->bottlenecks.empty()) std::cerr << "no bottlenecks flagged\n";
    for (const FunnelBottleneck& b : result->bottlenecks) std::cout << b.explanation << "\n";
    if (args->Has("out")) return WriteResult(BottlenecksToResultTable(*result), *args);
    return 0;
  }
  return WriteResult(ToResultTable(*result), *args);
}

}  // namespace salesight::cli
