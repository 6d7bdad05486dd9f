// Aggregation: each thread keys its contiguous rows with its own GroupKeyer
// and fused per-slot sums (a partial state); the partials merge by key into
// the first one. Distinct counts keep (slot, id) pairs, sorted and counted
// once after the merge - exact, and mergeable as sets.
#include <algorithm>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/strings/str_format.h"
#include "core/parallel.hpp"
#include "core/status_macros.hpp"
#include "query/internal/plan.hpp"

namespace salesight::query_internal {
namespace {

struct Partial {
  std::optional<GroupKeyer> keyer;
  std::vector<OrderSums> sums;
  absl::Status status;
};

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

// Rows [begin, end) into `out`; row_slot[i] = the row's slot (or -1) when
// row_slot is not null.
void AggregateRange(const Plan& plan, std::size_t begin, std::size_t end, Partial& out,
                    std::int32_t* row_slot) {
  absl::StatusOr<GroupKeyer> keyer = MakeKeyer(plan);
  if (!keyer.ok()) {
    out.status = keyer.status();
    return;
  }
  out.keyer = std::move(*keyer);
  GroupKeyer& k = *out.keyer;
  const OrderLinesColumns& c = plan.orders->columns();
  const bool filtered = !RowFilterIsAll(plan.where);
  const bool has_quantity = !c.quantity.empty();
  std::vector<std::uint8_t> mask(kBlock, 1);
  std::vector<std::uint8_t> scratch(kBlock * static_cast<std::size_t>(RowFilterDepth(plan.where)));
  std::vector<Money> cost(kBlock, 0);
  std::vector<std::uint8_t> known(kBlock, 0);
  for (std::size_t b = begin; b < end; b += kBlock) {
    const std::size_t n = std::min(kBlock, end - b);
    if (filtered) EvalRowFilter(plan.where, b, n, mask.data(), scratch.data());
    if (plan.costs) {
      out.status = plan.costs->Costs(b, b + n, cost.data(), known.data());
      if (!out.status.ok()) return;
    }
    for (std::size_t j = 0; j < n; ++j) {
      if (!mask[j]) continue;
      const std::size_t row = b + j;
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
      if (row_slot != nullptr) row_slot[row] = slot;
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

// The pairs sorted and unique, kept (totals and "(others)" count their
// union), and counted per slot.
void CountPerSlot(std::vector<IdPair> pairs, std::int32_t slots, Groups& g, int which) {
  std::sort(pairs.begin(), pairs.end());
  pairs.erase(std::unique(pairs.begin(), pairs.end()), pairs.end());
  std::vector<std::int64_t> counts(static_cast<std::size_t>(slots), 0);
  for (const IdPair& p : pairs) ++counts[static_cast<std::size_t>(p.first)];
  g.distinct[which] = std::move(counts);
  g.pairs[which] = std::move(pairs);
}

void CountDistinct(const Plan& plan, const std::vector<std::int32_t>& row_slot, Groups& g) {
  const OrderLinesColumns& c = plan.orders->columns();
  const GroupKeyer& k = *g.keyer;
  const std::size_t n = row_slot.size();
  const std::int32_t slots = k.num_slots();
  if (plan.need_customers) {
    std::vector<IdPair> pairs;
    for (std::size_t i = 0; i < n; ++i) {
      if (row_slot[i] >= 0) pairs.emplace_back(row_slot[i], c.customer[i]);
    }
    CountPerSlot(std::move(pairs), slots, g, kDistinctCustomers);
  }
  if (plan.need_new || plan.need_returning) {
    std::vector<IdPair> fresh, back;
    for (std::size_t i = 0; i < n; ++i) {
      if (row_slot[i] < 0 || c.amount[i] < 0) continue;
      const Id customer = c.customer[i];
      const Day first = plan.first_purchase[static_cast<std::size_t>(customer)];
      bool is_new = false, is_back = false;
      if (plan.grain) {
        const std::int32_t p = k.Period(row_slot[i]);
        const std::int32_t fp = PeriodOf(*plan.grain, first);
        is_new = fp == p;
        is_back = fp < p;
      } else {
        is_new = plan.from == kNoDate || first >= plan.from;
        is_back = !is_new;
      }
      if (is_new) fresh.emplace_back(row_slot[i], customer);
      if (is_back) back.emplace_back(row_slot[i], customer);
    }
    if (plan.need_new) CountPerSlot(std::move(fresh), slots, g, kDistinctNew);
    if (plan.need_returning) CountPerSlot(std::move(back), slots, g, kDistinctReturning);
  }
  if (plan.need_orders) {
    // With a grain an order counts in the period of its earliest selected line.
    absl::flat_hash_map<std::int64_t, std::int32_t> first_period;
    if (plan.grain) {
      for (std::size_t i = 0; i < n; ++i) {
        if (row_slot[i] < 0) continue;
        const std::int32_t p = k.Period(row_slot[i]);
        auto [it, inserted] = first_period.try_emplace(c.order_id[i], p);
        if (!inserted && p < it->second) it->second = p;
      }
    }
    std::vector<IdPair> pairs;
    for (std::size_t i = 0; i < n; ++i) {
      if (row_slot[i] < 0) continue;
      if (plan.grain && first_period.at(c.order_id[i]) != k.Period(row_slot[i])) continue;
      pairs.emplace_back(row_slot[i], c.order_id[i]);
    }
    CountPerSlot(std::move(pairs), slots, g, kDistinctOrders);
  }
}

}  // namespace

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
  const bool needed[kNumDistinct] = {plan.need_orders, plan.need_customers, plan.need_new,
                                     plan.need_returning};
  for (int which = 0; which < kNumDistinct; ++which) {
    if (!needed[which]) continue;
    std::vector<IdPair> rolled;
    for (const IdPair& p : g.pairs[which]) {
      const std::int32_t into = entry_of[static_cast<std::size_t>(p.first)];
      if (into >= 0) rolled.emplace_back(into, p.second);
    }
    std::sort(rolled.begin(), rolled.end());
    rolled.erase(std::unique(rolled.begin(), rolled.end()), rolled.end());
    g.distinct[which].resize(first + static_cast<std::size_t>(count), 0);
    for (const IdPair& p : rolled) ++g.distinct[which][first + static_cast<std::size_t>(p.first)];
  }
  return absl::OkStatus();
}

absl::StatusOr<Groups> Aggregate(const Plan& plan, const QueryRunOptions& options) {
  if (options.num_threads < 0) {
    return absl::InvalidArgumentError(
        absl::StrFormat("query: num_threads %d is negative", options.num_threads));
  }
  const std::size_t rows = plan.orders->size();
  const std::size_t per = static_cast<std::size_t>(std::max<std::int64_t>(1, options.min_rows_per_thread));
  const std::size_t threads =
      std::min(internal::ResolveThreads(options.num_threads, rows), std::max<std::size_t>(1, (rows + per - 1) / per));
  const bool distinct =
      plan.need_orders || plan.need_customers || plan.need_new || plan.need_returning;
  std::vector<std::int32_t> row_slot(distinct ? rows : 0, -1);
  std::vector<Partial> partials(threads);
  internal::ForEachRange(threads, rows, [&](std::size_t t, std::size_t begin, std::size_t end) {
    AggregateRange(plan, begin, end, partials[t], distinct ? row_slot.data() : nullptr);
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
  if (distinct) CountDistinct(plan, row_slot, g);
  return g;
}

}  // namespace salesight::query_internal
