#include "salesight/tables.hpp"

#include <algorithm>

#include "absl/strings/str_format.h"
#include "salesight/status_macros.hpp"
#include "internal/validate.hpp"

namespace salesight {

using internal::ColumnChecker;

absl::StatusOr<OrderLines> OrderLines::Build(OrderLinesColumns c) {
  OrderLines t;
  ColumnChecker check("orders", c.order_id.size());
  SALESIGHT_RETURN_IF_ERROR(check.Scale(c.money_scale));
  SALESIGHT_RETURN_IF_ERROR(check.Attributes(
      c.attributes, kOrderLinesFieldNames));
  SALESIGHT_RETURN_IF_ERROR(check.Length("order_id", c.order_id, true));
  SALESIGHT_RETURN_IF_ERROR(check.Length("line", c.line, false));
  SALESIGHT_RETURN_IF_ERROR(check.Length("order_date", c.order_date, true));
  SALESIGHT_RETURN_IF_ERROR(check.Length("customer", c.customer, true));
  SALESIGHT_RETURN_IF_ERROR(check.Length("product", c.product, false));
  SALESIGHT_RETURN_IF_ERROR(check.Length("region", c.region, false));
  SALESIGHT_RETURN_IF_ERROR(check.Length("salesperson", c.salesperson, false));
  SALESIGHT_RETURN_IF_ERROR(check.Length("quantity", c.quantity, false));
  SALESIGHT_RETURN_IF_ERROR(check.Length("amount", c.amount, true));
  SALESIGHT_RETURN_IF_ERROR(check.Length("cost", c.cost, false));
  SALESIGHT_RETURN_IF_ERROR(check.Length("unit_cost", c.unit_cost, false));
  SALESIGHT_RETURN_IF_ERROR(check.Length("channel", c.channel, false));
  SALESIGHT_RETURN_IF_ERROR(check.Length("department", c.department, false));
  if (!c.unit_cost.empty() && c.quantity.empty()) {
    return absl::InvalidArgumentError("orders: column 'unit_cost' needs column 'quantity'");
  }
  SALESIGHT_RETURN_IF_ERROR(check.Dates("order_date", c.order_date, false, &t.min_date_, &t.max_date_));
  SALESIGHT_RETURN_IF_ERROR(check.Ids("customer", c.customer, c.customers, &t.num_customers_));
  SALESIGHT_RETURN_IF_ERROR(check.Ids("product", c.product, c.products, &t.num_products_));
  SALESIGHT_RETURN_IF_ERROR(check.Ids("region", c.region, c.regions, &t.num_regions_));
  SALESIGHT_RETURN_IF_ERROR(check.Ids("salesperson", c.salesperson, c.salespeople, &t.num_salespeople_));
  std::int32_t unused = 0;
  SALESIGHT_RETURN_IF_ERROR(check.Ids("channel", c.channel, c.channels, &unused));
  SALESIGHT_RETURN_IF_ERROR(check.Ids("department", c.department, c.departments, &unused));
  SALESIGHT_RETURN_IF_ERROR(check.Money("amount", c.amount, false, &t.num_returns_));
  SALESIGHT_RETURN_IF_ERROR(check.Money("cost", c.cost, false));
  SALESIGHT_RETURN_IF_ERROR(check.Money("unit_cost", c.unit_cost, true));
  // quantity x unit_cost must itself be a valid amount, so margin never overflows per line.
  for (std::size_t i = 0; i < c.unit_cost.size(); ++i) {
    Money line_cost = 0;
    if (!MulMoney(c.unit_cost[i], c.quantity[i], &line_cost) || line_cost > kMaxMoney ||
        line_cost < -kMaxMoney) {
      return absl::OutOfRangeError(absl::StrFormat(
          "orders row %d: quantity %d x unit_cost %d overflows the money range", i,
          c.quantity[i], c.unit_cost[i]));
    }
  }
  t.c_ = std::move(c);
  return t;
}

absl::StatusOr<Customers> Customers::Build(CustomersColumns c) {
  ColumnChecker check("customers", c.customer.size());
  SALESIGHT_RETURN_IF_ERROR(check.Scale(c.money_scale));
  SALESIGHT_RETURN_IF_ERROR(check.Attributes(
      c.attributes, kCustomersFieldNames));
  SALESIGHT_RETURN_IF_ERROR(check.Length("customer", c.customer, true));
  SALESIGHT_RETURN_IF_ERROR(check.LengthOf("name", c.name.size(), false));
  SALESIGHT_RETURN_IF_ERROR(check.Length("region", c.region, false));
  SALESIGHT_RETURN_IF_ERROR(check.Length("owner", c.owner, false));
  SALESIGHT_RETURN_IF_ERROR(check.Length("credit_limit", c.credit_limit, false));
  SALESIGHT_RETURN_IF_ERROR(check.Length("created", c.created, false));
  std::int32_t n = 0;
  SALESIGHT_RETURN_IF_ERROR(check.Ids("customer", c.customer, c.customers, &n));
  SALESIGHT_RETURN_IF_ERROR(check.Ids("region", c.region, c.regions, &n));
  SALESIGHT_RETURN_IF_ERROR(check.Ids("owner", c.owner, c.salespeople, &n));
  SALESIGHT_RETURN_IF_ERROR(check.Money("credit_limit", c.credit_limit, true));
  SALESIGHT_RETURN_IF_ERROR(check.Dates("created", c.created, true));
  Customers t;
  t.c_ = std::move(c);
  return t;
}

absl::StatusOr<Products> Products::Build(ProductsColumns c) {
  ColumnChecker check("products", c.product.size());
  SALESIGHT_RETURN_IF_ERROR(check.Scale(c.money_scale));
  SALESIGHT_RETURN_IF_ERROR(check.Attributes(
      c.attributes, kProductsFieldNames));
  SALESIGHT_RETURN_IF_ERROR(check.Length("product", c.product, true));
  SALESIGHT_RETURN_IF_ERROR(check.LengthOf("name", c.name.size(), false));
  SALESIGHT_RETURN_IF_ERROR(check.Length("category", c.category, false));
  SALESIGHT_RETURN_IF_ERROR(check.Length("standard_cost", c.standard_cost, false));
  std::int32_t n = 0;
  SALESIGHT_RETURN_IF_ERROR(check.Ids("product", c.product, c.products, &n));
  SALESIGHT_RETURN_IF_ERROR(check.Ids("category", c.category, c.categories, &n));
  // 0..kMaxMoney, or kNoStandardCost (none); anything else names the row.
  for (std::size_t i = 0; i < c.standard_cost.size(); ++i) {
    const Money v = c.standard_cost[i];
    if (v == kNoStandardCost) continue;
    if (v < 0) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "products row %d, column 'standard_cost': %d is negative (a product without a "
          "standard cost is a null, or kNoStandardCost in C++)",
          i, v));
    }
    if (v > kMaxMoney) {
      return absl::OutOfRangeError(absl::StrFormat(
          "products row %d, column 'standard_cost': %d is beyond %d minor units", i, v,
          kMaxMoney));
    }
  }
  for (std::size_t i = 0; i < c.cost_tiers.size(); ++i) {
    const CostTier& tier = c.cost_tiers[i];
    if (tier.product < 0 || (c.products && tier.product >= c.products->size()) ||
        tier.min_quantity < 0 || tier.unit_cost < 0 || tier.unit_cost > kMaxMoney) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "products cost tier %d: (product %d, min_quantity %d, unit_cost %d) is invalid", i,
          tier.product, tier.min_quantity, tier.unit_cost));
    }
  }
  std::sort(c.cost_tiers.begin(), c.cost_tiers.end(), [](const CostTier& a, const CostTier& b) {
    return a.product != b.product ? a.product < b.product : a.min_quantity < b.min_quantity;
  });
  for (std::size_t i = 1; i < c.cost_tiers.size(); ++i) {
    if (c.cost_tiers[i].product == c.cost_tiers[i - 1].product &&
        c.cost_tiers[i].min_quantity == c.cost_tiers[i - 1].min_quantity) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "products: product %d has two cost tiers starting at quantity %d",
          c.cost_tiers[i].product, c.cost_tiers[i].min_quantity));
    }
  }
  Products t;
  t.c_ = std::move(c);
  return t;
}

absl::StatusOr<Pipeline> Pipeline::Build(PipelineColumns c) {
  ColumnChecker check("pipeline", c.opportunity.size());
  SALESIGHT_RETURN_IF_ERROR(check.Scale(c.money_scale));
  SALESIGHT_RETURN_IF_ERROR(check.Attributes(
      c.attributes, kPipelineFieldNames));
  SALESIGHT_RETURN_IF_ERROR(check.Length("opportunity", c.opportunity, true));
  SALESIGHT_RETURN_IF_ERROR(check.Length("customer", c.customer, false));
  SALESIGHT_RETURN_IF_ERROR(check.Length("salesperson", c.salesperson, false));
  SALESIGHT_RETURN_IF_ERROR(check.Length("region", c.region, false));
  SALESIGHT_RETURN_IF_ERROR(check.Length("source", c.source, false));
  SALESIGHT_RETURN_IF_ERROR(check.Length("amount", c.amount, false));
  SALESIGHT_RETURN_IF_ERROR(check.Length("created", c.created, true));
  SALESIGHT_RETURN_IF_ERROR(check.Length("lost_date", c.lost_date, false));
  SALESIGHT_RETURN_IF_ERROR(check.Length("lost_reason", c.lost_reason, false));
  if (c.stage_names.empty()) {
    return absl::InvalidArgumentError("pipeline: the stage list is empty");
  }
  if (c.stage_dates.size() != c.stage_names.size()) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "pipeline: %d stage names but %d stage date columns", c.stage_names.size(),
        c.stage_dates.size()));
  }
  for (std::size_t s = 0; s < c.stage_names.size(); ++s) {
    for (std::size_t t = 0; t < s; ++t) {
      if (c.stage_names[s] == c.stage_names[t]) {
        return absl::InvalidArgumentError(
            absl::StrFormat("pipeline: stage '%s' is listed twice", c.stage_names[s]));
      }
    }
    SALESIGHT_RETURN_IF_ERROR(check.Length(c.stage_names[s], c.stage_dates[s], true));
    SALESIGHT_RETURN_IF_ERROR(check.Dates(c.stage_names[s], c.stage_dates[s], true));
  }
  Pipeline t;
  SALESIGHT_RETURN_IF_ERROR(check.Ids("customer", c.customer, c.customers, &t.num_customers_));
  SALESIGHT_RETURN_IF_ERROR(check.Ids("salesperson", c.salesperson, c.salespeople, &t.num_salespeople_));
  SALESIGHT_RETURN_IF_ERROR(check.Ids("region", c.region, c.regions, &t.num_regions_));
  SALESIGHT_RETURN_IF_ERROR(check.Ids("source", c.source, c.sources, &t.num_sources_));
  SALESIGHT_RETURN_IF_ERROR(check.Ids("lost_reason", c.lost_reason, c.lost_reasons, &t.num_lost_reasons_));
  SALESIGHT_RETURN_IF_ERROR(check.Keys("opportunity", c.opportunity, c.opportunities));
  SALESIGHT_RETURN_IF_ERROR(check.Money("amount", c.amount, true));
  Day min_created = kNoDate, max_created = kNoDate;
  SALESIGHT_RETURN_IF_ERROR(
      check.Dates("created", c.created, false, &min_created, &max_created));
  SALESIGHT_RETURN_IF_ERROR(check.Dates("lost_date", c.lost_date, true));
  t.c_ = std::move(c);
  t.min_created_ = min_created;
  t.max_created_ = max_created;
  return t;
}

absl::StatusOr<Invoices> Invoices::Build(InvoicesColumns c) {
  ColumnChecker check("invoices", c.invoice.size());
  SALESIGHT_RETURN_IF_ERROR(check.Scale(c.money_scale));
  SALESIGHT_RETURN_IF_ERROR(check.Attributes(
      c.attributes, kInvoicesFieldNames));
  SALESIGHT_RETURN_IF_ERROR(check.Length("invoice", c.invoice, true));
  SALESIGHT_RETURN_IF_ERROR(check.Length("order", c.order, false));
  SALESIGHT_RETURN_IF_ERROR(check.Length("customer", c.customer, true));
  SALESIGHT_RETURN_IF_ERROR(check.Length("salesperson", c.salesperson, false));
  SALESIGHT_RETURN_IF_ERROR(check.Length("region", c.region, false));
  SALESIGHT_RETURN_IF_ERROR(check.Length("invoice_date", c.invoice_date, true));
  SALESIGHT_RETURN_IF_ERROR(check.Length("due_date", c.due_date, true));
  SALESIGHT_RETURN_IF_ERROR(check.Length("amount", c.amount, true));
  SALESIGHT_RETURN_IF_ERROR(check.Length("paid", c.paid, false));
  SALESIGHT_RETURN_IF_ERROR(check.Length("paid_date", c.paid_date, false));
  if (c.paid.empty() != c.paid_date.empty()) {
    return absl::InvalidArgumentError("invoices: columns 'paid' and 'paid_date' come together");
  }
  std::int32_t n = 0;
  SALESIGHT_RETURN_IF_ERROR(check.Ids("customer", c.customer, c.customers, &n));
  SALESIGHT_RETURN_IF_ERROR(check.Ids("salesperson", c.salesperson, c.salespeople, &n));
  SALESIGHT_RETURN_IF_ERROR(check.Ids("region", c.region, c.regions, &n));
  SALESIGHT_RETURN_IF_ERROR(check.Keys("invoice", c.invoice, c.invoices));
  Day min_invoice_date = kNoDate, max_invoice_date = kNoDate;
  SALESIGHT_RETURN_IF_ERROR(
      check.Dates("invoice_date", c.invoice_date, false, &min_invoice_date, &max_invoice_date));
  SALESIGHT_RETURN_IF_ERROR(check.Dates("due_date", c.due_date, false));
  SALESIGHT_RETURN_IF_ERROR(check.Dates("paid_date", c.paid_date, true));
  SALESIGHT_RETURN_IF_ERROR(check.Money("amount", c.amount, false));
  SALESIGHT_RETURN_IF_ERROR(check.Money("paid", c.paid, true));
  for (std::size_t i = 0; i < c.invoice.size(); ++i) {
    if (c.due_date[i] < c.invoice_date[i]) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "invoices row %d, column 'due_date': %s is before the invoice date %s", i,
          FormatDate(c.due_date[i]), FormatDate(c.invoice_date[i])));
    }
  }
  Invoices t;
  t.c_ = std::move(c);
  t.min_invoice_date_ = min_invoice_date;
  t.max_invoice_date_ = max_invoice_date;
  return t;
}

absl::StatusOr<Payments> Payments::Build(PaymentsColumns c, const Invoices& invoices) {
  ColumnChecker check("payments", c.invoice_row.size());
  SALESIGHT_RETURN_IF_ERROR(check.Scale(c.money_scale));
  SALESIGHT_RETURN_IF_ERROR(check.Length("invoice_row", c.invoice_row, true));
  SALESIGHT_RETURN_IF_ERROR(check.Length("date", c.date, true));
  SALESIGHT_RETURN_IF_ERROR(check.Length("amount", c.amount, true));
  if (c.money_scale != invoices.money_scale()) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "payments: money scale %d differs from the invoices' %d", c.money_scale,
        invoices.money_scale()));
  }
  const auto rows = static_cast<std::int64_t>(invoices.size());
  for (std::size_t i = 0; i < c.invoice_row.size(); ++i) {
    if (c.invoice_row[i] < 0 || c.invoice_row[i] >= rows) {
      return absl::OutOfRangeError(absl::StrFormat(
          "payments row %d, column 'invoice_row': %d is outside [0, %d)", i, c.invoice_row[i],
          rows));
    }
  }
  SALESIGHT_RETURN_IF_ERROR(check.Dates("date", c.date, false));
  SALESIGHT_RETURN_IF_ERROR(check.Money("amount", c.amount, true));
  Payments t;
  t.c_ = std::move(c);
  return t;
}

absl::StatusOr<Targets> Targets::Build(TargetsColumns c) {
  ColumnChecker check("targets", c.month.size());
  SALESIGHT_RETURN_IF_ERROR(check.Scale(c.money_scale));
  SALESIGHT_RETURN_IF_ERROR(check.Length("month", c.month, true));
  SALESIGHT_RETURN_IF_ERROR(check.Length("amount", c.amount, true));
  SALESIGHT_RETURN_IF_ERROR(
      check.Length("key", c.key, c.level != TargetLevel::kCompany));
  std::int32_t n = 0;
  SALESIGHT_RETURN_IF_ERROR(check.Ids("key", c.key, c.keys, &n));
  for (std::size_t i = 0; i < c.month.size(); ++i) {
    int m = c.month[i];
    if (m / 100 < 1900 || m / 100 > 2199 || m % 100 < 1 || m % 100 > 12) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "targets row %d, column 'month': %d is not a yyyymm month in 1900..2199", i, m));
    }
  }
  SALESIGHT_RETURN_IF_ERROR(check.Money("amount", c.amount, true));
  Targets t;
  t.c_ = std::move(c);
  return t;
}

}  // namespace salesight
