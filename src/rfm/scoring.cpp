#include "rfm/scoring.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <type_traits>
#include <utility>

#include "absl/strings/str_format.h"
#include "core/status_macros.hpp"

namespace salesight::rfm_internal {
namespace {

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
      for (std::size_t j = 0; j < n; ++j) s += (k > key[j]) | ((k == key[j]) & (i >= id[j]));
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

// A position of the (key, id) order whose customer is wanted.
struct Target {
  std::size_t pos = 0;
  std::size_t bucket = 0;
  std::size_t offset = 0;  // rank inside the bucket
};

constexpr int kMetrics = 3;  // r, f, m

// The customers of one wanted bucket.
struct Slot {
  std::size_t bucket = 0;
  bool exact = false;
  std::vector<Id> ids;             // exact buckets: ids in row order
  std::size_t sorted_ids = 0;      // how many of them come from the id-ordered row prefix
  std::vector<Candidate> pairs;    // other buckets
};

// Whether every key of `bucket` of metric x is the same, and which.
bool ExactBucketValue(int x, std::size_t bucket, std::int64_t* value) {
  constexpr std::size_t kExact = std::size_t{1} << kMantissaBits;
  if (x == 0) {
    *value = static_cast<std::int64_t>(bucket) + kMinDay;
    return true;
  }
  if (x == 1) {
    *value = static_cast<std::int64_t>(bucket);
    return bucket < kExact;
  }
  if (bucket >= kUnsignedBuckets && bucket < kUnsignedBuckets + kExact) {
    *value = static_cast<std::int64_t>(bucket - kUnsignedBuckets);
    return true;
  }
  if (bucket < kUnsignedBuckets && bucket >= kUnsignedBuckets - kExact) {
    *value = -1 - static_cast<std::int64_t>(kUnsignedBuckets - 1 - bucket);
    return true;
  }
  return false;
}

// The k-th smallest (0-based) of ids[0, split) (ascending) and ids[split, end)
// (ascending): a two-pointer walk.
Id KthOfTwoSorted(const std::vector<Id>& ids, std::size_t split, std::size_t k) {
  if (split == ids.size()) return ids[k];
  std::size_t a = 0, b = split;
  while (true) {
    const bool take_a = b == ids.size() || (a < split && ids[a] < ids[b]);
    if (k == 0) return take_a ? ids[a] : ids[b];
    take_a ? ++a : ++b;
    --k;
  }
}

absl::Status Locate(const std::vector<std::int32_t>& hist, std::vector<Target>& targets,
                    std::size_t n) {
  std::size_t cum = 0, j = 0;
  for (std::size_t b = 0; b < hist.size() && j < targets.size(); ++b) {
    const std::size_t c = static_cast<std::size_t>(hist[b]);
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

}  // namespace

absl::Status CheckScoring(const RfmOptions& o, int money_scale) {
  if (o.k < 1 || o.k > 100) {
    return absl::InvalidArgumentError(absl::StrFormat("rfm: k must be in 1..100, got %d", o.k));
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

absl::StatusOr<CompiledRules> CompileSegments(const RfmOptions& o, int money_scale) {
  switch (o.segments) {
    case RfmSegments::kTiers: return CompiledRules::Compile(RfmRuleTable::Tiers(o.tiers), o.k, money_scale);
    case RfmSegments::kClassic: return CompiledRules::Compile(RfmRuleTable::Classic(), o.k, money_scale);
    case RfmSegments::kWorkload: return CompiledRules::Compile(RfmRuleTable::Workload(), o.k, money_scale);
    case RfmSegments::kCustom: return CompiledRules::Compile(o.custom_rules, o.k, money_scale);
  }
  return absl::InvalidArgumentError("rfm: unknown segment table");
}

absl::Status ScoreRows(std::vector<RfmCustomer>& rows, const std::vector<Money>& totals,
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
  const int k = o.k;
  std::array<MetricCut, kMetrics> cut;

  if (o.scoring == RfmScoring::kFixed) {
    for (std::int32_t t : o.fixed.recency_days) {
      cut[0].key.push_back(std::int64_t{as_of} - t - 1);  // recency <= t  <=>  last day > as_of - t - 1
    }
    // r > j needs j thresholds at or above the recency: the j-th largest.
    for (auto t = o.fixed.recency_days.rbegin(); t != o.fixed.recency_days.rend(); ++t) {
      result.recency_below.push_back(std::int64_t{*t} + 1);
    }
    for (std::int32_t t : o.fixed.frequency) {
      cut[1].key.push_back(t);
      result.frequency_above.push_back(t);
    }
    const double scale = static_cast<double>(Pow10(money_scale));
    for (double t : o.fixed.monetary) {
      cut[2].key.push_back(std::llround(t * scale));
      result.monetary_above.push_back(cut[2].key.back());
    }
  } else {
    const bool ntile = o.scoring == RfmScoring::kNtile;
    const std::size_t q = n / static_cast<std::size_t>(k), rem = n % static_cast<std::size_t>(k);
    std::array<std::vector<Target>, kMetrics> targets;
    for (std::size_t j = 1; j < static_cast<std::size_t>(k); ++j) {
      const std::size_t s = j * q + std::min(j, rem);  // first position of NTILE bucket j+1
      const std::size_t pos = ntile ? s : s - 1;
      if (pos >= n) continue;  // an empty top bucket: no cut
      for (auto& t : targets) t.push_back(Target{pos, 0, 0});
    }
    const std::array<const std::vector<std::int32_t>*, kMetrics> hists = {&hist.r, &hist.f, &hist.m};
    // Per metric, the distinct target buckets get a slot; wanted[bucket] =
    // slot + 1. An exact bucket holds one key: quantile needs nothing more,
    // NTILE only the ids. Other buckets collect (key, id) pairs.
    std::array<std::vector<std::uint8_t>, kMetrics> wanted;
    std::array<std::vector<Slot>, kMetrics> slots;
    for (int x = 0; x < kMetrics; ++x) {
      SALESIGHT_RETURN_IF_ERROR(Locate(*hists[x], targets[x], n));
      wanted[x].assign(hists[x]->size(), 0);
      for (const Target& t : targets[x]) {
        std::int64_t value = 0;
        const bool exact = ExactBucketValue(x, t.bucket, &value);
        if ((exact && !ntile) || wanted[x][t.bucket] != 0) continue;
        Slot slot;
        slot.bucket = t.bucket;
        slot.exact = exact;
        slots[x].push_back(std::move(slot));
        wanted[x][t.bucket] = static_cast<std::uint8_t>(slots[x].size());
      }
    }
    // One pass collects the customers of the wanted buckets, in row order.
    const int parts = std::max(1, std::min(num_threads, static_cast<int>(n / 1024) + 1));
    std::vector<std::array<std::vector<Slot>, kMetrics>> found(static_cast<std::size_t>(parts));
    for (auto& f : found) f = slots;
    ParallelFor(parts, n, [&](std::size_t b, std::size_t e, int p) {
      auto& out = found[static_cast<std::size_t>(p)];
      auto add = [&](int x, std::size_t bucket, std::int64_t key, Id id, std::size_t row) {
        const std::uint8_t w = wanted[static_cast<std::size_t>(x)][bucket];
        if (w == 0) return;
        Slot& slot = out[static_cast<std::size_t>(x)][w - 1u];
        if (slot.exact) {
          slot.ids.push_back(id);
          slot.sorted_ids += row < sorted_prefix;
        } else {
          slot.pairs.push_back({key, id});
        }
      };
      for (std::size_t i = b; i < e; ++i) {
        const RfmCustomer& row = rows[i];
        const std::int64_t rk = std::int64_t{keys_as_of} - row.recency_days;
        add(0, DayBucket(static_cast<Day>(rk)), rk, row.customer, i);
        add(1, FrequencyBucket(row.frequency), row.frequency, row.customer, i);
        add(2, MoneyBucket(row.monetary), row.monetary, row.customer, i);
      }
    });
    for (int x = 0; x < kMetrics; ++x) {
      // Concatenate in part order: the ids from the id-ordered prefix of the
      // rows come first, ascending.
      std::vector<Slot>& merged = slots[static_cast<std::size_t>(x)];
      for (std::size_t sl = 0; sl < merged.size(); ++sl) {
        Slot& m = merged[sl];
        for (auto& f : found) {
          Slot& part = f[static_cast<std::size_t>(x)][sl];
          m.ids.insert(m.ids.end(), part.ids.begin(), part.ids.end());
          m.pairs.insert(m.pairs.end(), part.pairs.begin(), part.pairs.end());
          m.sorted_ids += part.sorted_ids;
        }
        if (m.exact) {
          std::sort(m.ids.begin() + static_cast<std::ptrdiff_t>(m.sorted_ids), m.ids.end());
        } else {
          std::sort(m.pairs.begin(), m.pairs.end(), Less);
        }
      }
      cut[static_cast<std::size_t>(x)].by_id = ntile;
      for (const Target& t : targets[static_cast<std::size_t>(x)]) {
        std::int64_t value = 0;
        const bool exact = ExactBucketValue(x, t.bucket, &value);
        Candidate c{value, 0};
        if (!(exact && !ntile)) {
          const Slot& slot = merged[wanted[static_cast<std::size_t>(x)][t.bucket] - 1u];
          if (slot.exact) {
            if (t.offset >= slot.ids.size()) {
              return absl::InternalError("rfm: score histogram and rows disagree");
            }
            c.id = KthOfTwoSorted(slot.ids, slot.sorted_ids, t.offset);
          } else {
            if (t.offset >= slot.pairs.size()) {
              return absl::InternalError("rfm: score histogram and rows disagree");
            }
            c = slot.pairs[t.offset];
          }
        }
        cut[static_cast<std::size_t>(x)].key.push_back(c.key);
        if (ntile) cut[static_cast<std::size_t>(x)].id.push_back(c.id);
      }
    }
    if (!ntile) {
      for (std::int64_t t : cut[0].key) result.recency_below.push_back(std::int64_t{as_of} - t);
      result.frequency_above = cut[1].key;
      result.monetary_above = cut[2].key;
    }
  }

  // Classify every customer and segment it; recency moves to the new as_of.
  // Rows are only written when as_of moved (RfmIncremental), so FinishRfm's
  // pass reads the rows without dirtying their cache lines.
  const std::int32_t shift = as_of - keys_as_of;
  const bool has_totals = !totals.empty();
  auto classify = [&](auto shifted) {
    ParallelFor(std::max(1, std::min(num_threads, static_cast<int>(n / 1024) + 1)), n,
                [&](std::size_t b, std::size_t e, int) {
                  for (std::size_t i = b; i < e; ++i) {
                    RfmCustomer& row = rows[i];
                    const std::int64_t rk = std::int64_t{keys_as_of} - row.recency_days;
                    if constexpr (decltype(shifted)::value) row.recency_days += shift;
                    RfmScore s;
                    s.r = cut[0].Score(rk, row.customer);
                    s.f = cut[1].Score(row.frequency, row.customer);
                    s.m = cut[2].Score(row.monetary, row.customer);
                    s.segment = rules.Segment(row, has_totals ? totals[i] : row.monetary, as_of,
                                              s.r, s.f, s.m);
                    scores[i] = s;
                  }
                });
  };
  if (shift != 0) {
    classify(std::true_type{});
  } else {
    classify(std::false_type{});
  }
  return absl::OkStatus();
}

}  // namespace salesight::rfm_internal
