// Leaderboard internals shared by the whole run (ComputeLeaderboard) and the
// partial state (partial.cpp): the checks and resolved dates, the options of
// the margin, funnel and collection passes, the scan of the order lines and
// targets, and the assembly of the ranked rows - one definition each, so a
// merged partial finishes exactly as the whole run.
#pragma once

#include <cstddef>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "salesight/leaderboard.hpp"

namespace salesight::leaderboard_internal {

struct Plan {
  Day as_of = kNoDate;
  Day lo = kMinDay, hi = kMaxDay;  // the period, inclusive
  int money_scale = kDefaultMoneyScale;
  bool has_cost = false;  // margin is computed
};

// Checks the dataset and options (period, as_of, salesperson columns, money
// scales, target level); as_of defaults to `to`, else `default_as_of`.
absl::StatusOr<Plan> MakePlan(const Dataset& data, const LeaderboardOptions& options,
                              Day default_as_of);

// The as_of a finish uses: the option, else `to` (else none: no pipeline or
// invoices, so nothing reads it).
Day FinishAsOf(const LeaderboardOptions& options);

MarginOptions MarginOptionsOf(const LeaderboardOptions& options);
FunnelOptions FunnelOptionsOf(const LeaderboardOptions& options, Day as_of);
CollectionOptions CollectionOptionsOf(const LeaderboardOptions& options, Day as_of);

// Revenue and (salesperson, order) pairs of the order lines [ob, oe) in the
// period, targets of the target rows [tb, te) in its months.
struct Own {
  std::vector<LeaderboardSums> sums;                // ascending by salesperson
  std::vector<std::pair<Id, std::int64_t>> orders;  // distinct, ascending
};
absl::StatusOr<Own> ScanOwn(const Dataset& data, const Plan& plan,
                            const LeaderboardOptions& options, std::size_t ob, std::size_t oe,
                            std::size_t tb, std::size_t te);

// The rows: present salespeople (own sums, won or lost deals, invoices due),
// ranked; margin / funnel / collection null when not computed.
LeaderboardResult Assemble(const Own& own, const MarginResult* margin, const FunnelResult* funnel,
                           const CollectionResult* collection, const LeaderboardOptions& options,
                           int money_scale, DictionaryPtr salesperson_codes);

}  // namespace salesight::leaderboard_internal
