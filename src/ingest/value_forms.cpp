#include "internal/value_forms.hpp"

#include <algorithm>

#include "absl/strings/str_format.h"
#include "internal/field_parsers.hpp"

namespace salesight::ingest {
namespace {

constexpr std::string_view kYear = "\xE5\xB9\xB4";   // 年
constexpr std::string_view kMonth = "\xE6\x9C\x88";  // 月
constexpr std::string_view kDay = "\xE6\x97\xA5";    // 日
constexpr std::string_view kHao = "\xE5\x8F\xB7";    // 号 (spoken day)
constexpr std::string_view kYuan = "\xE5\x85\x83";   // 元

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Reads min..max digits at s[*p] into *out.
bool Digits(std::string_view s, std::size_t* p, int min, int max, int* out) {
  int n = 0, v = 0;
  while (*p < s.size() && n < max && IsDigit(s[*p])) {
    v = v * 10 + (s[*p] - '0');
    ++*p;
    ++n;
  }
  *out = v;
  return n >= min;
}

void SkipSpaces(std::string_view s, std::size_t* p) {
  while (*p < s.size() && (s[*p] == ' ' || s[*p] == '\t')) ++*p;
}

bool Word(std::string_view s, std::size_t* p, std::string_view w) {
  if (s.substr(*p, w.size()) != w) return false;
  *p += w.size();
  return true;
}

// "2024年1月7日", spaces allowed between the parts, an optional time after it
// (after a space, or digits right after 日: "2024年1月7日13:45").
absl::StatusOr<Day> ParseChineseDate(std::string_view text, std::string_view s) {
  auto bad = [&] {
    return absl::InvalidArgumentError(absl::StrFormat(
        "'%s' is not a date of the form 2024年1月7日 (year, month, day)", Printable(text)));
  };
  std::size_t p = 0;
  int y = 0, m = 0, d = 0;
  SkipSpaces(s, &p);
  if (!Digits(s, &p, 4, 4, &y)) return bad();
  SkipSpaces(s, &p);
  if (!Word(s, &p, kYear)) return bad();
  SkipSpaces(s, &p);
  if (!Digits(s, &p, 1, 2, &m)) return bad();
  SkipSpaces(s, &p);
  if (!Word(s, &p, kMonth)) return bad();
  SkipSpaces(s, &p);
  if (!Digits(s, &p, 1, 2, &d)) return bad();
  SkipSpaces(s, &p);
  if (!Word(s, &p, kDay) && !Word(s, &p, kHao)) return bad();
  const bool rest_is_time = p == s.size() || s[p] == ' ' || s[p] == '\t' || IsDigit(s[p]);
  if (!rest_is_time) return bad();
  absl::StatusOr<Day> day = ParseDate(absl::StrFormat("%04d-%02d-%02d", y, m, d), DateFormat::kIso);
  if (!day.ok()) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "'%s' is not a valid calendar date in 1900..2199", Printable(text)));
  }
  return day;
}

}  // namespace

bool FoldFullWidth(std::string_view s, std::string* out) {
  bool any = false;
  for (std::size_t i = 0; i + 2 < s.size(); ++i) {
    const auto b0 = static_cast<unsigned char>(s[i]);
    if (b0 == 0xEF || b0 == 0xE3 || b0 == 0xE2) {
      any = true;
      break;
    }
  }
  if (!any) return false;
  std::string r;
  r.reserve(s.size());
  bool changed = false;
  for (std::size_t i = 0; i < s.size();) {
    const auto b = [&](std::size_t k) {
      return i + k < s.size() ? static_cast<unsigned char>(s[i + k]) : 0u;
    };
    char ascii = 0;
    if (b(0) == 0xEF && b(1) == 0xBC && b(2) >= 0x81 && b(2) <= 0xBF) {
      ascii = static_cast<char>(0x21 + (b(2) - 0x81));  // U+FF01..U+FF3F
    } else if (b(0) == 0xEF && b(1) == 0xBD && b(2) >= 0x80 && b(2) <= 0x9E) {
      ascii = static_cast<char>(0x60 + (b(2) - 0x80));  // U+FF40..U+FF5E
    } else if (b(0) == 0xE3 && b(1) == 0x80 && b(2) == 0x80) {
      ascii = ' ';  // U+3000 ideographic space
    } else if (b(0) == 0xE2 && b(1) == 0x88 && b(2) == 0x92) {
      ascii = '-';  // U+2212 minus sign
    }
    if (ascii != 0) {
      r += ascii;
      i += 3;
      changed = true;
    } else {
      r += s[i++];
    }
  }
  if (changed) *out = std::move(r);
  return changed;
}

bool LooksLikeExcelSerial(std::string_view text) {
  std::string_view s = Trim(text);
  std::size_t p = 0;
  int v = 0;
  if (!Digits(s, &p, 1, 5, &v)) return false;
  if (p == s.size()) return true;
  if (s[p] != '.' || p + 1 == s.size()) return false;
  for (++p; p < s.size(); ++p) {
    if (!IsDigit(s[p])) return false;
  }
  return true;
}

absl::StatusOr<Day> ExcelSerialDay(std::string_view text) {
  std::string_view s = Trim(text);
  if (!LooksLikeExcelSerial(s)) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "'%s' is not an Excel serial date (a whole number of days, 1 = 1900-01-01)",
        Printable(text)));
  }
  std::size_t p = 0;
  int n = 0;
  Digits(s, &p, 1, 5, &n);
  if (n == 0) {
    return absl::InvalidArgumentError(
        absl::StrFormat("'%s' is Excel's day 0 (1900-01-00), not a date", Printable(text)));
  }
  if (n == 60) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "'%s' is Excel's 1900-02-29, a day that never existed (Lotus 1-2-3's leap-year bug, "
        "kept by Excel)",
        Printable(text)));
  }
  // Serials from 61 on count from 1899-12-30 because of the phantom 1900-02-29.
  const Day base = n < 60 ? DayFromCivil(1899, 12, 31) : DayFromCivil(1899, 12, 30);
  return base + n;  // at most 99999 -> 2173-10-14, inside kMaxDay
}

absl::StatusOr<Day> ParseDateForms(std::string_view text, DateFormat format, bool excel_serial,
                                   const absl::Status& fast_error) {
  std::string folded;
  const bool changed = FoldFullWidth(text, &folded);
  const std::string_view s = changed ? std::string_view(folded) : text;
  if (s.find(kYear) != std::string_view::npos) return ParseChineseDate(text, s);
  const bool serial = LooksLikeExcelSerial(s);
  if (serial && excel_serial) return ExcelSerialDay(s);
  if (changed) {
    absl::StatusOr<Day> day = ParseDate(s, format);
    if (day.ok()) return day;
    return absl::InvalidArgumentError(absl::StrFormat(
        "'%s' (read as '%s'): %s", Printable(text), Printable(s), ToStd(day.status().message())));
  }
  if (serial) {
    absl::StatusOr<Day> as_serial = ExcelSerialDay(s);
    if (as_serial.ok()) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "%s; if the column holds Excel serial dates ('%s' would be %s), read it with "
          "excel_dates (--excel-dates)",
          ToStd(fast_error.message()), Printable(Trim(s)), FormatDate(*as_serial)));
    }
  }
  return fast_error;
}

bool RewriteAmount(std::string_view text, char decimal_point, char thousands_separator,
                   std::string* rewritten, char* thousands, std::string_view* kind,
                   std::string* detail) {
  std::string s;
  if (!FoldFullWidth(text, &s)) s.assign(text);
  auto trim = [&] { s.assign(Trim(s)); };
  trim();
  if (s.find('%') != std::string::npos) {
    *kind = "not an amount";
    *detail = absl::StrFormat("'%s' is a percentage, not an amount", Printable(text));
    return false;
  }
  // Suffixes in either order: "1,234.50元-", "1,234.50-元".
  bool minus_suffix = false;
  for (int pass = 0; pass < 2; ++pass) {
    if (s.size() > kYuan.size() && s.compare(s.size() - kYuan.size(), kYuan.size(), kYuan) == 0) {
      s.resize(s.size() - kYuan.size());
      trim();
    }
    if (!minus_suffix && s.size() > 1 && s.back() == '-' && s.front() != '-' &&
        s.front() != '(') {
      s.pop_back();  // accounting exports write negatives as "1,234.50-"
      trim();
      minus_suffix = true;
    }
  }
  if (minus_suffix) s.insert(0, "-");
  *thousands = thousands_separator;
  const char alt = decimal_point == '.' ? ',' : decimal_point == ',' ? '.' : '\0';
  if (thousands_separator == '\0' && alt != '\0') {
    const auto count = std::count(s.begin(), s.end(), alt);
    if (count > 0) {
      if (count == 1 && s.find(decimal_point) == std::string::npos) {
        std::size_t p = s.find(alt) + 1, digits = 0;
        while (p < s.size() && IsDigit(s[p])) ++p, ++digits;
        if (digits == 3) {
          *kind = "ambiguous thousands separator";
          *detail = absl::StrFormat(
              "'%s' could be read with '%c' separating thousands or as the decimal point: set "
              "the thousands separator (--thousands '%c') or the decimal point",
              Printable(text), alt, alt);
          return false;
        }
      }
      *thousands = alt;
    }
  }
  *rewritten = std::move(s);
  return true;
}

bool ParsePercent(std::string_view text, ExactRatio* out) {
  std::string s;
  if (!FoldFullWidth(text, &s)) s.assign(text);
  std::string_view v = Trim(s);
  if (v.empty() || v.back() != '%') return false;
  v = Trim(v.substr(0, v.size() - 1));
  if (v.empty() || v.front() == '(') return false;
  MoneyParseOptions o;
  o.thousands_separator = '\0';
  absl::StatusOr<int> decimals = MoneyDecimals(v, o);
  if (!decimals.ok() || *decimals > kMaxMoneyScale) return false;
  for (char c : v) {
    if (!IsDigit(c) && c != '.' && c != '-' && c != '+') return false;  // no currency signs
  }
  o.scale = *decimals;
  absl::StatusOr<Money> value = ParseMoney(v, o);
  if (!value.ok()) return false;
  *out = ExactRatio{*value, *decimals + 2};
  return true;
}

}  // namespace salesight::ingest
