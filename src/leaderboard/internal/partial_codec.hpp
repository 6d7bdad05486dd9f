// The body of a serialized leaderboard partial (the envelope and options:
// core/internal/aggregator_kind.hpp): the own sums, the order pairs, then
// margin's, funnel's and collection's partials nested in their own formats.
// Reading checks every count, order and nested state.
#pragma once

#include "absl/status/status.h"
#include "core/internal/byte_io.hpp"
#include "salesight/leaderboard.hpp"

namespace salesight::leaderboard_internal {

void WritePartial(const LeaderboardPartial& p, byte_io::Writer& w);
absl::Status ReadPartial(byte_io::Reader& r, LeaderboardPartial* p);

}  // namespace salesight::leaderboard_internal
