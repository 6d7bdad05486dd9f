// salesight_query_*: a query spec (salesight/query/spec.hpp) compiled against
// a dataset, run into a result handle (salesight/query/run.hpp).
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_format.h"
#include "capi_guard.hpp"
#include "capi_internal.hpp"
#include "salesight.h"
#include "salesight/query.hpp"

namespace salesight::capi {

// The dataset is a copy (its tables are shared), so the dataset handle may be
// destroyed or grow after compile without changing the query.
struct QueryImpl {
  Dataset data;
  QuerySpec spec;
  // The spec's canonical JSON, made on the first salesight_query_spec_json
  // call (queries are shared across threads) and kept until destroy.
  mutable std::once_flag json_once;
  mutable std::string json;
};
SALESIGHT_CAPI_HANDLE(salesight_query, QueryImpl)

}  // namespace salesight::capi

using salesight::capi::FromStatus;
using salesight::capi::Guard;
using salesight::capi::Impl;
using salesight::capi::NullArgument;
using salesight::capi::QueryImpl;
using salesight::capi::ToHandle;

extern "C" {

salesight_status salesight_query_compile(const salesight_dataset* dataset, const char* spec_json,
                                         salesight_query** out) {
  return Guard([&]() -> salesight_status {
    constexpr const char* kFn = "salesight_query_compile";
    if (out == nullptr) return NullArgument(kFn, "out");
    *out = nullptr;
    if (dataset == nullptr) return NullArgument(kFn, "dataset");
    if (spec_json == nullptr) return NullArgument(kFn, "spec_json");
    absl::StatusOr<salesight::QuerySpec> spec = salesight::ParseQuerySpec(spec_json);
    if (!spec.ok()) return FromStatus(spec.status());
    const salesight::Dataset& data = Impl(dataset)->data;
    absl::StatusOr<salesight::QueryPlanInfo> checked = salesight::CheckQuery(data, *spec);
    if (!checked.ok()) return FromStatus(checked.status());
    auto query = std::make_unique<QueryImpl>();
    query->data = data;
    query->spec = std::move(*spec);
    *out = ToHandle(query.release());
    return SALESIGHT_OK;
  });
}

salesight_status salesight_query_run(const salesight_query* query, salesight_result** out) {
  return Guard([&]() -> salesight_status {
    constexpr const char* kFn = "salesight_query_run";
    if (out == nullptr) return NullArgument(kFn, "out");
    *out = nullptr;
    if (query == nullptr) return NullArgument(kFn, "query");
    const QueryImpl& q = *Impl(query);
    absl::StatusOr<salesight::QueryResult> result = salesight::RunQuery(q.data, q.spec);
    if (!result.ok()) return FromStatus(result.status());
    return salesight::capi::NewResult(std::move(result->table), std::move(result->problems), out);
  });
}

salesight_status salesight_query_drill(const salesight_query* query,
                                       const salesight_result* result, int64_t row,
                                       const char* level, salesight_query** out) {
  return Guard([&]() -> salesight_status {
    constexpr const char* kFn = "salesight_query_drill";
    if (out == nullptr) return NullArgument(kFn, "out");
    *out = nullptr;
    if (query == nullptr) return NullArgument(kFn, "query");
    if (result == nullptr) return NullArgument(kFn, "result");
    if (row < 0) return salesight::capi::Fail(SALESIGHT_ERR_INVALID_ARGUMENT,
                                              absl::StrFormat("%s: row %d is negative", kFn, row));
    const QueryImpl& q = *Impl(query);
    absl::StatusOr<salesight::QuerySpec> down =
        salesight::DrillDown(q.data, q.spec, Impl(result)->table, static_cast<std::size_t>(row),
                             level != nullptr ? level : "");
    if (!down.ok()) return FromStatus(down.status());
    absl::StatusOr<salesight::QueryPlanInfo> checked = salesight::CheckQuery(q.data, *down);
    if (!checked.ok()) return FromStatus(checked.status());
    auto drilled = std::make_unique<QueryImpl>();
    drilled->data = q.data;
    drilled->spec = std::move(*down);
    *out = ToHandle(drilled.release());
    return SALESIGHT_OK;
  });
}

salesight_status salesight_query_drill_through(const salesight_query* query,
                                               const salesight_result* result, int64_t row,
                                               int64_t offset, int64_t limit,
                                               salesight_result** out) {
  return Guard([&]() -> salesight_status {
    constexpr const char* kFn = "salesight_query_drill_through";
    if (out == nullptr) return NullArgument(kFn, "out");
    *out = nullptr;
    if (query == nullptr) return NullArgument(kFn, "query");
    if (result == nullptr) return NullArgument(kFn, "result");
    if (row < 0) return salesight::capi::Fail(SALESIGHT_ERR_INVALID_ARGUMENT,
                                              absl::StrFormat("%s: row %d is negative", kFn, row));
    const QueryImpl& q = *Impl(query);
    absl::StatusOr<salesight::ResultTable> lines = salesight::DrillThrough(
        q.data, q.spec, Impl(result)->table, static_cast<std::size_t>(row), offset, limit);
    if (!lines.ok()) return FromStatus(lines.status());
    return salesight::capi::NewResult(std::move(*lines), out);
  });
}

salesight_status salesight_query_cross_filter(const salesight_query* source,
                                              const salesight_result* result,
                                              const int64_t* rows, int64_t num_rows,
                                              const salesight_query* target,
                                              salesight_query** out) {
  return Guard([&]() -> salesight_status {
    constexpr const char* kFn = "salesight_query_cross_filter";
    if (out == nullptr) return NullArgument(kFn, "out");
    *out = nullptr;
    if (source == nullptr) return NullArgument(kFn, "source");
    if (result == nullptr) return NullArgument(kFn, "result");
    if (target == nullptr) return NullArgument(kFn, "target");
    if (num_rows > 0 && rows == nullptr) return NullArgument(kFn, "rows");
    if (num_rows < 0) {
      return salesight::capi::Fail(SALESIGHT_ERR_INVALID_ARGUMENT,
                                   absl::StrFormat("%s: num_rows %d is negative", kFn, num_rows));
    }
    std::vector<std::size_t> picked;
    for (int64_t i = 0; i < num_rows; ++i) {
      if (rows[i] < 0) {
        return salesight::capi::Fail(
            SALESIGHT_ERR_INVALID_ARGUMENT,
            absl::StrFormat("%s: rows[%d] = %d is negative", kFn, i, rows[i]));
      }
      picked.push_back(static_cast<std::size_t>(rows[i]));
    }
    const QueryImpl& t = *Impl(target);
    absl::StatusOr<salesight::QuerySpec> filtered =
        salesight::CrossFilter(Impl(source)->spec, Impl(result)->table, picked, t.spec);
    if (!filtered.ok()) return FromStatus(filtered.status());
    absl::StatusOr<salesight::QueryPlanInfo> checked = salesight::CheckQuery(t.data, *filtered);
    if (!checked.ok()) return FromStatus(checked.status());
    auto q = std::make_unique<QueryImpl>();
    q->data = t.data;
    q->spec = std::move(*filtered);
    *out = ToHandle(q.release());
    return SALESIGHT_OK;
  });
}

salesight_status salesight_query_spec_json(const salesight_query* query, const char** out) {
  return Guard([&]() -> salesight_status {
    constexpr const char* kFn = "salesight_query_spec_json";
    if (out == nullptr) return NullArgument(kFn, "out");
    *out = nullptr;
    if (query == nullptr) return NullArgument(kFn, "query");
    const QueryImpl& q = *Impl(query);
    std::call_once(q.json_once, [&q] { q.json = salesight::QuerySpecJson(q.spec); });
    *out = q.json.c_str();
    return SALESIGHT_OK;
  });
}

void salesight_query_destroy(salesight_query* query) { delete Impl(query); }

namespace {

// Bytes in: NULL is fine only for length 0.
salesight_status BytesIn(const char* fn, const char* name, const uint8_t* bytes, int64_t length,
                         std::string_view* out) {
  if (length < 0) {
    return salesight::capi::Fail(SALESIGHT_ERR_INVALID_ARGUMENT,
                                 absl::StrFormat("%s: %s_length %d is negative", fn, name, length));
  }
  if (bytes == nullptr && length > 0) return NullArgument(fn, name);
  *out = std::string_view(reinterpret_cast<const char*>(bytes), static_cast<std::size_t>(length));
  return SALESIGHT_OK;
}

}  // namespace

salesight_status salesight_query_partial(const salesight_query* query, uint8_t** out_bytes,
                                         int64_t* out_length) {
  return Guard([&]() -> salesight_status {
    constexpr const char* kFn = "salesight_query_partial";
    if (out_bytes == nullptr) return NullArgument(kFn, "out_bytes");
    *out_bytes = nullptr;
    if (out_length == nullptr) return NullArgument(kFn, "out_length");
    *out_length = 0;
    if (query == nullptr) return NullArgument(kFn, "query");
    const QueryImpl& q = *Impl(query);
    absl::StatusOr<std::string> bytes = salesight::QueryPartial(q.data, q.spec);
    if (!bytes.ok()) return FromStatus(bytes.status());
    return salesight::capi::OutBytes(*bytes, out_bytes, out_length);
  });
}

salesight_status salesight_query_partial_merge(const uint8_t* a, int64_t a_length,
                                               const uint8_t* b, int64_t b_length,
                                               uint8_t** out_bytes, int64_t* out_length) {
  return Guard([&]() -> salesight_status {
    constexpr const char* kFn = "salesight_query_partial_merge";
    if (out_bytes == nullptr) return NullArgument(kFn, "out_bytes");
    *out_bytes = nullptr;
    if (out_length == nullptr) return NullArgument(kFn, "out_length");
    *out_length = 0;
    std::string_view x, y;
    if (salesight_status st = BytesIn(kFn, "a", a, a_length, &x); st != SALESIGHT_OK) return st;
    if (salesight_status st = BytesIn(kFn, "b", b, b_length, &y); st != SALESIGHT_OK) return st;
    absl::StatusOr<std::string> merged = salesight::MergeQueryPartials(x, y);
    if (!merged.ok()) return FromStatus(merged.status());
    return salesight::capi::OutBytes(*merged, out_bytes, out_length);
  });
}

salesight_status salesight_query_partial_finish(const char* spec_json, const uint8_t* bytes,
                                                int64_t length, salesight_result** out) {
  return Guard([&]() -> salesight_status {
    constexpr const char* kFn = "salesight_query_partial_finish";
    if (out == nullptr) return NullArgument(kFn, "out");
    *out = nullptr;
    if (spec_json == nullptr) return NullArgument(kFn, "spec_json");
    std::string_view partial;
    if (salesight_status st = BytesIn(kFn, "bytes", bytes, length, &partial); st != SALESIGHT_OK) {
      return st;
    }
    absl::StatusOr<salesight::QuerySpec> spec = salesight::ParseQuerySpec(spec_json);
    if (!spec.ok()) return FromStatus(spec.status());
    absl::StatusOr<salesight::QueryResult> result = salesight::FinishQueryPartial(*spec, partial);
    if (!result.ok()) return FromStatus(result.status());
    return salesight::capi::NewResult(std::move(result->table), std::move(result->problems), out);
  });
}

}  // extern "C"
