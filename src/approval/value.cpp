#include "salesight/approval/value.hpp"

#include <array>
#include <utility>

#include "absl/strings/str_cat.h"
#include "salesight/money.hpp"

namespace salesight::approval {
namespace {

struct TypeName {
  std::string_view name;
  ValueType type;
};
constexpr std::array<TypeName, 8> kTypeNames{{{"number", ValueType::kNumber},
                                              {"string", ValueType::kString},
                                              {"boolean", ValueType::kBool},
                                              {"date", ValueType::kDate},
                                              {"integer", ValueType::kNumber},
                                              {"long", ValueType::kNumber},
                                              {"double", ValueType::kNumber},
                                              {"null", ValueType::kNull}}};

}  // namespace

absl::StatusOr<ValueType> ParseValueType(std::string_view name) {
  for (const TypeName& t : kTypeNames) {
    if (t.name == name && t.type != ValueType::kNull) return t.type;
  }
  return absl::InvalidArgumentError(
      absl::StrCat("unknown type '", std::string(name),
                   "' (expected number, string, boolean or date)"));
}

std::string_view ValueTypeName(ValueType type) {
  for (const TypeName& t : kTypeNames) {
    if (t.type == type) return t.name;
  }
  return "null";
}

absl::StatusOr<std::int64_t> ParseNumber(std::string_view text) {
  // Only plain decimals: FEEL number literals have no thousands separators,
  // currency signs or accounting parentheses, which ParseMoney would accept.
  std::size_t i = 0;
  if (i < text.size() && (text[i] == '-' || text[i] == '+')) ++i;
  bool digit = false, point = false;
  for (; i < text.size(); ++i) {
    if (text[i] >= '0' && text[i] <= '9') {
      digit = true;
    } else if (text[i] == '.' && !point) {
      point = true;
    } else {
      digit = false;
      break;
    }
  }
  if (!digit || text.back() == '.') {
    return absl::InvalidArgumentError(
        absl::StrCat("'", std::string(text), "' is not a decimal number"));
  }
  MoneyParseOptions options;
  options.scale = kNumberScale;
  absl::StatusOr<Money> m = ParseMoney(text, options);
  if (!m.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "'", std::string(text), "' is not an exact number with at most ", kNumberScale,
        " decimals within +-", FormatNumber(kMaxMoney)));
  }
  return *m;
}

absl::StatusOr<std::int64_t> NumberFromUnits(std::int64_t units) {
  std::int64_t out = 0;
  if (!MulMoney(units, Pow10(kNumberScale), &out) || out > kMaxMoney || out < -kMaxMoney) {
    return absl::OutOfRangeError(absl::StrCat(units, " is out of the number range"));
  }
  return out;
}

std::string FormatNumber(std::int64_t scaled) {
  std::string s = FormatMoney(scaled, kNumberScale);
  const std::size_t point = s.find('.');
  if (point == std::string::npos) return s;
  std::size_t end = s.size();
  while (end > point + 1 && s[end - 1] == '0') --end;
  if (end == point + 1) end = point;
  s.resize(end);
  return s;
}

std::string FeelLiteral(const Value& v) {
  switch (v.type) {
    case ValueType::kNull:
      return "null";
    case ValueType::kNumber:
      return FormatNumber(v.number);
    case ValueType::kBool:
      return v.boolean ? "true" : "false";
    case ValueType::kDate:
      return absl::StrCat("date(\"", FormatDate(v.date), "\")");
    case ValueType::kString: {
      std::string out = "\"";
      for (char c : v.text) {
        if (c == '"' || c == '\\') out += '\\';
        out += c;
      }
      out += '"';
      return out;
    }
  }
  return "null";
}

std::string PlainText(const Value& v) {
  switch (v.type) {
    case ValueType::kNull:
      return "";
    case ValueType::kNumber:
      return FormatNumber(v.number);
    case ValueType::kBool:
      return v.boolean ? "true" : "false";
    case ValueType::kDate:
      return FormatDate(v.date);
    case ValueType::kString:
      return v.text;
  }
  return "";
}

std::strong_ordering Compare(const Value& a, const Value& b) {
  if (a.type != b.type) return a.type <=> b.type;
  switch (a.type) {
    case ValueType::kNull:
      return std::strong_ordering::equal;
    case ValueType::kNumber:
      return a.number <=> b.number;
    case ValueType::kBool:
      return a.boolean <=> b.boolean;
    case ValueType::kDate:
      return a.date <=> b.date;
    case ValueType::kString:
      return a.text.compare(b.text) <=> 0;
  }
  return std::strong_ordering::equal;
}

absl::StatusOr<Value> ParsePlain(std::string_view text, ValueType type) {
  if (text.empty()) return Value::Null();
  switch (type) {
    case ValueType::kNull:
      return Value::Null();
    case ValueType::kString:
      return Value::String(std::string(text));
    case ValueType::kNumber: {
      absl::StatusOr<std::int64_t> n = ParseNumber(text);
      if (!n.ok()) return n.status();
      return Value::Number(*n);
    }
    case ValueType::kBool:
      if (text == "true") return Value::Bool(true);
      if (text == "false") return Value::Bool(false);
      return absl::InvalidArgumentError(
          absl::StrCat("'", std::string(text), "' is not a boolean (true or false)"));
    case ValueType::kDate: {
      absl::StatusOr<Day> d = ParseDate(text, DateFormat::kIso);
      if (!d.ok()) return d.status();
      return Value::Date(*d);
    }
  }
  return Value::Null();
}

}  // namespace salesight::approval
