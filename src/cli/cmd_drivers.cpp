// `salesight drivers`: with --leaves, the root-cause set of a table of leaves
// (one row per combination of dimension members, a real and a forecast
// value), the format of the public labelled root-cause localisation sets;
// otherwise the declared `drivers` calculator over the dataset (orders,
// invoices, ... as every declared command reads them).
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

#include "absl/strings/str_format.h"
#include "internal/args.hpp"
#include "internal/cli_common.hpp"
#include "internal/commands.hpp"
#include "salesight/csv.hpp"
#include "salesight/insights/localizer.hpp"
#include "salesight/result_table.hpp"

namespace salesight::cli {
namespace {

absl::Status GetDouble(const Args& args, std::string_view flag, double* out) {
  std::optional<std::string> text = args.Get(flag);
  if (!text) return absl::OkStatus();
  const auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), *out);
  if (ec != std::errc() || end != text->data() + text->size() || !std::isfinite(*out)) {
    return absl::InvalidArgumentError(
        absl::StrFormat("--%s '%s' is not a number", std::string(flag), *text));
  }
  return absl::OkStatus();
}

ResultTable ToTable(const insights::LeavesTable& leaves, const insights::Localization& loc) {
  ResultTable t;
  ResultColumn& combination = t.AddString("combination");
  ResultColumn& depth = t.AddInt64("depth");
  ResultColumn& ep = t.AddDouble("ep");
  ResultColumn& risk = t.AddDouble("risk");
  ResultColumn& high = t.AddDouble("high_risk");
  ResultColumn& low = t.AddDouble("low_risk");
  ResultColumn& real = t.AddDouble("real");
  ResultColumn& forecast = t.AddDouble("forecast");
  ResultColumn& count = t.AddInt64("leaves");
  for (const insights::RootCause& c : loc.causes) {
    combination.strings.push_back(insights::CombinationText(leaves, c));
    depth.ints.push_back(c.depth);
    ep.doubles.push_back(c.ep);
    risk.doubles.push_back(c.risk);
    high.doubles.push_back(c.high_risk);
    low.doubles.push_back(c.low_risk);
    real.doubles.push_back(c.real);
    forecast.doubles.push_back(c.forecast);
    count.ints.push_back(c.leaves);
  }
  return t;
}

}  // namespace

int RunDrivers(int argc, char** argv, int first) {
  bool leaves_mode = false;
  for (int i = first; i < argc; ++i) {
    const std::string_view a = argv[i];
    leaves_mode = leaves_mode || a == "--leaves" || a.rfind("--leaves=", 0) == 0;
  }
  if (!leaves_mode) {
    absl::StatusOr<const CalculatorSpec*> spec = FindCalculator("drivers");
    if (!spec.ok()) return UsageError(spec.status());
    return RunDeclaredCalculator(**spec, argc, argv, first);
  }
  const insights::LocalizerOptions defaults;
  const std::vector<FlagSpec> specs = {
      {"leaves", "FILE.csv", "one row per leaf: dimension columns, a real and a forecast value (required)"},
      {"dims", "A,B,...", "the dimension columns, in the order combinations are written (required)"},
      {"real", "COL", "the real (actual) value column (default real)"},
      {"forecast", "COL", "the forecast (expected) value column (default predict)"},
      FlagSpec{"max-depth", "N", "deepest combination searched, 0 = every depth (default 0)"}.Range(0, 16),
      {"risk-threshold", "X", absl::StrFormat("a cause needs risk >= X (default %g)", defaults.risk_threshold)},
      {"pep-threshold", "X", absl::StrFormat("smallest explanatory power share of a cause (default %g)",
                                             defaults.pep_threshold)},
      FlagSpec{"n-remove", "N", absl::StrFormat("distinct deviations skipped at each end for the "
                                                "cutoff (default %d)", defaults.n_remove)}
          .Range(0, 1000000),
      {"remove-relative", "", "--n-remove is a percentage of the distinct deviations"},
      {"no-prune", "", "do not prune elements containing a member that cannot be a cause"},
      OutFlag(),
  };
  absl::StatusOr<Args> args = Args::Parse(argc, argv, first, specs);
  if (!args.ok()) return UsageError(args.status());
  if (args->help()) {
    std::cout << FormatHelp(
        "salesight drivers --leaves FILE.csv --dims A,B,C [--real COL] [--forecast COL] [--out FILE]",
        "Root-cause localisation on a table of leaves (RiskLoc's method, see\n"
        "include/salesight/insights/localizer.hpp): the set of combinations dim=value&...\n"
        "that explains the gap between real and forecast, one row each, with scores.",
        specs);
    return 0;
  }
  std::optional<std::string> path = args->Get("leaves");
  if (!path) return UsageError(absl::InvalidArgumentError("--leaves FILE.csv is required"));
  std::vector<std::string> dims = SplitList(args->GetOr("dims", ""));
  if (dims.empty()) return UsageError(absl::InvalidArgumentError("--dims A,B,... is required"));
  insights::LocalizerOptions options;
  absl::StatusOr<std::int64_t> max_depth = args->GetInt("max-depth", 0);
  absl::StatusOr<std::int64_t> n_remove = args->GetInt("n-remove", defaults.n_remove);
  for (const auto* st : {&max_depth, &n_remove}) {
    if (!st->ok()) return UsageError(st->status());
  }
  options.max_depth = static_cast<int>(*max_depth);
  options.n_remove = static_cast<int>(*n_remove);
  options.remove_relative = args->Has("remove-relative");
  options.prune_elements = !args->Has("no-prune");
  if (absl::Status st = GetDouble(*args, "risk-threshold", &options.risk_threshold); !st.ok()) {
    return UsageError(st);
  }
  if (absl::Status st = GetDouble(*args, "pep-threshold", &options.pep_threshold); !st.ok()) {
    return UsageError(st);
  }

  const auto start = std::chrono::steady_clock::now();
  IngestOptions ingest;
  ingest.stop_on_first_error = true;
  absl::StatusOr<StringCsv> csv = ReadCsvStrings(*path, ingest);
  if (!csv.ok()) return DataError(csv.status());
  absl::StatusOr<insights::LeavesTable> leaves = insights::LeavesTable::FromStringCsv(
      *csv, dims, args->GetOr("real", "real"), args->GetOr("forecast", "predict"));
  if (!leaves.ok()) {
    return DataError(absl::InvalidArgumentError(
        absl::StrFormat("%s: %s", *path, leaves.status().message())));
  }
  const auto loaded = std::chrono::steady_clock::now();
  absl::StatusOr<insights::Localization> loc = insights::Localize(*leaves, options);
  if (!loc.ok()) return UsageError(loc.status());
  const auto done = std::chrono::steady_clock::now();
  auto ms = [](auto a, auto b) { return std::chrono::duration<double, std::milli>(b - a).count(); };
  // Machine-readable last words for scripts/eval_drivers.py.
  std::fprintf(stderr, "%zu root causes, %zu leaves, %lld abnormal; read %.3f ms, localise %.3f ms\n",
               loc->causes.size(), leaves->num_leaves(),
               static_cast<long long>(loc->abnormal_leaves), ms(start, loaded), ms(loaded, done));
  return WriteResult(ToTable(*leaves, *loc), *args);
}

}  // namespace salesight::cli
