// Values of the approval engine: what a contract attribute, a decision-table
// entry and a decision output hold.
//
// Numbers (amounts, percentages, days) are exact decimals: an int64 count of
// 10^-kNumberScale units, parsed from decimal text and never through binary
// floating point, so 49999.99 < 50000 < 200000.01 compare exactly. Text with
// more decimals than the scale is an error, never rounded. The range is
// +-kMaxMoney units of 10^-4 (about +-9 * 10^11).
#pragma once

#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "salesight/date.hpp"

namespace salesight::approval {

inline constexpr int kNumberScale = 4;

// Declaration order is the order of the FEEL/DMN type names below.
enum class ValueType : std::uint8_t { kNull, kNumber, kString, kBool, kDate };

struct Value {
  ValueType type = ValueType::kNull;
  std::int64_t number = 0;  // kNumber: value * 10^kNumberScale
  bool boolean = false;     // kBool
  Day date = 0;             // kDate
  std::string text;         // kString

  static Value Null() { return Value{}; }
  static Value Number(std::int64_t scaled) { return Value{ValueType::kNumber, scaled, false, 0, {}}; }
  static Value String(std::string s) { return Value{ValueType::kString, 0, false, 0, std::move(s)}; }
  static Value Bool(bool b) { return Value{ValueType::kBool, 0, b, 0, {}}; }
  static Value Date(Day d) { return Value{ValueType::kDate, 0, false, d, {}}; }
  bool is_null() const { return type == ValueType::kNull; }

  friend bool operator==(const Value&, const Value&) = default;
};

// "number", "string", "boolean", "date" (also the DMN/Camunda spellings
// "integer", "long", "double" for number); an error names the unknown name.
absl::StatusOr<ValueType> ParseValueType(std::string_view name);
std::string_view ValueTypeName(ValueType type);

// "-12.5" -> -125000. Exact; at most kNumberScale decimals.
absl::StatusOr<std::int64_t> ParseNumber(std::string_view text);
// Whole units as a number: 50000 -> 500000000. Error on overflow.
absl::StatusOr<std::int64_t> NumberFromUnits(std::int64_t units);
// 500000000 -> "50000", 499999900 -> "49999.99" (no trailing zeros).
std::string FormatNumber(std::int64_t scaled);

// The value as a FEEL literal: 50000, "A", true, date("2024-03-01"), null.
std::string FeelLiteral(const Value& v);
// The value for people and CSV: 50000, A, true, 2024-03-01, "" for null.
std::string PlainText(const Value& v);

// Total order of two values of the same type (strings bytewise, false < true).
// Values of different types order by type; callers compare like with like.
std::strong_ordering Compare(const Value& a, const Value& b);

// Parses plain text (a CSV cell, a CLI argument) as a value of `type`:
// numbers as decimals, booleans as true/false, dates as YYYY-MM-DD, strings
// as they are. Empty text is null.
absl::StatusOr<Value> ParsePlain(std::string_view text, ValueType type);

}  // namespace salesight::approval
