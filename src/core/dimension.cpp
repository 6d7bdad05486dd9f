#include "salesight/dimension.hpp"

#include <algorithm>

#include "absl/status/status.h"
#include "absl/strings/str_format.h"
#include "salesight/names.hpp"

namespace salesight {

absl::StatusOr<DimensionColumn> FindDimension(const std::vector<DimensionColumn>& candidates,
                                              std::string_view name, std::string_view what) {
  for (const DimensionColumn& c : candidates) {
    if (c.name == name) return c;
  }
  // A name can appear twice (an order's own region and its customer's): the
  // first one is what the name resolves to, so it is listed once.
  std::vector<std::string> names;
  for (const DimensionColumn& c : candidates) {
    if (std::find(names.begin(), names.end(), c.name) == names.end()) names.push_back(c.name);
  }
  return absl::InvalidArgumentError(absl::StrFormat("'%s' is not a dimension of the %s.%s Valid: %s.",
                                                    name, what, DidYouMean(name, names),
                                                    QuotedNames(names)));
}

std::string DimensionLabel(const DictionaryPtr& dictionary, Id code) {
  if (code == kNoId) return "(none)";
  if (dictionary && code >= 0 && code < dictionary->size()) {
    return std::string(dictionary->Code(code));
  }
  return std::to_string(code);
}

}  // namespace salesight
