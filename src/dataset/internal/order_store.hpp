// The growing order-line columns of a dataset that takes appended lines
// (Dataset::AppendOrders), and the dictionaries it may extend.
#pragma once

#include <algorithm>
#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/types/span.h"
#include "salesight/column.hpp"
#include "salesight/date.hpp"
#include "salesight/dictionary.hpp"
#include "salesight/money.hpp"

namespace salesight::dataset_internal {

// One column that grows in place: a buffer with room behind its values whose
// prefixes are handed out as Column views (each view keeps its buffer alive).
// A view's values never change: new values are written only behind the
// buffer's last value, and only for the view that ends there; any other view
// (a dataset copy that did not append) gets a buffer of its own.
template <typename T>
class GrowingColumn {
 public:
  // Room for `extra` values behind `current`'s; returns where they go. The
  // values of `current` are copied only when it does not end this buffer or
  // the buffer is full (then the new one has half as much room again).
  T* Extend(const Column<T>& current, std::size_t extra) {
    const std::size_t n = current.size();
    const bool ends_here =
        buf_ != nullptr && buf_->size() == n && (n == 0 || buf_->data() == current.data());
    if (!ends_here || buf_->capacity() < n + extra) {
      auto grown = std::make_shared<std::vector<T>>();
      grown->reserve(std::max(n + extra, n + n / 2));
      grown->assign(current.begin(), current.end());
      buf_ = std::move(grown);
    }
    buf_->resize(n + extra);
    return buf_->data() + n;
  }
  // The buffer's values as a column (after Extend wrote the new ones).
  Column<T> View() const {
    return Column<T>::View(buf_, absl::MakeConstSpan(buf_->data(), buf_->size()));
  }

 private:
  std::shared_ptr<std::vector<T>> buf_;
};

// A dictionary the dataset extends in place: its own copy of one it was
// given, made at the first new code (the given one may be shared with the
// caller's tables), and whether all its codes are integers (dictionary.hpp's
// canonical order), kept so that an append need not read every code.
struct OwnedDictionary {
  std::shared_ptr<Dictionary> dictionary;
  bool integers = false;
};

struct OrderStore {
  std::mutex mu;  // copies of a dataset share the store; their appends take turns
  GrowingColumn<std::int64_t> order_id;
  GrowingColumn<std::int32_t> line, quantity;
  GrowingColumn<Day> order_date;
  GrowingColumn<Id> customer, product, region, salesperson, channel, department;
  GrowingColumn<Money> amount, cost, unit_cost;
  absl::flat_hash_map<std::string, GrowingColumn<Id>> attributes;
  absl::flat_hash_map<const Dictionary*, OwnedDictionary> dictionaries;  // by the owned copy
};

}  // namespace salesight::dataset_internal
