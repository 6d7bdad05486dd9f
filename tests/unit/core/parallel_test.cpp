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

// The library's rule, with the unit tests' exact-count switch off.
class ThreadsForRowsTest : public ::testing::Test {
 protected:
  void SetUp() override { was_ = ExactThreadsForTesting().exchange(false); }
  void TearDown() override { ExactThreadsForTesting().store(was_); }

 private:
  bool was_ = false;
};

TEST_F(ThreadsForRowsTest, AnExplicitCountIsAMaximumTheSizeDecides) {
  EXPECT_EQ(ThreadsForRows(2, 10), 1u);  // tiny data: one thread whatever is asked
  EXPECT_EQ(ThreadsForRows(8, 3), 1u);
  EXPECT_EQ(ThreadsForRows(4, 0), 1u);
  EXPECT_EQ(ThreadsForRows(2, 100'000), 1u);  // 10^5 lines: one
  EXPECT_EQ(ThreadsForRows(2, 2 * kStep - 1), 1u);
  EXPECT_EQ(ThreadsForRows(2, 2 * kStep), 2u);
  EXPECT_EQ(ThreadsForRows(2, 10'000'000), 2u);
  EXPECT_EQ(ThreadsForRows(1, 10'000'000), 1u);
  EXPECT_EQ(ThreadsForRows(8, 10'000'000), 8u);  // beyond the cores when asked
  EXPECT_EQ(ThreadsForRows(2, 1'000'000, kMinRowsPerThreadMerged), 1u);
  EXPECT_EQ(ThreadsForRows(2, 10'000'000, kMinRowsPerThreadMerged), 2u);
  EXPECT_EQ(ThreadsForRows(0, 10'000), 1u);  // auto: one thread on small data
  EXPECT_EQ(ThreadsForRows(-1, 10'000), 1u);
  EXPECT_EQ(ThreadsForRows(0, 1u << 30), std::max(1u, std::thread::hardware_concurrency()));
}

// Against the rule written out plainly: min(asked, rows / step), at least 1.
TEST_F(ThreadsForRowsTest, MatchesTheRuleOnRandomSizes) {
  std::mt19937_64 rng(1919);
  for (int i = 0; i < 500; ++i) {
    const std::size_t rows = rng() % (64 * kStep);
    const int asked = static_cast<int>(rng() % 17);
    if (asked == 0) continue;  // auto: the hardware's, above
    std::size_t want = 1;
    while (want < static_cast<std::size_t>(asked) && (want + 1) * kStep <= rows) ++want;
    ASSERT_EQ(ThreadsForRows(asked, rows), want) << rows << " rows, " << asked << " asked";
  }
}

TEST(ExactThreadsForTestingTest, KeepsAnExplicitCountUpToOnePerRow) {
  const bool was = ExactThreadsForTesting().exchange(true);
  EXPECT_EQ(ThreadsForRows(2, 10), 2u);
  EXPECT_EQ(ThreadsForRows(8, 3), 3u);
  EXPECT_EQ(ThreadsForRows(4, 0), 1u);
  EXPECT_EQ(ThreadsForRows(0, 10'000), 1u);  // auto is by size either way
  ExactThreadsForTesting().store(was);
}

}  // namespace
}  // namespace salesight::internal
