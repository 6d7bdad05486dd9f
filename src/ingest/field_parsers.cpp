#include "internal/field_parsers.hpp"

#include <algorithm>
#include <cstring>
#include <limits>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_format.h"
#include "internal/value_forms.hpp"

namespace salesight::ingest {
namespace {

// Length of the valid UTF-8 sequence at s[i], or 0 when it is not one.
std::size_t Utf8SequenceLength(std::string_view s, std::size_t i) {
  const auto c = static_cast<unsigned char>(s[i]);
  if (c < 0x80) return 1;
  std::size_t n;
  std::uint32_t cp;
  std::uint32_t min;
  if ((c & 0xE0) == 0xC0) {
    n = 1, cp = c & 0x1Fu, min = 0x80;
  } else if ((c & 0xF0) == 0xE0) {
    n = 2, cp = c & 0x0Fu, min = 0x800;
  } else if ((c & 0xF8) == 0xF0) {
    n = 3, cp = c & 0x07u, min = 0x10000;
  } else {
    return 0;
  }
  if (s.size() - i <= n) return 0;
  for (std::size_t k = 1; k <= n; ++k) {
    const auto b = static_cast<unsigned char>(s[i + k]);
    if ((b & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (b & 0x3Fu);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return n + 1;
}

}  // namespace

bool ValidUtf8(std::string_view s) { return Utf8ValidPrefix(s) == s.size(); }

std::size_t Utf8ValidPrefix(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    // ASCII fast path, eight bytes at a time: most codes are plain ASCII.
    if (s.size() - i >= 8) {
      std::uint64_t w;
      std::memcpy(&w, s.data() + i, 8);
      if ((w & 0x8080808080808080ull) == 0) {
        i += 8;
        continue;
      }
    }
    std::size_t n = Utf8SequenceLength(s, i);
    if (n == 0) return i;
    i += n;
  }
  return i;
}

std::string Printable(std::string_view s, std::size_t max_bytes) {
  std::string out;
  std::size_t i = 0;
  while (i < s.size()) {
    std::size_t n = Utf8SequenceLength(s, i);
    std::size_t add = n == 0 ? 4 : n;
    if (out.size() + add > max_bytes) {
      out += "...";
      break;
    }
    if (n == 0) {
      out += absl::StrFormat("\\x%02X", static_cast<unsigned char>(s[i]));
      ++i;
    } else {
      out.append(s.substr(i, n));
      i += n;
    }
  }
  return out;
}

bool ParsePlainInteger(std::string_view s, std::int64_t* out) {
  bool negative = false;
  if (!s.empty() && s.front() == '-') {
    negative = true;
    s.remove_prefix(1);
  }
  if (s.empty() || s.size() > 18 || (s.front() == '0' && (s.size() > 1 || negative))) {
    return false;  // 18 digits always fit int64; longer keys are codes
  }
  std::int64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  *out = negative ? -v : v;
  return true;
}

bool ParseInteger(std::string_view s, char thousands_separator, std::int64_t lo, std::int64_t hi,
                  std::int64_t* out) {
  bool negative = false;
  if (!s.empty() && (s.front() == '-' || s.front() == '+')) {
    negative = s.front() == '-';
    s.remove_prefix(1);
  }
  if (s.empty()) return false;
  // Magnitude up to 2^63 so that the most negative value parses.
  constexpr std::uint64_t kLimit = std::uint64_t{1} << 63;
  std::uint64_t v = 0;
  std::size_t group = 0;
  bool seen_sep = false;
  for (char c : s) {
    if (c >= '0' && c <= '9') {
      v = v * 10 + static_cast<std::uint64_t>(c - '0');
      if (v > kLimit) return false;
      ++group;
    } else if (thousands_separator != '\0' && c == thousands_separator) {
      if (group == 0 || (seen_sep && group != 3) || (!seen_sep && group > 3)) return false;
      seen_sep = true;
      group = 0;
    } else {
      return false;
    }
  }
  if (group == 0 || (seen_sep && group != 3)) return false;
  std::int64_t value;
  if (negative) {
    value = v == kLimit ? std::numeric_limits<std::int64_t>::min()
                        : -static_cast<std::int64_t>(v);
  } else {
    if (v == kLimit) return false;
    value = static_cast<std::int64_t>(v);
  }
  if (value < lo || value > hi) return false;
  *out = value;
  return true;
}

absl::StatusOr<Day> DateParser::Parse(std::string_view text) {
  if (!slow_first_) {
    absl::StatusOr<Day> day = ParseFast(text);
    if (day.ok()) return day;
    absl::StatusOr<Day> slow = ParseDateForms(text, format_, excel_serial_, day.status());
    if (slow.ok()) slow_first_ = true;
    return slow;
  }
  // The file's dates are in a slow form: try it first (disjoint shapes, same answer).
  static const absl::Status kNoForm = absl::InvalidArgumentError("no slow form");
  absl::StatusOr<Day> slow = ParseDateForms(text, format_, excel_serial_, kNoForm);
  if (slow.ok()) return slow;
  absl::StatusOr<Day> day = ParseFast(text);
  if (day.ok()) return day;
  return ParseDateForms(text, format_, excel_serial_, day.status());
}

absl::StatusOr<Day> DateParser::ParseFast(std::string_view text) {
  if (format_ != DateFormat::kAuto) return ParseDate(text, format_);
  absl::StatusOr<Day> day = ParseDate(text, last_);
  if (day.ok()) return day;
  for (DateFormat f : {DateFormat::kIso, DateFormat::kYmdSlash, DateFormat::kCompact,
                       DateFormat::kDmyDot, DateFormat::kMdySlash}) {
    if (f == last_) continue;
    day = ParseDate(text, f);
    if (day.ok()) {
      last_ = f;
      return day;
    }
  }
  return ParseDate(text, DateFormat::kAuto);  // its message lists every format
}

MoneyScale::MoneyScale(int fixed_scale, char decimal_point, char thousands_separator)
    : fixed_(fixed_scale >= 0) {
  options_.scale = fixed_ ? fixed_scale : 0;
  options_.decimal_point = decimal_point;
  options_.thousands_separator = thousands_separator;
}

bool MoneyScale::Parse(std::string_view text, ParsedMoney* out, std::string_view* kind,
                       std::string* detail) const {
  const bool ok = ParseText(text, out, kind, detail);
  if (ok ? (out->value > kMaxMoney / Pow10(kMaxMoneyScale - out->scale) ||
            out->value < -(kMaxMoney / Pow10(kMaxMoneyScale - out->scale)))
         : *kind == "amount out of range") {
    large_ = true;
  }
  return ok;
}

bool MoneyScale::ParseText(std::string_view text, ParsedMoney* out, std::string_view* kind,
                           std::string* detail) const {
  if (ParseWith(text, options_, out, kind, detail)) return true;
  if (*kind == "amount out of range") return false;
  std::string rewritten;
  char thousands = options_.thousands_separator;
  if (!RewriteAmount(text, options_.decimal_point, options_.thousands_separator, &rewritten,
                     &thousands, kind, detail)) {
    return false;
  }
  if (rewritten == text && thousands == options_.thousands_separator) return false;
  MoneyParseOptions o = options_;
  o.thousands_separator = thousands;
  if (ParseWith(rewritten, o, out, kind, detail)) return true;
  *detail = absl::StrFormat("'%s' (read as '%s'): %s", Printable(text), Printable(rewritten),
                            *detail);
  return false;
}

bool MoneyScale::ParseWith(std::string_view text, const MoneyParseOptions& options,
                           ParsedMoney* out, std::string_view* kind, std::string* detail) const {
  absl::StatusOr<Money> v = ParseMoney(text, options);
  if (v.ok()) {
    *out = ParsedMoney{*v, options.scale};
    return true;
  }
  if (v.status().code() == absl::StatusCode::kOutOfRange) {
    *kind = "amount out of range";
    *detail = std::string(v.status().message());
    return false;
  }
  absl::StatusOr<int> decimals = MoneyDecimals(text, options);
  if (!decimals.ok()) {
    *kind = "not an amount";
    *detail = std::string(decimals.status().message());
    return false;
  }
  if (fixed_) {
    *kind = "too many decimals";
    *detail = std::string(v.status().message());
    return false;
  }
  // Auto: the smallest larger scale that holds the text exactly.
  MoneyParseOptions o = options;
  for (o.scale = options.scale + 1; o.scale <= kMaxMoneyScale; ++o.scale) {
    v = ParseMoney(text, o);
    if (v.ok()) {
      *out = ParsedMoney{*v, o.scale};
      return true;
    }
    if (v.status().code() == absl::StatusCode::kOutOfRange) {
      *kind = "amount out of range";
      *detail = std::string(v.status().message());
      return false;
    }
  }
  *kind = "too many decimals";
  *detail = absl::StrFormat("'%s' has %d decimals; at most %d are kept exactly", text, *decimals,
                            kMaxMoneyScale);
  return false;
}

bool MoneyScale::Settle(absl::Span<ParsedMoney* const> values, int* target, std::size_t* bad,
                        std::string* detail) const {
  int t = options_.scale;
  for (const ParsedMoney* v : values) t = std::max(t, v->scale);
  for (std::size_t i = 0; i < values.size(); ++i) {
    ParsedMoney* v = values[i];
    if (v->scale == t) continue;
    absl::StatusOr<Money> r = RescaleMoney(v->value, v->scale, t);
    if (!r.ok()) {
      *bad = i;
      *detail = absl::StrFormat("%s (another amount of the row needs scale %d)",
                                r.status().message(), t);
      return false;
    }
    *v = ParsedMoney{*r, t};
  }
  *target = t;
  return true;
}

bool MoneyScale::CanRaise(int target) const {
  Money scaled = 0;
  return MulMoney(max_abs_, Pow10(target - options_.scale), &scaled) && scaled <= kMaxMoney;
}

void MoneyScale::Raise(int target) {
  const std::int64_t factor = Pow10(target - options_.scale);
  for (std::vector<Money>* column : columns_) {
    for (Money& x : *column) x *= factor;
  }
  max_abs_ *= factor;
  options_.scale = target;
}

absl::Status KeyColumn::Push(std::string_view text) {
  if (!codes_) {
    std::int64_t v = 0;
    if (ParsePlainInteger(text, &v)) {
      PushGrow(values_, v);
      return absl::OkStatus();
    }
    absl::Status st = SwitchToCodes();
    if (!st.ok()) return st;
  }
  absl::StatusOr<Id> id = (*dict_)->Intern(text);
  if (!id.ok()) return id.status();
  PushGrow(values_, std::int64_t{*id});
  return absl::OkStatus();
}

absl::Status KeyColumn::SwitchToCodes() {
  Dictionary& dict = EnsureDictionary(*dict_);
  for (std::int64_t& v : values_) {
    absl::StatusOr<Id> id = dict.Intern(std::to_string(v));
    if (!id.ok()) return id.status();
    v = *id;
  }
  codes_ = true;
  return absl::OkStatus();
}

}  // namespace salesight::ingest
