// A query result as the DuckDB comparison reads it (check.mjs compare()):
// {"columns": [...], "types": [...], "rows": [[...], ...]}; money and counts
// are decimal strings (exact int64 minor units), ratios %.17g strings, null
// is null. Shared by the differential test's generator and the peer
// harness's query driver (benchmarks/peers/salesight_query_driver.cpp).
#pragma once

#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "salesight/result_table.hpp"

namespace salesight::query_duckdb {

inline std::string JsonString(const std::string& s) {
  std::string out = "\"";
  for (unsigned char ch : s) {
    if (ch == '"' || ch == '\\') {
      out += '\\';
      out += static_cast<char>(ch);
    } else if (ch < 0x20) {
      out += absl::StrFormat("\\u%04x", ch);
    } else {
      out += static_cast<char>(ch);
    }
  }
  return out + "\"";
}

inline std::string ResultJson(const ResultTable& t) {
  std::string names, types, rows;
  for (const ResultColumn& c : t.columns()) {
    absl::StrAppend(&names, names.empty() ? "" : ",", JsonString(c.name));
    const char* type = c.type == ResultType::kString ? "string"
                       : c.type == ResultType::kMoney ? "money"
                       : c.type == ResultType::kDouble ? "double"
                                                       : "int";
    absl::StrAppend(&types, types.empty() ? "" : ",", "\"", type, "\"");
  }
  for (std::size_t r = 0; r < t.num_rows(); ++r) {
    std::string row;
    for (const ResultColumn& c : t.columns()) {
      std::string cell;
      if (c.is_null(r)) {
        cell = "null";
      } else if (c.type == ResultType::kString) {
        cell = JsonString(c.StringAt(r));
      } else if (c.type == ResultType::kDouble) {
        cell = absl::StrFormat("\"%.17g\"", c.doubles[r]);
      } else {
        cell = absl::StrCat("\"", c.ints[r], "\"");
      }
      absl::StrAppend(&row, row.empty() ? "" : ",", cell);
    }
    absl::StrAppend(&rows, rows.empty() ? "" : ",", "[", row, "]");
  }
  return absl::StrCat("{\"columns\":[", names, "],\"types\":[", types, "],\"rows\":[", rows, "]}");
}

}  // namespace salesight::query_duckdb
