// Workload (d)'s row pass (aging + rate-only collection from the invoices'
// paid / paid_date columns, at most kFastCutoffs cut-offs, no overdue list):
// one range of rows scanned without data-dependent branches, its open
// invoices radix-partitioned by group block. Shared by the partial-state
// kernel (kernel.cpp: RunArFast) and the threaded workload (ar_workload.cpp),
// which compact the blocks differently.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "receivables.hpp"  // the sibling internal header

namespace salesight::receivables_internal {

constexpr std::size_t kFastCutoffs = 4;

// An open invoice's (group slot, bucket, outstanding).
struct OpenEntry {
  Id group;
  std::uint32_t bucket;
  Money amount;
};

// Open entries are appended to the block of their group (group >>
// kBlockBits: 4096 groups per block); compaction then sums each block in a
// dense, cache-resident array and emits its groups in ascending order.
// Measured at 10^7 invoices (~10^6 customers) this is several times faster
// than adding into a per-customer array directly: those adds are random DRAM
// accesses, these are short sequential streams. Blocks stay below malloc's
// mmap threshold, so repeated calls reuse heap memory instead of faulting in
// fresh pages.
constexpr int kBlockBits = 12;
constexpr std::size_t kBlockSlots = std::size_t{1} << kBlockBits;

// Keeps the first `limit` rows (rows arrive ascending within a range).
inline void AddExample(std::vector<std::int64_t>& examples, std::size_t limit,
                       std::int64_t row) {
  if (examples.size() < limit && (examples.empty() || examples.back() != row)) {
    examples.push_back(row);
  }
}

// The entries of one block (any storage).
struct BlockView {
  const OpenEntry* data = nullptr;
  std::size_t size = 0;
  bool empty() const { return size == 0; }
  const OpenEntry* begin() const { return data; }
  const OpenEntry* end() const { return data + size; }
};

// Growable per-block buffers (no zero-fill, unlike vectors).
class OpenBlocks {
 public:
  // Sized for ~1/4 of `rows` open over the blocks of `num_slots` groups.
  OpenBlocks(std::size_t num_slots, std::size_t rows);
  void Push(const OpenEntry& e) {
    const auto blk = static_cast<std::size_t>(e.group) >> kBlockBits;
    if (blk >= tail_.size()) [[unlikely]] AddBlocks(blk + 1);
    OpenEntry* t = tail_[blk];
    if (t == buf_[blk].data.get() + buf_[blk].capacity) [[unlikely]] {
      Grow(blk, 2 * buf_[blk].capacity);
      t = tail_[blk];
    }
    *t = e;
    tail_[blk] = t + 1;
  }
  std::size_t num_blocks() const { return tail_.size(); }
  BlockView block(std::size_t b) const {
    return BlockView{buf_[b].data.get(), static_cast<std::size_t>(tail_[b] - buf_[b].data.get())};
  }
  std::int64_t entries() const;

 private:
  struct Buffer {
    std::unique_ptr<OpenEntry[]> data;
    std::size_t capacity = 0;
  };
  void Grow(std::size_t b, std::size_t capacity);
  void AddBlocks(std::size_t count);
  std::vector<Buffer> buf_;
  std::vector<OpenEntry*> tail_;
};

// Wrapping sums: exact whenever FastSumsFit holds.
struct RateSums {
  std::int64_t invoices_due = 0;
  std::uint64_t billed = 0;
  std::uint64_t collected = 0;
};

struct FastScanParams {
  Day as_of = kNoDate;
  bool by_invoice_date = false;
  // Unused cut-offs are INT32_MAX: no age exceeds them.
  std::int32_t cut[kFastCutoffs] = {};
  Day from = kNoDate;  // collection period (rate-only); from: kMinDay - 1 when open
  Day to = kNoDate;
  std::size_t max_examples = 0;
  bool issues = true;  // count early payments / overpaid invoices (and examples)
};
FastScanParams MakeFastScanParams(const AgingPartial& aging, const CollectionPartial& collection);

// What one range's scan found. Issue counts are filled only with
// params.issues; late payments always.
struct FastScan {
  FastScan(std::size_t num_slots, std::size_t rows, std::size_t num_cslots)
      : blocks(num_slots, rows), rate(num_cslots) {}
  // OR of |amount| and |paid|, roughly, over the rows scanned: at least every
  // row known at as_of (only those add to a sum; see ScanFast's skip).
  std::uint64_t magnitude = 0;
  std::int64_t known = 0, late = 0;
  std::uint64_t late_amount = 0;
  std::int64_t early = 0, overpaid = 0;
  Money early_amount = 0, overpaid_amount = 0;
  std::vector<std::int64_t> early_examples, overpaid_examples;
  OpenBlocks blocks;
  std::vector<RateSums> rate;  // per collection slot
};

// Scans rows [begin, end); agroup / cgroup are the rows' slots from `begin`.
void ScanFast(const InvoicesColumns& c, std::size_t begin, std::size_t end, const Id* agroup,
              const Id* cgroup, const FastScanParams& params, FastScan* out);

// Overflow: instead of a checked add per sum the scan ORs the magnitudes of
// amount and paid; when every |value| <= 2^b and rows * 2^(b+1) < 2^63 no
// sum or difference over `rows` rows can overflow (the case for any real
// data). Otherwise the caller must use the generic checked kernel, so errors
// (and their row numbers) are exactly the generic ones.
bool FastSumsFit(std::uint64_t magnitude, std::size_t rows);

}  // namespace salesight::receivables_internal
