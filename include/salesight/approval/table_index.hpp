// A decision table compiled for routing many contracts.
//
// Each input column's domain is cut into the cells of the static checks
// (internal/cells.hpp: every endpoint of every test, and the open stretches
// between them), and each cell holds the bitset of the rules whose entry
// matches there (a null input has its own bitset). Matching a contract is
// then one binary search per column and an AND of bitsets, instead of every
// rule's every test: the 100-rule benchmark table goes from about 60% of a
// route in Matches/Compare to a few percent. The result is the plain scan's,
// rule for rule (tests compare them on random tables); a value that falls in
// no cell (only possible for strings with control bytes between endpoints)
// takes the plain scan.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/types/span.h"
#include "salesight/approval/decision_table.hpp"

namespace salesight::approval {

class TableIndex {
 public:
  // Bitsets above this many bytes are not built (the plain scan is used).
  static constexpr std::size_t kMaxBytes = std::size_t{64} << 20;

  TableIndex() = default;
  static TableIndex Build(const DecisionTable& table);

  bool built() const { return built_; }
  // The matching rules in rule order (only the first when first_only), as
  // MatchingRules gives them; false when the index cannot answer (not built,
  // or a value outside every cell): then the caller scans.
  bool Match(absl::Span<const Value> inputs, bool first_only, std::vector<std::size_t>& out) const;

 private:
  struct Column {
    ValueType type = ValueType::kNull;
    std::vector<std::int64_t> keys;         // number / date / bool points, ascending
    std::vector<std::string> texts;         // string points, ascending
    std::vector<std::int32_t> at, below;    // cell of point i, of the stretch below it (-1: none)
    std::int32_t above = -1;                // cell of the stretch above the last point
    std::vector<std::uint64_t> bits;        // cell k's rules: words [k * words, (k + 1) * words)
    std::vector<std::uint64_t> null_bits;   // the rules a null input matches
  };
  std::int32_t CellOf(const Column& c, const Value& v) const;

  bool built_ = false;
  std::size_t rules_ = 0, words_ = 0;
  std::vector<Column> columns_;
};

}  // namespace salesight::approval
