#include "salesight/dictionary.hpp"

#include <string>

#include "gtest/gtest.h"

namespace salesight {
namespace {

TEST(Dictionary, DenseIdsInFirstSeenOrderAndBack) {
  Dictionary d;
  EXPECT_EQ(*d.Intern("C-000123"), 0);
  EXPECT_EQ(*d.Intern("华东"), 1);
  EXPECT_EQ(*d.Intern("C-000123"), 0);
  EXPECT_EQ(d.size(), 2);
  EXPECT_EQ(d.Code(1), "华东");
  EXPECT_EQ(d.Find("华东"), 1);
  EXPECT_EQ(d.Find("missing"), kNoId);
}

TEST(Dictionary, SurvivesGrowthCopyAndMove) {
  Dictionary d;
  for (int i = 0; i < 100000; ++i) ASSERT_EQ(*d.Intern("code-" + std::to_string(i)), i);
  Dictionary copy = d;
  Dictionary moved = std::move(d);
  for (int i = 0; i < 100000; i += 997) {
    std::string code = "code-" + std::to_string(i);
    EXPECT_EQ(copy.Find(code), i);
    EXPECT_EQ(moved.Find(code), i);
    EXPECT_EQ(copy.Code(i), code);
  }
}

TEST(Dictionary, FromCodesRejectsDuplicates) {
  EXPECT_TRUE(Dictionary::FromCodes({"a", "b"}).ok());
  absl::StatusOr<Dictionary> dup = Dictionary::FromCodes({"a", "b", "a"});
  ASSERT_FALSE(dup.ok());
  EXPECT_NE(dup.status().message().find("'a'"), std::string::npos);
}

TEST(Dictionary, EmptyStringIsACode) {
  Dictionary d;
  EXPECT_EQ(*d.Intern(""), 0);
  EXPECT_EQ(d.Find(""), 0);
}

}  // namespace
}  // namespace salesight
