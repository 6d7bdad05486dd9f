#include "salesight/clv/holdout.hpp"

#include <algorithm>
#include <cmath>
#include <utility>

#include "absl/strings/str_cat.h"
#include "salesight/date.hpp"
#include "salesight/grain.hpp"

namespace salesight::clv {
namespace {

Day FirstDayOf(Day d, Grain g) { return PeriodStart(g, PeriodOf(g, d)); }

}  // namespace

absl::StatusOr<CalibrationHoldout> SplitCalibrationHoldout(const OrderLines& orders,
                                                           const HoldoutOptions& o) {
  if (o.calibration_end == kNoDate) {
    return absl::InvalidArgumentError("holdout split: calibration_end is required");
  }
  BtydOptions bo;
  bo.observation_end = o.calibration_end;
  bo.period = o.period;
  bo.unit = o.unit;
  bo.num_threads = o.num_threads;
  CalibrationHoldout out;
  absl::StatusOr<BtydSummary> cal = ComputeBtydSummary(orders, bo);
  if (!cal.ok()) return cal.status();
  out.calibration = *std::move(cal);
  const Day end = o.holdout_end == kNoDate ? orders.max_date() : o.holdout_end;
  if (end <= o.calibration_end) {
    return absl::InvalidArgumentError(absl::StrCat("holdout split: holdout_end ", FormatDate(end),
                                                   " is not after calibration_end ",
                                                   FormatDate(o.calibration_end)));
  }
  const double unit = o.unit == BtydTimeUnit::kWeeks ? 7.0 : 1.0;
  out.holdout_length = static_cast<double>(end - o.calibration_end) / unit;
  const Day cal_period = FirstDayOf(o.calibration_end, o.period);
  const Day end_period = FirstDayOf(end, o.period);
  // Row of each calibration customer.
  const OrderLinesColumns& c = orders.columns();
  std::vector<std::int32_t> row(static_cast<std::size_t>(orders.num_customers()), -1);
  for (std::size_t i = 0; i < out.calibration.customer.size(); ++i) {
    row[static_cast<std::size_t>(out.calibration.customer[i])] = static_cast<std::int32_t>(i);
  }
  // (row, period) of each holdout line, deduplicated: one purchase per period.
  std::vector<std::pair<std::int32_t, Day>> purchases;
  for (std::size_t i = 0; i < orders.size(); ++i) {
    const Day p = FirstDayOf(c.order_date[i], o.period);
    if (p <= cal_period || p > end_period) continue;
    const std::int32_t r = row[static_cast<std::size_t>(c.customer[i])];
    if (r >= 0) purchases.emplace_back(r, p);
  }
  std::sort(purchases.begin(), purchases.end());
  purchases.erase(std::unique(purchases.begin(), purchases.end()), purchases.end());
  out.holdout_frequency.assign(out.calibration.customer.size(), 0.0);
  out.cumulative.assign(static_cast<std::size_t>(std::ceil(out.holdout_length)), 0.0);
  for (const auto& [r, p] : purchases) {
    out.holdout_frequency[static_cast<std::size_t>(r)] += 1;
    // Unit k covers (k, k+1] units after calibration_end.
    const double after = static_cast<double>(p - o.calibration_end) / unit;
    const auto k = static_cast<std::size_t>(std::max(0.0, std::ceil(after) - 1));
    out.cumulative[std::min(k, out.cumulative.size() - 1)] += 1;
  }
  for (std::size_t k = 1; k < out.cumulative.size(); ++k) out.cumulative[k] += out.cumulative[k - 1];
  return out;
}

absl::StatusOr<HoldoutComparison> CompareHoldout(const CalibrationHoldout& split,
                                                 const ConditionalExpectation& expected,
                                                 int max_bucket) {
  if (max_bucket < 0) return absl::InvalidArgumentError("max_bucket must be >= 0");
  const BtydSummary& s = split.calibration;
  HoldoutComparison out;
  out.by_frequency.resize(static_cast<std::size_t>(max_bucket) + 1);
  for (int b = 0; b <= max_bucket; ++b) out.by_frequency[static_cast<std::size_t>(b)].frequency = b;
  const std::size_t steps = split.cumulative.size();
  out.cumulative_actual = split.cumulative;
  out.cumulative_predicted.assign(steps, 0.0);
  for (std::size_t i = 0; i < s.customer.size(); ++i) {
    const double x = s.frequency[i];
    absl::StatusOr<double> e = expected(split.holdout_length, x, s.recency[i], s.T[i]);
    if (!e.ok()) {
      return absl::Status(e.status().code(),
                          absl::StrCat("holdout: customer row ", i + 1, ": ", e.status().message()));
    }
    HoldoutBucket& b = out.by_frequency[static_cast<std::size_t>(std::min<double>(x, max_bucket))];
    b.customers += 1;
    b.actual_mean += split.holdout_frequency[i];
    b.predicted_mean += *e;
    out.actual_total += split.holdout_frequency[i];
    out.predicted_total += *e;
    for (std::size_t k = 0; k + 1 < steps; ++k) {
      absl::StatusOr<double> ek = expected(static_cast<double>(k + 1), x, s.recency[i], s.T[i]);
      if (!ek.ok()) return ek.status();
      out.cumulative_predicted[k] += *ek;
    }
    if (steps > 0) out.cumulative_predicted[steps - 1] += *e;
  }
  for (HoldoutBucket& b : out.by_frequency) {
    if (b.customers > 0) {
      b.actual_mean /= b.customers;
      b.predicted_mean /= b.customers;
    }
  }
  return out;
}

}  // namespace salesight::clv
