// MarginPartial <-> bytes (format in include/salesight/partial_state.hpp):
// header, grouping, has_quantity, counters, then the groups in ascending key
// order (key tuple + six exact sums each). Dictionaries are not written.
#include <algorithm>
#include <limits>
#include <utility>

#include "absl/strings/str_format.h"
#include "core/internal/byte_io.hpp"
#include "core/internal/partial_header.hpp"
#include "internal/margin.hpp"
#include "salesight/partial_state.hpp"

namespace salesight {

absl::StatusOr<std::string> SerializeMarginPartial(const MarginPartial& p) {
  const std::size_t dims = p.grouping.dimensions.size();
  if (p.keys.size() != p.sums.size() * dims) {
    return absl::InvalidArgumentError("margin partial: keys and sums disagree in size");
  }
  byte_io::Writer w;
  partial_format::WriteHeader(w, PartialKind::kMargin, p.money_scale);
  w.Put<std::uint64_t>(dims);
  for (const std::string& name : p.grouping.dimensions) w.PutString(name);
  w.PutBool(p.has_quantity);
  w.Put(p.lines_outside_range);
  for (std::int64_t v : p.lines_by_cost_source) w.Put(v);
  w.Put<std::uint64_t>(p.sums.size());
  for (std::size_t g = 0; g < p.sums.size(); ++g) {
    for (std::size_t d = 0; d < dims; ++d) w.Put(p.keys[g * dims + d]);
    const MarginSums& s = p.sums[g];
    for (std::int64_t v : {s.lines, s.quantity, s.revenue, s.cost, s.cost_unknown_lines,
                           s.cost_unknown_revenue}) {
      w.Put(v);
    }
  }
  return std::move(w.str());
}

namespace {

// Longest dimension name accepted from bytes (a column header).
constexpr std::size_t kMaxNameBytes = 1024;

// The key range of one dimension (see "Groups" in margin.hpp): a member may
// be -1 (missing) like an unknown category.
bool KeyInRange(const margin_internal::DimName& dim, std::int64_t v) {
  constexpr std::int64_t kMaxId = std::numeric_limits<std::int32_t>::max();
  switch (dim.kind) {
    case margin_internal::DimKind::kOrder: return true;
    case margin_internal::DimKind::kPeriod: return PeriodFromNumber(dim.period, v).has_value();
    case margin_internal::DimKind::kCategory:
    case margin_internal::DimKind::kMember: return v >= -1 && v <= kMaxId;
  }
  return false;
}

}  // namespace

absl::StatusOr<MarginPartial> DeserializeMarginPartial(std::string_view bytes) {
  byte_io::Reader r(bytes, "margin partial");
  MarginPartial p;
  SALESIGHT_BIO(partial_format::ReadHeader(r, bytes, PartialKind::kMargin, &p.money_scale));
  std::size_t at = r.offset();
  std::size_t num_dims = 0;
  SALESIGHT_BIO(r.GetCount(&num_dims, 8, "number of grouping dimensions"));
  if (num_dims > static_cast<std::size_t>(kMaxMarginKeys)) {
    return r.ErrorAt(at, "more grouping dimensions than the library supports");
  }
  p.grouping.dimensions.resize(num_dims);
  for (std::string& name : p.grouping.dimensions) {
    SALESIGHT_BIO(r.GetString(&name, "grouping dimension name"));
    if (name.size() > kMaxNameBytes) {
      return r.ErrorAt(at, absl::StrFormat("a grouping dimension name is longer than %d bytes",
                                           kMaxNameBytes));
    }
  }
  if (absl::Status st = margin_internal::CheckGrouping(p.grouping); !st.ok()) {
    return r.ErrorAt(at, absl::StrFormat("grouping dimensions: %s", st.message()));
  }
  std::vector<margin_internal::DimName> kinds(num_dims);
  for (std::size_t d = 0; d < num_dims; ++d) {
    kinds[d] = *margin_internal::ClassifyDimension(p.grouping.dimensions[d]);
  }
  SALESIGHT_BIO(r.GetBool(&p.has_quantity, "has_quantity"));
  at = r.offset();
  SALESIGHT_BIO(r.Get(&p.lines_outside_range, "lines_outside_range"));
  for (std::int64_t& v : p.lines_by_cost_source) SALESIGHT_BIO(r.Get(&v, "lines_by_cost_source"));
  if (p.lines_outside_range < 0 ||
      std::any_of(p.lines_by_cost_source.begin(), p.lines_by_cost_source.end(),
                  [](std::int64_t v) { return v < 0; })) {
    return r.ErrorAt(at, "a line count is negative");
  }
  const std::size_t dims = p.grouping.dimensions.size();
  std::size_t groups = 0;
  SALESIGHT_BIO(r.GetCount(&groups, 8 * (dims + 6), "number of groups"));
  if (dims == 0 && groups > 1) return r.Error("a grand-total partial has more than one group");
  p.keys.resize(groups * dims);
  p.sums.resize(groups);
  for (std::size_t g = 0; g < groups; ++g) {
    at = r.offset();
    std::int64_t* key = p.keys.data() + g * dims;
    for (std::size_t d = 0; d < dims; ++d) {
      SALESIGHT_BIO(r.Get(&key[d], "group key"));
      if (!KeyInRange(kinds[d], key[d])) {
        return r.ErrorAt(at, absl::StrFormat("group %d: key %d of dimension %d is out of range", g,
                                             key[d], d));
      }
    }
    if (g > 0 && !std::lexicographical_compare(key - dims, key, key, key + dims)) {
      return r.ErrorAt(at, absl::StrFormat("group %d: keys are not strictly ascending", g));
    }
    MarginSums& s = p.sums[g];
    for (std::int64_t* v : {&s.lines, &s.quantity, &s.revenue, &s.cost, &s.cost_unknown_lines,
                            &s.cost_unknown_revenue}) {
      SALESIGHT_BIO(r.Get(v, "group sums"));
    }
    if (s.lines < 1 || s.cost_unknown_lines < 0 || s.cost_unknown_lines > s.lines ||
        (!p.has_quantity && s.quantity != 0)) {
      return r.ErrorAt(at, absl::StrFormat("group %d: the line counts are inconsistent", g));
    }
  }
  if (!r.at_end()) return r.Error("unexpected bytes after the end of the state");
  return p;
}

}  // namespace salesight
