// Dictionary: the ERP's own codes (UTF-8 strings such as "C-000123" or "华东")
// to dense int32 ids 0..size-1 in first-seen order, and back.
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"

namespace salesight {

using Id = std::int32_t;
inline constexpr Id kNoId = -1;

class Dictionary {
 public:
  Dictionary() = default;
  Dictionary(const Dictionary& other);
  Dictionary& operator=(const Dictionary& other);
  Dictionary(Dictionary&&) noexcept = default;
  Dictionary& operator=(Dictionary&&) noexcept = default;

  // Returns the id of `code`, adding it when new. Fails only when the
  // dictionary would exceed 2^31-1 entries.
  absl::StatusOr<Id> Intern(std::string_view code);
  // The id of `code`, or kNoId.
  Id Find(std::string_view code) const;
  // The code of `id`; id must be in [0, size()).
  std::string_view Code(Id id) const { return codes_[static_cast<std::size_t>(id)]; }
  std::int32_t size() const { return static_cast<std::int32_t>(codes_.size()); }
  bool empty() const { return codes_.empty(); }

  // Builds from codes in id order; duplicates are an error naming both positions.
  static absl::StatusOr<Dictionary> FromCodes(const std::vector<std::string>& codes);

 private:
  // deque: stable addresses, so the map's string_view keys stay valid as we grow.
  std::deque<std::string> codes_;
  absl::flat_hash_map<std::string_view, Id> ids_;
};

using DictionaryPtr = std::shared_ptr<const Dictionary>;

}  // namespace salesight
