// Funnel: a hand-computed case and edge cases.
#include "salesight/funnel.hpp"

#include <memory>
#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace salesight {
namespace {

constexpr Day B = 19723;  // 2024-01-01
constexpr Day N = kNoDate;

struct Opp {
  std::int64_t id;
  Day created;
  std::vector<Day> stages;
  Day lost;
  Money amount;
  Id region;
};

Pipeline MakePipeline(const std::vector<std::string>& stage_names, const std::vector<Opp>& opps,
                      bool with_lost = true, bool with_amount = true,
                      std::vector<std::string> regions = {"华东", "华南"}) {
  PipelineColumns c;
  std::vector<std::int64_t> id;
  std::vector<Day> created, lost;
  std::vector<Money> amount;
  std::vector<Id> region;
  std::vector<std::vector<Day>> dates(stage_names.size());
  for (const Opp& o : opps) {
    id.push_back(o.id);
    created.push_back(o.created);
    lost.push_back(o.lost);
    amount.push_back(o.amount);
    region.push_back(o.region);
    for (std::size_t s = 0; s < stage_names.size(); ++s) dates[s].push_back(o.stages[s]);
  }
  c.opportunity = Column<std::int64_t>::Own(id);
  c.created = Column<Day>::Own(created);
  if (with_lost) c.lost_date = Column<Day>::Own(lost);
  if (with_amount) c.amount = Column<Money>::Own(amount);
  c.region = Column<Id>::Own(region);
  c.stage_names = stage_names;
  for (auto& d : dates) c.stage_dates.push_back(Column<Day>::Own(d));
  auto dict = Dictionary::FromCodes(regions);
  EXPECT_TRUE(dict.ok());
  c.regions = std::make_shared<const Dictionary>(*dict);
  auto p = Pipeline::Build(std::move(c));
  EXPECT_TRUE(p.ok()) << p.status();
  return *std::move(p);
}

// Six opportunities over lead -> quote -> won (amounts in cents, scale 2):
//  1 region 0: lead B+100, quote B+110, won B+130, 1000.00
//  2 region 0: lead B+100, quote B+120, lost B+150, 500.00
//  3 region 1: lead B+101 (open at lead), 200.00
//  4 region 1: lead B+102, quote B+105, won B+140, 3000.00
//  5 region 0: lead B+103, quote B+130 (open at quote), 800.00
//  6 region 1: lead B+104, won B+124, no quote date (skipped), 700.00
std::vector<Opp> HandOpps() {
  return {
      {1, B + 100, {B + 100, B + 110, B + 130}, N, 100000, 0},
      {2, B + 100, {B + 100, B + 120, N}, B + 150, 50000, 0},
      {3, B + 101, {B + 101, N, N}, N, 20000, 1},
      {4, B + 102, {B + 102, B + 105, B + 140}, N, 300000, 1},
      {5, B + 103, {B + 103, B + 130, N}, N, 80000, 0},
      {6, B + 104, {B + 104, N, B + 124}, N, 70000, 1},
  };
}

const std::vector<std::string> kThree = {"lead", "quote", "won"};

TEST(FunnelHand, OverallImplied) {
  Pipeline p = MakePipeline(kThree, HandOpps());
  FunnelOptions o;
  o.as_of = B + 200;
  auto r = ComputeFunnel(p, o);
  ASSERT_TRUE(r.ok()) << r.status();
  const FunnelGroupStats& g = r->overall;
  EXPECT_EQ(g.opportunities, 6);
  // n: lead 6; quote 4 recorded + opp 6 implied = 5; won 3 (opps 1, 4, 6).
  EXPECT_EQ(g.stages[0].count, 6);
  EXPECT_EQ(g.stages[1].count, 5);
  EXPECT_EQ(g.stages[2].count, 3);
  EXPECT_FALSE(g.stages[0].step_conversion.has_value());
  EXPECT_DOUBLE_EQ(*g.stages[0].cumulative_conversion, 1.0);
  EXPECT_DOUBLE_EQ(*g.stages[1].step_conversion, 5.0 / 6.0);
  EXPECT_DOUBLE_EQ(*g.stages[2].step_conversion, 3.0 / 5.0);
  EXPECT_DOUBLE_EQ(*g.stages[2].cumulative_conversion, 3.0 / 6.0);
  EXPECT_EQ(g.stages[1].drop_off, 1);  // 6 - 5
  EXPECT_EQ(g.stages[2].drop_off, 2);  // 5 - 3
  EXPECT_DOUBLE_EQ(*g.stages[2].drop_off_rate, 0.4);
  // lead -> quote gaps 10, 20, 3, 27 -> sorted 3 10 20 27: median (10+20)/2 = 15,
  // mean 60/4 = 15, p90 at 0.9*3 = 2.7: 20 + 0.7*(27-20) = 24.9.
  EXPECT_EQ(g.stages[1].days.count, 4);
  EXPECT_DOUBLE_EQ(*g.stages[1].days.median, 15.0);
  EXPECT_DOUBLE_EQ(*g.stages[1].days.mean, 15.0);
  EXPECT_DOUBLE_EQ(*g.stages[1].days.p90, 24.9);
  // quote -> won: 20 (opp 1), 35 (opp 4); opp 6 has no quote date.
  EXPECT_EQ(g.stages[2].days.count, 2);
  EXPECT_DOUBLE_EQ(*g.stages[2].days.median, 27.5);
  EXPECT_DOUBLE_EQ(*g.stages[2].days.p90, 33.5);  // 20 + 0.9*15
  // Outcomes: won 3, lost 1 (opp 2).
  EXPECT_EQ(g.won, 3);
  EXPECT_EQ(g.lost, 1);
  EXPECT_DOUBLE_EQ(*g.win_rate_closed, 0.75);
  EXPECT_DOUBLE_EQ(*g.win_rate_created, 0.5);
  // Cycles 30, 38, 20 -> median 30, mean 88/3, p90 at 1.8: 30 + 0.8*8 = 36.4.
  EXPECT_EQ(g.cycle_days.count, 3);
  EXPECT_DOUBLE_EQ(*g.cycle_days.median, 30.0);
  EXPECT_DOUBLE_EQ(*g.cycle_days.mean, 88.0 / 3.0);
  EXPECT_DOUBLE_EQ(*g.cycle_days.p90, 36.4);
  EXPECT_EQ(*g.won_amount, 470000);  // 1000 + 3000 + 700, in cents
  EXPECT_DOUBLE_EQ(*g.avg_won_amount, 4700.0 / 3.0);
  // Open: opp 3 at lead (200.00, age 200-101 = 99), opp 5 at quote (800.00, age 70).
  EXPECT_EQ(g.open, 2);
  EXPECT_EQ(g.open_qualified, 1);
  EXPECT_EQ(g.stages[0].open_count, 1);
  EXPECT_EQ(*g.stages[0].open_amount, 20000);
  EXPECT_EQ(g.stages[1].open_count, 1);
  EXPECT_EQ(*g.stages[1].open_amount, 80000);
  EXPECT_DOUBLE_EQ(*g.stages[0].age.median, 99.0);
  EXPECT_DOUBLE_EQ(*g.stages[1].age.median, 70.0);
  EXPECT_EQ(*g.open_amount, 100000);
  // Probabilities: closed by furthest stage: won x3 at stage 2, lost x1 at stage 1.
  // p_won = 3/3, p_quote = 3/4, p_lead = 3/4.
  EXPECT_DOUBLE_EQ(*g.stages[2].probability, 1.0);
  EXPECT_DOUBLE_EQ(*g.stages[1].probability, 0.75);
  EXPECT_DOUBLE_EQ(*g.stages[0].probability, 0.75);
  // Weighted: 200 * 0.75 + 800 * 0.75 = 750.
  EXPECT_DOUBLE_EQ(*g.weighted_pipeline, 750.0);
  // Velocity: 1 qualified x 4700/3 x 0.75 / (88/3) = 3525/88.
  EXPECT_NEAR(*g.sales_velocity, 3525.0 / 88.0, 1e-12);
  EXPECT_EQ(r->issues.skipped_stage, 1);
  EXPECT_EQ(r->issues.backwards_dates, 0);
  EXPECT_TRUE(r->groups.empty());
}

TEST(FunnelHand, AsRecorded) {
  Pipeline p = MakePipeline(kThree, HandOpps());
  FunnelOptions o;
  o.implied_reached = false;
  auto r = ComputeFunnel(p, o);
  ASSERT_TRUE(r.ok()) << r.status();
  // quote: only the 4 recorded dates; won 3 recorded -> step 3/4 = 0.75.
  EXPECT_EQ(r->overall.stages[1].count, 4);
  EXPECT_EQ(r->overall.stages[2].count, 3);
  EXPECT_DOUBLE_EQ(*r->overall.stages[2].step_conversion, 0.75);
  EXPECT_DOUBLE_EQ(*r->overall.stages[1].step_conversion, 4.0 / 6.0);
  // Without as_of there are no ages.
  EXPECT_FALSE(r->overall.stages[0].age.median.has_value());
}

TEST(FunnelHand, ByRegionAndBottlenecks) {
  Pipeline p = MakePipeline(kThree, HandOpps());
  FunnelOptions o;
  o.as_of = B + 200;
  o.group_by = {"region"};
  o.bottleneck_margin = 0.1;
  o.bottleneck_min_sample = 1;
  auto r = ComputeFunnel(p, o);
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_EQ(r->groups.size(), 2u);
  const FunnelGroupStats& r0 = r->groups[0].stats;  // opps 1, 2, 5
  const FunnelGroupStats& r1 = r->groups[1].stats;  // opps 3, 4, 6
  EXPECT_EQ(r->groups[0].keys, std::vector<Id>{0});
  EXPECT_EQ(r0.stages[1].count, 3);
  EXPECT_EQ(r0.stages[2].count, 1);
  EXPECT_DOUBLE_EQ(*r0.stages[2].step_conversion, 1.0 / 3.0);
  EXPECT_DOUBLE_EQ(*r0.stages[1].days.median, 20.0);  // 10, 20, 27
  EXPECT_DOUBLE_EQ(*r0.win_rate_closed, 0.5);         // 1 won, 1 lost
  EXPECT_EQ(r1.stages[1].count, 2);                   // opp 4 + implied opp 6
  EXPECT_DOUBLE_EQ(*r1.stages[1].step_conversion, 2.0 / 3.0);
  EXPECT_DOUBLE_EQ(*r1.stages[2].days.median, 35.0);
  EXPECT_DOUBLE_EQ(*r1.cycle_days.median, 29.0);  // (20 + 38) / 2
  EXPECT_DOUBLE_EQ(*r1.win_rate_closed, 1.0);

  // Flags (margin 10%):
  //  region 0 quote->won conv 1/3 < 0.6*0.9: at stake (0.6-1/3)*3*4700/3 = 1253.33
  //  region 1 lead->quote conv 2/3 < (5/6)*0.9: (5/6-2/3)*3*(4700/3*0.75) = 587.5
  //  region 0 lead->quote dwell 20 > 15*1.1; region 1 quote->won dwell 35 > 27.5*1.1;
  //  both with nothing open at the step's start in that region: 0 at stake.
  ASSERT_EQ(r->bottlenecks.size(), 4u);
  const auto& b = r->bottlenecks;
  EXPECT_EQ(b[0].group, 0u);
  EXPECT_EQ(b[0].stage, 2);
  EXPECT_EQ(b[0].kind, BottleneckKind::kConversion);
  EXPECT_NEAR(b[0].revenue_at_stake, (0.6 - 1.0 / 3.0) * 4700.0, 1e-9);
  EXPECT_EQ(b[0].explanation, "quote → won in 华东: 33% vs 60% company-wide, 3 opportunities");
  EXPECT_EQ(b[1].group, 1u);
  EXPECT_EQ(b[1].stage, 1);
  EXPECT_NEAR(b[1].revenue_at_stake, 587.5, 1e-9);
  EXPECT_EQ(b[1].explanation, "lead → quote in 华南: 67% vs 83% company-wide, 3 opportunities");
  EXPECT_EQ(b[2].kind, BottleneckKind::kDwell);
  EXPECT_EQ(b[2].group, 0u);
  EXPECT_EQ(b[2].stage, 1);
  EXPECT_EQ(b[2].explanation,
            "lead → quote in 华东: median 20.0 days vs 15.0 days company-wide, 3 opportunities");
  EXPECT_EQ(b[3].kind, BottleneckKind::kDwell);
  EXPECT_EQ(b[3].group, 1u);
  EXPECT_EQ(b[3].stage, 2);

  // Min sample 4: no group has 4 opportunities in a denominator.
  o.bottleneck_min_sample = 4;
  auto r2 = ComputeFunnel(p, o);
  ASSERT_TRUE(r2.ok());
  EXPECT_TRUE(r2->bottlenecks.empty());

  ResultTable t = ToResultTable(*r);
  ASSERT_TRUE(t.Validate().ok());
  ASSERT_EQ(t.num_rows(), 2u);
  EXPECT_EQ(t.columns()[0].name, "region");
  EXPECT_EQ(t.columns()[0].Texts()[1], "华南");
  const ResultColumn* qc = t.Find("quote_count");
  ASSERT_NE(qc, nullptr);
  EXPECT_EQ(qc->ints[0], 3);
  EXPECT_EQ(qc->ints[1], 2);
  ASSERT_NE(t.Find("lead_step_conv"), nullptr);
  EXPECT_TRUE(t.Find("lead_step_conv")->is_null(0));
  ASSERT_NE(t.Find("won_median_days"), nullptr);
  ASSERT_NE(t.Find("win_rate"), nullptr);
  EXPECT_DOUBLE_EQ(t.Find("cycle_days")->doubles[1], 29.0);
  ResultTable bt = BottlenecksToResultTable(*r);
  ASSERT_TRUE(bt.Validate().ok());
  EXPECT_EQ(bt.num_rows(), 4u);
  ResultTable dt = ToDetailedResultTable(*r);
  ASSERT_TRUE(dt.Validate().ok());
  EXPECT_EQ(dt.num_rows(), 3u);
  EXPECT_EQ(dt.Find("group")->Texts()[0], "all");
}

TEST(FunnelEdge, BackwardsDatesReportedAndExcluded) {
  // Opp 7: quote before lead (gap -5); opp 8: won 3 days before created.
  std::vector<Opp> opps = {
      {7, B, {B + 10, B + 5, N}, N, 100, 0},
      {8, B + 10, {B + 10, B + 12, B + 7}, N, 100, 0},
      {9, B, {B, B + 4, N}, N, 100, 0},
  };
  Pipeline p = MakePipeline(kThree, opps);
  auto r = ComputeFunnel(p, FunnelOptions{});
  ASSERT_TRUE(r.ok()) << r.status();
  // Backwards: 7 (quote<lead), 8 (won<quote), 8 (won<created) = 3.
  EXPECT_EQ(r->issues.backwards_dates, 3);
  ASSERT_EQ(r->issues.examples.size(), 3u);
  EXPECT_EQ(r->issues.examples[0].opportunity, 7);
  EXPECT_EQ(r->issues.examples[0].stage, 1);
  EXPECT_EQ(r->issues.examples[0].previous_stage, 0);
  EXPECT_EQ(r->issues.examples[0].date, B + 5);
  EXPECT_EQ(r->issues.examples[0].previous_date, B + 10);
  EXPECT_EQ(r->issues.examples[1].opportunity, 8);
  EXPECT_EQ(r->issues.examples[1].stage, 2);
  EXPECT_EQ(r->issues.examples[2].previous_stage, -1);
  EXPECT_EQ(r->issues.examples[2].row, 1u);
  // Excluded by default: lead->quote gaps 2 (opp 8) and 4 (opp 9) only.
  EXPECT_EQ(r->overall.stages[1].days.count, 2);
  EXPECT_DOUBLE_EQ(*r->overall.stages[1].days.median, 3.0);
  EXPECT_EQ(r->overall.stages[2].days.count, 0);
  EXPECT_FALSE(r->overall.stages[2].days.median.has_value());
  EXPECT_EQ(r->overall.cycle_days.count, 0);
  // Included: -5, 2, 4 -> median 2; quote->won -5; cycle -3.
  FunnelOptions inc;
  inc.include_backwards_gaps = true;
  auto r2 = ComputeFunnel(p, inc);
  ASSERT_TRUE(r2.ok());
  EXPECT_DOUBLE_EQ(*r2->overall.stages[1].days.median, 2.0);
  EXPECT_DOUBLE_EQ(*r2->overall.stages[1].days.mean, 1.0 / 3.0);
  EXPECT_DOUBLE_EQ(*r2->overall.stages[2].days.median, -5.0);
  EXPECT_DOUBLE_EQ(*r2->overall.cycle_days.median, -3.0);
  EXPECT_EQ(r2->issues.backwards_dates, 3);
  // Example cap.
  FunnelOptions capped;
  capped.max_reported_issues = 1;
  capped.num_threads = 3;
  auto r3 = ComputeFunnel(p, capped);
  ASSERT_TRUE(r3.ok());
  EXPECT_EQ(r3->issues.backwards_dates, 3);
  ASSERT_EQ(r3->issues.examples.size(), 1u);
  EXPECT_EQ(r3->issues.examples[0].opportunity, 7);
}

TEST(FunnelEdge, AllLost) {
  std::vector<Opp> opps = {
      {1, B, {B, B + 3, N}, B + 9, 100, 0},
      {2, B, {B, N, N}, B + 1, 100, 1},
  };
  Pipeline p = MakePipeline(kThree, opps);
  FunnelOptions o;
  o.group_by = {"region"};
  auto r = ComputeFunnel(p, o);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->overall.won, 0);
  EXPECT_EQ(r->overall.lost, 2);
  EXPECT_DOUBLE_EQ(*r->overall.win_rate_closed, 0.0);
  EXPECT_DOUBLE_EQ(*r->overall.win_rate_created, 0.0);
  EXPECT_EQ(r->overall.stages[2].count, 0);
  EXPECT_DOUBLE_EQ(*r->overall.stages[2].step_conversion, 0.0);
  EXPECT_FALSE(r->overall.avg_won_amount.has_value());
  EXPECT_FALSE(r->overall.cycle_days.median.has_value());
  EXPECT_FALSE(r->overall.sales_velocity.has_value());
  EXPECT_EQ(r->overall.open, 0);
  EXPECT_DOUBLE_EQ(*r->overall.weighted_pipeline, 0.0);
  // Region 1: nobody reached quote -> won step conversion 0/0 = null.
  EXPECT_FALSE(r->groups[1].stats.stages[2].step_conversion.has_value());
  EXPECT_DOUBLE_EQ(*r->groups[1].stats.stages[1].step_conversion, 0.0);
  // p_s: 0 won of 2 closed for stages <= 1; nobody closed beyond -> null.
  EXPECT_DOUBLE_EQ(*r->overall.stages[0].probability, 0.0);
  EXPECT_FALSE(r->overall.stages[2].probability.has_value());
}

TEST(FunnelEdge, EmptyTableAndEmptyScope) {
  Pipeline p = MakePipeline(kThree, {});
  FunnelOptions o;
  o.group_by = {"region"};
  o.period = GrainUnit::kMonth;
  o.num_threads = 2;
  auto r = ComputeFunnel(p, o);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_TRUE(r->groups.empty());
  EXPECT_EQ(r->overall.opportunities, 0);
  EXPECT_FALSE(r->overall.stages[0].cumulative_conversion.has_value());
  EXPECT_FALSE(r->overall.win_rate_closed.has_value());
  EXPECT_FALSE(r->overall.win_rate_created.has_value());
  EXPECT_EQ(ToResultTable(*r).num_rows(), 0u);

  Pipeline q = MakePipeline(kThree, HandOpps());
  o.from = B + 500;  // nothing created then: no group at all
  auto r2 = ComputeFunnel(q, o);
  ASSERT_TRUE(r2.ok());
  EXPECT_TRUE(r2->groups.empty());
  EXPECT_EQ(r2->overall.opportunities, 0);
}

TEST(FunnelEdge, SingleOpportunity) {
  Pipeline p = MakePipeline(kThree, {{42, B, {B, B + 7, B + 9}, N, 12345, 1}});
  FunnelOptions o;
  o.num_threads = 3;  // more threads than rows
  o.group_by = {"region"};
  o.period = GrainUnit::kIsoWeek;
  auto r = ComputeFunnel(p, o);
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_EQ(r->groups.size(), 1u);
  EXPECT_EQ(r->groups[0].keys[0], 1);
  EXPECT_EQ(r->groups[0].period_start, B);  // 2024-01-01 is a Monday
  EXPECT_EQ(FunnelGroupLabel(*r, r->groups[0]), "华南 / 2024-W01");
  EXPECT_DOUBLE_EQ(*r->overall.stages[1].days.median, 7.0);
  EXPECT_DOUBLE_EQ(*r->overall.stages[1].days.p90, 7.0);
  EXPECT_DOUBLE_EQ(*r->overall.cycle_days.median, 9.0);
  EXPECT_DOUBLE_EQ(*r->overall.avg_won_amount, 123.45);
  EXPECT_DOUBLE_EQ(*r->overall.win_rate_closed, 1.0);
}

TEST(FunnelEdge, StageWithoutPredecessor) {
  // Only the won date: implied -> all three reached; as recorded -> only won.
  Pipeline p = MakePipeline(kThree, {{1, B, {N, N, B + 5}, N, 100, 0}});
  auto r = ComputeFunnel(p, FunnelOptions{});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->overall.stages[0].count, 1);
  EXPECT_EQ(r->overall.stages[1].count, 1);
  EXPECT_EQ(r->overall.stages[2].count, 1);
  EXPECT_EQ(r->overall.stages[1].days.count, 0);
  EXPECT_EQ(r->issues.skipped_stage, 1);
  FunnelOptions rec;
  rec.implied_reached = false;
  auto r2 = ComputeFunnel(p, rec);
  ASSERT_TRUE(r2.ok());
  EXPECT_EQ(r2->overall.stages[0].count, 0);
  EXPECT_EQ(r2->overall.stages[2].count, 1);
  EXPECT_FALSE(r2->overall.stages[1].step_conversion.has_value());  // 0 / 0
  EXPECT_FALSE(r2->overall.stages[2].step_conversion.has_value());
  EXPECT_FALSE(r2->overall.stages[2].cumulative_conversion.has_value());
}

TEST(FunnelEdge, AsOfCutsLaterDates) {
  // As of B+115: opp 1 has quote (B+110) but not won (B+130) yet; opp 2 lost
  // only at B+150 -> still open at quote; created after as_of -> out of scope.
  Pipeline p = MakePipeline(kThree, HandOpps());
  FunnelOptions o;
  o.mode = FunnelMode::kSnapshot;
  o.as_of = B + 115;
  auto r = ComputeFunnel(p, o);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->overall.opportunities, 6);
  EXPECT_EQ(r->overall.won, 0);
  EXPECT_EQ(r->overall.lost, 0);
  // Open at quote: opp 1 (B+110, age 5), opp 4 (B+105, age 10); lead: 2, 3, 5, 6.
  EXPECT_EQ(r->overall.stages[1].open_count, 2);
  EXPECT_EQ(r->overall.stages[0].open_count, 4);
  EXPECT_DOUBLE_EQ(*r->overall.stages[1].age.median, 7.5);
  ResultTable t = ToResultTable(*r);
  ASSERT_TRUE(t.Validate().ok());
  ASSERT_NE(t.Find("quote_open"), nullptr);
  EXPECT_EQ(t.Find("quote_open")->ints[0], 2);
  EXPECT_EQ(t.Find("lead_open_amount")->type, ResultType::kMoney);
  EXPECT_EQ(t.Find("lead_open_amount")->ints[0], 50000 + 20000 + 80000 + 70000);

  FunnelOptions bad;
  bad.mode = FunnelMode::kSnapshot;
  EXPECT_FALSE(ComputeFunnel(p, bad).ok());  // snapshot needs as_of
}

TEST(FunnelEdge, ActivityMode) {
  // Window B+110..B+130: quote entries of opps 1 (B+110), 2 (B+120), 5 (B+130);
  // won entries: opp 6 (B+124), opp 1 (B+130). Creations: none in the window.
  Pipeline p = MakePipeline(kThree, HandOpps());
  FunnelOptions o;
  o.mode = FunnelMode::kActivity;
  o.from = B + 110;
  o.to = B + 130;
  auto r = ComputeFunnel(p, o);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->overall.opportunities, 0);
  EXPECT_EQ(r->overall.stages[0].count, 0);
  EXPECT_EQ(r->overall.stages[1].count, 3);
  EXPECT_EQ(r->overall.stages[2].count, 2);
  EXPECT_FALSE(r->overall.stages[1].step_conversion.has_value());  // 3 / 0
  EXPECT_DOUBLE_EQ(*r->overall.stages[2].step_conversion, 2.0 / 3.0);
  EXPECT_EQ(r->overall.won, 2);
  EXPECT_EQ(r->overall.stages[1].days.count, 3);  // 10, 20, 27
  EXPECT_DOUBLE_EQ(*r->overall.stages[1].days.median, 20.0);
  EXPECT_FALSE(r->overall.win_rate_created.has_value());
}

TEST(FunnelEdge, CompareAndPeriods) {
  // Monthly cohorts Jan..Mar 2024 in one region; compare with previous month.
  std::vector<Opp> opps;
  const Day jan = B, feb = B + 31, mar = B + 60;
  opps.push_back({1, jan + 3, {jan + 3, jan + 5, N}, N, 100, 0});
  opps.push_back({2, jan + 9, {jan + 9, N, N}, N, 100, 0});
  opps.push_back({3, feb + 1, {feb + 1, feb + 2, feb + 8}, N, 100, 0});
  opps.push_back({4, mar + 20, {mar + 20, N, N}, N, 100, 0});
  opps.push_back({5, mar + 2, {mar + 2, mar + 3, N}, N, 100, 0});
  Pipeline p = MakePipeline(kThree, opps);
  FunnelOptions o;
  o.period = GrainUnit::kMonth;
  o.compare = FunnelCompare::kPreviousPeriod;
  o.from = feb + 10;  // Feb is cut at the 11th; January feeds only Feb's comparison
  auto r = ComputeFunnel(p, o);
  ASSERT_TRUE(r.ok()) << r.status();
  // Feb group: opp 3 is created Feb 2 < from -> out; so groups: Mar only.
  ASSERT_EQ(r->groups.size(), 1u);
  EXPECT_EQ(FunnelPeriodLabel(r->period, r->groups[0].period_start), "2024-03");
  EXPECT_EQ(r->groups[0].stats.opportunities, 2);
  // Its previous period (Feb from the 11th) is empty -> null.
  EXPECT_FALSE(r->groups[0].previous.has_value());
  EXPECT_EQ(r->groups[0].previous_start, feb);
  EXPECT_EQ(r->overall.opportunities, 2);

  o.from = feb;
  auto r2 = ComputeFunnel(p, o);
  ASSERT_TRUE(r2.ok());
  ASSERT_EQ(r2->groups.size(), 2u);  // Feb, Mar (Jan only as comparison)
  ASSERT_TRUE(r2->groups[0].previous.has_value());
  EXPECT_EQ(r2->groups[0].previous->opportunities, 2);  // January
  EXPECT_EQ(r2->groups[0].previous->stages[1].count, 1);
  ASSERT_TRUE(r2->groups[1].previous.has_value());
  EXPECT_EQ(r2->groups[1].previous->opportunities, 1);  // February
  EXPECT_EQ(r2->overall.opportunities, 3);
  ResultTable t = ToResultTable(*r2);
  ASSERT_TRUE(t.Validate().ok());
  EXPECT_EQ(t.Find("month")->Texts()[0], "2024-02");
  EXPECT_EQ(t.Find("compare_period")->Texts()[0], "2024-01");
  EXPECT_EQ(t.Find("lead_count_prev")->ints[0], 2);

  FunnelOptions bad;
  bad.compare = FunnelCompare::kPreviousPeriod;
  EXPECT_FALSE(ComputeFunnel(p, bad).ok());  // compare needs a period

  // Period labels.
  EXPECT_EQ(FunnelPeriodLabel(GrainUnit::kQuarter, B + 100), "2024-Q2");
  EXPECT_EQ(FunnelPeriodLabel(GrainUnit::kYear, B), "2024");
  EXPECT_EQ(FunnelPeriodLabel(GrainUnit::kDay, B), "2024-01-01");
}

TEST(FunnelEdge, OptionErrorsNameTheProblem) {
  Pipeline p = MakePipeline(kThree, HandOpps());
  FunnelOptions o;
  o.group_by = {"salesperson"};
  auto r = ComputeFunnel(p, o);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("salesperson"), std::string::npos);
  o = {};
  o.won_stage = "closed";
  r = ComputeFunnel(p, o);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("closed"), std::string::npos);
  o = {};
  o.stage_probability = {0.5, 1.5, 1.0};
  EXPECT_FALSE(ComputeFunnel(p, o).ok());
  o = {};
  o.group_by = {"region", "region"};
  EXPECT_FALSE(ComputeFunnel(p, o).ok());
  o = {};
  o.group_by = {"segment"};
  {
    auto unknown = ComputeFunnel(p, o);  // no such dimension: the valid ones are named
    ASSERT_FALSE(unknown.ok());
    EXPECT_NE(unknown.status().message().find("'segment' is not a dimension of the pipeline"),
              std::string::npos)
        << unknown.status();
  }
  o.group_by = {"Region"};
  {
    auto typo = ComputeFunnel(p, o);
    ASSERT_FALSE(typo.ok());
    EXPECT_NE(typo.status().message().find("Did you mean 'region'?"), std::string::npos)
        << typo.status();
  }
  o = {};
  o.from = B + 10;
  o.to = B;
  EXPECT_FALSE(ComputeFunnel(p, o).ok());
  o = {};
  EXPECT_FALSE(PartialFunnel(p, 4, 2, o).ok());
  EXPECT_FALSE(PartialFunnel(p, 0, 7, o).ok());
}

TEST(FunnelEdge, ProbabilityOverride) {
  Pipeline p = MakePipeline(kThree, HandOpps());
  FunnelOptions o;
  o.stage_probability = {0.1, -1.0, 1.0};  // lead overridden, quote historical
  auto r = ComputeFunnel(p, o);
  ASSERT_TRUE(r.ok());
  EXPECT_DOUBLE_EQ(*r->overall.stages[0].probability, 0.1);
  EXPECT_DOUBLE_EQ(*r->overall.stages[1].probability, 0.75);
  // 200 * 0.1 + 800 * 0.75 = 620.
  EXPECT_DOUBLE_EQ(*r->overall.weighted_pipeline, 620.0);
}

TEST(FunnelEdge, NoOutcomesReadsNoMoney) {
  Pipeline p = MakePipeline(kThree, HandOpps(), /*with_lost=*/false, /*with_amount=*/false);
  FunnelOptions o;
  auto r = ComputeFunnel(p, o);
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->has_amount);
  EXPECT_FALSE(r->overall.avg_won_amount.has_value());
  EXPECT_FALSE(r->overall.weighted_pipeline.has_value());
  EXPECT_EQ(r->overall.lost, 0);
  EXPECT_DOUBLE_EQ(*r->overall.win_rate_closed, 1.0);  // nobody lost without lost dates
  o.compute_outcomes = false;
  auto r2 = ComputeFunnel(p, o);
  ASSERT_TRUE(r2.ok());
  EXPECT_EQ(r2->overall.won, 0);
  EXPECT_FALSE(r2->overall.win_rate_closed.has_value());
  EXPECT_EQ(r2->overall.stages[2].count, 3);
}

TEST(FunnelEdge, MoneyOverflowNamesTheGroup) {
  std::vector<Opp> opps;
  for (int i = 0; i < 3000; ++i) {
    opps.push_back({i, B, {B, B + 1, B + 2}, N, kMaxMoney, 1});
  }
  Pipeline p = MakePipeline(kThree, opps);
  FunnelOptions o;
  o.group_by = {"region"};
  auto r = ComputeFunnel(p, o);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("region 1"), std::string::npos) << r.status();
}

TEST(FunnelEdge, PartialsMustShareOptions) {
  Pipeline p = MakePipeline(kThree, HandOpps());
  FunnelOptions a, b;
  b.implied_reached = false;
  auto pa = PartialFunnel(p, 0, 3, a);
  auto pb = PartialFunnel(p, 3, 6, b);
  ASSERT_TRUE(pa.ok() && pb.ok());
  EXPECT_FALSE(MergeFunnel(*pa, *pb).ok());
  FunnelPartial empty;
  EXPECT_FALSE(FinishFunnel(std::move(empty), a).ok());
}

}  // namespace
}  // namespace salesight
