// ExplainEmptySegments: for each segment without customers, how many customers
// meet each condition of its rules and the value closest to meeting it. The
// wording is DescribeEmptySegment's (summary.cpp).
#include <cmath>
#include <cstdlib>

#include "internal/rules.hpp"
#include "salesight/rfm.hpp"

namespace salesight {

using rfm_internal::Int128;

namespace {

// The value closer to meeting `op threshold`, of a and b (ties: the smaller).
bool Closer(RfmOp op, double a, double b, double threshold) {
  switch (op) {
    case RfmOp::kGt:
    case RfmOp::kGe: return a > b;
    case RfmOp::kLt:
    case RfmOp::kLe: return a < b;
    case RfmOp::kEq:
    case RfmOp::kNe: {
      const double da = std::fabs(a - threshold), db = std::fabs(b - threshold);
      return da < db || (da == db && a < b);
    }
  }
  return false;
}

}  // namespace

absl::StatusOr<std::vector<RfmEmptySegment>> ExplainEmptySegments(const RfmResult& r) {
  std::vector<RfmEmptySegment> out;
  const std::size_t n = r.customers.size();
  if (n == 0) return out;
  if (r.scores.size() != n) return absl::InvalidArgumentError("rfm: scores and customers differ");
  std::vector<std::int64_t> count(r.segment_labels.size(), 0);
  for (const RfmScore& s : r.scores) {
    if (s.segment >= count.size()) return absl::InternalError("rfm: segment index out of range");
    ++count[s.segment];
  }
  const std::int64_t money_to_micros = Pow10(6 - r.money_scale);
  for (std::size_t seg = 0; seg < count.size(); ++seg) {
    if (count[seg] != 0) continue;
    RfmEmptySegment e;
    e.segment = static_cast<int>(seg);
    e.label = r.segment_labels[seg];
    std::vector<std::uint8_t> meets_rule(n, 0);
    for (const RfmRule& rule : r.segment_rules.rules) {
      if (rule.label_en != e.label.en) continue;
      for (const std::vector<RfmCondition>& clause : rule.any_of) {
        RfmClauseCheck check;
        for (const RfmCondition& c : clause) check.conditions.push_back({c, 0, std::nullopt});
        for (std::size_t i = 0; i < n; ++i) {
          bool all = true;
          for (RfmConditionCheck& cc : check.conditions) {
            const RfmCondition& c = cc.condition;
            std::int64_t den = 1;
            const RfmScore& s = r.scores[i];
            const Int128 v = rfm_internal::FieldValue(c.field, r.customers[i], r.total(i), r.as_of,
                                                      s.r, s.f, s.m, money_to_micros, &den);
            const bool meets = rfm_internal::Compare(c.op, v, Int128{c.value_micros} * den);
            cc.customers += meets ? 1 : 0;
            all &= meets;
            const double value = static_cast<double>(v) / static_cast<double>(den) /
                                 static_cast<double>(rfm_internal::kMicros);
            const double threshold = static_cast<double>(c.value_micros) /
                                     static_cast<double>(rfm_internal::kMicros);
            if (!cc.best || Closer(c.op, value, *cc.best, threshold)) cc.best = value;
          }
          check.customers += all ? 1 : 0;
          meets_rule[i] |= all ? 1 : 0;
        }
        e.clauses.push_back(std::move(check));
      }
    }
    for (std::uint8_t m : meets_rule) e.customers += m;
    out.push_back(std::move(e));
  }
  return out;
}

}  // namespace salesight
