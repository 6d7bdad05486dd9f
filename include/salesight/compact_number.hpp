// Numbers in sentences for a person: the one rule for 1.2M / 1.2万, shared by
// every composite that writes words (alerts, drivers).
#pragma once

#include <string>
#include <string_view>

namespace salesight {

// x with at most 2 decimals, trailing zeros dropped; large values compact:
// en K (>= 1e3, 1 decimal), M (>= 1e6), B (>= 1e9); zh 万 (>= 1e4, 1
// decimal), 亿 (>= 1e8). "-1.2M" keeps the sign.
std::string CompactNumber(double x, std::string_view lang);

// x with `decimals` decimals, trailing zeros (and a bare '.') dropped: 12.5, -3.
std::string DecimalText(double x, int decimals);

// A percentage's magnitude with one decimal, trailing zeros dropped: 12.5, 3.
std::string PercentText(double x);

}  // namespace salesight
