// ReadOrdersCsv: hand-computed cases, one test per rule, and a property test
// against an oracle that knows which generated rows are valid.
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <random>
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

absl::StatusOr<OrdersCsv> Read(const std::string& content, const IngestOptions& o,
                               Dictionaries* shared = nullptr) {
  Dictionaries local;
  return ReadOrdersCsv(WriteTemp(content), o, shared ? *shared : local);
}

void ExpectError(const absl::Status& st, const std::string& fragment) {
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find(fragment), std::string::npos) << st;
}

std::vector<std::int64_t> Lines(const RejectReport& r) {
  std::vector<std::int64_t> out;
  for (const Reject& x : r.rejects) out.push_back(x.line);
  return out;
}

template <typename T>
std::vector<T> Vec(const Column<T>& c) {
  return std::vector<T>(c.begin(), c.end());
}

// 2024-01-01 is day 19723: 54 years of 365 days + 13 leap days (1972..2020).
constexpr Day kJan1st2024 = 54 * 365 + 13;

TEST(OrdersCsv, HandComputedSmallFile) {
  absl::StatusOr<OrdersCsv> r = Read(
      "order,date,customer,product,quantity,amount,cost\n"
      "1001,2024-01-05,C1,P1,2,10.50,6.00\n"
      "1001,2024-01-05,C1,P2,1,1234,800.25\n"
      "1002,2024-02-10,C2,P1,-1,-10.5,-6\n",
      Options());
  ASSERT_TRUE(r.ok()) << r.status();
  const OrderLines& t = r->table;
  EXPECT_EQ(r->report.data_lines, 3);
  EXPECT_EQ(r->report.accepted, 3);
  EXPECT_EQ(r->report.rejected, 0);
  EXPECT_EQ(t.money_scale(), 2);  // the most decimals: "10.50" -> 1 significant, "800.25" -> 2
  EXPECT_EQ(Vec(t.columns().order_id), (std::vector<std::int64_t>{1001, 1001, 1002}));
  // 2024-01-05 = 19723 + 4; 2024-02-10 = 19723 + 31 (January) + 9.
  EXPECT_EQ(Vec(t.columns().order_date),
            (std::vector<Day>{kJan1st2024 + 4, kJan1st2024 + 4, kJan1st2024 + 40}));
  EXPECT_EQ(Vec(t.columns().customer), (std::vector<Id>{0, 0, 1}));
  EXPECT_EQ(Vec(t.columns().product), (std::vector<Id>{0, 1, 0}));
  EXPECT_EQ(Vec(t.columns().quantity), (std::vector<std::int32_t>{2, 1, -1}));
  // 10.50 -> 1050 cents, 1234 -> 123400, -10.5 -> -1050.
  EXPECT_EQ(Vec(t.columns().amount), (std::vector<Money>{1050, 123400, -1050}));
  EXPECT_EQ(Vec(t.columns().cost), (std::vector<Money>{600, 80025, -600}));
  EXPECT_EQ(t.num_returns(), 1);
  ASSERT_NE(t.columns().customers, nullptr);
  EXPECT_EQ(t.columns().customers->Code(1), "C2");
  EXPECT_FALSE(r->order_ids_are_codes);
  EXPECT_TRUE(t.columns().region.empty());
}

TEST(OrdersCsv, MappingWithSpacesInColumnNames) {
  absl::StatusOr<OrdersCsv> r =
      Read("Order ID,Order Date,Customer ID,Sales\nA-1,2024-01-01,C 1,5\n",
           Options("order=Order ID, date = Order Date ,customer=Customer ID,amount=Sales"));
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->table.size(), 1u);
  EXPECT_EQ(r->table.columns().customers->Code(0), "C 1");
}

TEST(OrdersCsv, QuotedFieldsWithCommasAndNewlines) {
  absl::StatusOr<OrdersCsv> r = Read(
      "order,date,customer,product,amount\n"
      "1,2024-01-01,C1,\"Bush Somerset Collection Bookcase, 3-Shelf\",1\n"
      "2,2024-01-01,C1,\"Two\nlines\",2\n"
      "3,2024-01-01,,P,3\n",
      Options());
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->table.size(), 2u);
  EXPECT_EQ(r->table.columns().products->Code(0), "Bush Somerset Collection Bookcase, 3-Shelf");
  EXPECT_EQ(r->table.columns().products->Code(1), "Two\nlines");
  // The third record starts on file line 5 (line 3 holds a line break).
  EXPECT_EQ(Lines(r->report), (std::vector<std::int64_t>{5}));
}

TEST(OrdersCsv, BomAndCrlf) {
  absl::StatusOr<OrdersCsv> r =
      Read("\xEF\xBB\xBForder,date,customer,amount\r\n1,2024-01-01,C1,1\r\n2,2024-01-02,C2,2\r\n",
           Options());
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->table.size(), 2u);
  EXPECT_EQ(r->table.columns().customers->Code(1), "C2");  // no stray '\r'
}

TEST(OrdersCsv, SemicolonDialectWithDecimalComma) {
  IngestOptions o = Options();
  o.dialect.delimiter = ';';
  o.decimal_point = ',';
  o.thousands_separator = '.';
  o.date_format = DateFormat::kDmyDot;
  absl::StatusOr<OrdersCsv> r =
      Read("order;date;customer;amount\n1;05.01.2024;K1;1.234,56\n", o);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(Vec(r->table.columns().amount), (std::vector<Money>{123456}));
  EXPECT_EQ(Vec(r->table.columns().order_date), (std::vector<Day>{kJan1st2024 + 4}));
}

TEST(OrdersCsv, EmptyRequiredFieldRejectsTheRow) {
  absl::StatusOr<OrdersCsv> r =
      Read("order,date,customer,amount\n1,2024-01-01,,5\n2,2024-01-01,C,\n3,,C,1\n", Options());
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->report.accepted, 0);
  ASSERT_EQ(r->report.rejects.size(), 3u);
  EXPECT_EQ(r->report.rejects[0].column, "customer");
  EXPECT_EQ(r->report.rejects[1].column, "amount");
  EXPECT_EQ(r->report.rejects[2].column, "date");
}

TEST(OrdersCsv, EmptyOptionalCodeIsTheEmptyCode) {
  absl::StatusOr<OrdersCsv> r =
      Read("order,date,customer,region,amount\n1,2024-01-01,C,,5\n2,2024-01-01,C,East,5\n",
           Options());
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->report.accepted, 2);
  EXPECT_EQ(r->table.columns().regions->Code(r->table.columns().region[0]), "");
  EXPECT_EQ(r->table.columns().regions->Code(r->table.columns().region[1]), "East");
}

TEST(OrdersCsv, RaggedRowsAreRejectedWithTheirLine) {
  absl::StatusOr<OrdersCsv> r = Read(
      "order,date,customer,amount\n1,2024-01-01,C,5\n2,2024-01-01,C\n3,2024-01-01,C,5,extra\n"
      "4,2024-01-01,C,5\n",
      Options());
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->report.accepted, 2);
  EXPECT_EQ(Lines(r->report), (std::vector<std::int64_t>{3, 4}));
  EXPECT_EQ(r->report.rejects[0].column, "");
  EXPECT_NE(r->report.rejects[0].reason.find("3 fields"), std::string::npos);
  ASSERT_EQ(r->report.by_reason.size(), 1u);
  EXPECT_EQ(r->report.by_reason[0],
            (std::pair<std::string, std::int64_t>{"wrong number of fields", 2}));
}

TEST(OrdersCsv, InvalidUtf8InACodeIsRejected) {
  absl::StatusOr<OrdersCsv> r = Read(
      "order,date,customer,amount\n1,2024-01-01,\xC3\x28,5\n2,2024-01-01,\xE5\x8D\x8E\xE4\xB8\x9C,5\n",
      Options());
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->report.accepted, 1);  // 华东 is valid UTF-8
  ASSERT_EQ(r->report.rejects.size(), 1u);
  EXPECT_EQ(r->report.rejects[0].line, 2);
  EXPECT_EQ(r->report.rejects[0].value, "\\xC3(");  // shown escaped, never raw
  EXPECT_EQ(r->report.by_reason[0].first, "customer: invalid UTF-8");
}

TEST(OrdersCsv, EmptyFileIsAnError) {
  ExpectError(Read("", Options()).status(), "no header");
}

TEST(OrdersCsv, HeaderOnlyGivesAnEmptyTable) {
  absl::StatusOr<OrdersCsv> r = Read("order,date,customer,amount\n", Options());
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->table.size(), 0u);
  EXPECT_EQ(r->report.data_lines, 0);
}

TEST(OrdersCsv, UnterminatedQuoteRejectsTheRecordAtItsLine) {
  absl::StatusOr<OrdersCsv> r =
      Read("order,date,customer,amount\n1,2024-01-01,C,5\n2,2024-01-01,\"C,5\n3,2024-01-01,C,5\n",
           Options());
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->report.data_lines, 2);  // the open quote swallows the last line
  EXPECT_EQ(r->report.accepted, 1);
  ASSERT_EQ(r->report.rejects.size(), 1u);
  EXPECT_EQ(r->report.rejects[0].line, 3);
  EXPECT_EQ(r->report.rejects[0].column, "customer");
  EXPECT_NE(r->report.rejects[0].reason.find("opened on line 3"), std::string::npos);
}

TEST(OrdersCsv, LongRecordGuardIsAnErrorNotACrash) {
  IngestOptions o = Options();
  o.max_record_bytes = 64;
  o.chunk_bytes = 16;
  std::string data = "order,date,customer,amount\n1,2024-01-01,C,5\n2,2024-01-01,\"";
  data += std::string(1000, 'x');
  ExpectError(Read(data, o).status(), "line 3");
}

TEST(OrdersCsv, ThousandsSeparators) {
  IngestOptions o = Options();
  o.thousands_separator = ',';
  absl::StatusOr<OrdersCsv> r = Read(
      "order,date,customer,amount\n1,2024-01-01,C,\"1,234,567.89\"\n2,2024-01-01,C,\"12,34\"\n",
      o);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(Vec(r->table.columns().amount), (std::vector<Money>{123456789}));
  EXPECT_EQ(Lines(r->report), (std::vector<std::int64_t>{3}));  // misplaced separator
}

TEST(OrdersCsv, AutoScaleRescalesEverythingReadSoFar) {
  absl::StatusOr<OrdersCsv> r = Read(
      "order,date,customer,amount,cost\n1,2024-01-01,C,1.5,1\n2,2024-01-01,C,2.125,0.5\n"
      "3,2024-01-01,C,7,2.10\n",
      Options());
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->table.money_scale(), 3);
  // 1.5 -> 1500, 2.125 -> 2125, 7 -> 7000; cost 1 -> 1000, 0.5 -> 500, 2.10 -> 2100.
  EXPECT_EQ(Vec(r->table.columns().amount), (std::vector<Money>{1500, 2125, 7000}));
  EXPECT_EQ(Vec(r->table.columns().cost), (std::vector<Money>{1000, 500, 2100}));
}

TEST(OrdersCsv, AutoScaleOfIntegersIsZero) {
  absl::StatusOr<OrdersCsv> r =
      Read("order,date,customer,amount\n1,2024-01-01,C,15\n2,2024-01-01,C,20.00\n", Options());
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->table.money_scale(), 0);
  EXPECT_EQ(Vec(r->table.columns().amount), (std::vector<Money>{15, 20}));
}

TEST(OrdersCsv, AutoScaleAboveSixDecimalsIsRejected) {
  absl::StatusOr<OrdersCsv> r = Read(
      "order,date,customer,amount\n1,2024-01-01,C,0.1234567\n2,2024-01-01,C,1\n", Options());
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->table.money_scale(), 0);
  ASSERT_EQ(r->report.rejects.size(), 1u);
  EXPECT_EQ(r->report.by_reason[0].first, "amount: too many decimals");
}

TEST(OrdersCsv, GivenScaleRejectsExtraDecimalsNamingTheValue) {
  IngestOptions o = Options();
  o.money_scale = 2;
  absl::StatusOr<OrdersCsv> r = Read(
      "order,date,customer,amount\n1,2024-01-01,C,2.125\n2,2024-01-01,C,2.120\n", o);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(Vec(r->table.columns().amount), (std::vector<Money>{212}));  // never rounded
  ASSERT_EQ(r->report.rejects.size(), 1u);
  EXPECT_EQ(r->report.rejects[0].line, 2);
  EXPECT_EQ(r->report.rejects[0].value, "2.125");
  EXPECT_NE(r->report.rejects[0].reason.find("'2.125'"), std::string::npos);
  EXPECT_EQ(r->report.by_reason[0].first, "amount: too many decimals");
}

TEST(OrdersCsv, AmountOverflowIsRejected) {
  IngestOptions o = Options();
  o.money_scale = 2;
  // 90,000,000,000,000.00 = 9e15 cents = the limit; one cent more is out.
  absl::StatusOr<OrdersCsv> r = Read(
      "order,date,customer,amount\n1,2024-01-01,C,90000000000000.00\n"
      "2,2024-01-01,C,90000000000000.01\n3,2024-01-01,C,99999999999999999999999\n",
      o);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(Vec(r->table.columns().amount), (std::vector<Money>{9'000'000'000'000'000}));
  EXPECT_EQ(Lines(r->report), (std::vector<std::int64_t>{3, 4}));
  EXPECT_EQ(r->report.by_reason[0].first, "amount: amount out of range");
}

TEST(OrdersCsv, RescaleThatWouldOverflowRejectsTheAskingRow) {
  absl::StatusOr<OrdersCsv> r = Read(
      "order,date,customer,amount\n1,2024-01-01,C,9000000000000000\n2,2024-01-01,C,0.5\n"
      "3,2024-01-01,C,4\n",
      Options());
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->table.money_scale(), 0);
  EXPECT_EQ(Vec(r->table.columns().amount), (std::vector<Money>{9'000'000'000'000'000, 4}));
  EXPECT_EQ(Lines(r->report), (std::vector<std::int64_t>{3}));
  EXPECT_EQ(r->report.by_reason[0].first, "amount: rescale would overflow");
}

TEST(OrdersCsv, InvalidDatesAreRejectedWithTheFormat) {
  IngestOptions o = Options();
  o.date_format = DateFormat::kIso;
  absl::StatusOr<OrdersCsv> r = Read(
      "order,date,customer,amount\n1,2023-02-29,C,1\n2,2024-02-29,C,1\n3,2024-13-01,C,1\n"
      "4,01/02/2024,C,1\n",
      o);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->report.accepted, 1);  // 2024 is a leap year
  EXPECT_EQ(Lines(r->report), (std::vector<std::int64_t>{2, 4, 5}));
  EXPECT_NE(r->report.rejects[2].reason.find("%Y-%m-%d"), std::string::npos);
}

TEST(OrdersCsv, PerColumnDateFormatOverride) {
  IngestOptions o = Options();
  o.date_format = DateFormat::kIso;
  o.column_date_formats = {{"date", DateFormat::kMdySlash}};
  absl::StatusOr<OrdersCsv> r = Read("order,date,customer,amount\n1,1/5/2024,C,1\n", o);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(Vec(r->table.columns().order_date), (std::vector<Day>{kJan1st2024 + 4}));
  o.column_date_formats = {{"ship", DateFormat::kIso}};
  ExpectError(Read("order,date,customer,amount\n", o).status(), "'ship'");
}

TEST(OrdersCsv, AutoDateFormatsMayMixWithinAColumn) {
  absl::StatusOr<OrdersCsv> r = Read(
      "order,date,customer,amount\n1,2024-01-05,C,1\n2,01/05/2024,C,1\n3,05.01.2024,C,1\n"
      "4,20240105,C,1\n5,2024/01/05 10:00:00,C,1\n",
      Options());
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(Vec(r->table.columns().order_date), std::vector<Day>(5, kJan1st2024 + 4));
}

TEST(OrdersCsv, StopOnFirstErrorNamesLineColumnAndValue) {
  IngestOptions o = Options();
  o.stop_on_first_error = true;
  absl::Status st = Read("order,date,customer,amount\n1,2024-01-01,C,1\n2,2024-13-01,C,1\n", o)
                        .status();
  ExpectError(st, "line 3, column 'date'");
  ExpectError(st, "'2024-13-01'");
}

TEST(OrdersCsv, NonIntegerOrderNumbersAreInterned) {
  Dictionaries dicts;
  absl::StatusOr<OrdersCsv> r = Read(
      "order,date,customer,amount\n17,2024-01-01,C,1\n17,2024-01-01,C,1\nCA-2016-152156,2024-01-01,C,1\n"
      "007,2024-01-01,C,1\n",
      Options(), &dicts);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_TRUE(r->order_ids_are_codes);
  // "17" re-interned by its text when the first code appeared; "007" stays a
  // code. Ids in the codes' byte order (a code that is not an integer makes
  // the dictionary text), not in first-seen order.
  EXPECT_EQ(Vec(r->table.columns().order_id), (std::vector<std::int64_t>{1, 1, 2, 0}));
  ASSERT_NE(dicts.orders, nullptr);
  EXPECT_EQ(dicts.orders->Code(0), "007");
  EXPECT_EQ(dicts.orders->Code(1), "17");
  EXPECT_EQ(dicts.orders->Code(2), "CA-2016-152156");
}

TEST(OrdersCsv, IdsFollowTheCodesOrderNotTheRows) {
  Dictionaries dicts;
  absl::StatusOr<OrdersCsv> r = Read(
      "order,date,customer,region,amount\n1,2024-01-01,C-9,west,1\n2,2024-01-01,C-10,East,1\n"
      "3,2024-01-01,C-9,,1\n4,2024-01-01,\xE5\x8D\x8E,east,1\n",
      Options(), &dicts);
  ASSERT_TRUE(r.ok()) << r.status();
  const OrderLinesColumns& c = r->table.columns();
  EXPECT_EQ(Vec(c.customer), (std::vector<Id>{1, 0, 1, 2}));  // "C-10" < "C-9" < "华"
  EXPECT_EQ(Vec(c.region), (std::vector<Id>{3, 1, 0, 2}));    // "" < "East" < "east" < "west"
  EXPECT_EQ(c.regions->Code(3), "west");
  // Integer codes are ordered as numbers.
  Dictionaries numeric;
  absl::StatusOr<OrdersCsv> n =
      Read("order,date,customer,amount\n1,2024-01-01,10,1\n2,2024-01-01,9,1\n"
           "3,2024-01-01,-1,1\n4,2024-01-01,09,1\n",
           Options(), &numeric);
  ASSERT_TRUE(n.ok()) << n.status();
  EXPECT_EQ(Vec(n->table.columns().customer), (std::vector<Id>{3, 2, 0, 1}));  // -1, 09, 9, 10
}

TEST(OrdersCsv, LaterFilesKeepEarlierIdsUntilCanonicalizeIds) {
  Dictionaries dicts;
  absl::StatusOr<OrdersCsv> a =
      Read("order,date,customer,amount\n1,2024-01-01,M,1\n2,2024-01-01,B,1\n", Options(), &dicts);
  ASSERT_TRUE(a.ok()) << a.status();
  EXPECT_EQ(Vec(a->table.columns().customer), (std::vector<Id>{1, 0}));
  absl::StatusOr<OrdersCsv> b =
      ReadOrdersCsv(WriteTemp("order,date,customer,amount\n3,2024-01-01,Z,1\n4,2024-01-01,A,1\n"
                              "5,2024-01-01,M,1\n",
                              "_second"),
                    Options(), dicts);
  ASSERT_TRUE(b.ok()) << b.status();
  // B and M keep 0 and 1 (table a uses them); the new codes follow, in order.
  EXPECT_EQ(Vec(b->table.columns().customer), (std::vector<Id>{3, 2, 1}));
  EXPECT_EQ(dicts.customers->Code(2), "A");
  const DictionaryPtr before = a->table.columns().customers;
  CsvLoad load;
  load.orders = &*a;
  ASSERT_TRUE(CanonicalizeIds(dicts, load).ok());
  // a alone was given: b's ids still index the dictionary b holds.
  EXPECT_EQ(Vec(a->table.columns().customer), (std::vector<Id>{2, 1}));  // A B M Z
  EXPECT_EQ(a->table.columns().customers->Code(2), "M");
  EXPECT_EQ(b->table.columns().customers->Code(3), "Z");
  EXPECT_EQ(before->Code(1), "M");  // the old dictionary is unchanged
  load.orders = &*b;
  ExpectError(CanonicalizeIds(dicts, load), "not read with these Dictionaries");
}

TEST(OrdersCsv, SharedDictionariesAgreeAcrossFiles) {
  Dictionaries dicts;
  absl::StatusOr<OrdersCsv> a =
      Read("order,date,customer,amount\n1,2024-01-01,X,1\n2,2024-01-01,Y,1\n", Options(), &dicts);
  ASSERT_TRUE(a.ok()) << a.status();
  absl::StatusOr<OrdersCsv> b =
      ReadOrdersCsv(WriteTemp("order,date,customer,amount\n3,2024-01-01,Y,1\n4,2024-01-01,Z,1\n",
                              "_second"),
                    Options(), dicts);
  ASSERT_TRUE(b.ok()) << b.status();
  EXPECT_EQ(Vec(b->table.columns().customer), (std::vector<Id>{1, 2}));
  EXPECT_EQ(dicts.customers->size(), 3);
}

TEST(OrdersCsv, MarginGivesCostAndUnitCostNeedsQuantity) {
  absl::StatusOr<OrdersCsv> r = Read(
      "order,date,customer,amount,profit\n1,2024-01-01,C,100.00,30.25\n2,2024-01-01,C,-50,-10\n",
      Options("margin=profit"));
  ASSERT_TRUE(r.ok()) << r.status();
  // cost = amount - margin: 100.00 - 30.25 = 69.75; -50 - (-10) = -40.
  EXPECT_EQ(Vec(r->table.columns().cost), (std::vector<Money>{6975, -4000}));

  absl::StatusOr<OrdersCsv> u = Read(
      "order,date,customer,quantity,amount,unit_cost\n1,2024-01-01,C,3,10,2.5\n"
      "2,2024-01-01,C,1,10,-1\n",
      Options());
  ASSERT_TRUE(u.ok()) << u.status();
  EXPECT_EQ(Vec(u->table.columns().unit_cost), (std::vector<Money>{25}));  // scale 1
  EXPECT_EQ(Lines(u->report), (std::vector<std::int64_t>{3}));             // negative unit cost

  ExpectError(Read("order,date,customer,amount,unit_cost\n", Options()).status(),
              "needs field 'quantity'");
  ExpectError(Read("order,date,customer,amount,cost,margin\n", Options()).status(),
              "at most one of");
}

TEST(OrdersCsv, NoHeaderMapsColumnsByNumber) {
  IngestOptions o = Options("order=1,date=2,customer=3,amount=4");
  o.dialect.has_header = false;
  absl::StatusOr<OrdersCsv> r = Read("1,2024-01-01,C,5\n2,2024-01-01,D\n", o);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->report.accepted, 1);
  EXPECT_EQ(Lines(r->report), (std::vector<std::int64_t>{2}));  // no header: data starts at 1
}

TEST(OrdersCsv, ByReasonCountsAndKeptRejectsAreCapped) {
  IngestOptions o = Options();
  o.max_rejects_kept = 2;
  std::string data = "order,date,customer,amount\n";
  for (int i = 0; i < 5; ++i) data += "1,bad,C,1\n";
  for (int i = 0; i < 3; ++i) data += "1,2024-01-01,C,x\n";
  absl::StatusOr<OrdersCsv> r = Read(data, o);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->report.rejected, 8);
  EXPECT_EQ(Lines(r->report), (std::vector<std::int64_t>{2, 3}));
  ASSERT_EQ(r->report.by_reason.size(), 2u);
  EXPECT_EQ(r->report.by_reason[0],
            (std::pair<std::string, std::int64_t>{"date: not a valid date", 5}));
  EXPECT_EQ(r->report.by_reason[1],
            (std::pair<std::string, std::int64_t>{"amount: not an amount", 3}));
  std::string text = FormatRejectReport(r->report, 1);
  EXPECT_NE(text.find("8 rejected"), std::string::npos) << text;
  EXPECT_NE(text.find("7 more"), std::string::npos) << text;
}

// ------------------------------------------------------------ mapping errors
TEST(OrdersCsvMapping, UnknownFieldListsTheValidOnes) {
  absl::Status st = Read("a,b\n", Options("custmer=a")).status();
  ExpectError(st, "unknown field 'custmer'");
  ExpectError(st, "order, line, date, customer");
}

TEST(OrdersCsvMapping, MissingRequiredFieldsAreNamed) {
  absl::Status st = Read("Order ID,Customer\n", Options("order=Order ID,customer=Customer"))
                        .status();
  ExpectError(st, "required fields not mapped: date, amount");
}

TEST(OrdersCsvMapping, MappedColumnNotInHeader) {
  absl::Status st =
      Read("order,date,customer,amount\n", Options("customer=Customer ID")).status();
  ExpectError(st, "column 'Customer ID', which is not in the header");
}

TEST(OrdersCsvMapping, DuplicateHeaderColumnIsAmbiguous) {
  absl::Status st =
      Read("order,date,x,x,amount\n", Options("customer=x")).status();
  ExpectError(st, "appears 2 times");
}

// ------------------------------------------------------------ property
// Random order files whose generator knows which rows are valid: the loader must
// accept exactly those, report exactly the others at their file lines, and store
// exact values.
int DaysFromEpoch(int y, int m, int d) {
  auto leap = [](int yy) { return (yy % 4 == 0 && yy % 100 != 0) || yy % 400 == 0; };
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  int days = 0;
  for (int yy = 1970; yy < y; ++yy) days += leap(yy) ? 366 : 365;
  for (int mm = 1; mm < m; ++mm) days += kDays[mm - 1] + (mm == 2 && leap(y) ? 1 : 0);
  return days + d - 1;
}

std::string Quote(const std::string& v) {
  std::string out = "\"";
  for (char c : v) {
    out += c;
    if (c == '"') out += '"';
  }
  return out + "\"";
}

struct ExpectedRow {
  std::int64_t order;
  Day day;
  std::string customer;
  std::int64_t amount_units;  // value x 10^decimals
  int decimals;               // significant decimals
};

TEST(OrdersCsvProperty, AcceptsExactlyTheValidRowsOverSeeds) {
  const std::vector<std::string> good_codes = {"C1", "C 2", "华东", "A,B", "say \"hi\"",
                                               "two\nlines", "x"};
  const std::vector<std::string> bad_codes = {"", "\xFF\xFE", "\xC3"};
  const std::vector<std::string> bad_dates = {"", "2023-02-29", "2024-13-01", "soon", "2024-1"};
  const std::vector<std::string> bad_amounts = {"", "abc", "1.2.3", "1e5", "--1", "0.1234567"};
  for (std::uint64_t seed = 1; seed <= 150; ++seed) {
    std::mt19937_64 rng(seed);
    auto chance = [&](int percent) { return static_cast<int>(rng() % 100) < percent; };
    auto pick = [&](const std::vector<std::string>& v) { return v[rng() % v.size()]; };
    const std::string eol = chance(50) ? "\n" : "\r\n";
    std::string data = "order,date,customer,amount" + eol;
    std::int64_t line = 2;
    std::vector<ExpectedRow> expected;
    std::vector<std::int64_t> expected_reject_lines;
    const int rows = static_cast<int>(rng() % 40);
    for (int i = 0; i < rows; ++i) {
      bool valid = true;
      ExpectedRow e{};
      e.order = static_cast<std::int64_t>(rng() % 100000);
      std::vector<std::string> fields;
      fields.push_back(std::to_string(e.order));
      // date
      if (chance(85)) {
        int y = 1990 + static_cast<int>(rng() % 40), m = 1 + static_cast<int>(rng() % 12),
            d = 1 + static_cast<int>(rng() % 28);
        e.day = DaysFromEpoch(y, m, d);
        char buf[16];
        std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, d);
        fields.push_back(buf);
      } else {
        valid = false;
        fields.push_back(pick(bad_dates));
      }
      // customer
      if (chance(85)) {
        e.customer = pick(good_codes);
        fields.push_back(e.customer);
      } else {
        valid = false;
        fields.push_back(pick(bad_codes));
      }
      // amount: value/10^k with k in 0..3
      if (chance(85)) {
        int k = static_cast<int>(rng() % 4);
        std::int64_t v = static_cast<std::int64_t>(rng() % 2000000) - 1000000;
        std::string digits = std::to_string(v < 0 ? -v : v);
        if (k > 0) {
          if (digits.size() <= static_cast<std::size_t>(k)) {
            digits.insert(0, static_cast<std::size_t>(k) + 1 - digits.size(), '0');
          }
          const std::size_t cut = digits.size() - static_cast<std::size_t>(k);
          std::string with_point = digits.substr(0, cut);
          with_point += '.';
          with_point += digits.substr(cut);
          digits = with_point;
        }
        std::string text(v < 0 ? "-" : "");
        text += digits;
        fields.push_back(text);
        while (k > 0 && v % 10 == 0) v /= 10, --k;  // trailing zeros need no scale
        e.amount_units = v;
        e.decimals = k;
      } else {
        valid = false;
        fields.push_back(pick(bad_amounts));
      }
      if (chance(5)) {  // ragged
        valid = false;
        if (chance(50)) {
          fields.pop_back();
        } else {
          fields.push_back("extra");
        }
      }
      std::string record;
      for (std::size_t f = 0; f < fields.size(); ++f) {
        const std::string& v = fields[f];
        bool must_quote = v.find_first_of(",\"\n\r") != std::string::npos;
        record += (must_quote || chance(10)) ? Quote(v) : v;
        if (f + 1 < fields.size()) record += ",";
      }
      if (valid) {
        expected.push_back(e);
      } else {
        expected_reject_lines.push_back(line);
      }
      for (char c : record) line += c == '\n';
      data += record + eol;
      ++line;
    }
    absl::StatusOr<OrdersCsv> r = Read(data, Options());
    ASSERT_TRUE(r.ok()) << "seed " << seed << ": " << r.status();
    const RejectReport& rep = r->report;
    ASSERT_EQ(rep.data_lines, rows) << "seed " << seed;
    ASSERT_EQ(rep.accepted + rep.rejected, rep.data_lines);
    ASSERT_EQ(rep.accepted, static_cast<std::int64_t>(expected.size())) << "seed " << seed;
    ASSERT_EQ(Lines(rep), expected_reject_lines) << "seed " << seed;
    int scale = 0;
    for (const ExpectedRow& e : expected) scale = std::max(scale, e.decimals);
    const OrderLines& t = r->table;
    ASSERT_EQ(t.size(), expected.size());
    EXPECT_EQ(t.money_scale(), scale) << "seed " << seed;
    for (std::size_t i = 0; i < expected.size(); ++i) {
      std::int64_t want = expected[i].amount_units;
      for (int k = expected[i].decimals; k < scale; ++k) want *= 10;
      ASSERT_EQ(t.columns().amount[i], want) << "seed " << seed << " row " << i;
      ASSERT_EQ(t.columns().order_date[i], expected[i].day) << "seed " << seed << " row " << i;
      ASSERT_EQ(t.columns().order_id[i], expected[i].order);
      ASSERT_EQ(t.columns().customers->Code(t.columns().customer[i]), expected[i].customer);
    }
  }
}

}  // namespace
}  // namespace salesight
