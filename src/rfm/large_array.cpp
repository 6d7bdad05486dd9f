// RFM's view of the machine's memory: the last-level cache size that bounds
// ComputeRfm's partition count. (The huge-page allocator that used to live
// here is now salesight/large_array.hpp + src/core/large_array.cpp.)
#include <cstddef>
#include <cstdint>
#include <fstream>
#include <string>

#include <unistd.h>

#include "internal/rfm.hpp"
#include "salesight/rfm.hpp"

namespace salesight {
namespace rfm_internal {

std::size_t LastLevelCacheBytes() {
  static const std::size_t bytes = [] {
    for (const char* index : {"index3", "index2"}) {
      std::ifstream in(std::string("/sys/devices/system/cpu/cpu0/cache/") + index + "/size");
      std::size_t value = 0;
      char unit = 0;
      if (in >> value && value > 0) {
        in >> unit;
        return unit == 'K' ? value << 10 : unit == 'M' ? value << 20 : value;
      }
    }
#if defined(_SC_LEVEL3_CACHE_SIZE)
    const long l3 = sysconf(_SC_LEVEL3_CACHE_SIZE);
    if (l3 > 0) return static_cast<std::size_t>(l3);
#endif
    return std::size_t{32} << 20;
  }();
  return bytes;
}

}  // namespace rfm_internal
}  // namespace salesight
