#include "insights/internal/dense_ids.hpp"

#include <algorithm>
#include <numeric>

namespace salesight::insights::internal {

std::int32_t DenseIds(const std::vector<std::uint64_t>& keys, std::uint64_t range,
                      std::vector<std::int32_t>* ids, std::vector<std::uint32_t>* rep,
                      std::vector<std::int32_t>* scratch) {
  const std::size_t n = keys.size();
  ids->resize(n);
  rep->clear();
  // A direct table when the key range is small next to the leaves (always for
  // a full cartesian product); a sort otherwise (sparse leaves, many members).
  if (range <= std::max<std::uint64_t>(4 * static_cast<std::uint64_t>(n), 1u << 16)) {
    std::vector<std::int32_t>& slot = *scratch;
    slot.assign(range, -1);
    for (std::size_t i = 0; i < n; ++i) slot[keys[i]] = static_cast<std::int32_t>(i);
    std::int32_t next = 0;
    for (std::uint64_t k = 0; k < range; ++k) {
      if (slot[k] >= 0) {
        rep->push_back(static_cast<std::uint32_t>(slot[k]));
        slot[k] = next++;
      }
    }
    for (std::size_t i = 0; i < n; ++i) (*ids)[i] = slot[keys[i]];
    return next;
  }
  std::vector<std::uint32_t> order(n);
  std::iota(order.begin(), order.end(), 0u);
  std::sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
    return keys[a] != keys[b] ? keys[a] < keys[b] : a < b;
  });
  std::int32_t next = -1;
  for (std::size_t k = 0; k < n; ++k) {
    if (k == 0 || keys[order[k]] != keys[order[k - 1]]) {
      ++next;
      rep->push_back(order[k]);
    }
    (*ids)[order[k]] = next;
  }
  return next + 1;
}

std::int32_t ExtendIds(const std::vector<std::int32_t>* parent, std::int32_t parent_count,
                       const std::vector<std::int32_t>& member, std::int32_t cardinality,
                       std::vector<std::int32_t>* ids, std::vector<std::uint32_t>* rep,
                       std::vector<std::uint64_t>* keys, std::vector<std::int32_t>* scratch) {
  const std::size_t n = member.size();
  const auto card = static_cast<std::uint64_t>(cardinality);
  keys->resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    const std::uint64_t p = parent == nullptr ? 0 : static_cast<std::uint64_t>((*parent)[i]);
    (*keys)[i] = p * card + static_cast<std::uint64_t>(member[i]);
  }
  return DenseIds(*keys, static_cast<std::uint64_t>(parent_count) * card, ids, rep, scratch);
}

}  // namespace salesight::insights::internal
