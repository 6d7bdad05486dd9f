// Compact numbers for sentences (salesight/compact_number.hpp).
#include "salesight/compact_number.hpp"

#include <cmath>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace salesight {
namespace {

std::string TrimZeros(std::string s) {
  if (s.find('.') == std::string::npos) return s;
  while (!s.empty() && s.back() == '0') s.pop_back();
  if (!s.empty() && s.back() == '.') s.pop_back();
  return s;
}

}  // namespace

std::string DecimalText(double x, int decimals) {
  return TrimZeros(absl::StrFormat("%.*f", decimals, x));
}

std::string CompactNumber(double x, std::string_view lang) {
  const double ax = std::fabs(x);
  if (lang == "zh") {
    if (ax >= 1e8) return absl::StrCat(TrimZeros(absl::StrFormat("%.2f", x / 1e8)), "亿");
    if (ax >= 1e4) return absl::StrCat(TrimZeros(absl::StrFormat("%.1f", x / 1e4)), "万");
  } else {
    if (ax >= 1e9) return absl::StrCat(TrimZeros(absl::StrFormat("%.2f", x / 1e9)), "B");
    if (ax >= 1e6) return absl::StrCat(TrimZeros(absl::StrFormat("%.2f", x / 1e6)), "M");
    if (ax >= 1e3) return absl::StrCat(TrimZeros(absl::StrFormat("%.1f", x / 1e3)), "K");
  }
  return TrimZeros(absl::StrFormat("%.2f", x));
}

std::string PercentText(double x) { return DecimalText(std::fabs(x), 1); }

}  // namespace salesight
