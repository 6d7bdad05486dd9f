// Trend partial body <-> bytes (trend/partial_codec.hpp).
#include "internal/partial_codec.hpp"

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/str_format.h"
#include "core/internal/partial_codec_util.hpp"
#include "salesight/partial_state.hpp"
#include "salesight/partial_format.hpp"

namespace salesight::trend_internal {
namespace {

constexpr std::size_t kMaxName = 1024;
const std::int64_t kMaxCells = TrendOptions{}.max_cells;

absl::Status Count(byte_io::Reader& r, std::int64_t* v, const char* field) {
  const std::size_t at = r.offset();
  SALESIGHT_BIO(r.Get(v, field));
  if (*v < 0 || *v > kMaxSerializedCount) {
    return r.ErrorAt(at, absl::StrFormat("%s %d is outside 0..%d", field, *v, kMaxSerializedCount));
  }
  return absl::OkStatus();
}

template <typename T>
absl::Status Cells(byte_io::Reader& r, std::vector<T>* v, std::size_t cells, bool counts,
                   const char* field) {
  const std::size_t at = r.offset();
  SALESIGHT_BIO(r.GetVector(v, field));
  if (v->size() != cells) {
    return r.ErrorAt(at, absl::StrFormat("%s: %d cells, the window has %d", field, v->size(),
                                         cells));
  }
  if (counts) {
    for (T x : *v) {
      if (x < 0 || x > kMaxSerializedCount) {
        return r.ErrorAt(at, absl::StrFormat("%s: a count is outside 0..%d", field,
                                             kMaxSerializedCount));
      }
    }
  }
  return absl::OkStatus();
}

}  // namespace

void WriteTrend(const TrendPartial& p, byte_io::Writer& w) {
  w.PutString(p.group_by);
  w.Put(p.first_day);
  w.Put(p.days);
  w.Put(p.groups);
  w.PutVector(p.revenue);
  w.PutVector(p.lines);
  w.PutVector(p.collections);
  w.PutVector(p.payments);
  w.PutBool(p.has_collections);
  w.PutBool(p.lines_source);
  w.PutBool(p.has_orders);
  w.Put<std::uint64_t>(p.orders.size());
  for (const TrendOrderFirst& f : p.orders) {
    w.Put(f.order);
    w.Put(f.group);
    w.Put(f.day);
  }
  w.PutBool(p.has_margin);
  if (p.has_margin) aggregator_internal::WriteNested(p.margin, &SerializeMarginPartial, w);
  w.Put(p.lines_outside_range);
}

absl::Status ReadTrend(byte_io::Reader& r, TrendPartial* p) {
  std::size_t at = r.offset();
  SALESIGHT_BIO(r.GetString(&p->group_by, "group_by"));
  if (p->group_by.size() > kMaxName) return r.ErrorAt(at, "group_by is too long");
  at = r.offset();
  SALESIGHT_BIO(r.Get(&p->first_day, "first day"));
  SALESIGHT_BIO(r.Get(&p->days, "days"));
  SALESIGHT_BIO(r.Get(&p->groups, "groups"));
  if (p->days < 0 || p->groups < 1 ||
      (p->days > 0 && (p->first_day < kMinDay || p->first_day > kMaxDay ||
                       std::int64_t{p->first_day} + p->days - 1 > kMaxDay)) ||
      std::int64_t{p->days} * p->groups > kMaxCells) {
    return r.ErrorAt(at, absl::StrFormat("window of %d days from day %d x %d groups is outside "
                                         "the date range or max_cells %d",
                                         p->days, p->first_day, p->groups, kMaxCells));
  }
  if (p->days == 0) p->first_day = 0;
  const auto cells = static_cast<std::size_t>(std::int64_t{p->days} * p->groups);
  SALESIGHT_BIO(Cells(r, &p->revenue, cells, false, "revenue"));
  SALESIGHT_BIO(Cells(r, &p->lines, cells, true, "lines"));
  SALESIGHT_BIO(Cells(r, &p->collections, cells, false, "collections"));
  SALESIGHT_BIO(Cells(r, &p->payments, cells, true, "payments"));
  SALESIGHT_BIO(r.GetBool(&p->has_collections, "has collections"));
  SALESIGHT_BIO(r.GetBool(&p->lines_source, "lines source"));
  SALESIGHT_BIO(r.GetBool(&p->has_orders, "has orders"));
  at = r.offset();
  std::size_t n = 0;
  SALESIGHT_BIO(r.GetCount(&n, 16, "orders"));
  p->orders.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    TrendOrderFirst& f = p->orders[i];
    const std::size_t o = r.offset();
    SALESIGHT_BIO(r.Get(&f.order, "order"));
    SALESIGHT_BIO(r.Get(&f.group, "order group"));
    SALESIGHT_BIO(r.Get(&f.day, "order day"));
    const bool inside = f.group >= 0 && f.group < p->groups && f.day >= p->first_day &&
                        std::int64_t{f.day} < std::int64_t{p->first_day} + p->days;
    const bool ascending = i == 0 || p->orders[i - 1].group < f.group ||
                           (p->orders[i - 1].group == f.group && p->orders[i - 1].order < f.order);
    if (!inside || !ascending) {
      return r.ErrorAt(o, "an order is outside the window or out of (group, order) order");
    }
  }
  at = r.offset();
  SALESIGHT_BIO(r.GetBool(&p->has_margin, "has margin"));
  if (p->has_margin) {
    SALESIGHT_BIO(aggregator_internal::ReadNested(r, &p->margin, &DeserializeMarginPartial,
                                                   "margin partial"));
    std::vector<std::string> want;
    if (!p->group_by.empty()) want.push_back(p->group_by);
    want.push_back("day");
    if (p->margin.grouping.dimensions != want) {
      return r.ErrorAt(at, "the margin grouping is not [group_by, day]");
    }
    if (p->margin.money_scale != p->money_scale) {
      return r.ErrorAt(at, "the margin partial's money scale differs from the header's");
    }
    // FinishTrend takes revenue - unknown-cost revenue - cost and lines -
    // unknown-cost lines per cell without checks: they must fit.
    for (const MarginSums& m : p->margin.sums) {
      Money x = 0;
      std::int64_t lines = 0;
      if (__builtin_sub_overflow(m.revenue, m.cost_unknown_revenue, &x) ||
          __builtin_sub_overflow(x, m.cost, &x) ||
          __builtin_sub_overflow(m.lines, m.cost_unknown_lines, &lines)) {
        return r.ErrorAt(at, "a margin cell overflows int64");
      }
    }
  }
  SALESIGHT_BIO(Count(r, &p->lines_outside_range, "lines outside the range"));
  if (!p->lines_source && (p->has_orders || p->has_margin || !p->orders.empty())) {
    return r.ErrorAt(at, "orders or margin in a partial without order lines");
  }
  return absl::OkStatus();
}

absl::Status MergeTrendBounded(TrendPartial& into, const TrendPartial& from) {
  if (from.days > 0 && into.days > 0) {
    const std::int64_t lo = std::min(into.first_day, from.first_day);
    const std::int64_t hi = std::max(std::int64_t{into.first_day} + into.days,
                                     std::int64_t{from.first_day} + from.days);
    const std::int64_t groups = std::max(into.groups, from.groups);
    if ((hi - lo) * groups > kMaxCells) {
      return absl::ResourceExhaustedError(absl::StrFormat(
          "trend: merging gives %d groups x %d days, beyond max_cells = %d; narrow the date "
          "range",
          groups, hi - lo, kMaxCells));
    }
  }
  return MergeTrend(into, from);
}

}  // namespace salesight::trend_internal
