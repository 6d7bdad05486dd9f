// Hand-computed cases and edge cases for aging and collection.
#include <algorithm>
#include <vector>

#include "gmock/gmock.h"
#include "dataset_test_util.hpp"
#include "gtest/gtest.h"
#include "salesight/receivables.hpp"

namespace salesight {
namespace {

using ::testing::ElementsAre;

struct Inv {
  Id customer;
  Id salesperson;
  Day invoice_date;
  Day due_date;
  Money amount;
  Money paid;      // summary payment
  Day paid_date;   // kNoDate = none
};

Invoices MakeInvoices(const std::vector<Inv>& rows, bool with_summary = true) {
  InvoicesColumns c;
  std::vector<std::int64_t> id;
  std::vector<Id> cust, sp, region;
  std::vector<Day> idate, due, pdate;
  std::vector<Money> amount, paid;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    id.push_back(static_cast<std::int64_t>(1000 + i));
    cust.push_back(rows[i].customer);
    sp.push_back(rows[i].salesperson);
    region.push_back(rows[i].salesperson % 2);
    idate.push_back(rows[i].invoice_date);
    due.push_back(rows[i].due_date);
    amount.push_back(rows[i].amount);
    paid.push_back(rows[i].paid);
    pdate.push_back(rows[i].paid_date);
  }
  c.invoice = Column<std::int64_t>::Own(id);
  c.customer = Column<Id>::Own(cust);
  c.salesperson = Column<Id>::Own(sp);
  c.region = Column<Id>::Own(region);
  c.invoice_date = Column<Day>::Own(idate);
  c.due_date = Column<Day>::Own(due);
  c.amount = Column<Money>::Own(amount);
  if (with_summary) {
    c.paid = Column<Money>::Own(paid);
    c.paid_date = Column<Day>::Own(pdate);
  }
  auto t = Invoices::Build(std::move(c));
  EXPECT_TRUE(t.ok()) << t.status();
  return *std::move(t);
}

Payments MakePayments(const Invoices& invoices,
                      const std::vector<std::tuple<std::int64_t, Day, Money>>& rows) {
  PaymentsColumns c;
  std::vector<std::int64_t> row;
  std::vector<Day> date;
  std::vector<Money> amount;
  for (const auto& [r, d, a] : rows) {
    row.push_back(r);
    date.push_back(d);
    amount.push_back(a);
  }
  c.invoice_row = Column<std::int64_t>::Own(row);
  c.date = Column<Day>::Own(date);
  c.amount = Column<Money>::Own(amount);
  auto t = Payments::Build(std::move(c), invoices);
  EXPECT_TRUE(t.ok()) << t.status();
  return *std::move(t);
}

// as_of D = 2024-03-31, a leap year: D - 30 = 2024-03-01, D - 31 = 2024-02-29.
const Day D = DayFromCivil(2024, 3, 31);
const Day kMar = DayFromCivil(2024, 3, 1);

// Rows (invoice_date = due - 30 unless stated):
//  0 c0 due D      (dpd 0  -> current) 1000 unpaid                -> current 1000
//  1 c0 due D-1    (dpd 1  -> 1-30)    2000 paid 500 on D-10      -> 1-30 1500
//  2 c1 due D-30   (dpd 30 -> 1-30)     300 unpaid                -> 1-30 300
//  3 c1 due 02-29  (dpd 31 -> 31-60)    400 paid 400 on D+1 (after as_of, ignored) -> 400
//  4 c2 due D-90   (dpd 90 -> 61-90)    500 unpaid                -> 61-90 500
//  5 c2 due D-91   (dpd 91)             600 paid 700 on D-95      -> overpaid 100, 0 to aging
//  6 c3 invoiced D+1 (not yet known)    excluded
//  7 c3 due D-91   (dpd 91 -> over 90)  800 unpaid                -> over 90 800
//  8 c4 invoiced 03-10 due 04-09        100 paid on 03-07 (before the invoice) -> settled
//  9 c4 invoiced 03-05 due 03-20       1000 paid 1000 on 03-15 (on time, 10 days)
// 10 c4 invoiced 03-01 due 03-10        500 paid  500 on 03-25 (late, 24 days)
std::vector<Inv> HandRows() {
  auto row = [](Id c, Id s, Day due, Money amount, Money paid, Day pd) {
    return Inv{c, s, due - 30, due, amount, paid, pd};
  };
  return {
      row(0, 0, D, 1000, 0, kNoDate),
      row(0, 1, D - 1, 2000, 500, D - 10),
      row(1, 1, D - 30, 300, 0, kNoDate),
      row(1, 0, DayFromCivil(2024, 2, 29), 400, 400, D + 1),
      row(2, 0, D - 90, 500, 0, kNoDate),
      row(2, 1, D - 91, 600, 700, D - 95),
      Inv{3, 0, D + 1, D + 31, 900, 0, kNoDate},
      row(3, 1, D - 91, 800, 0, kNoDate),
      Inv{4, 0, DayFromCivil(2024, 3, 10), DayFromCivil(2024, 4, 9), 100, 100,
          DayFromCivil(2024, 3, 7)},
      Inv{4, 0, DayFromCivil(2024, 3, 5), DayFromCivil(2024, 3, 20), 1000, 1000,
          DayFromCivil(2024, 3, 15)},
      Inv{4, 1, DayFromCivil(2024, 3, 1), DayFromCivil(2024, 3, 10), 500, 500,
          DayFromCivil(2024, 3, 25)},
  };
}

// The same payments as a Payments table, row 1 and row 5 in two instalments,
// in scrambled order.
Payments HandPayments(const Invoices& inv) {
  return MakePayments(inv, {{5, D - 94, 100},
                            {1, D - 20, 200},
                            {10, DayFromCivil(2024, 3, 25), 500},
                            {3, D + 1, 400},
                            {8, DayFromCivil(2024, 3, 7), 100},
                            {5, D - 95, 600},
                            {9, DayFromCivil(2024, 3, 15), 1000},
                            {1, D - 10, 300}});
}

void ExpectHandAging(const AgingResult& r) {
  EXPECT_THAT(r.bucket_names, ElementsAre("current", "1_30", "31_60", "61_90", "over_90"));
  ASSERT_THAT(r.groups, ElementsAre(0, 1, 2, 3));
  // c0: current 1000 (row 0), 1-30 2000 - 500 = 1500 (row 1).
  EXPECT_THAT(std::vector<Money>(r.amounts.begin(), r.amounts.begin() + 5),
              ElementsAre(1000, 1500, 0, 0, 0));
  // c1: 1-30 300 (row 2), 31-60 400 (row 3, due on the leap day, dpd 31).
  EXPECT_THAT(std::vector<Money>(r.amounts.begin() + 5, r.amounts.begin() + 10),
              ElementsAre(0, 300, 400, 0, 0));
  // c2: 61-90 500 (row 4, dpd 90); row 5 overpaid adds nothing.
  EXPECT_THAT(std::vector<Money>(r.amounts.begin() + 10, r.amounts.begin() + 15),
              ElementsAre(0, 0, 0, 500, 0));
  // c3: over 90 800 (row 7, dpd 91); row 6 not yet known.
  EXPECT_THAT(std::vector<Money>(r.amounts.begin() + 15, r.amounts.begin() + 20),
              ElementsAre(0, 0, 0, 0, 800));
  EXPECT_THAT(r.totals, ElementsAre(2500, 700, 500, 800));
  EXPECT_THAT(r.bucket_totals, ElementsAre(1000, 1800, 400, 500, 800));
  EXPECT_EQ(r.total, 4500);
  EXPECT_EQ(r.invoices, 10);  // 11 rows - row 6
  EXPECT_EQ(r.open_invoices, 6);
  EXPECT_EQ(r.issues.invoices_after_as_of, 1);
  EXPECT_EQ(r.issues.payments_after_as_of, 1);
  EXPECT_EQ(r.issues.payments_after_as_of_amount, 400);
  EXPECT_EQ(r.issues.overpaid_invoices, 1);
  EXPECT_EQ(r.issues.overpaid_amount, 100);  // 700 - 600
  EXPECT_THAT(r.issues.overpaid_examples, ElementsAre(5));
  EXPECT_EQ(r.issues.early_payments, 1);
  EXPECT_EQ(r.issues.early_payment_amount, 100);
  EXPECT_THAT(r.issues.early_payment_examples, ElementsAre(8));
  // Overdue by outstanding x dpd: row 7 800x91=72800, row 4 500x90=45000,
  // row 3 400x31=12400, row 2 300x30=9000, row 1 1500x1=1500.
  std::vector<std::int64_t> rows;
  for (const auto& o : r.overdue) rows.push_back(o.row);
  EXPECT_THAT(rows, ElementsAre(7, 4, 3, 2, 1));
  ASSERT_FALSE(r.overdue.empty());
  EXPECT_EQ(r.overdue[0].invoice, 1007);
  EXPECT_EQ(r.overdue[0].days_past_due, 91);
  EXPECT_EQ(r.overdue[0].outstanding, 800);
}

AgingOptions HandAgingOptions(int threads = 1) {
  AgingOptions o;
  o.as_of = D;
  o.num_threads = threads;
  return o;
}

TEST(AgingTest, HandCaseSummaryColumns) {
  const Invoices inv = MakeInvoices(HandRows());
  for (int threads : {1, 2, 3}) {
    auto r = ComputeAging(test_data::InvoicesData(inv, nullptr), HandAgingOptions(threads));
    ASSERT_TRUE(r.ok()) << r.status();
    ExpectHandAging(*r);
  }
}

TEST(AgingTest, HandCasePaymentsTable) {
  const Invoices inv = MakeInvoices(HandRows(), /*with_summary=*/false);
  const Payments pay = HandPayments(inv);
  for (int threads : {1, 2, 3}) {
    auto r = ComputeAging(test_data::InvoicesData(inv, &pay), HandAgingOptions(threads));
    ASSERT_TRUE(r.ok()) << r.status();
    ExpectHandAging(*r);
  }
}

TEST(AgingTest, PaymentsTableWinsOverSummaryColumns) {
  // The summary says row 0 is unpaid; the Payments table pays it fully.
  const Invoices inv = MakeInvoices({{0, 0, D - 40, D - 10, 700, 0, kNoDate}});
  const Payments pay = MakePayments(inv, {{0, D - 5, 700}});
  auto with = ComputeAging(test_data::InvoicesData(inv, &pay), HandAgingOptions());
  auto without = ComputeAging(test_data::InvoicesData(inv, nullptr), HandAgingOptions());
  ASSERT_TRUE(with.ok() && without.ok());
  EXPECT_TRUE(with->groups.empty());
  EXPECT_THAT(without->totals, ElementsAre(700));
}

TEST(AgingTest, InvoiceDateBasis) {
  const Invoices inv = MakeInvoices(HandRows());
  AgingOptions o = HandAgingOptions();
  o.age_basis = AgeBasis::kInvoiceDate;
  auto r = ComputeAging(test_data::InvoicesData(inv, nullptr), o);
  ASSERT_TRUE(r.ok()) << r.status();
  // Ages = dpd + 30: row 0 30 (1-30), row 1 31 (31-60), row 2 60 (31-60),
  // row 3 61 (61-90), row 4 120 (over 90), row 7 121 (over 90).
  ASSERT_THAT(r->groups, ElementsAre(0, 1, 2, 3));
  EXPECT_THAT(r->bucket_totals, ElementsAre(0, 1000, 1800, 400, 1300));
  // The overdue list still uses days past the due date.
  EXPECT_EQ(r->overdue.front().days_past_due, 91);
}

TEST(AgingTest, CustomCutoffsAndNames) {
  const Invoices inv = MakeInvoices(HandRows());
  AgingOptions o = HandAgingOptions();
  o.cutoffs = {0, 7};
  o.group_by = "";
  auto r = ComputeAging(test_data::InvoicesData(inv, nullptr), o);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_THAT(r->bucket_names, ElementsAre("current", "1_7", "over_7"));
  ASSERT_THAT(r->groups, ElementsAre(0));
  // current: row 0 1000; 1-7: row 1 1500; over 7: 300 + 400 + 500 + 800.
  EXPECT_THAT(r->amounts, ElementsAre(1000, 1500, 2000));
  o.cutoffs = {-5, 10};
  r = ComputeAging(test_data::InvoicesData(inv, nullptr), o);
  ASSERT_TRUE(r.ok());
  EXPECT_THAT(r->bucket_names, ElementsAre("le_m5", "m4_10", "over_10"));
  // dpd 0 and 1 fall in (-5, 10].
  EXPECT_THAT(r->amounts, ElementsAre(0, 2500, 2000));
}

TEST(AgingTest, BoundariesOneInvoiceEach) {
  // One invoice of 1 per age; check the bucket each lands in.
  const std::vector<std::pair<std::int32_t, int>> cases = {
      {-3, 0}, {0, 0}, {1, 1}, {30, 1}, {31, 2}, {60, 2}, {61, 3}, {90, 3}, {91, 4}, {400, 4}};
  for (const auto& [dpd, bucket] : cases) {
    const Invoices inv = MakeInvoices({{0, 0, D - dpd - 10, D - dpd, 1, 0, kNoDate}});
    auto r = ComputeAging(test_data::InvoicesData(inv, nullptr), HandAgingOptions());
    ASSERT_TRUE(r.ok());
    ASSERT_EQ(r->groups.size(), 1u);
    for (int b = 0; b < 5; ++b) {
      EXPECT_EQ(r->amount(0, static_cast<std::size_t>(b)), b == bucket ? 1 : 0)
          << "dpd " << dpd << " bucket " << b;
    }
  }
}

TEST(AgingTest, TopNAndNoOverdue) {
  const Invoices inv = MakeInvoices(HandRows());
  AgingOptions o = HandAgingOptions(2);
  o.overdue_top_n = 2;
  auto r = ComputeAging(test_data::InvoicesData(inv, nullptr), o);
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->overdue.size(), 2u);
  EXPECT_EQ(r->overdue[0].row, 7);
  EXPECT_EQ(r->overdue[1].row, 4);
  o.overdue_top_n = 0;
  r = ComputeAging(test_data::InvoicesData(inv, nullptr), o);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->overdue.empty());
  o.overdue_top_n = kAllOverdue;
  r = ComputeAging(test_data::InvoicesData(inv, nullptr), o);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->overdue.size(), 5u);
}

TEST(AgingTest, OverdueTiesByRow) {
  // Rows 0 and 2: 100 x 10 = 1000; row 1: 50 x 20 = 1000. All tie -> row order.
  const Invoices inv = MakeInvoices({{0, 0, D - 40, D - 10, 100, 0, kNoDate},
                                     {1, 0, D - 40, D - 20, 50, 0, kNoDate},
                                     {2, 0, D - 40, D - 10, 100, 0, kNoDate}});
  auto r = ComputeAging(test_data::InvoicesData(inv, nullptr), HandAgingOptions(3));
  ASSERT_TRUE(r.ok());
  std::vector<std::int64_t> rows;
  for (const auto& x : r->overdue) rows.push_back(x.row);
  EXPECT_THAT(rows, ElementsAre(0, 1, 2));
}

TEST(AgingTest, EmptyInput) {
  const Invoices inv = MakeInvoices({});
  for (int threads : {1, 2}) {
    auto r = ComputeAging(test_data::InvoicesData(inv, nullptr), HandAgingOptions(threads));
    ASSERT_TRUE(r.ok()) << r.status();
    EXPECT_TRUE(r->groups.empty());
    EXPECT_EQ(r->total, 0);
    CollectionOptions c;
    c.as_of = D;
    auto col = ComputeCollection(test_data::InvoicesData(inv, nullptr), c);
    ASSERT_TRUE(col.ok()) << col.status();
    EXPECT_TRUE(col->rows.empty());
    EXPECT_FALSE(col->total.collection_rate.has_value());
  }
}

TEST(AgingTest, OptionErrors) {
  const Invoices inv = MakeInvoices(HandRows());
  AgingOptions o;
  EXPECT_EQ(ComputeAging(test_data::InvoicesData(inv, nullptr), o).status().code(), absl::StatusCode::kInvalidArgument);
  o.as_of = D;
  o.cutoffs = {0, 30, 30};
  EXPECT_EQ(ComputeAging(test_data::InvoicesData(inv, nullptr), o).status().code(), absl::StatusCode::kInvalidArgument);
  o.cutoffs = {};
  EXPECT_EQ(ComputeAging(test_data::InvoicesData(inv, nullptr), o).status().code(), absl::StatusCode::kInvalidArgument);
  o.cutoffs = {0, 2'000'000};
  EXPECT_EQ(ComputeAging(test_data::InvoicesData(inv, nullptr), o).status().code(), absl::StatusCode::kInvalidArgument);
  o.cutoffs = {0};
  EXPECT_TRUE(ComputeAging(test_data::InvoicesData(inv, nullptr), o).ok());
  o.cutoffs = {-30, 0, 100000};  // a wide span: binary search instead of the table
  EXPECT_TRUE(ComputeAging(test_data::InvoicesData(inv, nullptr), o).ok());
  EXPECT_FALSE(PartialAging(test_data::InvoicesData(inv, nullptr), 3, 2, o).ok());
  EXPECT_FALSE(PartialAging(test_data::InvoicesData(inv, nullptr), 0, 99, o).ok());
  // Grouping by a column the invoices do not have.
  InvoicesColumns c = inv.columns();
  c.salesperson = Column<Id>();
  auto bare = Invoices::Build(c);
  ASSERT_TRUE(bare.ok());
  // A name that is no dimension of the invoices: an error naming the valid ones.
  o.group_by = "salesperson";
  const absl::Status st = ComputeAging(test_data::InvoicesData(*bare, nullptr), o).status();
  EXPECT_EQ(st.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(st.message()), ::testing::HasSubstr("aging option 'group_by'"));
  EXPECT_THAT(std::string(st.message()), ::testing::HasSubstr("customer"));
}

TEST(AgingTest, OverflowIsAnError) {
  const Money big = kMaxMoney;
  std::vector<Inv> rows(1100, Inv{0, 0, D - 5, D, big, 0, kNoDate});
  const Invoices inv = MakeInvoices(rows);
  auto r = ComputeAging(test_data::InvoicesData(inv, nullptr), HandAgingOptions(2));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), absl::StatusCode::kOutOfRange);
  EXPECT_THAT(std::string(r.status().message()), ::testing::HasSubstr("customer '0'"));
}

TEST(AgingTest, ResultTables) {
  const Invoices inv = MakeInvoices(HandRows());
  auto r = ComputeAging(test_data::InvoicesData(inv, nullptr), HandAgingOptions());
  ASSERT_TRUE(r.ok());
  const ResultTable t = ToResultTable(*r);
  ASSERT_TRUE(t.Validate().ok());
  ASSERT_EQ(t.num_columns(), 7u);
  EXPECT_EQ(t.columns()[0].name, "customer");
  EXPECT_THAT(t.columns()[0].Texts(), ElementsAre("0", "1", "2", "3"));
  EXPECT_EQ(t.columns()[1].name, "b_current");
  EXPECT_EQ(t.columns()[1].type, ResultType::kMoney);
  EXPECT_EQ(t.columns()[5].name, "b_over_90");
  EXPECT_EQ(t.columns()[6].name, "total");
  EXPECT_THAT(t.columns()[6].ints, ElementsAre(2500, 700, 500, 800));
  const ResultTable o = OverdueToResultTable(*r);
  ASSERT_TRUE(o.Validate().ok());
  EXPECT_EQ(o.num_rows(), 5u);
  const ResultTable i = IssuesToResultTable(r->issues, r->money_scale);
  ASSERT_TRUE(i.Validate().ok());
  EXPECT_EQ(i.num_rows(), 4u);
  EXPECT_EQ(i.Find("example_rows")->Texts()[2], "5");
}

TEST(AgingTest, DictionaryCodes) {
  InvoicesColumns c = MakeInvoices(HandRows()).columns();
  auto dict = Dictionary::FromCodes({"C-A", "C-B", "C-C", "C-D", "C-E"});
  ASSERT_TRUE(dict.ok());
  c.customers = std::make_shared<const Dictionary>(*dict);
  auto inv = Invoices::Build(c);
  ASSERT_TRUE(inv.ok());
  auto r = ComputeAging(test_data::InvoicesData(*inv, nullptr), HandAgingOptions());
  ASSERT_TRUE(r.ok());
  EXPECT_THAT(ToResultTable(*r).columns()[0].Texts(), ElementsAre("C-A", "C-B", "C-C", "C-D"));
}

// ---------------------------------------------------------------- collection

CollectionOptions MarchOptions(int threads = 1) {
  CollectionOptions o;
  o.from = kMar;
  o.to = D;
  o.as_of = D;
  o.group_by = "";
  o.num_threads = threads;
  return o;
}

void ExpectMarch(const CollectionRow& r) {
  // Due in March: rows 0 (1000), 1 (2000, 500 paid), 2 (300), 9 (1000 paid),
  // 10 (500 paid): billed 4800, collected 500 + 1000 + 500 = 2000.
  EXPECT_EQ(r.sums.invoices_due, 5);
  EXPECT_EQ(r.sums.billed, 4800);
  EXPECT_EQ(r.sums.collected, 2000);
  EXPECT_DOUBLE_EQ(*r.collection_rate, 2000.0 / 4800.0);
  // Invoiced in March: rows 0 (1000, Mar 1), 8 (100), 9 (1000), 10 (500).
  EXPECT_EQ(r.sums.invoiced, 4);
  EXPECT_EQ(r.sums.credit_sales, 2600);
  // AR(Mar 31): 1000 + 1500 + 300 + 400 + 500 + 0 (row 5) + 800 = 4500;
  // current (due >= Mar 31): row 0, 1000.
  EXPECT_EQ(r.sums.ar_ending, 4500);
  EXPECT_EQ(r.sums.ar_ending_current, 1000);
  // AR(Feb 29): rows 1 (2000, paid later), 2 300, 3 400, 4 500, 7 800 = 4000.
  EXPECT_EQ(r.sums.ar_beginning, 4000);
  // DSO = 4500 / 2600 x 31 days.
  EXPECT_DOUBLE_EQ(*r.dso, 4500.0 / 2600.0 * 31.0);
  // CEI = (4000 + 2600 - 4500) / (4000 + 2600 - 1000) x 100 = 2100 / 5600 x 100 = 37.5.
  EXPECT_DOUBLE_EQ(*r.cei, 37.5);
  // On time: only row 9 (paid Mar 15, due Mar 20) of 5 payable.
  EXPECT_EQ(r.sums.on_time_invoices, 1);
  EXPECT_DOUBLE_EQ(*r.on_time_rate, 0.2);
  // Fully paid: row 9 (10 days), row 10 (24 days).
  EXPECT_EQ(r.sums.paid_invoices, 2);
}

TEST(CollectionTest, HandCase) {
  const Invoices inv = MakeInvoices(HandRows());
  for (int threads : {1, 2, 3}) {
    auto r = ComputeCollection(test_data::InvoicesData(inv, nullptr), MarchOptions(threads));
    ASSERT_TRUE(r.ok()) << r.status();
    ASSERT_EQ(r->rows.size(), 1u);
    ExpectMarch(r->rows[0]);
    ExpectMarch(r->total);
    EXPECT_DOUBLE_EQ(*r->rows[0].avg_days_to_pay, 17.0);  // (10 + 24) / 2
  }
}

TEST(CollectionTest, HandCasePaymentsTableAndWeightedDays) {
  const Invoices inv = MakeInvoices(HandRows(), false);
  const Payments pay = HandPayments(inv);
  CollectionOptions o = MarchOptions(2);
  o.days_to_pay = DaysToPayMean::kAmountWeighted;
  auto r = ComputeCollection(test_data::InvoicesData(inv, &pay), o);
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_EQ(r->rows.size(), 1u);
  ExpectMarch(r->rows[0]);
  // (1000 x 10 + 500 x 24) / 1500 = 22000 / 1500.
  EXPECT_DOUBLE_EQ(*r->rows[0].avg_days_to_pay, 22000.0 / 1500.0);
}

TEST(CollectionTest, LastInstalmentDatesThePayment) {
  // 600 + 400 on days +5 and +12 after the invoice: days to pay 12; due +10 -> late.
  const Day inv_day = DayFromCivil(2024, 1, 10);
  const Invoices inv = MakeInvoices({{0, 0, inv_day, inv_day + 10, 1000, 0, kNoDate}}, false);
  const Payments pay = MakePayments(inv, {{0, inv_day + 12, 400}, {0, inv_day + 5, 600}});
  CollectionOptions o;
  o.as_of = D;
  o.group_by = "customer";
  auto r = ComputeCollection(test_data::InvoicesData(inv, &pay), o);
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->rows.size(), 1u);
  EXPECT_DOUBLE_EQ(*r->rows[0].avg_days_to_pay, 12.0);
  EXPECT_DOUBLE_EQ(*r->rows[0].on_time_rate, 0.0);
  EXPECT_FALSE(r->rows[0].dso.has_value());  // from unbounded
}

TEST(CollectionTest, NullsOnZeroDenominators) {
  // Nothing due in the period, nothing invoiced, one open invoice from before.
  const Invoices inv = MakeInvoices({{0, 0, kMar - 60, kMar - 50, 700, 0, kNoDate}});
  auto r = ComputeCollection(test_data::InvoicesData(inv, nullptr), MarchOptions());
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->rows.size(), 1u);
  const CollectionRow& row = r->rows[0];
  EXPECT_FALSE(row.collection_rate.has_value());
  EXPECT_FALSE(row.dso.has_value());
  EXPECT_FALSE(row.on_time_rate.has_value());
  EXPECT_FALSE(row.avg_days_to_pay.has_value());
  // CEI = (700 + 0 - 700) / (700 + 0 - 0) x 100 = 0.
  ASSERT_TRUE(row.cei.has_value());
  EXPECT_DOUBLE_EQ(*row.cei, 0.0);
  const ResultTable t = ToResultTable(*r);
  ASSERT_TRUE(t.Validate().ok());
  EXPECT_TRUE(t.Find("dso")->is_null(0));
  EXPECT_FALSE(t.Find("cei")->is_null(0));
}

TEST(CollectionTest, OptionErrors) {
  const Invoices inv = MakeInvoices(HandRows());
  CollectionOptions o;
  EXPECT_FALSE(ComputeCollection(test_data::InvoicesData(inv, nullptr), o).ok());  // no as_of
  o.as_of = D;
  o.to = D + 1;
  EXPECT_FALSE(ComputeCollection(test_data::InvoicesData(inv, nullptr), o).ok());  // the future
  o.to = D;
  o.from = D + 1;
  EXPECT_FALSE(ComputeCollection(test_data::InvoicesData(inv, nullptr), o).ok());  // empty period
  o.from = D;
  EXPECT_TRUE(ComputeCollection(test_data::InvoicesData(inv, nullptr), o).ok());
}

TEST(ReceivablesTest, FusedEqualsSeparate) {
  const Invoices inv = MakeInvoices(HandRows());
  AgingOptions a = HandAgingOptions(2);
  CollectionOptions c = MarchOptions(2);
  c.group_by = "salesperson";
  auto both = ComputeReceivables(test_data::InvoicesData(inv, nullptr), a, c);
  ASSERT_TRUE(both.ok()) << both.status();
  ExpectHandAging(both->aging);
  auto col = ComputeCollection(test_data::InvoicesData(inv, nullptr), c);
  ASSERT_TRUE(col.ok());
  ASSERT_EQ(both->collection.rows.size(), col->rows.size());
  for (std::size_t i = 0; i < col->rows.size(); ++i) {
    EXPECT_EQ(both->collection.rows[i].sums.billed, col->rows[i].sums.billed);
    EXPECT_EQ(both->collection.rows[i].sums.ar_ending, col->rows[i].sums.ar_ending);
  }
  ExpectMarch(both->collection.total);
}

}  // namespace
}  // namespace salesight
