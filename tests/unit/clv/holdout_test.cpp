// Calibration/holdout on CDNOW: weeks 1-39 calibrate, weeks 40-78 hold out.
// The split against a plain set-based count; the BG/NBD comparison's totals
// against a plain sum.
#include "salesight/clv/holdout.hpp"

#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <utility>

#include "gtest/gtest.h"
#include "clv/clv_test_util.hpp"
#include "salesight/clv/bgnbd.hpp"

namespace salesight::clv {
namespace {

TEST(Holdout, CdnowSplitMatchesAPlainCount) {
  const clv_test::Raw raw = clv_test::LoadCdnowSample();
  HoldoutOptions o;
  o.calibration_end = DayFromCivil(1997, 9, 30);
  absl::StatusOr<CalibrationHoldout> split = SplitCalibrationHoldout(raw.orders, o);
  ASSERT_TRUE(split.ok()) << split.status();
  ASSERT_EQ(split->calibration.customer.size(), 2357u);
  EXPECT_DOUBLE_EQ(split->holdout_length, 39.0);  // 273 days
  // Plain: distinct (customer, day) after the calibration end.
  std::set<std::pair<Id, Day>> holdout;
  for (const auto& [c, d] : raw.lines) {
    if (d > o.calibration_end) holdout.insert({c, d});
  }
  double total = 0;
  for (double h : split->holdout_frequency) total += h;
  EXPECT_EQ(total, static_cast<double>(holdout.size()));
  EXPECT_EQ(split->cumulative.back(), total);
  // Week 1 of the holdout: 1997-10-01..1997-10-07.
  double week1 = 0;
  for (const auto& [c, d] : holdout) week1 += d <= o.calibration_end + 7 ? 1 : 0;
  EXPECT_EQ(split->cumulative.front(), week1);

  const BgNbdParams p{0.2425929, 4.4135319, 0.7928861, 2.4257532};
  auto expected = [&](double t, double x, double tx, double T) {
    return BgNbdConditionalExpectedPurchases(p, t, x, tx, T);
  };
  absl::StatusOr<HoldoutComparison> cmp = CompareHoldout(*split, expected);
  ASSERT_TRUE(cmp.ok()) << cmp.status();
  EXPECT_EQ(cmp->actual_total, total);
  double predicted = 0;
  const BtydSummary& s = split->calibration;
  for (std::size_t i = 0; i < s.customer.size(); ++i) {
    predicted += *BgNbdConditionalExpectedPurchases(p, 39, s.frequency[i], s.recency[i], s.T[i]);
  }
  EXPECT_NEAR(cmp->predicted_total, predicted, 1e-8);
  double customers = 0;
  for (const HoldoutBucket& b : cmp->by_frequency) customers += b.customers;
  EXPECT_EQ(customers, 2357.0);
  EXPECT_EQ(cmp->cumulative_predicted.size(), 39u);
  EXPECT_NEAR(cmp->cumulative_predicted.back(), predicted, 1e-8);
  std::printf("CDNOW holdout weeks 40-78: actual %.0f, BG/NBD %.1f\n", cmp->actual_total,
              cmp->predicted_total);
}

TEST(Holdout, HoldoutEndMustFollowCalibration) {
  const clv_test::Raw raw = clv_test::LoadCdnowSample();
  HoldoutOptions o;
  o.calibration_end = DayFromCivil(1997, 9, 30);
  o.holdout_end = DayFromCivil(1997, 9, 1);
  EXPECT_FALSE(SplitCalibrationHoldout(raw.orders, o).ok());
}

}  // namespace
}  // namespace salesight::clv
