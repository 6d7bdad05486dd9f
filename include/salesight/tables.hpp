// The ERP tables salesight analyses: immutable, columnar, validated once.
//
// Each table is built from a `...Columns` struct (every field a Column<T>,
// borrowed or owned) by `Table::Build`, which checks the invariants the
// calculators rely on and never re-check:
//   * every present column has the length of the table's key column;
//   * ids are >= 0 and, when a Dictionary is attached, < its size; without a
//     dictionary they must be dense enough for the calculators' per-id arrays:
//     max id < max(kMinDenseIdSpace, kDenseIdsPerRow x rows), so one bogus id
//     such as 2e9 is an error instead of a multi-gigabyte allocation (sparse
//     ERP numbers: attach a Dictionary or factorize them, as the CSV reader,
//     the C ABI's string columns and the Python layer do);
//   * dates are real dates in 1900-01-01..2199-12-31, or kNoDate where a
//     column allows "missing";
//   * money is within +-kMaxMoney minor units.
// Errors name the table, the row (0-based), the column and the value.
// An optional column is "absent" when it is empty.
#pragma once

#include <cstdint>
#include <limits>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "salesight/column.hpp"
#include "salesight/date.hpp"
#include "salesight/dictionary.hpp"
#include "salesight/money.hpp"

namespace salesight {

// Dense id space allowed without a dictionary (see the file comment).
inline constexpr std::int64_t kMinDenseIdSpace = std::int64_t{1} << 22;  // 4,194,304
inline constexpr std::int64_t kDenseIdsPerRow = 16;

// ---------------------------------------------------------------- attributes
// A column of an export or DataFrame that no field is mapped to, kept as a
// dictionary-coded attribute so that any column can be a dimension
// ("origin", "Sub-Category", "Region"). Each code is an id of `dictionary`
// (required); a missing value is a member like any other, the code of the
// text kMissingMember, so it forms its own group on every surface.
// Names are unique within a table and differ from the table's field names.
inline constexpr std::string_view kMissingMember = "";

// The field names of each table, which no attribute may take (Build checks).
inline constexpr std::string_view kOrderLinesFieldNames[] = {
    "order_id", "line", "order_date", "customer", "product", "region", "salesperson", "quantity",
    "amount", "cost", "unit_cost", "channel", "department", "category"};
inline constexpr std::string_view kCustomersFieldNames[] = {
    "customer", "name", "region", "owner", "credit_limit", "created"};
inline constexpr std::string_view kProductsFieldNames[] = {
    "product", "name", "category", "standard_cost"};
inline constexpr std::string_view kPipelineFieldNames[] = {
    "opportunity", "customer", "salesperson", "region", "source", "amount", "created", "lost_date",
    "lost_reason"};
inline constexpr std::string_view kInvoicesFieldNames[] = {
    "invoice", "order", "customer", "salesperson", "region", "invoice_date", "due_date", "amount",
    "paid", "paid_date"};

struct AttributeColumn {
  std::string name;
  Column<Id> codes;
  DictionaryPtr dictionary;
};
using Attributes = std::vector<AttributeColumn>;

// ---------------------------------------------------------------- order lines
struct OrderLinesColumns {
  Column<std::int64_t> order_id;  // required; the ERP order number (or a dense id of its code)
  Column<std::int32_t> line;      // optional line number within the order
  Column<Day> order_date;         // required
  Column<Id> customer;            // required
  Column<Id> product;             // optional (required by margin)
  Column<Id> region;              // optional
  Column<Id> salesperson;         // optional
  Column<std::int32_t> quantity;  // optional; negative on returns
  Column<Money> amount;           // required; net line amount, negative = return
  Column<Money> cost;             // optional; the line's cost amount
  Column<Money> unit_cost;        // optional; cost per unit (cost = quantity x unit_cost)
  Column<Id> channel;             // optional
  Column<Id> department;          // optional
  int money_scale = kDefaultMoneyScale;
  DictionaryPtr customers, products, regions, salespeople, channels, departments;
  // Optional: the order numbers as given when order_id holds ids of their
  // text codes (CSV, the C builder's STRING column), so messages name them.
  DictionaryPtr orders;
  Attributes attributes;  // unmapped columns (see AttributeColumn)
};

class OrderLines {
 public:
  static absl::StatusOr<OrderLines> Build(OrderLinesColumns columns);
  const OrderLinesColumns& columns() const { return c_; }
  std::size_t size() const { return c_.order_id.size(); }
  int money_scale() const { return c_.money_scale; }
  // Cardinalities: dictionary size if attached, else max id + 1 (0 if absent).
  std::int32_t num_customers() const { return num_customers_; }
  std::int32_t num_products() const { return num_products_; }
  std::int32_t num_regions() const { return num_regions_; }
  std::int32_t num_salespeople() const { return num_salespeople_; }
  std::int64_t num_returns() const { return num_returns_; }  // lines with amount < 0
  Day min_date() const { return min_date_; }                   // kNoDate when empty
  Day max_date() const { return max_date_; }

 private:
  friend class Dataset;  // AppendOrders extends the columns and these figures in O(batch)
  OrderLinesColumns c_;
  std::int32_t num_customers_ = 0, num_products_ = 0, num_regions_ = 0, num_salespeople_ = 0;
  std::int64_t num_returns_ = 0;
  Day min_date_ = kNoDate, max_date_ = kNoDate;
};

// ---------------------------------------------------------------- customers
struct CustomersColumns {
  Column<Id> customer;              // required; row i describes this id
  std::vector<std::string> name;    // optional
  Column<Id> region;                // optional
  Column<Id> owner;                 // optional owning salesperson
  Column<Money> credit_limit;       // optional; < 0 is an error, 0 = no credit
  Column<Day> created;              // optional; kNoDate allowed
  int money_scale = kDefaultMoneyScale;
  DictionaryPtr customers, regions, salespeople;
  Attributes attributes;  // unmapped columns (see AttributeColumn)
};

class Customers {
 public:
  static absl::StatusOr<Customers> Build(CustomersColumns columns);
  const CustomersColumns& columns() const { return c_; }
  std::size_t size() const { return c_.customer.size(); }

 private:
  CustomersColumns c_;
};

// ---------------------------------------------------------------- products
// A purchase-cost tier: for lines of `product` with quantity >= min_quantity
// (the largest such tier applies), the unit cost is `unit_cost`.
struct CostTier {
  Id product;
  std::int32_t min_quantity;
  Money unit_cost;
};

// A product master row without a standard cost (its lines take the tier cost,
// else their cost is unknown): product masters often have gaps. Outside the
// money range (+-kMaxMoney), so no amount can be mistaken for it.
inline constexpr Money kNoStandardCost = std::numeric_limits<Money>::min();

struct ProductsColumns {
  Column<Id> product;                // required
  std::vector<std::string> name;     // optional
  Column<Id> category;               // optional
  Column<Money> standard_cost;       // optional unit cost; kNoStandardCost = none for this product
  std::vector<CostTier> cost_tiers;  // optional; any order (sorted by Build)
  int money_scale = kDefaultMoneyScale;
  DictionaryPtr products, categories;
  Attributes attributes;  // unmapped columns (see AttributeColumn)
};

class Products {
 public:
  static absl::StatusOr<Products> Build(ProductsColumns columns);
  const ProductsColumns& columns() const { return c_; }
  std::size_t size() const { return c_.product.size(); }

 private:
  ProductsColumns c_;
};

// ---------------------------------------------------------------- pipeline
inline const std::vector<std::string>& DefaultStages() {
  static const std::vector<std::string> stages = {"lead", "opportunity", "quote",
                                                  "contract", "won", "paid"};
  return stages;
}

struct PipelineColumns {
  Column<std::int64_t> opportunity;  // required
  Column<Id> customer;               // optional
  Column<Id> salesperson;            // optional
  Column<Id> region;                 // optional
  Column<Id> source;                 // optional
  Column<Money> amount;              // optional deal amount
  Column<Day> created;               // required
  std::vector<std::string> stage_names = DefaultStages();
  std::vector<Column<Day>> stage_dates;  // one per stage, in funnel order; kNoDate = not reached
  Column<Day> lost_date;                 // optional; kNoDate = not lost
  Column<Id> lost_reason;                // optional
  int money_scale = kDefaultMoneyScale;
  DictionaryPtr customers, salespeople, regions, sources, lost_reasons;
  // Optional: the opportunity ids' text codes when the ids were text (the
  // column then holds ids into it), so messages and outputs name them as given.
  DictionaryPtr opportunities;
  Attributes attributes;  // unmapped columns (see AttributeColumn)
};

class Pipeline {
 public:
  static absl::StatusOr<Pipeline> Build(PipelineColumns columns);
  const PipelineColumns& columns() const { return c_; }
  std::size_t size() const { return c_.opportunity.size(); }
  std::size_t num_stages() const { return c_.stage_names.size(); }
  // Range of `created`, recorded by Build (kNoDate when empty).
  Day min_created() const { return min_created_; }
  Day max_created() const { return max_created_; }
  // Id spaces (dictionary size, else max id + 1; 0 when absent), from Build.
  std::int32_t num_customers() const { return num_customers_; }
  std::int32_t num_salespeople() const { return num_salespeople_; }
  std::int32_t num_regions() const { return num_regions_; }
  std::int32_t num_sources() const { return num_sources_; }
  std::int32_t num_lost_reasons() const { return num_lost_reasons_; }

 private:
  PipelineColumns c_;
  Day min_created_ = kNoDate, max_created_ = kNoDate;
  std::int32_t num_customers_ = 0, num_salespeople_ = 0, num_regions_ = 0, num_sources_ = 0,
               num_lost_reasons_ = 0;
};

// ---------------------------------------------------------------- invoices
struct InvoicesColumns {
  Column<std::int64_t> invoice;  // required
  Column<std::int64_t> order;    // optional
  Column<Id> customer;           // required
  Column<Id> salesperson;        // optional
  Column<Id> region;             // optional
  Column<Day> invoice_date;      // required
  Column<Day> due_date;          // required; before invoice_date is an error
  Column<Money> amount;          // required
  // Optional single-payment summary (the WORKLOADS format): paid amount and the
  // date it was paid in full or in part; kNoDate = unpaid. Multiple partial
  // payments come as a Payments table instead.
  Column<Money> paid;
  Column<Day> paid_date;
  int money_scale = kDefaultMoneyScale;
  DictionaryPtr customers, salespeople, regions;
  // Optional: the invoice numbers' text codes when they were text (the
  // invoice column then holds ids into it), as PipelineColumns::opportunities.
  DictionaryPtr invoices;
  Attributes attributes;  // unmapped columns (see AttributeColumn)
};

class Invoices {
 public:
  static absl::StatusOr<Invoices> Build(InvoicesColumns columns);
  const InvoicesColumns& columns() const { return c_; }
  std::size_t size() const { return c_.invoice.size(); }
  int money_scale() const { return c_.money_scale; }
  // Range of invoice_date, recorded by Build (kNoDate when empty): the
  // latest invoice date is the default as-of of the receivables surfaces.
  Day min_invoice_date() const { return min_invoice_date_; }
  Day max_invoice_date() const { return max_invoice_date_; }

 private:
  InvoicesColumns c_;
  Day min_invoice_date_ = kNoDate, max_invoice_date_ = kNoDate;
};

struct PaymentsColumns {
  Column<std::int64_t> invoice_row;  // required; row index into the Invoices table
  Column<Day> date;                  // required
  Column<Money> amount;              // required; > 0 (refunds are credit notes, not payments)
  int money_scale = kDefaultMoneyScale;
};

class Payments {
 public:
  // Checks invoice_row against `invoices` and equal money scales.
  static absl::StatusOr<Payments> Build(PaymentsColumns columns, const Invoices& invoices);
  const PaymentsColumns& columns() const { return c_; }
  std::size_t size() const { return c_.invoice_row.size(); }

 private:
  PaymentsColumns c_;
};

// ---------------------------------------------------------------- targets
enum class TargetLevel { kSalesperson, kRegion, kCompany };

struct TargetsColumns {
  TargetLevel level = TargetLevel::kSalesperson;
  Column<Id> key;              // salesperson or region id (ignored for kCompany)
  Column<std::int32_t> month;  // yyyymm, required
  Column<Money> amount;        // required, >= 0
  int money_scale = kDefaultMoneyScale;
  DictionaryPtr keys;
};

class Targets {
 public:
  static absl::StatusOr<Targets> Build(TargetsColumns columns);
  const TargetsColumns& columns() const { return c_; }
  std::size_t size() const { return c_.month.size(); }

 private:
  TargetsColumns c_;
};

}  // namespace salesight
