// Hand-computed cases and edge cases of ComputeRfm.
#include "salesight/rfm.hpp"

#include <memory>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "rfm/rfm_test_util.hpp"

namespace salesight {
namespace {

using rfm_test::Line;
using rfm_test::MakeLines;

// Customer 0 (A): order 1 on day 19000 (two lines 600 + 400), order 3 on
//   19010 (500), a return line -200 on 19020 (order 5).
// Customer 1 (B): order 2 on 19005 (3000).
// Customer 2 (C): only a return -100 on 19015 (order 4).
// Customer 3 (D): orders 6 and 7 on 19020 (250 each).
std::vector<Line> HandLines() {
  return {
      {1, 19000, 0, 600, 100}, {1, 19000, 0, 400, 100}, {2, 19005, 1, 3000, 1000},
      {3, 19010, 0, 500, 200}, {4, 19015, 2, -100, -50}, {5, 19020, 0, -200, -80},
      {6, 19020, 3, 250, 50},  {7, 19020, 3, 250, 50},
  };
}

const RfmCustomer* Find(const RfmResult& r, Id id) {
  for (const RfmCustomer& c : r.customers) {
    if (c.customer == id) return &c;
  }
  return nullptr;
}
const RfmScore& ScoreOf(const RfmResult& r, Id id) {
  for (std::size_t i = 0; i < r.customers.size(); ++i) {
    if (r.customers[i].customer == id) return r.scores[i];
  }
  static RfmScore none;
  ADD_FAILURE() << "customer " << id << " missing";
  return none;
}
std::string SegmentOf(const RfmResult& r, Id id) {
  return r.segment_labels[ScoreOf(r, id).segment].en;
}

TEST(RfmHand, MetricsWithDefaults) {
  OrderLines t = MakeLines(HandLines());
  absl::StatusOr<RfmResult> r = ComputeRfm(t);
  ASSERT_TRUE(r.ok()) << r.status();
  // as_of = last order day 19020 + 1.
  EXPECT_EQ(r->as_of, 19021);
  EXPECT_EQ(r->window_start, kNoDate);
  ASSERT_EQ(r->customers.size(), 3u);  // C has only a return
  EXPECT_EQ(r->customers[0].customer, 0);
  EXPECT_EQ(r->customers[1].customer, 1);
  EXPECT_EQ(r->customers[2].customer, 3);
  // A: last purchase 19010 -> recency 19021 - 19010 = 11; orders {1, 3} = 2;
  // net 600 + 400 + 500 - 200 = 1300; 4 lines of which 1 return.
  const RfmCustomer& a = r->customers[0];
  EXPECT_EQ(a.recency_days, 11);
  EXPECT_EQ(a.frequency, 2);
  EXPECT_EQ(a.monetary, 1300);
  EXPECT_EQ(a.first_purchase, 19000);
  EXPECT_EQ(a.order_lines, 4);
  EXPECT_EQ(a.returns, 1);
  // B: 19021 - 19005 = 16, one order, 3000.
  const RfmCustomer& b = r->customers[1];
  EXPECT_EQ(b.recency_days, 16);
  EXPECT_EQ(b.frequency, 1);
  EXPECT_EQ(b.monetary, 3000);
  // D: 19021 - 19020 = 1, orders {6, 7} on the same day = 2, 250 + 250 = 500.
  const RfmCustomer& d = r->customers[2];
  EXPECT_EQ(d.recency_days, 1);
  EXPECT_EQ(d.frequency, 2);
  EXPECT_EQ(d.monetary, 500);
  EXPECT_EQ(d.order_lines, 2);
  EXPECT_EQ(r->counts.lines, 8);
  EXPECT_EQ(r->counts.lines_in_window, 8);
  EXPECT_EQ(r->counts.return_lines, 2);
  EXPECT_EQ(r->counts.customers, 3);
  EXPECT_EQ(r->counts.customers_only_returns, 1);
  EXPECT_EQ(r->counts.excluded_future, 0);
}

TEST(RfmHand, QuantileScores) {
  absl::StatusOr<RfmResult> r = ComputeRfm(MakeLines(HandLines()));
  ASSERT_TRUE(r.ok()) << r.status();
  // n = 3, k = 5: q = 0, rem = 3, NTILE starts s_j = min(j, 3) = 1, 2, 3, 3;
  // value thresholds are the keys at positions s_j - 1 = 0, 1, 2, 2.
  // r by last day ASC: B 19005, A 19010, D 19020 -> t = 19005, 19010, 19020, 19020:
  //   B 1 + 0 = 1, A 1 + 1 = 2, D 1 + 2 = 3.
  EXPECT_EQ(ScoreOf(*r, 1).r, 1);
  EXPECT_EQ(ScoreOf(*r, 0).r, 2);
  EXPECT_EQ(ScoreOf(*r, 3).r, 3);
  // f: B 1, A 2, D 2 -> t = 1, 2, 2, 2: B 1, A and D 1 + 1 = 2 (ties share).
  EXPECT_EQ(ScoreOf(*r, 1).f, 1);
  EXPECT_EQ(ScoreOf(*r, 0).f, 2);
  EXPECT_EQ(ScoreOf(*r, 3).f, 2);
  // m: D 500, A 1300, B 3000 -> D 1, A 2, B 3.
  EXPECT_EQ(ScoreOf(*r, 3).m, 1);
  EXPECT_EQ(ScoreOf(*r, 0).m, 2);
  EXPECT_EQ(ScoreOf(*r, 1).m, 3);
  // Reported thresholds: recency_below = as_of - t = 16, 11, 1, 1.
  EXPECT_EQ(r->recency_below, (std::vector<std::int64_t>{16, 11, 1, 1}));
  EXPECT_EQ(r->frequency_above, (std::vector<std::int64_t>{1, 2, 2, 2}));
  EXPECT_EQ(r->monetary_above, (std::vector<std::int64_t>{500, 1300, 3000, 3000}));
}

TEST(RfmHand, NtileSplitsTiesById) {
  RfmOptions o;
  o.scoring = RfmScoring::kNtile;
  absl::StatusOr<RfmResult> r = ComputeRfm(MakeLines(HandLines()), o);
  ASSERT_TRUE(r.ok()) << r.status();
  // f order by (frequency, id): B(1,1), A(2,0), D(2,3); NTILE(5) of 3 rows -> 1, 2, 3.
  EXPECT_EQ(ScoreOf(*r, 1).f, 1);
  EXPECT_EQ(ScoreOf(*r, 0).f, 2);
  EXPECT_EQ(ScoreOf(*r, 3).f, 3);
  EXPECT_TRUE(r->recency_below.empty());
}

TEST(RfmHand, TierSegments) {
  absl::StatusOr<RfmResult> r = ComputeRfm(MakeLines(HandLines()));
  ASSERT_TRUE(r.ok()) << r.status();
  // A: recency 11 < 90, tenure 21 -> per year 2 x 365 / 365 = 2 < 5 -> potential.
  EXPECT_EQ(SegmentOf(*r, 0), "potential");
  // B: recency 16 < 60 and one order -> new (also potential; new comes first).
  EXPECT_EQ(SegmentOf(*r, 1), "new");
  // D: recency 1, two orders -> potential.
  EXPECT_EQ(SegmentOf(*r, 3), "potential");
  r->language = RfmLanguage::kZh;
  EXPECT_EQ(r->label(1), "新客户");
}

TEST(RfmHand, ClassicSegments) {
  RfmOptions o;
  o.segments = RfmSegments::kClassic;
  absl::StatusOr<RfmResult> r = ComputeRfm(MakeLines(HandLines()), o);
  ASSERT_TRUE(r.ok()) << r.status();
  // A (2,2,2): first match about_to_sleep (r = 2).
  EXPECT_EQ(SegmentOf(*r, 0), "about_to_sleep");
  // B (1,1,3): lost (r <= 1, f = 1 fails hibernating's f >= 2).
  EXPECT_EQ(SegmentOf(*r, 1), "lost");
  // D (3,2,1): need_attention (r = 3 and f > 1).
  EXPECT_EQ(SegmentOf(*r, 3), "need_attention");
}

TEST(RfmHand, DistinctPurchaseDays) {
  RfmOptions o;
  o.frequency = RfmFrequency::kDays;
  absl::StatusOr<RfmResult> r = ComputeRfm(MakeLines(HandLines()), o);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(Find(*r, 0)->frequency, 2);  // 19000, 19010 (the return day is not a purchase)
  EXPECT_EQ(Find(*r, 3)->frequency, 1);  // both orders on 19020
}

TEST(RfmHand, MarginAndMean) {
  RfmOptions o;
  o.monetary = RfmMonetary::kMargin;
  o.aggregation = RfmAggregation::kMeanPerOrder;
  absl::StatusOr<RfmResult> r = ComputeRfm(MakeLines(HandLines(), /*with_cost=*/true), o);
  ASSERT_TRUE(r.ok()) << r.status();
  // A margin: (600-100) + (400-100) + (500-200) + (-200+80) = 500 + 300 + 300 - 120 = 980;
  // mean over 2 orders = 490.
  EXPECT_EQ(Find(*r, 0)->monetary, 490);
  // B: 3000 - 1000 = 2000, one order.
  EXPECT_EQ(Find(*r, 1)->monetary, 2000);
  // D: 200 + 200 = 400 over 2 orders = 200.
  EXPECT_EQ(Find(*r, 3)->monetary, 200);
  ASSERT_EQ(r->totals.size(), 3u);
  EXPECT_EQ(r->totals[0], 980);
  EXPECT_EQ(r->total(2), 400);
}

TEST(RfmHand, MeanRoundsHalfAwayFromZero) {
  // 3 orders of 1, 1, 0 -> 2/3 = 0.67 -> 1; -5 over 2 orders -> -2.5 -> -3.
  std::vector<Line> lines = {{1, 19000, 0, 1}, {2, 19001, 0, 1}, {3, 19002, 0, 0},
                             {4, 19000, 1, 0}, {5, 19001, 1, 0}, {6, 19003, 1, -5}};
  RfmOptions o;
  o.aggregation = RfmAggregation::kMeanPerOrder;
  absl::StatusOr<RfmResult> r = ComputeRfm(MakeLines(lines), o);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(Find(*r, 0)->monetary, 1);
  // Customer 1: orders 4 and 5 are purchases (amount 0); the -5 line is a return: -5 / 2.
  EXPECT_EQ(Find(*r, 1)->frequency, 2);
  EXPECT_EQ(Find(*r, 1)->monetary, -3);
}

TEST(RfmHand, ExplicitAsOfExcludesFuture) {
  RfmOptions o;
  o.as_of = 19012;
  absl::StatusOr<RfmResult> r = ComputeRfm(MakeLines(HandLines()), o);
  ASSERT_TRUE(r.ok()) << r.status();
  // Lines on 19015 and 19020 (4 of them) are after as_of.
  EXPECT_EQ(r->counts.excluded_future, 4);
  EXPECT_EQ(r->counts.lines_in_window, 4);
  ASSERT_EQ(r->customers.size(), 2u);
  // A: 19012 - 19010 = 2, orders 1 and 3, 600 + 400 + 500 = 1500.
  EXPECT_EQ(Find(*r, 0)->recency_days, 2);
  EXPECT_EQ(Find(*r, 0)->monetary, 1500);
  EXPECT_EQ(Find(*r, 0)->returns, 0);
  EXPECT_EQ(Find(*r, 1)->recency_days, 7);
  EXPECT_EQ(r->counts.customers_only_returns, 0);
}

TEST(RfmHand, PurchaseOnAsOfHasRecencyZero) {
  RfmOptions o;
  o.as_of = 19020;
  absl::StatusOr<RfmResult> r = ComputeRfm(MakeLines(HandLines()), o);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(Find(*r, 3)->recency_days, 0);
  EXPECT_EQ(r->counts.excluded_future, 0);
}

TEST(RfmHand, WindowKeepsTrailingDaysInclusive) {
  RfmOptions o;
  o.window_days = 10;  // as_of 19021 -> lines from 19011 on
  absl::StatusOr<RfmResult> r = ComputeRfm(MakeLines(HandLines()), o);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->window_start, 19011);
  EXPECT_EQ(r->counts.excluded_before_window, 4);
  ASSERT_EQ(r->customers.size(), 1u);  // only D has a purchase in the window
  EXPECT_EQ(r->customers[0].customer, 3);
  EXPECT_EQ(r->counts.customers_only_returns, 2);  // A (-200) and C (-100)
  // The boundary is inclusive: window 11 keeps day 19010 (A's order 3).
  o.window_days = 11;
  r = ComputeRfm(MakeLines(HandLines()), o);
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_NE(Find(*r, 0), nullptr);
  EXPECT_EQ(Find(*r, 0)->frequency, 1);
  EXPECT_EQ(Find(*r, 0)->monetary, 300);  // 500 - 200
}

TEST(RfmHand, AllLinesArePurchases) {
  RfmOptions o;
  o.purchase = RfmPurchase::kAllLines;
  absl::StatusOr<RfmResult> r = ComputeRfm(MakeLines(HandLines()), o);
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_EQ(r->customers.size(), 4u);  // C's return now counts
  EXPECT_EQ(Find(*r, 0)->recency_days, 1);  // the return on 19020
  EXPECT_EQ(Find(*r, 0)->frequency, 3);     // orders 1, 3, 5
  EXPECT_EQ(Find(*r, 2)->monetary, -100);
}

TEST(RfmHand, FixedThresholds) {
  RfmOptions o;
  o.scoring = RfmScoring::kFixed;
  o.k = 3;
  o.fixed.recency_days = {5, 15};  // 0..5 -> 3, 6..15 -> 2, > 15 -> 1
  o.fixed.frequency = {1, 2};      // 1 -> 1, 2 -> 2, > 2 -> 3
  o.fixed.monetary = {5, 20};      // <= 5.00 -> 1, <= 20.00 -> 2, more -> 3
  absl::StatusOr<RfmResult> r = ComputeRfm(MakeLines(HandLines()), o);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(ScoreOf(*r, 0).r, 2);  // 11
  EXPECT_EQ(ScoreOf(*r, 1).r, 1);  // 16
  EXPECT_EQ(ScoreOf(*r, 3).r, 3);  // 1
  EXPECT_EQ(ScoreOf(*r, 0).f, 2);
  EXPECT_EQ(ScoreOf(*r, 1).f, 1);
  EXPECT_EQ(ScoreOf(*r, 3).m, 1);  // 5.00 is not above 5
  EXPECT_EQ(ScoreOf(*r, 0).m, 2);  // 13.00
  EXPECT_EQ(ScoreOf(*r, 1).m, 3);  // 30.00
  // r > 1 iff recency < 16 (<= 15); r > 2 iff recency < 6 (<= 5).
  EXPECT_EQ(r->recency_below, (std::vector<std::int64_t>{16, 6}));
  EXPECT_EQ(r->monetary_above, (std::vector<std::int64_t>{500, 2000}));
}

TEST(RfmHand, FixedThresholdErrors) {
  RfmOptions o;
  o.scoring = RfmScoring::kFixed;
  o.k = 3;
  o.fixed.recency_days = {5, 15};
  o.fixed.frequency = {2, 1};
  o.fixed.monetary = {5, 20};
  absl::StatusOr<RfmResult> r = ComputeRfm(MakeLines(HandLines()), o);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("frequency"), std::string::npos) << r.status();
  o.fixed.frequency = {1};
  r = ComputeRfm(MakeLines(HandLines()), o);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("needs 2 frequency"), std::string::npos) << r.status();
}

TEST(RfmHand, ToResultTableColumnsAndCodes) {
  auto codes = std::make_shared<Dictionary>();
  for (const char* code : {"C-A", "C-B", "C-C", "C-D"}) ASSERT_TRUE(codes->Intern(code).ok());
  absl::StatusOr<RfmResult> r = ComputeRfm(MakeLines(HandLines(), false, codes));
  ASSERT_TRUE(r.ok()) << r.status();
  ResultTable t = ToResultTable(*r);
  ASSERT_TRUE(t.Validate().ok());
  std::vector<std::string> names;
  for (const ResultColumn& c : t.columns()) names.push_back(c.name);
  EXPECT_EQ(names, (std::vector<std::string>{"customer", "recency_days", "frequency", "monetary",
                                             "r", "f", "m", "segment"}));
  const ResultColumn& customer = *t.Find("customer");
  ASSERT_EQ(customer.size(), 3u);
  EXPECT_TRUE(customer.encoded);  // codes into the orders' dictionary, no string per row
  EXPECT_THAT(customer.codes, ::testing::ElementsAre(0, 1, 3));
  EXPECT_EQ(customer.StringAt(0), "C-A");
  EXPECT_EQ(customer.StringAt(1), "C-B");
  EXPECT_EQ(FormatCell(customer, 2), "C-D");
  EXPECT_EQ(t.Find("monetary")->type, ResultType::kMoney);
  EXPECT_EQ(FormatCell(*t.Find("monetary"), 0), "13.00");
  EXPECT_EQ(t.Find("segment")->StringAt(1), "new");
  ResultTable detail = ToResultTable(*r, true);
  ASSERT_TRUE(detail.Validate().ok());
  EXPECT_EQ(FormatCell(*detail.Find("first_purchase"), 0), FormatDate(19000));
  EXPECT_EQ(detail.Find("tenure_days")->ints[0], 21);
}

// ---------------------------------------------------------------- edge cases

TEST(RfmEdge, NoOrders) {
  OrderLines t = MakeLines({});
  absl::StatusOr<RfmResult> r = ComputeRfm(t);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_TRUE(r->customers.empty());
  EXPECT_EQ(r->as_of, kNoDate);
  EXPECT_EQ(r->counts.lines, 0);
  RfmOptions o;
  o.window_days = 30;
  r = ComputeRfm(t, o);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_TRUE(r->customers.empty());
}

TEST(RfmEdge, OnlyFutureLines) {
  RfmOptions o;
  o.as_of = 18000;
  absl::StatusOr<RfmResult> r = ComputeRfm(MakeLines(HandLines()), o);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_TRUE(r->customers.empty());
  EXPECT_EQ(r->counts.excluded_future, 8);
}

TEST(RfmEdge, OneCustomerScoresOne) {
  std::vector<Line> lines = {{1, 19000, 0, 100}, {2, 19005, 0, 200}};
  for (RfmScoring s : {RfmScoring::kQuantile, RfmScoring::kNtile}) {
    RfmOptions o;
    o.scoring = s;
    absl::StatusOr<RfmResult> r = ComputeRfm(MakeLines(lines), o);
    ASSERT_TRUE(r.ok()) << r.status();
    ASSERT_EQ(r->customers.size(), 1u);
    EXPECT_EQ(r->scores[0].r, 1);
    EXPECT_EQ(r->scores[0].f, 1);
    EXPECT_EQ(r->scores[0].m, 1);
  }
}

TEST(RfmEdge, AllEqualValues) {
  // 7 customers, each one order of 100 on the same day.
  std::vector<Line> lines;
  for (Id c = 0; c < 7; ++c) lines.push_back({c, 19000, c, 100});
  absl::StatusOr<RfmResult> q = ComputeRfm(MakeLines(lines));
  ASSERT_TRUE(q.ok()) << q.status();
  for (const RfmScore& s : q->scores) {
    // Quantile: equal values share the score of the group's first customer: 1.
    EXPECT_EQ(s.r, 1);
    EXPECT_EQ(s.f, 1);
    EXPECT_EQ(s.m, 1);
  }
  RfmOptions o;
  o.scoring = RfmScoring::kNtile;
  absl::StatusOr<RfmResult> n = ComputeRfm(MakeLines(lines), o);
  ASSERT_TRUE(n.ok()) << n.status();
  // NTILE(5) of 7 rows: sizes 2, 2, 1, 1, 1 in id order.
  const int want[] = {1, 1, 2, 2, 3, 4, 5};
  for (std::size_t i = 0; i < 7; ++i) {
    EXPECT_EQ(n->scores[i].r, want[i]) << i;
    EXPECT_EQ(n->scores[i].f, want[i]) << i;
    EXPECT_EQ(n->scores[i].m, want[i]) << i;
  }
}

TEST(RfmEdge, NegativeTotalsFromReturns) {
  // Customer 1 bought 100 and returned 300 of an older purchase: net -200.
  std::vector<Line> lines = {{1, 19000, 0, 500}, {2, 19001, 1, 100}, {3, 19002, 1, -300},
                             {4, 19003, 2, 50}};
  absl::StatusOr<RfmResult> r = ComputeRfm(MakeLines(lines));
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(Find(*r, 1)->monetary, -200);
  EXPECT_EQ(ScoreOf(*r, 1).m, 1);  // lowest
  EXPECT_EQ(ScoreOf(*r, 2).m, 2);
  EXPECT_EQ(ScoreOf(*r, 0).m, 3);
}

TEST(RfmEdge, BadOptions) {
  OrderLines t = MakeLines(HandLines());
  RfmOptions o;
  o.k = 0;
  EXPECT_FALSE(ComputeRfm(t, o).ok());
  o = RfmOptions();
  o.window_days = -1;
  EXPECT_FALSE(ComputeRfm(t, o).ok());
  o = RfmOptions();
  o.monetary = RfmMonetary::kMargin;  // no cost columns
  absl::StatusOr<RfmResult> r = ComputeRfm(t, o);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("cost"), std::string::npos);
  o = RfmOptions();
  o.segments = RfmSegments::kClassic;
  o.k = 4;  // classic is written for 1..5
  r = ComputeRfm(t, o);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("1..5"), std::string::npos) << r.status();
}

TEST(RfmEdge, SumOverflowNamesCustomer) {
  auto codes = std::make_shared<Dictionary>();
  ASSERT_TRUE(codes->Intern("BIG").ok());
  std::vector<Line> lines;
  for (int i = 0; i < 1100; ++i) lines.push_back({i, 19000, 0, kMaxMoney});
  absl::StatusOr<RfmResult> r = ComputeRfm(MakeLines(lines, false, codes));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), absl::StatusCode::kOutOfRange);
  EXPECT_NE(r.status().message().find("'BIG'"), std::string::npos) << r.status();
}

TEST(RfmEdge, UnsortedOrderIdsStillExact) {
  // Lines of order 1 are split by order 2: the streaming count would see
  // order 1 twice; the exact recount must not.
  std::vector<Line> lines = {{1, 19000, 0, 10}, {2, 19000, 0, 10}, {1, 19000, 0, 10},
                             {3, 19001, 1, 10}};
  for (int threads : {1, 2, 3}) {
    RfmOptions o;
    o.num_threads = threads;
    absl::StatusOr<RfmResult> r = ComputeRfm(MakeLines(lines), o);
    ASSERT_TRUE(r.ok()) << r.status();
    EXPECT_EQ(Find(*r, 0)->frequency, 2) << threads;
  }
}

TEST(RfmEdge, OptionNames) {
  EXPECT_EQ(*ParseRfmScoring("NTILE"), RfmScoring::kNtile);
  EXPECT_EQ(*ParseRfmSegments("classic"), RfmSegments::kClassic);
  EXPECT_EQ(*ParseRfmLanguage("zh"), RfmLanguage::kZh);
  EXPECT_EQ(*ParseRfmAggregation("mean"), RfmAggregation::kMeanPerOrder);
  absl::StatusOr<RfmScoring> bad = ParseRfmScoring("median");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("quantile"), std::string::npos);
}

TEST(RfmEdge, WorkloadOptions) {
  RfmOptions o = RfmOptionsForWorkload();
  EXPECT_EQ(o.as_of, 19996);
  EXPECT_EQ(o.scoring, RfmScoring::kNtile);
  EXPECT_EQ(o.segments, RfmSegments::kWorkload);
  EXPECT_EQ(o.purchase, RfmPurchase::kAllLines);
}

}  // namespace
}  // namespace salesight
