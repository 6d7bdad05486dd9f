// Encodings (csv.hpp "Encoding"): GB18030/GBK and UTF-16 fixtures made here
// with iconv from UTF-8 text, the detection hint for a GB18030 file read as
// UTF-8, undecodable bytes shown escaped, and a random round trip through
// every encoding and chunk size against the UTF-8 read of the same text.
#include "ingest/internal/encoding.hpp"

#include <random>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "ingest/internal/field_parsers.hpp"
#include "ingest_test_util.hpp"
#include "salesight/csv.hpp"

namespace salesight::ingest {
namespace {

using testing_util::WriteScratch;

const char kDoc[] =
    "单据编号,单据日期,客户编码,销售人员,金额\n"
    "BI001,2026-08-01,客户甲,张三,0.30\n"
    "BI002,2026-08-02,客户乙,李四,1.50\n";
const char kMap[] = "order=单据编号,date=单据日期,customer=客户编码,salesperson=销售人员,amount=金额";

std::string Encode(std::string_view utf8, const char* name) {
  absl::StatusOr<std::string> s = EncodeUtf8As(utf8, name);
  EXPECT_TRUE(s.ok()) << s.status();
  return s.ok() ? *s : std::string();
}

IngestOptions Options(Encoding e) {
  IngestOptions o;
  o.encoding = e;
  absl::StatusOr<FieldMapping> m = ParseFieldMapping(kMap);
  EXPECT_TRUE(m.ok()) << m.status();
  o.mapping = *m;
  return o;
}

std::vector<std::string> Codes(const Column<Id>& ids, const Dictionary& d) {
  std::vector<std::string> out;
  for (Id id : ids) out.emplace_back(d.Code(id));
  return out;
}

void ExpectDoc(const absl::StatusOr<OrdersCsv>& csv, const Dictionaries& dicts) {
  ASSERT_TRUE(csv.ok()) << csv.status();
  EXPECT_EQ(csv->report.accepted, 2);
  EXPECT_EQ(csv->report.rejected, 0);
  EXPECT_EQ(Codes(csv->table.columns().customer, *dicts.customers),
            (std::vector<std::string>{"客户甲", "客户乙"}));
  EXPECT_EQ(Codes(csv->table.columns().salesperson, *dicts.salespeople),
            (std::vector<std::string>{"张三", "李四"}));
}

TEST(Encoding, Names) {
  EXPECT_EQ(*ParseEncodingName("GBK"), Encoding::kGb18030);
  EXPECT_EQ(*ParseEncodingName("gb18030"), Encoding::kGb18030);
  EXPECT_EQ(*ParseEncodingName("UTF-8"), Encoding::kUtf8);
  EXPECT_EQ(*ParseEncodingName("utf16"), Encoding::kUtf16);
  EXPECT_EQ(*ParseEncodingName("auto"), Encoding::kAuto);
  absl::StatusOr<Encoding> bad = ParseEncodingName("latin1");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("gb18030"), std::string::npos);
}

TEST(Encoding, Gb18030AndGbkFilesReadWithTheOption) {
  for (const char* codec : {"GB18030", "GBK"}) {
    Dictionaries dicts;
    const std::string bytes = Encode(kDoc, codec);
    ASSERT_FALSE(ValidUtf8(bytes));
    ExpectDoc(ReadOrdersCsv(WriteScratch(bytes, codec), Options(Encoding::kGb18030), dicts),
              dicts);
  }
}

TEST(Encoding, Gb18030FileReadAsUtf8IsAnErrorShowingTheHeaderBothWays) {
  Dictionaries dicts;
  const std::string bytes = Encode(kDoc, "GBK");
  absl::StatusOr<OrdersCsv> csv =
      ReadOrdersCsv(WriteScratch(bytes), Options(Encoding::kAuto), dicts);
  ASSERT_FALSE(csv.ok());
  const std::string msg(csv.status().message());
  EXPECT_NE(msg.find("--encoding gb18030"), std::string::npos) << msg;
  EXPECT_NE(msg.find("as GB18030: '单据编号,单据日期,客户编码,销售人员,金额'"), std::string::npos)
      << msg;
  // The UTF-8 reading shows the bytes escaped: 单 is D5 A5 in GBK.
  EXPECT_NE(msg.find("as UTF-8: '\\xB5\\xA5"), std::string::npos) << msg;
  EXPECT_TRUE(ValidUtf8(msg));
}

TEST(Encoding, HintNamesTheFirstLineThatIsNotUtf8) {
  Dictionaries dicts;
  const std::string bytes = std::string("order,date,customer,amount\n1,2024-01-02,C1,1\n") +
                            Encode("2,2024-01-03,张三,2\n", "GB18030");
  absl::StatusOr<OrdersCsv> csv =
      ReadOrdersCsv(WriteScratch(bytes), Options(Encoding::kAuto), dicts);
  ASSERT_FALSE(csv.ok());
  const std::string msg(csv.status().message());
  EXPECT_NE(msg.find("(line 3)"), std::string::npos) << msg;
  EXPECT_NE(msg.find("Line 3 as UTF-8: '2,2024-01-03,\\x"), std::string::npos) << msg;
  EXPECT_NE(msg.find("as GB18030: '2,2024-01-03,张三,2'"), std::string::npos) << msg;
}

TEST(Encoding, ExplicitUtf8RejectsTheRowsAndShowsTheirBytesEscaped) {
  Dictionaries dicts;
  IngestOptions o;
  o.encoding = Encoding::kUtf8;
  const std::string bytes = std::string("order,date,customer,amount\n1,2024-01-02,C1,1\n") +
                            Encode("2,2024-01-03,张三,2\n", "GB18030");
  absl::StatusOr<OrdersCsv> csv = ReadOrdersCsv(WriteScratch(bytes), o, dicts);
  ASSERT_TRUE(csv.ok()) << csv.status();
  EXPECT_EQ(csv->report.accepted, 1);
  ASSERT_EQ(csv->report.rejects.size(), 1u);
  const Reject& r = csv->report.rejects[0];
  EXPECT_EQ(r.line, 3);
  EXPECT_EQ(r.column, "customer");
  EXPECT_EQ(r.value, "\\xD5\\xC5\\xC8\\xFD");  // 张三 in GBK
  EXPECT_NE(r.reason.find("as GB18030 it reads '张三'"), std::string::npos) << r.reason;
}

TEST(Encoding, Utf16WithBomIsDetectedAndReadTabSeparated) {
  std::string tabbed = kDoc;
  for (char& c : tabbed) {
    if (c == ',') c = '\t';
  }
  for (const char* codec : {"UTF-16LE", "UTF-16BE"}) {
    const std::string bom = std::string(codec) == "UTF-16LE" ? "\xFF\xFE" : "\xFE\xFF";
    Dictionaries dicts;
    ExpectDoc(ReadOrdersCsv(WriteScratch(bom + Encode(tabbed, codec), codec),
                            Options(Encoding::kAuto), dicts),
              dicts);
  }
  // Without a byte order mark only the option reads it (little-endian).
  Dictionaries dicts;
  ExpectDoc(ReadOrdersCsv(WriteScratch(Encode(kDoc, "UTF-16LE")), Options(Encoding::kUtf16),
                          dicts),
            dicts);
}

TEST(Encoding, UndecodableBytesRejectTheirRowShownEscaped) {
  IngestOptions o;
  o.encoding = Encoding::kGb18030;
  // \x81 followed by ',' starts no GB18030 character.
  const std::string gb = Encode("order,date,customer,amount\n1,2024-01-02,客户,1\n", "GB18030") +
                         "2,2024-01-03,C\x81,2\n";
  Dictionaries dicts;
  absl::StatusOr<OrdersCsv> csv = ReadOrdersCsv(WriteScratch(gb, "gb"), o, dicts);
  ASSERT_TRUE(csv.ok()) << csv.status();
  EXPECT_EQ(csv->report.accepted, 1);
  ASSERT_EQ(csv->report.rejects.size(), 1u);
  EXPECT_EQ(csv->report.rejects[0].line, 3);
  EXPECT_EQ(csv->report.rejects[0].value, "C\\x81");

  // A lone UTF-16 surrogate (D800) keeps its three-byte form, which strict UTF-8 refuses.
  o.encoding = Encoding::kUtf16;
  const std::string utf16 = Encode("order,date,customer,amount\n1,2024-01-02,C", "UTF-16LE") +
                            std::string("\x00\xD8", 2) + Encode(",1\n", "UTF-16LE");
  Dictionaries dicts16;
  csv = ReadOrdersCsv(WriteScratch(utf16, "16"), o, dicts16);
  ASSERT_TRUE(csv.ok()) << csv.status();
  ASSERT_EQ(csv->report.rejects.size(), 1u);
  EXPECT_EQ(csv->report.rejects[0].value, "C\\xED\\xA0\\x80");
}

// Random text of ASCII, CJK (2- and 4-byte GB18030) and quoted fields with
// newlines, long enough to cut characters at the transcoder's read edges, read
// through each encoding and chunk size: the same records as the UTF-8 read.
TEST(Encoding, RandomRoundTripEqualsTheUtf8Read) {
  const std::vector<std::string> pieces = {"a", "Z", "9", " ", "单", "据", "€", "𠀀", "é",
                                           "\"\"", ",", "\n", "合计"};
  for (std::uint32_t seed = 1; seed <= 6; ++seed) {
    std::mt19937 rng(seed);
    std::string utf8 = "c1,c2,c3\n";
    const int rows = seed == 1 ? 12000 : 200;  // the first case crosses the 256 KiB raw reads
    for (int r = 0; r < rows; ++r) {
      for (int f = 0; f < 3; ++f) {
        std::string field;
        const int len = static_cast<int>(rng() % 6);
        for (int k = 0; k < len; ++k) field += pieces[rng() % pieces.size()];
        utf8 += "\"" + field + "\"" + (f < 2 ? "," : "\n");
      }
    }
    IngestOptions o;
    o.chunk_bytes = 1 + rng() % 5000;
    absl::StatusOr<StringCsv> want = ReadCsvStringsFromBuffer(utf8, o);
    ASSERT_TRUE(want.ok()) << want.status();
    struct Case {
      const char* codec;
      std::string prefix;
      Encoding encoding;
    };
    for (const Case& c : {Case{"GB18030", "", Encoding::kGb18030},
                          Case{"UTF-16LE", "\xFF\xFE", Encoding::kAuto},
                          Case{"UTF-16BE", "\xFE\xFF", Encoding::kUtf16}}) {
      o.encoding = c.encoding;
      const std::string bytes = c.prefix + Encode(utf8, c.codec);
      absl::StatusOr<StringCsv> got = ReadCsvStringsFromBuffer(bytes, o);
      ASSERT_TRUE(got.ok()) << got.status();
      ASSERT_EQ(got->num_rows(), want->num_rows()) << c.codec << " seed " << seed;
      EXPECT_EQ(got->report.rejected, want->report.rejected);
      for (std::size_t col = 0; col < want->columns.size(); ++col) {
        for (std::size_t row = 0; row < want->num_rows(); ++row) {
          ASSERT_EQ(got->columns[col][row], want->columns[col][row])
              << c.codec << " seed " << seed << " row " << row;
        }
      }
    }
  }
}

}  // namespace
}  // namespace salesight::ingest
