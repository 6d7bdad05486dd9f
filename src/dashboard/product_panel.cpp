// Panel 3, product ranking: top N products by revenue and by margin with
// margin %, their ABC class (by revenue), the slow movers, the categories
// (click one for its products) and the same top lists per region, channel
// and category (what the page's filters switch to). Margin calculator only.
#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "internal/panels.hpp"
#include "salesight/margin.hpp"

namespace salesight::dashboard {
namespace {

struct Ctx {
  const Context& c;
  const MarginResult& products;                     // grouped by product
  absl::flat_hash_map<std::int64_t, char> abc;      // product id -> A/B/C/N
  absl::flat_hash_map<std::int64_t, std::int64_t> category;  // product id -> category id
  DictionaryPtr category_codes;
};

Json Entry(const Ctx& x, const MarginGroup& g, int product_dim, const DictionaryPtr& codes) {
  const std::int64_t id = g.key[static_cast<std::size_t>(product_dim)];
  Json e = {{"id", id},
            {"label", Label(codes, id)},
            {"revenue", g.figures.revenue},
            {"margin", g.figures.margin},
            {"margin_pct", NumberOrNull(g.figures.margin_pct)}};
  auto cat = x.category.find(id);
  e["category"] = cat == x.category.end() ? Json(nullptr) : Json(Label(x.category_codes, cat->second));
  auto a = x.abc.find(id);
  e["abc"] = a == x.abc.end() ? Json(nullptr) : Json(std::string(1, a->second));
  return e;
}

// Top n of `rows` (indices into r.groups) by revenue or margin, descending,
// ties by the key (the margin calculator's RankMargin rule).
std::vector<std::size_t> Top(const MarginResult& r, std::vector<std::size_t> rows, bool by_margin,
                             std::size_t n) {
  auto value = [&](std::size_t i) {
    return by_margin ? r.groups[i].figures.margin : r.groups[i].figures.revenue;
  };
  std::stable_sort(rows.begin(), rows.end(), [&](std::size_t a, std::size_t b) {
    if (value(a) != value(b)) return value(a) > value(b);
    return r.groups[a].key < r.groups[b].key;
  });
  if (rows.size() > n) rows.resize(n);
  return rows;
}

Json Lists(const Ctx& x, const MarginResult& r, const std::vector<std::size_t>& rows,
           int product_dim) {
  const auto n = static_cast<std::size_t>(x.c.options.top_n);
  const DictionaryPtr& codes = r.dictionaries[static_cast<std::size_t>(product_dim)];
  Json by_revenue = Json::array(), by_margin = Json::array();
  for (std::size_t i : Top(r, rows, false, n)) by_revenue.push_back(Entry(x, r.groups[i], product_dim, codes));
  for (std::size_t i : Top(r, rows, true, n)) by_margin.push_back(Entry(x, r.groups[i], product_dim, codes));
  return {{"by_revenue", by_revenue}, {"by_margin", by_margin}};
}

// Per member of the first dimension of a (member, product) result: its lists.
Json ListsByMember(const Ctx& x, const MarginResult& r) {
  std::map<std::int64_t, std::vector<std::size_t>> rows;
  for (std::size_t i = 0; i < r.groups.size(); ++i) rows[r.groups[i].key[0]].push_back(i);
  Json out = Json::object();
  for (const auto& [member, list] : rows) out[Label(r.dictionaries[0], member)] = Lists(x, r, list, 1);
  return out;
}

}  // namespace

Json ProductPanel(const Context& c) {
  if (c.data.orders()->columns().product.empty()) return NoData("the order lines have no product");
  MarginOptions o;
  o.from = c.from;
  o.to = c.to;
  o.num_threads = c.options.num_threads;
  std::vector<MarginGrouping> groupings = {{{"product"}}};
  // Only the groupings this data can carry (no products table: no category).
  for (const char* dim : {"category", "region", "channel"}) {
    if (CanGroupBy(c, dim)) groupings.push_back(MarginGrouping{{dim, "product"}});
  }
  absl::StatusOr<std::vector<MarginResult>> sets = ComputeMarginSets(c.data, groupings, o);
  if (!sets.ok()) return Failed(sets.status());
  const MarginResult& products = (*sets)[0];
  Ctx x{c, products, {}, {}, nullptr};
  absl::StatusOr<AbcResult> abc = ClassifyAbc(products, AbcOptions{});
  if (!abc.ok()) return Failed(abc.status());
  for (std::size_t i = 0; i < products.groups.size(); ++i) {
    x.abc[products.groups[i].key[0]] = AbcLabel(abc->class_of_row[i])[0];
  }
  Json p = {{"status", "ok"}, {"metric_default", "revenue"}};
  Json by_dim = Json::object();
  for (std::size_t s = 1; s < groupings.size(); ++s) {
    const std::string& dim = groupings[s].dimensions[0];
    if (dim == "category") {
      x.category_codes = (*sets)[s].dictionaries[0];
      for (const MarginGroup& g : (*sets)[s].groups) x.category[g.key[1]] = g.key[0];
    }
  }
  std::vector<std::size_t> all(products.groups.size());
  for (std::size_t i = 0; i < all.size(); ++i) all[i] = i;
  p["top"] = Lists(x, products, all, 0);
  p["products"] = products.groups.size();
  Json summary = Json::object();
  for (int k = 0; k < 4; ++k) {
    summary[std::string(AbcLabel(static_cast<AbcClass>(k)))] = {
        {"items", abc->summary[static_cast<std::size_t>(k)].items},
        {"revenue", abc->summary[static_cast<std::size_t>(k)].value}};
  }
  p["abc"] = summary;
  for (std::size_t s = 1; s < groupings.size(); ++s) {
    by_dim[groupings[s].dimensions[0]] = ListsByMember(x, (*sets)[s]);
  }
  p["by"] = by_dim;

  // Categories: revenue and margin per category (the click target).
  if (CanGroupBy(c, "category")) {
    MarginOptions co = o;
    co.group_by = MarginGrouping{{"category"}};
    absl::StatusOr<MarginResult> cats = ComputeMargin(c.data, co);
    if (cats.ok()) {
      Json list = Json::array();
      for (const MarginGroup& g : cats->groups) {
        list.push_back({{"id", g.key[0]},
                        {"label", Label(cats->dictionaries[0], g.key[0])},
                        {"revenue", g.figures.revenue},
                        {"margin", g.figures.margin},
                        {"margin_pct", NumberOrNull(g.figures.margin_pct)}});
      }
      p["categories"] = list;
    }
  }

  SlowMoverOptions so;
  so.as_of = c.to;
  absl::StatusOr<SlowMoverResult> slow = FindSlowMovers(*c.data.orders(), c.data.products(), so);
  if (slow.ok()) {
    std::vector<const SlowMover*> list;
    for (const SlowMover& m : slow->products) list.push_back(&m);
    // The longest without a sale first; never sold (no date) before all.
    std::stable_sort(list.begin(), list.end(), [](const SlowMover* a, const SlowMover* b) {
      const std::int64_t da = a->days_since_sale.value_or(INT32_MAX);
      const std::int64_t db = b->days_since_sale.value_or(INT32_MAX);
      return da != db ? da > db : a->product < b->product;
    });
    Json movers = Json::array();
    for (std::size_t i = 0; i < list.size() && i < static_cast<std::size_t>(c.options.top_n); ++i) {
      movers.push_back({{"label", Label(slow->product_codes, list[i]->product)},
                        {"last_sale", list[i]->last_sale == kNoDate ? Json(nullptr)
                                                                    : Json(FormatDate(list[i]->last_sale))},
                        {"days_since_sale", IntOrNull(list[i]->days_since_sale)},
                        {"window_revenue", list[i]->window_revenue}});
    }
    p["slow_movers"] = {{"count", slow->products.size()}, {"no_sale_days", so.no_sale_days},
                        {"items", movers}};
  } else {
    p["slow_movers"] = Failed(slow.status());
  }
  return p;
}

}  // namespace salesight::dashboard
