// Every DMN hit policy on hand-written tables, with the expected rules
// worked out by hand in the comments.
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "salesight/approval/decision_table.hpp"
#include "salesight/approval/table_loaders.hpp"

namespace salesight::approval {
namespace {

// One number input "x" and one string output "o" with values a > b > c in
// priority; rules: r1: >= 10 -> "c", r2: >= 20 -> "a", r3: >= 20 -> "b",
// r4: < 5 -> "b".
DecisionTable Table(const char* hit, const char* agg = "") {
  std::string json = std::string(R"({"id": "t", "hit_policy": ")") + hit + R"(", "aggregator": ")" +
                     agg + R"(",
    "inputs": [{"name": "x", "type": "number"}],
    "outputs": [{"name": "o", "type": "string", "values": ["a", "b", "c"]}],
    "rules": [{"id": "r1", "when": [">= 10"], "then": ["c"]},
              {"id": "r2", "when": [">= 20"], "then": ["a"]},
              {"id": "r3", "when": [">= 20"], "then": ["b"]},
              {"id": "r4", "when": ["< 5"], "then": ["b"]}]})";
  absl::StatusOr<DecisionTable> t = LoadDecisionTableJson(json);
  EXPECT_TRUE(t.ok()) << t.status();
  return *t;
}

std::vector<std::size_t> Rules(const DecisionTable& t, const char* x) {
  absl::StatusOr<DecisionResult> r = Evaluate(t, {Value::Number(*ParseNumber(x))});
  EXPECT_TRUE(r.ok()) << r.status();
  return r.ok() ? r->rules : std::vector<std::size_t>{99};
}
using V = std::vector<std::size_t>;

TEST(HitPolicy, Unique) {
  const DecisionTable t = Table("UNIQUE");
  EXPECT_EQ(Rules(t, "15"), V{0});
  EXPECT_EQ(Rules(t, "7"), V{});
  absl::StatusOr<DecisionResult> r = Evaluate(t, {Value::Number(*ParseNumber("25"))});
  ASSERT_FALSE(r.ok());
  EXPECT_NE(std::string(r.status().message()).find("rule 'r1' (#1), rule 'r2' (#2), rule 'r3' (#3)"),
            std::string::npos)
      << r.status();
}

TEST(HitPolicy, AnyNeedsEqualOutputs) {
  const DecisionTable t = Table("ANY");
  EXPECT_EQ(Rules(t, "15"), V{0});
  EXPECT_FALSE(Evaluate(t, {Value::Number(*ParseNumber("25"))}).ok());  // c vs a
  absl::StatusOr<DecisionTable> same = LoadDecisionTableJson(R"({"id": "s", "hit_policy": "ANY",
    "inputs": [{"name": "x", "type": "number"}], "outputs": [{"name": "o", "type": "string"}],
    "rules": [{"when": ["> 1"], "then": ["z"]}, {"when": ["> 2"], "then": ["z"]}]})");
  ASSERT_TRUE(same.ok()) << same.status();
  EXPECT_EQ(Rules(*same, "3"), V{0});
}

TEST(HitPolicy, PriorityTakesTheHighestOutputThenTheEarlierRule) {
  const DecisionTable t = Table("PRIORITY");
  EXPECT_EQ(Rules(t, "25"), V{1});  // r1 c, r2 a, r3 b: a wins
  EXPECT_EQ(Rules(t, "15"), V{0});
  EXPECT_EQ(Rules(t, "1"), V{3});
}

TEST(HitPolicy, First) {
  const DecisionTable t = Table("FIRST");
  EXPECT_EQ(Rules(t, "25"), V{0});
  EXPECT_EQ(Rules(t, "1"), V{3});
  EXPECT_EQ(Rules(t, "7"), V{});
}

TEST(HitPolicy, RuleOrderAndCollect) {
  EXPECT_EQ(Rules(Table("RULE ORDER"), "25"), (V{0, 1, 2}));
  EXPECT_EQ(Rules(Table("COLLECT"), "25"), (V{0, 1, 2}));
}

TEST(HitPolicy, OutputOrderSortsByPriority) {
  EXPECT_EQ(Rules(Table("OUTPUT ORDER"), "25"), (V{1, 2, 0}));  // a, b, c
}

// COLLECT with aggregators: one number output; rules 10, 20, 30 (>= 0, >= 5, >= 10).
DecisionTable Numbers(const char* agg) {
  absl::StatusOr<DecisionTable> t = LoadDecisionTableJson(std::string(R"({"id": "n",
    "hit_policy": "COLLECT", "aggregator": ")") + agg + R"(",
    "inputs": [{"name": "x", "type": "number"}], "outputs": [{"name": "p", "type": "number"}],
    "rules": [{"when": [">= 0"], "then": [10.5]}, {"when": [">= 5"], "then": ["20.25"]},
              {"when": [">= 10"], "then": [-30]}]})");
  EXPECT_TRUE(t.ok()) << t.status();
  return *t;
}

Value Agg(const DecisionTable& t, const char* x) {
  absl::StatusOr<DecisionResult> r = Evaluate(t, {Value::Number(*ParseNumber(x))});
  EXPECT_TRUE(r.ok() && r->aggregated);
  return r->aggregate;
}

TEST(HitPolicy, CollectAggregators) {
  EXPECT_EQ(Agg(Numbers("SUM"), "12"), Value::Number(*ParseNumber("0.75")));  // 10.5+20.25-30
  EXPECT_EQ(Agg(Numbers("SUM"), "6"), Value::Number(*ParseNumber("30.75")));
  EXPECT_EQ(Agg(Numbers("MIN"), "12"), Value::Number(*ParseNumber("-30")));
  EXPECT_EQ(Agg(Numbers("MAX"), "12"), Value::Number(*ParseNumber("20.25")));
  EXPECT_EQ(Agg(Numbers("COUNT"), "12"), Value::Number(*ParseNumber("3")));
  EXPECT_EQ(Agg(Numbers("COUNT"), "-1"), Value::Number(0));
  EXPECT_EQ(Agg(Numbers("SUM"), "-1"), Value::Null());  // nothing matched
  EXPECT_EQ(Agg(Numbers("#"), "1"), Value::Number(*ParseNumber("1")));
}

TEST(HitPolicy, StructuralErrorsAreNamed) {
  // PRIORITY without a value list; aggregator without COLLECT; output not allowed.
  EXPECT_FALSE(LoadDecisionTableJson(R"({"id": "p", "hit_policy": "PRIORITY",
    "inputs": [], "outputs": [{"name": "o", "type": "string"}], "rules": []})").ok());
  EXPECT_FALSE(LoadDecisionTableJson(R"({"id": "p", "hit_policy": "FIRST", "aggregator": "SUM",
    "inputs": [], "outputs": [{"name": "o", "type": "number"}], "rules": []})").ok());
  absl::StatusOr<DecisionTable> t = LoadDecisionTableJson(R"({"id": "p",
    "inputs": [], "outputs": [{"name": "o", "type": "string", "values": ["a"]}],
    "rules": [{"id": "bad", "then": ["b"]}]})");
  ASSERT_FALSE(t.ok());
  EXPECT_NE(std::string(t.status().message()).find("rule 'bad' (#1), output 'o'"), std::string::npos)
      << t.status();
}

TEST(HitPolicy, InputTypesAreChecked) {
  const DecisionTable t = Table("FIRST");
  EXPECT_FALSE(Evaluate(t, {Value::String("25")}).ok());
  EXPECT_FALSE(Evaluate(t, {}).ok());
  EXPECT_TRUE(Evaluate(t, {Value::Null()}).ok());
}

}  // namespace
}  // namespace salesight::approval
