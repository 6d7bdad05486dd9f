// The option conversions shared by the compute and partial-state shims (see
// options_internal.hpp).
#include "options_internal.hpp"

#include <cstddef>
#include <optional>
#include <string_view>
#include <utility>

#include "absl/strings/str_format.h"
#include "capi_guard.hpp"

namespace salesight::capi {

std::vector<std::string> SplitList(const char* text) {
  std::vector<std::string> out;
  if (text == nullptr) return out;
  std::string_view rest(text);
  while (true) {
    const std::size_t comma = rest.find(',');
    std::string_view part = rest.substr(0, comma);
    while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
    while (!part.empty() && part.back() == ' ') part.remove_suffix(1);
    if (!part.empty()) out.emplace_back(part);
    if (comma == std::string_view::npos) break;
    rest.remove_prefix(comma + 1);
  }
  return out;
}

salesight_status BadOption(const char* what, std::int64_t value) {
  return Fail(SALESIGHT_ERR_INVALID_ARGUMENT,
              absl::StrFormat("option %s = %d is not a valid value", what, value));
}

salesight_status CheckReserved(std::int32_t reserved, const char* what) {
  if (reserved == 0) return SALESIGHT_OK;
  return Fail(SALESIGHT_ERR_UNSUPPORTED,
              absl::StrFormat("%s.reserved must be 0 in this version", what));
}

salesight_status CheckThreads(std::int32_t num_threads) {
  return num_threads < 0 ? BadOption("num_threads", num_threads) : SALESIGHT_OK;
}

bool GrainFromPeriodCode(std::int32_t code, std::optional<Grain>* out) {
  switch (code) {
    case SALESIGHT_PERIOD_NONE: *out = std::nullopt; return true;
    case SALESIGHT_PERIOD_DAY: *out = GrainUnit::kDay; return true;
    case SALESIGHT_PERIOD_WEEK: *out = GrainUnit::kIsoWeek; return true;
    case SALESIGHT_PERIOD_MONTH: *out = GrainUnit::kMonth; return true;
    case SALESIGHT_PERIOD_QUARTER: *out = GrainUnit::kQuarter; return true;
    case SALESIGHT_PERIOD_YEAR: *out = GrainUnit::kYear; return true;
    default: return false;
  }
}

// ------------------------------------------------------------------- rfm

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
  o.by = nullptr;
  o.by_scope = SALESIGHT_RFM_BY_LINES;
  o.clv_model = SALESIGHT_RFM_CLV_NONE;
  o.clv_time_unit = SALESIGHT_CLV_UNIT_WEEK;
  o.clv_horizon = d.clv.horizon;
  o.value_measure = SALESIGHT_RFM_VALUE_MONETARY;
  o.clv_discount = d.clv.discount;
  o.clv_margin = d.clv.margin;
  return o;
}

salesight_status ToRfmOptions(const salesight_rfm_options& o, RfmOptions* r) {
  r->as_of = o.as_of;
  if (o.window_days < 0) return BadOption("salesight_rfm_options.window_days", o.window_days);
  r->window_days = o.window_days;
  switch (o.frequency) {
    case SALESIGHT_RFM_FREQUENCY_ORDERS: r->frequency = RfmFrequency::kOrders; break;
    case SALESIGHT_RFM_FREQUENCY_DAYS: r->frequency = RfmFrequency::kDays; break;
    default: return BadOption("salesight_rfm_options.frequency", o.frequency);
  }
  switch (o.monetary) {
    case SALESIGHT_RFM_MONETARY_REVENUE: r->monetary = RfmMonetary::kRevenue; break;
    case SALESIGHT_RFM_MONETARY_MARGIN: r->monetary = RfmMonetary::kMargin; break;
    default: return BadOption("salesight_rfm_options.monetary", o.monetary);
  }
  r->aggregation = o.mean_per_order ? RfmAggregation::kMeanPerOrder : RfmAggregation::kSum;
  r->purchase = o.all_lines_are_purchases ? RfmPurchase::kAllLines
                                          : RfmPurchase::kNonNegativeAmount;
  if (o.k < 1 || o.k > 100) return BadOption("salesight_rfm_options.k", o.k);
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
    default: return BadOption("salesight_rfm_options.scoring", o.scoring);
  }
  switch (o.segments) {
    case SALESIGHT_RFM_SEGMENTS_TIERS: r->segments = RfmSegments::kTiers; break;
    case SALESIGHT_RFM_SEGMENTS_CLASSIC: r->segments = RfmSegments::kClassic; break;
    case SALESIGHT_RFM_SEGMENTS_WORKLOAD: r->segments = RfmSegments::kWorkload; break;
    case SALESIGHT_RFM_SEGMENTS_RELATIVE_TIERS: r->segments = RfmSegments::kRelativeTiers; break;
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
    default: return BadOption("salesight_rfm_options.segments", o.segments);
  }
  switch (o.language) {
    case SALESIGHT_LANG_EN: r->language = RfmLanguage::kEn; break;
    case SALESIGHT_LANG_ZH: r->language = RfmLanguage::kZh; break;
    default: return BadOption("salesight_rfm_options.language", o.language);
  }
  if (o.num_threads < 0) return BadOption("salesight_rfm_options.num_threads", o.num_threads);
  r->num_threads = o.num_threads;
  r->by = o.by != nullptr ? o.by : "";
  switch (o.by_scope) {
    case SALESIGHT_RFM_BY_LINES: r->by_scope = RfmByScope::kLines; break;
    case SALESIGHT_RFM_BY_CUSTOMER: r->by_scope = RfmByScope::kCustomer; break;
    default: return BadOption("salesight_rfm_options.by_scope", o.by_scope);
  }
  switch (o.clv_model) {
    case SALESIGHT_RFM_CLV_NONE: r->clv.model = RfmClvModel::kNone; break;
    case SALESIGHT_RFM_CLV_BGNBD: r->clv.model = RfmClvModel::kBgNbd; break;
    case SALESIGHT_RFM_CLV_PARETO_NBD: r->clv.model = RfmClvModel::kParetoNbd; break;
    default: return BadOption("salesight_rfm_options.clv_model", o.clv_model);
  }
  switch (o.clv_time_unit) {
    case SALESIGHT_CLV_UNIT_DAY: r->clv.time_unit = "day"; break;
    case SALESIGHT_CLV_UNIT_WEEK: r->clv.time_unit = "week"; break;
    case SALESIGHT_CLV_UNIT_MONTH: r->clv.time_unit = "month"; break;
    default: return BadOption("salesight_rfm_options.clv_time_unit", o.clv_time_unit);
  }
  switch (o.value_measure) {
    case SALESIGHT_RFM_VALUE_MONETARY: r->value = RfmValue::kMonetary; break;
    case SALESIGHT_RFM_VALUE_CLV: r->value = RfmValue::kClv; break;
    default: return BadOption("salesight_rfm_options.value_measure", o.value_measure);
  }
  // horizon, discount and margin: checked with the rest of the CLV options (rfm.hpp).
  r->clv.horizon = o.clv_horizon;
  r->clv.discount = o.clv_discount;
  r->clv.margin = o.clv_margin;
  return CheckReserved(o.reserved2, "salesight_rfm_options");
}

// ------------------------------------------------------------------ funnel

salesight_funnel_options DefaultFunnelOptions() {
  const FunnelOptions d;
  salesight_funnel_options o{};
  o.struct_size = static_cast<uint32_t>(sizeof(o));
  o.mode = SALESIGHT_FUNNEL_COHORT;
  o.from = d.from;
  o.to = d.to;
  o.as_of = d.as_of;
  o.period = SALESIGHT_PERIOD_NONE;
  o.compare = SALESIGHT_COMPARE_NONE;
  o.implied_reached = d.implied_reached ? 1 : 0;
  o.include_backwards_gaps = d.include_backwards_gaps ? 1 : 0;
  o.compute_outcomes = d.compute_outcomes ? 1 : 0;
  o.compute_bottlenecks = d.compute_bottlenecks ? 1 : 0;
  o.num_threads = d.num_threads;
  o.bottleneck_margin = d.bottleneck_margin;
  o.bottleneck_min_sample = d.bottleneck_min_sample;
  o.output = SALESIGHT_FUNNEL_OUTPUT_TABLE;
  return o;
}

salesight_status ToFunnelOptions(const salesight_funnel_options& o, FunnelOptions* f) {
  switch (o.mode) {
    case SALESIGHT_FUNNEL_COHORT: f->mode = FunnelMode::kCohort; break;
    case SALESIGHT_FUNNEL_ACTIVITY: f->mode = FunnelMode::kActivity; break;
    case SALESIGHT_FUNNEL_SNAPSHOT: f->mode = FunnelMode::kSnapshot; break;
    default: return BadOption("salesight_funnel_options.mode", o.mode);
  }
  f->from = o.from;
  f->to = o.to;
  f->as_of = o.as_of;
  if (!GrainFromPeriodCode(o.period, &f->period)) {
    return BadOption("salesight_funnel_options.period", o.period);
  }
  switch (o.compare) {
    case SALESIGHT_COMPARE_NONE: f->compare = FunnelCompare::kNone; break;
    case SALESIGHT_COMPARE_PREVIOUS: f->compare = FunnelCompare::kPreviousPeriod; break;
    case SALESIGHT_COMPARE_LAST_YEAR: f->compare = FunnelCompare::kSamePeriodLastYear; break;
    default: return BadOption("salesight_funnel_options.compare", o.compare);
  }
  // Dimension names; the pipeline resolves them (unknown names are refused
  // with the valid ones listed).
  for (const std::string& key : SplitList(o.group_by)) f->group_by.push_back(key);
  f->implied_reached = o.implied_reached != 0;
  f->include_backwards_gaps = o.include_backwards_gaps != 0;
  f->compute_outcomes = o.compute_outcomes != 0;
  f->compute_bottlenecks = o.compute_bottlenecks != 0;
  if (o.won_stage != nullptr) f->won_stage = o.won_stage;
  if (o.qualified_stage != nullptr) f->qualified_stage = o.qualified_stage;
  f->bottleneck_margin = o.bottleneck_margin;
  f->bottleneck_min_sample = o.bottleneck_min_sample;
  if (o.num_threads < 0) return BadOption("salesight_funnel_options.num_threads", o.num_threads);
  f->num_threads = o.num_threads;
  return SALESIGHT_OK;
}

// ------------------------------------------------------------------ margin

salesight_margin_options DefaultMarginOptions() {
  salesight_margin_options o{};
  o.struct_size = static_cast<uint32_t>(sizeof(o));
  o.from = kNoDate;
  o.to = kNoDate;
  o.as_of = kNoDate;
  o.group_by = nullptr;
  o.num_threads = 1;
  o.rank_metric = SALESIGHT_METRIC_MARGIN;
  o.rank_n = 10;
  o.no_sale_days = 90;
  return o;
}

salesight_status ToGrouping(const char* group_by, MarginGrouping* g) {
  if (group_by == nullptr) return SALESIGHT_OK;  // the default: by product
  absl::StatusOr<MarginGrouping> parsed = ParseMarginGrouping(group_by);
  if (!parsed.ok()) {
    return Fail(SALESIGHT_ERR_INVALID_ARGUMENT,
                absl::StrFormat("salesight_margin_options.group_by: %s", parsed.status().message()));
  }
  *g = *std::move(parsed);
  return SALESIGHT_OK;
}

salesight_status ToMarginOptions(const salesight_margin_options& o, MarginOptions* m) {
  if (o.num_threads < 0) return BadOption("salesight_margin_options.num_threads", o.num_threads);
  if (salesight_status st = ToGrouping(o.group_by, &m->group_by); st != SALESIGHT_OK) return st;
  m->from = o.from;
  m->to = o.to;
  m->product_cost_order = o.tier_cost_first ? ProductCostOrder::kTierThenStandard
                                            : ProductCostOrder::kStandardThenTier;
  m->unknown_cost = o.unknown_cost_error ? UnknownCostPolicy::kError : UnknownCostPolicy::kExclude;
  m->margin_share_sign =
      o.plain_margin_share ? MarginShareSign::kPlainRatio : MarginShareSign::kSignOfGroup;
  m->num_threads = o.num_threads;
  return SALESIGHT_OK;
}

}  // namespace salesight::capi
