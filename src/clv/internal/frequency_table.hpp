// Terms of a likelihood that depend on a customer's frequency x only
// (ln G(r+x), psi(b+x), ...) are computed once per distinct x per
// evaluation, not once per customer. This maps each row to its distinct x
// and holds the weight of each distinct x.
#pragma once

#include <cstdint>
#include <vector>

#include "salesight/clv/fit.hpp"

namespace salesight::clv::internal {

struct FrequencyTable {
  std::vector<double> values;   // distinct x, ascending
  std::vector<double> weight;   // sum of the row weights per distinct x
  std::vector<std::uint32_t> row_slot;  // row -> index into values

  explicit FrequencyTable(const CustomerSummary& s);
};

}  // namespace salesight::clv::internal
