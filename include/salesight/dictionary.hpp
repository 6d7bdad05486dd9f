// Dictionary: the ERP's own codes (UTF-8 strings such as "C-000123" or "华东")
// to dense int32 ids 0..size-1, and back.
//
// Intern() hands out ids in first-seen order. Calculators break ties and order
// results by id, so whoever makes a table's ids puts them in the codes'
// CANONICAL order first (the CSV readers, the C table builder; the Python layer
// factorizes the same way), and results do not depend on row order or on the
// surface that loaded them:
//   * numeric, when EVERY code of the dictionary is an integer (what
//     std::from_chars reads in full as an int64: ASCII digits with an optional
//     leading '-', nothing else, no '+', no spaces): codes compare by value,
//     and spellings of one value ("007", "7") by their bytes;
//   * otherwise text: codes compare bytewise as unsigned bytes, which for UTF-8
//     is code point order (Python's str order; "" first).
// One non-integer code (or "") makes the whole dictionary text.
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/types/span.h"

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

  // Moves code `id` to id new_id[id] (a permutation, as CanonicalOrder gives).
  // A code that keeps its id keeps its string, so a table whose ids all keep
  // theirs stays valid; not thread-safe (no lookups while it runs).
  void Reorder(absl::Span<const Id> new_id);

 private:
  // deque: stable addresses, so the map's string_view keys stay valid as we grow.
  std::deque<std::string> codes_;
  absl::flat_hash_map<std::string_view, Id> ids_;
};

// True when `code` is an integer in the sense above.
bool IsIntegerCode(std::string_view code);
// True when every code is one (the dictionary's order is numeric).
bool CodesAreIntegers(const Dictionary& dict);

// The canonical order as old id -> new id: ids below `keep` stay, the codes
// from `keep` on follow them in canonical order among themselves (keep = 0:
// the whole dictionary; a reader extending a dictionary that other tables
// already use keeps their ids). Whether codes are numeric is decided over the
// whole dictionary. The identity when already in order.
std::vector<Id> CanonicalOrder(const Dictionary& dict, Id keep = 0);

// True when ids follow the canonical order. Otherwise *out_of_order (if not
// null) is the first id whose code should come after the next id's.
bool IsCanonical(const Dictionary& dict, Id* out_of_order = nullptr);

// For a dictionary whose codes [0, keep) are shared with another table (their
// ids are fixed) and whose other codes were added after them (CanonicalOrder
// with `keep`): OK when the whole is canonical. Else the codes cannot all be in
// value order without moving a shared id, and the error names the first added
// code that breaks the order and why; *added (if not null) is its id.
absl::Status CheckAddedCodesInOrder(const Dictionary& dict, Id keep, Id* added = nullptr);

using DictionaryPtr = std::shared_ptr<const Dictionary>;

}  // namespace salesight
