#include "salesight/money.hpp"

#include <cstdlib>

#include "absl/status/status.h"
#include "absl/strings/str_format.h"

namespace salesight {
namespace {

bool IsSpace(char ch) { return ch == ' ' || ch == '\t'; }

std::string_view TrimSpaces(std::string_view s) {
  while (!s.empty() && IsSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsSpace(s.back())) s.remove_suffix(1);
  return s;
}

// Removes one leading currency sign (ASCII or the UTF-8 yen/yuan, euro, pound).
std::string_view StripCurrency(std::string_view s) {
  static constexpr std::string_view kSigns[] = {"$", "\xC2\xA5" /*¥*/, "\xEF\xBF\xA5" /*￥*/,
                                                "\xE2\x82\xAC" /*€*/, "\xC2\xA3" /*£*/};
  for (std::string_view sign : kSigns) {
    if (s.substr(0, sign.size()) == sign) return TrimSpaces(s.substr(sign.size()));
  }
  return s;
}

struct Decimal {
  bool negative = false;
  std::string_view integer;   // digits, possibly with thousands separators
  std::string_view fraction;  // digits after the decimal point
};

absl::StatusOr<Decimal> SplitDecimal(std::string_view text, const MoneyParseOptions& o) {
  auto bad = [&](std::string_view why) {
    return absl::InvalidArgumentError(absl::StrFormat("'%s' is not an amount: %s", text, why));
  };
  std::string_view s = TrimSpaces(text);
  Decimal d;
  if (s.size() >= 2 && s.front() == '(' && s.back() == ')') {  // accounting negative
    d.negative = true;
    s = TrimSpaces(s.substr(1, s.size() - 2));
  }
  if (!s.empty() && (s.front() == '-' || s.front() == '+')) {
    if (s.front() == '-') d.negative = !d.negative;
    s = TrimSpaces(s.substr(1));
  }
  s = StripCurrency(s);
  if (!s.empty() && s.front() == '-' && !d.negative) {  // "$-12.00"
    d.negative = true;
    s.remove_prefix(1);
  }
  if (s.empty()) return bad("empty");
  std::size_t point = s.find(o.decimal_point);
  d.integer = s.substr(0, point);
  if (point != std::string_view::npos) d.fraction = s.substr(point + 1);
  if (d.integer.empty() && d.fraction.empty()) return bad("no digits");
  // Integer part: digits, and separators only between groups of exactly three.
  std::size_t group = 0;
  bool seen_sep = false;
  for (std::size_t i = 0; i < d.integer.size(); ++i) {
    char ch = d.integer[i];
    if (ch >= '0' && ch <= '9') {
      ++group;
    } else if (o.thousands_separator != '\0' && ch == o.thousands_separator) {
      if (group == 0 || (seen_sep && group != 3) || (!seen_sep && group > 3)) {
        return bad("misplaced thousands separator");
      }
      seen_sep = true;
      group = 0;
    } else {
      return bad(absl::StrFormat("unexpected character '%c'", ch));
    }
  }
  if (seen_sep && group != 3) return bad("misplaced thousands separator");
  for (char ch : d.fraction) {
    if (ch < '0' || ch > '9') return bad(absl::StrFormat("unexpected character '%c'", ch));
  }
  return d;
}

}  // namespace

std::int64_t Pow10(int scale) {
  std::int64_t p = 1;
  for (int i = 0; i < scale; ++i) p *= 10;
  return p;
}

absl::StatusOr<int> MoneyDecimals(std::string_view text, const MoneyParseOptions& options) {
  absl::StatusOr<Decimal> d = SplitDecimal(text, options);
  if (!d.ok()) return d.status();
  return static_cast<int>(d->fraction.size());
}

absl::StatusOr<Money> ParseMoney(std::string_view text, const MoneyParseOptions& options) {
  if (options.scale < 0 || options.scale > kMaxMoneyScale) {
    return absl::InvalidArgumentError(absl::StrFormat("money scale %d is outside 0..%d",
                                                      options.scale, kMaxMoneyScale));
  }
  absl::StatusOr<Decimal> d = SplitDecimal(text, options);
  if (!d.ok()) return d.status();
  std::string_view fraction = d->fraction;
  // Trailing zeros beyond the scale are exact ("1.500" at scale 2); other digits are not.
  while (static_cast<int>(fraction.size()) > options.scale && fraction.back() == '0') {
    fraction.remove_suffix(1);
  }
  if (static_cast<int>(fraction.size()) > options.scale) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "'%s' has %d decimals but the money scale is %d; it would have to be rounded",
        text, static_cast<int>(d->fraction.size()), options.scale));
  }
  // Accumulate as a negative number-free magnitude, checking against kMaxMoney
  // at every step (kMaxMoney * 10 + 9 fits in int64).
  std::int64_t value = 0;
  auto push = [&](char ch) -> bool {
    value = value * 10 + (ch - '0');
    return value <= kMaxMoney;
  };
  auto overflow = [&] {
    return absl::OutOfRangeError(absl::StrFormat(
        "'%s' is outside the money range of +-%d minor units at scale %d", text, kMaxMoney,
        options.scale));
  };
  for (char ch : d->integer) {
    if (ch == options.thousands_separator) continue;
    if (!push(ch)) return overflow();
  }
  for (int i = 0; i < options.scale; ++i) {
    char ch = i < static_cast<int>(fraction.size()) ? fraction[static_cast<std::size_t>(i)] : '0';
    if (!push(ch)) return overflow();
  }
  return d->negative ? -value : value;
}

std::string FormatMoney(Money value, int scale) {
  std::string out;
  bool negative = value < 0;
  // Work in unsigned to format INT64_MIN without overflow.
  std::uint64_t magnitude = negative ? 0 - static_cast<std::uint64_t>(value)
                                     : static_cast<std::uint64_t>(value);
  std::uint64_t unit = static_cast<std::uint64_t>(Pow10(scale));
  std::string integer = std::to_string(magnitude / unit);
  out = negative ? "-" + integer : integer;
  if (scale > 0) {
    std::string frac = std::to_string(magnitude % unit);
    out += '.';
    out.append(static_cast<std::size_t>(scale) - frac.size(), '0');
    out += frac;
  }
  return out;
}

absl::StatusOr<Money> RescaleMoney(Money value, int from_scale, int to_scale) {
  if (from_scale < 0 || to_scale > kMaxMoneyScale || to_scale < from_scale) {
    return absl::InvalidArgumentError(
        absl::StrFormat("cannot rescale money from scale %d to %d", from_scale, to_scale));
  }
  Money out = 0;
  if (!MulMoney(value, Pow10(to_scale - from_scale), &out) || out > kMaxMoney || out < -kMaxMoney) {
    return absl::OutOfRangeError(absl::StrFormat(
        "%s overflows the money range at scale %d", FormatMoney(value, from_scale), to_scale));
  }
  return out;
}

}  // namespace salesight
