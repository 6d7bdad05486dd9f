// RFM's declared options (src/rfm/options_decl.cpp) against the options struct
// they set: the declared defaults ARE the struct's defaults, every allowed
// value of a choice sets a different value, ranges and types are enforced.
#include <set>
#include <string>

#include "gtest/gtest.h"
#include "salesight/rfm.hpp"

namespace salesight {
namespace {

bool SameOptions(const RfmOptions& a, const RfmOptions& b) {
  return a.as_of == b.as_of && a.window_days == b.window_days && a.frequency == b.frequency &&
         a.monetary == b.monetary && a.aggregation == b.aggregation && a.purchase == b.purchase &&
         a.scoring == b.scoring && a.k == b.k && a.fixed.recency_days == b.fixed.recency_days &&
         a.fixed.frequency == b.fixed.frequency && a.fixed.monetary == b.fixed.monetary &&
         a.segments == b.segments && a.language == b.language && a.num_threads == b.num_threads &&
         a.clv.model == b.clv.model && a.clv.time_unit == b.clv.time_unit &&
         a.clv.horizon == b.clv.horizon && a.clv.discount == b.clv.discount &&
         a.clv.margin == b.clv.margin && a.value == b.value;
}

TEST(RfmOptionDecls, DeclaredDefaultsAreTheStructDefaults) {
  RfmOptions o;
  for (const OptionDecl<RfmOptions>& d : RfmOptionDecls()) {
    if (d.info.default_value.empty()) continue;  // none: nothing to set
    ASSERT_TRUE(SetRfmOption(o, d.info.name, d.info.default_value).ok()) << d.info.name;
  }
  EXPECT_TRUE(SameOptions(o, RfmOptions{}));
}

TEST(RfmOptionDecls, EveryChoiceSetsADistinctValue) {
  for (const OptionDecl<RfmOptions>& d : RfmOptionDecls()) {
    if (d.info.type != OptionType::kChoice) continue;
    std::set<std::string> seen;
    std::string allowed(d.info.allowed);
    std::size_t start = 0;
    int choices = 0;
    while (start <= allowed.size()) {
      const std::size_t bar = std::min(allowed.find('|', start), allowed.size());
      const std::string choice = allowed.substr(start, bar - start);
      RfmOptions o;
      ASSERT_TRUE(SetRfmOption(o, d.info.name, choice).ok()) << d.info.name << "=" << choice;
      // The distinct result: compare the raw bytes of the enum fields.
      seen.insert(std::to_string(static_cast<int>(o.frequency)) + "/" +
                  std::to_string(static_cast<int>(o.monetary)) + "/" +
                  std::to_string(static_cast<int>(o.aggregation)) + "/" +
                  std::to_string(static_cast<int>(o.scoring)) + "/" +
                  std::to_string(static_cast<int>(o.segments)) + "/" +
                  std::to_string(static_cast<int>(o.language)) + "/" +
                  std::to_string(static_cast<int>(o.by_scope)) + "/" +
                  std::to_string(static_cast<int>(o.clv.model)) + "/" + o.clv.time_unit + "/" +
                  std::to_string(static_cast<int>(o.value)));
      ++choices;
      start = bar + 1;
    }
    EXPECT_EQ(static_cast<int>(seen.size()), choices) << d.info.name;
  }
}

TEST(RfmOptionDecls, ValuesAreChecked) {
  RfmOptions o;
  EXPECT_TRUE(SetRfmOption(o, "k", "7").ok());
  EXPECT_EQ(o.k, 7);
  EXPECT_FALSE(SetRfmOption(o, "k", "61").ok());
  EXPECT_FALSE(SetRfmOption(o, "k", "2.5").ok());
  EXPECT_FALSE(SetRfmOption(o, "window_days", "-1").ok());
  EXPECT_TRUE(SetRfmOption(o, "as_of", "2024-09-30").ok());
  EXPECT_EQ(o.as_of, DayFromCivil(2024, 9, 30));
  EXPECT_FALSE(SetRfmOption(o, "as_of", "2024-13-01").ok());
  EXPECT_TRUE(SetRfmOption(o, "fixed_recency", "30, 90,180,365").ok());
  EXPECT_EQ(o.fixed.recency_days, (std::vector<std::int32_t>{30, 90, 180, 365}));
  EXPECT_FALSE(SetRfmOption(o, "fixed_recency", "30,x").ok());
  EXPECT_TRUE(SetRfmOption(o, "fixed_monetary", "1000,2500.5").ok());
  EXPECT_EQ(o.fixed.monetary, (std::vector<double>{1000, 2500.5}));
  EXPECT_TRUE(SetRfmOption(o, "all_lines_are_purchases", "true").ok());
  EXPECT_EQ(o.purchase, RfmPurchase::kAllLines);
  EXPECT_FALSE(SetRfmOption(o, "all_lines_are_purchases", "yes").ok());
  absl::Status bad = SetRfmOption(o, "frequency", "weeks");
  EXPECT_NE(std::string(bad.message()).find("must be orders or days, not 'weeks'"), std::string::npos) << bad;
  absl::Status unknown = SetRfmOption(o, "frequncy", "days");
  EXPECT_NE(std::string(unknown.message()).find("the options are as_of, window_days"),
            std::string::npos)
      << unknown;
  EXPECT_FALSE(SetRfmOption(o, "rules", "x|y|recncy<3").ok());  // the rules grammar is checked
  EXPECT_TRUE(SetRfmOption(o, "rules", "vip|贵宾|recency<30\nrest||*").ok());
  EXPECT_EQ(o.custom_rules.rules.size(), 2u);
}

TEST(RfmOptionDecls, NamesAreUniqueSnakeCase) {
  std::set<std::string> names;
  for (const OptionDecl<RfmOptions>& d : RfmOptionDecls()) {
    EXPECT_TRUE(names.insert(std::string(d.info.name)).second) << d.info.name;
    for (const char c : d.info.name) EXPECT_TRUE((c >= 'a' && c <= 'z') || c == '_') << d.info.name;
    EXPECT_FALSE(d.info.doc.empty()) << d.info.name;
  }
}

}  // namespace
}  // namespace salesight
