// The other table loaders: pipeline, invoices, payments, customers, products,
// targets. Hand-computed files, one rule per test.
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "ingest_test_util.hpp"
#include "salesight/csv.hpp"

namespace salesight {
namespace {

// Scratch CSV files (tests/unit/ingest/ingest_test_util.hpp).
std::string WriteTemp(const std::string& content, const std::string& suffix = "") {
  return testing_util::WriteScratch(content, suffix);
}

IngestOptions Options(const std::string& mapping = "") {
  IngestOptions o;
  absl::StatusOr<FieldMapping> m = ParseFieldMapping(mapping);
  EXPECT_TRUE(m.ok()) << m.status();
  o.mapping = *m;
  return o;
}

template <typename T>
std::vector<T> Vec(const Column<T>& c) {
  return std::vector<T>(c.begin(), c.end());
}

std::vector<std::int64_t> Lines(const RejectReport& r) {
  std::vector<std::int64_t> out;
  for (const Reject& x : r.rejects) out.push_back(x.line);
  return out;
}

void ExpectError(const absl::Status& st, const std::string& fragment) {
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find(fragment), std::string::npos) << st;
}

// 2024-01-01 is day 19723 (54 x 365 + 13 leap days).
constexpr Day kJan1 = 19723;

// ---------------------------------------------------------------- pipeline
TEST(PipelineCsv, DefaultStagesFromStageDateColumns) {
  Dictionaries dicts;
  absl::StatusOr<PipelineCsv> r = ReadPipelineCsv(
      WriteTemp("id,created,customer,lead_date,opportunity_date,quote_date,contract_date,"
                "won_date,paid_date,lost,lost_reason\n"
                "O1,2024-01-01,C1,2024-01-01,2024-01-05,,,,,2024-02-01,price\n"
                "O2,2024-01-02,C2,2024-01-02,2024-01-03,2024-01-10,2024-01-20,2024-01-25,"
                "2024-02-05,,\n"
                "O3,,C3,2024-01-02,,,,,,,\n"),
      Options(), {}, dicts);
  ASSERT_TRUE(r.ok()) << r.status();
  const PipelineColumns& c = r->table.columns();
  EXPECT_EQ(r->report.accepted, 2);
  EXPECT_EQ(Lines(r->report), (std::vector<std::int64_t>{4}));  // created is required
  EXPECT_TRUE(r->opportunity_ids_are_codes);
  EXPECT_EQ(Vec(c.opportunity), (std::vector<std::int64_t>{0, 1}));
  EXPECT_EQ(c.stage_names, DefaultStages());
  ASSERT_EQ(c.stage_dates.size(), 6u);
  EXPECT_EQ(Vec(c.stage_dates[1]), (std::vector<Day>{kJan1 + 4, kJan1 + 2}));
  EXPECT_EQ(Vec(c.stage_dates[2]), (std::vector<Day>{kNoDate, kJan1 + 9}));
  // 2024-02-05 = 19723 + 31 + 4.
  EXPECT_EQ(Vec(c.stage_dates[5]), (std::vector<Day>{kNoDate, kJan1 + 35}));
  EXPECT_EQ(Vec(c.lost_date), (std::vector<Day>{kJan1 + 31, kNoDate}));
  EXPECT_EQ(dicts.lost_reasons->Code(c.lost_reason[0]), "price");
  EXPECT_EQ(dicts.lost_reasons->Code(c.lost_reason[1]), "");
}

TEST(PipelineCsv, CustomStagesAndCreatedDefaultsToTheFirstStage) {
  Dictionaries dicts;
  absl::StatusOr<PipelineCsv> r = ReadPipelineCsv(
      WriteTemp("Deal,Lead Date,Won Date,Value\n7,01/03/2024,01/09/2024,1000.5\n"
                "8,,01/09/2024,3\n"),
      Options("id=Deal,amount=Value"), {{"lead", "Lead Date"}, {"won", "Won Date"}}, dicts);
  ASSERT_TRUE(r.ok()) << r.status();
  const PipelineColumns& c = r->table.columns();
  EXPECT_EQ(Vec(c.opportunity), (std::vector<std::int64_t>{7}));
  EXPECT_EQ(Vec(c.created), (std::vector<Day>{kJan1 + 2}));
  EXPECT_EQ(Vec(c.amount), (std::vector<Money>{10005}));  // scale 1
  EXPECT_EQ(r->table.columns().money_scale, 1);
  EXPECT_EQ(Lines(r->report), (std::vector<std::int64_t>{3}));  // no lead date = no created
}

TEST(PipelineCsv, CategoryColumnIsAPipelineAttribute) {
  Dictionaries dicts;
  absl::StatusOr<PipelineCsv> r = ReadPipelineCsv(
      WriteTemp("id,cat,lead\nO1,Tools,2024-01-01\nO2,Toys,2024-01-02\nO3,Tools,2024-01-03\n"),
      Options("id=id,category=cat"), {{"lead", "lead"}}, dicts);
  ASSERT_TRUE(r.ok()) << r.status();
  const Attributes& attributes = r->table.columns().attributes;
  ASSERT_EQ(attributes.size(), 1u);
  EXPECT_EQ(attributes[0].name, "category");
  EXPECT_EQ(Vec(attributes[0].codes), (std::vector<Id>{0, 1, 0}));
  EXPECT_EQ(attributes[0].dictionary, dicts.categories);
  EXPECT_EQ(dicts.categories->Code(1), "Toys");
}

TEST(PipelineCsv, StageColumnMissingFromHeaderIsAnError) {
  Dictionaries dicts;
  ExpectError(ReadPipelineCsv(WriteTemp("id,lead\n"), Options(), {{"lead", "Lead"}}, dicts)
                  .status(),
              "stage 'lead' is mapped to column 'Lead'");
}

// ---------------------------------------------------------------- invoices
constexpr char kInvoices[] =
    "invoice,order,customer,date,due,amount,paid,paid_date\n"
    "1,100,C1,2024-01-01,2024-01-31,100.00,100.00,2024-01-20\n"
    "2,101,C2,2024-01-05,2024-03-05,50,,\n"
    "3,102,C1,2024-02-01,2024-01-01,10,0,\n"
    "4,103,C2,2024-02-01,2024-03-01,10,-5,2024-02-02\n";

TEST(InvoicesCsv, ReadsAndRejectsRuleBreakers) {
  Dictionaries dicts;
  absl::StatusOr<InvoicesCsv> r = ReadInvoicesCsv(WriteTemp(kInvoices), Options(), dicts);
  ASSERT_TRUE(r.ok()) << r.status();
  const InvoicesColumns& c = r->table.columns();
  EXPECT_EQ(Vec(c.invoice), (std::vector<std::int64_t>{1, 2}));
  EXPECT_EQ(Vec(c.order), (std::vector<std::int64_t>{100, 101}));
  EXPECT_EQ(r->table.money_scale(), 0);  // "100.00" and "50" are whole
  EXPECT_EQ(Vec(c.amount), (std::vector<Money>{100, 50}));
  EXPECT_EQ(Vec(c.paid), (std::vector<Money>{100, 0}));  // empty paid = 0 (unpaid)
  EXPECT_EQ(Vec(c.paid_date), (std::vector<Day>{kJan1 + 19, kNoDate}));
  // Line 4: due before the invoice date; line 5: negative paid amount.
  EXPECT_EQ(Lines(r->report), (std::vector<std::int64_t>{4, 5}));
  EXPECT_EQ(r->report.rejects[0].column, "due");
  EXPECT_EQ(r->report.rejects[1].column, "paid");
}

TEST(InvoicesCsv, PaidAndPaidDateComeTogether) {
  Dictionaries dicts;
  ExpectError(ReadInvoicesCsv(WriteTemp("invoice,customer,date,due,amount,paid\n"), Options(),
                              dicts)
                  .status(),
              "'paid' and 'paid_date'");
}

TEST(InvoicesCsv, OrderCodesAgreeWithTheOrdersFile) {
  Dictionaries dicts;
  absl::StatusOr<OrdersCsv> orders = ReadOrdersCsv(
      WriteTemp("order,date,customer,amount\nSO-9,2024-01-01,C1,5\nSO-7,2024-01-01,C2,5\n",
                "_orders"),
      Options(), dicts);
  ASSERT_TRUE(orders.ok()) << orders.status();
  absl::StatusOr<InvoicesCsv> inv = ReadInvoicesCsv(
      WriteTemp("invoice,order,customer,date,due,amount\n1,SO-7,C2,2024-01-01,2024-01-02,5\n"),
      Options(), dicts);
  ASSERT_TRUE(inv.ok()) << inv.status();
  EXPECT_TRUE(inv->order_ids_are_codes);
  EXPECT_EQ(inv->table.columns().order[0], orders->table.columns().order_id[1]);
  EXPECT_EQ(inv->table.columns().customer[0], orders->table.columns().customer[1]);
}

// ---------------------------------------------------------------- payments
TEST(PaymentsCsv, NumericInvoiceNumbers) {
  Dictionaries dicts;
  IngestOptions o = Options();
  o.money_scale = 2;
  absl::StatusOr<InvoicesCsv> inv = ReadInvoicesCsv(WriteTemp(kInvoices, "_inv"), o, dicts);
  ASSERT_TRUE(inv.ok()) << inv.status();
  absl::StatusOr<PaymentsCsv> r = ReadPaymentsCsv(
      WriteTemp("invoice,date,amount\n1,2024-01-10,40\n1,2024-01-20,60.00\n2,2024-02-01,10.5\n"
                "9,2024-02-01,1\n2,2024-02-01,-1\n2,2024-02-01,1.234\n"),
      Options(), inv->table, dicts);
  ASSERT_TRUE(r.ok()) << r.status();
  const PaymentsColumns& c = r->table.columns();
  EXPECT_EQ(Vec(c.invoice_row), (std::vector<std::int64_t>{0, 0, 1}));
  EXPECT_EQ(Vec(c.amount), (std::vector<Money>{4000, 6000, 1050}));  // the invoices' scale 2
  // 9: no such invoice; -1: negative; 1.234: more decimals than the invoices' scale.
  EXPECT_EQ(Lines(r->report), (std::vector<std::int64_t>{5, 6, 7}));
  EXPECT_EQ(r->report.rejects[0].reason, "invoice '9' is not in the invoices table");
}

TEST(PaymentsCsv, CodedInvoicesAreLookedUpInTheDictionary) {
  Dictionaries dicts;
  absl::StatusOr<InvoicesCsv> inv = ReadInvoicesCsv(
      WriteTemp("invoice,customer,date,due,amount\nINV-1,C,2024-01-01,2024-01-02,5\n"
                "INV-2,C,2024-01-01,2024-01-02,5\n",
                "_inv"),
      Options(), dicts);
  ASSERT_TRUE(inv.ok()) << inv.status();
  ASSERT_TRUE(inv->invoice_ids_are_codes);
  absl::StatusOr<PaymentsCsv> r = ReadPaymentsCsv(
      WriteTemp("invoice,date,amount\nINV-2,2024-01-05,1\n1,2024-01-05,1\n"), Options(),
      inv->table, dicts);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(Vec(r->table.columns().invoice_row), (std::vector<std::int64_t>{1}));
  EXPECT_EQ(Lines(r->report), (std::vector<std::int64_t>{3}));  // "1" is not a code there
}

TEST(PaymentsCsv, GivenScaleMustMatchTheInvoices) {
  Dictionaries dicts;
  absl::StatusOr<InvoicesCsv> inv = ReadInvoicesCsv(WriteTemp(kInvoices, "_inv"), Options(), dicts);
  ASSERT_TRUE(inv.ok());
  IngestOptions o = Options();
  o.money_scale = 3;
  ExpectError(ReadPaymentsCsv(WriteTemp("invoice,date,amount\n"), o, inv->table, dicts).status(),
              "differs from the invoices' scale 0");
}

// ---------------------------------------------------------------- customers
TEST(CustomersCsv, ReadsNamesAndRejectsDuplicatesAndNegativeLimits) {
  Dictionaries dicts;
  absl::StatusOr<CustomersCsv> r = ReadCustomersCsv(
      WriteTemp("customer,name,region,owner,credit_limit,created\n"
                "C1,Acme,East,S1,1000,2020-01-01\n"
                "C2,\"Zhang, 华东贸易\",华东,S2,0,\n"
                "C1,Dup,East,S1,1,\n"
                "C3,Bad,East,S1,-5,\n"),
      Options(), dicts);
  ASSERT_TRUE(r.ok()) << r.status();
  const CustomersColumns& c = r->table.columns();
  EXPECT_EQ(Vec(c.customer), (std::vector<Id>{0, 1}));
  EXPECT_EQ(c.name, (std::vector<std::string>{"Acme", "Zhang, 华东贸易"}));
  EXPECT_EQ(dicts.regions->Code(c.region[1]), "华东");
  EXPECT_EQ(Vec(c.credit_limit), (std::vector<Money>{1000, 0}));
  // 2020-01-01: 50 years x 365 + 12 leap days (1972..2016) = 18262.
  EXPECT_EQ(Vec(c.created), (std::vector<Day>{18262, kNoDate}));
  EXPECT_EQ(Lines(r->report), (std::vector<std::int64_t>{4, 5}));
  EXPECT_NE(r->report.rejects[0].reason.find("already described on line 2"), std::string::npos);
}

// ---------------------------------------------------------------- products
TEST(ProductsCsv, ReadsStandardCostAndRejectsDuplicates) {
  Dictionaries dicts;
  absl::StatusOr<ProductsCsv> r = ReadProductsCsv(
      WriteTemp("product,name,category,cost\nP1,Widget,Tools,2.50\nP2,Gadget,Tools,3\n"
                "P1,Again,Tools,1\n"),
      Options(), dicts);
  ASSERT_TRUE(r.ok()) << r.status();
  const ProductsColumns& c = r->table.columns();
  EXPECT_EQ(c.money_scale, 1);  // 2.50 has one significant decimal
  EXPECT_EQ(Vec(c.standard_cost), (std::vector<Money>{25, 30}));
  EXPECT_EQ(Vec(c.category), (std::vector<Id>{0, 0}));
  EXPECT_EQ(Lines(r->report), (std::vector<std::int64_t>{4}));
}

// ---------------------------------------------------------------- targets
TEST(TargetsCsv, MonthsInEveryAcceptedSpelling) {
  Dictionaries dicts;
  absl::StatusOr<TargetsCsv> r = ReadTargetsCsv(
      WriteTemp("salesperson,month,amount\nS1,2024-01,1000\nS1,202402,1500.5\nS2,2024/3,10\n"
                "S2,2024-13,1\nS2,24-01,1\n"),
      Options(), dicts);
  ASSERT_TRUE(r.ok()) << r.status();
  const TargetsColumns& c = r->table.columns();
  EXPECT_EQ(c.level, TargetLevel::kSalesperson);
  EXPECT_EQ(Vec(c.month), (std::vector<std::int32_t>{202401, 202402, 202403}));
  EXPECT_EQ(Vec(c.amount), (std::vector<Money>{10000, 15005, 100}));  // scale 1
  EXPECT_EQ(Vec(c.key), (std::vector<Id>{0, 0, 1}));
  EXPECT_EQ(Lines(r->report), (std::vector<std::int64_t>{5, 6}));
}

TEST(TargetsCsv, LevelFromTheMappedKey) {
  Dictionaries dicts;
  absl::StatusOr<TargetsCsv> company =
      ReadTargetsCsv(WriteTemp("month,amount\n2024-01,5\n"), Options(), dicts);
  ASSERT_TRUE(company.ok()) << company.status();
  EXPECT_EQ(company->table.columns().level, TargetLevel::kCompany);
  absl::StatusOr<TargetsCsv> region = ReadTargetsCsv(
      WriteTemp("Region,month,amount\nWest,2024-01,5\n", "_r"), Options("region=Region"), dicts);
  ASSERT_TRUE(region.ok()) << region.status();
  EXPECT_EQ(region->table.columns().level, TargetLevel::kRegion);
  ExpectError(ReadTargetsCsv(WriteTemp("salesperson,region,month,amount\n", "_b"), Options(),
                             dicts)
                  .status(),
              "not both");
}

}  // namespace
}  // namespace salesight
