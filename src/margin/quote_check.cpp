// Quote check: a prepared, id-indexed index over products (standard cost and
// quantity tiers) and customers (credit limit, open receivables), so a check
// is a handful of array reads and checked multiplications.
#include "salesight/quote_check.hpp"

#include <algorithm>
#include <limits>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "salesight/status_macros.hpp"
#include "internal/margin.hpp"

namespace salesight {

using margin_internal::RescaleExact;

absl::StatusOr<OpenReceivables> OpenReceivablesFromInvoices(const Invoices& invoices,
                                                            const Payments* payments, Day as_of) {
  if (as_of == kNoDate) {
    return absl::InvalidArgumentError("open receivables: as_of is required");
  }
  const InvoicesColumns& c = invoices.columns();
  OpenReceivables out;
  out.money_scale = invoices.money_scale();
  out.as_of = as_of;
  std::int32_t customers = c.customers ? c.customers->size() : 0;
  for (Id id : c.customer) customers = std::max(customers, id + 1);
  out.by_customer.assign(static_cast<std::size_t>(customers), 0);

  std::vector<Money> collected;
  if (payments != nullptr) {
    collected.assign(invoices.size(), 0);
    const PaymentsColumns& pc = payments->columns();
    for (std::size_t i = 0; i < payments->size(); ++i) {
      if (pc.date[i] > as_of) continue;
      Money& slot = collected[static_cast<std::size_t>(pc.invoice_row[i])];
      if (__builtin_add_overflow(slot, pc.amount[i], &slot)) {
        return absl::OutOfRangeError(absl::StrFormat(
            "open receivables: payments of invoice row %d overflow int64", pc.invoice_row[i]));
      }
    }
  }
  for (std::size_t i = 0; i < invoices.size(); ++i) {
    if (c.invoice_date[i] > as_of) continue;
    Money paid = 0;
    if (payments != nullptr) {
      paid = collected[i];
    } else if (!c.paid.empty() && c.paid_date[i] != kNoDate && c.paid_date[i] <= as_of) {
      paid = c.paid[i];
    }
    Money& slot = out.by_customer[static_cast<std::size_t>(c.customer[i])];
    Money outstanding = 0;
    if (__builtin_sub_overflow(c.amount[i], paid, &outstanding) ||
        __builtin_add_overflow(slot, outstanding, &slot)) {
      return absl::OutOfRangeError(absl::StrFormat(
          "open receivables: customer '%s''s outstanding sum overflows int64 at invoice row %d",
          KeyIdText(c.customers, c.customer[i]), i));
    }
  }
  return out;
}

absl::StatusOr<QuoteIndex> QuoteIndex::Build(const Products& products, const Customers& customers,
                                             const OpenReceivables& receivables,
                                             const QuoteIndexOptions& options) {
  if (!(options.margin_floor_pct > -1e9 && options.margin_floor_pct < 1e9)) {
    return absl::InvalidArgumentError("quote index: margin_floor_pct must be a finite percent");
  }
  if (static_cast<int>(options.cost_order) >
      static_cast<int>(ProductCostOrder::kTierThenStandard)) {
    return absl::InvalidArgumentError("quote index: unknown cost order");
  }
  const ProductsColumns& pc = products.columns();
  const CustomersColumns& cc = customers.columns();
  if (receivables.money_scale < 0 || receivables.money_scale > kMaxMoneyScale) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "quote index: receivables money scale %d is outside 0..%d", receivables.money_scale,
        kMaxMoneyScale));
  }
  QuoteIndex index;
  index.options_ = options;
  index.money_scale_ = std::max({pc.money_scale, cc.money_scale, receivables.money_scale});
  index.product_codes_ = pc.products;
  index.customer_codes_ = cc.customers;
  const int scale = index.money_scale_;

  std::int32_t num_products = 0;
  for (Id p : pc.product) num_products = std::max(num_products, p + 1);
  index.products_.assign(static_cast<std::size_t>(num_products), ProductEntry{});
  for (std::size_t r = 0; r < pc.product.size(); ++r) {
    ProductEntry& e = index.products_[static_cast<std::size_t>(pc.product[r])];
    if (e.listed) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "quote index: products row %d lists product %d a second time", r, pc.product[r]));
    }
    e.listed = true;
    if (!pc.standard_cost.empty() && pc.standard_cost[r] != kNoStandardCost) {
      SALESIGHT_ASSIGN_OR_RETURN(
          e.standard_cost,
          RescaleExact(pc.standard_cost[r], pc.money_scale, scale,
                       absl::StrFormat("products row %d, column 'standard_cost'", r)));
    }
  }
  // Tiers arrive sorted by (product, min_quantity) from Products::Build.
  for (std::size_t t = 0; t < pc.cost_tiers.size(); ++t) {
    const CostTier& tier = pc.cost_tiers[t];
    const auto p = static_cast<std::size_t>(tier.product);
    if (p >= index.products_.size() || !index.products_[p].listed) continue;  // unlisted: unusable
    ProductEntry& e = index.products_[p];
    if (e.tier_end == e.tier_begin) e.tier_begin = static_cast<std::uint32_t>(index.tier_min_.size());
    index.tier_min_.push_back(tier.min_quantity);
    SALESIGHT_ASSIGN_OR_RETURN(
        Money unit, RescaleExact(tier.unit_cost, pc.money_scale, scale,
                                 absl::StrFormat("products cost tier %d", t)));
    index.tier_cost_.push_back(unit);
    e.tier_end = static_cast<std::uint32_t>(index.tier_min_.size());
  }

  std::int32_t num_customers = 0;
  for (Id id : cc.customer) num_customers = std::max(num_customers, id + 1);
  index.customers_.assign(static_cast<std::size_t>(num_customers), CustomerEntry{});
  for (std::size_t r = 0; r < cc.customer.size(); ++r) {
    const auto id = static_cast<std::size_t>(cc.customer[r]);
    CustomerEntry& e = index.customers_[id];
    if (e.listed) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "quote index: customers row %d lists customer '%s' a second time", r,
          KeyIdText(cc.customers, cc.customer[r])));
    }
    e.listed = true;
    if (!cc.credit_limit.empty()) {
      SALESIGHT_ASSIGN_OR_RETURN(
          e.credit_limit,
          RescaleExact(cc.credit_limit[r], cc.money_scale, scale,
                       absl::StrFormat("customers row %d, column 'credit_limit'", r)));
    }
    if (id < receivables.by_customer.size()) {
      SALESIGHT_ASSIGN_OR_RETURN(
          e.receivables,
          RescaleExact(receivables.by_customer[id], receivables.money_scale, scale,
                       absl::StrFormat("open receivables of customer '%s'",
                                       KeyIdText(cc.customers, cc.customer[r]))));
    }
  }
  return index;
}

namespace {

std::string CodeOf(const DictionaryPtr& dict, Id id) {
  if (dict && id >= 0 && id < dict->size()) {
    return absl::StrCat("'", std::string(dict->Code(id)), "' (id ", id, ")");
  }
  return absl::StrCat(id);
}

}  // namespace

absl::StatusOr<QuoteResult> QuoteIndex::Check(const QuoteRequest& req) const {
  if (req.customer < 0 || static_cast<std::size_t>(req.customer) >= customers_.size() ||
      !customers_[static_cast<std::size_t>(req.customer)].listed) {
    return absl::NotFoundError(absl::StrFormat("quote: customer %s is not in the customers table",
                                               CodeOf(customer_codes_, req.customer)));
  }
  if (req.product < 0 || static_cast<std::size_t>(req.product) >= products_.size() ||
      !products_[static_cast<std::size_t>(req.product)].listed) {
    return absl::NotFoundError(absl::StrFormat("quote: product %s is not in the products table",
                                               CodeOf(product_codes_, req.product)));
  }
  if (req.quantity <= 0) {
    return absl::InvalidArgumentError(
        absl::StrFormat("quote: quantity %d must be positive", req.quantity));
  }
  if (req.unit_price < 0 || req.unit_price > kMaxMoney) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "quote: unit price %s is negative or outside the money range",
        FormatMoney(req.unit_price, money_scale_)));
  }
  if (req.date < kMinDay || req.date > kMaxDay) {
    return absl::InvalidArgumentError(
        absl::StrFormat("quote: date %d is missing or outside 1900..2199", req.date));
  }
  const CustomerEntry& customer = customers_[static_cast<std::size_t>(req.customer)];
  const ProductEntry& product = products_[static_cast<std::size_t>(req.product)];

  QuoteResult r;
  r.customer = req.customer;
  r.product = req.product;
  r.quantity = req.quantity;
  r.unit_price = req.unit_price;
  r.date = req.date;
  // Tier: the last one (ascending min_quantity) with min_quantity <= quantity.
  std::uint32_t tier = product.tier_end;
  while (tier > product.tier_begin && tier_min_[tier - 1] > req.quantity) --tier;
  const bool has_tier = tier > product.tier_begin;
  const bool has_standard = product.standard_cost >= 0;
  const bool use_tier =
      has_tier && (options_.cost_order == ProductCostOrder::kTierThenStandard || !has_standard);
  if (use_tier) {
    r.unit_cost = tier_cost_[tier - 1];
    r.tier_min_quantity = tier_min_[tier - 1];
    r.cost_source = CostSource::kTierCost;
  } else if (has_standard) {
    r.unit_cost = product.standard_cost;
    r.cost_source = CostSource::kStandardCost;
  } else {
    return absl::FailedPreconditionError(absl::StrFormat(
        "quote: product %s has no standard cost and no cost tier at quantity %d",
        CodeOf(product_codes_, req.product), req.quantity));
  }
  if (__builtin_mul_overflow(r.unit_price, std::int64_t{req.quantity}, &r.revenue) ||
      __builtin_mul_overflow(r.unit_cost, std::int64_t{req.quantity}, &r.cost) ||
      __builtin_sub_overflow(r.revenue, r.cost, &r.margin) ||
      __builtin_add_overflow(customer.receivables, r.revenue, &r.exposure)) {
    return absl::OutOfRangeError(absl::StrFormat(
        "quote: quantity %d x unit price %s overflows the money range", req.quantity,
        FormatMoney(req.unit_price, money_scale_)));
  }
  r.open_receivables = customer.receivables;
  if (r.revenue != 0) {
    r.margin_pct = 100.0 * static_cast<double>(r.margin) / static_cast<double>(r.revenue);
  }
  if (r.unit_price < r.unit_cost) r.warnings |= kQuoteBelowCost;
  if (r.margin_pct ? *r.margin_pct < options_.margin_floor_pct : options_.margin_floor_pct > 0) {
    r.warnings |= kQuoteBelowMarginFloor;
  }
  if (customer.credit_limit >= 0) {
    r.credit_limit = customer.credit_limit;
    Money headroom = 0;
    if (__builtin_sub_overflow(customer.credit_limit, r.exposure, &headroom)) {
      return absl::OutOfRangeError("quote: credit headroom overflows int64");
    }
    r.credit_headroom = headroom;
    if (r.exposure > customer.credit_limit) r.warnings |= kQuoteOverCreditLimit;
  } else {
    r.warnings |= kQuoteNoCreditLimit;
  }
  return r;
}

absl::StatusOr<QuoteResult> QuoteIndex::Check(std::string_view customer_code,
                                              std::string_view product_code,
                                              std::int32_t quantity, Money unit_price,
                                              Day date) const {
  const Id customer = customer_codes_ ? customer_codes_->Find(customer_code) : kNoId;
  if (customer == kNoId) {
    return absl::NotFoundError(
        absl::StrFormat("quote: customer '%s' is not in the customers table%s", customer_code,
                        customer_codes_ ? "" : " (it has no code dictionary)"));
  }
  const Id product = product_codes_ ? product_codes_->Find(product_code) : kNoId;
  if (product == kNoId) {
    return absl::NotFoundError(
        absl::StrFormat("quote: product '%s' is not in the products table%s", product_code,
                        product_codes_ ? "" : " (it has no code dictionary)"));
  }
  return Check(QuoteRequest{customer, product, quantity, unit_price, date});
}

}  // namespace salesight
