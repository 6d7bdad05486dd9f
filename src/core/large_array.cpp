// AllocateLargeArray's memory: direct, 2 MiB aligned mappings with
// transparent huge pages requested (see large_array.hpp).
#include "salesight/large_array.hpp"

#include <cstddef>
#include <cstdint>
#include <new>

#if defined(__linux__)
#include <sys/mman.h>
#endif

namespace salesight {
namespace {

constexpr std::size_t kDirect = std::size_t{2} << 20;  // smaller blocks: operator new
constexpr std::size_t kHuge = std::size_t{2} << 20;

std::size_t RoundUp(std::size_t x, std::size_t to) { return (x + to - 1) / to * to; }

}  // namespace

void* AllocateLargeArray(std::size_t bytes) {
#if defined(__linux__) && defined(MADV_HUGEPAGE)
  if (bytes >= kDirect) {
    if (bytes > SIZE_MAX - 2 * kHuge) throw std::bad_alloc();
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

}  // namespace salesight
