// JSON text: the one string escaper of every JSON salesight writes (result
// tables, option declarations, the benchmark protocol).
#pragma once

#include <string>
#include <string_view>

namespace salesight {

// `s` as a JSON string literal, quotes included: '"' and '\' escaped, \n \r \t
// by their short forms, other control characters as \u00XX; UTF-8 passes.
std::string JsonQuote(std::string_view s);

}  // namespace salesight
