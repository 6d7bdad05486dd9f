// The options of every calculator by name (salesight/declared_options.hpp).
#include "salesight/declared_options.hpp"

#include "absl/status/status.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "salesight/calculator.hpp"
#include "salesight/funnel.hpp"
#include "salesight/margin.hpp"
#include "salesight/names.hpp"
#include "salesight/rfm.hpp"

namespace salesight {

const std::vector<DeclaredCalculator>& DeclaredCalculators() {
  static const std::vector<DeclaredCalculator> kDeclared = {
      {"rfm", InfosOf(RfmOptionDecls())},
      {"funnel", InfosOf(FunnelOptionDecls())},
      {"margin", InfosOf(MarginOptionDecls())},
  };
  // ...and every registered calculator (salesight/calculator.hpp), once.
  static const std::vector<DeclaredCalculator>* const kAll = [] {
    auto* all = new std::vector<DeclaredCalculator>(kDeclared);
    for (const CalculatorSpec& spec : Calculators()) {
      bool listed = false;
      for (const DeclaredCalculator& d : kDeclared) listed = listed || d.name == spec.name;
      if (!listed) all->push_back({spec.name, spec.options});
    }
    return all;
  }();
  return *kAll;
}

absl::StatusOr<std::string> DescribeOptions(std::string_view calculator) {
  std::vector<std::string> names;
  for (const DeclaredCalculator& c : DeclaredCalculators()) {
    if (c.name == calculator) return OptionsJson(c.options);
    names.emplace_back(c.name);
  }
  return absl::InvalidArgumentError(absl::StrFormat(
      "'%s' has no declared options; the calculators with declared options are %s.%s",
      calculator, absl::StrJoin(names, ", "), DidYouMean(calculator, names)));
}

}  // namespace salesight
