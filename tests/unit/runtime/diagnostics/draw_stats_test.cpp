#include "draw_stats.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

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

// x[order] is std::sort's x bit for bit: by radix sort without negative zeros, by std::sort
// with them (which puts each -0 where sorting the values alone does).
TEST(DrawStats, AscendingOrderSortsAsStdSortDoes) {
  std::vector<std::vector<double>> sets;
  for (std::uint64_t seed : {1, 2, 3}) sets.push_back(testing::pooled_ar1(seed));
  sets.push_back({3.0, -1e300, 2.5, 0.0, -4e-310, 1e-300, 7.0, INFINITY, -INFINITY, 2.5, -2.5, 5e-324, 0.0});
  std::vector<double> zeros = testing::pooled_ar1(4);
  for (double& v : zeros) v = std::round(v);  // about half the zeros are -0
  sets.push_back(zeros);
  for (const auto& x : sets) {
    std::vector<std::size_t> order;
    ascending_order(x.data(), x.size(), order);
    std::vector<double> expected = x;
    std::sort(expected.begin(), expected.end());
    ASSERT_EQ(order.size(), x.size());
    for (std::size_t i = 0; i < x.size(); ++i) {
      EXPECT_EQ(x[order[i]], expected[i]) << "position " << i;
      EXPECT_EQ(std::signbit(x[order[i]]), std::signbit(expected[i])) << "position " << i;
    }
  }
}

TEST(DrawStats, RanksFromAnyAscendingOrderAreTheAverageRanks) {
  const std::vector<double> x = {10, 20, 10, 30, 20, 10};
  for (const std::vector<std::size_t>& order : {std::vector<std::size_t>{0, 2, 5, 1, 4, 3}, {5, 2, 0, 4, 1, 3}}) {
    std::vector<double> rank;
    ranks_from_order(x.data(), order, rank);
    EXPECT_EQ(rank, average_ranks(x));
  }
}

TEST(DrawStats, FoldedOrderSortsTheDistancesToTheCenter) {
  const std::vector<double> x = testing::pooled_ar1(5);
  std::vector<std::size_t> order, folded;
  ascending_order(x.data(), x.size(), order);
  for (double center : {median(x), -0.3, -10.0, 10.0}) {
    folded_order(x.data(), order, center, folded);
    ASSERT_EQ(folded.size(), x.size());
    std::vector<std::size_t> sorted_positions = folded;
    std::sort(sorted_positions.begin(), sorted_positions.end());
    for (std::size_t i = 0; i < x.size(); ++i) EXPECT_EQ(sorted_positions[i], i);  // a permutation
    for (std::size_t i = 1; i < x.size(); ++i)
      EXPECT_LE(std::fabs(x[folded[i - 1]] - center), std::fabs(x[folded[i]] - center)) << "center " << center;
  }
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
