// LargeArrayAllocator's memory: direct, 2 MiB aligned mappings with
// transparent huge pages requested (see rfm.hpp).
#include <cstddef>
#include <cstdint>
#include <fstream>
#include <new>
#include <string>

#include <unistd.h>

#include "rfm/internal.hpp"
#include "salesight/rfm.hpp"

#if defined(__linux__)
#include <sys/mman.h>
#endif

namespace salesight {
namespace {

constexpr std::size_t kDirect = std::size_t{4} << 20;  // smaller blocks: operator new
constexpr std::size_t kHuge = std::size_t{2} << 20;

std::size_t RoundUp(std::size_t x, std::size_t to) { return (x + to - 1) / to * to; }

}  // namespace

void* AllocateLargeArray(std::size_t bytes) {
#if defined(__linux__) && defined(MADV_HUGEPAGE)
  if (bytes >= kDirect) {
    const std::size_t size = RoundUp(bytes, kHuge);
    // Map 2 MiB more, then cut the unaligned head and the tail away.
    void* raw = mmap(nullptr, size + kHuge, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (raw == MAP_FAILED) throw std::bad_alloc();
    const auto begin = reinterpret_cast<std::uintptr_t>(raw);
    const std::uintptr_t aligned = RoundUp(begin, kHuge);
    if (aligned > begin) munmap(raw, aligned - begin);
    const std::uintptr_t end = begin + size + kHuge;
    if (end > aligned + size) munmap(reinterpret_cast<void*>(aligned + size), end - aligned - size);
    void* p = reinterpret_cast<void*>(aligned);
    madvise(p, size, MADV_HUGEPAGE);  // advisory: without THP these are small pages
    return p;
  }
#endif
  return ::operator new(bytes);
}

void FreeLargeArray(void* p, std::size_t bytes) noexcept {
  if (p == nullptr) return;
#if defined(__linux__) && defined(MADV_HUGEPAGE)
  if (bytes >= kDirect) {
    munmap(p, RoundUp(bytes, kHuge));
    return;
  }
#endif
  ::operator delete(p);
}

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
