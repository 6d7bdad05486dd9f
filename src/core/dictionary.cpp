#include "salesight/dictionary.hpp"

#include <algorithm>
#include <charconv>
#include <limits>
#include <numeric>
#include <utility>

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

void Dictionary::Reorder(absl::Span<const Id> new_id) {
  // Only the codes that move are touched (see the header); their map keys are
  // views into the strings, so they leave the map before the strings move.
  // When most move, one rebuild of the map is cheaper than erase + insert.
  std::size_t moves = 0;
  for (std::size_t i = 0; i < codes_.size(); ++i) moves += new_id[i] != static_cast<Id>(i);
  const bool rebuild = moves > codes_.size() / 4;
  if (rebuild) ids_.clear();
  std::vector<std::pair<Id, std::string>> moving;
  moving.reserve(moves);
  for (std::size_t i = 0; i < codes_.size(); ++i) {
    if (new_id[i] == static_cast<Id>(i)) continue;
    if (!rebuild) ids_.erase(std::string_view(codes_[i]));
    moving.emplace_back(new_id[i], std::move(codes_[i]));
  }
  for (auto& [id, code] : moving) {
    std::string& slot = codes_[static_cast<std::size_t>(id)];
    slot = std::move(code);
    if (!rebuild) ids_.emplace(slot, id);
  }
  if (rebuild) {
    ids_.reserve(codes_.size());
    for (std::size_t i = 0; i < codes_.size(); ++i) ids_.emplace(codes_[i], static_cast<Id>(i));
  }
}

namespace {

bool ParseInt64(std::string_view s, std::int64_t* value) {
  const char* end = s.data() + s.size();
  auto [ptr, ec] = std::from_chars(s.data(), end, *value);
  return !s.empty() && ec == std::errc() && ptr == end;
}

// The canonical "less" over ids of one dictionary (see the header). Text
// compares std::string_view, whose char_traits compare like memcmp, i.e. as
// unsigned bytes.
class CodeLess {
 public:
  explicit CodeLess(const Dictionary& dict) : dict_(dict) {
    values_.resize(static_cast<std::size_t>(dict.size()));
    for (Id i = 0; i < dict.size(); ++i) {
      if (!ParseInt64(dict.Code(i), &values_[static_cast<std::size_t>(i)])) {
        values_.clear();
        break;
      }
    }
    numeric_ = values_.size() == static_cast<std::size_t>(dict.size());
  }
  bool numeric() const { return numeric_; }
  bool operator()(Id a, Id b) const {
    if (numeric_) {
      const std::int64_t va = values_[static_cast<std::size_t>(a)];
      const std::int64_t vb = values_[static_cast<std::size_t>(b)];
      if (va != vb) return va < vb;
    }
    return dict_.Code(a) < dict_.Code(b);
  }

 private:
  const Dictionary& dict_;
  std::vector<std::int64_t> values_;
  bool numeric_ = false;
};

}  // namespace

bool IsIntegerCode(std::string_view code) {
  std::int64_t value = 0;
  return ParseInt64(code, &value);
}

bool CodesAreIntegers(const Dictionary& dict) { return CodeLess(dict).numeric(); }

std::vector<Id> CanonicalOrder(const Dictionary& dict, Id keep) {
  const CodeLess less(dict);
  const Id n = dict.size();
  keep = std::clamp<Id>(keep, 0, n);
  std::vector<Id> order(static_cast<std::size_t>(n - keep));
  std::iota(order.begin(), order.end(), keep);
  std::sort(order.begin(), order.end(), less);
  std::vector<Id> new_id(static_cast<std::size_t>(n));
  std::iota(new_id.begin(), new_id.begin() + keep, 0);
  for (std::size_t j = 0; j < order.size(); ++j) {
    new_id[static_cast<std::size_t>(order[j])] = keep + static_cast<Id>(j);
  }
  return new_id;
}

bool IsCanonical(const Dictionary& dict, Id* out_of_order) {
  const CodeLess less(dict);
  for (Id i = 0; i + 1 < dict.size(); ++i) {
    if (less(i + 1, i)) {
      if (out_of_order != nullptr) *out_of_order = i;
      return false;
    }
  }
  return true;
}

absl::Status CheckAddedCodesInOrder(const Dictionary& dict, Id keep, Id* added) {
  Id at = kNoId;
  if (keep <= 0 || IsCanonical(dict, &at)) return absl::OkStatus();
  Id code = keep;  // the smallest added code
  std::string reason;
  if (at + 1 == keep) {
    reason = absl::StrFormat("sorts before the shared code '%s'", dict.Code(at));
  } else {  // the shared codes are integers and an added code is not
    while (code + 1 < dict.size() && IsIntegerCode(dict.Code(code))) ++code;
    reason = "is not an integer, so the shared codes (all integers, ordered as numbers) would "
             "be ordered as text";
  }
  if (added != nullptr) *added = code;
  return absl::InvalidArgumentError(absl::StrFormat(
      "code '%s' is not among the shared codes and %s. Ids follow the codes' order (ties and "
      "rankings break by it) and shared codes keep the ids of the table they came from, so a "
      "table that shares codes may add only codes that sort after them",
      dict.Code(code), reason));
}

}  // namespace salesight
