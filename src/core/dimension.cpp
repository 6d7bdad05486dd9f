#include "salesight/dimension.hpp"

#include <algorithm>

#include "absl/status/status.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"

namespace salesight {
namespace {

// Levenshtein distance, case-insensitive (names are short).
std::size_t Distance(std::string_view a, std::string_view b) {
  auto lower = [](char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; };
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diag = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (lower(a[i - 1]) != lower(b[j - 1]))});
      diag = up;
    }
  }
  return row[b.size()];
}

}  // namespace

absl::StatusOr<DimensionColumn> FindDimension(const std::vector<DimensionColumn>& candidates,
                                              std::string_view name, std::string_view what) {
  for (const DimensionColumn& c : candidates) {
    if (c.name == name) return c;
  }
  std::vector<std::string> names;
  const DimensionColumn* closest = nullptr;
  std::size_t best = 0;
  for (const DimensionColumn& c : candidates) {
    names.push_back(absl::StrFormat("'%s'", c.name));
    const std::size_t d = Distance(c.name, name);
    if (closest == nullptr || d < best) {
      closest = &c;
      best = d;
    }
  }
  std::string hint;
  if (closest != nullptr && best <= std::max<std::size_t>(2, name.size() / 3)) {
    hint = absl::StrFormat(" Did you mean '%s'?", closest->name);
  }
  return absl::InvalidArgumentError(absl::StrFormat(
      "'%s' is not a dimension of the %s.%s Valid: %s.", name, what, hint,
      names.empty() ? std::string("none") : absl::StrJoin(names, ", ")));
}

std::string DimensionLabel(const DictionaryPtr& dictionary, Id code) {
  if (code == kNoId) return "(none)";
  if (dictionary && code >= 0 && code < dictionary->size()) {
    return std::string(dictionary->Code(code));
  }
  return std::to_string(code);
}

}  // namespace salesight
