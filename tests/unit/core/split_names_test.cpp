// SplitNames (salesight/names.hpp): the one rule for a list a user types,
// shared by list options, groupings and CLI flags.
#include <string>
#include <string_view>
#include <vector>

#include "gtest/gtest.h"
#include "salesight/names.hpp"
#include "salesight/options.hpp"

namespace salesight {
namespace {

std::vector<std::string> Items(std::string_view text, char separator = ',') {
  const std::vector<std::string_view> v = SplitNames(text, separator);
  return {v.begin(), v.end()};
}

TEST(SplitNames, TrimsSpacesAndSkipsEmptyItems) {
  using V = std::vector<std::string>;
  EXPECT_EQ(Items("region, Sub-Category"), (V{"region", "Sub-Category"}));
  EXPECT_EQ(Items(" a ,, b ,"), (V{"a", "b"}));
  EXPECT_EQ(Items(""), V{});
  EXPECT_EQ(Items(" , "), V{});
  EXPECT_EQ(Items("Order Date"), (V{"Order Date"}));  // inner spaces are the name's
  EXPECT_EQ(Items("a|b c| d", '|'), (V{"a", "b c", "d"}));
}

// The same rule wherever a list is read: a declared list option and the
// margin's grouping split "0, 30,,60 " alike.
TEST(SplitNames, ListOptionsFollowIt) {
  const OptionInfo info = Option("cutoffs", OptionType::kIntList, "", "", "");
  absl::StatusOr<OptionValue> v = ParseOptionValue(info, "0, 30,,60 ");
  ASSERT_TRUE(v.ok()) << v.status();
  EXPECT_EQ(v->integers, (std::vector<std::int64_t>{0, 30, 60}));
}

}  // namespace
}  // namespace salesight
