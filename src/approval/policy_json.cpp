#include <array>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "internal/json_table.hpp"
#include "internal/json_util.hpp"
#include "salesight/approval/policy.hpp"
#include "salesight/status_macros.hpp"

namespace salesight::approval {
namespace {

using nlohmann::json;
using internal::OptString;

constexpr std::array<std::string_view, 4> kEvents{"approved", "rejected", "node_completed", "sla_breached"};
constexpr std::array<std::string_view, 3> kActions{"notify", "task", "set_status"};

absl::Status Err(const std::string& where, absl::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat(where, ": ", what));
}

absl::StatusOr<ApproverSpec> ReadApprover(const json& j, const std::string& where) {
  if (!j.is_object()) return Err(where, "an approver is an object");
  ApproverSpec a;
  int kinds = 0;
  if (j.contains("role")) {
    ++kinds;
    a.kind = ApproverSpec::Kind::kRole;
    SALESIGHT_ASSIGN_OR_RETURN(a.name, OptString(j, "role", where));
    SALESIGHT_ASSIGN_OR_RETURN(a.department, OptString(j, "department", where));
    SALESIGHT_ASSIGN_OR_RETURN(a.region, OptString(j, "region", where));
  }
  if (j.contains("manager")) {
    ++kinds;
    a.kind = ApproverSpec::Kind::kManager;
    if (!j["manager"].is_number_integer() || j["manager"].get<int>() < 1 || j["manager"].get<int>() > 20) {
      return Err(where, "'manager' is a number of levels, 1..20");
    }
    a.levels = j["manager"].get<int>();
  }
  if (j.contains("user")) {
    ++kinds;
    a.kind = ApproverSpec::Kind::kUser;
    SALESIGHT_ASSIGN_OR_RETURN(a.name, OptString(j, "user", where));
  }
  if (j.contains("group")) {
    ++kinds;
    a.kind = ApproverSpec::Kind::kGroup;
    SALESIGHT_ASSIGN_OR_RETURN(a.name, OptString(j, "group", where));
  }
  if (kinds != 1) return Err(where, "an approver has exactly one of role, manager, user, group");
  if (a.kind != ApproverSpec::Kind::kManager && a.name.empty()) return Err(where, "empty approver name");
  return a;
}

absl::StatusOr<NodeSpec> ReadNode(const json& j, const std::string& where) {
  if (!j.is_object()) return Err(where, "a node is an object");
  NodeSpec n;
  SALESIGHT_ASSIGN_OR_RETURN(n.id, OptString(j, "id", where));
  if (n.id.empty()) return Err(where, "a node needs an id");
  const std::string w = absl::StrCat(where, " (node '", n.id, "')");
  SALESIGHT_ASSIGN_OR_RETURN(std::string kind, OptString(j, "kind", w));
  if (!kind.empty()) {
    absl::StatusOr<NodeKind> k = ParseNodeKind(kind);
    if (!k.ok()) return Err(w, k.status().message());
    n.kind = *k;
  }
  SALESIGHT_ASSIGN_OR_RETURN(std::string missing, OptString(j, "on_missing", w));
  if (!missing.empty()) {
    absl::StatusOr<MissingApprover> m = ParseMissingApprover(missing);
    if (!m.ok()) return Err(w, m.status().message());
    n.on_missing = *m;
    n.missing_set = true;
  }
  if (!j.contains("approvers") || !j["approvers"].is_array() || j["approvers"].empty()) {
    return Err(w, "'approvers' must be a non-empty list");
  }
  for (std::size_t i = 0; i < j["approvers"].size(); ++i) {
    SALESIGHT_ASSIGN_OR_RETURN(ApproverSpec a,
                               ReadApprover(j["approvers"][i], absl::StrCat(w, ", approver #", i + 1)));
    n.approvers.push_back(std::move(a));
  }
  if (n.kind == NodeKind::kQuorum) {
    const bool k = j.contains("quorum"), p = j.contains("quorum_percent");
    if (k == p) return Err(w, "a quorum node has exactly one of 'quorum' (k) and 'quorum_percent'");
    const json& v = k ? j["quorum"] : j["quorum_percent"];
    if (!v.is_number_integer() || v.get<int>() < 1 || (p && v.get<int>() > 100) || v.get<int>() > 10000) {
      return Err(w, k ? "'quorum' is a count >= 1" : "'quorum_percent' is 1..100");
    }
    (k ? n.quorum : n.quorum_percent) = v.get<int>();
  } else if (j.contains("quorum") || j.contains("quorum_percent")) {
    return Err(w, "only a quorum node takes 'quorum' or 'quorum_percent'");
  }
  return n;
}

absl::Status ReadSettings(const json& j, PolicySettings* s) {
  const std::string where = "policy settings";
  if (!j.is_object()) return Err(where, "expected an object");
  SALESIGHT_ASSIGN_OR_RETURN(std::string missing, OptString(j, "on_missing", where));
  if (!missing.empty()) {
    absl::StatusOr<MissingApprover> m = ParseMissingApprover(missing);
    if (!m.ok()) return Err(where, m.status().message());
    s->on_missing = *m;
  }
  for (auto [key, field] : {std::pair{"skip_initiator", &s->skip_initiator},
                            std::pair{"dedupe_consecutive", &s->dedupe_consecutive}}) {
    if (!j.contains(key)) continue;
    if (!j[key].is_boolean()) return Err(where, absl::StrCat("'", key, "' must be true or false"));
    *field = j[key].get<bool>();
  }
  SALESIGHT_ASSIGN_OR_RETURN(std::string reject, OptString(j, "reject", where));
  if (reject == "to_initiator") {
    s->reject = RejectMode::kToInitiator;
  } else if (!reject.empty() && reject != "end") {
    return Err(where, absl::StrCat("'reject' is end or to_initiator, not '", reject, "'"));
  }
  SALESIGHT_ASSIGN_OR_RETURN(std::string keep, OptString(j, "keep_approvals_on_resubmit", where));
  if (keep == "same_chain") {
    s->keep_on_resubmit = KeepOnResubmit::kSameChain;
  } else if (!keep.empty() && keep != "none") {
    return Err(where, absl::StrCat("'keep_approvals_on_resubmit' is none or same_chain, not '", keep, "'"));
  }
  return absl::OkStatus();
}

absl::StatusOr<Trigger> ReadTrigger(const json& j, const std::string& where) {
  if (!j.is_object()) return Err(where, "a trigger is an object");
  Trigger t;
  SALESIGHT_ASSIGN_OR_RETURN(std::string on, OptString(j, "on", where));
  absl::StatusOr<TriggerEvent> e = ParseTriggerEvent(on);
  if (!e.ok()) return Err(where, e.status().message());
  t.on = *e;
  SALESIGHT_ASSIGN_OR_RETURN(std::string action, OptString(j, "action", where));
  absl::StatusOr<ActionKind> a = ParseActionKind(action);
  if (!a.ok()) return Err(where, a.status().message());
  t.action = *a;
  SALESIGHT_ASSIGN_OR_RETURN(t.node, OptString(j, "node", where));
  SALESIGHT_ASSIGN_OR_RETURN(t.name, OptString(j, "name", where));
  SALESIGHT_ASSIGN_OR_RETURN(t.to, OptString(j, "to", where));
  SALESIGHT_ASSIGN_OR_RETURN(t.value, OptString(j, "value", where));
  if (t.action == ActionKind::kSetStatus && t.value.empty()) return Err(where, "set_status needs a 'value'");
  if (t.action == ActionKind::kTask && t.name.empty()) return Err(where, "a task needs a 'name'");
  if (t.action == ActionKind::kNotify && t.to.empty()) return Err(where, "notify needs 'to'");
  return t;
}

absl::Status Validate(const Policy& p) {
  std::size_t chain_col = p.decision.outputs.size();
  for (std::size_t c = 0; c < p.decision.outputs.size(); ++c) {
    if (p.decision.outputs[c].name == kChainOutput) chain_col = c;
  }
  if (chain_col == p.decision.outputs.size() ||
      p.decision.outputs[chain_col].type != ValueType::kString) {
    return absl::InvalidArgumentError("policy: the decision needs a string output named 'chain'");
  }
  if (p.decision.aggregator != Aggregator::kNone) {
    return absl::InvalidArgumentError("policy: a routing decision cannot aggregate");
  }
  for (std::size_t r = 0; r < p.decision.rules.size(); ++r) {
    const Value& v = p.decision.rules[r].outputs[chain_col];
    if (!v.is_null() && !p.chains.contains(v.text)) {
      return absl::InvalidArgumentError(absl::StrCat("policy: ", RuleName(p.decision, r),
                                                     " routes to chain '", v.text, "', which is not defined"));
    }
  }
  for (const auto& [name, chain] : p.chains) {
    absl::flat_hash_set<std::string> ids;
    for (const NodeSpec& n : chain.nodes) {
      if (!ids.insert(n.id).second) {
        return absl::InvalidArgumentError(absl::StrCat("policy: chain '", name, "' has node '", n.id, "' twice"));
      }
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<TriggerEvent> ParseTriggerEvent(std::string_view name) {
  for (std::size_t i = 0; i < kEvents.size(); ++i) {
    if (kEvents[i] == name) return static_cast<TriggerEvent>(i);
  }
  return absl::InvalidArgumentError(absl::StrCat("unknown trigger event '", std::string(name),
                                                 "' (expected approved, rejected, node_completed or sla_breached)"));
}
std::string_view TriggerEventName(TriggerEvent e) { return kEvents[static_cast<std::size_t>(e)]; }
absl::StatusOr<ActionKind> ParseActionKind(std::string_view name) {
  for (std::size_t i = 0; i < kActions.size(); ++i) {
    if (kActions[i] == name) return static_cast<ActionKind>(i);
  }
  return absl::InvalidArgumentError(absl::StrCat("unknown action '", std::string(name),
                                                 "' (expected notify, task or set_status)"));
}
std::string_view ActionKindName(ActionKind a) { return kActions[static_cast<std::size_t>(a)]; }

absl::StatusOr<Policy> LoadPolicyJson(std::string_view text, const LoadLimits& limits) {
  SALESIGHT_ASSIGN_OR_RETURN(json j, internal::ParseJsonBounded(text, limits, "policy"));
  if (!j.is_object()) return absl::InvalidArgumentError("policy: expected an object");
  Policy p;
  SALESIGHT_ASSIGN_OR_RETURN(p.name, OptString(j, "policy", "policy"));
  if (j.contains("version")) {
    if (!j["version"].is_number_integer()) return absl::InvalidArgumentError("policy: 'version' is an integer");
    p.version = j["version"].get<std::int64_t>();
  }
  if (j.contains("settings")) SALESIGHT_RETURN_IF_ERROR(ReadSettings(j["settings"], &p.settings));
  if (!j.contains("decision")) return absl::InvalidArgumentError("policy: no 'decision'");
  SALESIGHT_ASSIGN_OR_RETURN(p.decision, internal::DecisionTableFromJson(j["decision"], limits));
  if (!j.contains("chains") || !j["chains"].is_object()) {
    return absl::InvalidArgumentError("policy: 'chains' must be an object of named chains");
  }
  if (j["chains"].size() > limits.max_chains) {
    return absl::InvalidArgumentError(absl::StrCat("policy: more chains than the limit of ", limits.max_chains));
  }
  for (auto it = j["chains"].begin(); it != j["chains"].end(); ++it) {
    const std::string where = absl::StrCat("chain '", it.key(), "'");
    if (!it.value().is_array() || it.value().empty()) return Err(where, "a chain is a non-empty list of nodes");
    if (it.value().size() > limits.max_nodes) return Err(where, "more nodes than the limit");
    ChainSpec chain;
    chain.name = it.key();
    for (std::size_t i = 0; i < it.value().size(); ++i) {
      SALESIGHT_ASSIGN_OR_RETURN(NodeSpec n, ReadNode(it.value()[i], absl::StrCat(where, ", node #", i + 1)));
      chain.nodes.push_back(std::move(n));
    }
    p.chains.emplace(chain.name, std::move(chain));
  }
  if (j.contains("triggers")) {
    if (!j["triggers"].is_array()) return absl::InvalidArgumentError("policy: 'triggers' must be a list");
    for (std::size_t i = 0; i < j["triggers"].size(); ++i) {
      SALESIGHT_ASSIGN_OR_RETURN(Trigger t, ReadTrigger(j["triggers"][i], absl::StrCat("trigger #", i + 1)));
      p.triggers.push_back(std::move(t));
    }
  }
  SALESIGHT_RETURN_IF_ERROR(Validate(p));
  return p;
}

absl::StatusOr<Policy> WithDecision(Policy policy, DecisionTable decision) {
  policy.decision = std::move(decision);
  SALESIGHT_RETURN_IF_ERROR(Validate(policy));
  return policy;
}

}  // namespace salesight::approval
