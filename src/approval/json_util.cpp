#include "internal/json_util.hpp"

#include <charconv>

#include "absl/strings/str_cat.h"
#include "salesight/money.hpp"

namespace salesight::approval::internal {

using nlohmann::json;

absl::StatusOr<json> ParseJsonBounded(std::string_view text, const LoadLimits& limits,
                                      std::string_view what_view) {
  const std::string what(what_view);
  if (text.size() > limits.max_bytes) {
    return absl::InvalidArgumentError(absl::StrCat(what, ": ", text.size(),
                                                   " bytes exceed the limit of ", limits.max_bytes));
  }
  bool too_deep = false;
  // The parser is iterative; the callback drops any subtree beyond the depth
  // limit so the document built stays bounded, and the flag turns it into an error.
  json::parser_callback_t cb = [&](int depth, json::parse_event_t event, json&) {
    if ((event == json::parse_event_t::object_start || event == json::parse_event_t::array_start) &&
        depth >= limits.max_depth) {
      too_deep = true;
      return false;
    }
    return !too_deep;
  };
  json j = json::parse(text.begin(), text.end(), cb, /*allow_exceptions=*/false);
  if (too_deep) {
    return absl::InvalidArgumentError(
        absl::StrCat(what, ": nesting deeper than the limit of ", limits.max_depth));
  }
  if (j.is_discarded()) {
    // Parse again with exceptions only to obtain the position in the message.
    try {
      const json again = json::parse(text.begin(), text.end());
      static_cast<void>(again);
    } catch (const json::exception& e) {
      return absl::InvalidArgumentError(absl::StrCat(what, ": not valid JSON: ", e.what()));
    }
    return absl::InvalidArgumentError(absl::StrCat(what, ": not valid JSON"));
  }
  return j;
}

absl::StatusOr<Value> JsonToValue(const json& j, ValueType type) {
  if (j.is_null()) return Value::Null();
  const std::string shown = j.dump();
  auto wrong = [&]() {
    return absl::InvalidArgumentError(
        absl::StrCat(shown, " is not a ", std::string(ValueTypeName(type))));
  };
  switch (type) {
    case ValueType::kNull:
      return wrong();
    case ValueType::kString:
      if (!j.is_string()) return wrong();
      return Value::String(j.get<std::string>());
    case ValueType::kBool:
      if (!j.is_boolean()) return wrong();
      return Value::Bool(j.get<bool>());
    case ValueType::kDate: {
      if (!j.is_string()) return wrong();
      absl::StatusOr<Day> d = ParseDate(j.get<std::string>(), DateFormat::kIso);
      if (!d.ok()) return d.status();
      return Value::Date(*d);
    }
    case ValueType::kNumber: {
      if (j.is_string()) {
        absl::StatusOr<std::int64_t> n = ParseNumber(j.get<std::string>());
        if (!n.ok()) return n.status();
        return Value::Number(*n);
      }
      if (j.is_number_integer()) {
        if (j.is_number_unsigned() && j.get<std::uint64_t>() > static_cast<std::uint64_t>(kMaxMoney)) {
          return absl::OutOfRangeError(absl::StrCat(shown, " is out of the number range"));
        }
        absl::StatusOr<std::int64_t> n = NumberFromUnits(j.get<std::int64_t>());
        if (!n.ok()) return n.status();
        return Value::Number(*n);
      }
      if (j.is_number_float()) {
        char buf[64];
        const auto res = std::to_chars(buf, buf + sizeof buf, j.get<double>());
        std::string_view text(buf, static_cast<std::size_t>(res.ptr - buf));
        if (text.find('e') != std::string_view::npos) {
          return absl::InvalidArgumentError(
              absl::StrCat(shown, " is not an exact decimal (write it as a string)"));
        }
        absl::StatusOr<std::int64_t> n = ParseNumber(text);
        if (!n.ok()) return n.status();
        return Value::Number(*n);
      }
      return wrong();
    }
  }
  return wrong();
}

json ValueToJson(const Value& v) {
  switch (v.type) {
    case ValueType::kNull:
      return nullptr;
    case ValueType::kString:
      return v.text;
    case ValueType::kBool:
      return v.boolean;
    case ValueType::kDate:
      return FormatDate(v.date);
    case ValueType::kNumber:
      if (v.number % Pow10(kNumberScale) == 0) return v.number / Pow10(kNumberScale);
      return json::parse(FormatNumber(v.number));
  }
  return nullptr;
}

absl::StatusOr<std::string> OptString(const json& j, const char* key, std::string_view where) {
  if (!j.is_object() || !j.contains(key)) return std::string();
  const json& v = j.at(key);
  if (!v.is_string()) {
    return absl::InvalidArgumentError(
        absl::StrCat(std::string(where), ": '", key, "' must be a string, got ", v.dump()));
  }
  return v.get<std::string>();
}

}  // namespace salesight::approval::internal
