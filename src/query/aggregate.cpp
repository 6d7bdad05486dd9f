// Aggregation: each thread keys its contiguous rows with its own GroupKeyer
// and fused per-slot sums (a partial state); the partials merge by key into
// the first one. Distinct counts keep each slot's ids (bucketed by slot after
// the merge) and count them with a stamp array over dense ids (else by
// sorting) - exact, and mergeable as sets (totals count the union).
#include <algorithm>
#include <functional>
#include <iterator>
#include <limits>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/strings/str_format.h"
#include "core/internal/parallel.hpp"
#include "salesight/status_macros.hpp"
#include "query/internal/plan.hpp"

namespace salesight::query_internal {
namespace {

struct Partial {
  std::optional<GroupKeyer> keyer;
  std::vector<OrderSums> sums;
  absl::Status status;
};

}  // namespace

absl::StatusOr<GroupKeyer> MakeKeyer(const Plan& plan) {
  std::vector<DimensionColumn> columns;
  for (const GroupDim& d : plan.dims) columns.push_back(d.column);
  std::optional<GroupPeriod> period;
  if (plan.grain) {
    GroupPeriod p;
    p.days = plan.orders->columns().order_date.data();
    p.grain = *plan.grain;
    p.position = 0;
    p.first_day = plan.orders->min_date();
    p.last_day = plan.orders->max_date();
    period = p;
  }
  GroupKeyerLimits limits;
  limits.max_groups = plan.max_groups;
  return GroupKeyer::Make(std::move(columns), period, limits);
}

namespace {

absl::Status Overflow(const Plan& plan, const GroupKeyer& keyer, std::int32_t slot,
                      const char* what, std::size_t row) {
  return absl::OutOfRangeError(absl::StrFormat(
      "query: the %s sum of the group (%s) overflows int64 at orders row %d", what,
      DescribeSlot(plan, keyer, slot), row));
}

// Adds `b` into `a`, naming the first sum that overflows.
const char* AddSums(OrderSums& a, const OrderSums& b) {
  if (__builtin_add_overflow(a.revenue, b.revenue, &a.revenue)) return "revenue";
  if (__builtin_add_overflow(a.cost, b.cost, &a.cost)) return "cost";
  if (__builtin_add_overflow(a.costed_revenue, b.costed_revenue, &a.costed_revenue)) {
    return "costed_revenue";
  }
  if (__builtin_add_overflow(a.returns, b.returns, &a.returns)) return "return_amount";
  if (__builtin_add_overflow(a.cost_unknown_revenue, b.cost_unknown_revenue,
                             &a.cost_unknown_revenue)) {
    return "revenue of lines without a cost";
  }
  a.quantity += b.quantity;
  a.lines += b.lines;
  a.cost_unknown_lines += b.cost_unknown_lines;
  return nullptr;
}

// The lines at positions [begin, end) into `out`: line p is lines[p], or
// p itself when lines is null (a scan), through the WHERE when `filtered`;
// row_slot[p] = its slot (or -1) when row_slot is not null.
void AggregateRange(const Plan& plan, const std::uint32_t* lines, bool filtered,
                    std::size_t begin, std::size_t end, Partial& out, std::int32_t* row_slot) {
  absl::StatusOr<GroupKeyer> keyer = MakeKeyer(plan);
  if (!keyer.ok()) {
    out.status = keyer.status();
    return;
  }
  out.keyer = std::move(*keyer);
  GroupKeyer& k = *out.keyer;
  const OrderLinesColumns& c = plan.orders->columns();
  const bool has_quantity = !c.quantity.empty();
  std::vector<std::uint8_t> mask(kBlock, 1);
  std::vector<std::uint8_t> scratch(kBlock * static_cast<std::size_t>(RowFilterDepth(plan.where)));
  std::vector<Money> cost(kBlock, 0);
  std::vector<std::uint8_t> known(kBlock, 0);
  for (std::size_t b = begin; b < end; b += kBlock) {
    const std::size_t n = std::min(kBlock, end - b);
    if (filtered) {
      if (lines == nullptr) {
        EvalRowFilter(plan.where, b, n, mask.data(), scratch.data());
      } else {
        EvalRowFilterAt(plan.where, lines + b, n, mask.data(), scratch.data());
      }
    }
    if (plan.costs) {
      if (lines == nullptr) {
        out.status = plan.costs->Costs(b, b + n, cost.data(), known.data());
      } else {
        for (std::size_t j = 0; j < n && out.status.ok(); ++j) {
          if (!mask[j]) continue;
          out.status = plan.costs->Costs(lines[b + j], lines[b + j] + 1, &cost[j], &known[j]);
        }
      }
      if (!out.status.ok()) return;
    }
    for (std::size_t j = 0; j < n; ++j) {
      if (!mask[j]) continue;
      const std::size_t row = lines == nullptr ? b + j : lines[b + j];
      const std::int32_t period = plan.grain ? k.PeriodOfRow(row) : 0;
      std::int32_t slot = k.Find(row, period);
      if (slot < 0) {
        absl::StatusOr<std::int32_t> added = k.Add(row, period);
        if (!added.ok()) {
          out.status = absl::ResourceExhaustedError(
              absl::StrFormat("query: %s", added.status().message()));
          return;
        }
        slot = *added;
        if (static_cast<std::size_t>(slot) >= out.sums.size()) out.sums.resize(slot + 1);
      }
      if (row_slot != nullptr) row_slot[b + j] = slot;
      OrderSums line;
      line.revenue = c.amount[row];
      line.returns = line.revenue < 0 ? line.revenue : 0;
      line.quantity = has_quantity ? c.quantity[row] : 0;
      line.lines = 1;
      if (plan.costs) {
        line.cost = cost[j];
        line.costed_revenue = known[j] ? line.revenue : 0;
        line.cost_unknown_lines = known[j] ? 0 : 1;
        line.cost_unknown_revenue = known[j] ? 0 : line.revenue;
      }
      if (const char* what = AddSums(out.sums[static_cast<std::size_t>(slot)], line)) {
        out.status = Overflow(plan, k, slot, what, row);
        return;
      }
    }
  }
}

// Ids in [lo, lo + span) are counted with a stamp array when the span is
// at most this many per row (plus a floor): no sort, one pass.
constexpr std::int64_t kDenseIdsPerRow = 8;
constexpr std::int64_t kDenseIdFloor = 1 << 16;

// Bucket-sorts the ids of the rows `keep` accepts by slot (CSR, duplicates
// kept): two passes over the rows, no per-row allocation.
template <typename IdOf, typename Keep>
IdSets Bucket(const std::vector<std::int32_t>& row_slot, std::int32_t slots, IdOf id_of,
              Keep keep) {
  IdSets sets;
  sets.begin.assign(static_cast<std::size_t>(slots) + 1, 0);
  std::int64_t lo = 0, hi = -1;
  bool any = false;
  for (std::size_t i = 0; i < row_slot.size(); ++i) {
    if (row_slot[i] < 0 || !keep(i)) continue;
    ++sets.begin[static_cast<std::size_t>(row_slot[i]) + 1];
    const std::int64_t id = id_of(i);
    lo = any ? std::min(lo, id) : id;
    hi = any ? std::max(hi, id) : id;
    any = true;
  }
  for (std::size_t s = 1; s < sets.begin.size(); ++s) sets.begin[s] += sets.begin[s - 1];
  sets.ids.resize(static_cast<std::size_t>(sets.begin.back()));
  std::vector<std::int64_t> next(sets.begin.begin(), sets.begin.end() - 1);
  for (std::size_t i = 0; i < row_slot.size(); ++i) {
    if (row_slot[i] < 0 || !keep(i)) continue;
    sets.ids[static_cast<std::size_t>(next[static_cast<std::size_t>(row_slot[i])]++)] = id_of(i);
  }
  const auto n = static_cast<std::int64_t>(row_slot.size());
  if (any && hi - lo < kDenseIdsPerRow * n + kDenseIdFloor) {
    sets.lo = lo;
    sets.span = hi - lo + 1;
  }
  return sets;
}

// counts[e] = the distinct ids over the slots entry_slots[entry_begin[e] ..
// entry_begin[e + 1]).
std::vector<std::int64_t> CountEntries(const IdSets& sets, const std::vector<std::int64_t>& entry_begin,
                                       const std::vector<std::int32_t>& entry_slots) {
  const std::size_t entries = entry_begin.size() - 1;
  std::vector<std::int64_t> counts(entries, 0);
  if (sets.span > 0 || sets.ids.empty()) {
    std::vector<std::int32_t> stamp(static_cast<std::size_t>(sets.span), -1);
    for (std::size_t e = 0; e < entries; ++e) {
      const auto mark = static_cast<std::int32_t>(e);
      std::int64_t count = 0;
      for (auto k = entry_begin[e]; k < entry_begin[e + 1]; ++k) {
        const auto slot = static_cast<std::size_t>(entry_slots[static_cast<std::size_t>(k)]);
        for (auto x = sets.begin[slot]; x < sets.begin[slot + 1]; ++x) {
          std::int32_t& seen = stamp[static_cast<std::size_t>(sets.ids[static_cast<std::size_t>(x)] - sets.lo)];
          count += seen != mark;
          seen = mark;
        }
      }
      counts[e] = count;
    }
    return counts;
  }
  std::vector<std::int64_t> ids;
  for (std::size_t e = 0; e < entries; ++e) {
    ids.clear();
    for (auto k = entry_begin[e]; k < entry_begin[e + 1]; ++k) {
      const auto slot = static_cast<std::size_t>(entry_slots[static_cast<std::size_t>(k)]);
      ids.insert(ids.end(), sets.ids.begin() + sets.begin[slot], sets.ids.begin() + sets.begin[slot + 1]);
    }
    std::sort(ids.begin(), ids.end());
    counts[e] = std::unique(ids.begin(), ids.end()) - ids.begin();
  }
  return counts;
}

// Each slot its own entry.
std::vector<std::int64_t> CountPerSlot(const IdSets& sets, std::int32_t slots) {
  std::vector<std::int64_t> begin(static_cast<std::size_t>(slots) + 1);
  std::vector<std::int32_t> order(static_cast<std::size_t>(slots));
  for (std::int32_t s = 0; s < slots; ++s) {
    begin[static_cast<std::size_t>(s) + 1] = s + 1;
    order[static_cast<std::size_t>(s)] = s;
  }
  return CountEntries(sets, begin, order);
}

// row_slot[p]: the slot of line p (lines[p], or p when lines is null).
// The distinct measures are independent: each is a task, run on up to
// `threads` threads (each writes its own g.distinct / g.sets element).
void CountDistinct(const Plan& plan, const std::uint32_t* lines,
                   const std::vector<std::int32_t>& row_slot, std::size_t threads, Groups& g) {
  std::vector<std::function<void()>> tasks;
  const OrderLinesColumns& c = plan.orders->columns();
  auto line = [lines](std::size_t p) { return lines == nullptr ? p : std::size_t{lines[p]}; };
  const GroupKeyer& k = *g.keyer;
  const std::int32_t slots = k.num_slots();
  auto count = [&](int which, IdSets sets) {
    g.distinct[which] = CountPerSlot(sets, slots);
    g.sets[which] = std::move(sets);
  };
  auto customer = [&](std::size_t i) { return std::int64_t{c.customer[line(i)]}; };
  if (plan.need_customers) {
    tasks.emplace_back([&] {
      count(kDistinctCustomers, Bucket(row_slot, slots, customer, [](std::size_t) { return true; }));
    });
  }
  // new: a purchase in the period holding the customer's first purchase;
  // returning: in a later one (without a grain: the range is the period).
  auto first_period = [&](std::size_t i) {
    const Day first = plan.first_purchase[static_cast<std::size_t>(c.customer[line(i)])];
    return PeriodOf(*plan.grain, first);
  };
  auto is_new = [&](std::size_t i) {
    if (c.amount[line(i)] < 0) return false;
    if (plan.grain) return first_period(i) == k.Period(row_slot[i]);
    return plan.from == kNoDate ||
           plan.first_purchase[static_cast<std::size_t>(c.customer[line(i)])] >= plan.from;
  };
  auto is_back = [&](std::size_t i) {
    if (c.amount[line(i)] < 0) return false;
    if (plan.grain) return first_period(i) < k.Period(row_slot[i]);
    return !is_new(i);
  };
  if (plan.need_new) {
    tasks.emplace_back([&] { count(kDistinctNew, Bucket(row_slot, slots, customer, is_new)); });
  }
  if (plan.need_returning) {
    tasks.emplace_back(
        [&] { count(kDistinctReturning, Bucket(row_slot, slots, customer, is_back)); });
  }
  auto orders = [&] {
    auto order = [&](std::size_t i) { return c.order_id[line(i)]; };
    if (!plan.grain || plan.all_order_ids) {
      count(kDistinctOrders, Bucket(row_slot, slots, order, [](std::size_t) { return true; }));
      return;
    }
    // With a grain an order counts in the period of its earliest selected
    // line: per order id its first period (an array over dense ids).
    std::int64_t lo = 0, hi = -1;
    bool any = false;
    for (std::size_t i = 0; i < row_slot.size(); ++i) {
      if (row_slot[i] < 0) continue;
      lo = any ? std::min(lo, order(i)) : order(i);
      hi = any ? std::max(hi, order(i)) : order(i);
      any = true;
    }
    const auto n = static_cast<std::int64_t>(row_slot.size());
    if (any && hi - lo < kDenseIdsPerRow * n + kDenseIdFloor) {
      std::vector<std::int32_t> first(static_cast<std::size_t>(hi - lo + 1),
                                      std::numeric_limits<std::int32_t>::max());
      for (std::size_t i = 0; i < row_slot.size(); ++i) {
        if (row_slot[i] < 0) continue;
        std::int32_t& f = first[static_cast<std::size_t>(order(i) - lo)];
        f = std::min(f, k.Period(row_slot[i]));
      }
      count(kDistinctOrders, Bucket(row_slot, slots, order, [&](std::size_t i) {
              return first[static_cast<std::size_t>(order(i) - lo)] == k.Period(row_slot[i]);
            }));
    } else {
      absl::flat_hash_map<std::int64_t, std::int32_t> first;
      for (std::size_t i = 0; i < row_slot.size(); ++i) {
        if (row_slot[i] < 0) continue;
        auto [it, inserted] = first.try_emplace(order(i), k.Period(row_slot[i]));
        if (!inserted) it->second = std::min(it->second, k.Period(row_slot[i]));
      }
      count(kDistinctOrders, Bucket(row_slot, slots, order, [&](std::size_t i) {
              return first.at(order(i)) == k.Period(row_slot[i]);
            }));
    }
  };
  if (plan.need_orders) tasks.emplace_back(orders);
  const std::size_t workers = std::max<std::size_t>(1, std::min(threads, tasks.size()));
  internal::ForEachRange(workers, tasks.size(), [&](std::size_t, std::size_t b, std::size_t e) {
    for (std::size_t t = b; t < e; ++t) tasks[t]();
  });
}

}  // namespace

void SetDistinct(Groups& g, int which, IdSets sets) {
  g.distinct[which] = CountPerSlot(sets, g.keyer->num_slots());
  g.sets[which] = std::move(sets);
}

absl::Status Roll(const Plan& plan, Groups& g, const std::vector<std::int32_t>& entry_of,
                  std::int32_t count) {
  const std::size_t first = g.sums.size();
  g.sums.resize(first + static_cast<std::size_t>(count));
  for (std::size_t s = 0; s < entry_of.size(); ++s) {
    if (entry_of[s] < 0) continue;
    const std::int32_t into = entry_of[s];
    if (const char* what = AddSums(g.sums[first + static_cast<std::size_t>(into)], g.sums[s])) {
      return absl::OutOfRangeError(absl::StrFormat(
          "query: the %s sum of a total (with the group %s) overflows int64", what,
          DescribeSlot(plan, *g.keyer, static_cast<std::int32_t>(s))));
    }
  }
  if (!plan.others.empty()) {
    const auto S = static_cast<std::size_t>(plan.stages);
    g.table_sums.resize(first + static_cast<std::size_t>(count));
    g.open_by_stage.resize(g.table_sums.size() * S, 0);
    g.open_count_by_stage.resize(g.table_sums.size() * S, 0);
    g.entry_period.resize(first + static_cast<std::size_t>(count), kMixedPeriods);
    std::vector<std::uint8_t> seen(static_cast<std::size_t>(count), 0);
    for (std::size_t s = 0; s < entry_of.size(); ++s) {
      if (entry_of[s] < 0) continue;
      const std::size_t into = first + static_cast<std::size_t>(entry_of[s]);
      const bool overflow = !AddTableSlot(plan, g, s, g, into);
      if (overflow) {
        return absl::OutOfRangeError(absl::StrFormat(
            "query: a sum of a total (with the group %s) overflows int64",
            DescribeSlot(plan, *g.keyer, static_cast<std::int32_t>(s))));
      }
      // A total over one period keeps it (snapshots stay defined).
      std::int32_t& period = g.entry_period[into];
      const std::int32_t own = g.entry_period[s];
      const auto e = static_cast<std::size_t>(entry_of[s]);
      period = !seen[e] ? own : (period == own ? own : kMixedPeriods);
      seen[e] = 1;
    }
  }
  const bool needed[kNumDistinct] = {plan.need_orders, plan.need_customers, plan.need_new,
                                     plan.need_returning};
  if (std::none_of(std::begin(needed), std::end(needed), [](bool b) { return b; })) {
    return absl::OkStatus();
  }
  // The slots of each new entry (CSR), then their ids' union counted.
  std::vector<std::int64_t> begin(static_cast<std::size_t>(count) + 1, 0);
  for (const std::int32_t e : entry_of) {
    if (e >= 0) ++begin[static_cast<std::size_t>(e) + 1];
  }
  for (std::size_t e = 1; e < begin.size(); ++e) begin[e] += begin[e - 1];
  std::vector<std::int32_t> slots(static_cast<std::size_t>(begin.back()));
  std::vector<std::int64_t> next(begin.begin(), begin.end() - 1);
  for (std::size_t s = 0; s < entry_of.size(); ++s) {
    if (entry_of[s] >= 0) {
      slots[static_cast<std::size_t>(next[static_cast<std::size_t>(entry_of[s])]++)] =
          static_cast<std::int32_t>(s);
    }
  }
  for (int which = 0; which < kNumDistinct; ++which) {
    if (!needed[which]) continue;
    const std::vector<std::int64_t> counts = CountEntries(g.sets[which], begin, slots);
    g.distinct[which].resize(first);
    g.distinct[which].insert(g.distinct[which].end(), counts.begin(), counts.end());
  }
  return absl::OkStatus();
}

absl::StatusOr<Groups> Aggregate(const Plan& plan, const QueryRunOptions& options) {
  if (options.num_threads < 0) {
    return absl::InvalidArgumentError(
        absl::StrFormat("query: num_threads %d is negative", options.num_threads));
  }
  // A selective filter visits only the lines an index gives (positions
  // index them); otherwise every line.
  const std::optional<IndexedRows> indexed = IndexedLines(plan, options.index);
  const std::uint32_t* lines = indexed ? indexed->rows.data() : nullptr;
  const std::size_t rows = indexed ? indexed->rows.size() : plan.orders->size();
  const bool filtered = !RowFilterIsAll(plan.where) && !(indexed && indexed->exact);
  const std::size_t per = static_cast<std::size_t>(std::max<std::int64_t>(1, options.min_rows_per_thread));
  const std::size_t threads =
      std::min(internal::ResolveThreads(options.num_threads, rows), std::max<std::size_t>(1, (rows + per - 1) / per));
  const bool distinct =
      plan.need_orders || plan.need_customers || plan.need_new || plan.need_returning;
  std::vector<std::int32_t> row_slot(distinct ? rows : 0, -1);
  std::vector<Partial> partials(threads);
  internal::ForEachRange(threads, rows, [&](std::size_t t, std::size_t begin, std::size_t end) {
    AggregateRange(plan, lines, filtered, begin, end, partials[t],
                   distinct ? row_slot.data() : nullptr);
  });
  for (const Partial& p : partials) SALESIGHT_RETURN_IF_ERROR(p.status);

  Groups g;
  g.keyer = std::move(partials[0].keyer);
  g.sums = std::move(partials[0].sums);
  for (std::size_t t = 1; t < threads; ++t) {
    SALESIGHT_ASSIGN_OR_RETURN(std::vector<std::int32_t> to, g.keyer->Merge(*partials[t].keyer));
    g.sums.resize(static_cast<std::size_t>(g.keyer->num_slots()));
    for (std::size_t s = 0; s < partials[t].sums.size(); ++s) {
      const std::int32_t into = to[s];
      if (const char* what = AddSums(g.sums[static_cast<std::size_t>(into)], partials[t].sums[s])) {
        return absl::OutOfRangeError(absl::StrFormat(
            "query: the %s sum of the group (%s) overflows int64", what,
            DescribeSlot(plan, *g.keyer, into)));
      }
    }
    if (distinct) {
      const std::size_t begin = internal::RangeBegin(rows, t, threads);
      const std::size_t end = internal::RangeBegin(rows, t + 1, threads);
      for (std::size_t i = begin; i < end; ++i) {
        if (row_slot[i] >= 0) row_slot[i] = to[static_cast<std::size_t>(row_slot[i])];
      }
    }
  }
  g.sums.resize(static_cast<std::size_t>(g.keyer->num_slots()));
  // The other tables add their slots before the distinct sets are bucketed
  // (a slot of theirs has no orders line: empty sets).
  SALESIGHT_RETURN_IF_ERROR(AggregateTables(plan, options, g));
  g.sums.resize(static_cast<std::size_t>(g.keyer->num_slots()));
  if (!plan.others.empty()) {
    g.table_sums.resize(g.sums.size());
    g.entry_period.resize(g.sums.size());
    for (std::int32_t s = 0; s < g.keyer->num_slots(); ++s) {
      g.entry_period[static_cast<std::size_t>(s)] = g.keyer->Period(s);
    }
  }
  if (distinct) CountDistinct(plan, lines, row_slot, threads, g);
  return g;
}

}  // namespace salesight::query_internal
