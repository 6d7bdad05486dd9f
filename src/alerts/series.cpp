// Windows and the order-line KPI series (their sums: order_sums.cpp).
#include <algorithm>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "alerts/internal/order_sums.hpp"
#include "alerts/internal/series.hpp"
#include "salesight/dimension.hpp"

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
  const int w2 = 2 * windows.count;
  bool margin = false;
  for (const Kpi* k : own) margin = margin || k->name == "margin";
  std::vector<absl::StatusOr<DimensionColumn>> columns;
  std::vector<const DimensionColumn*> slicings;
  for (const std::string& d : dims) {
    columns.push_back(d.empty() ? absl::StatusOr<DimensionColumn>(DimensionColumn{})
                                : data.Dimension(TableKind::kOrders, d));
    if (!columns.back().ok()) return columns.back().status();
  }
  for (std::size_t k = 0; k < dims.size(); ++k) slicings.push_back(dims[k].empty() ? nullptr : &*columns[k]);
  SumOrderOptions so;
  so.margin = margin;
  so.num_threads = num_threads;
  so.min_rows_per_thread = min_rows_per_thread;
  absl::StatusOr<OrderSums> sums = SumOrderLines(data, slicings, windows, so);
  if (!sums.ok()) return sums.status();
  for (std::size_t di = 0; di < dims.size(); ++di) {
    const DimensionColumn* dim = slicings[di];
    const std::int64_t offset = dim != nullptr && dim->may_be_missing ? 1 : 0;
    const std::size_t members = sums->members[di];
    std::vector<std::pair<std::string, std::size_t>> present;
    for (std::size_t m = 0; m < members; ++m) {
      std::int64_t lines = 0;
      for (std::size_t r = 0; r < sums->ranges; ++r) lines += sums->cells[di][r * members + m].lines;
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
          const OrderCell* found = sums->Find(di, w, m);
          if (found == nullptr) continue;
          const OrderCell& cell = *found;
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
