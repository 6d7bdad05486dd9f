// RFM's CLV columns and CLV-valued M (rfm.hpp "CLV columns"): the columns
// equal `salesight clv`'s (RunClv) for the same customers; value_measure clv
// scores M on CLV and leaves the monetary column alone; the errors.
#include <algorithm>
#include <cmath>
#include <map>
#include <random>
#include <vector>

#include "clv/clv_test_util.hpp"
#include "gtest/gtest.h"
#include "salesight/btyd.hpp"
#include "salesight/clv/run.hpp"
#include "salesight/rfm.hpp"

namespace salesight {
namespace {

RfmOptions ClvRfm(const char* model) {
  RfmOptions o;
  EXPECT_TRUE(SetRfmOption(o, "as_of", "1997-09-30").ok());
  EXPECT_TRUE(SetRfmOption(o, "clv_model", model).ok());
  EXPECT_TRUE(SetRfmOption(o, "clv_horizon", "26").ok());
  EXPECT_TRUE(SetRfmOption(o, "clv_discount", "0.002").ok());
  EXPECT_TRUE(SetRfmOption(o, "clv_margin", "0.3").ok());
  return o;
}

TEST(RfmClv, ColumnsAreTheClvCalculatorsForTheSameCustomers) {
  const clv_test::Raw raw = clv_test::LoadCdnowSample();
  absl::StatusOr<RfmResult> rfm = ComputeRfm(raw.orders, ClvRfm("bgnbd"));
  ASSERT_TRUE(rfm.ok()) << rfm.status();
  ASSERT_TRUE(rfm->has_clv);
  clv::ClvRunOptions run;
  run.calibration_end = DayFromCivil(1997, 9, 30);
  run.horizon = 26;
  run.discount = 0.002;
  run.margin = 0.3;
  absl::StatusOr<clv::ClvRunResult> want = clv::RunClv(raw.orders, run);
  ASSERT_TRUE(want.ok()) << want.status();
  // RunClv's rows are the BTYD summary's customers, ascending id.
  const BtydSummary btyd = *clv::ClvSummary(raw.orders, run);
  std::map<Id, std::size_t> row_of;
  for (std::size_t i = 0; i < btyd.customer.size(); ++i) row_of[btyd.customer[i]] = i;
  ASSERT_GT(rfm->customers.size(), 2000u);
  const ResultTable t = ToResultTable(*rfm);
  ASSERT_NE(t.Find("clv"), nullptr);
  for (std::size_t i = 0; i < rfm->customers.size(); ++i) {
    const std::size_t j = row_of.at(rfm->customers[i].customer);
    EXPECT_EQ(rfm->clv[i], want->customers.Find("clv")->doubles[j]) << i;
    EXPECT_EQ(rfm->p_alive[i], want->customers.Find("p_alive")->doubles[j]) << i;
    EXPECT_EQ(rfm->expected_purchases[i], want->customers.Find("expected_purchases")->doubles[j]);
    EXPECT_EQ(t.Find("clv")->doubles[i], rfm->clv[i]);
    EXPECT_TRUE(std::isfinite(rfm->clv[i]));
  }
}

TEST(RfmClv, ValueMeasureClvScoresMOnClv) {
  const clv_test::Raw raw = clv_test::LoadCdnowSample();
  RfmOptions o = ClvRfm("bgnbd");
  ASSERT_TRUE(SetRfmOption(o, "k", "3").ok());
  absl::StatusOr<RfmResult> plain = ComputeRfm(raw.orders, o);
  ASSERT_TRUE(SetRfmOption(o, "value_measure", "clv").ok());
  absl::StatusOr<RfmResult> by_clv = ComputeRfm(raw.orders, o);
  ASSERT_TRUE(plain.ok() && by_clv.ok()) << by_clv.status();
  ASSERT_EQ(plain->customers.size(), by_clv->customers.size());
  bool m_moved = false;
  for (std::size_t i = 0; i < plain->customers.size(); ++i) {
    // monetary, r and f are RFM's; the CLV columns do not depend on the measure.
    EXPECT_EQ(by_clv->customers[i].monetary, plain->customers[i].monetary);
    EXPECT_EQ(by_clv->scores[i].r, plain->scores[i].r);
    EXPECT_EQ(by_clv->scores[i].f, plain->scores[i].f);
    EXPECT_EQ(by_clv->clv[i], plain->clv[i]);
    m_moved |= by_clv->scores[i].m != plain->scores[i].m;
  }
  EXPECT_TRUE(m_moved);
  // Quantile scores: a higher CLV (in cents) never has a lower m; the
  // thresholds are CLV amounts in minor units.
  std::vector<std::size_t> order(by_clv->customers.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(),
            [&](std::size_t a, std::size_t b) { return by_clv->clv[a] < by_clv->clv[b]; });
  for (std::size_t k = 1; k < order.size(); ++k) {
    EXPECT_LE(by_clv->scores[order[k - 1]].m, by_clv->scores[order[k]].m);
  }
  ASSERT_EQ(by_clv->monetary_above.size(), 2u);
  for (std::size_t i = 0; i < order.size(); ++i) {
    const auto cents = static_cast<std::int64_t>(std::round(by_clv->clv[i] * 100));
    const int m = 1 + (cents > by_clv->monetary_above[0]) + (cents > by_clv->monetary_above[1]);
    EXPECT_EQ(by_clv->scores[i].m, m) << i;
  }
}

// The summary is built in the RFM scan (date order kept per customer, or
// recounted when not): shuffled rows and any thread count give the same
// columns, bit for bit.
TEST(RfmClv, SameColumnsForAnyRowOrderAndThreadCount) {
  const clv_test::Raw raw = clv_test::LoadCdnowSample();
  absl::StatusOr<RfmResult> want = ComputeRfm(raw.orders, ClvRfm("bgnbd"));
  ASSERT_TRUE(want.ok()) << want.status();
  const OrderLinesColumns& c = raw.orders.columns();
  std::vector<std::size_t> perm(raw.orders.size());
  for (std::size_t i = 0; i < perm.size(); ++i) perm[i] = i;
  std::shuffle(perm.begin(), perm.end(), std::mt19937_64(7));
  std::vector<std::int64_t> order;
  std::vector<Day> day;
  std::vector<Id> customer;
  std::vector<Money> amount;
  for (std::size_t i : perm) {
    order.push_back(c.order_id[i]);
    day.push_back(c.order_date[i]);
    customer.push_back(c.customer[i]);
    amount.push_back(c.amount[i]);
  }
  OrderLinesColumns s;
  s.order_id = Column<std::int64_t>::Own(std::move(order));
  s.order_date = Column<Day>::Own(std::move(day));
  s.customer = Column<Id>::Own(std::move(customer));
  s.amount = Column<Money>::Own(std::move(amount));
  s.money_scale = raw.orders.money_scale();
  s.customers = c.customers;
  const OrderLines shuffled = *OrderLines::Build(std::move(s));
  for (int threads = 1; threads <= 3; ++threads) {
    RfmOptions o = ClvRfm("bgnbd");
    o.num_threads = threads;
    absl::StatusOr<RfmResult> got = ComputeRfm(shuffled, o);
    ASSERT_TRUE(got.ok()) << got.status();
    ASSERT_EQ(got->customers.size(), want->customers.size());
    for (std::size_t i = 0; i < want->customers.size(); ++i) {
      ASSERT_EQ(got->customers[i].customer, want->customers[i].customer);
      EXPECT_EQ(got->clv[i], want->clv[i]) << threads << " " << i;
      EXPECT_EQ(got->p_alive[i], want->p_alive[i]);
      EXPECT_EQ(got->expected_purchases[i], want->expected_purchases[i]);
    }
  }
}

TEST(RfmClv, Errors) {
  const clv_test::Raw raw = clv_test::LoadCdnowSample();
  RfmOptions o;
  ASSERT_TRUE(SetRfmOption(o, "value_measure", "clv").ok());
  EXPECT_EQ(ComputeRfm(raw.orders, o).status().message(),
            "rfm: value_measure clv needs a clv_model (bgnbd or pareto-nbd)");
  o = ClvRfm("bgnbd");
  o.value = RfmValue::kClv;
  o.aggregation = RfmAggregation::kMeanPerOrder;
  EXPECT_NE(ComputeRfm(raw.orders, o).status().message().find("use aggregation sum"),
            std::string::npos);
  o = ClvRfm("bgnbd");
  o.by = "region";
  EXPECT_NE(ComputeRfm(raw.orders, o).status().message().find("takes no by ('region')"),
            std::string::npos);
  o = ClvRfm("bgnbd");
  o.clv.discount = -1;
  EXPECT_NE(ComputeRfm(raw.orders, o).status().message().find("rfm: clv discount_rate -1"),
            std::string::npos);
  EXPECT_FALSE(SetRfmOption(o, "clv_model", "gamma-gamma").ok());
  EXPECT_FALSE(SetRfmOption(o, "clv_time_unit", "year").ok());
  // The partial states cannot: the model needs every line at once.
  o = ClvRfm("bgnbd");
  absl::StatusOr<RfmPartial> part = PartialRfm(raw.orders, 0, raw.orders.size(), o);
  ASSERT_TRUE(part.ok()) << part.status();
  EXPECT_NE(FinishRfm(*std::move(part), o).status().message().find("cannot add CLV"),
            std::string::npos);
  // Two customers, one line each: no repeat purchase, no model (the reason is given).
  OrderLinesColumns c;
  c.order_id = Column<std::int64_t>::Own({1, 2});
  c.order_date = Column<Day>::Own({DayFromCivil(2024, 1, 1), DayFromCivil(2024, 1, 8)});
  c.customer = Column<Id>::Own({0, 1});
  c.amount = Column<Money>::Own({100, 200});
  const OrderLines tiny = *OrderLines::Build(std::move(c));
  o = ClvRfm("bgnbd");
  o.as_of = kNoDate;
  absl::Status st = ComputeRfm(tiny, o).status();
  EXPECT_NE(st.message().find("rfm: clv_model bgnbd: BG/NBD cannot be fitted: none of the 2 "
                              "customer rows has a repeat purchase"),
            std::string::npos)
      << st;
}

}  // namespace
}  // namespace salesight
