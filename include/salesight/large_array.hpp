// Memory for large columns and per-id arrays.
//
// Blocks of 2 MiB or more are mapped directly, 2 MiB aligned and rounded up
// to whole 2 MiB pages, with transparent huge pages requested (MADV_HUGEPAGE;
// Linux only; elsewhere and for smaller blocks operator new). Two reasons:
// * random access (the RFM per-customer state): with 4 KiB pages nearly every
//   access is also a TLB miss - measured 3-4x slower scans;
// * fresh buffers (converted table columns): glibc maps and unmaps a 40 MB
//   block on every call, and first-touching it costs one page fault per
//   4 KiB - on the test VM that was most of a 10^7-row conversion (20 ms of
//   page faults for 40 MB, 5 ms with huge pages). The threshold was 4 MiB;
//   at 2 MiB the 4 MB columns of a 10^6-row table get huge pages too
//   (glibc's heap returned two of them to the kernel on every build: 5.2 ->
//   1.6 ms for the two conversions of a 10^6-row ORDERS table).
// Without THP (or with THP "never") the mapping simply has small pages.
#pragma once

#include <cstddef>
#include <new>
#include <utility>
#include <vector>

namespace salesight {

// `bytes` of uninitialized memory, aligned for any type (blocks >= 2 MiB:
// 2 MiB aligned). Throws std::bad_alloc. Free with the same size.
void* AllocateLargeArray(std::size_t bytes);
void FreeLargeArray(void* p, std::size_t bytes) noexcept;

// A std allocator over AllocateLargeArray. Elements are value-initialized as
// with std::allocator (vector(n) / resize(n) zero integers).
template <typename T>
struct LargeArrayAllocator {
  using value_type = T;
  LargeArrayAllocator() = default;
  template <typename U>
  LargeArrayAllocator(const LargeArrayAllocator<U>&) noexcept {}
  T* allocate(std::size_t n) { return static_cast<T*>(AllocateLargeArray(n * sizeof(T))); }
  void deallocate(T* p, std::size_t n) noexcept { FreeLargeArray(p, n * sizeof(T)); }
  template <typename U>
  bool operator==(const LargeArrayAllocator<U>&) const noexcept {
    return true;
  }
};

// The same memory, but vector(n) / resize(n) DEFAULT-initialize: integers and
// other trivial types are left unwritten. For buffers that the caller fills
// completely right away (a converted column): the zeroing pass would be one
// more write over the whole block for nothing.
template <typename T>
struct UninitLargeArrayAllocator {
  using value_type = T;
  UninitLargeArrayAllocator() = default;
  template <typename U>
  UninitLargeArrayAllocator(const UninitLargeArrayAllocator<U>&) noexcept {}
  T* allocate(std::size_t n) { return static_cast<T*>(AllocateLargeArray(n * sizeof(T))); }
  void deallocate(T* p, std::size_t n) noexcept { FreeLargeArray(p, n * sizeof(T)); }
  template <typename U>
  void construct(U* p) noexcept(noexcept(::new (static_cast<void*>(p)) U)) {
    ::new (static_cast<void*>(p)) U;
  }
  template <typename U, typename... Args>
  void construct(U* p, Args&&... args) {
    ::new (static_cast<void*>(p)) U(std::forward<Args>(args)...);
  }
  template <typename U>
  bool operator==(const UninitLargeArrayAllocator<U>&) const noexcept {
    return true;
  }
};

template <typename T>
using LargeVector = std::vector<T, LargeArrayAllocator<T>>;
template <typename T>
using UninitLargeVector = std::vector<T, UninitLargeArrayAllocator<T>>;

}  // namespace salesight
