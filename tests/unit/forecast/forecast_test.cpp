// The landing forecast: hand cases (flat, seasonal, weekday, pipeline), a
// plain reference written from the header's definitions on random data, the
// backtest, row-order independence, the declaration, and CDNOW.
#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <map>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "clv/clv_test_util.hpp"
#include "dataset_test_util.hpp"
#include "gtest/gtest.h"
#include "salesight/calculator.hpp"
#include "salesight/forecast.hpp"

namespace salesight {
namespace {

using test_data::TestData;

Day D(int y, int m, int d) { return DayFromCivil(y, m, d); }

std::string Csv(const ResultTable& t) {
  std::ostringstream out;
  WriteCsv(t, out);
  return out.str();
}

struct Line {
  Day day;
  Money amount;
  Id region = 0;
};

OrderLines MakeOrders(const std::vector<Line>& lines, std::vector<std::string> regions = {"east", "west", "north"}) {
  OrderLinesColumns c;
  std::vector<std::int64_t> order;
  std::vector<Day> day;
  std::vector<Id> customer, region;
  std::vector<Money> amount;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    order.push_back(static_cast<std::int64_t>(i));
    day.push_back(lines[i].day);
    customer.push_back(0);
    region.push_back(lines[i].region);
    amount.push_back(lines[i].amount);
  }
  c.order_id = Column<std::int64_t>::Own(std::move(order));
  c.order_date = Column<Day>::Own(std::move(day));
  c.customer = Column<Id>::Own(std::move(customer));
  c.region = Column<Id>::Own(std::move(region));
  c.amount = Column<Money>::Own(std::move(amount));
  c.regions = std::make_shared<const Dictionary>(*Dictionary::FromCodes(regions));
  return OrderLines::Build(std::move(c)).value();
}

// Every day in [from, to]: amount(day).
template <typename F>
void Daily(std::vector<Line>& lines, Day from, Day to, F amount) {
  for (Day d = from; d <= to; ++d) lines.push_back({d, amount(d)});
}

TEST(Forecast, FlatHistoryLandsOnTheRunRate) {
  std::vector<Line> lines;
  Daily(lines, D(2023, 1, 1), D(2024, 3, 10), [](Day) { return 100; });
  const OrderLines orders = MakeOrders(lines);
  ForecastOptions o;  // as_of = the last line: 2024-03-10
  absl::StatusOr<ForecastResult> r = ComputeForecast(TestData({.orders = &orders}), o);
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_EQ(r->rows.size(), 1u);
  const ForecastRow& f = r->rows[0];
  EXPECT_EQ(f.period, "2024-03");
  EXPECT_EQ(f.days_elapsed, 10);
  EXPECT_EQ(f.days_in_period, 31);
  EXPECT_EQ(f.actual, 1000);
  EXPECT_EQ(f.rest, 2100);  // 21 days x 100
  EXPECT_EQ(f.pipeline, 0);
  EXPECT_EQ(f.forecast, 3100);
  EXPECT_FALSE(f.target.has_value());
  // Every past March..Feb forecast was exact: errors 0, the interval is a point.
  EXPECT_EQ(f.history, 12);
  EXPECT_EQ(f.low, 3100);
  EXPECT_EQ(f.high, 3100);
  EXPECT_NE(f.notes.find("no pipeline table"), std::string::npos) << f.notes;
}

TEST(Forecast, LastYearsSeasonalityScalesTheRunRate) {
  std::vector<Line> lines;
  Daily(lines, D(2023, 1, 1), D(2023, 12, 31), [](Day d) {
    return CivilFromDay(d).month == 3 ? 200 : 100;
  });
  Daily(lines, D(2024, 1, 1), D(2024, 2, 29), [](Day) { return 150; });
  Daily(lines, D(2024, 3, 1), D(2024, 3, 10), [](Day) { return 300; });
  const OrderLines orders = MakeOrders(lines);
  ForecastOptions o;
  o.shape_days = 7;  // seven days of 300: every weekday weighs 1
  absl::StatusOr<ForecastResult> r = ComputeForecast(TestData({.orders = &orders}), o);
  ASSERT_TRUE(r.ok()) << r.status();
  const ForecastRow& f = r->rows[0];
  // Window Feb 12..Mar 10: 18 x 150 + 10 x 300 = 5700 over shapes 18 x 100 +
  // 10 x 200 = 3800: rate 1.5; ahead 21 days x 200 -> 6300.
  EXPECT_EQ(f.actual, 3000);
  EXPECT_EQ(f.rest, 6300);
  EXPECT_EQ(f.forecast, 9300);
  // Without seasonality: the plain run rate 5700 / 28 a day.
  o.seasonality = false;
  r = ComputeForecast(TestData({.orders = &orders}), o);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->rows[0].rest, static_cast<Money>(std::llround(5700.0 / 28 * 21)));  // 4275
}

TEST(Forecast, WeekdayShapeSkipsWeekends) {
  std::vector<Line> lines;
  Daily(lines, D(2023, 6, 1), D(2024, 3, 6), [](Day d) { return Weekday(d) <= 5 ? 100 : 0; });
  const OrderLines orders = MakeOrders(lines);
  ForecastOptions o;
  o.shape_days = 14;
  o.seasonality = false;
  o.as_of = D(2024, 3, 6);  // a Wednesday
  absl::StatusOr<ForecastResult> r = ComputeForecast(TestData({.orders = &orders}), o);
  ASSERT_TRUE(r.ok()) << r.status();
  const ForecastRow& f = r->rows[0];
  EXPECT_EQ(f.actual, 400);   // Fri 1st + Mon-Wed
  EXPECT_EQ(f.rest, 1700);    // 17 weekdays left
  EXPECT_EQ(f.forecast, 2100);
}

TEST(Forecast, TargetsGapAndAttainment) {
  std::vector<Line> lines;
  Daily(lines, D(2023, 1, 1), D(2024, 3, 10), [](Day) { return 100; });
  const OrderLines orders = MakeOrders(lines);
  TargetsColumns tc;
  tc.level = TargetLevel::kCompany;
  tc.key = Column<Id>::Own({0, 0, 0});
  tc.month = Column<std::int32_t>::Own({202402, 202403, 202403});
  tc.amount = Column<Money>::Own({9999, 3000, 1000});
  const Targets targets = Targets::Build(std::move(tc)).value();
  absl::StatusOr<ForecastResult> r =
      ComputeForecast(TestData({.orders = &orders, .targets = &targets}), ForecastOptions{});
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->rows[0].target, 4000);
  EXPECT_EQ(r->rows[0].gap, 900);
  EXPECT_DOUBLE_EQ(*r->rows[0].attainment_pct, 77.5);
  // A quarter sums its months' targets.
  ForecastOptions q;
  q.period = GrainUnit::kQuarter;
  r = ComputeForecast(TestData({.orders = &orders, .targets = &targets}), q);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->rows[0].target, 13999);
  EXPECT_EQ(r->rows[0].period, "2024-Q1");
}

Pipeline MakePipeline(const std::vector<std::array<Day, 3>>& stages, const std::vector<Day>& lost,
                      const std::vector<Money>& amount) {
  PipelineColumns c;
  std::vector<std::int64_t> id;
  std::vector<Day> created;
  std::vector<std::vector<Day>> dates(3);
  for (std::size_t i = 0; i < stages.size(); ++i) {
    id.push_back(static_cast<std::int64_t>(i));
    created.push_back(stages[i][0]);
    for (std::size_t s = 0; s < 3; ++s) dates[s].push_back(stages[i][s]);
  }
  c.opportunity = Column<std::int64_t>::Own(std::move(id));
  c.created = Column<Day>::Own(std::move(created));
  c.lost_date = Column<Day>::Own(lost);
  c.amount = Column<Money>::Own(amount);
  c.stage_names = {"lead", "quote", "won"};
  for (auto& d : dates) c.stage_dates.push_back(Column<Day>::Own(std::move(d)));
  return Pipeline::Build(std::move(c)).value();
}

TEST(Forecast, PipelineWeightsOpenDealsByStageHistory) {
  std::vector<Line> lines;
  Daily(lines, D(2023, 1, 1), D(2024, 3, 10), [](Day) { return 100; });
  const OrderLines orders = MakeOrders(lines);
  const Day b = D(2024, 1, 1), as_of = D(2024, 3, 10), N = kNoDate;
  // A: won 20 days after its quote; B: lost after a quote; C: lost at lead;
  // D: open at quote for 5 days (1000.00); E: open at lead for 40 days.
  const Pipeline p = MakePipeline({{b, b + 10, b + 30},
                                   {b, b + 5, N},
                                   {b, N, N},
                                   {as_of - 10, as_of - 5, N},
                                   {as_of - 40, N, N}},
                                  {N, b + 20, b + 15, N, N}, {70000, 5000, 5000, 100000, 9000});
  const Dataset data = TestData({.orders = &orders, .pipeline = &p});
  absl::StatusOr<ForecastResult> r = ComputeForecast(data, ForecastOptions{});
  ASSERT_TRUE(r.ok()) << r.status();
  // H = 21 days left. D (age 5 at quote): of the quote cohort observed for
  // 5 + 21 days and still at quote at age 5 - A (stayed 20 days, won on day
  // 20) and B (stayed 15, lost) - one won within (5, 26]: P = 1/2 ->
  // 100000 x 0.5. E (age 40 at lead): no lead deal stayed at lead that long
  // (A 10 days, B 5, C 15, E itself observed to age 19): P = 0, noted.
  EXPECT_EQ(r->rows[0].pipeline, 50000);
  EXPECT_EQ(r->rows[0].forecast, 3100 + 50000);
  EXPECT_NE(r->rows[0].notes.find("stage 'lead' has open deals older"), std::string::npos);
  ForecastOptions o;
  o.stage_probabilities = "quote=0.9";
  r = ComputeForecast(data, o);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->rows[0].pipeline, 90000);
  // Known on Jan 19 (12 days left): A (age 8) and B (age 13) are open at
  // quote, and no quote deal was observed for 8 + 12 days: P = 0, noted.
  o = {};
  o.as_of = b + 18;
  r = ComputeForecast(data, o);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->rows[0].pipeline, 0);
  EXPECT_NE(r->rows[0].notes.find("stage 'quote' has open deals older than its observed history"), std::string::npos)
      << r->rows[0].notes;
  o = {};
  o.include_pipeline = false;
  EXPECT_EQ(ComputeForecast(data, o)->rows[0].pipeline, 0);
  o = {};
  o.stage_probabilities = "won=0.5";
  EXPECT_FALSE(ComputeForecast(data, o).ok());
  o.stage_probabilities = "quote=2";
  EXPECT_FALSE(ComputeForecast(data, o).ok());
  o = {};
  o.won_stage = "closed";
  absl::StatusOr<ForecastResult> bad = ComputeForecast(data, o);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("lead, quote, won"), std::string::npos);
}

TEST(Forecast, OptionsOutOfRangeAreErrors) {
  const OrderLines orders = MakeOrders({{D(2024, 1, 1), 1}});
  const Dataset data = TestData({.orders = &orders});
  for (auto set : std::vector<void (*)(ForecastOptions&)>{
           [](ForecastOptions& o) { o.period = GrainUnit::kDay; },
           [](ForecastOptions& o) { o.run_rate_days = 0; },
           [](ForecastOptions& o) { o.shape_days = 3; },
           [](ForecastOptions& o) { o.history_periods = -1; },
           [](ForecastOptions& o) { o.coverage = 1; },
           [](ForecastOptions& o) { o.from_days = {0}; },
           [](ForecastOptions& o) { o.group_by = "nope"; }}) {
    ForecastOptions o;
    set(o);
    EXPECT_FALSE(ComputeForecast(data, o).ok());
  }
  const OrderLines empty = MakeOrders({});
  absl::StatusOr<ForecastResult> r = ComputeForecast(TestData({.orders = &empty}), ForecastOptions{});
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->rows.empty());
}

// ---------------------------------------------------------------- reference

// The header's definitions, written plainly over the lines (no day arrays).
struct RefPoint {
  Money actual = 0;
  double rest = 0, pipeline = 0;
};

Money RefRevenue(const std::vector<Line>& lines, int region, Day from, Day to, Day known) {
  Money s = 0;
  for (const Line& l : lines) {
    if (l.day >= from && l.day <= std::min(to, known) && (region < 0 || l.region == region)) s += l.amount;
  }
  return s;
}

double RefRest(const std::vector<Line>& lines, int region, Day t, Day end, const ForecastOptions& o,
               Day data_start) {
  if (end <= t) return 0;
  auto rev = [&](Day a, Day b) { return static_cast<double>(RefRevenue(lines, region, a, b, t)); };
  const Day s0 = std::max(t - o.shape_days + 1, data_start);
  double mean = rev(s0, t) / (t - s0 + 1);
  std::map<int, double> wsum, wcount;
  for (Day d = s0; d <= t; ++d) {
    wsum[Weekday(d)] += rev(d, d);
    wcount[Weekday(d)] += 1;
  }
  auto weekday = [&](Day d) {
    if (mean <= 0 || wcount[Weekday(d)] == 0) return 1.0;
    return std::max(0.0, wsum[Weekday(d)] / wcount[Weekday(d)] / mean);
  };
  bool seasonal = o.seasonality;
  std::map<int, double> season;
  const Day w0 = std::max(t - o.run_rate_days + 1, data_start);
  for (Day d = w0; d <= end && seasonal; ++d) {
    const CivilDate c = CivilFromDay(d);
    const Day s = DayFromCivil(c.year - 1, c.month, 1);
    const Day e = DayFromCivil(c.month == 12 ? c.year : c.year - 1, c.month == 12 ? 1 : c.month + 1, 1) - 1;
    if (s < data_start) seasonal = false;
    season[c.year * 12 + c.month] = std::max(0.0, rev(s, e) / (e - s + 1));
  }
  if (seasonal) {
    bool any = false;
    for (const auto& [m, v] : season) any = any || v != 0;
    seasonal = any;
  }
  auto shape = [&](Day d) {
    const CivilDate c = CivilFromDay(d);
    return weekday(d) * (seasonal ? season[c.year * 12 + c.month] : 1.0);
  };
  double wr = 0, ws = 0, ahead = 0;
  for (Day d = w0; d <= t; ++d) {
    wr += rev(d, d);
    ws += shape(d);
  }
  if (ws <= 0) return wr / (t - w0 + 1) * (end - t);
  for (Day d = t + 1; d <= end; ++d) ahead += shape(d);
  return wr / ws * ahead;
}

TEST(ForecastReference, RandomDataMatchesThePlainDefinition) {
  std::mt19937_64 rng(7);
  for (int round = 0; round < 12; ++round) {
    std::vector<Line> lines;
    const Day start = D(2022, 1 + static_cast<int>(rng() % 12), 1 + static_cast<int>(rng() % 28));
    const Day last = D(2024, 1 + static_cast<int>(rng() % 12), 1 + static_cast<int>(rng() % 28));
    const int n = 300 + static_cast<int>(rng() % 900);
    for (int i = 0; i < n; ++i) {
      const Day d = start + static_cast<Day>(rng() % static_cast<std::uint64_t>(last - start + 1));
      const Money a = static_cast<Money>(rng() % 100000) - (rng() % 10 == 0 ? 150000 : 0);
      lines.push_back({d, a, static_cast<Id>(rng() % 3)});
    }
    lines.push_back({last, 1, 0});
    const OrderLines orders = MakeOrders(lines);
    const Dataset data = TestData({.orders = &orders});
    ForecastOptions o;
    o.as_of = last - static_cast<Day>(rng() % 40);
    o.run_rate_days = 7 + static_cast<std::int32_t>(rng() % 40);
    o.shape_days = 7 * (1 + static_cast<std::int32_t>(rng() % 60));
    o.seasonality = rng() % 4 != 0;
    o.period = rng() % 3 == 0 ? Grain(GrainUnit::kQuarter) : Grain(GrainUnit::kMonth);
    o.history_periods = static_cast<std::int32_t>(rng() % 8);
    o.group_by = rng() % 2 ? "region" : "";
    o.include_pipeline = false;
    absl::StatusOr<ForecastResult> r = ComputeForecast(data, o);
    ASSERT_TRUE(r.ok()) << r.status();
    const Day data_start = orders.min_date();
    const std::int32_t ord = PeriodOf(o.period, o.as_of);
    const Day S = PeriodStart(o.period, ord), E = PeriodEnd(o.period, ord);
    for (const ForecastRow& row : r->rows) {
      const int region = o.group_by.empty() ? -1 : (row.group == "east" ? 0 : row.group == "west" ? 1 : 2);
      SCOPED_TRACE(absl::StrCat("round ", round, " group ", row.group));
      EXPECT_EQ(row.actual, RefRevenue(lines, region, S, o.as_of, o.as_of));
      const double rest = RefRest(lines, region, o.as_of, E, o, data_start);
      EXPECT_NEAR(static_cast<double>(row.rest), rest, 0.5 + 1e-9 * std::fabs(rest));
      EXPECT_EQ(row.forecast, row.actual + row.rest + row.pipeline);
      // The interval: the same forecast in earlier periods vs where they landed.
      std::vector<double> errors;
      for (std::int32_t k = 1; k <= o.history_periods; ++k) {
        const Day s = PeriodStart(o.period, ord - k), e = PeriodEnd(o.period, ord - k);
        if (s < data_start) break;
        const Day t = std::min(s + (o.as_of - S), e);
        const double f = static_cast<double>(RefRevenue(lines, region, s, t, t)) +
                         std::round(RefRest(lines, region, t, e, o, data_start));
        if (f <= 0) continue;
        errors.push_back(static_cast<double>(RefRevenue(lines, region, s, e, e)) / f - 1);
      }
      EXPECT_EQ(row.history, static_cast<std::int32_t>(errors.size()));
      ASSERT_EQ(row.low.has_value(), errors.size() >= 3);
      if (errors.size() >= 3) {
        std::sort(errors.begin(), errors.end());
        auto quantile = [&](double q) {
          const double pos = q * static_cast<double>(errors.size() - 1);
          const std::size_t i = static_cast<std::size_t>(pos);
          return i + 1 >= errors.size() ? errors.back()
                                        : errors[i] + (pos - static_cast<double>(i)) * (errors[i + 1] - errors[i]);
        };
        const double f = static_cast<double>(row.forecast);
        const double lo = std::min(f * (1 + quantile(0.1)), f * (1 + quantile(0.9)));
        const double hi = std::max(f * (1 + quantile(0.1)), f * (1 + quantile(0.9)));
        EXPECT_NEAR(static_cast<double>(*row.low), lo, 1.0 + 1e-9 * std::fabs(lo));
        EXPECT_NEAR(static_cast<double>(*row.high), hi, 1.0 + 1e-9 * std::fabs(hi));
      }
    }
  }
}

TEST(ForecastReference, RowOrderDoesNotMatter) {
  std::mt19937_64 rng(11);
  std::vector<Line> lines;
  for (int i = 0; i < 2000; ++i) {
    lines.push_back({D(2022, 1, 1) + static_cast<Day>(rng() % 800), static_cast<Money>(rng() % 5000),
                     static_cast<Id>(rng() % 3)});
  }
  ForecastOptions o;
  o.group_by = "region";
  const OrderLines a = MakeOrders(lines);
  std::shuffle(lines.begin(), lines.end(), rng);
  const OrderLines b = MakeOrders(lines);
  const ResultTable ta = ToResultTable(*ComputeForecast(TestData({.orders = &a}), o));
  const ResultTable tb = ToResultTable(*ComputeForecast(TestData({.orders = &b}), o));
  EXPECT_EQ(Csv(ta), Csv(tb));
  const ResultTable ba = ToResultTable(*ComputeBacktest(TestData({.orders = &a}), o));
  const ResultTable bb = ToResultTable(*ComputeBacktest(TestData({.orders = &b}), o));
  EXPECT_EQ(Csv(ba), Csv(bb));
}

// Enough lines and deals for two threads: 1 and 2 threads and shuffled
// lines and deals give the same bytes, grouped and with the pipeline.
TEST(ForecastReference, ThreadsAndRowOrderDoNotMatter) {
  std::mt19937_64 rng(13);
  std::vector<Line> lines;
  for (int i = 0; i < 70000; ++i) {
    lines.push_back({D(2022, 1, 1) + static_cast<Day>(rng() % 800),
                     static_cast<Money>(rng() % 5000) - (rng() % 20 == 0 ? 6000 : 0), static_cast<Id>(rng() % 3)});
  }
  std::vector<std::array<Day, 3>> st;
  std::vector<Day> lost;
  std::vector<Money> amount;
  for (int i = 0; i < 20000; ++i) {
    const Day lead = D(2022, 1, 1) + static_cast<Day>(rng() % 790), N = kNoDate;
    const Day quote = rng() % 2 ? lead + static_cast<Day>(rng() % 40) : N;
    const Day won = quote != N && rng() % 2 ? quote + static_cast<Day>(rng() % 60) : N;
    st.push_back({lead, quote, won});
    lost.push_back(won == N && rng() % 2 ? lead + static_cast<Day>(rng() % 90) : N);
    amount.push_back(100 + static_cast<Money>(rng() % 100000));
  }
  std::vector<std::string> csv;
  for (int round = 0; round < 3; ++round) {
    if (round == 2) {  // the same lines and deals in another order
      std::shuffle(lines.begin(), lines.end(), rng);
      std::vector<std::size_t> order(st.size());
      for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
      std::shuffle(order.begin(), order.end(), rng);
      std::vector<std::array<Day, 3>> st2;
      std::vector<Day> lost2;
      std::vector<Money> amount2;
      for (std::size_t i : order) {
        st2.push_back(st[i]);
        lost2.push_back(lost[i]);
        amount2.push_back(amount[i]);
      }
      st = std::move(st2);
      lost = std::move(lost2);
      amount = std::move(amount2);
    }
    const OrderLines orders = MakeOrders(lines);
    const Pipeline p = MakePipeline(st, lost, amount);
    const Dataset data = TestData({.orders = &orders, .pipeline = &p});
    ForecastOptions o;
    o.num_threads = round == 0 ? 1 : 2;
    std::string all;
    for (const char* by : {"", "region"}) {
      o.group_by = by;
      absl::StatusOr<ForecastResult> f = ComputeForecast(data, o);
      absl::StatusOr<BacktestResult> b = ComputeBacktest(data, o);
      ASSERT_TRUE(f.ok()) << f.status();
      ASSERT_TRUE(b.ok()) << b.status();
      if (o.group_by.empty()) {
        EXPECT_NE(f->rows[0].pipeline, 0);  // the pipeline term is in play
      }
      absl::StrAppend(&all, Csv(ToResultTable(*f)), Csv(ToResultTable(*b)), Csv(SummaryResultTable(*b)));
    }
    csv.push_back(all);
  }
  EXPECT_EQ(csv[0], csv[1]);
  EXPECT_EQ(csv[0], csv[2]);
}

// The pipeline term from its definition, deal by deal against every deal.
TEST(ForecastReference, PipelineTermMatchesThePlainDefinition) {
  std::mt19937_64 rng(5);
  for (int round = 0; round < 40; ++round) {
    std::vector<Line> lines;
    Daily(lines, D(2023, 1, 1), D(2024, 3, 10), [](Day) { return 100; });
    const OrderLines orders = MakeOrders(lines);
    const Day b = D(2023, 6, 1), N = kNoDate;
    std::vector<std::array<Day, 3>> st;
    std::vector<Day> lost;
    std::vector<Money> amount;
    const int n = 20 + static_cast<int>(rng() % 60);
    for (int i = 0; i < n; ++i) {
      const Day lead = b + static_cast<Day>(rng() % 300);
      const Day quote = rng() % 3 ? lead + static_cast<Day>(rng() % 40) : N;
      const Day won = quote != N && rng() % 2 ? quote + static_cast<Day>(rng() % 60) : N;
      const Day lo = won == N && rng() % 2 ? lead + static_cast<Day>(rng() % 90) : N;
      st.push_back({lead, quote, won});
      lost.push_back(lo);
      amount.push_back(1000 + static_cast<Money>(rng() % 100000));
    }
    const Pipeline p = MakePipeline(st, lost, amount);
    ForecastOptions o;
    o.as_of = b + 200 + static_cast<Day>(rng() % 80);  // before the orders end (2024-03-10)
    o.history_periods = 0;
    if (round % 4 == 3) o.stage_probabilities = "lead=0.25";
    const Day E = PeriodEnd(GrainUnit::kMonth, PeriodOf(GrainUnit::kMonth, o.as_of));
    const std::int32_t H = E - o.as_of;
    auto known = [&](Day d) { return d != N && d <= o.as_of; };
    double expected = 0;
    for (int i = 0; i < n; ++i) {
      const bool open = st[i][0] <= o.as_of && !known(st[i][2]) && !known(lost[i]);
      if (!open) continue;
      const int s = known(st[i][1]) ? 1 : 0;
      const std::int32_t age = o.as_of - st[i][s];
      double prob = 0;
      if (s == 0 && round % 4 == 3) {
        std::int64_t later = 0, within = 0;  // the stage's wins slower than age
        for (int j = 0; j < n; ++j) {
          if (!known(st[j][2]) || st[j][0] > o.as_of) continue;
          const std::int32_t g = std::max(0, st[j][2] - st[j][0]);
          later += g > age;
          within += g > age && g <= age + H;
        }
        prob = later ? 0.25 * static_cast<double>(within) / static_cast<double>(later) : 0;
      } else {
        std::int64_t alive = 0, won = 0;
        for (int j = 0; j < n; ++j) {
          if (!known(st[j][s]) || st[j][s] + age + H > o.as_of) continue;
          std::int32_t stay = std::numeric_limits<std::int32_t>::max();
          for (int later = s + 1; later <= 2; ++later) {
            if (known(st[j][later])) stay = std::min(stay, std::max(0, st[j][later] - st[j][s]));
          }
          if (!known(st[j][2]) && known(lost[j])) stay = std::min(stay, std::max(0, lost[j] - st[j][s]));
          if (stay <= age) continue;
          ++alive;
          if (known(st[j][2])) {
            const std::int32_t g = std::max(0, st[j][2] - st[j][s]);
            won += g > age && g <= age + H;
          }
        }
        prob = alive ? static_cast<double>(won) / static_cast<double>(alive) : 0;
      }
      expected += static_cast<double>(amount[i]) * prob;
    }
    absl::StatusOr<ForecastResult> r = ComputeForecast(TestData({.orders = &orders, .pipeline = &p}), o);
    ASSERT_TRUE(r.ok()) << r.status();
    EXPECT_NEAR(static_cast<double>(r->rows[0].pipeline), expected, 0.5 + 1e-9 * expected) << round;
    // The run rate net of the deals won in its window.
    double won_in_window = 0;
    for (int i = 0; i < n; ++i) {
      if (known(st[i][2]) && st[i][2] > o.as_of - 28) won_in_window += static_cast<double>(amount[i]);
    }
    const double scale = 1 - std::clamp(won_in_window / 2800.0, 0.0, 1.0);
    EXPECT_NEAR(static_cast<double>(r->rows[0].rest), std::round(100.0 * H) * scale, 0.5 + 1e-9) << round;
  }
}

// ---------------------------------------------------------------- backtest

TEST(Backtest, FlatHistoryIsExactAndCovered) {
  std::vector<Line> lines;
  Daily(lines, D(2022, 1, 1), D(2024, 3, 10), [](Day) { return 100; });
  const OrderLines orders = MakeOrders(lines);
  ForecastOptions o;
  o.history_periods = 6;
  absl::StatusOr<BacktestResult> r = ComputeBacktest(TestData({.orders = &orders}), o);
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_EQ(r->rows.size(), 12u);  // Sep..Feb x day 10, 20
  EXPECT_EQ(r->rows[0].period, "2023-09");
  EXPECT_EQ(r->rows[0].from_day, 10);
  EXPECT_EQ(r->rows[0].as_of, D(2023, 9, 10));
  EXPECT_EQ(r->rows[0].actual, 3000);
  for (const BacktestRow& row : r->rows) {
    EXPECT_EQ(row.forecast, row.actual) << row.period;
    EXPECT_EQ(row.covered, true);
  }
  ASSERT_EQ(r->summary.size(), 2u);
  EXPECT_EQ(r->summary[0].from_day, 10);
  EXPECT_EQ(r->summary[0].periods, 6);
  EXPECT_DOUBLE_EQ(*r->summary[0].mape_pct, 0.0);
  EXPECT_DOUBLE_EQ(*r->summary[1].coverage_pct, 100.0);
}

TEST(Backtest, DeclaredCalculatorsRunThroughTheRegistry) {
  std::vector<Line> lines;
  Daily(lines, D(2023, 1, 1), D(2024, 3, 10), [](Day) { return 100; });
  const OrderLines orders = MakeOrders(lines);
  const Dataset data = TestData({.orders = &orders});
  absl::StatusOr<const CalculatorSpec*> spec = FindCalculator("forecast");
  ASSERT_TRUE(spec.ok());
  absl::StatusOr<ResultSet> rs = RunCalculator(**spec, data, {{"by", "region"}, {"run_rate_days", "14"}});
  ASSERT_TRUE(rs.ok()) << rs.status();
  ForecastOptions o;
  o.group_by = "region";
  o.run_rate_days = 14;
  EXPECT_EQ(Csv(*rs->Find("forecast")), Csv(ToResultTable(*ComputeForecast(data, o))));
  spec = FindCalculator("backtest");
  ASSERT_TRUE(spec.ok());
  rs = RunCalculator(**spec, data, {{"from_days", "5,15"}, {"history_periods", "3"}});
  ASSERT_TRUE(rs.ok()) << rs.status();
  EXPECT_EQ(rs->Find("summary")->num_rows(), 2u);
  EXPECT_FALSE(RunCalculator(**spec, data, {{"period", "week"}}).ok());
}

// CDNOW (orders only): the backtest's actuals are the months' sums, and the
// forecasts are finite and positive.
TEST(Backtest, CdnowMonthsSumExactly) {
  const clv_test::Raw raw = clv_test::LoadCdnowSample();
  const OrderLines& orders = raw.orders;
  const OrderLinesColumns& c = orders.columns();
  ForecastOptions o;
  o.history_periods = 8;
  o.seasonality = false;  // 18 months of data: no full last year for most months
  absl::StatusOr<BacktestResult> r = ComputeBacktest(TestData({.orders = &orders}), o);
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_FALSE(r->rows.empty());
  for (const BacktestRow& row : r->rows) {
    const std::int32_t m = PeriodOf(GrainUnit::kMonth, row.as_of);
    Money sum = 0;
    for (std::size_t i = 0; i < orders.size(); ++i) {
      if (PeriodOf(GrainUnit::kMonth, c.order_date[i]) == m) sum += c.amount[i];
    }
    EXPECT_EQ(row.actual, sum) << row.period;
    EXPECT_GT(row.forecast, 0) << row.period;
  }
  ASSERT_EQ(r->summary.size(), 2u);
  EXPECT_TRUE(r->summary[0].mape_pct.has_value());
}

}  // namespace
}  // namespace salesight
