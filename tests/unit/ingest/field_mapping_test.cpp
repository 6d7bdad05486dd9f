// ParseFieldMapping: the --map syntax shared by every subcommand.
#include <string>
#include <utility>
#include <vector>

#include "gtest/gtest.h"
#include "salesight/csv.hpp"

namespace salesight {
namespace {

using Pairs = std::vector<std::pair<std::string, std::string>>;

Pairs Parse(std::string_view spec) {
  absl::StatusOr<FieldMapping> m = ParseFieldMapping(spec);
  EXPECT_TRUE(m.ok()) << spec << ": " << m.status();
  return m.ok() ? m->fields : Pairs{};
}

void ExpectError(std::string_view spec, const std::string& fragment) {
  absl::StatusOr<FieldMapping> m = ParseFieldMapping(spec);
  ASSERT_FALSE(m.ok()) << spec;
  EXPECT_NE(m.status().message().find(fragment), std::string::npos) << m.status();
}

TEST(FieldMapping, SimpleAndSpacedNames) {
  EXPECT_EQ(Parse("customer=Customer ID,date=Order Date,amount=Sales"),
            (Pairs{{"customer", "Customer ID"}, {"date", "Order Date"}, {"amount", "Sales"}}));
  EXPECT_EQ(Parse("  customer =  Customer ID  , amount=Sales "),
            (Pairs{{"customer", "Customer ID"}, {"amount", "Sales"}}));
}

TEST(FieldMapping, QuotedColumnNamesMayHoldCommasEqualsAndQuotes) {
  EXPECT_EQ(Parse("product=\"Name, long\",amount=\"a=b\",x=\"say \"\"hi\"\"\""),
            (Pairs{{"product", "Name, long"}, {"amount", "a=b"}, {"x", "say \"hi\""}}));
}

TEST(FieldMapping, UnicodeColumnNames) {
  EXPECT_EQ(Parse("customer=客户编号,amount=金额"),
            (Pairs{{"customer", "客户编号"}, {"amount", "金额"}}));
}

TEST(FieldMapping, EmptySpecAndEmptyEntries) {
  EXPECT_TRUE(Parse("").empty());
  EXPECT_TRUE(Parse("   ").empty());
  EXPECT_EQ(Parse("a=b,,c=d,"), (Pairs{{"a", "b"}, {"c", "d"}}));
}

TEST(FieldMapping, Errors) {
  ExpectError("customer", "expected field=Column");
  ExpectError("customer=", "column name is empty");
  ExpectError("=Customer", "field name is empty");
  ExpectError("a=b,a=c", "field 'a' is mapped twice");
  ExpectError("a=\"open", "never closed");
  ExpectError("a=\"x\"y", "unexpected text after the quoted column");
}

TEST(FieldMapping, FindReturnsTheColumnOrNull) {
  absl::StatusOr<FieldMapping> m = ParseFieldMapping("a=X,b=Y");
  ASSERT_TRUE(m.ok());
  ASSERT_NE(m->Find("b"), nullptr);
  EXPECT_EQ(*m->Find("b"), "Y");
  EXPECT_EQ(m->Find("c"), nullptr);
}

}  // namespace
}  // namespace salesight
