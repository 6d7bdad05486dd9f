// The drivers' numbers (salesight/insights/drivers.hpp): the measure's
// component sums per leaf, from two queries of the query engine, and per
// cuboid (summed from the leaves, or queried for a distinct count).
#include <algorithm>
#include <map>
#include <numeric>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "core/internal/parallel.hpp"
#include "insights/internal/dense_ids.hpp"
#include "insights/internal/drivers.hpp"
#include "salesight/money.hpp"
#include "salesight/query/run.hpp"
#include "salesight/status_macros.hpp"

namespace salesight::insights::internal {
namespace {

absl::Status Error(const std::string& message) {
  return absl::InvalidArgumentError(absl::StrCat("drivers: ", message));
}

absl::StatusOr<QueryResult> Query(const Dataset& data, const std::vector<std::string>& measures,
                                  const std::vector<std::string>& dims, const std::string& date,
                                  Day from, Day to, int num_threads) {
  QuerySpec spec;
  spec.measures = measures;
  spec.dimensions = dims;
  QueryTime time;
  time.dimension = date;
  time.from = from;
  time.to = to;
  spec.time = time;
  QueryRunOptions run;
  run.num_threads = num_threads;
  return RunQuery(data, spec, run);
}

// The per-row component sums of a query result: the named measures' columns
// added up (exact, checked).
absl::StatusOr<std::vector<std::int64_t>> ComponentSums(const ResultTable& table,
                                                         const std::vector<std::string>& names,
                                                         int* money_scale) {
  std::vector<std::int64_t> out(table.num_rows(), 0);
  for (const std::string& name : names) {
    const ResultColumn* col = table.Find(name);
    if (col == nullptr) return absl::InternalError(absl::StrCat("drivers: no column '", name, "'"));
    if (col->type != ResultType::kMoney && col->type != ResultType::kInt64) {
      return Error(absl::StrCat("measure '", name, "' is not an exact sum (money or a count)"));
    }
    if (col->type == ResultType::kMoney) *money_scale = col->money_scale;
    for (std::size_t i = 0; i < out.size(); ++i) {
      const std::int64_t v = col->is_null(i) ? 0 : col->ints[i];
      if (!AddMoney(out[i], v, &out[i])) {
        return Error(absl::StrCat("the sum of '", name, "' overflows"));
      }
    }
  }
  return out;
}

// Per row of `col`: its label's id in `dict`, interned first seen (canonical
// order later); an encoded column's labels are looked up once per code.
absl::StatusOr<std::vector<Id>> InternColumn(const ResultColumn& col, Dictionary& dict) {
  std::vector<Id> out(col.size());
  absl::flat_hash_map<std::int32_t, Id> seen;
  for (std::size_t i = 0; i < out.size(); ++i) {
    if (col.encoded) {
      if (auto it = seen.find(col.codes[i]); it != seen.end()) {
        out[i] = it->second;
        continue;
      }
    }
    SALESIGHT_ASSIGN_OR_RETURN(out[i], dict.Intern(col.StringAt(i)));
    if (col.encoded) seen.emplace(col.codes[i], out[i]);
  }
  return out;
}

// Mixed-radix key of a member tuple, or false when it does not fit 62 bits.
bool Radix(const std::vector<std::int32_t>& cardinalities, std::vector<std::uint64_t>* weights) {
  weights->assign(cardinalities.size(), 1);
  std::uint64_t w = 1;
  for (std::size_t d = cardinalities.size(); d-- > 0;) {
    (*weights)[d] = w;
    if (__builtin_mul_overflow(w, static_cast<std::uint64_t>(std::max(cardinalities[d], 1)), &w) ||
        w > (std::uint64_t{1} << 62)) {
      return false;
    }
  }
  return true;
}

}  // namespace

absl::StatusOr<MeasurePlan> PlanMeasure(const DriversOptions& options) {
  MeasurePlan plan;
  SALESIGHT_ASSIGN_OR_RETURN(plan.measure, FindQueryMeasure(options.measure));
  const QueryMeasure& m = *plan.measure;
  if (options.compare == DriversCompare::kTarget && m.name != "revenue") {
    return Error(absl::StrCat("compare target needs measure revenue (targets are revenue), not '",
                              std::string(m.name), "'"));
  }
  if (m.table == TableKind::kTargets) {
    return Error(absl::StrCat("measure '", std::string(m.name), "' reads the targets: use compare target"));
  }
  switch (m.aggregation) {
    case MeasureAggregation::kSnapshot:
      return Error(absl::StrCat("measure '", std::string(m.name),
                                "' is a value as of a day, not a change over a period"));
    case MeasureAggregation::kDistinct:
      plan.distinct = true;
      [[fallthrough]];
    case MeasureAggregation::kSum:
      plan.numerator = {std::string(m.name)};
      return plan;
    case MeasureAggregation::kRatio:
      break;
  }
  plan.ratio = true;
  if (m.scale == RatioScale::kDaysInPeriod) {
    return Error(absl::StrCat("measure '", std::string(m.name), "' is not a ratio of two sums"));
  }
  plan.scale = m.scale == RatioScale::kHundred ? 100.0 : 1.0;
  for (int side = 0; side < 2; ++side) {
    const std::vector<std::string_view>& from = side == 0 ? m.numerator : m.denominator;
    std::vector<std::string>* to = side == 0 ? &plan.numerator : &plan.denominator;
    for (std::string_view part : from) {
      SALESIGHT_ASSIGN_OR_RETURN(const QueryMeasure* p, FindQueryMeasure(part));
      if (p->aggregation != MeasureAggregation::kSum) {
        return Error(absl::StrCat("measure '", std::string(m.name), "': its part '", std::string(part),
                                  "' does not add up over combinations"));
      }
      to->emplace_back(part);
    }
  }
  return plan;
}

absl::StatusOr<Cells> GatherCells(const Dataset& data, const MeasurePlan& plan,
                                  const DriverRanges& ranges, const std::vector<std::string>& dims,
                                  int num_threads) {
  const std::string date(plan.measure->date);
  std::vector<std::string> measures = plan.numerator;
  measures.insert(measures.end(), plan.denominator.begin(), plan.denominator.end());
  // compare target: before = the measure "target" over the same range, placed by its own date.
  std::vector<std::string> before_measures = measures;
  std::string before_date = date;
  if (ranges.target) {
    SALESIGHT_ASSIGN_OR_RETURN(const QueryMeasure* target, FindQueryMeasure("target"));
    before_measures = {std::string(target->name)};
    before_date = std::string(target->date);
  }
  // The two sides' queries: side by side from two threads (each then on
  // half of them: a query's ordering and finish are serial, its scan short).
  const std::size_t threads = salesight::internal::ResolveThreads(num_threads, 2);
  const int per_query = threads == 1 ? num_threads : std::max(1, static_cast<int>(
                                                            salesight::internal::ResolveThreads(num_threads, 1024) / 2));
  absl::StatusOr<QueryResult> sides_run[2] = {absl::UnknownError(""), absl::UnknownError("")};
  salesight::internal::RunOnThreads(threads, [&](std::size_t t) {
    if (threads == 1 || t == 1) {
      sides_run[0] = Query(data, before_measures, dims, before_date, ranges.before_from, ranges.before_to,
                           per_query);
    }
    if (threads == 1 || t == 0) {
      sides_run[1] = Query(data, measures, dims, date, ranges.after_from, ranges.after_to, per_query);
    }
  });
  SALESIGHT_ASSIGN_OR_RETURN(QueryResult before, std::move(sides_run[0]));
  SALESIGHT_ASSIGN_OR_RETURN(QueryResult after, std::move(sides_run[1]));
  Cells cells;
  cells.dims = dims;
  const std::size_t nd = dims.size();
  // Components per side: [0] numerator or the measure, [1] denominator.
  std::vector<std::vector<std::int64_t>> side_values[2];
  const QueryResult* sides[2] = {&before, &after};
  for (int s = 0; s < 2; ++s) {
    const std::vector<std::string>& num = s == 0 && ranges.target ? before_measures : plan.numerator;
    SALESIGHT_ASSIGN_OR_RETURN(std::vector<std::int64_t> n,
                               ComponentSums(sides[s]->table, num, &cells.money_scale));
    side_values[s].push_back(std::move(n));
    if (plan.ratio) {
      SALESIGHT_ASSIGN_OR_RETURN(std::vector<std::int64_t> d,
                                 ComponentSums(sides[s]->table, plan.denominator, &cells.money_scale));
      side_values[s].push_back(std::move(d));
    }
  }
  // Members: the union of both sides' labels per dim, in canonical order.
  std::vector<Dictionary> dicts(nd);
  std::vector<std::vector<Id>> side_ids[2];
  for (int s = 0; s < 2; ++s) {
    for (std::size_t d = 0; d < nd; ++d) {
      const ResultColumn* col = sides[s]->table.Find(dims[d]);
      if (col == nullptr) return absl::InternalError("drivers: a dimension column is missing");
      SALESIGHT_ASSIGN_OR_RETURN(std::vector<Id> ids, InternColumn(*col, dicts[d]));
      side_ids[s].push_back(std::move(ids));
    }
  }
  std::vector<std::int32_t> cardinalities(nd);
  std::vector<std::vector<Id>> remap(nd);
  for (std::size_t d = 0; d < nd; ++d) {
    Dictionary& dict = dicts[d];
    remap[d] = CanonicalOrder(dict);
    dict.Reorder(remap[d]);
    cardinalities[d] = dict.size();
    cells.members.push_back(std::move(dict));
  }
  std::vector<std::uint64_t> weights;
  if (!Radix(cardinalities, &weights)) return Error("too many combinations of the dims' members");
  // Leaves keyed by their member tuple; sorted by key = canonical order.
  std::vector<std::uint64_t> row_keys[2];
  for (int s = 0; s < 2; ++s) {
    const std::size_t rows = sides[s]->table.num_rows();
    row_keys[s].resize(rows);
    for (std::size_t r = 0; r < rows; ++r) {
      std::uint64_t key = 0;
      for (std::size_t d = 0; d < nd; ++d) {
        key += weights[d] * static_cast<std::uint64_t>(remap[d][static_cast<std::size_t>(side_ids[s][d][r])]);
      }
      row_keys[s][r] = key;
    }
  }
  // The leaves: the merge of the two sides' keys, each side in key order (the
  // query's canonical row order already is, nearly always; else sorted here).
  std::vector<std::size_t> by_key[2];
  for (int s = 0; s < 2; ++s) {
    const std::vector<std::uint64_t>& k = row_keys[s];
    by_key[s].resize(k.size());
    std::iota(by_key[s].begin(), by_key[s].end(), std::size_t{0});
    if (!std::is_sorted(k.begin(), k.end())) {
      std::stable_sort(by_key[s].begin(), by_key[s].end(), [&](std::size_t x, std::size_t y) { return k[x] < k[y]; });
    }
  }
  std::vector<std::uint64_t> keys;
  std::vector<std::size_t> row_leaf[2] = {std::vector<std::size_t>(row_keys[0].size()),
                                          std::vector<std::size_t>(row_keys[1].size())};
  const std::vector<std::size_t>& ra = by_key[0];
  const std::vector<std::size_t>& rb = by_key[1];
  const std::vector<std::uint64_t>& a = row_keys[0];
  const std::vector<std::uint64_t>& b = row_keys[1];
  for (std::size_t i = 0, j = 0; i < ra.size() || j < rb.size();) {
    const std::uint64_t k = j == rb.size() || (i < ra.size() && a[ra[i]] <= b[rb[j]]) ? a[ra[i]] : b[rb[j]];
    if (keys.empty() || keys.back() != k) keys.push_back(k);
    if (i < ra.size() && a[ra[i]] == k) row_leaf[0][ra[i++]] = keys.size() - 1;
    if (j < rb.size() && b[rb[j]] == k) row_leaf[1][rb[j++]] = keys.size() - 1;
  }
  const std::size_t n = keys.size();
  cells.codes.assign(nd, std::vector<Id>(n));
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t d = 0; d < nd; ++d) {
      cells.codes[d][i] = static_cast<Id>((keys[i] / weights[d]) %
                                          static_cast<std::uint64_t>(std::max(cardinalities[d], 1)));
    }
  }
  const std::size_t nc = plan.ratio ? 2 : 1;
  cells.before.assign(nc, std::vector<std::int64_t>(n, 0));
  cells.after.assign(nc, std::vector<std::int64_t>(n, 0));
  for (int s = 0; s < 2; ++s) {
    auto& out = s == 0 ? cells.before : cells.after;
    for (std::size_t r = 0; r < row_keys[s].size(); ++r) {
      const std::size_t leaf = row_leaf[s][r];
      for (std::size_t c = 0; c < nc; ++c) out[c][leaf] = side_values[s][c][r];
    }
  }
  return cells;
}

absl::StatusOr<Cuboid> CuboidFromCells(const Cells& cells, std::vector<int> dims,
                                       const LeafElements* prefix, LeafElements* elements) {
  Cuboid cub;
  cub.dims = std::move(dims);
  const std::size_t n = cells.num_leaves();
  std::vector<std::int32_t> ids, parent, scratch;
  std::vector<std::uint32_t> rep;
  std::vector<std::uint64_t> keys;
  std::int32_t count = 1;
  const std::vector<std::int32_t>* from = nullptr;  // the previous level's ids
  std::size_t first = 0;
  if (prefix != nullptr && cub.dims.size() >= 2) {
    from = &prefix->ids;
    count = prefix->count;
    first = cub.dims.size() - 1;
  }
  for (std::size_t i = first; i < cub.dims.size(); ++i) {
    const auto d = static_cast<std::size_t>(cub.dims[i]);
    rep.clear();
    count = ExtendIds(from, count, cells.codes[d], cells.members[d].size(), &ids, &rep, &keys, &scratch);
    parent.swap(ids);
    from = &parent;
  }
  if (elements != nullptr) {
    elements->ids = parent;
    elements->count = count;
  }
  // parent holds each leaf's element id; rep one leaf of each element.
  const auto ne = static_cast<std::size_t>(count);
  cub.count = ne;
  cub.members.reserve(ne * cub.dims.size());
  for (std::size_t e = 0; e < ne; ++e) {
    for (int d : cub.dims) cub.members.push_back(cells.codes[static_cast<std::size_t>(d)][rep[e]]);
  }
  const std::size_t nc = cells.before.size();
  cub.before.assign(nc, std::vector<std::int64_t>(ne, 0));
  cub.after.assign(nc, std::vector<std::int64_t>(ne, 0));
  for (std::size_t c = 0; c < nc; ++c) {
    for (std::size_t leaf = 0; leaf < n; ++leaf) {
      const auto e = static_cast<std::size_t>(parent[leaf]);
      if (!AddMoney(cub.before[c][e], cells.before[c][leaf], &cub.before[c][e]) ||
          !AddMoney(cub.after[c][e], cells.after[c][leaf], &cub.after[c][e])) {
        return Error("a combination's sum overflows");
      }
    }
  }
  return cub;
}

absl::StatusOr<Cuboid> CuboidFromQueries(const Dataset& data, const MeasurePlan& plan,
                                         const DriverRanges& ranges, const Cells& cells,
                                         std::vector<int> dims, int num_threads) {
  Cuboid cub;
  cub.dims = std::move(dims);
  std::vector<std::string> names;
  std::vector<std::int32_t> cardinalities;
  for (int d : cub.dims) {
    names.push_back(cells.dims[static_cast<std::size_t>(d)]);
    cardinalities.push_back(cells.members[static_cast<std::size_t>(d)].size());
  }
  std::vector<std::uint64_t> weights;
  if (!Radix(cardinalities, &weights)) return Error("too many combinations of the dims' members");
  const std::string date(plan.measure->date);
  std::map<std::uint64_t, std::pair<std::int64_t, std::int64_t>> values;  // per cuboid, small
  for (int s = 0; s < 2; ++s) {
    SALESIGHT_ASSIGN_OR_RETURN(
        QueryResult q, Query(data, plan.numerator, names, date,
                             s == 0 ? ranges.before_from : ranges.after_from,
                             s == 0 ? ranges.before_to : ranges.after_to, num_threads));
    int scale = cells.money_scale;
    SALESIGHT_ASSIGN_OR_RETURN(std::vector<std::int64_t> v,
                               ComponentSums(q.table, plan.numerator, &scale));
    for (std::size_t r = 0; r < q.table.num_rows(); ++r) {
      std::uint64_t key = 0;
      for (std::size_t i = 0; i < names.size(); ++i) {
        const std::string label = q.table.Find(names[i])->StringAt(r);
        const Id id = cells.members[static_cast<std::size_t>(cub.dims[i])].Find(label);
        if (id == kNoId) return absl::InternalError("drivers: a member the leaves do not have");
        key += weights[i] * static_cast<std::uint64_t>(id);
      }
      (s == 0 ? values[key].first : values[key].second) = v[r];
    }
  }
  cub.before.assign(1, {});
  cub.after.assign(1, {});
  for (const auto& [key, ba] : values) {
    for (std::size_t i = 0; i < names.size(); ++i) {
      cub.members.push_back(static_cast<Id>((key / weights[i]) %
                                            static_cast<std::uint64_t>(std::max(cardinalities[i], 1))));
    }
    ++cub.count;
    cub.before[0].push_back(ba.first);
    cub.after[0].push_back(ba.second);
  }
  return cub;
}

}  // namespace salesight::insights::internal
