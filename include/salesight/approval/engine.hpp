// The approval engine a host embeds: a policy and a directory, checked once;
// commands in, events and actions out; logs replayed.
//
//   Engine::Create   refuses a policy with static findings (gaps, overlaps,
//                    dead rules, unresolved roles, chains that never complete)
//                    unless EngineOptions::allow_findings says so explicitly
//   Apply            one command -> its events (appended to the instance's
//                    hash-chained log) and the actions they emit; a refused
//                    command changes nothing and says why; a retried
//                    idempotency key returns the first answer (no new events,
//                    no actions again); a stale expected version is a conflict
//                    (absl::StatusCode::kAborted)
//   Replay           the instance from a log: every hash is checked (an edit
//                    to any past event is detected, naming the event) and the
//                    events are folded; the state equals the live one
//
// SLA: with sla_business_days > 0, an "escalated" command on the current
// node is accepted once that many business days (Monday to Friday, minus
// `holidays`, counted from the day after the node was entered) have passed.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "salesight/approval/directory.hpp"
#include "salesight/approval/events.hpp"
#include "salesight/approval/instance.hpp"
#include "salesight/approval/policy.hpp"
#include "salesight/approval/table_index.hpp"
#include "salesight/approval/table_check.hpp"
#include "salesight/date.hpp"

namespace salesight::approval {

struct EngineOptions {
  bool allow_findings = false;
  int sla_business_days = 0;  // 0: no SLA
  std::vector<Day> holidays;
};

struct Instance {
  InstanceState state;
  std::vector<Event> log;
};

struct ApplyResult {
  std::vector<Event> events;
  std::vector<Action> actions;  // emitted by these events (none for a retry)
  bool duplicate = false;       // the key was seen: the first answer's events
};

class Engine {
 public:
  static absl::StatusOr<Engine> Create(Policy policy, OrgDirectory directory, EngineOptions options = {});

  absl::StatusOr<Route> RouteOf(const Contract& contract) const;
  absl::StatusOr<ApplyResult> Apply(Instance& instance, const Command& command) const;
  // The log is taken by value: pass it with std::move and its events move
  // into the instance's log instead of being copied.
  absl::StatusOr<Instance> Replay(std::vector<Event> log) const;
  // A log holding many instances (interleaved): each replayed, by instance id.
  absl::StatusOr<std::vector<Instance>> ReplayAll(std::vector<Event> log) const;

  // The people who may act on an instance now (its current node's pending approvers).
  static std::vector<std::string> PendingApprovers(const InstanceState& s);

  const Policy& policy() const { return policy_; }
  const OrgDirectory& directory() const { return directory_; }
  const std::vector<Finding>& findings() const { return findings_; }

 private:
  absl::Status ReplayOne(Instance& inst, Event& e, std::size_t i) const;
  Engine(Policy p, OrgDirectory d, EngineOptions o)
      : policy_(std::move(p)), directory_(std::move(d)), options_(std::move(o)) {}
  Policy policy_;
  OrgDirectory directory_;
  EngineOptions options_;
  std::vector<Finding> findings_;
  TableIndex index_;  // of policy_.decision, built once
};

// Business days in (from, to]: Monday..Friday not in `holidays`.
int BusinessDaysBetween(Day from, Day to, const std::vector<Day>& holidays);

// A log as JSON lines and back; loading checks the hash chain (see Replay).
std::string LogToJsonl(const std::vector<Event>& log);
absl::StatusOr<std::vector<Event>> LogFromJsonl(std::string_view text);

}  // namespace salesight::approval
