#include "salesight/approval/decision_table.hpp"

#include <algorithm>
#include <array>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "salesight/approval/table_index.hpp"
#include "salesight/money.hpp"

namespace salesight::approval {
namespace {

struct PolicyName {
  std::string_view name;
  HitPolicy policy;
};
constexpr std::array<PolicyName, 9> kPolicyNames{{{"UNIQUE", HitPolicy::kUnique},
                                                  {"ANY", HitPolicy::kAny},
                                                  {"PRIORITY", HitPolicy::kPriority},
                                                  {"FIRST", HitPolicy::kFirst},
                                                  {"RULE ORDER", HitPolicy::kRuleOrder},
                                                  {"OUTPUT ORDER", HitPolicy::kOutputOrder},
                                                  {"COLLECT", HitPolicy::kCollect},
                                                  {"RULE_ORDER", HitPolicy::kRuleOrder},
                                                  {"OUTPUT_ORDER", HitPolicy::kOutputOrder}}};
struct AggName {
  std::string_view name, sign;
  Aggregator agg;
};
constexpr std::array<AggName, 4> kAggNames{{{"SUM", "+", Aggregator::kSum},
                                            {"MIN", "<", Aggregator::kMin},
                                            {"MAX", ">", Aggregator::kMax},
                                            {"COUNT", "#", Aggregator::kCount}}};

// Index of v in the column's value list: lower = higher priority. Values not
// in the list (only possible for columns without a list) rank last.
std::size_t Rank(const OutputColumn& col, const Value& v) {
  for (std::size_t i = 0; i < col.values.size(); ++i) {
    if (col.values[i] == v) return i;
  }
  return col.values.size();
}

// True when rule a's outputs rank strictly above rule b's.
bool Higher(const DecisionTable& t, std::size_t a, std::size_t b) {
  for (std::size_t c = 0; c < t.outputs.size(); ++c) {
    const std::size_t ra = Rank(t.outputs[c], t.rules[a].outputs[c]);
    const std::size_t rb = Rank(t.outputs[c], t.rules[b].outputs[c]);
    if (ra != rb) return ra < rb;
  }
  return false;
}

std::string RuleList(const DecisionTable& t, const std::vector<std::size_t>& rules) {
  std::string out;
  for (std::size_t r : rules) absl::StrAppend(&out, out.empty() ? "" : ", ", RuleName(t, r));
  return out;
}

}  // namespace

absl::StatusOr<HitPolicy> ParseHitPolicy(std::string_view name) {
  for (const PolicyName& p : kPolicyNames) {
    if (p.name == name) return p.policy;
  }
  return absl::InvalidArgumentError(absl::StrCat(
      "unknown hit policy '", std::string(name),
      "' (expected UNIQUE, ANY, PRIORITY, FIRST, RULE ORDER, OUTPUT ORDER or COLLECT)"));
}

std::string_view HitPolicyName(HitPolicy p) {
  for (const PolicyName& n : kPolicyNames) {
    if (n.policy == p) return n.name;
  }
  return "UNIQUE";
}

absl::StatusOr<Aggregator> ParseAggregator(std::string_view name) {
  if (name.empty()) return Aggregator::kNone;
  for (const AggName& a : kAggNames) {
    if (a.name == name || a.sign == name) return a.agg;
  }
  return absl::InvalidArgumentError(absl::StrCat(
      "unknown aggregator '", std::string(name), "' (expected SUM, MIN, MAX or COUNT)"));
}

std::string_view AggregatorName(Aggregator a) {
  for (const AggName& n : kAggNames) {
    if (n.agg == a) return n.name;
  }
  return "";
}

bool IsSingleHit(HitPolicy p) {
  return p == HitPolicy::kUnique || p == HitPolicy::kAny || p == HitPolicy::kPriority ||
         p == HitPolicy::kFirst;
}

std::string RuleName(const DecisionTable& table, std::size_t rule) {
  const std::string& id = table.rules[rule].id;
  return id.empty() ? absl::StrCat("rule #", rule + 1)
                    : absl::StrCat("rule '", id, "' (#", rule + 1, ")");
}

absl::Status ValidateTable(const DecisionTable& t) {
  const std::string where = absl::StrCat("decision '", t.id.empty() ? t.name : t.id, "'");
  if (t.outputs.empty()) return absl::InvalidArgumentError(where + ": no output column");
  absl::flat_hash_set<std::string> names;
  for (const InputColumn& c : t.inputs) {
    if (c.name.empty()) return absl::InvalidArgumentError(where + ": an input has no name");
    if (!names.insert(c.name).second) {
      return absl::InvalidArgumentError(absl::StrCat(where, ": input '", c.name, "' twice"));
    }
  }
  names.clear();
  for (const OutputColumn& c : t.outputs) {
    if (!names.insert(c.name).second) {
      return absl::InvalidArgumentError(absl::StrCat(where, ": output '", c.name, "' twice"));
    }
    for (const Value& v : c.values) {
      if (v.type != c.type) {
        return absl::InvalidArgumentError(absl::StrCat(where, ": output '", c.name,
                                                       "' allowed value ", FeelLiteral(v),
                                                       " is not a ", std::string(ValueTypeName(c.type))));
      }
    }
    if ((t.hit_policy == HitPolicy::kPriority || t.hit_policy == HitPolicy::kOutputOrder) &&
        c.values.empty()) {
      return absl::InvalidArgumentError(absl::StrCat(
          where, ": hit policy ", std::string(HitPolicyName(t.hit_policy)), " needs the allowed values of output '",
          c.name, "' (its priority order)"));
    }
  }
  if (t.aggregator != Aggregator::kNone) {
    if (t.hit_policy != HitPolicy::kCollect) {
      return absl::InvalidArgumentError(
          absl::StrCat(where, ": aggregator ", std::string(AggregatorName(t.aggregator)), " needs COLLECT"));
    }
    if (t.outputs.size() != 1) {
      return absl::InvalidArgumentError(
          absl::StrCat(where, ": an aggregator needs exactly one output column"));
    }
    if (t.aggregator != Aggregator::kCount && t.outputs[0].type != ValueType::kNumber &&
        !(t.aggregator != Aggregator::kSum && t.outputs[0].type == ValueType::kDate)) {
      return absl::InvalidArgumentError(absl::StrCat(where, ": ", std::string(AggregatorName(t.aggregator)),
                                                     " needs a number output"));
    }
  }
  names.clear();
  for (std::size_t r = 0; r < t.rules.size(); ++r) {
    const Rule& rule = t.rules[r];
    if (!rule.id.empty() && !names.insert(rule.id).second) {
      return absl::InvalidArgumentError(absl::StrCat(where, ": rule id '", rule.id, "' twice"));
    }
    if (rule.inputs.size() != t.inputs.size() || rule.outputs.size() != t.outputs.size()) {
      return absl::InvalidArgumentError(absl::StrCat(
          where, ", ", RuleName(t, r), ": ", rule.inputs.size(), " input and ",
          rule.outputs.size(), " output entries, the table has ", t.inputs.size(), " and ",
          t.outputs.size()));
    }
    for (std::size_t c = 0; c < t.outputs.size(); ++c) {
      const OutputColumn& col = t.outputs[c];
      const Value& v = rule.outputs[c];
      if (!v.is_null() && v.type != col.type) {
        return absl::InvalidArgumentError(absl::StrCat(where, ", ", RuleName(t, r), ", output '",
                                                       col.name, "': ", FeelLiteral(v),
                                                       " is not a ", std::string(ValueTypeName(col.type))));
      }
      if (!col.values.empty() && Rank(col, v) == col.values.size()) {
        return absl::InvalidArgumentError(absl::StrCat(where, ", ", RuleName(t, r), ", output '",
                                                       col.name, "': ", FeelLiteral(v),
                                                       " is not among its allowed values"));
      }
    }
  }
  return absl::OkStatus();
}

std::vector<std::size_t> MatchingRules(const DecisionTable& t, absl::Span<const Value> inputs) {
  std::vector<std::size_t> out;
  for (std::size_t r = 0; r < t.rules.size(); ++r) {
    const Rule& rule = t.rules[r];
    bool all = true;
    for (std::size_t c = 0; c < rule.inputs.size() && all; ++c) {
      all = Matches(rule.inputs[c], inputs[c]);
    }
    if (all) out.push_back(r);
  }
  return out;
}

absl::StatusOr<DecisionResult> Evaluate(const DecisionTable& t, absl::Span<const Value> inputs) {
  return Evaluate(t, nullptr, inputs);
}

absl::StatusOr<DecisionResult> Evaluate(const DecisionTable& t, const TableIndex* index,
                                        absl::Span<const Value> inputs) {
  if (inputs.size() != t.inputs.size()) {
    return absl::InvalidArgumentError(absl::StrCat("decision '", t.id, "' takes ", t.inputs.size(),
                                                   " inputs, got ", inputs.size()));
  }
  for (std::size_t c = 0; c < inputs.size(); ++c) {
    if (!inputs[c].is_null() && inputs[c].type != t.inputs[c].type) {
      return absl::InvalidArgumentError(absl::StrCat(
          "input '", t.inputs[c].name, "' is a ", std::string(ValueTypeName(t.inputs[c].type)), ", got ",
          FeelLiteral(inputs[c])));
    }
  }
  DecisionResult result;
  // FIRST: the first match is the answer, no need to test the rules after it.
  const bool first_only = t.hit_policy == HitPolicy::kFirst;
  std::vector<std::size_t> hits;
  if (index == nullptr || !index->Match(inputs, first_only, hits)) {
    if (first_only) {
      for (std::size_t r = 0; r < t.rules.size() && hits.empty(); ++r) {
        bool all = true;
        for (std::size_t c = 0; c < t.rules[r].inputs.size() && all; ++c) all = Matches(t.rules[r].inputs[c], inputs[c]);
        if (all) hits.push_back(r);
      }
    } else {
      hits = MatchingRules(t, inputs);
    }
  }
  if (first_only) {
    result.rules = std::move(hits);
    return result;
  }
  switch (t.hit_policy) {
    case HitPolicy::kUnique:
      if (hits.size() > 1) {
        return absl::FailedPreconditionError(absl::StrCat(
            "hit policy UNIQUE violated: ", RuleList(t, hits), " all match"));
      }
      result.rules = std::move(hits);
      break;
    case HitPolicy::kAny:
      for (std::size_t h : hits) {
        if (t.rules[h].outputs != t.rules[hits[0]].outputs) {
          return absl::FailedPreconditionError(absl::StrCat(
              "hit policy ANY violated: ", RuleName(t, hits[0]), " and ", RuleName(t, h),
              " match with different outputs"));
        }
      }
      if (!hits.empty()) result.rules = {hits[0]};
      break;
    case HitPolicy::kPriority:
      if (!hits.empty()) {
        std::size_t best = hits[0];
        for (std::size_t h : hits) {
          if (Higher(t, h, best)) best = h;
        }
        result.rules = {best};
      }
      break;
    case HitPolicy::kFirst:
      if (!hits.empty()) result.rules = {hits[0]};
      break;
    case HitPolicy::kRuleOrder:
    case HitPolicy::kCollect:
      result.rules = std::move(hits);
      break;
    case HitPolicy::kOutputOrder:
      std::stable_sort(hits.begin(), hits.end(),
                       [&](std::size_t a, std::size_t b) { return Higher(t, a, b); });
      result.rules = std::move(hits);
      break;
  }
  if (t.aggregator == Aggregator::kNone) return result;
  result.aggregated = true;
  if (t.aggregator == Aggregator::kCount) {
    absl::StatusOr<std::int64_t> n = NumberFromUnits(static_cast<std::int64_t>(result.rules.size()));
    if (!n.ok()) return n.status();
    result.aggregate = Value::Number(*n);
    return result;
  }
  bool first = true;
  for (std::size_t r : result.rules) {
    const Value& v = t.rules[r].outputs[0];
    if (v.is_null()) continue;  // FEEL sum/min/max skip no value; a null output adds nothing
    if (first) {
      result.aggregate = v;
      first = false;
      continue;
    }
    switch (t.aggregator) {
      case Aggregator::kSum:
        if (!AddMoney(result.aggregate.number, v.number, &result.aggregate.number) ||
            result.aggregate.number > kMaxMoney || result.aggregate.number < -kMaxMoney) {
          return absl::OutOfRangeError("COLLECT SUM overflows the number range");
        }
        break;
      case Aggregator::kMin:
        if (Compare(v, result.aggregate) < 0) result.aggregate = v;
        break;
      case Aggregator::kMax:
        if (Compare(v, result.aggregate) > 0) result.aggregate = v;
        break;
      default:
        break;
    }
  }
  return result;
}

}  // namespace salesight::approval
