// The two factors of BG/NBD's conditional expectation, E[Y(t) | x, t_x, T]
// = E[Y(t) | alive, x, T] * P(alive | x, t_x, T): the first depends on
// (x, T, t) only, so batch predictions compute it once per distinct triple.
// No validation: callers have checked the parameters and the row.
#pragma once

#include "absl/status/statusor.h"
#include "salesight/clv/bgnbd.hpp"

namespace salesight::clv::internal {

absl::StatusOr<double> BgNbdAliveExpectedPurchases(const BgNbdParams& p, double t, double x,
                                                   double T);
double BgNbdAliveProbability(const BgNbdParams& p, double x, double t_x, double T);

}  // namespace salesight::clv::internal
