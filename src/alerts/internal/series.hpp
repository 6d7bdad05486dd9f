// The alerts' one data shape: per KPI x dimension, per slice, the value in
// each window (the watched period's and its history's, and each one's
// last-year window). Producers fill it from the order lines (own sums) and
// from the funnel and receivables calculators (their public functions); the
// anomaly and rule passes read only this.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "salesight/alerts.hpp"
#include "salesight/dataset.hpp"

namespace salesight::alerts_internal {

// Window s in [0, 2W): s < W is W(P - s), s >= W is W'(P - (s - W)).
// start == kNoDate: the window does not exist (no same period last year).
struct Windows {
  int count = 0;  // W
  std::int32_t watched = 0;  // ordinal of P
  std::vector<Day> start, end;  // 2W each
  int Lag(int t) const { return count + t; }
};

absl::StatusOr<Windows> MakeWindows(const AlertsOptions& options, Day as_of);

// mult x num / den; unknown when den <= 0. Money KPIs: num in minor units.
struct Value {
  std::int64_t num = 0, den = 0;
};

struct Slice {
  std::string member;          // as the data labels it; "" for the total
  std::vector<Value> value;    // 2W
  std::vector<std::int64_t> sample;  // 2W
  std::vector<Money> base;     // 2W
};

enum class Source : std::uint8_t { kOrders, kPipeline, kInvoices };

struct Kpi {
  std::string name;
  Source source = Source::kOrders;
  bool money = false;
  int mult = 1;  // 100 for percent
  bool lines_guard = true;  // min_lines applies (not to overdue)
  bool base_guard = true;   // min_base applies (not to conversions)
  int stage = 0;            // conversion: the stage entered
};

struct Series {
  const Kpi* kpi = nullptr;
  std::string dimension;  // "" = total
  std::string note;       // why it has no slices (a dimension the table lacks)
  std::vector<Slice> slices;  // by member, bytewise
};

// The KPIs of this dataset, in output order.
std::vector<Kpi> AvailableKpis(const Dataset& data);

// Every order-line KPI's series for each dimension of `dims` ("" = total).
absl::StatusOr<std::vector<Series>> OrderSeries(const Dataset& data, const std::vector<Kpi>& kpis,
                                                const std::vector<std::string>& dims,
                                                const Windows& windows, int num_threads,
                                                std::size_t min_rows_per_thread);
// Funnel runs by (dimension, window), shared by the step conversions (one
// ComputeFunnel gives every step).
struct FunnelCache;
struct FunnelCacheDeleter {
  void operator()(FunnelCache* cache) const;
};
using FunnelCachePtr = std::unique_ptr<FunnelCache, FunnelCacheDeleter>;
FunnelCachePtr NewFunnelCache();

// One pipeline or invoice KPI's series for one dimension; windows whose
// `wanted` entry is 0 stay unknown (the rules need only a few).
absl::StatusOr<Series> OtherSeries(const Dataset& data, const Kpi& kpi, const std::string& dim,
                                   const Windows& windows, const std::vector<char>& wanted,
                                   std::int32_t overdue_days, int num_threads, FunnelCache& cache);

// The value as a double (money in currency units).
double ToDouble(const Kpi& kpi, const Value& v, int money_scale);

}  // namespace salesight::alerts_internal
