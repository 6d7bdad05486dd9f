// Acceptance (issue 2): a public-retail-like export never seen before, loaded with
// only a mapping and a date format: every valid row accepted, every invalid row
// reported with its file line. Fixtures: tests/data/csv/superstore_orders.csv (hand
// written, with invalid rows) and superstore_real_excerpt.csv (lines of the real public
// export; expected totals computed independently with pandas, see the folder README).
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "salesight/csv.hpp"

namespace salesight {
namespace {

const std::string kFixture = std::string(SALESIGHT_TEST_DATA_DIR) + "/csv/superstore_orders.csv";

absl::StatusOr<OrdersCsv> LoadSuperstore(Dictionaries& dicts) {
  IngestOptions o;
  absl::StatusOr<FieldMapping> mapping = ParseFieldMapping(
      "order=Order ID,date=Order Date,customer=Customer ID,product=Product Name,"
      "amount=Sales,quantity=Quantity,margin=Profit");
  EXPECT_TRUE(mapping.ok()) << mapping.status();
  o.mapping = *mapping;
  absl::StatusOr<DateFormat> format = ParseDateFormatName("%m/%d/%Y");
  EXPECT_TRUE(format.ok());
  o.date_format = *format;
  return ReadOrdersCsv(kFixture, o, dicts);
}

TEST(SuperstoreAcceptance, EveryValidRowAcceptedEveryInvalidRowReportedAtItsLine) {
  Dictionaries dicts;
  absl::StatusOr<OrdersCsv> r = LoadSuperstore(dicts);
  ASSERT_TRUE(r.ok()) << r.status();
  const RejectReport& rep = r->report;
  // 25 records (Row ID 1..25); 6 written invalid on purpose.
  EXPECT_EQ(rep.data_lines, 25);
  EXPECT_EQ(rep.accepted, 19);
  EXPECT_EQ(rep.rejected, 6);
  struct Want {
    std::int64_t line;
    std::string column;
    std::string value;
  };
  const std::vector<Want> want = {
      {6, "Order Date", "02/30/2015"},  // February 30th
      {9, "Customer ID", ""},           // empty required field
      {12, "Sales", "N/A"},             // not an amount
      {15, "", ""},                     // 9 fields instead of 10
      {18, "Quantity", "two"},          // not an integer
      {25, "Order Date", "13/25/2016"},  // month 13; after the 2-line record at lines 22-23
  };
  ASSERT_EQ(rep.rejects.size(), want.size());
  for (std::size_t i = 0; i < want.size(); ++i) {
    EXPECT_EQ(rep.rejects[i].line, want[i].line) << i;
    EXPECT_EQ(rep.rejects[i].column, want[i].column) << i;
    EXPECT_EQ(rep.rejects[i].value, want[i].value) << i;
    EXPECT_FALSE(rep.rejects[i].reason.empty());
  }
  const std::vector<std::pair<std::string, std::int64_t>> by_reason = {
      {"Order Date: not a valid date", 2}, {"Customer ID: empty", 1},
      {"Quantity: not an integer", 1},     {"Sales: not an amount", 1},
      {"wrong number of fields", 1}};
  EXPECT_EQ(rep.by_reason, by_reason);
}

TEST(SuperstoreAcceptance, ValuesAreExact) {
  Dictionaries dicts;
  absl::StatusOr<OrdersCsv> r = LoadSuperstore(dicts);
  ASSERT_TRUE(r.ok()) << r.status();
  const OrderLines& t = r->table;
  const OrderLinesColumns& c = t.columns();
  ASSERT_EQ(t.size(), 19u);
  // Sales and Profit carry up to 4 decimals (957.5775, 41.9136): scale 4.
  EXPECT_EQ(t.money_scale(), 4);
  // Row 1: 261.96 -> 2619600; cost = 261.96 - 41.9136 = 220.0464 -> 2200464.
  EXPECT_EQ(c.amount[0], 2619600);
  EXPECT_EQ(c.cost[0], 2200464);
  // Row 4 (4th accepted): 957.5775; cost = 957.5775 - (-383.031) = 1340.6085.
  EXPECT_EQ(c.amount[3], 9575775);
  EXPECT_EQ(c.cost[3], 13406085);
  // 11/8/2016: 2016-01-01 is day 16801 (46 years x 365 + 11 leap days), plus
  // 305 days of January..October and 7 -> 17113.
  EXPECT_EQ(c.order_date[0], 17113);
  EXPECT_EQ(c.quantity[0], 2);
  // Order IDs like CA-2016-152156 are codes: 14 distinct among accepted rows.
  EXPECT_TRUE(r->order_ids_are_codes);
  EXPECT_EQ(dicts.orders->size(), 14);
  EXPECT_EQ(dicts.orders->Code(static_cast<Id>(c.order_id[0])), "CA-2016-152156");
  EXPECT_EQ(dicts.customers->size(), 14);
  EXPECT_EQ(t.num_customers(), 14);
  // Quoted names keep their commas, doubled quotes and line break.
  EXPECT_EQ(dicts.products->Code(c.product[1]),
            "Hon Deluxe Fabric Upholstered Stacking Chairs, Rounded Back");
  EXPECT_NE(dicts.products->Find(
                "Gould Plastics 9-Pocket Panel Bin, 18-3/8\"W x 5-1/4\"D x 20-1/2\"H, Black"),
            kNoId);
  EXPECT_NE(dicts.products->Find("Hon 4700 Series Mobuis Mid-Back Task Chairs with Adjustable "
                                 "Arms\n(multi-line export note)"),
            kNoId);
  // Negative profit rows are not returns: amounts stay positive.
  EXPECT_EQ(t.num_returns(), 0);
}

TEST(SuperstoreAcceptance, GenericReaderSeesTheSameShape) {
  IngestOptions o;
  absl::StatusOr<StringCsv> s = ReadCsvStrings(kFixture, o);
  ASSERT_TRUE(s.ok()) << s.status();
  ASSERT_EQ(s->columns.size(), 10u);
  EXPECT_EQ(s->columns[0].name(), "Row ID");  // the BOM is not part of the name
  EXPECT_EQ(s->report.data_lines, 25);
  EXPECT_EQ(s->report.rejected, 1);  // only the ragged row is malformed as CSV
  EXPECT_EQ(s->num_rows(), 24u);
  EXPECT_EQ(s->columns[7][0], "261.96");
}

// The real export: two-digit-year day-first dates ("03/01/19" = 3 January
// 2019), amounts with 3-4 decimals, quoted names with commas and doubled quotes.
TEST(SuperstoreRealExport, LoadsEveryLineWithExactTotals) {
  IngestOptions o;
  absl::StatusOr<FieldMapping> mapping = ParseFieldMapping(
      "order=Order ID,date=Order Date,customer=Customer ID,product=Product ID,amount=Sales,"
      "quantity=Quantity,margin=Profit,region=Region,category=Category");
  ASSERT_TRUE(mapping.ok()) << mapping.status();
  o.mapping = *mapping;
  absl::StatusOr<DateFormat> format = ParseDateFormatName("%d/%m/%y");
  ASSERT_TRUE(format.ok());
  o.date_format = *format;
  Dictionaries dicts;
  absl::StatusOr<OrdersCsv> r = ReadOrdersCsv(
      std::string(SALESIGHT_TEST_DATA_DIR) + "/csv/superstore_real_excerpt.csv", o, dicts);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->report.data_lines, 32);
  EXPECT_EQ(r->report.rejected, 0) << FormatRejectReport(r->report, 5);
  const OrderLines& t = r->table;
  ASSERT_EQ(t.size(), 32u);
  ASSERT_EQ(t.money_scale(), 4);  // Profit has 4 decimals; one scale per table
  Money sales = 0, cost = 0;
  std::int64_t quantity = 0;
  for (std::size_t i = 0; i < t.size(); ++i) {
    sales += t.columns().amount[i];
    cost += t.columns().cost[i];
    quantity += t.columns().quantity[i];
  }
  EXPECT_EQ(sales, 67386210);           // pandas: Sales.sum() = 6738.621
  EXPECT_EQ(sales - cost, 15125881);    // pandas: Profit.sum() = 1512.5881
  EXPECT_EQ(quantity, 114);             // pandas: Quantity.sum()
  EXPECT_EQ(t.num_customers(), 15);     // pandas: Customer ID.nunique()
  EXPECT_EQ(dicts.orders ? dicts.orders->size() : 0, 15);  // Order ID.nunique()
  EXPECT_EQ(FormatDate(t.min_date()), "2019-01-03");  // "03/01/19"
  EXPECT_EQ(FormatDate(t.max_date()), "2019-01-21");  // "21/01/19"
  EXPECT_EQ(dicts.categories->size(), 3);             // Office Supplies, Furniture, Technology
}

}  // namespace
}  // namespace salesight
