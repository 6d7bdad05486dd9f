// nlohmann-json helpers shared by the approval loaders: bounded parsing and
// JSON values as typed engine values. Private: nlohmann never appears in a
// public header.
#pragma once

#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "nlohmann/json.hpp"
#include "salesight/approval/loader_limits.hpp"
#include "salesight/approval/value.hpp"

namespace salesight::approval::internal {

// Parses `text` within the limits (size, nesting depth); `what` names the
// document in errors ("policy", "inputs").
absl::StatusOr<nlohmann::json> ParseJsonBounded(std::string_view text, const LoadLimits& limits,
                                                std::string_view what);

// A JSON value as a value of `type`: strings for strings, numbers (or decimal
// strings) for numbers, true/false, "YYYY-MM-DD" for dates, null for null.
// JSON numbers go through their shortest round-trip decimal text, so 49999.99
// is exactly 49999.99.
absl::StatusOr<Value> JsonToValue(const nlohmann::json& j, ValueType type);

// A value as JSON (numbers exact: integers as integers, others as the decimal
// text parsed as a JSON number).
nlohmann::json ValueToJson(const Value& v);

// j[key] as a string ("" when absent); an error when present and not a string.
absl::StatusOr<std::string> OptString(const nlohmann::json& j, const char* key,
                                      std::string_view where);

}  // namespace salesight::approval::internal
