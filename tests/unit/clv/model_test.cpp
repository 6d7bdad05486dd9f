// clv::FitModel / Predict (what the C handle, Python and the CLI share):
// the same numbers as each model's own functions, on CDNOW and random rows.
#include "salesight/clv/model.hpp"

#include <cmath>
#include <random>

#include "clv/clv_test_util.hpp"
#include "gtest/gtest.h"

namespace salesight::clv {
namespace {

TEST(ClvModel, BgNbdPredictionsAreTheModelsOwn) {
  const CustomerSummary s = clv_test::LoadCdnowSummary();
  absl::StatusOr<ClvModel> m = FitModel(ModelKind::kBgNbd, s, {});
  ASSERT_TRUE(m.ok()) << m.status();
  ASSERT_TRUE(m->spend.has_value()) << m->spend_error;
  EXPECT_NEAR(m->fit.param("r"), 0.243, 0.0005);
  EXPECT_NEAR(m->spend->param("p"), 6.25, 0.005);
  const BgNbdParams p = BgNbdFromFit(m->fit);
  const GammaGammaParams g = GammaGammaFromFit(*m->spend);
  PredictOptions o;
  o.t = 39;  // E[Y(39)], CLV over the default 12 periods
  o.value.discount_rate = 0.01;
  absl::StatusOr<Predictions> got = Predict(*m, s, o);
  ASSERT_TRUE(got.ok()) << got.status();
  absl::StatusOr<BgNbdPredictions> clv = PredictBgNbd(p, s, o.value, &g);
  ASSERT_TRUE(clv.ok());
  ASSERT_EQ(got->expected_purchases.size(), s.size());
  for (std::size_t i = 0; i < s.size(); i += 7) {
    EXPECT_NEAR(got->expected_purchases[i],
                *BgNbdConditionalExpectedPurchases(p, 39, s.frequency[i], s.recency[i], s.T[i]),
                1e-12)
        << i;
    EXPECT_NEAR(got->p_alive[i], *BgNbdProbabilityAlive(p, s.frequency[i], s.recency[i], s.T[i]),
                1e-12);
    EXPECT_EQ(got->clv[i], clv->clv[i]);
    EXPECT_EQ(got->expected_spend[i], clv->expected_spend[i]);
  }
  EXPECT_NEAR(*ExpectedPurchasesNewCustomer(*m, 78), 1.8576, 0.0005);
  EXPECT_GT(*ProbabilityOfPurchasesNewCustomer(*m, 1, 0), 0.9);
}

TEST(ClvModel, RowByRowModelsMatchTheirFunctions) {
  std::mt19937_64 rng(7);
  const CustomerSummary s = clv_test::RandomSummary(rng, 200, 6);
  // The published CDNOW fit (a fit here would take seconds).
  ClvModel model;
  model.kind = ModelKind::kParetoNbd;
  model.fit.names = {"r", "alpha", "s", "beta"};
  model.fit.params = {0.553, 10.578, 0.606, 11.669};
  const ClvModel* m = &model;
  const ParetoNbdParams p = ParetoNbdFromFit(m->fit);
  EXPECT_EQ(p.beta, 11.669);
  PredictOptions o;
  o.value.horizon = 4;
  absl::StatusOr<Predictions> got = Predict(*m, s, o);
  ASSERT_TRUE(got.ok()) << got.status();
  for (std::size_t i = 0; i < s.size(); ++i) {
    EXPECT_EQ(got->expected_purchases[i],
              *ParetoNbdConditionalExpectedPurchases(p, 4, s.frequency[i], s.recency[i], s.T[i]));
    EXPECT_EQ(got->p_alive[i], *ParetoNbdProbabilityAlive(p, s.frequency[i], s.recency[i], s.T[i]));
  }
  EXPECT_FALSE(ProbabilityOfPurchasesNewCustomer(*m, 1, 0).ok());
}

TEST(ClvModel, SpendOnlyAndWithoutMonetaryValue) {
  const CustomerSummary s = clv_test::LoadCdnowSummary();
  absl::StatusOr<ClvModel> gg = FitModel(ModelKind::kGammaGamma, s, {});
  ASSERT_TRUE(gg.ok()) << gg.status();
  absl::StatusOr<Predictions> spend = Predict(*gg, s, {});
  ASSERT_TRUE(spend.ok()) << spend.status();
  EXPECT_TRUE(spend->expected_purchases.empty());
  EXPECT_EQ(spend->expected_spend[0],
            *GammaGammaExpectedSpend(GammaGammaFromFit(gg->fit), s.frequency[0],
                                     s.monetary_value[0]));
  CustomerSummary bare = s;
  bare.monetary_value.clear();
  absl::StatusOr<ClvModel> m = FitModel(ModelKind::kBgNbd, bare, {});
  ASSERT_TRUE(m.ok());
  EXPECT_FALSE(m->spend.has_value());
  EXPECT_EQ(m->spend_error, "the summary has no monetary_value");
  absl::StatusOr<Predictions> p = Predict(*m, bare, {});
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_TRUE(p->clv.empty());
  EXPECT_EQ(p->p_alive.size(), s.size());
  EXPECT_FALSE(ParseModelKind("bgnb").ok());
  EXPECT_EQ(*ParseModelKind("pareto-nbd"), ModelKind::kParetoNbd);
}

}  // namespace
}  // namespace salesight::clv
