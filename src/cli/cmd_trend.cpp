// `salesight trend`: revenue, margin, orders (and collections, target) per
// day / ISO week / month / quarter / year, against the previous period, the
// same period last year or the target; --to-date prints MTD / QTD / YTD
// against the same elapsed days of last year.
#include <iostream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "cli_common.hpp"
#include "command.hpp"
#include "commands.hpp"
#include "salesight/status_macros.hpp"
#include "salesight/trend.hpp"

namespace salesight::cli {
namespace {

absl::StatusOr<TrendOptions> OptionsFromArgs(const Args& args) {
  TrendOptions o;
  const std::string grain = args.GetOr("grain", "month");
  absl::StatusOr<Grain> parsed = ParseGrain(grain);
  if (!parsed.ok()) {
    return absl::InvalidArgumentError(absl::StrCat("--grain: ", parsed.status().message()));
  }
  o.grain = *parsed;
  const std::string compare = args.GetOr("compare", "last-year");
  if (compare == "previous") {
    o.compare = TrendCompare::kPrevious;
  } else if (compare == "last-year") {
    o.compare = TrendCompare::kLastYear;
  } else if (compare == "target") {
    o.compare = TrendCompare::kTarget;
  } else {
    return absl::InvalidArgumentError("--compare must be previous, last-year or target");
  }
  const std::string measure = args.GetOr("measure", "revenue");
  if (measure == "revenue") {
    o.compare_measure = TrendMeasure::kRevenue;
  } else if (measure == "margin") {
    o.compare_measure = TrendMeasure::kMargin;
  } else if (measure == "orders") {
    o.compare_measure = TrendMeasure::kOrders;
  } else if (measure == "collections") {
    o.compare_measure = TrendMeasure::kCollections;
  } else {
    return absl::InvalidArgumentError("--measure must be revenue, margin, orders or collections");
  }
  const std::string by = args.GetOr("by", "none");
  if (by != "none") o.group_by = by;  // a dimension name, checked against the data
  for (auto [flag, field] : {std::pair{"from", &o.from}, {"to", &o.to}, {"as-of", &o.as_of}}) {
    if (std::optional<std::string> v = args.Get(flag)) {
      SALESIGHT_ASSIGN_OR_RETURN(*field, ParseDate(*v, DateFormat::kIso));
    }
  }
  o.emit_empty_periods = !args.Has("only-active");
  SALESIGHT_ASSIGN_OR_RETURN(std::int64_t threads, args.GetInt("threads", 0));
  o.num_threads = static_cast<int>(threads);
  return o;
}

}  // namespace

int RunTrend(int argc, char** argv, int first) {
  const std::vector<FlagSpec> own = {
      {"grain", "day|week|month|quarter|year|fiscal_year[:M]",
       "period length (default month; week = ISO)"},
      FlagSpec{"compare", "previous|last-year|target",
               "base of the growth columns (default last-year; target needs --targets)"}
          .NeedsWhen("target", "targets", "the targets are the base"),
      {"measure", "revenue|margin|orders|collections", "what is compared (default revenue)"},
      {"by", "none|DIMENSION", "one trend per member of an order-line dimension: region, salesperson, channel, an attribute column (default none)"},
      {"from", "YYYY-MM-DD", "first order date read (include last year to compare with it)"},
      {"to", "YYYY-MM-DD", "last order date read"},
      FlagSpec{"as-of", "YYYY-MM-DD", "period-to-date date for --to-date"}.Needs("to-date"),
      FlagSpec{"to-date", "", "print MTD / QTD / YTD vs the same elapsed days last year instead"}
          .Needs("as-of")
          .Excludes("grain", "the windows are month, quarter and year to date")
          .Excludes("compare", "to-date compares with last year")
          .Excludes("only-active", "it shapes the period table only"),
      {"only-active", "", "only periods with orders (default: every period, zero-filled)"},
      ThreadsFlag(),
      OutFlag(),
  };
  int exit_code = 0;
  std::optional<Args> args = ParseCommand(
      argc, argv, first,
      {MainFile::kOrders, MainFile::kTargets, MainFile::kInvoices, MainFile::kPayments}, own,
      "salesight trend --orders FILE --map order=COL,date=COL,amount=COL[,...] "
      "[--grain G] [--compare C] [--targets FILE --targets-map ...] [options]",
      "Trends: revenue, margin, orders (and collections with --invoices, target with\n"
      "--targets) per period, the compared value and growth as difference, percent and\n"
      "ratio; growth is empty where the base is missing or zero. Monthly targets are\n"
      "spread over the month's days. Without --orders it analyses the bundled sample.\n"
      "Definitions: include/salesight/trend.hpp, README.",
      &exit_code);
  if (!args) return exit_code;
  absl::StatusOr<TrendOptions> options = OptionsFromArgs(*args);
  if (!options.ok()) return UsageError(options.status());

  absl::StatusOr<std::unique_ptr<CommandData>> data = CommandData::Load(*args, MainFile::kOrders);
  if (!data.ok()) return DataError(data.status());
  absl::StatusOr<Dataset> dataset = (*data)->BuildDataset();
  if (!dataset.ok()) return DataError(dataset.status());
  if (!options->group_by.empty() && dataset->orders()->size() > 0) {
    // --by names a dimension of the data.
    if (absl::Status st =
            CheckDimensionFlag(*dataset, TableKind::kOrders, options->group_by, "by");
        !st.ok()) {
      return UsageError(st);
    }
  }
  absl::StatusOr<TrendResult> result = ComputeTrend(*dataset, *options);
  if (!result.ok()) return DataError(result.status());
  if (result->lines_outside_range > 0) {
    std::cerr << absl::StrFormat("%d lines outside --from/--to\n", result->lines_outside_range);
  }
  if (args->Has("to-date")) return WriteResult(ToDateResultTable(*result), *args);
  return WriteResult(ToResultTable(*result), *args);
}

}  // namespace salesight::cli
