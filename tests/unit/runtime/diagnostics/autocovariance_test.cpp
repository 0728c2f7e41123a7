#include "autocovariance.h"

#include <gtest/gtest.h>

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

TEST(Autocovariance, ConstantChainGivesZeros) {
  EXPECT_EQ(autocovariance({2.0, 2.0, 2.0}), (std::vector<double>{0.0, 0.0, 0.0}));
}

}  // namespace
}  // namespace mvc::diag
