// alerts, declared once (salesight/calculator.hpp): its options, inputs and
// outputs. Every surface derives from this file.
#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "salesight/alerts.hpp"
#include "salesight/names.hpp"

namespace salesight {
namespace {

using O = AlertsOptions;
using T = OptionType;
using V = OptionValue;

// The rules option holds inline JSON or a file path. The file is read here,
// where the option's text is turned into the options struct (every surface
// passes that text: the CLI's --rules FILE, Python rules="path", C), so the
// calculator itself reads no file.
absl::StatusOr<std::string> RulesText(const std::string& text) {
  const std::size_t first = text.find_first_not_of(" \t\r\n");
  if (first == std::string::npos || text[first] == '{' || text[first] == '[') return text;
  std::ifstream in(text, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot read the rule file '", text, "'"));
  std::string content(kMaxAlertRulesBytes + 1, '\0');
  in.read(content.data(), static_cast<std::streamsize>(content.size()));
  content.resize(static_cast<std::size_t>(in.gcount()));
  if (content.size() > kMaxAlertRulesBytes) {
    return absl::InvalidArgumentError(
        absl::StrCat("the rule file '", text, "' is over ", kMaxAlertRulesBytes, " bytes"));
  }
  return content;
}

absl::Status CheckRules(const V& v) {
  absl::StatusOr<std::string> text = RulesText(v.text);
  if (!text.ok()) return text.status();
  if (text->empty()) return absl::OkStatus();
  return ParseAlertRules(*text).status();
}

absl::Status CheckGrain(const V& v) { return ParseGrain(v.text).status(); }

absl::Status CheckMinBase(const V& v) {
  return ParseMoney(v.text, {.scale = kMaxMoneyScale}).status();
}

const OptionDecl<O> kDecls[] = {
    {Option("as_of", T::kDate, "", "", "nothing dated later is read (default: the last order line's date)"),
     [](O& o, const V& v) { o.as_of = v.date; }},
    {Option("grain", T::kText, "month", "day|week|month|quarter|year|fiscal_year[:M]",
            "the period under watch and its history"),
     [](O& o, const V& v) { o.grain = *ParseGrain(v.text); }, &CheckGrain},
    {Option("watch", T::kChoice, "complete", "complete|to_date",
            "the last complete period, or the current period to date (every period compared on "
            "the same elapsed days, last year 364 days back)"),
     [](O& o, const V& v) { o.watch = v.text == "to_date" ? AlertWatch::kToDate : AlertWatch::kComplete; }},
    {Option("dims", T::kText, "", "DIM,...",
            "dimensions sliced besides the total (default: those of region, salesperson, "
            "category, channel the data has)"),
     [](O& o, const V& v) {
       o.dims.clear();
       for (std::string_view d : SplitNames(v.text)) o.dims.emplace_back(d);
       o.dims_given = true;
     }},
    {Option("anomalies", T::kBool, "true", "", "flag KPI x slice values outside their expected band")
         .CliFalse("no-anomalies", "only the rules"),
     [](O& o, const V& v) { o.anomalies = v.flag; }},
    {Option("k", T::kInt, "3", "", "recent periods whose median year-over-year ratio is the trend")
         .Range(1, 60),
     [](O& o, const V& v) { o.k = static_cast<std::int32_t>(v.integer); }},
    {Option("history", T::kInt, "12", "", "past periods whose residuals set the band").Range(1, 120),
     [](O& o, const V& v) { o.history = static_cast<std::int32_t>(v.integer); }},
    {Option("min_history", T::kInt, "6", "", "residuals a slice needs to be checked").Range(1, 120),
     [](O& o, const V& v) { o.min_history = static_cast<std::int32_t>(v.integer); }},
    {Option("z", T::kDouble, "3", "", "flag when |robust z| >= z").Between(0.1, 1000),
     [](O& o, const V& v) { o.z = v.number; }},
    {Option("z_critical", T::kDouble, "5", "", "critical (else warning) when |robust z| >= this")
         .Between(0.1, 1000),
     [](O& o, const V& v) { o.z_critical = v.number; }},
    {Option("mad_scale", T::kDouble, "1.4826", "", "MAD x this = the residuals' scale (normal consistency)")
         .Between(0.001, 1000),
     [](O& o, const V& v) { o.mad_scale = v.number; }},
    {Option("min_band", T::kDouble, "0.02", "", "floor of the residual scale (relative to expected)")
         .Between(0.000001, 100),
     [](O& o, const V& v) { o.min_band = v.number; }},
    {Option("min_lines", T::kInt, "30", "",
            "minimum sample of a slice (order lines; opportunities; invoices) in last year's window "
            "(rules: in the watched window)")
         .Range(0, std::int64_t{1} << 40),
     [](O& o, const V& v) { o.min_lines = v.integer; }},
    {Option("min_base", T::kText, "0", "AMOUNT",
            "minimum base (revenue; billed; outstanding) of a slice in last year's window, currency units"),
     [](O& o, const V& v) { o.min_base = v.text; }, &CheckMinBase},
    {Option("rules", T::kText, "", "FILE|JSON", "a rule table: a JSON file's path or the JSON itself"),
     [](O& o, const V& v) {
       absl::StatusOr<std::string> text = RulesText(v.text);
       o.rules = text.ok() ? *text : v.text;
     },
     &CheckRules},
    {Option("lang", T::kChoice, "en", "en|zh", "language of the sentences"),
     [](O& o, const V& v) { o.lang = v.text; }},
    {ThreadsOption(), [](O& o, const V& v) { o.num_threads = static_cast<int>(v.integer); }},
};

absl::StatusOr<ResultSet> Run(const Dataset& data, const O& options) {
  absl::StatusOr<AlertsResult> result = ComputeAlerts(data, options);
  if (!result.ok()) return result.status();
  ResultSet out;
  if (data.orders() != nullptr) out.problems.money_scale = data.orders()->money_scale();
  out.tables.push_back({"alerts", ToResultTable(*result)});
  out.tables.push_back({"skipped", SkippedResultTable(*result)});
  return out;
}

}  // namespace

absl::Span<const OptionDecl<AlertsOptions>> AlertsOptionDecls() { return kDecls; }

CalculatorSpec AlertsCalculator() {
  return DeclareCalculator<O>(
      "alerts",
      "What is unusual in the period under watch: each KPI (revenue, margin, margin_pct, orders, "
      "customers, aov; funnel step conversions with a pipeline; collection_rate and overdue with "
      "invoices) x slice (the total and each member of each dimension) against an expected value "
      "= same period last year x the recent year-over-year trend, flagged outside a robust "
      "median/MAD band; plus a user-edited rule table (JSON). Small slices are guarded and "
      "counted in `skipped`.",
      {{TableKind::kOrders, true}, {TableKind::kPipeline, false}, {TableKind::kInvoices, false},
       {TableKind::kPayments, false}},
      {"alerts", "skipped"}, AlertsOptionDecls(), &Run);
}

}  // namespace salesight
