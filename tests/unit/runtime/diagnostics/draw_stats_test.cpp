#include "draw_stats.h"

#include <gtest/gtest.h>

#include "fixtures.h"

namespace mvc::diag {
namespace {

using testing::close;
using testing::load_draws;
using testing::load_expected;

TEST(DrawStats, MeanSdQuantilesMatchPosteriorFixtures) {
  const auto expected = load_expected();
  for (const auto& [name, values] : expected) {
    SCOPED_TRACE(name);
    const std::vector<double> all = pooled(load_draws(name));
    EXPECT_PRED2(close, mean(all), values.at("mean"));
    EXPECT_PRED2(close, stddev(all), values.at("sd"));
    EXPECT_PRED2(close, quantile7(all, 0.05), values.at("q5"));
    EXPECT_PRED2(close, quantile7(all, 0.50), values.at("q50"));
    EXPECT_PRED2(close, quantile7(all, 0.95), values.at("q95"));
  }
}

TEST(DrawStats, Quantile7Interpolates) {
  // R: quantile(c(4, 1, 3, 2), c(0, 0.1, 0.5, 1)) = 1, 1.3, 2.5, 4
  const std::vector<double> x = {4, 1, 3, 2};
  EXPECT_DOUBLE_EQ(quantile7(x, 0.0), 1.0);
  EXPECT_DOUBLE_EQ(quantile7(x, 0.1), 1.3);
  EXPECT_DOUBLE_EQ(quantile7(x, 0.5), 2.5);
  EXPECT_DOUBLE_EQ(quantile7(x, 1.0), 4.0);
}

TEST(DrawStats, AverageRanksOfTies) {
  // R: rank(c(10, 20, 10, 30, 20, 10)) = 2 4.5 2 6 4.5 2
  EXPECT_EQ(average_ranks({10, 20, 10, 30, 20, 10}), (std::vector<double>{2, 4.5, 2, 6, 4.5, 2}));
}

TEST(DrawStats, MedianOfEvenAndOddCounts) {
  EXPECT_DOUBLE_EQ(median({3, 1, 2}), 2.0);
  EXPECT_DOUBLE_EQ(median({4, 1, 3, 2}), 2.5);
}

TEST(DrawStats, ShouldReturnNa) {
  EXPECT_TRUE(should_return_na({{1.0, 1.0}, {1.0, 1.0}}));
  EXPECT_TRUE(should_return_na({{1.0, NAN}, {1.0, 2.0}}));
  EXPECT_TRUE(should_return_na({{1.0, INFINITY}, {1.0, 2.0}}));
  EXPECT_FALSE(should_return_na({{1.0, 1.0}, {1.0, 2.0}}));
}

}  // namespace
}  // namespace mvc::diag
