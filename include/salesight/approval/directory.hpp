// The org directory approvers resolve through: people with a manager, a
// department, a region, roles and groups. Built once, then read-only.
//
// JSON form: {"people": [{"id": "u1", "name": "Wang Li", "manager": "u0",
//   "department": "Sales", "region": "East", "roles": ["sales_director"],
//   "groups": ["legal"], "active": true}]}
// Inactive people resolve to nobody (as if absent). Ids are unique; a
// manager must be a known id; manager cycles are refused.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "salesight/approval/loader_limits.hpp"

namespace salesight::approval {

struct Person {
  std::string id;
  std::string name;
  std::string manager;  // "" at the top
  std::string department;
  std::string region;
  std::vector<std::string> roles;
  std::vector<std::string> groups;
  bool active = true;
};

class OrgDirectory {
 public:
  // Checks ids, managers and cycles.
  static absl::StatusOr<OrgDirectory> Build(std::vector<Person> people);

  const Person* Find(std::string_view id) const;
  // Active holders of `role`, restricted to a department / region when not
  // empty, sorted by id (so resolution never depends on input order).
  std::vector<std::string> WithRole(std::string_view role, std::string_view department,
                                    std::string_view region) const;
  std::vector<std::string> Group(std::string_view group) const;  // active members, by id
  // The manager `levels` up from `id` ("" when the chain ends first).
  std::string ManagerOf(std::string_view id, int levels) const;
  bool KnowsRole(std::string_view role) const;
  bool KnowsGroup(std::string_view group) const;
  const std::vector<Person>& people() const { return people_; }

 private:
  std::vector<Person> people_;  // sorted by id
  absl::flat_hash_map<std::string, std::size_t> index_;
};

absl::StatusOr<OrgDirectory> LoadDirectoryJson(std::string_view json, const LoadLimits& limits = {});

}  // namespace salesight::approval
