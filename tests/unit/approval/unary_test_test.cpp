#include "salesight/approval/unary_test.hpp"

#include <string>

#include "gtest/gtest.h"

namespace salesight::approval {
namespace {

Value N(const char* s) { return Value::Number(*ParseNumber(s)); }
Value S(const char* s) { return Value::String(s); }
Value D(const char* s) { return Value::Date(*ParseDate(s)); }

bool M(const char* test, ValueType type, const Value& v) {
  absl::StatusOr<UnaryTest> t = ParseUnaryTest(test, type);
  EXPECT_TRUE(t.ok()) << test << ": " << t.status();
  return t.ok() && Matches(*t, v);
}

TEST(UnaryTest, AnyMatchesEverythingIncludingNull) {
  EXPECT_TRUE(M("-", ValueType::kNumber, N("5")));
  EXPECT_TRUE(M(" - ", ValueType::kString, Value::Null()));
  EXPECT_TRUE(M("", ValueType::kBool, Value::Bool(false)));
}

TEST(UnaryTest, Comparisons) {
  EXPECT_TRUE(M("< 50000", ValueType::kNumber, N("49999.99")));
  EXPECT_FALSE(M("< 50000", ValueType::kNumber, N("50000")));
  EXPECT_TRUE(M("<= 50000", ValueType::kNumber, N("50000")));
  EXPECT_FALSE(M("> 200000", ValueType::kNumber, N("200000")));
  EXPECT_TRUE(M(">200000", ValueType::kNumber, N("200000.01")));
  EXPECT_TRUE(M(">= -5.5", ValueType::kNumber, N("-5.5")));
  EXPECT_FALSE(M("< 50000", ValueType::kNumber, Value::Null()));
}

TEST(UnaryTest, RangesWithEachEnd) {
  EXPECT_TRUE(M("[50000..200000)", ValueType::kNumber, N("50000")));
  EXPECT_FALSE(M("[50000..200000)", ValueType::kNumber, N("200000")));
  EXPECT_TRUE(M("[50000..200000]", ValueType::kNumber, N("200000")));
  EXPECT_FALSE(M("(50000..200000]", ValueType::kNumber, N("50000")));
  EXPECT_FALSE(M("]50000..200000[", ValueType::kNumber, N("50000")));
  EXPECT_FALSE(M("]50000..200000[", ValueType::kNumber, N("200000")));
  EXPECT_TRUE(M("]50000..200000[", ValueType::kNumber, N("50000.0001")));
  EXPECT_TRUE(M("[date(\"2024-01-01\")..date(\"2024-12-31\")]", ValueType::kDate, D("2024-06-30")));
  EXPECT_FALSE(M("[date(\"2024-01-01\")..date(\"2024-12-31\")]", ValueType::kDate, D("2025-01-01")));
  EXPECT_TRUE(M("[\"a\"..\"c\"]", ValueType::kString, S("b")));
}

TEST(UnaryTest, ListsNotStringsBooleansDates) {
  EXPECT_TRUE(M("\"A\",\"B\"", ValueType::kString, S("B")));
  EXPECT_FALSE(M("\"A\",\"B\"", ValueType::kString, S("C")));
  EXPECT_TRUE(M("not(\"A\",\"B\")", ValueType::kString, S("C")));
  EXPECT_FALSE(M("not(\"A\", \"B\")", ValueType::kString, S("A")));
  EXPECT_FALSE(M("not(\"A\")", ValueType::kString, Value::Null()));  // not(null) is null
  EXPECT_TRUE(M("\"say \\\"hi\\\"\"", ValueType::kString, S("say \"hi\"")));
  EXPECT_TRUE(M("true", ValueType::kBool, Value::Bool(true)));
  EXPECT_FALSE(M("true", ValueType::kBool, Value::Bool(false)));
  EXPECT_TRUE(M("not(true)", ValueType::kBool, Value::Bool(false)));
  EXPECT_TRUE(M("< 10, [20..30], 45", ValueType::kNumber, N("45")));
  EXPECT_TRUE(M("< 10, [20..30], 45", ValueType::kNumber, N("25")));
  EXPECT_FALSE(M("< 10, [20..30], 45", ValueType::kNumber, N("15")));
  EXPECT_TRUE(M("not(< 10, [20..30])", ValueType::kNumber, N("15")));
  EXPECT_TRUE(M("date(\"2024-02-29\")", ValueType::kDate, D("2024-02-29")));
  EXPECT_TRUE(M("> date(\"2024-02-29\")", ValueType::kDate, D("2024-03-01")));
  EXPECT_TRUE(M("42", ValueType::kNumber, N("42.0")));
}

TEST(UnaryTest, NotEqualAndEqualOperators) {
  EXPECT_TRUE(M("!= 50000", ValueType::kNumber, N("49999.99")));
  EXPECT_FALSE(M("!= 50000", ValueType::kNumber, N("50000.00")));
  EXPECT_TRUE(M("!=50000", ValueType::kNumber, N("50000.0001")));
  EXPECT_TRUE(M("!= \"A\"", ValueType::kString, S("")));
  EXPECT_FALSE(M("!= \"A\"", ValueType::kString, S("A")));
  EXPECT_TRUE(M("!= true", ValueType::kBool, Value::Bool(false)));
  EXPECT_FALSE(M("!= true", ValueType::kBool, Value::Bool(true)));
  EXPECT_FALSE(M("!= date(\"2024-02-29\")", ValueType::kDate, D("2024-02-29")));
  EXPECT_TRUE(M("!= date(\"2024-02-29\")", ValueType::kDate, D("2024-03-01")));
  EXPECT_TRUE(M("= 7", ValueType::kNumber, N("7")));
  EXPECT_FALSE(M("= 7", ValueType::kNumber, N("7.5")));
  EXPECT_TRUE(M("= \"A\", != \"B\"", ValueType::kString, S("C")));  // a list: any item
  EXPECT_FALSE(M("not(!= \"A\")", ValueType::kString, S("B")));       // not(!= A) is = A
  EXPECT_TRUE(M("not(!= \"A\")", ValueType::kString, S("A")));
  // A null input: the comparison is null, so neither != nor its not() matches.
  EXPECT_FALSE(M("!= 5", ValueType::kNumber, Value::Null()));
  EXPECT_FALSE(M("not(!= 5)", ValueType::kNumber, Value::Null()));
}

TEST(UnaryTest, NullTests) {
  EXPECT_TRUE(M("null", ValueType::kNumber, Value::Null()));
  EXPECT_FALSE(M("null", ValueType::kNumber, N("0")));
  EXPECT_TRUE(M("= null", ValueType::kString, Value::Null()));
  EXPECT_FALSE(M("= null", ValueType::kString, S("")));
  EXPECT_FALSE(M("not(null)", ValueType::kString, Value::Null()));
  EXPECT_TRUE(M("not(null)", ValueType::kString, S("")));
  EXPECT_FALSE(M("!= null", ValueType::kDate, Value::Null()));
  EXPECT_TRUE(M("!= null", ValueType::kDate, D("1970-01-01")));
  EXPECT_TRUE(M("!= null", ValueType::kBool, Value::Bool(false)));
  // In a list: null or a value.
  EXPECT_TRUE(M("null, < 10", ValueType::kNumber, Value::Null()));
  EXPECT_TRUE(M("null, < 10", ValueType::kNumber, N("9")));
  EXPECT_FALSE(M("null, < 10", ValueType::kNumber, N("10")));
  EXPECT_FALSE(M("not(null, < 10)", ValueType::kNumber, Value::Null()));
  EXPECT_TRUE(M("not(null, < 10)", ValueType::kNumber, N("10")));
  // A range or comparison with null stays an error.
  EXPECT_FALSE(ParseUnaryTest("< null", ValueType::kNumber).ok());
  EXPECT_FALSE(ParseUnaryTest("[null..5]", ValueType::kNumber).ok());
  EXPECT_FALSE(ParseUnaryTest("!=", ValueType::kNumber).ok());
  EXPECT_FALSE(ParseUnaryTest("== 5", ValueType::kNumber).ok());
}

TEST(UnaryTest, BeyondSFeelIsRefusedWithWhere) {
  for (const char* bad : {"amount > 5", "< 5 + 1", "[1..2", "[5..1]", "(5..5)", "not(1", "\"a",
                          "< \"a\"x", "1,", "date(\"2024-13-01\")", "0.00001", "foo(1)"}) {
    absl::StatusOr<UnaryTest> t = ParseUnaryTest(bad, ValueType::kNumber);
    EXPECT_FALSE(t.ok()) << bad;
    EXPECT_NE(std::string(t.status().message()).find(bad), std::string::npos) << t.status();
  }
  EXPECT_FALSE(ParseUnaryTest("< true", ValueType::kBool).ok());
  EXPECT_FALSE(ParseUnaryTest("[1..2]", ValueType::kBool).ok());
  EXPECT_FALSE(ParseUnaryTest("\"x\"", ValueType::kBool).ok());
  EXPECT_FALSE(ParseUnaryTest("5", ValueType::kString).ok());
  EXPECT_FALSE(ParseUnaryTest(std::string(kMaxEntryChars + 1, ' '), ValueType::kString).ok());
}

TEST(UnaryTest, Literals) {
  EXPECT_EQ(*ParseLiteral("\"director\"", ValueType::kString), S("director"));
  EXPECT_EQ(*ParseLiteral(" 12.5 ", ValueType::kNumber), N("12.5"));
  EXPECT_EQ(*ParseLiteral("null", ValueType::kNumber), Value::Null());
  EXPECT_FALSE(ParseLiteral("\"a\" \"b\"", ValueType::kString).ok());
  EXPECT_FALSE(ParseLiteral("director", ValueType::kString).ok());
}

}  // namespace
}  // namespace salesight::approval
