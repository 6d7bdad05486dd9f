// salesight_table_columns: a table's columns as a result (codes through the
// table's dictionaries, dates as DATE with nulls, money as MONEY), so a
// binding can show what was read from a CSV export or generated.
#include <cstdint>
#include <string>
#include <utility>

#include "capi_guard.hpp"
#include "capi_internal.hpp"
#include "salesight.h"

namespace salesight::capi {
namespace {

class Exporter {
 public:
  explicit Exporter(int money_scale) : scale_(money_scale) {}

  template <typename T>
  void Ints(const char* name, const Column<T>& c) {
    if (c.empty()) return;
    ResultColumn& col = table_.AddInt64(name);
    col.ints.assign(c.begin(), c.end());
  }
  void Ids(const char* name, const Column<Id>& c, const DictionaryPtr& dict) {
    if (c.empty()) return;
    ResultColumn& col = table_.AddString(name);
    col.strings.reserve(c.size());
    for (Id id : c) {
      col.strings.emplace_back(dict && id >= 0 && id < dict->size() ? std::string(dict->Code(id))
                                                                    : std::to_string(id));
    }
  }
  // A key column (opportunity, invoice): its text codes when the ids were
  // text (named as given, never by the internal id), else the numbers.
  void Keys(const char* name, const Column<std::int64_t>& c, const DictionaryPtr& dict) {
    if (c.empty() || !dict) return Ints(name, c);
    ResultColumn& col = table_.AddCodes(name, dict);
    col.codes.reserve(c.size());
    for (std::int64_t id : c) col.codes.push_back(static_cast<std::int32_t>(id));
  }
  void Dates(const char* name, const Column<Day>& c) {
    if (c.empty()) return;
    ResultColumn& col = table_.AddDate(name);
    col.ints.reserve(c.size());
    bool any_null = false;
    for (Day d : c) any_null |= d == kNoDate;
    if (any_null) col.valid.reserve(c.size());
    for (Day d : c) {
      col.ints.push_back(d == kNoDate ? 0 : d);
      if (any_null) col.valid.push_back(d == kNoDate ? 0 : 1);
    }
  }
  void Money(const char* name, const Column<salesight::Money>& c) {
    if (c.empty()) return;
    ResultColumn& col = table_.AddMoney(name, scale_);
    col.ints.assign(c.begin(), c.end());
  }
  void Text(const char* name, const std::vector<std::string>& v) {
    if (v.empty()) return;
    table_.AddString(name).strings = v;
  }
  // Attribute columns as STRING columns named "attr:<name>", as they are
  // added to a builder (so a table's columns can be added back as they are).
  void Attrs(const Attributes& attributes) {
    for (const AttributeColumn& a : attributes) {
      ResultColumn& col = table_.AddCodes("attr:" + a.name, a.dictionary);
      col.codes.assign(a.codes.begin(), a.codes.end());
    }
  }
  ResultTable Take() { return std::move(table_); }

 private:
  int scale_;
  ResultTable table_;
};

ResultTable Export(const TableImpl& t) {
  struct Visitor {
    const TableImpl& handle;
    ResultTable operator()(const std::monostate&) const { return {}; }
    ResultTable operator()(const OrderLines& o) const {
      const OrderLinesColumns& c = o.columns();
      Exporter e(c.money_scale);
      e.Ints("order_id", c.order_id);
      e.Ints("line", c.line);
      e.Dates("order_date", c.order_date);
      e.Ids("customer", c.customer, c.customers);
      e.Ids("product", c.product, c.products);
      e.Ids("region", c.region, c.regions);
      e.Ids("salesperson", c.salesperson, c.salespeople);
      e.Ints("quantity", c.quantity);
      e.Money("amount", c.amount);
      e.Money("cost", c.cost);
      e.Money("unit_cost", c.unit_cost);
      e.Ids("channel", c.channel, c.channels);
      e.Ids("department", c.department, c.departments);
      e.Ids("category", handle.category, handle.categories);
      e.Attrs(c.attributes);
      return e.Take();
    }
    ResultTable operator()(const Customers& o) const {
      const CustomersColumns& c = o.columns();
      Exporter e(c.money_scale);
      e.Ids("customer", c.customer, c.customers);
      e.Text("name", c.name);
      e.Ids("region", c.region, c.regions);
      e.Ids("owner", c.owner, c.salespeople);
      e.Money("credit_limit", c.credit_limit);
      e.Dates("created", c.created);
      e.Attrs(c.attributes);
      return e.Take();
    }
    ResultTable operator()(const Products& o) const {
      const ProductsColumns& c = o.columns();
      Exporter e(c.money_scale);
      e.Ids("product", c.product, c.products);
      e.Text("name", c.name);
      e.Ids("category", c.category, c.categories);
      e.Money("standard_cost", c.standard_cost);
      e.Attrs(c.attributes);
      return e.Take();
    }
    ResultTable operator()(const Pipeline& o) const {
      const PipelineColumns& c = o.columns();
      Exporter e(c.money_scale);
      e.Keys("opportunity", c.opportunity, c.opportunities);
      e.Ids("customer", c.customer, c.customers);
      e.Ids("salesperson", c.salesperson, c.salespeople);
      e.Ids("region", c.region, c.regions);
      e.Ids("source", c.source, c.sources);
      e.Money("amount", c.amount);
      e.Dates("created", c.created);
      for (std::size_t s = 0; s < c.stage_names.size(); ++s) {
        const std::string name = "stage:" + c.stage_names[s];
        e.Dates(name.c_str(), c.stage_dates[s]);
      }
      e.Dates("lost_date", c.lost_date);
      e.Ids("lost_reason", c.lost_reason, c.lost_reasons);
      e.Attrs(c.attributes);
      return e.Take();
    }
    ResultTable operator()(const Invoices& o) const {
      const InvoicesColumns& c = o.columns();
      Exporter e(c.money_scale);
      e.Keys("invoice", c.invoice, c.invoices);
      e.Ints("order", c.order);
      e.Ids("customer", c.customer, c.customers);
      e.Ids("salesperson", c.salesperson, c.salespeople);
      e.Ids("region", c.region, c.regions);
      e.Dates("invoice_date", c.invoice_date);
      e.Dates("due_date", c.due_date);
      e.Money("amount", c.amount);
      e.Money("paid", c.paid);
      e.Dates("paid_date", c.paid_date);
      e.Attrs(c.attributes);
      return e.Take();
    }
    ResultTable operator()(const Payments& o) const {
      const PaymentsColumns& c = o.columns();
      Exporter e(c.money_scale);
      e.Ints("invoice_row", c.invoice_row);
      e.Dates("date", c.date);
      e.Money("amount", c.amount);
      return e.Take();
    }
    ResultTable operator()(const Targets& o) const {
      const TargetsColumns& c = o.columns();
      Exporter e(c.money_scale);
      e.Ids("key", c.key, c.keys);
      e.Ints("month", c.month);
      e.Money("amount", c.amount);
      return e.Take();
    }
  };
  EnsureNarrowed(t);
  return std::visit(Visitor{t}, t.table);
}

}  // namespace
}  // namespace salesight::capi

extern "C" {

salesight_status salesight_table_columns(const salesight_table* table, salesight_result** out) {
  return salesight::capi::Guard([&]() -> salesight_status {
    if (out == nullptr) return salesight::capi::NullArgument("salesight_table_columns", "out");
    *out = nullptr;
    if (table == nullptr) return salesight::capi::NullArgument("salesight_table_columns", "table");
    return salesight::capi::NewResult(salesight::capi::Export(*salesight::capi::Impl(table)), out);
  });
}

}  // extern "C"
