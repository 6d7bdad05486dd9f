// Document-style exports (csv.hpp "Documents"): the issue's 单据编号 example,
// planted total and document-total mismatches, subtotal levels, and a random
// test against a plain reference of which rows are data, totals and rejects.
#include "ingest/internal/documents.hpp"

#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_format.h"
#include "gtest/gtest.h"
#include "ingest_test_util.hpp"
#include "salesight/csv.hpp"

namespace salesight::ingest {
namespace {

using testing_util::WriteScratch;

const char kHeader[] = "单据编号,单据日期,客户编码,销售人员,销售金额,商品编码,数量,金额\n";

IngestOptions DocOptions(bool document_total = true) {
  IngestOptions o;
  absl::StatusOr<FieldMapping> m = ParseFieldMapping(
      "order=单据编号,date=单据日期,customer=客户编码,salesperson=销售人员,product=商品编码,"
      "quantity=数量,amount=金额");
  EXPECT_TRUE(m.ok()) << m.status();
  o.mapping = *m;
  o.fill_down = {"单据编号", "单据日期", "客户编码", "销售人员"};
  if (document_total) o.document_total = "销售金额";
  o.money_scale = 2;
  return o;
}

absl::StatusOr<OrdersCsv> Read(const std::string& body, const IngestOptions& o,
                               Dictionaries* dicts, const std::string& suffix = "") {
  return ReadOrdersCsv(WriteScratch(kHeader + body, suffix), o, *dicts);
}

void ExpectBalanced(const RejectReport& r) {
  EXPECT_EQ(r.accepted + r.total_rows + r.rejected, r.data_lines);
}

TEST(TotalLabels, Levels) {
  EXPECT_EQ(TotalLevel("小计"), 1);
  EXPECT_EQ(TotalLevel(" Sub Total: "), 1);
  EXPECT_EQ(TotalLevel("合计:"), 2);
  EXPECT_EQ(TotalLevel("合　计："), 2);
  EXPECT_EQ(TotalLevel("TOTAL"), 2);
  EXPECT_EQ(TotalLevel("总计"), 3);
  EXPECT_EQ(TotalLevel("Grand total"), 3);
  for (const char* no : {"", "合计金额", "Totals", "S-001", "小", "total 1"}) {
    EXPECT_EQ(TotalLevel(no), 0) << no;
  }
}

TEST(Documents, TheIssueExample) {
  Dictionaries dicts;
  absl::StatusOr<OrdersCsv> csv = Read(
      "BI001,2026-08-01,001,张三,0.30,P001,1,0.10\n"
      ",,,,,P001,1,0.20\n"
      ",,,,,合计:,,0.30\n",
      DocOptions(), &dicts);
  ASSERT_TRUE(csv.ok()) << csv.status();
  const RejectReport& r = csv->report;
  EXPECT_EQ(r.data_lines, 3);
  EXPECT_EQ(r.accepted, 2);
  EXPECT_EQ(r.total_rows, 1);
  EXPECT_EQ(r.rejected, 0);
  EXPECT_EQ(r.filled_down, 1);
  EXPECT_EQ(r.total_mismatches, 0);
  ExpectBalanced(r);
  const auto& c = csv->table.columns();
  EXPECT_EQ(std::vector<Money>(c.amount.begin(), c.amount.end()), (std::vector<Money>{10, 20}));
  EXPECT_EQ(c.order_date[1], DayFromCivil(2026, 8, 1));
  EXPECT_EQ(dicts.salespeople->Code(c.salesperson[1]), "张三");
  EXPECT_EQ(dicts.customers->Code(c.customer[1]), "001");
  EXPECT_EQ(c.order_id[0], c.order_id[1]);
  for (const AttributeColumn& a : c.attributes) EXPECT_NE(a.name, "销售金额");  // never a dimension
  ASSERT_EQ(r.notes.size(), 2u);
  EXPECT_EQ(r.notes[0].line, 3);
  EXPECT_EQ(r.notes[0].reason, "filled down: 单据编号, 单据日期, 客户编码, 销售人员 from line 2");
  EXPECT_EQ(r.notes[1].line, 4);
  EXPECT_EQ(r.notes[1].reason, "total row: 合计: 金额 0.30 = the sum of the 2 lines it closes");
}

TEST(Documents, PlantedMismatchesAreReportedWithBothNumbers) {
  Dictionaries dicts;
  absl::StatusOr<OrdersCsv> csv = Read(
      "BI001,2026-08-01,001,张三,0.35,P001,1,0.10\n"  // document amount 0.35, lines 0.30
      ",,,,,P001,1,0.20\n"
      ",,,,,合计:,,0.40\n",                            // total 0.40, lines 0.30
      DocOptions(), &dicts);
  ASSERT_TRUE(csv.ok()) << csv.status();
  const RejectReport& r = csv->report;
  EXPECT_EQ(r.accepted, 2);
  EXPECT_EQ(r.total_rows, 0);
  EXPECT_EQ(r.rejected, 1);
  EXPECT_EQ(r.total_mismatches, 2);
  ExpectBalanced(r);
  ASSERT_EQ(r.rejects.size(), 1u);
  EXPECT_EQ(r.rejects[0].line, 4);
  EXPECT_EQ(r.rejects[0].column, "金额");
  EXPECT_EQ(r.rejects[0].value, "0.40");
  EXPECT_EQ(r.rejects[0].reason,
            "合计: says 0.40 but the 2 accepted lines it closes (after line 1) sum to 0.30");
  ASSERT_EQ(r.notes.size(), 2u);
  EXPECT_EQ(r.notes[1].line, 2);
  EXPECT_EQ(r.notes[1].column, "销售金额");
  EXPECT_EQ(r.notes[1].reason,
            "document total mismatch: 0.35 but the 2 accepted lines of the document (金额) sum "
            "to 0.30");
  EXPECT_NE(FormatRejectReport(r).find("document total mismatch"), std::string::npos);

  IngestOptions stop = DocOptions();
  stop.stop_on_first_error = true;
  Dictionaries d2;
  csv = Read("BI001,2026-08-01,001,张三,0.35,P001,1,0.10\nBI002,2026-08-01,002,李四,,P1,1,1\n",
             stop, &d2, "stop");
  ASSERT_FALSE(csv.ok());
  EXPECT_NE(csv.status().message().find("line 2, column '销售金额': document total mismatch"),
            std::string::npos)
      << csv.status();
}

TEST(Documents, SubtotalsAndGrandTotalCloseTheirOwnLevels) {
  Dictionaries dicts;
  absl::StatusOr<OrdersCsv> csv = Read(
      "BI001,2026-08-01,001,张三,0.30,P1,1,0.10\n"
      ",,,,,P2,1,0.20\n"
      ",,,,,小计,,0.30\n"
      "BI002,2026-08-02,002,李四,1.00,P1,1,1.00\n"
      ",,,,,P9,1,abc\n"                  // rejected: its amount is not in any sum
      ",,,,,小计,,1.00\n"
      ",,,,,总计,,1.30\n"
      "BI003,2026-08-03,003,李四,2.00,P1,1,2.00\n"
      ",,,,,总计,,9.99\n",               // closes BI003 only: mismatch
      DocOptions(), &dicts);
  ASSERT_TRUE(csv.ok()) << csv.status();
  const RejectReport& r = csv->report;
  EXPECT_EQ(r.accepted, 4);
  EXPECT_EQ(r.total_rows, 3);
  EXPECT_EQ(r.rejected, 2);
  EXPECT_EQ(r.total_mismatches, 1);
  ExpectBalanced(r);
  ASSERT_EQ(r.rejects.size(), 2u);
  EXPECT_EQ(r.rejects[0].line, 6);
  EXPECT_EQ(r.rejects[1].line, 10);
  EXPECT_EQ(r.rejects[1].reason,
            "总计 says 9.99 but the 1 accepted line it closes (after line 8) sum to 2.00");
}

TEST(Documents, TotalRowsWithoutFillDownAndKeyAsLabel) {
  IngestOptions o;
  o.money_scale = 2;
  Dictionaries dicts;
  absl::StatusOr<OrdersCsv> csv = ReadOrdersCsv(
      WriteScratch("order,date,customer,amount\n1,2024-01-02,C1,1.50\n2,2024-01-03,C2,2.50\n"
                   ",,合计,4.00\nTotal,,,4.00\n"),
      o, dicts);
  ASSERT_TRUE(csv.ok()) << csv.status();
  EXPECT_EQ(csv->report.accepted, 2);
  // The second total closes no lines (the first one closed them): 0 != 4.00.
  EXPECT_EQ(csv->report.total_rows, 1);
  EXPECT_EQ(csv->report.rejected, 1);
  ExpectBalanced(csv->report);
  ASSERT_EQ(csv->report.rejects.size(), 1u);
  EXPECT_EQ(csv->report.rejects[0].reason,
            "Total says 4.00 but the 0 accepted lines it closes (after line 4) sum to 0.00");
}

TEST(Documents, OptionErrors) {
  Dictionaries dicts;
  IngestOptions o = DocOptions();
  o.fill_down.push_back("单号");
  absl::StatusOr<OrdersCsv> csv = Read("", o, &dicts);
  ASSERT_FALSE(csv.ok());
  EXPECT_NE(csv.status().message().find("fill-down column '单号' is not in the header"),
            std::string::npos)
      << csv.status();
  o = DocOptions();
  o.fill_down.clear();
  csv = Read("", o, &dicts);
  ASSERT_FALSE(csv.ok());
  EXPECT_NE(csv.status().message().find("document_total needs fill_down"), std::string::npos);
}

// Random documents with subtotal, total and grand-total rows, planted wrong
// totals, wrong document amounts and rejected lines; the reference walks the
// same rows plainly.
TEST(Documents, RandomExportsAgreeWithAPlainReference) {
  struct Spec {
    enum Kind { kStart, kLine, kTotal } kind;
    int level = 0;        // kTotal
    int doc = 0;          // kStart, kLine
    std::int64_t amount = 0;
    bool bad = false;     // an amount that does not parse: the line is rejected
    std::int64_t off = 0; // planted error of a total row or a document amount
    std::int64_t stated = 0;
  };
  for (std::uint32_t seed = 1; seed <= 60; ++seed) {
    std::mt19937 rng(seed);
    std::vector<Spec> specs;
    std::vector<std::int64_t> doc_off(1, 0);
    bool open = false;
    const int rows = 5 + static_cast<int>(rng() % 40);
    for (int i = 0; i < rows; ++i) {
      Spec s;
      const unsigned pick = static_cast<unsigned>(rng() % 10);
      if (pick < 2 && i > 0) {
        s.kind = Spec::kTotal;
        s.level = 1 + static_cast<int>(rng() % 3);
        s.off = rng() % 4 == 0 ? 1 + static_cast<std::int64_t>(rng() % 50) : 0;
        open = false;
      } else {
        s.kind = pick < 5 || !open ? Spec::kStart : Spec::kLine;
        if (s.kind == Spec::kStart) {
          doc_off.push_back(rng() % 3 == 0 ? 1 : 0);
          open = true;
        }
        s.doc = static_cast<int>(doc_off.size()) - 1;
        s.amount = static_cast<std::int64_t>(rng() % 100000);
        s.bad = rng() % 8 == 0;
      }
      specs.push_back(s);
    }
    // Reference.
    std::int64_t accepted = 0, totals = 0, rejected = 0, mismatches = 0, filled = 0, sum = 0;
    std::int64_t level_sum[4] = {0, 0, 0, 0};
    std::vector<std::int64_t> doc_sum(doc_off.size(), 0);
    for (Spec& s : specs) {
      if (s.kind == Spec::kTotal) {
        s.stated = level_sum[s.level] + s.off;
        if (s.off == 0) {
          ++totals;
        } else {
          ++rejected;
          ++mismatches;
        }
        for (int k = 1; k <= s.level; ++k) level_sum[k] = 0;
        continue;
      }
      if (s.bad) {
        ++rejected;
        continue;
      }
      ++accepted;
      if (s.kind == Spec::kLine) ++filled;
      sum += s.amount;
      doc_sum[static_cast<std::size_t>(s.doc)] += s.amount;
      for (int k = 1; k <= 3; ++k) level_sum[k] += s.amount;
    }
    for (std::size_t d = 1; d < doc_off.size(); ++d) mismatches += doc_off[d];
    // The file.
    std::string body;
    for (const Spec& s : specs) {
      if (s.kind == Spec::kTotal) {
        const char* label = s.level == 1 ? "小计" : s.level == 2 ? "合计:" : "Grand Total";
        body += absl::StrFormat(",,,,,%s,,%s\n", label, FormatMoney(s.stated, 2));
        continue;
      }
      const std::string amount = s.bad ? "n/a" : FormatMoney(s.amount, 2);
      if (s.kind == Spec::kStart) {
        const auto d = static_cast<std::size_t>(s.doc);
        body += absl::StrFormat("BI%03d,2026-08-%02d,C%d,S%d,%s,P1,1,%s\n", s.doc,
                                1 + s.doc % 28, s.doc % 5, s.doc % 3,
                                FormatMoney(doc_sum[d] + doc_off[d], 2), amount);
      } else {
        body += absl::StrFormat(",,,,,P2,1,%s\n", amount);
      }
    }
    Dictionaries dicts;
    absl::StatusOr<OrdersCsv> csv =
        Read(body, DocOptions(), &dicts, absl::StrFormat("random%d", seed));
    ASSERT_TRUE(csv.ok()) << csv.status();
    const RejectReport& r = csv->report;
    ExpectBalanced(r);
    EXPECT_EQ(r.accepted, accepted) << "seed " << seed << "\n" << body;
    EXPECT_EQ(r.total_rows, totals) << "seed " << seed << "\n" << body;
    EXPECT_EQ(r.rejected, rejected) << "seed " << seed << "\n" << body;
    EXPECT_EQ(r.filled_down, filled) << "seed " << seed;
    EXPECT_EQ(r.total_mismatches, mismatches) << "seed " << seed << "\n" << body;
    Money got = 0;
    for (Money a : csv->table.columns().amount) got += a;
    EXPECT_EQ(got, sum) << "seed " << seed;  // document amounts are never added
  }
}

}  // namespace
}  // namespace salesight::ingest
