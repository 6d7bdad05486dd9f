// The unit tests cover every threaded path on small inputs (2-8 threads over
// a few hundred lines), which the library's own rule - at most one thread per
// 2^18 lines (core/internal/parallel.hpp ThreadsForRows) - would run on one
// thread. This binary, and only it, takes explicit counts exactly; the rule
// itself is tested in parallel_test.cpp with the switch off.
#include "core/internal/parallel.hpp"

#include "gtest/gtest.h"

namespace salesight::internal {
namespace {

const bool kExactThreads = [] {
  ExactThreadsForTesting().store(true);
  return true;
}();

TEST(ExactThreadsTest, TheSwitchIsOnInThisBinary) {
  ASSERT_TRUE(kExactThreads);
  EXPECT_TRUE(ExactThreadsForTesting().load());
}

}  // namespace
}  // namespace salesight::internal
