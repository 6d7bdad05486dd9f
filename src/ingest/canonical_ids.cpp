#include "internal/canonical_ids.hpp"

#include <cstddef>
#include <numeric>
#include <utility>

#include "absl/strings/str_format.h"
#include "salesight/status_macros.hpp"

namespace salesight::ingest {
namespace {

constexpr std::shared_ptr<Dictionary> Dictionaries::*kSlotMembers[kNumSlots] = {
    &Dictionaries::customers,  &Dictionaries::products,     &Dictionaries::regions,
    &Dictionaries::salespeople, &Dictionaries::channels,    &Dictionaries::departments,
    &Dictionaries::categories, &Dictionaries::sources,      &Dictionaries::lost_reasons,
    &Dictionaries::orders,     &Dictionaries::opportunities, &Dictionaries::invoices};

bool IsIdentity(const std::vector<Id>& new_id) {
  for (std::size_t i = 0; i < new_id.size(); ++i) {
    if (new_id[i] != static_cast<Id>(i)) return false;
  }
  return true;
}

// Maps one table's id columns and points its dictionaries at the slots.
class Mapper {
 public:
  Mapper(const IdMaps& maps, const Dictionaries& dicts) : maps_(maps), dicts_(dicts) {}

  template <typename T>
  void Ids(Column<T>& column, Slot slot) {
    const std::vector<Id>& map = maps_[slot];
    if (map.empty() || column.empty()) return;
    std::vector<T> out(column.size());
    for (std::size_t i = 0; i < out.size(); ++i) {
      out[i] = static_cast<T>(map[static_cast<std::size_t>(column[i])]);
    }
    column = Column<T>::Own(std::move(out));
    changed_ = true;
  }
  void Dict(DictionaryPtr& dict, Slot slot) {
    if (!dict) return;
    const std::shared_ptr<Dictionary>& now = dicts_.*kSlotMembers[slot];
    if (dict != now) {
      dict = now;
      changed_ = true;
    }
  }
  const std::vector<Id>& Map(Slot slot) const { return maps_[slot]; }
  void Changed() { changed_ = true; }
  bool changed() const { return changed_; }

 private:
  const IdMaps& maps_;
  const Dictionaries& dicts_;
  bool changed_ = false;
};

template <typename Table, typename Columns>
absl::Status Rebuild(const Mapper& m, Columns columns, Table& table) {
  if (!m.changed()) return absl::OkStatus();
  SALESIGHT_ASSIGN_OR_RETURN(table, Table::Build(std::move(columns)));
  return absl::OkStatus();
}

}  // namespace

SlotSizes SizesOf(const Dictionaries& dicts) {
  SlotSizes sizes{};
  for (int s = 0; s < kNumSlots; ++s) {
    const std::shared_ptr<Dictionary>& d = dicts.*kSlotMembers[s];
    sizes[static_cast<std::size_t>(s)] = d ? d->size() : 0;
  }
  return sizes;
}

IdMaps OrderNewCodes(Dictionaries& dicts, const SlotSizes& before) {
  IdMaps maps;
  for (int s = 0; s < kNumSlots; ++s) {
    const std::shared_ptr<Dictionary>& d = dicts.*kSlotMembers[s];
    const Id keep = before[static_cast<std::size_t>(s)];
    if (!d || d->size() <= keep + 1) continue;  // nothing added that could move
    std::vector<Id> new_id = CanonicalOrder(*d, keep);
    if (IsIdentity(new_id)) continue;
    d->Reorder(new_id);
    maps[static_cast<std::size_t>(s)] = std::move(new_id);
  }
  return maps;
}

IdMaps OrderAllCodes(Dictionaries& dicts) {
  IdMaps maps;
  for (int s = 0; s < kNumSlots; ++s) {
    std::shared_ptr<Dictionary>& d = dicts.*kSlotMembers[s];
    if (!d || IsCanonical(*d)) continue;
    std::vector<Id> new_id = CanonicalOrder(*d);
    auto ordered = std::make_shared<Dictionary>(*d);
    ordered->Reorder(new_id);
    d = std::move(ordered);
    maps[static_cast<std::size_t>(s)] = std::move(new_id);
  }
  return maps;
}

absl::Status Remap(const IdMaps& maps, const Dictionaries& dicts, OrdersCsv& csv) {
  Mapper m(maps, dicts);
  OrderLinesColumns c = csv.table.columns();
  if (csv.order_ids_are_codes) m.Ids(c.order_id, kOrders);
  m.Ids(c.customer, kCustomers);
  m.Ids(c.product, kProducts);
  m.Ids(c.region, kRegions);
  m.Ids(c.salesperson, kSalespeople);
  m.Ids(c.channel, kChannels);
  m.Ids(c.department, kDepartments);
  m.Ids(csv.category, kCategories);
  m.Dict(c.customers, kCustomers);
  m.Dict(c.products, kProducts);
  m.Dict(c.regions, kRegions);
  m.Dict(c.salespeople, kSalespeople);
  m.Dict(c.channels, kChannels);
  m.Dict(c.departments, kDepartments);
  return Rebuild(m, std::move(c), csv.table);
}

absl::Status Remap(const IdMaps& maps, const Dictionaries& dicts, PipelineCsv& csv) {
  Mapper m(maps, dicts);
  PipelineColumns c = csv.table.columns();
  if (csv.opportunity_ids_are_codes) m.Ids(c.opportunity, kOpportunities);
  m.Ids(c.customer, kCustomers);
  m.Ids(c.salesperson, kSalespeople);
  m.Ids(c.region, kRegions);
  m.Ids(c.source, kSources);
  m.Ids(c.lost_reason, kLostReasons);
  m.Dict(c.customers, kCustomers);
  m.Dict(c.salespeople, kSalespeople);
  m.Dict(c.regions, kRegions);
  m.Dict(c.sources, kSources);
  m.Dict(c.lost_reasons, kLostReasons);
  if (csv.opportunity_ids_are_codes) m.Dict(c.opportunities, kOpportunities);
  // The mapped deal category is an attribute coded by the shared categories.
  for (AttributeColumn& a : c.attributes) {
    if (a.dictionary && a.dictionary == dicts.categories) {
      m.Ids(a.codes, kCategories);
      m.Dict(a.dictionary, kCategories);
    }
  }
  return Rebuild(m, std::move(c), csv.table);
}

absl::Status Remap(const IdMaps& maps, const Dictionaries& dicts, InvoicesCsv& csv) {
  Mapper m(maps, dicts);
  InvoicesColumns c = csv.table.columns();
  if (csv.invoice_ids_are_codes) {
    m.Ids(c.invoice, kInvoices);
    m.Dict(c.invoices, kInvoices);
  }
  if (csv.order_ids_are_codes) m.Ids(c.order, kOrders);
  m.Ids(c.customer, kCustomers);
  m.Ids(c.salesperson, kSalespeople);
  m.Ids(c.region, kRegions);
  m.Dict(c.customers, kCustomers);
  m.Dict(c.salespeople, kSalespeople);
  m.Dict(c.regions, kRegions);
  return Rebuild(m, std::move(c), csv.table);
}

absl::Status Remap(const IdMaps& maps, const Dictionaries& dicts, CustomersCsv& csv) {
  Mapper m(maps, dicts);
  CustomersColumns c = csv.table.columns();
  m.Ids(c.customer, kCustomers);
  m.Ids(c.region, kRegions);
  m.Ids(c.owner, kSalespeople);
  m.Dict(c.customers, kCustomers);
  m.Dict(c.regions, kRegions);
  m.Dict(c.salespeople, kSalespeople);
  return Rebuild(m, std::move(c), csv.table);
}

absl::Status Remap(const IdMaps& maps, const Dictionaries& dicts, ProductsCsv& csv) {
  Mapper m(maps, dicts);
  ProductsColumns c = csv.table.columns();
  m.Ids(c.product, kProducts);
  m.Ids(c.category, kCategories);
  if (const std::vector<Id>& map = m.Map(kProducts); !map.empty() && !c.cost_tiers.empty()) {
    for (CostTier& tier : c.cost_tiers) tier.product = map[static_cast<std::size_t>(tier.product)];
    m.Changed();
  }
  m.Dict(c.products, kProducts);
  m.Dict(c.categories, kCategories);
  return Rebuild(m, std::move(c), csv.table);
}

absl::Status Remap(const IdMaps& maps, const Dictionaries& dicts, TargetsCsv& csv) {
  Mapper m(maps, dicts);
  TargetsColumns c = csv.table.columns();
  if (c.level != TargetLevel::kCompany) {
    const Slot slot = c.level == TargetLevel::kRegion ? kRegions : kSalespeople;
    m.Ids(c.key, slot);
    m.Dict(c.keys, slot);
  }
  return Rebuild(m, std::move(c), csv.table);
}

}  // namespace salesight::ingest

namespace salesight {
namespace {

// A table may be remapped only when its ids index `dicts`' dictionaries.
absl::Status CheckReadWith(const Dictionaries& dicts, const CsvLoad& load) {
  auto check = [&](const char* table, const char* column, const DictionaryPtr& used,
                   const std::shared_ptr<Dictionary>& slot) -> absl::Status {
    if (used && used != slot) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "CanonicalizeIds: the %s table's %s codes were not read with these Dictionaries", table,
          column));
    }
    return absl::OkStatus();
  };
  if (load.orders != nullptr) {
    const OrderLinesColumns& c = load.orders->table.columns();
    SALESIGHT_RETURN_IF_ERROR(check("orders", "customer", c.customers, dicts.customers));
    SALESIGHT_RETURN_IF_ERROR(check("orders", "product", c.products, dicts.products));
    SALESIGHT_RETURN_IF_ERROR(check("orders", "region", c.regions, dicts.regions));
    SALESIGHT_RETURN_IF_ERROR(check("orders", "salesperson", c.salespeople, dicts.salespeople));
    SALESIGHT_RETURN_IF_ERROR(check("orders", "channel", c.channels, dicts.channels));
    SALESIGHT_RETURN_IF_ERROR(check("orders", "department", c.departments, dicts.departments));
  }
  if (load.pipeline != nullptr) {
    const PipelineColumns& c = load.pipeline->table.columns();
    SALESIGHT_RETURN_IF_ERROR(check("pipeline", "customer", c.customers, dicts.customers));
    SALESIGHT_RETURN_IF_ERROR(check("pipeline", "salesperson", c.salespeople, dicts.salespeople));
    SALESIGHT_RETURN_IF_ERROR(check("pipeline", "region", c.regions, dicts.regions));
    SALESIGHT_RETURN_IF_ERROR(check("pipeline", "source", c.sources, dicts.sources));
    SALESIGHT_RETURN_IF_ERROR(
        check("pipeline", "lost_reason", c.lost_reasons, dicts.lost_reasons));
  }
  if (load.invoices != nullptr) {
    const InvoicesColumns& c = load.invoices->table.columns();
    SALESIGHT_RETURN_IF_ERROR(check("invoices", "customer", c.customers, dicts.customers));
    SALESIGHT_RETURN_IF_ERROR(check("invoices", "salesperson", c.salespeople, dicts.salespeople));
    SALESIGHT_RETURN_IF_ERROR(check("invoices", "region", c.regions, dicts.regions));
  }
  if (load.customers != nullptr) {
    const CustomersColumns& c = load.customers->table.columns();
    SALESIGHT_RETURN_IF_ERROR(check("customers", "customer", c.customers, dicts.customers));
    SALESIGHT_RETURN_IF_ERROR(check("customers", "region", c.regions, dicts.regions));
    SALESIGHT_RETURN_IF_ERROR(check("customers", "owner", c.salespeople, dicts.salespeople));
  }
  if (load.products != nullptr) {
    const ProductsColumns& c = load.products->table.columns();
    SALESIGHT_RETURN_IF_ERROR(check("products", "product", c.products, dicts.products));
    SALESIGHT_RETURN_IF_ERROR(check("products", "category", c.categories, dicts.categories));
  }
  if (load.targets != nullptr) {
    const TargetsColumns& c = load.targets->table.columns();
    if (c.level != TargetLevel::kCompany) {
      SALESIGHT_RETURN_IF_ERROR(check(
          "targets", "key", c.keys,
          c.level == TargetLevel::kRegion ? dicts.regions : dicts.salespeople));
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status CanonicalizeIds(Dictionaries& dicts, const CsvLoad& load) {
  SALESIGHT_RETURN_IF_ERROR(CheckReadWith(dicts, load));
  const ingest::IdMaps maps = ingest::OrderAllCodes(dicts);
  if (load.orders != nullptr) SALESIGHT_RETURN_IF_ERROR(ingest::Remap(maps, dicts, *load.orders));
  if (load.pipeline != nullptr) {
    SALESIGHT_RETURN_IF_ERROR(ingest::Remap(maps, dicts, *load.pipeline));
  }
  if (load.invoices != nullptr) {
    SALESIGHT_RETURN_IF_ERROR(ingest::Remap(maps, dicts, *load.invoices));
  }
  if (load.customers != nullptr) {
    SALESIGHT_RETURN_IF_ERROR(ingest::Remap(maps, dicts, *load.customers));
  }
  if (load.products != nullptr) {
    SALESIGHT_RETURN_IF_ERROR(ingest::Remap(maps, dicts, *load.products));
  }
  if (load.targets != nullptr) SALESIGHT_RETURN_IF_ERROR(ingest::Remap(maps, dicts, *load.targets));
  return absl::OkStatus();
}

}  // namespace salesight
