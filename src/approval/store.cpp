#include "salesight/approval/store.hpp"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"

namespace salesight::approval {

absl::StatusOr<ApplyResult> InstanceStore::Apply(const Engine& engine, const Command& command) {
  if (command.instance.empty()) return absl::InvalidArgumentError("a command to a store names its instance");
  if (auto it = instances_.find(command.instance); it != instances_.end()) return engine.Apply(it->second, command);
  if (command.kind != EventKind::kSubmitted) {
    return absl::NotFoundError(absl::StrCat(std::string(EventKindName(command.kind)), " refused: no instance '",
                                            command.instance, "' (submit it first)"));
  }
  Instance fresh;
  absl::StatusOr<ApplyResult> r = engine.Apply(fresh, command);
  if (r.ok()) instances_.emplace(command.instance, std::move(fresh));
  return r;
}

absl::StatusOr<InstanceStore> InstanceStore::Replay(const Engine& engine, std::vector<Event> log) {
  absl::StatusOr<std::vector<Instance>> all = engine.ReplayAll(std::move(log));
  if (!all.ok()) return all.status();
  InstanceStore store;
  for (Instance& i : *all) {
    std::string id = i.state.id;
    store.instances_.emplace(std::move(id), std::move(i));
  }
  return store;
}

void AppendPending(const InstanceState& s, std::string_view user, std::int64_t at, std::vector<PendingItem>& out) {
  const std::vector<std::string> who = Engine::PendingApprovers(s);
  if (who.empty()) return;
  auto item = [&](std::string on_behalf_of) {
    out.push_back({s.id, s.contract, s.nodes[s.current].node.id, std::move(on_behalf_of), s.version});
  };
  if (std::find(who.begin(), who.end(), user) != who.end()) item("");
  // One row per principal the user may stand in for now (in the pending
  // order), by the fold's own delegation rule.
  EventBody probe;
  probe.actor = std::string(user);
  probe.at = at;
  for (const std::string& principal : who) {
    if (principal == user) continue;
    probe.on_behalf_of = principal;
    if (EffectiveActor(s, probe) == principal) item(principal);
  }
}

std::vector<PendingItem> InstanceStore::Pending(std::string_view user, std::int64_t at) const {
  std::vector<PendingItem> out;
  for (const auto& [id, inst] : instances_) AppendPending(inst.state, user, at, out);
  return out;
}

const Instance* InstanceStore::Find(std::string_view id) const {
  auto it = instances_.find(id);
  return it == instances_.end() ? nullptr : &it->second;
}

std::vector<Event> InstanceStore::Log() const {
  std::vector<Event> out;
  for (const auto& [id, inst] : instances_) out.insert(out.end(), inst.log.begin(), inst.log.end());
  return out;
}

}  // namespace salesight::approval
