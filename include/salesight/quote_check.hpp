// Quote check (deal desk, issue 5 item 5): is a quoted price below cost at the
// purchase tier, below the margin floor, and does the quote push the customer
// over its credit limit?
//
// A QuoteIndex is prepared once from Products, Customers and the customers'
// open receivables; Check() is then a few array look-ups (no allocation, no
// hashing for id requests), well under a microsecond.
//
// Definitions:
//   * Money: the index works at scale max(products, customers, receivables
//     scale); every input is rescaled exactly to it (money_scale()); the
//     request's unit_price is at that scale.
//   * Unit cost at quantity q (q > 0): by default (kTierThenStandard) the
//     product's cost tier with the largest min_quantity <= q, else its standard
//     cost; kStandardThenTier swaps them. Neither known -> FailedPrecondition.
//   * revenue = q x unit_price, cost = q x unit_cost, margin = revenue - cost,
//     margin_pct = 100 x margin / revenue (null when revenue is 0).
//   * kQuoteBelowCost when unit_price < unit_cost (strictly);
//     kQuoteBelowMarginFloor when margin_pct < margin_floor_pct (strictly); a
//     zero revenue (unit_price 0) has no margin_pct and is flagged whenever
//     the floor is > 0.
//   * exposure = open receivables of the customer + revenue of this quote;
//     kQuoteOverCreditLimit when exposure > credit_limit (strictly; a limit of
//     0 means "no credit", so any positive exposure is over). Customers
//     without a credit_limit column: credit_limit and headroom are null and no
//     credit warning is raised (kQuoteNoCreditLimit is set instead).
//   * Unknown customer (not a row of Customers) or product (not a row of
//     Products): NotFoundError naming the id or code. quantity <= 0,
//     unit_price < 0 or an invalid date: InvalidArgumentError.
//   * The date is validated and echoed; costs are not dated in the tables, so
//     it does not change the cost, and exposure uses the receivables as of
//     OpenReceivables::as_of.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "salesight/date.hpp"
#include "salesight/dictionary.hpp"
#include "salesight/margin.hpp"
#include "salesight/money.hpp"
#include "salesight/result_table.hpp"
#include "salesight/tables.hpp"

namespace salesight {

// Open receivables per customer id at a date.
struct OpenReceivables {
  std::vector<Money> by_customer;  // index = customer id; missing ids = 0
  int money_scale = kDefaultMoneyScale;
  Day as_of = kNoDate;
};

// Outstanding = amount - collected for invoices with invoice_date <= as_of,
// summed per customer (credit notes and overpayments reduce it, so a total may
// be negative). collected = the sum of `payments` dated <= as_of for the
// invoice when a Payments table is given; else the invoice's `paid` when its
// paid_date <= as_of; else 0. Sums are checked.
absl::StatusOr<OpenReceivables> OpenReceivablesFromInvoices(const Invoices& invoices,
                                                            const Payments* payments, Day as_of);

struct QuoteIndexOptions {
  double margin_floor_pct = 10.0;  // percent
  ProductCostOrder cost_order = ProductCostOrder::kTierThenStandard;
};

struct QuoteRequest {
  Id customer = kNoId;
  Id product = kNoId;
  std::int32_t quantity = 0;
  Money unit_price = 0;  // at QuoteIndex::money_scale()
  Day date = kNoDate;
};

enum QuoteWarning : std::uint32_t {
  kQuoteBelowCost = 1u << 0,
  kQuoteBelowMarginFloor = 1u << 1,
  kQuoteOverCreditLimit = 1u << 2,
  kQuoteNoCreditLimit = 1u << 3,
};

struct QuoteResult {
  Id customer = kNoId;
  Id product = kNoId;
  std::int32_t quantity = 0;
  Money unit_price = 0;
  Day date = kNoDate;
  Money unit_cost = 0;
  CostSource cost_source = CostSource::kUnknownCost;  // kTierCost or kStandardCost
  std::int32_t tier_min_quantity = -1;                // the tier used; -1 = standard cost
  Money revenue = 0;
  Money cost = 0;
  Money margin = 0;
  std::optional<double> margin_pct;
  Money open_receivables = 0;
  Money exposure = 0;
  std::optional<Money> credit_limit;
  std::optional<Money> credit_headroom;  // credit_limit - exposure (negative = over)
  std::uint32_t warnings = 0;            // QuoteWarning bits
};

class QuoteIndex {
 public:
  // `receivables` may be empty (no open receivables known).
  static absl::StatusOr<QuoteIndex> Build(const Products& products, const Customers& customers,
                                          const OpenReceivables& receivables,
                                          const QuoteIndexOptions& options = {});

  absl::StatusOr<QuoteResult> Check(const QuoteRequest& request) const;
  // By ERP codes, through the tables' dictionaries (NotFound when a table has
  // no dictionary or the code is not in it).
  absl::StatusOr<QuoteResult> Check(std::string_view customer_code, std::string_view product_code,
                                    std::int32_t quantity, Money unit_price, Day date) const;

  int money_scale() const { return money_scale_; }
  const QuoteIndexOptions& options() const { return options_; }
  // The tables' code dictionaries (null when none is attached).
  const DictionaryPtr& customer_codes() const { return customer_codes_; }
  const DictionaryPtr& product_codes() const { return product_codes_; }

 private:
  struct ProductEntry {
    Money standard_cost = -1;     // -1 = none
    std::uint32_t tier_begin = 0;  // into tier_min_ / tier_cost_
    std::uint32_t tier_end = 0;
    bool listed = false;
  };
  struct CustomerEntry {
    Money receivables = 0;
    Money credit_limit = -1;  // -1 = no credit_limit column
    bool listed = false;
  };

  QuoteIndexOptions options_;
  int money_scale_ = kDefaultMoneyScale;
  std::vector<ProductEntry> products_;
  std::vector<CustomerEntry> customers_;
  std::vector<std::int32_t> tier_min_;
  std::vector<Money> tier_cost_;
  DictionaryPtr product_codes_, customer_codes_;
};

// Human-readable warnings, e.g. "below_cost,over_credit_limit" ("" = none);
// Chinese: "低于成本,超出信用额度".
std::string WarningText(std::uint32_t warnings,
                        MarginLabelLanguage language = MarginLabelLanguage::kEnglish);

// One row (customer and product as codes when the tables carry dictionaries,
// else the id as text): customer, product, quantity, unit_price, date, unit_cost,
// cost_source, tier_min_quantity, revenue, cost, margin, margin_pct,
// open_receivables, exposure, credit_limit, credit_headroom, warnings.
ResultTable ToResultTable(const QuoteResult& quote, const QuoteIndex& index,
                          MarginLabelLanguage language = MarginLabelLanguage::kEnglish);

}  // namespace salesight
