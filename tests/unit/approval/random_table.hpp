// Random decision-table entries for the reference tests: generated as
// structures, rendered to S-FEEL for the engine, matched plainly by the
// reference. Numbers are integers counting halves (3 = 1.5); strings are
// codes (3 = "s3") tested by equality lists.
#pragma once

#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"

namespace salesight::approval::testing_tables {

// One simple test on a number (in halves) or a string code.
struct Item {
  int kind;  // 0 eq, 1 <, 2 <=, 3 >, 4 >=, 5 range
  int a, b;
  bool lo_closed, hi_closed;
};
struct Entry {
  bool any = true, negated = false;
  std::vector<Item> items;
};

inline std::string NumText(int halves) {
  return halves % 2 == 0 ? absl::StrCat(halves / 2) : absl::StrCat(halves / 2, ".5");
}
inline std::string StrText(int code) { return absl::StrCat("\"s", code, "\""); }

inline std::string Render(const Entry& e, bool number) {
  if (e.any) return "-";
  std::string out;
  auto lit = [&](int v) { return number ? NumText(v) : StrText(v); };
  for (const Item& it : e.items) {
    if (!out.empty()) out += ", ";
    static const char* kOps[] = {"", "< ", "<= ", "> ", ">= "};
    if (it.kind < 5) {
      out += kOps[it.kind] + lit(it.a);
    } else {
      out += absl::StrCat(it.lo_closed ? "[" : "(", lit(it.a), "..", lit(it.b),
                          it.hi_closed ? "]" : ")");
    }
  }
  return e.negated ? "not(" + out + ")" : out;
}

// v counts units of 1/per_half of a half (per_half = 2: quarters).
inline bool RefMatch(const Entry& e, int v, int per_half = 1) {
  if (e.any) return true;
  bool in = false;
  for (const Item& it : e.items) {
    const int a = it.a * per_half, b = it.b * per_half;
    switch (it.kind) {
      case 0: in |= v == a; break;
      case 1: in |= v < a; break;
      case 2: in |= v <= a; break;
      case 3: in |= v > a; break;
      case 4: in |= v >= a; break;
      default:
        in |= (it.lo_closed ? v >= a : v > a) && (it.hi_closed ? v <= b : v < b);
    }
  }
  return in != e.negated;
}

inline Entry RandomEntry(std::mt19937_64& rng, bool number) {
  Entry e;
  if (rng() % 4 == 0) return e;
  e.any = false;
  e.negated = rng() % 5 == 0;
  const int n = 1 + static_cast<int>(rng() % 3);
  for (int i = 0; i < n; ++i) {
    Item it{};
    it.kind = number ? static_cast<int>(rng() % 6) : 0;  // strings: equality lists
    it.a = static_cast<int>(rng() % 12);
    it.b = it.a + 1 + static_cast<int>(rng() % 6);
    it.lo_closed = rng() % 2;
    it.hi_closed = rng() % 2;
    e.items.push_back(it);
  }
  return e;
}

}  // namespace salesight::approval::testing_tables
