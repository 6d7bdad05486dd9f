// BTYD summaries: by hand, against a plain map implementation, and against
// the CDNOW summary shipped with lifetimes.
#include "salesight/btyd.hpp"

#include <cmath>
#include <fstream>
#include <map>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "rfm/rfm_test_util.hpp"

namespace salesight {
namespace {

using rfm_test::Line;
using rfm_test::MakeLines;

TEST(BtydHand, DaysAndWeeks) {
  const std::vector<Line> lines = {
      {1, 19100, 0, 1000},  // day 100: 10.00 + 5.00 on the same day = one purchase of 15.00
      {2, 19100, 0, 500},
      {3, 19103, 0, 2000},  // repeat 1: 20.00
      {4, 19110, 0, -400},  // repeat 2: -4.00 (every line is a transaction)
      {5, 19115, 1, 700},   // customer 1: one purchase
      {6, 19125, 2, 900},   // customer 2: after the end, dropped
      {7, 19125, 0, 900},   // after the end, dropped
  };
  BtydOptions o;
  o.observation_end = 19120;
  absl::StatusOr<BtydSummary> s = ComputeBtydSummary(MakeLines(lines), o);
  ASSERT_TRUE(s.ok()) << s.status();
  ASSERT_EQ(s->customer, (std::vector<Id>{0, 1}));
  EXPECT_EQ(s->frequency, (std::vector<std::int32_t>{2, 0}));
  EXPECT_DOUBLE_EQ(s->recency[0], 10.0);  // 19110 - 19100
  EXPECT_DOUBLE_EQ(s->T[0], 20.0);        // 19120 - 19100
  EXPECT_DOUBLE_EQ(s->monetary_value[0], 8.0);  // (20.00 - 4.00) / 2
  EXPECT_DOUBLE_EQ(s->recency[1], 0.0);
  EXPECT_DOUBLE_EQ(s->T[1], 5.0);
  EXPECT_DOUBLE_EQ(s->monetary_value[1], 0.0);
  o.unit = BtydTimeUnit::kWeeks;
  s = ComputeBtydSummary(MakeLines(lines), o);
  ASSERT_TRUE(s.ok());
  EXPECT_DOUBLE_EQ(s->recency[0], 10.0 / 7.0);
  EXPECT_DOUBLE_EQ(s->T[0], 20.0 / 7.0);
  ResultTable t = ToResultTable(*s);
  ASSERT_TRUE(t.Validate().ok());
  EXPECT_NE(t.Find("monetary_value"), nullptr);
}

TEST(BtydHand, DefaultEndIsLastOrderDate) {
  absl::StatusOr<BtydSummary> s =
      ComputeBtydSummary(MakeLines({{1, 19000, 0, 100}, {2, 19010, 1, 100}}));
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->observation_end, 19010);
  EXPECT_DOUBLE_EQ(s->T[0], 10.0);
  EXPECT_DOUBLE_EQ(s->T[1], 0.0);
}

TEST(BtydHand, IsoWeekPeriods) {
  const Day mon1 = DayFromCivil(2024, 1, 1), sun7 = DayFromCivil(2024, 1, 7);
  const Day mon8 = DayFromCivil(2024, 1, 8), wed10 = DayFromCivil(2024, 1, 10);
  const Day fri12 = DayFromCivil(2024, 1, 12), mon15 = DayFromCivil(2024, 1, 15);
  const std::vector<Line> lines = {
      {1, mon1, 0, 100},   // week of Jan 1
      {2, sun7, 0, 200},   // same ISO week: merged
      {3, mon8, 0, 300},   // week of Jan 8
      {4, fri12, 0, 400},  // same week as the end (Wed 10th): kept and merged, as lifetimes does
      {5, mon15, 0, 999},  // next week: dropped
  };
  BtydOptions o;
  o.observation_end = wed10;
  o.period = GrainUnit::kIsoWeek;
  o.unit = BtydTimeUnit::kWeeks;
  absl::StatusOr<BtydSummary> s = ComputeBtydSummary(MakeLines(lines), o);
  ASSERT_TRUE(s.ok());
  ASSERT_EQ(s->customer.size(), 1u);
  EXPECT_EQ(s->frequency[0], 1);
  EXPECT_DOUBLE_EQ(s->recency[0], 1.0);
  EXPECT_DOUBLE_EQ(s->T[0], 1.0);
  EXPECT_DOUBLE_EQ(s->monetary_value[0], 7.0);  // (3.00 + 4.00) / 1
}

// A plain implementation: map customer -> map period -> sum.
TEST(BtydReference, RandomAgainstPlainMaps) {
  for (std::uint64_t seed = 0; seed < 60; ++seed) {
    std::mt19937_64 rng(seed);
    std::vector<Line> lines;
    const int customers = 1 + static_cast<int>(rng() % 40);
    for (int i = 0; i < 400; ++i) {
      lines.push_back({i, 19000 + static_cast<Day>(rng() % 120), static_cast<Id>(rng() % customers),
                       static_cast<Money>(rng() % 5000) - 500});
    }
    if (seed % 2) std::shuffle(lines.begin(), lines.end(), rng);
    BtydOptions o;
    o.period = seed % 3 == 0 ? GrainUnit::kIsoWeek : GrainUnit::kDay;
    o.unit = seed % 4 < 2 ? BtydTimeUnit::kDays : BtydTimeUnit::kWeeks;
    o.observation_end = 19000 + static_cast<Day>(rng() % 130);
    o.num_threads = 1 + static_cast<int>(seed % 3);
    absl::StatusOr<BtydSummary> s = ComputeBtydSummary(MakeLines(lines), o);
    ASSERT_TRUE(s.ok());
    auto start = [&](Day d) { return o.period == GrainUnit::kDay ? d : d - (Weekday(d) - 1); };
    std::map<Id, std::map<Day, Money>> periods;
    for (const Line& l : lines) {
      if (start(l.day) <= start(o.observation_end)) periods[l.customer][start(l.day)] += l.amount;
    }
    const double unit = o.unit == BtydTimeUnit::kWeeks ? 7.0 : 1.0;
    ASSERT_EQ(s->customer.size(), periods.size()) << seed;
    std::size_t i = 0;
    for (const auto& [id, p] : periods) {
      EXPECT_EQ(s->customer[i], id);
      EXPECT_EQ(s->frequency[i], static_cast<int>(p.size()) - 1);
      EXPECT_DOUBLE_EQ(s->recency[i], (p.rbegin()->first - p.begin()->first) / unit);
      EXPECT_DOUBLE_EQ(s->T[i], (start(o.observation_end) - p.begin()->first) / unit);
      Money repeat = 0;
      for (auto it = std::next(p.begin()); it != p.end(); ++it) repeat += it->second;
      const double want = p.size() > 1 ? static_cast<double>(repeat) / 100.0 / static_cast<double>(p.size() - 1) : 0.0;
      EXPECT_NEAR(s->monetary_value[i], want, 1e-9 * std::max(1.0, std::fabs(want)));
      ++i;
    }
  }
}

// CDNOW_sample.txt (sample_id as the customer) with calibration end
// 1997-09-30 reproduces lifetimes' cdnow_customers_summary_with_transactions.csv.
TEST(BtydCdnow, MatchesLifetimesSummary) {
  std::ifstream in(std::string(SALESIGHT_CDNOW_DIR) + "/CDNOW_sample.txt");
  ASSERT_TRUE(in) << "missing CDNOW_sample.txt";
  OrderLinesColumns c;
  std::vector<std::int64_t> order;
  std::vector<Day> day;
  std::vector<Id> customer;
  std::vector<Money> amount;
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    long master = 0, sample = 0, ymd = 0, cds = 0;
    std::string dollars;
    if (!(fields >> master >> sample >> ymd >> cds >> dollars)) continue;
    absl::StatusOr<Money> m = ParseMoney(dollars);
    ASSERT_TRUE(m.ok()) << dollars;
    order.push_back(static_cast<std::int64_t>(order.size()));
    day.push_back(DayFromCivil(static_cast<int>(ymd / 10000), static_cast<int>(ymd / 100 % 100),
                               static_cast<int>(ymd % 100)));
    customer.push_back(static_cast<Id>(sample - 1));
    amount.push_back(*m);
  }
  ASSERT_EQ(order.size(), 6919u);
  c.order_id = Column<std::int64_t>::Own(std::move(order));
  c.order_date = Column<Day>::Own(std::move(day));
  c.customer = Column<Id>::Own(std::move(customer));
  c.amount = Column<Money>::Own(std::move(amount));
  absl::StatusOr<OrderLines> t = OrderLines::Build(std::move(c));
  ASSERT_TRUE(t.ok()) << t.status();
  BtydOptions o;
  o.observation_end = DayFromCivil(1997, 9, 30);
  o.unit = BtydTimeUnit::kWeeks;
  absl::StatusOr<BtydSummary> s = ComputeBtydSummary(*t, o);
  ASSERT_TRUE(s.ok()) << s.status();

  std::ifstream csv(std::string(SALESIGHT_CDNOW_DIR) + "/cdnow_customers_summary_with_transactions.csv");
  ASSERT_TRUE(csv);
  std::getline(csv, line);  // header ID,x,t_x,T,zbar
  std::size_t rows = 0;
  while (std::getline(csv, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    std::istringstream fields(line);
    std::string cell;
    std::vector<double> v;
    while (std::getline(fields, cell, ',')) v.push_back(std::stod(cell));
    ASSERT_EQ(v.size(), 5u) << line;
    ASSERT_LT(rows, s->customer.size());
    EXPECT_EQ(s->customer[rows], static_cast<Id>(v[0]) - 1);
    EXPECT_EQ(s->frequency[rows], static_cast<int>(v[1])) << "ID " << v[0];
    EXPECT_NEAR(s->recency[rows], v[2], 0.01) << "ID " << v[0];
    EXPECT_NEAR(s->T[rows], v[3], 0.01) << "ID " << v[0];
    EXPECT_NEAR(s->monetary_value[rows], v[4], 0.01) << "ID " << v[0];
    ++rows;
  }
  EXPECT_EQ(rows, 2357u);
  EXPECT_EQ(s->customer.size(), 2357u);
}

}  // namespace
}  // namespace salesight
