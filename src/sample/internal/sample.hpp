// Shared by the sample generator and its writers/readers.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <thread>
#include <vector>

#include "salesight/date.hpp"

namespace salesight::sample_internal {

inline constexpr Day kWindowStart = 18993;  // 2022-01-01
inline constexpr Day kWindowEnd = 20088;    // 2024-12-31 (the snapshot)
inline constexpr Day kAsOf = 19996;         // 2024-09-30
inline constexpr int kWindowDays = kWindowEnd - kWindowStart + 1;
inline constexpr int kWindowMonths = 36;
inline constexpr int kMoneyScale = 2;

inline int ResolveThreads(int num_threads) {
  if (num_threads > 0) return num_threads;
  const unsigned hw = std::thread::hardware_concurrency();
  return hw == 0 ? 1 : static_cast<int>(hw);
}

// Runs fn(task, worker) for task in [0, n) on `num_threads` workers (dynamic
// scheduling). Callers make each task's output depend only on the task index,
// so the result is the same for any thread count.
template <typename Fn>
void ParallelFor(std::size_t n, int num_threads, Fn&& fn) {
  const std::size_t workers =
      std::min<std::size_t>(n, static_cast<std::size_t>(std::max(1, num_threads)));
  if (workers <= 1) {
    for (std::size_t i = 0; i < n; ++i) fn(i, std::size_t{0});
    return;
  }
  std::atomic<std::size_t> next{0};
  auto work = [&](std::size_t worker) {
    for (std::size_t i; (i = next.fetch_add(1, std::memory_order_relaxed)) < n;) fn(i, worker);
  };
  std::vector<std::thread> threads;
  threads.reserve(workers - 1);
  for (std::size_t w = 1; w < workers; ++w) threads.emplace_back(work, w);
  work(0);
  for (auto& t : threads) t.join();
}

}  // namespace salesight::sample_internal
