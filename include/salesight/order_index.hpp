// Row indexes over a dataset's order lines, reused by every query on that
// dataset (issue 14 item 5): a filter that selects few lines visits only
// them instead of scanning every line.
//
// Owned by the Dataset (Dataset::order_indexes(); copies of a Dataset share
// them, like its tables), built on demand - the first query that can use an
// index pays one pass over the lines - and safe to use from many threads
// (building is serialized; a built index is immutable and shared).
//   - Member postings of a dimension: per member code (kNoId included), the
//     ascending row ids of its lines; two passes (a counting sort). With few
//     members over many lines they are blocked: the lines split in blocks of
//     2^16 rows, each row kept as its 16 low bits under its (member, block)
//     - 2 bytes per line + 4 per (member, block), so that the cap holds
//     several dimensions' postings; else uint32 row ids (4 bytes per line).
//   - Date order: per day of order_date, its lines. When the lines are
//     already in date order (exports and appends usually are) a day's lines
//     are one row range and only the per-day offsets are kept; otherwise a
//     permutation of the row ids sorted by day (uint32, rows ascending
//     within a day).
// Memory is capped at kIndexBytesPerLine bytes per line (kIndexMinCapBytes
// for small tables) over all indexes together: an index that would pass the cap is not built (its filter runs
// as a scan, with the same result). Bytes() reports what is held.
//
// Appended lines (Dataset::AppendOrders) extend the built indexes instead of
// rebuilding them (Extend): postings keep their rows and get a second level
// (`prior` = the postings built before, the head = the postings of the lines
// appended since), rebuilt per append over those lines only - O(appended +
// keys). When the appended lines pass an eighth of the older ones, the index
// is dropped and built again, over every line, by the next query that needs
// it (so the cost per appended line stays O(1) amortised). Per-day row
// ranges extend in place while the appended lines keep the date order;
// otherwise they become a permutation at the next query that needs one.
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
// (or, with rows empty, the row range itself: the lines are in key order),
// and with `prior` set also those of key k in prior (older lines, rows of
// their own; a key past prior's keys has none there). Readers visit every
// level; each level's rows ascend within a key, and every row of prior is
// below every row of the head.
//
// Blocked form (`blocks` > 0; begin and rows empty): with B = 2^block_bits,
// the lines of key k in row block b (rows b * B .. b * B + B - 1) are
// b * B + low[i] for i in [block_begin[k * blocks + b],
// block_begin[k * blocks + b + 1]), ascending.
inline constexpr int kPostingsBlockBits = 16;

struct RowPostings {
  std::vector<std::uint32_t> begin;  // rows are uint32 ids, so their offsets fit too
  std::vector<std::uint32_t> rows;
  std::vector<std::uint16_t> low;          // blocked form
  std::vector<std::uint32_t> block_begin;  // blocked form: keys x blocks + 1
  std::uint32_t blocks = 0;
  int block_bits = kPostingsBlockBits;  // blocked form: at most 16 (low is uint16)
  std::shared_ptr<const RowPostings> prior;

  bool blocked() const { return blocks != 0; }
  std::size_t keys() const {
    return blocked() ? (block_begin.size() - 1) / blocks : begin.size() - 1;
  }
  // Lines of this level.
  std::size_t lines() const {
    if (blocked()) return low.size();
    return rows.empty() ? (begin.empty() ? 0 : begin.back()) : rows.size();
  }
  // Bytes of this level and the levels below it.
  std::int64_t Bytes() const {
    return static_cast<std::int64_t>(begin.capacity() * sizeof(std::uint32_t) +
                                     rows.capacity() * sizeof(std::uint32_t) +
                                     low.capacity() * sizeof(std::uint16_t) +
                                     block_begin.capacity() * sizeof(std::uint32_t)) +
           (prior != nullptr ? prior->Bytes() : 0);
  }
};

// Tests only: the member postings' form (kBySize: blocked when that is
// smaller; the others force one; results never depend on it), and the
// blocks' size (2^block_bits rows, 1..16) so small tables span many blocks.
enum class PostingsForm { kBySize, kRows, kBlocked };
void SetPostingsFormForTesting(PostingsForm form, int block_bits = kPostingsBlockBits);
// The same for a scope (back to kBySize and 2^16 rows at its end).
struct ScopedPostingsFormForTesting {
  explicit ScopedPostingsFormForTesting(PostingsForm form, int block_bits = kPostingsBlockBits) {
    SetPostingsFormForTesting(form, block_bits);
  }
  ~ScopedPostingsFormForTesting() { SetPostingsFormForTesting(PostingsForm::kBySize); }
  ScopedPostingsFormForTesting(const ScopedPostingsFormForTesting&) = delete;
  ScopedPostingsFormForTesting& operator=(const ScopedPostingsFormForTesting&) = delete;
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

  // The indexes of `grown`: these order lines with lines appended after
  // them (the rows of this index keep their ids), the built indexes extended
  // as the file comment says. `dimension(name)` resolves a member index's
  // column in `grown`. A new object: this one is unchanged (dataset copies
  // made before the append keep reading it).
  template <typename DimensionOf>
  std::shared_ptr<OrderIndexes> Extend(std::shared_ptr<const OrderLines> grown,
                                       DimensionOf dimension) const;

 private:
  bool Fits(std::int64_t bytes) const;  // with mu_ held
  // Extend's parts (declared for Extend, defined in order_index.cpp).
  std::shared_ptr<const RowPostings> ExtendedDates(const OrderLines& grown) const;
  static std::shared_ptr<const RowPostings> ExtendedMembers(
      const std::shared_ptr<const RowPostings>& built, const DimensionColumn& column,
      std::size_t lines);

  std::shared_ptr<const OrderLines> orders_;
  mutable std::mutex mu_;
  mutable std::vector<std::pair<std::string, std::shared_ptr<const RowPostings>>> members_;
  mutable std::shared_ptr<const RowPostings> dates_;
  mutable bool dates_tried_ = false;
  mutable std::int64_t bytes_ = 0;
};

template <typename DimensionOf>
std::shared_ptr<OrderIndexes> OrderIndexes::Extend(std::shared_ptr<const OrderLines> grown,
                                                   DimensionOf dimension) const {
  auto out = std::make_shared<OrderIndexes>(grown);
  std::lock_guard<std::mutex> lock(mu_);
  const std::int64_t cap = out->CapBytes();
  auto keep = [&](std::shared_ptr<const RowPostings> p) -> std::shared_ptr<const RowPostings> {
    if (p == nullptr || out->bytes_ + p->Bytes() > cap) return nullptr;
    out->bytes_ += p->Bytes();
    return p;
  };
  if (dates_ != nullptr) {
    out->dates_ = keep(ExtendedDates(*grown));
    out->dates_tried_ = out->dates_ != nullptr;
  }
  // Postings over the cap (null) are weighed again: the cap grew with the lines.
  for (const auto& [name, postings] : members_) {
    if (postings == nullptr) continue;
    auto column = dimension(name);
    if (!column.ok()) continue;
    std::shared_ptr<const RowPostings> p = keep(ExtendedMembers(postings, *column, grown->size()));
    if (p != nullptr) out->members_.emplace_back(name, std::move(p));
  }
  return out;
}

}  // namespace salesight
