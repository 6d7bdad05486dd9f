#include "salesight/grain.hpp"

#include <string>

#include "boost/date_time/gregorian/gregorian.hpp"
#include "gtest/gtest.h"

namespace salesight {
namespace {

namespace bg = boost::gregorian;

bg::date ToBoost(Day d) { return bg::date(1970, 1, 1) + bg::days(d); }

// The reference: each grain's period of a date, written plainly from Boost's
// calendar, as the (label, first day, last day) a person would write.
struct RefPeriod {
  std::string label;
  bg::date first, last;
};

RefPeriod Reference(Grain g, Day day) {
  const bg::date d = ToBoost(day);
  const int y = d.year(), m = d.month();
  switch (g.unit) {
    case GrainUnit::kDay:
      return {bg::to_iso_extended_string(d), d, d};
    case GrainUnit::kIsoWeek: {
      const int wd = d.day_of_week().as_number();  // Sunday = 0
      const bg::date monday = d - bg::days((wd + 6) % 7);
      const bg::date thursday = monday + bg::days(3);  // its year is the ISO year
      char buf[16];
      std::snprintf(buf, sizeof buf, "%04d-W%02d", static_cast<int>(thursday.year()),
                    static_cast<int>(d.week_number()));
      return {buf, monday, monday + bg::days(6)};
    }
    case GrainUnit::kMonth: {
      char buf[16];
      std::snprintf(buf, sizeof buf, "%04d-%02d", y, m);
      const bg::date first(d.year(), d.month(), 1);
      return {buf, first, d.end_of_month()};
    }
    case GrainUnit::kQuarter: {
      const int q = (m - 1) / 3 + 1;
      char buf[16];
      std::snprintf(buf, sizeof buf, "%04d-Q%d", y, q);
      const bg::date first(d.year(), static_cast<unsigned short>(3 * q - 2), 1);
      const bg::date last = bg::date(d.year(), static_cast<unsigned short>(3 * q), 1).end_of_month();
      return {buf, first, last};
    }
    case GrainUnit::kYear:
      return {std::to_string(y), bg::date(d.year(), 1, 1), bg::date(d.year(), 12, 31)};
    case GrainUnit::kFiscalYear: {
      const int s = g.fiscal_start_month;
      const int start_year = m >= s ? y : y - 1;
      const bg::date first(static_cast<unsigned short>(start_year), static_cast<unsigned short>(s), 1);
      const bg::date last = first + bg::months(12) - bg::days(1);
      return {"FY" + std::to_string(start_year), first, last};
    }
  }
  return {};
}

std::vector<Grain> AllGrains() {
  std::vector<Grain> out = {GrainUnit::kDay, GrainUnit::kIsoWeek, GrainUnit::kMonth,
                            GrainUnit::kQuarter, GrainUnit::kYear};
  for (int s = 1; s <= 12; ++s) out.emplace_back(GrainUnit::kFiscalYear, s);
  return out;
}

TEST(GrainTest, HandComputed) {
  const Day d = DayFromCivil(2022, 1, 1);  // a Saturday in ISO week 2021-W52
  EXPECT_EQ(PeriodLabel(GrainUnit::kIsoWeek, PeriodOf(GrainUnit::kIsoWeek, d)), "2021-W52");
  EXPECT_EQ(PeriodNumber(GrainUnit::kIsoWeek, PeriodOf(GrainUnit::kIsoWeek, d)), 202152);
  EXPECT_EQ(PeriodOf(GrainUnit::kMonth, d), 2022 * 12);
  EXPECT_EQ(PeriodNumber(GrainUnit::kMonth, PeriodOf(GrainUnit::kMonth, d)), 202201);
  EXPECT_EQ(PeriodNumber(GrainUnit::kQuarter, PeriodOf(GrainUnit::kQuarter, DayFromCivil(2024, 9, 30))),
            20243);
  const Grain fy_april(GrainUnit::kFiscalYear, 4);
  EXPECT_EQ(PeriodLabel(fy_april, PeriodOf(fy_april, DayFromCivil(2025, 3, 31))), "FY2024");
  EXPECT_EQ(PeriodLabel(fy_april, PeriodOf(fy_april, DayFromCivil(2025, 4, 1))), "FY2025");
  EXPECT_EQ(PeriodStart(fy_april, 2024), DayFromCivil(2024, 4, 1));
  EXPECT_EQ(PeriodEnd(fy_april, 2024), DayFromCivil(2025, 3, 31));
  // 1900-01-01 was a Monday: ISO week ordinal 0 starts there.
  EXPECT_EQ(PeriodOf(GrainUnit::kIsoWeek, kMinDay), 0);
  EXPECT_EQ(PeriodStart(GrainUnit::kIsoWeek, 0), kMinDay);
}

TEST(GrainTest, EveryDayAgainstBoost) {
  for (const Grain g : AllGrains()) {
    for (Day d = kMinDay; d <= kMaxDay; d += (d > DayFromCivil(1903, 1, 1) &&
                                              d < DayFromCivil(2197, 1, 1)) ? 5 : 1) {
      const std::int32_t p = PeriodOf(g, d);
      const RefPeriod ref = Reference(g, d);
      ASSERT_EQ(PeriodLabel(g, p), ref.label) << GrainName(g) << " " << FormatDate(d);
      ASSERT_EQ(ToBoost(PeriodStart(g, p)), ref.first) << GrainName(g) << " " << FormatDate(d);
      ASSERT_EQ(ToBoost(PeriodEnd(g, p)), ref.last) << GrainName(g) << " " << FormatDate(d);
      ASSERT_GE(p, g.unit == GrainUnit::kDay ? kMinDay : 0);
    }
  }
}

TEST(GrainTest, OrdinalsAreConsecutiveAndNumbersAscend) {
  for (const Grain g : AllGrains()) {
    const std::int32_t lo = PeriodOf(g, kMinDay), hi = PeriodOf(g, kMaxDay);
    std::int64_t last_number = std::numeric_limits<std::int64_t>::min();
    for (std::int32_t p = lo; p <= hi; ++p) {
      ASSERT_EQ(PeriodOf(g, PeriodStart(g, p)), p) << GrainName(g);
      ASSERT_EQ(PeriodStart(g, p + 1), PeriodEnd(g, p) + 1) << GrainName(g);
      const std::int64_t n = PeriodNumber(g, p);
      ASSERT_GT(n, last_number) << GrainName(g);
      last_number = n;
    }
  }
}

TEST(GrainTest, SamePeriodLastYear) {
  const Grain week = GrainUnit::kIsoWeek;
  // 2020-W53 exists and 2019 has no week 53; 2015-W53 and 2009-W53 both exist.
  const std::int32_t w2020_53 = PeriodOf(week, DayFromCivil(2020, 12, 31));
  ASSERT_EQ(PeriodLabel(week, w2020_53), "2020-W53");
  EXPECT_FALSE(SamePeriodLastYear(week, w2020_53).has_value());
  const std::int32_t w2026_53 = PeriodOf(week, DayFromCivil(2026, 12, 31));
  ASSERT_EQ(PeriodLabel(week, w2026_53), "2026-W53");
  ASSERT_FALSE(SamePeriodLastYear(week, w2026_53).has_value());  // 2025 has none
  const std::int32_t w2015_53 = PeriodOf(week, DayFromCivil(2015, 12, 31));
  ASSERT_EQ(PeriodLabel(week, w2015_53), "2015-W53");
  EXPECT_FALSE(SamePeriodLastYear(week, w2015_53).has_value());
  const std::int32_t w2021_01 = PeriodOf(week, DayFromCivil(2021, 1, 6));
  EXPECT_EQ(PeriodLabel(week, *SamePeriodLastYear(week, w2021_01)), "2020-W01");
  // Days: Feb 29 has none; any other day maps to its date a year earlier.
  EXPECT_FALSE(SamePeriodLastYear(GrainUnit::kDay, DayFromCivil(2024, 2, 29)).has_value());
  EXPECT_EQ(*SamePeriodLastYear(GrainUnit::kDay, DayFromCivil(2024, 3, 1)), DayFromCivil(2023, 3, 1));
  // Nothing before 1900.
  EXPECT_FALSE(SamePeriodLastYear(GrainUnit::kMonth, PeriodOf(GrainUnit::kMonth, kMinDay)).has_value());
  // Month, quarter, (fiscal) year: the label's year minus one.
  for (const Grain g : AllGrains()) {
    if (g.unit == GrainUnit::kDay || g.unit == GrainUnit::kIsoWeek) continue;
    for (Day d = DayFromCivil(1950, 1, 1); d < DayFromCivil(1960, 1, 1); d += 17) {
      const std::int32_t p = PeriodOf(g, d);
      const std::int32_t ly = *SamePeriodLastYear(g, p);
      const bg::date start = ToBoost(PeriodStart(g, p));
      EXPECT_EQ(ToBoost(PeriodStart(g, ly)), start - bg::years(1)) << GrainName(g);
    }
  }
}

TEST(GrainTest, WeekLastYearAgainstBoost) {
  for (Day d = DayFromCivil(1901, 1, 7); d < DayFromCivil(2199, 1, 1); d += 7) {
    const std::int32_t p = PeriodOf(GrainUnit::kIsoWeek, d);
    const bg::date day = ToBoost(d);
    const int week = day.week_number();
    const int iso_year = (ToBoost(PeriodStart(GrainUnit::kIsoWeek, p)) + bg::days(3)).year();
    // Does ISO year iso_year - 1 have this week? Week 53 exists iff Dec 28 is in week 53.
    const bool exists = week < 53 || bg::date(static_cast<unsigned short>(iso_year - 1), 12, 28).week_number() == 53;
    const std::optional<std::int32_t> ly = SamePeriodLastYear(GrainUnit::kIsoWeek, p);
    ASSERT_EQ(ly.has_value(), exists) << FormatDate(d);
    if (ly) {
      char want[32];
      std::snprintf(want, sizeof want, "%04d-W%02d", iso_year - 1, week);
      ASSERT_EQ(PeriodLabel(GrainUnit::kIsoWeek, *ly), want);
    }
  }
}

// What SamePeriodLastYear's header claims: no two consecutive ISO years both
// have a week 53, so week 53 never has a same week last year.
TEST(GrainTest, NoConsecutiveWeek53Years) {
  for (int y = 1900; y < 2200; ++y) {
    const bool a = bg::date(static_cast<unsigned short>(y), 12, 28).week_number() == 53;
    const bool b = bg::date(static_cast<unsigned short>(y + 1), 12, 28).week_number() == 53;
    ASSERT_FALSE(a && b) << y;
  }
}

TEST(GrainTest, NumbersDecodeToTheirPeriodAndNothingElse) {
  for (const Grain g : AllGrains()) {
    const std::int32_t lo = PeriodOf(g, kMinDay), hi = PeriodOf(g, kMaxDay);
    for (std::int32_t p = lo; p <= hi; ++p) {
      ASSERT_EQ(PeriodFromNumber(g, PeriodNumber(g, p)), p) << GrainName(g) << " " << p;
    }
    ASSERT_EQ(GrainFromByte(GrainToByte(g)), g);
  }
  // Hand-picked invalid numbers.
  EXPECT_FALSE(PeriodFromNumber(GrainUnit::kMonth, 202413).has_value());
  EXPECT_FALSE(PeriodFromNumber(GrainUnit::kMonth, 202400).has_value());
  EXPECT_FALSE(PeriodFromNumber(GrainUnit::kIsoWeek, 201953).has_value());  // 2019 has 52 weeks
  EXPECT_TRUE(PeriodFromNumber(GrainUnit::kIsoWeek, 202053).has_value());
  EXPECT_FALSE(PeriodFromNumber(GrainUnit::kQuarter, 20245).has_value());
  EXPECT_FALSE(PeriodFromNumber(GrainUnit::kYear, 1899).has_value());
  EXPECT_TRUE(PeriodFromNumber(Grain(GrainUnit::kFiscalYear, 4), 1899).has_value());  // holds 1900-01..03
  EXPECT_FALSE(PeriodFromNumber(GrainUnit::kYear, -5).has_value());
  EXPECT_FALSE(PeriodFromNumber(GrainUnit::kDay, std::int64_t{kMaxDay} + 1).has_value());
  EXPECT_FALSE(PeriodFromNumber(GrainUnit::kDay, std::int64_t{kMinDay} - 1).has_value());
  EXPECT_FALSE(PeriodFromNumber(GrainUnit::kMonth, 189912).has_value());
  EXPECT_FALSE(PeriodFromNumber(GrainUnit::kMonth, std::numeric_limits<std::int64_t>::min()).has_value());
  EXPECT_FALSE(GrainFromByte(17).has_value());
}

TEST(GrainTest, Names) {
  for (const Grain g : AllGrains()) {
    std::string name(GrainName(g));
    if (g.unit == GrainUnit::kFiscalYear) name += ":" + std::to_string(g.fiscal_start_month);
    absl::StatusOr<Grain> back = ParseGrain(name);
    ASSERT_TRUE(back.ok()) << name;
    EXPECT_EQ(*back, g) << name;
  }
  EXPECT_EQ(ParseGrain("iso_week")->unit, GrainUnit::kIsoWeek);
  EXPECT_EQ(ParseGrain("fiscal_year")->fiscal_start_month, 1);
  for (const char* bad : {"", "Month", "weeks", "fiscal_year:0", "fiscal_year:13",
                          "fiscal_year:", "fiscal_year4", "fiscal_year:x"}) {
    EXPECT_FALSE(ParseGrain(bad).ok()) << bad;
  }
  EXPECT_NE(std::string(ParseGrain("fortnight").status().message()).find("fiscal_year"),
            std::string::npos);
}

}  // namespace
}  // namespace salesight
