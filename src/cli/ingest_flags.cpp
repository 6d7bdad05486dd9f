#include "ingest_flags.hpp"

#include <cstdio>
#include <fstream>
#include <iostream>

#include "absl/strings/str_format.h"
#include "cli_common.hpp"
#include "salesight/status_macros.hpp"

namespace salesight::cli {

const char* MainFileFlag(MainFile f) {
  switch (f) {
    case MainFile::kOrders: return "orders";
    case MainFile::kPipeline: return "pipeline";
    case MainFile::kInvoices: return "invoices";
    case MainFile::kPayments: return "payments";
    case MainFile::kTargets: return "targets";
  }
  return "";
}

namespace {

absl::StatusOr<char> SingleChar(const Args& args, std::string_view flag, char fallback) {
  std::optional<std::string> v = args.Get(flag);
  if (!v) return fallback;
  if (*v == "\\t" || *v == "tab") return '\t';
  if (v->size() != 1) {
    return absl::InvalidArgumentError(
        absl::StrFormat("--%s must be one character, got '%s'", flag, *v));
  }
  return (*v)[0];
}

absl::StatusOr<IngestOptions> OptionsFor(const Args& args, MainFile file, MainFile main) {
  IngestOptions o;
  SALESIGHT_ASSIGN_OR_RETURN(o.dialect.delimiter, SingleChar(args, "delimiter", ','));
  SALESIGHT_ASSIGN_OR_RETURN(o.thousands_separator, SingleChar(args, "thousands", '\0'));
  o.dialect.has_header = !args.Has("no-header");
  o.stop_on_first_error = args.Has("stop-on-error");
  SALESIGHT_ASSIGN_OR_RETURN(std::int64_t scale, args.GetInt("money-scale", -1));
  if (scale < -1 || scale > kMaxMoneyScale) {
    return absl::InvalidArgumentError("--money-scale must be 0..6 (omit it for automatic)");
  }
  o.money_scale = static_cast<int>(scale);
  SALESIGHT_ASSIGN_OR_RETURN(o.date_format, ParseDateFormatName(args.GetOr("date-format", "auto")));
  std::string spec = args.GetOr(std::string(MainFileFlag(file)) + "-map", "");
  if (spec.empty() && file == main) spec = args.GetOr("map", "");
  SALESIGHT_ASSIGN_OR_RETURN(o.mapping, ParseFieldMapping(spec));
  // `funnel --lost COL` is shorthand for lost=COL in the pipeline mapping.
  if (file == MainFile::kPipeline && args.Has("lost") && o.mapping.Find("lost") == nullptr) {
    o.mapping.fields.emplace_back("lost", *args.Get("lost"));
  }
  if (StderrIsTerminal()) {
    o.progress = [name = std::string(MainFileFlag(file))](std::int64_t done, std::int64_t total) {
      if (total > (std::int64_t{64} << 20)) {
        std::fprintf(stderr, "\rloading %s: %3d%%", name.c_str(),
                     static_cast<int>(100 * done / std::max<std::int64_t>(total, 1)));
        if (done >= total) std::fprintf(stderr, "\n");
      }
    };
  }
  return o;
}

absl::StatusOr<std::vector<std::pair<std::string, std::string>>> ParseStages(const Args& args) {
  std::vector<std::pair<std::string, std::string>> stages;
  std::optional<std::string> spec = args.Get("stages");
  if (!spec) return stages;
  // Same syntax as --map: name=Column,... in funnel order.
  SALESIGHT_ASSIGN_OR_RETURN(FieldMapping m, ParseFieldMapping(*spec));
  return m.fields;
}

void Summarize(const std::string& path, const RejectReport& r) {
  std::cerr << absl::StrFormat("%s: %d data lines, %d accepted, %d rejected\n", path,
                               r.data_lines, r.accepted, r.rejected);
  if (r.rejected > 0) std::cerr << FormatRejectReport(r, 10);
}

void AppendRejects(std::ofstream& out, const std::string& path, const RejectReport& r) {
  auto q = [](const std::string& s) {
    std::string o = "\"";
    for (char c : s) o += c == '"' ? std::string("\"\"") : std::string(1, c);
    return o + "\"";
  };
  for (const Reject& x : r.rejects) {
    out << q(path) << ',' << x.line << ',' << q(x.column) << ',' << q(x.value) << ','
        << q(x.reason) << '\n';
  }
}

}  // namespace

std::vector<FlagSpec> IngestFlagSpecs(const std::vector<MainFile>& files) {
  std::vector<FlagSpec> specs;
  for (MainFile f : files) {
    std::string name = MainFileFlag(f);
    specs.push_back({name, "FILE", name + " export (CSV)"});
    specs.push_back({name + "-map", "SPEC", "field=Column,... for the " + name + " file"});
  }
  specs.push_back({"map", "SPEC",
                   "field=Column,... for the main file (column names may contain spaces)"});
  if (std::find(files.begin(), files.end(), MainFile::kPipeline) != files.end()) {
    specs.push_back({"stages", "NAME=COL,...",
                     "pipeline stage date columns in funnel order (default lead_date, ...)"});
  }
  specs.push_back({"date-format", "F",
                   "%Y-%m-%d, %Y/%m/%d, %m/%d/%Y, %d.%m.%Y, %Y%m%d, %d/%m/%Y, %m/%d/%y, %d/%m/%y or "
                   "auto (default auto; day-first and 2-digit years must be stated)"});
  specs.push_back({"delimiter", "C", "field delimiter (default ','; 'tab' for tab)"});
  specs.push_back({"money-scale", "N", "decimals of money, 0..6 (default: smallest exact)"});
  specs.push_back({"thousands", "C", "thousands separator in amounts (default none)"});
  specs.push_back({"no-header", "", "the files have no header row (columns named 1, 2, ...)"});
  specs.push_back({"stop-on-error", "", "stop at the first bad row instead of reporting it"});
  specs.push_back({"rejects", "FILE.csv", "write every rejected row (file, line, column, value, reason)"});
  return specs;
}

absl::StatusOr<LoadedExports> LoadExports(const Args& args, MainFile main) {
  LoadedExports out;
  std::optional<std::ofstream> rejects;
  if (std::optional<std::string> path = args.Get("rejects")) {
    rejects.emplace(*path);
    if (!*rejects) {
      return absl::NotFoundError(absl::StrFormat("cannot open '%s' for writing", *path));
    }
    *rejects << "file,line,column,value,reason\n";
  }
  if (std::optional<std::string> path = args.Get("orders")) {
    SALESIGHT_ASSIGN_OR_RETURN(IngestOptions o, OptionsFor(args, MainFile::kOrders, main));
    SALESIGHT_ASSIGN_OR_RETURN(OrdersCsv csv, ReadOrdersCsv(*path, o, out.dicts));
    Summarize(*path, csv.report);
    if (rejects) AppendRejects(*rejects, *path, csv.report);
    out.orders = std::move(csv);
  }
  if (std::optional<std::string> path = args.Get("pipeline")) {
    SALESIGHT_ASSIGN_OR_RETURN(IngestOptions o, OptionsFor(args, MainFile::kPipeline, main));
    SALESIGHT_ASSIGN_OR_RETURN(auto stages, ParseStages(args));
    SALESIGHT_ASSIGN_OR_RETURN(PipelineCsv csv, ReadPipelineCsv(*path, o, stages, out.dicts));
    Summarize(*path, csv.report);
    if (rejects) AppendRejects(*rejects, *path, csv.report);
    out.pipeline = std::move(csv);
  }
  if (std::optional<std::string> path = args.Get("invoices")) {
    SALESIGHT_ASSIGN_OR_RETURN(IngestOptions o, OptionsFor(args, MainFile::kInvoices, main));
    SALESIGHT_ASSIGN_OR_RETURN(InvoicesCsv csv, ReadInvoicesCsv(*path, o, out.dicts));
    Summarize(*path, csv.report);
    if (rejects) AppendRejects(*rejects, *path, csv.report);
    out.invoices = std::move(csv);
  }
  if (std::optional<std::string> path = args.Get("payments")) {
    if (!out.invoices) {
      return absl::InvalidArgumentError("--payments needs --invoices (payments name invoices)");
    }
    SALESIGHT_ASSIGN_OR_RETURN(IngestOptions o, OptionsFor(args, MainFile::kPayments, main));
    SALESIGHT_ASSIGN_OR_RETURN(PaymentsCsv csv,
                               ReadPaymentsCsv(*path, o, out.invoices->table, out.dicts));
    Summarize(*path, csv.report);
    if (rejects) AppendRejects(*rejects, *path, csv.report);
    out.payments = std::move(csv);
  }
  if (std::optional<std::string> path = args.Get("targets")) {
    SALESIGHT_ASSIGN_OR_RETURN(IngestOptions o, OptionsFor(args, MainFile::kTargets, main));
    SALESIGHT_ASSIGN_OR_RETURN(TargetsCsv csv, ReadTargetsCsv(*path, o, out.dicts));
    Summarize(*path, csv.report);
    if (rejects) AppendRejects(*rejects, *path, csv.report);
    out.targets = std::move(csv);
  }
  return out;
}

}  // namespace salesight::cli
