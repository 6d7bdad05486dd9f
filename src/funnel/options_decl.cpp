// The funnel's options, declared once (salesight/options.hpp): the CLI's
// `salesight funnel` flags, the README's options table and the Python
// keywords all come from this list. The CLI keeps its older spellings and
// says so here: --from/--to (Python start/end: `from` is a Python keyword),
// --explicit-stages-only (sets implied_reached false), --min-sample, and
// --threads (shared by every command, default 0 = all cores).
#include <limits>
#include <string>

#include "salesight/funnel.hpp"
#include "salesight/names.hpp"

namespace salesight {
namespace {

using O = FunnelOptions;
using V = OptionValue;
using T = OptionType;

std::vector<std::string> Names(const std::string& text) {
  const std::vector<std::string_view> names = SplitNames(text);
  return std::vector<std::string>(names.begin(), names.end());
}

// "none" or "" = no period grain.
absl::Status CheckPeriod(const V& v) {
  if (v.text.empty() || v.text == "none") return absl::OkStatus();
  return ParseGrain(v.text).status();
}

const OptionDecl<O> kFunnelOptions[] = {
    {Option("mode", T::kChoice, "cohort", "cohort|activity|snapshot", "scope: cohort (created in the period), activity (stage events in the period) or snapshot (open pipeline at as_of; needs as_of)"),
     [](O& o, const V& v) {
       o.mode = v.text == "activity" ? FunnelMode::kActivity
                : v.text == "snapshot" ? FunnelMode::kSnapshot
                                       : FunnelMode::kCohort;
     }},
    {Option("start", T::kDate, "", "", "first day of the scope (inclusive; default unbounded)").Cli("from"),
     [](O& o, const V& v) { o.from = v.date; }},
    {Option("end", T::kDate, "", "", "last day of the scope (inclusive; default unbounded)").Cli("to"),
     [](O& o, const V& v) { o.to = v.date; }},
    {Option("as_of", T::kDate, "", "", "ignore dates after this day (required by snapshot; default no cut)"),
     [](O& o, const V& v) { o.as_of = v.date; }},
    {Option("by", T::kText, "", "KEY,...", "group by dimensions, comma-separated: region, salesperson, source, customer, lost_reason, any other column of the pipeline (e.g. category, origin); the CLI also takes segment (the customer's RFM tier, from --orders)"),
     [](O& o, const V& v) { o.group_by = Names(v.text); }},
    {Option("period", T::kText, "", "day|week|month|quarter|year|fiscal_year[:M]", "group by the period of created: day, week, month, quarter, year, fiscal_year[:M] (fiscal_year:4 = April-March)"),
     [](O& o, const V& v) {
       o.period.reset();
       if (!v.text.empty() && v.text != "none") o.period = *ParseGrain(v.text);  // checked
     },
     CheckPeriod},
    {Option("compare", T::kChoice, "none", "none|previous|last_year", "add the previous period's or the same period last year's figures (needs a period)"),
     [](O& o, const V& v) {
       o.compare = v.text == "previous" ? FunnelCompare::kPreviousPeriod
                   : v.text == "last_year" ? FunnelCompare::kSamePeriodLastYear
                                           : FunnelCompare::kNone;
     }},
    {Option("implied_reached", T::kBool, "true", "", "reaching a later stage implies the earlier ones (false: only stages with a date count)")
         .CliFalse("explicit-stages-only", "count only stages with a date (default: reaching a later stage implies the earlier ones)"),
     [](O& o, const V& v) { o.implied_reached = v.flag; }},
    {Option("include_backwards_gaps", T::kBool, "false", "", "a stage dated before the previous one enters the day statistics as a negative gap (default: excluded and reported)"),
     [](O& o, const V& v) { o.include_backwards_gaps = v.flag; }},
    {Option("compute_outcomes", T::kBool, "true", "", "compute won/lost, win rates, cycle, open and weighted pipeline, velocity")
         .CliFalse("no-outcomes", "skip won/lost, win rates, cycle, open pipeline and velocity (the amount and lost date are not read)"),
     [](O& o, const V& v) { o.compute_outcomes = v.flag; }},
    {Option("compute_bottlenecks", T::kBool, "true", "", "flag the groups' conversion and dwell bottlenecks")
         .CliFalse("no-bottlenecks", "skip the bottleneck flags"),
     [](O& o, const V& v) { o.compute_bottlenecks = v.flag; }},
    {Option("won_stage", T::kText, "", "", "the won stage by name (default: the stage named won, else the last)"),
     [](O& o, const V& v) { o.won_stage = v.text; }},
    {Option("qualified_stage", T::kText, "", "", "the first qualified stage by name, for velocity (default: the stage after the first)"),
     [](O& o, const V& v) { o.qualified_stage = v.text; }},
    {Option("bottleneck_margin", T::kDouble, "0.2", "", "a bottleneck is worse than the company-wide figure by more than this share").Between(0, std::numeric_limits<double>::infinity()),
     [](O& o, const V& v) { o.bottleneck_margin = v.number; }},
    {Option("bottleneck_min_sample", T::kInt, "30", "", "bottlenecks need at least N opportunities (or gaps)").Range(0, 1000000000).Cli("min-sample"),
     [](O& o, const V& v) { o.bottleneck_min_sample = v.integer; }},
    {ThreadsOption(),
     [](O& o, const V& v) { o.num_threads = static_cast<int>(v.integer); }},
};

}  // namespace

absl::Span<const OptionDecl<FunnelOptions>> FunnelOptionDecls() { return kFunnelOptions; }

absl::Status SetFunnelOption(FunnelOptions& options, std::string_view name,
                             std::string_view text) {
  return SetOption(FunnelOptionDecls(), options, name, text);
}

}  // namespace salesight
