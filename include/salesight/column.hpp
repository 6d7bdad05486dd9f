// Column<T>: one contiguous, immutable array of a table field, either borrowed
// from the caller (zero-copy; the caller keeps the memory alive for the table's
// lifetime) or owned (shared, so copying a table never copies its data).
//
// An owned column may hold any std::vector<T, Allocator> - e.g. a
// LargeVector / UninitLargeVector (salesight/large_array.hpp) for the
// converted columns of large tables - behind one type-erased owner.
//
// A column may also carry the exact minimum and maximum of its values when
// whoever made it computed them anyway (a conversion pass): the table checks
// then use them instead of reading the column again.
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

#include "absl/types/span.h"

namespace salesight {

template <typename T>
class Column {
 public:
  // The exact min and max over every value of the column (not a bound).
  struct Range {
    T min;
    T max;
  };

  Column() = default;

  // Owned: takes the vector; the column keeps it alive.
  static Column Own(std::vector<T> values) { return OwnVector(std::move(values)); }
  // Owned, any allocator (a braced list picks the overload above).
  template <typename Allocator>
  static Column Own(std::vector<T, Allocator> values) {
    return OwnVector(std::move(values));
  }
  // Owned, with its exact range. The caller guarantees that min and max ARE
  // the smallest and largest value of `values` (computed from them, e.g. in
  // the pass that wrote them); an empty vector takes no range. A wrong range
  // would let an invalid column into a table: only code that computed it
  // from the very values passes one.
  template <typename Allocator>
  static Column OwnWithRange(std::vector<T, Allocator> values, T min, T max) {
    Column c = OwnVector(std::move(values));
    if (!c.view_.empty()) c.range_ = Range{min, max};
    return c;
  }
  // A view kept alive by `owner` (a buffer that grows past the view, as a
  // dataset's appended order lines do): the caller guarantees that `values`
  // lie in memory `owner` keeps and that they never change while it lives.
  static Column View(std::shared_ptr<const void> owner, absl::Span<const T> values) {
    Column c;
    c.view_ = values;
    c.owner_ = std::move(owner);
    return c;
  }
  // Borrowed: the caller guarantees `values` outlives every table using it.
  static Column Borrow(absl::Span<const T> values) {
    Column c;
    c.view_ = values;
    return c;
  }

  absl::Span<const T> span() const { return view_; }
  const T* data() const { return view_.data(); }
  std::size_t size() const { return view_.size(); }
  bool empty() const { return view_.empty(); }
  const T& operator[](std::size_t i) const { return view_[i]; }
  auto begin() const { return view_.begin(); }
  auto end() const { return view_.end(); }
  bool is_borrowed() const { return owner_ == nullptr && !view_.empty(); }
  // The exact value range when known (see OwnWithRange), else nullopt.
  const std::optional<Range>& known_range() const { return range_; }

 private:
  template <typename Allocator>
  static Column OwnVector(std::vector<T, Allocator> values) {
    auto owned = std::make_shared<const std::vector<T, Allocator>>(std::move(values));
    Column c;
    c.view_ = absl::MakeConstSpan(owned->data(), owned->size());
    c.owner_ = std::move(owned);
    return c;
  }

  std::shared_ptr<const void> owner_;  // keeps an owned vector alive; null when borrowed
  absl::Span<const T> view_;
  std::optional<Range> range_;
};

}  // namespace salesight
