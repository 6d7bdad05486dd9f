// The parts of the drivers calculator (salesight/insights/drivers.hpp), one
// job per file: the two date ranges (drivers_ranges.cpp), the measure's
// component sums per leaf and per cuboid (drivers_cells.cpp), the elements'
// scores and the ranking (drivers.cpp), the sentence (drivers_wording.cpp).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "salesight/dataset.hpp"
#include "salesight/dictionary.hpp"
#include "salesight/insights/drivers.hpp"
#include "salesight/query/measures.hpp"

namespace salesight::insights::internal {

struct DriverRanges {
  Day before_from = kNoDate, before_to = kNoDate, after_from = kNoDate, after_to = kNoDate;
  std::string before_label, after_label;
  bool target = false;  // before = the target over the after range
};

absl::StatusOr<DriverRanges> ResolveDriverRanges(const Dataset& data, const DriversOptions& options);

// What is summed: an additive measure is one component; a ratio N / D is two
// (the numerator's measures summed, the denominator's).
struct MeasurePlan {
  const QueryMeasure* measure = nullptr;
  bool ratio = false;
  bool distinct = false;  // a distinct count: queried per cuboid
  double scale = 1;       // 100 for a percent ratio
  std::vector<std::string> numerator, denominator;  // query measure names
};

absl::StatusOr<MeasurePlan> PlanMeasure(const DriversOptions& options);

// The measure's components per leaf (the finest combination of the dims).
struct Cells {
  std::vector<std::string> dims;
  std::vector<Dictionary> members;          // per dim, canonical order
  std::vector<std::vector<Id>> codes;       // [dim][leaf]
  // [component][leaf]: component 0 = the measure (additive) or numerator, 1 = denominator.
  std::vector<std::vector<std::int64_t>> before, after;
  int money_scale = 2;
  std::size_t num_leaves() const { return codes.empty() ? 0 : codes[0].size(); }
};

absl::StatusOr<Cells> GatherCells(const Dataset& data, const MeasurePlan& plan,
                                  const DriverRanges& ranges, const std::vector<std::string>& dims,
                                  int num_threads);

// The elements of one cuboid (a set of dim positions, ascending): each
// element's member id per dim of the cuboid and its component sums.
struct Cuboid {
  std::vector<int> dims;
  // Flat, element-major: member(e, i) for dims[i] (one allocation per cuboid).
  std::vector<Id> members;
  std::vector<std::vector<std::int64_t>> before, after;  // [component][element]
  std::size_t count = 0;
  std::size_t size() const { return count; }
  Id member(std::size_t e, std::size_t i) const { return members[e * dims.size() + i]; }
};

// A cuboid's element of every leaf (dense ids in key order), kept so that a
// cuboid one dimension deeper extends it instead of starting over.
struct LeafElements {
  std::vector<std::int32_t> ids;  // per leaf
  std::int32_t count = 1;
};

// From the leaves (additive components): exact sums, overflow an error.
// `prefix`: the elements of dims without its last one (null: from the first
// dim); `elements`: if not null, receives this cuboid's.
absl::StatusOr<Cuboid> CuboidFromCells(const Cells& cells, std::vector<int> dims,
                                       const LeafElements* prefix = nullptr,
                                       LeafElements* elements = nullptr);
// From queries grouped by the cuboid's dims (distinct counts).
absl::StatusOr<Cuboid> CuboidFromQueries(const Dataset& data, const MeasurePlan& plan,
                                         const DriverRanges& ranges, const Cells& cells,
                                         std::vector<int> dims, int num_threads);

// The summary sentence (en | zh) of a finished result.
std::string DriversSentence(const DriversResult& result, const DriversOptions& options);

}  // namespace salesight::insights::internal
