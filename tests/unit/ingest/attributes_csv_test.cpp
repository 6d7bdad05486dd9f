// Unmapped CSV columns kept as attribute columns (IngestOptions::attributes):
// which columns, their codes in canonical order, the bounds and the errors.
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
#include "salesight/csv.hpp"

namespace salesight {
namespace {

std::string WriteTemp(const std::string& content) {
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  std::string name = std::string("attrs_") + info->test_suite_name() + "_" + info->name();
  for (char& c : name) {
    if (c == '/' || c == ' ') c = '_';
  }
  const char* dir = ::access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
  const std::string path = std::string(dir) + "/" + name + ".csv";
  static struct Cleanup {
    std::vector<std::string> paths;
    ~Cleanup() {
      for (const std::string& p : paths) std::remove(p.c_str());
    }
  } cleanup;
  cleanup.paths.push_back(path);
  std::ofstream f(path, std::ios::binary);
  f << content;
  return path;
}

IngestOptions Options(const std::string& mapping) {
  IngestOptions o;
  absl::StatusOr<FieldMapping> m = ParseFieldMapping(mapping);
  EXPECT_TRUE(m.ok()) << m.status();
  o.mapping = *m;
  return o;
}

IngestOptions Listed(const std::string& mapping, std::vector<std::string> columns) {
  IngestOptions o = Options(mapping);
  o.attributes = IngestOptions::AttributeSelection::kListed;
  o.attribute_columns = std::move(columns);
  return o;
}

// The attribute's value per row, decoded.
std::vector<std::string> Values(const AttributeColumn& a) {
  std::vector<std::string> out;
  for (Id code : a.codes) out.emplace_back(a.dictionary->Code(code));
  return out;
}

std::vector<std::string> Names(const Attributes& attributes) {
  std::vector<std::string> out;
  for (const AttributeColumn& a : attributes) out.push_back(a.name);
  return out;
}

void ExpectError(const absl::Status& st, const std::string& fragment) {
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find(fragment), std::string::npos) << st;
}

const std::string kOrders =
    "order,date,customer,amount,Segment,Note\n"
    "1,2024-01-01,C1,10, b ,x\n"
    "2,2024-01-02,C2,oops,a,y\n"  // rejected: its attribute values are not kept
    "3,2024-01-03,C1,5,,x\n"
    "4,2024-01-04,C3,7,a,z\n";

TEST(AttributesCsv, EveryUnmappedColumnByDefaultInCanonicalOrder) {
  Dictionaries dicts;
  absl::StatusOr<OrdersCsv> r = ReadOrdersCsv(WriteTemp(kOrders), Options(""), dicts);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->report.accepted, 3);
  const Attributes& attributes = r->table.columns().attributes;
  ASSERT_EQ(Names(attributes), (std::vector<std::string>{"Segment", "Note"}));
  // trimmed; the empty cell is the member "" (first: "" sorts first)
  EXPECT_EQ(Values(attributes[0]), (std::vector<std::string>{"b", "", "a"}));
  EXPECT_EQ(attributes[0].dictionary->size(), 3);
  EXPECT_EQ(attributes[0].dictionary->Code(0), "");
  EXPECT_EQ(attributes[0].dictionary->Code(1), "a");
  EXPECT_EQ(std::vector<Id>(attributes[0].codes.begin(), attributes[0].codes.end()),
            (std::vector<Id>{2, 0, 1}));
  EXPECT_EQ(Values(attributes[1]), (std::vector<std::string>{"x", "x", "z"}));
  EXPECT_TRUE(IsCanonical(*attributes[1].dictionary));  // "y" was never stored
  EXPECT_EQ(attributes[1].dictionary->size(), 2);
}

TEST(AttributesCsv, ListedColumnsOnlyAndNone) {
  Dictionaries dicts;
  absl::StatusOr<OrdersCsv> r =
      ReadOrdersCsv(WriteTemp(kOrders), Listed("", {" Note "}), dicts);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(Names(r->table.columns().attributes), (std::vector<std::string>{"Note"}));
  Dictionaries dicts2;
  r = ReadOrdersCsv(WriteTemp(kOrders), Listed("", {}), dicts2);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_TRUE(r->table.columns().attributes.empty());
}

TEST(AttributesCsv, ListedColumnErrorsNameTheColumn) {
  Dictionaries dicts;
  ExpectError(ReadOrdersCsv(WriteTemp(kOrders), Listed("", {"Segmnt"}), dicts).status(),
              "attribute column 'Segmnt' is not in the header");
  ExpectError(ReadOrdersCsv(WriteTemp(kOrders), Listed("", {"customer"}), dicts).status(),
              "'customer' of");
  ExpectError(ReadOrdersCsv(WriteTemp(kOrders), Listed("", {"Note", "Note"}), dicts).status(),
              "listed twice");
}

TEST(AttributesCsv, FieldNamedAndDuplicateColumnsAreSkippedByDefaultRefusedWhenListed) {
  // "amount" is mapped elsewhere, so the column "amount" is unmapped but has
  // the name of a pipeline field; "x" appears twice.
  const std::string csv =
      "id,lead,Value,amount,x,x,origin\n"
      "O1,2024-01-01,5,9,p,q,web\n";
  Dictionaries dicts;
  absl::StatusOr<PipelineCsv> r =
      ReadPipelineCsv(WriteTemp(csv), Options("id=id,amount=Value"), {{"lead", "lead"}}, dicts);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(Names(r->table.columns().attributes), (std::vector<std::string>{"origin"}));
  ExpectError(ReadPipelineCsv(WriteTemp(csv), Listed("id=id,amount=Value", {"amount"}),
                              {{"lead", "lead"}}, dicts)
                  .status(),
              "has the name of a field");
  ExpectError(ReadPipelineCsv(WriteTemp(csv), Listed("id=id,amount=Value", {"x"}),
                              {{"lead", "lead"}}, dicts)
                  .status(),
              "more than once");
  ExpectError(ReadPipelineCsv(WriteTemp(csv), Listed("id=id,amount=Value", {"lead"}),
                              {{"lead", "lead"}}, dicts)
                  .status(),
              "is mapped to a field or stage");
}

TEST(AttributesCsv, TooManyColumnsIsAnErrorSuggestingAttrs) {
  IngestOptions o = Options("");
  o.max_attribute_columns = 1;
  Dictionaries dicts;
  const absl::Status st = ReadOrdersCsv(WriteTemp(kOrders), o, dicts).status();
  ExpectError(st, "2 unmapped columns, more than the 1");
  ExpectError(st, "'Note'");
  ExpectError(st, "--attrs");
}

TEST(AttributesCsv, TooManyDistinctValuesIsAnErrorNamingTheColumnAndLine) {
  IngestOptions o = Options("");
  o.max_attribute_members = 2;  // Segment: b, "", then a on line 5 is the third
  Dictionaries dicts;
  absl::Status st = ReadOrdersCsv(WriteTemp(kOrders), o, dicts).status();
  ExpectError(st, ".csv line 5, column 'Segment': more than 2 distinct values");
  ExpectError(st, "--attrs");
  o.max_attribute_members = 3;  // exactly 3 distinct values fit ("", a, b)
  EXPECT_TRUE(ReadOrdersCsv(WriteTemp(kOrders), o, dicts).ok());
}

TEST(AttributesCsv, InvalidUtf8RejectsTheRow) {
  Dictionaries dicts;
  absl::StatusOr<OrdersCsv> r = ReadOrdersCsv(
      WriteTemp("order,date,customer,amount,Segment\n1,2024-01-01,C1,1,\xff\n"
                "2,2024-01-01,C1,1,ok\n"),
      Options(""), dicts);
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_EQ(r->report.rejects.size(), 1u);
  EXPECT_EQ(r->report.rejects[0].column, "Segment");
  EXPECT_EQ(Values(r->table.columns().attributes[0]), (std::vector<std::string>{"ok"}));
}

TEST(AttributesCsv, MasterTablesAndInvoicesKeepTheirs) {
  Dictionaries dicts;
  absl::StatusOr<CustomersCsv> c = ReadCustomersCsv(
      WriteTemp("customer,name,tier,terms_days\nC1,A,gold,30\nC2,B,,60\n"), Options(""), dicts);
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(Names(c->table.columns().attributes), (std::vector<std::string>{"tier", "terms_days"}));
  EXPECT_EQ(Values(c->table.columns().attributes[0]), (std::vector<std::string>{"gold", ""}));
  // integer codes order by value (dictionary.hpp): 60 < 100
  absl::StatusOr<ProductsCsv> p = ReadProductsCsv(
      WriteTemp("product,name,pack\nP1,x,100\nP2,y,60\n"), Options(""), dicts);
  ASSERT_TRUE(p.ok()) << p.status();
  const AttributeColumn& pack = p->table.columns().attributes.at(0);
  EXPECT_EQ(pack.dictionary->Code(0), "60");
  EXPECT_EQ(Values(pack), (std::vector<std::string>{"100", "60"}));
  absl::StatusOr<InvoicesCsv> i = ReadInvoicesCsv(
      WriteTemp("invoice,customer,date,due,amount,terms\nI1,C1,2024-01-01,2024-01-31,5,net30\n"),
      Options(""), dicts);
  ASSERT_TRUE(i.ok()) << i.status();
  EXPECT_EQ(Names(i->table.columns().attributes), (std::vector<std::string>{"terms"}));
}

// Random files: every accepted row's attribute decodes to its trimmed cell,
// every dictionary is canonical and holds exactly the stored values.
TEST(AttributesCsv, RandomFilesDecodeToTheCells) {
  const std::vector<std::string> pool = {"", "web", "Web", " fair ", "10", "9", "华东", "-3"};
  for (int seed = 0; seed < 20; ++seed) {
    std::mt19937 rng(static_cast<unsigned>(seed));
    std::string csv = "order,date,customer,amount,o1,o2\n";
    std::vector<std::vector<std::string>> want(2);
    const int n = 1 + static_cast<int>(rng() % 60);
    for (int i = 0; i < n; ++i) {
      const bool bad = rng() % 7 == 0;
      const std::string a = pool[rng() % pool.size()], b = pool[rng() % 4];
      csv += std::to_string(i) + ",2024-01-01,C," + (bad ? "x" : "1") + "," + a + "," + b + "\n";
      if (bad) continue;
      auto trim = [](std::string s) {
        s.erase(0, s.find_first_not_of(' '));
        s.erase(s.find_last_not_of(' ') + 1);
        return s;
      };
      want[0].push_back(trim(a));
      want[1].push_back(trim(b));
    }
    Dictionaries dicts;
    absl::StatusOr<OrdersCsv> r = ReadOrdersCsv(WriteTemp(csv), Options(""), dicts);
    ASSERT_TRUE(r.ok()) << r.status();
    const Attributes& attributes = r->table.columns().attributes;
    ASSERT_EQ(attributes.size(), 2u);
    for (std::size_t a = 0; a < 2; ++a) {
      EXPECT_EQ(Values(attributes[a]), want[a]) << "seed " << seed;
      EXPECT_TRUE(IsCanonical(*attributes[a].dictionary)) << "seed " << seed;
      std::vector<std::string> distinct = want[a];
      std::sort(distinct.begin(), distinct.end());
      distinct.erase(std::unique(distinct.begin(), distinct.end()), distinct.end());
      EXPECT_EQ(attributes[a].dictionary->size(), static_cast<Id>(distinct.size()));
    }
  }
}

}  // namespace
}  // namespace salesight
