// The slow path of the field parsers: the spreadsheet and Chinese forms of
// dates and amounts that the fast parsers (ParseDate, ParseMoney) do not read.
// Called only after the fast parse failed, so plain files pay nothing; each
// form is a fixed shape that no fast form has, so trying it second gives the
// same answer as trying it first (csv.hpp, "Dates" and "Money").
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "salesight/date.hpp"
#include "salesight/money.hpp"

namespace salesight::ingest {

// Full-width ASCII forms (U+FF01..U+FF5E: "１２３，．－（）％"), the ideographic
// space U+3000 and the minus sign U+2212 as ASCII; false when `s` has none.
bool FoldFullWidth(std::string_view s, std::string* out);

// 1900 date system: 1 = 1900-01-01 ... 59 = 1900-02-28, 61 = 1900-03-01; 60 is
// Excel's (Lotus 1-2-3's) 1900-02-29, which never existed: an error, as is 0.
// A fraction (the time of day) is dropped.
absl::StatusOr<Day> ExcelSerialDay(std::string_view text);
// "45293" or "45293.5": the shape of a serial (1..5 digits, optional fraction).
bool LooksLikeExcelSerial(std::string_view text);

// The slow forms of a date: "2024年1月7日" (an optional time after it is
// dropped), full-width digits and separators, and, when `excel_serial`, serial
// numbers. `fast_error` is the fast parser's error, returned (with a hint for
// serial-looking numbers) when no form matches.
absl::StatusOr<Day> ParseDateForms(std::string_view text, DateFormat format, bool excel_serial,
                                   const absl::Status& fast_error);

// The slow forms of an amount, rewritten into the fast parser's form:
// full-width characters, a "元" suffix, a trailing minus ("1,234.50-"), and a
// thousands separator (the one of ',' and '.' that is not the decimal point)
// when none is set and its use is unambiguous: two or more of them, or one
// followed by the decimal point ("1,234.50"). One separator, no decimal point
// and three digits after it ("1,234") is ambiguous: an error naming the
// thousands option. Returns false with *kind/*detail set when the text is not
// an amount in any form; true with *rewritten and *thousands otherwise (the
// rewritten text may still fail the fast parser, e.g. misplaced separators).
bool RewriteAmount(std::string_view text, char decimal_point, char thousands_separator,
                   std::string* rewritten, char* thousands, std::string_view* kind,
                   std::string* detail);

// A percentage "12.5%" (also full-width, "-3%", "0.5 %") as an exact decimal:
// 12.5% = 0.125 = {125, 3}. False when the text has no '%' or is not a number.
struct ExactRatio {
  std::int64_t value = 0;
  int scale = 0;  // value / 10^scale
};
bool ParsePercent(std::string_view text, ExactRatio* out);

}  // namespace salesight::ingest
