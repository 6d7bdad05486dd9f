#include "salesight/approval/engine.hpp"

#include <algorithm>
#include <map>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "salesight/approval/policy_check.hpp"
#include "salesight/status_macros.hpp"

namespace salesight::approval {
namespace {

constexpr std::int64_t kSecondsPerDay = 86400;

Day DayOf(std::int64_t seconds) {
  return static_cast<Day>(seconds >= 0 ? seconds / kSecondsPerDay : -((-seconds + kSecondsPerDay - 1) / kSecondsPerDay));
}

// Fields a kind does not use are cleared, so an event has one encoding and
// decodes to itself.
void Normalize(Event& e) {
  const EventKind k = e.kind;
  if (k != EventKind::kSignerAdded) {
    e.people.clear();
    e.position = SignerPosition::kAfter;
    e.signer_kind = NodeKind::kAll;
  }
  if (k != EventKind::kDelegated) e.until = 0;
  if (k != EventKind::kTransferred && k != EventKind::kReturned && k != EventKind::kDelegated) e.target.clear();
  const bool on_node = k == EventKind::kApproved || k == EventKind::kRejected || k == EventKind::kReturned ||
                       k == EventKind::kTransferred || k == EventKind::kSignerAdded || k == EventKind::kEscalated;
  if (!on_node) e.node.clear();
}

// Log lines are JSON, which holds UTF-8 text only: a command with other
// bytes is refused, so that every accepted event can be read back.
bool ValidUtf8(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    std::size_t n = 0;
    unsigned char lo = 0x80, hi = 0xbf;  // the range of the second byte (RFC 3629 table)
    if (c < 0x80) {
      ++i;
      continue;
    } else if (c >= 0xc2 && c <= 0xdf) {
      n = 1;
    } else if (c >= 0xe0 && c <= 0xef) {
      n = 2;
      if (c == 0xe0) lo = 0xa0;
      if (c == 0xed) hi = 0x9f;
    } else if (c >= 0xf0 && c <= 0xf4) {
      n = 3;
      if (c == 0xf0) lo = 0x90;
      if (c == 0xf4) hi = 0x8f;
    } else {
      return false;
    }
    if (s.size() - i <= n) return false;
    for (std::size_t k = 1; k <= n; ++k) {
      const auto b = static_cast<unsigned char>(s[i + k]);
      if (k == 1 ? (b < lo || b > hi) : (b < 0x80 || b > 0xbf)) return false;
    }
    i += n + 1;
  }
  return true;
}

absl::Status CheckText(const Command& c) {
  std::vector<std::string_view> texts = {c.instance, c.key, c.actor, c.on_behalf_of, c.node,
                                         c.target, c.text, c.contract.id};
  for (const std::string& p : c.people) texts.push_back(p);
  for (std::string_view t : texts) {
    if (!ValidUtf8(t)) return absl::InvalidArgumentError("a command holds text that is not valid UTF-8");
  }
  return absl::OkStatus();
}

}  // namespace

int BusinessDaysBetween(Day from, Day to, const std::vector<Day>& holidays) {
  int n = 0;
  for (Day d = from + 1; d <= to; ++d) {
    if (Weekday(d) <= 5 && std::find(holidays.begin(), holidays.end(), d) == holidays.end()) ++n;
  }
  return n;
}

absl::StatusOr<Engine> Engine::Create(Policy policy, OrgDirectory directory, EngineOptions options) {
  Engine e(std::move(policy), std::move(directory), std::move(options));
  e.findings_ = CheckPolicy(e.policy_, e.directory_);
  if (!e.findings_.empty() && !e.options_.allow_findings) {
    std::string list;
    for (const Finding& f : e.findings_) {
      absl::StrAppend(&list, "\n  ", std::string(FindingKindName(f.kind)), ": ", f.message);
    }
    return absl::FailedPreconditionError(absl::StrCat(
        "policy '", e.policy_.name, "' has ", e.findings_.size(),
        " finding(s); load it anyway only with allow_findings:", list));
  }
  e.index_ = TableIndex::Build(e.policy_.decision);
  return e;
}

absl::StatusOr<Route> Engine::RouteOf(const Contract& contract) const {
  return RouteContract(policy_, directory_, contract, &index_);
}

std::vector<std::string> Engine::PendingApprovers(const InstanceState& s) {
  std::vector<std::string> out;
  if (s.status != Status::kPending || s.current >= s.nodes.size()) return out;
  const NodeState& n = s.nodes[s.current];
  for (const std::string& a : n.node.approvers) {
    if (std::find(n.approved_by.begin(), n.approved_by.end(), a) == n.approved_by.end()) out.push_back(a);
  }
  if (n.node.kind == NodeKind::kSequential && !out.empty()) out.resize(1);
  return out;
}

absl::StatusOr<ApplyResult> Engine::Apply(Instance& inst, const Command& cmd) const {
  InstanceState& s = inst.state;
  ApplyResult result;
  if (cmd.key.empty()) return absl::InvalidArgumentError("a command needs an idempotency key");
  SALESIGHT_RETURN_IF_ERROR(CheckText(cmd));
  if (auto it = s.keys.find(cmd.key); it != s.keys.end()) {
    result.duplicate = true;
    for (const Event& e : inst.log) {
      if (e.key == cmd.key) result.events.push_back(e);
    }
    return result;
  }
  if (cmd.expected_version != kAnyVersion && cmd.expected_version != s.version) {
    return absl::AbortedError(absl::StrCat("version conflict: the command expects version ", cmd.expected_version,
                                           ", the instance is at ", s.version));
  }
  Event e;
  static_cast<EventBody&>(e) = cmd;
  e.version = s.version + 1;
  if (e.instance.empty()) e.instance = s.id;
  if (e.node.empty() && s.status == Status::kPending && s.current < s.nodes.size()) e.node = s.nodes[s.current].node.id;
  if (cmd.kind == EventKind::kSubmitted || cmd.kind == EventKind::kResubmitted) {
    Contract c = cmd.contract;
    c.initiator = cmd.actor;
    if (c.id.empty()) c.id = s.contract;
    e.contract = c.id;
    absl::StatusOr<Route> route = RouteOf(c);
    if (!route.ok()) {
      // When the state refuses the command anyway, that is the reason to give
      // (the fold says it once; it checks the route last).
      InstanceState probe = s;
      Event empty = e;
      empty.prev_hash = s.last_hash;
      if (absl::Status st = FoldEvent(policy_, probe, empty);
          !st.ok() && st.message().find("the route has no node") == absl::string_view::npos) {
        return st;
      }
      return absl::Status(route.status().code(),
                          absl::StrCat(std::string(EventKindName(cmd.kind)), " refused: ", route.status().message()));
    }
    e.route = *std::move(route);
  }
  if (cmd.kind == EventKind::kEscalated && s.status == Status::kPending && s.current < s.nodes.size()) {
    if (options_.sla_business_days <= 0) return absl::FailedPreconditionError("escalated refused: the engine has no SLA");
    const int days = BusinessDaysBetween(DayOf(s.nodes[s.current].entered_at), DayOf(cmd.at), options_.holidays);
    if (days < options_.sla_business_days) {
      return absl::FailedPreconditionError(absl::StrCat("escalated refused: node '", s.nodes[s.current].node.id,
                                                        "' is ", days, " business day(s) old, the SLA is ",
                                                        options_.sla_business_days));
    }
  }
  Normalize(e);
  // People named by a command must be active in the directory (the fold,
  // which replays without it, trusts the accepted events).
  std::vector<std::string> named = e.people;
  if (!e.target.empty() && e.kind != EventKind::kReturned) named.push_back(e.target);
  for (const std::string& id : named) {
    const Person* p = directory_.Find(id);
    if (p == nullptr || !p->active) {
      return absl::FailedPreconditionError(absl::StrCat(std::string(EventKindName(e.kind)), " refused: '", id,
                                                        "' is not an active person in the directory"));
    }
  }
  e.prev_hash = s.last_hash;
  e.hash = HashEvent(e);
  const std::size_t before = s.actions.size();
  SALESIGHT_RETURN_IF_ERROR(FoldEvent(policy_, s, e));
  result.actions.assign(s.actions.begin() + static_cast<std::ptrdiff_t>(before), s.actions.end());
  inst.log.push_back(e);
  result.events.push_back(std::move(e));
  return result;
}

// Checks event #`i` of an instance's log against the state so far and folds
// it. Every event's hash is recomputed: an edit anywhere is found on load.
absl::Status Engine::ReplayOne(Instance& inst, Event& e, std::size_t i) const {
  if (e.prev_hash != inst.state.last_hash) {
    return absl::DataLossError(absl::StrCat("event #", i + 1, " (version ", e.version,
                                            "): its prev_hash does not match the event before it; "
                                            "the log was edited, reordered or truncated"));
  }
  if (HashEvent(e) != e.hash) {
    return absl::DataLossError(absl::StrCat("event #", i + 1, " (version ", e.version,
                                            "): its hash does not match its content; the event was edited"));
  }
  if (absl::Status st = FoldEvent(policy_, inst.state, e); !st.ok()) {
    return absl::DataLossError(absl::StrCat("event #", i + 1, " (version ", e.version, "): ", st.message()));
  }
  inst.log.push_back(std::move(e));
  return absl::OkStatus();
}

absl::StatusOr<Instance> Engine::Replay(std::vector<Event> log) const {
  Instance inst;
  inst.log.reserve(log.size());
  for (std::size_t i = 0; i < log.size(); ++i) SALESIGHT_RETURN_IF_ERROR(ReplayOne(inst, log[i], i));
  return inst;
}

absl::StatusOr<std::vector<Instance>> Engine::ReplayAll(std::vector<Event> log) const {
  // Events are grouped by index and moved into their instance's log once;
  // instances come out by id.
  absl::flat_hash_map<std::string_view, std::vector<std::size_t>> by_instance;
  for (std::size_t i = 0; i < log.size(); ++i) by_instance[log[i].instance].push_back(i);
  std::vector<std::pair<std::string, const std::vector<std::size_t>*>> order;
  order.reserve(by_instance.size());
  for (const auto& [id, events] : by_instance) order.emplace_back(std::string(id), &events);
  std::sort(order.begin(), order.end());
  std::vector<Instance> out(order.size());
  for (std::size_t k = 0; k < order.size(); ++k) {
    const std::vector<std::size_t>& events = *order[k].second;
    out[k].log.reserve(events.size());
    for (std::size_t i = 0; i < events.size(); ++i) {
      if (absl::Status st = ReplayOne(out[k], log[events[i]], i); !st.ok()) {
        return absl::Status(st.code(), absl::StrCat("instance '", order[k].first, "', ", st.message()));
      }
    }
  }
  return out;
}

std::string LogToJsonl(const std::vector<Event>& log) {
  std::string out;
  for (const Event& e : log) absl::StrAppend(&out, EncodeEvent(e), "\n");
  return out;
}

absl::StatusOr<std::vector<Event>> LogFromJsonl(std::string_view text) {
  std::vector<Event> out;
  std::size_t line = 0;
  while (!text.empty()) {
    ++line;
    const std::size_t nl = text.find('\n');
    std::string_view row = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    if (row.empty()) continue;
    absl::StatusOr<Event> e = DecodeEvent(row);
    if (!e.ok()) return absl::InvalidArgumentError(absl::StrCat("log line ", line, ": ", e.status().message()));
    out.push_back(*std::move(e));
  }
  return out;
}

}  // namespace salesight::approval
