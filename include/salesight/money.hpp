// Money: int64 minor units at a per-table decimal scale (2 = cents/分 by default).
//
// Parsing is exact decimal text -> integer; no binary floating point is ever on
// the path. Extra decimals beyond the scale are an error (never rounded), and
// any value outside +-kMaxMoney (9e15 minor units) is an error, which leaves
// headroom so sums over 1000 maximal values cannot wrap before a checked add
// notices.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace salesight {

using Money = std::int64_t;

inline constexpr Money kMaxMoney = 9'000'000'000'000'000;  // 9e15 minor units
inline constexpr int kDefaultMoneyScale = 2;
inline constexpr int kMaxMoneyScale = 6;

struct MoneyParseOptions {
  int scale = kDefaultMoneyScale;  // decimals kept, 0..6
  char decimal_point = '.';
  // Thousands separator accepted between digit groups ("1,234,567.89"); '\0' = none.
  char thousands_separator = '\0';
};

// Parses "-1234.5", "+12", "1,234.50", "(12.30)" (accounting negative), with
// optional surrounding spaces and a leading currency sign ($, ¥, €, £).
absl::StatusOr<Money> ParseMoney(std::string_view text, const MoneyParseOptions& options = {});

// Number of decimals the text carries after the decimal point (trailing zeros
// count: "1.50" -> 2), or an error when it is not a decimal number at all.
absl::StatusOr<int> MoneyDecimals(std::string_view text, const MoneyParseOptions& options = {});

// "-1234.50" for (-123450, 2). Exact.
std::string FormatMoney(Money value, int scale = kDefaultMoneyScale);

// Converts a value at `from_scale` to `to_scale` (>= from_scale), exactly.
absl::StatusOr<Money> RescaleMoney(Money value, int from_scale, int to_scale);

// Checked arithmetic: false on overflow of int64 (the caller reports it).
inline bool AddMoney(Money a, Money b, Money* out) { return !__builtin_add_overflow(a, b, out); }
inline bool MulMoney(Money a, std::int64_t b, Money* out) { return !__builtin_mul_overflow(a, b, out); }

// 10^scale for scale in 0..18.
std::int64_t Pow10(int scale);

// Money as a double in currency units (for ratios and display only).
inline double MoneyToDouble(Money value, int scale) {
  return static_cast<double>(value) / static_cast<double>(Pow10(scale));
}

}  // namespace salesight
