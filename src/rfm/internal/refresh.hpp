// RfmIncremental's score refresh without a pass over every customer.
//
// A customer the batch did not touch keeps its keys (r: its last purchase
// day, which does not move with as_of; f; m), so its score for a metric
// changes only when one of the metric's cuts moves across it. Per metric,
// score = 1 + #{cuts c : (key, id) >= c} with c the (key, id) at a cut
// position (kNtile), or 1 + #{cuts c : key > c} with c the key there
// (kQuantile) or a fixed threshold (kFixed: only r's cuts move, with as_of).
// So an untouched customer changes score iff it lies between a cut's old
// and new place. Its segment changes only with its scores, unless the rules
// read more than the scores and as_of moved (then every row is rescored).
// A refresh therefore rescores the touched rows and the untouched ones
// between an old and a new cut, found through
//   * the rows of every score bucket (the histograms' buckets), per metric;
//   * inside a one-key bucket (a tie group: one day, one small frequency,
//     which can hold a third of the customers) a walk over customer ids
//     through row_of from one cut to the other, which costs the ids between
//     the two cuts rather than the whole group.
// A cut is located from the histograms (its bucket and rank inside it),
// then inside its bucket: by that id walk from the old cut when both are in
// the same tie group, else by a selection over the bucket's rows.
// When the work would exceed RefreshRowShare() of the customers, the caller
// runs the full pass (ScoreRows) and then ResolveCuts.
#pragma once

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "absl/status/statusor.h"
#include "rfm.hpp"
#include "rules.hpp"
#include "scoring.hpp"

namespace salesight::rfm_internal {

// Rows and ids a refresh may visit, as a share of the customers, before it
// gives way to the full pass (default 1/8; a random visit costs several
// times a row of the streaming pass). Tests set it to force either path.
double& RefreshRowShare();
// Refreshes done by each path since the process started (tests check that
// the incremental one really ran).
struct RefreshCounts {
  std::atomic<std::int64_t> incremental{0}, full{0};
  std::atomic<std::int64_t> rescored{0};  // rows the incremental refreshes rescored
};
RefreshCounts& RefreshCounters();

class ScoreIndex {
 public:
  using Buckets = std::array<std::size_t, 3>;  // r, f, m
  // The buckets of a row whose recency is relative to keys_as_of.
  static Buckets BucketsOf(const RfmCustomer& row, Day keys_as_of);

  // Indexes every row (recency relative to keys_as_of); no cuts yet.
  void Reset(const RfmCustomers& rows, const ScoreHistograms& hist, Day keys_as_of);
  // Row `row` (customer `id`) is now in buckets `now`; `before` its buckets
  // before the batch, null for a new row.
  void Move(std::uint32_t row, Id id, const Buckets* before, const Buckets& now);
  // The cuts of the rows as the full pass scored them (recency relative to
  // as_of); forgets the moves.
  absl::Status ResolveCuts(const RfmCustomers& rows, const ScoreHistograms& hist, Day as_of,
                           const RfmOptions& options, int money_scale);
  // Rescores after the moves (rows relative to keys_as_of; `hist` counts
  // them): shifts every row's recency to as_of, rescores the rows whose
  // scores may have changed and sets result.scores and the quantile
  // thresholds. false: nothing was changed, run the full pass (and then
  // ResolveCuts). Forgets the moves.
  absl::StatusOr<bool> Refresh(RfmResult& result, const std::vector<std::int32_t>& row_of,
                               const ScoreHistograms& hist, Day keys_as_of, Day as_of,
                               const RfmOptions& options, const CompiledRules& rules,
                               int num_threads);

 private:
  struct Cut {
    std::int64_t key = 0;
    Id id = 0;              // kNtile only
    std::size_t bucket = 0;
    std::size_t offset = 0; // rank of (key, id) inside the bucket
  };
  // The rows of each bucket of one metric, unordered. A row that moves is
  // only added to its new bucket (removing it from the old list was a
  // random access into it per metric and touched row, a quarter of
  // Append): a list may hold stale entries (rows now elsewhere) and repeats
  // (rows that came back), which readers skip; the lists are rebuilt when
  // they hold twice the rows.
  struct BucketRows {
    std::size_t lo = 0;
    std::size_t entries = 0;  // in all lists
    std::vector<std::vector<std::uint32_t>> of;  // by bucket - lo
    const std::vector<std::uint32_t>* Find(std::size_t b) const {
      return b - lo < of.size() ? &of[b - lo] : nullptr;
    }
    std::vector<std::uint32_t>& At(std::size_t b);  // grows the range
    void Add(std::uint32_t row, std::size_t b) {
      At(b).push_back(row);
      ++entries;
    }
  };
  struct Moved {
    std::uint32_t row;
    Id id;
    bool added;
    Buckets before, now;
  };
  class Work;

  absl::StatusOr<bool> LocateCuts(const RfmCustomers& rows, const std::vector<std::int32_t>* row_of,
                                  const ScoreHistograms& hist, Day keys_as_of, Day as_of,
                                  const RfmOptions& options, int money_scale, Work& work,
                                  std::array<std::vector<Cut>, 3>& cuts) const;
  bool SelectInBucket(int x, const RfmCustomers& rows, Day keys_as_of, std::size_t bucket,
                      std::size_t count, std::size_t rank, Work& work, Cut& cut) const;
  bool WalkFromOldCut(int x, const RfmCustomers& rows, const std::vector<std::int32_t>& row_of,
                      Day keys_as_of, const Cut& old, std::int64_t key, std::size_t count,
                      Work& work, Cut& cut) const;
  void RebuildLists(const RfmCustomers& rows, const ScoreHistograms& hist, Day keys_as_of);
  bool MarkBetween(int x, const RfmCustomers& rows, const std::vector<std::int32_t>& row_of,
                   Day keys_as_of, const Cut& lo, const Cut& hi, Work& work);
  void Mark(std::uint32_t row);

  std::array<BucketRows, 3> rows_;
  std::array<std::vector<Cut>, 3> cuts_;
  bool cuts_valid_ = false;
  std::vector<Moved> moved_;
  std::vector<std::uint32_t> stamp_;  // by row: the epoch it was last marked in
  std::uint32_t epoch_ = 0;
  std::vector<std::uint32_t> dirty_;
};

}  // namespace salesight::rfm_internal
