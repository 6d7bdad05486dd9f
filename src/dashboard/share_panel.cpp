// Panel 2, region share: each region's share of revenue in the period (the
// contribution calculator), and per region its salespeople (the drill-down).
#include <algorithm>

#include "internal/panels.hpp"
#include "salesight/contribution.hpp"
#include "salesight/money.hpp"

namespace salesight::dashboard {

Json RegionSharePanel(const Context& c) {
  if (c.data.orders()->columns().region.empty() && c.data.customers() == nullptr) {
    return NoData("the order lines have no region");
  }
  ContributionOptions o;
  o.dimensions = {"region"};
  o.from = c.from;
  o.to = c.to;
  o.num_threads = c.options.num_threads;
  absl::StatusOr<ContributionResult> regions = ComputeContribution(c.data, o);
  if (!regions.ok()) return Failed(regions.status());
  Json items = Json::array();
  for (const ContributionItem& it : regions->items) {
    items.push_back({{"id", it.key[0]},
                     {"label", Label(regions->dictionaries[0], it.key[0])},
                     {"revenue", it.value},
                     {"share_pct", NumberOrNull(it.share_pct)}});
  }
  Json p = {{"status", "ok"}, {"dimension", "region"}, {"total", regions->total}, {"items", items}};

  // Drill-down: a region's salespeople by revenue, the largest first; past
  // top_n the rest is one "others" entry so 10,000 salespeople stay readable.
  o.dimensions = {"region", "salesperson"};
  absl::StatusOr<ContributionResult> pairs = ComputeContribution(c.data, o);
  if (!pairs.ok()) {
    p["drill_reason"] = std::string(pairs.status().message());
    return p;
  }
  Json drill = Json::object();
  std::vector<const ContributionItem*> members;
  bool overflow = false;
  auto flush = [&](std::int64_t region) {
    std::sort(members.begin(), members.end(), [](const auto* a, const auto* b) {
      return a->value != b->value ? a->value > b->value : a->key[1] < b->key[1];
    });
    Json list = Json::array();
    Money others = 0;
    std::int64_t other_count = 0;
    for (std::size_t i = 0; i < members.size(); ++i) {
      if (i < static_cast<std::size_t>(c.options.top_n)) {
        list.push_back({{"id", members[i]->key[1]},
                        {"label", Label(pairs->dictionaries[1], members[i]->key[1])},
                        {"revenue", members[i]->value}});
      } else {
        if (!AddMoney(others, members[i]->value, &others)) overflow = true;
        ++other_count;
      }
    }
    drill[Label(pairs->dictionaries[0], region)] = {{"items", list},
                                     {"others", {{"count", other_count}, {"revenue", others}}}};
    members.clear();
  };
  for (std::size_t i = 0; i < pairs->items.size(); ++i) {
    if (i > 0 && pairs->items[i].key[0] != pairs->items[i - 1].key[0]) {
      flush(pairs->items[i - 1].key[0]);
    }
    members.push_back(&pairs->items[i]);
  }
  if (!members.empty()) flush(members.back()->key[0]);
  if (overflow) return Failed(absl::OutOfRangeError("region share: a sum of salespeople overflows"));
  p["drill"] = drill;
  return p;
}

}  // namespace salesight::dashboard
