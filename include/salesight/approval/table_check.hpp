// Static checks of a decision table, over all input values at once (each
// input assumed present; numbers exact at kNumberScale):
//   gap        an input combination no rule covers, as a box of ranges
//              ("amount in [200000..200000.01) matches no rule")
//   overlap    under UNIQUE (and ANY with different outputs): two rules that
//              both match, with a witness input
//   never      a rule that can never be the result: under FIRST, every input
//              it matches is matched by an earlier rule; under PRIORITY, by a
//              rule of higher output priority (or equal priority, earlier);
//              under any policy, a rule whose tests match nothing
//   incomplete the search gave up at `max_steps` (a table too large to check
//              exhaustively); what was found is still reported
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "salesight/approval/decision_table.hpp"

namespace salesight::approval {

enum class FindingKind : std::uint8_t { kGap, kOverlap, kNeverFires, kIncomplete,
                                        kUnresolvedRole, kChainNeverCompletes };
std::string_view FindingKindName(FindingKind kind);  // "gap", "overlap", ...

struct Finding {
  FindingKind kind;
  std::string decision;             // table id (or chain / role for policy findings)
  std::vector<std::size_t> rules;   // the rules concerned, in rule order
  std::string message;              // names the rules and a witness
};

struct CheckOptions {
  std::size_t max_findings_per_kind = 20;
  std::size_t max_steps = 2'000'000;
  bool gaps = true;  // off for tables where "no rule matches" is meant (a default elsewhere)
};

std::vector<Finding> CheckTable(const DecisionTable& table, const CheckOptions& options = {});

}  // namespace salesight::approval
