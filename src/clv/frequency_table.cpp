#include "clv/internal/frequency_table.hpp"

#include <algorithm>

#include "absl/container/flat_hash_map.h"
#include "clv/internal/validate.hpp"

namespace salesight::clv::internal {
namespace {
// Up to this x a direct array is cheaper than hashing.
constexpr double kDirectMax = 1 << 16;
}  // namespace

FrequencyTable::FrequencyTable(const CustomerSummary& s) {
  const std::size_t n = s.size();
  row_slot.resize(n);
  double max_x = 0;
  for (double x : s.frequency) max_x = std::max(max_x, x);
  if (max_x <= kDirectMax) {
    std::vector<double> w(static_cast<std::size_t>(max_x) + 1, 0.0);
    std::vector<char> seen(w.size(), 0);
    for (std::size_t i = 0; i < n; ++i) {
      const auto x = static_cast<std::size_t>(s.frequency[i]);
      w[x] += WeightAt(s, i);
      seen[x] = 1;
    }
    std::vector<std::uint32_t> slot(w.size(), 0);
    for (std::size_t x = 0; x < w.size(); ++x) {
      if (!seen[x]) continue;
      slot[x] = static_cast<std::uint32_t>(values.size());
      values.push_back(static_cast<double>(x));
      weight.push_back(w[x]);
    }
    for (std::size_t i = 0; i < n; ++i) {
      row_slot[i] = slot[static_cast<std::size_t>(s.frequency[i])];
    }
    return;
  }
  values = s.frequency;
  std::sort(values.begin(), values.end());
  values.erase(std::unique(values.begin(), values.end()), values.end());
  absl::flat_hash_map<double, std::uint32_t> slot;
  for (std::size_t k = 0; k < values.size(); ++k) slot[values[k]] = static_cast<std::uint32_t>(k);
  weight.assign(values.size(), 0.0);
  for (std::size_t i = 0; i < n; ++i) {
    row_slot[i] = slot[s.frequency[i]];
    weight[row_slot[i]] += WeightAt(s, i);
  }
}

}  // namespace salesight::clv::internal
