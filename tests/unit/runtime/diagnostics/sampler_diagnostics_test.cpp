#include "sampler_diagnostics.h"

#include <gtest/gtest.h>

#include <cmath>

#include "fixtures.h"

namespace mvc::diag {
namespace {

TEST(Ebfmi, MatchesTheEstimatorComputedInR) {
  const VariableDraws energy = testing::load_draws("energy");
  const auto expected = testing::read_rows(testing::fixture_path("expected_ebfmi.csv"));
  ASSERT_EQ(energy.size(), expected.size());
  for (std::size_t c = 0; c < energy.size(); ++c)
    EXPECT_PRED2(testing::close, ebfmi(energy[c]), std::stod(expected[c].at(1))) << "chain " << c + 1;
}

TEST(Ebfmi, UndefinedForConstantOrTooShortEnergy) {
  EXPECT_TRUE(std::isnan(ebfmi({3.0, 3.0, 3.0})));
  EXPECT_TRUE(std::isnan(ebfmi({3.0})));
}

ChainDraws chain_with(const std::vector<std::vector<double>>& rows) {
  return {{"lp__", "accept_stat__", "stepsize__", "treedepth__", "n_leapfrog__", "divergent__", "energy__", "x"}, rows};
}

TEST(SamplerChainStats, CountsDivergencesAndTreedepthHits) {
  const ChainDraws c = chain_with({{-1, 0.9, 0.5, 3, 7, 0, 2.0, 0.1},
                                   {-1, 0.9, 0.5, 5, 31, 1, 2.5, 0.1},
                                   {-1, 0.9, 0.5, 6, 63, 0, 1.0, 0.1},
                                   {-1, 0.9, 0.5, 5, 31, 1, 3.0, 0.1}});
  const SamplerChainStats s = sampler_chain_stats(c, 5);
  EXPECT_EQ(s.draws, 4u);
  EXPECT_EQ(s.divergent, 2u);
  EXPECT_EQ(s.treedepth_hits, 3u);  // depth 5, 6, 5 reach max_depth 5
  EXPECT_NEAR(s.ebfmi, ebfmi({2.0, 2.5, 1.0, 3.0}), 1e-15);
}

TEST(SamplerChainStats, MissingSamplerColumnsCountNothing) {
  const SamplerChainStats s = sampler_chain_stats({{"lp__", "x"}, {{0, 1}, {0, 2}}}, 10);
  EXPECT_FALSE(s.has_divergent || s.has_treedepth || s.has_energy);
  EXPECT_EQ(s.divergent, 0u);
  EXPECT_TRUE(std::isnan(s.ebfmi));
}

}  // namespace
}  // namespace mvc::diag
