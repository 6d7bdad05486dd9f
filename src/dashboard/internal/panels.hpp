// The panel sources: each fills one part of the dashboard document from the
// calculators. The JSON shape of a part is fixed by dashboard.schema.json;
// the source is not: a source over the query engine replaces one entry of
// PanelSources() and keeps the shape (tests/unit/dashboard check both the
// shape and the numbers against the calculators).
#pragma once

#include <string_view>

#include "absl/types/span.h"
#include "context.hpp"

namespace salesight::dashboard {

struct PanelSource {
  const char* id;  // the key under "panels" in the document
  Json (*build)(const Context&);
};

// The seven panels in page order.
absl::Span<const PanelSource> PanelSources();

Json TrendPanel(const Context& c);          // trend_panel.cpp
Json RegionSharePanel(const Context& c);    // share_panel.cpp
Json ProductPanel(const Context& c);        // product_panel.cpp
Json FunnelPanel(const Context& c);         // funnel_panel.cpp
Json CustomerPanel(const Context& c);       // customer_panel.cpp
Json LeaderboardPanel(const Context& c);    // leaderboard_panel.cpp
Json CollectionPanel(const Context& c);     // collection_panel.cpp
Json KpiCards(const Context& c);            // kpis.cpp
// What explains a KPI card and what watches it (why.cpp): the drivers
// measure of the card's figure and the alerts KPI whose rows land on the
// card; "" = none (overdue is a snapshot, which the drivers refuse; new
// customers, won deals and the to-date windows have no alerts KPI).
struct CardSources {
  std::string_view card, drivers_measure, alert_kpi;
};
absl::Span<const CardSources> CardSourceTable();

// The card's "why": the drivers calculator's top driver of the change from
// [before_from, before_to] to [from, to] (the card's own windows), or null
// when the card has no drivers measure (why.cpp).
Json Why(const Context& c, std::string_view card, Day from, Day to, Day before_from,
         Day before_to);

// The alerts calculator as of `to` (alerts_strip.cpp): each card of `kpis`
// whose KPI it watches gets "alerts" (its rows, in the calculator's order);
// returns the document's "alerts" part: the watched period and the rows no
// card shows.
Json AttachAlerts(const Context& c, Json& kpis);

// The labels of the filter dimensions and the pre-aggregated facts the page
// cross-filters (cube.cpp; the size bound is stated there).
Json Filters(const Context& c);

}  // namespace salesight::dashboard
