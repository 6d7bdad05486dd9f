// `salesight clv`'s options, declared once (salesight/options.hpp): the CLI
// flags and the README table come from this list.
#include "salesight/clv/run.hpp"

namespace salesight::clv {
namespace {

using O = ClvRunOptions;
using V = OptionValue;
using T = OptionType;

const OptionDecl<O> kClvOptions[] = {
    {Option("model", T::kChoice, "bgnbd", "bgnbd|pareto-nbd|gamma-gamma|bgbb", "the model fitted (bgnbd and pareto-nbd add Gamma-Gamma spend and CLV)"),
     [](O& o, const V& v) { o.model = v.text; }},
    {Option("time_unit", T::kChoice, "week", "day|week|month", "unit of recency, T and the horizon (month = 365.25/12 days)"),
     [](O& o, const V& v) { o.time_unit = v.text; }},
    {Option("calibration_end", T::kDate, "", "", "last day of the calibration period (default: the last order date)"),
     [](O& o, const V& v) { o.calibration_end = v.date; }},
    {Option("horizon", T::kInt, "12", "", "time units ahead for expected purchases and CLV").Range(1, 100000),
     [](O& o, const V& v) { o.horizon = static_cast<int>(v.integer); }},
    {Option("discount", T::kDouble, "0", "", "discount rate per time unit (CLV)"),
     [](O& o, const V& v) { o.discount = v.number; }},
    {Option("margin", T::kDouble, "1", "", "share of spend kept as profit (CLV)"),
     [](O& o, const V& v) { o.margin = v.number; }},
    {Option("l2_penalty", T::kDouble, "0", "", "L2 penalty on the parameters (lifetimes' penalizer_coef)"),
     [](O& o, const V& v) { o.l2_penalty = v.number; }},
    {Option("allow_not_converged", T::kBool, "false", "", "use a fit that did not converge (its status is in the parameters JSON) instead of failing"),
     [](O& o, const V& v) { o.allow_not_converged = v.flag; }},
    {ThreadsOption(),
     [](O& o, const V& v) { o.num_threads = static_cast<int>(v.integer); }},
};

}  // namespace

absl::Span<const OptionDecl<ClvRunOptions>> ClvOptionDecls() { return kClvOptions; }

absl::Status SetClvOption(ClvRunOptions& options, std::string_view name, std::string_view text) {
  return SetOption(ClvOptionDecls(), options, name, text);
}

}  // namespace salesight::clv
