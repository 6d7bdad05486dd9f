// An approval policy: the routing decision table, the named chains its
// "chain" output selects, the engine settings and the triggers.
//
// JSON form (examples/approvals/seed_policy.json is a complete one):
//   {"policy": "contracts", "version": 3,
//    "settings": {"on_missing": "fail", "skip_initiator": true,
//                 "dedupe_consecutive": true, "reject": "end" | "to_initiator",
//                 "keep_approvals_on_resubmit": "none" | "same_chain"},
//    "decision": {...a decision table, see table_loaders.hpp...},
//    "chains": {"small": [{"id": "director", "kind": "single",
//                          "approvers": [{"role": "sales_director"}],
//                          "on_missing": "escalate"}], ...},
//    "triggers": [{"on": "approved", "action": "task", "name": "schedule delivery"},
//                 {"on": "node_completed", "node": "finance", "action": "notify", "to": "initiator"},
//                 {"on": "rejected", "action": "set_status", "value": "rejected"}]}
//
// Routing: the decision table is evaluated on the contract's attributes; its
// output "chain" names a chain (a multi-hit policy concatenates the chains of
// every selected rule, in result order, keeping a node id once). Other outputs
// are flags, from the first selected rule that sets them.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "salesight/approval/chain.hpp"
#include "salesight/approval/decision_table.hpp"
#include "salesight/approval/loader_limits.hpp"

namespace salesight::approval {

enum class RejectMode : std::uint8_t { kEnd, kToInitiator };
enum class KeepOnResubmit : std::uint8_t { kNone, kSameChain };

struct PolicySettings {
  MissingApprover on_missing = MissingApprover::kFail;
  bool skip_initiator = true;
  // The same person approving consecutive nodes approves once: on entering a
  // node, approvals its approvers gave on the node just before carry over.
  bool dedupe_consecutive = true;
  RejectMode reject = RejectMode::kEnd;
  KeepOnResubmit keep_on_resubmit = KeepOnResubmit::kNone;
};

// The state changes triggers fire on, and the actions they emit.
enum class TriggerEvent : std::uint8_t { kApproved, kRejected, kNodeCompleted, kSlaBreached };
enum class ActionKind : std::uint8_t { kNotify, kTask, kSetStatus };
absl::StatusOr<TriggerEvent> ParseTriggerEvent(std::string_view name);
std::string_view TriggerEventName(TriggerEvent e);
absl::StatusOr<ActionKind> ParseActionKind(std::string_view name);
std::string_view ActionKindName(ActionKind a);

struct Trigger {
  TriggerEvent on = TriggerEvent::kApproved;
  std::string node;  // kNodeCompleted / kSlaBreached: only this node ("" = any)
  ActionKind action = ActionKind::kNotify;
  std::string name;  // task name, or notification text
  std::string to;    // notify: "initiator", "approvers" or a person id
  std::string value; // set_status: the status
};

struct Policy {
  std::string name;
  std::int64_t version = 1;
  PolicySettings settings;
  DecisionTable decision;
  std::map<std::string, ChainSpec> chains;
  std::vector<Trigger> triggers;
};

// The name of the routing output column.
inline constexpr std::string_view kChainOutput = "chain";

// Loads and validates (every chain the table can output exists, node ids are
// unique within a chain, quorum settings are in range). Static findings
// (gaps, roles) are CheckPolicy's, not errors here.
absl::StatusOr<Policy> LoadPolicyJson(std::string_view json, const LoadLimits& limits = {});

// The policy with its decision replaced (a table authored as DMN), validated again.
absl::StatusOr<Policy> WithDecision(Policy policy, DecisionTable decision);

}  // namespace salesight::approval
