// The dashboard document: meta, filters, KPI cards and the seven panels, in
// the shape of dashboard.schema.json; and RenderDashboard, its one entry.
#include "absl/strings/str_format.h"
#include "internal/html.hpp"
#include "internal/panels.hpp"

namespace salesight::dashboard {

absl::Span<const PanelSource> PanelSources() {
  static constexpr PanelSource kPanels[] = {
      {"trend", &TrendPanel},           {"region_share", &RegionSharePanel},
      {"product_ranking", &ProductPanel}, {"funnel", &FunnelPanel},
      {"customer_value", &CustomerPanel}, {"leaderboard", &LeaderboardPanel},
      {"collection", &CollectionPanel},
  };
  return kPanels;
}

Json BuildDocument(const Context& c) {
  Json doc = {{"schema", "salesight.dashboard"},
              {"version", kDashboardSchemaVersion},
              {"title", c.options.title},
              {"lang", c.zh ? "zh" : "en"},
              {"currency", c.options.currency},
              {"money_scale", c.money_scale},
              {"period",
               {{"from", FormatDate(c.from)},
                {"to", FormatDate(c.to)},
                {"last_year_from", FormatDate(c.ly_from)},
                {"last_year_to", FormatDate(c.ly_to)},
                {"as_of", FormatDate(c.to)}}},
              {"tables",
               {{"orders", c.data.orders() != nullptr},
                {"products", c.data.products() != nullptr},
                {"customers", c.data.customers() != nullptr},
                {"pipeline", c.data.pipeline() != nullptr},
                {"invoices", c.data.invoices() != nullptr},
                {"payments", c.data.payments() != nullptr},
                {"targets", c.data.targets() != nullptr}}}};
  doc["kpis"] = KpiCards(c);
  doc["alerts"] = doc["kpis"].is_array() ? AttachAlerts(c, doc["kpis"])
                                         : NoData("the KPI cards have no data");
  Json panels = Json::object();
  for (const PanelSource& p : PanelSources()) panels[p.id] = p.build(c);
  doc["panels"] = panels;
  doc["filters"] = Filters(c);
  return doc;
}

}  // namespace salesight::dashboard

namespace salesight {

absl::StatusOr<std::string> RenderDashboard(const Dataset& data, const DashboardOptions& options,
                                            DashboardFormat format) {
  absl::StatusOr<dashboard::Context> c = dashboard::MakeContext(data, options);
  if (!c.ok()) return c.status();
  const dashboard::Json doc = dashboard::BuildDocument(*c);
  if (format == DashboardFormat::kJson) {
    // error_handler replace: a label with invalid UTF-8 (a legacy export)
    // becomes U+FFFD instead of failing the whole document.
    return doc.dump(-1, ' ', false, dashboard::Json::error_handler_t::replace);
  }
  return dashboard::WriteHtml(doc, *c);
}

}  // namespace salesight
