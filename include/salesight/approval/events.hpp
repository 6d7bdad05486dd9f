// Commands and events of an approval instance.
//
// A command asks; the engine answers with events (the facts it accepted) or
// refuses with the reason, applying nothing. Every command carries an
// idempotency key (a retried command is applied once: the retry gets the
// first answer back) and an expected version (the instance's version the
// caller saw; when two approvers race on one node, the second gets a
// conflict). Events carry everything the fold needs (a submission carries its
// resolved route), so replaying a log never routes again.
//
// Kinds (the event a command asks for, named by the fact):
//   submitted     the initiator submits a contract: it is routed
//   approved      an approver approves the current node
//   rejected      驳回: ends the instance, or sends it back to the initiator (policy)
//   returned      退回: back to an earlier node (`target`), whose approvals restart
//   resubmitted   the initiator resubmits a returned contract: routed again
//   withdrawn     the initiator withdraws
//   transferred   转交: an approver hands the node to `target`
//   signer_added  加签: `people` join before / after the current node (as a
//                 node of `signer_kind`), or in parallel (each must approve too)
//   delegated     the approver `actor` lets `target` act on their behalf until `until`
//   commented     a comment
//   reminded      a reminder to the pending approvers
//   escalated     the current node breached its SLA (business days)
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "salesight/approval/chain.hpp"
#include "salesight/approval/route.hpp"

namespace salesight::approval {

enum class EventKind : std::uint8_t {
  kSubmitted, kApproved, kRejected, kReturned, kResubmitted, kWithdrawn,
  kTransferred, kSignerAdded, kDelegated, kCommented, kReminded, kEscalated
};
inline constexpr int kEventKinds = 12;
std::string_view EventKindName(EventKind k);
absl::StatusOr<EventKind> ParseEventKind(std::string_view name);

enum class SignerPosition : std::uint8_t { kBefore, kAfter, kParallel };
std::string_view SignerPositionName(SignerPosition p);
absl::StatusOr<SignerPosition> ParseSignerPosition(std::string_view name);

// What commands and events share.
struct EventBody {
  EventKind kind = EventKind::kCommented;
  std::string instance;
  std::string key;           // idempotency key of the command
  std::int64_t at = 0;       // seconds since 1970-01-01 UTC, given by the host
  std::string actor;         // who acts
  std::string on_behalf_of;  // the principal, when the actor is their delegate
  std::string node;          // the node acted on ("" in a command: the current node)
  std::string target;        // transferred to, returned to (node id), delegate
  std::vector<std::string> people;  // signers added
  SignerPosition position = SignerPosition::kAfter;
  NodeKind signer_kind = NodeKind::kAll;
  std::int64_t until = 0;    // delegation end (exclusive), seconds
  std::string text;          // comment or reason
  friend bool operator==(const EventBody&, const EventBody&) = default;
};

inline constexpr std::int64_t kAnyVersion = -1;

struct Command : EventBody {
  std::int64_t expected_version = kAnyVersion;
  Contract contract;  // submitted / resubmitted
};

struct Event : EventBody {
  std::int64_t version = 0;  // the instance's version after it (the submission is 1)
  std::string contract;      // submitted / resubmitted: the contract id
  Route route;               // submitted / resubmitted
  std::string prev_hash;     // the previous event's hash ("" before the first)
  std::string hash;          // SHA-256 of prev_hash and this event's canonical JSON
  friend bool operator==(const Event&, const Event&) = default;
};

// One event as one canonical JSON line (keys sorted, no hash field when
// `with_hash` is false: what the hash covers), and back. Decoding is bounded
// and names the field that is wrong.
std::string EncodeEvent(const Event& e, bool with_hash = true);
absl::StatusOr<Event> DecodeEvent(std::string_view line);

// The hash of e given its prev_hash.
std::string HashEvent(const Event& e);

}  // namespace salesight::approval
