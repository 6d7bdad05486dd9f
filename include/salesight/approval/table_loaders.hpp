// Decision tables from the two sources: DMN XML (DMN 1.1 to 1.5 namespaces;
// authored in Camunda Modeler and similar tools) and the project's JSON.
//
// Both are untrusted: sizes and nesting are bounded (LoadLimits); the XML
// loader refuses any DOCTYPE (so no DTD, no external entity, no entity
// expansion can happen: XXE and "billion laughs" files are errors), and
// resolves nothing outside the text it is given. Every error names the
// decision, the rule and the column or element.
//
// JSON form of one table:
//   {"id": "route", "name": "Contract routing", "hit_policy": "FIRST",
//    "aggregator": "SUM",                                   (optional, COLLECT)
//    "inputs":  [{"name": "amount", "type": "number", "label": "Amount"}],
//    "outputs": [{"name": "chain", "type": "string", "values": ["a", "b"]}],
//    "rules": [{"id": "small", "description": "...",
//               "when": {"amount": "< 50000"},              (or a list in column order;
//                                                              a missing column is "-")
//               "then": {"chain": "a"}}]}                   (or a list; JSON values;
//                                                              numbers may be strings,
//                                                              dates are "YYYY-MM-DD")
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "salesight/approval/decision_table.hpp"
#include "salesight/approval/loader_limits.hpp"

namespace salesight::approval {

// Every decision table of a DMN file, in document order. Decisions whose
// logic is not a decision table are refused, naming the element.
absl::StatusOr<std::vector<DecisionTable>> LoadDmn(std::string_view xml,
                                                   const LoadLimits& limits = {});

// One table in the JSON form above.
absl::StatusOr<DecisionTable> LoadDecisionTableJson(std::string_view json,
                                                    const LoadLimits& limits = {});

// The table whose id or name is `id_or_name` (id first); an error lists the ids.
absl::StatusOr<const DecisionTable*> FindDecision(const std::vector<DecisionTable>& tables,
                                                  std::string_view id_or_name);

}  // namespace salesight::approval
