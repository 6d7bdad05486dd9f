// The calendar codec (see salesight/grain.hpp). Everything here runs per
// period or per day of a range, never per line, except PeriodOf (inline).
#include "salesight/grain.hpp"
#include "salesight/period_label.hpp"

#include <charconv>
#include <optional>
#include <string>
#include <system_error>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_format.h"

namespace salesight {
namespace {

std::optional<int> LabelInt(std::string_view text) {
  int v = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return v;
}


// Monday of ISO week `week` of ISO year `year`.
Day IsoWeekMonday(int year, int week) {
  const Day jan4 = DayFromCivil(year, 1, 4);
  return jan4 - (Weekday(jan4) - 1) + 7 * (week - 1);
}

bool HasWeek53(int iso_year) { return IsoWeekOf(DayFromCivil(iso_year, 12, 28)).week == 53; }

// First month ordinal (year * 12 + month - 1) of the period.
std::int32_t FirstMonth(Grain grain, std::int32_t ordinal) {
  switch (grain.unit) {
    case GrainUnit::kMonth: return ordinal;
    case GrainUnit::kQuarter: return ordinal * 3;
    case GrainUnit::kYear: return ordinal * 12;
    case GrainUnit::kFiscalYear: return ordinal * 12 + grain.fiscal_start_month - 1;
    default: return 0;
  }
}

Day DayOfMonthOrdinal(std::int32_t month) { return DayFromCivil(month / 12, month % 12 + 1, 1); }

}  // namespace

const std::int32_t* MonthOrdinalTable() {
  static const std::vector<std::int32_t>* const table = [] {
    auto* t = new std::vector<std::int32_t>(static_cast<std::size_t>(kMaxDay - kMinDay + 1));
    for (Day d = kMinDay; d <= kMaxDay; ++d) {
      const CivilDate c = CivilFromDay(d);
      (*t)[static_cast<std::size_t>(d - kMinDay)] = c.year * 12 + c.month - 1;
    }
    return t;
  }();
  return table->data();
}

Day PeriodStart(Grain grain, std::int32_t ordinal) {
  switch (grain.unit) {
    case GrainUnit::kDay: return ordinal;
    case GrainUnit::kIsoWeek: return kMinDay + 7 * ordinal;
    default: return DayOfMonthOrdinal(FirstMonth(grain, ordinal));
  }
}

Day PeriodEnd(Grain grain, std::int32_t ordinal) {
  switch (grain.unit) {
    case GrainUnit::kDay: return ordinal;
    case GrainUnit::kIsoWeek: return kMinDay + 7 * ordinal + 6;
    default: return DayOfMonthOrdinal(FirstMonth(grain, ordinal + 1)) - 1;
  }
}

std::int64_t PeriodNumber(Grain grain, std::int32_t ordinal) {
  switch (grain.unit) {
    case GrainUnit::kDay: return ordinal;
    case GrainUnit::kIsoWeek: {
      const IsoWeek w = IsoWeekOf(PeriodStart(grain, ordinal));
      return std::int64_t{w.year} * 100 + w.week;
    }
    case GrainUnit::kMonth: return std::int64_t{ordinal / 12} * 100 + ordinal % 12 + 1;
    case GrainUnit::kQuarter: return std::int64_t{ordinal / 4} * 10 + ordinal % 4 + 1;
    case GrainUnit::kYear:
    case GrainUnit::kFiscalYear: return ordinal;
  }
  return 0;
}

std::string PeriodLabel(Grain grain, std::int32_t ordinal) {
  const std::int64_t n = PeriodNumber(grain, ordinal);
  switch (grain.unit) {
    case GrainUnit::kDay: return FormatDate(ordinal);
    case GrainUnit::kIsoWeek: return absl::StrFormat("%04d-W%02d", n / 100, n % 100);
    case GrainUnit::kMonth: return absl::StrFormat("%04d-%02d", n / 100, n % 100);
    case GrainUnit::kQuarter: return absl::StrFormat("%04d-Q%d", n / 10, n % 10);
    case GrainUnit::kYear: return absl::StrFormat("%04d", n);
    case GrainUnit::kFiscalYear: return absl::StrFormat("FY%04d", n);
  }
  return "";
}

std::optional<std::int32_t> PeriodFromNumber(Grain grain, std::int64_t number) {
  std::int64_t ordinal = 0;
  if (grain.unit == GrainUnit::kDay) {
    if (number < kMinDay || number > kMaxDay) return std::nullopt;
    return static_cast<std::int32_t>(number);
  }
  // Every non-day period holding a real date has a (week-based or fiscal)
  // year in 1899..2201; bounding it first keeps the calendar math in range.
  const std::int64_t divisor = grain.unit == GrainUnit::kIsoWeek || grain.unit == GrainUnit::kMonth
                                   ? 100
                                   : grain.unit == GrainUnit::kQuarter ? 10 : 1;
  const std::int64_t year = number / divisor, part = number % divisor;
  if (number < 0 || year < 1899 || year > 2201) return std::nullopt;
  switch (grain.unit) {
    case GrainUnit::kIsoWeek: {
      if (part < 1 || part > 53) return std::nullopt;
      const Day monday = IsoWeekMonday(static_cast<int>(year), static_cast<int>(part));
      const IsoWeek w = IsoWeekOf(monday);
      if (w.year != year || w.week != part) return std::nullopt;  // no such week 53
      ordinal = PeriodOfUnit<GrainUnit::kIsoWeek>(nullptr, monday);
      break;
    }
    case GrainUnit::kMonth:
      if (part < 1 || part > 12) return std::nullopt;
      ordinal = year * 12 + part - 1;
      break;
    case GrainUnit::kQuarter:
      if (part < 1 || part > 4) return std::nullopt;
      ordinal = year * 4 + part - 1;
      break;
    default: ordinal = year; break;
  }
  const auto o = static_cast<std::int32_t>(ordinal);
  if (PeriodEnd(grain, o) < kMinDay || PeriodStart(grain, o) > kMaxDay) return std::nullopt;
  return o;
}

std::uint8_t GrainToByte(Grain grain) {
  return grain.unit == GrainUnit::kFiscalYear
             ? static_cast<std::uint8_t>(5 + grain.fiscal_start_month - 1)
             : static_cast<std::uint8_t>(grain.unit);
}

std::optional<Grain> GrainFromByte(std::uint8_t code) {
  if (code < 5) return Grain(static_cast<GrainUnit>(code));
  if (code <= 16) return Grain(GrainUnit::kFiscalYear, code - 4);
  return std::nullopt;
}

std::optional<std::int32_t> SamePeriodLastYear(Grain grain, std::int32_t ordinal) {
  std::optional<std::int32_t> out;
  switch (grain.unit) {
    case GrainUnit::kDay: {
      const CivilDate c = CivilFromDay(ordinal);
      if ((c.month == 2 && c.day == 29) || c.year - 1 < 1900) return std::nullopt;
      out = DayFromCivil(c.year - 1, c.month, c.day);
      break;
    }
    case GrainUnit::kIsoWeek: {
      const IsoWeek w = IsoWeekOf(PeriodStart(grain, ordinal));
      // HasWeek53(w.year - 1) is never true for a week 53 (see the header);
      // the check states the definition rather than relying on it.
      if (w.week == 53 && !HasWeek53(w.year - 1)) return std::nullopt;
      if (w.year - 1 < 1900) return std::nullopt;
      const Day monday = IsoWeekMonday(w.year - 1, w.week);
      if (monday < kMinDay) return std::nullopt;
      out = (monday - kMinDay) / 7;
      break;
    }
    case GrainUnit::kMonth: out = ordinal - 12; break;
    case GrainUnit::kQuarter: out = ordinal - 4; break;
    case GrainUnit::kYear:
    case GrainUnit::kFiscalYear: out = ordinal - 1; break;
  }
  if (out && PeriodStart(grain, *out) < kMinDay) return std::nullopt;
  return out;
}

std::int32_t PeriodsPerYear(Grain grain) {
  switch (grain.unit) {
    case GrainUnit::kDay: return 366;
    case GrainUnit::kIsoWeek: return 53;
    case GrainUnit::kMonth: return 12;
    case GrainUnit::kQuarter: return 4;
    case GrainUnit::kYear:
    case GrainUnit::kFiscalYear: return 1;
  }
  return 1;
}

std::string_view GrainName(Grain grain) {
  switch (grain.unit) {
    case GrainUnit::kDay: return "day";
    case GrainUnit::kIsoWeek: return "week";
    case GrainUnit::kMonth: return "month";
    case GrainUnit::kQuarter: return "quarter";
    case GrainUnit::kYear: return "year";
    case GrainUnit::kFiscalYear: return "fiscal_year";
  }
  return "?";
}

absl::StatusOr<Grain> ParseGrain(std::string_view name) {
  if (name == "day") return Grain(GrainUnit::kDay);
  if (name == "week" || name == "iso_week") return Grain(GrainUnit::kIsoWeek);
  if (name == "month") return Grain(GrainUnit::kMonth);
  if (name == "quarter") return Grain(GrainUnit::kQuarter);
  if (name == "year") return Grain(GrainUnit::kYear);
  constexpr std::string_view kFiscal = "fiscal_year";
  if (name.substr(0, kFiscal.size()) == kFiscal) {
    std::string_view rest = name.substr(kFiscal.size());
    if (rest.empty()) return Grain(GrainUnit::kFiscalYear, 1);
    int month = 0;
    const std::string_view digits = rest.substr(1);
    const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), month);
    if (rest.front() == ':' && ec == std::errc() && end == digits.data() + digits.size() &&
        month >= 1 && month <= 12) {
      return Grain(GrainUnit::kFiscalYear, month);
    }
    return absl::InvalidArgumentError(absl::StrFormat(
        "grain '%s': the fiscal year's start month must be 1..12, as in fiscal_year:4", name));
  }
  return absl::InvalidArgumentError(absl::StrFormat(
      "grain '%s' is not one of day, week, month, quarter, year, fiscal_year[:M]", name));
}

std::optional<std::int32_t> PeriodOfLabel(Grain grain, std::string_view label) {
  std::optional<Day> start;
  const std::string_view s = label;
  auto date = [](int y, int m, int d) -> std::optional<Day> {
    if (y < 1900 || y > 2199 || m < 1 || m > 12) return std::nullopt;
    return DayFromCivil(y, m, d);
  };
  switch (grain.unit) {
    case GrainUnit::kDay:
    case GrainUnit::kMonth: {
      absl::StatusOr<Day> d =
          ParseDate(grain.unit == GrainUnit::kDay ? std::string(label) : std::string(label) + "-01",
                    DateFormat::kIso);
      if (d.ok()) start = *d;
      break;
    }
    case GrainUnit::kQuarter:
      if (s.size() == 7 && s.substr(4, 2) == "-Q") {
        const auto y = LabelInt(s.substr(0, 4)), q = LabelInt(s.substr(6));
        if (y && q && *q >= 1 && *q <= 4) start = date(*y, (*q - 1) * 3 + 1, 1);
      }
      break;
    case GrainUnit::kYear:
      if (const auto y = LabelInt(s)) start = date(*y, 1, 1);
      break;
    case GrainUnit::kFiscalYear:
      if (s.size() > 2 && s.substr(0, 2) == "FY") {
        if (const auto y = LabelInt(s.substr(2)); y && *y >= 1900 && *y <= 2199) {
          start = PeriodStart(grain, *y);
        }
      }
      break;
    case GrainUnit::kIsoWeek:
      if (s.size() == 8 && s.substr(4, 2) == "-W") {
        const auto y = LabelInt(s.substr(0, 4)), w = LabelInt(s.substr(6));
        if (y && w && *w >= 1 && *w <= 53) {
          if (const std::optional<Day> jan4 = date(*y, 1, 4)) {
            start = *jan4 - (Weekday(*jan4) - 1) + (*w - 1) * 7;
          }
        }
      }
      break;
  }
  if (!start) return std::nullopt;
  const std::int32_t ordinal = PeriodOf(grain, *start);
  if (PeriodLabel(grain, ordinal) != label) return std::nullopt;
  return ordinal;
}

}  // namespace salesight
