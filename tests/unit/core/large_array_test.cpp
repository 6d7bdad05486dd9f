// AllocateLargeArray / the allocators of salesight/large_array.hpp, and
// Column<T> owning vectors of any allocator.
#include "salesight/large_array.hpp"

#include <cstddef>
#include <cstdint>
#include <numeric>
#include <utility>
#include <vector>

#include "gtest/gtest.h"
#include "salesight/column.hpp"

namespace salesight {
namespace {

constexpr std::size_t kMiB = std::size_t{1} << 20;

TEST(LargeArrayTest, BlocksAreUsableAndLargeOnesAligned) {
  // Below, at and above the direct-mapping threshold, odd sizes included.
  for (std::size_t bytes : {std::size_t{1}, std::size_t{4096}, kMiB, 2 * kMiB - 8, 2 * kMiB,
                            3 * kMiB + 12, 9 * kMiB}) {
    auto* p = static_cast<unsigned char*>(AllocateLargeArray(bytes));
    ASSERT_NE(p, nullptr);
    EXPECT_EQ(reinterpret_cast<std::uintptr_t>(p) % alignof(std::max_align_t), 0u) << bytes;
    if (bytes >= 2 * kMiB) {
      EXPECT_EQ(reinterpret_cast<std::uintptr_t>(p) % (2 * kMiB), 0u) << bytes;
    }
    // Every byte is writable and keeps its value.
    for (std::size_t i = 0; i < bytes; ++i) p[i] = static_cast<unsigned char>(i * 7);
    std::size_t wrong = 0;
    for (std::size_t i = 0; i < bytes; ++i) wrong += p[i] != static_cast<unsigned char>(i * 7);
    EXPECT_EQ(wrong, 0u) << bytes;
    FreeLargeArray(p, bytes);
  }
  FreeLargeArray(nullptr, 123);  // a no-op
}

TEST(LargeArrayTest, LargeVectorValueInitializes) {
  // 3 MiB of int32: directly mapped; zeroed as std::vector promises.
  LargeVector<std::int32_t> v(3 * kMiB / 4);
  EXPECT_EQ(std::accumulate(v.begin(), v.end(), std::int64_t{0}), 0);
  v.assign(10, 5);
  EXPECT_EQ(std::accumulate(v.begin(), v.end(), std::int64_t{0}), 50);
}

TEST(LargeArrayTest, UninitLargeVectorHoldsWhatIsWritten) {
  for (std::size_t n : {std::size_t{0}, std::size_t{3}, std::size_t{1} << 20}) {
    UninitLargeVector<std::int64_t> v(n);
    ASSERT_EQ(v.size(), n);
    for (std::size_t i = 0; i < n; ++i) v[i] = static_cast<std::int64_t>(i) - 5;
    std::int64_t sum = 0;
    for (std::int64_t x : v) sum += x;
    // sum of (i - 5) for i < n = n(n-1)/2 - 5n.
    const auto sn = static_cast<std::int64_t>(n);
    EXPECT_EQ(sum, sn * (sn - 1) / 2 - 5 * sn);
    v.push_back(42);  // grows like any vector
    EXPECT_EQ(v.back(), 42);
    // Explicit values are still constructed.
    UninitLargeVector<std::int32_t> filled(n, 9);
    EXPECT_EQ(std::accumulate(filled.begin(), filled.end(), std::int64_t{0}), 9 * sn);
  }
}

TEST(ColumnOwnershipTest, OwnsVectorsOfAnyAllocator) {
  std::vector<std::int32_t> plain = {1, 2, 3};
  const Column<std::int32_t> a = Column<std::int32_t>::Own(std::move(plain));
  const Column<std::int32_t> b = Column<std::int32_t>::Own({4, 5});  // braced list
  UninitLargeVector<std::int32_t> big(std::size_t{1} << 20);
  for (std::size_t i = 0; i < big.size(); ++i) big[i] = static_cast<std::int32_t>(i);
  const std::int32_t* data = big.data();
  Column<std::int32_t> c = Column<std::int32_t>::Own(std::move(big));
  EXPECT_EQ(c.data(), data);  // moved, not copied
  // Copies share the data and keep it alive after the original is gone.
  Column<std::int32_t> copy = c;
  c = Column<std::int32_t>();
  EXPECT_EQ(copy.data(), data);
  EXPECT_EQ(copy[(std::size_t{1} << 20) - 1], (1 << 20) - 1);
  EXPECT_FALSE(copy.is_borrowed());
  EXPECT_EQ(a.size(), 3u);
  EXPECT_EQ(a[2], 3);
  EXPECT_EQ(b[1], 5);
  EXPECT_FALSE(a.is_borrowed());
  EXPECT_FALSE(a.known_range().has_value());
}

TEST(ColumnOwnershipTest, RangeTravelsWithCopiesAndNotWithBorrows) {
  const Column<std::int64_t> r =
      Column<std::int64_t>::OwnWithRange(LargeVector<std::int64_t>{7, -2, 3}, -2, 7);
  const Column<std::int64_t> copy = r;
  ASSERT_TRUE(copy.known_range().has_value());
  EXPECT_EQ(copy.known_range()->min, -2);
  EXPECT_EQ(copy.known_range()->max, 7);
  const Column<std::int64_t> borrowed = Column<std::int64_t>::Borrow(r.span());
  EXPECT_FALSE(borrowed.known_range().has_value());
  EXPECT_TRUE(borrowed.is_borrowed());
  // An empty vector takes no range.
  const Column<std::int64_t> empty =
      Column<std::int64_t>::OwnWithRange(std::vector<std::int64_t>{}, 1, 0);
  EXPECT_FALSE(empty.known_range().has_value());
}

}  // namespace
}  // namespace salesight
