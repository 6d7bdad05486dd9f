// Change drivers over a Dataset: hand cases (a single-slice drop, two
// independent slices, a mix-only change in margin %, no change at all, a
// distinct count), a plain brute-force reference of every combination's
// before/after/change and of the ratio decomposition on random data, injected
// causes recovered as the top driver, row-order invariance, the declaration.
#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <map>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "dataset_test_util.hpp"
#include "gtest/gtest.h"
#include "salesight/calculator.hpp"
#include "salesight/insights/drivers.hpp"

namespace salesight {
namespace {

using test_data::TestData;

Day D(int y, int m, int d) { return DayFromCivil(y, m, d); }

struct Line {
  Day day;
  Money amount;
  Id region = 0, channel = 0, salesperson = 0;
  Money cost = 0;
  std::int64_t order = -1;  // -1 = one order per line
};

const std::vector<std::string> kRegions = {"east", "north", "south", "west"};
const std::vector<std::string> kChannels = {"online", "partner", "store"};
const std::vector<std::string> kPeople = {"ann", "bob", "cid", "dan", "eve"};
const std::vector<std::string> kDims = {"region", "channel", "salesperson"};

OrderLines MakeOrders(const std::vector<Line>& lines) {
  OrderLinesColumns c;
  std::vector<std::int64_t> order;
  std::vector<Day> day;
  std::vector<Id> customer, region, channel, person;
  std::vector<Money> amount, cost;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    order.push_back(lines[i].order >= 0 ? lines[i].order : static_cast<std::int64_t>(i));
    day.push_back(lines[i].day);
    customer.push_back(0);
    region.push_back(lines[i].region);
    channel.push_back(lines[i].channel);
    person.push_back(lines[i].salesperson);
    amount.push_back(lines[i].amount);
    cost.push_back(lines[i].cost);
  }
  c.order_id = Column<std::int64_t>::Own(std::move(order));
  c.order_date = Column<Day>::Own(std::move(day));
  c.customer = Column<Id>::Own(std::move(customer));
  c.region = Column<Id>::Own(std::move(region));
  c.channel = Column<Id>::Own(std::move(channel));
  c.salesperson = Column<Id>::Own(std::move(person));
  c.amount = Column<Money>::Own(std::move(amount));
  c.cost = Column<Money>::Own(std::move(cost));
  c.regions = std::make_shared<const Dictionary>(*Dictionary::FromCodes(kRegions));
  c.channels = std::make_shared<const Dictionary>(*Dictionary::FromCodes(kChannels));
  c.salespeople = std::make_shared<const Dictionary>(*Dictionary::FromCodes(kPeople));
  return OrderLines::Build(std::move(c)).value();
}

DriversOptions Options(std::vector<std::string> dims, std::string measure = "revenue") {
  DriversOptions o;
  o.measure = std::move(measure);
  o.period = "2024-03";
  o.dims = std::move(dims);
  o.dims_given = true;
  return o;
}

std::string Csv(const ResultTable& t) {
  std::ostringstream out;
  WriteCsv(t, out);
  return out.str();
}

const DriverRow* Row(const DriversResult& r, const std::string& combination) {
  for (const DriverRow& row : r.rows) {
    if (row.combination == combination) return &row;
  }
  return nullptr;
}

// One line of 100.00 per (region, channel) in February and March 2024, March
// changed by `march`.
template <typename F>
std::vector<Line> Grid(F march) {
  std::vector<Line> lines;
  for (Id r = 0; r < 4; ++r) {
    for (Id c = 0; c < 2; ++c) {
      lines.push_back({D(2024, 2, 10), 10000, r, c});
      lines.push_back({D(2024, 3, 10), march(r, c), r, c});
    }
  }
  return lines;
}

TEST(Drivers, SingleSliceDrop) {
  // east & online sells 40.00 instead of 100.00: total 800.00 -> 740.00.
  const OrderLines orders = MakeOrders(Grid([](Id r, Id c) { return r == 0 && c == 0 ? 4000 : 10000; }));
  absl::StatusOr<DriversResult> r = ComputeDrivers(TestData({.orders = &orders}),
                                                   Options({"region", "channel"}));
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->before, 80000);
  EXPECT_EQ(r->after, 74000);
  EXPECT_EQ(r->before_label, "2024-02");
  ASSERT_FALSE(r->rows.empty());
  const DriverRow& top = r->rows[0];
  EXPECT_EQ(top.combination, "region=east&channel=online");
  EXPECT_EQ(top.depth, 2);
  EXPECT_EQ(top.before, 10000);
  EXPECT_EQ(top.after, 4000);
  EXPECT_DOUBLE_EQ(*top.share, 1.0);
  // east and online also hold the whole change (share 1) but are less
  // surprising (ranked by surprise): shares .25 -> 140/740 against .125 -> 40/740.
  ASSERT_NE(Row(*r, "region=east"), nullptr);
  EXPECT_GT(top.surprise, Row(*r, "region=east")->surprise);
  // The table: change in money, effect = change in currency units, no
  // mix / rate for an additive measure (null from the first row on).
  const ResultTable t = DriversTable(*r);
  EXPECT_EQ(t.Find("change")->ints[0], -6000);
  EXPECT_EQ(t.Find("change")->type, ResultType::kMoney);
  EXPECT_DOUBLE_EQ(t.Find("effect")->doubles[0], -60.0);
  EXPECT_DOUBLE_EQ(t.Find("change_pct")->doubles[0], -60.0);
  for (std::size_t i = 0; i < t.num_rows(); ++i) {
    EXPECT_TRUE(t.Find("mix_effect")->is_null(i) && t.Find("rate_effect")->is_null(i)) << i;
  }
  // Elements that did not change are no drivers.
  EXPECT_EQ(Row(*r, "region=west"), nullptr);
  EXPECT_EQ(r->sentence,
            "Revenue fell 60 (-7.5%) vs the previous period (2024-02); east × online explains 100% "
            "of the fall (-60% there).");
}

TEST(Drivers, TwoIndependentSlices) {
  // east & online -60.00, west & partner -30.00: total change -90.00.
  const OrderLines orders = MakeOrders(Grid([](Id r, Id c) {
    return r == 0 && c == 0 ? 4000 : r == 3 && c == 1 ? 7000 : 10000;
  }));
  DriversOptions o = Options({"region", "channel"});
  absl::StatusOr<DriversResult> r = ComputeDrivers(TestData({.orders = &orders}), o);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->after - r->before, -9000);
  const DriverRow* a = Row(*r, "region=east&channel=online");
  const DriverRow* b = Row(*r, "region=west&channel=partner");
  ASSERT_NE(a, nullptr);
  ASSERT_NE(b, nullptr);
  EXPECT_NEAR(*a->share, 6000.0 / 9000, 1e-12);
  EXPECT_NEAR(*b->share, 3000.0 / 9000, 1e-12);
  EXPECT_EQ(r->rows[0].combination, "region=east&channel=online");
  // Both causes come first: east & online is the most surprising (shares
  // .125 -> 40/710: .0096), then east (.25 -> 140/710: .0023) says nothing
  // new (its change is east & online's: demoted), then west & partner
  // (.125 -> 70/710: .0011).
  std::vector<std::string> first_two = {r->rows[0].combination, r->rows[1].combination};
  std::sort(first_two.begin(), first_two.end());
  EXPECT_EQ(first_two, (std::vector<std::string>{"region=east&channel=online",
                                                 "region=west&channel=partner"}))
      << Csv(DriversTable(*r));
}

TEST(Drivers, MixOnlyChangeInMarginPct) {
  // Feb: east 100 at cost 80 (20%), west 100 at cost 50 (50%): 35%.
  // Mar: east 300 at cost 240 (20%), west 100 at cost 50 (50%): 27.5%.
  // Rates unchanged, so every rate effect is 0; weights .5/.5 -> .75/.25.
  // Mix (midpoints r~ and R~ = 31.25): east .25 x (20 - 31.25) = -2.8125,
  // west -.25 x (50 - 31.25) = -4.6875; sum -7.5 = the change.
  const OrderLines orders = MakeOrders({{D(2024, 2, 1), 10000, 0, 0, 0, 8000},
                                        {D(2024, 2, 1), 10000, 3, 0, 0, 5000},
                                        {D(2024, 3, 1), 30000, 0, 0, 0, 24000},
                                        {D(2024, 3, 1), 10000, 3, 0, 0, 5000}});
  absl::StatusOr<DriversResult> r =
      ComputeDrivers(TestData({.orders = &orders}), Options({"region"}, "margin_pct"));
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_TRUE(r->ratio);
  EXPECT_DOUBLE_EQ(*r->before_rate, 35.0);
  EXPECT_DOUBLE_EQ(*r->after_rate, 27.5);
  ASSERT_EQ(r->rows.size(), 2u);
  // Surprise (numerator + denominator): west .0516 before east .0479.
  EXPECT_EQ(r->rows[0].combination, "region=west");
  EXPECT_DOUBLE_EQ(r->rows[0].mix, -4.6875);
  EXPECT_EQ(r->rows[0].rate, 0.0);
  EXPECT_DOUBLE_EQ(r->rows[1].mix, -2.8125);
  EXPECT_EQ(r->rows[1].rate, 0.0);
  EXPECT_DOUBLE_EQ(*r->rows[0].share, 0.625);
  EXPECT_DOUBLE_EQ(r->rows[0].before_rate, 50.0);
  EXPECT_DOUBLE_EQ(r->rows[0].after_rate, 50.0);
  const ResultTable t = DriversTable(*r);
  EXPECT_FALSE(t.Find("mix_effect")->is_null(0));
  EXPECT_DOUBLE_EQ(t.Find("rate_effect")->doubles[1], 0.0);
  EXPECT_DOUBLE_EQ(t.Find("before")->doubles[1], 20.0);  // east's own margin %
  EXPECT_EQ(r->sentence,
            "Margin % fell 7.5 points (35% to 27.5%) vs the previous period (2024-02); west explains "
            "62.5% of the fall (mix -4.69, rate 0 points).");
}

TEST(Drivers, NoChangeAtAll) {
  const OrderLines orders = MakeOrders(Grid([](Id, Id) { return 10000; }));
  DriversOptions o = Options({"region", "channel"});
  absl::StatusOr<DriversResult> r = ComputeDrivers(TestData({.orders = &orders}), o);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_TRUE(r->rows.empty());
  EXPECT_EQ(r->sentence,
            "Revenue is unchanged at 800 vs the previous period (2024-02); no combination changed.");
  o.lang = "zh";
  r = ComputeDrivers(TestData({.orders = &orders}), o);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->sentence, "收入与上期（2024-02）持平，为 800；没有组合发生变化。");
  const ResultTable summary = DriversSummaryTable(*r);
  EXPECT_EQ(summary.Find("change")->ints[0], 0);
  EXPECT_EQ(DriversTable(*r).num_rows(), 0u);
}

TEST(Drivers, DistinctCountIsExactPerCombination) {
  // One March order with a line in each channel: 1 order in total, 1 in each
  // channel (a sum over channels would say 2); February: one online order.
  const OrderLines orders = MakeOrders({{D(2024, 2, 1), 100, 0, 0, 0, 0, 1},
                                        {D(2024, 3, 1), 100, 0, 0, 0, 0, 7},
                                        {D(2024, 3, 1), 100, 0, 2, 0, 0, 7}});
  DriversOptions o = Options({"channel"}, "orders");
  o.min_share = -1e9;
  absl::StatusOr<DriversResult> r = ComputeDrivers(TestData({.orders = &orders}), o);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->before, 1);
  EXPECT_EQ(r->after, 1);
  ASSERT_EQ(r->rows.size(), 1u);
  EXPECT_EQ(r->rows[0].combination, "channel=store");
  EXPECT_EQ(r->rows[0].before, 0);
  EXPECT_EQ(r->rows[0].after, 1);
}

TEST(Drivers, ActualAgainstTarget) {
  // March as in SingleSliceDrop against a March target of 200.00 per region
  // (the targets keyed by the orders' region codes): east is 60.00 short.
  const OrderLines orders = MakeOrders(Grid([](Id r, Id c) { return r == 0 && c == 0 ? 4000 : 10000; }));
  TargetsColumns tc;
  tc.level = TargetLevel::kRegion;
  tc.key = Column<Id>::Own({0, 1, 2, 3});
  tc.month = Column<std::int32_t>::Own({202403, 202403, 202403, 202403});
  tc.amount = Column<Money>::Own({20000, 20000, 20000, 20000});
  tc.keys = orders.columns().regions;
  const Targets targets = Targets::Build(std::move(tc)).value();
  DriversOptions o = Options({"region"});
  o.compare = DriversCompare::kTarget;
  absl::StatusOr<DriversResult> r = ComputeDrivers(TestData({.orders = &orders, .targets = &targets}), o);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->before, 80000);
  EXPECT_EQ(r->after, 74000);
  EXPECT_EQ(r->before_label, "target 2024-03");
  ASSERT_FALSE(r->rows.empty());
  EXPECT_EQ(r->rows[0].combination, "region=east");
  EXPECT_EQ(r->rows[0].before, 20000);
  EXPECT_EQ(r->rows[0].after, 14000);
  EXPECT_EQ(r->sentence,
            "Revenue fell 60 (-7.5%) vs the target; east explains 100% of the fall (-30% there).");
}

// ---------------------------------------------------------------- random data

std::vector<Line> RandomLines(std::mt19937_64& rng, int n) {
  std::uniform_int_distribution<int> region(0, 3), channel(0, 2), person(0, 4), day(0, 59);
  std::uniform_int_distribution<Money> amount(-2000, 50000);
  std::vector<Line> lines;
  for (int i = 0; i < n; ++i) {
    const Money a = amount(rng);
    lines.push_back({D(2024, 2, 1) + day(rng), a, region(rng), channel(rng), person(rng),
                     a * std::uniform_int_distribution<Money>(0, 9)(rng) / 10});
  }
  return lines;
}

Id DimOf(const Line& l, int d) { return d == 0 ? l.region : d == 1 ? l.channel : l.salesperson; }
const std::vector<std::string>& NamesOf(int d) { return d == 0 ? kRegions : d == 1 ? kChannels : kPeople; }

struct RefValue {
  Money before = 0, after = 0, cost_before = 0, cost_after = 0;
};

// Every combination (any non-empty subset of the dims, members as text) of
// the lines, summed plainly per side: the brute-force reference.
std::map<std::string, RefValue> Reference(const std::vector<Line>& lines) {
  std::map<std::string, RefValue> out;
  for (const Line& l : lines) {
    const bool after = l.day >= D(2024, 3, 1);
    if (l.day < D(2024, 2, 1) || l.day > D(2024, 3, 31)) continue;
    for (int mask = 1; mask < 8; ++mask) {
      std::vector<std::string> parts;
      for (int d = 0; d < 3; ++d) {
        if (mask & (1 << d)) {
          parts.push_back(kDims[static_cast<std::size_t>(d)] + "=" +
                          NamesOf(d)[static_cast<std::size_t>(DimOf(l, d))]);
        }
      }
      RefValue& v = out[absl::StrJoin(parts, "&")];
      (after ? v.after : v.before) += l.amount;
      (after ? v.cost_after : v.cost_before) += l.cost;
    }
  }
  return out;
}

DriversOptions Everything(std::string measure) {
  DriversOptions o = Options(kDims, std::move(measure));
  o.max_depth = 0;
  o.min_share = -1e9;
  o.top = 1000000;
  return o;
}

TEST(Drivers, MatchesBruteForceOnRandomData) {
  for (std::uint64_t seed = 1; seed <= 60; ++seed) {
    std::mt19937_64 rng(seed);
    const std::vector<Line> lines = RandomLines(rng, 40 + static_cast<int>(seed % 50));
    const OrderLines orders = MakeOrders(lines);
    absl::StatusOr<DriversResult> r = ComputeDrivers(TestData({.orders = &orders}), Everything("revenue"));
    ASSERT_TRUE(r.ok()) << r.status();
    const std::map<std::string, RefValue> ref = Reference(lines);
    Money total_before = 0, total_after = 0;
    for (const Line& l : lines) (l.day >= D(2024, 3, 1) ? total_after : total_before) += l.amount;
    EXPECT_EQ(r->before, total_before) << seed;
    EXPECT_EQ(r->after, total_after) << seed;
    std::size_t changed = 0;
    for (const auto& [combination, v] : ref) changed += v.before != v.after ? 1 : 0;
    EXPECT_EQ(r->rows.size(), changed) << seed;
    for (const DriverRow& row : r->rows) {
      const auto it = ref.find(row.combination);
      ASSERT_NE(it, ref.end()) << seed << " " << row.combination;
      EXPECT_EQ(row.before, it->second.before) << seed << " " << row.combination;
      EXPECT_EQ(row.after, it->second.after) << seed << " " << row.combination;
      if (total_after != total_before) {
        EXPECT_DOUBLE_EQ(*row.share, static_cast<double>(row.after - row.before) /
                                         static_cast<double>(total_after - total_before));
      }
    }
  }
}

TEST(Drivers, RatioPartsSumToTheChange) {
  for (std::uint64_t seed = 1; seed <= 60; ++seed) {
    std::mt19937_64 rng(seed);
    std::vector<Line> lines = RandomLines(rng, 60);
    for (Line& l : lines) l.amount = std::abs(l.amount) + 1;  // a positive costed revenue
    const OrderLines orders = MakeOrders(lines);
    for (int d = 0; d < 3; ++d) {
      DriversOptions o = Everything("margin_pct");
      o.dims = {kDims[static_cast<std::size_t>(d)]};
      absl::StatusOr<DriversResult> r = ComputeDrivers(TestData({.orders = &orders}), o);
      ASSERT_TRUE(r.ok()) << r.status();
      const std::map<std::string, RefValue> ref = Reference(lines);
      double rev0 = 0, rev1 = 0, m0 = 0, m1 = 0;
      for (const Line& l : lines) {
        const bool after = l.day >= D(2024, 3, 1);
        (after ? rev1 : rev0) += static_cast<double>(l.amount);
        (after ? m1 : m0) += static_cast<double>(l.amount - l.cost);
      }
      EXPECT_NEAR(*r->before_rate, 100 * m0 / rev0, 1e-9);
      EXPECT_NEAR(*r->after_rate, 100 * m1 / rev1, 1e-9);
      double sum = 0;
      for (const DriverRow& row : r->rows) {
        EXPECT_NEAR(row.mix + row.rate, row.effect, 1e-12);
        sum += row.effect;
        const RefValue& v = ref.at(row.combination);
        if (v.before != 0) {
          EXPECT_NEAR(row.before_rate, 100.0 * static_cast<double>(v.before - v.cost_before) /
                                           static_cast<double>(v.before), 1e-9);
        }
      }
      EXPECT_NEAR(sum, *r->after_rate - *r->before_rate, 1e-9) << seed << " " << o.dims[0];
    }
  }
}

// A random baseline (every leaf sells in both months with +-5% noise) and one
// member combination of depth 1 or 2 scaled by a factor in [0.3, 0.6] in
// March: the top driver is that combination.
TEST(Drivers, InjectedCauseIsTheTopDriver) {
  const int seeds = std::getenv("SALESIGHT_DRIVERS_SEEDS") ? std::atoi(std::getenv("SALESIGHT_DRIVERS_SEEDS")) : 100;
  for (int seed = 1; seed <= seeds; ++seed) {
    std::mt19937_64 rng(static_cast<std::uint64_t>(seed));
    std::uniform_real_distribution<double> base(1000, 5000), noise(-0.05, 0.05), factor(0.3, 0.6);
    const int depth = 1 + seed % 2;
    std::vector<int> cause_dims = {static_cast<int>(rng() % 3)};
    if (depth == 2) cause_dims.push_back((cause_dims[0] + 1 + static_cast<int>(rng() % 2)) % 3);
    std::sort(cause_dims.begin(), cause_dims.end());
    std::vector<Id> cause_members;
    for (int d : cause_dims) cause_members.push_back(static_cast<Id>(rng() % NamesOf(d).size()));
    const double f = factor(rng);
    std::vector<Line> lines;
    for (Id r = 0; r < 4; ++r) {
      for (Id c = 0; c < 3; ++c) {
        for (Id p = 0; p < 5; ++p) {
          const double b = base(rng);
          Line l{D(2024, 2, 5), static_cast<Money>(100 * b * (1 + noise(rng))), r, c, p};
          lines.push_back(l);
          bool in = true;
          for (std::size_t i = 0; i < cause_dims.size(); ++i) {
            in = in && DimOf(l, cause_dims[i]) == cause_members[i];
          }
          l.day = D(2024, 3, 5);
          l.amount = static_cast<Money>(100 * b * (1 + noise(rng)) * (in ? f : 1.0));
          lines.push_back(l);
        }
      }
    }
    std::vector<std::string> parts;
    for (std::size_t i = 0; i < cause_dims.size(); ++i) {
      parts.push_back(kDims[static_cast<std::size_t>(cause_dims[i])] + "=" +
                      NamesOf(cause_dims[i])[static_cast<std::size_t>(cause_members[i])]);
    }
    const OrderLines orders = MakeOrders(lines);
    absl::StatusOr<DriversResult> r = ComputeDrivers(TestData({.orders = &orders}), Options(kDims));
    ASSERT_TRUE(r.ok()) << r.status();
    ASSERT_FALSE(r->rows.empty()) << seed;
    EXPECT_EQ(r->rows[0].combination, absl::StrJoin(parts, "&"))
        << "seed " << seed << "\n" << Csv(DriversTable(*r));
  }
}

// Nor does the thread count (the localiser and the cuboids run side by side
// from two threads on): one thread on the rows as given, 2 or 3 on them shuffled.
TEST(Drivers, RowOrderDoesNotChangeTheOutput) {
  for (std::uint64_t seed = 1; seed <= 10; ++seed) {
    std::mt19937_64 rng(seed);
    std::vector<Line> lines = RandomLines(rng, 80);
    const OrderLines a = MakeOrders(lines);
    std::shuffle(lines.begin(), lines.end(), rng);
    const OrderLines b = MakeOrders(lines);
    for (const char* measure : {"revenue", "margin_pct", "orders"}) {
      DriversOptions o = Options(kDims, measure);
      o.min_share = 0;
      absl::StatusOr<DriversResult> ra = ComputeDrivers(TestData({.orders = &a}), o);
      o.num_threads = 2 + static_cast<int>(seed % 2);
      absl::StatusOr<DriversResult> rb = ComputeDrivers(TestData({.orders = &b}), o);
      ASSERT_TRUE(ra.ok() && rb.ok()) << ra.status() << rb.status();
      EXPECT_EQ(Csv(DriversTable(*ra)), Csv(DriversTable(*rb))) << seed << measure;
      EXPECT_EQ(Csv(DriversSummaryTable(*ra)), Csv(DriversSummaryTable(*rb))) << seed << measure;
    }
  }
}

// ---------------------------------------------------------------- declaration

TEST(Drivers, DeclarationRunsWithTextOptions) {
  const OrderLines orders = MakeOrders(Grid([](Id r, Id c) { return r == 0 && c == 0 ? 4000 : 10000; }));
  const Dataset data = TestData({.orders = &orders});
  absl::StatusOr<const CalculatorSpec*> spec = FindCalculator("drivers");
  ASSERT_TRUE(spec.ok()) << spec.status();
  absl::StatusOr<ResultSet> set = RunCalculator(
      **spec, data, {{"measure", "revenue"}, {"period", "2024-03"}, {"dims", "region,channel"}});
  ASSERT_TRUE(set.ok()) << set.status();
  ASSERT_NE(set->Find("drivers"), nullptr);
  EXPECT_EQ(set->Find("drivers")->Find("combination")->StringAt(0), "region=east&channel=online");
  EXPECT_EQ(set->Find("summary")->Find("before")->ints[0], 80000);
  // The default period is the last order line's: March; the default dims
  // are region, salesperson and channel here (no category without products).
  set = RunCalculator(**spec, data, {});
  ASSERT_TRUE(set.ok()) << set.status();
  EXPECT_EQ(set->Find("summary")->Find("after_period")->StringAt(0), "2024-03");
  // Explicit ranges.
  set = RunCalculator(**spec, data,
                      {{"from", "2024-03-01"}, {"to", "2024-03-31"}, {"before_from", "2024-02-01"},
                       {"before_to", "2024-02-29"}, {"dims", "region"}});
  ASSERT_TRUE(set.ok()) << set.status();
  EXPECT_EQ(set->Find("summary")->Find("before_period")->StringAt(0), "2024-02-01..2024-02-29");
  EXPECT_EQ(set->Find("drivers")->Find("combination")->StringAt(0), "region=east");
  EXPECT_EQ(set->Find("drivers")->Find("change")->ints[0], -6000);
}

TEST(Drivers, ErrorsNameWhatWasWrong) {
  const OrderLines orders = MakeOrders(Grid([](Id, Id) { return 10000; }));
  const Dataset data = TestData({.orders = &orders});
  const CalculatorSpec& spec = **FindCalculator("drivers");
  auto message = [&](OptionSettings s) {
    absl::StatusOr<ResultSet> r = RunCalculator(spec, data, s);
    return r.ok() ? std::string("ok") : std::string(r.status().message());
  };
  EXPECT_NE(message({{"measure", "revenu"}}).find("Did you mean 'revenue'?"), std::string::npos);
  EXPECT_NE(message({{"period", "2024-3"}}).find("period '2024-3' is not a month label"),
            std::string::npos);
  EXPECT_NE(message({{"measure", "margin"}, {"compare", "target"}}).find("compare target needs measure revenue"),
            std::string::npos);
  EXPECT_NE(message({{"measure", "outstanding"}}).find("'outstanding' is a value as of a day"),
            std::string::npos);
  EXPECT_NE(message({{"dims", "region,region"}}).find("'region' given twice"), std::string::npos);
  EXPECT_NE(message({{"from", "2024-03-01"}}).find("need both from and to"), std::string::npos);
  EXPECT_NE(message({{"dims", "regoin"}}).find("regoin"), std::string::npos);
}

}  // namespace
}  // namespace salesight
