// Pipeline and invoice KPI series: each window is one call of the calculator
// that defines the KPI (ComputeFunnel, ComputeCollection, ComputeAging), so a
// conversion or a collection rate means here what it means there.
#include <algorithm>
#include <map>
#include <tuple>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "alerts/internal/series.hpp"
#include "salesight/dimension.hpp"
#include "salesight/funnel.hpp"
#include "salesight/receivables.hpp"

namespace salesight::alerts_internal {

struct FunnelCache {
  std::map<std::tuple<std::string, Day, Day>, FunnelResult> runs;  // (dimension, window)
};
void FunnelCacheDeleter::operator()(FunnelCache* cache) const { delete cache; }
FunnelCachePtr NewFunnelCache() { return FunnelCachePtr(new FunnelCache); }

namespace {

struct Cell {
  Value value;
  std::int64_t sample = 0;
  Money base = 0;
};

// label -> cell of window s.
using WindowCells = std::map<std::string, Cell>;

absl::Status Funnel(const Dataset& data, const Kpi& kpi, const std::string& dim, Day from, Day to,
                    int num_threads, FunnelCache& cache, WindowCells& out, Cell& total) {
  auto cached = cache.runs.find({dim, from, to});
  if (cached == cache.runs.end()) {
    FunnelOptions o;
    o.mode = FunnelMode::kActivity;
    o.from = from;
    o.to = to;
    o.as_of = to;
    if (!dim.empty()) o.group_by = {dim};
    o.compute_outcomes = false;
    o.compute_bottlenecks = false;
    o.num_threads = num_threads;
    absl::StatusOr<FunnelResult> run = ComputeFunnel(data, o);
    if (!run.ok()) return run.status();
    cached = cache.runs.emplace(std::make_tuple(dim, from, to), *std::move(run)).first;
  }
  const FunnelResult* r = &cached->second;
  const auto cell = [&](const FunnelGroupStats& g) {
    Cell c;
    const std::int64_t before = g.stages[static_cast<std::size_t>(kpi.stage - 1)].count;
    c.value = {g.stages[static_cast<std::size_t>(kpi.stage)].count, before};
    c.sample = before;
    return c;
  };
  total = cell(r->overall);
  for (const FunnelGroup& g : r->groups) {
    out[DimensionLabel(r->key_dictionaries[0], g.keys[0])] = cell(g.stats);
  }
  return absl::OkStatus();
}

absl::Status Collection(const Dataset& data, const std::string& dim, Day from, Day to,
                        int num_threads, WindowCells& out, Cell& total) {
  CollectionOptions o;
  o.from = from;
  o.to = to;
  o.as_of = to;
  o.group_by = dim;
  o.rate_only = true;
  o.num_threads = num_threads;
  absl::StatusOr<CollectionResult> r = ComputeCollection(data, o);
  if (!r.ok()) return r.status();
  const auto cell = [](const CollectionSums& s) {
    Cell c;
    c.value = {s.collected, s.billed > 0 ? s.billed : 0};
    c.sample = s.invoices_due;
    c.base = s.billed;
    return c;
  };
  total = cell(r->total.sums);
  for (const CollectionRow& row : r->rows) out[DimensionLabel(r->group_codes, row.group)] = cell(row.sums);
  return absl::OkStatus();
}

absl::Status Overdue(const Dataset& data, const std::string& dim, std::int32_t days, Day as_of,
                     int num_threads, WindowCells& out, Cell& total) {
  AgingOptions o;
  o.as_of = as_of;
  o.cutoffs = {days};
  o.group_by = dim;
  o.overdue_top_n = 0;
  o.num_threads = num_threads;
  absl::StatusOr<AgingResult> r = ComputeAging(data, o);
  if (!r.ok()) return r.status();
  total.value = {r->bucket_totals.size() > 1 ? r->bucket_totals[1] : 0, 1};
  total.base = r->total;
  for (std::size_t g = 0; g < r->groups.size(); ++g) {
    Cell c;
    c.value = {r->amount(g, 1), 1};
    c.base = r->totals[g];
    out[DimensionLabel(r->group_codes, r->groups[g])] = c;
  }
  return absl::OkStatus();
}

Day FirstDay(const Dataset& data, Source source) {
  if (source == Source::kPipeline) return data.pipeline()->min_created();
  Day first = kNoDate;
  for (const Day d : data.invoices()->columns().invoice_date) {
    if (first == kNoDate || d < first) first = d;
  }
  return first;
}

}  // namespace

absl::StatusOr<Series> OtherSeries(const Dataset& data, const Kpi& kpi, const std::string& dim,
                                   const Windows& windows, const std::vector<char>& wanted,
                                   std::int32_t overdue_days, int num_threads, FunnelCache& cache) {
  Series series;
  series.kpi = &kpi;
  series.dimension = dim;
  const TableKind table = kpi.source == Source::kPipeline ? TableKind::kPipeline : TableKind::kInvoices;
  if (!dim.empty()) {
    absl::StatusOr<DimensionColumn> d = data.Dimension(table, dim);
    if (!d.ok()) {
      series.note = absl::StrCat("the ", std::string(TableKindName(table)), " has no dimension '", dim, "'");
      return series;
    }
  }
  const Day first = FirstDay(data, kpi.source);
  const int w2 = 2 * windows.count;
  std::vector<WindowCells> cells(static_cast<std::size_t>(w2));
  std::vector<Cell> totals(static_cast<std::size_t>(w2));
  std::vector<char> known(static_cast<std::size_t>(w2), 0);
  for (int s = 0; s < w2; ++s) {
    if (wanted[s] == 0 || first == kNoDate || windows.start[s] == kNoDate || windows.start[s] < first) continue;
    known[s] = 1;
    absl::Status st;
    if (kpi.source == Source::kPipeline) {
      st = Funnel(data, kpi, dim, windows.start[s], windows.end[s], num_threads, cache, cells[s], totals[s]);
    } else if (kpi.name == "collection_rate") {
      st = Collection(data, dim, windows.start[s], windows.end[s], num_threads, cells[s], totals[s]);
    } else {
      st = Overdue(data, dim, overdue_days, windows.end[s], num_threads, cells[s], totals[s]);
    }
    if (!st.ok()) return st;
  }
  std::vector<std::string> members;
  if (dim.empty()) {
    members.push_back("");
  } else {
    for (const WindowCells& c : cells) {
      for (const auto& [label, cell] : c) members.push_back(label);
    }
    std::sort(members.begin(), members.end());
    members.erase(std::unique(members.begin(), members.end()), members.end());
  }
  for (const std::string& m : members) {
    Slice slice;
    slice.member = m;
    slice.value.resize(w2);
    slice.sample.resize(w2);
    slice.base.resize(w2);
    for (int s = 0; s < w2; ++s) {
      if (known[s] == 0) continue;
      Cell c;
      if (dim.empty()) {
        c = totals[s];
      } else if (auto it = cells[s].find(m); it != cells[s].end()) {
        c = it->second;
      } else if (kpi.name == "overdue") {
        c.value = {0, 1};  // nothing outstanding: a known zero
      }
      slice.value[s] = c.value;
      slice.sample[s] = c.sample;
      slice.base[s] = c.base;
    }
    series.slices.push_back(std::move(slice));
  }
  return series;
}

}  // namespace salesight::alerts_internal
