#include "salesight/dictionary.hpp"

#include <limits>

#include "absl/status/status.h"
#include "absl/strings/str_format.h"

namespace salesight {

Dictionary::Dictionary(const Dictionary& other) : codes_(other.codes_) {
  ids_.reserve(codes_.size());
  for (std::size_t i = 0; i < codes_.size(); ++i) ids_.emplace(codes_[i], static_cast<Id>(i));
}

Dictionary& Dictionary::operator=(const Dictionary& other) {
  if (this != &other) *this = Dictionary(other);
  return *this;
}

absl::StatusOr<Id> Dictionary::Intern(std::string_view code) {
  auto it = ids_.find(code);
  if (it != ids_.end()) return it->second;
  if (codes_.size() >= static_cast<std::size_t>(std::numeric_limits<Id>::max())) {
    return absl::ResourceExhaustedError("dictionary is full (2^31-1 codes)");
  }
  Id id = static_cast<Id>(codes_.size());
  codes_.emplace_back(code);
  ids_.emplace(codes_.back(), id);
  return id;
}

Id Dictionary::Find(std::string_view code) const {
  auto it = ids_.find(code);
  return it == ids_.end() ? kNoId : it->second;
}

absl::StatusOr<Dictionary> Dictionary::FromCodes(const std::vector<std::string>& codes) {
  Dictionary dict;
  for (std::size_t i = 0; i < codes.size(); ++i) {
    Id before = dict.Find(codes[i]);
    if (before != kNoId) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "dictionary code '%s' appears twice, at positions %d and %d", codes[i], before, i));
    }
    absl::StatusOr<Id> id = dict.Intern(codes[i]);
    if (!id.ok()) return id.status();
  }
  return dict;
}

}  // namespace salesight
