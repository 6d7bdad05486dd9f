// Dataset: the tables one computation reads, with their relations resolved
// once. Every table is optional. Immutable once built; shares its tables
// (cheap to copy).
//
// Relations (resolved by Build, so calculators see derived columns and never
// join themselves):
//   order line / opportunity / invoice -> customer -> the customers table
//     (its region field and its attributes reach the rows);
//   order line -> product -> the products table (its category and attributes).
// Ids are matched by value: both sides must use the same id space, i.e. the
// same Dictionary (or, without dictionaries, the same integer ids). A master
// table that has two rows for one id is an error; an id without a master row
// gets no value (kNoId: the group "(none)").
//
// Appending order lines (AppendOrders) is the one change a dataset takes: see
// there for what it does, what it costs and what copies of a dataset see.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "salesight/dimension.hpp"
#include "salesight/tables.hpp"

namespace salesight {

class OrderIndexes;  // salesight/order_index.hpp
namespace dataset_internal {
struct OrderStore;  // src/dataset/internal/order_store.hpp
}

// The tables of a dataset (the C ABI's SALESIGHT_TABLE_* numbers name them).
enum class TableKind : std::uint8_t {
  kOrders, kCustomers, kProducts, kPipeline, kInvoices, kPayments, kTargets
};
std::string_view TableKindName(TableKind kind);  // "orders", "customers", ...

struct DatasetTables {
  std::shared_ptr<const OrderLines> orders;
  std::shared_ptr<const Customers> customers;
  std::shared_ptr<const Products> products;
  std::shared_ptr<const Pipeline> pipeline;
  std::shared_ptr<const Invoices> invoices;
  std::shared_ptr<const Payments> payments;
  std::shared_ptr<const Targets> targets;
};

// A table a dataset borrows: the caller keeps it alive while the dataset is
// used (no copy, no ownership). A null pointer stays null (table absent).
template <typename T>
std::shared_ptr<const T> BorrowTable(const T* table) {
  if (table == nullptr) return nullptr;
  return std::shared_ptr<const T>(table, [](const T*) {});
}
template <typename T>
std::shared_ptr<const T> BorrowTable(const T& table) {
  return BorrowTable(&table);
}

class Dataset {
 public:
  Dataset() = default;
  static absl::StatusOr<Dataset> Build(DatasetTables tables);
  // A dataset of one table (no relations): the per-table calculator calls.
  static Dataset Of(const Pipeline& pipeline);
  static Dataset Of(const OrderLines& orders);
  static Dataset Of(const Invoices& invoices);

  const OrderLines* orders() const { return t_.orders.get(); }
  const Customers* customers() const { return t_.customers.get(); }
  const Products* products() const { return t_.products.get(); }
  const Pipeline* pipeline() const { return t_.pipeline.get(); }
  const Invoices* invoices() const { return t_.invoices.get(); }
  const Payments* payments() const { return t_.payments.get(); }
  const Targets* targets() const { return t_.targets.get(); }

  // The order lines' row indexes (postings, date order: order_index.hpp),
  // built on demand by the queries and shared by copies of this dataset;
  // null without orders. IndexBytes(): the bytes they hold so far.
  const OrderIndexes* order_indexes() const { return indexes_.get(); }
  std::int64_t IndexBytes() const;

  // Appends the lines of `batch` to the order lines; every query and
  // calculator run afterwards reads them, as on Build of all the lines with
  // the dictionaries this leaves (the same result: ids of existing members
  // never change, so a query equals the one on a rebuilt dataset whose new
  // members sort after the old ones - sequential ERP codes do; otherwise new
  // members take ids after the old ones, in the canonical order among
  // themselves, and id-ordered output lists them there).
  //   * The batch's ids are in the batch's own dictionaries: members are
  //     matched by code, new ones are added to the dataset's dictionaries (a
  //     dictionary the dataset shares with its tables' owners is copied once,
  //     at its first new code). Without dictionaries (integer ids) on both
  //     sides, ids are taken as they are. New customers and products have no
  //     master row: their related fields are "(none)", as Build gives.
  //   * Errors (the dataset is then unchanged): no orders table; a money
  //     scale other than the dataset's; a column or attribute the dataset's
  //     lines have and the batch lacks, or the reverse; ids coded by a
  //     dictionary on one side and not the other. A batch with bad rows is
  //     refused by OrderLines::Build before it gets here (the message names
  //     its row, column and value). An empty batch changes nothing.
  //   * Cost: O(batch) amortised. The first append copies the order lines
  //     once into growing columns that this dataset owns (capacity x1.5 when
  //     full); later appends write the batch behind them. Built indexes are
  //     extended, not rebuilt (order_index.hpp).
  //   * Copies are snapshots: a copy made before the append (a compiled C
  //     query holds one) keeps seeing the lines it had, without a copy of
  //     them. Appending is a writer: no query may run on this dataset, or on
  //     a copy of it, while it runs (they share the dictionaries that grow);
  //     pointers and dimension columns taken from it before are invalid after.
  absl::Status AppendOrders(const OrderLines& batch);

  // Every dimension the rows of `rows` offer, in resolution order (see
  // salesight/dimension.hpp): fields, attributes, related fields and
  // attributes. Empty when the table is absent.
  std::vector<DimensionColumn> Dimensions(TableKind rows) const;
  // The dimension `name` of the rows of `rows`, or an error that names the
  // valid ones.
  absl::StatusOr<DimensionColumn> Dimension(TableKind rows, std::string_view name) const;

 private:
  // Dimensions(rows); with `counted` non-empty only the candidates of that
  // name get their cardinality (a pass over the rows for some fields), the
  // others 0: resolving one name reads one column.
  std::vector<DimensionColumn> Candidates(TableKind rows, std::string_view counted) const;
  // A master table's field or attribute, per related id (lookup[id]).
  struct Related {
    std::string name;
    std::shared_ptr<const std::vector<Id>> lookup;
    std::int32_t cardinality = 0;
    bool may_be_missing = false;
    DictionaryPtr dictionary;
  };
  void MakeIndexes();
  // A master table's related lookups, extended with kNoId to `space` ids.
  static void ExtendRelated(std::vector<Related>& related, std::int32_t space);
  DatasetTables t_;
  std::vector<Related> by_customer_, by_product_;
  std::shared_ptr<OrderIndexes> indexes_;
  // The growing order-line columns after the first append (shared by copies:
  // each writes in place only behind its own lines).
  std::shared_ptr<dataset_internal::OrderStore> store_;
};

}  // namespace salesight
