// Dense element ids for combinations of dimension members, shared by the
// leaves table (its canonical leaf order and duplicate check) and the
// localiser (every cuboid's element of every leaf).
#pragma once

#include <cstdint>
#include <vector>

namespace salesight::insights::internal {

// ids[i] = the rank of keys[i] among the distinct keys (so ids follow key
// order), for keys in [0, range); returns the number of distinct keys and
// writes one position holding each (rep[id]). `scratch` is reused memory.
std::int32_t DenseIds(const std::vector<std::uint64_t>& keys, std::uint64_t range,
                      std::vector<std::int32_t>* ids, std::vector<std::uint32_t>* rep,
                      std::vector<std::int32_t>* scratch);

// The next level of a combination: key = parent_id * cardinality + member,
// then DenseIds. parent = nullptr for the first dimension (parent_count 1).
std::int32_t ExtendIds(const std::vector<std::int32_t>* parent, std::int32_t parent_count,
                       const std::vector<std::int32_t>& member, std::int32_t cardinality,
                       std::vector<std::int32_t>* ids, std::vector<std::uint32_t>* rep,
                       std::vector<std::uint64_t>* keys, std::vector<std::int32_t>* scratch);

}  // namespace salesight::insights::internal
