// Row indexes over a dataset's order lines, reused by every query on that
// dataset (issue 14 item 5): a filter that selects few lines visits only
// them instead of scanning every line.
//
// Owned by the Dataset (Dataset::order_indexes(); copies of a Dataset share
// them, like its tables), built on demand - the first query that can use an
// index pays one pass over the lines - and safe to use from many threads
// (building is serialized; a built index is immutable and shared).
//   - Member postings of a dimension: per member code (kNoId included), the
//     ascending row ids (uint32) of its lines; one pass (a counting sort).
//   - Date order: per day of order_date, its lines. When the lines are
//     already in date order (exports and appends usually are) a day's lines
//     are one row range and only the per-day offsets are kept; otherwise a
//     permutation of the row ids sorted by day (uint32, rows ascending
//     within a day).
// Memory is capped at kIndexBytesPerLine bytes per line (kIndexMinCapBytes
// for small tables) over all indexes together: an index that would pass the cap is not built (its filter runs
// as a scan, with the same result). Bytes() reports what is held.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "salesight/dimension.hpp"
#include "salesight/tables.hpp"

namespace salesight {

// The cap: this many bytes per line, and at least kIndexMinCapBytes (a small
// table's per-key offsets alone may pass 8 bytes per line).
inline constexpr std::int64_t kIndexBytesPerLine = 8;
inline constexpr std::int64_t kIndexMinCapBytes = 64 * 1024;

// Lines grouped by a key: the lines of key k are rows[begin[k] .. begin[k + 1])
// (or, with rows empty, the row range itself: the lines are in key order).
struct RowPostings {
  std::vector<std::uint32_t> begin;  // rows are uint32 ids, so their offsets fit too
  std::vector<std::uint32_t> rows;
  std::int64_t Bytes() const {
    return static_cast<std::int64_t>(begin.capacity() * sizeof(std::uint32_t) +
                                     rows.capacity() * sizeof(std::uint32_t));
  }
};

class OrderIndexes {
 public:
  explicit OrderIndexes(std::shared_ptr<const OrderLines> orders) : orders_(std::move(orders)) {}
  OrderIndexes(const OrderIndexes&) = delete;
  OrderIndexes& operator=(const OrderIndexes&) = delete;

  // The postings of `column` (a dimension of the order lines as
  // Dataset::Dimension resolves it): key code + 1 (key 0 = kNoId). Null when
  // the cap leaves no room or there are more lines than uint32 ids.
  std::shared_ptr<const RowPostings> Members(const DimensionColumn& column) const;
  // Key day - orders.min_date(). Null as Members.
  std::shared_ptr<const RowPostings> Dates() const;

  // Bytes held by the indexes built so far, and the cap.
  std::int64_t Bytes() const;
  std::int64_t CapBytes() const;

 private:
  bool Fits(std::int64_t bytes) const;  // with mu_ held

  std::shared_ptr<const OrderLines> orders_;
  mutable std::mutex mu_;
  mutable std::vector<std::pair<std::string, std::shared_ptr<const RowPostings>>> members_;
  mutable std::shared_ptr<const RowPostings> dates_;
  mutable bool dates_tried_ = false;
  mutable std::int64_t bytes_ = 0;
};

}  // namespace salesight
