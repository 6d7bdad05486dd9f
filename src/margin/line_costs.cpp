// MarginLineCosts: the margin calculator's cost rules per line, for the
// query engine (which aggregates lines itself) - one definition of a cost.
#include <memory>

#include "absl/strings/str_format.h"
#include "salesight/status_macros.hpp"
#include "internal/margin.hpp"
#include "salesight/margin.hpp"

namespace salesight {

using margin_internal::CostMode;
using margin_internal::ProductCosts;

absl::StatusOr<MarginLineCosts> MarginLineCosts::Make(const Dataset& data,
                                                      ProductCostOrder order) {
  MarginLineCosts out;
  out.mode_ = static_cast<int>(CostMode::kNone);
  const OrderLines* orders = data.orders();
  out.orders_ = orders;
  if (orders == nullptr) return out;
  const OrderLinesColumns& c = orders->columns();
  const Products* products = data.products();
  // The same order of sources as BuildMarginPlan (src/margin/plan.cpp).
  if (!c.cost.empty()) {
    out.mode_ = static_cast<int>(CostMode::kLineCost);
  } else if (!c.unit_cost.empty()) {
    out.mode_ = static_cast<int>(CostMode::kUnitCost);
  } else if (products != nullptr && !c.product.empty() && !c.quantity.empty()) {
    if (products->columns().money_scale > kMaxMoneyScale) {
      return absl::InvalidArgumentError("margin: products money scale out of range");
    }
    SALESIGHT_ASSIGN_OR_RETURN(
        ProductCosts pc,
        ProductCosts::Build(*products, orders->money_scale(), order, orders->num_products()));
    if (pc.any_cost()) {
      out.mode_ = static_cast<int>(CostMode::kProductTable);
      out.product_costs_ = std::make_shared<const ProductCosts>(std::move(pc));
    }
  }
  return out;
}

absl::Status MarginLineCosts::Costs(std::size_t begin, std::size_t end, Money* cost,
                                    std::uint8_t* known) const {
  const OrderLinesColumns& c = orders_->columns();
  const std::size_t n = end - begin;
  switch (static_cast<CostMode>(mode_)) {
    case CostMode::kLineCost:
      for (std::size_t k = 0; k < n; ++k) {
        cost[k] = c.cost[begin + k];
        known[k] = 1;
      }
      break;
    case CostMode::kUnitCost:
      // OrderLines::Build checked that quantity x unit_cost fits the money range.
      for (std::size_t k = 0; k < n; ++k) {
        cost[k] = Money{c.quantity[begin + k]} * c.unit_cost[begin + k];
        known[k] = 1;
      }
      break;
    case CostMode::kProductTable:
      for (std::size_t k = 0; k < n; ++k) {
        const std::size_t i = begin + k;
        const Id p = c.product[i];
        const std::int64_t q = c.quantity[i];
        Money unit = 0;
        std::int32_t tier = 0;
        known[k] = p < product_costs_->size() &&
                   product_costs_->Resolve(p, q < 0 ? -q : q, &unit, &tier) !=
                       CostSource::kUnknownCost;
        cost[k] = 0;
        if (known[k] && __builtin_mul_overflow(unit, q, &cost[k])) {
          return absl::OutOfRangeError(absl::StrFormat(
              "orders row %d: quantity %d x unit cost %d of product %d overflows int64", i, q,
              unit, p));
        }
      }
      break;
    case CostMode::kNone:
      for (std::size_t k = 0; k < n; ++k) {
        cost[k] = 0;
        known[k] = 0;
      }
      break;
  }
  return absl::OkStatus();
}

}  // namespace salesight
