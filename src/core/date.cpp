#include "salesight/date.hpp"

#include "absl/status/status.h"
#include "absl/strings/str_format.h"
#include "boost/date_time/gregorian/gregorian.hpp"

namespace salesight {
namespace {

namespace greg = boost::gregorian;

const greg::date& Epoch() {
  static const greg::date epoch(1970, 1, 1);
  return epoch;
}

// Reads 1..max_digits decimal digits at s[*pos]; false when there are none.
bool ReadNumber(std::string_view s, std::size_t* pos, int min_digits, int max_digits, int* out) {
  int value = 0, n = 0;
  while (*pos < s.size() && n < max_digits && s[*pos] >= '0' && s[*pos] <= '9') {
    value = value * 10 + (s[*pos] - '0');
    ++*pos;
    ++n;
  }
  *out = value;
  return n >= min_digits;
}

bool Expect(std::string_view s, std::size_t* pos, char ch) {
  if (*pos < s.size() && s[*pos] == ch) {
    ++*pos;
    return true;
  }
  return false;
}

// Splits the fields of one explicit format; false when the text does not have its shape.
bool SplitFields(std::string_view s, DateFormat f, int* y, int* m, int* d) {
  std::size_t p = 0;
  bool ok = false;
  switch (f) {
    case DateFormat::kIso:
      ok = ReadNumber(s, &p, 4, 4, y) && Expect(s, &p, '-') && ReadNumber(s, &p, 1, 2, m) &&
           Expect(s, &p, '-') && ReadNumber(s, &p, 1, 2, d);
      break;
    case DateFormat::kYmdSlash:
      ok = ReadNumber(s, &p, 4, 4, y) && Expect(s, &p, '/') && ReadNumber(s, &p, 1, 2, m) &&
           Expect(s, &p, '/') && ReadNumber(s, &p, 1, 2, d);
      break;
    case DateFormat::kMdySlash:
      ok = ReadNumber(s, &p, 1, 2, m) && Expect(s, &p, '/') && ReadNumber(s, &p, 1, 2, d) &&
           Expect(s, &p, '/') && ReadNumber(s, &p, 4, 4, y);
      break;
    case DateFormat::kDmyDot:
      ok = ReadNumber(s, &p, 1, 2, d) && Expect(s, &p, '.') && ReadNumber(s, &p, 1, 2, m) &&
           Expect(s, &p, '.') && ReadNumber(s, &p, 4, 4, y);
      break;
    case DateFormat::kCompact:
      ok = ReadNumber(s, &p, 4, 4, y) && ReadNumber(s, &p, 2, 2, m) && ReadNumber(s, &p, 2, 2, d);
      break;
    case DateFormat::kDmySlash:
      ok = ReadNumber(s, &p, 1, 2, d) && Expect(s, &p, '/') && ReadNumber(s, &p, 1, 2, m) &&
           Expect(s, &p, '/') && ReadNumber(s, &p, 4, 4, y);
      break;
    case DateFormat::kMdySlash2:
    case DateFormat::kDmySlash2: {
      int* first = f == DateFormat::kMdySlash2 ? m : d;
      int* second = f == DateFormat::kMdySlash2 ? d : m;
      ok = ReadNumber(s, &p, 1, 2, first) && Expect(s, &p, '/') &&
           ReadNumber(s, &p, 1, 2, second) && Expect(s, &p, '/') && ReadNumber(s, &p, 2, 2, y);
      *y += *y <= 68 ? 2000 : 1900;  // POSIX strptime %y
      break;
    }
    case DateFormat::kAuto:
      return false;
  }
  return ok && p == s.size();
}

// Drops a time part: "2024-03-01 13:45:00", "2024-03-01T13:45:00Z".
std::string_view DatePart(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  std::size_t cut = s.find_first_of(" T");
  if (cut != std::string_view::npos) {
    std::string_view rest = s.substr(cut + 1);
    // Only a time-looking remainder (starts with a digit) is dropped.
    if (!rest.empty() && rest.front() >= '0' && rest.front() <= '9') s = s.substr(0, cut);
  }
  return s;
}

absl::StatusOr<Day> ParseExplicit(std::string_view text, std::string_view s, DateFormat f) {
  int y = 0, m = 0, d = 0;
  if (!SplitFields(s, f, &y, &m, &d)) {
    return absl::InvalidArgumentError(
        absl::StrFormat("'%s' does not match the date format %s", text, DateFormatName(f)));
  }
  if (y < 1900 || y > 2199 || m < 1 || m > 12 || d < 1 ||
      d > greg::gregorian_calendar::end_of_month_day(static_cast<unsigned short>(y),
                                                     static_cast<unsigned short>(m))) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "'%s' is not a valid calendar date in 1900..2199 (format %s)", text, DateFormatName(f)));
  }
  greg::date date(static_cast<unsigned short>(y), static_cast<unsigned short>(m),
                  static_cast<unsigned short>(d));
  return static_cast<Day>((date - Epoch()).days());
}

}  // namespace

absl::StatusOr<Day> ParseDate(std::string_view text, DateFormat format) {
  std::string_view s = DatePart(text);
  if (format != DateFormat::kAuto) return ParseExplicit(text, s, format);
  for (DateFormat f : {DateFormat::kIso, DateFormat::kYmdSlash, DateFormat::kCompact,
                       DateFormat::kDmyDot, DateFormat::kMdySlash}) {
    absl::StatusOr<Day> day = ParseExplicit(text, s, f);
    if (day.ok()) return day;
  }
  return absl::InvalidArgumentError(
      absl::StrFormat("'%s' is not a date in any of the formats %%Y-%%m-%%d, %%Y/%%m/%%d, "
                      "%%Y%%m%%d, %%d.%%m.%%Y, %%m/%%d/%%Y",
                      text));
}

absl::StatusOr<DateFormat> ParseDateFormatName(std::string_view name) {
  if (name == "%Y-%m-%d" || name == "iso") return DateFormat::kIso;
  if (name == "%Y/%m/%d") return DateFormat::kYmdSlash;
  if (name == "%m/%d/%Y") return DateFormat::kMdySlash;
  if (name == "%d.%m.%Y") return DateFormat::kDmyDot;
  if (name == "%Y%m%d") return DateFormat::kCompact;
  if (name == "%d/%m/%Y") return DateFormat::kDmySlash;
  if (name == "%m/%d/%y") return DateFormat::kMdySlash2;
  if (name == "%d/%m/%y") return DateFormat::kDmySlash2;
  if (name == "auto") return DateFormat::kAuto;
  return absl::InvalidArgumentError(absl::StrFormat(
      "unknown date format '%s' (use %%Y-%%m-%%d, %%Y/%%m/%%d, %%m/%%d/%%Y, %%d.%%m.%%Y, "
      "%%Y%%m%%d, %%d/%%m/%%Y, %%m/%%d/%%y, %%d/%%m/%%y or auto)",
      name));
}

std::string_view DateFormatName(DateFormat format) {
  switch (format) {
    case DateFormat::kIso: return "%Y-%m-%d";
    case DateFormat::kYmdSlash: return "%Y/%m/%d";
    case DateFormat::kMdySlash: return "%m/%d/%Y";
    case DateFormat::kDmyDot: return "%d.%m.%Y";
    case DateFormat::kCompact: return "%Y%m%d";
    case DateFormat::kDmySlash: return "%d/%m/%Y";
    case DateFormat::kMdySlash2: return "%m/%d/%y";
    case DateFormat::kDmySlash2: return "%d/%m/%y";
    case DateFormat::kAuto: return "auto";
  }
  return "?";
}

// Howard Hinnant's days_from_civil / civil_from_days: exact for the proleptic
// Gregorian calendar; the tests check them against Boost over 1900..2199.
Day DayFromCivil(int year, int month, int day) {
  year -= month <= 2;
  const int era = (year >= 0 ? year : year - 399) / 400;
  const int yoe = year - era * 400;
  const int doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
  const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

CivilDate CivilFromDay(Day z0) {
  const int z = z0 + 719468;
  const int era = (z >= 0 ? z : z - 146096) / 146097;
  const int doe = z - era * 146097;
  const int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int mp = (5 * doy + 2) / 153;
  const int d = doy - (153 * mp + 2) / 5 + 1;
  const int m = mp < 10 ? mp + 3 : mp - 9;
  return CivilDate{yoe + era * 400 + (m <= 2), m, d};
}

std::string FormatDate(Day day) {
  if (day == kNoDate) return "";
  return greg::to_iso_extended_string(Epoch() + greg::date_duration(day));
}

int YearMonth(Day day) {
  CivilDate c = CivilFromDay(day);
  return c.year * 100 + c.month;
}

int Quarter(Day day) { return (CivilFromDay(day).month - 1) / 3 + 1; }

int Weekday(Day day) {
  // 1970-01-01 was a Thursday (ISO 4).
  int w = (day % 7 + 7 + 3) % 7;  // Monday = 0
  return w + 1;
}

IsoWeek IsoWeekOf(Day day) {
  Day thursday = day - (Weekday(day) - 1) + 3;
  int iso_year = CivilFromDay(thursday).year;
  int week = (thursday - DayFromCivil(iso_year, 1, 1)) / 7 + 1;
  return IsoWeek{iso_year, week};
}

}  // namespace salesight
