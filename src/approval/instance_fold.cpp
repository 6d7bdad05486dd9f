#include <algorithm>
#include <array>
#include <utility>

#include "absl/strings/str_cat.h"
#include "internal/sha256.hpp"
#include "salesight/approval/instance.hpp"

namespace salesight::approval {
namespace {

constexpr std::array<std::string_view, 6> kStatusNames{"new", "pending", "approved", "rejected",
                                                       "returned", "withdrawn"};

absl::Status Refuse(const Event& e, absl::string_view why) {
  return absl::FailedPreconditionError(
      absl::StrCat(std::string(EventKindName(e.kind)), " refused: ", why));
}

bool Has(const std::vector<std::string>& v, const std::string& x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

std::string Join(const std::vector<std::string>& v) {
  std::string out;
  for (const std::string& s : v) absl::StrAppend(&out, out.empty() ? "" : ",", s);
  return out;
}

std::vector<std::string> Pending(const NodeState& n) {
  std::vector<std::string> out;
  for (const std::string& a : n.node.approvers) {
    if (!Has(n.approved_by, a)) out.push_back(a);
  }
  if (n.node.kind == NodeKind::kSequential && !out.empty()) out.resize(1);
  return out;
}

// Emits the policy's actions for one change.
void Emit(const Policy& p, InstanceState& s, TriggerEvent on, const std::string& node, std::int64_t version) {
  for (std::size_t i = 0; i < p.triggers.size(); ++i) {
    const Trigger& t = p.triggers[i];
    if (t.on != on || (!t.node.empty() && t.node != node)) continue;
    Action a;
    a.id = internal::Sha256Hex(absl::StrCat(s.id, "|", version, "|", i, "|", node)).substr(0, 32);
    a.kind = t.action;
    a.on = std::string(TriggerEventName(on));
    a.node = node;
    a.name = t.name;
    a.value = t.value;
    if (t.action == ActionKind::kNotify) {
      if (t.to == "initiator") {
        a.to = s.initiator;
      } else if (t.to == "approvers") {
        a.to = s.current < s.nodes.size() ? Join(Pending(s.nodes[s.current])) : "";
      } else {
        a.to = t.to;
      }
    }
    a.version = version;
    s.actions.push_back(std::move(a));
  }
}

void Complete(const Policy& p, InstanceState& s, std::size_t i, std::int64_t version) {
  s.nodes[i].complete = true;
  Emit(p, s, TriggerEvent::kNodeCompleted, s.nodes[i].node.id, version);
}

bool Satisfied(const NodeState& n) {
  return static_cast<int>(n.approved_by.size()) >= n.node.required;
}

// Moves past complete nodes, entering each next one (dedupe carry-over), and
// approves the instance at the end.
void Advance(const Policy& p, InstanceState& s, std::int64_t at, std::int64_t version) {
  while (s.current < s.nodes.size()) {
    NodeState& n = s.nodes[s.current];
    if (!n.complete && Satisfied(n)) Complete(p, s, s.current, version);
    if (!n.complete) return;
    ++s.current;
    if (s.current == s.nodes.size()) break;
    NodeState& next = s.nodes[s.current];
    next.entered_at = at;
    next.escalated = false;
    if (p.settings.dedupe_consecutive && !next.complete) {
      const std::vector<std::string>& before = s.nodes[s.current - 1].approved_by;
      while (!Satisfied(next)) {
        const std::vector<std::string> pending = Pending(next);
        auto it = std::find_if(pending.begin(), pending.end(), [&](const std::string& a) { return Has(before, a); });
        if (it == pending.end()) break;
        next.approved_by.push_back(*it);
      }
    }
  }
  s.status = Status::kApproved;
  Emit(p, s, TriggerEvent::kApproved, "", version);
}

// Checks that `who` may act on the current node now; `e.node` must name it.
absl::Status MayAct(const InstanceState& s, const Event& e, const std::string& who) {
  if (s.status != Status::kPending) return Refuse(e, absl::StrCat("the instance is ", std::string(StatusName(s.status))));
  if (who.empty()) return Refuse(e, absl::StrCat("'", e.actor, "' holds no delegation from '", e.on_behalf_of, "' at this time"));
  const NodeState& n = s.nodes[s.current];
  if (e.node != n.node.id) {
    return Refuse(e, absl::StrCat("node '", e.node, "' is not the current node ('", n.node.id, "')"));
  }
  if (!Has(n.node.approvers, who)) return Refuse(e, absl::StrCat("'", who, "' is not an approver of node '", n.node.id, "'"));
  if (Has(n.approved_by, who)) return Refuse(e, absl::StrCat("'", who, "' has already approved node '", n.node.id, "'"));
  if (n.node.kind == NodeKind::kSequential && Pending(n).front() != who) {
    return Refuse(e, absl::StrCat("node '", n.node.id, "' is sequential and '", Pending(n).front(), "' is next"));
  }
  return absl::OkStatus();
}

void Enter(InstanceState& s, const Route& route, std::int64_t at) {
  s.policy_version = route.policy_version;
  s.rules = route.rules;
  s.chains = route.chains;
  s.nodes.clear();
  for (const ResolvedNode& n : route.nodes) s.nodes.push_back(NodeState{n, {}, false, false, at});
  s.current = 0;
}

absl::Status CheckPeople(const InstanceState& s, const Event& e, const std::vector<std::string>& people) {
  if (people.empty()) return Refuse(e, "no person given");
  for (std::size_t i = 0; i < people.size(); ++i) {
    if (people[i].empty()) return Refuse(e, "an empty person id");
    if (people[i] == s.initiator) return Refuse(e, absl::StrCat("'", people[i], "' is the initiator"));
    for (std::size_t k = 0; k < i; ++k) {
      if (people[k] == people[i]) return Refuse(e, absl::StrCat("'", people[i], "' is given twice"));
    }
  }
  return absl::OkStatus();
}

// Every case checks everything first and changes the state only after (see FoldEvent).
absl::Status Apply(const Policy& p, InstanceState& s, const Event& e) {
  if (e.version != s.version + 1) {
    return Refuse(e, absl::StrCat("event version ", e.version, " does not follow ", s.version));
  }
  if (s.status != Status::kNew && e.instance != s.id) {
    return Refuse(e, absl::StrCat("event of instance '", e.instance, "' in instance '", s.id, "'"));
  }
  if (e.actor.empty()) return Refuse(e, "no actor");
  const std::string who = EffectiveActor(s, e);
  switch (e.kind) {
    case EventKind::kSubmitted:
      if (s.status != Status::kNew) return Refuse(e, "the instance was already submitted");
      if (e.route.nodes.empty()) return Refuse(e, "the route has no node");
      if (e.instance.empty()) return Refuse(e, "no instance id");
      s.id = e.instance;
      s.contract = e.contract;
      s.initiator = e.actor;
      s.status = Status::kPending;
      Enter(s, e.route, e.at);
      Advance(p, s, e.at, e.version);
      return absl::OkStatus();
    case EventKind::kApproved: {
      if (absl::Status st = MayAct(s, e, who); !st.ok()) return st;
      s.nodes[s.current].approved_by.push_back(who);
      Advance(p, s, e.at, e.version);
      return absl::OkStatus();
    }
    case EventKind::kRejected:
      if (absl::Status st = MayAct(s, e, who); !st.ok()) return st;
      // The rejection's follow-ups fire in both modes: a contract sent back to
      // its initiator was rejected too, until it is resubmitted.
      s.status = p.settings.reject == RejectMode::kEnd ? Status::kRejected : Status::kReturned;
      Emit(p, s, TriggerEvent::kRejected, e.node, e.version);
      return absl::OkStatus();
    case EventKind::kReturned: {
      if (absl::Status st = MayAct(s, e, who); !st.ok()) return st;
      std::size_t to = 0;
      while (to < s.current && s.nodes[to].node.id != e.target) ++to;
      if (to == s.current) {
        return Refuse(e, absl::StrCat("'", e.target, "' is not a node before '", s.nodes[s.current].node.id, "'"));
      }
      for (std::size_t i = to; i <= s.current; ++i) {
        s.nodes[i].approved_by.clear();
        s.nodes[i].complete = false;
      }
      s.current = to;
      s.nodes[to].entered_at = e.at;
      s.nodes[to].escalated = false;
      Advance(p, s, e.at, e.version);  // a skipped node completes again at once
      return absl::OkStatus();
    }
    case EventKind::kResubmitted: {
      if (s.status != Status::kReturned) return Refuse(e, absl::StrCat("the instance is ", std::string(StatusName(s.status)), ", not returned"));
      if (e.actor != s.initiator) return Refuse(e, "only the initiator resubmits");
      if (e.route.nodes.empty()) return Refuse(e, "the route has no node");
      const std::vector<NodeState> old = s.nodes;
      const bool keep = p.settings.keep_on_resubmit == KeepOnResubmit::kSameChain && e.route.chains == s.chains;
      s.contract = e.contract.empty() ? s.contract : e.contract;
      Enter(s, e.route, e.at);
      if (keep) {
        for (NodeState& n : s.nodes) {
          for (const NodeState& o : old) {
            if (o.node == n.node && o.complete) {
              n.approved_by = o.approved_by;
              n.complete = true;
            }
          }
        }
      }
      s.status = Status::kPending;
      Advance(p, s, e.at, e.version);
      return absl::OkStatus();
    }
    case EventKind::kWithdrawn:
      if (s.status != Status::kPending && s.status != Status::kReturned) {
        return Refuse(e, absl::StrCat("the instance is ", std::string(StatusName(s.status))));
      }
      if (e.actor != s.initiator) return Refuse(e, "only the initiator withdraws");
      s.status = Status::kWithdrawn;
      return absl::OkStatus();
    case EventKind::kTransferred: {
      if (absl::Status st = MayAct(s, e, who); !st.ok()) return st;
      if (absl::Status st = CheckPeople(s, e, {e.target}); !st.ok()) return st;
      NodeState& n = s.nodes[s.current];
      if (Has(n.node.approvers, e.target)) return Refuse(e, absl::StrCat("'", e.target, "' is already an approver of node '", n.node.id, "'"));
      *std::find(n.node.approvers.begin(), n.node.approvers.end(), who) = e.target;
      return absl::OkStatus();
    }
    case EventKind::kSignerAdded: {
      if (absl::Status st = MayAct(s, e, who); !st.ok()) return st;
      if (absl::Status st = CheckPeople(s, e, e.people); !st.ok()) return st;
      NodeState& n = s.nodes[s.current];
      if (e.position == SignerPosition::kParallel) {
        if (n.node.kind == NodeKind::kAny || n.node.kind == NodeKind::kQuorum) {
          return Refuse(e, absl::StrCat("parallel signers join an all, single or sequential node; node '", n.node.id,
                                        "' is ", std::string(NodeKindName(n.node.kind)), " (add them before or after)"));
        }
        for (const std::string& x : e.people) {
          if (Has(n.node.approvers, x)) return Refuse(e, absl::StrCat("'", x, "' is already an approver of node '", n.node.id, "'"));
        }
        if (n.node.kind == NodeKind::kSingle) n.node.kind = NodeKind::kAll;
        n.node.approvers.insert(n.node.approvers.end(), e.people.begin(), e.people.end());
        n.node.required += static_cast<int>(e.people.size());
        return absl::OkStatus();
      }
      if (e.signer_kind == NodeKind::kQuorum || (e.signer_kind == NodeKind::kSingle && e.people.size() != 1)) {
        return Refuse(e, "added signers form an any, all or sequential node (single: one person)");
      }
      NodeSpec spec;
      spec.kind = e.signer_kind;
      ResolvedNode added;
      added.id = absl::StrCat(n.node.id, e.position == SignerPosition::kBefore ? "+before" : "+after", e.version);
      added.kind = e.signer_kind;
      added.approvers = e.people;
      added.required = RequiredApprovals(spec, static_cast<int>(e.people.size()));
      added.note = absl::StrCat("added by ", who);
      const std::size_t at = s.current + (e.position == SignerPosition::kBefore ? 0 : 1);
      s.nodes.insert(s.nodes.begin() + static_cast<std::ptrdiff_t>(at), NodeState{added, {}, false, false, e.at});
      return absl::OkStatus();
    }
    case EventKind::kDelegated:
      if (s.status != Status::kPending) return Refuse(e, absl::StrCat("the instance is ", std::string(StatusName(s.status))));
      if (!e.on_behalf_of.empty()) return Refuse(e, "a delegate cannot delegate further");
      if (e.target.empty() || e.target == e.actor) return Refuse(e, "delegate to another person");
      if (e.until <= e.at) return Refuse(e, "the delegation must end after it starts");
      s.delegations.push_back({e.actor, e.target, e.at, e.until});
      return absl::OkStatus();
    case EventKind::kCommented:
      if (s.status == Status::kNew) return Refuse(e, "the instance was not submitted");
      if (e.text.empty()) return Refuse(e, "an empty comment");
      return absl::OkStatus();
    case EventKind::kReminded: {
      if (s.status != Status::kPending) return Refuse(e, absl::StrCat("the instance is ", std::string(StatusName(s.status))));
      Action a;
      a.id = internal::Sha256Hex(absl::StrCat(s.id, "|", e.version, "|remind")).substr(0, 32);
      a.kind = ActionKind::kNotify;
      a.on = "reminded";
      a.node = s.nodes[s.current].node.id;
      a.name = e.text.empty() ? "reminder" : e.text;
      a.to = Join(Pending(s.nodes[s.current]));
      a.version = e.version;
      s.actions.push_back(std::move(a));
      return absl::OkStatus();
    }
    case EventKind::kEscalated: {
      if (s.status != Status::kPending) return Refuse(e, absl::StrCat("the instance is ", std::string(StatusName(s.status))));
      NodeState& n = s.nodes[s.current];
      if (e.node != n.node.id) return Refuse(e, absl::StrCat("node '", e.node, "' is not the current node"));
      if (n.escalated) return Refuse(e, absl::StrCat("node '", n.node.id, "' was already escalated"));
      n.escalated = true;
      Emit(p, s, TriggerEvent::kSlaBreached, n.node.id, e.version);
      return absl::OkStatus();
    }
  }
  return Refuse(e, "unknown event kind");
}

}  // namespace

std::string_view StatusName(Status s) { return kStatusNames[static_cast<std::size_t>(s)]; }

std::string EffectiveActor(const InstanceState& s, const EventBody& e) {
  if (e.on_behalf_of.empty()) return e.actor;
  for (const Delegation& d : s.delegations) {
    if (d.principal == e.on_behalf_of && d.delegate == e.actor && d.from <= e.at && e.at < d.until) {
      return e.on_behalf_of;
    }
  }
  return "";
}

absl::Status FoldEvent(const Policy& policy, InstanceState& state, const Event& event) {
  // Apply refuses before its first change (every case validates, then
  // mutates), so a refused event leaves the state as it was without a copy;
  // the property test checks exactly that on every refusal.
  if (absl::Status st = Apply(policy, state, event); !st.ok()) return st;
  state.version = event.version;
  if (!event.key.empty()) state.keys.emplace(event.key, event.version);
  state.last_hash = event.hash;
  return absl::OkStatus();
}

}  // namespace salesight::approval
