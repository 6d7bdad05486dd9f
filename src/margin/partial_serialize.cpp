// MarginPartial <-> bytes (format in include/salesight/partial_state.hpp):
// header, grouping, has_quantity, counters, then the groups in ascending key
// order (key tuple + six exact sums each). Dictionaries are not written.
#include <algorithm>
#include <limits>
#include <utility>

#include "absl/strings/str_format.h"
#include "core/byte_io.hpp"
#include "core/partial_header.hpp"
#include "salesight/partial_state.hpp"

namespace salesight {

absl::StatusOr<std::string> SerializeMarginPartial(const MarginPartial& p) {
  const std::size_t dims = p.grouping.dimensions.size();
  if (p.keys.size() != p.sums.size() * dims) {
    return absl::InvalidArgumentError("margin partial: keys and sums disagree in size");
  }
  byte_io::Writer w;
  partial_format::WriteHeader(w, PartialKind::kMargin, p.money_scale);
  w.PutVector(p.grouping.dimensions);
  w.Put(GrainToByte(p.grouping.period));
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

// The key range of one dimension (see "Groups" in margin.hpp).
bool KeyInRange(MarginDimension dim, Grain period, std::int64_t v) {
  constexpr std::int64_t kMaxId = std::numeric_limits<std::int32_t>::max();
  switch (dim) {
    case MarginDimension::kCategory: return v >= -1 && v <= kMaxId;
    case MarginDimension::kOrder: return true;
    case MarginDimension::kPeriod: break;
    default: return v >= 0 && v <= kMaxId;
  }
  return PeriodFromNumber(period, v).has_value();
}

}  // namespace

absl::StatusOr<MarginPartial> DeserializeMarginPartial(std::string_view bytes) {
  byte_io::Reader r(bytes, "margin partial");
  MarginPartial p;
  SALESIGHT_BIO(partial_format::ReadHeader(r, bytes, PartialKind::kMargin, &p.money_scale));
  std::size_t at = r.offset();
  SALESIGHT_BIO(r.GetVector(&p.grouping.dimensions, "grouping dimensions"));
  if (p.grouping.dimensions.size() > static_cast<std::size_t>(kMaxMarginDimensions)) {
    return r.ErrorAt(at, "more grouping dimensions than the library supports");
  }
  for (std::size_t d = 0; d < p.grouping.dimensions.size(); ++d) {
    const MarginDimension dim = p.grouping.dimensions[d];
    if (static_cast<int>(dim) > static_cast<int>(MarginDimension::kPeriod) ||
        std::count(p.grouping.dimensions.begin(), p.grouping.dimensions.end(), dim) != 1) {
      return r.ErrorAt(at, absl::StrFormat("grouping dimension %d (%d) is invalid or repeated", d,
                                           static_cast<int>(dim)));
    }
  }
  at = r.offset();
  std::uint8_t period = 0;
  SALESIGHT_BIO(r.Get(&period, "period"));
  const std::optional<Grain> grain = GrainFromByte(period);
  if (!grain) return r.ErrorAt(at, "period is out of range");
  p.grouping.period = *grain;
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
      if (!KeyInRange(p.grouping.dimensions[d], p.grouping.period, key[d])) {
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
