// The result's shape: order, top N (+ "(others)"), offset/limit and the
// totals rows (a grand total; subtotals = ROLLUP over the key columns).
#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_format.h"
#include "salesight/status_macros.hpp"
#include "query/internal/plan.hpp"

namespace salesight::query_internal {
namespace {

std::size_t MeasureIndex(const Plan& plan, const std::string& name) {
  return static_cast<std::size_t>(
      std::find(plan.measure_names.begin(), plan.measure_names.end(), name) -
      plan.measure_names.begin());
}

// a before b by measure m, descending or not; nulls last either way; 0 = tie.
int CompareValues(const MeasureValue& a, const MeasureValue& b, bool desc) {
  if (a.null || b.null) return a.null == b.null ? 0 : a.null ? 1 : -1;
  int c = 0;
  if (a.is_double) {
    c = a.d < b.d ? -1 : a.d > b.d ? 1 : 0;
  } else {
    c = a.i < b.i ? -1 : a.i > b.i ? 1 : 0;
  }
  return desc ? -c : c;
}

// The spec's order items as comparisons of rows (ties: canonical order,
// kept by the stable sort).
struct OrderBy {
  const Plan& plan;
  const Groups& g;
  struct Item {
    int key_column = -1;  // else a measure
    std::size_t measure = 0;
    bool desc = false;
  };
  std::vector<Item> items;

  OrderBy(const Plan& p, const Groups& groups, const std::vector<QueryOrder>& order)
      : plan(p), g(groups) {
    for (const QueryOrder& o : order) {
      Item item;
      item.desc = o.desc;
      const int offset = plan.grain ? 1 : 0;
      if (plan.grain && o.member == plan.time_column) {
        item.key_column = 0;
      } else {
        for (std::size_t d = 0; d < plan.dims.size(); ++d) {
          if (plan.dims[d].name == o.member) item.key_column = offset + static_cast<int>(d);
        }
        if (item.key_column < 0) item.measure = MeasureIndex(plan, o.member);
      }
      items.push_back(item);
    }
  }
  bool operator()(const OutRow& a, const OutRow& b) const {
    for (const Item& item : items) {
      int c = 0;
      if (item.key_column >= 0) {
        const std::int32_t x = a.key[static_cast<std::size_t>(item.key_column)];
        const std::int32_t y = b.key[static_cast<std::size_t>(item.key_column)];
        c = x < y ? -1 : x > y ? 1 : 0;
        if (item.desc) c = -c;
      } else {
        const MeasureId m = plan.measures[item.measure];
        c = CompareValues(ValueOf(plan, g, a.entry, m), ValueOf(plan, g, b.entry, m), item.desc);
      }
      if (c != 0) return c < 0;
    }
    return false;
  }
};

// Top n per partition (the period, when the query has a grain and
// dimensions; else one partition): by `by` descending, ties canonical; the
// rest of a partition rolled into one "(others)" row after it.
absl::StatusOr<std::vector<OutRow>> Top(const Plan& plan, const QuerySpec& spec, Groups& g,
                                        std::vector<OutRow> rows) {
  const QueryTop& top = *spec.top;
  const std::size_t by = MeasureIndex(plan, top.by.empty() ? spec.measures[0] : top.by);
  const bool by_period = plan.grain && !plan.dims.empty();
  std::vector<std::vector<OutRow>> parts;
  for (OutRow& r : rows) {
    if (parts.empty() || (by_period && parts.back().front().key[0] != r.key[0])) parts.emplace_back();
    parts.back().push_back(std::move(r));
  }
  const MeasureId m = plan.measures[by];
  std::vector<std::int32_t> entry_of(g.keyer->num_slots(), -1);
  std::vector<OutRow> others;
  for (std::vector<OutRow>& part : parts) {
    std::stable_sort(part.begin(), part.end(), [&](const OutRow& a, const OutRow& b) {
      return CompareValues(ValueOf(plan, g, a.entry, m), ValueOf(plan, g, b.entry, m), true) < 0;
    });
    const auto n = static_cast<std::size_t>(std::min<std::int64_t>(top.n, part.size()));
    if (top.others && n < part.size()) {
      OutRow o;
      o.entry = static_cast<std::int32_t>(others.size());  // rolled below
      o.key.assign(part.front().key.size(), kOthersMember);
      if (by_period) o.key[0] = part.front().key[0];
      for (std::size_t i = n; i < part.size(); ++i) entry_of[part[i].entry] = o.entry;
      others.push_back(std::move(o));
    }
    part.resize(n);
    if (!spec.order.empty()) std::stable_sort(part.begin(), part.end(), OrderBy(plan, g, spec.order));
  }
  const auto first = static_cast<std::int32_t>(g.sums.size());
  SALESIGHT_RETURN_IF_ERROR(Roll(plan, g, entry_of, static_cast<std::int32_t>(others.size())));
  std::vector<OutRow> out;
  std::size_t next_other = 0;
  for (std::vector<OutRow>& part : parts) {
    const std::vector<std::int32_t> part_key = part.empty() ? std::vector<std::int32_t>{} : part.front().key;
    for (OutRow& r : part) out.push_back(std::move(r));
    if (next_other < others.size() &&
        (!by_period || (!part_key.empty() && others[next_other].key[0] == part_key[0]))) {
      OutRow o = others[next_other++];
      o.entry += first;
      out.push_back(std::move(o));
    }
  }
  return out;
}

// Totals over the detail groups: ROLLUP levels from the most detailed
// subtotal (all key columns but the last) to the grand total (none).
absl::StatusOr<std::vector<OutRow>> Totals(const Plan& plan, const QuerySpec& spec, Groups& g,
                                           const std::vector<std::int32_t>& detail) {
  const std::size_t columns = (plan.grain ? 1 : 0) + plan.dims.size();
  const std::size_t lowest = spec.totals == QueryTotals::kSubtotals && columns > 0 ? columns - 1 : 0;
  std::vector<OutRow> out;
  for (std::size_t level = lowest + 1; level-- > 0;) {
    std::map<std::vector<std::int32_t>, std::int32_t> index;
    std::vector<std::int32_t> entry_of(g.keyer->num_slots(), -1);
    for (const std::int32_t slot : detail) {
      std::vector<std::int32_t> key = SlotRow(plan, *g.keyer, slot).key;
      key.resize(level);
      entry_of[slot] = index.try_emplace(key, static_cast<std::int32_t>(index.size())).first->second;
    }
    if (index.empty()) continue;
    const auto first = static_cast<std::int32_t>(g.sums.size());
    SALESIGHT_RETURN_IF_ERROR(Roll(plan, g, entry_of, static_cast<std::int32_t>(index.size())));
    for (const auto& [prefix, e] : index) {
      OutRow r;
      r.entry = first + e;
      r.key = prefix;
      r.key.resize(columns, kAllMember);
      out.push_back(std::move(r));
    }
  }
  return out;
}

}  // namespace

OutRow SlotRow(const Plan& plan, const GroupKeyer& keyer, std::int32_t slot) {
  OutRow r;
  r.entry = slot;
  if (plan.grain) r.key.push_back(keyer.Period(slot));
  for (std::size_t d = 0; d < plan.dims.size(); ++d) {
    r.key.push_back(keyer.Code(slot, static_cast<int>(d)));
  }
  return r;
}

absl::StatusOr<std::vector<OutRow>> ShapeRows(const Plan& plan, const QuerySpec& spec, Groups& g,
                                              const std::vector<std::int32_t>& detail) {
  std::vector<OutRow> rows;
  rows.reserve(detail.size());
  for (const std::int32_t slot : detail) rows.push_back(SlotRow(plan, *g.keyer, slot));
  if (spec.top) {
    SALESIGHT_ASSIGN_OR_RETURN(rows, Top(plan, spec, g, std::move(rows)));
  } else if (!spec.order.empty()) {
    std::stable_sort(rows.begin(), rows.end(), OrderBy(plan, g, spec.order));
  }
  const auto offset = static_cast<std::size_t>(std::min<std::int64_t>(spec.offset, rows.size()));
  rows.erase(rows.begin(), rows.begin() + static_cast<std::ptrdiff_t>(offset));
  if (spec.limit && static_cast<std::size_t>(*spec.limit) < rows.size()) {
    rows.resize(static_cast<std::size_t>(*spec.limit));
  }
  if (spec.totals != QueryTotals::kNone) {
    SALESIGHT_ASSIGN_OR_RETURN(std::vector<OutRow> totals, Totals(plan, spec, g, detail));
    for (OutRow& r : totals) rows.push_back(std::move(r));
  }
  return rows;
}

}  // namespace salesight::query_internal
