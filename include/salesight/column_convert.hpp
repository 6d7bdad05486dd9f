// Conversion kernels for foreign columns: what a caller holding pandas/numpy
// or Arrow arrays needs to build salesight columns (Column<Day>, Column<Id>)
// at memory speed. The C ABI's table builder (capi/table_builder.cpp) is
// built on them; C++ callers may use them the same way.
//
// Each kernel is one branch-free pass (AVX2 clones beside the baseline
// x86-64 ones) that also returns the range of what it wrote, so the caller
// can hand the range to Column::OwnWithRange and the table checks need not
// read the column again. Kernels run on any sub-span: split a column over
// threads and combine the parts' results with Merge.
#pragma once

#include <cstdint>
#include <limits>

#include "absl/types/span.h"

namespace salesight {

struct MinMax64 {
  std::int64_t min = std::numeric_limits<std::int64_t>::max();
  std::int64_t max = std::numeric_limits<std::int64_t>::min();
};

struct DayStats {
  std::int32_t min = std::numeric_limits<std::int32_t>::max();
  std::int32_t max = std::numeric_limits<std::int32_t>::min();
  std::int64_t nats = 0;
};

// Combines the results of two chunks (the default-constructed value is the
// result of an empty chunk).
MinMax64 Merge(MinMax64 a, MinMax64 b);
DayStats Merge(DayStats a, DayStats b);

// floor(ns / 86400e9): the day (since 1970-01-01) of a nanosecond timestamp,
// flooring toward minus infinity (1969-12-31T23:59:59 is day -1). Exact for
// every int64; the result is within [-106752, 106751], so it always fits in
// int32. The plain scalar definition.
std::int64_t FloorDaysOfNs(std::int64_t ns);

// out[i] = FloorDaysOfNs(ns[i]) for every i (out has ns.size() elements),
// except NaT (INT64_MIN, pandas' missing timestamp), which becomes kNoDate.
// Returns the min and max of the days of the non-NaT values (min > max when
// there are none) and the number of NaTs. The days are not range-checked:
// whether they are real dates (kMinDay..kMaxDay) is the caller's or the
// table's check.
DayStats TimestampNsToDays(absl::Span<const std::int64_t> ns, std::int32_t* out);

// out[i] = the low 32 bits of v[i] (= v[i] when it fits in int32); returns the
// min and max of v (the int64 values), so the caller knows whether all fit.
// An empty span gives min = INT64_MAX and max = INT64_MIN.
MinMax64 NarrowToInt32(absl::Span<const std::int64_t> v, std::int32_t* out);

}  // namespace salesight
