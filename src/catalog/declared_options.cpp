#include "salesight/declared_options.hpp"

#include "absl/status/status.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "salesight/funnel.hpp"
#include "salesight/margin.hpp"
#include "salesight/rfm.hpp"

namespace salesight {

const std::vector<DeclaredCalculator>& DeclaredCalculators() {
  static const std::vector<DeclaredCalculator> kDeclared = {
      {"rfm", InfosOf(RfmOptionDecls())},
      {"funnel", InfosOf(FunnelOptionDecls())},
      {"margin", InfosOf(MarginOptionDecls())},
  };
  return kDeclared;
}

absl::StatusOr<std::string> DescribeOptions(std::string_view calculator) {
  std::vector<std::string> names;
  for (const DeclaredCalculator& c : DeclaredCalculators()) {
    if (c.name == calculator) return OptionsJson(c.options);
    names.emplace_back(c.name);
  }
  return absl::InvalidArgumentError(
      absl::StrFormat("'%s' has no declared options; the calculators with declared options are %s",
                      calculator, absl::StrJoin(names, ", ")));
}

}  // namespace salesight
