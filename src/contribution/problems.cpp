// ContributionProblems: lines without a cost (margin measure).
#include "salesight/contribution.hpp"

namespace salesight {

DataProblems ContributionProblems(const ContributionResult& result) {
  DataProblems out;
  out.money_scale = result.money_scale;
  if (result.cost_unknown_lines > 0) {
    out.items.push_back(
        CostUnknownProblem(result.cost_unknown_lines, std::nullopt, result.money_scale));
  }
  return out;
}

}  // namespace salesight
