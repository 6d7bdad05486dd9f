// CodeTable: text -> dense int32 ids in first-seen order, the hot probe of
// every reader that interns codes row by row (CSV code columns, the C ABI's
// interned text columns).
//
// Why not Dictionary's absl::flat_hash_map<std::string_view, Id>: a hit there
// touches three cache lines (the control bytes, the slot, then the string the
// slot's view points to), and with ~10^5 customers per file they all miss
// (perf: Dictionary::Intern + its memcmp were a third of a CSV load). Here a
// slot holds the key's 32-bit hash, its length and, for keys of up to
// kInlineBytes bytes (ERP codes, Chinese names), the key itself: a hit reads
// one 32-byte slot, and only longer keys compare against the stored text.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "salesight/dictionary.hpp"

namespace salesight::internal {

class CodeTable {
 public:
  static constexpr std::size_t kInlineBytes = 20;
  static constexpr Id kMaxCodes = 2147483647;

  // copy_keys = false: Intern keeps views of the caller's bytes (which must
  // outlive the table and never change) instead of copying new keys.
  explicit CodeTable(bool copy_keys = true) : copy_keys_(copy_keys) {}
  CodeTable(CodeTable&&) noexcept = default;
  CodeTable& operator=(CodeTable&&) noexcept = default;

  // The id of `key`, adding it as size() when new (*added, if not null, says
  // which). kNoId when the table holds kMaxCodes codes already. May throw
  // std::bad_alloc.
  Id Intern(std::string_view key, bool* added = nullptr);
  // The id of `key`, or kNoId.
  Id Find(std::string_view key) const;
  // The code of `id`; id in [0, size()).
  std::string_view Code(Id id) const { return codes_[static_cast<std::size_t>(id)]; }
  Id size() const { return static_cast<Id>(codes_.size()); }
  const std::vector<std::string_view>& codes() const { return codes_; }

 private:
  struct alignas(32) Slot {
    std::uint32_t hash = 0;
    Id id = kNoId;  // kNoId: empty
    std::uint32_t size = 0;
    char bytes[kInlineBytes] = {};  // the key when size <= kInlineBytes, zero-padded
  };
  static_assert(sizeof(Slot) == 32, "one slot, half a cache line");

  static std::uint32_t Hash(std::string_view key);
  // The slot holding `key` or the empty slot where it belongs.
  std::size_t Probe(std::string_view key, std::uint32_t hash) const;
  void Grow();
  std::string_view Store(std::string_view key);

  std::vector<Slot> slots_;  // a power of two, at most 3/4 full
  std::vector<std::string_view> codes_;
  // Copied keys (copy_keys): Code() views must stay valid as the table
  // grows, so the keys live in blocks that never move.
  std::vector<std::unique_ptr<char[]>> blocks_;
  char* block_at_ = nullptr;
  std::size_t block_left_ = 0;
  bool copy_keys_ = true;
};

// A CodeTable in front of a Dictionary: the ids dict.Intern gives, for the
// price of one slot read per known code; the dictionary itself is touched
// once per distinct code (the readers' per-row interning).
//
// Without a dictionary the ids are the cache's own, first-seen, and table()
// holds the codes.
class InternCache {
 public:
  InternCache() = default;
  explicit InternCache(Dictionary& dict) : dict_(&dict), keep_(dict.size()) {}
  CodeTable& table() { return table_; }
  // Puts the codes added since the cache was made in canonical order
  // (CanonicalOrder with the dictionary's size then as `keep`) and `ids`
  // (ids of the dictionary) with them. The cache is empty after.
  template <typename Vector>
  void ToCanonical(Vector& ids) {
    const std::vector<Id> new_id = CanonicalOrder(*dict_, keep_);
    dict_->Reorder(new_id);
    for (auto& id : ids) id = new_id[static_cast<std::size_t>(id)];
    *this = InternCache(*dict_);
  }

  absl::StatusOr<Id> Intern(std::string_view code) {
    bool added = false;
    const Id local = table_.Intern(code, &added);
    if (dict_ == nullptr) {
      if (local == kNoId) return absl::ResourceExhaustedError("more than 2^31-1 distinct codes");
      return local;
    }
    if (local != kNoId && !added) {
      const Id id = ids_[static_cast<std::size_t>(local)];
      if (id != kNoId) return id;
    }
    absl::StatusOr<Id> id = dict_->Intern(code);
    if (added) ids_.push_back(id.ok() ? *id : kNoId);  // kNoId: ask the dictionary again
    return id;
  }

 private:
  Dictionary* dict_ = nullptr;
  Id keep_ = 0;  // the dictionary's size when the cache was made
  CodeTable table_;
  std::vector<Id> ids_;  // table_'s id -> dict_'s
};

}  // namespace salesight::internal
