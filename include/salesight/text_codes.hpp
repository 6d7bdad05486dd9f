// A text column (Arrow-style offsets + bytes, optional validity bitmap)
// interned into int32 codes on several threads: what a binding hands the
// library instead of factorizing in the host language (the C ABI's
// salesight_interned_create).
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"

namespace salesight {

struct TextCodes {
  // Code k -> its value: views of the caller's bytes, codes in the order of
  // their first appearance in the column (for every thread count).
  std::vector<std::string_view> dictionary;
  std::int64_t first_null = -1;  // the first null row, -1 = none
};

// Writes codes[i] for rows [0, n) (-1 = null: validity bit i clear;
// validity may be null). Row i's value is data[offsets[i], offsets[i+1]).
// num_threads <= 0: one per hardware thread; no thread for fewer than 2^18
// rows. Errors name the first wrong row: InvalidArgument "row R: ..." (a
// negative offset, offsets decreasing, a NUL byte in a value), OutOfRange
// (more than 2^31-1 distinct values), ResourceExhausted (out of memory).
absl::StatusOr<TextCodes> InternTextColumn(const std::int64_t* offsets, const char* data,
                                           std::int64_t n, const std::uint8_t* validity,
                                           int num_threads, std::int32_t* codes);

// codes[i] = new_id[codes[i]] for rows [0, n) but nulls (-1), on threads as
// InternTextColumn (after CanonicalOrder of its dictionary).
void RenumberCodes(std::int32_t* codes, std::int64_t n, absl::Span<const std::int32_t> new_id,
                   int num_threads);

}  // namespace salesight
