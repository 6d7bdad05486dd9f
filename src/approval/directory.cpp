#include "salesight/approval/directory.hpp"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "internal/json_util.hpp"
#include "salesight/status_macros.hpp"

namespace salesight::approval {

absl::StatusOr<OrgDirectory> OrgDirectory::Build(std::vector<Person> people) {
  OrgDirectory d;
  std::sort(people.begin(), people.end(), [](const Person& a, const Person& b) { return a.id < b.id; });
  for (std::size_t i = 0; i < people.size(); ++i) {
    if (people[i].id.empty()) return absl::InvalidArgumentError("directory: a person has no id");
    if (!d.index_.emplace(people[i].id, i).second) {
      return absl::InvalidArgumentError(absl::StrCat("directory: person '", people[i].id, "' twice"));
    }
    std::sort(people[i].roles.begin(), people[i].roles.end());
    std::sort(people[i].groups.begin(), people[i].groups.end());
  }
  d.people_ = std::move(people);
  // Every manager must exist before any chain is walked: a walk from one person
  // passes through others whose managers are not checked yet.
  for (const Person& p : d.people_) {
    if (!p.manager.empty() && !d.index_.contains(p.manager)) {
      return absl::InvalidArgumentError(absl::StrCat("directory: person '", p.id, "' has manager '",
                                                     p.manager, "', who is not in the directory"));
    }
  }
  // Each person is walked up once: 0 = not seen, 1 = on the current walk, 2 = known to end.
  std::vector<unsigned char> state(d.people_.size(), 0);
  std::vector<std::size_t> walk;
  for (std::size_t start = 0; start < d.people_.size(); ++start) {
    walk.clear();
    std::size_t at = start;
    while (state[at] == 0) {
      state[at] = 1;
      walk.push_back(at);
      if (d.people_[at].manager.empty()) break;
      at = d.index_.find(d.people_[at].manager)->second;
    }
    if (state[at] == 1 && !d.people_[at].manager.empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat("directory: the managers of '", d.people_[at].id, "' form a cycle"));
    }
    for (std::size_t w : walk) state[w] = 2;
  }
  return d;
}

const Person* OrgDirectory::Find(std::string_view id) const {
  auto it = index_.find(std::string(id));
  return it == index_.end() ? nullptr : &people_[it->second];
}

std::vector<std::string> OrgDirectory::WithRole(std::string_view role, std::string_view department,
                                                std::string_view region) const {
  std::vector<std::string> out;
  for (const Person& p : people_) {
    if (!p.active || !std::binary_search(p.roles.begin(), p.roles.end(), role)) continue;
    if (!department.empty() && p.department != department) continue;
    if (!region.empty() && p.region != region) continue;
    out.push_back(p.id);
  }
  return out;
}

std::vector<std::string> OrgDirectory::Group(std::string_view group) const {
  std::vector<std::string> out;
  for (const Person& p : people_) {
    if (p.active && std::binary_search(p.groups.begin(), p.groups.end(), group)) out.push_back(p.id);
  }
  return out;
}

std::string OrgDirectory::ManagerOf(std::string_view id, int levels) const {
  const Person* p = Find(id);
  for (int i = 0; i < levels && p != nullptr; ++i) p = p->manager.empty() ? nullptr : Find(p->manager);
  return p == nullptr ? "" : p->id;
}

bool OrgDirectory::KnowsRole(std::string_view role) const {
  for (const Person& p : people_) {
    if (std::binary_search(p.roles.begin(), p.roles.end(), role)) return true;
  }
  return false;
}

bool OrgDirectory::KnowsGroup(std::string_view group) const {
  for (const Person& p : people_) {
    if (std::binary_search(p.groups.begin(), p.groups.end(), group)) return true;
  }
  return false;
}

absl::StatusOr<OrgDirectory> LoadDirectoryJson(std::string_view text, const LoadLimits& limits) {
  SALESIGHT_ASSIGN_OR_RETURN(nlohmann::json j, internal::ParseJsonBounded(text, limits, "directory"));
  if (!j.is_object() || !j.contains("people") || !j["people"].is_array()) {
    return absl::InvalidArgumentError("directory: expected {\"people\": [...]}");
  }
  std::vector<Person> people;
  for (std::size_t i = 0; i < j["people"].size(); ++i) {
    const nlohmann::json& pj = j["people"][i];
    const std::string where = absl::StrCat("directory, person #", i + 1);
    if (!pj.is_object()) return absl::InvalidArgumentError(where + ": expected an object");
    Person p;
    SALESIGHT_ASSIGN_OR_RETURN(p.id, internal::OptString(pj, "id", where));
    SALESIGHT_ASSIGN_OR_RETURN(p.name, internal::OptString(pj, "name", where));
    SALESIGHT_ASSIGN_OR_RETURN(p.manager, internal::OptString(pj, "manager", where));
    SALESIGHT_ASSIGN_OR_RETURN(p.department, internal::OptString(pj, "department", where));
    SALESIGHT_ASSIGN_OR_RETURN(p.region, internal::OptString(pj, "region", where));
    for (const char* key : {"roles", "groups"}) {
      if (!pj.contains(key)) continue;
      if (!pj[key].is_array()) return absl::InvalidArgumentError(absl::StrCat(where, ": '", key, "' must be a list"));
      for (const nlohmann::json& v : pj[key]) {
        if (!v.is_string()) {
          return absl::InvalidArgumentError(absl::StrCat(where, ": '", key, "' holds ", v.dump()));
        }
        (std::string_view(key) == "roles" ? p.roles : p.groups).push_back(v.get<std::string>());
      }
    }
    if (pj.contains("active")) {
      if (!pj["active"].is_boolean()) return absl::InvalidArgumentError(where + ": 'active' must be true or false");
      p.active = pj["active"].get<bool>();
    }
    people.push_back(std::move(p));
  }
  return OrgDirectory::Build(std::move(people));
}

}  // namespace salesight::approval
