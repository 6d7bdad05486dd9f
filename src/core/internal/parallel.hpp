// The one way calculators split rows over threads: resolve the thread count,
// then run one contiguous row range per thread (range 0 on the calling
// thread) and join. Each calculator merges its own partial states after.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <thread>
#include <vector>

namespace salesight::internal {

// Threads for `units` units of work: num_threads (<= 0: one per hardware
// thread), at most one per unit, at least 1.
inline std::size_t ResolveThreads(int num_threads, std::size_t units) {
  std::size_t threads = num_threads > 0 ? static_cast<std::size_t>(num_threads)
                                        : std::max(1u, std::thread::hardware_concurrency());
  return std::max<std::size_t>(1, std::min(threads, units));
}

// Rows each thread of an automatic thread count gets at least: below this a
// second thread costs more (its start-up and join, about 50-100 us, one more
// partial state and its merge) than it saves (half the line pass: the
// cheapest pass, trends, costs about 1.6 ns per line, so 2^18 lines save
// about 200 us). An estimate, not yet a measured crossover: README "Thread
// count by size" has the size sweep and why it could not settle this.
inline constexpr std::size_t kMinRowsPerThread = std::size_t{1} << 18;

// Passes that scatter each line into a large per-thread state which is then
// merged (RFM's customer records, margin's product x customer cells) gain
// from a second thread later: measured on a quiet 2-core Xeon (README
// "Thread count by size"), RFM at 10^6 lines 7.36 ms on 1 thread against
// 8.66 on 2, margin 4.62 against 4.86, while at 10^7 2 threads win (RFM 87-113
// against 106-124 ms). The crossover between is not measured.
inline constexpr std::size_t kMinRowsPerThreadMerged = std::size_t{1} << 21;

// The automatic thread count for a pass over `rows` rows on `hardware`
// hardware threads: one per `min_rows` rows, at most one per hardware
// thread, at least 1.
constexpr std::size_t AutoThreads(std::size_t rows, std::size_t hardware,
                                  std::size_t min_rows = kMinRowsPerThread) {
  return std::max<std::size_t>(1, std::min(hardware, rows / min_rows));
}

// Explicit thread counts taken exactly (at most one per row) instead of as a
// maximum: the unit test binary sets this once (tests/unit/core/
// exact_threads.cpp) so that its small inputs still run every threaded path
// and merge; nothing else does.
inline std::atomic<bool>& ExactThreadsForTesting() {
  static std::atomic<bool> exact{false};
  return exact;
}

// Threads for a calculator's pass over `rows` input rows: one per `min_rows`
// rows, at most num_threads (> 0: the caller's maximum, even beyond the
// cores) or, for 0 = auto, one per hardware thread; at least 1. A count the
// caller gives is a maximum, not a demand: on a small input a second thread
// costs more than it saves (measured on the peer harness: 2 ms more at 10^5
// lines for every workload on a quiet 2-core EPYC, README "Thread count by
// size"), so 2 threads are never slower than 1. Results never depend on it.
inline std::size_t ThreadsForRows(int num_threads, std::size_t rows,
                                  std::size_t min_rows = kMinRowsPerThread) {
  if (num_threads > 0 && ExactThreadsForTesting().load(std::memory_order_relaxed)) {
    return ResolveThreads(num_threads, rows);
  }
  const std::size_t most = num_threads > 0 ? static_cast<std::size_t>(num_threads)
                                           : std::max(1u, std::thread::hardware_concurrency());
  return AutoThreads(rows, most, min_rows);
}

// Runs fn(t) for t in [0, count): t = 0 on the calling thread, the others on
// new threads; returns when all have finished. fn must not throw (it reports
// through the state it writes, e.g. a Status per t).
template <typename Fn>
void RunOnThreads(std::size_t count, Fn&& fn) {
  std::vector<std::thread> pool;
  if (count > 1) pool.reserve(count - 1);
  for (std::size_t t = 1; t < count; ++t) pool.emplace_back([&fn, t] { fn(t); });
  if (count > 0) fn(std::size_t{0});
  for (std::thread& th : pool) th.join();
}

// Row range t of `parts` equal ranges of [0, n) (equal to within one row).
inline std::size_t RangeBegin(std::size_t n, std::size_t t, std::size_t parts) {
  return n * t / parts;
}

// Runs fn(t, begin, end) over `parts` contiguous ranges of [0, n) on threads.
template <typename Fn>
void ForEachRange(std::size_t parts, std::size_t n, Fn&& fn) {
  RunOnThreads(parts, [&](std::size_t t) {
    fn(t, RangeBegin(n, t, parts), RangeBegin(n, t + 1, parts));
  });
}

}  // namespace salesight::internal
