// User-defined functions (inlined by the InlineFunctions pass) on parameters: the interpreted
// gradient of the inlined program matches finite differences, and its value equals the same
// program written without functions.
#include "ad_test_util.h"

namespace mvc {
namespace {

double logDensityAt(const std::string& src, const std::vector<double>& theta) {
  auto m = test::toIr(src, false);
  io::DataMap data;
  interp::Interpreter in(*m, data);
  return in.logDensity(theta, {false, true});
}

TEST(Functions, InlinedFunctionsHaveExactGradients) {
  const char* withFunctions = R"(
functions {
  real skew(real z, real tau) {
    if (z < 0) return log(tau) + (1 - tau) * z;
    return log(tau) - tau * z;
  }
  real total(vector v, real tau) {
    vector[3] t;
    for (i in 1:3) t[i] = skew(v[i], tau);
    return sum(t);
  }
  void add_prior_lp(real x) { target += normal_lpdf(x | 0, 1); }
}
parameters { vector[3] v; real<lower=0, upper=1> tau; }
model { target += total(v, tau); add_prior_lp(v[1]); }
)";
  const char* without = R"(
parameters { vector[3] v; real<lower=0, upper=1> tau; }
model {
  for (i in 1:3) {
    if (v[i] < 0) target += log(tau) + (1 - tau) * v[i];
    else target += log(tau) - tau * v[i];
  }
  target += normal_lpdf(v[1] | 0, 1);
}
)";
  for (unsigned seed : {1u, 2u, 3u}) {
    std::vector<double> theta = test::randomPoint(4, seed);
    EXPECT_NEAR(logDensityAt(withFunctions, theta), logDensityAt(without, theta), 1e-12);
  }
  auto m = test::toIr(withFunctions, true);
  ASSERT_TRUE(m);
  io::DataMap data;
  interp::Interpreter in(*m, data);
  for (unsigned seed : {4u, 5u}) {
    std::string report;
    EXPECT_LT(test::gradientError(in, test::randomPoint(4, seed), {false, true}, &report), 1e-6) << report;
  }
}

}  // namespace
}  // namespace mvc
