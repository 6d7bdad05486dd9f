// Rankings over a margin result, and slow movers over the order lines.
#include <algorithm>
#include <cmath>
#include <numeric>

#include "absl/strings/str_format.h"
#include "core/internal/parallel.hpp"
#include "salesight/status_macros.hpp"
#include "internal/margin.hpp"

namespace salesight {

absl::StatusOr<MarginRanking> RankMargin(const MarginResult& result,
                                         const MarginRankOptions& options) {
  if (options.metric == MarginMetric::kQuantity && !result.has_quantity) {
    return absl::InvalidArgumentError(
        "margin ranking by quantity: the orders have no 'quantity' column");
  }
  if (static_cast<int>(options.metric) > static_cast<int>(MarginMetric::kMarginPct) ||
      static_cast<int>(options.order) > static_cast<int>(MarginRankOrder::kBottom)) {
    return absl::InvalidArgumentError("margin ranking: unknown metric or order");
  }
  // Groups are ascending by key, so "ties by key" = ties by row index.
  std::vector<std::size_t> rows;
  rows.reserve(result.groups.size());
  for (std::size_t r = 0; r < result.groups.size(); ++r) {
    if (options.metric == MarginMetric::kMarginPct && !result.groups[r].figures.margin_pct) {
      continue;
    }
    rows.push_back(r);
  }
  const bool top = options.order == MarginRankOrder::kTop;
  auto before = [&](std::size_t a, std::size_t b) {
    const MarginFigures& fa = result.groups[a].figures;
    const MarginFigures& fb = result.groups[b].figures;
    int cmp = 0;  // -1: a's value is smaller
    switch (options.metric) {
      case MarginMetric::kRevenue: cmp = (fa.revenue > fb.revenue) - (fa.revenue < fb.revenue); break;
      case MarginMetric::kQuantity:
        cmp = (fa.quantity > fb.quantity) - (fa.quantity < fb.quantity);
        break;
      case MarginMetric::kMargin: cmp = (fa.margin > fb.margin) - (fa.margin < fb.margin); break;
      case MarginMetric::kMarginPct:
        cmp = (*fa.margin_pct > *fb.margin_pct) - (*fa.margin_pct < *fb.margin_pct);
        break;
    }
    if (cmp != 0) return top ? cmp > 0 : cmp < 0;
    return a < b;
  };
  const std::size_t n = std::min(options.n, rows.size());
  std::partial_sort(rows.begin(), rows.begin() + static_cast<std::ptrdiff_t>(n), rows.end(),
                    before);
  MarginRanking ranking;
  ranking.options = options;
  ranking.entries.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    ranking.entries[i] = MarginRankEntry{static_cast<std::int64_t>(i + 1), rows[i]};
  }
  return ranking;
}

namespace {

struct ProductActivity {
  std::vector<Day> last_sale;
  std::vector<std::uint8_t> seen;
  std::vector<std::int64_t> quantity;
  std::vector<Money> revenue;
  unsigned overflow = 0;
};

}  // namespace

absl::StatusOr<SlowMoverResult> FindSlowMovers(const OrderLines& orders,
                                               const Products* products,
                                               const SlowMoverOptions& options) {
  const OrderLinesColumns& c = orders.columns();
  if (c.product.empty() && orders.size() > 0) {
    return absl::InvalidArgumentError("slow movers: the orders have no 'product' column");
  }
  if (options.no_sale_days < 0 || options.quantity_window_days < 1 ||
      !(options.bottom_quantity_pct >= 0 && options.bottom_quantity_pct <= 100) ||
      options.num_threads < 0) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "slow movers: invalid options (no_sale_days %d >= 0, quantity_window_days %d >= 1, "
        "bottom_quantity_pct %g in [0, 100], num_threads %d >= 0)",
        options.no_sale_days, options.quantity_window_days, options.bottom_quantity_pct,
        options.num_threads));
  }
  if (options.bottom_quantity_pct > 0 && c.quantity.empty() && orders.size() > 0) {
    return absl::InvalidArgumentError(
        "slow movers: bottom_quantity_pct needs the orders' 'quantity' column");
  }
  SlowMoverResult result;
  result.money_scale = orders.money_scale();
  result.product_codes = c.products;
  result.as_of = options.as_of != kNoDate ? options.as_of : orders.max_date();
  if (result.as_of == kNoDate) return result;  // no orders and no as_of
  const Day as_of = result.as_of;
  const std::int64_t window_start = std::int64_t{as_of} - options.quantity_window_days;  // exclusive

  std::int32_t num = orders.num_products();
  if (products != nullptr) {
    for (Id p : products->columns().product) num = std::max(num, p + 1);
  }
  const auto size = static_cast<std::size_t>(num);

  const std::size_t n = orders.size();
  const std::size_t threads = internal::ThreadsForRows(options.num_threads, n);
  std::vector<ProductActivity> parts(threads);
  internal::ForEachRange(threads, n, [&](std::size_t t, std::size_t b, std::size_t e) {
    ProductActivity& a = parts[t];
    a.last_sale.assign(size, kNoDate);
    a.seen.assign(size, 0);
    a.quantity.assign(size, 0);
    a.revenue.assign(size, 0);
    const bool has_q = !c.quantity.empty();
    for (std::size_t i = b; i < e; ++i) {
      const Day d = c.order_date[i];
      if (d > as_of) continue;
      const auto p = static_cast<std::size_t>(c.product[i]);
      const std::int32_t q = has_q ? c.quantity[i] : 0;
      a.seen[p] = 1;
      const bool sale = has_q ? q > 0 : c.amount[i] > 0;
      if (sale && d > a.last_sale[p]) a.last_sale[p] = d;
      if (d > window_start) {
        a.quantity[p] += q;
        a.overflow |= static_cast<unsigned>(
            __builtin_add_overflow(a.revenue[p], c.amount[i], &a.revenue[p]));
      }
    }
  });
  ProductActivity& all = parts[0];
  for (std::size_t t = 1; t < threads; ++t) {
    const ProductActivity& o = parts[t];
    all.overflow |= o.overflow;
    for (std::size_t p = 0; p < size; ++p) {
      all.last_sale[p] = std::max(all.last_sale[p], o.last_sale[p]);
      all.seen[p] |= o.seen[p];
      all.quantity[p] += o.quantity[p];
      all.overflow |= static_cast<unsigned>(
          __builtin_add_overflow(all.revenue[p], o.revenue[p], &all.revenue[p]));
    }
  }
  if (all.overflow != 0) {
    return absl::OutOfRangeError(
        "slow movers: a product's revenue over the quantity window overflows int64");
  }
  if (options.include_unsold_catalog && products != nullptr) {
    for (Id p : products->columns().product) all.seen[static_cast<std::size_t>(p)] = 1;
  }
  std::vector<Id> candidates;
  for (std::size_t p = 0; p < size; ++p) {
    if (all.seen[p]) candidates.push_back(static_cast<Id>(p));
  }
  result.candidates = static_cast<std::int64_t>(candidates.size());

  std::vector<std::uint8_t> bottom(size, 0);
  if (options.bottom_quantity_pct > 0) {
    // ceil(pct / 100 x P), exactly: pct in parts per million of one.
    const auto ppm = static_cast<std::int64_t>(std::llround(options.bottom_quantity_pct * 1e4));
    const std::int64_t count = result.candidates;
    const auto k = static_cast<std::size_t>((count * ppm + 999'999) / 1'000'000);
    std::vector<Id> order = candidates;
    std::stable_sort(order.begin(), order.end(), [&](Id a, Id b) {
      return all.quantity[static_cast<std::size_t>(a)] < all.quantity[static_cast<std::size_t>(b)];
    });
    for (std::size_t i = 0; i < std::min(k, order.size()); ++i) {
      bottom[static_cast<std::size_t>(order[i])] = 1;
    }
  }
  const std::int64_t recent_start = std::int64_t{as_of} - options.no_sale_days;  // exclusive
  for (Id p : candidates) {
    const auto pi = static_cast<std::size_t>(p);
    SlowMover m;
    m.product = p;
    m.last_sale = all.last_sale[pi];
    if (m.last_sale != kNoDate) m.days_since_sale = as_of - m.last_sale;
    m.window_quantity = all.quantity[pi];
    m.window_revenue = all.revenue[pi];
    m.no_recent_sale = options.no_sale_days > 0 &&
                       (m.last_sale == kNoDate || std::int64_t{m.last_sale} <= recent_start);
    m.bottom_quantity = bottom[pi] != 0;
    if (m.no_recent_sale || m.bottom_quantity) result.products.push_back(m);
  }
  return result;
}

}  // namespace salesight
