#include "salesight/approval/value.hpp"

#include "gtest/gtest.h"

namespace salesight::approval {
namespace {

TEST(ApprovalValue, NumbersAreExactDecimals) {
  EXPECT_EQ(*ParseNumber("49999.99"), 499999900);
  EXPECT_EQ(*ParseNumber("50000"), 500000000);
  EXPECT_EQ(*ParseNumber("-0.0001"), -1);
  EXPECT_EQ(*ParseNumber("+12.5"), 125000);
  EXPECT_FALSE(ParseNumber("0.00001").ok());  // more decimals than the scale: never rounded
  EXPECT_FALSE(ParseNumber("1,000").ok());
  EXPECT_FALSE(ParseNumber("$5").ok());
  EXPECT_FALSE(ParseNumber("5.").ok());
  EXPECT_FALSE(ParseNumber("").ok());
  EXPECT_FALSE(ParseNumber("1e5").ok());
  EXPECT_EQ(FormatNumber(499999900), "49999.99");
  EXPECT_EQ(FormatNumber(500000000), "50000");
  EXPECT_EQ(FormatNumber(-1), "-0.0001");
  EXPECT_EQ(*NumberFromUnits(200000), 2000000000);
}

TEST(ApprovalValue, CompareAndLiterals) {
  EXPECT_TRUE(Compare(Value::Number(1), Value::Number(2)) < 0);
  EXPECT_TRUE(Compare(Value::String("b"), Value::String("a")) > 0);
  EXPECT_TRUE(Compare(Value::Bool(false), Value::Bool(true)) < 0);
  EXPECT_EQ(FeelLiteral(Value::String("a\"b")), "\"a\\\"b\"");
  EXPECT_EQ(FeelLiteral(Value::Date(*ParseDate("2024-03-01"))), "date(\"2024-03-01\")");
  EXPECT_EQ(FeelLiteral(Value::Null()), "null");
  EXPECT_EQ(PlainText(Value::Number(500000000)), "50000");
}

TEST(ApprovalValue, TypesAndPlainText) {
  EXPECT_EQ(*ParseValueType("integer"), ValueType::kNumber);
  EXPECT_EQ(*ParseValueType("boolean"), ValueType::kBool);
  EXPECT_FALSE(ParseValueType("dateTime").ok());
  EXPECT_EQ(*ParsePlain("2024-02-29", ValueType::kDate), Value::Date(*ParseDate("2024-02-29")));
  EXPECT_EQ(*ParsePlain("", ValueType::kNumber), Value::Null());
  EXPECT_FALSE(ParsePlain("yes", ValueType::kBool).ok());
}

}  // namespace
}  // namespace salesight::approval
