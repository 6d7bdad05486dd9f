// The mergeable RFM state: building (scan), exact recount, merge and append.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "btyd_scan.hpp"
#include "line_scan.hpp"
#include "rfm.hpp"
#include "salesight/rfm_wide.hpp"

namespace salesight::rfm_internal {

// Validates the options that shape the scan (window, margin columns).
absl::Status CheckScanOptions(const OrderLines& orders, const RfmOptions& options, Day as_of);

// Scans rows [begin, end) into a fresh state with the given (possibly
// kNoDate) as_of. When `recount_if_unsorted` is false and the counted keys
// are not in order, *frequency_exact is set to false and the frequencies are
// left inexact for the caller to recount.
// `known_max`: the latest order_date of the rows if the caller knows it
// (kNoDate: computed). `btyd` (optional): also the BTYD accumulators of the
// rows (btyd_scan.hpp), in the same pass. `partitioned_threads` > 0 (and no
// `btyd`): the partitioned scan (line_scan.hpp) on that many threads, in
// `shape`'s blocks and chunks; the same state. `wide` (optional): the
// customer and day of each line are read from it, not from the table's
// columns (rfm_wide.hpp; always the direct scan); the same state.
absl::StatusOr<RfmPartial> ScanPartial(const OrderLines& orders, std::size_t begin, std::size_t end,
                                       const RfmOptions& options, Day as_of,
                                       bool recount_if_unsorted, bool* frequency_exact,
                                       Day known_max, BtydScan* btyd = nullptr,
                                       int partitioned_threads = 0,
                                       const ScanChoice& shape = {},
                                       const RfmWideKeys* wide = nullptr);

// Merges `from` into `into` (no option checks, not atomic on overflow).
// Returns whether the merged frequencies are exact; when not, every other
// field is still merged correctly and the caller recounts.
absl::StatusOr<bool> MergeState(RfmPartial& into, const RfmPartial& from, int num_threads);

// Recounts every customer's frequency for rows [begin, end) exactly and
// resets the kOrders boundary from them. `wide`: as in ScanPartial.
absl::Status RecountFrequency(const OrderLines& orders, std::size_t begin, std::size_t end,
                              RfmPartial& state, int num_threads,
                              const RfmWideKeys* wide = nullptr);

// AppendRfm, also reporting the customers that have lines in the window of
// the batch (ascending id) with their records before the append.
struct Touched {
  Id id;
  RfmCustomer before;
};
absl::Status AppendImpl(RfmPartial& state, const OrderLines& batch, const RfmOptions& options,
                        std::vector<Touched>* touched);

// ComputeRfm's state: threads over row ranges, merged in order, recounted
// when needed. `options.as_of` must be resolved. `btyd` (optional): also the
// BTYD accumulators of every line up to as_of, from the same scan (for
// BtydSummaryFromScan). `choice`: the direct or the partitioned scan
// (line_scan.hpp; by size unless forced; with `btyd` always the direct one).
// The state is the same either way. `wide`: as in ScanPartial (the direct
// scan whatever `choice` says).
absl::StatusOr<RfmPartial> BuildState(const OrderLines& orders, const RfmOptions& options,
                                      BtydScan* btyd = nullptr, const ScanChoice& choice = {},
                                      const RfmWideKeys* wide = nullptr);

}  // namespace salesight::rfm_internal
