// Static checks: planted gaps, overlaps and dead rules are found and named;
// and on random tables, what the checks say agrees with enumerating every
// input on a grid fine enough to land in every cell.
#include "salesight/approval/table_check.hpp"

#include <random>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "random_table.hpp"
#include "salesight/approval/table_loaders.hpp"

namespace salesight::approval {
namespace {

DecisionTable Load(const std::string& json) {
  absl::StatusOr<DecisionTable> t = LoadDecisionTableJson(json);
  EXPECT_TRUE(t.ok()) << t.status();
  return *t;
}

std::vector<std::string> Messages(const std::vector<Finding>& fs, FindingKind kind) {
  std::vector<std::string> out;
  for (const Finding& f : fs) {
    if (f.kind == kind) out.push_back(f.message);
  }
  return out;
}

std::string Tiers(const char* hit, const char* r1, const char* r2, const char* r3) {
  return std::string(R"({"id": "route", "hit_policy": ")") + hit + R"(",
    "inputs": [{"name": "amount", "type": "number"}],
    "outputs": [{"name": "chain", "type": "string", "values": ["gm", "fin", "dir"]}],
    "rules": [{"id": "small", "when": [")" + r1 + R"("], "then": ["dir"]},
              {"id": "mid", "when": [")" + r2 + R"("], "then": ["fin"]},
              {"id": "large", "when": [")" + r3 + R"("], "then": ["gm"]}]})";
}

TEST(TableCheck, CleanTableHasNoFindings) {
  EXPECT_TRUE(CheckTable(Load(Tiers("UNIQUE", "< 50000", "[50000..200000]", "> 200000"))).empty());
}

TEST(TableCheck, PlantedGapIsNamedWithItsRange) {
  const auto fs = CheckTable(Load(Tiers("UNIQUE", "< 50000", "[50000..200000)", ">= 200000.01")));
  EXPECT_EQ(Messages(fs, FindingKind::kGap),
            std::vector<std::string>{"amount in [200000..200000.01): matches no rule"});
  const auto open = CheckTable(Load(Tiers("UNIQUE", "< 50000", "[50000..200000]", "> 200000.01")));
  EXPECT_EQ(Messages(open, FindingKind::kGap),
            std::vector<std::string>{"amount in (200000..200000.01]: matches no rule"});
  // Adjacent at the smallest step: no gap, since nothing lies between.
  EXPECT_TRUE(CheckTable(Load(Tiers("UNIQUE", "< 50000", "[50000..200000]", ">= 200000.0001"))).empty());
}

TEST(TableCheck, PlantedOverlapNamesBothRulesAndAWitness) {
  const auto fs = CheckTable(Load(Tiers("UNIQUE", "<= 50000", "[50000..200000]", "> 200000")));
  EXPECT_EQ(Messages(fs, FindingKind::kOverlap),
            std::vector<std::string>{"rule 'small' (#1) and rule 'mid' (#2) both match "
                                     "(e.g. amount = 50000) under UNIQUE"});
}

TEST(TableCheck, DeadRulesUnderFirstAndPriority) {
  const auto first = CheckTable(Load(Tiers("FIRST", "< 50000", "< 10000", ">= 50000")));
  EXPECT_EQ(Messages(first, FindingKind::kNeverFires),
            std::vector<std::string>{"rule 'mid' (#2) can never fire under FIRST: rule 'small' "
                                     "(#1) match(es) every input first"});
  // PRIORITY: gm > fin > dir; "small" (dir) lies inside "large" (gm).
  const auto prio = CheckTable(Load(Tiers("PRIORITY", "[0..10]", "< 0", ">= 0")));
  EXPECT_EQ(Messages(prio, FindingKind::kNeverFires),
            std::vector<std::string>{"rule 'small' (#1) can never fire under PRIORITY: rule "
                                     "'large' (#3) outrank(s) it on every input"});
  const auto none = CheckTable(Load(Tiers("RULE ORDER", "not(< 5, >= 5)", "< 5", ">= 5")));
  ASSERT_EQ(Messages(none, FindingKind::kNeverFires).size(), 1u);
  EXPECT_EQ(none[0].rules, std::vector<std::size_t>{0});
}

TEST(TableCheck, GapsAcrossTwoColumns) {
  const auto fs = CheckTable(Load(R"({"id": "t", "hit_policy": "FIRST",
    "inputs": [{"name": "tier", "type": "string"}, {"name": "vip", "type": "boolean"}],
    "outputs": [{"name": "o", "type": "string"}],
    "rules": [{"when": ["\"gold\"", "-"], "then": ["a"]},
              {"when": ["-", "true"], "then": ["b"]}]})"));
  EXPECT_EQ(Messages(fs, FindingKind::kGap),
            std::vector<std::string>{"tier is a value other than \"gold\" and vip = false: matches no rule"});
}

TEST(TableCheck, BudgetExhaustionIsReported) {
  CheckOptions o;
  o.max_steps = 3;
  const auto fs = CheckTable(Load(Tiers("FIRST", "< 50000", "< 10000", ">= 50000")), o);
  EXPECT_FALSE(Messages(fs, FindingKind::kIncomplete).empty());
}

// Random two-column tables: a gap exists iff some grid input matches no rule;
// under FIRST a rule is reported dead iff it is first at no grid input; under
// UNIQUE an overlap is reported iff some grid input matches two rules.
TEST(TableCheck, AgreesWithEnumerationOnRandomTables) {
  using testing_tables::Entry;
  for (std::uint64_t seed = 1; seed <= 400; ++seed) {
    std::mt19937_64 rng(seed);
    const bool first = seed % 2 == 0;
    DecisionTable t;
    t.id = "t";
    t.hit_policy = first ? HitPolicy::kFirst : HitPolicy::kUnique;
    t.inputs = {{"", "x", "", ValueType::kNumber}, {"", "s", "", ValueType::kString}};
    t.outputs = {{"", "o", ValueType::kNumber, {}}};
    const int n = 1 + static_cast<int>(rng() % 6);
    std::vector<std::vector<Entry>> e;
    for (int r = 0; r < n; ++r) {
      e.push_back({testing_tables::RandomEntry(rng, true), testing_tables::RandomEntry(rng, false)});
      Rule rule;
      for (int c = 0; c < 2; ++c) {
        rule.inputs.push_back(*ParseUnaryTest(testing_tables::Render(e[r][c], c == 0), t.inputs[c].type));
      }
      rule.outputs = {Value::Number(r)};
      t.rules.push_back(rule);
    }
    bool gap = false, overlap = false;
    std::vector<bool> fires(static_cast<std::size_t>(n), false);
    // Quarters from -1 to 20 units and string codes 0..12 plus an unlisted one (99).
    for (int q = -4; q <= 80; ++q) {
      for (int s = 0; s <= 13; ++s) {
        const int code = s == 13 ? 99 : s;
        int matched = 0, firsthit = -1;
        for (int r = 0; r < n; ++r) {
          if (testing_tables::RefMatch(e[r][0], q, 2) && testing_tables::RefMatch(e[r][1], code)) {
            ++matched;
            if (firsthit < 0) firsthit = r;
          }
        }
        gap |= matched == 0;
        overlap |= matched > 1;
        if (firsthit >= 0) fires[static_cast<std::size_t>(firsthit)] = true;
      }
    }
    const std::vector<Finding> fs = CheckTable(t);
    ASSERT_TRUE(Messages(fs, FindingKind::kIncomplete).empty());
    EXPECT_EQ(!Messages(fs, FindingKind::kGap).empty(), gap) << "seed " << seed;
    if (!first) {
      EXPECT_EQ(!Messages(fs, FindingKind::kOverlap).empty(), overlap) << "seed " << seed;
    } else {
      std::vector<bool> dead(static_cast<std::size_t>(n), false);
      for (const Finding& f : fs) {
        if (f.kind == FindingKind::kNeverFires) dead[f.rules[0]] = true;
      }
      for (int r = 0; r < n; ++r) {
        EXPECT_EQ(dead[static_cast<std::size_t>(r)], !fires[static_cast<std::size_t>(r)])
            << "seed " << seed << " rule " << r;
      }
    }
  }
}

}  // namespace
}  // namespace salesight::approval
