// Daily revenue per group as known on as_of, and the point forecasts and
// intervals made from it: see salesight/forecast.hpp for every definition.
#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <limits>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "core/internal/parallel.hpp"
#include "forecast/internal/engine.hpp"
#include "salesight/status_macros.hpp"

namespace salesight::forecast_internal {
namespace {

// Room for the interval and the backtest's own intervals (2 x history
// periods back), then a year and the longest window before that.
Day FirstDayNeeded(const ForecastOptions& o, std::int32_t ordinal) {
  const Day start = PeriodStart(o.period, ordinal - 2 * o.history_periods - 1);
  return start - 366 - 31 - std::max(o.run_rate_days, o.shape_days);
}

absl::Status CheckOptions(const ForecastOptions& o) {
  const GrainUnit u = o.period.unit;
  if (u == GrainUnit::kDay || u == GrainUnit::kIsoWeek) {
    return absl::InvalidArgumentError("forecast: period must be month, quarter, year or fiscal_year");
  }
  if (o.run_rate_days < 1 || o.run_rate_days > 3660) {
    return absl::InvalidArgumentError("forecast: run_rate_days must be in 1..3660");
  }
  if (o.shape_days < 7 || o.shape_days > 3660) {
    return absl::InvalidArgumentError("forecast: shape_days must be in 7..3660");
  }
  if (o.history_periods < 0 || o.history_periods > 120) {
    return absl::InvalidArgumentError("forecast: history_periods must be in 0..120");
  }
  if (!(o.coverage > 0 && o.coverage < 1)) {
    return absl::InvalidArgumentError("forecast: coverage must be between 0 and 1");
  }
  for (std::int32_t d : o.from_days) {
    if (d < 1 || d > 366) return absl::InvalidArgumentError("forecast: from_days must be in 1..366");
  }
  return absl::OkStatus();
}

double Quantile(const std::vector<double>& sorted, double q) {
  const double pos = q * static_cast<double>(sorted.size() - 1);
  const std::size_t i = static_cast<std::size_t>(pos);
  if (i + 1 >= sorted.size()) return sorted.back();
  return sorted[i] + (pos - static_cast<double>(i)) * (sorted[i + 1] - sorted[i]);
}

std::int32_t YearMonth(Day d) {
  const CivilDate c = CivilFromDay(d);
  return c.year * 100 + c.month;
}

// Net revenue per (group slot, day of [first, as_of]) into cell (slot-major)
// and which slots have a line there. Rows are split over threads, each
// summing into its own cells; the cells are then added in thread order.
// Every addition is checked: a day whose partial or merged sum leaves the
// int64 range is an error.
absl::Status DailyRevenue(const OrderLines& orders, const DimensionColumn* dim, std::size_t slots,
                          Day first, Day as_of, int num_threads, std::vector<Money>* cell,
                          std::vector<char>* active) {
  const std::size_t days = static_cast<std::size_t>(std::max(0, as_of - first + 1));
  const std::size_t cells = slots * days, rows = orders.size();
  constexpr std::size_t kLinesPerThread = std::size_t{1} << 16;
  std::size_t parts = internal::ResolveThreads(num_threads, rows / kLinesPerThread + 1);
  if (parts > 1 && cells > rows / parts) parts = 1;  // the copies would cost more than the split saves
  std::vector<std::vector<Money>> part_cell(parts);
  std::vector<std::vector<char>> part_active(parts);
  std::vector<char> overflow(parts, 0);
  const OrderLinesColumns& c = orders.columns();
  internal::ForEachRange(parts, rows, [&](std::size_t t, std::size_t begin, std::size_t end) {
    std::vector<Money>& sums = part_cell[t];
    std::vector<char>& seen = part_active[t];
    sums.assign(cells, 0);
    seen.assign(slots, 0);
    for (std::size_t i = begin; i < end; ++i) {
      const Day d = c.order_date[i];
      if (d < first || d > as_of) continue;
      std::size_t g = 0;
      if (dim != nullptr) {
        const Id code = dim->Code(i);
        g = code == kNoId ? slots - 1 : static_cast<std::size_t>(code);
      }
      seen[g] = 1;
      Money& m = sums[g * days + static_cast<std::size_t>(d - first)];
      if (!AddMoney(m, c.amount[i], &m)) {
        overflow[t] = 1;
        return;
      }
    }
  });
  *cell = std::move(part_cell[0]);
  *active = std::move(part_active[0]);
  bool overflows = overflow[0] != 0;
  for (std::size_t t = 1; t < parts; ++t) {
    overflows = overflows || overflow[t] != 0;
    for (std::size_t k = 0; k < cells && !overflows; ++k) {
      overflows = !AddMoney((*cell)[k], part_cell[t][k], &(*cell)[k]);
    }
    for (std::size_t g = 0; g < slots; ++g) (*active)[g] = static_cast<char>((*active)[g] | part_active[t][g]);
  }
  if (overflows) return absl::OutOfRangeError("forecast: a day's revenue overflows int64");
  return absl::OkStatus();
}

}  // namespace

void AddNote(std::string* notes, const std::string& note) {
  if (notes == nullptr || notes->find(note) != std::string::npos) return;
  absl::StrAppend(notes, notes->empty() ? "" : "; ", note);
}

absl::StatusOr<Money> RoundMoney(double value, const std::string& what) {
  const double r = std::round(value);  // halves away from zero
  if (!std::isfinite(r) || std::fabs(r) > static_cast<double>(kMaxMoney)) {
    return absl::OutOfRangeError(absl::StrCat("forecast: ", what, " is outside the money range"));
  }
  return static_cast<Money>(r);
}

absl::StatusOr<Engine> Engine::Make(const Dataset& data, const ForecastOptions& options,
                                     std::int32_t periods_back) {
  SALESIGHT_RETURN_IF_ERROR(CheckOptions(options));
  Engine e;
  e.options_ = options;
  e.data_ = &data;
  const OrderLines& orders = *data.orders();
  e.money_scale_ = orders.money_scale();
  if (orders.size() == 0) return e;
  e.data_start_ = orders.min_date();
  e.as_of_ = options.as_of == kNoDate ? orders.max_date() : options.as_of;
  if (e.as_of_ < kMinDay || e.as_of_ > kMaxDay) {
    return absl::InvalidArgumentError("forecast: as_of is not a date in 1900..2199");
  }
  e.first_ = std::max({FirstDayNeeded(options, PeriodOf(options.period, e.as_of_)), e.data_start_,
                       kMinDay});
  e.days_ = std::max<std::int32_t>(0, e.as_of_ - e.first_ + 1);

  // Groups: the dimension's members (and "(none)"), kept when they have a
  // line in the known window, ordered by label bytewise.
  std::optional<DimensionColumn> dim;
  std::size_t slots = 1;
  if (!options.group_by.empty()) {
    SALESIGHT_ASSIGN_OR_RETURN(DimensionColumn d, data.Dimension(TableKind::kOrders, options.group_by));
    slots = static_cast<std::size_t>(d.cardinality) + 1;  // the last: kNoId
    dim = std::move(d);
  }
  const double cells = static_cast<double>(slots) * static_cast<double>(e.days_);
  if (cells > static_cast<double>(std::int64_t{1} << 26)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "forecast: ", slots, " groups x ", e.days_, " days is too many; group by a coarser "
        "dimension or shorten history_periods"));
  }
  std::vector<Money> cell;
  std::vector<char> active;
  SALESIGHT_RETURN_IF_ERROR(DailyRevenue(orders, dim ? &*dim : nullptr, slots, e.first_, e.as_of_,
                                         options.num_threads, &cell, &active));
  std::vector<std::pair<std::string, std::size_t>> order;
  for (std::size_t g = 0; g < slots; ++g) {
    if (!active[g]) continue;
    std::string label;
    if (dim) label = g == slots - 1 ? DimensionLabel(dim->dictionary, kNoId)
                                    : DimensionLabel(dim->dictionary, static_cast<Id>(g));
    // Every range sum of the group fits int64 when the sum of |day| does.
    Money abs_sum = 0;
    for (std::size_t d = 0; d < static_cast<std::size_t>(e.days_); ++d) {
      const Money v = cell[g * static_cast<std::size_t>(e.days_) + d];
      if (v == std::numeric_limits<Money>::min() || !AddMoney(abs_sum, v < 0 ? -v : v, &abs_sum)) {
        return absl::OutOfRangeError(absl::StrCat("forecast: the revenue of group '", label,
                                                  "' overflows int64"));
      }
    }
    order.emplace_back(std::move(label), g);
  }
  std::sort(order.begin(), order.end());
  std::map<std::string, std::size_t> group_of;
  for (const auto& [label, g] : order) {
    group_of.emplace(label, e.labels_.size());
    e.labels_.push_back(label);
    const auto from = cell.begin() + static_cast<std::ptrdiff_t>(g * static_cast<std::size_t>(e.days_));
    e.revenue_.insert(e.revenue_.end(), from, from + e.days_);
  }
  // Every as-of day At() is asked for lies in a period at most
  // periods_back before as_of's, on or after the first order line - or is
  // as_of itself.
  const Day earliest = std::min(
      e.as_of_, std::max(e.data_start_, PeriodStart(options.period, PeriodOf(options.period, e.as_of_) -
                                                                        periods_back)));
  SALESIGHT_ASSIGN_OR_RETURN(PipelineTerm term,
                             PipelineTerm::Make(data, options, group_of, e.groups(), earliest, e.as_of_));
  if (!term.unavailable().empty()) AddNote(&e.notes_, term.unavailable());
  e.pipeline_ = std::move(term);
  return e;
}

Money Engine::Revenue(std::size_t g, Day from, Day to) const {
  from = std::max(from, first_);
  to = std::min(to, as_of_);
  Money sum = 0;  // cannot overflow: Make checked the group's sum of |day|
  const Money* row = revenue_.data() + g * static_cast<std::size_t>(days_);
  for (Day d = from; d <= to; ++d) sum += row[d - first_];
  return sum;
}

Day Engine::RunRateStart(Day as_of) const {
  return std::max(as_of - options_.run_rate_days + 1, data_start_);
}

double Engine::Rest(std::size_t g, Day as_of, Day end, std::string* notes) const {
  if (end <= as_of) return 0.0;
  const ForecastOptions& o = options_;
  auto day = [&](Day d) -> double {
    return static_cast<double>(Revenue(g, d, d));
  };
  // Weekday shape over the shape window (days before the first order line
  // are unknown, not zero: windows start there at the earliest).
  std::array<double, 8> sum{}, count{};
  double total = 0;
  const Day shape_start = std::max(as_of - o.shape_days + 1, data_start_);
  for (Day d = shape_start; d <= as_of; ++d) {
    sum[static_cast<std::size_t>(Weekday(d))] += day(d);
    count[static_cast<std::size_t>(Weekday(d))] += 1;
    total += day(d);
  }
  std::array<double, 8> weekday;
  weekday.fill(1.0);
  const double mean = total / (as_of - shape_start + 1);
  if (mean > 0) {
    for (std::size_t w = 1; w <= 7; ++w) {
      if (count[w] > 0) weekday[w] = std::max(0.0, sum[w] / count[w] / mean);
    }
  } else {
    AddNote(notes, "no positive revenue in the shape window: flat weekdays");
  }
  // Last year's month-by-month level.
  const Day window_start = RunRateStart(as_of);
  std::map<std::int32_t, double> season;
  bool seasonal = o.seasonality;
  if (seasonal) {
    for (std::int32_t m = MonthOrdinal(window_start); m <= MonthOrdinal(end); ++m) {
      const Day s = PeriodStart(GrainUnit::kMonth, m - 12), e = PeriodEnd(GrainUnit::kMonth, m - 12);
      if (s < data_start_) {
        seasonal = false;
        AddNote(notes, "no last year before the first order line: no seasonality");
        break;
      }
      season[m] = std::max(0.0, static_cast<double>(Revenue(g, s, e)) / (e - s + 1));
    }
  }
  if (seasonal && std::all_of(season.begin(), season.end(), [](const auto& kv) { return kv.second == 0; })) {
    seasonal = false;
    AddNote(notes, "no revenue last year in these months: no seasonality");
  }
  auto shape = [&](Day d) {
    return weekday[static_cast<std::size_t>(Weekday(d))] * (seasonal ? season[MonthOrdinal(d)] : 1.0);
  };
  double window_revenue = 0, window_shape = 0;
  for (Day d = window_start; d <= as_of; ++d) {
    window_revenue += day(d);
    window_shape += shape(d);
  }
  double ahead = 0;
  if (window_shape > 0) {
    for (Day d = as_of + 1; d <= end; ++d) ahead += shape(d);
    return window_revenue / window_shape * ahead;
  }
  AddNote(notes, "the run-rate window has no weight: flat daily mean");
  return window_revenue / (as_of - window_start + 1) * (end - as_of);
}

absl::StatusOr<const std::vector<Point>*> Engine::At(std::int32_t ordinal, std::int32_t elapsed) {
  const auto key = std::make_pair(ordinal, elapsed);
  if (auto it = memo_.find(key); it != memo_.end()) return &it->second;
  const Day start = PeriodStart(options_.period, ordinal), end = PeriodEnd(options_.period, ordinal);
  const Day t = std::min(start + elapsed, end);
  std::string shared;
  if (groups() == 0) return &memo_.emplace(key, std::vector<Point>{}).first->second;
  SALESIGHT_ASSIGN_OR_RETURN(const std::vector<double> pipe, pipeline_->Expected(t, end, &shared));
  // The run rate is net of the deals won in its window: they come back in
  // the pipeline term, and a won deal must not count twice.
  SALESIGHT_ASSIGN_OR_RETURN(const std::vector<double> won, pipeline_->Won(RunRateStart(t), t));
  std::vector<Point> points(groups());
  for (std::size_t g = 0; g < groups(); ++g) {
    Point& p = points[g];
    p.notes = shared;
    p.actual = Revenue(g, start, t);
    double rest = Rest(g, t, end, &p.notes);
    if (pipeline_->available()) {
      const double window = static_cast<double>(Revenue(g, RunRateStart(t), t));
      rest *= window > 0 ? 1.0 - std::clamp(won[g] / window, 0.0, 1.0) : 1.0;
    }
    SALESIGHT_ASSIGN_OR_RETURN(p.rest, RoundMoney(rest, "the projected rest"));
    SALESIGHT_ASSIGN_OR_RETURN(p.pipeline, RoundMoney(pipe[g], "the weighted pipeline"));
    if (!AddMoney(p.actual, p.rest, &p.forecast) || !AddMoney(p.forecast, p.pipeline, &p.forecast)) {
      return absl::OutOfRangeError("forecast: the forecast overflows int64");
    }
  }
  return &memo_.emplace(key, std::move(points)).first->second;
}

absl::Status Engine::Interval(std::size_t g, std::int32_t ordinal, std::int32_t elapsed, Money value,
                              std::optional<Money>* low, std::optional<Money>* high,
                              std::int32_t* history, std::string* notes) {
  std::vector<double> errors;
  for (std::int32_t k = 1; k <= options_.history_periods; ++k) {
    const Day start = PeriodStart(options_.period, ordinal - k);
    if (start < data_start_) break;
    SALESIGHT_ASSIGN_OR_RETURN(const std::vector<Point>* past, At(ordinal - k, elapsed));
    const Money f = (*past)[g].forecast;
    if (f <= 0) continue;
    const Money truth = Revenue(g, start, PeriodEnd(options_.period, ordinal - k));
    errors.push_back(static_cast<double>(truth) / static_cast<double>(f) - 1.0);
  }
  *history = static_cast<std::int32_t>(errors.size());
  if (errors.size() < 3) {
    AddNote(notes, absl::StrCat("no interval: ", errors.size(), " past forecasts (3 needed)"));
    return absl::OkStatus();
  }
  std::sort(errors.begin(), errors.end());
  const double v = static_cast<double>(value);
  SALESIGHT_ASSIGN_OR_RETURN(Money lo, RoundMoney(v * (1 + Quantile(errors, (1 - options_.coverage) / 2)), "low"));
  SALESIGHT_ASSIGN_OR_RETURN(Money hi, RoundMoney(v * (1 + Quantile(errors, (1 + options_.coverage) / 2)), "high"));
  *low = std::min(lo, hi);
  *high = std::max(lo, hi);
  return absl::OkStatus();
}

std::optional<Money> Engine::Target(std::size_t g, Day from, Day to, std::string* notes) const {
  const Targets* targets = data_->targets();
  if (targets == nullptr) return std::nullopt;
  const TargetsColumns& c = targets->columns();
  const std::string& by = options_.group_by;
  const bool matched = (by == "salesperson" && c.level == TargetLevel::kSalesperson) ||
                       (by == "region" && c.level == TargetLevel::kRegion);
  if (!by.empty() && !matched) {
    AddNote(notes, absl::StrCat("the targets are not per ", by));
    return std::nullopt;
  }
  const std::int32_t lo = YearMonth(from), hi = YearMonth(to);
  Money sum = 0;
  for (std::size_t i = 0; i < targets->size(); ++i) {
    if (c.month[i] < lo || c.month[i] > hi) continue;
    if (!by.empty() && DimensionLabel(c.keys, c.key[i]) != labels_[g]) continue;
    if (!AddMoney(sum, c.amount[i], &sum)) return std::nullopt;
  }
  return sum;
}

}  // namespace salesight::forecast_internal
