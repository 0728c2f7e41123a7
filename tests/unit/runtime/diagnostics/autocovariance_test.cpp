#include "autocovariance.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "fixtures.h"

namespace mvc::diag {
namespace {

// The definition, O(n^2): acov[k] = (1/n) sum_t (x_t - m)(x_{t+k} - m).
std::vector<double> direct_autocovariance(const std::vector<double>& x) {
  const std::size_t n = x.size();
  const double m = mean(x);
  std::vector<double> acov(n, 0.0);
  for (std::size_t k = 0; k < n; ++k) {
    for (std::size_t t = 0; t + k < n; ++t) acov[k] += (x[t] - m) * (x[t + k] - m);
    acov[k] /= static_cast<double>(n);
  }
  return acov;
}

TEST(Autocovariance, FftEqualsTheDirectSumAtEveryLag) {
  for (const char* name : {"ar1_rho09", "odd_lengths", "heavy_tailed"}) {
    SCOPED_TRACE(name);
    const std::vector<double> x = testing::load_draws(name).front();
    const std::vector<double> fft = autocovariance(x);
    const std::vector<double> direct = direct_autocovariance(x);
    ASSERT_EQ(fft.size(), x.size());
    for (std::size_t k = 0; k < x.size(); ++k) EXPECT_NEAR(fft[k], direct[k], 1e-10 * direct[0]) << "lag " << k;
  }
}

// The mean over chains, by one transform of the summed power spectra, and its first lags by
// direct sums, against the mean of the per-chain definitions.
TEST(Autocovariance, MeanOverChainsEqualsTheMeanOfTheDirectSums) {
  VariableDraws x = testing::ar1_draws(5, 301, 0.8, 9);
  x[3].assign(301, 1.5);  // a constant chain adds zeros
  std::vector<double> expected(301, 0.0);
  for (const auto& chain : x) {
    const std::vector<double> acov = direct_autocovariance(chain);
    for (std::size_t k = 0; k < acov.size(); ++k) expected[k] += acov[k] / static_cast<double>(x.size());
  }
  const std::vector<double> all = pooled(x);
  std::vector<double> fft, head;
  mean_autocovariance(view(all, x.size()), fft);
  ASSERT_EQ(fft.size(), 301u);
  for (std::size_t k = 0; k < fft.size(); ++k) EXPECT_NEAR(fft[k], expected[k], 1e-12 * expected[0]) << "lag " << k;
  // Extended 8, then 16, then 40 lags, then past the end (all 301).
  for (std::size_t lags : {8, 16, 40, 1000}) {
    extend_mean_autocovariance(view(all, x.size()), lags, head);
    ASSERT_EQ(head.size(), std::min<std::size_t>(lags, 301));
    for (std::size_t k = 0; k < head.size(); ++k) EXPECT_NEAR(head[k], expected[k], 1e-12 * expected[0]) << "lag " << k;
  }
}

TEST(Autocovariance, ConstantChainGivesZeros) {
  EXPECT_EQ(autocovariance({2.0, 2.0, 2.0}), (std::vector<double>{0.0, 0.0, 0.0}));
}

}  // namespace
}  // namespace mvc::diag
