#include "salesight/text_codes.hpp"

#include <algorithm>

#include "absl/status/status.h"
#include "absl/strings/str_format.h"
#include "core/internal/parallel_intern.hpp"

namespace salesight {

absl::StatusOr<TextCodes> InternTextColumn(const std::int64_t* offsets, const char* data,
                                           std::int64_t n, const std::uint8_t* validity,
                                           int num_threads, std::int32_t* codes) {
  auto read = [&](std::int64_t i, std::string_view* value) -> const char* {
    if (validity != nullptr && ((validity[i >> 3] >> (i & 7)) & 1) == 0) {
      return internal::kNullCell;
    }
    const std::int64_t b = offsets[i], e = offsets[i + 1];
    if (b < 0) return "a negative offset";
    if (e < b) return "offsets decreasing";
    *value = std::string_view(data + b, static_cast<std::size_t>(e - b));
    return nullptr;
  };
  auto check_new = [](std::string_view value) -> const char* {
    return value.find('\0') != std::string_view::npos ? "a NUL byte, which a code cannot hold"
                                                      : nullptr;
  };
  internal::InternedColumn column = internal::InternColumn(
      n, internal::InternThreads(num_threads, n), codes, read, check_new);
  if (column.out_of_memory) return absl::ResourceExhaustedError("out of memory");
  if (column.bad_row >= 0) {
    return absl::InvalidArgumentError(
        absl::StrFormat("row %d: %s", column.bad_row, column.bad_reason));
  }
  if (column.too_many) {
    return absl::OutOfRangeError(
        absl::StrFormat("more than %d distinct values", internal::CodeTable::kMaxCodes));
  }
  TextCodes out;
  out.dictionary = column.table.codes();
  out.first_null = column.first_null;
  return out;
}

void RenumberCodes(std::int32_t* codes, std::int64_t n, absl::Span<const std::int32_t> new_id,
                   int num_threads) {
  const std::size_t rows = static_cast<std::size_t>(std::max<std::int64_t>(n, 0));
  internal::ForEachRange(internal::InternThreads(num_threads, n), rows,
                         [&](std::size_t, std::size_t begin, std::size_t end) {
                           for (std::size_t i = begin; i < end; ++i) {
                             if (codes[i] >= 0) codes[i] = new_id[static_cast<std::size_t>(codes[i])];
                           }
                         });
}

}  // namespace salesight
