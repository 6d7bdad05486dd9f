// Panel 5, customer value: the RFM tiers as a pyramid (customers and revenue
// share per tier, as of `to`), the 80/20 curve, and per tier its top
// customers; the tiers again per region and per salesperson (the filters).
#include <algorithm>

#include "internal/panels.hpp"
#include "salesight/rfm.hpp"

namespace salesight::dashboard {
namespace {

// Many members (salespeople): per member only the counts and revenue per
// tier, parallel to the overall tiers.
Json CompactTiers(const RfmSegmentSummary& s) {
  Json customers = Json::array(), revenue = Json::array();
  for (const RfmSegmentSummaryRow& row : s.rows) {
    customers.push_back(row.customers);
    revenue.push_back(row.revenue);
  }
  return {{"customers", customers}, {"revenue", revenue}};
}

Json Tiers(const RfmSegmentSummary& s, bool zh) {
  Json tiers = Json::array();
  for (const RfmSegmentSummaryRow& row : s.rows) {
    tiers.push_back({{"label", zh ? row.label.zh : row.label.en},
                     {"customers", row.customers},
                     {"customer_share", row.customer_share},
                     {"revenue", row.revenue},
                     {"revenue_share", NumberOrNull(row.revenue_share)}});
  }
  return tiers;
}

}  // namespace

Json CustomerPanel(const Context& c) {
  RfmOptions o;
  o.as_of = c.to + 1;  // recency counted from the day after the period
  o.language = c.zh ? RfmLanguage::kZh : RfmLanguage::kEn;
  o.num_threads = c.options.num_threads;
  absl::StatusOr<RfmResult> rfm = ComputeRfm(c.data, o);
  if (!rfm.ok()) return Failed(rfm.status());
  absl::StatusOr<RfmSegmentSummary> summary = SummarizeSegments(*rfm);
  if (!summary.ok()) return Failed(summary.status());
  Json p = {{"status", "ok"}, {"as_of", FormatDate(o.as_of)}, {"customers", summary->customers},
            {"revenue", summary->revenue}, {"tiers", Tiers(*summary, c.zh)}};
  absl::StatusOr<RfmPareto> pareto = ComputePareto(*rfm, 20);
  if (pareto.ok()) {
    Json points = Json::array();
    for (const RfmParetoPoint& pt : pareto->points) {
      points.push_back({{"customer_share", pt.customer_share},
                        {"revenue_share", NumberOrNull(pt.revenue_share)}});
    }
    p["pareto"] = {{"top20_share", NumberOrNull(pareto->top20_share)}, {"points", points}};
  }
  // Per tier: its customers with the largest monetary total, id ascending on ties.
  std::vector<std::vector<std::size_t>> members(rfm->segment_labels.size());
  for (std::size_t i = 0; i < rfm->customers.size(); ++i) members[rfm->scores[i].segment].push_back(i);
  Json top = Json::array();
  for (auto& rows : members) {
    std::stable_sort(rows.begin(), rows.end(), [&](std::size_t a, std::size_t b) {
      if (rfm->total(a) != rfm->total(b)) return rfm->total(a) > rfm->total(b);
      return rfm->customers[a].customer < rfm->customers[b].customer;
    });
    Json list = Json::array();
    for (std::size_t k = 0; k < rows.size() && k < static_cast<std::size_t>(c.options.top_n); ++k) {
      const RfmCustomer& cu = rfm->customers[rows[k]];
      list.push_back({{"customer", Label(rfm->customer_codes, cu.customer)},
                      {"recency_days", cu.recency_days},
                      {"frequency", cu.frequency},
                      {"monetary", rfm->total(rows[k])}});
    }
    top.push_back(list);
  }
  p["top_customers"] = top;  // parallel to tiers
  Json by = Json::object();
  for (const char* dim : {"region", "salesperson"}) {
    if (!c.data.Dimension(TableKind::kOrders, dim).ok()) continue;
    RfmOptions go = o;
    go.by = dim;
    absl::StatusOr<RfmResult> g = ComputeRfm(c.data, go);
    if (!g.ok()) continue;
    absl::StatusOr<RfmSegmentSummary> gs = SummarizeSegments(*g);
    if (!gs.ok()) continue;
    Json members_json = Json::object();
    for (std::size_t i = 0; i < gs->groups.size() && i < g->groups.size(); ++i) {
      members_json[g->groups[i].label] = CompactTiers(gs->groups[i].summary);
    }
    by[dim] = members_json;
  }
  p["by"] = by;
  return p;
}

}  // namespace salesight::dashboard
