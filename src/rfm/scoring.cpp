#include "internal/scoring.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <type_traits>
#include <utility>

#include "absl/strings/str_format.h"
#include "salesight/status_macros.hpp"
#include "internal/relative_tiers.hpp"

namespace salesight::rfm_internal {
namespace {

constexpr int kMetrics = 3;  // r, f, m

// score = 1 + #{j : key > key_j}                       (value cuts)
//       = 1 + #{j : (key, id) >= (key_j, id_j)}         (NTILE cuts, ties split by id)
struct MetricCut {
  std::vector<std::int64_t> key;
  std::vector<std::int32_t> id;
  bool by_id = false;

  std::uint8_t Score(std::int64_t k, std::int32_t i) const {
    int s = 1;
    const std::size_t n = key.size();
    if (by_id) {
      // Branchless on purpose: ints, so the bitwise operators are meant.
      for (std::size_t j = 0; j < n; ++j) {
        s += static_cast<int>(k > key[j]) |
             (static_cast<int>(k == key[j]) & static_cast<int>(i >= id[j]));
      }
    } else {
      for (std::size_t j = 0; j < n; ++j) s += k > key[j];
    }
    return static_cast<std::uint8_t>(s);
  }
};

struct Candidate {
  std::int64_t key;
  std::int32_t id;
};
bool Less(const Candidate& a, const Candidate& b) {
  return a.key != b.key ? a.key < b.key : a.id < b.id;
}

// Per bucket of a metric: the score every key of it gets (bits 0-7), its
// slot (bits 8-15, 0 = none) and how its customers are scored otherwise.
constexpr std::uint32_t kExact = 1u << 16;  // known cuts inside (fixed): compare with them
constexpr std::uint32_t kRank = 1u << 17;   // NTILE cuts in a one-key bucket: rank by id in the pass
constexpr std::uint32_t kDefer = 1u << 18;  // cuts inside not known yet: score after the pass
constexpr std::uint32_t kWide = 1u << 19;   // kRank with more than 4 cuts: the slow path ranks it
constexpr std::uint32_t kSpecial = kExact | kRank | kDefer;
constexpr std::size_t kInlineOffsets = 4;
constexpr std::size_t SlotField(std::uint32_t v) { return (v >> 8) & 0xff; }

// A bucket holding NTILE cuts or unknown cuts.
struct Slot {
  std::size_t bucket = 0;
  std::size_t count = 0;               // customers in the bucket
  std::vector<std::size_t> offsets;    // ranks of its cuts inside the bucket, ascending
  std::uint8_t base = 1;               // the score below its first cut
  // kRank: appended (unsorted) rows in the bucket, by id: (id, tail index).
  std::vector<std::pair<Id, std::uint32_t>> tail;
  // kDefer: the cuts, once found.
  std::vector<Candidate> cuts;
  std::uint8_t Score(std::size_t rank) const {
    return static_cast<std::uint8_t>(
        base + (std::upper_bound(offsets.begin(), offsets.end(), rank) - offsets.begin()));
  }
};

struct Metric {
  MetricCut cut;                       // kExact buckets' cuts
  std::vector<Target> targets;
  std::size_t lo = 0;                  // the tables cover buckets [lo, lo + table.size())
  std::vector<std::uint32_t> table;    // by bucket - lo
  std::vector<Slot> slots;
  std::vector<std::uint8_t> slot_of;   // by bucket - lo: slot + 1
  std::uint32_t& At(std::size_t b) { return table[b - lo]; }
  std::uint32_t At(std::size_t b) const { return table[b - lo]; }
  std::uint8_t& SlotOf(std::size_t b) { return slot_of[b - lo]; }
  std::uint8_t SlotOf(std::size_t b) const { return slot_of[b - lo]; }
};

// One thread's share of the pass.
struct PassPart {
  // By slot field (slot index + 1; 0 = a dummy for buckets without cuts).
  std::array<std::vector<std::size_t>, kMetrics> counter;   // kRank: members seen
  std::array<std::vector<std::size_t>, kMetrics> tail_pos;  // kRank: next tail member to merge
  std::array<std::vector<std::vector<Candidate>>, kMetrics> pairs;  // kDefer: members
  struct Deferred {
    std::uint32_t row;
    RfmScore partial;
    std::uint8_t mask;  // metrics still to score
  };
  std::vector<Deferred> deferred;
};

// What the hot loop reads, by value so that it lives in registers (the
// score stores are bytes and would otherwise force reloads). Per metric,
// arrays by slot field; field 0 is a dummy (no cuts, no tail) so that every
// row runs the same branch-free code.
struct HotCtx {
  std::array<const std::uint32_t*, kMetrics> table;
  std::array<std::size_t, kMetrics> lo;  // table[x] is by bucket - lo[x]
  std::array<const std::array<std::size_t, kInlineOffsets>*, kMetrics> offsets;
  std::array<const std::size_t*, kMetrics> count;
  std::array<const std::pair<Id, std::uint32_t>* const*, kMetrics> tail;
  std::array<const std::size_t*, kMetrics> tail_size;
  std::array<std::size_t*, kMetrics> counter;   // this part's
  std::array<std::size_t*, kMetrics> tail_pos;  // this part's
  std::array<std::uint32_t*, kMetrics> tail_rank;
  const std::uint8_t* lut = nullptr;
  std::size_t stride = 0;
  RfmScore* out = nullptr;
  RfmCustomer* rows = nullptr;
  Day as_of = 0;
  std::int32_t shift = 0;
};

// The score of customer `id` in a bucket with table value v: the bucket's
// score plus, for a tie bucket of NTILE cuts, the cuts its rank by id
// reaches. The rank is counted from the front (forward walk) or the back
// (backward walk); appended members are merged in by id on the way.
template <bool kBackward>
inline std::uint8_t RankedScore(const HotCtx& c, int x, std::uint32_t v, Id id) {
  const std::size_t sl = SlotField(v);
  std::size_t& seen = c.counter[x][sl];
  std::size_t& t = c.tail_pos[x][sl];
  const std::pair<Id, std::uint32_t>* tail = c.tail[x][sl];
  std::size_t rank;
  if constexpr (!kBackward) {
    const std::size_t size = c.tail_size[x][sl];
    while (t < size && tail[t].first < id) {
      c.tail_rank[x][tail[t++].second] = static_cast<std::uint32_t>(seen++);
    }
    rank = seen++;
  } else {
    const std::size_t count = c.count[x][sl];
    while (t > 0 && tail[t - 1].first > id) {
      c.tail_rank[x][tail[--t].second] = static_cast<std::uint32_t>(count - 1 - seen++);
    }
    rank = count - 1 - seen++;
  }
  const std::array<std::size_t, kInlineOffsets>& o = c.offsets[x][sl];
  return static_cast<std::uint8_t>((v & 0xff) + (rank >= o[0]) + (rank >= o[1]) + (rank >= o[2]) +
                                   (rank >= o[3]));
}

// Scores rows [begin, end) (walked backward when kBackward): three table
// loads per row and the segment from the rules' table; rows in an exact,
// deferred or wide bucket, or with interpreted rules, go to `slow`.
template <bool kShift, bool kBackward, typename Slow>
void HotRange(const HotCtx c, std::size_t begin, std::size_t end, Slow&& slow) {
  const std::uint32_t* const tr = c.table[0];
  const std::uint32_t* const tf = c.table[1];
  const std::uint32_t* const tm = c.table[2];
  const std::size_t lr = c.lo[0], lf = c.lo[1], lm = c.lo[2];
  const std::uint8_t* const lut = c.lut;
  const std::size_t stride = c.stride;
  RfmScore* const out = c.out;
  RfmCustomer* const rows = c.rows;
  const Day as_of = c.as_of;
  const std::int32_t shift = c.shift;
  for (std::size_t n = end - begin, k = 0; k < n; ++k) {
    const std::size_t i = kBackward ? end - 1 - k : begin + k;
    RfmCustomer& row = rows[i];
    if constexpr (kShift) row.recency_days += shift;
    const std::uint32_t vr = tr[DayBucket(as_of - row.recency_days) - lr];
    const std::uint32_t vf = tf[FrequencyBucket(row.frequency) - lf];
    const std::uint32_t vm = tm[MoneyBucket(row.monetary) - lm];
    if (((vr | vf | vm) & (kExact | kDefer | kWide)) != 0 || lut == nullptr) {
      slow(i);
      continue;
    }
    const std::uint8_t r = RankedScore<kBackward>(c, 0, vr, row.customer);
    const std::uint8_t f = RankedScore<kBackward>(c, 1, vf, row.customer);
    const std::uint8_t m = RankedScore<kBackward>(c, 2, vm, row.customer);
    out[i] = RfmScore{r, f, m, lut[(r * stride + f) * stride + m]};
  }
}

}  // namespace

bool SingleKeyBucket(int x, std::size_t bucket, std::int64_t* value) {
  constexpr std::size_t kExactBelow = std::size_t{1} << kMantissaBits;
  if (x == 0) {
    *value = static_cast<std::int64_t>(bucket) + kMinDay;
    return true;
  }
  if (x == 1) {
    *value = static_cast<std::int64_t>(bucket);
    return bucket < kExactBelow;
  }
  if (bucket >= kUnsignedBuckets && bucket < kUnsignedBuckets + kExactBelow) {
    *value = static_cast<std::int64_t>(bucket - kUnsignedBuckets);
    return true;
  }
  if (bucket < kUnsignedBuckets && bucket >= kUnsignedBuckets - kExactBelow) {
    *value = static_cast<std::int64_t>(bucket) - static_cast<std::int64_t>(kUnsignedBuckets);
    return true;
  }
  return false;
}

std::array<std::vector<std::int64_t>, 3> FixedCutKeys(const RfmOptions& o, Day as_of,
                                                      int money_scale) {
  std::array<std::vector<std::int64_t>, 3> keys;
  for (std::int32_t t : o.fixed.recency_days) keys[0].push_back(std::int64_t{as_of} - t - 1);
  for (std::int32_t t : o.fixed.frequency) keys[1].push_back(t);
  const double scale = static_cast<double>(Pow10(money_scale));
  for (double t : o.fixed.monetary) keys[2].push_back(std::llround(t * scale));
  return keys;
}

void ReportFixedThresholds(const RfmOptions& o,
                           const std::array<std::vector<std::int64_t>, 3>& keys,
                           RfmResult& result) {
  result.recency_below.clear();
  // r > j needs j thresholds at or above the recency: the j-th largest.
  for (auto t = o.fixed.recency_days.rbegin(); t != o.fixed.recency_days.rend(); ++t) {
    result.recency_below.push_back(std::int64_t{*t} + 1);
  }
  result.frequency_above = keys[1];
  result.monetary_above = keys[2];
}

std::vector<std::size_t> CutPositions(std::size_t n, int k, bool ntile) {
  // NTILE bucket j+1 starts at s_j = j*q + min(j, rem); quantile cuts are
  // the keys at s_j - 1.
  std::vector<std::size_t> pos;
  if (n == 0) return pos;
  const std::size_t kk = static_cast<std::size_t>(k);
  const std::size_t q = n / kk, rem = n % kk;
  for (std::size_t j = 1; j < kk; ++j) {
    const std::size_t s = j * q + std::min(j, rem);
    const std::size_t p = ntile ? s : s - 1;
    if (p < n) pos.push_back(p);  // else an empty top bucket
  }
  return pos;
}

absl::Status Locate(const BucketCounts& hist, std::vector<Target>& targets, std::size_t n) {
  std::size_t cum = 0, j = 0;
  for (std::size_t b = hist.lo(); b < hist.hi() && j < targets.size(); ++b) {
    const std::size_t c = static_cast<std::size_t>(hist.at(b));
    while (j < targets.size() && targets[j].pos < cum + c) {
      targets[j].bucket = b;
      targets[j].offset = targets[j].pos - cum;
      ++j;
    }
    cum += c;
  }
  if (j != targets.size()) {
    return absl::InternalError(absl::StrFormat(
        "rfm: score histogram holds fewer customers than the %d rows", n));
  }
  return absl::OkStatus();
}

void BucketCounts::Grow(std::size_t b) {
  if (count_.empty()) {
    lo_ = b;
    count_.assign(1, 0);
    return;
  }
  // Half the new span again (at least 64) as slack on the side that grew:
  // amortized O(1) per bucket of the final range.
  std::size_t lo = std::min(b, lo_), hi = std::max(b + 1, this->hi());
  const std::size_t slack = (hi - lo) / 2 + 64;
  if (b < lo_) lo = lo > slack ? lo - slack : 0;
  if (b >= this->hi()) hi = std::min(limit_, hi + slack);
  std::vector<std::int32_t> grown(hi - lo, 0);
  std::copy(count_.begin(), count_.end(), grown.begin() + static_cast<std::ptrdiff_t>(lo_ - lo));
  lo_ = lo;
  count_ = std::move(grown);
}

void BucketCounts::Merge(const BucketCounts& other) {
  if (other.count_.empty()) return;
  Add(other.lo(), 0);
  Add(other.hi() - 1, 0);
  for (std::size_t i = 0; i < other.count_.size(); ++i) count_[other.lo_ + i - lo_] += other.count_[i];
}

absl::Status CheckScoring(const RfmOptions& o, int money_scale) {
  if (o.k < 1 || o.k > 60) {
    return absl::InvalidArgumentError(absl::StrFormat("rfm: k must be in 1..60, got %d", o.k));
  }
  if (o.scoring != RfmScoring::kFixed) return absl::OkStatus();
  const std::size_t want = static_cast<std::size_t>(o.k - 1);
  const RfmFixedThresholds& t = o.fixed;
  auto check = [&](const char* name, std::size_t size, auto at) -> absl::Status {
    if (size != want) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "rfm: fixed scoring with k = %d needs %d %s thresholds, got %d", o.k, want, name, size));
    }
    for (std::size_t j = 1; j < size; ++j) {
      if (!(at(j - 1) < at(j))) {
        return absl::InvalidArgumentError(absl::StrFormat(
            "rfm: fixed %s thresholds must be strictly ascending (position %d)", name, j));
      }
    }
    return absl::OkStatus();
  };
  SALESIGHT_RETURN_IF_ERROR(check("recency_days", t.recency_days.size(),
                                  [&](std::size_t j) { return double(t.recency_days[j]); }));
  SALESIGHT_RETURN_IF_ERROR(check("frequency", t.frequency.size(),
                                  [&](std::size_t j) { return double(t.frequency[j]); }));
  SALESIGHT_RETURN_IF_ERROR(
      check("monetary", t.monetary.size(), [&](std::size_t j) { return t.monetary[j]; }));
  const double scale = static_cast<double>(Pow10(money_scale));
  for (double x : t.monetary) {
    if (!std::isfinite(x) || std::fabs(x * scale) > 9e18) {
      return absl::InvalidArgumentError(
          absl::StrFormat("rfm: fixed monetary threshold %g is out of range", x));
    }
  }
  return absl::OkStatus();
}

RfmRuleTable SegmentTable(const RfmOptions& o) {
  switch (o.segments) {
    case RfmSegments::kTiers: return RfmRuleTable::Tiers(o.tiers);
    case RfmSegments::kClassic: return RfmRuleTable::Classic();
    case RfmSegments::kWorkload: return RfmRuleTable::Workload();
    case RfmSegments::kCustom: return o.custom_rules;
    case RfmSegments::kRelativeTiers:
      // The labels; the cuts come from the data (ApplyRelativeTiers).
      return RelativeTierTable(RfmResult{}, o.relative_tiers);
  }
  return RfmRuleTable{};
}

absl::StatusOr<CompiledRules> CompileSegments(const RfmOptions& o, int money_scale) {
  if (static_cast<int>(o.segments) > static_cast<int>(RfmSegments::kRelativeTiers)) {
    return absl::InvalidArgumentError("rfm: unknown segment table");
  }
  if (o.segments == RfmSegments::kRelativeTiers) {
    SALESIGHT_RETURN_IF_ERROR(CheckRelativeTierShares(o.relative_tiers));
  }
  return CompiledRules::Compile(SegmentTable(o), o.k, money_scale);
}

absl::Status ScoreRows(RfmCustomers& rows, const std::vector<Money>& totals,
                       const ScoreHistograms& hist, Day keys_as_of, Day as_of,
                       const RfmOptions& o, const CompiledRules& rules, int money_scale,
                       int num_threads, std::size_t sorted_prefix, RfmResult& result) {
  const std::size_t n = rows.size();
  std::vector<RfmScore>& scores = result.scores;
  scores.resize(n);
  result.recency_below.clear();
  result.frequency_above.clear();
  result.monetary_above.clear();
  if (n == 0) return absl::OkStatus();
  const std::size_t prefix = std::min(sorted_prefix, n);
  const bool ntile = o.scoring == RfmScoring::kNtile;
  const std::int32_t shift = as_of - keys_as_of;
  std::array<Metric, kMetrics> metric;
  std::array<std::vector<std::size_t>, kMetrics> cut_bucket;
  const std::array<const BucketCounts*, kMetrics> hists = {&hist.r, &hist.f, &hist.m};

  if (o.scoring == RfmScoring::kFixed) {
    const std::array<std::vector<std::int64_t>, kMetrics> keys = FixedCutKeys(o, as_of, money_scale);
    for (int x = 0; x < kMetrics; ++x) metric[x].cut.key = keys[x];
    ReportFixedThresholds(o, keys, result);
    for (int x = 0; x < kMetrics; ++x) {
      for (std::int64_t key : metric[x].cut.key) cut_bucket[x].push_back(BucketOfKey(x, key));
    }
  } else {
    const std::vector<std::size_t> positions = CutPositions(n, o.k, ntile);
    for (int x = 0; x < kMetrics; ++x) {
      Metric& m = metric[x];
      m.cut.by_id = ntile;
      for (std::size_t pos : positions) m.targets.push_back(Target{pos, 0, 0});
      SALESIGHT_RETURN_IF_ERROR(Locate(*hists[x], m.targets, n));
      for (const Target& t : m.targets) cut_bucket[x].push_back(t.bucket);
    }
  }
  // Tables: base score per bucket, then the special buckets.
  for (int x = 0; x < kMetrics; ++x) {
    Metric& m = metric[x];
    std::vector<std::size_t> sorted = cut_bucket[x];
    std::sort(sorted.begin(), sorted.end());
    // Every row's bucket is in the histogram's range; a fixed cut outside it
    // is below or above all of them.
    m.lo = hists[x]->lo();
    const std::size_t hi = hists[x]->hi();
    m.table.resize(hi - m.lo);
    std::size_t below = 0;
    for (std::size_t b = m.lo; b < hi; ++b) {
      while (below < sorted.size() && sorted[below] < b) ++below;
      m.At(b) = static_cast<std::uint32_t>(1 + below);
    }
    if (o.scoring == RfmScoring::kFixed) {
      for (std::size_t b : sorted) {
        if (b >= m.lo && b < hi) m.At(b) |= kExact;
      }
      continue;
    }
    m.slot_of.assign(hi - m.lo, 0);
    for (const Target& t : m.targets) {
      std::int64_t value = 0;
      const bool single = SingleKeyBucket(x, t.bucket, &value);
      if (single && !ntile) continue;  // a quantile cut that is the bucket's key: plain
      if (m.SlotOf(t.bucket) == 0) {
        Slot slot;
        slot.bucket = t.bucket;
        slot.count = static_cast<std::size_t>(hists[x]->at(t.bucket));
        slot.base = static_cast<std::uint8_t>(m.At(t.bucket));
        m.slots.push_back(std::move(slot));
        m.SlotOf(t.bucket) = static_cast<std::uint8_t>(m.slots.size());
        m.At(t.bucket) |= (single ? kRank : kDefer) | (static_cast<std::uint32_t>(m.slots.size()) << 8);
      }
      Slot& slot = m.slots[m.SlotOf(t.bucket) - 1u];
      slot.offsets.push_back(t.offset);
      if (slot.offsets.size() > kInlineOffsets) m.At(t.bucket) |= kWide;
    }
  }

  // Appended rows (not in id order) of kRank buckets, merged into the walks.
  std::array<std::vector<std::uint32_t>, kMetrics> tail_rank;
  bool any_rank = false;
  for (int x = 0; x < kMetrics; ++x) {
    for (const Slot& sl : metric[x].slots) any_rank |= (metric[x].At(sl.bucket) & kRank) != 0;
  }
  if (any_rank) {
    for (std::size_t i = prefix; i < n; ++i) {
      const RfmCustomer& row = rows[i];
      const std::array<std::size_t, kMetrics> bucket = {
          DayBucket(static_cast<Day>(std::int64_t{keys_as_of} - row.recency_days)),
          FrequencyBucket(row.frequency), MoneyBucket(row.monetary)};
      for (int x = 0; x < kMetrics; ++x) {
        if (metric[x].At(bucket[x]) & kRank) {
          metric[x].slots[metric[x].SlotOf(bucket[x]) - 1u].tail.push_back(
              {row.customer, static_cast<std::uint32_t>(i - prefix)});
        }
      }
    }
    for (int x = 0; x < kMetrics; ++x) {
      for (Slot& sl : metric[x].slots) std::sort(sl.tail.begin(), sl.tail.end());
      tail_rank[x].assign(n - prefix, 0);
    }
  }

  // The pass. With kRank buckets the id-ordered rows are walked forward by
  // part 0 and backward (from the end) by part 1, so each knows the exact
  // rank by id of every tie member it meets: counted from the front, resp.
  // the back. Appended rows are merged into the walks by id and scored last.
  const bool has_totals = !totals.empty();
  const int parts = any_rank ? ((num_threads >= 2 && prefix >= 2048) ? 2 : 1)
                             : std::max(1, std::min(num_threads, static_cast<int>(n / 1024) + 1));
  const std::size_t split = any_rank ? (parts == 2 ? prefix / 2 : prefix) : 0;
  const std::int64_t split_id = split < prefix ? rows[split].customer
                                               : std::numeric_limits<std::int64_t>::max();
  std::vector<PassPart> part(static_cast<std::size_t>(parts));
  for (PassPart& p : part) {
    for (int x = 0; x < kMetrics; ++x) {
      p.counter[x].assign(metric[x].slots.size() + 1, 0);
      p.tail_pos[x].assign(metric[x].slots.size() + 1, 0);
      p.pairs[x].resize(metric[x].slots.size());
    }
  }
  if (parts == 2 && any_rank) {
    for (int x = 0; x < kMetrics; ++x) {
      for (std::size_t sl = 0; sl < metric[x].slots.size(); ++sl) {
        part[1].tail_pos[x][sl + 1] = metric[x].slots[sl].tail.size();
      }
    }
  }

  // Scores row i, which part `p` walks in direction kBackward: the slow
  // path for rows in a special bucket of any metric.
  auto score_special = [&](std::size_t i, PassPart& p, bool backward) {
    RfmCustomer& row = rows[i];
    const std::int64_t last = std::int64_t{as_of} - row.recency_days;
    const std::array<std::int64_t, kMetrics> key = {last, row.frequency, row.monetary};
    const std::array<std::size_t, kMetrics> bucket = {DayBucket(static_cast<Day>(last)),
                                                      FrequencyBucket(row.frequency),
                                                      MoneyBucket(row.monetary)};
    std::array<std::uint8_t, kMetrics> score;
    std::uint8_t mask = 0;
    for (int x = 0; x < kMetrics; ++x) {
      const std::uint32_t v = metric[x].At(bucket[x]);
      if ((v & kSpecial) == 0) {
        score[x] = static_cast<std::uint8_t>(v);
      } else if (v & kExact) {
        score[x] = metric[x].cut.Score(key[x], row.customer);
      } else {
        const std::size_t sl = metric[x].SlotOf(bucket[x]) - 1u;
        const Slot& slot = metric[x].slots[sl];
        if (v & kDefer) {
          p.pairs[x][sl].push_back({key[x], row.customer});
          mask |= static_cast<std::uint8_t>(1u << x);
          score[x] = 0;
        } else if (!backward) {
          std::size_t& c = p.counter[x][sl + 1];
          std::size_t& t = p.tail_pos[x][sl + 1];
          while (t < slot.tail.size() && slot.tail[t].first < row.customer) {
            tail_rank[x][slot.tail[t++].second] = static_cast<std::uint32_t>(c++);
          }
          score[x] = slot.Score(c++);
        } else {
          std::size_t& c = p.counter[x][sl + 1];  // members after this one
          std::size_t& t = p.tail_pos[x][sl + 1];
          while (t > 0 && slot.tail[t - 1].first > row.customer) {
            tail_rank[x][slot.tail[--t].second] = static_cast<std::uint32_t>(slot.count - 1 - c++);
          }
          score[x] = slot.Score(slot.count - 1 - c++);
        }
      }
    }
    RfmScore s{score[0], score[1], score[2], 0};
    if (mask != 0) {
      p.deferred.push_back({static_cast<std::uint32_t>(i), s, mask});
      return;
    }
    s.segment = rules.Segment(row, has_totals ? totals[i] : row.monetary, as_of, s.r, s.f, s.m);
    scores[i] = s;
  };
  // The hot loop's context for part p.
  // Per metric, by slot field (0: the dummy of buckets without cuts).
  std::array<std::vector<std::array<std::size_t, kInlineOffsets>>, kMetrics> offsets;
  std::array<std::vector<std::size_t>, kMetrics> count, tail_size;
  std::array<std::vector<const std::pair<Id, std::uint32_t>*>, kMetrics> tail_ptr;
  constexpr std::size_t kNever = std::numeric_limits<std::size_t>::max();
  for (int x = 0; x < kMetrics; ++x) {
    offsets[x].push_back({kNever, kNever, kNever, kNever});
    count[x].push_back(kNever / 2);  // backward ranks of the dummy stay below kNever
    tail_ptr[x].push_back(nullptr);
    tail_size[x].push_back(0);
    for (const Slot& sl : metric[x].slots) {
      std::array<std::size_t, kInlineOffsets> at = {kNever, kNever, kNever, kNever};
      for (std::size_t j = 0; j < std::min(kInlineOffsets, sl.offsets.size()); ++j) at[j] = sl.offsets[j];
      offsets[x].push_back(at);
      count[x].push_back(sl.count);
      tail_ptr[x].push_back(sl.tail.data());
      tail_size[x].push_back(sl.tail.size());
    }
  }
  auto context = [&](PassPart& p) {
    HotCtx c;
    for (int x = 0; x < kMetrics; ++x) {
      c.table[x] = metric[x].table.data();
      c.lo[x] = metric[x].lo;
      c.offsets[x] = offsets[x].data();
      c.count[x] = count[x].data();
      c.tail[x] = tail_ptr[x].data();
      c.tail_size[x] = tail_size[x].data();
      c.counter[x] = p.counter[x].data();
      c.tail_pos[x] = p.tail_pos[x].data();
      c.tail_rank[x] = tail_rank[x].empty() ? nullptr : tail_rank[x].data();
    }
    c.lut = rules.lut();
    c.stride = rules.stride();
    c.out = scores.data();
    c.rows = rows.data();
    c.as_of = as_of;
    c.shift = shift;
    return c;
  };
  // The slow path of a row the hot loop has already shifted and not scored.
  auto slow_row = [&](std::size_t i, PassPart& p, bool backward) {
    const std::uint32_t flags = metric[0].At(DayBucket(as_of - rows[i].recency_days)) |
                                metric[1].At(FrequencyBucket(rows[i].frequency)) |
                                metric[2].At(MoneyBucket(rows[i].monetary));
    if ((flags & kSpecial) != 0) {
      score_special(i, p, backward);
      return;
    }
    const RfmCustomer& row = rows[i];
    RfmScore s{static_cast<std::uint8_t>(metric[0].At(DayBucket(as_of - row.recency_days))),
               static_cast<std::uint8_t>(metric[1].At(FrequencyBucket(row.frequency))),
               static_cast<std::uint8_t>(metric[2].At(MoneyBucket(row.monetary))), 0};
    s.segment = rules.Segment(row, has_totals ? totals[i] : row.monetary, as_of, s.r, s.f, s.m);
    scores[i] = s;
  };
  auto score_range = [&](std::size_t b, std::size_t e, PassPart& p, auto backward, auto shifted) {
    constexpr bool kB = decltype(backward)::value;
    HotRange<decltype(shifted)::value, kB>(context(p), b, e,
                                           [&](std::size_t i) { slow_row(i, p, kB); });
  };
  auto run = [&](auto shifted) {
    if (!any_rank) {
      ParallelFor(parts, n, [&](std::size_t b, std::size_t e, int p) {
        score_range(b, e, part[static_cast<std::size_t>(p)], std::false_type{}, shifted);
      });
      return;
    }
    ParallelFor(parts, static_cast<std::size_t>(parts), [&](std::size_t b, std::size_t, int) {
      PassPart& p = part[b];
      if (b == 0) {
        score_range(0, split, p, std::false_type{}, shifted);
        for (int x = 0; x < kMetrics; ++x) {  // appended members below the split id
          for (std::size_t sl = 0; sl < metric[x].slots.size(); ++sl) {
            const Slot& slot = metric[x].slots[sl];
            std::size_t& c = p.counter[x][sl + 1];
            std::size_t& t = p.tail_pos[x][sl + 1];
            while (t < slot.tail.size() && slot.tail[t].first < split_id) {
              tail_rank[x][slot.tail[t++].second] = static_cast<std::uint32_t>(c++);
            }
          }
        }
      } else {
        score_range(split, prefix, p, std::true_type{}, shifted);
        for (int x = 0; x < kMetrics; ++x) {  // appended members from the split id on
          for (std::size_t sl = 0; sl < metric[x].slots.size(); ++sl) {
            const Slot& slot = metric[x].slots[sl];
            std::size_t& c = p.counter[x][sl + 1];
            std::size_t& t = p.tail_pos[x][sl + 1];
            while (t > 0 && slot.tail[t - 1].first >= split_id) {
              tail_rank[x][slot.tail[--t].second] = static_cast<std::uint32_t>(slot.count - 1 - c++);
            }
          }
        }
      }
    });
    // The appended rows themselves: their kRank ranks are known now.
    PassPart& p0 = part[0];
    for (std::size_t i = prefix; i < n; ++i) {
      RfmCustomer& row = rows[i];
      if constexpr (decltype(shifted)::value) row.recency_days += shift;
      const std::int64_t last = std::int64_t{as_of} - row.recency_days;
      const std::array<std::int64_t, kMetrics> key = {last, row.frequency, row.monetary};
      const std::array<std::size_t, kMetrics> bucket = {DayBucket(static_cast<Day>(last)),
                                                        FrequencyBucket(row.frequency),
                                                        MoneyBucket(row.monetary)};
      std::array<std::uint8_t, kMetrics> score;
      std::uint8_t mask = 0;
      for (int x = 0; x < kMetrics; ++x) {
        const std::uint32_t v = metric[x].At(bucket[x]);
        if ((v & kSpecial) == 0) {
          score[x] = static_cast<std::uint8_t>(v);
        } else if (v & kExact) {
          score[x] = metric[x].cut.Score(key[x], row.customer);
        } else if (v & kDefer) {
          p0.pairs[x][metric[x].SlotOf(bucket[x]) - 1u].push_back({key[x], row.customer});
          mask |= static_cast<std::uint8_t>(1u << x);
          score[x] = 0;
        } else {
          score[x] = metric[x].slots[metric[x].SlotOf(bucket[x]) - 1u].Score(tail_rank[x][i - prefix]);
        }
      }
      RfmScore s{score[0], score[1], score[2], 0};
      if (mask != 0) {
        p0.deferred.push_back({static_cast<std::uint32_t>(i), s, mask});
        continue;
      }
      s.segment = rules.Segment(row, has_totals ? totals[i] : row.monetary, as_of, s.r, s.f, s.m);
      scores[i] = s;
    }
  };
  if (shift != 0) {
    run(std::true_type{});
  } else {
    run(std::false_type{});
  }

  // Unknown cuts: the members of their buckets, sorted, give them.
  for (int x = 0; x < kMetrics; ++x) {
    Metric& m = metric[x];
    for (std::size_t sl = 0; sl < m.slots.size(); ++sl) {
      Slot& slot = m.slots[sl];
      if (!(m.At(slot.bucket) & kDefer)) continue;
      std::vector<Candidate> members;
      for (PassPart& p : part) members.insert(members.end(), p.pairs[x][sl].begin(), p.pairs[x][sl].end());
      if (members.size() != slot.count) {
        return absl::InternalError("rfm: score histogram and rows disagree");
      }
      std::sort(members.begin(), members.end(), Less);
      for (std::size_t off : slot.offsets) slot.cuts.push_back(members[off]);
    }
  }
  // Reported value thresholds (quantile).
  if (o.scoring == RfmScoring::kQuantile) {
    std::array<std::vector<std::int64_t>, kMetrics> t;
    for (int x = 0; x < kMetrics; ++x) {
      const Metric& m = metric[x];
      std::vector<std::size_t> used(m.slots.size(), 0);
      for (const Target& target : m.targets) {
        std::int64_t value = 0;
        if (!SingleKeyBucket(x, target.bucket, &value)) {
          const std::size_t sl = m.SlotOf(target.bucket) - 1u;
          value = m.slots[sl].cuts[used[sl]++].key;
        }
        t[x].push_back(value);
      }
    }
    for (std::int64_t last : t[0]) result.recency_below.push_back(std::int64_t{as_of} - last);
    result.frequency_above = t[1];
    result.monetary_above = t[2];
  }
  // The deferred rows.
  for (PassPart& p : part) {
    for (const PassPart::Deferred& d : p.deferred) {
      const RfmCustomer& row = rows[d.row];
      const std::array<std::int64_t, kMetrics> key = {std::int64_t{as_of} - row.recency_days,
                                                      row.frequency, row.monetary};
      RfmScore s = d.partial;
      std::array<std::uint8_t*, kMetrics> dst = {&s.r, &s.f, &s.m};
      for (int x = 0; x < kMetrics; ++x) {
        if (!(d.mask & (1u << x))) continue;
        const Metric& m = metric[x];
        const Slot& slot = m.slots[m.SlotOf(BucketOfKey(x, key[x])) - 1u];
        std::size_t above = 0;
        for (const Candidate& c : slot.cuts) {
          above += ntile ? (key[x] > c.key || (key[x] == c.key && row.customer >= c.id)) : key[x] > c.key;
        }
        *dst[x] = static_cast<std::uint8_t>(slot.base + above);
      }
      s.segment = rules.Segment(row, has_totals ? totals[d.row] : row.monetary, as_of, s.r, s.f, s.m);
      scores[d.row] = s;
    }
  }
  return absl::OkStatus();
}

}  // namespace salesight::rfm_internal
