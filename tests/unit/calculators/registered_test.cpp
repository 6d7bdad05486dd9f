// The calculators registered in issue 13's last step (margin, aging,
// collection, trend, contribution, leaderboard, overview): through
// RunCalculator with options as text, every named output equals the typed C++
// call with the same options on the same data; the declared defaults are the
// structs' defaults; errors name the option. (Shuffled rows:
// tests/unit/property/row_order_test.cpp; C and Python: tests/capi,
// tests/python/test_registered_calculators.py.)
#include <map>
#include <sstream>
#include <string>

#include "dataset_test_util.hpp"
#include "gtest/gtest.h"
#include "salesight/calculator.hpp"
#include "salesight/contribution.hpp"
#include "salesight/leaderboard.hpp"
#include "salesight/margin.hpp"
#include "salesight/overview.hpp"
#include "salesight/receivables.hpp"
#include "salesight/sample.hpp"
#include "salesight/trend.hpp"

namespace salesight {
namespace {

std::string Csv(const ResultTable& table) {
  std::ostringstream out;
  WriteCsv(table, out);
  return out.str();
}

template <typename T>
T Ok(absl::StatusOr<T> r) {
  EXPECT_TRUE(r.ok()) << r.status();
  return *std::move(r);
}

using Tables = std::map<std::string, std::string>;

// The sample's seven tables as one dataset (built once: 2000 lines).
struct Fixture {
  SampleData sample;
  Dataset data;
};

const Fixture& Sample() {
  static const Fixture* const f = [] {
    SampleOptions o;
    o.order_lines = 2000;
    auto* out = new Fixture{Ok(GenerateSample(o)), Dataset{}};
    const SampleData& s = out->sample;
    out->data = test_data::TestData({.orders = &s.orders,
                                     .customers = &s.customers,
                                     .products = &s.products,
                                     .pipeline = &s.pipeline,
                                     .invoices = &s.invoices,
                                     .payments = &s.payments,
                                     .targets = &s.targets});
    return out;
  }();
  return *f;
}

Tables RunDeclared(std::string_view name, const OptionSettings& settings) {
  const CalculatorSpec& spec = *Ok(FindCalculator(name));
  ResultSet set = Ok(RunCalculator(spec, Sample().data, settings));
  Tables out;
  EXPECT_EQ(set.tables.size(), spec.outputs.size()) << name;
  for (std::size_t i = 0; i < set.tables.size(); ++i) {
    EXPECT_EQ(set.tables[i].name, spec.outputs[i]) << name;
    out[set.tables[i].name] = Csv(set.tables[i].table);
  }
  return out;
}

void ExpectSame(const Tables& got, const Tables& want) {
  ASSERT_EQ(got.size(), want.size());
  for (const auto& [name, csv] : want) {
    EXPECT_EQ(got.at(name), csv) << "output " << name;
    EXPECT_GT(csv.size(), 0u) << name;
  }
}

std::string Iso(Day d) { return FormatDate(d); }

// ------------------------------------------------------------------ margin

Tables TypedMargin(const MarginRequest& r, QuadrantLevel level) {
  const Dataset& data = Sample().data;
  MarginResult m = Ok(ComputeMargin(data, r.options));
  MarginRanking ranking = Ok(RankMargin(m, r.rank));
  AbcOptions ao;
  ao.metric = r.abc.value_or(AbcMetric::kRevenue);
  AbcResult abc = Ok(ClassifyAbc(m, ao));
  QuadrantOptions qo;
  qo.level = level;
  qo.product_cost_order = r.options.product_cost_order;
  QuadrantResult q = Ok(ComputeQuadrant(*data.orders(), data.products(), qo));
  MarginTableOptions t;
  t.language = r.language;
  if (r.abc) t.abc = &abc;
  if (r.quadrant) t.quadrant = &q;
  return {{"table", Csv(ToResultTable(m, t))},
          {"ranking", Csv(ToResultTable(ranking, m))},
          {"abc", Csv(ToResultTable(abc, m))},
          {"quadrant", Csv(ToResultTable(q, r.language))}};
}

TEST(RegisteredMargin, DefaultsEqualTheTypedCalls) {
  ExpectSame(RunDeclared("margin", {}), TypedMargin(MarginRequest{}, QuadrantLevel::kProduct));
}

TEST(RegisteredMargin, EveryOptionReachesTheTypedCalls) {
  const Day as_of = Sample().sample.as_of;
  MarginRequest r;
  r.options.group_by.dimensions = {"region", "month"};
  r.options.from = as_of - 200;
  r.options.to = as_of;
  r.options.product_cost_order = ProductCostOrder::kTierThenStandard;
  r.options.margin_share_sign = MarginShareSign::kPlainRatio;
  r.options.num_threads = 2;
  r.abc = AbcMetric::kMargin;
  r.quadrant = true;
  r.language = MarginLabelLanguage::kChinese;
  r.rank = {MarginMetric::kRevenue, MarginRankOrder::kBottom, 3};
  ExpectSame(RunDeclared("margin", {{"by", "region, month"},
                            {"start", Iso(as_of - 200)},
                            {"end", Iso(as_of)},
                            {"tier_cost_first", "true"},
                            {"margin_share", "plain"},
                            {"abc", "margin"},
                            {"quadrant", "true"},
                            {"language", "zh"},
                            {"rank_by", "revenue"},
                            {"top", "3"},
                            {"bottom", "true"},
                            {"num_threads", "2"}}),
             TypedMargin(r, QuadrantLevel::kProduct));
  // One category grouping: the quadrant is per category, as in C.
  MarginRequest c;
  c.options.group_by.dimensions = {"category"};
  ExpectSame(RunDeclared("margin", {{"by", "category"}}), TypedMargin(c, QuadrantLevel::kCategory));
}

// ------------------------------------------------------------------ receivables

Tables TypedAging(AgingOptions o) {
  AgingResult r = Ok(ComputeAging(Sample().data, o));
  return {{"aging", Csv(ToResultTable(r))},
          {"overdue", Csv(OverdueToResultTable(r))},
          {"issues", Csv(IssuesToResultTable(r.issues, r.money_scale))}};
}

TEST(RegisteredAging, AsOfDefaultsToTheLatestInvoiceDate) {
  AgingOptions o;
  o.as_of = Sample().data.invoices()->max_invoice_date();
  ExpectSame(RunDeclared("aging", {}), TypedAging(o));
}

TEST(RegisteredAging, EveryOptionReachesTheTypedCall) {
  AgingOptions o;
  o.as_of = Sample().sample.as_of;
  o.age_basis = AgeBasis::kInvoiceDate;
  o.cutoffs = {0, 15, 45};
  o.group_by = "salesperson";
  o.overdue_top_n = 7;
  o.num_threads = 2;
  ExpectSame(RunDeclared("aging", {{"as_of", Iso(o.as_of)},
                           {"basis", "invoice"},
                           {"cutoffs", "0,15,45"},
                           {"by", "salesperson"},
                           {"top", "7"},
                           {"num_threads", "2"}}),
             TypedAging(o));
  o.group_by = "";
  o.age_basis = AgeBasis::kDueDate;
  o.cutoffs = AgingOptions{}.cutoffs;
  o.overdue_top_n = AgingOptions{}.overdue_top_n;
  o.num_threads = 1;
  ExpectSame(RunDeclared("aging", {{"as_of", Iso(o.as_of)}, {"by", "none"}}), TypedAging(o));
}

TEST(RegisteredCollection, EveryOptionReachesTheTypedCall) {
  CollectionOptions o;
  o.as_of = Sample().sample.as_of;
  o.from = o.as_of - 90;
  o.to = o.as_of - 10;
  o.group_by = "region";
  o.days_to_pay = DaysToPayMean::kAmountWeighted;
  ExpectSame(RunDeclared("collection", {{"as_of", Iso(o.as_of)},
                                {"start", Iso(o.from)},
                                {"end", Iso(o.to)},
                                {"by", "region"},
                                {"days_to_pay", "amount_weighted"}}),
             {{"collection", Csv(ToResultTable(Ok(ComputeCollection(Sample().data, o))))}});
  CollectionOptions d;
  d.as_of = Sample().data.invoices()->max_invoice_date();
  d.rate_only = true;
  ExpectSame(RunDeclared("collection", {{"rate_only", "true"}}),
             {{"collection", Csv(ToResultTable(Ok(ComputeCollection(Sample().data, d))))}});
}

// ------------------------------------------------------------------ trend, contribution, ...

Tables TypedTrend(const TrendOptions& o) {
  TrendResult r = Ok(ComputeTrend(Sample().data, o));
  return {{"table", Csv(ToResultTable(r))}, {"to_date", Csv(ToDateResultTable(r))}};
}

TEST(RegisteredTrend, EveryOptionReachesTheTypedCall) {
  ExpectSame(RunDeclared("trend", {}), TypedTrend(TrendOptions{}));
  TrendOptions o;
  o.grain = *ParseGrain("fiscal_year:4");
  o.compare = TrendCompare::kPrevious;
  o.compare_measure = TrendMeasure::kOrders;
  o.group_by = "salesperson";  // the sample's targets are per salesperson
  o.from = Sample().sample.as_of - 500;
  o.to = Sample().sample.as_of;
  o.as_of = Sample().sample.as_of;
  o.emit_empty_periods = false;
  ExpectSame(RunDeclared("trend", {{"grain", "fiscal_year:4"},
                           {"compare", "previous"},
                           {"measure", "orders"},
                           {"by", "salesperson"},
                           {"start", Iso(o.from)},
                           {"end", Iso(o.to)},
                           {"as_of", Iso(o.as_of)},
                           {"empty_periods", "false"}}),
             TypedTrend(o));
  TrendOptions w;
  w.grain = GrainUnit::kIsoWeek;
  w.compare = TrendCompare::kTarget;
  w.group_by = "salesperson";
  w.from = Sample().sample.as_of - 60;
  w.to = Sample().sample.as_of;
  ExpectSame(RunDeclared("trend", {{"grain", "week"},
                                   {"compare", "target"},
                                   {"by", "salesperson"},
                                   {"start", Iso(w.from)},
                                   {"end", Iso(w.to)}}),
             TypedTrend(w));
}

TEST(RegisteredContribution, EveryOptionReachesTheTypedCall) {
  auto typed = [](const ContributionOptions& o) {
    return Tables{{"table", Csv(ToResultTable(Ok(ComputeContribution(Sample().data, o))))}};
  };
  ExpectSame(RunDeclared("contribution", {}), typed(ContributionOptions{}));
  ContributionOptions o;
  o.dimensions = {"category", "channel"};
  o.measure = ContributionMeasure::kMargin;
  o.from = Sample().sample.as_of - 100;
  o.to = Sample().sample.as_of;
  o.decimals = 3;
  ExpectSame(RunDeclared("contribution", {{"by", "category,channel"},
                                  {"measure", "margin"},
                                  {"start", Iso(o.from)},
                                  {"end", Iso(o.to)},
                                  {"decimals", "3"}}),
             typed(o));
}

TEST(RegisteredLeaderboard, EveryOptionReachesTheTypedCall) {
  for (const char* metric : {"revenue", "margin", "orders", "won", "win_rate", "collection_rate",
                             "attainment"}) {
    LeaderboardOptions o;
    o.from = Sample().sample.as_of - 120;
    o.to = Sample().sample.as_of;
    // The typed metric the declared name sets.
    static const std::map<std::string, LeaderboardMetric> kMetric = {
        {"revenue", LeaderboardMetric::kRevenue}, {"margin", LeaderboardMetric::kMargin},
        {"orders", LeaderboardMetric::kOrders}, {"won", LeaderboardMetric::kWon},
        {"win_rate", LeaderboardMetric::kWinRate},
        {"collection_rate", LeaderboardMetric::kCollectionRate},
        {"attainment", LeaderboardMetric::kTargetAttainment}};
    o.rank_by = kMetric.at(metric);
    ExpectSame(
        RunDeclared("leaderboard", {{"start", Iso(o.from)}, {"end", Iso(o.to)}, {"rank_by", metric}}),
        {{"table", Csv(ToResultTable(Ok(ComputeLeaderboard(Sample().data, o))))}});
  }
}

TEST(RegisteredOverview, IsTheTypedOverviewInOneRow) {
  const OrdersOverview o = Ok(ComputeOverview(Sample().data));
  ExpectSame(RunDeclared("overview", {}), {{"overview", Csv(ToResultTable(o))}});
  const ResultTable t = ToResultTable(o);
  ASSERT_EQ(t.num_rows(), 1u);
  EXPECT_EQ(t.Find("lines")->ints[0], 2000);
  EXPECT_EQ(t.Find("net_revenue")->ints[0], o.sales + o.returns);
  EXPECT_EQ(t.Find("first_day")->ints[0], o.first_day);
}

// ------------------------------------------------------------------ every registered one

// Stating every declared default explicitly changes nothing: the declaration's
// defaults are the structs' (a drifted default fails here, whichever calculator).
TEST(RegisteredCalculators, DeclaredDefaultsAreTheStructDefaults) {
  for (const char* name :
       {"margin", "aging", "collection", "trend", "contribution", "leaderboard", "overview"}) {
    const CalculatorSpec& spec = *Ok(FindCalculator(name));
    // The leaderboard needs a knowledge date with a pipeline (no default).
    OptionSettings base;
    if (std::string_view(name) == "leaderboard") base = {{"end", Iso(Sample().sample.as_of)}};
    OptionSettings explicit_defaults = base;
    for (const OptionInfo& o : spec.options) {
      if (!o.default_value.empty()) explicit_defaults.emplace_back(o.name, o.default_value);
    }
    const Tables a = RunDeclared(name, base), b = RunDeclared(name, explicit_defaults);
    EXPECT_EQ(a, b) << name;
  }
}

TEST(RegisteredCalculators, ErrorsNameTheOptionAndTheValue) {
  struct Case {
    const char* calculator;
    OptionSettings settings;
    const char* message;
  };
  const Case cases[] = {
      {"contribution", {{"by", "region,channel,category"}}, "names 3 dimensions"},
      {"trend", {{"grain", "decade"}}, "decade"},
      {"aging", {{"cutoffs", "0,x"}}, "cutoffs"},
      {"leaderboard", {{"rank_by", "speed"}}, "speed"},
      {"margin", {{"top", "-1"}}, "top"},
      {"overview", {{"grain", "month"}}, "grain"},
  };
  for (const Case& c : cases) {
    const CalculatorSpec& spec = *Ok(FindCalculator(c.calculator));
    absl::Status st = RunCalculator(spec, Sample().data, c.settings).status();
    EXPECT_EQ(st.code(), absl::StatusCode::kInvalidArgument) << c.calculator;
    EXPECT_NE(std::string(st.message()).find(c.message), std::string::npos)
        << c.calculator << ": " << st.message();
  }
}

}  // namespace
}  // namespace salesight
