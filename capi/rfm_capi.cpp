// salesight_rfm_*: the C options to RfmOptions, the orders handle to
// ComputeRfm, and one of its result tables to a result handle.
#include <cstddef>
#include <string>
#include <utility>

#include "absl/strings/str_format.h"
#include "capi_guard.hpp"
#include "capi_internal.hpp"
#include "salesight.h"
#include "salesight/rfm.hpp"

static_assert(sizeof(salesight_rfm_options) ==
                  offsetof(salesight_rfm_options, reserved) + sizeof(int32_t),
              "salesight_rfm_options has tail padding");

using salesight::capi::Fail;
using salesight::capi::FromStatus;
using salesight::capi::Guard;
using salesight::capi::NullArgument;

namespace salesight::capi {
namespace {

salesight_rfm_options DefaultRfmOptions() {
  const RfmOptions d;
  salesight_rfm_options o{};
  o.struct_size = static_cast<uint32_t>(sizeof(o));
  o.as_of = d.as_of;
  o.window_days = d.window_days;
  o.frequency = SALESIGHT_RFM_FREQUENCY_ORDERS;
  o.monetary = SALESIGHT_RFM_MONETARY_REVENUE;
  o.scoring = SALESIGHT_RFM_SCORING_QUANTILE;
  o.k = d.k;
  o.segments = SALESIGHT_RFM_SEGMENTS_TIERS;
  o.language = SALESIGHT_LANG_EN;
  o.num_threads = d.num_threads;
  o.output = SALESIGHT_RFM_OUTPUT_CUSTOMERS;
  return o;
}

salesight_status Bad(const char* field, std::int64_t value) {
  return Fail(SALESIGHT_ERR_INVALID_ARGUMENT,
              absl::StrFormat("salesight_rfm_options.%s = %d is not a valid value", field, value));
}

salesight_status ToRfmOptions(const salesight_rfm_options& o, RfmOptions* r) {
  r->as_of = o.as_of;
  if (o.window_days < 0) return Bad("window_days", o.window_days);
  r->window_days = o.window_days;
  switch (o.frequency) {
    case SALESIGHT_RFM_FREQUENCY_ORDERS: r->frequency = RfmFrequency::kOrders; break;
    case SALESIGHT_RFM_FREQUENCY_DAYS: r->frequency = RfmFrequency::kDays; break;
    default: return Bad("frequency", o.frequency);
  }
  switch (o.monetary) {
    case SALESIGHT_RFM_MONETARY_REVENUE: r->monetary = RfmMonetary::kRevenue; break;
    case SALESIGHT_RFM_MONETARY_MARGIN: r->monetary = RfmMonetary::kMargin; break;
    default: return Bad("monetary", o.monetary);
  }
  r->aggregation = o.mean_per_order ? RfmAggregation::kMeanPerOrder : RfmAggregation::kSum;
  r->purchase = o.all_lines_are_purchases ? RfmPurchase::kAllLines
                                          : RfmPurchase::kNonNegativeAmount;
  if (o.k < 1 || o.k > 100) return Bad("k", o.k);
  r->k = o.k;
  switch (o.scoring) {
    case SALESIGHT_RFM_SCORING_QUANTILE: r->scoring = RfmScoring::kQuantile; break;
    case SALESIGHT_RFM_SCORING_NTILE: r->scoring = RfmScoring::kNtile; break;
    case SALESIGHT_RFM_SCORING_FIXED: {
      r->scoring = RfmScoring::kFixed;
      if (o.fixed_recency_days == nullptr || o.fixed_frequency == nullptr ||
          o.fixed_monetary == nullptr) {
        return Fail(SALESIGHT_ERR_INVALID_ARGUMENT,
                    "salesight_rfm_options: FIXED scoring needs fixed_recency_days, "
                    "fixed_frequency and fixed_monetary (k-1 values each)");
      }
      const auto n = static_cast<std::size_t>(o.k - 1);
      r->fixed.recency_days.assign(o.fixed_recency_days, o.fixed_recency_days + n);
      r->fixed.frequency.assign(o.fixed_frequency, o.fixed_frequency + n);
      r->fixed.monetary.assign(o.fixed_monetary, o.fixed_monetary + n);
      break;
    }
    default: return Bad("scoring", o.scoring);
  }
  switch (o.segments) {
    case SALESIGHT_RFM_SEGMENTS_TIERS: r->segments = RfmSegments::kTiers; break;
    case SALESIGHT_RFM_SEGMENTS_CLASSIC: r->segments = RfmSegments::kClassic; break;
    case SALESIGHT_RFM_SEGMENTS_WORKLOAD: r->segments = RfmSegments::kWorkload; break;
    case SALESIGHT_RFM_SEGMENTS_CUSTOM: {
      r->segments = RfmSegments::kCustom;
      if (o.rules == nullptr) {
        return Fail(SALESIGHT_ERR_INVALID_ARGUMENT,
                    "salesight_rfm_options: CUSTOM segments need the `rules` text");
      }
      absl::StatusOr<RfmRuleTable> rules = ParseRuleTable(o.rules);
      if (!rules.ok()) return FromStatus(rules.status());
      r->custom_rules = *std::move(rules);
      break;
    }
    default: return Bad("segments", o.segments);
  }
  switch (o.language) {
    case SALESIGHT_LANG_EN: r->language = RfmLanguage::kEn; break;
    case SALESIGHT_LANG_ZH: r->language = RfmLanguage::kZh; break;
    default: return Bad("language", o.language);
  }
  if (o.num_threads < 0) return Bad("num_threads", o.num_threads);
  r->num_threads = o.num_threads;
  return SALESIGHT_OK;
}

salesight_status RfmCompute(const salesight_table* orders_handle,
                            const salesight_rfm_options* options, salesight_result** out) {
  constexpr const char* kFn = "salesight_rfm_compute";
  if (out == nullptr) return NullArgument(kFn, "out");
  *out = nullptr;
  const OrderLines* orders = nullptr;
  if (salesight_status st = TableAs(orders_handle, kFn, "orders", &orders); st != SALESIGHT_OK) {
    return st;
  }
  salesight_rfm_options o = DefaultRfmOptions();
  if (salesight_status st = ReadOptions(options, &o, "salesight_rfm_options"); st != SALESIGHT_OK) {
    return st;
  }
  if (o.reserved != 0) {
    return Fail(SALESIGHT_ERR_UNSUPPORTED, "salesight_rfm_options.reserved must be 0");
  }
  if (o.output < SALESIGHT_RFM_OUTPUT_CUSTOMERS || o.output > SALESIGHT_RFM_OUTPUT_NEW_RETURNING) {
    return Bad("output", o.output);
  }
  RfmOptions r;
  if (salesight_status st = ToRfmOptions(o, &r); st != SALESIGHT_OK) return st;
  if (o.output == SALESIGHT_RFM_OUTPUT_NEW_RETURNING) {
    absl::StatusOr<RfmNewReturning> t = ComputeNewVsReturning(*orders, r, RfmPeriod::kMonth);
    if (!t.ok()) return FromStatus(t.status());
    return NewResult(ToResultTable(*t), out);
  }
  absl::StatusOr<RfmResult> result = ComputeRfm(*orders, r);
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

salesight_status salesight_rfm_options_init(salesight_rfm_options* options) {
  return Guard([&]() -> salesight_status {
    if (options == nullptr) return NullArgument("salesight_rfm_options_init", "options");
    *options = salesight::capi::DefaultRfmOptions();
    return SALESIGHT_OK;
  });
}

salesight_status salesight_rfm_compute(const salesight_table* orders,
                                       const salesight_rfm_options* options,
                                       salesight_result** out) {
  return Guard([&]() -> salesight_status {
    return salesight::capi::RfmCompute(orders, options, out);
  });
}

}  // extern "C"
