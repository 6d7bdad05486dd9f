// Scores without sorting the customers.
//
// Every method needs, per metric, the keys at k-1 fixed positions of the
// customers ordered by (key, id). Histograms of the keys over monotone
// buckets (r = last purchase day: one day per bucket; f = frequency and m =
// monetary: exact below 1024, then 512 buckets per power of two) locate the
// bucket of each position. Then ONE pass scores every customer from
// per-bucket tables:
//   * a bucket without a cut: one score for all its keys;
//   * a one-key bucket holding NTILE cuts (a tie group): the rank by id
//     decides, and the rows are in id order, so a walk from the front
//     (thread 0) or from the back (thread 1) knows each member's rank;
//     appended rows (RfmIncremental) are merged into the walks by id;
//   * another bucket holding cuts: its few customers are collected, sorted,
//     and scored after the pass.
// The histograms are maintained incrementally by RfmIncremental.
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <vector>

#include "absl/status/status.h"
#include "rfm.hpp"
#include "rules.hpp"

namespace salesight::rfm_internal {

inline constexpr int kMantissaBits = 10;
inline constexpr std::size_t kUnsignedBuckets =
    (std::size_t{1} << kMantissaBits) + (64 - kMantissaBits) * (std::size_t{1} << (kMantissaBits - 1));
inline constexpr std::size_t kDayBuckets = static_cast<std::size_t>(kMaxDay - kMinDay + 1);
inline constexpr std::size_t kMoneyBuckets = 2 * kUnsignedBuckets;

// Monotone in u; exact below 2^kMantissaBits.
inline std::size_t UnsignedBucket(std::uint64_t u) {
  constexpr std::uint64_t kExact = std::uint64_t{1} << kMantissaBits;
  if (u < kExact) return static_cast<std::size_t>(u);
  const int width = 64 - __builtin_clzll(u);
  const std::uint64_t top = u >> (width - kMantissaBits);  // in [kExact/2, kExact)
  return static_cast<std::size_t>(kExact + static_cast<std::uint64_t>(width - kMantissaBits - 1) *
                                               (kExact / 2) +
                                  (top - kExact / 2));
}
inline std::size_t DayBucket(Day last_day) { return static_cast<std::size_t>(last_day - kMinDay); }
inline std::size_t FrequencyBucket(std::int64_t f) {
  return UnsignedBucket(static_cast<std::uint64_t>(f < 0 ? 0 : f));
}
inline std::size_t MoneyBucket(Money v) {
  return v >= 0 ? kUnsignedBuckets + UnsignedBucket(static_cast<std::uint64_t>(v))
                : kUnsignedBuckets - 1 - UnsignedBucket(~static_cast<std::uint64_t>(v));
}

// Bucket of any key of metric x (0 = r: last purchase day, 1 = f, 2 = m),
// also of keys outside the real range (fixed thresholds): those land in the
// first or last bucket, which is then exact.
inline std::size_t BucketOfKey(int x, std::int64_t key) {
  if (x == 0) return DayBucket(static_cast<Day>(std::clamp<std::int64_t>(key, kMinDay, kMaxDay)));
  if (x == 1) return FrequencyBucket(std::clamp<std::int64_t>(key, 0, std::numeric_limits<std::int32_t>::max()));
  return MoneyBucket(key);
}
// Whether every key of `bucket` of metric x is the same, and which.
bool SingleKeyBucket(int x, std::size_t bucket, std::int64_t* value);

// Counts by bucket over a range [lo, hi) that grows to cover the buckets
// added: a call's histograms and score tables are then the size of its
// data's key range, not of every possible bucket (kDayBuckets alone is
// 109,573), which made a small call's fixed cost about 2 MB of zeroing.
class BucketCounts {
 public:
  explicit BucketCounts(std::size_t limit) : limit_(limit) {}
  void Add(std::size_t b, std::int32_t delta) {
    if (b - lo_ >= count_.size()) Grow(b);  // also b < lo_ (unsigned wrap)
    count_[b - lo_] += delta;
  }
  // Covers the other's range and adds its counts.
  void Merge(const BucketCounts& other);
  void Clear() {
    lo_ = 0;
    count_.clear();
  }
  std::size_t lo() const { return lo_; }
  std::size_t hi() const { return lo_ + count_.size(); }
  // b in [lo(), hi()).
  std::int32_t at(std::size_t b) const { return count_[b - lo_]; }

 private:
  void Grow(std::size_t b);
  std::size_t limit_;  // buckets are < limit_
  std::size_t lo_ = 0;
  std::vector<std::int32_t> count_;
};

struct ScoreHistograms {
  BucketCounts r{kDayBuckets}, f{kUnsignedBuckets}, m{kMoneyBuckets};
  void Reset() {
    r.Clear();
    f.Clear();
    m.Clear();
  }
  void Add(Day last_day, std::int32_t frequency, Money monetary, std::int32_t delta) {
    r.Add(DayBucket(last_day), delta);
    f.Add(FrequencyBucket(frequency), delta);
    m.Add(MoneyBucket(monetary), delta);
  }
  void Merge(const ScoreHistograms& other) {
    r.Merge(other.r);
    f.Merge(other.f);
    m.Merge(other.m);
  }
};

// The positions of the (key, id) order (0-based, n customers) whose keys are
// the cuts: NTILE bucket j+1 starts at s_j = j*(n/k) + min(j, n%k) (kNtile:
// the customer at s_j; kQuantile: the key at s_j - 1); none for an empty top
// bucket (n < k).
std::vector<std::size_t> CutPositions(std::size_t n, int k, bool ntile);

// kFixed: the thresholds as cut keys at as_of, score = 1 + #{cuts the key
// exceeds} (r's key is the last purchase day: recency <= t iff last > as_of
// - t - 1; monetary rounded to the minor unit).
std::array<std::vector<std::int64_t>, 3> FixedCutKeys(const RfmOptions& options, Day as_of,
                                                      int money_scale);
// The reported thresholds (RfmResult::recency_below etc.) of those keys.
void ReportFixedThresholds(const RfmOptions& options,
                           const std::array<std::vector<std::int64_t>, 3>& keys,
                           RfmResult& result);

// A position of the (key, id) order whose customer is wanted.
struct Target {
  std::size_t pos = 0;
  std::size_t bucket = 0;
  std::size_t offset = 0;  // rank inside the bucket
};
// Fills bucket and offset of targets ascending by pos from the counts of n customers.
absl::Status Locate(const BucketCounts& hist, std::vector<Target>& targets, std::size_t n);

// Validates k and the fixed thresholds.
absl::Status CheckScoring(const RfmOptions& options, int money_scale);

// The rule table chosen by the options (kRelativeTiers: its labels, with
// placeholder cuts) and its compiled form.
RfmRuleTable SegmentTable(const RfmOptions& options);
absl::StatusOr<CompiledRules> CompileSegments(const RfmOptions& options, int money_scale);

// Scores and segments every row. The r key of a row is keys_as_of -
// recency_days (its last purchase day); the pass also moves recency_days to
// be relative to as_of. rows[0, sorted_prefix) must be in ascending customer
// id (ties inside a bucket are then resolved without sorting them). Fills
// result.scores and the reported thresholds.
absl::Status ScoreRows(RfmCustomers& rows, const std::vector<Money>& totals,
                       const ScoreHistograms& hist, Day keys_as_of, Day as_of,
                       const RfmOptions& options, const CompiledRules& rules, int money_scale,
                       int num_threads, std::size_t sorted_prefix, RfmResult& result);

}  // namespace salesight::rfm_internal
