// The domain of each input column cut into cells on which every rule's test
// is constant: the boundary points of all intervals and the open stretches
// between them (stretches with no representable value, such as
// (200000..200000.0001), are dropped: numbers are exact at kNumberScale).
// Static checks then reason over finitely many cells instead of values.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "salesight/approval/decision_table.hpp"

namespace salesight::approval::internal {

struct Cell {
  Interval range;  // a point [v..v] or an open stretch (a..b), unbounded ends allowed
  Value sample;    // one value inside, for evaluating the tests
};

// Bitset over rules or cells.
using Bits = std::vector<std::uint64_t>;
inline bool Test(const Bits& b, std::size_t i) { return (b[i / 64] >> (i % 64)) & 1u; }
inline void Set(Bits& b, std::size_t i) { b[i / 64] |= std::uint64_t{1} << (i % 64); }
inline Bits MakeBits(std::size_t n) { return Bits((n + 63) / 64, 0); }

struct ColumnCells {
  std::vector<Cell> cells;
  // match[rule] has bit k set when the rule's test on this column holds on cell k.
  std::vector<Bits> match;
};

std::vector<ColumnCells> CutIntoCells(const DecisionTable& table);

// "amount in [200000..200000.01)", "tier = \"gold\"", for cells first..last
// (consecutive) of column `column`.
std::string DescribeCells(const DecisionTable& table, std::size_t column,
                          const std::vector<Cell>& cells, std::size_t first, std::size_t last);

}  // namespace salesight::approval::internal
