// The seed's scenario, exactly: under 50,000 the sales director; 50,000 to
// 200,000 (both included) the director and finance countersigning; over
// 200,000 director, legal, CFO, general manager in turn. The JSON policy and
// the DMN table route every combination the rules use identically.
#include <string>
#include <vector>

#include "approval_test_util.hpp"
#include "gtest/gtest.h"
#include "salesight/approval/table_check.hpp"
#include "salesight/approval/table_loaders.hpp"

namespace salesight::approval {
namespace {

using testing_util::Num;
using testing_util::SeedContract;

std::vector<std::string> Shape(const Route& r) {
  std::vector<std::string> out;
  for (const ResolvedNode& n : r.nodes) {
    std::string s = n.id + ":" + std::string(NodeKindName(n.kind)) + ":";
    for (const std::string& a : n.approvers) s += a + ",";
    out.push_back(s + std::to_string(n.required));
  }
  return out;
}

TEST(SeedPolicy, FourBoundaries) {
  const Policy p = testing_util::SeedPolicy();
  const OrgDirectory d = testing_util::SeedDirectory();
  using S = std::vector<std::string>;
  const S small{"director:single:dir1,1"};
  const S mid{"countersign:all:dir1,fin1,2"};
  const S large{"director:single:dir1,1", "legal:single:legal1,1", "cfo:single:cfo,1", "gm:single:gm,1"};
  struct Case { const char* amount; S want; const char* chain; };
  for (const Case& c : {Case{"49999.99", small, "small"}, Case{"50000.00", mid, "mid"},
                        Case{"200000.00", mid, "mid"}, Case{"200000.01", large, "large"},
                        Case{"0", small, "small"}, Case{"1000000000", large, "large"}}) {
    absl::StatusOr<Route> r = RouteContract(p, d, SeedContract(c.amount));
    ASSERT_TRUE(r.ok()) << c.amount << ": " << r.status();
    EXPECT_EQ(Shape(*r), c.want) << c.amount;
    EXPECT_EQ(r->chains, std::vector<std::string>{c.chain}) << c.amount;
    EXPECT_EQ(r->policy_version, 1);
  }
}

TEST(SeedPolicy, JsonAndDmnRouteEveryCombinationIdentically) {
  const Policy json = testing_util::SeedPolicy();
  absl::StatusOr<std::vector<DecisionTable>> dmn = LoadDmn(testing_util::ReadExample("seed_routing.dmn"));
  ASSERT_TRUE(dmn.ok()) << dmn.status();
  absl::StatusOr<Policy> from_dmn = WithDecision(json, **FindDecision(*dmn, "contract_routing"));
  ASSERT_TRUE(from_dmn.ok()) << from_dmn.status();
  const OrgDirectory d = testing_util::SeedDirectory();
  int n = 0;
  for (const char* amount : {"0", "49999.99", "50000.00", "50000.01", "199999.99", "200000.00", "200000.01"}) {
    for (const char* discount : {"0", "20", "20.01", "100"}) {
      for (const char* margin : {"-5", "9.99", "10", "60"}) {
        for (const char* tier : {"A", "B", "C", ""}) {
          Contract c = SeedContract(amount);
          c.attributes["discount_pct"] = Num(discount);
          c.attributes["margin_pct"] = Num(margin);
          c.attributes["customer_tier"] = *tier ? Value::String(tier) : Value::Null();
          absl::StatusOr<Route> a = RouteContract(json, d, c);
          absl::StatusOr<Route> b = RouteContract(*from_dmn, d, c);
          ASSERT_TRUE(a.ok() && b.ok()) << a.status() << b.status();
          EXPECT_EQ(*a, *b);
          // The review flag, worked out from the rules by hand.
          const std::int64_t amt = *ParseNumber(amount);
          std::string want;
          if (amt < *ParseNumber("50000")) {
            want = (*ParseNumber(discount) <= *ParseNumber("20") && *ParseNumber(margin) >= *ParseNumber("10"))
                       ? "standard" : "exception";
          } else if (amt <= *ParseNumber("200000")) {
            want = (std::string(tier) == "A" || std::string(tier) == "B") ? "standard" : "credit";
          } else {
            want = "standard";
          }
          EXPECT_EQ(a->flags.at("review"), Value::String(want)) << amount << " " << discount << " " << margin << " " << tier;
          ++n;
        }
      }
    }
  }
  EXPECT_EQ(n, 448);
}

TEST(SeedPolicy, ChecksFindNothingInTheSeed) {
  const Policy p = testing_util::SeedPolicy();
  EXPECT_TRUE(CheckTable(p.decision).empty());
}

TEST(SeedPolicy, CsvTextAttributesAreParsedExactly) {
  const Policy p = testing_util::SeedPolicy();
  const OrgDirectory d = testing_util::SeedDirectory();
  Contract c = SeedContract("1");
  c.attributes["amount"] = Value::String("49999.99");
  EXPECT_EQ(RouteContract(p, d, c)->chains, std::vector<std::string>{"small"});
  c.attributes["amount"] = Value::String("50,000");
  absl::StatusOr<Route> bad = RouteContract(p, d, c);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(std::string(bad.status().message()).find("contract 'C-1', attribute 'amount'"), std::string::npos)
      << bad.status();
  c.attributes.erase("amount");
  EXPECT_FALSE(RouteContract(p, d, c).ok());  // no rule matches a missing amount
}

TEST(SeedPolicy, InitiatorWhoIsTheApproverEscalatesToTheManager) {
  const Policy p = testing_util::SeedPolicy();
  const OrgDirectory d = testing_util::SeedDirectory();
  absl::StatusOr<Route> r = RouteContract(p, d, SeedContract("100", "dir1"));
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->nodes[0].approvers, std::vector<std::string>{"gm"});
  EXPECT_NE(r->nodes[0].note.find("escalated to 'gm'"), std::string::npos) << r->nodes[0].note;
  // In the countersign node the initiator is dropped and finance remains.
  absl::StatusOr<Route> mid = RouteContract(p, d, SeedContract("60000", "dir1"));
  ASSERT_TRUE(mid.ok());
  EXPECT_EQ(mid->nodes[0].approvers, std::vector<std::string>{"fin1"});
  EXPECT_EQ(mid->nodes[0].required, 1);
}

}  // namespace
}  // namespace salesight::approval
