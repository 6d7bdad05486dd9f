// Dataset::AppendOrders (salesight/dataset.hpp): order lines appended to a
// dataset in O(batch), checked before anything changes.
#include <algorithm>
#include <charconv>
#include <cstdint>
#include <cstring>
#include <limits>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "dataset/internal/order_store.hpp"
#include "salesight/dataset.hpp"
#include "salesight/order_index.hpp"
#include "salesight/status_macros.hpp"

namespace salesight {
namespace {

using dataset_internal::GrowingColumn;
using dataset_internal::OrderStore;
using dataset_internal::OwnedDictionary;

// One optional value column of the order lines, both sides.
struct Presence {
  const char* name;
  bool dataset, batch;
};

// One id column: the dataset's dictionary and the batch's.
struct IdKind {
  std::string name;
  const DictionaryPtr* dataset;
  const DictionaryPtr* batch;
  bool present;  // the batch has the column
};

absl::Status Refuse(const std::string& what) {
  return absl::InvalidArgumentError(absl::StrCat("orders batch: ", what));
}

// Checks everything an append can refuse, before anything changes.
absl::Status CheckBatch(const OrderLines& data, const OrderLines& batch) {
  const OrderLinesColumns& d = data.columns();
  const OrderLinesColumns& b = batch.columns();
  if (batch.money_scale() != data.money_scale()) {
    return Refuse(absl::StrCat("its money scale ", batch.money_scale(),
                               " differs from the dataset's ", data.money_scale(),
                               " (amounts are minor units of one scale: convert the batch)"));
  }
  if (batch.size() == 0) return absl::OkStatus();
  // Without lines the dataset's optional columns cannot be told from absent
  // ones (tables.hpp): the batch's decide.
  if (data.size() > 0) {
    const Presence optional[] = {
        {"line", !d.line.empty(), !b.line.empty()},
        {"product", !d.product.empty(), !b.product.empty()},
        {"region", !d.region.empty(), !b.region.empty()},
        {"salesperson", !d.salesperson.empty(), !b.salesperson.empty()},
        {"quantity", !d.quantity.empty(), !b.quantity.empty()},
        {"cost", !d.cost.empty(), !b.cost.empty()},
        {"unit_cost", !d.unit_cost.empty(), !b.unit_cost.empty()},
        {"channel", !d.channel.empty(), !b.channel.empty()},
        {"department", !d.department.empty(), !b.department.empty()}};
    for (const Presence& p : optional) {
      if (p.dataset && !p.batch) {
        return Refuse(absl::StrCat("the dataset's order lines have column '", p.name,
                                   "' and the batch has none"));
      }
      if (!p.dataset && p.batch) {
        return Refuse(absl::StrCat("it has column '", p.name,
                                   "' that the dataset's order lines lack (a column cannot be "
                                   "added to the lines already there)"));
      }
    }
  }
  std::vector<std::string> lacking, extra;
  for (const AttributeColumn& a : d.attributes) {
    if (std::none_of(b.attributes.begin(), b.attributes.end(),
                     [&a](const AttributeColumn& x) { return x.name == a.name; })) {
      lacking.push_back(a.name);
    }
  }
  for (const AttributeColumn& a : b.attributes) {
    if (std::none_of(d.attributes.begin(), d.attributes.end(),
                     [&a](const AttributeColumn& x) { return x.name == a.name; })) {
      extra.push_back(a.name);
    }
  }
  if (!lacking.empty()) {
    return Refuse(absl::StrCat("it lacks the attribute column(s) of the dataset's order lines: ",
                               absl::StrJoin(lacking, ", ")));
  }
  if (!extra.empty()) {
    return Refuse(absl::StrCat("it has attribute column(s) that the dataset's order lines lack: ",
                               absl::StrJoin(extra, ", ")));
  }
  std::vector<IdKind> kinds = {
      {"order_id", &d.orders, &b.orders, true},
      {"customer", &d.customers, &b.customers, true},
      {"product", &d.products, &b.products, !b.product.empty()},
      {"region", &d.regions, &b.regions, !b.region.empty()},
      {"salesperson", &d.salespeople, &b.salespeople, !b.salesperson.empty()},
      {"channel", &d.channels, &b.channels, !b.channel.empty()},
      {"department", &d.departments, &b.departments, !b.department.empty()}};
  for (const AttributeColumn& a : b.attributes) {
    for (const AttributeColumn& x : d.attributes) {
      if (x.name == a.name) kinds.push_back({a.name, &x.dictionary, &a.dictionary, true});
    }
  }
  for (const IdKind& k : kinds) {
    if (!k.present) continue;
    const bool coded = *k.dataset != nullptr, batch_coded = *k.batch != nullptr;
    if (coded != batch_coded) {
      return Refuse(absl::StrCat(
          "column '", k.name, "' holds ", batch_coded ? "codes (a dictionary)" : "integer ids",
          " and the dataset's order lines ", coded ? "codes (a dictionary)" : "integer ids",
          ": give both the same kind"));
    }
    if (coded && std::int64_t{(*k.dataset)->size()} + (*k.batch)->size() >
                     std::numeric_limits<std::int32_t>::max()) {
      return Refuse(absl::StrCat("column '", k.name, "': the members would pass 2^31 - 1"));
    }
  }
  return absl::OkStatus();
}

// Canonical order of codes new to a dictionary (dictionary.hpp): by value
// when every code is an integer, then by bytes; else by bytes.
bool CodeBefore(std::string_view a, std::string_view b, bool integers) {
  if (integers) {
    std::int64_t x = 0, y = 0;
    std::from_chars(a.data(), a.data() + a.size(), x);
    std::from_chars(b.data(), b.data() + b.size(), y);
    if (x != y) return x < y;
  }
  return a < b;  // char_traits<char> compares as unsigned char
}

// The dictionary `dict` as one the store extends in place (a copy when it
// is not the store's yet); `dict` then points to it.
OwnedDictionary& Own(OrderStore& store, DictionaryPtr& dict) {
  auto it = store.dictionaries.find(dict.get());
  if (it == store.dictionaries.end()) {
    OwnedDictionary owned;
    owned.dictionary = std::make_shared<Dictionary>(*dict);
    owned.integers = CodesAreIntegers(*dict);
    it = store.dictionaries.emplace(owned.dictionary.get(), std::move(owned)).first;
  }
  dict = it->second.dictionary;
  return it->second;
}

// Writes the dataset's ids of the batch's `ids` to `out`: the same ids when
// both sides share the dictionary (or have none), else matched by code, the
// batch's new codes added to `dict` in canonical order among themselves.
// T: Id, or int64 for order numbers kept as codes.
template <typename T>
void MapIds(OrderStore& store, absl::Span<const T> ids, const DictionaryPtr& from,
            DictionaryPtr& dict, T* out) {
  if (from == dict) {
    std::memcpy(out, ids.data(), ids.size() * sizeof(T));
    return;
  }
  constexpr T kUnseen = -2;
  std::vector<T> to(static_cast<std::size_t>(from->size()), kUnseen);
  std::vector<Id> fresh;  // batch ids of codes the dataset has not seen
  for (const T v : ids) {
    T& t = to[static_cast<std::size_t>(v)];
    if (t != kUnseen) continue;
    t = dict->Find(from->Code(static_cast<Id>(v)));
    if (t == kNoId) fresh.push_back(static_cast<Id>(v));
  }
  if (!fresh.empty()) {
    OwnedDictionary& owned = Own(store, dict);
    const bool integers =
        owned.integers && std::all_of(fresh.begin(), fresh.end(),
                                      [&](Id v) { return IsIntegerCode(from->Code(v)); });
    std::sort(fresh.begin(), fresh.end(), [&](Id a, Id b) {
      return CodeBefore(from->Code(a), from->Code(b), integers);
    });
    // Cannot fail: CheckBatch saw that the members stay below 2^31 - 1.
    for (const Id v : fresh) {
      to[static_cast<std::size_t>(v)] = owned.dictionary->Intern(from->Code(v)).value();
    }
    owned.integers = integers;
  }
  for (std::size_t i = 0; i < ids.size(); ++i) out[i] = to[static_cast<std::size_t>(ids[i])];
}

// `column` with the batch's values behind its own.
template <typename T>
void Append(GrowingColumn<T>& growing, Column<T>& column, const Column<T>& batch) {
  if (batch.empty()) return;
  T* out = growing.Extend(column, batch.size());
  std::memcpy(out, batch.data(), batch.size() * sizeof(T));
  column = growing.View();
}

// An id column with the batch's ids (as the dataset's) behind its own.
template <typename T>
void AppendIds(OrderStore& store, GrowingColumn<T>& growing, Column<T>& column,
               DictionaryPtr& dict, const Column<T>& batch, const DictionaryPtr& batch_dict) {
  if (batch.empty()) return;
  T* out = growing.Extend(column, batch.size());
  MapIds(store, batch.span(), batch_dict, dict, out);
  column = growing.View();
}

std::int32_t Cardinality(const DictionaryPtr& dict, std::int32_t before, std::int32_t batch) {
  return dict ? dict->size() : std::max(before, batch);
}

}  // namespace

void Dataset::ExtendRelated(std::vector<Related>& related, std::int32_t space) {
  for (Related& r : related) {
    if (static_cast<std::int32_t>(r.lookup->size()) >= space) continue;
    auto lookup = std::make_shared<std::vector<Id>>(*r.lookup);
    lookup->resize(static_cast<std::size_t>(space), kNoId);
    r.lookup = std::move(lookup);
    r.may_be_missing = true;  // the new ids have no master row
  }
}

absl::Status Dataset::AppendOrders(const OrderLines& batch) {
  if (t_.orders == nullptr) {
    return absl::FailedPreconditionError(
        "orders batch: the dataset has no orders table to append lines to (build it with one; "
        "it may have no lines)");
  }
  const OrderLines& data = *t_.orders;
  SALESIGHT_RETURN_IF_ERROR(CheckBatch(data, batch));
  if (batch.size() == 0) return absl::OkStatus();

  if (store_ == nullptr) store_ = std::make_shared<OrderStore>();
  OrderStore& s = *store_;
  std::lock_guard<std::mutex> lock(s.mu);
  const OrderLinesColumns& b = batch.columns();
  OrderLines grown;
  grown.c_ = data.columns();  // views and dictionaries: O(columns)
  OrderLinesColumns& c = grown.c_;
  AppendIds(s, s.order_id, c.order_id, c.orders, b.order_id, b.orders);
  Append(s.line, c.line, b.line);
  Append(s.order_date, c.order_date, b.order_date);
  AppendIds(s, s.customer, c.customer, c.customers, b.customer, b.customers);
  AppendIds(s, s.product, c.product, c.products, b.product, b.products);
  AppendIds(s, s.region, c.region, c.regions, b.region, b.regions);
  AppendIds(s, s.salesperson, c.salesperson, c.salespeople, b.salesperson, b.salespeople);
  Append(s.quantity, c.quantity, b.quantity);
  Append(s.amount, c.amount, b.amount);
  Append(s.cost, c.cost, b.cost);
  Append(s.unit_cost, c.unit_cost, b.unit_cost);
  AppendIds(s, s.channel, c.channel, c.channels, b.channel, b.channels);
  AppendIds(s, s.department, c.department, c.departments, b.department, b.departments);
  for (AttributeColumn& a : c.attributes) {
    for (const AttributeColumn& x : b.attributes) {
      if (x.name == a.name) {
        AppendIds(s, s.attributes[a.name], a.codes, a.dictionary, x.codes, x.dictionary);
      }
    }
  }
  grown.num_customers_ = Cardinality(c.customers, data.num_customers_, batch.num_customers_);
  grown.num_products_ = Cardinality(c.products, data.num_products_, batch.num_products_);
  grown.num_regions_ = Cardinality(c.regions, data.num_regions_, batch.num_regions_);
  grown.num_salespeople_ =
      Cardinality(c.salespeople, data.num_salespeople_, batch.num_salespeople_);
  grown.num_returns_ = data.num_returns_ + batch.num_returns_;
  grown.min_date_ = data.size() == 0 ? batch.min_date_ : std::min(data.min_date_, batch.min_date_);
  grown.max_date_ = data.size() == 0 ? batch.max_date_ : std::max(data.max_date_, batch.max_date_);
  t_.orders = std::make_shared<const OrderLines>(std::move(grown));

  // New customers and products: no master row.
  ExtendRelated(by_customer_, t_.orders->num_customers());
  ExtendRelated(by_product_, t_.orders->num_products());
  if (indexes_ != nullptr) {
    indexes_ = indexes_->Extend(t_.orders, [this](const std::string& name) {
      return Dimension(TableKind::kOrders, name);
    });
  } else {
    MakeIndexes();
  }
  return absl::OkStatus();
}

}  // namespace salesight
