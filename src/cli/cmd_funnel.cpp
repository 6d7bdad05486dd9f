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
    for (const std::string& key : SplitList(*by)) {
      if (key == "region") {
        o.group_by.push_back(FunnelKey::kRegion);
      } else if (key == "salesperson") {
        o.group_by.push_back(FunnelKey::kSalesperson);
      } else if (key == "source") {
        o.group_by.push_back(FunnelKey::kSource);
      } else if (key == "segment") {
        o.group_by.push_back(FunnelKey::kCustomerSegment);
      } else if (key == "category") {
        o.group_by.push_back(FunnelKey::kProductCategory);
      } else {
        return absl::InvalidArgumentError(absl::StrFormat(
            "--by: unknown key '%s' (region, salesperson, source, segment, category)", key));
      }
    }
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

bool GroupsBy(const FunnelOptions& o, FunnelKey key) {
  return std::find(o.group_by.begin(), o.group_by.end(), key) != o.group_by.end();
}

// --by segment: each customer's RFM tier (rfm's defaults, as of --as-of or the
// day after the last order) from the orders; customers without orders get no
// segment (kNoId, shown as empty). Needs the pipeline's customer column and
// orders sharing its customer codes (--orders beside --pipeline, or the sample).
absl::Status AttachCustomerSegments(const Pipeline& pipeline, const OrderLines* orders,
                                    FunnelOptions& o) {
  const Column<Id>& customer = pipeline.columns().customer;
  if (customer.empty()) {
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
  std::int32_t customers = pipeline.columns().customers
                               ? pipeline.columns().customers->size()
                               : *std::max_element(customer.begin(), customer.end()) + 1;
  std::vector<Id> segment(static_cast<std::size_t>(std::max(customers, 0)), kNoId);
  for (std::size_t i = 0; i < r.customers.size(); ++i) {
    const auto id = static_cast<std::size_t>(r.customers[i].customer);
    if (id < segment.size()) segment[id] = r.scores[i].segment;
  }
  auto codes = std::make_shared<Dictionary>();
  for (std::size_t s = 0; s < r.segment_labels.size(); ++s) {
    (void)codes->Intern(r.segment_labels[s].en);
  }
  o.customer_segment = Column<Id>::Own(std::move(segment));
  o.segment_codes = std::move(codes);
  return absl::OkStatus();
}

}  // namespace

int RunFunnel(int argc, char** argv, int first) {
  const std::vector<FlagSpec> own = {
      {"lost", "COL", "column holding the lost date (same as lost=COL in --map)"},
      {"mode", "cohort|activity|snapshot", "scope (default cohort: created in the period)"},
      {"from", "YYYY-MM-DD", "first day of the scope (inclusive)"},
      {"to", "YYYY-MM-DD", "last day of the scope (inclusive)"},
      {"as-of", "YYYY-MM-DD", "ignore dates after this day (required by snapshot)"},
      {"by", "KEY,...",
       "group by region, salesperson, source, segment (the customer's RFM tier, from the "
       "orders) and/or category (the pipeline's category column)"},
      {"period", "day|week|month|quarter|year|fiscal_year[:M]", "group by the creation period (fiscal_year:4 = April-March)"},
      {"compare", "previous|last-year", "add the previous / same-period-last-year figures"},
      {"explicit-stages-only", "", "count only stages with a date (default: reaching a later "
                                   "stage implies the earlier ones)"},
      {"min-sample", "N", "bottlenecks need at least N opportunities (default 30)"},
      {"bottlenecks", "", "print the bottleneck flags instead of the funnel table"},
      {"threads", "T", "threads (default 0 = all cores)"},
      {"out", "FILE", "write FILE.csv or FILE.json (default: a table on the terminal)"},
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

  absl::StatusOr<std::unique_ptr<CommandData>> data =
      CommandData::Load(*args, MainFile::kPipeline);
  if (!data.ok()) return DataError(data.status());
  const Pipeline* pipeline = (*data)->pipeline();
  if (GroupsBy(*options, FunnelKey::kCustomerSegment)) {
    absl::Status st = AttachCustomerSegments(*pipeline, (*data)->orders(), *options);
    if (!st.ok()) return DataError(st);
  }
  if (GroupsBy(*options, FunnelKey::kProductCategory)) {
    const LoadedExports* exports = (*data)->exports();
    if (exports == nullptr || exports->pipeline->category.empty()) {
      return UsageError(absl::InvalidArgumentError(
          "--by category needs a category column in the pipeline export (--map category=COL)"));
    }
    options->product_category = exports->pipeline->category;
    options->category_codes = exports->dicts.categories;
  }
  absl::StatusOr<FunnelResult> result = ComputeFunnel(*pipeline, *options);
  if (!result.ok()) return DataError(result.status());
  const FunnelIssues& issues = result->issues;
  if (issues.backwards_dates > 0 || issues.skipped_stage > 0 || issues.won_and_lost > 0) {
    std::cerr << absl::StrFormat(
        "data problems: %d stage dates before their predecessor, %d opportunities with a "
        "skipped stage, %d won and lost\n",
        issues.backwards_dates, issues.skipped_stage, issues.won_and_lost);
    for (std::size_t i = 0; i < issues.examples.size() && i < 10; ++i) {
      const FunnelDateIssue& x = issues.examples[i];
      std::cerr << absl::StrFormat(
          "  opportunity %d: %s %s is before %s %s\n", x.opportunity,
          result->stage_names[static_cast<std::size_t>(x.stage)], FormatDate(x.date),
          x.previous_stage < 0 ? "created"
                               : result->stage_names[static_cast<std::size_t>(x.previous_stage)],
          FormatDate(x.previous_date));
    }
  }
  if (args->Has("bottlenecks")) {
    if (result->bottlenecks.empty()) std::cerr << "no bottlenecks flagged\n";
    for (const FunnelBottleneck& b : result->bottlenecks) std::cout << b.explanation << "\n";
    if (args->Has("out")) return WriteResult(BottlenecksToResultTable(*result), *args);
    return 0;
  }
  return WriteResult(ToResultTable(*result), *args);
}

}  // namespace salesight::cli
