#include "salesight/approval/policy_check.hpp"

#include <algorithm>
#include <set>
#include <string>

#include "absl/strings/str_cat.h"

namespace salesight::approval {
namespace {

// Everyone an approver could ever name, whatever the contract and initiator
// (scopes ignored); nullopt-like `unbounded` for managers, who depend on the
// initiator.
std::set<std::string> Reachable(const ApproverSpec& a, const OrgDirectory& d, bool* depends_on_initiator) {
  std::set<std::string> out;
  switch (a.kind) {
    case ApproverSpec::Kind::kRole: {
      for (std::string& id : d.WithRole(a.name, "", "")) out.insert(std::move(id));
      if (!a.department.empty() || !a.region.empty()) *depends_on_initiator = true;
      break;
    }
    case ApproverSpec::Kind::kGroup:
      for (std::string& id : d.Group(a.name)) out.insert(std::move(id));
      break;
    case ApproverSpec::Kind::kUser:
      if (const Person* p = d.Find(a.name); p != nullptr && p->active) out.insert(a.name);
      break;
    case ApproverSpec::Kind::kManager:
      *depends_on_initiator = true;
      break;
  }
  return out;
}

}  // namespace

std::vector<Finding> CheckPolicy(const Policy& policy, const OrgDirectory& d, const CheckOptions& options) {
  std::vector<Finding> out = CheckTable(policy.decision, options);
  for (const auto& [name, chain] : policy.chains) {
    for (const NodeSpec& n : chain.nodes) {
      const std::string where = absl::StrCat("chain '", name, "', node '", n.id, "'");
      std::set<std::string> people;
      bool depends = false;
      bool unresolved = false;
      for (const ApproverSpec& a : n.approvers) {
        const bool known = a.kind == ApproverSpec::Kind::kManager ||
                           (a.kind == ApproverSpec::Kind::kRole && d.KnowsRole(a.name)) ||
                           (a.kind == ApproverSpec::Kind::kGroup && d.KnowsGroup(a.name)) ||
                           (a.kind == ApproverSpec::Kind::kUser && d.Find(a.name) != nullptr);
        std::set<std::string> reach = Reachable(a, d, &depends);
        if (!known || (reach.empty() && a.kind != ApproverSpec::Kind::kManager)) {
          unresolved = true;
          out.push_back({FindingKind::kUnresolvedRole, name, {},
                         absl::StrCat(where, ": ", DescribeApprover(a),
                                      known ? " has no active person in the directory"
                                            : " is not in the directory")});
        }
        people.insert(reach.begin(), reach.end());
      }
      const MissingApprover rule = n.missing_set ? n.on_missing : policy.settings.on_missing;
      if (people.empty() && !depends && rule == MissingApprover::kFail && unresolved) {
        out.push_back({FindingKind::kChainNeverCompletes, name, {},
                       absl::StrCat(where, ": its approvers name nobody and the rule for a missing "
                                           "approver is fail, so every route through it fails")});
      }
      if (!depends && n.kind == NodeKind::kQuorum && n.quorum > static_cast<int>(people.size())) {
        out.push_back({FindingKind::kChainNeverCompletes, name, {},
                       absl::StrCat(where, ": a quorum of ", n.quorum, " but its approvers name only ",
                                    people.size(), " people")});
      }
      if (!depends && n.kind == NodeKind::kSingle && people.size() > 1) {
        out.push_back({FindingKind::kChainNeverCompletes, name, {},
                       absl::StrCat(where, ": single, but its approvers name ", people.size(),
                                    " people (routing refuses it)")});
      }
    }
  }
  return out;
}

}  // namespace salesight::approval
