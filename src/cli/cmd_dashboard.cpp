// `salesight dashboard`: the KPI cards and seven panels as one offline HTML
// page (default) or as the versioned JSON document (--format json), for the
// bundled sample or the user's exports.
#include <fstream>
#include <iostream>

#include "absl/strings/str_format.h"
#include "internal/cli_common.hpp"
#include "internal/command.hpp"
#include "internal/commands.hpp"
#include "internal/declared_flags.hpp"
#include "salesight/alerts.hpp"
#include "salesight/dashboard.hpp"
#include "salesight/status_macros.hpp"

namespace salesight::cli {
namespace {

absl::StatusOr<DashboardOptions> OptionsFromArgs(const Args& args) {
  DashboardOptions o;
  for (auto [flag, field] : {std::pair{"from", &o.from}, {"to", &o.to}}) {
    if (std::optional<std::string> v = args.Get(flag)) {
      SALESIGHT_ASSIGN_OR_RETURN(*field, ParseDate(*v, DateFormat::kIso));
    }
  }
  const std::string lang = args.GetOr("lang", "en");
  if (lang != "en" && lang != "zh") return absl::InvalidArgumentError("--lang must be zh or en");
  o.language = lang == "zh" ? DashboardLanguage::kZh : DashboardLanguage::kEn;
  o.currency = args.GetOr("currency", "¥");
  if (o.currency != "¥" && o.currency != "$" && o.currency != "€") {
    return absl::InvalidArgumentError("--currency must be ¥, $ or €");
  }
  o.title = args.GetOr("title", "");
  SALESIGHT_ASSIGN_OR_RETURN(std::int64_t top, args.GetInt("top", 10));
  o.top_n = static_cast<int>(top);
  SALESIGHT_ASSIGN_OR_RETURN(std::int64_t threads, args.GetInt("threads", 0));
  o.num_threads = static_cast<int>(threads);
  o.alert_rules = args.GetOr("rules", "");
  return o;
}

}  // namespace

// --rules is the alerts' own declared option (its flag, help and file
// reading), handed to the dashboard's alerts as is.
std::vector<FlagSpec> AlertRulesFlag() {
  std::vector<OptionInfo> rules;
  for (const OptionInfo& info : InfosOf(AlertsOptionDecls())) {
    if (info.name == "rules") rules.push_back(info);
  }
  return DeclaredFlags(rules, {});
}

int RunDashboard(int argc, char** argv, int first) {
  std::vector<FlagSpec> own = {
      {"from", "YYYY-MM-DD", "first day of the period (default: January 1 of --to's year)"},
      {"to", "YYYY-MM-DD", "last day of the period and the as-of day (default: the last order)"},
      {"lang", "zh|en", "labels (default en)"},
      {"currency", "SYMBOL", "¥, $ or €: the symbol before money (default ¥)"},
      {"title", "T", "the page title (default: the language's)"},
      {"format", "html|json", "the page (default) or the panel data"},
      FlagSpec{"top", "N", "rows of the top lists and drill-downs (default 10)"}.Range(1, 1000),
      ThreadsFlag(),
      {"out", "FILE", "where to write (required; - = stdout)"},
  };
  for (FlagSpec& flag : AlertRulesFlag()) own.push_back(std::move(flag));
  int exit_code = 0;
  std::optional<Args> args = ParseCommand(
      argc, argv, first,
      {MainFile::kOrders, MainFile::kPipeline, MainFile::kInvoices, MainFile::kPayments,
       MainFile::kTargets},
      own,
      "salesight dashboard [data flags] [--from D --to D] [--lang zh|en] [--currency ¥|$|€] "
      "[--title T] [--rules FILE] [--format html|json] --out FILE",
      "The sales dashboard: KPI cards and seven panels (trend, region share, product\n"
      "ranking, funnel, customer value, leaderboard, collection) as one offline HTML file\n"
      "with filters and drill-down, or the same numbers as JSON (schema:\n"
      "src/dashboard/dashboard.schema.json). Each KPI card shows its top change driver\n"
      "(`drivers`) and its alerts (`alerts`: anomalies, plus the --rules table).\n"
      "Without --orders it uses the bundled sample.",
      &exit_code);
  if (!args) return exit_code;
  absl::StatusOr<DashboardOptions> options = OptionsFromArgs(*args);
  if (!options.ok()) return UsageError(options.status());
  const std::string format = args->GetOr("format", "html");
  if (format != "html" && format != "json") {
    return UsageError(absl::InvalidArgumentError("--format must be html or json"));
  }
  const std::optional<std::string> out = args->Get("out");
  if (!out) return UsageError(absl::InvalidArgumentError("--out FILE is required"));

  absl::StatusOr<std::unique_ptr<CommandData>> data = CommandData::Load(*args, MainFile::kOrders);
  if (!data.ok()) return DataError(data.status());
  absl::StatusOr<Dataset> dataset = (*data)->BuildDataset();
  if (!dataset.ok()) return DataError(dataset.status());
  absl::StatusOr<std::string> text = RenderDashboard(
      *dataset, *options, format == "json" ? DashboardFormat::kJson : DashboardFormat::kHtml);
  if (!text.ok()) return DataError(text.status());
  if (*out == "-") {
    std::cout << *text;
    return 0;
  }
  std::ofstream file(*out, std::ios::binary);
  file << *text;
  file.close();
  if (!file) {
    return DataError(absl::InvalidArgumentError(absl::StrFormat("cannot write '%s'", *out)));
  }
  std::cerr << "salesight dashboard: wrote " << *out << " (" << text->size() << " bytes)\n";
  return 0;
}

}  // namespace salesight::cli
