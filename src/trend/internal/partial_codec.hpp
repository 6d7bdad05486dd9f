// The body of a serialized trend partial (envelope and options:
// core/aggregator_kind.hpp): grouping, window, the four cell arrays, the
// first day of each (group, order) and the nested margin partial. Reading
// checks every count against the bytes left, the window against the date
// range and max_cells, and the invariants MergeTrend / FinishTrend rely on
// (cells = groups x days, orders ascending and inside the window, the margin
// grouping [group?, day]).
#pragma once

#include "absl/status/status.h"
#include "core/internal/byte_io.hpp"
#include "salesight/trend.hpp"

namespace salesight::trend_internal {

void WriteTrend(const TrendPartial& p, byte_io::Writer& w);
absl::Status ReadTrend(byte_io::Reader& r, TrendPartial* p);
// MergeTrend, refusing a merged window beyond the default max_cells (two
// partials far apart in time would otherwise ask for every day between).
absl::Status MergeTrendBounded(TrendPartial& into, const TrendPartial& from);

}  // namespace salesight::trend_internal
