// The alerts on the KPI cards and in the page's alerts strip: the alerts
// calculator (salesight/alerts.hpp) as of the dashboard's `to`, at its
// defaults (month grain, the last complete month watched, anomalies on, the
// dims of region, salesperson, category, channel the data has) plus the
// user's rule table (DashboardOptions::alert_rules). Each row goes, once, to
// the card of its KPI (CardSourceTable) or, without one, to the strip.
#include "internal/panels.hpp"
#include "salesight/alerts.hpp"

namespace salesight::dashboard {
namespace {

std::string_view IdOf(const Json& card) { return card.at("id").get_ref<const std::string&>(); }

Json Row(const AlertRow& a) {
  return {{"kind", a.kind},
          {"rule", a.rule},
          {"kpi", a.kpi},
          {"dimension", a.dimension},
          {"member", a.member},
          {"severity", std::string(AlertSeverityName(a.severity))},
          {"value", NumberOrNull(a.value)},
          {"expected", NumberOrNull(a.expected)},
          {"deviation_pct", NumberOrNull(a.deviation_pct)},
          {"z", NumberOrNull(a.z)},
          {"threshold", a.threshold},
          {"sentence", a.sentence}};
}

}  // namespace

Json AttachAlerts(const Context& c, Json& kpis) {
  AlertsOptions o;
  o.as_of = c.to;
  o.rules = c.alert_rules;
  o.lang = c.zh ? "zh" : "en";
  o.num_threads = c.options.num_threads;
  absl::StatusOr<AlertsResult> r = ComputeAlerts(c.data, o);
  if (!r.ok()) return Failed(r.status());

  // Every card with data whose KPI the alerts watch gets a list (empty: no
  // alert); card_of finds the list of an alert's KPI.
  for (Json& card : kpis) {
    if (card.contains("status")) continue;
    for (const CardSources& s : CardSourceTable()) {
      if (s.card == IdOf(card) && !s.alert_kpi.empty()) card["alerts"] = Json::array();
    }
  }
  auto card_of = [&](const std::string& kpi) -> Json* {
    for (const CardSources& s : CardSourceTable()) {
      if (s.alert_kpi != kpi) continue;
      for (Json& card : kpis) {
        if (IdOf(card) == s.card && card.contains("alerts")) return &card;
      }
    }
    return nullptr;
  };
  Json others = Json::array();
  for (const AlertRow& a : r->alerts) {
    Json* card = card_of(a.kpi);
    (card != nullptr ? (*card)["alerts"] : others).push_back(Row(a));
  }
  return {{"status", "ok"},
          {"period", r->period},
          {"from", r->window_start == kNoDate ? Json(nullptr) : Json(FormatDate(r->window_start))},
          {"to", r->window_end == kNoDate ? Json(nullptr) : Json(FormatDate(r->window_end))},
          {"rules", !c.alert_rules.empty()},
          {"total", r->alerts.size()},
          {"others", others}};
}

}  // namespace salesight::dashboard
