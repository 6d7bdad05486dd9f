// The batch cut of a streamed read (salesight/csv_stream.hpp), shared by the
// table loaders that stream (orders, pipeline): while the one loader runs,
// after every `bytes` of input the rows read so far leave the columns, except
// those an open document's total still needs (Loader::FirstNeededRow).
#pragma once

#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

#include "field_parsers.hpp"
#include "loader.hpp"
#include "salesight/column.hpp"

namespace salesight::ingest {

inline constexpr std::size_t kAllRows = static_cast<std::size_t>(-1);

// The first `rows` values of a column being read (kAllRows: all, the vector
// given up, as a one-pass read ends); a streamed read copies them out and
// keeps the vector's capacity for the next batch.
template <typename T>
Column<T> TakeRows(std::vector<T>& v, bool bound, std::size_t rows = kAllRows) {
  if (!bound) return Column<T>();
  if (rows == kAllRows) {
    TrimSlack(v);
    return Column<T>::Own(std::move(v));
  }
  const auto end = v.begin() + static_cast<std::ptrdiff_t>(rows);
  std::vector<T> front(v.begin(), end);
  v.erase(v.begin(), end);
  return Column<T>::Own(std::move(front));
}

class BatchCut {
 public:
  BatchCut(Loader& loader, std::int64_t bytes)
      : loader_(loader), bytes_(bytes), next_(loader.position() + bytes) {}
  // At the start of a row (the columns then hold rows [dropped, accepted)):
  // how many rows to hand on now, 0 = none. `at_end`: after the last row.
  std::size_t Due(bool at_end = false) {
    if (!at_end && loader_.position() < next_) return 0;
    next_ = loader_.position() + bytes_;
    return static_cast<std::size_t>(loader_.FirstNeededRow() - dropped_);
  }
  // The first `rows` rows were taken out of the columns.
  void Taken(std::size_t rows) {
    loader_.DropRows(static_cast<std::int64_t>(rows));
    dropped_ += static_cast<std::int64_t>(rows);
  }

 private:
  Loader& loader_;
  std::int64_t bytes_, next_;
  std::int64_t dropped_ = 0;
};

}  // namespace salesight::ingest
