// Panel 7, collection (the receivables calculators, as of `to`): the
// collection rate of the invoices due in each month of the period, DSO and
// CEI over the period, the AR aging buckets (total and per region /
// salesperson: the filters) and the top overdue invoices to chase.
#include <algorithm>

#include "absl/strings/str_format.h"
#include "internal/panels.hpp"
#include "salesight/grain.hpp"
#include "salesight/receivables.hpp"

namespace salesight::dashboard {
namespace {

Json Buckets(const AgingResult& a, std::size_t row) {
  Json b = Json::array();
  for (std::size_t k = 0; k < a.num_buckets(); ++k) b.push_back(a.amount(row, k));
  return b;
}

}  // namespace

Json CollectionPanel(const Context& c) {
  if (c.data.invoices() == nullptr) return NoData("no invoices given");
  AgingOptions aging;
  aging.as_of = c.to;
  aging.group_by = "";
  aging.overdue_top_n = static_cast<std::size_t>(c.options.top_n);
  aging.num_threads = c.options.num_threads;
  CollectionOptions period;
  period.from = c.from;
  period.to = c.to;
  period.as_of = c.to;
  period.group_by = "";
  period.num_threads = c.options.num_threads;
  absl::StatusOr<ReceivablesResult> r = ComputeReceivables(c.data, aging, period);
  if (!r.ok()) return Failed(r.status());
  const CollectionRow& t = r->collection.total;
  Json p = {{"status", "ok"},
            {"as_of", FormatDate(c.to)},
            {"collection_rate", NumberOrNull(t.collection_rate)},
            {"billed", t.sums.billed},
            {"collected", t.sums.collected},
            {"dso", NumberOrNull(t.dso)},
            {"cei", NumberOrNull(t.cei)},
            {"buckets", r->aging.bucket_names},
            {"aging_total", r->aging.bucket_totals},
            {"outstanding", r->aging.total}};
  // overdue = everything past the first (current) bucket.
  Money overdue = r->aging.total;
  if (!r->aging.bucket_totals.empty()) overdue -= r->aging.bucket_totals[0];
  p["overdue"] = overdue;
  Json chase = Json::array();
  for (const OverdueInvoice& x : r->aging.overdue) {
    chase.push_back({{"invoice", r->aging.invoice_codes ? Label(r->aging.invoice_codes, x.invoice)
                                                        : std::to_string(x.invoice)},
                     {"customer", Label(r->aging.customer_codes, x.customer)},
                     {"due_date", FormatDate(x.due_date)},
                     {"outstanding", x.outstanding},
                     {"days_past_due", x.days_past_due}});
  }
  p["overdue_invoices"] = chase;

  // The monthly collection rate (invoices due in the month, known at `to`).
  Json months = Json::array(), rate = Json::array(), billed = Json::array(),
       collected = Json::array();
  Json by_region_rate = Json::object();
  const bool has_region = c.data.Dimension(TableKind::kInvoices, "region").ok();
  const Grain month{GrainUnit::kMonth};
  for (std::int32_t m = PeriodOf(month, c.from); m <= PeriodOf(month, c.to); ++m) {
    CollectionOptions co = period;
    co.from = std::max(c.from, PeriodStart(month, m));
    co.to = std::min(c.to, PeriodEnd(month, m));
    co.group_by = has_region ? "region" : "";
    absl::StatusOr<CollectionResult> cr = ComputeCollection(c.data, co);
    if (!cr.ok()) return Failed(cr.status());
    months.push_back(PeriodLabel(month, m));
    rate.push_back(NumberOrNull(cr->total.collection_rate));
    billed.push_back(cr->total.sums.billed);
    collected.push_back(cr->total.sums.collected);
    if (!has_region) continue;
    for (const CollectionRow& row : cr->rows) {
      Json& series = by_region_rate[Label(cr->group_codes, row.group)];
      if (series.is_null()) {
        series = {{"billed", Json::array()}, {"collected", Json::array()}};
      }
      // Months without the region's invoices are filled below (0 billed).
      while (series["billed"].size() + 1 < months.size()) {
        series["billed"].push_back(0);
        series["collected"].push_back(0);
      }
      series["billed"].push_back(row.sums.billed);
      series["collected"].push_back(row.sums.collected);
    }
  }
  for (auto& [key, series] : by_region_rate.items()) {
    while (series["billed"].size() < months.size()) {
      series["billed"].push_back(0);
      series["collected"].push_back(0);
    }
  }
  p["monthly"] = {{"periods", months}, {"collection_rate", rate}, {"billed", billed},
                  {"collected", collected}};
  Json by = Json::object();
  for (const char* dim : {"region", "salesperson"}) {
    if (!c.data.Dimension(TableKind::kInvoices, dim).ok()) continue;
    AgingOptions ga = aging;
    ga.group_by = dim;
    ga.overdue_top_n = 0;
    absl::StatusOr<AgingResult> g = ComputeAging(c.data, ga);
    if (!g.ok()) continue;
    Json members = Json::object();
    for (std::size_t i = 0; i < g->groups.size(); ++i) {
      members[Label(g->group_codes, g->groups[i])] = Buckets(*g, i);
    }
    by[dim] = members;
  }
  if (has_region) by["region_monthly"] = by_region_rate;
  p["by"] = by;
  return p;
}

}  // namespace salesight::dashboard
