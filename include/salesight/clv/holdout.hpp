// Model checking on a calibration/holdout split of the order lines (the
// data behind Fader, Hardie & Lee's holdout figures and tracking plots).
//
// Calibration: the BTYD summary (salesight/btyd.hpp) with observation_end =
// calibration_end; only customers whose first purchase is on or before
// calibration_end take part (as in lifetimes' calibration_and_holdout_data).
// Holdout: their purchases in (calibration_end, holdout_end], counted per
// period like the calibration (same-day lines merged for kDay), in the
// same time unit.
#pragma once

#include <functional>
#include <vector>

#include "absl/status/statusor.h"
#include "salesight/btyd.hpp"
#include "salesight/clv/fit.hpp"

namespace salesight::clv {

struct HoldoutOptions {
  Day calibration_end = kNoDate;  // inclusive, required
  Day holdout_end = kNoDate;      // inclusive; kNoDate = the latest order_date
  Grain period = GrainUnit::kDay;
  BtydTimeUnit unit = BtydTimeUnit::kWeeks;
  int num_threads = 1;
};

struct CalibrationHoldout {
  BtydSummary calibration;
  std::vector<double> holdout_frequency;  // purchases in the holdout, per calibration row
  double holdout_length = 0;              // (holdout_end - calibration_end) in the unit
  // cumulative[k]: holdout purchases of all calibration customers within
  // (k+1) units after calibration_end (the last entry covers the whole holdout).
  std::vector<double> cumulative;
};

absl::StatusOr<CalibrationHoldout> SplitCalibrationHoldout(const OrderLines& orders,
                                                           const HoldoutOptions& options);

// E[Y(t) | x, t_x, T] of a fitted model, e.g. a lambda over
// BgNbdConditionalExpectedPurchases.
using ConditionalExpectation =
    std::function<absl::StatusOr<double>(double t, double x, double t_x, double T)>;

struct HoldoutBucket {
  int frequency = 0;  // calibration x; the last bucket holds x >= this
  double customers = 0;
  double actual_mean = 0;     // holdout purchases per customer
  double predicted_mean = 0;  // E[Y(holdout_length) | ...] per customer
};

struct HoldoutComparison {
  double actual_total = 0;
  double predicted_total = 0;
  std::vector<HoldoutBucket> by_frequency;  // x = 0, 1, ..., max_bucket (= "max_bucket+")
  // Per unit k = 1..: cumulative actual vs the sum of E[Y(k)] over customers.
  std::vector<double> cumulative_actual, cumulative_predicted;
};

absl::StatusOr<HoldoutComparison> CompareHoldout(const CalibrationHoldout& split,
                                                 const ConditionalExpectation& expected,
                                                 int max_bucket = 7);

}  // namespace salesight::clv
