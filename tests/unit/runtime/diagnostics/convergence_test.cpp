#include "convergence.h"

#include <gtest/gtest.h>

#include <cmath>

#include "fixtures.h"

namespace mvc::diag {
namespace {

using testing::close;
using testing::load_draws;
using testing::load_expected;

// Every fixture case: R-hat and the ESS family equal posterior 1.4.0's values to 1e-6.
TEST(Convergence, MatchesPosteriorOnEveryFixture) {
  const auto expected = load_expected();
  ASSERT_GE(expected.size(), 14u);
  for (const auto& [name, want] : expected) {
    SCOPED_TRACE(name);
    const VariableDraws x = load_draws(name);
    EXPECT_PRED2(close, rhat(x), want.at("rhat"));
    EXPECT_PRED2(close, rhat_basic(split_chains(x)), want.at("rhat_basic"));
    EXPECT_PRED2(close, ess_bulk(x), want.at("ess_bulk"));
    EXPECT_PRED2(close, ess_tail(x), want.at("ess_tail"));
    EXPECT_PRED2(close, ess_mean(x), want.at("ess_mean"));
    EXPECT_PRED2(close, ess_quantile(x, 0.05), want.at("ess_q5"));
    EXPECT_PRED2(close, ess_quantile(x, 0.95), want.at("ess_q95"));
  }
}

TEST(Convergence, ShiftedChainGivesLargeRhat) {
  EXPECT_GT(rhat(load_draws("shifted_chain")), 1.1);
  EXPECT_LT(rhat(load_draws("iid_normal")), 1.01);
}

TEST(Convergence, ConstantDrawsAreNa) {
  const VariableDraws x = load_draws("constant");
  EXPECT_TRUE(std::isnan(rhat(x)));
  EXPECT_TRUE(std::isnan(ess_bulk(x)));
  EXPECT_TRUE(std::isnan(ess_tail(x)));
}

TEST(Convergence, SplitChainsDropsTheMiddleOfOddChains) {
  const VariableDraws split = split_chains({{1, 2, 3, 4, 5}, {6, 7, 8, 9, 10}});
  EXPECT_EQ(split, (VariableDraws{{1, 2}, {6, 7}, {4, 5}, {9, 10}}));
}

TEST(Convergence, NanDrawsGiveNa) {
  VariableDraws x = load_draws("iid_normal");
  x[1][3] = NAN;
  EXPECT_TRUE(std::isnan(rhat(x)));
  EXPECT_TRUE(std::isnan(ess_bulk(x)));
  EXPECT_TRUE(std::isnan(ess_tail(x)));
}

}  // namespace
}  // namespace mvc::diag
