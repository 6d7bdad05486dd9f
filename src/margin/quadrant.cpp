// Growth/share quadrant: two margin passes (this period and the same period
// last year) joined per item, then median thresholds.
#include <algorithm>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_format.h"
#include "salesight/status_macros.hpp"
#include "internal/margin.hpp"

namespace salesight {

using margin_internal::Median;
using margin_internal::Ratio;
using margin_internal::ShiftYears;

absl::StatusOr<QuadrantResult> ComputeQuadrant(const OrderLines& orders,
                                               const Products* products,
                                               const QuadrantOptions& options) {
  const bool by_category = options.level == QuadrantLevel::kCategory;
  if (static_cast<int>(options.level) > static_cast<int>(QuadrantLevel::kCategory) ||
      static_cast<int>(options.share_metric) >
          static_cast<int>(QuadrantShareMetric::kMarginPct)) {
    return absl::InvalidArgumentError("quadrant: unknown level or share metric");
  }
  if (by_category && (products == nullptr || products->columns().category.empty())) {
    return absl::InvalidArgumentError(
        "quadrant by category needs a products table with a 'category' column");
  }
  QuadrantResult q;
  q.level = options.level;
  q.share_metric = options.share_metric;
  q.money_scale = orders.money_scale();
  q.item_codes = by_category ? products->columns().categories : orders.columns().products;
  q.category_codes = products != nullptr ? products->columns().categories : nullptr;
  q.period_end = options.period_end != kNoDate ? options.period_end : orders.max_date();
  if (q.period_end == kNoDate) return q;  // no orders, no period: nothing to classify
  q.period_begin = options.period_begin != kNoDate ? options.period_begin
                                                   : ShiftYears(q.period_end, -1) + 1;
  if (q.period_begin > q.period_end || q.period_begin < kMinDay || q.period_end > kMaxDay) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "quadrant: period %s..%s is empty or outside 1900..2199", FormatDate(q.period_begin),
        FormatDate(q.period_end)));
  }
  q.prior_begin = ShiftYears(q.period_begin, -1);
  q.prior_end = ShiftYears(q.period_end, -1);

  MarginOptions mo;
  mo.group_by.dimensions = {by_category ? "category" : "product"};
  mo.product_cost_order = options.product_cost_order;
  mo.num_threads = options.num_threads;
  mo.from = q.period_begin;
  mo.to = q.period_end;
  SALESIGHT_ASSIGN_OR_RETURN(MarginResult current, ComputeMargin(orders, products, mo));
  mo.from = q.prior_begin;
  mo.to = q.prior_end;
  SALESIGHT_ASSIGN_OR_RETURN(MarginResult prior, ComputeMargin(orders, products, mo));

  // Category of a product (-1 unknown).
  std::vector<Id> category_of;
  if (!by_category && products != nullptr && !products->columns().category.empty()) {
    const ProductsColumns& pc = products->columns();
    for (std::size_t r = 0; r < pc.product.size(); ++r) {
      const auto p = static_cast<std::size_t>(pc.product[r]);
      if (p >= category_of.size()) category_of.resize(p + 1, kNoId);
      category_of[p] = pc.category[r];
    }
  }
  auto category = [&](std::int64_t item) -> Id {
    if (by_category) return static_cast<Id>(item);
    const auto p = static_cast<std::size_t>(item);
    return p < category_of.size() ? category_of[p] : kNoId;
  };

  // Union of the items of both periods; both results are ascending by item.
  std::size_t a = 0, b = 0;
  while (a < current.groups.size() || b < prior.groups.size()) {
    const std::int64_t ka = a < current.groups.size() ? current.groups[a].key[0] : INT64_MAX;
    const std::int64_t kb = b < prior.groups.size() ? prior.groups[b].key[0] : INT64_MAX;
    QuadrantEntry e;
    e.item = static_cast<Id>(std::min(ka, kb));
    e.category = category(e.item);
    if (ka <= kb) {
      const MarginFigures& f = current.groups[a++].figures;
      e.revenue = f.revenue;
      e.margin = f.margin;
      e.margin_pct = f.margin_pct;
    }
    if (kb <= ka) e.revenue_prior = prior.groups[b++].figures.revenue;
    q.entries.push_back(e);
  }

  // Leaders: the largest period revenue per category (kProduct) or overall.
  absl::flat_hash_map<Id, Money> leader;
  for (const QuadrantEntry& e : q.entries) {
    const Id key = by_category ? 0 : e.category;
    auto [it, inserted] = leader.try_emplace(key, e.revenue);
    if (!inserted) it->second = std::max(it->second, e.revenue);
  }
  std::vector<double> growths, shares;
  for (QuadrantEntry& e : q.entries) {
    const Money lead = leader[by_category ? 0 : e.category];
    if (lead > 0) e.relative_share = static_cast<double>(e.revenue) / static_cast<double>(lead);
    if (e.revenue_prior > 0) {
      e.growth = Ratio(static_cast<double>(e.revenue) - static_cast<double>(e.revenue_prior),
                       static_cast<double>(e.revenue_prior));
      growths.push_back(*e.growth);
      const std::optional<double> x = options.share_metric == QuadrantShareMetric::kRelativeShare
                                          ? e.relative_share
                                          : e.margin_pct;
      if (x) shares.push_back(*x);
    }
  }
  q.growth_threshold = options.growth_threshold ? options.growth_threshold : Median(growths);
  q.share_threshold = options.share_threshold ? options.share_threshold : Median(shares);
  for (QuadrantEntry& e : q.entries) {
    if (e.revenue_prior <= 0) {
      e.quadrant = Quadrant::kNew;
      continue;
    }
    const std::optional<double> x = options.share_metric == QuadrantShareMetric::kRelativeShare
                                        ? e.relative_share
                                        : e.margin_pct;
    const bool high_growth = q.growth_threshold && *e.growth >= *q.growth_threshold;
    const bool high_share = x && q.share_threshold && *x >= *q.share_threshold;
    e.quadrant = high_growth ? (high_share ? Quadrant::kStar : Quadrant::kQuestionMark)
                             : (high_share ? Quadrant::kCashCow : Quadrant::kDog);
  }
  return q;
}

}  // namespace salesight
