// salesight_result_*: typed, read-only views of a ResultTable.
#include <cstdint>
#include <memory>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "capi_guard.hpp"
#include "capi_internal.hpp"
#include "salesight.h"
#include "salesight/result_table.hpp"

namespace salesight::capi {

salesight_status NewResult(ResultTable table, salesight_result** out) {
  return NewResult(std::move(table), DataProblems{}, out);
}

salesight_status NewResult(ResultTable table, DataProblems problems, salesight_result** out) {
  if (absl::Status st = table.Validate(); !st.ok()) return FromStatus(st);
  auto r = std::make_unique<ResultImpl>();
  r->table = std::move(table);
  r->problems = std::move(problems);
  r->decimal_text = std::make_unique<ResultImpl::DecimalText[]>(r->table.num_columns());
  *out = ToHandle(r.release());
  return SALESIGHT_OK;
}

namespace {

salesight_status GetColumn(const salesight_result* result, std::int32_t column, const void* out,
                           const char* function, const ResultColumn** col) {
  if (result == nullptr) return NullArgument(function, "result");
  if (out == nullptr) return NullArgument(function, "out");
  const auto n = static_cast<std::int64_t>(Impl(result)->table.num_columns());
  if (column < 0 || column >= n) {
    return Fail(SALESIGHT_ERR_INVALID_ARGUMENT,
                absl::StrFormat("%s: column index %d is outside [0, %d)", function, column, n));
  }
  *col = &Impl(result)->table.columns()[static_cast<std::size_t>(column)];
  return SALESIGHT_OK;
}

salesight_type TypeOf(ResultType type) {
  switch (type) {
    case ResultType::kInt64: return SALESIGHT_TYPE_INT64;
    case ResultType::kDouble: return SALESIGHT_TYPE_FLOAT64;
    case ResultType::kString: return SALESIGHT_TYPE_STRING;
    case ResultType::kDate: return SALESIGHT_TYPE_DATE;
    case ResultType::kMoney: return SALESIGHT_TYPE_MONEY;
  }
  return SALESIGHT_TYPE_INT64;
}

salesight_status WrongType(const char* function, const ResultColumn& col, const char* wanted) {
  return Fail(SALESIGHT_ERR_TYPE_MISMATCH,
              absl::StrFormat("%s: result column '%s' is not %s", function, col.name, wanted));
}

}  // namespace
}  // namespace salesight::capi

using salesight::ResultColumn;
using salesight::ResultType;
using salesight::capi::Fail;
using salesight::capi::GetColumn;
using salesight::capi::Guard;
using salesight::capi::Impl;
using salesight::capi::NullArgument;

extern "C" {

void salesight_result_destroy(salesight_result* result) { delete salesight::capi::Impl(result); }

salesight_status salesight_result_num_rows(const salesight_result* result, int64_t* out) {
  return Guard([&]() -> salesight_status {
    if (result == nullptr) return NullArgument("salesight_result_num_rows", "result");
    if (out == nullptr) return NullArgument("salesight_result_num_rows", "out");
    *out = static_cast<int64_t>(Impl(result)->table.num_rows());
    return SALESIGHT_OK;
  });
}

salesight_status salesight_result_num_columns(const salesight_result* result, int32_t* out) {
  return Guard([&]() -> salesight_status {
    if (result == nullptr) return NullArgument("salesight_result_num_columns", "result");
    if (out == nullptr) return NullArgument("salesight_result_num_columns", "out");
    *out = static_cast<int32_t>(Impl(result)->table.num_columns());
    return SALESIGHT_OK;
  });
}

salesight_status salesight_result_column_index(const salesight_result* result, const char* name,
                                               int32_t* out) {
  return Guard([&]() -> salesight_status {
    constexpr const char* kFn = "salesight_result_column_index";
    if (result == nullptr) return NullArgument(kFn, "result");
    if (name == nullptr) return NullArgument(kFn, "name");
    if (out == nullptr) return NullArgument(kFn, "out");
    const auto& cols = Impl(result)->table.columns();
    for (std::size_t i = 0; i < cols.size(); ++i) {
      if (cols[i].name == name) {
        *out = static_cast<int32_t>(i);
        return SALESIGHT_OK;
      }
    }
    std::string names;
    for (std::size_t i = 0; i < cols.size(); ++i) absl::StrAppend(&names, i ? ", " : "", cols[i].name);
    return Fail(SALESIGHT_ERR_UNKNOWN_COLUMN,
                absl::StrFormat("%s: the result has no column '%s'; its columns are: %s", kFn,
                                name, names));
  });
}

salesight_status salesight_result_column_name(const salesight_result* result, int32_t column,
                                              const char** out) {
  return Guard([&]() -> salesight_status {
    const ResultColumn* col = nullptr;
    if (salesight_status st = GetColumn(result, column, out, "salesight_result_column_name", &col);
        st != SALESIGHT_OK) {
      return st;
    }
    *out = col->name.c_str();
    return SALESIGHT_OK;
  });
}

salesight_status salesight_result_column_type(const salesight_result* result, int32_t column,
                                              salesight_type* out) {
  return Guard([&]() -> salesight_status {
    const ResultColumn* col = nullptr;
    if (salesight_status st = GetColumn(result, column, out, "salesight_result_column_type", &col);
        st != SALESIGHT_OK) {
      return st;
    }
    *out = salesight::capi::TypeOf(col->type);
    return SALESIGHT_OK;
  });
}

salesight_status salesight_result_column_money_scale(const salesight_result* result,
                                                     int32_t column, int32_t* out) {
  return Guard([&]() -> salesight_status {
    constexpr const char* kFn = "salesight_result_column_money_scale";
    const ResultColumn* col = nullptr;
    if (salesight_status st = GetColumn(result, column, out, kFn, &col); st != SALESIGHT_OK) {
      return st;
    }
    if (col->type != ResultType::kMoney) return salesight::capi::WrongType(kFn, *col, "MONEY");
    *out = col->money_scale;
    return SALESIGHT_OK;
  });
}

salesight_status salesight_result_column_int64(const salesight_result* result, int32_t column,
                                               const int64_t** out) {
  return Guard([&]() -> salesight_status {
    constexpr const char* kFn = "salesight_result_column_int64";
    const ResultColumn* col = nullptr;
    if (salesight_status st = GetColumn(result, column, out, kFn, &col); st != SALESIGHT_OK) {
      return st;
    }
    if (col->type == ResultType::kDouble || col->type == ResultType::kString) {
      return salesight::capi::WrongType(kFn, *col, "INT64, DATE or MONEY");
    }
    *out = col->ints.data();
    return SALESIGHT_OK;
  });
}

salesight_status salesight_result_column_double(const salesight_result* result, int32_t column,
                                                const double** out) {
  return Guard([&]() -> salesight_status {
    constexpr const char* kFn = "salesight_result_column_double";
    const ResultColumn* col = nullptr;
    if (salesight_status st = GetColumn(result, column, out, kFn, &col); st != SALESIGHT_OK) {
      return st;
    }
    if (col->type != ResultType::kDouble) return salesight::capi::WrongType(kFn, *col, "FLOAT64");
    *out = col->doubles.data();
    return SALESIGHT_OK;
  });
}

salesight_status salesight_result_column_validity(const salesight_result* result, int32_t column,
                                                  const uint8_t** out) {
  return Guard([&]() -> salesight_status {
    const ResultColumn* col = nullptr;
    if (salesight_status st =
            GetColumn(result, column, out, "salesight_result_column_validity", &col);
        st != SALESIGHT_OK) {
      return st;
    }
    *out = col->valid.empty() ? nullptr : col->valid.data();
    return SALESIGHT_OK;
  });
}

salesight_status salesight_result_column_string(const salesight_result* result, int32_t column,
                                                int64_t row, const char** out) {
  return Guard([&]() -> salesight_status {
    constexpr const char* kFn = "salesight_result_column_string";
    const ResultColumn* col = nullptr;
    if (salesight_status st = GetColumn(result, column, out, kFn, &col); st != SALESIGHT_OK) {
      return st;
    }
    if (col->type != ResultType::kString) return salesight::capi::WrongType(kFn, *col, "STRING");
    const auto rows = static_cast<int64_t>(col->size());
    if (row < 0 || row >= rows) {
      return Fail(SALESIGHT_ERR_INVALID_ARGUMENT,
                  absl::StrFormat("%s: row %d is outside [0, %d)", kFn, row, rows));
    }
    const auto i = static_cast<std::size_t>(row);
    if (!col->encoded) {
      *out = col->strings[i].c_str();
    } else if (col->labels) {
      // Dictionary codes are std::strings, so the view's data is NUL-terminated.
      *out = col->labels->Code(col->codes[i]).data();
    } else {
      auto& text = Impl(result)->decimal_text[static_cast<std::size_t>(column)];
      absl::call_once(text.once, [&] {
        text.values.resize(col->codes.size());
        for (std::size_t k = 0; k < col->codes.size(); ++k) {
          text.values[k] = std::to_string(col->codes[k]);
        }
      });
      *out = text.values[i].c_str();
    }
    return SALESIGHT_OK;
  });
}

salesight_status salesight_result_column_codes(const salesight_result* result, int32_t column,
                                               const int32_t** codes, int64_t* num_labels) {
  return Guard([&]() -> salesight_status {
    constexpr const char* kFn = "salesight_result_column_codes";
    const ResultColumn* col = nullptr;
    if (salesight_status st = GetColumn(result, column, codes, kFn, &col); st != SALESIGHT_OK) {
      return st;
    }
    if (num_labels == nullptr) return NullArgument(kFn, "num_labels");
    if (col->type != ResultType::kString) return salesight::capi::WrongType(kFn, *col, "STRING");
    if (!col->encoded) {
      *codes = nullptr;
      *num_labels = 0;
      return SALESIGHT_OK;
    }
    static const int32_t kNoCodes = 0;  // non-NULL for 0 rows: NULL means "text"
    *codes = col->codes.empty() ? &kNoCodes : col->codes.data();
    *num_labels = col->labels ? col->labels->size() : SALESIGHT_LABELS_DECIMAL;
    return SALESIGHT_OK;
  });
}

salesight_status salesight_result_column_label(const salesight_result* result, int32_t column,
                                               int64_t label, const char** out) {
  return Guard([&]() -> salesight_status {
    constexpr const char* kFn = "salesight_result_column_label";
    const ResultColumn* col = nullptr;
    if (salesight_status st = GetColumn(result, column, out, kFn, &col); st != SALESIGHT_OK) {
      return st;
    }
    if (col->type != ResultType::kString || !col->encoded || !col->labels) {
      return salesight::capi::WrongType(kFn, *col, "a STRING column with labels");
    }
    const int64_t count = col->labels->size();
    if (label < 0 || label >= count) {
      return Fail(SALESIGHT_ERR_INVALID_ARGUMENT,
                  absl::StrFormat("%s: label %d is outside [0, %d)", kFn, label, count));
    }
    *out = col->labels->Code(static_cast<salesight::Id>(label)).data();
    return SALESIGHT_OK;
  });
}

salesight_status salesight_result_problems(const salesight_result* result,
                                           salesight_result** out) {
  return Guard([&]() -> salesight_status {
    constexpr const char* kFn = "salesight_result_problems";
    if (out == nullptr) return NullArgument(kFn, "out");
    *out = nullptr;
    if (result == nullptr) return NullArgument(kFn, "result");
    return salesight::capi::NewResult(salesight::ProblemsToResultTable(Impl(result)->problems),
                                      out);
  });
}

salesight_status salesight_result_write(const salesight_result* result, const char* path) {
  return Guard([&]() -> salesight_status {
    if (result == nullptr) return NullArgument("salesight_result_write", "result");
    if (path == nullptr) return NullArgument("salesight_result_write", "path");
    absl::Status st = salesight::WriteResultFile(Impl(result)->table, path);
    if (!st.ok()) {
      // Writing can only fail on the file system.
      return Fail(SALESIGHT_ERR_IO, std::string(st.message()));
    }
    return SALESIGHT_OK;
  });
}

}  // extern "C"
