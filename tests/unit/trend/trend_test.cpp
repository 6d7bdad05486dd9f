// Trend: hand-computed cases (calendar labels, ISO week 53, leap days, orders
// spanning two days, targets spread across a month boundary, period-to-date)
// and edge cases (empty input, zero targets, overflow, bad options).
#include <optional>
#include <string>
#include <vector>

#include "dataset_test_util.hpp"
#include "gtest/gtest.h"
#include "salesight/trend.hpp"

namespace salesight {
namespace {

Day D(int y, int m, int d) { return DayFromCivil(y, m, d); }

struct Lines {
  std::vector<std::int64_t> order;
  std::vector<Day> date;
  std::vector<Id> region;
  std::vector<Money> amount, cost;
  void Add(std::int64_t o, Day d, Money a, Money c = 0, Id r = 0) {
    order.push_back(o);
    date.push_back(d);
    amount.push_back(a);
    cost.push_back(c);
    region.push_back(r);
  }
  OrderLines Build(bool with_cost = true, bool with_region = false) const {
    OrderLinesColumns c;
    c.order_id = Column<std::int64_t>::Own(order);
    c.order_date = Column<Day>::Own(date);
    c.customer = Column<Id>::Own(std::vector<Id>(order.size(), 0));
    c.amount = Column<Money>::Own(amount);
    if (with_cost) c.cost = Column<Money>::Own(cost);
    if (with_region) c.region = Column<Id>::Own(region);
    auto t = OrderLines::Build(std::move(c));
    EXPECT_TRUE(t.ok()) << t.status();
    return *std::move(t);
  }
};

const TrendRow* FindRow(const TrendResult& r, const std::string& label, Id group = kNoId) {
  for (const TrendRow& row : r.rows) {
    if (row.group == group && PeriodLabel(r.options.grain, row.period) == label) return &row;
  }
  return nullptr;
}

TEST(TrendCalendarTest, LabelsForEveryGrain) {
  const Day d = D(2019, 3, 5);
  EXPECT_EQ(PeriodLabel(GrainUnit::kDay, PeriodOf(GrainUnit::kDay, d)), "2019-03-05");
  EXPECT_EQ(PeriodLabel(GrainUnit::kMonth, PeriodOf(GrainUnit::kMonth, d)), "2019-03");
  EXPECT_EQ(PeriodLabel(GrainUnit::kQuarter, PeriodOf(GrainUnit::kQuarter, d)),
            "2019-Q1");
  EXPECT_EQ(PeriodLabel(GrainUnit::kYear, PeriodOf(GrainUnit::kYear, d)), "2019");
  // 2019-01-01 is a Tuesday: week 1 = 2018-12-31..2019-01-06, week 5 = Jan 28..Feb 3.
  const auto w = [](Day day) {
    return PeriodLabel(GrainUnit::kIsoWeek, PeriodOf(GrainUnit::kIsoWeek, day));
  };
  EXPECT_EQ(w(D(2019, 1, 31)), "2019-W05");
  EXPECT_EQ(w(D(2018, 12, 31)), "2019-W01");
  // Year boundaries: 2021-01-01 (Fri) is in 2020-W53; 2022-01-01/02 (Sat/Sun)
  // in 2021-W52; 2026-12-31 (Thu) in 2026-W53; 2024-12-30 (Mon) in 2025-W01.
  EXPECT_EQ(w(D(2021, 1, 1)), "2020-W53");
  EXPECT_EQ(w(D(2020, 12, 31)), "2020-W53");
  EXPECT_EQ(w(D(2022, 1, 2)), "2021-W52");
  EXPECT_EQ(w(D(2026, 12, 31)), "2026-W53");
  EXPECT_EQ(w(D(2024, 12, 30)), "2025-W01");
  EXPECT_EQ(PeriodStart(GrainUnit::kIsoWeek, PeriodOf(GrainUnit::kIsoWeek, D(2022, 1, 2))),
            D(2021, 12, 27));
  EXPECT_EQ(PeriodEnd(GrainUnit::kQuarter, PeriodOf(GrainUnit::kQuarter, d)),
            D(2019, 3, 31));
}

TEST(TrendCalendarTest, LastYearPeriods) {
  const auto ly = [](Grain g, Day day) -> std::string {
    auto p = SamePeriodLastYear(g, PeriodOf(g, day));
    return p ? PeriodLabel(g, *p) : "null";
  };
  EXPECT_EQ(ly(GrainUnit::kDay, D(2024, 2, 29)), "null");  // no Feb 29 in 2023
  EXPECT_EQ(ly(GrainUnit::kDay, D(2024, 3, 1)), "2023-03-01");
  EXPECT_EQ(ly(GrainUnit::kDay, D(2025, 2, 28)), "2024-02-28");
  EXPECT_EQ(ly(GrainUnit::kIsoWeek, D(2021, 1, 1)), "null");      // 2020-W53
  EXPECT_EQ(ly(GrainUnit::kIsoWeek, D(2026, 12, 31)), "null");    // 2026-W53
  EXPECT_EQ(ly(GrainUnit::kIsoWeek, D(2022, 1, 1)), "2020-W52");  // 2021-W52
  EXPECT_EQ(ly(GrainUnit::kIsoWeek, D(2021, 1, 5)), "2020-W01");  // 2021-W01
  EXPECT_EQ(ly(GrainUnit::kMonth, D(2024, 1, 9)), "2023-01");
  EXPECT_EQ(ly(GrainUnit::kQuarter, D(2024, 1, 9)), "2023-Q1");
  EXPECT_EQ(ly(GrainUnit::kYear, D(2024, 1, 9)), "2023");
}

// o1 2023-01-15 1000 (cost 600); o2 2023-03-10 500 (300); o3 2024-01-31 1500
// (900) and 2024-02-01 200 (150): one order over two days and two months;
// o4 2024-03-05 -100 (-60, a return).
Lines HandLines() {
  Lines l;
  l.Add(1, D(2023, 1, 15), 1000, 600);
  l.Add(2, D(2023, 3, 10), 500, 300);
  l.Add(3, D(2024, 1, 31), 1500, 900);
  l.Add(3, D(2024, 2, 1), 200, 150);
  l.Add(4, D(2024, 3, 5), -100, -60);
  return l;
}

TEST(TrendTest, MonthlyAgainstLastYearByHand) {
  const OrderLines orders = HandLines().Build();
  TrendOptions o;  // month, last year, emit empty periods
  auto r = ComputeTrend(test_data::TestData({&orders}), o);
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_EQ(r->rows.size(), 15u);  // 2023-01 .. 2024-03
  EXPECT_TRUE(r->has_margin);
  EXPECT_TRUE(r->has_orders);

  const TrendRow* jan = FindRow(*r, "2024-01");
  ASSERT_NE(jan, nullptr);
  EXPECT_EQ(jan->value.revenue, 1500);
  EXPECT_EQ(jan->value.margin, 600);  // 1500 - 900
  EXPECT_EQ(jan->value.orders, 1);    // o3, on its first day
  EXPECT_EQ(jan->growth.base, 1000);  // 2023-01
  EXPECT_EQ(jan->growth.difference, 500);
  EXPECT_DOUBLE_EQ(*jan->growth.growth, 0.5);      // 500 / 1000
  EXPECT_DOUBLE_EQ(*jan->growth.growth_pct, 50.0);
  EXPECT_DOUBLE_EQ(*jan->growth.growth_ratio, 1.5);  // 1500 / 1000

  const TrendRow* feb = FindRow(*r, "2024-02");
  ASSERT_NE(feb, nullptr);
  EXPECT_EQ(feb->value.revenue, 200);
  EXPECT_EQ(feb->value.orders, 0);  // o3 already counted in January
  EXPECT_EQ(feb->value.margin, 50);
  EXPECT_EQ(feb->growth.base, 0);  // 2023-02 is an emitted empty row: base 0
  EXPECT_EQ(feb->growth.difference, 200);
  EXPECT_FALSE(feb->growth.growth_pct.has_value());  // base 0 -> null
  EXPECT_FALSE(feb->growth.growth_ratio.has_value());

  const TrendRow* mar = FindRow(*r, "2024-03");
  ASSERT_NE(mar, nullptr);
  EXPECT_EQ(mar->value.revenue, -100);
  EXPECT_EQ(mar->value.margin, -40);
  EXPECT_EQ(mar->growth.difference, -600);                // -100 - 500
  EXPECT_DOUBLE_EQ(*mar->growth.growth_pct, -120.0);      // -600 / 500 * 100
  EXPECT_DOUBLE_EQ(*mar->growth.growth_ratio, -0.2);      // -100 / 500

  const TrendRow* empty = FindRow(*r, "2023-06");
  ASSERT_NE(empty, nullptr);
  EXPECT_EQ(empty->value.revenue, 0);
  EXPECT_EQ(empty->value.lines, 0);
  EXPECT_FALSE(empty->value.margin.has_value());  // no costed line
  EXPECT_EQ(empty->value.orders, 0);

  const TrendRow* first = FindRow(*r, "2023-01");
  ASSERT_NE(first, nullptr);
  EXPECT_FALSE(first->growth.base.has_value());  // 2022-01 is before the data

  EXPECT_EQ(r->total.revenue, 3100);  // 1000 + 500 + 1500 + 200 - 100
  EXPECT_EQ(r->total.orders, 4);
  EXPECT_EQ(r->total.margin, 1210);  // 400 + 200 + 600 + 50 - 40
}

TEST(TrendTest, OnlyPeriodsWithOrdersAndPreviousPeriod) {
  const OrderLines orders = HandLines().Build();
  TrendOptions o;
  o.emit_empty_periods = false;
  auto r = ComputeTrend(test_data::TestData({&orders}), o);
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_EQ(r->rows.size(), 5u);  // 2023-01, 2023-03, 2024-01, 2024-02, 2024-03
  EXPECT_FALSE(FindRow(*r, "2024-02")->growth.base.has_value());  // 2023-02 has no row
  EXPECT_EQ(FindRow(*r, "2024-03")->growth.base, 500);

  o.compare = TrendCompare::kPrevious;
  r = ComputeTrend(test_data::TestData({&orders}), o);
  ASSERT_TRUE(r.ok()) << r.status();
  const TrendRow* mar = FindRow(*r, "2024-03");
  EXPECT_EQ(mar->growth.base, 200);  // 2024-02
  EXPECT_DOUBLE_EQ(*mar->growth.growth_pct, -150.0);  // (-100 - 200) / 200 * 100
  EXPECT_FALSE(FindRow(*r, "2023-03")->growth.base.has_value());  // 2023-02 has no row
  EXPECT_FALSE(FindRow(*r, "2024-01")->growth.base.has_value());  // 2023-12 has no row

  // Margin as the compared measure: 2024-03 -40 vs 2024-02 50.
  o.compare_measure = TrendMeasure::kMargin;
  r = ComputeTrend(test_data::TestData({&orders}), o);
  ASSERT_TRUE(r.ok()) << r.status();
  mar = FindRow(*r, "2024-03");
  EXPECT_EQ(mar->growth.base, 50);
  EXPECT_EQ(mar->growth.difference, -90);
  EXPECT_DOUBLE_EQ(*mar->growth.growth_ratio, -0.8);  // -40 / 50
}

TEST(TrendTest, IsoWeek53HasNoLastYear) {
  Lines l;
  l.Add(1, D(2019, 12, 31), 70);   // 2020-W01 (Mon 2019-12-30)
  l.Add(2, D(2020, 12, 28), 10);   // 2020-W53
  l.Add(3, D(2021, 1, 1), 50);     // 2020-W53
  l.Add(4, D(2021, 1, 5), 140);    // 2021-W01
  l.Add(5, D(2021, 12, 31), 5);    // 2021-W52
  const OrderLines orders = l.Build(false);
  TrendOptions o;
  o.grain = GrainUnit::kIsoWeek;
  o.emit_empty_periods = false;
  auto r = ComputeTrend(test_data::TestData({&orders}), o);
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_EQ(r->rows.size(), 4u);
  EXPECT_FALSE(r->has_margin);  // no cost source
  const TrendRow* w53 = FindRow(*r, "2020-W53");
  ASSERT_NE(w53, nullptr);
  EXPECT_EQ(w53->value.revenue, 60);
  EXPECT_EQ(w53->period_start, D(2020, 12, 28));
  EXPECT_EQ(w53->period_end, D(2021, 1, 3));
  EXPECT_FALSE(w53->growth.base.has_value());
  const TrendRow* w1 = FindRow(*r, "2021-W01");
  EXPECT_EQ(w1->growth.base, 70);
  EXPECT_DOUBLE_EQ(*w1->growth.growth_pct, 100.0);  // (140 - 70) / 70
  EXPECT_FALSE(FindRow(*r, "2021-W52")->growth.base.has_value());  // 2020-W52 empty
  // Previous period of 2021-W01 is 2020-W53.
  o.compare = TrendCompare::kPrevious;
  r = ComputeTrend(test_data::TestData({&orders}), o);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(FindRow(*r, "2021-W01")->growth.base, 60);
}

TEST(TrendTest, LeapDayHasNoLastYearDay) {
  Lines l;
  l.Add(1, D(2023, 2, 28), 30);
  l.Add(2, D(2023, 3, 1), 40);
  l.Add(3, D(2024, 2, 28), 60);
  l.Add(4, D(2024, 2, 29), 90);
  l.Add(5, D(2024, 3, 1), 20);
  const OrderLines orders = l.Build(false);
  TrendOptions o;
  o.grain = GrainUnit::kDay;
  o.emit_empty_periods = false;
  auto r = ComputeTrend(test_data::TestData({&orders}), o);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(FindRow(*r, "2024-02-28")->growth.base, 30);
  EXPECT_FALSE(FindRow(*r, "2024-02-29")->growth.base.has_value());
  EXPECT_EQ(FindRow(*r, "2024-03-01")->growth.base, 40);
  EXPECT_DOUBLE_EQ(*FindRow(*r, "2024-03-01")->growth.growth_pct, -50.0);
  // ResultTable: period is a date column for days.
  ResultTable t = ToResultTable(*r);
  ASSERT_TRUE(t.Validate().ok());
  EXPECT_EQ(t.Find("period")->type, ResultType::kDate);
  EXPECT_TRUE(t.Find("revenue_compare")->is_null(3));  // rows: 02-28, 03-01, 02-28, 02-29
}

Targets MakeTargets(TargetLevel level, std::vector<Id> key, std::vector<std::int32_t> month,
                    std::vector<Money> amount) {
  TargetsColumns c;
  c.level = level;
  c.key = Column<Id>::Own(std::move(key));
  c.month = Column<std::int32_t>::Own(std::move(month));
  c.amount = Column<Money>::Own(std::move(amount));
  auto t = Targets::Build(std::move(c));
  EXPECT_TRUE(t.ok()) << t.status();
  return *std::move(t);
}

TEST(TrendTest, TargetsSpreadByCalendarDays) {
  Lines l;
  l.Add(1, D(2024, 1, 29), 500);
  l.Add(2, D(2024, 2, 2), 700);
  l.Add(3, D(2024, 3, 4), 50);
  const OrderLines orders = l.Build(false);
  // Two salespeople's targets, summed for the ungrouped trend: January 1000
  // (1000/31 a day), February 5800 (200 a day), March 0.
  const Targets targets = MakeTargets(TargetLevel::kSalesperson, {0, 1, 0, 1},
                                      {202401, 202402, 202402, 202403}, {1000, 2900, 2900, 0});
  TrendOptions o;
  o.grain = GrainUnit::kIsoWeek;
  o.compare = TrendCompare::kTarget;
  o.emit_empty_periods = false;
  test_data::TestTables in{&orders};
  in.targets = &targets;
  auto r = ComputeTrend(test_data::TestData(in), o);
  ASSERT_TRUE(r.ok()) << r.status();
  // 2024-W05 = Mon Jan 29 .. Sun Feb 4: 3 x 1000/31 + 4 x 200 = 896.77 -> 897.
  const TrendRow* w5 = FindRow(*r, "2024-W05");
  ASSERT_NE(w5, nullptr);
  EXPECT_EQ(w5->target, 897);
  EXPECT_EQ(w5->growth.base, 897);
  EXPECT_EQ(w5->growth.difference, 303);  // 1200 - 897
  // 2024-W10 (Mar 4..10) has a zero target: difference, but no growth.
  const TrendRow* w10 = FindRow(*r, "2024-W10");
  EXPECT_EQ(w10->target, 0);
  EXPECT_EQ(w10->growth.difference, 50);
  EXPECT_FALSE(w10->growth.growth_pct.has_value());

  // Months sum exactly; the date range cuts a period's target to its days:
  // from 2024-02-16 -> February keeps 14 of 29 days = 2800.
  o.grain = GrainUnit::kMonth;
  o.from = D(2024, 2, 16);
  r = ComputeTrend(test_data::TestData(in), o);
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_EQ(r->rows.size(), 1u);  // only March has a line in range
  EXPECT_EQ(r->rows[0].target, 0);
  o.emit_empty_periods = true;
  r = ComputeTrend(test_data::TestData(in), o);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(FindRow(*r, "2024-02")->target, 2800);
  o.from = kNoDate;
  r = ComputeTrend(test_data::TestData(in), o);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(FindRow(*r, "2024-01")->target, 1000);
  EXPECT_EQ(FindRow(*r, "2024-02")->target, 5800);
  // Day grain: 2024-01-29 gets 1000/31 = 32.26 -> 32.
  o.grain = GrainUnit::kDay;
  r = ComputeTrend(test_data::TestData(in), o);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(FindRow(*r, "2024-01-29")->target, 32);
  EXPECT_EQ(FindRow(*r, "2024-02-02")->target, 200);
}

TEST(TrendTest, GroupedTargetsMatchByKey) {
  Lines l;
  l.Add(1, D(2024, 1, 5), 300, 0, 0);
  l.Add(2, D(2024, 1, 6), 900, 0, 2);
  const OrderLines orders = l.Build(false, true);
  const Targets targets = MakeTargets(TargetLevel::kRegion, {0, 2}, {202401, 202401}, {600, 600});
  TrendOptions o;
  o.group_by = "region";
  o.compare = TrendCompare::kTarget;
  test_data::TestTables in{&orders};
  in.targets = &targets;
  auto r = ComputeTrend(test_data::TestData(in), o);
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_EQ(r->rows.size(), 2u);  // regions 0 and 2 (region 1 has no line)
  EXPECT_EQ(r->rows[0].group, 0);
  EXPECT_DOUBLE_EQ(*r->rows[0].growth.growth_pct, -50.0);  // 300 vs 600
  EXPECT_EQ(r->rows[1].group, 2);
  EXPECT_DOUBLE_EQ(*r->rows[1].growth.growth_ratio, 1.5);  // 900 vs 600
  // Salesperson-level targets cannot be matched to regions.
  const Targets sp = MakeTargets(TargetLevel::kSalesperson, {0}, {202401}, {1});
  in.targets = &sp;
  EXPECT_FALSE(ComputeTrend(test_data::TestData(in), o).ok());
}

TEST(TrendTest, PeriodToDateAlignsElapsedDays) {
  Lines l;
  l.Add(1, D(2023, 1, 1), 10);
  l.Add(2, D(2023, 3, 1), 20);
  l.Add(3, D(2023, 3, 2), 40);
  l.Add(4, D(2023, 3, 3), 80);
  l.Add(5, D(2024, 1, 1), 1);
  l.Add(6, D(2024, 3, 1), 2);
  const OrderLines orders = l.Build(false);
  TrendOptions o;
  o.as_of = D(2024, 3, 1);
  auto r = ComputeTrend(test_data::TestData({&orders}), o);
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_EQ(r->to_date.size(), 3u);
  const TrendToDate& mtd = r->to_date[0];
  EXPECT_EQ(mtd.kind, TrendToDateKind::kMonth);
  EXPECT_EQ(mtd.ly_begin, D(2023, 3, 1));
  EXPECT_EQ(mtd.ly_end, D(2023, 3, 1));
  EXPECT_EQ(mtd.value->revenue, 2);
  EXPECT_EQ(mtd.last_year->revenue, 20);
  // YTD: 2024-01-01..03-01 is 61 days -> 2023-01-01..2023-03-02: 10 + 20 + 40.
  const TrendToDate& ytd = r->to_date[2];
  EXPECT_EQ(ytd.ly_end, D(2023, 3, 2));
  EXPECT_EQ(ytd.value->revenue, 3);
  EXPECT_EQ(ytd.last_year->revenue, 70);
  EXPECT_EQ(ytd.value->orders, 2);
  EXPECT_DOUBLE_EQ(*ytd.growth.growth_ratio, 3.0 / 70.0);
  EXPECT_EQ(r->to_date[1].last_year->revenue, 70);  // QTD = YTD in Q1
  // MTD on Feb 29: 29 elapsed days, capped at 2023-02-28.
  o.as_of = D(2024, 2, 29);
  r = ComputeTrend(test_data::TestData({&orders}), o);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->to_date[0].ly_end, D(2023, 2, 28));
  // A last-year window before `from` was not read: null.
  o.from = D(2024, 1, 1);
  r = ComputeTrend(test_data::TestData({&orders}), o);
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->to_date[2].last_year.has_value());
  EXPECT_FALSE(r->to_date[2].growth.growth_pct.has_value());
  ResultTable t = ToDateResultTable(*r);
  EXPECT_TRUE(t.Validate().ok());
  EXPECT_EQ(t.num_rows(), 3u);
}

TEST(TrendTest, CollectionsFromInvoicesAndPayments) {
  Lines l;
  l.Add(1, D(2024, 1, 10), 1000);
  l.Add(2, D(2024, 2, 10), 500);
  const OrderLines orders = l.Build(false);
  InvoicesColumns ic;
  ic.invoice = Column<std::int64_t>::Own({1, 2});
  ic.customer = Column<Id>::Own({0, 0});
  ic.invoice_date = Column<Day>::Own({D(2024, 1, 10), D(2024, 2, 10)});
  ic.due_date = Column<Day>::Own({D(2024, 2, 9), D(2024, 3, 11)});
  ic.amount = Column<Money>::Own({1000, 500});
  ic.paid = Column<Money>::Own({1000, 0});
  ic.paid_date = Column<Day>::Own({D(2024, 2, 20), kNoDate});
  auto invoices = Invoices::Build(std::move(ic));
  ASSERT_TRUE(invoices.ok()) << invoices.status();
  TrendOptions o;
  o.compare = TrendCompare::kPrevious;
  o.compare_measure = TrendMeasure::kCollections;
  test_data::TestTables in{&orders};
  in.invoices = &*invoices;
  auto r = ComputeTrend(test_data::TestData(in), o);
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_EQ(r->rows.size(), 2u);
  EXPECT_EQ(r->rows[0].value.collections, 0);
  EXPECT_EQ(r->rows[1].value.collections, 1000);
  EXPECT_EQ(r->rows[1].growth.base, 0);
  EXPECT_EQ(r->rows[1].growth.difference, 1000);
  // Payments: two instalments of invoice row 0, one in March (a period with
  // a collection but no order line still gets a row).
  PaymentsColumns pc;
  pc.invoice_row = Column<std::int64_t>::Own({0, 0});
  pc.date = Column<Day>::Own({D(2024, 1, 31), D(2024, 3, 2)});
  pc.amount = Column<Money>::Own({400, 600});
  auto payments = Payments::Build(std::move(pc), *invoices);
  ASSERT_TRUE(payments.ok()) << payments.status();
  in.payments = &*payments;
  o.emit_empty_periods = false;
  r = ComputeTrend(test_data::TestData(in), o);
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_EQ(r->rows.size(), 3u);
  EXPECT_EQ(r->rows[0].value.collections, 400);
  EXPECT_EQ(r->rows[1].value.collections, 0);
  EXPECT_EQ(r->rows[2].value.collections, 600);
  EXPECT_EQ(r->rows[2].value.lines, 0);
  EXPECT_EQ(r->total.collections, 1000);
  ResultTable t = ToResultTable(*r);
  ASSERT_TRUE(t.Validate().ok());
  EXPECT_NE(t.Find("collections"), nullptr);
  EXPECT_NE(t.Find("collections_compare"), nullptr);
  // Channel grouping cannot carry collections.
  o.group_by = "channel";
  EXPECT_FALSE(ComputeTrend(test_data::TestData(in), o).ok());
}

TEST(TrendTest, EmptyAndErrors) {
  const OrderLines empty = Lines{}.Build();
  TrendOptions o;
  auto r = ComputeTrend(test_data::TestData({&empty}), o);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_TRUE(r->rows.empty());
  // With an explicit range, empty periods are still emitted (zero rows).
  o.from = D(2024, 1, 1);
  o.to = D(2024, 3, 31);
  r = ComputeTrend(test_data::TestData({&empty}), o);
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_EQ(r->rows.size(), 3u);
  EXPECT_EQ(r->rows[2].value.revenue, 0);
  EXPECT_EQ(ToResultTable(*r).num_rows(), 3u);

  const OrderLines orders = HandLines().Build();
  o = TrendOptions{};
  o.from = D(2024, 2, 1);
  o.to = D(2024, 1, 1);
  EXPECT_FALSE(ComputeTrend(test_data::TestData({&orders}), o).ok());  // from after to
  o = TrendOptions{};
  o.compare = TrendCompare::kTarget;
  EXPECT_FALSE(ComputeTrend(test_data::TestData({&orders}), o).ok());  // no targets
  o = TrendOptions{};
  o.group_by = "region";
  EXPECT_FALSE(ComputeTrend(test_data::TestData({&orders}), o).ok());  // no region column
  o = TrendOptions{};
  o.max_cells = 100;
  EXPECT_FALSE(ComputeTrend(test_data::TestData({&orders}), o).ok());  // 2023-01-15..2024-03-05 > 100 days

  // Overflow: 1025 lines of 9e15 on one day exceed int64.
  Lines big;
  for (int i = 0; i < 1025; ++i) big.Add(i, D(2024, 1, 1), kMaxMoney);
  const OrderLines huge = big.Build(false);
  auto bad = ComputeTrend(test_data::TestData({&huge}), TrendOptions{});
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("2024-01-01"), std::string::npos) << bad.status();
}

TEST(TrendTest, DateRangeFiltersLinesAndBases) {
  const OrderLines orders = HandLines().Build();
  TrendOptions o;
  o.from = D(2023, 3, 1);
  o.to = D(2024, 1, 31);
  o.emit_empty_periods = false;
  auto r = ComputeTrend(test_data::TestData({&orders}), o);
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_EQ(r->rows.size(), 2u);  // 2023-03, 2024-01
  EXPECT_EQ(r->lines_outside_range, 3);
  EXPECT_FALSE(r->rows[1].growth.base.has_value());  // 2023-01 is outside the range
  EXPECT_EQ(r->total.revenue, 2000);
}

TEST(TrendTest, ResultTableColumns) {
  const OrderLines orders = HandLines().Build();
  auto r = ComputeTrend(test_data::TestData({&orders}), TrendOptions{});
  ASSERT_TRUE(r.ok());
  ResultTable t = ToResultTable(*r);
  ASSERT_TRUE(t.Validate().ok()) << t.Validate();
  std::vector<std::string> names;
  for (const ResultColumn& c : t.columns()) names.push_back(c.name);
  EXPECT_EQ(names, (std::vector<std::string>{"period", "revenue", "margin", "orders",
                                             "revenue_compare", "growth_pct", "growth_diff",
                                             "growth_ratio", "lines"}));
  EXPECT_EQ(t.Find("revenue")->type, ResultType::kMoney);
  EXPECT_EQ(t.Find("period")->Texts()[0], "2023-01");
  EXPECT_EQ(FormatCell(*t.Find("revenue"), 12), "15.00");  // 2024-01: 1500 cents
  EXPECT_EQ(FormatCell(*t.Find("growth_pct"), 12), "50");
}

}  // namespace
}  // namespace salesight
