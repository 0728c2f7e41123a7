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

TEST(Convergence, SplitPositionIsWhereSplitChainsPutsADraw) {
  for (std::size_t n : {2, 3, 4, 5, 10, 11})
    for (std::size_t m : {1, 3}) {
      VariableDraws x(m, std::vector<double>(n));
      for (std::size_t c = 0; c < m; ++c)
        for (std::size_t t = 0; t < n; ++t) x[c][t] = static_cast<double>(c * n + t);
      const std::vector<double> split = pooled(split_chains(x));
      std::size_t kept = 0;
      for (std::size_t c = 0; c < m; ++c)
        for (std::size_t t = 0; t < n; ++t) {
          const std::size_t p = split_position(m, n, c, t);
          if (p == kDropped) {
            EXPECT_TRUE(n % 2 == 1 && t == n / 2) << m << "x" << n << ": draw " << t << " dropped";
            continue;
          }
          ++kept;
          ASSERT_LT(p, split.size());
          EXPECT_EQ(split[p], x[c][t]) << m << "x" << n << ", chain " << c << ", draw " << t;
        }
      EXPECT_EQ(kept, split.size());
    }
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
