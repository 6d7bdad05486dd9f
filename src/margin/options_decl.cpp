// The margin analysis' options, declared once (salesight/options.hpp): the
// CLI's `salesight margin` flags, the README's options table and the Python
// keywords all come from this list. The CLI keeps its older spellings and
// says so here: --from/--to (Python start/end: `from` is a Python keyword),
// --lang, --threads (every command's, default 0 = all cores), and three it
// spells its own way: --top N / --bottom N (which list and its size) and
// --abc [--abc-metric M].
#include "salesight/margin.hpp"

namespace salesight {
namespace {

using O = MarginRequest;
using V = OptionValue;
using T = OptionType;

absl::Status CheckGrouping(const V& v) { return ParseMarginGrouping(v.text).status(); }

const OptionDecl<O> kMarginOptions[] = {
    {Option("by", T::kText, "product", "KEY,...", "group by dimensions, comma-separated: product, category, customer, region, any other column of the orders or products (\"Sub-Category\"), order, and at most one period of the order date (day..year, fiscal_year[:M]); \"\" = one total row"),
     [](O& o, const V& v) { o.options.group_by = *ParseMarginGrouping(v.text); },  // checked
     CheckGrouping},
    {Option("start", T::kDate, "", "", "first order date included (default unbounded)").Cli("from"),
     [](O& o, const V& v) { o.options.from = v.date; }},
    {Option("end", T::kDate, "", "", "last order date included (default unbounded)").Cli("to"),
     [](O& o, const V& v) { o.options.to = v.date; }},
    {Option("tier_cost_first", T::kBool, "false", "", "cost a line by its product's quantity tier before its standard cost"),
     [](O& o, const V& v) {
       o.options.product_cost_order =
           v.flag ? ProductCostOrder::kTierThenStandard : ProductCostOrder::kStandardThenTier;
     }},
    {Option("unknown_cost", T::kChoice, "exclude", "exclude|error", "a line without a cost: reported and left out of cost and margin, or an error naming it"),
     [](O& o, const V& v) {
       o.options.unknown_cost =
           v.text == "error" ? UnknownCostPolicy::kError : UnknownCostPolicy::kExclude;
     }},
    {Option("margin_share", T::kChoice, "sign_of_group", "sign_of_group|plain", "margin_share = margin / |total margin| (the group's sign) or margin / total margin"),
     [](O& o, const V& v) {
       o.options.margin_share_sign =
           v.text == "plain" ? MarginShareSign::kPlainRatio : MarginShareSign::kSignOfGroup;
     }},
    {Option("abc", T::kChoice, "", "revenue|margin", "add the ABC class ranked by this metric (A up to 80% cumulative, B up to 95%, C the rest; the CLI: --abc [--abc-metric M])"),
     [](O& o, const V& v) { o.abc = v.text == "margin" ? AbcMetric::kMargin : AbcMetric::kRevenue; }},
    {Option("quadrant", T::kBool, "false", "", "add star / cash_cow / question_mark / dog / new per product (needs the product grouping)"),
     [](O& o, const V& v) { o.quadrant = v.flag; }},
    {Option("language", T::kChoice, "en", "en|zh", "language of the ABC and quadrant labels").Cli("lang"),
     [](O& o, const V& v) {
       o.language = v.text == "zh" ? MarginLabelLanguage::kChinese : MarginLabelLanguage::kEnglish;
     }},
    {Option("rank_by", T::kChoice, "margin", "revenue|quantity|margin|margin_pct", "what the ranked list orders by"),
     [](O& o, const V& v) {
       o.rank.metric = v.text == "revenue"    ? MarginMetric::kRevenue
                       : v.text == "quantity" ? MarginMetric::kQuantity
                       : v.text == "margin_pct" ? MarginMetric::kMarginPct
                                                : MarginMetric::kMargin;
     }},
    {Option("top", T::kInt, "10", "", "size of the ranked list (the CLI: --top N or --bottom N)").Range(0, 1000000000),
     [](O& o, const V& v) { o.rank.n = static_cast<std::size_t>(v.integer); }},
    {Option("bottom", T::kBool, "false", "", "rank from the bottom (the CLI: --bottom N)"),
     [](O& o, const V& v) { o.rank.order = v.flag ? MarginRankOrder::kBottom : MarginRankOrder::kTop; }},
    {ThreadsOption(),
     [](O& o, const V& v) { o.options.num_threads = static_cast<int>(v.integer); }},
};

}  // namespace

absl::Span<const OptionDecl<MarginRequest>> MarginOptionDecls() { return kMarginOptions; }

absl::Status SetMarginOption(MarginRequest& request, std::string_view name,
                             std::string_view text) {
  return SetOption(MarginOptionDecls(), request, name, text);
}

}  // namespace salesight
