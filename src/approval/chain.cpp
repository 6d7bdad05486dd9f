#include "salesight/approval/chain.hpp"

#include <algorithm>
#include <array>

#include "absl/strings/str_cat.h"

namespace salesight::approval {
namespace {

constexpr std::array<std::string_view, 5> kKindNames{"single", "all", "any", "sequential", "quorum"};
constexpr std::array<std::string_view, 3> kMissingNames{"skip", "escalate", "fail"};

// "@initiator" -> the initiator's field, "@contract.x" -> attribute x as text.
std::string Scope(const std::string& spec, const ResolveContext& ctx, bool department) {
  if (spec == "@initiator") {
    const Person* p = ctx.directory->Find(ctx.initiator);
    if (p == nullptr) return "\x01";  // matches nobody
    return department ? p->department : p->region;
  }
  constexpr std::string_view kContract = "@contract.";
  if (std::string_view(spec).starts_with(kContract)) {
    if (ctx.attributes == nullptr) return "\x01";
    auto it = ctx.attributes->find(spec.substr(kContract.size()));
    return it == ctx.attributes->end() || it->second.is_null() ? "\x01" : PlainText(it->second);
  }
  return spec;
}

std::vector<std::string> People(const ApproverSpec& a, const ResolveContext& ctx) {
  const OrgDirectory& d = *ctx.directory;
  switch (a.kind) {
    case ApproverSpec::Kind::kRole:
      return d.WithRole(a.name, Scope(a.department, ctx, true), Scope(a.region, ctx, false));
    case ApproverSpec::Kind::kManager: {
      const std::string m = d.ManagerOf(ctx.initiator, a.levels);
      const Person* p = d.Find(m);
      if (p == nullptr || !p->active) return {};
      return {m};
    }
    case ApproverSpec::Kind::kUser: {
      const Person* p = d.Find(a.name);
      if (p == nullptr || !p->active) return {};
      return {a.name};
    }
    case ApproverSpec::Kind::kGroup:
      return d.Group(a.name);
  }
  return {};
}

}  // namespace

absl::StatusOr<NodeKind> ParseNodeKind(std::string_view name) {
  for (std::size_t i = 0; i < kKindNames.size(); ++i) {
    if (kKindNames[i] == name) return static_cast<NodeKind>(i);
  }
  return absl::InvalidArgumentError(absl::StrCat(
      "unknown node kind '", std::string(name), "' (expected single, all, any, sequential or quorum)"));
}
std::string_view NodeKindName(NodeKind kind) { return kKindNames[static_cast<std::size_t>(kind)]; }

absl::StatusOr<MissingApprover> ParseMissingApprover(std::string_view name) {
  for (std::size_t i = 0; i < kMissingNames.size(); ++i) {
    if (kMissingNames[i] == name) return static_cast<MissingApprover>(i);
  }
  return absl::InvalidArgumentError(absl::StrCat("unknown missing-approver rule '",
                                                 std::string(name), "' (expected skip, escalate or fail)"));
}
std::string_view MissingApproverName(MissingApprover m) {
  return kMissingNames[static_cast<std::size_t>(m)];
}

std::string DescribeApprover(const ApproverSpec& a) {
  switch (a.kind) {
    case ApproverSpec::Kind::kRole: {
      std::string s = absl::StrCat("role '", a.name, "'");
      if (!a.department.empty()) absl::StrAppend(&s, " in department '", a.department, "'");
      if (!a.region.empty()) absl::StrAppend(&s, " in region '", a.region, "'");
      return s;
    }
    case ApproverSpec::Kind::kManager:
      return absl::StrCat("the initiator's manager ", a.levels, " level(s) up");
    case ApproverSpec::Kind::kUser:
      return absl::StrCat("user '", a.name, "'");
    case ApproverSpec::Kind::kGroup:
      return absl::StrCat("group '", a.name, "'");
  }
  return "";
}

int RequiredApprovals(const NodeSpec& node, int n) {
  if (n == 0) return 0;
  switch (node.kind) {
    case NodeKind::kSingle:
    case NodeKind::kAny:
      return 1;
    case NodeKind::kAll:
    case NodeKind::kSequential:
      return n;
    case NodeKind::kQuorum:
      if (node.quorum > 0) return node.quorum;
      return std::max(1, (node.quorum_percent * n + 99) / 100);
  }
  return n;
}

absl::StatusOr<ResolvedNode> ResolveNode(const NodeSpec& node, const ResolveContext& ctx) {
  ResolvedNode out;
  out.id = node.id;
  out.kind = node.kind;
  for (const ApproverSpec& a : node.approvers) {
    for (std::string& id : People(a, ctx)) {
      if (std::find(out.approvers.begin(), out.approvers.end(), id) == out.approvers.end()) {
        out.approvers.push_back(std::move(id));
      }
    }
  }
  if (ctx.skip_initiator) {
    const auto it = std::find(out.approvers.begin(), out.approvers.end(), ctx.initiator);
    if (it != out.approvers.end()) {
      out.approvers.erase(it);
      out.note = "initiator removed from the approvers";
    }
  }
  if (out.approvers.empty()) {
    const MissingApprover rule = node.missing_set ? node.on_missing : ctx.default_on_missing;
    std::string who;
    for (const ApproverSpec& a : node.approvers) absl::StrAppend(&who, who.empty() ? "" : ", ", DescribeApprover(a));
    // Empty because the initiator was removed, or because nobody holds the role.
    const std::string reason =
        out.note.empty() ? absl::StrCat(who, " resolves to nobody")
                         : absl::StrCat("the initiator '", ctx.initiator, "' is its only approver (", who, ")");
    switch (rule) {
      case MissingApprover::kSkip:
        out.skipped = true;
        out.note = absl::StrCat("skipped: ", reason);
        return out;
      case MissingApprover::kFail:
        return absl::FailedPreconditionError(
            absl::StrCat("node '", node.id, "': ", reason));
      case MissingApprover::kEscalate: {
        int level = 1;
        for (const ApproverSpec& a : node.approvers) {
          if (a.kind == ApproverSpec::Kind::kManager) level = std::max(level, a.levels + 1);
        }
        for (;; ++level) {
          const std::string m = ctx.directory->ManagerOf(ctx.initiator, level);
          if (m.empty()) {
            return absl::FailedPreconditionError(absl::StrCat(
                "node '", node.id, "': ", reason, " and no manager is left to escalate to"));
          }
          const Person* p = ctx.directory->Find(m);
          if (p->active && m != ctx.initiator) {
            out.approvers = {m};
            out.note = absl::StrCat("escalated to '", m, "' (manager ", level, " level(s) up): ", reason);
            break;
          }
        }
      }
    }
  }
  if (node.kind == NodeKind::kSingle && out.approvers.size() > 1) {
    std::string who;
    for (const std::string& p : out.approvers) absl::StrAppend(&who, who.empty() ? "" : ", ", p);
    return absl::FailedPreconditionError(absl::StrCat(
        "node '", node.id, "' is single but resolves to ", out.approvers.size(), " people (", who,
        "); make it any, all, sequential or quorum"));
  }
  out.required = RequiredApprovals(node, static_cast<int>(out.approvers.size()));
  if (out.required > static_cast<int>(out.approvers.size())) {
    return absl::FailedPreconditionError(absl::StrCat(
        "node '", node.id, "' needs ", out.required, " approvals but resolves to ",
        out.approvers.size(), " people: it could never complete"));
  }
  return out;
}

}  // namespace salesight::approval
