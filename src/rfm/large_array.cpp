// RFM's view of the machine's memory: the last-level cache size that bounds
// ComputeRfm's partition count, the L2 size that sizes the partitioned
// scan's customer blocks. (The huge-page allocator that used to live
// here is now salesight/large_array.hpp + src/core/large_array.cpp.)
#include <cstddef>
#include <cstdint>
#include <fstream>
#include <string>

#include <unistd.h>

#include "internal/line_scan.hpp"
#include "internal/rfm.hpp"
#include "salesight/rfm.hpp"

namespace salesight {
namespace rfm_internal {

namespace {

// cpu0's cache at sysfs `index` (".../cache/index3"): its size in bytes, 0
// if unknown.
std::size_t SysfsCacheBytes(const char* index) {
  std::ifstream in(std::string("/sys/devices/system/cpu/cpu0/cache/") + index + "/size");
  std::size_t value = 0;
  char unit = 0;
  if (!(in >> value) || value == 0) return 0;
  in >> unit;
  return unit == 'K' ? value << 10 : unit == 'M' ? value << 20 : value;
}

// The level of the cache at sysfs `index`, 0 if unknown.
int SysfsCacheLevel(const char* index) {
  std::ifstream in(std::string("/sys/devices/system/cpu/cpu0/cache/") + index + "/level");
  int level = 0;
  return in >> level ? level : 0;
}

}  // namespace

std::size_t LastLevelCacheBytes() {
  static const std::size_t bytes = [] {
    for (const char* index : {"index3", "index2"}) {
      if (const std::size_t b = SysfsCacheBytes(index); b > 0) return b;
    }
#if defined(_SC_LEVEL3_CACHE_SIZE)
    const long l3 = sysconf(_SC_LEVEL3_CACHE_SIZE);
    if (l3 > 0) return static_cast<std::size_t>(l3);
#endif
    return std::size_t{32} << 20;
  }();
  return bytes;
}

std::size_t L2CacheBytes() {
  static const std::size_t bytes = [] {
    // index0/1 are L1 data and instruction on Linux; the first level-2 entry
    // is the unified L2.
    for (const char* index : {"index2", "index1", "index3"}) {
      if (SysfsCacheLevel(index) != 2) continue;
      if (const std::size_t b = SysfsCacheBytes(index); b > 0) return b;
    }
#if defined(_SC_LEVEL2_CACHE_SIZE)
    const long l2 = sysconf(_SC_LEVEL2_CACHE_SIZE);
    if (l2 > 0) return static_cast<std::size_t>(l2);
#endif
    return std::size_t{512} << 10;
  }();
  return bytes;
}

}  // namespace rfm_internal
}  // namespace salesight
