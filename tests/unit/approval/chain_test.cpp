// Node kinds, approver kinds and the missing-approver rules, on a small
// hand-made directory.
#include "salesight/approval/chain.hpp"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"

namespace salesight::approval {
namespace {

OrgDirectory Org() {
  std::vector<Person> people = {
      {"ceo", "", "", "Mgmt", "", {"gm"}, {}, true},
      {"vp", "", "ceo", "Sales", "", {}, {}, true},
      {"d_e", "", "vp", "Sales", "East", {"director"}, {}, true},
      {"d_w", "", "vp", "Sales", "West", {"director"}, {}, true},
      {"rep", "", "d_e", "Sales", "East", {}, {}, true},
      {"l1", "", "ceo", "Legal", "", {}, {"legal"}, true},
      {"l2", "", "ceo", "Legal", "", {}, {"legal"}, true},
      {"l3", "", "ceo", "Legal", "", {}, {"legal"}, true},
      {"gone", "", "ceo", "Legal", "", {"auditor"}, {"legal"}, false},
  };
  absl::StatusOr<OrgDirectory> d = OrgDirectory::Build(people);
  EXPECT_TRUE(d.ok()) << d.status();
  return *d;
}

struct Fixture {
  OrgDirectory dir = Org();
  std::map<std::string, Value> attrs{{"region", Value::String("West")}};
  ResolveContext Ctx(MissingApprover m = MissingApprover::kFail) {
    ResolveContext c;
    c.directory = &dir;
    c.initiator = "rep";
    c.attributes = &attrs;
    c.default_on_missing = m;
    return c;
  }
};

ApproverSpec Role(const char* r, const char* region = "") {
  ApproverSpec a;
  a.name = r;
  a.region = region;
  return a;
}
ApproverSpec Group(const char* g) {
  ApproverSpec a;
  a.kind = ApproverSpec::Kind::kGroup;
  a.name = g;
  return a;
}
ApproverSpec Manager(int n) {
  ApproverSpec a;
  a.kind = ApproverSpec::Kind::kManager;
  a.levels = n;
  return a;
}
ApproverSpec User(const char* u) {
  ApproverSpec a;
  a.kind = ApproverSpec::Kind::kUser;
  a.name = u;
  return a;
}
NodeSpec Node(NodeKind k, std::vector<ApproverSpec> a) {
  return NodeSpec{.id = "node", .kind = k, .approvers = std::move(a)};
}

TEST(Chain, ApproverKinds) {
  Fixture f;
  auto who = [&](NodeSpec n) {
    absl::StatusOr<ResolvedNode> r = ResolveNode(n, f.Ctx());
    EXPECT_TRUE(r.ok()) << r.status();
    return r.ok() ? r->approvers : std::vector<std::string>{"error"};
  };
  using V = std::vector<std::string>;
  EXPECT_EQ(who(Node(NodeKind::kAny, {Role("director")})), (V{"d_e", "d_w"}));
  EXPECT_EQ(who(Node(NodeKind::kSingle, {Role("director", "@initiator")})), (V{"d_e"}));
  EXPECT_EQ(who(Node(NodeKind::kSingle, {Role("director", "@contract.region")})), (V{"d_w"}));
  EXPECT_EQ(who(Node(NodeKind::kSingle, {Manager(1)})), (V{"d_e"}));
  EXPECT_EQ(who(Node(NodeKind::kSingle, {Manager(3)})), (V{"ceo"}));
  EXPECT_EQ(who(Node(NodeKind::kSingle, {User("l2")})), (V{"l2"}));
  EXPECT_EQ(who(Node(NodeKind::kAll, {Group("legal")})), (V{"l1", "l2", "l3"}));  // inactive 'gone' left out
  // Sequential keeps the list order; people are united by id.
  EXPECT_EQ(who(Node(NodeKind::kSequential, {User("l3"), Group("legal"), Manager(1)})),
            (V{"l3", "l1", "l2", "d_e"}));
}

TEST(Chain, RequiredApprovalsPerKind) {
  Fixture f;
  auto req = [&](NodeSpec n) { return ResolveNode(n, f.Ctx())->required; };
  EXPECT_EQ(req(Node(NodeKind::kAll, {Group("legal")})), 3);
  EXPECT_EQ(req(Node(NodeKind::kAny, {Group("legal")})), 1);
  EXPECT_EQ(req(Node(NodeKind::kSequential, {Group("legal")})), 3);
  NodeSpec q = Node(NodeKind::kQuorum, {Group("legal")});
  q.quorum = 2;
  EXPECT_EQ(req(q), 2);
  q.quorum = 0;
  q.quorum_percent = 50;  // 1.5 rounds up
  EXPECT_EQ(req(q), 2);
  q.quorum_percent = 34;  // 1.02 -> 2
  EXPECT_EQ(req(q), 2);
  q.quorum_percent = 33;  // 0.99 -> 1
  EXPECT_EQ(req(q), 1);
  q.quorum_percent = 0;
  q.quorum = 4;  // more than the people: never completes
  EXPECT_FALSE(ResolveNode(q, f.Ctx()).ok());
  EXPECT_FALSE(ResolveNode(Node(NodeKind::kSingle, {Group("legal")}), f.Ctx()).ok());
}

TEST(Chain, MissingApproverRules) {
  Fixture f;
  const NodeSpec nobody = Node(NodeKind::kSingle, {Role("auditor")});  // only an inactive holder
  absl::StatusOr<ResolvedNode> fail = ResolveNode(nobody, f.Ctx(MissingApprover::kFail));
  ASSERT_FALSE(fail.ok());
  EXPECT_EQ(fail.status().message(), "node 'node': role 'auditor' resolves to nobody");
  absl::StatusOr<ResolvedNode> skip = ResolveNode(nobody, f.Ctx(MissingApprover::kSkip));
  ASSERT_TRUE(skip.ok());
  EXPECT_TRUE(skip->skipped);
  EXPECT_EQ(skip->required, 0);
  absl::StatusOr<ResolvedNode> up = ResolveNode(nobody, f.Ctx(MissingApprover::kEscalate));
  ASSERT_TRUE(up.ok());
  EXPECT_EQ(up->approvers, std::vector<std::string>{"d_e"});
  // A manager node escalates past its own level: 5 levels up is nobody, so
  // the walk starts at 6 and finds no one either.
  NodeSpec high = Node(NodeKind::kSingle, {Manager(5)});
  EXPECT_FALSE(ResolveNode(high, f.Ctx(MissingApprover::kEscalate)).ok());
  // A node's own rule beats the policy default.
  NodeSpec own = nobody;
  own.on_missing = MissingApprover::kSkip;
  own.missing_set = true;
  EXPECT_TRUE(ResolveNode(own, f.Ctx(MissingApprover::kFail))->skipped);
}

TEST(Chain, DirectoryRefusesBadManagers) {
  EXPECT_FALSE(OrgDirectory::Build({{"a", "", "b", "", "", {}, {}, true}}).ok());
  EXPECT_FALSE(OrgDirectory::Build({{"a", "", "b", "", "", {}, {}, true}, {"b", "", "a", "", "", {}, {}, true}}).ok());
  EXPECT_FALSE(OrgDirectory::Build({{"a", "", "", "", "", {}, {}, true}, {"a", "", "", "", "", {}, {}, true}}).ok());
  EXPECT_FALSE(LoadDirectoryJson(R"({"people": [{"id": "a", "roles": "x"}]})").ok());
}

// Found by the approval fuzzer: a walk up from "a" reached "b", whose manager "c"
// is missing, before "b" itself was checked; the lookup threw instead of refusing.
TEST(Chain, DirectoryRefusesAMissingManagerFurtherUp) {
  absl::StatusOr<OrgDirectory> d = LoadDirectoryJson(
      R"({"people": [{"id": "a", "manager": "b"}, {"id": "b", "manager": "c"}]})");
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.status().message(), "directory: person 'b' has manager 'c', who is not in the directory");
  // A self-manager and a long cycle behind a valid chain are cycles; a long chain is fine.
  EXPECT_FALSE(OrgDirectory::Build({{"a", "", "a", "", "", {}, {}, true}}).ok());
  std::vector<Person> chain;
  for (int i = 0; i < 1000; ++i) {
    chain.push_back({absl::StrCat("p", i), "", i + 1 < 1000 ? absl::StrCat("p", i + 1) : "", "", "", {}, {}, true});
  }
  EXPECT_TRUE(OrgDirectory::Build(chain).ok());
  chain.back().manager = "p500";
  absl::StatusOr<OrgDirectory> cyclic = OrgDirectory::Build(chain);
  ASSERT_FALSE(cyclic.ok());
  EXPECT_NE(cyclic.status().message().find("form a cycle"), std::string::npos);
}

}  // namespace
}  // namespace salesight::approval
