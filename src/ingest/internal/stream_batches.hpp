// The batch cut of a streamed read (salesight/csv_stream.hpp), shared by the
// table loaders that stream (orders, pipeline): while the one loader runs,
// after every `bytes` of input the rows read so far leave the columns, except
// those an open document's total still needs (Loader::FirstNeededRow).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "canonical_ids.hpp"
#include "absl/types/span.h"
#include "field_parsers.hpp"
#include "loader.hpp"
#include "salesight/column.hpp"

namespace salesight::ingest {

// The values of a column being read, given up as a one-pass read ends.
template <typename T>
Column<T> TakeAll(std::vector<T>& v, bool bound) {
  if (!bound) return Column<T>();
  TrimSlack(v);
  return Column<T>::Own(std::move(v));
}

// A streamed read's receiver (salesight/csv_stream.hpp): after every `bytes`
// of input the rows read so far (but those an open document's total still
// needs) go to `emit`, borrowed (valid during the call only), and leave the
// columns, which then reserve nothing for the whole file.
template <typename Batch>
struct BatchSink {
  std::int64_t bytes = 0;
  std::function<absl::Status(Batch)> emit;
  // Set when a batch held key numbers (order / opportunity numbers): if the
  // keys turn out to be codes later, those numbers were never interned.
  bool emitted_numeric_keys = false;
};

// The options both passes of a streamed read use: no attribute columns
// (per-file dictionaries that batches could not share), one thread (one pass
// in order).
IngestOptions StreamOptions(const IngestOptions& options);
// chunk_bytes >= 1, else an error naming the table.
absl::Status CheckChunk(std::string_view table, std::int64_t chunk_bytes);
// After the second pass: the same lines, rejects and codes as the first.
absl::Status CheckSecondPass(const std::string& path, const SlotSizes& before,
                             const Dictionaries& dicts, const RejectReport& again,
                             const RejectReport& first);

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
  // The first `rows` values of a column, borrowed (no copy of a batch: the
  // batch lives only while the sink has it, and nothing is read meanwhile);
  // Taken() then erases them, keeping the vector's capacity for the next.
  template <typename T>
  Column<T> Lend(std::vector<T>& v, bool bound, std::size_t rows) {
    if (!bound) return Column<T>();
    erase_.push_back([&v, rows] { v.erase(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(rows)); });
    return Column<T>::Borrow(absl::MakeConstSpan(v.data(), rows));
  }
  // The batch of `rows` rows is done with.
  void Taken(std::size_t rows) {
    for (const auto& erase : erase_) erase();
    erase_.clear();
    loader_.DropRows(static_cast<std::int64_t>(rows));
    dropped_ += static_cast<std::int64_t>(rows);
  }

 private:
  Loader& loader_;
  std::int64_t bytes_, next_;
  std::int64_t dropped_ = 0;
  std::vector<std::function<void()>> erase_;
};

}  // namespace salesight::ingest
