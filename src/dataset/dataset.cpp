#include "salesight/dataset.hpp"

#include <algorithm>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_format.h"
#include "salesight/order_index.hpp"
#include "salesight/status_macros.hpp"

namespace salesight {
namespace {

// Ids of a column are in [0, IdSpace): the dictionary's size, else max + 1.
std::int32_t IdSpace(const Column<Id>& column, const DictionaryPtr& dictionary) {
  if (dictionary) return dictionary->size();
  Id mx = -1;
  for (const Id v : column) mx = std::max(mx, v);
  return mx + 1;
}

// A field (or attribute) as a dimension. `cardinality` < 0: compute it (one
// pass; only for master-table fields, whose tables are small).
DimensionColumn Field(std::string name, const Column<Id>& column, const DictionaryPtr& dict,
                      std::int32_t cardinality) {
  DimensionColumn d;
  d.name = std::move(name);
  d.codes = column.data();
  d.cardinality = cardinality >= 0 ? cardinality : IdSpace(column, dict);
  d.dictionary = dict;
  return d;
}

struct FieldSpec {
  const char* name;
  const Column<Id>* column;
  const DictionaryPtr* dictionary;
  std::int32_t cardinality;  // recorded by the table's Build; -1 = compute
};

// Fields that are present, then the attributes (their dictionary is required).
// With `counted` non-empty, other fields' cardinalities are not computed (0).
void AddFieldsAndAttributes(std::vector<DimensionColumn>& out,
                            std::initializer_list<FieldSpec> fields, const Attributes& attributes,
                            std::string_view counted) {
  for (const FieldSpec& f : fields) {
    if (f.column->empty()) continue;
    const bool count = counted.empty() || counted == f.name;
    out.push_back(Field(f.name, *f.column, *f.dictionary, count ? f.cardinality : 0));
  }
  for (const AttributeColumn& a : attributes) {
    out.push_back(Field(a.name, a.codes, a.dictionary, a.dictionary->size()));
  }
}

bool SameIds(const DictionaryPtr& a, const DictionaryPtr& b) {
  if (a == b) return true;
  if (!a || !b || a->size() != b->size()) return false;
  for (Id i = 0; i < a->size(); ++i) {
    if (a->Code(i) != b->Code(i)) return false;
  }
  return true;
}

// A master table's id column -> row, checked: one row per id, ids shared with
// the rows' tables. `space` is the largest id space of the tables relating to it.
absl::StatusOr<std::vector<std::int64_t>> RowOfId(std::string_view table, const Column<Id>& ids,
                                                 const DictionaryPtr& dict, std::int32_t space) {
  std::vector<std::int64_t> row(static_cast<std::size_t>(std::max(space, IdSpace(ids, dict))), -1);
  for (std::size_t i = 0; i < ids.size(); ++i) {
    std::int64_t& r = row[static_cast<std::size_t>(ids[i])];
    if (r >= 0) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "%s rows %d and %d describe the same id '%s' (listed twice)", table, r, i,
          DimensionLabel(dict, ids[i])));
    }
    r = static_cast<std::int64_t>(i);
  }
  return row;
}

}  // namespace

std::string_view TableKindName(TableKind kind) {
  switch (kind) {
    case TableKind::kOrders: return "orders";
    case TableKind::kCustomers: return "customers";
    case TableKind::kProducts: return "products";
    case TableKind::kPipeline: return "pipeline";
    case TableKind::kInvoices: return "invoices";
    case TableKind::kPayments: return "payments";
    case TableKind::kTargets: return "targets";
  }
  return "?";
}

absl::StatusOr<Dataset> Dataset::Build(DatasetTables tables) {
  Dataset ds;
  ds.t_ = std::move(tables);
  const DatasetTables& t = ds.t_;

  // The master tables' fields and attributes, per related id.
  auto relate = [](std::string_view table, const Column<Id>& ids, const DictionaryPtr& id_dict,
                   std::int32_t space,
                   std::vector<std::tuple<std::string, const Column<Id>*, DictionaryPtr>> columns,
                   std::vector<Related>& out) -> absl::Status {
    SALESIGHT_ASSIGN_OR_RETURN(std::vector<std::int64_t> row_of, RowOfId(table, ids, id_dict, space));
    for (auto& [name, column, dict] : columns) {
      if (column->empty()) continue;
      auto lookup = std::make_shared<std::vector<Id>>(row_of.size(), kNoId);
      bool missing = false;
      for (std::size_t id = 0; id < row_of.size(); ++id) {
        if (row_of[id] < 0) {
          missing = true;
        } else {
          (*lookup)[id] = (*column)[static_cast<std::size_t>(row_of[id])];
        }
      }
      out.push_back(Related{std::move(name), std::move(lookup), IdSpace(*column, dict), missing,
                            std::move(dict)});
    }
    return absl::OkStatus();
  };

  if (t.customers) {
    const CustomersColumns& m = t.customers->columns();
    std::int32_t space = 0;
    auto rows_use = [&](std::string_view rows, const Column<Id>& ids,
                        const DictionaryPtr& dict) -> absl::Status {
      if (ids.empty()) return absl::OkStatus();
      if ((dict || m.customers) && !SameIds(dict, m.customers)) {
        return absl::InvalidArgumentError(absl::StrFormat(
            "dataset: the %s and the customers table code customers differently (different "
            "dictionaries); load them together so that one code is one id",
            rows));
      }
      space = std::max(space, IdSpace(ids, dict));
      return absl::OkStatus();
    };
    if (t.orders) SALESIGHT_RETURN_IF_ERROR(rows_use("orders", t.orders->columns().customer, t.orders->columns().customers));
    if (t.pipeline) SALESIGHT_RETURN_IF_ERROR(rows_use("pipeline", t.pipeline->columns().customer, t.pipeline->columns().customers));
    if (t.invoices) SALESIGHT_RETURN_IF_ERROR(rows_use("invoices", t.invoices->columns().customer, t.invoices->columns().customers));
    std::vector<std::tuple<std::string, const Column<Id>*, DictionaryPtr>> columns = {
        {"region", &m.region, m.regions}};
    for (const AttributeColumn& a : m.attributes) columns.emplace_back(a.name, &a.codes, a.dictionary);
    SALESIGHT_RETURN_IF_ERROR(
        relate("customers", m.customer, m.customers, space, std::move(columns), ds.by_customer_));
  }
  if (t.products) {
    const ProductsColumns& m = t.products->columns();
    std::int32_t space = 0;
    if (t.orders && !t.orders->columns().product.empty()) {
      const OrderLinesColumns& o = t.orders->columns();
      if ((o.products || m.products) && !SameIds(o.products, m.products)) {
        return absl::InvalidArgumentError(
            "dataset: the orders and the products table code products differently (different "
            "dictionaries); load them together so that one code is one id");
      }
      space = IdSpace(o.product, o.products);
    }
    std::vector<std::tuple<std::string, const Column<Id>*, DictionaryPtr>> columns = {
        {"category", &m.category, m.categories}};
    for (const AttributeColumn& a : m.attributes) columns.emplace_back(a.name, &a.codes, a.dictionary);
    SALESIGHT_RETURN_IF_ERROR(
        relate("products", m.product, m.products, space, std::move(columns), ds.by_product_));
  }
  ds.MakeIndexes();
  return ds;
}

Dataset Dataset::Of(const Pipeline& pipeline) {
  Dataset ds;
  ds.t_.pipeline = BorrowTable(pipeline);
  return ds;
}

Dataset Dataset::Of(const OrderLines& orders) {
  Dataset ds;
  ds.t_.orders = BorrowTable(orders);
  ds.MakeIndexes();
  return ds;
}

Dataset Dataset::Of(const Invoices& invoices) {
  Dataset ds;
  ds.t_.invoices = BorrowTable(invoices);
  return ds;
}

void Dataset::MakeIndexes() {
  if (t_.orders != nullptr) indexes_ = std::make_shared<OrderIndexes>(t_.orders);
}

std::int64_t Dataset::IndexBytes() const { return indexes_ ? indexes_->Bytes() : 0; }

std::vector<DimensionColumn> Dataset::Dimensions(TableKind rows) const {
  return Candidates(rows, {});
}

std::vector<DimensionColumn> Dataset::Candidates(TableKind rows, std::string_view counted) const {
  std::vector<DimensionColumn> out;
  const Column<Id>* customer = nullptr;
  const Column<Id>* product = nullptr;
  switch (rows) {
    case TableKind::kOrders:
      if (t_.orders) {
        const OrderLinesColumns& c = t_.orders->columns();
        AddFieldsAndAttributes(out,
                               {{"customer", &c.customer, &c.customers, t_.orders->num_customers()},
                                {"product", &c.product, &c.products, t_.orders->num_products()},
                                {"region", &c.region, &c.regions, t_.orders->num_regions()},
                                {"salesperson", &c.salesperson, &c.salespeople,
                                 t_.orders->num_salespeople()},
                                {"channel", &c.channel, &c.channels, -1},
                                {"department", &c.department, &c.departments, -1}},
                               c.attributes, counted);
        customer = &c.customer;
        product = &c.product;
      }
      break;
    case TableKind::kPipeline:
      if (t_.pipeline) {
        const PipelineColumns& c = t_.pipeline->columns();
        AddFieldsAndAttributes(out,
                               {{"region", &c.region, &c.regions, t_.pipeline->num_regions()},
                                {"salesperson", &c.salesperson, &c.salespeople,
                                 t_.pipeline->num_salespeople()},
                                {"source", &c.source, &c.sources, t_.pipeline->num_sources()},
                                {"customer", &c.customer, &c.customers,
                                 t_.pipeline->num_customers()},
                                {"lost_reason", &c.lost_reason, &c.lost_reasons,
                                 t_.pipeline->num_lost_reasons()}},
                               c.attributes, counted);
        customer = &c.customer;
      }
      break;
    case TableKind::kInvoices:
      if (t_.invoices) {
        const InvoicesColumns& c = t_.invoices->columns();
        AddFieldsAndAttributes(out,
                               {{"customer", &c.customer, &c.customers, -1},
                                {"salesperson", &c.salesperson, &c.salespeople, -1},
                                {"region", &c.region, &c.regions, -1}},
                               c.attributes, counted);
        customer = &c.customer;
      }
      break;
    case TableKind::kCustomers:
      if (t_.customers) {
        const CustomersColumns& c = t_.customers->columns();
        AddFieldsAndAttributes(out,
                               {{"customer", &c.customer, &c.customers, -1},
                                {"region", &c.region, &c.regions, -1},
                                {"owner", &c.owner, &c.salespeople, -1}},
                               c.attributes, counted);
      }
      break;
    case TableKind::kProducts:
      if (t_.products) {
        const ProductsColumns& c = t_.products->columns();
        AddFieldsAndAttributes(out,
                               {{"product", &c.product, &c.products, -1},
                                {"category", &c.category, &c.categories, -1}},
                               c.attributes, counted);
      }
      break;
    case TableKind::kPayments:
    case TableKind::kTargets:
      break;
  }
  auto add_related = [&](const Column<Id>* via, const std::vector<Related>& related) {
    if (via == nullptr || via->empty()) return;
    for (const Related& r : related) {
      DimensionColumn d;
      d.name = r.name;
      d.codes = via->data();
      d.lookup = r.lookup->data();
      d.lookup_owner = r.lookup;
      d.cardinality = r.cardinality;
      d.may_be_missing = r.may_be_missing;
      d.dictionary = r.dictionary;
      out.push_back(std::move(d));
    }
  };
  add_related(customer, by_customer_);
  add_related(product, by_product_);
  return out;
}

absl::StatusOr<DimensionColumn> Dataset::Dimension(TableKind rows, std::string_view name) const {
  return FindDimension(Candidates(rows, name), name, TableKindName(rows));
}

}  // namespace salesight
