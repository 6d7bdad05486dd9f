// ComputeRfm, the partial state and RfmIncremental against a plain,
// obviously-correct reference written with std::map / std::set / std::sort.
#include <algorithm>
#include <climits>
#include <cmath>
#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "rfm/rfm_reference.hpp"
#include "rfm/rfm_test_util.hpp"
#include "salesight/rfm.hpp"

namespace salesight {
namespace {

using rfm_test::FlatRow;
using rfm_test::Line;
using rfm_test::MakeLines;
using rfm_test::ExpectMatches;
using rfm_test::ExpectThresholdsExplainScores;
using rfm_test::RandomLines;
using rfm_test::RandomOptions;
using rfm_test::Reference;
using rfm_test::RefOut;
using rfm_test::SqlNtile;

// ---------------------------------------------------------------- tests

TEST(RfmReference, RandomInputsAllThreadCounts) {
  for (std::uint64_t seed = 0; seed < 400; ++seed) {
    std::mt19937_64 rng(seed);
    const std::vector<Line> lines = RandomLines(rng, seed % 4 == 3);
    RfmOptions o = RandomOptions(rng, lines, false);
    const OrderLines t = MakeLines(lines, true);
    const RefOut want = Reference(lines, o);
    for (int threads : {1, 2, 3}) {
      o.num_threads = threads;
      absl::StatusOr<RfmResult> got = ComputeRfm(t, o);
      ASSERT_TRUE(got.ok()) << got.status() << " seed " << seed;
      ExpectMatches(want, *got, absl::StrCat("seed ", seed, " threads ", threads));
      ExpectThresholdsExplainScores(*got, absl::StrCat("seed ", seed));
      if (HasFatalFailure()) return;
    }
  }
}

// Enough customers that every pass really splits over the threads.
TEST(RfmReference, ManyCustomersAllThreadCounts) {
  for (std::uint64_t seed = 0; seed < 24; ++seed) {
    std::mt19937_64 rng(7000 + seed);
    std::uniform_int_distribution<int> pick(0, 999);
    std::vector<Line> lines;
    const int customers = 3000 + pick(rng) * 3;
    for (int o = 0; o < 20000; ++o) {
      const Money amount = static_cast<Money>(pick(rng) * pick(rng)) - (pick(rng) < 50 ? 400000 : 0);
      lines.push_back({o, 19000 + o / 30, static_cast<Id>(pick(rng) * customers / 1000), amount});
    }
    if (seed % 3 == 2) std::shuffle(lines.begin(), lines.end(), rng);
    RfmOptions o = RandomOptions(rng, lines, false);
    const RefOut want = Reference(lines, o);
    const OrderLines t = MakeLines(lines, true);
    for (int threads : {1, 2, 3}) {
      o.num_threads = threads;
      absl::StatusOr<RfmResult> got = ComputeRfm(t, o);
      ASSERT_TRUE(got.ok()) << got.status();
      ExpectMatches(want, *got, absl::StrCat("seed ", seed, " threads ", threads));
      if (HasFatalFailure()) return;
    }
  }
}

TEST(RfmReference, NtileEqualsSqlNtileWithManyTies) {
  for (std::uint64_t seed = 0; seed < 150; ++seed) {
    std::mt19937_64 rng(1000 + seed);
    std::uniform_int_distribution<int> pick(0, 999);
    // Few distinct days, frequencies and amounts: ties everywhere.
    std::vector<Line> lines;
    const int customers = 1 + pick(rng) % 60;
    for (int o = 0; o < 3 * customers; ++o) {
      lines.push_back({o, 19000 + pick(rng) % 4, static_cast<Id>(pick(rng) % customers),
                       static_cast<Money>(100 * (pick(rng) % 3))});
    }
    RfmOptions o = RfmOptionsForWorkload(19004, 1 + static_cast<int>(seed % 3));
    o.segments = RfmSegments::kTiers;
    o.k = 1 + pick(rng) % 9;
    const OrderLines t = MakeLines(lines);
    absl::StatusOr<RfmResult> got = ComputeRfm(t, o);
    ASSERT_TRUE(got.ok()) << got.status();
    // Plain SQL: ROW_NUMBER over each ORDER BY, then the NTILE formula.
    std::map<Id, long long> last, freq, money;
    for (const Line& l : lines) {
      last[l.customer] = std::max(last.count(l.customer) ? last[l.customer] : LLONG_MIN,
                                  static_cast<long long>(l.day));
      ++freq[l.customer];
      money[l.customer] += l.amount;
    }
    auto ntile_of = [&](const std::map<Id, long long>& key, bool desc_recency) {
      std::vector<std::pair<long long, Id>> v;
      for (const auto& [id, k] : key) v.push_back({desc_recency ? -(19004 - k) : k, id});
      std::sort(v.begin(), v.end());
      std::map<Id, int> out;
      for (std::size_t i = 0; i < v.size(); ++i) {
        out[v[i].second] = SqlNtile(static_cast<long>(i) + 1, static_cast<long>(v.size()), o.k);
      }
      return out;
    };
    const auto r = ntile_of(last, true), f = ntile_of(freq, false), m = ntile_of(money, false);
    ASSERT_EQ(got->customers.size(), last.size());
    for (std::size_t i = 0; i < got->customers.size(); ++i) {
      const Id id = got->customers[i].customer;
      EXPECT_EQ(got->scores[i].r, r.at(id)) << "seed " << seed << " customer " << id;
      EXPECT_EQ(got->scores[i].f, f.at(id)) << "seed " << seed << " customer " << id;
      EXPECT_EQ(got->scores[i].m, m.at(id)) << "seed " << seed << " customer " << id;
    }
  }
}

TEST(RfmReference, WorkloadSegmentsMatchPlainRules) {
  for (std::uint64_t seed = 0; seed < 60; ++seed) {
    std::mt19937_64 rng(5000 + seed);
    const std::vector<Line> lines = RandomLines(rng, false);
    RfmOptions o = RfmOptionsForWorkload(19500, 1 + static_cast<int>(seed % 2));
    const RefOut want = Reference(lines, o);
    absl::StatusOr<RfmResult> got = ComputeRfm(MakeLines(lines, true), o);
    ASSERT_TRUE(got.ok()) << got.status();
    ExpectMatches(want, *got, absl::StrCat("seed ", seed));
  }
}

// finish(merge(partial(a), partial(b), ...)) == result(a u b u ...).
TEST(RfmPartition, ContiguousRangesMergeExactly) {
  for (std::uint64_t seed = 0; seed < 250; ++seed) {
    std::mt19937_64 rng(20000 + seed);
    std::uniform_int_distribution<int> pick(0, 999);
    const std::vector<Line> lines = RandomLines(rng, false);
    const RfmOptions o = RandomOptions(rng, lines, true);
    const OrderLines t = MakeLines(lines, true);
    absl::StatusOr<RfmResult> whole = ComputeRfm(t, o);
    ASSERT_TRUE(whole.ok()) << whole.status();
    // Random cut points, some splitting an order's lines.
    std::vector<std::size_t> cuts = {0, lines.size()};
    for (int c = pick(rng) % 4; c > 0; --c) cuts.push_back(lines.size() * static_cast<std::size_t>(pick(rng)) / 1000);
    std::sort(cuts.begin(), cuts.end());
    const bool separate_tables = seed % 2 == 0;
    const bool reverse = seed % 3 == 0;
    std::vector<RfmPartial> parts;
    std::vector<OrderLines> tables;
    tables.reserve(cuts.size());
    for (std::size_t i = 0; i + 1 < cuts.size(); ++i) {
      absl::StatusOr<RfmPartial> p;
      if (separate_tables) {
        tables.push_back(MakeLines(rfm_test::Slice(lines, cuts[i], cuts[i + 1]), true));
        p = PartialRfm(tables.back(), 0, tables.back().size(), o);
      } else {
        p = PartialRfm(t, cuts[i], cuts[i + 1], o);
      }
      ASSERT_TRUE(p.ok()) << p.status();
      parts.push_back(*std::move(p));
    }
    if (reverse) std::reverse(parts.begin(), parts.end());
    RfmPartial state = std::move(parts[0]);
    for (std::size_t i = 1; i < parts.size(); ++i) {
      absl::Status st = MergeRfm(state, parts[i]);
      ASSERT_TRUE(st.ok()) << st << " seed " << seed;
    }
    absl::StatusOr<RfmResult> merged = FinishRfm(std::move(state), o);
    ASSERT_TRUE(merged.ok()) << merged.status();
    EXPECT_EQ(rfm_test::Flatten(*merged), rfm_test::Flatten(*whole)) << "seed " << seed;
    rfm_test::ExpectSameCounts(merged->counts, whole->counts);
    EXPECT_EQ(merged->as_of, whole->as_of);
  }
}

TEST(RfmPartition, DefaultAsOfResolvedAtFinish) {
  std::mt19937_64 rng(77);
  const std::vector<Line> lines = RandomLines(rng, false);
  ASSERT_GT(lines.size(), 10u);
  const OrderLines t = MakeLines(lines);
  const std::size_t mid = lines.size() / 2;
  absl::StatusOr<RfmPartial> a = PartialRfm(t, 0, mid), b = PartialRfm(t, mid, t.size());
  ASSERT_TRUE(a.ok() && b.ok());
  ASSERT_TRUE(MergeRfm(*a, *b).ok());
  absl::StatusOr<RfmResult> merged = FinishRfm(*std::move(a));
  absl::StatusOr<RfmResult> whole = ComputeRfm(t);
  ASSERT_TRUE(merged.ok() && whole.ok());
  EXPECT_EQ(merged->as_of, t.max_date() + 1);
  EXPECT_EQ(rfm_test::Flatten(*merged), rfm_test::Flatten(*whole));
}

TEST(RfmPartition, OverlappingOrderIdsFailAndLeaveStateUnchanged) {
  // Order 5 appears in both partitions, with order 6 in between: the second
  // partition's range [5, 7] overlaps the first's [5, 6] beyond one shared id.
  std::vector<Line> lines = {{5, 19000, 0, 10}, {6, 19001, 1, 10}, {5, 19000, 0, 10},
                             {7, 19002, 1, 10}};
  const OrderLines t = MakeLines(lines);
  absl::StatusOr<RfmPartial> a = PartialRfm(t, 0, 2), b = PartialRfm(t, 2, 4);
  ASSERT_TRUE(a.ok() && b.ok());
  const RfmPartial before = *a;
  absl::Status st = MergeRfm(*a, *b);
  EXPECT_EQ(st.code(), absl::StatusCode::kFailedPrecondition) << st;
  EXPECT_NE(st.message().find("overlap"), std::string::npos);
  absl::StatusOr<RfmResult> x = FinishRfm(*a), y = FinishRfm(before);
  ASSERT_TRUE(x.ok() && y.ok());
  EXPECT_EQ(rfm_test::Flatten(*x), rfm_test::Flatten(*y));
  // ComputeRfm on the same lines recounts and stays exact: customer 0 has 1 order.
  for (int threads : {1, 2, 3}) {
    RfmOptions o;
    o.num_threads = threads;
    absl::StatusOr<RfmResult> r = ComputeRfm(t, o);
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->customers[0].frequency, 1);
  }
}

TEST(RfmPartition, OverlappingDaysFail) {
  std::vector<Line> lines = {{1, 19000, 0, 10}, {2, 19005, 0, 10}, {3, 19002, 0, 10}};
  RfmOptions o;
  o.frequency = RfmFrequency::kDays;
  const OrderLines t = MakeLines(lines);
  absl::StatusOr<RfmPartial> a = PartialRfm(t, 0, 2, o), b = PartialRfm(t, 2, 3, o);
  ASSERT_TRUE(a.ok() && b.ok());
  absl::Status st = MergeRfm(*a, *b);
  EXPECT_EQ(st.code(), absl::StatusCode::kFailedPrecondition) << st;
}

TEST(RfmPartition, MismatchedOptionsFail) {
  std::mt19937_64 rng(3);
  const std::vector<Line> lines = RandomLines(rng, false);
  const OrderLines t = MakeLines(lines);
  RfmOptions a, b;
  a.as_of = b.as_of = 19500;
  b.frequency = RfmFrequency::kDays;
  absl::StatusOr<RfmPartial> pa = PartialRfm(t, 0, t.size(), a), pb = PartialRfm(t, 0, t.size(), b);
  ASSERT_TRUE(pa.ok() && pb.ok());
  EXPECT_EQ(MergeRfm(*pa, *pb).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_FALSE(FinishRfm(*pa, b).ok());
  RfmOptions w;
  w.window_days = 30;  // needs an explicit as_of in the partial API
  EXPECT_FALSE(PartialRfm(t, 0, t.size(), w).ok());
}

// Appended batches (separate tables, later order ids) == one ComputeRfm.
TEST(RfmAppend, BatchesEqualRecompute) {
  for (std::uint64_t seed = 0; seed < 200; ++seed) {
    std::mt19937_64 rng(40000 + seed);
    std::uniform_int_distribution<int> pick(0, 999);
    const std::vector<Line> lines = RandomLines(rng, false);
    RfmOptions o = RandomOptions(rng, lines, seed % 2 == 0);
    absl::StatusOr<RfmResult> whole = ComputeRfm(MakeLines(lines, true), o);
    ASSERT_TRUE(whole.ok()) << whole.status();
    std::vector<std::size_t> cuts = {0, lines.size()};
    for (int c = 1 + pick(rng) % 4; c > 0; --c) cuts.push_back(lines.size() * static_cast<std::size_t>(pick(rng)) / 1000);
    std::sort(cuts.begin(), cuts.end());
    // A partial state built from the first part (or empty), then AppendRfm.
    RfmOptions po = o;
    if (po.as_of == kNoDate) po.window_days = 0;  // default as_of cannot window a partial
    const bool windowless_default = o.as_of == kNoDate && o.window_days > 0;
    if (windowless_default) continue;
    RfmPartial state;
    std::vector<OrderLines> tables;
    for (std::size_t i = 0; i + 1 < cuts.size(); ++i) {
      tables.push_back(MakeLines(rfm_test::Slice(lines, cuts[i], cuts[i + 1]), true));
      if (i == 0 && seed % 3 != 0) {
        absl::StatusOr<RfmPartial> p = PartialRfm(tables.back(), 0, tables.back().size(), po);
        ASSERT_TRUE(p.ok()) << p.status();
        state = *std::move(p);
      } else {
        absl::Status st = AppendRfm(state, tables.back(), po);
        ASSERT_TRUE(st.ok()) << st << " seed " << seed;
      }
    }
    absl::StatusOr<RfmResult> appended = FinishRfm(std::move(state), po);
    ASSERT_TRUE(appended.ok()) << appended.status();
    EXPECT_EQ(rfm_test::Flatten(*appended), rfm_test::Flatten(*whole)) << "seed " << seed;
    rfm_test::ExpectSameCounts(appended->counts, whole->counts);
  }
}

TEST(RfmAppend, EarlierOrderIdFailsAndLeavesStateUnchanged) {
  const OrderLines first = MakeLines({{10, 19000, 0, 100}, {11, 19001, 1, 100}});
  const OrderLines late = MakeLines({{12, 19002, 0, 100}, {9, 19002, 1, 100}});
  absl::StatusOr<RfmPartial> s = PartialRfm(first, 0, first.size());
  ASSERT_TRUE(s.ok());
  const RfmPartial before = *s;
  absl::Status st = AppendRfm(*s, late);
  EXPECT_EQ(st.code(), absl::StatusCode::kFailedPrecondition) << st;
  EXPECT_NE(st.message().find("order '9', below the largest order '11'"), std::string::npos) << st;
  absl::StatusOr<RfmResult> x = FinishRfm(*s), y = FinishRfm(before);
  ASSERT_TRUE(x.ok() && y.ok());
  EXPECT_EQ(rfm_test::Flatten(*x), rfm_test::Flatten(*y));
  EXPECT_EQ(x->counts.lines, 2);
}

// Order numbers given as text (the CSV reader, the C builder's STRING column)
// are ids of their codes inside; errors name the codes, never the ids.
TEST(RfmAppend, ErrorsNameOrderNumbersAsGiven) {
  auto codes = [](std::vector<std::string> v) {
    return std::make_shared<Dictionary>(*Dictionary::FromCodes(v));
  };
  auto with_orders = [](const OrderLines& t, DictionaryPtr orders) {
    OrderLinesColumns c = t.columns();
    c.orders = std::move(orders);
    return *OrderLines::Build(std::move(c));
  };
  const DictionaryPtr numbers = codes({"SO-1", "SO-2", "SO-3", "SO-4"});
  const OrderLines first =
      with_orders(MakeLines({{1, 19000, 0, 100}, {2, 19001, 1, 100}}), numbers);
  const OrderLines late = with_orders(MakeLines({{3, 19002, 0, 100}, {0, 19002, 1, 100}}), numbers);
  absl::StatusOr<RfmPartial> s = PartialRfm(first, 0, first.size());
  ASSERT_TRUE(s.ok());
  absl::Status st = AppendRfm(*s, late);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("order 'SO-1', below the largest order 'SO-3'"), std::string::npos)
      << st;
  // Merging partitions whose orders overlap names their bounds' codes.
  const OrderLines all = with_orders(
      MakeLines({{0, 19000, 0, 1}, {2, 19001, 1, 1}, {1, 19002, 0, 1}, {3, 19003, 1, 1}}), numbers);
  absl::StatusOr<RfmPartial> a = PartialRfm(all, 0, 2), b = PartialRfm(all, 2, 4);
  ASSERT_TRUE(a.ok() && b.ok());
  st = MergeRfm(*a, *b);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("['SO-1', 'SO-3'] and ['SO-2', 'SO-4']"), std::string::npos) << st;
}

TEST(RfmAppend, ContinuedBoundaryOrderCountsOnce) {
  // Order 11's lines straddle the append.
  const OrderLines first = MakeLines({{10, 19000, 0, 100}, {11, 19001, 0, 100}});
  const OrderLines next = MakeLines({{11, 19001, 0, 50}, {12, 19003, 0, 100}});
  absl::StatusOr<RfmPartial> s = PartialRfm(first, 0, first.size());
  ASSERT_TRUE(s.ok());
  ASSERT_TRUE(AppendRfm(*s, next).ok());
  absl::StatusOr<RfmResult> r = FinishRfm(*std::move(s));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->customers[0].frequency, 3);  // orders 10, 11, 12
  EXPECT_EQ(r->customers[0].monetary, 350);
  EXPECT_EQ(r->as_of, 19004);
}

TEST(RfmIncrementalTest, AppendsEqualRecompute) {
  for (std::uint64_t seed = 0; seed < 200; ++seed) {
    std::mt19937_64 rng(60000 + seed);
    std::uniform_int_distribution<int> pick(0, 999);
    const std::vector<Line> lines = RandomLines(rng, false);
    RfmOptions o = RandomOptions(rng, lines, seed % 2 == 0);
    if (o.as_of == kNoDate) o.window_days = 0;
    o.num_threads = 1 + static_cast<int>(seed % 3);
    std::vector<std::size_t> cuts = {0, lines.size()};
    for (int c = 1 + pick(rng) % 5; c > 0; --c) cuts.push_back(lines.size() * static_cast<std::size_t>(pick(rng)) / 1000);
    std::sort(cuts.begin(), cuts.end());
    absl::StatusOr<RfmIncremental> inc =
        RfmIncremental::Create(MakeLines(rfm_test::Slice(lines, 0, cuts[1]), true), o);
    ASSERT_TRUE(inc.ok()) << inc.status();
    for (std::size_t i = 1; i + 1 < cuts.size(); ++i) {
      absl::Status st = inc->Append(MakeLines(rfm_test::Slice(lines, cuts[i], cuts[i + 1]), true));
      ASSERT_TRUE(st.ok()) << st << " seed " << seed;
      // After every batch, the result equals a recompute over everything so far.
      const std::vector<Line> so_far = rfm_test::Slice(lines, 0, cuts[i + 1]);
      absl::StatusOr<RfmResult> whole = ComputeRfm(MakeLines(so_far, true), o);
      ASSERT_TRUE(whole.ok()) << whole.status();
      ASSERT_EQ(rfm_test::Flatten(inc->result()), rfm_test::Flatten(*whole))
          << "seed " << seed << " batch " << i;
      rfm_test::ExpectSameCounts(inc->result().counts, whole->counts);
      EXPECT_EQ(inc->result().as_of, whole->as_of);
      EXPECT_EQ(inc->result().recency_below, whole->recency_below);
      EXPECT_EQ(inc->result().monetary_above, whole->monetary_above);
    }
  }
}

TEST(RfmIncrementalTest, ManyCustomersThreaded) {
  std::mt19937_64 rng(99);
  std::uniform_int_distribution<int> pick(0, 999);
  std::vector<Line> lines;
  for (int o = 0; o < 20000; ++o) {
    lines.push_back({o, 19000 + o / 25, static_cast<Id>(pick(rng) * 4), static_cast<Money>(pick(rng) * 37)});
  }
  for (RfmScoring scoring : {RfmScoring::kNtile, RfmScoring::kQuantile}) {
    RfmOptions o;
    o.scoring = scoring;
    o.num_threads = 2;
    absl::StatusOr<RfmIncremental> inc = RfmIncremental::Create(MakeLines(rfm_test::Slice(lines, 0, 15000)), o);
    ASSERT_TRUE(inc.ok());
    for (std::size_t b = 15000; b < lines.size(); b += 1000) {
      ASSERT_TRUE(inc->Append(MakeLines(rfm_test::Slice(lines, b, b + 1000))).ok());
      absl::StatusOr<RfmResult> whole = ComputeRfm(MakeLines(rfm_test::Slice(lines, 0, b + 1000)), o);
      ASSERT_TRUE(whole.ok());
      ASSERT_EQ(rfm_test::Flatten(inc->result()), rfm_test::Flatten(*whole)) << b;
    }
  }
}

TEST(RfmIncrementalTest, MovingWindowIsRefused) {
  RfmOptions o;
  o.window_days = 30;
  EXPECT_FALSE(RfmIncremental::Create(MakeLines({{1, 19000, 0, 10}}), o).ok());
}

}  // namespace
}  // namespace salesight
