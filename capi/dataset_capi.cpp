// salesight_dataset_* and salesight_calculator_*: one dataset handle that
// holds the tables of a computation with their relations resolved, and the
// declared calculators (salesight/calculator.hpp) run on it by name.
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "capi_guard.hpp"
#include "capi_internal.hpp"
#include "salesight.h"
#include "salesight/calculator.hpp"
#include "salesight/dataset.hpp"

namespace salesight::capi {

// DatasetImpl: capi_internal.hpp (the query handles read it too).

const Dataset& DatasetOf(const salesight_dataset* handle) { return Impl(handle)->data; }

namespace {

constexpr std::int32_t kMaxOptions = 1024;

// The dataset keeps its own copy of the table (cheap: columns are shared or
// borrowed), so the table handle may be destroyed after the add.
template <typename T>
std::shared_ptr<const T> CopyOf(const TableImpl& t) {
  EnsureNarrowed(t);
  return std::make_shared<const T>(std::get<T>(t.table));
}

// Puts the table into its slot; false when the slot is taken.
bool Place(DatasetTables& tables, const TableImpl& t) {
  auto put = [](auto& slot, auto value) {
    if (slot) return false;
    slot = std::move(value);
    return true;
  };
  switch (t.kind) {
    case SALESIGHT_TABLE_ORDERS: return put(tables.orders, CopyOf<OrderLines>(t));
    case SALESIGHT_TABLE_CUSTOMERS: return put(tables.customers, CopyOf<Customers>(t));
    case SALESIGHT_TABLE_PRODUCTS: return put(tables.products, CopyOf<Products>(t));
    case SALESIGHT_TABLE_PIPELINE: return put(tables.pipeline, CopyOf<Pipeline>(t));
    case SALESIGHT_TABLE_INVOICES: return put(tables.invoices, CopyOf<Invoices>(t));
    case SALESIGHT_TABLE_PAYMENTS: return put(tables.payments, CopyOf<Payments>(t));
    case SALESIGHT_TABLE_TARGETS: return put(tables.targets, CopyOf<Targets>(t));
    default: return false;
  }
}

}  // namespace
}  // namespace salesight::capi

using salesight::capi::DatasetImpl;
using salesight::capi::Fail;
using salesight::capi::FromStatus;
using salesight::capi::Guard;
using salesight::capi::Impl;
using salesight::capi::NullArgument;
using salesight::capi::ToHandle;

salesight_status salesight_dataset_create(salesight_dataset** out) {
  return Guard([&]() -> salesight_status {
    if (out == nullptr) return NullArgument("salesight_dataset_create", "out");
    *out = ToHandle(new DatasetImpl());
    return SALESIGHT_OK;
  });
}

void salesight_dataset_destroy(salesight_dataset* dataset) { delete Impl(dataset); }

salesight_status salesight_dataset_add_table(salesight_dataset* dataset,
                                             const salesight_table* table) {
  return Guard([&]() -> salesight_status {
    constexpr const char* kFn = "salesight_dataset_add_table";
    if (dataset == nullptr) return NullArgument(kFn, "dataset");
    if (table == nullptr) return NullArgument(kFn, "table");
    DatasetImpl& d = *Impl(dataset);
    const salesight::capi::TableImpl& t = *Impl(table);
    salesight::DatasetTables tables = d.tables;
    if (!salesight::capi::Place(tables, t)) {
      return Fail(SALESIGHT_ERR_INVALID_ARGUMENT,
                  absl::StrFormat("%s: the dataset already has a table of kind %d (one per kind)",
                                  kFn, t.kind));
    }
    absl::StatusOr<salesight::Dataset> built = salesight::Dataset::Build(tables);
    if (!built.ok()) return FromStatus(built.status());  // the dataset is unchanged
    d.tables = std::move(tables);
    d.data = *std::move(built);
    return SALESIGHT_OK;
  });
}

salesight_status salesight_dataset_append_table(salesight_dataset* dataset,
                                                const salesight_table* table) {
  return Guard([&]() -> salesight_status {
    constexpr const char* kFn = "salesight_dataset_append_table";
    if (dataset == nullptr) return NullArgument(kFn, "dataset");
    if (table == nullptr) return NullArgument(kFn, "table");
    DatasetImpl& d = *Impl(dataset);
    const salesight::capi::TableImpl& t = *Impl(table);
    if (t.kind != SALESIGHT_TABLE_ORDERS) {
      return Fail(SALESIGHT_ERR_INVALID_ARGUMENT,
                  absl::StrFormat("%s: only order lines (SALESIGHT_TABLE_ORDERS) are appended; "
                                  "the table is of kind %d",
                                  kFn, t.kind));
    }
    salesight::capi::EnsureNarrowed(t);
    if (absl::Status s = d.data.AppendOrders(std::get<salesight::OrderLines>(t.table)); !s.ok()) {
      return FromStatus(s);  // the dataset is unchanged
    }
    // A later add builds the dataset again from `tables`: their orders are
    // the appended ones (a snapshot of the dataset keeps them alive).
    auto snapshot = std::make_shared<const salesight::Dataset>(d.data);
    d.tables.orders = std::shared_ptr<const salesight::OrderLines>(snapshot, snapshot->orders());
    return SALESIGHT_OK;
  });
}

namespace salesight::capi {

salesight_status ReadOptionSettings(const char* fn, const char* const* option_names,
                                    const char* const* option_values, int32_t num_options,
                                    std::vector<std::pair<std::string, std::string>>* out) {
  if (num_options < 0 || num_options > kMaxOptions) {
    return Fail(SALESIGHT_ERR_INVALID_ARGUMENT,
                absl::StrFormat("%s: num_options %d is not in 0..%d", fn, num_options, kMaxOptions));
  }
  if (num_options > 0 && (option_names == nullptr || option_values == nullptr)) {
    return NullArgument(fn, option_names == nullptr ? "option_names" : "option_values");
  }
  for (int32_t i = 0; i < num_options; ++i) {
    if (option_names[i] == nullptr || option_values[i] == nullptr) {
      return Fail(SALESIGHT_ERR_INVALID_ARGUMENT,
                  absl::StrFormat("%s: option %d has a NULL name or value", fn, i));
    }
    out->emplace_back(option_names[i], option_values[i]);
  }
  return SALESIGHT_OK;
}

// With out == NULL only checks that `output` is declared.
salesight_status ResultOutput(const char* fn, std::string_view calculator, ResultSet result,
                              const char* output, salesight_result** out) {
  absl::StatusOr<const CalculatorSpec*> spec = FindCalculator(calculator);
  if (!spec.ok()) return FromStatus(spec.status());
  const std::string wanted = output != nullptr ? output : std::string((*spec)->outputs[0]);
  std::vector<std::string> outputs((*spec)->outputs.begin(), (*spec)->outputs.end());
  bool declared = false;
  for (const std::string& o : outputs) declared = declared || o == wanted;
  if (!declared) {
    return Fail(SALESIGHT_ERR_INVALID_ARGUMENT,
                absl::StrFormat("%s: '%s' is not an output of %s; its outputs: %s", fn, wanted,
                                std::string(calculator), absl::StrJoin(outputs, ", ")));
  }
  if (out == nullptr) return SALESIGHT_OK;
  for (NamedTable& t : result.tables) {
    if (t.name == wanted) return NewResult(std::move(t.table), std::move(result.problems), out);
  }
  return Fail(SALESIGHT_ERR_INVALID_ARGUMENT,
              absl::StrFormat("%s: output '%s' of %s is not available here", fn, wanted,
                              std::string(calculator)));
}

}  // namespace salesight::capi

const char* salesight_calculators_json(void) {
  // Built once; the registry never changes while the library is loaded.
  static const std::string* const kJson = new std::string(salesight::CalculatorsJson());
  return kJson->c_str();
}

salesight_status salesight_calculator_run(const salesight_dataset* dataset, const char* calculator,
                                          const char* const* option_names,
                                          const char* const* option_values, int32_t num_options,
                                          const char* output, salesight_result** out) {
  return Guard([&]() -> salesight_status {
    constexpr const char* kFn = "salesight_calculator_run";
    if (out == nullptr) return NullArgument(kFn, "out");
    *out = nullptr;
    if (dataset == nullptr) return NullArgument(kFn, "dataset");
    if (calculator == nullptr) return NullArgument(kFn, "calculator");
    absl::StatusOr<const salesight::CalculatorSpec*> spec = salesight::FindCalculator(calculator);
    if (!spec.ok()) return FromStatus(spec.status());
    salesight::OptionSettings settings;
    if (salesight_status st = salesight::capi::ReadOptionSettings(
            kFn, option_names, option_values, num_options, &settings);
        st != SALESIGHT_OK) {
      return st;
    }
    if (salesight_status st = salesight::capi::ResultOutput(kFn, calculator,
                                                            salesight::ResultSet(), output, nullptr);
        st != SALESIGHT_OK) {
      return st;  // an unknown output is refused before computing
    }
    absl::StatusOr<salesight::ResultSet> result =
        salesight::RunCalculator(**spec, Impl(dataset)->data, settings);
    if (!result.ok()) return FromStatus(result.status());
    return salesight::capi::ResultOutput(kFn, calculator, *std::move(result), output, out);
  });
}
