// salesight_funnel_*, salesight_margin_*, salesight_quote_*: option structs to
// C++ options, tables to calculators, results to result handles. No logic of
// its own beyond translation.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/strings/str_format.h"
#include "capi_guard.hpp"
#include "capi_internal.hpp"
#include "options_internal.hpp"
#include "salesight.h"
#include "salesight/funnel.hpp"
#include "salesight/margin.hpp"
#include "salesight/quote_check.hpp"

// No option struct has tail padding: a newer header appending an int32 must
// grow sizeof, or the struct_size check could not see the new field.
#define SALESIGHT_NO_TAIL_PADDING(T, last) \
  static_assert(sizeof(T) == offsetof(T, last) + sizeof(T::last), #T " has tail padding")
SALESIGHT_NO_TAIL_PADDING(salesight_sample_options, seed);
SALESIGHT_NO_TAIL_PADDING(salesight_csv_options, reserved3);
SALESIGHT_NO_TAIL_PADDING(salesight_funnel_options, reserved);
SALESIGHT_NO_TAIL_PADDING(salesight_margin_options, reserved);
SALESIGHT_NO_TAIL_PADDING(salesight_quote_options, language);

namespace salesight::capi {
struct QuoteIndexImpl {
  QuoteIndex index;
  MarginLabelLanguage language = MarginLabelLanguage::kEnglish;
};
SALESIGHT_CAPI_HANDLE(salesight_quote_index, QuoteIndexImpl)
}  // namespace salesight::capi

using salesight::capi::Fail;
using salesight::capi::FromStatus;
using salesight::capi::Guard;
using salesight::capi::Impl;
using salesight::capi::NullArgument;

namespace salesight::capi {
namespace {

salesight_status Emit(ResultTable table, salesight_result** out) {
  return NewResult(std::move(table), out);
}
salesight_status Emit(ResultTable table, DataProblems problems, salesight_result** out) {
  return NewResult(std::move(table), std::move(problems), out);
}

// ------------------------------------------------------------------ funnel

salesight_status FunnelCompute(const salesight_table* pipeline,
                               const salesight_funnel_options* options, salesight_result** out) {
  constexpr const char* kFn = "salesight_funnel_compute";
  if (out == nullptr) return NullArgument(kFn, "out");
  *out = nullptr;
  const Pipeline* p = nullptr;
  if (salesight_status st = TableAs(pipeline, kFn, "pipeline", &p); st != SALESIGHT_OK) return st;
  salesight_funnel_options o = DefaultFunnelOptions();
  if (salesight_status st = ReadOptions(options, &o, "salesight_funnel_options");
      st != SALESIGHT_OK) {
    return st;
  }
  if (salesight_status st = CheckReserved(o.reserved, "salesight_funnel_options");
      st != SALESIGHT_OK) {
    return st;
  }
  if (o.output == SALESIGHT_FUNNEL_OUTPUT_WORKLOAD_OVERALL ||
      o.output == SALESIGHT_FUNNEL_OUTPUT_WORKLOAD_GROUP) {
    if (salesight_status st = CheckThreads(o.num_threads); st != SALESIGHT_OK) return st;
    absl::StatusOr<FunnelWorkloadTable> table = ComputeFunnelWorkload(
        Dataset::Of(*p),
        o.output == SALESIGHT_FUNNEL_OUTPUT_WORKLOAD_OVERALL ? FunnelWorkloadOutput::kOverall
                                                             : FunnelWorkloadOutput::kGroup,
        o.num_threads);
    if (!table.ok()) return FromStatus(table.status());
    return Emit(std::move(table->table), std::move(table->problems), out);
  }
  FunnelOptions f;
  if (salesight_status st = ToFunnelOptions(o, &f); st != SALESIGHT_OK) return st;
  if (o.output < SALESIGHT_FUNNEL_OUTPUT_TABLE || o.output > SALESIGHT_FUNNEL_OUTPUT_BOTTLENECKS) {
    return BadOption("salesight_funnel_options.output", o.output);
  }
  absl::StatusOr<FunnelResult> result = ComputeFunnel(*p, f);
  if (!result.ok()) return FromStatus(result.status());
  DataProblems problems = FunnelProblems(*result);
  switch (o.output) {
    case SALESIGHT_FUNNEL_OUTPUT_DETAILED:
      return Emit(ToDetailedResultTable(*result), std::move(problems), out);
    case SALESIGHT_FUNNEL_OUTPUT_BOTTLENECKS:
      return Emit(BottlenecksToResultTable(*result), std::move(problems), out);
    default: return Emit(ToResultTable(*result), std::move(problems), out);
  }
}

// ------------------------------------------------------------------ margin

salesight_status MetricOf(std::int32_t m, MarginMetric* out) {
  switch (m) {
    case SALESIGHT_METRIC_REVENUE: *out = MarginMetric::kRevenue; return SALESIGHT_OK;
    case SALESIGHT_METRIC_QUANTITY: *out = MarginMetric::kQuantity; return SALESIGHT_OK;
    case SALESIGHT_METRIC_MARGIN: *out = MarginMetric::kMargin; return SALESIGHT_OK;
    case SALESIGHT_METRIC_MARGIN_PCT: *out = MarginMetric::kMarginPct; return SALESIGHT_OK;
    default: return BadOption("salesight_margin_options.rank_metric", m);
  }
}

salesight_status MarginCompute(const salesight_table* orders_handle,
                               const salesight_table* products_handle,
                               const salesight_margin_options* options, salesight_result** out) {
  constexpr const char* kFn = "salesight_margin_compute";
  if (out == nullptr) return NullArgument(kFn, "out");
  *out = nullptr;
  const OrderLines* orders = nullptr;
  if (salesight_status st = TableAs(orders_handle, kFn, "orders", &orders); st != SALESIGHT_OK) {
    return st;
  }
  const Products* products = nullptr;
  if (products_handle != nullptr) {
    if (salesight_status st = TableAs(products_handle, kFn, "products", &products);
        st != SALESIGHT_OK) {
      return st;
    }
  }
  salesight_margin_options o = DefaultMarginOptions();
  if (salesight_status st = ReadOptions(options, &o, "salesight_margin_options");
      st != SALESIGHT_OK) {
    return st;
  }
  if (salesight_status st = CheckReserved(o.reserved, "salesight_margin_options");
      st != SALESIGHT_OK) {
    return st;
  }
  if (salesight_status st = CheckThreads(o.num_threads); st != SALESIGHT_OK) return st;
  if (o.language != SALESIGHT_LANG_EN && o.language != SALESIGHT_LANG_ZH) {
    return BadOption("salesight_margin_options.language", o.language);
  }
  if (o.abc < 0 || o.abc > SALESIGHT_METRIC_MARGIN + 1 ||
      o.abc == SALESIGHT_METRIC_QUANTITY + 1) {
    return BadOption("salesight_margin_options.abc", o.abc);
  }
  if (o.rank_n < 0) return BadOption("salesight_margin_options.rank_n", o.rank_n);
  const MarginLabelLanguage language =
      o.language == SALESIGHT_LANG_ZH ? MarginLabelLanguage::kChinese
                                      : MarginLabelLanguage::kEnglish;
  MarginOptions m;
  if (salesight_status st = ToMarginOptions(o, &m); st != SALESIGHT_OK) return st;

  // Quadrant level: categories when the grouping is exactly one category.
  const bool by_category = m.group_by.dimensions.size() == 1 &&
                           m.group_by.dimensions[0] == "category";
  auto quadrant = [&]() -> absl::StatusOr<QuadrantResult> {
    QuadrantOptions q;
    q.level = by_category ? QuadrantLevel::kCategory : QuadrantLevel::kProduct;
    q.period_end = o.as_of;
    q.product_cost_order = m.product_cost_order;
    q.num_threads = o.num_threads;
    return ComputeQuadrant(*orders, products, q);
  };

  switch (o.output) {
    case SALESIGHT_MARGIN_OUTPUT_QUADRANT: {
      absl::StatusOr<QuadrantResult> q = quadrant();
      if (!q.ok()) return FromStatus(q.status());
      return Emit(ToResultTable(*q, language), out);
    }
    case SALESIGHT_MARGIN_OUTPUT_SLOW_MOVERS: {
      SlowMoverOptions s;
      s.as_of = o.as_of;
      s.no_sale_days = o.no_sale_days;
      s.num_threads = o.num_threads;
      absl::StatusOr<SlowMoverResult> r = FindSlowMovers(*orders, products, s);
      if (!r.ok()) return FromStatus(r.status());
      return Emit(ToResultTable(*r), out);
    }
    case SALESIGHT_MARGIN_OUTPUT_TABLE:
    case SALESIGHT_MARGIN_OUTPUT_RANKING:
    case SALESIGHT_MARGIN_OUTPUT_ABC: break;
    default: return BadOption("salesight_margin_options.output", o.output);
  }
  absl::StatusOr<MarginResult> result = ComputeMargin(*orders, products, m);
  if (!result.ok()) return FromStatus(result.status());
  if (o.output == SALESIGHT_MARGIN_OUTPUT_RANKING) {
    MarginRankOptions r;
    if (salesight_status st = MetricOf(o.rank_metric, &r.metric); st != SALESIGHT_OK) return st;
    r.order = o.rank_bottom ? MarginRankOrder::kBottom : MarginRankOrder::kTop;
    r.n = static_cast<std::size_t>(o.rank_n);
    absl::StatusOr<MarginRanking> ranking = RankMargin(*result, r);
    if (!ranking.ok()) return FromStatus(ranking.status());
    return Emit(ToResultTable(*ranking, *result), MarginProblems(*result), out);
  }
  std::optional<AbcResult> abc;
  if (o.abc != 0 || o.output == SALESIGHT_MARGIN_OUTPUT_ABC) {
    AbcOptions a;
    a.metric = o.abc == SALESIGHT_METRIC_MARGIN + 1 ? AbcMetric::kMargin : AbcMetric::kRevenue;
    absl::StatusOr<AbcResult> r = ClassifyAbc(*result, a);
    if (!r.ok()) return FromStatus(r.status());
    abc = *std::move(r);
  }
  if (o.output == SALESIGHT_MARGIN_OUTPUT_ABC) {
    return Emit(ToResultTable(*abc, *result), MarginProblems(*result), out);
  }
  std::optional<QuadrantResult> q;
  if (o.quadrant != 0) {
    absl::StatusOr<QuadrantResult> r = quadrant();
    if (!r.ok()) return FromStatus(r.status());
    q = *std::move(r);
  }
  MarginTableOptions t;
  t.abc = abc ? &*abc : nullptr;
  t.quadrant = q ? &*q : nullptr;
  t.language = language;
  return Emit(ToResultTable(*result, t), MarginProblems(*result), out);
}

// ------------------------------------------------------------------ quote

salesight_quote_options DefaultQuoteOptions() {
  const QuoteIndexOptions d;
  salesight_quote_options o{};
  o.struct_size = static_cast<uint32_t>(sizeof(o));
  o.tier_cost_first = d.cost_order == ProductCostOrder::kTierThenStandard ? 1 : 0;
  o.margin_floor_pct = d.margin_floor_pct;
  o.receivables_as_of = kNoDate;
  o.language = SALESIGHT_LANG_EN;
  return o;
}

// An unknown code or a product without a cost is the caller's input, not a
// missing file: INVALID_ARGUMENT rather than FromStatus's IO for NotFound.
salesight_status QuoteError(const absl::Status& st) {
  if (st.code() == absl::StatusCode::kNotFound) {
    return Fail(SALESIGHT_ERR_INVALID_ARGUMENT, std::string(st.message()));
  }
  return FromStatus(st);
}

salesight_status QuoteIndexCreate(const salesight_table* products_handle,
                                  const salesight_table* customers_handle,
                                  const salesight_table* invoices_handle,
                                  const salesight_table* payments_handle,
                                  const salesight_quote_options* options,
                                  salesight_quote_index** out) {
  constexpr const char* kFn = "salesight_quote_index_create";
  if (out == nullptr) return NullArgument(kFn, "out");
  *out = nullptr;
  const Products* products = nullptr;
  const Customers* customers = nullptr;
  const Invoices* invoices = nullptr;
  const Payments* payments = nullptr;
  if (salesight_status st = TableAs(products_handle, kFn, "products", &products);
      st != SALESIGHT_OK) {
    return st;
  }
  if (salesight_status st = TableAs(customers_handle, kFn, "customers", &customers);
      st != SALESIGHT_OK) {
    return st;
  }
  if (invoices_handle != nullptr) {
    if (salesight_status st = TableAs(invoices_handle, kFn, "invoices", &invoices);
        st != SALESIGHT_OK) {
      return st;
    }
  }
  if (payments_handle != nullptr) {
    if (invoices == nullptr) {
      return Fail(SALESIGHT_ERR_INVALID_ARGUMENT,
                  absl::StrFormat("%s: payments need their invoices table", kFn));
    }
    if (salesight_status st = TableAs(payments_handle, kFn, "payments", &payments);
        st != SALESIGHT_OK) {
      return st;
    }
  }
  salesight_quote_options o = DefaultQuoteOptions();
  if (salesight_status st = ReadOptions(options, &o, "salesight_quote_options");
      st != SALESIGHT_OK) {
    return st;
  }
  if (o.language != SALESIGHT_LANG_EN && o.language != SALESIGHT_LANG_ZH) {
    return BadOption("salesight_quote_options.language", o.language);
  }
  OpenReceivables receivables;
  if (invoices != nullptr) {
    Day as_of = o.receivables_as_of;
    if (as_of == kNoDate) {
      // Default: everything invoiced so far is known.
      for (Day d : invoices->columns().invoice_date) as_of = as_of == kNoDate || d > as_of ? d : as_of;
    }
    if (as_of != kNoDate) {
      absl::StatusOr<OpenReceivables> r = OpenReceivablesFromInvoices(*invoices, payments, as_of);
      if (!r.ok()) return QuoteError(r.status());
      receivables = *std::move(r);
    }
  }
  QuoteIndexOptions q;
  q.margin_floor_pct = o.margin_floor_pct;
  q.cost_order = o.tier_cost_first ? ProductCostOrder::kTierThenStandard
                                   : ProductCostOrder::kStandardThenTier;
  absl::StatusOr<QuoteIndex> index = QuoteIndex::Build(*products, *customers, receivables, q);
  if (!index.ok()) return QuoteError(index.status());
  auto handle = std::make_unique<QuoteIndexImpl>();
  handle->index = *std::move(index);
  handle->language = o.language == SALESIGHT_LANG_ZH ? MarginLabelLanguage::kChinese
                                                     : MarginLabelLanguage::kEnglish;
  *out = ToHandle(handle.release());
  return SALESIGHT_OK;
}

}  // namespace
}  // namespace salesight::capi

extern "C" {

salesight_status salesight_funnel_options_init(salesight_funnel_options* options,
                                               size_t struct_size) {
  return salesight::capi::InitOptions("salesight_funnel_options_init", options, struct_size,
                                      salesight::capi::DefaultFunnelOptions);
}

salesight_status salesight_funnel_compute(const salesight_table* pipeline,
                                          const salesight_funnel_options* options,
                                          salesight_result** out) {
  return Guard([&]() -> salesight_status {
    return salesight::capi::FunnelCompute(pipeline, options, out);
  });
}

salesight_status salesight_margin_options_init(salesight_margin_options* options,
                                               size_t struct_size) {
  return salesight::capi::InitOptions("salesight_margin_options_init", options, struct_size,
                                      salesight::capi::DefaultMarginOptions);
}

salesight_status salesight_margin_compute(const salesight_table* orders,
                                          const salesight_table* products,
                                          const salesight_margin_options* options,
                                          salesight_result** out) {
  return Guard([&]() -> salesight_status {
    return salesight::capi::MarginCompute(orders, products, options, out);
  });
}

salesight_status salesight_quote_options_init(salesight_quote_options* options,
                                              size_t struct_size) {
  return salesight::capi::InitOptions("salesight_quote_options_init", options, struct_size,
                                      salesight::capi::DefaultQuoteOptions);
}

salesight_status salesight_quote_index_create(const salesight_table* products,
                                              const salesight_table* customers,
                                              const salesight_table* invoices,
                                              const salesight_table* payments,
                                              const salesight_quote_options* options,
                                              salesight_quote_index** out) {
  return Guard([&]() -> salesight_status {
    return salesight::capi::QuoteIndexCreate(products, customers, invoices, payments, options,
                                             out);
  });
}

void salesight_quote_index_destroy(salesight_quote_index* index) { delete Impl(index); }

salesight_status salesight_quote_index_money_scale(const salesight_quote_index* index,
                                                   int32_t* out) {
  return Guard([&]() -> salesight_status {
    if (index == nullptr) return NullArgument("salesight_quote_index_money_scale", "index");
    if (out == nullptr) return NullArgument("salesight_quote_index_money_scale", "out");
    *out = Impl(index)->index.money_scale();
    return SALESIGHT_OK;
  });
}

salesight_status salesight_quote_check(const salesight_quote_index* index, const char* customer,
                                       const char* product, int32_t quantity, int64_t unit_price,
                                       int32_t date, salesight_result** out) {
  return Guard([&]() -> salesight_status {
    constexpr const char* kFn = "salesight_quote_check";
    if (out == nullptr) return NullArgument(kFn, "out");
    *out = nullptr;
    if (index == nullptr) return NullArgument(kFn, "index");
    if (customer == nullptr) return NullArgument(kFn, "customer");
    if (product == nullptr) return NullArgument(kFn, "product");
    absl::StatusOr<salesight::QuoteResult> quote =
        Impl(index)->index.Check(customer, product, quantity, unit_price, date);
    if (!quote.ok()) return salesight::capi::QuoteError(quote.status());
    return salesight::capi::NewResult(
        ToResultTable(*quote, Impl(index)->index, Impl(index)->language), out);
  });
}

}  // extern "C"
