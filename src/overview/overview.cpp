// The report header's figures (definitions in include/salesight/overview.hpp).
#include "salesight/overview.hpp"

#include <cstddef>
#include <cstdint>
#include <limits>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_format.h"
#include "absl/types/span.h"
#include "salesight/status_macros.hpp"

namespace salesight {
namespace {

__extension__ typedef __int128 Int128;

// Number of distinct ids in `ids`, all in [0, cardinality) (checked by the
// table's Build).
std::int64_t DistinctIds(absl::Span<const Id> ids, std::int32_t cardinality) {
  std::vector<std::uint8_t> seen(static_cast<std::size_t>(cardinality), 0);
  std::int64_t n = 0;
  for (Id id : ids) {
    std::uint8_t& s = seen[static_cast<std::size_t>(id)];
    n += s == 0;
    s = 1;
  }
  return n;
}

std::int64_t DistinctOrders(absl::Span<const std::int64_t> order_ids) {
  absl::flat_hash_set<std::int64_t> distinct;
  // The lines of an order usually follow each other: insert only when the id
  // changes, which keeps the hash set out of the common path.
  for (std::size_t i = 0; i < order_ids.size(); ++i) {
    if (i == 0 || order_ids[i] != order_ids[i - 1]) distinct.insert(order_ids[i]);
  }
  return static_cast<std::int64_t>(distinct.size());
}

absl::Status ToMoney(Int128 sum, const char* figure, Money* out) {
  if (sum < std::numeric_limits<Money>::min() || sum > std::numeric_limits<Money>::max()) {
    return absl::OutOfRangeError(absl::StrFormat(
        "overview: %s (the sum of column 'amount') is outside the int64 range of minor units",
        figure));
  }
  *out = static_cast<Money>(sum);
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<OrdersOverview> ComputeOverview(const Dataset& data,
                                               const OverviewOptions& /*options*/) {
  if (data.orders() == nullptr) {
    return absl::InvalidArgumentError("overview: the dataset has no orders table");
  }
  const OrderLines& orders = *data.orders();
  const OrderLinesColumns& c = orders.columns();
  OrdersOverview o;
  o.money_scale = orders.money_scale();
  o.lines = static_cast<std::int64_t>(orders.size());
  o.first_day = orders.min_date();
  o.last_day = orders.max_date();
  o.orders = DistinctOrders(c.order_id.span());
  o.customers = DistinctIds(c.customer.span(), orders.num_customers());
  if (!c.product.empty()) o.products = DistinctIds(c.product.span(), orders.num_products());
  // 128-bit sums: each |amount| <= kMaxMoney < 2^53, so no sum of fewer than
  // 2^74 lines can wrap; the result is then checked against int64.
  Int128 sales = 0, returns = 0;
  std::int64_t return_lines = 0;
  for (Money a : c.amount.span()) {
    sales += a > 0 ? a : 0;
    returns += a < 0 ? a : 0;
    return_lines += a < 0;
  }
  o.return_lines = return_lines;
  SALESIGHT_RETURN_IF_ERROR(ToMoney(sales, "sales", &o.sales));
  SALESIGHT_RETURN_IF_ERROR(ToMoney(returns, "returns", &o.returns));
  SALESIGHT_RETURN_IF_ERROR(ToMoney(sales + returns, "net revenue", &o.net_revenue));
  return o;
}

}  // namespace salesight
