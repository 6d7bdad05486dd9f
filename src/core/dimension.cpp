#include "salesight/dimension.hpp"

#include "absl/status/status.h"
#include "absl/strings/str_format.h"
#include "salesight/names.hpp"

namespace salesight {

absl::StatusOr<DimensionColumn> FindDimension(const std::vector<DimensionColumn>& candidates,
                                              std::string_view name, std::string_view what) {
  for (const DimensionColumn& c : candidates) {
    if (c.name == name) return c;
  }
  std::vector<std::string> names;
  for (const DimensionColumn& c : candidates) names.push_back(c.name);
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
