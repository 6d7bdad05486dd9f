// The trend's hot path: lines -> dense (group, day) cells. No hashing, no
// calendar arithmetic per line; the ungrouped path adds runs of equal days in
// a register first (sorted ERP exports make runs of thousands of lines), which
// takes the store-to-load dependency on one cell off the critical path.
#include <algorithm>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "salesight/status_macros.hpp"
#include "internal/trend.hpp"

namespace salesight {
namespace {

using trend_internal::GroupDayText;
using trend_internal::GroupSource;
using trend_internal::GroupsOf;

absl::Status OverflowError(const char* what, const std::string& g, std::int64_t group, Day day) {
  return absl::OutOfRangeError(absl::StrCat("trend: ", what, " ", GroupDayText(g, group, day),
                                            " overflows int64"));
}

absl::Status AllocateCells(TrendPartial& p, Day lo, Day hi, std::int32_t groups,
                           std::int64_t max_cells) {
  p.groups = groups;
  if (lo == kNoDate || hi < lo) {
    p.days = 0;
    return absl::OkStatus();
  }
  const std::int64_t days = std::int64_t{hi} - lo + 1;
  if (days * groups > max_cells) {
    return absl::ResourceExhaustedError(absl::StrCat(
        "trend: ", groups, " groups x ", days, " days (", FormatDate(lo), "..", FormatDate(hi),
        ") exceed max_cells = ", max_cells, "; narrow the date range"));
  }
  p.first_day = lo;
  p.days = static_cast<std::int32_t>(days);
  const auto cells = static_cast<std::size_t>(days * groups);
  p.revenue.assign(cells, 0);
  p.lines.assign(cells, 0);
  p.collections.assign(cells, 0);
  p.payments.assign(cells, 0);
  return absl::OkStatus();
}

// Ungrouped: runs of one day are summed in registers, then flushed.
template <bool kFilter>
absl::Status AccumulateUngrouped(absl::Span<const Day> date, absl::Span<const Money> amount,
                                 std::size_t begin, std::size_t end, Day lo, Day hi,
                                 TrendPartial& p) {
  Money* revenue = p.revenue.data();
  std::int64_t* lines = p.lines.data();
  const Day* d = date.data();
  const Money* a = amount.data();
  std::size_t i = begin;
  std::int64_t outside = 0;
  while (i < end) {
    const Day day = d[i];
    if (kFilter && (day < lo || day > hi)) {
      ++outside;
      ++i;
      continue;
    }
    Money acc = a[i];
    std::size_t j = i + 1;
    bool overflow = false;
    for (; j < end && d[j] == day; ++j) overflow |= __builtin_add_overflow(acc, a[j], &acc);
    const std::size_t cell = static_cast<std::size_t>(day - lo);
    if (overflow || __builtin_add_overflow(revenue[cell], acc, &revenue[cell])) {
      return OverflowError("revenue", "", 0, day);
    }
    lines[cell] += static_cast<std::int64_t>(j - i);
    i = j;
  }
  p.lines_outside_range += outside;
  return absl::OkStatus();
}

template <bool kFilter>
absl::Status AccumulateGrouped(absl::Span<const Day> date, absl::Span<const Money> amount,
                               absl::Span<const Id> group, std::size_t begin, std::size_t end,
                               Day lo, Day hi, TrendPartial& p) {
  Money* revenue = p.revenue.data();
  std::int64_t* lines = p.lines.data();
  const std::int64_t days = p.days;
  std::int64_t outside = 0;
  for (std::size_t i = begin; i < end; ++i) {
    const Day day = date[i];
    if (kFilter && (day < lo || day > hi)) {
      ++outside;
      continue;
    }
    const auto cell = static_cast<std::size_t>(group[i] * days + (day - lo));
    if (__builtin_add_overflow(revenue[cell], amount[i], &revenue[cell])) {
      return OverflowError("revenue", p.group_by, group[i], day);
    }
    ++lines[cell];
  }
  p.lines_outside_range += outside;
  return absl::OkStatus();
}

bool OrderKeyLess(const TrendOrderFirst& a, const TrendOrderFirst& b) {
  return a.group != b.group ? a.group < b.group : a.order < b.order;
}

// Distinct (group, order) with the earliest in-range day. Lines of one order
// are usually adjacent, so runs collapse before anything is stored; a sort
// is needed only when the rows are not ordered by (group, order).
void CollectOrders(const OrderLines& orders, absl::Span<const Id> group, std::size_t begin,
                   std::size_t end, Day lo, Day hi, TrendPartial& p) {
  const auto order = orders.columns().order_id.span();
  const auto date = orders.columns().order_date.span();
  std::vector<TrendOrderFirst>& out = p.orders;
  // At most one entry per line: reserving up front avoids regrowth copies
  // (untouched capacity costs address space, not memory traffic).
  out.reserve(end - begin);
  bool sorted = true;
  for (std::size_t i = begin; i < end; ++i) {
    const Day day = date[i];
    if (day < lo || day > hi) continue;
    const Id g = group.empty() ? 0 : group[i];
    if (!out.empty() && out.back().order == order[i] && out.back().group == g) {
      out.back().day = std::min(out.back().day, day);
      continue;
    }
    TrendOrderFirst f{order[i], g, day};
    if (!out.empty() && !OrderKeyLess(out.back(), f)) sorted = false;
    out.push_back(f);
  }
  if (sorted) return;
  std::sort(out.begin(), out.end(), [](const TrendOrderFirst& a, const TrendOrderFirst& b) {
    if (a.group != b.group) return a.group < b.group;
    if (a.order != b.order) return a.order < b.order;
    return a.day < b.day;
  });
  // Keep the first (earliest day) of each key.
  out.erase(std::unique(out.begin(), out.end(),
                        [](const TrendOrderFirst& a, const TrendOrderFirst& b) {
                          return a.group == b.group && a.order == b.order;
                        }),
            out.end());
}

bool HasCostSource(const OrderLines& orders, const Products* products) {
  const OrderLinesColumns& c = orders.columns();
  if (!c.cost.empty()) return true;
  if (!c.unit_cost.empty() && !c.quantity.empty()) return true;
  // A products table carries costs only with standard costs or tiers (one
  // derived from the lines' categories has neither).
  return products != nullptr && !c.product.empty() && !c.quantity.empty() &&
         (!products->columns().standard_cost.empty() || !products->columns().cost_tiers.empty());
}

MarginOptions MarginOptionsFor(const TrendOptions& options) {
  MarginOptions mo;
  mo.group_by.dimensions.clear();
  // Margin groups by the same order-line dimension, by name, per day.
  if (!options.group_by.empty()) mo.group_by.dimensions.push_back(options.group_by);
  mo.group_by.dimensions.push_back("day");
  mo.from = options.from;
  mo.to = options.to;
  mo.product_cost_order = options.product_cost_order;
  mo.num_threads = 1;
  return mo;
}

// Re-lays `p` out over [lo, lo + days) x groups (a superset of its window).
void Relayout(TrendPartial& p, Day lo, std::int32_t days, std::int32_t groups) {
  if (p.days == days && p.groups == groups && (days == 0 || p.first_day == lo)) return;
  const auto cells = static_cast<std::size_t>(std::int64_t{days} * groups);
  std::vector<Money> revenue(cells, 0), collections(cells, 0);
  std::vector<std::int64_t> lines(cells, 0), payments(cells, 0);
  for (std::int32_t g = 0; g < p.groups && p.days > 0; ++g) {
    const auto src = static_cast<std::size_t>(std::int64_t{g} * p.days);
    const auto dst =
        static_cast<std::size_t>(std::int64_t{g} * days + (p.first_day - lo));
    const auto n = static_cast<std::size_t>(p.days);
    std::copy_n(p.revenue.begin() + static_cast<std::ptrdiff_t>(src), n,
                revenue.begin() + static_cast<std::ptrdiff_t>(dst));
    std::copy_n(p.lines.begin() + static_cast<std::ptrdiff_t>(src), n,
                lines.begin() + static_cast<std::ptrdiff_t>(dst));
    std::copy_n(p.collections.begin() + static_cast<std::ptrdiff_t>(src), n,
                collections.begin() + static_cast<std::ptrdiff_t>(dst));
    std::copy_n(p.payments.begin() + static_cast<std::ptrdiff_t>(src), n,
                payments.begin() + static_cast<std::ptrdiff_t>(dst));
  }
  p.first_day = lo;
  p.days = days;
  p.groups = groups;
  p.revenue = std::move(revenue);
  p.lines = std::move(lines);
  p.collections = std::move(collections);
  p.payments = std::move(payments);
}

}  // namespace

absl::StatusOr<TrendPartial> PartialTrend(const Dataset& data, std::size_t begin,
                                          std::size_t end, const TrendOptions& options) {
  if (data.orders() == nullptr) return absl::InvalidArgumentError("trend: orders are required");
  const OrderLines& orders = *data.orders();
  if (begin > end || end > orders.size()) {
    return absl::InvalidArgumentError(absl::StrCat("trend: row range [", begin, ", ", end,
                                                   ") is outside the orders' ", orders.size(),
                                                   " rows"));
  }
  if (options.from != kNoDate && options.to != kNoDate && options.from > options.to) {
    return absl::InvalidArgumentError(absl::StrCat("trend: from ", FormatDate(options.from),
                                                   " is after to ", FormatDate(options.to)));
  }
  TrendPartial p;
  p.group_by = options.group_by;
  p.money_scale = orders.money_scale();
  p.lines_source = true;
  SALESIGHT_ASSIGN_OR_RETURN(const GroupSource source,
                             GroupsOf(data, TableKind::kOrders, orders.size(), options.group_by,
                                      "orders"));
  const absl::Span<const Id> group = source.codes;
  p.group_codes = source.labels;
  const std::int32_t groups = source.groups;
  // The table's whole date window, so every partial of one table shares a
  // layout and merging is a plain cell-wise add.
  Day lo = orders.min_date(), hi = orders.max_date();
  const bool filter = (options.from != kNoDate && options.from > lo) ||
                      (options.to != kNoDate && options.to < hi);
  if (options.from != kNoDate) lo = std::max(lo, options.from);
  if (options.to != kNoDate) hi = std::min(hi, options.to);
  SALESIGHT_RETURN_IF_ERROR(AllocateCells(p, lo, hi, groups, options.max_cells));

  const auto date = orders.columns().order_date.span();
  const auto amount = orders.columns().amount.span();
  if (p.days == 0) {
    p.lines_outside_range = static_cast<std::int64_t>(end - begin);
  } else if (group.empty()) {
    SALESIGHT_RETURN_IF_ERROR(
        filter ? AccumulateUngrouped<true>(date, amount, begin, end, lo, hi, p)
               : AccumulateUngrouped<false>(date, amount, begin, end, lo, hi, p));
  } else {
    SALESIGHT_RETURN_IF_ERROR(
        filter ? AccumulateGrouped<true>(date, amount, group, begin, end, lo, hi, p)
               : AccumulateGrouped<false>(date, amount, group, begin, end, lo, hi, p));
  }
  p.has_orders = options.count_orders;
  if (options.count_orders && p.days > 0) CollectOrders(orders, group, begin, end, lo, hi, p);
  p.has_margin = options.with_margin && HasCostSource(orders, data.products());
  if (p.has_margin) {
    SALESIGHT_ASSIGN_OR_RETURN(p.margin,
                               PartialMargin(data, begin, end, MarginOptionsFor(options)));
  }
  return p;
}

absl::StatusOr<TrendPartial> PartialTrendCollections(const Dataset& data, std::size_t begin,
                                                     std::size_t end,
                                                     const TrendOptions& options) {
  if (data.invoices() == nullptr) {
    return absl::InvalidArgumentError("trend: collections need invoices");
  }
  const Invoices& invoices = *data.invoices();
  const Payments* payments = data.payments();
  const std::size_t rows = payments != nullptr ? payments->size() : invoices.size();
  const char* table = payments != nullptr ? "payments" : "invoices";
  if (begin > end || end > rows) {
    return absl::InvalidArgumentError(absl::StrCat("trend: row range [", begin, ", ", end,
                                                   ") is outside the ", table, "' ", rows,
                                                   " rows"));
  }
  const InvoicesColumns& ic = invoices.columns();
  if (payments == nullptr && (ic.paid.empty() || ic.paid_date.empty()) && invoices.size() > 0) {
    return absl::InvalidArgumentError(
        "trend: collections need a Payments table or the invoices' paid and paid_date columns");
  }
  TrendPartial p;
  p.group_by = options.group_by;
  p.money_scale = invoices.money_scale();
  p.has_collections = true;
  SALESIGHT_ASSIGN_OR_RETURN(const GroupSource source,
                             GroupsOf(data, TableKind::kInvoices, invoices.size(),
                                      options.group_by, "invoices (collections)"));
  const absl::Span<const Id> group = source.codes;
  p.group_codes = source.labels;
  // Row i -> (invoice row, date, amount); unpaid invoices are skipped.
  auto row = [&](std::size_t i, std::size_t* inv, Day* day, Money* amount) {
    if (payments != nullptr) {
      const PaymentsColumns& pc = payments->columns();
      *inv = static_cast<std::size_t>(pc.invoice_row[i]);
      *day = pc.date[i];
      *amount = pc.amount[i];
    } else {
      *inv = i;
      *day = ic.paid_date[i];
      *amount = ic.paid[i];
    }
  };
  Day lo = kNoDate, hi = kNoDate;
  std::int32_t groups = 1;
  for (std::size_t i = begin; i < end; ++i) {
    std::size_t inv;
    Day day;
    Money amount;
    row(i, &inv, &day, &amount);
    if (day == kNoDate) continue;
    if ((options.from != kNoDate && day < options.from) ||
        (options.to != kNoDate && day > options.to)) {
      continue;
    }
    lo = lo == kNoDate ? day : std::min(lo, day);
    hi = hi == kNoDate ? day : std::max(hi, day);
    if (!group.empty()) groups = std::max(groups, group[inv] + 1);
  }
  if (p.group_codes) groups = std::max(groups, p.group_codes->size());
  SALESIGHT_RETURN_IF_ERROR(AllocateCells(p, lo, hi, groups, options.max_cells));
  for (std::size_t i = begin; i < end && p.days > 0; ++i) {
    std::size_t inv;
    Day day;
    Money amount;
    row(i, &inv, &day, &amount);
    if (day == kNoDate || day < lo || day > hi) continue;
    const Id g = group.empty() ? 0 : group[inv];
    const auto cell = static_cast<std::size_t>(std::int64_t{g} * p.days + (day - lo));
    if (!AddMoney(p.collections[cell], amount, &p.collections[cell])) {
      return OverflowError("collections", options.group_by, g, day);
    }
    ++p.payments[cell];
  }
  return p;
}

absl::Status MergeTrend(TrendPartial& into, const TrendPartial& from) {
  if (into.group_by != from.group_by) {
    return absl::InvalidArgumentError("trend: cannot merge partials of different groupings");
  }
  if (into.money_scale != from.money_scale) {
    return absl::InvalidArgumentError(absl::StrCat("trend: cannot merge money scales ",
                                                   into.money_scale, " and ",
                                                   from.money_scale));
  }
  // Layout: the union of both windows and group counts.
  if (from.days > 0) {
    Day lo = from.first_day, hi = from.first_day + from.days - 1;
    if (into.days > 0) {
      lo = std::min(lo, into.first_day);
      hi = std::max(hi, into.first_day + into.days - 1);
    }
    Relayout(into, lo, hi - lo + 1, std::max(into.groups, from.groups));
    for (std::int32_t g = 0; g < from.groups; ++g) {
      for (std::int32_t d = 0; d < from.days; ++d) {
        const auto s = static_cast<std::size_t>(std::int64_t{g} * from.days + d);
        const auto t = static_cast<std::size_t>(std::int64_t{g} * into.days +
                                                (from.first_day - into.first_day) + d);
        const Day day = from.first_day + d;
        if (!AddMoney(into.revenue[t], from.revenue[s], &into.revenue[t])) {
          return OverflowError("revenue", into.group_by, g, day);
        }
        if (!AddMoney(into.collections[t], from.collections[s], &into.collections[t])) {
          return OverflowError("collections", into.group_by, g, day);
        }
        into.lines[t] += from.lines[s];
        into.payments[t] += from.payments[s];
      }
    }
  } else if (from.groups > into.groups && into.days > 0) {
    Relayout(into, into.first_day, into.days, from.groups);
  } else {
    into.groups = std::max(into.groups, from.groups);
  }
  into.has_collections = into.has_collections || from.has_collections;
  into.lines_outside_range += from.lines_outside_range;
  if (!into.group_codes) into.group_codes = from.group_codes;

  // Orders and margin come from order-line partials only; a collections
  // partial neither adds nor removes them.
  if (from.lines_source) {
    if (!into.lines_source) {
      into.has_orders = from.has_orders;
      into.orders = from.orders;
      into.has_margin = from.has_margin;
      into.margin = from.margin;
      into.lines_source = true;
      return absl::OkStatus();
    }
    into.has_orders = into.has_orders && from.has_orders;
    if (into.has_orders && !from.orders.empty() &&
        (into.orders.empty() || !OrderKeyLess(from.orders.front(), into.orders.back()))) {
      // Contiguous row ranges of an export sorted by order: append, joining
      // an order cut by the partition boundary.
      auto b = from.orders.cbegin();
      if (!into.orders.empty() && into.orders.back().group == b->group &&
          into.orders.back().order == b->order) {
        into.orders.back().day = std::min(into.orders.back().day, b->day);
        ++b;
      }
      into.orders.insert(into.orders.end(), b, from.orders.cend());
    } else if (into.has_orders && !from.orders.empty()) {
      std::vector<TrendOrderFirst> merged;
      merged.reserve(into.orders.size() + from.orders.size());
      auto a = into.orders.cbegin();
      auto b = from.orders.cbegin();
      while (a != into.orders.cend() || b != from.orders.cend()) {
        if (b == from.orders.cend() || (a != into.orders.cend() && OrderKeyLess(*a, *b))) {
          merged.push_back(*a++);
        } else if (a == into.orders.cend() || OrderKeyLess(*b, *a)) {
          merged.push_back(*b++);
        } else {
          TrendOrderFirst f = *a++;
          f.day = std::min(f.day, b->day);
          ++b;
          merged.push_back(f);
        }
      }
      into.orders = std::move(merged);
    } else if (!into.has_orders) {
      into.orders.clear();
    }
    const bool margin = into.has_margin && from.has_margin;
    if (margin) SALESIGHT_RETURN_IF_ERROR(MergeMargin(into.margin, from.margin));
    if (!margin && into.has_margin) into.margin = MarginPartial();
    into.has_margin = margin;
  }
  return absl::OkStatus();
}

}  // namespace salesight
