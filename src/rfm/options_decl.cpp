// RFM's options, declared once (salesight/options.hpp): the CLI's `salesight
// rfm` flags, the README's options table and the check of the Python keywords
// all come from this list. The CLI spells two of them its own way and says
// so in their declarations: `--segments FILE` (a rules file: segments =
// custom with that file's rules) and `--threads` (shared by every command,
// default 0 = all cores on the command line).
#include <algorithm>

#include "salesight/rfm.hpp"

namespace salesight {
namespace {

using O = RfmOptions;
using V = OptionValue;
using T = OptionType;

template <typename To>
std::vector<To> Narrow(const std::vector<std::int64_t>& v) {
  return std::vector<To>(v.begin(), v.end());
}

const OptionDecl<O> kRfmOptions[] = {
    {Option("as_of", T::kDate, "", "", "analysis date; lines after it are not used (default: the day after the last order)"),
     [](O& o, const V& v) { o.as_of = v.date; }},
    {Option("window_days", T::kInt, "0", "", "only lines of the N days before as_of (0 = all history)").Range(0, 100000),
     [](O& o, const V& v) { o.window_days = static_cast<std::int32_t>(v.integer); }},
    {Option("frequency", T::kChoice, "orders", "orders|days", "F counts distinct orders or distinct purchase days"),
     [](O& o, const V& v) { o.frequency = *ParseRfmFrequency(v.text); }},
    {Option("monetary", T::kChoice, "revenue", "revenue|margin", "M is net revenue or margin (needs a cost column)"),
     [](O& o, const V& v) { o.monetary = *ParseRfmMonetary(v.text); }},
    {Option("aggregation", T::kChoice, "sum", "sum|mean", "M as the sum or the mean per order (rounded half away from zero)").Cli("aggregate"),
     [](O& o, const V& v) { o.aggregation = *ParseRfmAggregation(v.text); }},
    {Option("all_lines_are_purchases", T::kBool, "false", "", "every line is a purchase (default: amount < 0 lines are returns)"),
     [](O& o, const V& v) {
       o.purchase = v.flag ? RfmPurchase::kAllLines : RfmPurchase::kNonNegativeAmount;
     }},
    {Option("scoring", T::kChoice, "quantile", "quantile|ntile|fixed", "score method: value quantiles (ties share a score), SQL NTILE, or fixed thresholds"),
     [](O& o, const V& v) { o.scoring = *ParseRfmScoring(v.text); }},
    {Option("k", T::kInt, "5", "", "number of score levels (fixed scoring: thresholds + 1)").Range(1, 60),
     [](O& o, const V& v) { o.k = static_cast<int>(v.integer); }},
    {Option("fixed_recency", T::kIntList, "", "", "fixed scoring: k-1 ascending recency thresholds in days").Range(0, 100000),
     [](O& o, const V& v) { o.fixed.recency_days = Narrow<std::int32_t>(v.integers); }},
    {Option("fixed_frequency", T::kIntList, "", "", "fixed scoring: k-1 ascending frequency thresholds").Range(0, 2147483647),
     [](O& o, const V& v) { o.fixed.frequency = Narrow<std::int32_t>(v.integers); }},
    {Option("fixed_monetary", T::kDoubleList, "", "", "fixed scoring: k-1 ascending monetary thresholds in currency units"),
     [](O& o, const V& v) { o.fixed.monetary = v.numbers; }},
    {Option("segments", T::kChoice, "tiers", "tiers|relative|classic|workload|custom", "segment rule table (custom: `rules`; the CLI takes --segments FILE)"),
     [](O& o, const V& v) { o.segments = *ParseRfmSegments(v.text); }},
    {Option("rules", T::kText, "", "", "custom segments: the rule table text, one rule per line (README, Definitions)").Cli("segments"),
     [](O& o, const V& v) {
       absl::StatusOr<RfmRuleTable> rules = ParseRuleTable(v.text);
       if (rules.ok()) o.custom_rules = *std::move(rules);  // SetRfmOption checked it
     }},
    {Option("language", T::kChoice, "en", "en|zh", "language of the segment labels").Cli("lang"),
     [](O& o, const V& v) { o.language = *ParseRfmLanguage(v.text); }},
    {Option("by", T::kText, "", "", "RFM per member of this dimension: a field, an attribute column or a customer's/product's one (default: one population)"),
     [](O& o, const V& v) { o.by = v.text; }},
    {Option("by_scope", T::kChoice, "lines", "lines|customer", "with by: lines = each member's lines scored among that member's customers (a customer may be in several); customer = one scoring over all customers, the member must be one per customer"),
     [](O& o, const V& v) { o.by_scope = *ParseRfmByScope(v.text); }},
    {Option("clv_model", T::kChoice, "none", "none|bgnbd|pareto-nbd", "adds p_alive, expected_purchases and clv per customer from this model (with Gamma-Gamma spend) fitted on the same lines at as_of"),
     [](O& o, const V& v) { o.clv.model = *ParseRfmClvModel(v.text); }},
    {Option("clv_time_unit", T::kChoice, "week", "day|week|month", "CLV: unit of the model's times and of the horizon (month = 365.25/12 days)"),
     [](O& o, const V& v) { o.clv.time_unit = v.text; }},
    {Option("clv_horizon", T::kInt, "12", "", "CLV: time units ahead for expected_purchases and clv").Range(1, 100000),
     [](O& o, const V& v) { o.clv.horizon = static_cast<int>(v.integer); }},
    {Option("clv_discount", T::kDouble, "0", "", "CLV: discount rate per time unit"),
     [](O& o, const V& v) { o.clv.discount = v.number; }},
    {Option("clv_margin", T::kDouble, "1", "", "CLV: share of spend kept as profit"),
     [](O& o, const V& v) { o.clv.margin = v.number; }},
    {Option("value_measure", T::kChoice, "monetary", "monetary|clv", "what the M score and so the value tiers rank: monetary, or clv (needs clv_model; the monetary column is unchanged)"),
     [](O& o, const V& v) { o.value = *ParseRfmValue(v.text); }},
    {ThreadsOption(),
     [](O& o, const V& v) { o.num_threads = static_cast<int>(v.integer); }},
};

}  // namespace

absl::Span<const OptionDecl<RfmOptions>> RfmOptionDecls() { return kRfmOptions; }

absl::Status SetRfmOption(RfmOptions& options, std::string_view name, std::string_view text) {
  if (name == "rules") {  // the one option whose text has its own grammar
    absl::StatusOr<RfmRuleTable> rules = ParseRuleTable(text);
    if (!rules.ok()) return rules.status();
  }
  return SetOption(RfmOptionDecls(), options, name, text);
}

}  // namespace salesight
