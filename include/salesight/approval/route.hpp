// Routing one contract: the policy's decision on its attributes, then the
// selected chain(s) resolved through the directory.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "salesight/approval/chain.hpp"
#include "salesight/approval/directory.hpp"
#include "salesight/approval/policy.hpp"

namespace salesight::approval {

struct Contract {
  std::string id;
  std::string initiator;
  // Attributes by input name. A value of the column's type is used as is; a
  // string for a number / boolean / date column is parsed as plain text
  // (how CSV cells arrive); an absent attribute is null.
  std::map<std::string, Value> attributes;
};

struct Route {
  std::int64_t policy_version = 0;
  std::vector<std::string> rules;   // ids (or "#n") of the selected rules
  std::vector<std::string> chains;  // chain names, in order
  std::vector<ResolvedNode> nodes;
  std::map<std::string, Value> flags;  // the other outputs
  friend bool operator==(const Route&, const Route&) = default;
};

// The table's inputs from the attributes, typed per column; errors name the
// attribute and the value.
absl::StatusOr<std::vector<Value>> BindInputs(const DecisionTable& table,
                                              const std::map<std::string, Value>& attributes);

// No rule matching is an error (a contract must go somewhere): the message
// names the contract and its inputs. `index` (the policy table's, or
// nullptr) only makes it faster.
absl::StatusOr<Route> RouteContract(const Policy& policy, const OrgDirectory& directory,
                                    const Contract& contract, const TableIndex* index = nullptr);

}  // namespace salesight::approval
