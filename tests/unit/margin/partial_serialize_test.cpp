// Serialized margin partial states: round trips, merges through bytes equal
// ComputeMargin and a plain reference, hostile bytes -> errors.
#include <map>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "margin_test_util.hpp"
#include "salesight/margin.hpp"
#include "salesight/partial_state.hpp"

namespace salesight {
namespace {

using margin_test::MakeRandomData;
using margin_test::RandomData;

std::string Csv(const ResultTable& t) {
  std::ostringstream out;
  WriteCsv(t, out);
  return out.str();
}

std::string Serialize(const MarginPartial& p) {
  absl::StatusOr<std::string> b = SerializeMarginPartial(p);
  EXPECT_TRUE(b.ok()) << b.status();
  return b.ok() ? *b : std::string();
}

std::vector<MarginGrouping> Groupings() {
  return {{{"product"}},
          {{"region", "month"}},
          {{"week", "customer"}},
          {{"salesperson", "day"}},
          {{"quarter"}},
          {{"channel", "department", "year"}},
          {{"order"}},
          {{}}};
}

TEST(MarginPartialSerialize, HandComputedBlob) {
  // Product 0: 2 x 5.00 at unit cost 3.00 and 1 x 4.00 at 1.00; product 1:
  // 1 x 2.00 at 2.50. Grouped by product.
  margin_test::LineRows l;
  l.order_id = {1, 1, 2};
  l.date = {100, 100, 101};
  l.customer = {0, 0, 1};
  l.product = {0, 1, 0};
  l.quantity = {2, 1, 1};
  l.amount = {1000, 200, 400};
  l.unit_cost = {300, 250, 100};
  absl::StatusOr<OrderLines> t = l.Build();
  ASSERT_TRUE(t.ok()) << t.status();
  MarginOptions o;
  absl::StatusOr<MarginPartial> p = PartialMargin(*t, nullptr, 0, t->size(), o);
  ASSERT_TRUE(p.ok()) << p.status();
  const std::string b = Serialize(*p);
  // 16 header + 8 dimension count + (8 + 7) "product" + 1 has_quantity
  // + 8 outside + 5x8 cost sources + 8 group count
  // + 2 groups x (1 key + 6 sums) x 8 = 208.
  EXPECT_EQ(b.size(), 208u);
  absl::StatusOr<MarginPartial> back = DeserializeMarginPartial(b);
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(Serialize(*back), b);
  absl::StatusOr<MarginResult> r = FinishMargin(*std::move(back), o);
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_EQ(r->groups.size(), 2u);
  // Product 0: revenue 1000 + 400 = 1400, cost 2x300 + 1x100 = 700, margin 700.
  EXPECT_EQ(r->groups[0].figures.revenue, 1400);
  EXPECT_EQ(r->groups[0].figures.cost, 700);
  EXPECT_EQ(r->groups[0].figures.margin, 700);
  // Product 1: revenue 200, cost 250, margin -50.
  EXPECT_EQ(r->groups[1].figures.margin, -50);
}

TEST(MarginPartialSerialize, MergesThroughBytesLikeCompute) {
  const std::vector<MarginGrouping> groupings = Groupings();
  for (std::uint64_t seed = 0; seed < 48; ++seed) {
    const RandomData data = MakeRandomData(5000 + seed, 600);
    absl::StatusOr<OrderLines> t = data.lines.Build();
    ASSERT_TRUE(t.ok()) << t.status();
    MarginOptions o;
    o.group_by = groupings[seed % groupings.size()];
    o.num_threads = 1 + static_cast<int>(seed % 3);
    absl::StatusOr<MarginResult> whole = ComputeMargin(*t, nullptr, o);
    ASSERT_TRUE(whole.ok()) << whole.status();
    std::mt19937_64 rng(seed);
    std::vector<std::size_t> cuts = {0, t->size()};
    for (int c = static_cast<int>(seed % 7); c > 0; --c) {
      cuts.push_back(std::uniform_int_distribution<std::size_t>(0, t->size())(rng));
    }
    std::sort(cuts.begin(), cuts.end());
    std::vector<std::string> blobs;
    for (std::size_t i = 0; i + 1 < cuts.size(); ++i) {
      absl::StatusOr<MarginPartial> p = PartialMargin(*t, nullptr, cuts[i], cuts[i + 1], o);
      ASSERT_TRUE(p.ok()) << p.status();
      blobs.push_back(Serialize(*p));
    }
    std::shuffle(blobs.begin(), blobs.end(), rng);  // any order merges
    absl::StatusOr<MarginPartial> acc = DeserializeMarginPartial(blobs[0]);
    ASSERT_TRUE(acc.ok()) << acc.status();
    for (std::size_t i = 1; i < blobs.size(); ++i) {
      absl::StatusOr<MarginPartial> next = DeserializeMarginPartial(blobs[i]);
      ASSERT_TRUE(next.ok()) << next.status();
      ASSERT_TRUE(MergeMargin(*acc, *next).ok());
      absl::StatusOr<MarginPartial> again = DeserializeMarginPartial(Serialize(*acc));
      ASSERT_TRUE(again.ok()) << again.status();
      acc = std::move(again);
    }
    absl::StatusOr<MarginResult> merged = FinishMargin(*std::move(acc), o);
    ASSERT_TRUE(merged.ok()) << merged.status();
    // Dictionaries are not serialized; the sample has none attached.
    EXPECT_EQ(Csv(ToResultTable(*merged)), Csv(ToResultTable(*whole))) << "seed " << seed;
    EXPECT_EQ(merged->lines_by_cost_source, whole->lines_by_cost_source);
    // Plain reference: the total revenue is the sum of every amount.
    Money revenue = 0;
    for (Money a : data.lines.amount) revenue += a;
    EXPECT_EQ(merged->total.revenue, revenue) << "seed " << seed;
  }
}

TEST(MarginPartialSerialize, TruncationsAndFlipsAreErrorsNotCrashes) {
  const RandomData data = MakeRandomData(77, 200);
  absl::StatusOr<OrderLines> t = data.lines.Build();
  ASSERT_TRUE(t.ok());
  ASSERT_GT(t->size(), 0u);
  MarginOptions o;
  o.group_by = Groupings()[1];
  absl::StatusOr<MarginPartial> p = PartialMargin(*t, nullptr, 0, t->size(), o);
  ASSERT_TRUE(p.ok());
  const std::string b = Serialize(*p);
  for (std::size_t n = 0; n < b.size(); ++n) {
    ASSERT_FALSE(DeserializeMarginPartial(std::string_view(b.data(), n)).ok()) << n;
  }
  std::mt19937_64 rng(3);
  int accepted = 0;
  for (int trial = 0; trial < 3000; ++trial) {
    std::string x = b;
    const std::size_t at = std::uniform_int_distribution<std::size_t>(0, x.size() - 1)(rng);
    x[at] = static_cast<char>(std::uniform_int_distribution<int>(0, 255)(rng));
    absl::StatusOr<MarginPartial> r = DeserializeMarginPartial(x);
    if (!r.ok()) continue;
    ++accepted;
    absl::StatusOr<MarginPartial> good = DeserializeMarginPartial(b);
    ASSERT_TRUE(good.ok());
    (void)MergeMargin(*good, *r);
    absl::StatusOr<MarginResult> f = FinishMargin(*std::move(r), o);
    if (f.ok()) (void)Csv(ToResultTable(*f));
  }
  EXPECT_GT(accepted, 0);
  // Out-of-range keys and unsorted groups are rejected.
  MarginPartial bad = *p;
  ASSERT_GE(bad.sums.size(), 2u);
  std::swap(bad.keys[0], bad.keys[2]);
  std::swap(bad.keys[1], bad.keys[3]);
  EXPECT_FALSE(DeserializeMarginPartial(Serialize(bad)).ok());
  bad = *p;
  bad.keys[1] = 202413;  // month 13
  EXPECT_FALSE(DeserializeMarginPartial(Serialize(bad)).ok());
}

}  // namespace
}  // namespace salesight
