#include "internal/refresh.hpp"

#include <algorithm>
#include <cstdlib>
#include <limits>
#include <utility>

#include "salesight/status_macros.hpp"

namespace salesight::rfm_internal {
namespace {

constexpr int kMetrics = 3;

std::int64_t KeyOf(int x, const RfmCustomer& row, Day keys_as_of) {
  return x == 0 ? std::int64_t{keys_as_of} - row.recency_days
                : x == 1 ? std::int64_t{row.frequency} : row.monetary;
}

// (key, id) < (cut_key, cut_id).
bool Before(std::int64_t key, Id id, std::int64_t cut_key, Id cut_id) {
  return key != cut_key ? key < cut_key : id < cut_id;
}

}  // namespace

double& RefreshRowShare() {
  static double share = 0.125;
  return share;
}

RefreshCounts& RefreshCounters() {
  static RefreshCounts counts;
  return counts;
}

// The rows and ids a refresh may still visit.
class ScoreIndex::Work {
 public:
  explicit Work(std::size_t limit) : left_(limit) {}
  bool Spend(std::size_t n) {
    if (n > left_) return false;
    left_ -= n;
    return true;
  }
  std::size_t left() const { return left_; }

 private:
  std::size_t left_;
};

ScoreIndex::Buckets ScoreIndex::BucketsOf(const RfmCustomer& row, Day keys_as_of) {
  return {DayBucket(static_cast<Day>(KeyOf(0, row, keys_as_of))), FrequencyBucket(row.frequency),
          MoneyBucket(row.monetary)};
}

std::vector<std::uint32_t>& ScoreIndex::BucketRows::At(std::size_t b) {
  if (b - lo < of.size()) return of[b - lo];
  if (of.empty()) {
    lo = b;
    of.resize(1);
    return of[0];
  }
  // Half the new span again as slack on the side that grew (amortized).
  std::size_t new_lo = std::min(b, lo), new_hi = std::max(b + 1, lo + of.size());
  const std::size_t slack = (new_hi - new_lo) / 2 + 64;
  if (b < lo) new_lo = new_lo > slack ? new_lo - slack : 0;
  if (b >= lo + of.size()) new_hi += slack;
  std::vector<std::vector<std::uint32_t>> grown(new_hi - new_lo);
  for (std::size_t i = 0; i < of.size(); ++i) grown[lo + i - new_lo] = std::move(of[i]);
  of = std::move(grown);
  lo = new_lo;
  return of[b - lo];
}

void ScoreIndex::RebuildLists(const RfmCustomers& rows, const ScoreHistograms& hist,
                              Day keys_as_of) {
  const std::array<const BucketCounts*, kMetrics> counts = {&hist.r, &hist.f, &hist.m};
  for (int x = 0; x < kMetrics; ++x) {
    BucketRows& br = rows_[x];
    br.of.clear();
    br.lo = 0;
    br.entries = 0;
    if (counts[x]->hi() > counts[x]->lo()) {
      br.At(counts[x]->lo());
      br.At(counts[x]->hi() - 1);
      for (std::size_t b = counts[x]->lo(); b < counts[x]->hi(); ++b) {
        br.At(b).reserve(static_cast<std::size_t>(std::max(0, counts[x]->at(b))));
      }
    }
  }
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const Buckets b = BucketsOf(rows[i], keys_as_of);
    for (int x = 0; x < kMetrics; ++x) rows_[x].Add(static_cast<std::uint32_t>(i), b[x]);
  }
}

void ScoreIndex::Reset(const RfmCustomers& rows, const ScoreHistograms& hist, Day keys_as_of) {
  RebuildLists(rows, hist, keys_as_of);
  moved_.clear();
  cuts_valid_ = false;
}

void ScoreIndex::Move(std::uint32_t row, Id id, const Buckets* before, const Buckets& now) {
  for (int x = 0; x < kMetrics; ++x) {
    if (before == nullptr || (*before)[x] != now[x]) rows_[x].Add(row, now[x]);
  }
  moved_.push_back(Moved{row, id, before == nullptr, before ? *before : Buckets{}, now});
}

// The (key, id) at `rank` of the (key, id) order inside `bucket` (`count`
// rows): a selection over the bucket's rows, stale entries skipped, repeats
// (more entries than rows) removed.
bool ScoreIndex::SelectInBucket(int x, const RfmCustomers& rows, Day keys_as_of,
                                std::size_t bucket, std::size_t count, std::size_t rank,
                                Work& work, Cut& cut) const {
  const std::vector<std::uint32_t>* list = rows_[x].Find(bucket);
  if (list == nullptr || rank >= count || !work.Spend(list->size())) return false;
  std::vector<std::pair<std::int64_t, Id>> members;
  members.reserve(list->size());
  for (std::uint32_t i : *list) {
    const std::int64_t key = KeyOf(x, rows[i], keys_as_of);
    if (BucketOfKey(x, key) == bucket) members.emplace_back(key, rows[i].customer);
  }
  if (members.size() != count) {
    std::sort(members.begin(), members.end());
    members.erase(std::unique(members.begin(), members.end()), members.end());
    if (members.size() != count) return false;  // the index and the histograms disagree
  } else {
    std::nth_element(members.begin(), members.begin() + static_cast<std::ptrdiff_t>(rank),
                     members.end());
  }
  cut.key = members[rank].first;
  cut.id = members[rank].second;
  return true;
}

// The same inside a one-key bucket that also held the old cut: the old
// cut's rank among the bucket's rows now (its old rank, corrected by the
// moved rows of smaller id that entered or left), then a walk over ids from
// it to the wanted rank, or the selection when that is cheaper.
bool ScoreIndex::WalkFromOldCut(int x, const RfmCustomers& rows,
                                const std::vector<std::int32_t>& row_of, Day keys_as_of,
                                const Cut& old, std::int64_t key, std::size_t count,
                                Work& work, Cut& cut) const {
  std::int64_t anchor = static_cast<std::int64_t>(old.offset);
  for (const Moved& mv : moved_) {
    if (mv.id >= old.id) continue;
    anchor += static_cast<std::int64_t>(mv.now[x] == old.bucket) -
              static_cast<std::int64_t>(!mv.added && mv.before[x] == old.bucket);
  }
  const std::int64_t target = static_cast<std::int64_t>(cut.offset);
  const std::int64_t ids = static_cast<std::int64_t>(row_of.size());
  // The walk visits about |target - anchor| x ids / members ids; a small tie
  // group (one day) is cheaper to select in.
  const double members = std::max<double>(1.0, static_cast<double>(count));
  if (static_cast<double>(std::abs(target - anchor)) * static_cast<double>(ids) / members > members) {
    return SelectInBucket(x, rows, keys_as_of, cut.bucket, count, cut.offset, work, cut);
  }
  const bool up = target >= anchor;
  std::int64_t need = up ? target - anchor : anchor - target - 1;
  std::size_t steps = 0;
  for (std::int64_t id = up ? old.id : old.id - 1; id >= 0 && id < ids; id += up ? 1 : -1) {
    if (++steps > work.left()) return false;
    const std::int32_t row = row_of[static_cast<std::size_t>(id)];
    if (row < 0 || KeyOf(x, rows[static_cast<std::size_t>(row)], keys_as_of) != key) continue;
    if (need-- == 0) {
      cut.key = key;
      cut.id = static_cast<Id>(id);
      return work.Spend(steps);
    }
  }
  return false;  // the index and the histograms disagree: the full pass decides
}

absl::StatusOr<bool> ScoreIndex::LocateCuts(const RfmCustomers& rows,
                                            const std::vector<std::int32_t>* row_of,
                                            const ScoreHistograms& hist, Day keys_as_of, Day as_of,
                                            const RfmOptions& o, int money_scale, Work& work,
                                            std::array<std::vector<Cut>, 3>& cuts) const {
  if (o.scoring == RfmScoring::kFixed) {
    const std::array<std::vector<std::int64_t>, kMetrics> keys = FixedCutKeys(o, as_of, money_scale);
    for (int x = 0; x < kMetrics; ++x) {
      cuts[x].clear();
      for (std::int64_t key : keys[x]) cuts[x].push_back(Cut{key, 0, BucketOfKey(x, key), 0});
    }
    return true;
  }
  const bool ntile = o.scoring == RfmScoring::kNtile;
  const std::size_t n = rows.size();
  const std::vector<std::size_t> positions = CutPositions(n, o.k, ntile);
  // An empty top bucket (n < k) has no cut to move: left to the full pass.
  if (positions.size() != static_cast<std::size_t>(o.k - 1)) return false;
  const std::array<const BucketCounts*, kMetrics> counts = {&hist.r, &hist.f, &hist.m};
  for (int x = 0; x < kMetrics; ++x) {
    std::vector<Target> targets;
    for (std::size_t p : positions) targets.push_back(Target{p, 0, 0});
    SALESIGHT_RETURN_IF_ERROR(Locate(*counts[x], targets, n));
    cuts[x].clear();
    for (std::size_t j = 0; j < targets.size(); ++j) {
      Cut cut{0, 0, targets[j].bucket, targets[j].offset};
      const std::size_t count = static_cast<std::size_t>(counts[x]->at(cut.bucket));
      std::int64_t value = 0;
      const bool single = SingleKeyBucket(x, cut.bucket, &value);
      bool found;
      if (single && !ntile) {
        cut.key = value;  // a quantile cut is a key
        found = true;
      } else if (single && row_of != nullptr && cuts_valid_ && cuts_[x][j].bucket == cut.bucket) {
        found = WalkFromOldCut(x, rows, *row_of, keys_as_of, cuts_[x][j], value, count, work, cut);
      } else {
        found = SelectInBucket(x, rows, keys_as_of, cut.bucket, count, cut.offset, work, cut);
      }
      if (!found) return false;
      cuts[x].push_back(cut);
    }
  }
  return true;
}

absl::Status ScoreIndex::ResolveCuts(const RfmCustomers& rows, const ScoreHistograms& hist,
                                     Day as_of, const RfmOptions& o, int money_scale) {
  cuts_valid_ = false;
  Work unlimited(std::numeric_limits<std::size_t>::max());
  std::array<std::vector<Cut>, kMetrics> cuts;
  SALESIGHT_ASSIGN_OR_RETURN(const bool found,
                             LocateCuts(rows, nullptr, hist, as_of, as_of, o, money_scale,
                                        unlimited, cuts));
  moved_.clear();
  if (!found) return absl::OkStatus();  // no cuts to keep: the next refresh is a full pass
  cuts_ = std::move(cuts);
  cuts_valid_ = true;
  return absl::OkStatus();
}

void ScoreIndex::Mark(std::uint32_t row) {
  if (stamp_[row] == epoch_) return;
  stamp_[row] = epoch_;
  dirty_.push_back(row);
}

// Marks the rows with lo <= (key, id) < hi: the rows of the buckets from
// lo's to hi's, or inside one tie group the ids between, whichever is less.
// A stale entry is tested by its row's current key (rescoring a row whose
// score did not change is harmless).
bool ScoreIndex::MarkBetween(int x, const RfmCustomers& rows,
                             const std::vector<std::int32_t>& row_of, Day keys_as_of,
                             const Cut& lo, const Cut& hi, Work& work) {
  const std::size_t b_lo = BucketOfKey(x, lo.key), b_hi = BucketOfKey(x, hi.key);
  std::int64_t value = 0;
  if (lo.key == hi.key && SingleKeyBucket(x, b_lo, &value)) {
    const std::vector<std::uint32_t>* list = rows_[x].Find(b_lo);
    const std::size_t span = static_cast<std::size_t>(hi.id - lo.id);
    if (list != nullptr && span < list->size()) {
      if (!work.Spend(span)) return false;
      for (Id id = lo.id; id < hi.id; ++id) {
        const std::int32_t row = row_of[static_cast<std::size_t>(id)];
        if (row >= 0 && KeyOf(x, rows[static_cast<std::size_t>(row)], keys_as_of) == lo.key) {
          Mark(static_cast<std::uint32_t>(row));
        }
      }
      return true;
    }
  }
  const BucketRows& br = rows_[x];
  if (br.of.empty()) return true;
  const std::size_t first = std::max(b_lo, br.lo), last = std::min(b_hi, br.lo + br.of.size() - 1);
  for (std::size_t b = first; b <= last && first <= last; ++b) {
    const std::vector<std::uint32_t>& list = br.of[b - br.lo];
    if (!work.Spend(list.size())) return false;
    for (std::uint32_t i : list) {
      const std::int64_t key = KeyOf(x, rows[i], keys_as_of);
      if (!Before(key, rows[i].customer, lo.key, lo.id) && Before(key, rows[i].customer, hi.key, hi.id)) {
        Mark(i);
      }
    }
  }
  return true;
}

absl::StatusOr<bool> ScoreIndex::Refresh(RfmResult& result, const std::vector<std::int32_t>& row_of,
                                         const ScoreHistograms& hist, Day keys_as_of, Day as_of,
                                         const RfmOptions& o, const CompiledRules& rules,
                                         int num_threads) {
  // Rules that read recency, tenure or as_of itself may move every segment
  // with as_of; relative tiers take their cuts from every row.
  if (!cuts_valid_ || o.segments == RfmSegments::kRelativeTiers ||
      (rules.lut() == nullptr && as_of != keys_as_of)) {
    return false;
  }
  RfmCustomers& rows = result.customers;
  const std::size_t n = rows.size();
  if (n == 0) return false;  // the full pass reports no thresholds then
  for (int x = 0; x < kMetrics; ++x) {
    if (rows_[x].entries > 2 * n + 64) {
      RebuildLists(rows, hist, keys_as_of);
      break;
    }
  }
  Work work(static_cast<std::size_t>(RefreshRowShare() * static_cast<double>(n)));
  std::array<std::vector<Cut>, kMetrics> cuts;
  SALESIGHT_ASSIGN_OR_RETURN(const bool located,
                             LocateCuts(rows, &row_of, hist, keys_as_of, as_of, o,
                                        result.money_scale, work, cuts));
  if (!located) return false;

  // The rows to rescore: the moved ones and those between an old and a new cut.
  if (++epoch_ == 0) {
    std::fill(stamp_.begin(), stamp_.end(), 0);
    epoch_ = 1;
  }
  stamp_.resize(n, 0);
  dirty_.clear();
  for (const Moved& mv : moved_) Mark(mv.row);
  const bool ntile = o.scoring == RfmScoring::kNtile;
  constexpr Id kFirstId = std::numeric_limits<Id>::min();
  for (int x = 0; x < kMetrics; ++x) {
    for (std::size_t j = 0; j < cuts[x].size(); ++j) {
      const Cut& a = cuts_[x][j];
      const Cut& b = cuts[x][j];
      Cut lo, hi;
      if (ntile) {
        if (a.key == b.key && a.id == b.id) continue;
        const bool a_first = Before(a.key, a.id, b.key, b.id);
        lo = a_first ? a : b;
        hi = a_first ? b : a;
      } else {
        // key > c changes for keys in (min, max] = [min + 1, max + 1) by (key, id).
        if (a.key == b.key) continue;
        lo.key = std::min(a.key, b.key) + 1;
        hi.key = std::max(a.key, b.key) + 1;
        lo.id = hi.id = kFirstId;
      }
      if (!MarkBetween(x, rows, row_of, keys_as_of, lo, hi, work)) return false;
    }
  }
  RefreshCounters().incremental.fetch_add(1, std::memory_order_relaxed);
  RefreshCounters().rescored.fetch_add(static_cast<std::int64_t>(dirty_.size()),
                                       std::memory_order_relaxed);

  // Committed from here on.
  if (as_of != keys_as_of) {
    const std::int32_t shift = as_of - keys_as_of;
    const int parts = std::max(1, std::min(num_threads, static_cast<int>(n >> 16) + 1));
    ParallelFor(parts, n, [&](std::size_t b, std::size_t e, int) {
      for (std::size_t i = b; i < e; ++i) rows[i].recency_days += shift;
    });
  }
  result.scores.resize(n);
  // The rows are scattered over the whole array: their loads are started a
  // few rows ahead (measured: the row load was most of this loop's time).
  constexpr std::size_t kAhead = 16;
  for (std::size_t d = 0; d < dirty_.size(); ++d) {
    if (d + kAhead < dirty_.size()) __builtin_prefetch(&rows[dirty_[d + kAhead]]);
    const std::uint32_t i = dirty_[d];
    const RfmCustomer& row = rows[i];
    std::array<std::uint8_t, kMetrics> s;
    for (int x = 0; x < kMetrics; ++x) {
      const std::int64_t key = KeyOf(x, row, as_of);
      int score = 1;
      for (const Cut& c : cuts[x]) {
        score += ntile ? !Before(key, row.customer, c.key, c.id) : key > c.key;
      }
      s[x] = static_cast<std::uint8_t>(score);
    }
    result.scores[i] = RfmScore{s[0], s[1], s[2],
                                rules.Segment(row, result.total(i), as_of, s[0], s[1], s[2])};
  }
  if (o.scoring == RfmScoring::kFixed) {
    ReportFixedThresholds(o, FixedCutKeys(o, as_of, result.money_scale), result);
  } else if (o.scoring == RfmScoring::kQuantile) {
    result.recency_below.clear();
    result.frequency_above.clear();
    result.monetary_above.clear();
    for (const Cut& c : cuts[0]) result.recency_below.push_back(std::int64_t{as_of} - c.key);
    for (const Cut& c : cuts[1]) result.frequency_above.push_back(c.key);
    for (const Cut& c : cuts[2]) result.monetary_above.push_back(c.key);
  }
  cuts_ = std::move(cuts);
  moved_.clear();
  return true;
}

}  // namespace salesight::rfm_internal
