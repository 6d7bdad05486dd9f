// Random decision tables against a plain reference: the tests are generated
// as structures, rendered to S-FEEL text for the engine, and matched by the
// reference on the structures (integers in halves), so the parser, the
// matcher and every hit policy are checked on many seeds.
#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "salesight/approval/decision_table.hpp"
#include "salesight/approval/table_index.hpp"
#include "salesight/approval/unary_test.hpp"
#include "random_table.hpp"

namespace salesight::approval {
namespace {

using testing_tables::Entry;
using testing_tables::RandomEntry;
using testing_tables::RefMatch;
using testing_tables::Render;

constexpr HitPolicy kPolicies[] = {HitPolicy::kUnique,    HitPolicy::kAny,
                                   HitPolicy::kPriority,  HitPolicy::kFirst,
                                   HitPolicy::kRuleOrder, HitPolicy::kOutputOrder,
                                   HitPolicy::kCollect};

TEST(DecisionReference, RandomTablesMatchThePlainReference) {
  int checked = 0;
  for (std::uint64_t seed = 1; seed <= 300; ++seed) {
    std::mt19937_64 rng(seed);
    const HitPolicy policy = kPolicies[seed % 7];
    DecisionTable t;
    t.id = "t";
    t.hit_policy = policy;
    t.inputs = {{"", "x", "", ValueType::kNumber}, {"", "s", "", ValueType::kString}};
    t.outputs = {{"", "o", ValueType::kNumber, {}}};
    for (int p = 0; p < 4; ++p) t.outputs[0].values.push_back(Value::Number(p));
    const int rules = 1 + static_cast<int>(rng() % 8);
    std::vector<std::vector<Entry>> entries;
    std::vector<int> outs;
    for (int r = 0; r < rules; ++r) {
      entries.push_back({RandomEntry(rng, true), RandomEntry(rng, false)});
      outs.push_back(static_cast<int>(rng() % 4));
      Rule rule;
      rule.id = absl::StrCat("r", r);
      for (int c = 0; c < 2; ++c) {
        absl::StatusOr<UnaryTest> test = ParseUnaryTest(Render(entries[r][c], c == 0),
                                                        t.inputs[c].type);
        ASSERT_TRUE(test.ok()) << test.status();
        rule.inputs.push_back(*test);
      }
      rule.outputs = {Value::Number(outs[r])};
      t.rules.push_back(rule);
    }
    ASSERT_TRUE(ValidateTable(t).ok());
    const TableIndex index = TableIndex::Build(t);
    ASSERT_TRUE(index.built());
    // The index answers as the scan does, null inputs included.
    for (int s = -1; s < 13; s += 3) {
      const std::vector<Value> in = {Value::Null(), s < 0 ? Value::Null() : Value::String(absl::StrCat("s", s))};
      absl::StatusOr<DecisionResult> scan = Evaluate(t, in);
      absl::StatusOr<DecisionResult> fast = Evaluate(t, &index, in);
      ASSERT_EQ(fast.ok(), scan.ok()) << "seed " << seed;
      if (scan.ok()) {
        ASSERT_EQ(fast->rules, scan->rules) << "seed " << seed;
      }
    }
    for (int x = -2; x < 40; ++x) {
      for (int s = 0; s < 13; s += 3) {
        std::vector<std::size_t> hits;
        for (int r = 0; r < rules; ++r) {
          if (RefMatch(entries[r][0], x) && RefMatch(entries[r][1], s)) hits.push_back(r);
        }
        // Value::Number(halves * 5000) is x/2 at scale 4.
        absl::StatusOr<DecisionResult> got =
            Evaluate(t, {Value::Number(x * 5000), Value::String(absl::StrCat("s", s))});
        std::vector<std::size_t> want;
        bool error = false;
        auto by_priority = [&](std::size_t a, std::size_t b) { return outs[a] < outs[b]; };
        switch (policy) {
          case HitPolicy::kUnique:
            error = hits.size() > 1;
            want = hits;
            break;
          case HitPolicy::kAny:
            for (std::size_t h : hits) error |= outs[h] != outs[hits[0]];
            if (!hits.empty()) want = {hits[0]};
            break;
          case HitPolicy::kPriority:
            if (!hits.empty()) want = {*std::min_element(hits.begin(), hits.end(), by_priority)};
            break;
          case HitPolicy::kFirst:
            if (!hits.empty()) want = {hits[0]};
            break;
          case HitPolicy::kOutputOrder:
            want = hits;
            std::stable_sort(want.begin(), want.end(), by_priority);
            break;
          default:
            want = hits;
        }
        absl::StatusOr<DecisionResult> fast =
            Evaluate(t, &index, {Value::Number(x * 5000), Value::String(absl::StrCat("s", s))});
        ASSERT_EQ(got.ok(), !error) << "seed " << seed << " x " << x << " s " << s;
        ASSERT_EQ(fast.ok(), !error) << "indexed, seed " << seed << " x " << x << " s " << s;
        if (!error) {
          ASSERT_EQ(got->rules, want) << "seed " << seed << " x " << x << " s " << s;
          ASSERT_EQ(fast->rules, want) << "indexed, seed " << seed << " x " << x << " s " << s;
        }
        ++checked;
      }
    }
  }
  EXPECT_GT(checked, 50000);
}

// Null tests and != in a table, through the scan and the index alike.
TEST(DecisionReference, NullAndNotEqualEntriesByHand) {
  DecisionTable t;
  t.id = "t";
  t.hit_policy = HitPolicy::kRuleOrder;
  t.inputs = {{"", "amount", "", ValueType::kNumber}};
  t.outputs = {{"", "o", ValueType::kString, {}}};
  const char* entries[] = {"null", "!= 5", "= 5", "not(null)", "null, > 100"};
  for (int r = 0; r < 5; ++r) {
    Rule rule;
    rule.id = absl::StrCat("r", r + 1);
    rule.inputs = {*ParseUnaryTest(entries[r], ValueType::kNumber)};
    rule.outputs = {Value::String(rule.id)};
    t.rules.push_back(rule);
  }
  ASSERT_TRUE(ValidateTable(t).ok());
  const TableIndex index = TableIndex::Build(t);
  auto rules = [&](const Value& v, const TableIndex* ix) {
    std::vector<std::size_t> out = Evaluate(t, ix, {v})->rules;
    for (std::size_t& r : out) ++r;  // 1-based, as the ids
    return out;
  };
  using V = std::vector<std::size_t>;
  for (const TableIndex* ix : {static_cast<const TableIndex*>(nullptr), &index}) {
    EXPECT_EQ(rules(Value::Null(), ix), (V{1, 5}));
    EXPECT_EQ(rules(Value::Number(50000), ix), (V{3, 4}));
    EXPECT_EQ(rules(Value::Number(50001), ix), (V{2, 4}));
    EXPECT_EQ(rules(Value::Number(1000001), ix), (V{2, 4, 5}));
    EXPECT_EQ(rules(Value::Number(-1), ix), (V{2, 4}));
  }
}

// A string between two endpoints that no cell holds ("a\x00" lies in
// ("a".."a\x01"), a stretch the cells drop): the index declines and the
// scan answers, so the result is still the scan's.
TEST(DecisionReference, IndexFallsBackToTheScanOutsideEveryCell) {
  DecisionTable t;
  t.id = "t";
  t.hit_policy = HitPolicy::kRuleOrder;
  t.inputs = {{"", "s", "", ValueType::kString}};
  t.outputs = {{"", "o", ValueType::kString, {}}};
  const std::string entries[] = {"\"a\"", std::string("\"a\x01\""), std::string("not(\"a\", \"a\x01\")")};
  for (const std::string& e : entries) {
    Rule rule;
    rule.inputs = {*ParseUnaryTest(e, ValueType::kString)};
    rule.outputs = {Value::String("x")};
    t.rules.push_back(rule);
  }
  const TableIndex index = TableIndex::Build(t);
  ASSERT_TRUE(index.built());
  const std::vector<Value> in = {Value::String(std::string("a\0", 2))};
  std::vector<std::size_t> out;
  EXPECT_FALSE(index.Match(in, false, out));
  EXPECT_EQ(Evaluate(t, &index, in)->rules, (std::vector<std::size_t>{2}));
  EXPECT_EQ(Evaluate(t, in)->rules, (std::vector<std::size_t>{2}));
}

}  // namespace
}  // namespace salesight::approval
