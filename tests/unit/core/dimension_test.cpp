// FindDimension: a name resolves to its first candidate, and an unknown name's
// error lists each valid name once (an order's own region and its customer's
// region are one name to the user).
#include "salesight/dimension.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace salesight {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

DimensionColumn Named(std::string name, std::int32_t cardinality) {
  DimensionColumn c;
  c.name = std::move(name);
  c.cardinality = cardinality;
  return c;
}

TEST(FindDimension, FirstCandidateWinsAndErrorsListNamesOnce) {
  const std::vector<DimensionColumn> candidates = {Named("region", 3), Named("salesperson", 5),
                                                   Named("region", 7)};
  absl::StatusOr<DimensionColumn> found = FindDimension(candidates, "region", "orders");
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(found->cardinality, 3);

  absl::StatusOr<DimensionColumn> unknown = FindDimension(candidates, "regoin", "orders");
  ASSERT_FALSE(unknown.ok());
  const std::string message(unknown.status().message());
  EXPECT_THAT(message, HasSubstr("'regoin' is not a dimension of the orders"));
  EXPECT_THAT(message, HasSubstr("Valid: 'region', 'salesperson'."));
  EXPECT_THAT(message, Not(HasSubstr("'salesperson', 'region'")));
}

}  // namespace
}  // namespace salesight
