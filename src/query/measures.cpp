#include "salesight/query/measures.hpp"

#include <algorithm>

#include "absl/status/status.h"
#include "absl/strings/str_format.h"
#include "salesight/names.hpp"

namespace salesight {
namespace {

using A = MeasureAggregation;
using U = MeasureUnit;
using T = TableKind;

QueryMeasure Sum(std::string_view name, T table, U unit, std::string_view date,
                 std::string_view definition, std::string_view source, A a = A::kSum) {
  QueryMeasure m;
  m.name = name;
  m.table = table;
  m.aggregation = a;
  m.unit = unit;
  m.date = date;
  m.definition = definition;
  m.source = source;
  return m;
}

QueryMeasure Ratio(std::string_view name, T table, U unit, std::string_view date,
                   std::vector<std::string_view> numerator,
                   std::vector<std::string_view> denominator, RatioScale scale,
                   std::string_view definition, std::string_view source) {
  QueryMeasure m = Sum(name, table, unit, date, definition, source, A::kRatio);
  m.numerator = std::move(numerator);
  m.denominator = std::move(denominator);
  m.scale = scale;
  return m;
}

// The definitions are the calculators' (cited); the README's table is made
// from these lines. Orders: a line takes part when its order_date is in the
// range (margin.hpp, trend.hpp). Pipeline: the funnel's cohort
// (opportunities created in the range), outcomes as of the range's end.
// Receivables: as of the range's end, payments from the Payments table, else
// the invoices' paid columns (receivables.hpp).
std::vector<QueryMeasure> Build() {
  constexpr std::string_view kOrderDate = "order_date", kCreated = "created",
                             kDue = "due_date", kInvoiceDate = "invoice_date", kMonth = "month";
  return {
      // ---------------------------------------------------------------- orders
      Sum("revenue", T::kOrders, U::kMoney, kOrderDate,
          "net revenue: the sum of the lines' amounts, returns (negative lines) included",
          "overview.hpp net_revenue, trend.hpp revenue"),
      Sum("cost", T::kOrders, U::kMoney, kOrderDate,
          "cost of the lines whose cost is known: the line's cost, else quantity x unit_cost, else "
          "quantity x the product's standard cost, else its tier cost; unknown costs are left out, "
          "never zero",
          "margin.hpp cost"),
      Sum("costed_revenue", T::kOrders, U::kMoney, kOrderDate,
          "revenue of the lines whose cost is known (revenue - cost_unknown_revenue): the base of "
          "margin and margin_pct",
          "margin.hpp"),
      Sum("margin", T::kOrders, U::kMoney, kOrderDate,
          "costed_revenue - cost (lines with an unknown cost are left out)", "margin.hpp margin"),
      Ratio("margin_pct", T::kOrders, U::kPercent, kOrderDate, {"margin"}, {"costed_revenue"},
            RatioScale::kHundred, "100 x margin / costed_revenue", "margin.hpp margin_pct"),
      Sum("quantity", T::kOrders, U::kCount, kOrderDate,
          "the sum of the lines' signed quantities (negative on returns)", "margin.hpp quantity"),
      Sum("lines", T::kOrders, U::kCount, kOrderDate, "the number of order lines, returns included",
          "overview.hpp lines, trend.hpp lines"),
      Sum("orders", T::kOrders, U::kCount, kOrderDate,
          "distinct order ids; with a period grain an order counts once, in the period of its "
          "earliest line the query selects (range and filters)",
          "trend.hpp orders", A::kDistinct),
      Sum("customers", T::kOrders, U::kCount, kOrderDate,
          "distinct customer ids with at least one line (per period: a line in that period)",
          "overview.hpp customers", A::kDistinct),
      Sum("new_customers", T::kOrders, U::kCount, kOrderDate,
          "distinct customers with a purchase (a line with amount >= 0) in the period that holds "
          "their first purchase ever (earlier purchases outside the range count)",
          "new_customers.hpp new_customers", A::kDistinct),
      Sum("returning_customers", T::kOrders, U::kCount, kOrderDate,
          "distinct customers with a purchase in the period whose first purchase ever is in an "
          "earlier period",
          "new_customers.hpp returning_customers", A::kDistinct),
      Ratio("aov", T::kOrders, U::kMoney, kOrderDate, {"revenue"}, {"orders"}, RatioScale::kOne,
            "average order value: revenue / orders", "trend.hpp revenue and orders"),
      Ratio("revenue_per_customer", T::kOrders, U::kMoney, kOrderDate, {"revenue"}, {"customers"},
            RatioScale::kOne, "revenue / customers", "overview.hpp net_revenue and customers"),
      Sum("return_amount", T::kOrders, U::kMoney, kOrderDate,
          "the sum of the negative line amounts (<= 0, so revenue = sales + return_amount)",
          "overview.hpp returns"),
      // ---------------------------------------------------------------- pipeline
      Sum("opportunities", T::kPipeline, U::kCount, kCreated,
          "opportunities created in the period (the funnel's cohort)", "funnel.hpp opportunities"),
      Sum("won", T::kPipeline, U::kCount, kCreated,
          "opportunities of the cohort that reached the won stage (a later stage implies the "
          "earlier ones)",
          "funnel.hpp won"),
      Sum("lost", T::kPipeline, U::kCount, kCreated,
          "opportunities of the cohort with a lost date and not won", "funnel.hpp lost"),
      Ratio("win_rate", T::kPipeline, U::kRatio, kCreated, {"won"}, {"won", "lost"},
            RatioScale::kOne, "won / (won + lost): the closed win rate",
            "funnel.hpp win_rate_closed"),
      Sum("pipeline_amount", T::kPipeline, U::kMoney, kCreated,
          "the amount of the cohort's open opportunities (a stage recorded, not won, not lost)",
          "funnel.hpp open_amount"),
      Sum("weighted_pipeline", T::kPipeline, U::kMoney, kCreated,
          "the sum over open opportunities of amount x the company-wide stage-to-won probability "
          "of their current stage; null when a stage holding open amount has none",
          "funnel.hpp weighted_pipeline"),
      // ---------------------------------------------------------------- receivables
      Sum("billed", T::kInvoices, U::kMoney, kDue,
          "the amounts of the invoices due in the period (the due set)", "receivables.hpp billed"),
      Sum("collected", T::kInvoices, U::kMoney, kDue,
          "the payments dated up to as-of of the invoices due in the period, not capped at the "
          "amount",
          "receivables.hpp collected"),
      Ratio("collection_rate", T::kInvoices, U::kRatio, kDue, {"collected"}, {"billed"},
            RatioScale::kOne, "collected / billed", "receivables.hpp collection_rate"),
      Sum("credit_sales", T::kInvoices, U::kMoney, kInvoiceDate,
          "the amounts of the invoices dated in the period: the base of dso",
          "receivables.hpp credit_sales"),
      Sum("outstanding", T::kInvoices, U::kMoney, kInvoiceDate,
          "receivables at the period's last day t: the sum of max(0, amount - paid by t) over "
          "invoices dated <= t",
          "receivables.hpp AR(t), ending", A::kSnapshot),
      Sum("overdue", T::kInvoices, U::kMoney, kInvoiceDate,
          "the part of outstanding that is past due at t (due_date < t)",
          "receivables.hpp AR(t) - current AR(t)", A::kSnapshot),
      Ratio("dso", T::kInvoices, U::kDays, kInvoiceDate, {"outstanding"}, {"credit_sales"},
            RatioScale::kDaysInPeriod,
            "outstanding / credit_sales x the period's days; null without a period start or "
            "when credit_sales <= 0",
            "receivables.hpp DSO"),
      // ---------------------------------------------------------------- targets
      Sum("target", T::kTargets, U::kMoney, kMonth,
          "monthly targets spread over their calendar days; a period's target is the sum of its "
          "days' shares, rounded once",
          "trend.hpp targets"),
      Ratio("attainment_pct", T::kTargets, U::kPercent, kMonth, {"revenue"}, {"target"},
            RatioScale::kHundred, "100 x revenue / target",
            "trend.hpp compare target (growth_ratio x 100)"),
  };
}

std::string Cell(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '|') out += '\\';
    out += c;
  }
  return out;
}

}  // namespace

std::string_view MeasureAggregationName(MeasureAggregation a) {
  switch (a) {
    case A::kSum: return "sum";
    case A::kDistinct: return "distinct";
    case A::kSnapshot: return "snapshot";
    case A::kRatio: return "ratio";
  }
  return "?";
}

std::string_view MeasureUnitName(MeasureUnit u) {
  switch (u) {
    case U::kMoney: return "money";
    case U::kCount: return "count";
    case U::kRatio: return "ratio";
    case U::kPercent: return "percent";
    case U::kDays: return "days";
  }
  return "?";
}

absl::Span<const QueryMeasure> QueryMeasures() {
  static const std::vector<QueryMeasure>* const measures = new std::vector<QueryMeasure>(Build());
  return *measures;
}

std::vector<std::string> QueryMeasureNames() {
  std::vector<std::string> names;
  for (const QueryMeasure& m : QueryMeasures()) names.emplace_back(m.name);
  return names;
}

absl::StatusOr<const QueryMeasure*> FindQueryMeasure(std::string_view name) {
  for (const QueryMeasure& m : QueryMeasures()) {
    if (m.name == name) return &m;
  }
  const std::vector<std::string> names = QueryMeasureNames();
  return absl::InvalidArgumentError(absl::StrFormat("unknown measure '%s'.%s Valid measures: %s",
                                                    name, DidYouMean(name, names),
                                                    QuotedNames(names)));
}

std::vector<TableKind> MeasureTables(const QueryMeasure& measure) {
  std::vector<TableKind> tables = {measure.table};
  auto add = [&](const std::vector<std::string_view>& components) {
    for (std::string_view c : components) {
      for (const QueryMeasure& m : QueryMeasures()) {
        if (m.name != c) continue;
        for (TableKind t : MeasureTables(m)) {
          if (std::find(tables.begin(), tables.end(), t) == tables.end()) tables.push_back(t);
        }
      }
    }
  };
  add(measure.numerator);
  add(measure.denominator);
  return tables;
}

std::string QueryMeasuresMarkdown() {
  std::string out =
      "| measure | table | aggregation | unit | definition | as in |\n"
      "|---|---|---|---|---|---|\n";
  for (const QueryMeasure& m : QueryMeasures()) {
    std::string tables;
    for (TableKind t : MeasureTables(m)) {
      if (!tables.empty()) tables += " + ";
      tables += TableKindName(t);
    }
    out += absl::StrFormat("| `%s` | %s | %s | %s | %s | %s |\n", std::string(m.name), tables,
                           std::string(MeasureAggregationName(m.aggregation)),
                           std::string(MeasureUnitName(m.unit)), Cell(m.definition),
                           Cell(m.source));
  }
  return out;
}

}  // namespace salesight
