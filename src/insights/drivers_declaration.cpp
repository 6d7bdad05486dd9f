// drivers, declared once (salesight/calculator.hpp): its options, inputs and
// outputs, and its result tables. Every surface derives from this file.
#include <string>

#include "absl/strings/str_cat.h"
#include "salesight/insights/drivers.hpp"
#include "salesight/names.hpp"
#include "salesight/query/measures.hpp"

namespace salesight {
namespace {

using O = DriversOptions;
using T = OptionType;
using V = OptionValue;

absl::Status CheckGrain(const V& v) { return ParseGrain(v.text).status(); }
absl::Status CheckMeasure(const V& v) { return FindQueryMeasure(v.text).status(); }

const OptionDecl<O> kDecls[] = {
    {Option("measure", T::kText, "revenue", "MEASURE",
            "what changed: an additive measure (revenue, margin, cost, quantity, lines, billed, "
            "collected, ...), a distinct count (orders, customers) or a ratio (margin_pct, "
            "collection_rate, win_rate)"),
     [](O& o, const V& v) { o.measure = v.text; }, &CheckMeasure},
    {Option("grain", T::kText, "month", "day|week|month|quarter|year|fiscal_year[:M]",
            "the grain of period"),
     [](O& o, const V& v) { o.grain = *ParseGrain(v.text); }, &CheckGrain},
    {Option("period", T::kText, "", "LABEL",
            "the period after, as results label it (2024-03, 2024-Q1, 2024-W05, 2024; default: "
            "the period of the last order line)"),
     [](O& o, const V& v) { o.period = v.text; }},
    {Option("compare", T::kChoice, "previous", "previous|last_year|target",
            "the period before: the previous one, the same one last year, or the target (revenue)"),
     [](O& o, const V& v) {
       o.compare = v.text == "last_year" ? DriversCompare::kLastYear
                   : v.text == "target"  ? DriversCompare::kTarget
                                         : DriversCompare::kPrevious;
     }},
    {Option("from", T::kDate, "", "", "explicit range after: first day (with to; replaces period)"),
     [](O& o, const V& v) { o.from = v.date; }},
    {Option("to", T::kDate, "", "", "explicit range after: last day (inclusive)"),
     [](O& o, const V& v) { o.to = v.date; }},
    {Option("before_from", T::kDate, "", "", "explicit range before: first day"),
     [](O& o, const V& v) { o.before_from = v.date; }},
    {Option("before_to", T::kDate, "", "", "explicit range before: last day (inclusive)"),
     [](O& o, const V& v) { o.before_to = v.date; }},
    {Option("dims", T::kText, "", "DIM,...",
            "dimensions searched, in the order combinations are written (default: those of region, "
            "salesperson, category, channel the measure's table has)"),
     [](O& o, const V& v) {
       o.dims.clear();
       for (std::string_view d : SplitNames(v.text)) o.dims.emplace_back(d);
       o.dims_given = true;
     }},
    {Option("max_depth", T::kInt, "3", "", "deepest combination searched (0 = every dimension)")
         .Range(0, 16),
     [](O& o, const V& v) { o.max_depth = static_cast<int>(v.integer); }},
    {Option("top", T::kInt, "10", "", "drivers kept").Range(0, 1000000),
     [](O& o, const V& v) { o.top = static_cast<int>(v.integer); }},
    {Option("min_share", T::kDouble, "0.1", "",
            "smallest explained share of a driver besides the root causes (Adtributor's T_EEP; "
            "negative: elements moving against the total too)")
         .Between(-1e9, 1),
     [](O& o, const V& v) { o.min_share = v.number; }},
    {Option("lang", T::kChoice, "en", "en|zh", "language of the sentence"),
     [](O& o, const V& v) { o.lang = v.text; }},
    {ThreadsOption(), [](O& o, const V& v) { o.num_threads = static_cast<int>(v.integer); }},
};

absl::StatusOr<ResultSet> Run(const Dataset& data, const O& options) {
  absl::StatusOr<DriversResult> result = ComputeDrivers(data, options);
  if (!result.ok()) return result.status();
  ResultSet out;
  out.problems.money_scale = result->money_scale;
  out.tables.push_back({"drivers", DriversTable(*result)});
  out.tables.push_back({"summary", DriversSummaryTable(*result)});
  return out;
}

}  // namespace

absl::Span<const OptionDecl<DriversOptions>> DriversOptionDecls() { return kDecls; }

CalculatorSpec DriversCalculator() {
  return DeclareCalculator<O>(
      "drivers",
      "Which combinations of dimension members explain the change of a measure between two "
      "periods (or actual vs target): every combination of up to max_depth dims scored by "
      "explained share and surprise (Adtributor), the root causes that the RiskLoc localiser "
      "finds ranked first; ratio measures split into mix and rate effects; one sentence.",
      {{TableKind::kOrders, false}, {TableKind::kInvoices, false}, {TableKind::kPayments, false},
       {TableKind::kPipeline, false}, {TableKind::kTargets, false}},
      {"drivers", "summary"}, DriversOptionDecls(), &Run);
}

}  // namespace salesight
