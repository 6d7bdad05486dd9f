// Windows and the order-line KPI series: one pass over the lines per
// dimension for exact sums per (member, window), and one per distinct count
// (orders, customers) over the rows grouped by id, with a stamp per slot.
#include <algorithm>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "core/internal/parallel.hpp"
#include "alerts/internal/series.hpp"
#include "salesight/dimension.hpp"
#include "salesight/margin.hpp"

namespace salesight::alerts_internal {

absl::StatusOr<Windows> MakeWindows(const AlertsOptions& options, Day as_of) {
  const Grain g = options.grain;
  Windows w;
  w.count = options.history + options.k + 1;
  w.start.assign(static_cast<std::size_t>(2 * w.count), kNoDate);
  w.end.assign(static_cast<std::size_t>(2 * w.count), kNoDate);
  const std::int32_t pa = PeriodOf(g, as_of);
  const bool to_date = options.watch == AlertWatch::kToDate;
  w.watched = (to_date || as_of == PeriodEnd(g, pa)) ? pa : pa - 1;
  const std::int32_t elapsed = as_of - PeriodStart(g, w.watched) + 1;
  for (int t = 0; t < w.count; ++t) {
    const std::int32_t q = w.watched - t;
    if (q < 0 || PeriodStart(g, q) < kMinDay) break;
    const Day s = PeriodStart(g, q);
    const Day e = to_date ? std::min(s + elapsed - 1, PeriodEnd(g, q)) : PeriodEnd(g, q);
    w.start[t] = s;
    w.end[t] = e;
    const int l = w.Lag(t);
    if (to_date) {
      if (s - 364 >= kMinDay) {
        w.start[l] = s - 364;
        w.end[l] = e - 364;
      }
    } else if (std::optional<std::int32_t> ly = SamePeriodLastYear(g, q)) {
      if (PeriodStart(g, *ly) >= kMinDay) {
        w.start[l] = PeriodStart(g, *ly);
        w.end[l] = PeriodEnd(g, *ly);
      }
    }
  }
  return w;
}

std::vector<Kpi> AvailableKpis(const Dataset& data) {
  std::vector<Kpi> out;
  if (data.orders() != nullptr) {
    bool costs = false;
    const OrderLinesColumns& c = data.orders()->columns();
    // A cost source exists (margin.hpp "Cost of a line" 1-3); lines whose
    // cost stays unknown are left out of margin per line.
    costs = !c.cost.empty() || !c.unit_cost.empty() ||
            (data.products() != nullptr && !c.product.empty() && !c.quantity.empty());
    for (const std::string_view name : kAlertOrderKpis) {
      const bool margin = name == "margin" || name == "margin_pct";
      if (margin && !costs) continue;
      const bool money = name == "revenue" || name == "margin" || name == "aov";
      out.push_back({std::string(name), Source::kOrders, money, name == "margin_pct" ? 100 : 1});
    }
  }
  if (data.pipeline() != nullptr) {
    const std::vector<std::string>& stages = data.pipeline()->columns().stage_names;
    for (std::size_t s = 1; s < stages.size(); ++s) {
      Kpi k{absl::StrCat(std::string(kAlertConversionPrefix), stages[s]), Source::kPipeline, false, 100};
      k.base_guard = false;
      k.stage = static_cast<int>(s);
      out.push_back(k);
    }
  }
  if (data.invoices() != nullptr) {
    for (const std::string_view name : kAlertInvoiceKpis) {
      Kpi k{std::string(name), Source::kInvoices, name == "overdue", name == "overdue" ? 1 : 100};
      k.lines_guard = name != "overdue";  // a state, not a flow of invoices
      out.push_back(k);
    }
  }
  return out;
}

double ToDouble(const Kpi& kpi, const Value& v, int money_scale) {
  double x = static_cast<double>(kpi.mult) * static_cast<double>(v.num) / static_cast<double>(v.den);
  if (kpi.money) x /= static_cast<double>(Pow10(money_scale));
  return x;
}

namespace {

// The sums of one (member, window) and the stamps of its distinct counts,
// together in one cache line: a row's update touches one line per slot, not
// six arrays.
struct alignas(64) Slot {
  Money revenue = 0, costed_revenue = 0, cost = 0;
  std::int64_t lines = 0, orders = 0, customers = 0;
  std::uint32_t order_stamp = 0, customer_stamp = 0;  // id + 1 last counted
};
using Sums = std::vector<Slot>;  // per (member, window) of one slicing

// Rows in an order where each group's rows are adjacent (a stable counting
// sort by group id); empty when the table already is (ERP exports usually
// keep an order's lines together), meaning the identity.
std::vector<std::uint32_t> GroupedRows(const std::uint32_t* group, std::size_t n, std::size_t groups) {
  std::vector<std::uint8_t> seen(groups, 0);
  bool grouped = true;
  for (std::size_t i = 0; i < n && grouped; ++i) {
    if (i > 0 && group[i] == group[i - 1]) continue;
    grouped = seen[group[i]] == 0;
    seen[group[i]] = 1;
  }
  if (grouped) return {};
  std::vector<std::uint32_t> start(groups + 1, 0);
  for (std::size_t i = 0; i < n; ++i) ++start[group[i] + 1];
  for (std::size_t g = 1; g <= groups; ++g) start[g] += start[g - 1];
  std::vector<std::uint32_t> rows(n);
  for (std::size_t i = 0; i < n; ++i) rows[start[group[i]]++] = static_cast<std::uint32_t>(i);
  return rows;
}

struct OrderContext {
  const OrderLines* orders = nullptr;
  const Windows* windows = nullptr;
  std::vector<std::uint32_t> win;  // per row: Cur / Lag packed
  // Per row: its order's and its customer's dense id + 1.
  std::vector<std::uint32_t> order_mark, customer_mark;
  // Rows with each order's (customer's) rows adjacent; empty = 0..n-1. When
  // not empty, the rows' win and mark in that order (read in sequence).
  std::vector<std::uint32_t> by_order, by_customer;
  std::vector<std::uint32_t> order_win, order_marks, customer_win, customer_marks;
  std::vector<Money> cost;                 // empty without margin
  std::vector<std::uint8_t> known;
};

// The windows of a row, packed: (cur + 1) | (lag + 1) << 16; 0 = in none.
inline int Cur(std::uint32_t w) { return static_cast<int>(w & 0xffff) - 1; }
inline int Lag(std::uint32_t w) { return static_cast<int>(w >> 16) - 1; }

// A dimension as the passes read it: per row a member (0 for the total).
struct Slicing {
  const DimensionColumn* dim = nullptr;  // null = the total
  std::int64_t offset = 0;               // 1 when a member may be missing (kNoId -> 0)
  std::size_t slots = 0;                 // members x 2W
  std::size_t Member(std::size_t row) const {
    return dim == nullptr ? 0 : static_cast<std::size_t>(dim->Code(row) + offset);
  }
};

// Range t of `parts` over [0, n), moved forward to the start of a group
// (mark[i] != mark[i - 1]) so no group is cut: each group's distinct count
// is then made by one thread, and per-thread counts add up exactly.
std::size_t GroupBegin(std::size_t n, std::size_t t, std::size_t parts, const std::uint32_t* mark) {
  std::size_t b = internal::RangeBegin(n, t, parts);
  while (mark != nullptr && b > 0 && b < n && mark[b] == mark[b - 1]) ++b;
  return b;
}

// One thread's sums over its rows, every slicing at once.
struct Partial {
  std::vector<Sums> sums;  // per slicing
  bool overflow = false;
};

void Allocate(const std::vector<Slicing>& slicings, Partial& p) {
  p.sums.resize(slicings.size());
  for (std::size_t k = 0; k < slicings.size(); ++k) p.sums[k].assign(slicings[k].slots, Slot{});
}

// Sums (and distinct orders when each order's lines are adjacent) of the
// rows [begin, end).
void SumRows(const OrderContext& ctx, const std::vector<Slicing>& slicings, std::size_t begin,
             std::size_t end, Partial& p) {
  const OrderLinesColumns& c = ctx.orders->columns();
  const std::size_t w2 = static_cast<std::size_t>(2 * ctx.windows->count);
  const bool margin = !ctx.cost.empty();
  const bool orders_here = ctx.by_order.empty();
  for (std::size_t i = begin; i < end; ++i) {
    const std::uint32_t w = ctx.win[i];
    if (w == 0) continue;
    const Money a = c.amount[i];
    const bool costed = margin && ctx.known[i] != 0;
    const Money cost = costed ? ctx.cost[i] : 0;
    for (std::size_t k = 0; k < slicings.size(); ++k) {
      Slot* slots = p.sums[k].data() + slicings[k].Member(i) * w2;
      for (const int x : {Cur(w), Lag(w)}) {
        if (x < 0) continue;
        Slot& s = slots[x];
        p.overflow |= __builtin_add_overflow(s.revenue, a, &s.revenue);
        if (costed) {
          p.overflow |= __builtin_add_overflow(s.costed_revenue, a, &s.costed_revenue);
          p.overflow |= __builtin_add_overflow(s.cost, cost, &s.cost);
        }
        ++s.lines;
        if (orders_here && s.order_stamp != ctx.order_mark[i]) {
          s.order_stamp = ctx.order_mark[i];
          ++s.orders;
        }
      }
    }
  }
}

// Distinct ids per slot over positions [begin, end) of `rows` (the rows of
// one id adjacent; empty = 0..n-1), whose windows and marks (id + 1) are
// `win` and `mark` in that order: a slot stamped with the current id has
// counted it already.
void CountDistinct(const std::vector<Slicing>& slicings, std::size_t w2,
                   const std::vector<std::uint32_t>& rows, const std::uint32_t* win,
                   const std::uint32_t* mark, std::size_t begin, std::size_t end, bool customers,
                   Partial& p) {
  for (std::size_t j = begin; j < end; ++j) {
    const std::uint32_t w = win[j];
    if (w == 0) continue;
    const std::size_t i = rows.empty() ? j : rows[j];
    const std::uint32_t m = mark[j];
    for (std::size_t k = 0; k < slicings.size(); ++k) {
      Slot* slots = p.sums[k].data() + slicings[k].Member(i) * w2;
      for (const int x : {Cur(w), Lag(w)}) {
        if (x < 0) continue;
        Slot& s = slots[x];
        std::uint32_t& stamp = customers ? s.customer_stamp : s.order_stamp;
        if (stamp != m) {
          stamp = m;
          ++(customers ? s.customers : s.orders);
        }
      }
    }
  }
}

// Every slicing's sums over all rows, the rows split over threads at group
// boundaries and the partials added exactly.
absl::StatusOr<std::vector<Sums>> SumAll(const OrderContext& ctx, const std::vector<Slicing>& slicings,
                                         int num_threads, std::size_t min_rows_per_thread) {
  const std::size_t n = ctx.orders->size();
  const std::size_t w2 = static_cast<std::size_t>(2 * ctx.windows->count);
  const std::size_t threads =
      internal::ResolveThreads(num_threads, n / std::max<std::size_t>(min_rows_per_thread, 1) + 1);
  std::vector<Partial> partials(threads);
  const bool orders_here = ctx.by_order.empty();
  const bool customers_grouped = ctx.by_customer.empty();
  const std::uint32_t* customer_win = customers_grouped ? ctx.win.data() : ctx.customer_win.data();
  const std::uint32_t* customer_mark =
      customers_grouped ? ctx.customer_mark.data() : ctx.customer_marks.data();
  internal::RunOnThreads(threads, [&](std::size_t t) {
    Partial& p = partials[t];
    Allocate(slicings, p);
    const std::uint32_t* sum_mark = orders_here ? ctx.order_mark.data() : nullptr;
    SumRows(ctx, slicings, GroupBegin(n, t, threads, sum_mark), GroupBegin(n, t + 1, threads, sum_mark), p);
    if (!orders_here) {
      const std::uint32_t* m = ctx.order_marks.data();
      CountDistinct(slicings, w2, ctx.by_order, ctx.order_win.data(), m, GroupBegin(n, t, threads, m),
                    GroupBegin(n, t + 1, threads, m), /*customers=*/false, p);
    }
    CountDistinct(slicings, w2, ctx.by_customer, customer_win, customer_mark,
                  GroupBegin(n, t, threads, customer_mark), GroupBegin(n, t + 1, threads, customer_mark),
                  /*customers=*/true, p);
  });
  std::vector<Sums> out = std::move(partials[0].sums);
  bool overflow = partials[0].overflow;
  for (std::size_t t = 1; t < threads; ++t) {
    overflow |= partials[t].overflow;
    for (std::size_t k = 0; k < slicings.size(); ++k) {
      Sums& into = out[k];
      const Sums& from = partials[t].sums[k];
      for (std::size_t x = 0; x < into.size(); ++x) {
        Slot& a = into[x];
        const Slot& b = from[x];
        overflow |= __builtin_add_overflow(a.revenue, b.revenue, &a.revenue);
        overflow |= __builtin_add_overflow(a.costed_revenue, b.costed_revenue, &a.costed_revenue);
        overflow |= __builtin_add_overflow(a.cost, b.cost, &a.cost);
        a.lines += b.lines;
        a.orders += b.orders;
        a.customers += b.customers;
      }
    }
  }
  if (overflow) return absl::OutOfRangeError("alerts: a revenue or cost sum leaves the money range");
  return out;
}

// Small order numbers (the ERP's order_id may be any int64): id - min when
// the ids span at most 8 per line, else the rank among the distinct ids.
std::vector<std::uint32_t> DenseOrders(const OrderLines& orders) {
  const Column<std::int64_t>& id = orders.columns().order_id;
  if (id.size() > 0) {
    const auto [lo, hi] = std::minmax_element(id.begin(), id.end());
    const std::uint64_t span = static_cast<std::uint64_t>(*hi) - static_cast<std::uint64_t>(*lo);
    if (span <= 8 * static_cast<std::uint64_t>(id.size()) + 1024 && span < (std::uint64_t{1} << 32)) {
      std::vector<std::uint32_t> out(id.size());
      for (std::size_t i = 0; i < id.size(); ++i) {
        out[i] = static_cast<std::uint32_t>(static_cast<std::uint64_t>(id[i]) - static_cast<std::uint64_t>(*lo));
      }
      return out;
    }
  }
  std::vector<std::int64_t> distinct(id.begin(), id.end());
  std::sort(distinct.begin(), distinct.end());
  distinct.erase(std::unique(distinct.begin(), distinct.end()), distinct.end());
  std::vector<std::uint32_t> out(id.size());
  for (std::size_t i = 0; i < id.size(); ++i) {
    out[i] = static_cast<std::uint32_t>(
        std::lower_bound(distinct.begin(), distinct.end(), id[i]) - distinct.begin());
  }
  return out;
}

}  // namespace

absl::StatusOr<std::vector<Series>> OrderSeries(const Dataset& data, const std::vector<Kpi>& kpis,
                                                const std::vector<std::string>& dims,
                                                const Windows& windows, int num_threads,
                                                std::size_t min_rows_per_thread) {
  std::vector<Series> out;
  const OrderLines* orders = data.orders();
  std::vector<const Kpi*> own;
  for (const Kpi& k : kpis) {
    if (k.source == Source::kOrders) own.push_back(&k);
  }
  if (orders == nullptr || own.empty() || orders->size() == 0) return out;
  OrderContext ctx;
  ctx.orders = orders;
  ctx.windows = &windows;
  const int w2 = 2 * windows.count;
  std::vector<char> known_window(static_cast<std::size_t>(w2), 0);
  Day lo = kMaxDay, hi = kMinDay;
  for (int s = 0; s < w2; ++s) {
    if (windows.start[s] == kNoDate || windows.start[s] < orders->min_date()) continue;
    known_window[s] = 1;
    lo = std::min(lo, windows.start[s]);
    hi = std::max(hi, windows.end[s]);
  }
  // Per day: the window index of each kind, then per row the pair.
  std::vector<std::uint32_t> day_win(lo <= hi ? static_cast<std::size_t>(hi - lo + 1) : 0, 0);
  for (int s = 0; s < w2; ++s) {
    if (known_window[s] == 0) continue;
    const int shift = s < windows.count ? 0 : 16;
    for (Day d = windows.start[s]; d <= windows.end[s]; ++d) {
      day_win[static_cast<std::size_t>(d - lo)] |= static_cast<std::uint32_t>(s + 1) << shift;
    }
  }
  const OrderLinesColumns& c = orders->columns();
  const std::size_t n = orders->size();
  ctx.win.assign(n, 0);
  for (std::size_t i = 0; i < n; ++i) {
    const std::int64_t d = static_cast<std::int64_t>(c.order_date[i]) - lo;
    if (d >= 0 && d < static_cast<std::int64_t>(day_win.size())) ctx.win[i] = day_win[static_cast<std::size_t>(d)];
  }
  std::vector<std::uint32_t> order_index = DenseOrders(*orders);
  std::uint32_t num_orders = 0;
  for (const std::uint32_t x : order_index) num_orders = std::max(num_orders, x + 1);
  ctx.by_order = GroupedRows(order_index.data(), n, num_orders);
  std::vector<std::uint32_t> customer(c.customer.begin(), c.customer.end());
  ctx.by_customer = GroupedRows(customer.data(), n, static_cast<std::size_t>(orders->num_customers()));
  ctx.order_mark.resize(n);
  ctx.customer_mark.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    ctx.order_mark[i] = order_index[i] + 1;
    ctx.customer_mark[i] = customer[i] + 1;
  }
  const auto gather = [&](const std::vector<std::uint32_t>& rows, const std::vector<std::uint32_t>& mark,
                          std::vector<std::uint32_t>& win_out, std::vector<std::uint32_t>& mark_out) {
    if (rows.empty()) return;
    win_out.resize(n);
    mark_out.resize(n);
    for (std::size_t j = 0; j < n; ++j) {
      win_out[j] = ctx.win[rows[j]];
      mark_out[j] = mark[rows[j]];
    }
  };
  gather(ctx.by_order, ctx.order_mark, ctx.order_win, ctx.order_marks);
  gather(ctx.by_customer, ctx.customer_mark, ctx.customer_win, ctx.customer_marks);
  bool margin = false;
  for (const Kpi* k : own) margin = margin || k->name == "margin";
  if (margin) {
    absl::StatusOr<MarginLineCosts> costs = MarginLineCosts::Make(data);
    if (!costs.ok()) return costs.status();
    ctx.cost.resize(orders->size());
    ctx.known.resize(orders->size());
    if (absl::Status st = costs->Costs(0, orders->size(), ctx.cost.data(), ctx.known.data()); !st.ok()) {
      return st;
    }
  }
  std::vector<absl::StatusOr<DimensionColumn>> columns;
  std::vector<Slicing> slicings;
  for (const std::string& d : dims) {
    columns.push_back(d.empty() ? absl::StatusOr<DimensionColumn>(DimensionColumn{})
                                : data.Dimension(TableKind::kOrders, d));
    if (!columns.back().ok()) return columns.back().status();
  }
  for (std::size_t k = 0; k < dims.size(); ++k) {
    Slicing sl;
    sl.dim = dims[k].empty() ? nullptr : &*columns[k];
    sl.offset = sl.dim != nullptr && sl.dim->may_be_missing ? 1 : 0;
    sl.slots = (sl.dim == nullptr ? 1 : static_cast<std::size_t>(sl.dim->cardinality + sl.offset)) *
               static_cast<std::size_t>(w2);
    slicings.push_back(sl);
  }
  absl::StatusOr<std::vector<Sums>> all = SumAll(ctx, slicings, num_threads, min_rows_per_thread);
  if (!all.ok()) return all.status();
  const std::vector<Sums>& sums = *all;
  for (std::size_t di = 0; di < dims.size(); ++di) {
    const DimensionColumn* dim = dims[di].empty() ? nullptr : &*columns[di];
    const Sums& s = sums[di];
    const std::int64_t offset = dim != nullptr && dim->may_be_missing ? 1 : 0;
    const std::size_t members = s.size() / static_cast<std::size_t>(w2);
    std::vector<std::pair<std::string, std::size_t>> present;
    for (std::size_t m = 0; m < members; ++m) {
      std::int64_t lines = 0;
      for (int w = 0; w < w2; ++w) lines += s[m * w2 + w].lines;
      if (lines == 0) continue;
      present.emplace_back(dim == nullptr ? "" : DimensionLabel(dim->dictionary, static_cast<Id>(m) - static_cast<Id>(offset)), m);
    }
    std::sort(present.begin(), present.end());
    for (const Kpi* k : own) {
      Series series;
      series.kpi = k;
      series.dimension = dims[di];
      for (const auto& [label, m] : present) {
        Slice slice;
        slice.member = label;
        slice.value.resize(w2);
        slice.sample.resize(w2);
        slice.base.resize(w2);
        for (int w = 0; w < w2; ++w) {
          if (known_window[w] == 0) continue;
          const std::size_t x = m * w2 + w;
          const Slot& cell = s[x];
          slice.sample[w] = cell.lines;
          slice.base[w] = cell.revenue;
          Value& v = slice.value[w];
          Money margin_sum = 0;
          // A margin outside int64 is unknown (den 0), never wrapped.
          const bool margin_ok = !__builtin_sub_overflow(cell.costed_revenue, cell.cost, &margin_sum);
          if (k->name == "revenue") v = {cell.revenue, 1};
          else if (k->name == "margin") v = {margin_sum, margin_ok ? 1 : 0};
          else if (k->name == "margin_pct") v = {margin_sum, margin_ok && cell.costed_revenue > 0 ? cell.costed_revenue : 0};
          else if (k->name == "orders") v = {cell.orders, 1};
          else if (k->name == "customers") v = {cell.customers, 1};
          else if (k->name == "aov") v = {cell.revenue, cell.orders};
        }
        series.slices.push_back(std::move(slice));
      }
      out.push_back(std::move(series));
    }
  }
  return out;
}

}  // namespace salesight::alerts_internal
