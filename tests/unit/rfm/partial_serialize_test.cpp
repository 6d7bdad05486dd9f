// Serialized RFM partial states: exact round trips, merge of deserialized
// partials == ComputeRfm (and a plain reference), hostile bytes -> errors.
#include <algorithm>
#include <cstring>
#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "rfm_test_util.hpp"
#include "salesight/partial_state.hpp"
#include "salesight/rfm.hpp"

namespace salesight {
namespace {

using rfm_test::Line;
using rfm_test::MakeLines;

// Lines sorted by order id (several lines per order), random customers,
// days and amounts (about 10% returns).
std::vector<Line> RandomSortedLines(std::mt19937_64& rng, int n, int customers) {
  auto uni = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  std::vector<Line> out;
  std::int64_t order = 100;
  while (static_cast<int>(out.size()) < n) {
    const Id c = uni(0, customers - 1);
    const Day d = 19000 + uni(0, 500);
    for (int k = uni(1, 3); k > 0 && static_cast<int>(out.size()) < n; --k) {
      const Money a = uni(0, 9) == 0 ? -uni(1, 5000) : uni(0, 100000);
      out.push_back({order, d, c, a});
    }
    order += uni(1, 3);
  }
  return out;
}

// Plain reference of the metrics (default options: purchases = amount >= 0,
// frequency = distinct orders, as_of = max day + 1).
struct Ref {
  std::int32_t recency, frequency;
  Money monetary;
};
std::map<Id, Ref> Reference(const std::vector<Line>& lines) {
  Day max_day = kNoDate;
  for (const Line& l : lines) max_day = std::max(max_day, l.day);
  std::map<Id, std::set<std::int64_t>> orders;
  std::map<Id, Day> last;
  std::map<Id, Money> sum;
  for (const Line& l : lines) {
    sum[l.customer] += l.amount;
    if (l.amount < 0) continue;
    orders[l.customer].insert(l.order);
    last[l.customer] = std::max(last.count(l.customer) ? last[l.customer] : kNoDate, l.day);
  }
  std::map<Id, Ref> out;
  for (const auto& [c, s] : orders) {
    out[c] = {max_day + 1 - last[c], static_cast<std::int32_t>(s.size()), sum[c]};
  }
  return out;
}

std::string Serialize(const RfmPartial& p) {
  absl::StatusOr<std::string> b = SerializeRfmPartial(p);
  EXPECT_TRUE(b.ok()) << b.status();
  return b.ok() ? *b : std::string();
}

TEST(RfmPartialSerialize, HandComputedBlob) {
  // Customer 0: orders 1 (day 100, 5.00) and 3 (day 102, 2.00); customer 1:
  // order 2 (day 101, 3.00).
  const OrderLines t = MakeLines({{1, 100, 0, 500}, {2, 101, 1, 300}, {3, 102, 0, 200}});
  absl::StatusOr<RfmPartial> p = PartialRfm(t, 0, t.size());
  ASSERT_TRUE(p.ok()) << p.status();
  const std::string b = Serialize(*p);
  // 16 header + 4 as_of + 4 window + 3 enums + 4 max_date + 7x8 counts
  // + 1 has_orders + 2x8 boundary ids + 2x(8 + 4) boundary lists (one
  // customer each) + 4 id space + 8 count + 2 customers x 32 = 204.
  EXPECT_EQ(b.size(), 204u);
  EXPECT_EQ(b.substr(0, 8), std::string("SLSPART\0", 8));
  EXPECT_EQ(b[8], 2);   // format version 2, little-endian
  EXPECT_EQ(b[9], 0);
  EXPECT_EQ(b[10], 1);  // kind rfm
  EXPECT_EQ(b[12], 2);  // money scale 2
  ASSERT_EQ(*PeekPartialKind(b), PartialKind::kRfm);
  absl::StatusOr<RfmPartial> back = DeserializeRfmPartial(b);
  ASSERT_TRUE(back.ok()) << back.status();
  absl::StatusOr<RfmResult> r = FinishRfm(*std::move(back));
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_EQ(r->customers.size(), 2u);
  // as_of = 102 + 1 = 103: customer 0 recency 103 - 102 = 1, 2 orders, 700;
  // customer 1 recency 103 - 101 = 2, 1 order, 300.
  EXPECT_EQ(r->as_of, 103);
  EXPECT_EQ(r->customers[0].recency_days, 1);
  EXPECT_EQ(r->customers[0].frequency, 2);
  EXPECT_EQ(r->customers[0].monetary, 700);
  EXPECT_EQ(r->customers[1].recency_days, 2);
  EXPECT_EQ(r->customers[1].frequency, 1);
  EXPECT_EQ(r->customers[1].monetary, 300);
}

// The dense state costs 32 bytes per id: a blob may not claim an id space
// beyond max(2^22, 1024 x (customers + 1)), so 200 hostile bytes cannot ask
// for gigabytes. The hand blob's id space (2) is the int32 at offset 128
// (204 bytes - 2 x 32 customers - 8 count - 4).
TEST(RfmPartialSerialize, IdSpaceIsBoundedByTheCustomersInTheBlob) {
  const OrderLines t = MakeLines({{1, 100, 0, 500}, {2, 101, 1, 300}, {3, 102, 0, 200}});
  absl::StatusOr<RfmPartial> p = PartialRfm(t, 0, t.size());
  ASSERT_TRUE(p.ok()) << p.status();
  std::string b = Serialize(*p);
  ASSERT_EQ(b.size(), 204u);
  auto set_ids = [&b](std::uint32_t v) {
    for (int i = 0; i < 4; ++i) b[128 + static_cast<std::size_t>(i)] = static_cast<char>(v >> (8 * i));
  };
  ASSERT_EQ(static_cast<unsigned char>(b[128]), 2);
  set_ids(std::uint32_t{1} << 22);  // 2 customers: the 2^22 floor applies
  absl::StatusOr<RfmPartial> at_limit = DeserializeRfmPartial(b);
  ASSERT_TRUE(at_limit.ok()) << at_limit.status();
  EXPECT_EQ(at_limit->num_customer_ids(), 1 << 22);
  set_ids((std::uint32_t{1} << 22) + 1);
  absl::StatusOr<RfmPartial> over = DeserializeRfmPartial(b);
  ASSERT_FALSE(over.ok());
  EXPECT_NE(over.status().message().find("customer ids for 2 customers"), std::string::npos)
      << over.status();
}

TEST(RfmPartialSerialize, RoundTripIsByteExactAndMergesLikeCompute) {
  for (std::uint64_t seed = 0; seed < 60; ++seed) {
    std::mt19937_64 rng(4242 + seed);
    const int customers = 1 + static_cast<int>(seed % 40);
    const std::vector<Line> lines = RandomSortedLines(rng, 50 + static_cast<int>(seed) * 7, customers);
    const OrderLines t = MakeLines(lines);
    RfmOptions o;
    o.num_threads = 1 + static_cast<int>(seed % 3);
    absl::StatusOr<RfmResult> whole = ComputeRfm(t, o);
    ASSERT_TRUE(whole.ok()) << whole.status();
    // Random contiguous cuts (they may split an order: the boundary case).
    std::vector<std::size_t> cuts = {0, lines.size()};
    for (int c = static_cast<int>(seed % 6); c > 0; --c) {
      cuts.push_back(std::uniform_int_distribution<std::size_t>(0, lines.size())(rng));
    }
    std::sort(cuts.begin(), cuts.end());
    std::vector<std::string> blobs;
    for (std::size_t i = 0; i + 1 < cuts.size(); ++i) {
      // Each partition as its own table, as a Dask worker builds it.
      const OrderLines part = MakeLines(rfm_test::Slice(lines, cuts[i], cuts[i + 1]));
      absl::StatusOr<RfmPartial> p = PartialRfm(part, 0, part.size(), o);
      ASSERT_TRUE(p.ok()) << p.status();
      blobs.push_back(Serialize(*p));
      absl::StatusOr<RfmPartial> back = DeserializeRfmPartial(blobs.back());
      ASSERT_TRUE(back.ok()) << back.status();
      EXPECT_EQ(Serialize(*back), blobs.back()) << "seed " << seed;
    }
    // A tree of merges over neighbours, through bytes at every level.
    while (blobs.size() > 1) {
      std::vector<std::string> next;
      for (std::size_t i = 0; i < blobs.size(); i += 2) {
        absl::StatusOr<RfmPartial> a = DeserializeRfmPartial(blobs[i]);
        ASSERT_TRUE(a.ok()) << a.status();
        if (i + 1 < blobs.size()) {
          absl::StatusOr<RfmPartial> b = DeserializeRfmPartial(blobs[i + 1]);
          ASSERT_TRUE(b.ok()) << b.status();
          absl::Status st = MergeRfm(*a, *b);
          ASSERT_TRUE(st.ok()) << st << " seed " << seed;
        }
        next.push_back(Serialize(*a));
      }
      blobs = std::move(next);
    }
    absl::StatusOr<RfmPartial> state = DeserializeRfmPartial(blobs[0]);
    ASSERT_TRUE(state.ok()) << state.status();
    absl::StatusOr<RfmResult> merged = FinishRfm(*std::move(state), o);
    ASSERT_TRUE(merged.ok()) << merged.status();
    EXPECT_EQ(rfm_test::Flatten(*merged), rfm_test::Flatten(*whole)) << "seed " << seed;
    rfm_test::ExpectSameCounts(merged->counts, whole->counts);
    // And against the plain reference.
    const std::map<Id, Ref> ref = Reference(lines);
    ASSERT_EQ(merged->customers.size(), ref.size()) << "seed " << seed;
    for (const RfmCustomer& c : merged->customers) {
      const Ref& want = ref.at(c.customer);
      EXPECT_EQ(c.recency_days, want.recency) << "seed " << seed;
      EXPECT_EQ(c.frequency, want.frequency) << "seed " << seed;
      EXPECT_EQ(c.monetary, want.monetary) << "seed " << seed;
    }
  }
}

TEST(RfmPartialSerialize, OptionsTravelWithTheState) {
  const OrderLines t = MakeLines({{1, 100, 0, 500}, {2, 101, 1, -300}, {3, 102, 0, 200}});
  RfmOptions o;
  o.as_of = 101;
  o.window_days = 1;
  o.frequency = RfmFrequency::kDays;
  o.purchase = RfmPurchase::kAllLines;
  absl::StatusOr<RfmPartial> p = PartialRfm(t, 0, t.size(), o);
  ASSERT_TRUE(p.ok()) << p.status();
  absl::StatusOr<RfmPartial> back = DeserializeRfmPartial(Serialize(*p));
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(back->counts().excluded_future, 1);  // day 102 > as_of 101
  // Finishing with other scan options fails; with the same ones it works.
  EXPECT_FALSE(FinishRfm(*back, RfmOptions{}).ok());
  absl::StatusOr<RfmResult> r = FinishRfm(*std::move(back), o);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->customers.size(), 2u);
}

TEST(RfmPartialSerialize, EveryTruncationIsAnError) {
  std::mt19937_64 rng(7);
  const OrderLines t = MakeLines(RandomSortedLines(rng, 40, 6));
  absl::StatusOr<RfmPartial> p = PartialRfm(t, 0, t.size());
  ASSERT_TRUE(p.ok());
  const std::string b = Serialize(*p);
  for (std::size_t n = 0; n < b.size(); ++n) {
    absl::StatusOr<RfmPartial> r = DeserializeRfmPartial(std::string_view(b.data(), n));
    ASSERT_FALSE(r.ok()) << "prefix " << n;
    EXPECT_NE(r.status().message().find("byte offset"), std::string_view::npos) << r.status();
  }
  EXPECT_FALSE(DeserializeRfmPartial(b + "x").ok());  // trailing bytes
}

TEST(RfmPartialSerialize, RandomByteFlipsNeverCrash) {
  std::mt19937_64 rng(99);
  const OrderLines t = MakeLines(RandomSortedLines(rng, 60, 8));
  absl::StatusOr<RfmPartial> p = PartialRfm(t, 0, t.size());
  ASSERT_TRUE(p.ok());
  const std::string b = Serialize(*p);
  int accepted = 0;
  for (int trial = 0; trial < 600; ++trial) {
    std::string x = b;
    for (int k = 1 + trial % 3; k > 0; --k) {
      const std::size_t at = std::uniform_int_distribution<std::size_t>(0, x.size() - 1)(rng);
      x[at] = static_cast<char>(std::uniform_int_distribution<int>(0, 255)(rng));
    }
    absl::StatusOr<RfmPartial> r = DeserializeRfmPartial(x);
    if (!r.ok()) continue;
    // Whatever is accepted must merge and finish without crashing (every
    // 3rd: a finish costs ~2 MB of score histograms).
    if (accepted++ % 3 != 0) continue;
    absl::StatusOr<RfmPartial> good = DeserializeRfmPartial(b);
    ASSERT_TRUE(good.ok());
    (void)MergeRfm(*good, *r);
    (void)FinishRfm(*std::move(good));
    (void)FinishRfm(*std::move(r));
  }
  // Some flips hit free values (amounts, unused bits): the test exercises both paths.
  EXPECT_GT(accepted, 0);
  EXPECT_LT(accepted, 600);
}

TEST(RfmPartialSerialize, WrongKindAndGarbage) {
  EXPECT_FALSE(DeserializeRfmPartial("").ok());
  EXPECT_FALSE(DeserializeRfmPartial("not a partial state at all").ok());
  EXPECT_FALSE(PeekPartialKind("SLSPART").ok());
  MarginPartial m;
  absl::StatusOr<std::string> mb = SerializeMarginPartial(m);
  ASSERT_TRUE(mb.ok());
  absl::StatusOr<RfmPartial> r = DeserializeRfmPartial(*mb);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("kind 3"), std::string_view::npos) << r.status();
  std::string future = *mb;
  future[8] = 3;  // format version 3
  EXPECT_FALSE(PeekPartialKind(future).ok());
}

}  // namespace
}  // namespace salesight
