// RunClv (what `salesight clv` runs): the same fit as the models called
// directly, the columns per model, the time units, option errors.
#include "salesight/clv/run.hpp"

#include <cmath>
#include <string>

#include "absl/strings/str_format.h"

#include "clv/clv_test_util.hpp"
#include "gtest/gtest.h"
#include "salesight/clv.hpp"

namespace salesight::clv {
namespace {

const ResultColumn& Column(const ClvRunResult& r, const char* name) {
  const ResultColumn* c = r.customers.Find(name);
  EXPECT_NE(c, nullptr) << name;
  return *c;
}

TEST(ClvRun, BgNbdOnCdnowOrdersIsTheDirectFit) {
  const clv_test::Raw raw = clv_test::LoadCdnowSample();
  ClvRunOptions o;
  ASSERT_TRUE(SetClvOption(o, "calibration_end", "1997-09-30").ok());
  ASSERT_TRUE(SetClvOption(o, "horizon", "39").ok());
  absl::StatusOr<ClvRunResult> r = RunClv(raw.orders, o);
  ASSERT_TRUE(r.ok()) << r.status();
  BtydOptions bo;
  bo.observation_end = DayFromCivil(1997, 9, 30);
  bo.unit = BtydTimeUnit::kWeeks;
  const CustomerSummary s = FromBtydSummary(*ComputeBtydSummary(raw.orders, bo));
  const FitResult fit = *FitBgNbd(s);
  const BgNbdParams p = BgNbdFromFit(fit);
  EXPECT_NE(r->params_json.find(absl::StrFormat("\"r\": %.17g", p.r)), std::string::npos)
      << r->params_json;
  EXPECT_NE(r->params_json.find("\"status\": \"converged\""), std::string::npos);
  EXPECT_NE(r->params_json.find("\"spend_model\": {\"params\": {\"p\""), std::string::npos);
  ASSERT_EQ(r->customers.num_rows(), 2357u);
  // Customer 0001: x = 2, t_x = 30.43, T = 38.86 -> E[Y(39)] = 1.226.
  EXPECT_EQ(Column(*r, "customer").strings[0], "0");
  EXPECT_NEAR(Column(*r, "expected_purchases").doubles[0], 1.226, 0.0005);
  EXPECT_DOUBLE_EQ(Column(*r, "p_alive").doubles[0], *BgNbdProbabilityAlive(p, 2, s.recency[0], s.T[0]));
  EXPECT_GT(Column(*r, "clv").doubles[0], 0);
}

TEST(ClvRun, ModelsAndUnits) {
  const clv_test::Raw raw = clv_test::LoadCdnowSample();
  ClvRunOptions o;
  o.calibration_end = DayFromCivil(1997, 9, 30);
  o.model = "gamma-gamma";
  absl::StatusOr<ClvRunResult> gg = RunClv(raw.orders, o);
  ASSERT_TRUE(gg.ok()) << gg.status();
  EXPECT_EQ(gg->customers.Find("clv"), nullptr);
  EXPECT_NE(gg->customers.Find("expected_spend"), nullptr);
  o.model = "bgbb";
  absl::StatusOr<ClvRunResult> bb = RunClv(raw.orders, o);
  ASSERT_TRUE(bb.ok()) << bb.status();
  EXPECT_DOUBLE_EQ(Column(*bb, "T").doubles[0], 39.0);  // whole ISO weeks
  o.time_unit = "month";
  EXPECT_FALSE(RunClv(raw.orders, o).ok());
  o.model = "bgnbd";
  absl::StatusOr<ClvRunResult> months = RunClv(raw.orders, o);
  ASSERT_TRUE(months.ok()) << months.status();
  EXPECT_NEAR(Column(*months, "T").doubles[0], 272.0 * 12 / 365.25, 1e-12);  // 1997-01-01..09-30
  EXPECT_FALSE(SetClvOption(o, "model", "weibull").ok());
  EXPECT_FALSE(SetClvOption(o, "horizon", "0").ok());
  o.margin = NAN;
  EXPECT_FALSE(RunClv(raw.orders, o).ok());
}

}  // namespace
}  // namespace salesight::clv
