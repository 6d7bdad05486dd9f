// Column<T>: one contiguous, immutable array of a table field, either borrowed
// from the caller (zero-copy; the caller keeps the memory alive for the table's
// lifetime) or owned (shared, so copying a table never copies its data).
#pragma once

#include <cstddef>
#include <memory>
#include <utility>
#include <vector>

#include "absl/types/span.h"

namespace salesight {

template <typename T>
class Column {
 public:
  Column() = default;

  // Owned: takes the vector; the column keeps it alive.
  static Column Own(std::vector<T> values) {
    Column c;
    c.owner_ = std::make_shared<const std::vector<T>>(std::move(values));
    c.view_ = absl::MakeConstSpan(*c.owner_);
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

 private:
  std::shared_ptr<const std::vector<T>> owner_;
  absl::Span<const T> view_;
};

}  // namespace salesight
