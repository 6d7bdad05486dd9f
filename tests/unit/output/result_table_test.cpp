#include "salesight/result_table.hpp"

#include <sstream>

#include "gtest/gtest.h"

namespace salesight {
namespace {

ResultTable Sample() {
  ResultTable t;
  ResultColumn& name = t.AddString("customer");
  name.strings = {"C-1", "华东, \"big\"", "line\nbreak"};
  ResultColumn& money = t.AddMoney("monetary", 2);
  money.ints = {123450, -5, 0};
  ResultColumn& share = t.AddDouble("share");
  share.doubles = {0.5, 0.25, 0.0};
  share.valid = {1, 1, 0};
  ResultColumn& day = t.AddDate("last");
  day.ints = {19996, 0, 19997};
  return t;
}

TEST(ResultTable, CsvQuotesOnlyWhatNeedsIt) {
  std::ostringstream out;
  WriteCsv(Sample(), out);
  EXPECT_EQ(out.str(),
            "customer,monetary,share,last\n"
            "C-1,1234.50,0.5,2024-09-30\n"
            "\"华东, \"\"big\"\"\",-0.05,0.25,1970-01-01\n"
            "\"line\nbreak\",0.00,,2024-10-01\n");
}

TEST(ResultTable, JsonHasNullsAndExactMoney) {
  std::ostringstream out;
  WriteJson(Sample(), out);
  std::string s = out.str();
  EXPECT_NE(s.find("\"monetary\": 1234.50"), std::string::npos) << s;
  EXPECT_NE(s.find("\"share\": null"), std::string::npos) << s;
  EXPECT_NE(s.find("\"customer\": \"line\\nbreak\""), std::string::npos) << s;
  EXPECT_NE(s.find("\"customer\": \"华东, \\\"big\\\"\""), std::string::npos) << s;
}

TEST(ResultTable, ValidateCatchesRaggedAndDuplicateColumns) {
  ResultTable t = Sample();
  EXPECT_TRUE(t.Validate().ok());
  t.mutable_columns()[1].ints.pop_back();
  EXPECT_FALSE(t.Validate().ok());
  ResultTable dup;
  dup.AddInt64("x");
  dup.AddInt64("x");
  EXPECT_FALSE(dup.Validate().ok());
}

TEST(ResultTable, EmptyTableWritesHeaderAndEmptyArray) {
  ResultTable t;
  t.AddInt64("a");
  std::ostringstream csv, json;
  WriteCsv(t, csv);
  WriteJson(t, json);
  EXPECT_EQ(csv.str(), "a\n");
  EXPECT_EQ(json.str(), "[]\n");
}

// Encoded string columns print exactly like text columns: codes through the
// labels, or the code in decimal when there are none.
TEST(ResultTable, EncodedColumnsPrintLikeText) {
  auto labels = std::make_shared<Dictionary>();
  ASSERT_TRUE(labels->Intern("north").ok());
  ASSERT_TRUE(labels->Intern("a, \"quoted\"").ok());
  ResultTable t;
  ResultColumn& region = t.AddCodes("region", labels);
  region.codes = {1, 0, 1};
  ResultColumn& id = t.AddCodes("customer", nullptr);
  id.codes = {7, 0, 123456};
  id.valid = {1, 0, 1};
  ASSERT_TRUE(t.Validate().ok());
  EXPECT_EQ(t.num_rows(), 3u);
  EXPECT_EQ(region.StringAt(0), "a, \"quoted\"");
  EXPECT_EQ(id.StringAt(2), "123456");
  std::ostringstream csv;
  WriteCsv(t, csv);
  EXPECT_EQ(csv.str(),
            "region,customer\n"
            "\"a, \"\"quoted\"\"\",7\n"
            "north,\n"
            "\"a, \"\"quoted\"\"\",123456\n");
  std::ostringstream json;
  WriteJson(t, json);
  EXPECT_EQ(json.str(), "[\n {\"region\": \"a, \\\"quoted\\\"\", \"customer\": \"7\"},\n"
                        " {\"region\": \"north\", \"customer\": null},\n"
                        " {\"region\": \"a, \\\"quoted\\\"\", \"customer\": \"123456\"}\n]\n");
}

TEST(ResultTable, ValidateRejectsCodesOutsideTheLabels) {
  auto labels = std::make_shared<Dictionary>();
  ASSERT_TRUE(labels->Intern("only").ok());
  ResultTable t;
  t.AddCodes("segment", labels).codes = {0, 1};
  absl::Status st = t.Validate();
  EXPECT_FALSE(st.ok());
  EXPECT_NE(st.message().find("row 1: code 1 is outside [0, 1)"), std::string::npos) << st;
  ResultTable negative;
  negative.AddCodes("customer", nullptr).codes = {-1};
  EXPECT_FALSE(negative.Validate().ok());
}

}  // namespace
}  // namespace salesight
