#include "special_functions.h"

#include <gtest/gtest.h>

#include <cmath>

namespace mvc::diag {
namespace {

// Reference values from R 4.2.2: qnorm, pbeta, qbeta.
TEST(NormalQuantile, MatchesR) {
  EXPECT_DOUBLE_EQ(normal_quantile(0.5), 0.0);
  EXPECT_NEAR(normal_quantile(0.975), 1.95996398454005361, 1e-14);
  EXPECT_NEAR(normal_quantile(0.025), -1.95996398454005361, 1e-14);
  EXPECT_NEAR(normal_quantile(0.3), -0.52440051270804067, 1e-14);
  EXPECT_NEAR(normal_quantile(1e-10), -6.36134090240405570, 1e-13);
  EXPECT_NEAR(normal_quantile(0.999999), 4.75342430881708911, 1e-12);
}

TEST(NormalQuantile, EdgesOfTheDomain) {
  EXPECT_EQ(normal_quantile(0.0), -INFINITY);
  EXPECT_EQ(normal_quantile(1.0), INFINITY);
  EXPECT_TRUE(std::isnan(normal_quantile(1.5)));
  EXPECT_TRUE(std::isnan(normal_quantile(NAN)));
}

TEST(BetaCdf, MatchesR) {
  EXPECT_NEAR(beta_cdf(0.3, 2.5, 4), 0.35219758590676714, 1e-14);
  EXPECT_NEAR(beta_cdf(0.9, 2.5, 4), 0.99920364830701014, 1e-14);
  EXPECT_NEAR(beta_cdf(0.01, 201, 3801) / 1.3236241078713739e-74, 1.0, 1e-9);
  EXPECT_EQ(beta_cdf(0.0, 2, 3), 0.0);
  EXPECT_EQ(beta_cdf(1.0, 2, 3), 1.0);
}

TEST(BetaQuantile, MatchesR) {
  // The shape of posterior's mcse_quantile call: qbeta(p, ess * prob + 1, ess * (1 - prob) + 1).
  EXPECT_NEAR(beta_quantile(0.1586553, 40.5, 770.5), 0.042317068132457024, 1e-14);
  EXPECT_NEAR(beta_quantile(0.8413447, 40.5, 770.5), 0.057560523079229986, 1e-14);
  EXPECT_NEAR(beta_quantile(0.1586553, 1, 1), 0.1586553, 1e-14);
  EXPECT_EQ(beta_quantile(0.0, 2, 3), 0.0);
  EXPECT_EQ(beta_quantile(1.0, 2, 3), 1.0);
  EXPECT_TRUE(std::isnan(beta_quantile(0.5, NAN, 3)));
}

}  // namespace
}  // namespace mvc::diag
