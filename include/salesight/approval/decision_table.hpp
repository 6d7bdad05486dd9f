// DMN decision tables: typed input columns, rules of S-FEEL unary tests,
// output columns of literals, and every DMN 1.3 hit policy.
//
// Hit policies (DMN 1.3, 8.2.11), on the rules that match:
//   UNIQUE        at most one rule may match; two or more is an error naming them
//   ANY           several may match only if their outputs are equal (error otherwise);
//                 the result is the first of them
//   PRIORITY      the match whose outputs rank highest by the output columns'
//                 value lists (first column first; earlier value = higher); ties
//                 go to the earlier rule
//   FIRST         the first match in rule order
//   RULE ORDER    every match, in rule order
//   OUTPUT ORDER  every match, by decreasing priority (as PRIORITY), ties in rule order
//   COLLECT       every match (in rule order); with an aggregator the table has one
//                 output column and the result is SUM / MIN / MAX of the matched
//                 numbers, or COUNT of the matches (null when nothing matches, except
//                 COUNT, which is 0)
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "salesight/approval/unary_test.hpp"
#include "salesight/approval/value.hpp"

namespace salesight::approval {

enum class HitPolicy : std::uint8_t {
  kUnique, kAny, kPriority, kFirst, kRuleOrder, kOutputOrder, kCollect
};
enum class Aggregator : std::uint8_t { kNone, kSum, kMin, kMax, kCount };

// "UNIQUE", "RULE ORDER", ... as DMN writes them (also "RULE_ORDER").
absl::StatusOr<HitPolicy> ParseHitPolicy(std::string_view name);
std::string_view HitPolicyName(HitPolicy p);
// "SUM", "MIN", "MAX", "COUNT" (also "+", "<", ">", "#").
absl::StatusOr<Aggregator> ParseAggregator(std::string_view name);
std::string_view AggregatorName(Aggregator a);
bool IsSingleHit(HitPolicy p);

struct InputColumn {
  std::string id;
  std::string name;  // the attribute it reads (DMN: the inputExpression text)
  std::string label;
  ValueType type = ValueType::kString;
};

struct OutputColumn {
  std::string id;
  std::string name;
  ValueType type = ValueType::kString;
  // Allowed values, highest priority first (DMN outputValues). Empty: any value.
  std::vector<Value> values;
};

struct Rule {
  std::string id;
  std::string description;
  std::vector<UnaryTest> inputs;  // one per input column
  std::vector<Value> outputs;     // one per output column
};

struct DecisionTable {
  std::string id;
  std::string name;
  HitPolicy hit_policy = HitPolicy::kUnique;
  Aggregator aggregator = Aggregator::kNone;
  std::vector<InputColumn> inputs;
  std::vector<OutputColumn> outputs;
  std::vector<Rule> rules;
};

// "rule 'r3' (#3)": how every message names a rule.
std::string RuleName(const DecisionTable& table, std::size_t rule);

// Structural checks every loader runs: entry counts per rule, output values
// of the column's type and among its allowed values, PRIORITY / OUTPUT ORDER
// need allowed values, an aggregator needs COLLECT and one output column
// (numeric for SUM/MIN/MAX), unique rule ids and column names.
absl::Status ValidateTable(const DecisionTable& table);

struct DecisionResult {
  std::vector<std::size_t> rules;  // the selected rules, in result order
  bool aggregated = false;         // COLLECT with an aggregator
  Value aggregate;                 // its value (null when nothing matched, but COUNT)
};

// `inputs` holds one value per input column, of the column's type or null.
absl::StatusOr<DecisionResult> Evaluate(const DecisionTable& table, absl::Span<const Value> inputs);
// The same with the table's index (table_index.hpp) finding the matching
// rules; nullptr scans every rule.
class TableIndex;
absl::StatusOr<DecisionResult> Evaluate(const DecisionTable& table, const TableIndex* index,
                                        absl::Span<const Value> inputs);

// The rules whose every entry matches, in rule order (what the hit policy sees).
std::vector<std::size_t> MatchingRules(const DecisionTable& table, absl::Span<const Value> inputs);

}  // namespace salesight::approval
