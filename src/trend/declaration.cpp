// trend, declared once (salesight/calculator.hpp): besides its typed surfaces
// (salesight_trend_compute, salesight.trend, `salesight trend`), every declared
// option through salesight_calculator_run(dataset, "trend", ...) and
// salesight.Dataset(...).run("trend", ...). Both outputs come from one
// computation (to_date has rows only with as_of).
#include "core/internal/aggregator_kind.hpp"
#include "salesight/calculator.hpp"
#include "internal/partial_codec.hpp"
#include "salesight/trend.hpp"

namespace salesight {
namespace {

using O = TrendOptions;
using T = OptionType;
using V = OptionValue;

absl::Status CheckGrain(const V& v) { return ParseGrain(v.text).status(); }

const OptionDecl<O> kDecls[] = {
    {Option("grain", T::kText, "month", "day|week|month|quarter|year|fiscal_year[:M]", "period length (week = ISO week; fiscal_year:4 = April-March)"),
     [](O& o, const V& v) { o.grain = *ParseGrain(v.text); },  // checked
     CheckGrain},
    {Option("compare", T::kChoice, "last_year", "previous|last_year|target", "base of the growth columns: the previous period, the same period last year or the target (needs targets)"),
     [](O& o, const V& v) {
       o.compare = v.text == "previous" ? TrendCompare::kPrevious
                   : v.text == "target" ? TrendCompare::kTarget
                                        : TrendCompare::kLastYear;
     }},
    {Option("measure", T::kChoice, "revenue", "revenue|margin|orders|collections", "what is compared"),
     [](O& o, const V& v) {
       o.compare_measure = v.text == "margin"        ? TrendMeasure::kMargin
                           : v.text == "orders"      ? TrendMeasure::kOrders
                           : v.text == "collections" ? TrendMeasure::kCollections
                                                     : TrendMeasure::kRevenue;
     }},
    {Option("by", T::kText, "", "DIMENSION|none", "one trend per member of an order-line dimension: region, salesperson, channel, an attribute column (default none)"),
     [](O& o, const V& v) { o.group_by = v.text == "none" ? std::string() : v.text; }},
    {Option("start", T::kDate, "", "", "first order date read (include last year to compare with it; default unbounded)").Cli("from"),
     [](O& o, const V& v) { o.from = v.date; }},
    {Option("end", T::kDate, "", "", "last order date read (default unbounded)").Cli("to"),
     [](O& o, const V& v) { o.to = v.date; }},
    {Option("as_of", T::kDate, "", "", "date of the period-to-date windows (the to_date output; default none)"),
     [](O& o, const V& v) { o.as_of = v.date; }},
    {Option("empty_periods", T::kBool, "true", "", "every period between the first and the last, zero-filled (false: only periods with orders)")
         .CliFalse("only-active", "only periods with orders (default: every period, zero-filled)"),
     [](O& o, const V& v) { o.emit_empty_periods = v.flag; }},
    {Option("with_margin", T::kBool, "true", "", "margin columns when a cost source exists (a second pass over the lines; false skips it)")
         .CliFalse("no-margin", "no margin columns (skips the costing pass)"),
     [](O& o, const V& v) { o.with_margin = v.flag; }},
    {Option("count_orders", T::kBool, "true", "", "distinct orders per period (16 bytes of state per order; false leaves the orders columns empty)")
         .CliFalse("no-orders", "no distinct order counts (saves their memory)"),
     [](O& o, const V& v) { o.count_orders = v.flag; }},
    {Option("tier_cost_first", T::kBool, "false", "", "cost a line by its product's quantity tier before its standard cost (as margin)"),
     [](O& o, const V& v) {
       o.product_cost_order =
           v.flag ? ProductCostOrder::kTierThenStandard : ProductCostOrder::kStandardThenTier;
     }},
    {Option("max_cells", T::kInt, "16777216", "", "refuse a run whose groups x days cells exceed this (a memory bound; the error names both numbers)").Range(1, std::int64_t{1} << 40),
     [](O& o, const V& v) { o.max_cells = v.integer; }},
    {ThreadsOption(),
     [](O& o, const V& v) { o.num_threads = static_cast<int>(v.integer); }},
};

ResultSet SetOf(const TrendResult& r) {
  ResultSet out;
  out.problems.money_scale = r.money_scale;
  out.tables.push_back({"table", ToResultTable(r)});
  out.tables.push_back({"to_date", ToDateResultTable(r)});
  return out;
}

absl::StatusOr<ResultSet> Run(const Dataset& data, const O& options) {
  absl::StatusOr<TrendResult> r = ComputeTrend(data, options);
  if (!r.ok()) return r.status();
  return SetOf(*r);
}

// The lines' part is the partial; the context adds collections (all its
// invoice or payment rows, as ComputeTrend does) and targets.
absl::StatusOr<ResultSet> FinishSet(TrendPartial p, const O& options, const Dataset* context) {
  const Targets* targets = nullptr;
  if (context != nullptr) {
    targets = context->targets();
    if (context->invoices() != nullptr) {
      const std::size_t rows = context->payments() != nullptr ? context->payments()->size()
                                                              : context->invoices()->size();
      absl::StatusOr<TrendPartial> c = PartialTrendCollections(*context, 0, rows, options);
      if (!c.ok()) return c.status();
      if (absl::Status st = MergeTrend(p, *c); !st.ok()) return st;
    }
  }
  absl::StatusOr<TrendResult> r = FinishTrend(std::move(p), targets, options);
  if (!r.ok()) return r.status();
  return SetOf(*r);
}

const aggregator_internal::KindOps<O, TrendPartial> kKind{
    .name = "trend",
    .kind = PartialKind::kTrend,
    .rows = TableKind::kOrders,
    .decls = kDecls,
    .partial = &PartialTrend,
    .merge = &trend_internal::MergeTrendBounded,
    .money_scale = [](TrendPartial& p) -> int& { return p.money_scale; },
    .write = &trend_internal::WriteTrend,
    .read = &trend_internal::ReadTrend,
    .attach =
        [](TrendPartial& p, const TrendPartial& fresh) {
          p.group_codes = fresh.group_codes;
          p.margin.dictionaries = fresh.margin.dictionaries;
        },
    .finish = &FinishSet,
};

}  // namespace

absl::Span<const OptionDecl<TrendOptions>> TrendOptionDecls() { return kDecls; }

AggregatorSpec TrendAggregator() { return aggregator_internal::DeclareAggregator(&kKind); }

CalculatorSpec TrendCalculator() {
  return DeclareCalculator<O>(
      "trend",
      "Revenue, margin, orders (collections with invoices, target with targets) per period, "
      "compared with the previous period, the same period last year or the target; to_date: "
      "MTD / QTD / YTD against the same elapsed days last year (definitions: "
      "include/salesight/trend.hpp, README).",
      {{TableKind::kOrders, true},
       {TableKind::kProducts, false},
       {TableKind::kInvoices, false},
       {TableKind::kPayments, false},
       {TableKind::kTargets, false}},
      {"table", "to_date"}, TrendOptionDecls(), &Run);
}

}  // namespace salesight
