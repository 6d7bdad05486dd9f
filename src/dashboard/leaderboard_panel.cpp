// Panel 6, the salesperson leaderboard (the leaderboard calculator over the
// period, as of `to`): revenue, margin, orders, won deals, win rate,
// collection rate, target and attainment, in revenue rank order. At most
// kMaxLeaderboardRows rows are embedded (the page scrolls and sorts them).
#include "internal/panels.hpp"
#include "salesight/leaderboard.hpp"

namespace salesight::dashboard {

inline constexpr std::size_t kMaxLeaderboardRows = 500;

Json LeaderboardPanel(const Context& c) {
  if (c.data.orders()->columns().salesperson.empty()) {
    return NoData("the order lines have no salesperson");
  }
  LeaderboardOptions o;
  o.from = c.from;
  o.to = c.to;
  o.as_of = c.to;
  o.num_threads = c.options.num_threads;
  absl::StatusOr<LeaderboardResult> r = ComputeLeaderboard(c.data, o);
  if (!r.ok()) return Failed(r.status());
  Json rows = Json::array();
  for (std::size_t i = 0; i < r->rows.size() && i < kMaxLeaderboardRows; ++i) {
    const LeaderboardRow& row = r->rows[i];
    rows.push_back({{"rank", row.rank},
                    {"id", row.salesperson},
                    {"label", Label(r->salesperson_codes, row.salesperson)},
                    {"revenue", row.revenue},
                    {"margin", MoneyOrNull(row.margin)},
                    {"orders", row.orders},
                    {"won", IntOrNull(row.won)},
                    {"win_rate", NumberOrNull(row.win_rate)},
                    {"collection_rate", NumberOrNull(row.collection_rate)},
                    {"target", MoneyOrNull(row.target)},
                    {"attainment", NumberOrNull(row.attainment)}});
  }
  return {{"status", "ok"}, {"total_rows", r->rows.size()}, {"rows", rows}};
}

}  // namespace salesight::dashboard
