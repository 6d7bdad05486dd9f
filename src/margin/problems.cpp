// MarginProblems: lines without a cost, as the one data-problems list.
#include <cstdint>
#include <optional>

#include "absl/strings/str_format.h"
#include "salesight/margin.hpp"

namespace salesight {

DataProblem CostUnknownProblem(std::int64_t lines, std::optional<Money> revenue,
                               int money_scale) {
  DataProblem p;
  p.problem = "cost_unknown_lines";
  p.count = lines;
  p.amount = revenue;
  p.message = revenue ? absl::StrFormat("%d lines (revenue %s) have no cost: left out of cost "
                                        "and margin",
                                        lines, FormatMoney(*revenue, money_scale))
                      : absl::StrFormat("%d lines have no cost: left out of the margin", lines);
  return p;
}

DataProblems MarginProblems(const MarginResult& result) {
  DataProblems out;
  out.money_scale = result.money_scale;
  if (result.total.cost_unknown_lines > 0) {
    out.items.push_back(CostUnknownProblem(result.total.cost_unknown_lines,
                                           result.total.cost_unknown_revenue,
                                           result.money_scale));
  }
  return out;
}

}  // namespace salesight
