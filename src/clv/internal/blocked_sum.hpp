// Sums over customers that do not depend on the thread count: fixed blocks
// of kFitBlock rows, each summed in row order, the block sums added in block
// order. Threads take contiguous runs of blocks.
#pragma once

#include <array>
#include <cstddef>
#include <vector>

#include "core/internal/parallel.hpp"
#include "salesight/clv/fit.hpp"

namespace salesight::clv::internal {

// fn(begin, end, acc) adds rows [begin, end) into acc (K doubles, zeroed).
template <std::size_t K, typename Fn>
std::array<double, K> BlockedSum(std::size_t n, int num_threads, Fn&& fn) {
  const std::size_t blocks = (n + kFitBlock - 1) / kFitBlock;
  std::vector<std::array<double, K>> partial(blocks);
  const std::size_t threads = salesight::internal::ResolveThreads(num_threads, blocks);
  salesight::internal::ForEachRange(threads, blocks, [&](std::size_t, std::size_t b0,
                                                         std::size_t b1) {
    for (std::size_t b = b0; b < b1; ++b) {
      partial[b].fill(0.0);
      const std::size_t end = (b + 1) * kFitBlock < n ? (b + 1) * kFitBlock : n;
      fn(b * kFitBlock, end, partial[b].data());
    }
  });
  std::array<double, K> total{};
  for (const std::array<double, K>& p : partial)
    for (std::size_t k = 0; k < K; ++k) total[k] += p[k];
  return total;
}

}  // namespace salesight::clv::internal
