// The state of one approval instance: a fold over its events, and the
// actions its state changes emit.
//
// Nodes run in order; the current node is the first not complete. Within a
// node, kinds behave as chain.hpp says (sequential: only the next approver in
// order may act). An approver acts at most once per activation of a node (a
// return or a resubmission starts a new activation). With dedupe_consecutive,
// entering a node counts the approvals its approvers gave on the node just
// before. A node with no approver needed (skipped) completes on entry.
//
// Actions: each trigger of the policy whose change happens emits one action,
// with a deterministic id (SHA-256 of instance, event version, trigger index
// and node), so a host that records the ids runs each action exactly once
// across replays and restarts. A reminder emits a notify action to the
// pending approvers by itself.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "salesight/approval/events.hpp"
#include "salesight/approval/policy.hpp"

namespace salesight::approval {

enum class Status : std::uint8_t { kNew, kPending, kApproved, kRejected, kReturned, kWithdrawn };
std::string_view StatusName(Status s);

struct NodeState {
  ResolvedNode node;
  std::vector<std::string> approved_by;  // this activation, in order
  bool complete = false;
  bool escalated = false;
  std::int64_t entered_at = 0;
  friend bool operator==(const NodeState&, const NodeState&) = default;
};

struct Delegation {
  std::string principal, delegate;
  std::int64_t from = 0, until = 0;  // [from, until)
  friend bool operator==(const Delegation&, const Delegation&) = default;
};

struct Action {
  std::string id;
  ActionKind kind = ActionKind::kNotify;
  std::string on;      // "approved", "rejected", "node_completed", "sla_breached", "reminded"
  std::string node;
  std::string name;    // task name / notification text
  std::string to;      // notify: person ids, comma-separated
  std::string value;   // set_status
  std::int64_t version = 0;  // the event that emitted it
  friend bool operator==(const Action&, const Action&) = default;
};

struct InstanceState {
  std::string id;
  std::string contract;
  std::string initiator;
  Status status = Status::kNew;
  std::int64_t version = 0;
  std::int64_t policy_version = 0;
  std::vector<std::string> rules;   // the routing rules of the current route
  std::vector<std::string> chains;
  std::vector<NodeState> nodes;
  std::size_t current = 0;          // index of the current node (== nodes.size() when done)
  std::vector<Delegation> delegations;
  // idempotency key -> its event's version (hashed: one insert per event on
  // every apply and replay; nothing iterates it)
  absl::flat_hash_map<std::string, std::int64_t> keys;
  std::vector<Action> actions;      // every action emitted so far
  std::string last_hash;
  friend bool operator==(const InstanceState&, const InstanceState&) = default;
};

// Applies one event, or says why it is invalid in this state (then `state`
// is unchanged). The policy gives the settings and triggers.
absl::Status FoldEvent(const Policy& policy, InstanceState& state, const Event& event);

// The person an actor acts as: on_behalf_of when a delegation from them to
// the actor covers `at`, the actor otherwise; "" when on_behalf_of is set but
// not covered.
std::string EffectiveActor(const InstanceState& s, const EventBody& e);

}  // namespace salesight::approval
