// salesight_*_partial, salesight_partial_*: mergeable partial states as
// handles, their bytes, and finishing them into result handles.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
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
#include "salesight/aggregator.hpp"
#include "salesight/funnel.hpp"
#include "salesight/margin.hpp"
#include "salesight/partial_state.hpp"
#include "salesight/rfm.hpp"

namespace salesight::capi {

// Any kind of salesight/aggregator.hpp: the handle knows no list of kinds.
struct PartialImpl {
  PartialPtr partial;
};

SALESIGHT_CAPI_HANDLE(salesight_partial, PartialImpl)

namespace {

// ------------------------------------------------------------------ options

// The conversions are options_internal's, shared with the compute shims, so
// a partial and a compute read the same struct the same way.

salesight_status ReadRfm(const salesight_rfm_options* in, RfmOptions* r, std::int32_t* output) {
  salesight_rfm_options o = DefaultRfmOptions();
  if (salesight_status st = ReadOptions(in, &o, "salesight_rfm_options"); st != SALESIGHT_OK) {
    return st;
  }
  if (salesight_status st = CheckReserved(o.reserved, "salesight_rfm_options");
      st != SALESIGHT_OK) {
    return st;
  }
  *output = o.output;
  return ToRfmOptions(o, r);
}

salesight_status ReadFunnel(const salesight_funnel_options* in, FunnelOptions* f,
                            std::int32_t* output) {
  salesight_funnel_options o = DefaultFunnelOptions();
  if (salesight_status st = ReadOptions(in, &o, "salesight_funnel_options"); st != SALESIGHT_OK) {
    return st;
  }
  if (salesight_status st = CheckReserved(o.reserved, "salesight_funnel_options");
      st != SALESIGHT_OK) {
    return st;
  }
  *output = o.output;
  return ToFunnelOptions(o, f);
}

salesight_status ReadMargin(const salesight_margin_options* in, MarginOptions* m,
                            salesight_margin_options* raw) {
  salesight_margin_options& o = *raw;
  o = DefaultMarginOptions();
  if (salesight_status st = ReadOptions(in, &o, "salesight_margin_options"); st != SALESIGHT_OK) {
    return st;
  }
  if (salesight_status st = CheckReserved(o.reserved, "salesight_margin_options");
      st != SALESIGHT_OK) {
    return st;
  }
  return ToMarginOptions(o, m);
}

// ------------------------------------------------------------------ helpers

salesight_status CheckRange(const char* fn, std::int64_t begin, std::int64_t end, std::size_t rows) {
  if (begin < 0 || end < begin || static_cast<std::uint64_t>(end) > rows) {
    return Fail(SALESIGHT_ERR_INVALID_ARGUMENT,
                absl::StrFormat("%s: rows [%d, %d) are not inside the table's %d rows", fn, begin,
                                end, rows));
  }
  return SALESIGHT_OK;
}

salesight_status Wrap(PartialPtr partial, salesight_partial** out) {
  auto impl = std::make_unique<PartialImpl>();
  impl->partial = std::move(partial);
  *out = ToHandle(impl.release());
  return SALESIGHT_OK;
}

// The typed surfaces' states enter the one interface here.
template <typename T>
salesight_status Adopt(const char* kind, T state, salesight_partial** out) {
  absl::StatusOr<PartialPtr> p = AdoptPartial(kind, &state);
  if (!p.ok()) return FromStatus(p.status());
  return Wrap(*std::move(p), out);
}

// The live state of kind `kind` (T its state type), or an error naming the
// function.
template <typename T>
salesight_status StateOf(PartialImpl* p, const char* fn, const char* argument,
                         std::string_view kind, T** out) {
  if (p == nullptr) return NullArgument(fn, argument);
  if (p->partial->finished()) {
    return Fail(SALESIGHT_ERR_INVALID_ARGUMENT,
                absl::StrFormat("%s: argument '%s' was already finished", fn, argument));
  }
  if (p->partial->spec().name != kind) {
    return Fail(SALESIGHT_ERR_INVALID_ARGUMENT,
                absl::StrFormat("%s: argument '%s' is a partial of kind %d (%s)", fn, argument,
                                p->partial->spec().kind, std::string(p->partial->spec().name)));
  }
  *out = static_cast<T*>(p->partial->state());
  return SALESIGHT_OK;
}

// Marks the partial finished (its state was moved out by a typed finish).
void Consume(PartialImpl* p) { p->partial->MarkFinished(); }

salesight_status RfmPartialImpl(const salesight_table* table, std::int64_t begin, std::int64_t end,
                                const salesight_rfm_options* options, salesight_partial** out) {
  constexpr const char* kFn = "salesight_rfm_partial";
  if (out == nullptr) return NullArgument(kFn, "out");
  *out = nullptr;
  const OrderLines* orders = nullptr;
  if (salesight_status st = TableAs(table, kFn, "orders", &orders); st != SALESIGHT_OK) return st;
  if (salesight_status st = CheckRange(kFn, begin, end, orders->size()); st != SALESIGHT_OK) {
    return st;
  }
  RfmOptions r;
  std::int32_t output = 0;
  if (salesight_status st = ReadRfm(options, &r, &output); st != SALESIGHT_OK) return st;
  absl::StatusOr<RfmPartial> p = PartialRfm(*orders, static_cast<std::size_t>(begin),
                                            static_cast<std::size_t>(end), r);
  if (!p.ok()) return FromStatus(p.status());
  return Adopt("rfm", *std::move(p), out);
}

salesight_status FunnelPartialImpl(const salesight_table* table, std::int64_t begin,
                                   std::int64_t end, const salesight_funnel_options* options,
                                   salesight_partial** out) {
  constexpr const char* kFn = "salesight_funnel_partial";
  if (out == nullptr) return NullArgument(kFn, "out");
  *out = nullptr;
  const Pipeline* pipeline = nullptr;
  if (salesight_status st = TableAs(table, kFn, "pipeline", &pipeline); st != SALESIGHT_OK) {
    return st;
  }
  if (salesight_status st = CheckRange(kFn, begin, end, pipeline->size()); st != SALESIGHT_OK) {
    return st;
  }
  FunnelOptions f;
  std::int32_t output = 0;
  if (salesight_status st = ReadFunnel(options, &f, &output); st != SALESIGHT_OK) return st;
  absl::StatusOr<FunnelPartial> p = PartialFunnel(*pipeline, static_cast<std::size_t>(begin),
                                                  static_cast<std::size_t>(end), f);
  if (!p.ok()) return FromStatus(p.status());
  return Adopt("funnel", *std::move(p), out);
}

salesight_status MarginPartialImpl(const salesight_table* table, const salesight_table* products_h,
                                   std::int64_t begin, std::int64_t end,
                                   const salesight_margin_options* options,
                                   salesight_partial** out) {
  constexpr const char* kFn = "salesight_margin_partial";
  if (out == nullptr) return NullArgument(kFn, "out");
  *out = nullptr;
  const OrderLines* orders = nullptr;
  if (salesight_status st = TableAs(table, kFn, "orders", &orders); st != SALESIGHT_OK) return st;
  const Products* products = nullptr;
  if (products_h != nullptr) {
    if (salesight_status st = TableAs(products_h, kFn, "products", &products); st != SALESIGHT_OK) {
      return st;
    }
  }
  if (salesight_status st = CheckRange(kFn, begin, end, orders->size()); st != SALESIGHT_OK) {
    return st;
  }
  MarginOptions m;
  salesight_margin_options raw;
  if (salesight_status st = ReadMargin(options, &m, &raw); st != SALESIGHT_OK) return st;
  absl::StatusOr<MarginPartial> p = PartialMargin(*orders, products, static_cast<std::size_t>(begin),
                                                  static_cast<std::size_t>(end), m);
  if (!p.ok()) return FromStatus(p.status());
  return Adopt("margin", *std::move(p), out);
}

salesight_status Merge(salesight_partial* into_h, const salesight_partial* from_h) {
  constexpr const char* kFn = "salesight_partial_merge";
  if (into_h == nullptr) return NullArgument(kFn, "into");
  if (from_h == nullptr) return NullArgument(kFn, "from");
  PartialImpl* into = Impl(into_h);
  const PartialImpl* from = Impl(from_h);
  if (into == from) {
    return Fail(SALESIGHT_ERR_INVALID_ARGUMENT, "salesight_partial_merge: 'into' and 'from' are "
                                                "the same partial");
  }
  return FromStatus(into->partial->Merge(*from->partial));
}

salesight_status Serialize(const salesight_partial* h, uint8_t** out_bytes, int64_t* out_length) {
  constexpr const char* kFn = "salesight_partial_serialize";
  if (out_bytes == nullptr) return NullArgument(kFn, "out_bytes");
  if (out_length == nullptr) return NullArgument(kFn, "out_length");
  *out_bytes = nullptr;
  *out_length = 0;
  if (h == nullptr) return NullArgument(kFn, "partial");
  const PartialImpl* p = Impl(h);
  if (p->partial->finished()) {
    return Fail(SALESIGHT_ERR_INVALID_ARGUMENT,
                absl::StrFormat("%s: argument 'partial' was already finished", kFn));
  }
  absl::StatusOr<std::string> bytes = p->partial->Serialize();
  if (!bytes.ok()) return FromStatus(bytes.status());
  return OutBytes(*bytes, out_bytes, out_length);
}

salesight_status Deserialize(const uint8_t* bytes, int64_t length, salesight_partial** out) {
  constexpr const char* kFn = "salesight_partial_deserialize";
  if (out == nullptr) return NullArgument(kFn, "out");
  *out = nullptr;
  if (length < 0) {
    return Fail(SALESIGHT_ERR_INVALID_ARGUMENT,
                absl::StrFormat("%s: length %d is negative", kFn, length));
  }
  if (bytes == nullptr && length > 0) return NullArgument(kFn, "bytes");
  const std::string_view view(bytes == nullptr ? "" : reinterpret_cast<const char*>(bytes),
                              static_cast<std::size_t>(length));
  absl::StatusOr<PartialPtr> p = DeserializePartial(view);
  if (!p.ok()) return FromStatus(p.status());
  return Wrap(*std::move(p), out);
}

salesight_status RfmFinish(salesight_partial* h, const salesight_rfm_options* options,
                           salesight_result** out) {
  constexpr const char* kFn = "salesight_rfm_partial_finish";
  if (out == nullptr) return NullArgument(kFn, "out");
  *out = nullptr;
  RfmPartial* s = nullptr;
  if (salesight_status st = StateOf(h ? Impl(h) : nullptr, kFn, "partial", "rfm", &s);
      st != SALESIGHT_OK) {
    return st;
  }
  RfmOptions r;
  std::int32_t output = 0;
  if (salesight_status st = ReadRfm(options, &r, &output); st != SALESIGHT_OK) return st;
  if (output == SALESIGHT_RFM_OUTPUT_NEW_RETURNING) {
    return Fail(SALESIGHT_ERR_UNSUPPORTED,
                "salesight_rfm_partial_finish: the NEW_RETURNING output needs the order lines; "
                "use salesight_rfm_compute");
  }
  if (output < SALESIGHT_RFM_OUTPUT_CUSTOMERS || output > SALESIGHT_RFM_OUTPUT_NEW_RETURNING) {
    return BadOption("salesight_rfm_options.output", output);
  }
  RfmPartial state = std::move(*s);
  Consume(Impl(h));
  absl::StatusOr<RfmResult> result = FinishRfm(std::move(state), r);
  if (!result.ok()) return FromStatus(result.status());
  switch (output) {
    case SALESIGHT_RFM_OUTPUT_DETAIL: return NewResult(ToResultTable(*result, true), out);
    case SALESIGHT_RFM_OUTPUT_SEGMENTS: {
      absl::StatusOr<RfmSegmentSummary> sum = SummarizeSegments(*result);
      if (!sum.ok()) return FromStatus(sum.status());
      return NewResult(ToResultTable(*sum), out);
    }
    case SALESIGHT_RFM_OUTPUT_PARETO: {
      absl::StatusOr<RfmPareto> p = ComputePareto(*result);
      if (!p.ok()) return FromStatus(p.status());
      return NewResult(ToResultTable(*p), out);
    }
    default: return NewResult(ToResultTable(*result, false), out);
  }
}

salesight_status FunnelFinish(salesight_partial* h, const salesight_funnel_options* options,
                              salesight_result** out) {
  constexpr const char* kFn = "salesight_funnel_partial_finish";
  if (out == nullptr) return NullArgument(kFn, "out");
  *out = nullptr;
  FunnelPartial* s = nullptr;
  if (salesight_status st = StateOf(h ? Impl(h) : nullptr, kFn, "partial", "funnel", &s);
      st != SALESIGHT_OK) {
    return st;
  }
  FunnelOptions f;
  std::int32_t output = 0;
  if (salesight_status st = ReadFunnel(options, &f, &output); st != SALESIGHT_OK) return st;
  if (output == SALESIGHT_FUNNEL_OUTPUT_WORKLOAD_OVERALL ||
      output == SALESIGHT_FUNNEL_OUTPUT_WORKLOAD_GROUP) {
    return Fail(SALESIGHT_ERR_UNSUPPORTED,
                "salesight_funnel_partial_finish: the WORKLOAD outputs use fixed options; use "
                "salesight_funnel_compute");
  }
  if (output < SALESIGHT_FUNNEL_OUTPUT_TABLE || output > SALESIGHT_FUNNEL_OUTPUT_BOTTLENECKS) {
    return BadOption("salesight_funnel_options.output", output);
  }
  FunnelPartial state = std::move(*s);
  Consume(Impl(h));
  absl::StatusOr<FunnelResult> result = FinishFunnel(std::move(state), f);
  if (!result.ok()) return FromStatus(result.status());
  DataProblems problems = FunnelProblems(*result);
  switch (output) {
    case SALESIGHT_FUNNEL_OUTPUT_DETAILED:
      return NewResult(ToDetailedResultTable(*result), std::move(problems), out);
    case SALESIGHT_FUNNEL_OUTPUT_BOTTLENECKS:
      return NewResult(BottlenecksToResultTable(*result), std::move(problems), out);
    default: return NewResult(ToResultTable(*result), std::move(problems), out);
  }
}

salesight_status MarginFinish(salesight_partial* h, const salesight_margin_options* options,
                              salesight_result** out) {
  constexpr const char* kFn = "salesight_margin_partial_finish";
  if (out == nullptr) return NullArgument(kFn, "out");
  *out = nullptr;
  MarginPartial* s = nullptr;
  if (salesight_status st = StateOf(h ? Impl(h) : nullptr, kFn, "partial", "margin", &s);
      st != SALESIGHT_OK) {
    return st;
  }
  MarginOptions m;
  salesight_margin_options o;
  if (salesight_status st = ReadMargin(options, &m, &o); st != SALESIGHT_OK) return st;
  if (o.output == SALESIGHT_MARGIN_OUTPUT_QUADRANT ||
      o.output == SALESIGHT_MARGIN_OUTPUT_SLOW_MOVERS || o.quadrant != 0) {
    return Fail(SALESIGHT_ERR_UNSUPPORTED,
                "salesight_margin_partial_finish: quadrant and slow movers need the order lines; "
                "use salesight_margin_compute");
  }
  if (o.output < SALESIGHT_MARGIN_OUTPUT_TABLE || o.output > SALESIGHT_MARGIN_OUTPUT_ABC) {
    return BadOption("salesight_margin_options.output", o.output);
  }
  if (o.language != SALESIGHT_LANG_EN && o.language != SALESIGHT_LANG_ZH) {
    return BadOption("salesight_margin_options.language", o.language);
  }
  if (o.abc < 0 || o.abc > SALESIGHT_METRIC_MARGIN + 1 || o.abc == SALESIGHT_METRIC_QUANTITY + 1) {
    return BadOption("salesight_margin_options.abc", o.abc);
  }
  if (o.rank_n < 0) return BadOption("salesight_margin_options.rank_n", o.rank_n);
  // The grouping must be the partial's (FinishMargin takes it from the partial).
  if (s->grouping.dimensions != m.group_by.dimensions) {
    return Fail(SALESIGHT_ERR_INVALID_ARGUMENT,
                "salesight_margin_partial_finish: options.group_by differs from the partial's "
                "grouping");
  }
  MarginPartial state = std::move(*s);
  Consume(Impl(h));
  absl::StatusOr<MarginResult> result = FinishMargin(std::move(state), m);
  if (!result.ok()) return FromStatus(result.status());
  if (o.output == SALESIGHT_MARGIN_OUTPUT_RANKING) {
    MarginRankOptions rank;
    switch (o.rank_metric) {
      case SALESIGHT_METRIC_REVENUE: rank.metric = MarginMetric::kRevenue; break;
      case SALESIGHT_METRIC_QUANTITY: rank.metric = MarginMetric::kQuantity; break;
      case SALESIGHT_METRIC_MARGIN: rank.metric = MarginMetric::kMargin; break;
      case SALESIGHT_METRIC_MARGIN_PCT: rank.metric = MarginMetric::kMarginPct; break;
      default: return BadOption("salesight_margin_options.rank_metric", o.rank_metric);
    }
    rank.order = o.rank_bottom ? MarginRankOrder::kBottom : MarginRankOrder::kTop;
    rank.n = static_cast<std::size_t>(o.rank_n);
    absl::StatusOr<MarginRanking> ranking = RankMargin(*result, rank);
    if (!ranking.ok()) return FromStatus(ranking.status());
    return NewResult(ToResultTable(*ranking, *result), MarginProblems(*result), out);
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
    return NewResult(ToResultTable(*abc, *result), MarginProblems(*result), out);
  }
  MarginTableOptions t;
  t.abc = abc ? &*abc : nullptr;
  t.language = o.language == SALESIGHT_LANG_ZH ? MarginLabelLanguage::kChinese
                                               : MarginLabelLanguage::kEnglish;
  return NewResult(ToResultTable(*result, t), MarginProblems(*result), out);
}

salesight_status CalculatorPartial(const salesight_dataset* dataset, const char* calculator,
                                   const char* const* option_names,
                                   const char* const* option_values, int32_t num_options,
                                   int64_t begin, int64_t end, salesight_partial** out) {
  constexpr const char* kFn = "salesight_calculator_partial";
  if (out == nullptr) return NullArgument(kFn, "out");
  *out = nullptr;
  if (dataset == nullptr) return NullArgument(kFn, "dataset");
  if (calculator == nullptr) return NullArgument(kFn, "calculator");
  OptionSettings settings;
  if (salesight_status st =
          ReadOptionSettings(kFn, option_names, option_values, num_options, &settings);
      st != SALESIGHT_OK) {
    return st;
  }
  if (begin < 0 || end < begin) {
    return Fail(SALESIGHT_ERR_INVALID_ARGUMENT,
                absl::StrFormat("%s: rows [%d, %d) are not a range", kFn, begin, end));
  }
  absl::StatusOr<PartialPtr> p =
      MakePartial(calculator, DatasetOf(dataset), static_cast<std::size_t>(begin),
                  static_cast<std::size_t>(end), settings);
  if (!p.ok()) return FromStatus(p.status());
  return Wrap(*std::move(p), out);
}

salesight_status PartialFinish(salesight_partial* h, const salesight_dataset* context,
                               const char* const* option_names, const char* const* option_values,
                               int32_t num_options, const char* output, salesight_result** out) {
  constexpr const char* kFn = "salesight_partial_finish";
  if (out == nullptr) return NullArgument(kFn, "out");
  *out = nullptr;
  if (h == nullptr) return NullArgument(kFn, "partial");
  PartialAggregate& p = *Impl(h)->partial;
  if (p.finished()) {
    return Fail(SALESIGHT_ERR_INVALID_ARGUMENT,
                absl::StrFormat("%s: argument 'partial' was already finished", kFn));
  }
  OptionSettings settings;
  if (salesight_status st =
          ReadOptionSettings(kFn, option_names, option_values, num_options, &settings);
      st != SALESIGHT_OK) {
    return st;
  }
  const std::string name(p.spec().name);
  if (salesight_status st = ResultOutput(kFn, name, ResultSet(), output, nullptr);
      st != SALESIGHT_OK) {
    return st;  // the partial is kept: nothing was consumed
  }
  absl::StatusOr<ResultSet> result =
      p.Finish(context != nullptr ? &DatasetOf(context) : nullptr, settings);
  if (!result.ok()) return FromStatus(result.status());
  return ResultOutput(kFn, name, *std::move(result), output, out);
}

}  // namespace
salesight_status OutBytes(std::string_view bytes, uint8_t** out, int64_t* out_length) {
  auto* buffer = static_cast<uint8_t*>(std::malloc(bytes.size() + 1));
  if (buffer == nullptr) return Fail(SALESIGHT_ERR_OUT_OF_MEMORY, "out of memory");
  std::memcpy(buffer, bytes.data(), bytes.size());
  buffer[bytes.size()] = 0;
  *out = buffer;
  *out_length = static_cast<int64_t>(bytes.size());
  return SALESIGHT_OK;
}

}  // namespace salesight::capi

using salesight::capi::Guard;

extern "C" {

salesight_status salesight_rfm_partial(const salesight_table* orders, int64_t begin, int64_t end,
                                       const salesight_rfm_options* options,
                                       salesight_partial** out) {
  return Guard([&] { return salesight::capi::RfmPartialImpl(orders, begin, end, options, out); });
}

salesight_status salesight_funnel_partial(const salesight_table* pipeline, int64_t begin,
                                          int64_t end, const salesight_funnel_options* options,
                                          salesight_partial** out) {
  return Guard(
      [&] { return salesight::capi::FunnelPartialImpl(pipeline, begin, end, options, out); });
}

salesight_status salesight_margin_partial(const salesight_table* orders,
                                          const salesight_table* products, int64_t begin,
                                          int64_t end, const salesight_margin_options* options,
                                          salesight_partial** out) {
  return Guard([&] {
    return salesight::capi::MarginPartialImpl(orders, products, begin, end, options, out);
  });
}

salesight_status salesight_partial_kind(const salesight_partial* partial, int32_t* out) {
  return Guard([&]() -> salesight_status {
    if (partial == nullptr) return salesight::capi::NullArgument("salesight_partial_kind", "partial");
    if (out == nullptr) return salesight::capi::NullArgument("salesight_partial_kind", "out");
    *out = salesight::capi::Impl(partial)->partial->spec().kind;
    return SALESIGHT_OK;
  });
}

salesight_status salesight_partial_merge(salesight_partial* into, const salesight_partial* from) {
  return Guard([&] { return salesight::capi::Merge(into, from); });
}

salesight_status salesight_partial_serialize(const salesight_partial* partial, uint8_t** out_bytes,
                                             int64_t* out_length) {
  return Guard([&] { return salesight::capi::Serialize(partial, out_bytes, out_length); });
}

void salesight_bytes_free(uint8_t* bytes) { std::free(bytes); }

salesight_status salesight_partial_deserialize(const uint8_t* bytes, int64_t length,
                                               salesight_partial** out) {
  return Guard([&] { return salesight::capi::Deserialize(bytes, length, out); });
}

salesight_status salesight_rfm_partial_finish(salesight_partial* partial,
                                              const salesight_rfm_options* options,
                                              salesight_result** out) {
  return Guard([&] { return salesight::capi::RfmFinish(partial, options, out); });
}

salesight_status salesight_funnel_partial_finish(salesight_partial* partial,
                                                 const salesight_funnel_options* options,
                                                 salesight_result** out) {
  return Guard([&] { return salesight::capi::FunnelFinish(partial, options, out); });
}

salesight_status salesight_margin_partial_finish(salesight_partial* partial,
                                                 const salesight_margin_options* options,
                                                 salesight_result** out) {
  return Guard([&] { return salesight::capi::MarginFinish(partial, options, out); });
}

salesight_status salesight_calculator_partial(const salesight_dataset* dataset,
                                              const char* calculator,
                                              const char* const* option_names,
                                              const char* const* option_values,
                                              int32_t num_options, int64_t begin, int64_t end,
                                              salesight_partial** out) {
  return Guard([&] {
    return salesight::capi::CalculatorPartial(dataset, calculator, option_names, option_values,
                                              num_options, begin, end, out);
  });
}

salesight_status salesight_partial_finish(salesight_partial* partial,
                                          const salesight_dataset* context,
                                          const char* const* option_names,
                                          const char* const* option_values, int32_t num_options,
                                          const char* output, salesight_result** out) {
  return Guard([&] {
    return salesight::capi::PartialFinish(partial, context, option_names, option_values,
                                          num_options, output, out);
  });
}

void salesight_partial_destroy(salesight_partial* partial) {
  delete salesight::capi::Impl(partial);
}

}  // extern "C"
