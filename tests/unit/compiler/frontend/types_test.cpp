#include "frontend/types.h"

#include <gtest/gtest.h>

namespace mvc {
namespace {

TEST(Types, StanSpelling) {
  EXPECT_EQ(Type::real().str(), "real");
  EXPECT_EQ(Type::arrayOf(Type::vector()).str(), "array[] vector");
  EXPECT_EQ(Type::arrayOf(Type::integer(), 3).str(), "array[,,] int");
}

TEST(Types, PromotionIntToRealAlsoInsideArrays) {
  int cost = -1;
  EXPECT_TRUE(promotable(Type::integer(), Type::real(), &cost));
  EXPECT_EQ(cost, 1);
  EXPECT_TRUE(promotable(Type::arrayOf(Type::integer(), 2), Type::arrayOf(Type::real(), 2), &cost));
  EXPECT_TRUE(promotable(Type::real(), Type::real(), &cost));
  EXPECT_EQ(cost, 0);
  EXPECT_FALSE(promotable(Type::real(), Type::integer()));
  EXPECT_FALSE(promotable(Type::arrayOf(Type::real()), Type::vector()));
  EXPECT_FALSE(promotable(Type::arrayOf(Type::integer()), Type::arrayOf(Type::integer(), 2)));
}

TEST(Types, TotalDimensions) {
  EXPECT_EQ(totalDims(Type::real()), 0);
  EXPECT_EQ(totalDims(Type::vector()), 1);
  EXPECT_EQ(totalDims(Type::arrayOf(Type::matrix(), 2)), 4);
}

}  // namespace
}  // namespace mvc
