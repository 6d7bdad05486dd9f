#include "salesight/date.hpp"

#include <string>

#include "boost/date_time/gregorian/gregorian.hpp"
#include "gtest/gtest.h"

namespace salesight {
namespace {

struct DateCase {
  std::string name;
  std::string text;
  DateFormat format;
  int year, month, day;
};

class ParseDateValid : public ::testing::TestWithParam<DateCase> {};

TEST_P(ParseDateValid, ParsesToTheSameDayAsBoost) {
  const DateCase& c = GetParam();
  absl::StatusOr<Day> got = ParseDate(c.text, c.format);
  ASSERT_TRUE(got.ok()) << got.status();
  boost::gregorian::date expected(static_cast<unsigned short>(c.year),
                                  static_cast<unsigned short>(c.month),
                                  static_cast<unsigned short>(c.day));
  EXPECT_EQ(*got, (expected - boost::gregorian::date(1970, 1, 1)).days());
}

INSTANTIATE_TEST_SUITE_P(
    Formats, ParseDateValid,
    ::testing::Values(
        DateCase{"Iso", "2024-03-01", DateFormat::kIso, 2024, 3, 1},
        DateCase{"IsoUnpadded", "2024-3-1", DateFormat::kIso, 2024, 3, 1},
        DateCase{"YmdSlash", "2024/12/31", DateFormat::kYmdSlash, 2024, 12, 31},
        DateCase{"MdySlash", "11/8/2016", DateFormat::kMdySlash, 2016, 11, 8},
        DateCase{"MdySlashPadded", "02/29/2024", DateFormat::kMdySlash, 2024, 2, 29},
        DateCase{"DmyDot", "31.01.2023", DateFormat::kDmyDot, 2023, 1, 31},
        DateCase{"Compact", "19970101", DateFormat::kCompact, 1997, 1, 1},
        DateCase{"DateTimeSpace", "2024-03-01 13:45:00", DateFormat::kIso, 2024, 3, 1},
        DateCase{"DateTimeT", "2024-03-01T23:59:59Z", DateFormat::kIso, 2024, 3, 1},
        DateCase{"UsDateTime", "1/2/2011 8:26", DateFormat::kMdySlash, 2011, 1, 2},
        DateCase{"SurroundingSpaces", "  2020-02-29 ", DateFormat::kIso, 2020, 2, 29},
        DateCase{"LeapCentury2000", "2000-02-29", DateFormat::kIso, 2000, 2, 29},
        DateCase{"LowerBound", "1900-01-01", DateFormat::kIso, 1900, 1, 1},
        DateCase{"UpperBound", "2199-12-31", DateFormat::kIso, 2199, 12, 31},
        DateCase{"BeforeEpoch", "1969-12-31", DateFormat::kIso, 1969, 12, 31},
        DateCase{"AutoIso", "2021-07-04", DateFormat::kAuto, 2021, 7, 4},
        DateCase{"AutoCompact", "20210704", DateFormat::kAuto, 2021, 7, 4},
        DateCase{"AutoDot", "04.07.2021", DateFormat::kAuto, 2021, 7, 4},
        DateCase{"AutoUs", "7/4/2021", DateFormat::kAuto, 2021, 7, 4},
        // Day-first slashes and two-digit years (Superstore-style spreadsheet
        // exports: "03/01/19" = 3 January 2019); %y pivots as POSIX strptime.
        DateCase{"DmySlash", "31/01/2023", DateFormat::kDmySlash, 2023, 1, 31},
        DateCase{"DmySlash2", "03/01/19", DateFormat::kDmySlash2, 2019, 1, 3},
        DateCase{"DmySlash2Leap", "29/2/24", DateFormat::kDmySlash2, 2024, 2, 29},
        DateCase{"MdySlash2", "12/31/68", DateFormat::kMdySlash2, 2068, 12, 31},
        DateCase{"MdySlash2Pivot", "1/1/69", DateFormat::kMdySlash2, 1969, 1, 1},
        DateCase{"DmySlash2DateTime", "07/01/19 08:30", DateFormat::kDmySlash2, 2019, 1, 7}),
    [](const auto& tc) { return tc.param.name; });

struct BadDateCase {
  std::string name;
  std::string text;
  DateFormat format;
};

class ParseDateInvalid : public ::testing::TestWithParam<BadDateCase> {};

TEST_P(ParseDateInvalid, IsAnErrorQuotingTheText) {
  const BadDateCase& c = GetParam();
  absl::StatusOr<Day> got = ParseDate(c.text, c.format);
  ASSERT_FALSE(got.ok());
  EXPECT_NE(got.status().message().find("'" + c.text + "'"), std::string::npos)
      << got.status();
}

INSTANTIATE_TEST_SUITE_P(
    Formats, ParseDateInvalid,
    ::testing::Values(BadDateCase{"NotLeap2023", "2023-02-29", DateFormat::kIso},
                      BadDateCase{"NotLeap1900", "1900-02-29", DateFormat::kIso},
                      BadDateCase{"Month13", "2024-13-01", DateFormat::kIso},
                      BadDateCase{"Day32", "2024-01-32", DateFormat::kIso},
                      BadDateCase{"Day0", "2024-01-00", DateFormat::kIso},
                      BadDateCase{"April31", "04/31/2024", DateFormat::kMdySlash},
                      BadDateCase{"TooEarly", "1899-12-31", DateFormat::kIso},
                      BadDateCase{"TooLate", "2200-01-01", DateFormat::kIso},
                      BadDateCase{"WrongFormat", "2024-03-01", DateFormat::kMdySlash},
                      BadDateCase{"Empty", "", DateFormat::kIso},
                      BadDateCase{"Garbage", "yesterday", DateFormat::kAuto},
                      BadDateCase{"TrailingJunk", "2024-03-01x", DateFormat::kIso},
                      BadDateCase{"CompactShort", "2024031", DateFormat::kCompact},
                      BadDateCase{"DmyMonth13", "01/13/2024", DateFormat::kDmySlash},
                      BadDateCase{"TwoDigitYearGivenFour", "03/01/2019", DateFormat::kDmySlash2},
                      BadDateCase{"FourDigitYearGivenTwo", "03/01/19", DateFormat::kDmySlash},
                      BadDateCase{"NotLeap2023TwoDigit", "29/02/23", DateFormat::kDmySlash2}),
    [](const auto& tc) { return tc.param.name; });

// The parser accepts exactly the days the tables accept: a date it returns
// never fails a table's range check.
TEST(DateRange, ParserAcceptsExactlyKMinDayToKMaxDay) {
  EXPECT_EQ(*ParseDate("1900-01-01"), kMinDay);
  EXPECT_EQ(*ParseDate("2199-12-31"), kMaxDay);
  EXPECT_FALSE(ParseDate("1899-12-31").ok());
  EXPECT_FALSE(ParseDate("2200-01-01").ok());
  EXPECT_EQ(FormatDate(kMaxDay), "2199-12-31");
}

TEST(CivilConversion, AgreesWithBoostOverTheWholeRange) {
  boost::gregorian::date epoch(1970, 1, 1);
  for (Day d = kMinDay; d <= kMaxDay; ++d) {
    boost::gregorian::date b = epoch + boost::gregorian::date_duration(d);
    CivilDate c = CivilFromDay(d);
    ASSERT_EQ(c.year, b.year()) << d;
    ASSERT_EQ(c.month, b.month().as_number()) << d;
    ASSERT_EQ(c.day, b.day().as_number()) << d;
    ASSERT_EQ(DayFromCivil(c.year, c.month, c.day), d);
    ASSERT_EQ(IsoWeekOf(d).week, b.week_number()) << d;
    ASSERT_EQ(Weekday(d), b.day_of_week().as_number() == 0 ? 7 : b.day_of_week().as_number());
  }
}

TEST(IsoWeek, Week53AndYearBoundaries) {
  // 2020-12-31 is in 2020-W53; 2021-01-03 too; 2021-01-04 is 2021-W01.
  EXPECT_EQ(IsoWeekOf(DayFromCivil(2020, 12, 31)).week, 53);
  EXPECT_EQ(IsoWeekOf(DayFromCivil(2021, 1, 3)).year, 2020);
  EXPECT_EQ(IsoWeekOf(DayFromCivil(2021, 1, 4)).week, 1);
  // 2022-01-01/02 belong to 2021-W52 (the partial week of workload (e)).
  EXPECT_EQ(IsoWeekOf(DayFromCivil(2022, 1, 1)).year, 2021);
  EXPECT_EQ(IsoWeekOf(DayFromCivil(2022, 1, 2)).week, 52);
  // 2024-12-30 (Monday) is 2025-W01.
  EXPECT_EQ(IsoWeekOf(DayFromCivil(2024, 12, 30)).year, 2025);
}

TEST(FormatDate, RoundTripsAndMissingIsEmpty) {
  EXPECT_EQ(FormatDate(0), "1970-01-01");
  EXPECT_EQ(FormatDate(19996), "2024-09-30");
  EXPECT_EQ(FormatDate(kNoDate), "");
  EXPECT_EQ(YearMonth(19996), 202409);
  EXPECT_EQ(Quarter(19996), 3);
}

TEST(DateFormatName, RoundTrips) {
  for (DateFormat f : {DateFormat::kIso, DateFormat::kYmdSlash, DateFormat::kMdySlash,
                       DateFormat::kDmyDot, DateFormat::kCompact, DateFormat::kDmySlash,
                       DateFormat::kMdySlash2, DateFormat::kDmySlash2, DateFormat::kAuto}) {
    absl::StatusOr<DateFormat> back = ParseDateFormatName(DateFormatName(f));
    ASSERT_TRUE(back.ok());
    EXPECT_EQ(*back, f);
  }
  EXPECT_FALSE(ParseDateFormatName("%y-%m-%d").ok());
}

}  // namespace
}  // namespace salesight
