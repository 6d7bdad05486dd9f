// Change drivers over a Dataset (salesight/insights/drivers.hpp): every
// combination of up to max_depth dims scored (explained share, surprise,
// mix/rate effects for ratios) and ranked, the localiser's root causes first.
#include "salesight/insights/drivers.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "core/internal/parallel.hpp"
#include "insights/internal/drivers.hpp"
#include "salesight/insights/localizer.hpp"
#include "salesight/status_macros.hpp"

namespace salesight {
namespace {

using insights::internal::Cells;
using insights::internal::Cuboid;
using insights::internal::DriverRanges;
using insights::internal::MeasurePlan;

absl::Status Error(const std::string& message) {
  return absl::InvalidArgumentError(absl::StrCat("drivers: ", message));
}

std::vector<std::string> DefaultDims(const Dataset& data, const MeasurePlan& plan, bool target) {
  std::vector<std::string> out;
  if (target) {  // targets are set per salesperson or per region (or for the company: none)
    if (data.targets() == nullptr) return out;
    const TargetLevel level = data.targets()->columns().level;
    if (level == TargetLevel::kSalesperson) out.emplace_back("salesperson");
    if (level == TargetLevel::kRegion) out.emplace_back("region");
    return out;
  }
  for (const char* name : {"region", "salesperson", "category", "channel"}) {
    if (data.Dimension(plan.measure->table, name).ok()) out.emplace_back(name);
  }
  return out;
}

// Every subset of {0..n-1} of size 1..max_depth: by size, then
// lexicographically (the cuboid order of the header).
std::vector<std::vector<int>> CuboidDims(int n, int max_depth) {
  std::vector<std::vector<int>> out;
  for (int k = 1; k <= max_depth; ++k) {
    std::vector<int> pick(static_cast<std::size_t>(k));
    std::iota(pick.begin(), pick.end(), 0);
    while (true) {
      out.push_back(pick);
      int i = k - 1;
      while (i >= 0 && pick[static_cast<std::size_t>(i)] == n - k + i) --i;
      if (i < 0) break;
      ++pick[static_cast<std::size_t>(i)];
      for (int j = i + 1; j < k; ++j) {
        pick[static_cast<std::size_t>(j)] = pick[static_cast<std::size_t>(j - 1)] + 1;
      }
    }
  }
  return out;
}

// Adtributor's surprise of one element: the Jensen-Shannon divergence (base
// 2) of its share before p and after q; a zero share contributes nothing.
double JsDivergence(double p, double q) {
  const double m = 0.5 * (p + q);
  double s = 0;
  if (p > 0) s += 0.5 * p * std::log2(p / m);
  if (q > 0) s += 0.5 * q * std::log2(q / m);
  return s;
}

// The shares |v_e| / sum |v| of a cuboid's elements (0 when the sum is 0).
std::vector<double> AbsShares(const std::vector<std::int64_t>& v) {
  double total = 0;
  for (std::int64_t x : v) total += std::fabs(static_cast<double>(x));
  std::vector<double> out(v.size(), 0);
  if (total == 0) return out;
  for (std::size_t i = 0; i < v.size(); ++i) out[i] = std::fabs(static_cast<double>(v[i])) / total;
  return out;
}

absl::StatusOr<std::int64_t> CheckedSum(const std::vector<std::int64_t>& v) {
  std::int64_t s = 0;
  for (std::int64_t x : v) {
    if (!AddMoney(s, x, &s)) return Error("the total overflows");
  }
  return s;
}

struct Candidate {
  DriverRow row;
  std::vector<Id> full;  // member per dim, kNoId = not fixed
  std::size_t cuboid = 0, element = 0;
  int cause_order = -1;  // position among the localiser's causes, -1 = none
};

// True when one of a, b fixes every member the other fixes (one holds the
// other's rows).
bool Nested(const std::vector<Id>& a, const std::vector<Id>& b) {
  bool a_in_b = true, b_in_a = true;
  for (std::size_t d = 0; d < a.size(); ++d) {
    if (b[d] != kNoId && a[d] != b[d]) a_in_b = false;
    if (a[d] != kNoId && a[d] != b[d]) b_in_a = false;
  }
  return a_in_b || b_in_a;
}

// Succinctness: an element whose effect a higher-ranked element nested with
// it already tells (the two differ by less than `tolerance`) moves after the
// others, keeping its order: region=east adds nothing once
// region=east & channel=online, which holds all of east's change, is ranked.
void DemoteRepeats(std::vector<Candidate>& ranked, double tolerance) {
  std::vector<Candidate> kept, repeats;
  for (Candidate& c : ranked) {
    bool repeat = false;
    for (const Candidate& k : kept) {
      repeat = repeat || (Nested(c.full, k.full) &&
                          std::fabs(c.row.effect - k.row.effect) < tolerance);
    }
    (repeat ? repeats : kept).push_back(std::move(c));
  }
  for (Candidate& c : repeats) kept.push_back(std::move(c));
  ranked = std::move(kept);
}

// True when `full` (a member per dim, kNoId = not fixed) is element e of `cub`.
bool IsElement(const std::vector<Id>& full, const Cuboid& cub, std::size_t e) {
  std::size_t fixed = 0;
  for (Id m : full) fixed += m != kNoId ? 1 : 0;
  if (fixed != cub.dims.size()) return false;
  for (std::size_t i = 0; i < cub.dims.size(); ++i) {
    if (full[static_cast<std::size_t>(cub.dims[i])] != cub.member(e, i)) return false;
  }
  return true;
}

// The localiser's root causes as full member vectors (kNoId = not fixed).
absl::StatusOr<std::vector<std::vector<Id>>> RootCauses(const Cells& cells, int max_depth) {
  std::vector<double> real(cells.num_leaves()), forecast(cells.num_leaves());
  for (std::size_t i = 0; i < real.size(); ++i) {
    real[i] = static_cast<double>(cells.after[0][i]);
    forecast[i] = static_cast<double>(cells.before[0][i]);
  }
  SALESIGHT_ASSIGN_OR_RETURN(insights::LeavesTable leaves,
                             insights::LeavesTable::Make(cells.dims, cells.members, cells.codes,
                                                         std::move(real), std::move(forecast)));
  insights::LocalizerOptions lo;
  lo.max_depth = max_depth;
  SALESIGHT_ASSIGN_OR_RETURN(insights::Localization loc, insights::Localize(leaves, lo));
  std::vector<std::vector<Id>> out;
  for (const insights::RootCause& c : loc.causes) out.push_back(c.members);
  return out;
}

}  // namespace

absl::StatusOr<DriversResult> ComputeDrivers(const Dataset& data, const DriversOptions& o) {
  if (o.lang != "en" && o.lang != "zh") return Error(absl::StrCat("lang '", o.lang, "' is not en or zh"));
  SALESIGHT_ASSIGN_OR_RETURN(const MeasurePlan plan, insights::internal::PlanMeasure(o));
  SALESIGHT_ASSIGN_OR_RETURN(const DriverRanges ranges,
                             insights::internal::ResolveDriverRanges(data, o));
  const std::vector<std::string> dims = o.dims_given ? o.dims : DefaultDims(data, plan, ranges.target);
  if (dims.empty()) {
    return Error(ranges.target ? "no dimension to search: targets need the targets table, set per "
                                 "salesperson or region"
                               : "no dimension to search: give dims");
  }
  for (std::size_t i = 0; i < dims.size(); ++i) {
    for (std::size_t j = 0; j < i; ++j) {
      if (dims[i] == dims[j]) return Error(absl::StrCat("dimension '", dims[i], "' given twice"));
    }
  }
  if (dims.size() > 16) return Error(absl::StrCat(dims.size(), " dimensions, at most 16"));
  SALESIGHT_ASSIGN_OR_RETURN(const Cells cells,
                             insights::internal::GatherCells(data, plan, ranges, dims, o.num_threads));
  const int nd = static_cast<int>(dims.size());
  const int max_depth = o.max_depth == 0 ? nd : std::min(o.max_depth, nd);

  DriversResult result;
  result.measure = std::string(plan.measure->name);
  result.unit = plan.measure->unit;
  result.ratio = plan.ratio;
  result.money_scale = cells.money_scale;
  result.dims = dims;
  result.before_label = ranges.before_label;
  result.after_label = ranges.after_label;
  result.leaves = static_cast<std::int64_t>(cells.num_leaves());

  // Totals: sums over the leaves; a distinct count is queried (it does not add up).
  const std::size_t nc = cells.before.size();
  std::vector<std::int64_t> total_before(nc), total_after(nc);
  if (plan.distinct) {
    SALESIGHT_ASSIGN_OR_RETURN(const Cuboid all, insights::internal::CuboidFromQueries(
                                                     data, plan, ranges, cells, {}, o.num_threads));
    total_before[0] = all.size() == 0 ? 0 : all.before[0][0];
    total_after[0] = all.size() == 0 ? 0 : all.after[0][0];
  } else {
    for (std::size_t c = 0; c < nc; ++c) {
      SALESIGHT_ASSIGN_OR_RETURN(total_before[c], CheckedSum(cells.before[c]));
      SALESIGHT_ASSIGN_OR_RETURN(total_after[c], CheckedSum(cells.after[c]));
    }
  }
  std::optional<double> total_change;  // of the measure, in its unit
  if (plan.ratio) {
    if (total_before[1] != 0) {
      result.before_rate = plan.scale * static_cast<double>(total_before[0]) /
                           static_cast<double>(total_before[1]);
    }
    if (total_after[1] != 0) {
      result.after_rate = plan.scale * static_cast<double>(total_after[0]) /
                          static_cast<double>(total_after[1]);
    }
    if (result.before_rate && result.after_rate) total_change = *result.after_rate - *result.before_rate;
  } else {
    result.before = total_before[0];
    result.after = total_after[0];
    std::int64_t change = 0;
    if (__builtin_sub_overflow(result.after, result.before, &change)) return Error("the change overflows");
    total_change = static_cast<double>(change);
  }
  const bool moved = total_change && *total_change != 0;

  // The localiser's root causes and the cuboids' sums are independent: with
  // two threads or more they are made side by side.
  const std::vector<std::vector<int>> cuboids = CuboidDims(nd, max_depth);
  std::vector<Cuboid> built(cuboids.size());
  std::vector<std::vector<Id>> causes;
  absl::Status causes_status, cuboids_status;
  const auto find_causes = [&]() -> absl::Status {
    if (!plan.ratio && moved) {
      SALESIGHT_ASSIGN_OR_RETURN(causes, RootCauses(cells, max_depth));
    }
    return absl::OkStatus();
  };
  const auto build_cuboids = [&]() -> absl::Status {
    // Each cuboid's elements per leaf, kept while a deeper cuboid may extend
    // it (cuboids come by size, so its prefix is always built first).
    std::map<std::vector<int>, insights::internal::LeafElements> elements;
    for (std::size_t k = 0; k < cuboids.size(); ++k) {
      const std::vector<int>& dims_k = cuboids[k];
      if (plan.distinct) {
        SALESIGHT_ASSIGN_OR_RETURN(built[k], insights::internal::CuboidFromQueries(
                                                 data, plan, ranges, cells, dims_k, o.num_threads));
        continue;
      }
      const std::vector<int> prefix(dims_k.begin(), dims_k.end() - 1);
      const auto found = elements.find(prefix);
      insights::internal::LeafElements* keep =
          static_cast<int>(dims_k.size()) < max_depth ? &elements[dims_k] : nullptr;
      SALESIGHT_ASSIGN_OR_RETURN(
          built[k], insights::internal::CuboidFromCells(
                        cells, dims_k, found != elements.end() ? &found->second : nullptr, keep));
    }
    return absl::OkStatus();
  };
  const std::size_t threads = internal::ResolveThreads(o.num_threads, 2);
  internal::RunOnThreads(threads, [&](std::size_t t) {
    if (threads == 1 || t == 1) causes_status = find_causes();
    if (threads == 1 || t == 0) cuboids_status = build_cuboids();
  });
  SALESIGHT_RETURN_IF_ERROR(causes_status);
  SALESIGHT_RETURN_IF_ERROR(cuboids_status);

  std::vector<Candidate> candidates;
  for (std::size_t k = 0; k < cuboids.size(); ++k) {
    const Cuboid& cub = built[k];
    std::vector<std::vector<double>> p(nc), q(nc);
    for (std::size_t c = 0; c < nc; ++c) {
      p[c] = AbsShares(cub.before[c]);
      q[c] = AbsShares(cub.after[c]);
    }
    for (std::size_t e = 0; e < cub.size(); ++e) {
      DriverRow row;
      bool changed = false;
      for (std::size_t c = 0; c < nc; ++c) changed = changed || cub.before[c][e] != cub.after[c][e];
      for (std::size_t c = 0; c < nc; ++c) row.surprise += JsDivergence(p[c][e], q[c][e]);
      if (plan.ratio) {
        const double n0 = static_cast<double>(cub.before[0][e]), d0 = static_cast<double>(cub.before[1][e]);
        const double n1 = static_cast<double>(cub.after[0][e]), d1 = static_cast<double>(cub.after[1][e]);
        if (d0 == 0 && d1 == 0) continue;  // no rate on either side
        row.has_before_rate = d0 != 0;
        row.has_after_rate = d1 != 0;
        double r0 = d0 != 0 ? plan.scale * n0 / d0 : 0, r1 = d1 != 0 ? plan.scale * n1 / d1 : 0;
        if (d0 == 0) r0 = r1;  // absent before: its weight 0 carries no rate
        if (d1 == 0) r1 = r0;
        row.before_rate = r0;
        row.after_rate = r1;
        if (total_change) {
          const double w0 = d0 / static_cast<double>(total_before[1]);
          const double w1 = d1 / static_cast<double>(total_after[1]);
          const double mid_total = 0.5 * (*result.before_rate + *result.after_rate);
          row.mix = (w1 - w0) * (0.5 * (r0 + r1) - mid_total);
          row.rate = 0.5 * (w0 + w1) * (r1 - r0);
          row.effect = row.mix + row.rate;
          changed = changed || row.effect != 0;
        }
      } else {
        row.before = cub.before[0][e];
        row.after = cub.after[0][e];
        std::int64_t change = 0;
        if (__builtin_sub_overflow(row.after, row.before, &change)) return Error("a change overflows");
        row.effect = static_cast<double>(change);
      }
      if (!changed) continue;
      if (moved) row.share = row.effect / *total_change;
      int cause_order = -1;
      for (std::size_t c = 0; c < causes.size(); ++c) {
        if (IsElement(causes[c], cub, e)) cause_order = static_cast<int>(c);
      }
      // A root cause moving against the total (RiskLoc looks for anomalies
      // either way) explains none of this change: an ordinary candidate.
      if (moved && *row.share < o.min_share) {
        if (cause_order >= 0 && *row.share <= 0) cause_order = -1;
        if (cause_order < 0) continue;
      }
      row.root_cause = cause_order >= 0;
      // The element's members as a full vector (kNoId = not fixed): kept rows only.
      std::vector<Id> full(static_cast<std::size_t>(nd), kNoId);
      for (std::size_t i = 0; i < cub.dims.size(); ++i) {
        full[static_cast<std::size_t>(cub.dims[i])] = cub.member(e, i);
      }
      row.depth = static_cast<int>(cub.dims.size());
      row.members.assign(static_cast<std::size_t>(nd), "");
      std::vector<std::string> parts;
      for (std::size_t i = 0; i < cub.dims.size(); ++i) {
        const auto d = static_cast<std::size_t>(cub.dims[i]);
        row.members[d] = std::string(cells.members[d].Code(cub.member(e, i)));
        parts.push_back(absl::StrCat(dims[d], "=", row.members[d]));
      }
      row.combination = absl::StrJoin(parts, "&");
      candidates.push_back({std::move(row), std::move(full), k, e, cause_order});
    }
  }
  std::sort(candidates.begin(), candidates.end(), [](const Candidate& a, const Candidate& b) {
    const bool ca = a.cause_order >= 0, cb = b.cause_order >= 0;
    if (ca != cb) return ca;
    if (ca) return a.cause_order < b.cause_order;
    if (a.row.surprise != b.row.surprise) return a.row.surprise > b.row.surprise;
    const double sa = a.row.share.value_or(0), sb = b.row.share.value_or(0);
    if (sa != sb) return sa > sb;
    if (a.row.depth != b.row.depth) return a.row.depth < b.row.depth;
    if (a.cuboid != b.cuboid) return a.cuboid < b.cuboid;
    return a.element < b.element;
  });
  if (moved) DemoteRepeats(candidates, std::max(o.min_share, 0.0) * std::fabs(*total_change));
  const std::size_t keep = std::min(candidates.size(), static_cast<std::size_t>(std::max(o.top, 0)));
  for (std::size_t i = 0; i < keep; ++i) result.rows.push_back(std::move(candidates[i].row));
  result.sentence = insights::internal::DriversSentence(result, o);
  return result;
}

}  // namespace salesight
