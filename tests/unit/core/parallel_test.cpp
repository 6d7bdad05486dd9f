// The automatic thread count by size (issue 19: two threads never slower
// than one) and the explicit count's clamps.
#include "core/internal/parallel.hpp"

#include <algorithm>
#include <cstddef>
#include <random>
#include <thread>

#include "gtest/gtest.h"

namespace salesight::internal {
namespace {

constexpr std::size_t kStep = kMinRowsPerThread;

TEST(AutoThreadsTest, OneThreadBelowTheThresholdThenOnePerStepUpToTheHardware) {
  EXPECT_EQ(AutoThreads(0, 2), 1u);
  EXPECT_EQ(AutoThreads(10'000, 2), 1u);      // the latency size: never a second thread
  EXPECT_EQ(AutoThreads(kStep - 1, 2), 1u);
  EXPECT_EQ(AutoThreads(2 * kStep - 1, 2), 1u);
  EXPECT_EQ(AutoThreads(2 * kStep, 2), 2u);
  EXPECT_EQ(AutoThreads(10'000'000, 2), 2u);  // capped by the hardware
  EXPECT_EQ(AutoThreads(3 * kStep, 8), 3u);
  EXPECT_EQ(AutoThreads(10'000'000, 1), 1u);
  EXPECT_EQ(AutoThreads(10'000'000, 0), 1u);  // unknown hardware: at least 1
}

TEST(AutoThreadsTest, MergedStatePassesTakeASecondThreadLater) {
  constexpr std::size_t kMerged = kMinRowsPerThreadMerged;
  EXPECT_EQ(AutoThreads(1'000'000, 2, kMerged), 1u);  // 10^6 lines: one thread (measured faster)
  EXPECT_EQ(AutoThreads(2 * kMerged - 1, 2, kMerged), 1u);
  EXPECT_EQ(AutoThreads(2 * kMerged, 2, kMerged), 2u);
  EXPECT_EQ(AutoThreads(10'000'000, 2, kMerged), 2u);
  EXPECT_EQ(AutoThreads(1'000'000, 2), 2u);  // the default step gives others 2 there
}

// Against the rule written out plainly, on random sizes and core counts.
TEST(AutoThreadsTest, MatchesTheRuleOnRandomSizes) {
  std::mt19937_64 rng(19);
  for (int i = 0; i < 500; ++i) {
    const std::size_t rows = rng() % (64 * kStep);
    const std::size_t hardware = rng() % 65;
    std::size_t want = 1;
    while (want < hardware && (want + 1) * kStep <= rows) ++want;
    ASSERT_EQ(AutoThreads(rows, hardware), want) << rows << " rows, " << hardware << " cores";
  }
}

TEST(ThreadsForRowsTest, AnExplicitCountIsKeptUpToOnePerRowAutoGoesBySize) {
  EXPECT_EQ(ThreadsForRows(2, 10), 2u);  // the caller's choice, even on tiny data
  EXPECT_EQ(ThreadsForRows(8, 3), 3u);
  EXPECT_EQ(ThreadsForRows(4, 0), 1u);
  EXPECT_EQ(ThreadsForRows(0, 10'000), 1u);  // auto: one thread on small data
  EXPECT_EQ(ThreadsForRows(-1, 10'000), 1u);
  EXPECT_EQ(ThreadsForRows(0, 1u << 30), std::max(1u, std::thread::hardware_concurrency()));
}

}  // namespace
}  // namespace salesight::internal
