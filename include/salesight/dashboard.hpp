// The sales dashboard (issue 15): KPI cards and seven panels (trend, region
// share, product ranking, funnel, customer value, leaderboard, collection)
// as one versioned JSON document, and the same document as one self-contained
// offline HTML page (Apache ECharts inlined). A composite: every number comes
// from a calculator (overview, trend, contribution, margin, funnel, rfm,
// leaderboard, receivables, new_customers); the dashboard only selects and
// names them. The JSON schema is src/dashboard/dashboard.schema.json and the
// README's "Dashboard" section.
//
// Definitions:
//   * The period is [from, to] (inclusive); to = kNoDate: the orders' last
//     order_date; from = kNoDate: January 1 of to's year (the year to date),
//     but not before the orders' first order_date. "Last year" is the same period one year earlier (the
//     trend calculator's kLastYear and to-date windows), so the orders
//     before `from` are read for the comparison bases.
//   * as_of is `to`: MTD/QTD/YTD windows end there, the RFM recency, the
//     funnel's open pipeline and the receivables are as of that day.
//   * Money is exact: integers in minor units with the document's
//     money_scale (value / 10^money_scale currency units); never a float.
//   * A KPI card's "why" is the drivers calculator's top driver of the
//     card's change (its period vs the same window a year earlier; default
//     dims and depth); its "alerts" are the alerts calculator's rows of the
//     card's KPI, as of `to` at the alerts' defaults (+ alert_rules); the
//     rows of KPIs without a card are the document's alerts.others. Both are
//     for the whole data: the page's filters do not apply to them.
//   * A panel whose table is absent (no pipeline, no invoices, no targets)
//     is {"status": "no_data", "reason": "..."}; a target-less trend keeps
//     its other series and says so in "target_reason".
#pragma once

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "salesight/dataset.hpp"
#include "salesight/date.hpp"

namespace salesight {

enum class DashboardFormat : std::uint8_t { kJson, kHtml };
enum class DashboardLanguage : std::uint8_t { kEn, kZh };

struct DashboardOptions {
  Day from = kNoDate;  // inclusive; kNoDate = January 1 of to's year
  Day to = kNoDate;    // inclusive; kNoDate = the orders' last day
  DashboardLanguage language = DashboardLanguage::kEn;
  std::string currency = "¥";  // the symbol printed before money (¥, $, €)
  std::string title;           // "" = the language's default title
  int top_n = 10;              // rows of the ranking, overdue and drill lists (1..1000)
  // The salesperson facts the page's filters read hold at most this many
  // rows: beyond it only the salespeople with the most revenue in the
  // period are kept (filters["people_kept"] says how many of how many), so
  // 10,000 salespeople do not grow the file past a few MB.
  std::int64_t max_people_rows = 20000;
  int num_threads = 1;         // 0 = hardware concurrency
  // The alerts' rule table (salesight/alerts.hpp: a JSON file's path or the
  // JSON itself, read through the alerts' declared "rules" option); "" = the
  // anomalies alone.
  std::string alert_rules;
};

// The dashboard document (format kJson: the JSON text; kHtml: the page).
// The dataset needs order lines; the other tables are optional.
absl::StatusOr<std::string> RenderDashboard(const Dataset& data, const DashboardOptions& options,
                                            DashboardFormat format);

// The document's schema version ("version" in the JSON); bumped on any
// incompatible change of the JSON's shape.
inline constexpr int kDashboardSchemaVersion = 1;

}  // namespace salesight
