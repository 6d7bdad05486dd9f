// The options of every calculator by name (salesight/declared_options.hpp),
// read from the registry (salesight/calculator.hpp): no list of its own.
#include "salesight/declared_options.hpp"

#include "absl/status/status.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "salesight/calculator.hpp"
#include "salesight/names.hpp"

namespace salesight {

const std::vector<DeclaredCalculator>& DeclaredCalculators() {
  static const std::vector<DeclaredCalculator>* const kAll = [] {
    auto* all = new std::vector<DeclaredCalculator>;
    for (const CalculatorSpec& spec : Calculators()) all->push_back({spec.name, spec.options});
    return all;
  }();
  return *kAll;
}

absl::StatusOr<std::string> DescribeOptions(std::string_view calculator) {
  std::vector<std::string> names;
  for (const CalculatorSpec& spec : Calculators()) {
    if (spec.name == calculator) return OptionsJson(spec.options);
    names.emplace_back(spec.name);
  }
  return absl::InvalidArgumentError(absl::StrFormat(
      "'%s' has no declared options; the calculators with declared options are %s.%s",
      calculator, absl::StrJoin(names, ", "), DidYouMean(calculator, names)));
}

}  // namespace salesight
