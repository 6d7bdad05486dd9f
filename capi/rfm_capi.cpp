// salesight_rfm_*: the C options to RfmOptions, the orders handle to
// ComputeRfm, and one of its result tables to a result handle.
#include <cstddef>
#include <string>
#include <utility>

#include "absl/strings/str_format.h"
#include "capi_guard.hpp"
#include "capi_internal.hpp"
#include "options_internal.hpp"
#include "salesight.h"
#include "salesight/new_customers.hpp"
#include "salesight/rfm.hpp"
#include "salesight/rfm_wide.hpp"

static_assert(sizeof(salesight_rfm_options) ==
                  offsetof(salesight_rfm_options, clv_margin) + sizeof(double),
              "salesight_rfm_options has tail padding");

using salesight::capi::Fail;
using salesight::capi::FromStatus;
using salesight::capi::Guard;
using salesight::capi::NullArgument;

namespace salesight::capi {
namespace {

salesight_status RfmCompute(const salesight_table* orders_handle,
                            const salesight_rfm_options* options, salesight_result** out) {
  constexpr const char* kFn = "salesight_rfm_compute";
  if (out == nullptr) return NullArgument(kFn, "out");
  *out = nullptr;
  // A kept-wide table (salesight_table_builder_set_keep_wide) is scanned as
  // it is when the options need only the one population without CLV; any
  // other use narrows it first (TableAs).
  const WideOrders* wide = orders_handle != nullptr ? Impl(orders_handle)->wide.get() : nullptr;
  const OrderLines* orders = nullptr;
  auto narrowed = [&]() { return TableAs(orders_handle, kFn, "orders", &orders); };
  if (wide == nullptr) {
    if (salesight_status st = narrowed(); st != SALESIGHT_OK) return st;
  }
  salesight_rfm_options o = DefaultRfmOptions();
  if (salesight_status st = ReadOptions(options, &o, "salesight_rfm_options"); st != SALESIGHT_OK) {
    return st;
  }
  if (salesight_status st = CheckReserved(o.reserved, "salesight_rfm_options");
      st != SALESIGHT_OK) {
    return st;
  }
  if (o.output < SALESIGHT_RFM_OUTPUT_CUSTOMERS || o.output > SALESIGHT_RFM_OUTPUT_NEW_RETURNING) {
    return BadOption("salesight_rfm_options.output", o.output);
  }
  RfmOptions r;
  if (salesight_status st = ToRfmOptions(o, &r); st != SALESIGHT_OK) return st;
  if (!r.by.empty() && o.output == SALESIGHT_RFM_OUTPUT_NEW_RETURNING) {
    return Fail(SALESIGHT_ERR_INVALID_ARGUMENT,
                "salesight_rfm_compute: the NEW_RETURNING output takes no `by`");
  }
  if (wide != nullptr && (o.output == SALESIGHT_RFM_OUTPUT_NEW_RETURNING || !r.by.empty() ||
                          r.clv.model != RfmClvModel::kNone)) {
    if (salesight_status st = narrowed(); st != SALESIGHT_OK) return st;
    wide = nullptr;
  }
  if (o.output == SALESIGHT_RFM_OUTPUT_NEW_RETURNING) {
    // Kept for ABI compatibility: new_customers is its own calculator now
    // (salesight_calculator_run(dataset, "new_customers", ...)).
    NewCustomersOptions n;
    n.as_of = r.as_of;
    n.window_days = r.window_days;
    n.all_lines_are_purchases = r.purchase == RfmPurchase::kAllLines;
    absl::StatusOr<NewCustomersResult> t = ComputeNewCustomers(*orders, n);
    if (!t.ok()) return FromStatus(t.status());
    return NewResult(ToResultTable(*t), out);
  }
  absl::StatusOr<RfmResult> result =
      wide != nullptr ? ComputeRfmWide(wide->shadow, wide->keys, r) : ComputeRfm(*orders, r);
  if (!result.ok()) return FromStatus(result.status());
  switch (o.output) {
    case SALESIGHT_RFM_OUTPUT_DETAIL: return NewResult(ToResultTable(*result, true), out);
    case SALESIGHT_RFM_OUTPUT_SEGMENTS: {
      absl::StatusOr<RfmSegmentSummary> s = SummarizeSegments(*result);
      if (!s.ok()) return FromStatus(s.status());
      return NewResult(ToResultTable(*s), out);
    }
    case SALESIGHT_RFM_OUTPUT_PARETO: {
      absl::StatusOr<RfmPareto> p = ComputePareto(*result);
      if (!p.ok()) return FromStatus(p.status());
      return NewResult(ToResultTable(*p), out);
    }
    default: return NewResult(ToResultTable(*result, false), out);
  }
}

}  // namespace
}  // namespace salesight::capi

extern "C" {

salesight_status salesight_rfm_options_init(salesight_rfm_options* options, size_t struct_size) {
  return salesight::capi::InitOptions("salesight_rfm_options_init", options, struct_size,
                                      salesight::capi::DefaultRfmOptions);
}

salesight_status salesight_rfm_compute(const salesight_table* orders,
                                       const salesight_rfm_options* options,
                                       salesight_result** out) {
  return Guard([&]() -> salesight_status {
    return salesight::capi::RfmCompute(orders, options, out);
  });
}

}  // extern "C"
