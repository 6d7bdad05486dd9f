// Many instances of one engine, by instance id: what a host keeps to apply
// commands to any of them, replay one log holding all of them, and ask "what
// waits for user U" across all of them.
//
// Pending(user, at): every pending instance whose current node waits for
// `user` (Engine::PendingApprovers: a sequential node waits for its next
// approver only), and, through a delegation covering `at` (seconds), every
// one that waits for a principal who delegated to `user` (then
// on_behalf_of names the principal). Instances come in id order.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "salesight/approval/engine.hpp"

namespace salesight::approval {

struct PendingItem {
  std::string instance;
  std::string contract;
  std::string node;
  std::string on_behalf_of;  // "" when the user is the approver
  std::int64_t version = 0;  // the instance's version (for expected_version)
  friend bool operator==(const PendingItem&, const PendingItem&) = default;
};

// The rows of one instance for `user` at `at` (what Pending gives for it),
// appended to `out`: for hosts that keep their instances themselves.
void AppendPending(const InstanceState& state, std::string_view user, std::int64_t at,
                   std::vector<PendingItem>& out);

class InstanceStore {
 public:
  // The command goes to the instance it names (Command::instance, required);
  // a submission to an unknown id creates it, only when accepted. Other
  // commands to an unknown id are refused (NotFound).
  absl::StatusOr<ApplyResult> Apply(const Engine& engine, const Command& command);
  // A store from a log of many instances (interleaved), every hash checked
  // (Engine::ReplayAll).
  static absl::StatusOr<InstanceStore> Replay(const Engine& engine, std::vector<Event> log);

  std::vector<PendingItem> Pending(std::string_view user, std::int64_t at) const;
  const Instance* Find(std::string_view id) const;
  // Every event, instance after instance (ids ascending): a log Replay reads back.
  std::vector<Event> Log() const;
  std::size_t size() const { return instances_.size(); }

 private:
  std::map<std::string, Instance, std::less<>> instances_;
};

}  // namespace salesight::approval
