// Segment rule tables: the text format, the built-in tables and the tier overlaps.
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "rfm/rfm_test_util.hpp"
#include "rfm/internal/rules.hpp"
#include "salesight/rfm.hpp"

namespace salesight {
namespace {

using rfm_internal::CompiledRules;
using rfm_test::Line;
using rfm_test::MakeLines;

std::string LabelOf(const CompiledRules& c, int r, int f, int m) {
  const RfmCustomer row{};
  return c.labels()[c.Segment(row, 0, 0, static_cast<std::uint8_t>(r), static_cast<std::uint8_t>(f),
                              static_cast<std::uint8_t>(m))]
      .en;
}

void ExpectSameTable(const RfmRuleTable& a, const RfmRuleTable& b) {
  ASSERT_EQ(a.rules.size(), b.rules.size());
  for (std::size_t i = 0; i < a.rules.size(); ++i) {
    EXPECT_EQ(a.rules[i].label_en, b.rules[i].label_en);
    EXPECT_EQ(a.rules[i].label_zh, b.rules[i].label_zh);
    ASSERT_EQ(a.rules[i].any_of.size(), b.rules[i].any_of.size()) << a.rules[i].label_en;
    for (std::size_t c = 0; c < a.rules[i].any_of.size(); ++c) {
      ASSERT_EQ(a.rules[i].any_of[c].size(), b.rules[i].any_of[c].size());
      for (std::size_t k = 0; k < a.rules[i].any_of[c].size(); ++k) {
        EXPECT_EQ(a.rules[i].any_of[c][k].field, b.rules[i].any_of[c][k].field);
        EXPECT_EQ(a.rules[i].any_of[c][k].op, b.rules[i].any_of[c][k].op);
        EXPECT_EQ(a.rules[i].any_of[c][k].value_micros, b.rules[i].any_of[c][k].value_micros);
      }
    }
  }
  EXPECT_EQ(a.default_en, b.default_en);
}

TEST(RfmRules, ParsesTheDocumentedFormat) {
  absl::StatusOr<RfmRuleTable> t = ParseRuleTable(
      "# comment\n"
      "\n"
      "vip|贵宾|recency<30 and frequency>10 and monetary>1000000\r\n"
      "  mid | | r >= 3 AND f == 2 or amount_per_year <= 2500.75  \n"
      "rest|其余|*\n");
  ASSERT_TRUE(t.ok()) << t.status();
  ASSERT_EQ(t->rules.size(), 3u);
  EXPECT_EQ(t->rules[0].label_zh, "贵宾");
  ASSERT_EQ(t->rules[0].any_of.size(), 1u);
  ASSERT_EQ(t->rules[0].any_of[0].size(), 3u);
  EXPECT_EQ(t->rules[0].any_of[0][0].field, RfmField::kRecency);
  EXPECT_EQ(t->rules[0].any_of[0][0].op, RfmOp::kLt);
  EXPECT_EQ(t->rules[0].any_of[0][0].value_micros, 30'000'000);
  EXPECT_EQ(t->rules[0].any_of[0][2].value_micros, 1'000'000'000'000);
  EXPECT_EQ(t->rules[1].label_en, "mid");
  EXPECT_EQ(t->rules[1].label_zh, "mid");  // empty zh falls back to en
  ASSERT_EQ(t->rules[1].any_of.size(), 2u);
  EXPECT_EQ(t->rules[1].any_of[0][1].op, RfmOp::kEq);
  EXPECT_EQ(t->rules[1].any_of[1][0].field, RfmField::kAmountPerYear);
  EXPECT_EQ(t->rules[1].any_of[1][0].value_micros, 2'500'750'000);
  EXPECT_TRUE(t->rules[2].any_of.empty());
}

TEST(RfmRules, ErrorsNameTheLine) {
  struct Bad {
    const char* text;
    const char* fragment;
  };
  const Bad cases[] = {
      {"a|b|recncy < 3", "line 1: unknown field 'recncy'"},
      {"\n\na|b|recency =< 3", "line 3: unknown operator '=<'"},
      {"a|b|recency < 3.1234567", "line 1: '3.1234567' is not a number"},
      {"a|b", "line 1: expected label_en|label_zh|condition"},
      {"a|b|recency < 3 and", "line 1: expected 'field op number'"},
      {"a|b|recency < 3 xor f > 1", "line 1: expected 'and' or 'or'"},
      {"a|b|*\nc|d|r > 1", "line 2: unreachable, the rule on line 1"},
      {"|b|r > 1", "line 1: empty label_en"},
      {"a|b|", "line 1: empty condition"},
      {"a|b|recency < x", "line 1: expected a number"},
      {"a|b|r > 1 ; f < 2", "line 1: unexpected character ';'"},
  };
  for (const Bad& b : cases) {
    absl::StatusOr<RfmRuleTable> t = ParseRuleTable(b.text);
    ASSERT_FALSE(t.ok()) << b.text;
    EXPECT_NE(t.status().message().find(b.fragment), std::string::npos)
        << "'" << b.text << "' gave: " << t.status();
  }
}

TEST(RfmRules, BuiltInTablesRoundTripThroughText) {
  for (const RfmRuleTable& table :
       {RfmRuleTable::Tiers(), RfmRuleTable::Classic(), RfmRuleTable::Workload()}) {
    absl::StatusOr<RfmRuleTable> back = ParseRuleTable(table.ToText());
    ASSERT_TRUE(back.ok()) << back.status() << "\n" << table.ToText();
    ExpectSameTable(*back, table);
  }
  // A non-default default label is written as a final '*' rule.
  RfmRuleTable t;
  t.rules.push_back({"a", "甲", {{{RfmField::kR, RfmOp::kGe, 4'000'000}}}});
  t.default_en = "b";
  t.default_zh = "乙";
  absl::StatusOr<RfmRuleTable> back = ParseRuleTable(t.ToText());
  ASSERT_TRUE(back.ok());
  ASSERT_EQ(back->rules.size(), 2u);
  EXPECT_EQ(back->rules[1].label_en, "b");
  EXPECT_TRUE(back->rules[1].any_of.empty());
}

// Every (r, f, m) cell of the classic table against the documented chain.
TEST(RfmRules, ClassicTableMatchesDocumentationAndReachesEveryLabel) {
  absl::StatusOr<CompiledRules> c = CompiledRules::Compile(RfmRuleTable::Classic(), 5, 2);
  ASSERT_TRUE(c.ok()) << c.status();
  std::set<std::string> seen;
  for (int r = 1; r <= 5; ++r) {
    for (int f = 1; f <= 5; ++f) {
      for (int m = 1; m <= 5; ++m) {
        std::string want;
        if (r >= 4 && f >= 4 && m >= 4) want = "champions";
        else if (r >= 3 && f >= 3 && m >= 3) want = "loyal";
        else if (r >= 4 && f >= 2) want = "potential_loyalist";
        else if (r >= 4) want = "new";
        else if (r == 3 && f <= 1) want = "promising";
        else if (r == 3) want = "need_attention";
        else if (r <= 1 && f >= 4 && m >= 4) want = "cant_lose";
        else if (r <= 2 && f >= 3 && m >= 3) want = "at_risk";
        else if (r == 2) want = "about_to_sleep";
        else if (f >= 2) want = "hibernating";
        else want = "lost";
        const std::string got = LabelOf(*c, r, f, m);
        EXPECT_EQ(got, want) << r << f << m;
        seen.insert(got);
      }
    }
  }
  EXPECT_EQ(seen.size(), 11u);  // all 11 labels reachable, never "other"
  EXPECT_EQ(seen.count("other"), 0u);
}

TEST(RfmRules, WorkloadTableMatchesWorkloadsMd) {
  absl::StatusOr<CompiledRules> c = CompiledRules::Compile(RfmRuleTable::Workload(), 5, 2);
  ASSERT_TRUE(c.ok());
  for (int r = 1; r <= 5; ++r) {
    for (int f = 1; f <= 5; ++f) {
      for (int m = 1; m <= 5; ++m) {
        const char* want = (r >= 4 && f >= 4 && m >= 4) ? "champions"
                           : (r >= 3 && f >= 3)           ? "loyal"
                           : (r >= 4 && f <= 2)           ? "new"
                           : (r <= 2 && f >= 4)           ? "cant_lose"
                           : (r <= 2 && f >= 2)           ? "at_risk"
                           : (r <= 2)                     ? "lost"
                                                          : "need_attention";
        EXPECT_EQ(LabelOf(*c, r, f, m), want) << r << f << m;
      }
    }
  }
}

TEST(RfmRules, LookupTableEqualsInterpreter) {
  // The same score-only table, once as written (lookup table) and once with a
  // condition that is always true on a non-score field (interpreted).
  absl::StatusOr<RfmRuleTable> lut = ParseRuleTable(
      "a|a|r >= 4 and m != 2 or f = 1\nb|b|r < 3 and f >= 2\nc|c|m <= 3\n");
  absl::StatusOr<RfmRuleTable> interp = ParseRuleTable(
      "a|a|r >= 4 and m != 2 and lines >= 0 or f = 1 and lines >= 0\nb|b|r < 3 and f >= 2\nc|c|m <= 3\n");
  ASSERT_TRUE(lut.ok() && interp.ok());
  absl::StatusOr<CompiledRules> x = CompiledRules::Compile(*lut, 6, 2);
  absl::StatusOr<CompiledRules> y = CompiledRules::Compile(*interp, 6, 2);
  ASSERT_TRUE(x.ok() && y.ok());
  for (int r = 1; r <= 6; ++r)
    for (int f = 1; f <= 6; ++f)
      for (int m = 1; m <= 6; ++m) EXPECT_EQ(LabelOf(*x, r, f, m), LabelOf(*y, r, f, m));
}

TEST(RfmRules, CompileChecks) {
  EXPECT_FALSE(CompiledRules::Compile(RfmRuleTable::Classic(), 4, 2).ok());
  RfmRuleTable many;
  for (int i = 0; i < 300; ++i) {
    many.rules.push_back({absl::StrCat("l", i), "", {{{RfmField::kR, RfmOp::kEq, i}}}});
  }
  EXPECT_FALSE(CompiledRules::Compile(many, 5, 2).ok());
}

TEST(RfmRules, CustomTableFromTextEqualsWorkloadTable) {
  const std::string text = RfmRuleTable::Workload().ToText();
  absl::StatusOr<RfmRuleTable> parsed = ParseRuleTable(text);
  ASSERT_TRUE(parsed.ok());
  std::vector<Line> lines;
  for (int i = 0; i < 400; ++i) {
    lines.push_back({i, 19000 + (i * 37) % 300, static_cast<Id>((i * 7919) % 61),
                     static_cast<Money>((i * 104729) % 100000)});
  }
  const OrderLines t = MakeLines(lines);
  RfmOptions a = RfmOptionsForWorkload(19400);
  RfmOptions b = a;
  b.segments = RfmSegments::kCustom;
  b.custom_rules = *parsed;
  absl::StatusOr<RfmResult> x = ComputeRfm(t, a), y = ComputeRfm(t, b);
  ASSERT_TRUE(x.ok() && y.ok()) << y.status();
  EXPECT_EQ(rfm_test::Flatten(*x), rfm_test::Flatten(*y));
}

// ---------------------------------------------------------------- tiers

// The label of customer 0 under `tiers`; also reports which single tiers
// match it (each rule alone as a one-rule table), to prove an overlap.
struct TierOutcome {
  std::string label;
  std::set<std::string> matching;
};
TierOutcome Classify(const std::vector<Line>& lines, const TierThresholds& th, Day as_of) {
  TierOutcome out;
  RfmOptions o;
  o.as_of = as_of;
  o.tiers = th;
  const OrderLines t = MakeLines(lines);
  absl::StatusOr<RfmResult> r = ComputeRfm(t, o);
  EXPECT_TRUE(r.ok()) << r.status();
  if (!r.ok() || r->customers.empty()) return out;
  out.label = r->label(0);
  const RfmRuleTable tiers = RfmRuleTable::Tiers(th);
  for (const RfmRule& rule : tiers.rules) {
    if (rule.any_of.empty()) continue;
    RfmOptions single = o;
    single.segments = RfmSegments::kCustom;
    single.custom_rules.rules = {rule};
    single.custom_rules.default_en = "none";
    absl::StatusOr<RfmResult> s = ComputeRfm(t, single);
    EXPECT_TRUE(s.ok());
    if (s.ok() && s->label(0) == rule.label_en) out.matching.insert(rule.label_en);
  }
  return out;
}

// n orders of `amount` cents each, spread evenly from `first` to `last`.
std::vector<Line> Orders(int n, Day first, Day last, Money amount) {
  std::vector<Line> v;
  for (int i = 0; i < n; ++i) {
    const Day d = n == 1 ? last : first + static_cast<Day>((std::int64_t{last} - first) * i / (n - 1));
    v.push_back({i, d, 0, amount});
  }
  return v;
}

TEST(RfmTiers, NewBeatsPotentialWithDefaults) {
  // One order 10 days ago: new (recency < 60, 1 order) and potential (< 90, < 5 a year).
  TierOutcome o = Classify(Orders(1, 19990, 19990, 5000), {}, 20000);
  EXPECT_EQ(o.matching, (std::set<std::string>{"new", "potential"}));
  EXPECT_EQ(o.label, "new");
}

TEST(RfmTiers, HighValueBeatsPotential) {
  TierThresholds th;
  th.potential_orders_per_year_below = 100;  // now high-value customers also qualify
  // 20 orders over 200 days (per year: 20, as tenure < 365), 600,000.00 each.
  TierOutcome o = Classify(Orders(20, 19800, 19990, 60'000'000), th, 20000);
  EXPECT_EQ(o.matching, (std::set<std::string>{"high_value", "potential"}));
  EXPECT_EQ(o.label, "high_value");
}

TEST(RfmTiers, HighValueBeatsNew) {
  TierThresholds th;
  th.new_frequency_equals = 12;
  // 12 orders in the last 300 days, 200,000.00 each: 2.4M a year.
  TierOutcome o = Classify(Orders(12, 19700, 19995, 20'000'000), th, 20000);
  EXPECT_EQ(o.matching, (std::set<std::string>{"high_value", "new"}));
  EXPECT_EQ(o.label, "high_value");
}

TEST(RfmTiers, PotentialBeatsChurnRisk) {
  TierThresholds th;
  th.churn_recency_above = 60;
  // 8 orders within 200 days, last one 70 days ago, small amounts.
  TierOutcome o = Classify(Orders(8, 19730, 19930, 1000), th, 20000);
  EXPECT_EQ(o.matching, (std::set<std::string>{"potential", "churn_risk"}));
  EXPECT_EQ(o.label, "potential");
}

TEST(RfmTiers, ChurnRiskBeatsLowValue) {
  TierThresholds th;
  th.low_value_orders_per_year_below = 10;
  // 7 orders over 100 days, the last 400 days ago: tenure 500 -> 7 x 365 / 500 = 5.11 a year.
  TierOutcome o = Classify(Orders(7, 19500, 19600, 1000), th, 20000);
  EXPECT_EQ(o.matching, (std::set<std::string>{"churn_risk", "low_value"}));
  EXPECT_EQ(o.label, "churn_risk");
}

TEST(RfmTiers, PotentialBeatsLowValue) {
  TierThresholds th;
  th.low_value_recency_above = 30;
  // One order 60 days ago: not new (60 is not < 60); potential (1 < 5 a year)
  // and low value (60 > 30, 1 < 2 a year, 10.00 < 10,000 a year).
  TierOutcome o = Classify(Orders(1, 19940, 19940, 1000), th, 20000);
  EXPECT_EQ(o.matching, (std::set<std::string>{"potential", "low_value"}));
  EXPECT_EQ(o.label, "potential");
}

TEST(RfmTiers, EachTierAndRegular) {
  // high value: 30 orders in the last year, 50,000.00 each = 1,500,000 a year.
  EXPECT_EQ(Classify(Orders(30, 19640, 19990, 5'000'000), {}, 20000).label, "high_value");
  // churn risk: 12 orders in 2023, silent for 200 days.
  EXPECT_EQ(Classify(Orders(12, 19500, 19800, 1000), {}, 20000).label, "churn_risk");
  // low value: one order 500 days ago, 50.00.
  EXPECT_EQ(Classify(Orders(1, 19500, 19500, 5000), {}, 20000).label, "low_value");
  // regular: 6 orders a year, last 120 days ago (not < 90, not > 180).
  EXPECT_EQ(Classify(Orders(6, 19515, 19880, 100'000'000), {}, 20000).label, "regular");
}

TEST(RfmTiers, PerYearFiguresAreExactAtTheBoundary) {
  // Tenure 730 days (2 years): 21 orders -> 10.5 a year > 10; 20 orders -> exactly 10, not > 10.
  // Amount: 1,100,000.00 a year over 2 years = 2,200,000.00 total.
  const Money total = 220'000'000;
  TierOutcome yes = Classify(Orders(21, 19270, 19990, total / 21 + 1), {}, 20000);
  EXPECT_EQ(yes.label, "high_value");
  TierOutcome no = Classify(Orders(20, 19270, 19990, total / 20), {}, 20000);
  EXPECT_NE(no.label, "high_value");
  EXPECT_EQ(no.matching.count("high_value"), 0u);
  // Tenure below a year is not extrapolated: 11 orders in 100 days is 11 a year.
  TierOutcome young = Classify(Orders(11, 19890, 19990, 10'000'000), {}, 20000);
  EXPECT_EQ(young.label, "high_value");
  TierOutcome young10 = Classify(Orders(10, 19890, 19990, 11'000'000), {}, 20000);
  EXPECT_NE(young10.label, "high_value");
}

}  // namespace
}  // namespace salesight
