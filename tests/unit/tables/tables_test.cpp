// One test per table-builder rule.
#include "salesight/tables.hpp"

#include <memory>
#include <string>

#include "gtest/gtest.h"

namespace salesight {
namespace {

OrderLinesColumns ThreeLines() {
  OrderLinesColumns c;
  c.order_id = Column<std::int64_t>::Own({1, 1, 2});
  c.order_date = Column<Day>::Own({19000, 19000, 19010});
  c.customer = Column<Id>::Own({0, 0, 1});
  c.amount = Column<Money>::Own({1000, -250, 5000});
  return c;
}

void ExpectError(const absl::Status& st, const std::string& fragment) {
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find(fragment), std::string::npos) << st;
}

TEST(OrderLinesBuild, AcceptsValidAndCountsReturns) {
  absl::StatusOr<OrderLines> t = OrderLines::Build(ThreeLines());
  ASSERT_TRUE(t.ok()) << t.status();
  EXPECT_EQ(t->size(), 3u);
  EXPECT_EQ(t->num_customers(), 2);
  EXPECT_EQ(t->num_returns(), 1);
  EXPECT_EQ(t->min_date(), 19000);
  EXPECT_EQ(t->max_date(), 19010);
}

TEST(OrderLinesBuild, BorrowedColumnsAreNotCopied) {
  std::vector<Money> amounts = {1, 2, 3};
  OrderLinesColumns c = ThreeLines();
  c.amount = Column<Money>::Borrow(amounts);
  absl::StatusOr<OrderLines> t = OrderLines::Build(std::move(c));
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->columns().amount.data(), amounts.data());
  EXPECT_TRUE(t->columns().amount.is_borrowed());
}

TEST(OrderLinesBuild, RejectsLengthMismatch) {
  OrderLinesColumns c = ThreeLines();
  c.amount = Column<Money>::Own({1, 2});
  ExpectError(OrderLines::Build(std::move(c)).status(), "column 'amount' has 2 values");
}

TEST(OrderLinesBuild, RejectsMissingRequiredColumn) {
  OrderLinesColumns c = ThreeLines();
  c.customer = Column<Id>();
  ExpectError(OrderLines::Build(std::move(c)).status(), "required column 'customer'");
}

TEST(OrderLinesBuild, RejectsNegativeId) {
  OrderLinesColumns c = ThreeLines();
  c.customer = Column<Id>::Own({0, -3, 1});
  ExpectError(OrderLines::Build(std::move(c)).status(), "orders row 1, column 'customer': id -3");
}

TEST(OrderLinesBuild, RejectsIdBeyondDictionary) {
  OrderLinesColumns c = ThreeLines();
  auto dict = std::make_shared<Dictionary>();
  (void)dict->Intern("C-1");
  c.customers = dict;
  ExpectError(OrderLines::Build(std::move(c)).status(), "orders row 2, column 'customer': id 1");
}

// A bogus id without a dictionary would make every calculator allocate
// max id + 1 slots; the build refuses ids beyond the dense limit instead.
TEST(OrderLinesBuild, RejectsSparseIdWithoutDictionary) {
  OrderLinesColumns c = ThreeLines();
  c.customer = Column<Id>::Own({0, 2000000000, 1});
  ExpectError(OrderLines::Build(std::move(c)).status(),
              "orders row 1, column 'customer': id 2000000000 is too sparse");
}

TEST(OrderLinesBuild, AcceptsIdsUpToTheDenseLimit) {
  OrderLinesColumns c = ThreeLines();
  const Id largest = static_cast<Id>(kMinDenseIdSpace - 1);  // 3 rows: the floor applies
  c.customer = Column<Id>::Own({0, largest, 1});
  absl::StatusOr<OrderLines> t = OrderLines::Build(std::move(c));
  ASSERT_TRUE(t.ok()) << t.status();
  EXPECT_EQ(t->num_customers(), largest + 1);
  c = ThreeLines();
  c.customer = Column<Id>::Own({0, largest + 1, 1});
  EXPECT_FALSE(OrderLines::Build(std::move(c)).ok());
}

TEST(OrderLinesBuild, RejectsDateOutOfRange) {
  OrderLinesColumns c = ThreeLines();
  c.order_date = Column<Day>::Own({19000, 90000, 19000});
  ExpectError(OrderLines::Build(std::move(c)).status(), "orders row 1, column 'order_date': day 90000");
}

TEST(OrderLinesBuild, RejectsMissingRequiredDate) {
  OrderLinesColumns c = ThreeLines();
  c.order_date = Column<Day>::Own({19000, kNoDate, 19000});
  ExpectError(OrderLines::Build(std::move(c)).status(), "the date is missing");
}

TEST(OrderLinesBuild, RejectsMoneyOutOfRange) {
  OrderLinesColumns c = ThreeLines();
  c.amount = Column<Money>::Own({1, kMaxMoney + 1, 3});
  ExpectError(OrderLines::Build(std::move(c)).status(), "orders row 1, column 'amount'");
}

TEST(OrderLinesBuild, RejectsUnitCostWithoutQuantity) {
  OrderLinesColumns c = ThreeLines();
  c.unit_cost = Column<Money>::Own({1, 2, 3});
  ExpectError(OrderLines::Build(std::move(c)).status(), "needs column 'quantity'");
}

TEST(OrderLinesBuild, RejectsLineCostOverflow) {
  OrderLinesColumns c = ThreeLines();
  c.quantity = Column<std::int32_t>::Own({1, 2, 1000000});
  c.unit_cost = Column<Money>::Own({1, 2, kMaxMoney / 10});
  ExpectError(OrderLines::Build(std::move(c)).status(), "orders row 2: quantity 1000000");
}

TEST(OrderLinesBuild, RejectsBadScale) {
  OrderLinesColumns c = ThreeLines();
  c.money_scale = 7;
  ExpectError(OrderLines::Build(std::move(c)).status(), "money scale 7");
}

TEST(OrderLinesBuild, EmptyTableIsValid) {
  absl::StatusOr<OrderLines> t = OrderLines::Build(OrderLinesColumns{});
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->size(), 0u);
  EXPECT_EQ(t->min_date(), kNoDate);
}

TEST(CustomersBuild, RejectsNegativeCreditLimit) {
  CustomersColumns c;
  c.customer = Column<Id>::Own({0, 1});
  c.credit_limit = Column<Money>::Own({100, -1});
  ExpectError(Customers::Build(std::move(c)).status(), "customers row 1, column 'credit_limit'");
}

TEST(CustomersBuild, RejectsNameLengthMismatch) {
  CustomersColumns c;
  c.customer = Column<Id>::Own({0, 1});
  c.name = {"only one"};
  ExpectError(Customers::Build(std::move(c)).status(), "column 'name' has 1 values");
}

TEST(ProductsBuild, SortsTiersAndRejectsDuplicates) {
  ProductsColumns c;
  c.product = Column<Id>::Own({0, 1});
  c.cost_tiers = {{1, 100, 50}, {1, 0, 80}, {0, 0, 10}};
  absl::StatusOr<Products> p = Products::Build(c);
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_EQ(p->columns().cost_tiers[1].min_quantity, 0);
  EXPECT_EQ(p->columns().cost_tiers[2].min_quantity, 100);
  c.cost_tiers.push_back({1, 100, 40});
  ExpectError(Products::Build(std::move(c)).status(), "two cost tiers");
}

TEST(ProductsBuild, StandardCostMayBeNoneButNotNegative) {
  ProductsColumns c;
  c.product = Column<Id>::Own({0, 1});
  c.standard_cost = Column<Money>::Own({500, kNoStandardCost});
  EXPECT_TRUE(Products::Build(c).ok());
  c.standard_cost = Column<Money>::Own({500, -2});
  ExpectError(Products::Build(std::move(c)).status(),
              "products row 1, column 'standard_cost': -2 is negative");
}

TEST(PipelineBuild, RequiresOneDateColumnPerStage) {
  PipelineColumns c;
  c.opportunity = Column<std::int64_t>::Own({7});
  c.created = Column<Day>::Own({19000});
  c.stage_dates = {Column<Day>::Own({19000})};
  ExpectError(Pipeline::Build(std::move(c)).status(), "6 stage names but 1 stage date columns");
}

TEST(PipelineBuild, AllowsUnreachedStages) {
  PipelineColumns c;
  c.opportunity = Column<std::int64_t>::Own({7, 8});
  c.created = Column<Day>::Own({19000, 19001});
  for (int s = 0; s < 6; ++s) c.stage_dates.push_back(Column<Day>::Own({19000, kNoDate}));
  absl::StatusOr<Pipeline> p = Pipeline::Build(std::move(c));
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_EQ(p->min_created(), 19000);  // recorded at build: no later scan for the as-of
  EXPECT_EQ(p->max_created(), 19001);
}

TEST(PipelineBuild, RejectsDuplicateStageNames) {
  PipelineColumns c;
  c.opportunity = Column<std::int64_t>::Own({7});
  c.created = Column<Day>::Own({19000});
  c.stage_names = {"lead", "lead"};
  c.stage_dates = {Column<Day>::Own({19000}), Column<Day>::Own({19000})};
  ExpectError(Pipeline::Build(std::move(c)).status(), "stage 'lead' is listed twice");
}

InvoicesColumns TwoInvoices() {
  InvoicesColumns c;
  c.invoice = Column<std::int64_t>::Own({10, 11});
  c.customer = Column<Id>::Own({0, 1});
  c.invoice_date = Column<Day>::Own({19000, 19000});
  c.due_date = Column<Day>::Own({19030, 19060});
  c.amount = Column<Money>::Own({100, 200});
  return c;
}

TEST(InvoicesBuild, RecordsTheInvoiceDateRange) {
  InvoicesColumns c = TwoInvoices();
  c.invoice_date = Column<Day>::Own({19005, 18990});
  absl::StatusOr<Invoices> t = Invoices::Build(std::move(c));
  ASSERT_TRUE(t.ok()) << t.status();
  EXPECT_EQ(t->min_invoice_date(), 18990);
  EXPECT_EQ(t->max_invoice_date(), 19005);
  absl::StatusOr<Invoices> empty = Invoices::Build(InvoicesColumns{});
  ASSERT_TRUE(empty.ok()) << empty.status();
  EXPECT_EQ(empty->max_invoice_date(), kNoDate);
}

TEST(InvoicesBuild, RejectsDueBeforeInvoice) {
  InvoicesColumns c = TwoInvoices();
  c.due_date = Column<Day>::Own({19030, 18999});
  ExpectError(Invoices::Build(std::move(c)).status(), "invoices row 1, column 'due_date'");
}

TEST(InvoicesBuild, PaidAndPaidDateComeTogether) {
  InvoicesColumns c = TwoInvoices();
  c.paid = Column<Money>::Own({100, 0});
  ExpectError(Invoices::Build(std::move(c)).status(), "come together");
}

TEST(PaymentsBuild, RejectsRowOutsideInvoices) {
  absl::StatusOr<Invoices> inv = Invoices::Build(TwoInvoices());
  ASSERT_TRUE(inv.ok());
  PaymentsColumns p;
  p.invoice_row = Column<std::int64_t>::Own({0, 2});
  p.date = Column<Day>::Own({19001, 19002});
  p.amount = Column<Money>::Own({50, 50});
  ExpectError(Payments::Build(std::move(p), *inv).status(), "payments row 1, column 'invoice_row': 2");
}

TEST(PaymentsBuild, RejectsNegativePayment) {
  absl::StatusOr<Invoices> inv = Invoices::Build(TwoInvoices());
  PaymentsColumns p;
  p.invoice_row = Column<std::int64_t>::Own({0});
  p.date = Column<Day>::Own({19001});
  p.amount = Column<Money>::Own({-5});
  ExpectError(Payments::Build(std::move(p), *inv).status(), "payments row 0, column 'amount'");
}

TEST(TargetsBuild, RejectsBadMonth) {
  TargetsColumns c;
  c.key = Column<Id>::Own({0});
  c.month = Column<std::int32_t>::Own({202413});
  c.amount = Column<Money>::Own({100});
  ExpectError(Targets::Build(std::move(c)).status(), "202413");
}

TEST(TargetsBuild, CompanyLevelNeedsNoKey) {
  TargetsColumns c;
  c.level = TargetLevel::kCompany;
  c.month = Column<std::int32_t>::Own({202401});
  c.amount = Column<Money>::Own({100});
  EXPECT_TRUE(Targets::Build(std::move(c)).ok());
}

}  // namespace
}  // namespace salesight
