// CanonicalOrder / IsCanonical / Reorder / CheckAddedCodesInOrder against a
// plain reference: integers recognised and compared digit by digit (no
// from_chars), text compared byte by byte as unsigned char.
#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_format.h"
#include "gtest/gtest.h"
#include "salesight/dictionary.hpp"

namespace salesight {
namespace {

// "-?[0-9]+" within int64, decided on the digits alone.
bool RefIsInteger(const std::string& s) {
  std::size_t i = s.size() > 0 && s[0] == '-' ? 1 : 0;
  if (i == s.size()) return false;
  for (std::size_t j = i; j < s.size(); ++j) {
    if (s[j] < '0' || s[j] > '9') return false;
  }
  std::string digits = s.substr(i);
  digits.erase(0, std::min(digits.find_first_not_of('0'), digits.size() - 1));
  const std::string limit = i == 1 ? "9223372036854775808" : "9223372036854775807";
  return digits.size() < limit.size() || (digits.size() == limit.size() && digits <= limit);
}

bool RefTextLess(const std::string& a, const std::string& b) {
  return std::lexicographical_compare(
      a.begin(), a.end(), b.begin(), b.end(),
      [](char x, char y) { return static_cast<unsigned char>(x) < static_cast<unsigned char>(y); });
}

// Value order of two integer texts: sign, then digit count, then digits.
int RefCompareIntegers(const std::string& a, const std::string& b) {
  auto split = [](const std::string& s, bool* negative) {
    *negative = s[0] == '-';
    std::string d = s.substr(*negative ? 1 : 0);
    d.erase(0, std::min(d.find_first_not_of('0'), d.size() - 1));
    if (d == "0") *negative = false;  // -0 == 0
    return d;
  };
  bool na = false, nb = false;
  const std::string da = split(a, &na), db = split(b, &nb);
  if (na != nb) return na ? -1 : 1;
  int magnitude = da.size() != db.size() ? (da.size() < db.size() ? -1 : 1)
                                         : (da == db ? 0 : (da < db ? -1 : 1));
  return na ? -magnitude : magnitude;
}

std::vector<std::string> RefSorted(std::vector<std::string> codes) {
  const bool numeric = std::all_of(codes.begin(), codes.end(), RefIsInteger);
  std::sort(codes.begin(), codes.end(), [&](const std::string& a, const std::string& b) {
    if (numeric) {
      const int c = RefCompareIntegers(a, b);
      if (c != 0) return c < 0;
    }
    return RefTextLess(a, b);
  });
  return codes;
}

Dictionary Make(const std::vector<std::string>& codes) {
  absl::StatusOr<Dictionary> d = Dictionary::FromCodes(codes);
  EXPECT_TRUE(d.ok()) << d.status();
  return *std::move(d);
}

// The codes in the order CanonicalOrder gives them.
std::vector<std::string> Ordered(const Dictionary& d, Id keep = 0) {
  const std::vector<Id> new_id = CanonicalOrder(d, keep);
  std::vector<std::string> out(static_cast<std::size_t>(d.size()));
  for (Id i = 0; i < d.size(); ++i) out[static_cast<std::size_t>(new_id[i])] = d.Code(i);
  return out;
}

TEST(CanonicalOrder, NumbersByValueAndSpellingsBytewise) {
  const Dictionary d = Make({"10", "9", "-3", "007", "7", "0", "-0", "100"});
  EXPECT_TRUE(CodesAreIntegers(d));
  EXPECT_EQ(Ordered(d),
            (std::vector<std::string>{"-3", "-0", "0", "007", "7", "9", "10", "100"}));
}

TEST(CanonicalOrder, TextBytewiseUtf8IsCodePointOrder) {
  const Dictionary d = Make({"b", "B", "a", "", "\xC3\xA4" /* ä */, "\xE8\x8F\xAF" /* 華 */,
                             "Z9", "a ", "\xF0\x9F\x98\x80" /* U+1F600 */});
  EXPECT_FALSE(CodesAreIntegers(d));
  EXPECT_EQ(Ordered(d), (std::vector<std::string>{"", "B", "Z9", "a", "a ", "b", "\xC3\xA4",
                                                  "\xE8\x8F\xAF", "\xF0\x9F\x98\x80"}));
}

TEST(CanonicalOrder, OneNonIntegerMakesTheWholeDictionaryText) {
  EXPECT_EQ(Ordered(Make({"10", "9", "A"})), (std::vector<std::string>{"10", "9", "A"}));
  EXPECT_EQ(Ordered(Make({"10", "9", ""})), (std::vector<std::string>{"", "10", "9"}));
  EXPECT_EQ(Ordered(Make({"10", "+9"})), (std::vector<std::string>{"+9", "10"}));
  EXPECT_EQ(Ordered(Make({"10", " 9"})), (std::vector<std::string>{" 9", "10"}));
  EXPECT_EQ(Ordered(Make({"10", "9.0"})), (std::vector<std::string>{"10", "9.0"}));
  EXPECT_EQ(Ordered(Make({"10", "-"})), (std::vector<std::string>{"-", "10"}));
}

TEST(CanonicalOrder, Int64Extremes) {
  const Dictionary ok = Make({"9223372036854775807", "-9223372036854775808", "0"});
  EXPECT_TRUE(CodesAreIntegers(ok));
  EXPECT_EQ(Ordered(ok), (std::vector<std::string>{"-9223372036854775808", "0",
                                                   "9223372036854775807"}));
  // One past the range is not an int64: the dictionary is text.
  const Dictionary over = Make({"9223372036854775808", "10", "9"});
  EXPECT_FALSE(CodesAreIntegers(over));
  EXPECT_EQ(Ordered(over), (std::vector<std::string>{"10", "9", "9223372036854775808"}));
  EXPECT_FALSE(IsIntegerCode("-9223372036854775809"));
  EXPECT_TRUE(IsIntegerCode("-9223372036854775808"));
  EXPECT_TRUE(IsIntegerCode("0009223372036854775807"));
}

TEST(CanonicalOrder, KeepLeavesThePrefixAndOrdersTheRest) {
  const Dictionary d = Make({"C", "A", "Z", "B", "D"});
  EXPECT_EQ(CanonicalOrder(d, 2), (std::vector<Id>{0, 1, 4, 2, 3}));
  EXPECT_EQ(Ordered(d, 2), (std::vector<std::string>{"C", "A", "B", "D", "Z"}));
  EXPECT_EQ(CanonicalOrder(d, 5), (std::vector<Id>{0, 1, 2, 3, 4}));
}

TEST(CanonicalOrder, ReorderMovesCodesAndLookups) {
  Dictionary d = Make({"b", "c", "a"});
  Id at = kNoId;
  EXPECT_FALSE(IsCanonical(d, &at));
  EXPECT_EQ(at, 1);  // "c" should come after "a"
  d.Reorder(CanonicalOrder(d));
  EXPECT_TRUE(IsCanonical(d));
  EXPECT_EQ(d.Code(0), "a");
  EXPECT_EQ(d.Code(2), "c");
  EXPECT_EQ(d.Find("a"), 0);
  EXPECT_EQ(d.Find("b"), 1);
  EXPECT_EQ(d.Find("c"), 2);
  EXPECT_EQ(*d.Intern("d"), 3);
  Dictionary copy = d;
  EXPECT_EQ(copy.Find("c"), 2);
}

TEST(CanonicalOrder, ReorderOfAFewCodesKeepsEveryLookup) {
  // Two of 100 codes out of place: Reorder moves only those (the map is
  // updated entry by entry rather than rebuilt).
  std::vector<std::string> codes;
  for (int i = 0; i < 100; ++i) codes.push_back(absl::StrFormat("K%03d", i));
  std::swap(codes[10], codes[90]);
  Dictionary d = Make(codes);
  const std::string_view untouched = d.Code(50);
  d.Reorder(CanonicalOrder(d));
  EXPECT_TRUE(IsCanonical(d));
  EXPECT_EQ(d.Code(50).data(), untouched.data());  // a code that kept its id did not move
  for (Id i = 0; i < d.size(); ++i) {
    EXPECT_EQ(d.Code(i), absl::StrFormat("K%03d", i));
    EXPECT_EQ(d.Find(d.Code(i)), i);
  }
}

TEST(CanonicalOrder, MatchesThePlainReferenceOnRandomCodes) {
  // Short codes over digits, '-', a letter, a space and a multibyte letter:
  // integer and text dictionaries, ties of value ("07"/"7"), "-0".
  const std::vector<std::string> pieces = {"0", "1", "7", "9", "-", "x", " ", "\xC3\xA4"};
  for (int seed = 0; seed < 400; ++seed) {
    std::mt19937 rng(static_cast<unsigned>(seed));
    const bool digits_only = seed % 2 == 0;
    Dictionary d;
    const int n = 1 + static_cast<int>(rng() % 40);
    std::vector<std::string> codes;
    for (int i = 0; i < n; ++i) {
      std::string code = digits_only && rng() % 3 == 0 ? "-" : "";
      const int len = 1 + static_cast<int>(rng() % (seed % 5 == 0 ? 20 : 4));
      for (int k = 0; k < len; ++k) {
        code += digits_only ? pieces[rng() % 4] : pieces[rng() % pieces.size()];
      }
      if (d.Find(code) != kNoId) continue;
      ASSERT_TRUE(d.Intern(code).ok());
      codes.push_back(code);
    }
    ASSERT_EQ(Ordered(d), RefSorted(codes)) << "seed " << seed;
    Dictionary sorted = d;
    sorted.Reorder(CanonicalOrder(d));
    EXPECT_TRUE(IsCanonical(sorted)) << "seed " << seed;
    for (Id i = 0; i < sorted.size(); ++i) ASSERT_EQ(sorted.Find(sorted.Code(i)), i);
    const Id keep = static_cast<Id>(rng() % static_cast<unsigned>(d.size() + 1));
    const std::vector<std::string> tail = Ordered(d, keep);
    for (Id i = 0; i < keep; ++i) EXPECT_EQ(tail[static_cast<std::size_t>(i)], d.Code(i));
    std::vector<std::string> rest(codes.begin() + keep, codes.end());
    const bool numeric = std::all_of(codes.begin(), codes.end(), RefIsInteger);
    std::sort(rest.begin(), rest.end(), [&](const std::string& a, const std::string& b) {
      if (numeric && RefCompareIntegers(a, b) != 0) return RefCompareIntegers(a, b) < 0;
      return RefTextLess(a, b);
    });
    EXPECT_EQ(std::vector<std::string>(tail.begin() + keep, tail.end()), rest) << seed;
  }
}

TEST(CanonicalOrder, AddedCodesAfterSharedOnesOrAnError) {
  EXPECT_TRUE(CheckAddedCodesInOrder(Make({"A", "C", "D", "E"}), 2).ok());
  EXPECT_TRUE(CheckAddedCodesInOrder(Make({"B", "A"}), 0).ok());  // nothing shared

  Id added = kNoId;
  absl::Status st = CheckAddedCodesInOrder(Make({"A", "C", "B", "D"}), 2, &added);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(added, 2);
  EXPECT_NE(st.message().find("code 'B'"), std::string::npos) << st;
  EXPECT_NE(st.message().find("shared code 'C'"), std::string::npos) << st;

  // Integer codes shared; an added text code would make them text.
  st = CheckAddedCodesInOrder(Make({"2", "10", "3", "X"}), 2, &added);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(added, 3);
  EXPECT_NE(st.message().find("'X' is not among the shared codes and is not an integer"),
            std::string::npos)
      << st;
}

}  // namespace
}  // namespace salesight
