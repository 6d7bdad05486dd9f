#include "salesight/approval/route.hpp"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "salesight/status_macros.hpp"

namespace salesight::approval {

absl::StatusOr<std::vector<Value>> BindInputs(const DecisionTable& t,
                                              const std::map<std::string, Value>& attributes) {
  std::vector<Value> out;
  out.reserve(t.inputs.size());
  for (const InputColumn& col : t.inputs) {
    auto it = attributes.find(col.name);
    if (it == attributes.end() || it->second.is_null()) {
      out.push_back(Value::Null());
      continue;
    }
    const Value& v = it->second;
    if (v.type == col.type) {
      out.push_back(v);
      continue;
    }
    if (v.type == ValueType::kString) {
      absl::StatusOr<Value> parsed = ParsePlain(v.text, col.type);
      if (parsed.ok()) {
        out.push_back(*std::move(parsed));
        continue;
      }
      return absl::InvalidArgumentError(absl::StrCat("attribute '", col.name, "': ",
                                                     parsed.status().message()));
    }
    return absl::InvalidArgumentError(absl::StrCat("attribute '", col.name, "' is a ",
                                                   std::string(ValueTypeName(col.type)), ", got ",
                                                   FeelLiteral(v)));
  }
  return out;
}

absl::StatusOr<Route> RouteContract(const Policy& policy, const OrgDirectory& directory,
                                    const Contract& contract, const TableIndex* index) {
  const DecisionTable& t = policy.decision;
  const std::string who = absl::StrCat("contract '", contract.id, "'");
  absl::StatusOr<std::vector<Value>> inputs = BindInputs(t, contract.attributes);
  if (!inputs.ok()) return absl::InvalidArgumentError(absl::StrCat(who, ", ", inputs.status().message()));
  absl::StatusOr<DecisionResult> result = Evaluate(t, index, *inputs);
  if (!result.ok()) return absl::Status(result.status().code(), absl::StrCat(who, ": ", result.status().message()));
  if (result->rules.empty()) {
    std::string shown;
    for (std::size_t c = 0; c < t.inputs.size(); ++c) {
      absl::StrAppend(&shown, shown.empty() ? "" : ", ", t.inputs[c].name, " = ", FeelLiteral((*inputs)[c]));
    }
    return absl::FailedPreconditionError(absl::StrCat(who, ": no routing rule matches (", shown, ")"));
  }
  Route route;
  route.policy_version = policy.version;
  ResolveContext ctx;
  ctx.directory = &directory;
  ctx.initiator = contract.initiator;
  ctx.attributes = &contract.attributes;
  ctx.skip_initiator = policy.settings.skip_initiator;
  ctx.default_on_missing = policy.settings.on_missing;
  for (std::size_t r : result->rules) {
    const Rule& rule = t.rules[r];
    route.rules.push_back(rule.id.empty() ? absl::StrCat("#", r + 1) : rule.id);
    for (std::size_t c = 0; c < t.outputs.size(); ++c) {
      const Value& v = rule.outputs[c];
      if (t.outputs[c].name == kChainOutput) {
        if (v.is_null() || std::find(route.chains.begin(), route.chains.end(), v.text) != route.chains.end()) {
          continue;
        }
        route.chains.push_back(v.text);
        for (const NodeSpec& n : policy.chains.at(v.text).nodes) {
          const bool seen = std::any_of(route.nodes.begin(), route.nodes.end(),
                                        [&](const ResolvedNode& x) { return x.id == n.id; });
          if (seen) continue;
          absl::StatusOr<ResolvedNode> node = ResolveNode(n, ctx);
          if (!node.ok()) {
            return absl::Status(node.status().code(), absl::StrCat(who, ", chain '", v.text, "', ",
                                                                   node.status().message()));
          }
          route.nodes.push_back(*std::move(node));
        }
      } else if (!v.is_null()) {
        route.flags.emplace(t.outputs[c].name, v);
      }
    }
  }
  if (route.nodes.empty()) return absl::FailedPreconditionError(absl::StrCat(who, ": the route has no node"));
  return route;
}

}  // namespace salesight::approval
