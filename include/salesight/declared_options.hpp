// The declared options (salesight/options.hpp) of every registered
// calculator (salesight/calculator.hpp, src/calculators/registry.cpp: the one
// list), by name: what `salesight options`, the C ABI's
// salesight_options_describe and through it the Python keywords read.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "salesight/options.hpp"

namespace salesight {

struct DeclaredCalculator {
  std::string_view name;             // "rfm", "funnel", "margin", ...
  std::vector<OptionInfo> options;  // in declaration order
};

// Every registered calculator, in the registry's order.
const std::vector<DeclaredCalculator>& DeclaredCalculators();

// OptionsJson of `calculator`'s options, or an error naming the declared
// calculators.
absl::StatusOr<std::string> DescribeOptions(std::string_view calculator);

}  // namespace salesight
