// kRelativeTiers: the tiers' cuts taken from the data (definitions in rfm.hpp,
// "segments"). The steps' cut keys become a plain rule table, so evaluation,
// the reported table and the empty-segment explanation are those of any table.
#include "internal/relative_tiers.hpp"

#include <algorithm>
#include <array>
#include <limits>
#include <utility>

#include "absl/strings/str_format.h"
#include "salesight/status_macros.hpp"

namespace salesight::rfm_internal {
namespace {

struct Step {
  RfmField field;
  bool largest_first;  // the best key is the largest (else the smallest)
  int percent;
};

struct TierSteps {
  std::vector<Step> steps;
};

// The five tiers' steps in table order (labels from RfmRuleTable::Tiers()).
std::array<TierSteps, 5> StepsOf(const RelativeTierShares& s) {
  using F = RfmField;
  return {{
      {{{F::kRecency, false, s.high_value_recent},
        {F::kAmountPerYear, true, s.high_value_amount},
        {F::kOrdersPerYear, true, s.high_value_orders}}},
      {{{F::kTenure, false, s.new_newest}}},
      {{{F::kRecency, false, s.potential_recent}, {F::kAmountPerYear, false, s.potential_amount}}},
      {{{F::kRecency, true, s.churn_lapsed}, {F::kOrdersPerYear, true, s.churn_orders}}},
      {{{F::kRecency, true, s.low_value_lapsed}, {F::kAmountPerYear, false, s.low_value_amount}}},
  }};
}

// A key as the exact fraction num / den (den > 0).
struct Key {
  Int128 num;
  std::int64_t den;
};
bool Less(const Key& a, const Key& b) { return a.num * b.den < b.num * a.den; }

// floor / ceil of num / den for den > 0, clamped to int64 (a cut beyond it
// would be over 9.2e12 currency units a year).
std::int64_t Clamp(Int128 q) {
  constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();
  return q > kMax ? kMax : q < -kMax ? -kMax : static_cast<std::int64_t>(q);
}
std::int64_t FloorDiv(Int128 num, std::int64_t den) {
  Int128 q = num / den;
  if (num % den != 0 && num < 0) --q;
  return Clamp(q);
}
std::int64_t CeilDiv(Int128 num, std::int64_t den) {
  Int128 q = num / den;
  if (num % den != 0 && num > 0) ++q;
  return Clamp(q);
}

}  // namespace

absl::Status CheckRelativeTierShares(const RelativeTierShares& shares) {
  for (const TierSteps& tier : StepsOf(shares)) {
    for (const Step& step : tier.steps) {
      if (step.percent < 1 || step.percent > 100) {
        return absl::InvalidArgumentError(absl::StrFormat(
            "rfm: relative tier shares are percents in 1..100, got %d", step.percent));
      }
    }
  }
  return absl::OkStatus();
}

RfmRuleTable RelativeTierTable(const RfmResult& result, const RelativeTierShares& shares) {
  const RfmRuleTable labels = RfmRuleTable::Tiers();
  const std::int64_t money_to_micros = Pow10(6 - result.money_scale);
  const std::size_t n = result.customers.size();
  auto key = [&](RfmField field, std::size_t i) {
    Key k{0, 1};
    const RfmScore& s = result.scores[i];
    k.num = FieldValue(field, result.customers[i], result.total(i), result.as_of, s.r, s.f, s.m,
                       money_to_micros, &k.den);
    return k;
  };
  std::vector<std::uint8_t> taken(n, 0);
  std::vector<std::size_t> all(n);
  for (std::size_t i = 0; i < n; ++i) all[i] = i;
  RfmRuleTable table;
  const std::array<TierSteps, 5> tiers = StepsOf(shares);
  for (std::size_t t = 0; t < tiers.size(); ++t) {
    std::vector<std::size_t> candidates;
    for (std::size_t i = 0; i < n; ++i) {
      if (!taken[i]) candidates.push_back(i);
    }
    if (candidates.empty()) candidates = all;  // the cuts still show where the tier would be
    std::vector<RfmCondition> clause;
    for (const Step& step : tiers[t].steps) {
      RfmCondition c{step.field, step.largest_first ? RfmOp::kGe : RfmOp::kLe, 0};
      if (!candidates.empty()) {
        std::vector<std::pair<Key, std::size_t>> keyed;
        keyed.reserve(candidates.size());
        for (std::size_t i : candidates) keyed.push_back({key(step.field, i), i});
        const std::size_t rank =  // 1-based, at least 1
            (static_cast<std::size_t>(step.percent) * candidates.size() + 99) / 100;
        auto better = [&](const auto& a, const auto& b) {
          return step.largest_first ? Less(b.first, a.first) : Less(a.first, b.first);
        };
        std::nth_element(keyed.begin(), keyed.begin() + static_cast<std::ptrdiff_t>(rank - 1),
                         keyed.end(), better);
        const Key cut = keyed[rank - 1].first;
        // In micro-units, rounded toward keeping the cut customer.
        c.value_micros = step.largest_first ? FloorDiv(cut.num, cut.den) : CeilDiv(cut.num, cut.den);
        std::vector<std::size_t> kept;
        for (std::size_t i : candidates) {
          const Key k = key(step.field, i);
          if (Compare(c.op, k.num, Int128{c.value_micros} * k.den)) kept.push_back(i);
        }
        candidates = std::move(kept);
      }
      clause.push_back(c);
    }
    for (std::size_t i : candidates) taken[i] = 1;
    const RfmRule& l = labels.rules[t];
    table.rules.push_back(RfmRule{l.label_en, l.label_zh, {std::move(clause)}});
  }
  table.rules.push_back(labels.rules.back());  // regular: '*'
  return table;
}

absl::Status ApplyRelativeTiers(const RfmOptions& options, RfmResult& result) {
  result.segment_rules = RelativeTierTable(result, options.relative_tiers);
  SALESIGHT_ASSIGN_OR_RETURN(CompiledRules rules,
                             CompiledRules::Compile(result.segment_rules, options.k,
                                                    result.money_scale));
  result.segment_labels = rules.labels();
  for (std::size_t i = 0; i < result.customers.size(); ++i) {
    RfmScore& s = result.scores[i];
    s.segment = rules.Segment(result.customers[i], result.total(i), result.as_of, s.r, s.f, s.m);
  }
  return absl::OkStatus();
}

}  // namespace salesight::rfm_internal
