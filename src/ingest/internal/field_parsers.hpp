// Per-field parsing for the CSV loaders: text of one field -> typed value, or a
// reject kind + reason. All success paths are allocation-free; messages are built
// only for rejected values.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "salesight/date.hpp"
#include "salesight/dictionary.hpp"
#include "salesight/money.hpp"

namespace salesight::ingest {

// Debian's Abseil has its own string_view type; Status messages come as one.
inline std::string_view ToStd(absl::string_view s) { return std::string_view(s.data(), s.size()); }

// Surrounding spaces and tabs are never part of a value.
inline std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Strict UTF-8: no overlong forms, no surrogates, nothing above U+10FFFF.
bool ValidUtf8(std::string_view s);
// Length of the longest valid UTF-8 prefix of `s` (s.size() when all valid).
std::size_t Utf8ValidPrefix(std::string_view s);

// `s` for a message: invalid UTF-8 bytes as \xNN, cut to at most `max_bytes`
// (at a character boundary, with "..." appended when cut).
std::string Printable(std::string_view s, std::size_t max_bytes = 256);

// A key that is a plain integer: "0" or -?[1-9][0-9]* within int64. Leading
// zeros, signs '+', separators or spaces make it a code instead.
bool ParsePlainInteger(std::string_view s, std::int64_t* out);

// An integer field (quantity, line): optional sign, digits, optional thousands
// separators between groups of three; within [lo, hi].
bool ParseInteger(std::string_view s, char thousands_separator, std::int64_t lo, std::int64_t hi,
                  std::int64_t* out);

// Grows like push_back but by 25% instead of doubling, so a short reserve costs
// at most a quarter of the column in slack.
template <typename T>
inline void PushGrow(std::vector<T>& v, const T& x) {
  if (v.size() == v.capacity()) v.reserve(v.capacity() + v.capacity() / 4 + 64);
  v.push_back(x);
}
// Gives back a grossly over-estimated reserve (capacity over twice the size).
// Smaller slack is left alone: its untouched pages are not resident, and
// shrinking would copy the column.
template <typename T>
inline void TrimSlack(std::vector<T>& v) {
  if (v.capacity() > 2 * v.size() + 4096) v.shrink_to_fit();
}

// Dates with one format; kAuto remembers the format that matched last and tries
// it first. The formats' shapes are disjoint (separator and digit counts), so a
// text matches at most one of them and the answer equals ParseDate(text, kAuto).
// Texts the format does not read go to the slow forms (value_forms.hpp:
// 2024年1月7日, full-width digits, Excel serials when `excel_serial`); after one
// of those matched they are tried first, as their shapes are disjoint too.
class DateParser {
 public:
  explicit DateParser(DateFormat format, bool excel_serial = false)
      : format_(format), excel_serial_(excel_serial) {}
  absl::StatusOr<Day> Parse(std::string_view text);
  DateFormat format() const { return format_; }

 private:
  absl::StatusOr<Day> ParseFast(std::string_view text);

  DateFormat format_;
  bool excel_serial_;
  bool slow_first_ = false;
  DateFormat last_ = DateFormat::kIso;
};

struct ParsedMoney {
  Money value = 0;
  int scale = 0;
};

// The one money scale of a table being loaded, fixed or automatic (see csv.hpp).
class MoneyScale {
 public:
  // fixed_scale < 0 = auto, starting at 0.
  MoneyScale(int fixed_scale, char decimal_point, char thousands_separator);

  int scale() const { return options_.scale; }
  bool fixed() const { return fixed_; }

  // Parses `text` at the current scale or, when auto and the text has more
  // decimals, at the smallest larger scale holding it exactly. On failure sets
  // *kind (static text) and *detail. Texts the fast parser refuses are
  // rewritten from their slow forms (value_forms.hpp RewriteAmount) and tried
  // once more.
  bool Parse(std::string_view text, ParsedMoney* out, std::string_view* kind,
             std::string* detail) const;

  // Brings the row's values to one scale >= scale() (the largest they need).
  // False when one of them overflows there: *bad is its index.
  bool Settle(absl::Span<ParsedMoney* const> values, int* target, std::size_t* bad,
              std::string* detail) const;

  // Whether every value stored so far can be rescaled to `target` without
  // overflowing +-kMaxMoney.
  bool CanRaise(int target) const;
  // Rescales every registered column to `target` (CanRaise must hold).
  void Raise(int target);

  // Columns rescaled by Raise; registered before any value is stored.
  void Register(std::vector<Money>* column) { columns_.push_back(column); }
  // Every stored value (or a derived magnitude that must stay in range when
  // rescaled, e.g. quantity x unit_cost) goes through here.
  void Track(Money magnitude) {
    Money a = magnitude < 0 ? -magnitude : magnitude;
    if (a > max_abs_) max_abs_ = a;
  }
  Money max_abs() const { return max_abs_; }

  // Whether an amount parsed or stored so far could overflow +-kMaxMoney at
  // some scale <= kMaxMoneyScale: below that, whether an amount is accepted
  // does not depend on the scale at its row (orders_chunks.cpp relies on it).
  bool saw_large() const {
    return large_ || max_abs_ > kMaxMoney / Pow10(kMaxMoneyScale - options_.scale);
  }

 private:
  bool ParseText(std::string_view text, ParsedMoney* out, std::string_view* kind,
                 std::string* detail) const;
  bool ParseWith(std::string_view text, const MoneyParseOptions& options, ParsedMoney* out,
                 std::string_view* kind, std::string* detail) const;

  MoneyParseOptions options_;
  bool fixed_;
  Money max_abs_ = 0;
  mutable bool large_ = false;  // Parse() is const for its callers; one thread per MoneyScale
  std::vector<std::vector<Money>*> columns_;
};

// The slot's dictionary, created when null.
inline Dictionary& EnsureDictionary(std::shared_ptr<Dictionary>& slot) {
  if (!slot) slot = std::make_shared<Dictionary>();
  return *slot;
}

// A key column (order, invoice, opportunity numbers): int64 numbers while every
// key is a plain integer, dictionary ids from the first key that is not (see
// csv.hpp). Starts in code mode when the shared dictionary already holds codes.
class KeyColumn {
 public:
  explicit KeyColumn(std::shared_ptr<Dictionary>* dict)
      : dict_(dict), codes_(*dict != nullptr && !(*dict)->empty()) {}
  // `text` is trimmed, non-empty, valid UTF-8.
  absl::Status Push(std::string_view text);
  std::vector<std::int64_t>& values() { return values_; }
  bool codes() const { return codes_; }

 private:
  absl::Status SwitchToCodes();

  std::shared_ptr<Dictionary>* dict_;
  bool codes_;
  std::vector<std::int64_t> values_;
};

}  // namespace salesight::ingest
