// Static checks of a whole policy against a directory: the decision table's
// findings (table_check.hpp), plus
//   unresolved-role        a role, group or user a chain names that the
//                          directory does not know (or knows only as inactive)
//   chain-never-completes  a node that can never gather its approvals: a
//                          quorum k above every person its approvers can name,
//                          a single node whose approvers always name several
//                          people, or approvers that name nobody under "fail"
#pragma once

#include <vector>

#include "salesight/approval/directory.hpp"
#include "salesight/approval/policy.hpp"
#include "salesight/approval/table_check.hpp"

namespace salesight::approval {

std::vector<Finding> CheckPolicy(const Policy& policy, const OrgDirectory& directory,
                                 const CheckOptions& options = {});

}  // namespace salesight::approval
