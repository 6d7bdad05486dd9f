// Export presets (salesight/csv_preset.hpp): every built-in preset loads a
// synthetic export written here in that ERP's layout (its real column
// captions, columns the preset must NOT take beside the ones it must), with
// the values checked by hand; user presets from files; an explicit mapping
// winning over a preset; hostile preset documents refused with the key named.
#include "salesight/csv_preset.hpp"

#include <map>
#include <ostream>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "ingest_test_util.hpp"

namespace salesight {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing_util::WriteScratch;

IngestOptions With(std::string_view preset, std::string_view table) {
  absl::StatusOr<ExportPreset> p = LoadPreset(preset);
  EXPECT_TRUE(p.ok()) << p.status();
  IngestOptions o;
  o.money_scale = 2;  // the expectations below are in cents
  if (p.ok()) ApplyPreset(*p, table, &o);
  return o;
}

std::string OrderCode(const OrdersCsv& csv, const Dictionaries& d, std::size_t row) {
  const std::int64_t id = csv.table.columns().order_id[row];
  return csv.order_ids_are_codes ? std::string(d.orders->Code(static_cast<Id>(id)))
                                 : std::to_string(id);
}

// Per order (as the export names it): amount in minor units, customer code,
// quantity, line count.
struct OrderSums {
  Money amount = 0;
  std::string customer;
  std::int64_t quantity = 0;
  int lines = 0;
  bool operator==(const OrderSums&) const = default;
};
void PrintTo(const OrderSums& s, std::ostream* os) {
  *os << "{amount " << s.amount << ", customer " << s.customer << ", quantity " << s.quantity
      << ", lines " << s.lines << "}";
}
std::map<std::string, OrderSums> ByOrder(const OrdersCsv& csv, const Dictionaries& d) {
  std::map<std::string, OrderSums> out;
  const OrderLinesColumns& c = csv.table.columns();
  for (std::size_t i = 0; i < csv.table.size(); ++i) {
    OrderSums& s = out[OrderCode(csv, d, i)];
    s.amount += c.amount[i];
    s.customer = std::string(d.customers->Code(c.customer[i]));
    s.quantity += c.quantity.empty() ? 0 : c.quantity[i];
    ++s.lines;
  }
  return out;
}

TEST(Presets, BuiltinNames) {
  EXPECT_THAT(BuiltinPresetNames(), ElementsAre("erpnext", "kingdee", "odoo", "sap_b1", "yonyou"));
  for (const std::string& name : BuiltinPresetNames()) {
    absl::StatusOr<ExportPreset> p = LoadPreset(name);
    ASSERT_TRUE(p.ok()) << name << ": " << p.status();
    EXPECT_EQ(p->name, name);
    EXPECT_NE(p->Find("orders"), nullptr) << name;
    EXPECT_NE(p->Find("invoices"), nullptr) << name;
  }
}

// 金蝶云星空 销售订单 list export: 金额 (without VAT) is the amount, not 价税合计.
TEST(Presets, KingdeeSalesOrderLines) {
  const std::string path = WriteScratch(
      "单据编号,日期,客户编码,客户名称,销售员,物料编码,物料名称,销售数量,含税单价,价税合计,金额,税额\n"
      "XSDD000001,2024/1/7,C001,华东商贸,张三,P-01,办公椅,2,113.00,226.00,200.00,26.00\n"
      "XSDD000001,2024/1/7,C001,华东商贸,张三,P-02,文件柜,1,565.00,565.00,500.00,65.00\n"
      "XSDD000002,2024/1/8,C002,华南实业,李四,P-01,办公椅,3,113.00,339.00,300.00,39.00\n");
  Dictionaries d;
  absl::StatusOr<OrdersCsv> csv = ReadOrdersCsv(path, With("kingdee", "orders"), d);
  ASSERT_TRUE(csv.ok()) << csv.status();
  EXPECT_EQ(csv->report.accepted, 3);
  const auto sums = ByOrder(*csv, d);
  ASSERT_EQ(sums.size(), 2u);
  EXPECT_EQ(sums.at("XSDD000001"), (OrderSums{70000, "C001", 3, 2}));
  EXPECT_EQ(sums.at("XSDD000002"), (OrderSums{30000, "C002", 3, 1}));
  // The salesperson column is bound (a field, not an attribute).
  EXPECT_NE(csv->table.columns().salesperson.size(), 0u);
  EXPECT_EQ(d.salespeople->size(), 2);
}

// 金蝶 应收单 and 收款单: receivables at 价税合计 with their due dates; a
// receipt names its 源单编号.
TEST(Presets, KingdeeReceivablesAndReceipts) {
  const std::string invoices = WriteScratch(
      "单据编号,业务日期,到期日,客户编码,销售员,价税合计,币别\n"
      "AR0001,2024-01-07,2024-02-06,C001,张三,791.00,人民币\n"
      "AR0002,2024-01-08,2024-02-07,C002,李四,339.00,人民币\n", "_ar");
  const std::string receipts = WriteScratch(
      "单据编号,业务日期,付款单位,源单编号,实收金额\n"
      "SK0001,2024-01-20,C001,AR0001,500.00\n", "_sk");
  Dictionaries d;
  absl::StatusOr<InvoicesCsv> inv = ReadInvoicesCsv(invoices, With("kingdee", "invoices"), d);
  ASSERT_TRUE(inv.ok()) << inv.status();
  ASSERT_EQ(inv->table.size(), 2u);
  Money total = 0;
  for (std::size_t i = 0; i < inv->table.size(); ++i) total += inv->table.columns().amount[i];
  EXPECT_EQ(total, 113000);
  absl::StatusOr<PaymentsCsv> pay =
      ReadPaymentsCsv(receipts, With("kingdee", "payments"), inv->table, d);
  ASSERT_TRUE(pay.ok()) << pay.status();
  ASSERT_EQ(pay->table.size(), 1u);
  EXPECT_EQ(pay->table.columns().amount[0], 50000);
  const std::size_t row = static_cast<std::size_t>(pay->table.columns().invoice_row[0]);
  EXPECT_EQ(inv->table.columns().amount[row], 79100);  // AR0001
}

// 用友 U8 销售订单列表: 无税金额 is the amount.
TEST(Presets, YonyouU8SalesOrders) {
  const std::string path = WriteScratch(
      "订单号,订单日期,客户编码,客户简称,业务员,部门,存货编码,存货名称,数量,无税单价,无税金额,税额,价税合计\n"
      "0000000001,2024-03-01,001,华东商贸,王五,销售一部,A01,打印纸,10,20.00,200.00,26.00,226.00\n"
      "0000000002,2024-03-02,002,华北公司,赵六,销售二部,A02,墨盒,4,50.00,200.00,26.00,226.00\n"
      "0000000002,2024-03-02,002,华北公司,赵六,销售二部,A01,打印纸,5,20.00,100.00,13.00,113.00\n");
  Dictionaries d;
  absl::StatusOr<OrdersCsv> csv = ReadOrdersCsv(path, With("yonyou", "orders"), d);
  ASSERT_TRUE(csv.ok()) << csv.status();
  const auto sums = ByOrder(*csv, d);
  ASSERT_EQ(sums.size(), 2u);
  for (const auto& [code, sum] : sums) SCOPED_TRACE(code);
  EXPECT_EQ(sums.at("0000000001"), (OrderSums{20000, "001", 10, 1}));  // as the export wrote them
  EXPECT_EQ(sums.at("0000000002"), (OrderSums{30000, "002", 9, 2}));
  EXPECT_EQ(d.departments->size(), 2);
}

// Odoo's export of sales orders with their lines writes the order's fields on
// its first line only: the preset fills them down.
TEST(Presets, OdooOrdersWithLinesAreFilledDown) {
  const std::string path = WriteScratch(
      "Order Reference,Order Date,Customer,Salesperson,Order Lines/Product,Order Lines/Quantity,"
      "Order Lines/Unit Price,Order Lines/Subtotal,Order Lines/Total\n"
      "S00021,2024-05-02 10:14:55,Azure Interior,Mitchell Admin,[FURN_8888] Office Lamp,2,40.00,80.00,92.00\n"
      ",,,,[FURN_6666] Acoustic Bloc Screens,1,295.00,295.00,339.25\n"
      "S00022,2024-05-03 09:00:00,Deco Addict,Marc Demo,[FURN_8888] Office Lamp,1,40.00,40.00,46.00\n");
  Dictionaries d;
  absl::StatusOr<OrdersCsv> csv = ReadOrdersCsv(path, With("odoo", "orders"), d);
  ASSERT_TRUE(csv.ok()) << csv.status();
  EXPECT_EQ(csv->report.accepted, 3);
  EXPECT_EQ(csv->report.filled_down, 1);
  const auto sums = ByOrder(*csv, d);
  ASSERT_EQ(sums.size(), 2u);
  EXPECT_EQ(sums.at("S00021"), (OrderSums{37500, "Azure Interior", 3, 2}));
  EXPECT_EQ(sums.at("S00022"), (OrderSums{4000, "Deco Addict", 1, 1}));
}

// ERPNext's Data Export of Sales Invoice with its Items: child columns are
// "Label (Items)", parent cells empty after a document's first line.
TEST(Presets, ErpnextDataExportWithItems) {
  const std::string path = WriteScratch(
      "ID,Customer,Date,Territory,Item Code (Items),Quantity (Items),Rate (Items),"
      "Amount (Items),Net Amount (Items)\n"
      "SINV-24-00001,Grant Plastics Ltd.,2024-06-10,India,SKU001,5,100,500,450\n"
      ",,,,SKU002,2,75,150,135\n"
      "SINV-24-00002,West View Software Ltd.,2024-06-11,United States,SKU001,1,100,100,100\n");
  Dictionaries d;
  absl::StatusOr<OrdersCsv> csv = ReadOrdersCsv(path, With("erpnext", "orders"), d);
  ASSERT_TRUE(csv.ok()) << csv.status();
  const auto sums = ByOrder(*csv, d);
  ASSERT_EQ(sums.size(), 2u);
  // Net Amount (after the invoice discount) is the revenue, not Amount.
  EXPECT_EQ(sums.at("SINV-24-00001"), (OrderSums{58500, "Grant Plastics Ltd.", 7, 2}));
  EXPECT_EQ(sums.at("SINV-24-00002"), (OrderSums{10000, "West View Software Ltd.", 1, 1}));
}

// SAP Business One's Export to Excel of sales order rows, margins from Gross
// Profit; and its A/R invoices.
TEST(Presets, SapBusinessOneOrdersAndInvoices) {
  const std::string orders = WriteScratch(
      "Document Number,Posting Date,Customer/Vendor Code,Customer/Vendor Name,Sales Employee,"
      "Item No.,Item Description,Quantity,Price,Total (LC),Gross Profit\n"
      "1001,2024-07-01,C20000,Maxi-Teq,Sophie Klogg,A00001,IBM Infoprint 1312,2,400.00,800.00,320.00\n"
      "1002,2024-07-02,C30000,Microchips,Bill Levine,A00002,IBM Infoprint 1222,1,300.00,300.00,-12.50\n",
      "_rdr");
  const std::string invoices = WriteScratch(
      "Document Number,Posting Date,Due Date,Customer/Vendor Code,Document Total,Paid to Date\n"
      "501,2024-07-01,2024-07-31,C20000,904.00,904.00\n", "_inv");
  Dictionaries d;
  absl::StatusOr<OrdersCsv> csv = ReadOrdersCsv(orders, With("sap_b1", "orders"), d);
  ASSERT_TRUE(csv.ok()) << csv.status();
  const auto sums = ByOrder(*csv, d);
  EXPECT_EQ(sums.at("1001"), (OrderSums{80000, "C20000", 2, 1}));
  EXPECT_EQ(sums.at("1002"), (OrderSums{30000, "C30000", 1, 1}));
  // Gross Profit is the line margin: cost = amount - margin.
  const OrderLinesColumns& c = csv->table.columns();
  ASSERT_EQ(c.cost.size(), 2u);
  std::map<Money, Money> cost_by_amount;
  for (std::size_t i = 0; i < 2; ++i) cost_by_amount[c.amount[i]] = c.cost[i];
  EXPECT_EQ(cost_by_amount.at(80000), 48000);
  EXPECT_EQ(cost_by_amount.at(30000), 31250);
  absl::StatusOr<InvoicesCsv> inv = ReadInvoicesCsv(invoices, With("sap_b1", "invoices"), d);
  ASSERT_TRUE(inv.ok()) << inv.status();
  EXPECT_EQ(inv->table.columns().amount[0], 90400);
  EXPECT_EQ(inv->table.columns().due_date[0] - inv->table.columns().invoice_date[0], 30);
  // Paid to Date has no paid date beside it: it stays an attribute column
  // (a payments file gives the receipts).
  EXPECT_TRUE(inv->table.columns().paid.empty());
}

TEST(Presets, ExplicitMappingWinsAndMissingFieldsNameWhatWasTried) {
  const std::string path = WriteScratch(
      "单据编号,日期,客户编码,价税合计,金额\n"
      "A1,2024-01-07,C1,113.00,100.00\n");
  IngestOptions o = With("kingdee", "orders");
  o.mapping.fields.emplace_back("amount", "价税合计");  // --map amount=价税合计
  Dictionaries d;
  absl::StatusOr<OrdersCsv> csv = ReadOrdersCsv(path, o, d);
  ASSERT_TRUE(csv.ok()) << csv.status();
  EXPECT_EQ(csv->table.columns().amount[0], 11300);

  const std::string no_amount = WriteScratch("单据编号,日期,客户编码,价税合计\nA1,2024-01-07,C1,113.00\n",
                                             "_no_amount");
  Dictionaries d2;
  absl::StatusOr<OrdersCsv> bad = ReadOrdersCsv(no_amount, With("kingdee", "orders"), d2);
  ASSERT_FALSE(bad.ok());
  EXPECT_THAT(bad.status().message(), HasSubstr("required field not mapped: amount"));
  EXPECT_THAT(bad.status().message(), HasSubstr("preset kingdee looked for amount as '金额', '不含税金额'"));
}

TEST(Presets, UserPresetFileWithDocumentTotal) {
  const std::string preset = WriteScratch(R"({
    "preset": 1, "name": "our-erp", "encoding": "utf-8", "date_format": "%Y/%m/%d",
    "tables": {"orders": {
      "fields": {"order": ["单据编号"], "date": ["单据日期"], "customer": ["客户编码"],
                 "product": ["商品编码"], "quantity": ["数量"], "amount": ["金额"]},
      "fill_down": ["单据编号", "单据日期", "客户编码"],
      "document_total": "销售金额"}}})", "_preset");
  const std::string path = WriteScratch(
      "单据编号,单据日期,客户编码,销售金额,商品编码,数量,金额\n"
      "BI001,2026/08/01,001,0.30,P001,1,0.10\n"
      ",,,,P001,1,0.20\n"
      ",,,,合计:,,0.30\n", "_doc");
  absl::StatusOr<ExportPreset> p = LoadPreset(preset);
  ASSERT_TRUE(p.ok()) << p.status();
  IngestOptions o;
  o.money_scale = 2;
  ApplyPreset(*p, "orders", &o);
  EXPECT_EQ(o.date_format, DateFormat::kYmdSlash);
  Dictionaries d;
  absl::StatusOr<OrdersCsv> csv = ReadOrdersCsv(path, o, d);
  ASSERT_TRUE(csv.ok()) << csv.status();
  EXPECT_EQ(csv->report.accepted, 2);
  EXPECT_EQ(csv->report.total_rows, 1);
  EXPECT_EQ(csv->report.total_mismatches, 0);
  EXPECT_EQ(ByOrder(*csv, d).at("BI001"), (OrderSums{30, "001", 2, 2}));
}

TEST(Presets, HostileDocumentsAreRefusedNamingTheKey) {
  struct Case {
    std::string json, message;
  };
  const Case cases[] = {
      {"[]", "must be a JSON object"},
      {"{", "not valid JSON"},
      {R"({"preset": 2, "tables": {}})", "preset: must be 1"},
      {R"({"preset": 1, "tabels": {}})", "unknown key 'tabels'. Did you mean 'tables'?"},
      {R"({"preset": 1, "tables": {"order": {"fields": {"order": ["A"]}}}})",
       "unknown table 'order'. Did you mean 'orders'?"},
      {R"({"preset": 1, "tables": {"orders": {"fields": {"order": "A"}}}})",
       "tables.orders.fields.order: must be a list of 1 to 64 header names"},
      {R"({"preset": 1, "tables": {"orders": {"fields": {"order": [""]}}}})",
       "tables.orders.fields.order[0]: a header name has 1 to 256 bytes"},
      {R"({"preset": 1, "tables": {"orders": {"fields": {"order": ["A"]}, "document_total": "T"}}})",
       "document_total: needs fill_down"},
      {R"({"preset": 1, "tables": {"orders": {"fields": {"order": ["A"]}}}, "encoding": "latin1"})",
       "encoding:"},
      {R"({"preset": 1, "tables": {"orders": {"fields": {"order": ["A"]}, "fill": []}}})",
       "tables.orders: unknown key 'fill'"},
      {std::string(kMaxPresetBytes + 1, ' '), "a preset has at most"},
      {std::string(100000, '[') , "not valid JSON"},
  };
  for (const Case& c : cases) {
    absl::StatusOr<ExportPreset> p = ParsePreset(c.json, "my.json");
    ASSERT_FALSE(p.ok()) << c.json.substr(0, 80);
    EXPECT_THAT(p.status().message(), HasSubstr(c.message)) << c.json.substr(0, 80);
    EXPECT_THAT(p.status().message(), HasSubstr("my.json"));
  }
  absl::StatusOr<ExportPreset> unknown = LoadPreset("kingde");
  ASSERT_FALSE(unknown.ok());
  EXPECT_THAT(unknown.status().message(), HasSubstr("Did you mean 'kingdee'?"));
}

TEST(Presets, AnUnknownFieldIsReportedWhenAFileIsLoaded) {
  absl::StatusOr<ExportPreset> p =
      ParsePreset(R"({"preset": 1, "name": "x", "tables": {"orders": {"fields": {"ammount": ["A"]}}}})",
                  "x.json");
  ASSERT_TRUE(p.ok()) << p.status();
  IngestOptions o;
  ApplyPreset(*p, "orders", &o);
  const std::string path = WriteScratch("order,date,customer,amount\n1,2024-01-01,C,1.00\n");
  Dictionaries d;
  absl::StatusOr<OrdersCsv> csv = ReadOrdersCsv(path, o, d);
  ASSERT_FALSE(csv.ok());
  EXPECT_THAT(csv.status().message(), HasSubstr("preset x names an unknown field 'ammount'"));
}

}  // namespace
}  // namespace salesight
