// DMN S-FEEL unary tests: the input entries of a decision table.
//
// Supported (DMN 1.3, chapter 9, simple unary tests), for a column of one type:
//   -                       any value (an empty entry is the same)
//   < e   <= e   > e   >= e   comparisons with an endpoint
//   [a..b]  (a..b)  ]a..b[  [a..b)  ...   intervals, each end open or closed
//   e   = e                  equality with an endpoint
//   != e                     any value but e (DMN 1.4+ writes it; 1.3 readers
//                            spell it not(e))
//   null   = null            the input is null (absent); != null: it is not
//   t1, t2, ...              a list: any of the tests
//   not(t1, t2, ...)         none of the tests
// Endpoints are literals of the column's type: numbers (exact decimals),
// "strings" (\" and \\ escapes), true/false, date("YYYY-MM-DD").
// Anything else (names, arithmetic, function calls) is refused with an error
// that quotes the entry and the offset where it stops being S-FEEL.
//
// A null input (the attribute is absent) matches '-' and a list holding a
// null test (`null`, not inside not(...)); against every other item a FEEL
// comparison with null is null, and so is its negation: `!= 5`, `< 5` and
// not(5) do not match a null input. (Some engines read `null != 5` as true;
// here an absent attribute never satisfies a test that names a value, so a
// missing amount cannot slip into a tier by negation.)
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "salesight/approval/value.hpp"

namespace salesight::approval {

struct Bound {
  bool present = false;  // false: unbounded on this side
  bool closed = false;
  Value value;
  friend bool operator==(const Bound&, const Bound&) = default;
};

// Equality with v is [v..v]; "< v" is (-inf..v).
struct Interval {
  Bound lo, hi;
  friend bool operator==(const Interval&, const Interval&) = default;
};

struct UnaryTest {
  bool any = true;        // '-'
  bool negated = false;   // not(...)
  bool null = false;      // the list holds a null test
  std::vector<Interval> items;  // the list; matches when any item contains the value
  std::string text;       // as written, for messages
};

// Limits on one entry: its text and its list.
inline constexpr std::size_t kMaxEntryChars = 4096;
inline constexpr std::size_t kMaxListItems = 512;

// Parses `text` for a column of `type`. The error message quotes the text and
// says what is wrong; the caller adds the rule and column.
absl::StatusOr<UnaryTest> ParseUnaryTest(std::string_view text, ValueType type);

// One FEEL literal of `type` (an output entry): "director", 50000, true,
// date("2024-03-01"), null.
absl::StatusOr<Value> ParseLiteral(std::string_view text, ValueType type);

bool Contains(const Interval& interval, const Value& v);
bool Matches(const UnaryTest& test, const Value& v);

}  // namespace salesight::approval
