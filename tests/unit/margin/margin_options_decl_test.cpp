// The margin analysis' declared options (src/margin/options_decl.cpp)
// against the structs they set: declared defaults ARE the defaults of
// MarginRequest (MarginOptions, MarginRankOptions, ...), every choice sets a
// distinct value, values are checked (ranges, the grouping grammar).
#include <set>
#include <string>

#include "gtest/gtest.h"
#include "options_decl_test_util.hpp"
#include "salesight/margin.hpp"

namespace salesight {
namespace {

std::string Fingerprint(const MarginRequest& r) {
  std::string s;
  for (const std::string& d : r.options.group_by.dimensions) s += d + ",";
  s += "/" + std::to_string(r.options.from) + "/" + std::to_string(r.options.to) + "/" +
       std::to_string(static_cast<int>(r.options.product_cost_order)) +
       std::to_string(static_cast<int>(r.options.unknown_cost)) +
       std::to_string(static_cast<int>(r.options.margin_share_sign)) + "/" +
       std::to_string(r.options.num_threads) + "/" +
       (r.abc ? std::to_string(static_cast<int>(*r.abc)) : std::string("none")) + "/" +
       std::to_string(r.quadrant) + std::to_string(static_cast<int>(r.language)) + "/" +
       std::to_string(static_cast<int>(r.rank.metric)) +
       std::to_string(static_cast<int>(r.rank.order)) + "/" + std::to_string(r.rank.n);
  return s;
}

TEST(MarginOptionDecls, DeclaredDefaultsAreTheStructDefaults) {
  options_test::ExpectDefaultsAreTheStructDefaults(MarginOptionDecls(), Fingerprint);
}

TEST(MarginOptionDecls, EveryChoiceSetsADistinctValue) {
  options_test::ExpectEveryChoiceSetsADistinctValue(MarginOptionDecls(), Fingerprint);
}

TEST(MarginOptionDecls, ValuesAreChecked) {
  MarginRequest r;
  EXPECT_TRUE(SetMarginOption(r, "by", "Sub-Category, month").ok());
  EXPECT_EQ(r.options.group_by.dimensions, (std::vector<std::string>{"Sub-Category", "month"}));
  absl::Status two = SetMarginOption(r, "by", "month,week");
  EXPECT_NE(std::string(two.message()).find("option by: "), std::string::npos) << two;
  EXPECT_NE(std::string(two.message()).find("at most one period grain"), std::string::npos) << two;
  EXPECT_TRUE(SetMarginOption(r, "abc", "margin").ok());
  ASSERT_TRUE(r.abc.has_value());
  EXPECT_EQ(*r.abc, AbcMetric::kMargin);
  EXPECT_EQ(std::string(SetMarginOption(r, "language", "fr").message()),
            "option language must be en or zh, not 'fr'");
  EXPECT_TRUE(SetMarginOption(r, "top", "25").ok());
  EXPECT_EQ(r.rank.n, 25u);
  EXPECT_FALSE(SetMarginOption(r, "top", "-1").ok());
  EXPECT_TRUE(SetMarginOption(r, "bottom", "true").ok());
  EXPECT_EQ(r.rank.order, MarginRankOrder::kBottom);
  EXPECT_TRUE(SetMarginOption(r, "tier_cost_first", "true").ok());
  EXPECT_EQ(r.options.product_cost_order, ProductCostOrder::kTierThenStandard);
  EXPECT_TRUE(SetMarginOption(r, "start", "2024-02-29").ok());
  EXPECT_EQ(r.options.from, DayFromCivil(2024, 2, 29));
  EXPECT_FALSE(SetMarginOption(r, "start", "2023-02-29").ok());
  EXPECT_FALSE(SetMarginOption(r, "max_dense_groups", "5").ok());  // not declared
}

}  // namespace
}  // namespace salesight
