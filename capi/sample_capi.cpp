// salesight_sample_*: the bundled sample data set behind table handles.
#include <memory>
#include <string>
#include <utility>

#include "absl/strings/str_format.h"
#include "capi_guard.hpp"
#include "capi_internal.hpp"
#include "salesight.h"
#include "salesight/sample.hpp"

namespace salesight::capi {
struct SampleImpl {
  SampleData data;
};
SALESIGHT_CAPI_HANDLE(salesight_sample, SampleImpl)
}  // namespace salesight::capi

using salesight::capi::Fail;
using salesight::capi::FromStatus;
using salesight::capi::Guard;
using salesight::capi::Impl;
using salesight::capi::ToHandle;
using salesight::capi::NullArgument;

namespace {

salesight_sample_options DefaultSampleOptions() {
  const salesight::SampleOptions defaults;
  salesight_sample_options o{};
  o.struct_size = static_cast<uint32_t>(sizeof(o));
  o.num_threads = defaults.num_threads;
  o.order_lines = defaults.order_lines;
  o.seed = defaults.seed;
  return o;
}

}  // namespace

extern "C" {

salesight_status salesight_sample_options_init(salesight_sample_options* options,
                                               size_t struct_size) {
  return salesight::capi::InitOptions("salesight_sample_options_init", options, struct_size,
                                      DefaultSampleOptions);
}

salesight_status salesight_sample_generate(const salesight_sample_options* options,
                                           salesight_sample** out) {
  return Guard([&]() -> salesight_status {
    constexpr const char* kFn = "salesight_sample_generate";
    if (out == nullptr) return NullArgument(kFn, "out");
    *out = nullptr;
    salesight_sample_options o = DefaultSampleOptions();
    if (salesight_status st = salesight::capi::ReadOptions(options, &o, "salesight_sample_options");
        st != SALESIGHT_OK) {
      return st;
    }
    if (o.num_threads < 0) {
      return Fail(SALESIGHT_ERR_INVALID_ARGUMENT,
                  absl::StrFormat("%s: num_threads %d is negative", kFn, o.num_threads));
    }
    salesight::SampleOptions so;
    so.order_lines = o.order_lines;
    so.seed = o.seed;
    so.num_threads = o.num_threads;
    absl::StatusOr<salesight::SampleData> data = salesight::GenerateSample(so);
    if (!data.ok()) return FromStatus(data.status());
    auto sample = std::make_unique<salesight::capi::SampleImpl>();
    sample->data = *std::move(data);
    *out = ToHandle(sample.release());
    return SALESIGHT_OK;
  });
}

void salesight_sample_destroy(salesight_sample* sample) { delete Impl(sample); }

salesight_status salesight_sample_table(const salesight_sample* sample, salesight_table_kind kind,
                                        salesight_table** out) {
  return Guard([&]() -> salesight_status {
    constexpr const char* kFn = "salesight_sample_table";
    if (out == nullptr) return NullArgument(kFn, "out");
    *out = nullptr;
    if (sample == nullptr) return NullArgument(kFn, "sample");
    auto t = std::make_unique<salesight::capi::TableImpl>();
    t->kind = kind;
    const salesight::SampleData& d = Impl(sample)->data;
    switch (kind) {
      case SALESIGHT_TABLE_ORDERS: t->table = d.orders; break;
      case SALESIGHT_TABLE_CUSTOMERS: t->table = d.customers; break;
      case SALESIGHT_TABLE_PRODUCTS: t->table = d.products; break;
      case SALESIGHT_TABLE_PIPELINE: t->table = d.pipeline; break;
      case SALESIGHT_TABLE_INVOICES: t->table = d.invoices; break;
      case SALESIGHT_TABLE_PAYMENTS: t->table = d.payments; break;
      case SALESIGHT_TABLE_TARGETS: t->table = d.targets; break;
      default:
        return Fail(SALESIGHT_ERR_INVALID_ARGUMENT,
                    absl::StrFormat("%s: %d is not a SALESIGHT_TABLE_* kind", kFn, kind));
    }
    *out = ToHandle(t.release());
    return SALESIGHT_OK;
  });
}

salesight_status salesight_sample_as_of(const salesight_sample* sample, int32_t* out) {
  return Guard([&]() -> salesight_status {
    if (sample == nullptr) return NullArgument("salesight_sample_as_of", "sample");
    if (out == nullptr) return NullArgument("salesight_sample_as_of", "out");
    *out = Impl(sample)->data.as_of;
    return SALESIGHT_OK;
  });
}

salesight_status salesight_sample_write_csv(const salesight_sample* sample, const char* dir) {
  return Guard([&]() -> salesight_status {
    if (sample == nullptr) return NullArgument("salesight_sample_write_csv", "sample");
    if (dir == nullptr) return NullArgument("salesight_sample_write_csv", "dir");
    absl::Status st = salesight::WriteSampleCsv(Impl(sample)->data, dir);
    if (!st.ok()) return Fail(SALESIGHT_ERR_IO, std::string(st.message()));
    return SALESIGHT_OK;
  });
}

}  // extern "C"
