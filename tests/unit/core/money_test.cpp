#include "salesight/money.hpp"

#include <random>
#include <string>

#include "gtest/gtest.h"

namespace salesight {
namespace {

struct MoneyCase {
  std::string name;
  std::string text;
  int scale;
  char thousands;
  Money expected;
};

class ParseMoneyValid : public ::testing::TestWithParam<MoneyCase> {};

TEST_P(ParseMoneyValid, IsExact) {
  const MoneyCase& c = GetParam();
  MoneyParseOptions o;
  o.scale = c.scale;
  o.thousands_separator = c.thousands;
  absl::StatusOr<Money> got = ParseMoney(c.text, o);
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(*got, c.expected);
}

INSTANTIATE_TEST_SUITE_P(
    Cases, ParseMoneyValid,
    ::testing::Values(
        MoneyCase{"Integer", "12", 2, '\0', 1200},
        MoneyCase{"Cents", "12.34", 2, '\0', 1234},
        MoneyCase{"OneDecimal", "12.5", 2, '\0', 1250},
        MoneyCase{"Negative", "-0.01", 2, '\0', -1},
        MoneyCase{"Plus", "+7.00", 2, '\0', 700},
        MoneyCase{"LeadingPoint", ".5", 2, '\0', 50},
        MoneyCase{"TrailingPoint", "5.", 2, '\0', 500},
        MoneyCase{"ExtraZerosAreExact", "1.500", 2, '\0', 150},
        MoneyCase{"Thousands", "1,234,567.89", 2, ',', 123456789},
        MoneyCase{"Accounting", "(12.30)", 2, '\0', -1230},
        MoneyCase{"Dollar", "$1,000.00", 2, ',', 100000},
        MoneyCase{"Yuan", "\xC2\xA5" "88.8", 2, '\0', 8880},
        MoneyCase{"DollarNegative", "-$3.10", 2, '\0', -310},
        MoneyCase{"Scale0", "42", 0, '\0', 42},
        MoneyCase{"Scale6", "0.000001", 6, '\0', 1},
        MoneyCase{"Spaces", "  3.5 ", 2, '\0', 350},
        MoneyCase{"Max", "90000000000000.00", 2, '\0', kMaxMoney},
        MoneyCase{"NegativeMax", "-90000000000000.00", 2, '\0', -kMaxMoney}),
    [](const auto& tc) { return tc.param.name; });

struct BadMoneyCase {
  std::string name;
  std::string text;
  int scale;
  char thousands;
};

class ParseMoneyInvalid : public ::testing::TestWithParam<BadMoneyCase> {};

TEST_P(ParseMoneyInvalid, IsAnErrorNamingTheValue) {
  const BadMoneyCase& c = GetParam();
  MoneyParseOptions o;
  o.scale = c.scale;
  o.thousands_separator = c.thousands;
  absl::StatusOr<Money> got = ParseMoney(c.text, o);
  ASSERT_FALSE(got.ok()) << *got;
  EXPECT_NE(got.status().message().find(c.text), std::string::npos) << got.status();
}

INSTANTIATE_TEST_SUITE_P(
    Cases, ParseMoneyInvalid,
    ::testing::Values(BadMoneyCase{"TooManyDecimals", "1.005", 2, '\0'},
                      BadMoneyCase{"Overflow", "90000000000000.01", 2, '\0'},
                      BadMoneyCase{"HugeOverflow", "99999999999999999999999", 2, '\0'},
                      BadMoneyCase{"Empty", "", 2, '\0'},
                      BadMoneyCase{"OnlySign", "-", 2, '\0'},
                      BadMoneyCase{"Letters", "12a", 2, '\0'},
                      BadMoneyCase{"NaN", "NaN", 2, '\0'},
                      BadMoneyCase{"Exponent", "1e5", 2, '\0'},
                      BadMoneyCase{"TwoPoints", "1.2.3", 2, '\0'},
                      BadMoneyCase{"SeparatorNotAllowed", "1,000", 2, '\0'},
                      BadMoneyCase{"BadGrouping", "12,34.00", 2, ','},
                      BadMoneyCase{"TrailingSeparator", "1,000,", 2, ','}),
    [](const auto& tc) { return tc.param.name; });

TEST(MoneyDecimals, CountsTrailingZeros) {
  EXPECT_EQ(*MoneyDecimals("1.50"), 2);
  EXPECT_EQ(*MoneyDecimals("7"), 0);
  EXPECT_EQ(*MoneyDecimals("0.123456"), 6);
  EXPECT_FALSE(MoneyDecimals("x").ok());
}

TEST(FormatMoney, RoundTripsRandomValues) {
  std::mt19937_64 rng(7);
  for (int scale = 0; scale <= kMaxMoneyScale; ++scale) {
    for (int i = 0; i < 2000; ++i) {
      Money v = static_cast<Money>(rng() % (2 * static_cast<std::uint64_t>(kMaxMoney) + 1)) -
                kMaxMoney;
      MoneyParseOptions o;
      o.scale = scale;
      absl::StatusOr<Money> back = ParseMoney(FormatMoney(v, scale), o);
      ASSERT_TRUE(back.ok()) << back.status();
      ASSERT_EQ(*back, v);
    }
  }
  EXPECT_EQ(FormatMoney(-5, 2), "-0.05");
  EXPECT_EQ(FormatMoney(123456, 0), "123456");
}

TEST(RescaleMoney, ExactOrError) {
  EXPECT_EQ(*RescaleMoney(150, 2, 4), 15000);
  EXPECT_FALSE(RescaleMoney(kMaxMoney, 2, 3).ok());
  EXPECT_FALSE(RescaleMoney(1, 3, 2).ok());
}

TEST(CheckedMoney, DetectsOverflow) {
  Money out = 0;
  EXPECT_TRUE(AddMoney(kMaxMoney, kMaxMoney, &out));
  EXPECT_FALSE(AddMoney(std::numeric_limits<Money>::max(), 1, &out));
  EXPECT_FALSE(MulMoney(kMaxMoney, 2000, &out));
}

}  // namespace
}  // namespace salesight
