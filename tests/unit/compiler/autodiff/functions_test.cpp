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

// Functions InlineFunctions leaves as calls (recursive, returning from inside a loop) have no
// reverse: on data in the model they are fine, on parameters (or touching target) a clear error.
std::string differentiateError(const std::string& src) {
  auto c = test::compile(src);
  EXPECT_TRUE(c.ok()) << c.text();
  auto m = lowerProgram(*c.program, "t");
  passes::runPipeline(*m, passes::PipelineOptions{});
  try {
    autodiff::differentiate(*m);
  } catch (const autodiff::Unsupported& e) {
    return e.what();
  }
  return "";
}

TEST(Functions, CallsThatAreNotInlinedMayNotDependOnParameters) {
  const char* fns =
      "functions {\n"
      "  real fact(real x) { if (x <= 1) return 1; return x * fact(x - 1); }\n"
      "  int find(array[] int xs, int x) { for (i in 1:size(xs)) if (xs[i] == x) return i; return 0; }\n"
      "  real first(vector v) { for (i in 1:rows(v)) if (v[i] > 0) return v[i]; return 0; }\n"
      "  real rec_lp(real x, int n) { target += x; if (n == 0) return 0; return rec_lp(x, n - 1); }\n"
      "}\n";
  std::string head = std::string(fns) + "data { array[3] int ids; vector[3] w; }\nparameters { real y; }\n";
  // data arguments: no adjoint needed
  EXPECT_EQ(differentiateError(head + "model { y ~ normal(fact(3.0) + find(ids, 2) + first(w), 1); }"), "");
  // an int computed from a parameter carries no derivative
  EXPECT_EQ(differentiateError(head + "model { y ~ normal(find(ids, y > 0), 1); }"), "");
  EXPECT_EQ(differentiateError(head + "model { y ~ normal(fact(y), 1); }"),
            "autodiff: the user-defined function 'fact' is called with parameters (line 9), but it is recursive, so "
            "it is not inlined, and recursion on parameters is not supported yet");
  EXPECT_EQ(differentiateError(head + "model { y ~ normal(first(w * y), 1); }"),
            "autodiff: the user-defined function 'first' is called with parameters (line 9), but it returns from "
            "inside a loop, so it is not inlined, and calls of such functions on parameters are not supported yet");
  EXPECT_EQ(differentiateError(head + "model { real z = rec_lp(1.0, 2); y ~ normal(z, 1); }"),
            "autodiff: the user-defined function 'rec_lp' (line 9) uses the log density (target +=), but it is "
            "recursive, so it is not inlined, and such calls are not supported in the model yet");
  // generated quantities are not differentiated
  EXPECT_EQ(differentiateError(head + "model { y ~ normal(0, 1); }\ngenerated quantities { real f = fact(y); }"), "");
}

}  // namespace
}  // namespace mvc
