// Interning text on several threads, the one way: each contiguous part of
// the rows (a range of a column, a chunk of a CSV file) interns into its own
// table, ids in the part's first-seen order; then the parts' codes are
// interned into one target in part order, each part's in its id order. That
// visits the codes exactly in the order one thread scanning every row meets
// them, so the ids are those of a 1-thread pass for any thread count. Last,
// each part's ids go through its map (InternAll's result).
//
// Users: the C ABI's interned text columns (InternColumn, capi/interned_capi.cpp)
// and the parallel CSV read's merge of its chunks' dictionaries
// (src/ingest/orders_chunks.cpp through ingest::InternAll).
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <new>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "core/internal/code_table.hpp"
#include "core/internal/parallel.hpp"
#include "salesight/dictionary.hpp"

namespace salesight::internal {

inline absl::StatusOr<Id> InternInto(Dictionary& into, std::string_view code) {
  return into.Intern(code);
}
inline absl::StatusOr<Id> InternInto(CodeTable& into, std::string_view code) {
  const Id id = into.Intern(code);
  if (id == kNoId) return absl::ResourceExhaustedError("more than 2^31-1 distinct codes");
  return id;
}

// Interns every code of `from` into `into` in from's id order; returns from's
// id -> into's id. Either side a Dictionary or a CodeTable.
template <typename From, typename Into>
absl::StatusOr<std::vector<Id>> InternAll(const From& from, Into& into) {
  std::vector<Id> map(static_cast<std::size_t>(from.size()));
  for (Id id = 0; id < from.size(); ++id) {
    absl::StatusOr<Id> to = InternInto(into, from.Code(id));
    if (!to.ok()) return to.status();
    map[static_cast<std::size_t>(id)] = *to;
  }
  return map;
}

// Threads for interning n rows: num_threads (<= 0: one per hardware thread),
// but no thread for fewer than kMinRowsPerThread rows (small columns stay on
// the calling thread, as the table builder's conversions do).
inline std::size_t InternThreads(int num_threads, std::int64_t n) {
  const std::size_t most = ResolveThreads(num_threads, std::numeric_limits<std::size_t>::max());
  const auto by_rows = static_cast<std::size_t>(std::max<std::int64_t>(n, 0)) / kMinRowsPerThread;
  return std::clamp<std::size_t>(by_rows, 1, most);
}

// What InternColumn read: the dictionary (views of the caller's bytes, ids
// in first-appearance order) and the first problem, by row.
struct InternedColumn {
  CodeTable table{false};
  std::int64_t first_null = -1;
  std::int64_t bad_row = -1;        // the first row found wrong, with
  const char* bad_reason = nullptr;  // why (static text)
  bool too_many = false;             // more than CodeTable::kMaxCodes codes
  bool out_of_memory = false;
};

// read(i, &value) for a row's cell: nullptr (a value), kNullCell, or why the
// row is wrong. check_new(value): nullptr, or why a value may not be a code
// (asked once per part for each value new to it).
inline const char* const kNullCell = "null";

// Interns rows [0, n) into `codes` (-1 for a null cell) on `threads` threads.
// A problem stops its part; the first part (in row order) with one reports it
// (out of memory first, then its bad row, then too many codes), so the row
// named is the first wrong row of that part. The codes are then unspecified.
template <typename Read, typename CheckNew>
InternedColumn InternColumn(std::int64_t n, std::size_t threads, std::int32_t* codes, Read&& read,
                            CheckNew&& check_new) {
  const auto rows = static_cast<std::size_t>(n);
  std::vector<InternedColumn> parts(std::max<std::size_t>(threads, 1));
  ForEachRange(parts.size(), rows, [&](std::size_t t, std::size_t begin, std::size_t end) {
    InternedColumn& p = parts[t];
    try {
      for (std::size_t i = begin; i < end; ++i) {
        const auto row = static_cast<std::int64_t>(i);
        std::string_view value;
        if (const char* why = read(row, &value); why != nullptr) {
          if (why != kNullCell) {
            p.bad_row = row;
            p.bad_reason = why;
            return;
          }
          if (p.first_null < 0) p.first_null = row;
          codes[i] = -1;
          continue;
        }
        bool added = false;
        const Id id = p.table.Intern(value, &added);
        if (id == kNoId) {
          p.too_many = true;
          return;
        }
        if (added) {
          if (const char* why = check_new(value); why != nullptr) {
            p.bad_row = row;
            p.bad_reason = why;
            return;
          }
        }
        codes[i] = id;
      }
    } catch (const std::bad_alloc&) {
      p.out_of_memory = true;
    }
  });
  InternedColumn out;
  for (InternedColumn& p : parts) {
    if (p.out_of_memory || p.bad_row >= 0 || p.too_many) {
      out.out_of_memory = p.out_of_memory;
      out.bad_row = p.bad_row;
      out.bad_reason = p.bad_reason;
      out.too_many = p.too_many;
      return out;
    }
    if (out.first_null < 0) out.first_null = p.first_null;
  }
  // Part 0's codes are final: its table starts the merged one.
  out.table = std::move(parts[0].table);
  std::vector<std::vector<Id>> maps(parts.size());
  try {
    for (std::size_t t = 1; t < parts.size(); ++t) {
      absl::StatusOr<std::vector<Id>> map = InternAll(parts[t].table, out.table);
      if (!map.ok()) {
        out.too_many = true;
        return out;
      }
      maps[t] = *std::move(map);
    }
  } catch (const std::bad_alloc&) {
    out.out_of_memory = true;
    return out;
  }
  if (parts.size() > 1) {
    RunOnThreads(parts.size() - 1, [&](std::size_t k) {
      const std::size_t t = k + 1;
      const std::vector<Id>& to = maps[t];
      for (std::size_t i = RangeBegin(rows, t, parts.size()),
                       end = RangeBegin(rows, t + 1, parts.size());
           i < end; ++i) {
        if (codes[i] >= 0) codes[i] = to[static_cast<std::size_t>(codes[i])];
      }
    });
  }
  return out;
}

}  // namespace salesight::internal
