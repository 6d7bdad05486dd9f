// A rule table compiled for evaluation over many customers.
#pragma once

#include <cstdint>
#include <vector>

#include "absl/status/statusor.h"
#include "salesight/rfm.hpp"

namespace salesight::rfm_internal {

__extension__ typedef __int128 Int128;

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
