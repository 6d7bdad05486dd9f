#include "salesight/approval/policy_check.hpp"

#include <string>
#include <vector>

#include "approval_test_util.hpp"
#include "gtest/gtest.h"

namespace salesight::approval {
namespace {

std::vector<std::string> Of(const std::vector<Finding>& fs, FindingKind k) {
  std::vector<std::string> out;
  for (const Finding& f : fs) {
    if (f.kind == k) out.push_back(f.message);
  }
  return out;
}

TEST(PolicyCheck, SeedIsClean) {
  EXPECT_TRUE(CheckPolicy(testing_util::SeedPolicy(), testing_util::SeedDirectory()).empty());
}

TEST(PolicyCheck, PlantedRoleAndChainProblemsAreNamed) {
  Policy p = testing_util::SeedPolicy();
  p.settings.on_missing = MissingApprover::kFail;
  p.chains["large"].nodes[2].approvers[0].name = "chief_financial_officer";  // typo
  NodeSpec q;
  q.id = "board";
  q.kind = NodeKind::kQuorum;
  q.quorum = 3;
  q.approvers = {ApproverSpec{ApproverSpec::Kind::kUser, "gm", "", "", 1},
                 ApproverSpec{ApproverSpec::Kind::kUser, "cfo", "", "", 1}};
  p.chains["large"].nodes.push_back(q);
  const auto fs = CheckPolicy(p, testing_util::SeedDirectory());
  EXPECT_EQ(Of(fs, FindingKind::kUnresolvedRole),
            std::vector<std::string>{"chain 'large', node 'cfo': role 'chief_financial_officer' is not in the directory"});
  EXPECT_EQ(Of(fs, FindingKind::kChainNeverCompletes),
            (std::vector<std::string>{
                "chain 'large', node 'cfo': its approvers name nobody and the rule for a missing approver "
                "is fail, so every route through it fails",
                "chain 'large', node 'board': a quorum of 3 but its approvers name only 2 people"}));
}

TEST(PolicyCheck, PolicyLoaderRefusesUndefinedChainsAndBadNodes) {
  std::string text = testing_util::ReadExample("seed_policy.json");
  const std::string bad_chain = std::string(text).replace(text.find("\"chain\": \"large\""), 16, "\"chain\": \"huge\"");
  absl::StatusOr<Policy> p = LoadPolicyJson(bad_chain);
  ASSERT_FALSE(p.ok());
  EXPECT_NE(std::string(p.status().message()).find("rule 'large' (#5), output 'chain'"), std::string::npos)
      << p.status();
  Policy seed = testing_util::SeedPolicy();
  seed.chains.erase("large");
  absl::StatusOr<Policy> missing = WithDecision(seed, seed.decision);
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(std::string(missing.status().message()).find("rule 'large' (#5) routes to chain 'large', which is not defined"),
            std::string::npos)
      << missing.status();
  const std::string bad_kind = std::string(text).replace(text.find("\"kind\": \"all\""), 13, "\"kind\": \"most\"");
  p = LoadPolicyJson(bad_kind);
  ASSERT_FALSE(p.ok());
  EXPECT_NE(std::string(p.status().message()).find("chain 'mid', node #1 (node 'countersign')"), std::string::npos)
      << p.status();
}

}  // namespace
}  // namespace salesight::approval
