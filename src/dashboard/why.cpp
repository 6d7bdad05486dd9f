// A KPI card's "why": the drivers calculator (salesight/insights/drivers.hpp)
// over the card's own windows: after = the card's period, before = the same
// window one year earlier (what the card's change compares). Its dims are the
// drivers' default, those of region, salesperson, category and channel the
// measure's table offers: the dimensions the page's filters slice by. Depth
// and thresholds are the drivers' defaults. The card shows the top row (rank
// 1) and the summary sentence; nothing is computed here.
#include "internal/panels.hpp"
#include "salesight/insights/drivers.hpp"

namespace salesight::dashboard {

absl::Span<const CardSources> CardSourceTable() {
  static constexpr CardSources kTable[] = {
      {"revenue", "revenue", "revenue"},
      {"revenue_mtd", "revenue", ""},
      {"revenue_qtd", "revenue", ""},
      {"revenue_ytd", "revenue", ""},
      {"gross_margin_pct", "margin_pct", "margin_pct"},
      {"orders", "orders", "orders"},
      {"new_customers", "new_customers", ""},
      {"won_deals", "won", ""},
      {"collection_rate", "collection_rate", "collection_rate"},
      {"overdue", "", "overdue"},
  };
  return kTable;
}

namespace {

const CardSources* SourcesOf(std::string_view card) {
  for (const CardSources& s : CardSourceTable()) {
    if (s.card == card) return &s;
  }
  return nullptr;
}

// A driver value as the card's JSON holds it: money and counts exact
// (integers), rates in the measure's unit.
Json Value(const DriversResult& r, std::int64_t exact, bool has_rate, double rate) {
  if (!r.ratio) return Json(exact);
  return has_rate ? Json(rate) : Json(nullptr);
}

}  // namespace

Json Why(const Context& c, std::string_view card, Day from, Day to, Day before_from,
         Day before_to) {
  const CardSources* sources = SourcesOf(card);
  if (sources == nullptr || sources->drivers_measure.empty()) return nullptr;
  DriversOptions o;
  o.measure = std::string(sources->drivers_measure);
  o.from = from;
  o.to = to;
  o.before_from = before_from;
  o.before_to = before_to;
  o.lang = c.zh ? "zh" : "en";
  o.num_threads = c.options.num_threads;
  absl::StatusOr<DriversResult> r = ComputeDrivers(c.data, o);
  if (!r.ok()) return Failed(r.status());
  const char* unit = r->unit == MeasureUnit::kMoney     ? "money"
                     : r->unit == MeasureUnit::kPercent ? "percent"
                     : r->unit == MeasureUnit::kRatio   ? "ratio"
                                                        : "count";
  Json why = {{"status", "ok"},
              {"measure", r->measure},
              {"unit", unit},
              {"before_period", r->before_label},
              {"after_period", r->after_label},
              {"sentence", r->sentence},
              {"combination", nullptr},
              {"share", nullptr},
              {"before", nullptr},
              {"after", nullptr}};
  if (!r->rows.empty()) {
    const DriverRow& top = r->rows.front();
    why["combination"] = top.combination;
    why["share"] = NumberOrNull(top.share);
    why["before"] = Value(*r, top.before, top.has_before_rate, top.before_rate);
    why["after"] = Value(*r, top.after, top.has_after_rate, top.after_rate);
  }
  return why;
}

}  // namespace salesight::dashboard
