// Empty-segment explanations and the relative tiers (kRelativeTiers) against a
// plain brute-force reference of their definition (rfm.hpp, "segments").
#include <algorithm>
#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "rfm/rfm_test_util.hpp"
#include "salesight/rfm.hpp"

namespace salesight {
namespace {

using rfm_test::Line;
using rfm_test::MakeLines;

// rfm_summary_test's hand case (money scale 2, as_of 19021): A (id 0) 13.00 in
// 2 orders, last purchase 19010 (recency 11), first 19000; B (1) 30.00 in 1
// order, recency 16; C (2) only a return; D (3) 5.00 in 2 orders, recency 1.
std::vector<Line> HandLines() {
  return {{1, 19000, 0, 600}, {1, 19000, 0, 400}, {2, 19005, 1, 3000}, {3, 19010, 0, 500},
          {4, 19015, 2, -100}, {5, 19020, 0, -200}, {6, 19020, 3, 250}, {7, 19020, 3, 250}};
}

std::map<std::string, std::string> Notes(const RfmResult& r) {
  absl::StatusOr<RfmSegmentSummary> s = SummarizeSegments(r);
  EXPECT_TRUE(s.ok()) << s.status();
  std::map<std::string, std::string> out;
  for (const RfmEmptySegment& e : s->empty_segments) {
    out[e.label.en] = DescribeEmptySegment(e, RfmLanguage::kEn);
  }
  // The summary table carries the same text in `note`, null for the others.
  const ResultTable t = ToResultTable(*s);
  const ResultColumn* note = t.Find("note");
  EXPECT_NE(note, nullptr);
  for (std::size_t i = 0; i < s->rows.size(); ++i) {
    const auto it = out.find(s->rows[i].label.en);
    EXPECT_EQ(note->is_null(i), it == out.end()) << i;
    if (it != out.end()) {
      EXPECT_EQ(note->strings[i], it->second);
    }
  }
  return out;
}

TEST(RfmEmptySegments, DefaultTiersNameTheFirstUnmetThreshold) {
  absl::StatusOr<RfmResult> r = ComputeRfm(MakeLines(HandLines()));
  ASSERT_TRUE(r.ok()) << r.status();
  // A, D potential; B new. Everyone has recency < 30; the largest
  // orders_per_year is A's or D's 2 orders x 365 / max(365, tenure) = 2.
  const std::map<std::string, std::string> notes = Notes(*r);
  ASSERT_EQ(notes.size(), 4u);
  EXPECT_EQ(notes.at("high_value"),
            "high_value: no customer has orders_per_year > 10 (largest: 2.00)");
  EXPECT_EQ(notes.at("churn_risk"), "churn_risk: no customer has recency > 180 (largest: 16)");
  EXPECT_EQ(notes.at("low_value"), "low_value: no customer has recency > 365 (largest: 16)");
  EXPECT_EQ(notes.at("regular"), "regular: every customer matches an earlier segment first");

  // The structured form: per condition, how many meet it and the best value.
  absl::StatusOr<std::vector<RfmEmptySegment>> e = ExplainEmptySegments(*r);
  ASSERT_TRUE(e.ok());
  const RfmEmptySegment& high = (*e)[0];
  EXPECT_EQ(high.label.en, "high_value");
  ASSERT_EQ(high.clauses.size(), 1u);
  ASSERT_EQ(high.clauses[0].conditions.size(), 3u);
  EXPECT_EQ(high.clauses[0].conditions[0].customers, 3);  // recency < 30
  EXPECT_EQ(high.clauses[0].conditions[1].customers, 0);  // orders_per_year > 10
  EXPECT_DOUBLE_EQ(*high.clauses[0].conditions[1].best, 2.0);
  EXPECT_EQ(high.clauses[0].conditions[2].customers, 0);  // amount_per_year > 1,000,000
  EXPECT_DOUBLE_EQ(*high.clauses[0].conditions[2].best, 30.0);  // B: 30.00 in its first year
}

TEST(RfmEmptySegments, AmountThresholdWithThousandsAndTheOtherTwoReasons) {
  RfmOptions o;
  absl::StatusOr<RfmRuleTable> rules = ParseRuleTable(
      "big|big|amount_per_year > 1000000\n"
      "pair|pair|recency > 12 and frequency >= 2\n"
      "any|any|frequency >= 1\n"
      "late|late|recency < 100 or recency = 3\n"
      "gone|gone|recency > 20 or frequency > 2 and recency < 5\n");
  ASSERT_TRUE(rules.ok()) << rules.status();
  o.segments = RfmSegments::kCustom;
  o.custom_rules = *rules;
  absl::StatusOr<RfmResult> r = ComputeRfm(MakeLines(HandLines()), o);
  ASSERT_TRUE(r.ok()) << r.status();
  const std::map<std::string, std::string> notes = Notes(*r);
  EXPECT_EQ(notes.at("big"), "big: no customer has amount_per_year > 1,000,000 (largest: 30.00)");
  // B alone has recency > 12, A and D alone have 2 orders.
  EXPECT_EQ(notes.at("pair"),
            "pair: no customer has recency > 12 and frequency >= 2 together (customers meeting "
            "each: recency > 12: 1, frequency >= 2: 2)");
  // All three meet the first clause (nobody the second): `any` took them.
  EXPECT_EQ(notes.at("late"), "late: the 3 customers meeting its rule match an earlier segment first");
  // Nobody meets either clause: one reason per clause (recencies 11, 16, 1).
  EXPECT_EQ(notes.at("gone"),
            "gone: no customer has recency > 20 (largest: 16); no customer has frequency > 2 "
            "(largest: 2)");
  EXPECT_EQ(notes.at("other"), "other: every customer matches an earlier segment first");
}

TEST(RfmEmptySegments, NothingToExplainWithoutCustomers) {
  absl::StatusOr<RfmResult> r = ComputeRfm(MakeLines({{1, 19000, 0, -100}}));
  ASSERT_TRUE(r.ok());
  absl::StatusOr<std::vector<RfmEmptySegment>> e = ExplainEmptySegments(*r);
  ASSERT_TRUE(e.ok());
  EXPECT_TRUE(e->empty());
}

// ------------------------------------------------------------- relative tiers

// The definition, brute force: per customer the metrics from the lines, keys
// as exact fractions, each step by a full sort of its candidates.
struct Metrics {
  Id customer;
  std::int64_t recency, frequency, tenure, total;  // total in cents
};
__extension__ typedef __int128 I128;
struct Frac {
  I128 num;
  I128 den;
};

Frac KeyOf(RfmField f, const Metrics& m) {
  const I128 year = std::max<std::int64_t>(365, m.tenure);
  switch (f) {
    case RfmField::kRecency: return {m.recency * 1000000, 1};
    case RfmField::kTenure: return {m.tenure * 1000000, 1};
    case RfmField::kOrdersPerYear: return {I128{m.frequency} * 365 * 1000000, year};
    case RfmField::kAmountPerYear: return {I128{m.total} * 10000 * 365, year};  // cents -> micros
    default: return {0, 1};
  }
}

std::vector<std::string> ReferenceSegments(const std::vector<Metrics>& ms) {
  struct Step {
    RfmField f;
    bool largest;
    int pct;
  };
  const std::vector<std::vector<Step>> tiers = {
      {{RfmField::kRecency, false, 50}, {RfmField::kAmountPerYear, true, 20}, {RfmField::kOrdersPerYear, true, 50}},
      {{RfmField::kTenure, false, 10}},
      {{RfmField::kRecency, false, 50}, {RfmField::kAmountPerYear, false, 50}},
      {{RfmField::kRecency, true, 50}, {RfmField::kOrdersPerYear, true, 30}},
      {{RfmField::kRecency, true, 50}, {RfmField::kAmountPerYear, false, 50}}};
  const std::vector<std::string> names = {"high_value", "new", "potential", "churn_risk", "low_value"};
  std::vector<std::string> seg(ms.size(), "regular");
  std::vector<std::size_t> all(ms.size());
  for (std::size_t i = 0; i < ms.size(); ++i) all[i] = i;
  for (std::size_t t = 0; t < tiers.size(); ++t) {
    std::vector<std::size_t> cand;
    for (std::size_t i = 0; i < ms.size(); ++i) {
      if (seg[i] == "regular") cand.push_back(i);
    }
    if (cand.empty()) cand = all;
    for (const Step& st : tiers[t]) {
      std::vector<std::size_t> order = cand;
      std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        const Frac x = KeyOf(st.f, ms[a]), y = KeyOf(st.f, ms[b]);
        return st.largest ? x.num * y.den > y.num * x.den : x.num * y.den < y.num * x.den;
      });
      const std::size_t rank = (static_cast<std::size_t>(st.pct) * cand.size() + 99) / 100;
      const Frac cut = KeyOf(st.f, ms[order[rank - 1]]);
      // The cut in micro-units, rounded toward keeping the cut customer.
      I128 c = cut.num / cut.den;
      if (st.largest && cut.num % cut.den != 0 && cut.num < 0) --c;
      if (!st.largest && cut.num % cut.den != 0 && cut.num > 0) ++c;
      std::vector<std::size_t> kept;
      for (std::size_t i : cand) {
        const Frac k = KeyOf(st.f, ms[i]);
        if (st.largest ? k.num >= c * k.den : k.num <= c * k.den) kept.push_back(i);
      }
      cand = kept;
    }
    for (std::size_t i : cand) {
      if (seg[i] == "regular") seg[i] = names[t];
    }
  }
  return seg;
}

TEST(RfmRelativeTiers, MatchBruteForceAndAreNeverEmptyOnRandomData) {
  for (std::uint32_t seed = 1; seed <= 60; ++seed) {
    std::mt19937 rng(seed);
    const int customers = 50 + static_cast<int>(rng() % 150);
    const Day start = 19000;
    std::vector<Line> lines;
    std::int64_t order = 0;
    for (Id c = 0; c < customers; ++c) {
      const int orders = 1 + static_cast<int>(rng() % (1 + rng() % 40));
      const Day first = start + static_cast<Day>(rng() % 900);
      for (int k = 0; k < orders; ++k) {
        const Day d = first + static_cast<Day>(rng() % (1 + (start + 1000 - first)));
        lines.push_back({++order, d, c, static_cast<Money>(1 + rng() % 500000)});
      }
    }
    std::sort(lines.begin(), lines.end(),
              [](const Line& a, const Line& b) { return a.order < b.order; });
    RfmOptions o;
    o.segments = RfmSegments::kRelativeTiers;
    o.num_threads = 1 + static_cast<int>(seed % 3);
    absl::StatusOr<RfmResult> r = ComputeRfm(MakeLines(lines), o);
    ASSERT_TRUE(r.ok()) << r.status();
    const Day as_of = r->as_of;
    std::map<Id, Metrics> by;
    for (const Line& l : lines) {
      Metrics& m = by.try_emplace(l.customer, Metrics{l.customer, 1 << 30, 0, 0, 0}).first->second;
      m.recency = std::min<std::int64_t>(m.recency, as_of - l.day);
      m.tenure = std::max<std::int64_t>(m.tenure, as_of - l.day);
      m.frequency += 1;  // one line per order
      m.total += l.amount;
    }
    std::vector<Metrics> ms;
    for (const auto& [id, m] : by) ms.push_back(m);
    const std::vector<std::string> want = ReferenceSegments(ms);
    ASSERT_EQ(r->customers.size(), ms.size());
    std::set<std::string> seen;
    for (std::size_t i = 0; i < ms.size(); ++i) {
      ASSERT_EQ(r->customers[i].customer, ms[i].customer);
      ASSERT_EQ(r->label(i), want[i]) << "seed " << seed << " customer " << ms[i].customer;
      seen.insert(want[i]);
    }
    EXPECT_EQ(seen.size(), 6u) << "seed " << seed << ": a tier is empty";
    // The table reported with the result is the one that gave the segments.
    absl::StatusOr<RfmRuleTable> again = ParseRuleTable(r->segment_rules.ToText());
    ASSERT_TRUE(again.ok()) << again.status();
    RfmOptions fixed;
    fixed.segments = RfmSegments::kCustom;
    fixed.custom_rules = *again;
    absl::StatusOr<RfmResult> r2 = ComputeRfm(MakeLines(lines), fixed);
    ASSERT_TRUE(r2.ok());
    for (std::size_t i = 0; i < ms.size(); ++i) ASSERT_EQ(r2->label(i), want[i]) << seed;
  }
}

TEST(RfmRelativeTiers, SharesOutOfRangeAreAnError) {
  RfmOptions o;
  o.segments = RfmSegments::kRelativeTiers;
  o.relative_tiers.churn_orders = 0;
  absl::StatusOr<RfmResult> r = ComputeRfm(MakeLines(HandLines()), o);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("1..100"), std::string_view::npos);
  EXPECT_EQ(*ParseRfmSegments("relative"), RfmSegments::kRelativeTiers);
}

// Incremental appends take the cuts again from every customer.
TEST(RfmRelativeTiers, IncrementalEqualsComputeAfterAppends) {
  std::mt19937 rng(7);
  std::vector<Line> lines;
  for (std::int64_t k = 0; k < 3000; ++k) {
    lines.push_back({k, static_cast<Day>(19000 + k / 4), static_cast<Id>(rng() % 120),
                     static_cast<Money>(1 + rng() % 90000)});
  }
  RfmOptions o;
  o.segments = RfmSegments::kRelativeTiers;
  absl::StatusOr<RfmIncremental> inc = RfmIncremental::Create(MakeLines(rfm_test::Slice(lines, 0, 1000)), o);
  ASSERT_TRUE(inc.ok()) << inc.status();
  ASSERT_TRUE(inc->Append(MakeLines(rfm_test::Slice(lines, 1000, 3000))).ok());
  absl::StatusOr<RfmResult> all = ComputeRfm(MakeLines(lines), o);
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(rfm_test::Flatten(inc->result()), rfm_test::Flatten(*all));
}

}  // namespace
}  // namespace salesight
