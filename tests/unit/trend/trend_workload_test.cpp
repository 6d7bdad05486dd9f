// Workload (e) of WORKLOADS.md (trend_month, trend_week) through the public
// API, compared exactly with a plain transcription of its SQL definition:
//   trend_month: one row per month with orders; revenue_ly = revenue of
//     month - 100 (NULL if no row); yoy = (revenue - revenue_ly) / revenue_ly
//     (NULL if revenue_ly is NULL or 0).
//   trend_week: the same per ISO week; last year = (iso_year - 1, iso_week);
//     ISO week 53 and the partial week 2021-W52 (2022-01-01/02) get NULL.
#include <map>
#include <optional>
#include <random>
#include <string>
#include <tuple>
#include <vector>

#include "absl/strings/str_format.h"
#include "boost/date_time/gregorian/gregorian.hpp"
#include "dataset_test_util.hpp"
#include "gtest/gtest.h"
#include "salesight/sample.hpp"
#include "salesight/trend.hpp"

namespace salesight {
namespace {

namespace bg = boost::gregorian;

bg::date B(Day d) { return bg::date(1970, 1, 1) + bg::date_duration(d); }

struct SqlRow {
  std::string label;
  Money revenue;
  std::optional<Money> revenue_ly;
  std::optional<double> yoy;
};

// SELECT key, sum(amount) GROUP BY key; then the self-join on key - 1 year.
std::vector<SqlRow> SqlTrend(absl::Span<const Day> date, absl::Span<const Money> amount,
                             bool weeks) {
  std::map<std::pair<int, int>, Money> sums;  // (year, month) or (iso_year, iso_week)
  for (std::size_t i = 0; i < date.size(); ++i) {
    const bg::date d = B(date[i]);
    std::pair<int, int> key{d.year(), d.month()};
    if (weeks) key = {(d + bg::days(3 - (d.day_of_week().as_number() + 6) % 7)).year(),
                      d.week_number()};
    sums[key] += amount[i];
  }
  std::vector<SqlRow> out;
  for (const auto& [key, revenue] : sums) {
    SqlRow r{weeks ? absl::StrFormat("%04d-W%02d", key.first, key.second)
                   : absl::StrFormat("%04d-%02d", key.first, key.second),
             revenue, std::nullopt, std::nullopt};
    auto it = sums.find({key.first - 1, key.second});
    if (it != sums.end() && !(weeks && key.second == 53)) r.revenue_ly = it->second;
    if (r.revenue_ly && *r.revenue_ly != 0) {
      r.yoy = static_cast<double>(revenue - *r.revenue_ly) / static_cast<double>(*r.revenue_ly);
    }
    out.push_back(r);
  }
  return out;
}

TrendOptions WorkloadOptions(Grain grain, int threads) {
  TrendOptions o;
  o.grain = grain;
  o.compare = TrendCompare::kLastYear;
  o.emit_empty_periods = false;  // workload (e): periods with orders only
  o.with_margin = false;
  o.count_orders = false;
  o.num_threads = threads;
  return o;
}

void ExpectRows(const OrderLines& orders, Grain grain, const TrendResult* r) {
  const auto& c = orders.columns();
  const std::vector<SqlRow> want =
      SqlTrend(c.order_date.span(), c.amount.span(), grain == GrainUnit::kIsoWeek);
  ASSERT_EQ(r->rows.size(), want.size());
  ASSERT_EQ(r->options.grain, grain);
  ResultTable t = ToResultTable(*r);
  ASSERT_TRUE(t.Validate().ok());
  for (std::size_t i = 0; i < want.size(); ++i) {
    SCOPED_TRACE(want[i].label);
    const TrendRow& row = r->rows[i];
    EXPECT_EQ(t.Find("period")->Texts()[i], want[i].label);
    EXPECT_EQ(row.value.revenue, want[i].revenue);
    EXPECT_EQ(row.growth.base, want[i].revenue_ly);
    EXPECT_EQ(row.growth.growth, want[i].yoy);  // bit-identical double
  }
}

void ExpectWorkload(const OrderLines& orders, Grain grain, int threads) {
  auto r = ComputeTrend(test_data::TestData({&orders}), WorkloadOptions(grain, threads));
  ASSERT_TRUE(r.ok()) << r.status();
  ExpectRows(orders, grain, &*r);
}

TEST(TrendWorkloadTest, WorkloadEOnTheSampleMatchesTheSqlDefinition) {
  SampleOptions so;
  so.order_lines = 40000;
  auto data = GenerateSample(so);
  ASSERT_TRUE(data.ok()) << data.status();
  for (int threads : {1, 2, 3}) {
    SCOPED_TRACE("threads " + std::to_string(threads));
    ExpectWorkload(data->orders, GrainUnit::kMonth, threads);
    ExpectWorkload(data->orders, GrainUnit::kIsoWeek, threads);
    // Both tables from one pass.
    const Grain grains[] = {GrainUnit::kMonth, GrainUnit::kIsoWeek};
    auto both = ComputeTrendGrains(test_data::TestData({&data->orders}), grains,
                                   WorkloadOptions(GrainUnit::kDay, threads));
    ASSERT_TRUE(both.ok()) << both.status();
    ASSERT_EQ(both->size(), 2u);
    ExpectRows(data->orders, GrainUnit::kMonth, &(*both)[0]);
    ExpectRows(data->orders, GrainUnit::kIsoWeek, &(*both)[1]);
  }
  // The partial week 2021-W52 (2022-01-01/02) is the first row, with NULL LY.
  auto r = ComputeTrend(test_data::TestData({&data->orders}), WorkloadOptions(GrainUnit::kIsoWeek, 2));
  ASSERT_TRUE(r.ok());
  ASSERT_FALSE(r->rows.empty());
  EXPECT_EQ(PeriodLabel(GrainUnit::kIsoWeek, r->rows[0].period), "2021-W52");
  EXPECT_FALSE(r->rows[0].growth.base.has_value());
  EXPECT_FALSE(r->rows[0].growth.growth.has_value());
  // 2022 months have no last year; 2023-01 has.
  auto m = ComputeTrend(test_data::TestData({&data->orders}), WorkloadOptions(GrainUnit::kMonth, 2));
  ASSERT_TRUE(m.ok());
  ASSERT_EQ(m->rows.size(), 36u);
  EXPECT_FALSE(m->rows[11].growth.base.has_value());
  EXPECT_TRUE(m->rows[12].growth.base.has_value());
}

// Workload-shaped data over 2019..2021 (ISO 2020-W53, 2020-02-29, a month
// with no orders), unsorted, with returns.
TEST(TrendWorkloadTest, WeekFiftyThreeAndGapsMatchTheSqlDefinition) {
  for (std::uint64_t seed : {1u, 2u, 3u, 4u}) {
    std::mt19937_64 rng(seed);
    std::vector<std::int64_t> order;
    std::vector<Day> date;
    std::vector<Money> amount;
    const Day first = DayFromCivil(2019, 1, 1), last = DayFromCivil(2021, 12, 31);
    const Day gap_begin = DayFromCivil(2020, 7, 1), gap_end = DayFromCivil(2020, 7, 31);
    for (int i = 0; i < 20000; ++i) {
      Day d = first + static_cast<Day>(rng() % static_cast<std::uint64_t>(last - first + 1));
      if (d >= gap_begin && d <= gap_end) continue;  // July 2020 has no orders
      order.push_back(i);
      date.push_back(d);
      amount.push_back(static_cast<Money>(rng() % 100000) - 5000);
    }
    OrderLinesColumns c;
    c.order_id = Column<std::int64_t>::Own(order);
    c.order_date = Column<Day>::Own(date);
    c.customer = Column<Id>::Own(std::vector<Id>(order.size(), 0));
    c.amount = Column<Money>::Own(amount);
    auto orders = OrderLines::Build(std::move(c));
    ASSERT_TRUE(orders.ok()) << orders.status();
    for (int threads : {1, 2, 3}) {
      SCOPED_TRACE("seed " + std::to_string(seed) + " threads " + std::to_string(threads));
      ExpectWorkload(*orders, GrainUnit::kMonth, threads);
      ExpectWorkload(*orders, GrainUnit::kIsoWeek, threads);
    }
  }
}

}  // namespace
}  // namespace salesight
