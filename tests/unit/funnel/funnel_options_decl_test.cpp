// The funnel's declared options (src/funnel/options_decl.cpp) against the
// struct they set: the declared defaults ARE FunnelOptions' defaults, every
// choice sets a distinct value, values are checked (types, ranges, the
// period grammar), and the JSON a binding reads says the same.
#include <set>
#include <string>

#include "gtest/gtest.h"
#include "options_decl_test_util.hpp"
#include "salesight/declared_options.hpp"
#include "salesight/funnel.hpp"

namespace salesight {
namespace {

std::string Fingerprint(const FunnelOptions& o) {
  std::string s = std::to_string(static_cast<int>(o.mode)) + "/" + std::to_string(o.from) + "/" +
                  std::to_string(o.to) + "/" + std::to_string(o.as_of) + "/" +
                  std::to_string(static_cast<int>(o.compare)) + "/" +
                  std::to_string(o.implied_reached) + std::to_string(o.include_backwards_gaps) +
                  std::to_string(o.compute_outcomes) + std::to_string(o.compute_bottlenecks) +
                  "/" + o.won_stage + "/" + o.qualified_stage + "/" +
                  std::to_string(o.bottleneck_margin) + "/" +
                  std::to_string(o.bottleneck_min_sample) + "/" + std::to_string(o.num_threads) +
                  "/" + std::to_string(o.period.has_value());
  for (const std::string& g : o.group_by) s += "/" + g;
  if (o.period) s += "/" + std::string(GrainName(*o.period));
  return s;
}

TEST(FunnelOptionDecls, DeclaredDefaultsAreTheStructDefaults) {
  options_test::ExpectDefaultsAreTheStructDefaults(FunnelOptionDecls(), Fingerprint);
}

TEST(FunnelOptionDecls, EveryChoiceSetsADistinctValue) {
  options_test::ExpectEveryChoiceSetsADistinctValue(FunnelOptionDecls(), Fingerprint);
}

TEST(FunnelOptionDecls, ValuesAreChecked) {
  FunnelOptions o;
  EXPECT_TRUE(SetFunnelOption(o, "start", "2024-01-01").ok());
  EXPECT_EQ(o.from, DayFromCivil(2024, 1, 1));
  EXPECT_TRUE(SetFunnelOption(o, "end", "2024-03-31").ok());
  EXPECT_EQ(o.to, DayFromCivil(2024, 3, 31));
  EXPECT_TRUE(SetFunnelOption(o, "by", "region, origin").ok());
  EXPECT_EQ(o.group_by, (std::vector<std::string>{"region", "origin"}));
  EXPECT_TRUE(SetFunnelOption(o, "period", "fiscal_year:4").ok());
  ASSERT_TRUE(o.period.has_value());
  EXPECT_TRUE(SetFunnelOption(o, "period", "none").ok());
  EXPECT_FALSE(o.period.has_value());
  absl::Status grain = SetFunnelOption(o, "period", "fortnight");
  EXPECT_NE(std::string(grain.message()).find("option period: grain 'fortnight'"),
            std::string::npos)
      << grain;
  // '-' and '_' are one character in a choice (the CLI's last-year).
  EXPECT_TRUE(SetFunnelOption(o, "compare", "last-year").ok());
  EXPECT_EQ(o.compare, FunnelCompare::kSamePeriodLastYear);
  absl::Status mode = SetFunnelOption(o, "mode", "weekly");
  EXPECT_EQ(std::string(mode.message()),
            "option mode must be cohort, activity or snapshot, not 'weekly'");
  EXPECT_TRUE(SetFunnelOption(o, "bottleneck_margin", "0.35").ok());
  EXPECT_DOUBLE_EQ(o.bottleneck_margin, 0.35);
  absl::Status negative = SetFunnelOption(o, "bottleneck_margin", "-0.1");
  EXPECT_NE(std::string(negative.message()).find("is outside 0.."), std::string::npos) << negative;
  EXPECT_FALSE(SetFunnelOption(o, "bottleneck_min_sample", "-1").ok());
  EXPECT_TRUE(SetFunnelOption(o, "implied_reached", "false").ok());
  EXPECT_FALSE(o.implied_reached);
  EXPECT_FALSE(SetFunnelOption(o, "num_threads", "2000").ok());
}

TEST(FunnelOptionDecls, DefaultTrueBooleansHaveAFlagThatSetsFalse) {
  for (const OptionDecl<FunnelOptions>& d : FunnelOptionDecls()) {
    if (d.info.type == OptionType::kBool && d.info.default_value == "true") {
      EXPECT_TRUE(d.info.cli_sets_false) << d.info.name << ": a CLI flag could only set true";
      EXPECT_FALSE(d.info.cli_help.empty()) << d.info.name;
    }
  }
}

TEST(DeclaredOptions, DescribeNamesEveryCalculatorAndRejectsOthers) {
  for (const DeclaredCalculator& c : DeclaredCalculators()) {
    absl::StatusOr<std::string> json = DescribeOptions(c.name);
    ASSERT_TRUE(json.ok()) << c.name;
    EXPECT_EQ(*json, OptionsJson(c.options));
    for (const OptionInfo& o : c.options) {
      EXPECT_NE(json->find("\"name\": \"" + std::string(o.name) + "\""), std::string::npos);
    }
  }
  absl::StatusOr<std::string> bad = DescribeOptions("funel");
  ASSERT_FALSE(bad.ok());
  const std::string message(bad.status().message());
  EXPECT_EQ(message.rfind("'funel' has no declared options; the calculators with declared "
                          "options are rfm, funnel, margin, ", 0),
            0u)
      << message;
  EXPECT_NE(message.find(". Did you mean 'funnel'?"), std::string::npos) << message;
  absl::StatusOr<std::string> funnel = DescribeOptions("funnel");
  ASSERT_TRUE(funnel.ok());
  EXPECT_NE(funnel->find("\"name\": \"bottleneck_margin\", \"type\": \"double\", \"default\": "
                         "\"0.2\", \"allowed\": \"\", \"min\": 0, \"max\": null"),
            std::string::npos)
      << *funnel;
}

}  // namespace
}  // namespace salesight
