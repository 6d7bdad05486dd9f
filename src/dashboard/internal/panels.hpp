// The panel sources: each fills one part of the dashboard document from the
// calculators. The JSON shape of a part is fixed by dashboard.schema.json;
// the source is not: a source over the query engine replaces one entry of
// PanelSources() and keeps the shape (tests/unit/dashboard check both the
// shape and the numbers against the calculators).
#pragma once

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
// The labels of the filter dimensions and the pre-aggregated facts the page
// cross-filters (cube.cpp; the size bound is stated there).
Json Filters(const Context& c);

}  // namespace salesight::dashboard
