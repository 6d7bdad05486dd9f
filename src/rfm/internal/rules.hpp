// A rule table compiled for evaluation over many customers.
#pragma once

#include <algorithm>
#include <cstdint>
#include <vector>

#include "absl/status/statusor.h"
#include "salesight/rfm.hpp"

namespace salesight::rfm_internal {

__extension__ typedef __int128 Int128;

inline constexpr std::int64_t kMicros = 1'000'000;

// The exact value of `field` for one customer as the fraction value / *den in
// micro-units (*den > 0): `row` has recency_days relative to as_of, `total`
// is the total of the monetary source, r/f/m its scores, money_to_micros =
// 10^(6 - money scale). The one definition of every rule field (segments and
// the empty-segment explanation both read it).
inline Int128 FieldValue(RfmField field, const RfmCustomer& row, Money total, Day as_of,
                         std::uint8_t r, std::uint8_t f, std::uint8_t m,
                         std::int64_t money_to_micros, std::int64_t* den) {
  const std::int64_t tenure =
      row.first_purchase == kNoDate ? 0 : std::int64_t{as_of} - row.first_purchase;
  *den = 1;
  switch (field) {
    case RfmField::kRecency: return Int128{row.recency_days} * kMicros;
    case RfmField::kFrequency: return Int128{row.frequency} * kMicros;
    case RfmField::kMonetary: return Int128{row.monetary} * money_to_micros;
    case RfmField::kTotal: return Int128{total} * money_to_micros;
    case RfmField::kR: return Int128{r} * kMicros;
    case RfmField::kF: return Int128{f} * kMicros;
    case RfmField::kM: return Int128{m} * kMicros;
    case RfmField::kTenure: return Int128{tenure} * kMicros;
    case RfmField::kOrdersPerYear:
      *den = std::max<std::int64_t>(365, tenure);
      return Int128{row.frequency} * 365 * kMicros;
    case RfmField::kAmountPerYear:
      *den = std::max<std::int64_t>(365, tenure);
      return Int128{total} * money_to_micros * 365;
    case RfmField::kLines: return Int128{row.order_lines} * kMicros;
    case RfmField::kReturns: return Int128{row.returns} * kMicros;
  }
  return 0;
}

// lhs op rhs.
inline bool Compare(RfmOp op, Int128 lhs, Int128 rhs) {
  switch (op) {
    case RfmOp::kLt: return lhs < rhs;
    case RfmOp::kLe: return lhs <= rhs;
    case RfmOp::kGt: return lhs > rhs;
    case RfmOp::kGe: return lhs >= rhs;
    case RfmOp::kEq: return lhs == rhs;
    case RfmOp::kNe: return lhs != rhs;
  }
  return false;
}

// Field and operator names of the rule-table text form ("amount_per_year", ">=").
const char* FieldName(RfmField field);
const char* OpName(RfmOp op);

class CompiledRules {
 public:
  // Fails when the table was designed for another k, has more than 255
  // labels, or a label_en is empty.
  static absl::StatusOr<CompiledRules> Compile(const RfmRuleTable& table, int k, int money_scale);

  // The segment of a customer: `row` with recency_days relative to as_of,
  // `total` the total of the monetary source, and its scores.
  std::uint8_t Segment(const RfmCustomer& row, Money total, Day as_of, std::uint8_t r,
                       std::uint8_t f, std::uint8_t m) const {
    if (!lut_.empty()) {
      return lut_[(static_cast<std::size_t>(r) * stride_ + f) * stride_ + m];
    }
    return Evaluate(row, total, as_of, r, f, m);
  }
  const std::vector<RfmSegmentLabel>& labels() const { return labels_; }
  // Score-only tables: segment = lut()[(r * stride() + f) * stride() + m]; else nullptr.
  const std::uint8_t* lut() const { return lut_.empty() ? nullptr : lut_.data(); }
  std::size_t stride() const { return stride_; }

 private:
  struct Cond {
    RfmField field;
    RfmOp op;
    std::int64_t value_micros;
  };
  std::uint8_t Evaluate(const RfmCustomer& row, Money total, Day as_of, std::uint8_t r,
                        std::uint8_t f, std::uint8_t m) const;

  // Flattened: rule i has clauses [rule_begin_[i], rule_begin_[i+1]), clause
  // c has conditions [clause_begin_[c], clause_begin_[c+1]).
  std::vector<std::uint32_t> rule_begin_, clause_begin_;
  std::vector<Cond> conds_;
  std::vector<std::uint8_t> rule_segment_;
  std::uint8_t default_segment_ = 0;
  std::int64_t money_to_micros_ = 1;  // 10^(6 - money_scale)
  std::vector<RfmSegmentLabel> labels_;
  // Tables that test only r, f, m with k <= 32: segment of every (r, f, m).
  std::vector<std::uint8_t> lut_;
  std::size_t stride_ = 0;
};

}  // namespace salesight::rfm_internal
