// Approval chains: nodes of approvers, and their resolution for one contract
// through the org directory.
//
// Node kinds (DingTalk / Feishu terms):
//   single      one approver; the approvers must resolve to exactly one person
//   all         会签: every approver must approve (in any order)
//   any         或签: one approval from any of them completes the node
//   sequential  依次: every approver, one after another, in the resolved order
//   quorum      k of n (`quorum`), or at least p% (`quorum_percent`, rounded up)
//
// Approvers (each node lists one or more; their people are united, by id):
//   {"role": R, "department": D, "region": G}  holders of role R, optionally in
//        department D / region G; D and G may be "@initiator" (the initiator's)
//        or "@contract.<attribute>" (a contract attribute, as text)
//   {"manager": n}  the initiator's manager n levels up (1 = direct manager)
//   {"user": U}     a named person
//   {"group": G}    the members of group G
// Sequential nodes keep the order of the approver list (and by id within one
// approver entry).
//
// When a node resolves to nobody (after the initiator is removed, if the
// policy skips initiators), its missing-approver rule decides:
//   skip      the node is skipped (counts as satisfied; recorded as skipped)
//   escalate  the initiator's manager approves instead, then the next level up
//             (for a {"manager": n} node: n+1, n+2, ...), until someone is found
//   fail      routing fails with an error naming the node and the approver
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "salesight/approval/directory.hpp"
#include "salesight/approval/value.hpp"

namespace salesight::approval {

enum class NodeKind : std::uint8_t { kSingle, kAll, kAny, kSequential, kQuorum };
enum class MissingApprover : std::uint8_t { kSkip, kEscalate, kFail };

absl::StatusOr<NodeKind> ParseNodeKind(std::string_view name);  // "single", "all", ...
std::string_view NodeKindName(NodeKind kind);
absl::StatusOr<MissingApprover> ParseMissingApprover(std::string_view name);
std::string_view MissingApproverName(MissingApprover m);

struct ApproverSpec {
  enum class Kind : std::uint8_t { kRole, kManager, kUser, kGroup } kind = Kind::kRole;
  std::string name;        // role, user or group
  std::string department;  // role scope: literal, "@initiator" or "@contract.<attr>"
  std::string region;
  int levels = 1;          // manager
};
std::string DescribeApprover(const ApproverSpec& a);  // "role 'cfo'", "manager 2 up", ...

struct NodeSpec {
  std::string id;
  NodeKind kind = NodeKind::kSingle;
  std::vector<ApproverSpec> approvers;
  int quorum = 0;          // k of n (kQuorum)
  int quorum_percent = 0;  // or at least p% (kQuorum), 1..100
  MissingApprover on_missing = MissingApprover::kFail;
  bool missing_set = false;  // false: the policy's default applies
};

struct ChainSpec {
  std::string name;
  std::vector<NodeSpec> nodes;
};

struct ResolvedNode {
  std::string id;
  NodeKind kind = NodeKind::kSingle;
  std::vector<std::string> approvers;  // person ids; sequential: in order
  int required = 0;                    // approvals that complete the node
  bool skipped = false;                // resolved to nobody under "skip"
  std::string note;                    // why skipped / escalated / initiator removed
  friend bool operator==(const ResolvedNode&, const ResolvedNode&) = default;
};

// What resolution needs to know about the contract.
struct ResolveContext {
  const OrgDirectory* directory = nullptr;
  std::string initiator;
  const std::map<std::string, Value>* attributes = nullptr;
  bool skip_initiator = true;
  MissingApprover default_on_missing = MissingApprover::kFail;
};

absl::StatusOr<ResolvedNode> ResolveNode(const NodeSpec& node, const ResolveContext& ctx);

// Approvals a node needs from `n` approvers (p% rounds up; 0 when n = 0); a
// quorum k above n is kept, so that resolution refuses the node.
int RequiredApprovals(const NodeSpec& node, int n);

}  // namespace salesight::approval
