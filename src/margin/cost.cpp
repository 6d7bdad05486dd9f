// Cost resolution: product standard costs and quantity tiers prepared once
// per calculation, so a line's cost is one array read (or a short tier scan).
#include <algorithm>
#include <string>

#include "absl/strings/str_format.h"
#include "salesight/status_macros.hpp"
#include "internal/margin.hpp"
#include "salesight/margin.hpp"

namespace salesight {
namespace margin_internal {

absl::StatusOr<Money> RescaleExact(Money value, int from, int to, const std::string& what) {
  if (from == to) return value;
  if (from < to) {
    absl::StatusOr<Money> up = RescaleMoney(value, from, to);
    if (!up.ok()) {
      return absl::OutOfRangeError(
          absl::StrFormat("%s: %s at scale %d does not fit scale %d", what,
                          FormatMoney(value, from), from, to));
    }
    return *up;
  }
  const std::int64_t div = Pow10(from - to);
  if (value % div != 0) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "%s: %s has more decimals than the orders' money scale %d keeps", what,
        FormatMoney(value, from), to));
  }
  return value / div;
}

absl::StatusOr<ProductCosts> ProductCosts::Build(const Products& products, int to_scale,
                                                 ProductCostOrder order,
                                                 std::int32_t min_products) {
  const ProductsColumns& c = products.columns();
  const int from = c.money_scale;
  std::int32_t n = std::max<std::int32_t>(min_products, 0);
  for (Id p : c.product) n = std::max(n, p + 1);
  for (const CostTier& t : c.cost_tiers) n = std::max(n, t.product + 1);
  const auto size = static_cast<std::size_t>(n);

  ProductCosts pc;
  pc.standard_.assign(size, -1);
  pc.listed_.assign(size, 0);
  pc.tier_begin_.assign(size, 0);
  pc.tier_end_.assign(size, 0);
  for (std::size_t row = 0; row < c.product.size(); ++row) {
    const auto p = static_cast<std::size_t>(c.product[row]);
    if (pc.listed_[p]) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "products row %d: product %d is listed twice", row, c.product[row]));
    }
    pc.listed_[p] = 1;
    if (!c.standard_cost.empty() && c.standard_cost[row] != kNoStandardCost) {
      SALESIGHT_ASSIGN_OR_RETURN(
          pc.standard_[p],
          RescaleExact(c.standard_cost[row], from, to_scale,
                       absl::StrFormat("products row %d, column 'standard_cost'", row)));
    }
  }
  // Build() sorted the tiers by (product, min_quantity).
  pc.tier_min_.reserve(c.cost_tiers.size());
  pc.tier_unit_.reserve(c.cost_tiers.size());
  for (std::size_t t = 0; t < c.cost_tiers.size(); ++t) {
    const CostTier& tier = c.cost_tiers[t];
    const auto p = static_cast<std::size_t>(tier.product);
    // A product missing from the rows is "not in Products", tiers or not.
    if (!pc.listed_[p]) continue;
    if (pc.tier_end_[p] == pc.tier_begin_[p]) {
      pc.tier_begin_[p] = static_cast<std::uint32_t>(pc.tier_min_.size());
    }
    pc.tier_min_.push_back(tier.min_quantity);
    SALESIGHT_ASSIGN_OR_RETURN(
        Money unit, RescaleExact(tier.unit_cost, from, to_scale,
                                 absl::StrFormat("products cost tier %d (product %d)", t,
                                                 tier.product)));
    pc.tier_unit_.push_back(unit);
    pc.tier_end_[p] = static_cast<std::uint32_t>(pc.tier_min_.size());
  }
  pc.fixed_.assign(size, kUnknown);
  for (std::size_t p = 0; p < size; ++p) {
    const bool has_tiers = pc.tier_end_[p] > pc.tier_begin_[p];
    const bool has_standard = pc.standard_[p] >= 0;
    if (has_standard && (order == ProductCostOrder::kStandardThenTier || !has_tiers)) {
      pc.fixed_[p] = pc.standard_[p];
    } else if (has_tiers) {
      pc.fixed_[p] = kVaries;
    }
    pc.any_cost_ = pc.any_cost_ || has_tiers || has_standard;
  }
  return pc;
}

}  // namespace margin_internal

absl::StatusOr<Column<Money>> CostFromMargin(absl::Span<const Money> amount,
                                             absl::Span<const Money> margin) {
  if (amount.size() != margin.size()) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "orders: column 'margin' has %d values but column 'amount' has %d", margin.size(),
        amount.size()));
  }
  std::vector<Money> cost(amount.size());
  for (std::size_t i = 0; i < amount.size(); ++i) {
    Money c = 0;
    if (__builtin_sub_overflow(amount[i], margin[i], &c) || c > kMaxMoney || c < -kMaxMoney) {
      return absl::OutOfRangeError(absl::StrFormat(
          "orders row %d: amount %d - margin %d leaves the money range", i, amount[i],
          margin[i]));
    }
    cost[i] = c;
  }
  return Column<Money>::Own(std::move(cost));
}

}  // namespace salesight
