#include "lower/lower.h"

#include <gtest/gtest.h>

#include "../frontend/test_util.h"

namespace mvc {
namespace {

std::string lowered(const std::string& src) {
  auto c = test::compile(src);
  EXPECT_TRUE(c.ok()) << c.text();
  auto m = lowerProgram(*c.program, "t");
  EXPECT_EQ(ir::verify(*m), "");
  return ir::toString(*m);
}

TEST(Lower, LoopsStayLoopsWithTheirIndexAsRegionArgument) {
  std::string ir = lowered(R"(
data { int N; array[N] real y; }
parameters { real mu; }
model { for (n in 1:N) y[n] ~ normal(mu, 1); }
)");
  EXPECT_NE(ir.find("for %"), std::string::npos) << ir;
  EXPECT_NE(ir.find("^%"), std::string::npos) << ir;
  EXPECT_NE(ir.find("density normal_lpdf propto"), std::string::npos) << ir;
}

TEST(Lower, StateCarryingLoopUsesVarStores) {
  std::string ir = lowered(R"(
data { int T; }
parameters { real<lower=0> s; }
transformed parameters {
  vector[T] mu;
  mu[1] = 0;
  for (t in 2:T) mu[t] = mu[t - 1] + s;
}
)");
  EXPECT_NE(ir.find("= var \"mu\""), std::string::npos) << ir;
  EXPECT_NE(ir.find("store.index [s]"), std::string::npos) << ir;
  EXPECT_EQ(ir.find("check"), std::string::npos) << ir;  // mu is unconstrained: nothing to check
}

TEST(Lower, ShapesComeFromDeclarations) {
  std::string ir = lowered(R"(
data { int N; int q; array[N] cov_matrix[q] Sigma; }
parameters { array[N] vector[q] x; cholesky_factor_cov[q] L; }
model { x ~ multi_normal(rep_array(rep_vector(0, q), N), Sigma); }
)");
  EXPECT_NE(ir.find("%2 : array[N] matrix[q, q] = data \"Sigma\""), std::string::npos) << ir;
  EXPECT_NE(ir.find("check cov_matrix %2"), std::string::npos) << ir;
  EXPECT_NE(ir.find("matrix[q, q] = param \"L\" cholesky_factor_cov"), std::string::npos) << ir;
}

TEST(Lower, TruncationSubtractsTheLogMass) {
  std::string ir = lowered(R"(
data { real y; }
parameters { real mu; }
model { y ~ normal(mu, 1) T[0, 10]; }
)");
  EXPECT_NE(ir.find("normal_lcdf"), std::string::npos) << ir;
  EXPECT_NE(ir.find("log_diff_exp"), std::string::npos) << ir;
}

TEST(Lower, TernaryIsASelectWithTwoRegions) {
  std::string ir = lowered("data { int k; } transformed data { real x = k > 0 ? 1.0 : 2.0; }");
  EXPECT_NE(ir.find("= select %"), std::string::npos) << ir;
  EXPECT_NE(ir.find("yield"), std::string::npos) << ir;
}

TEST(Lower, FunctionsAndForeach) {
  std::string ir = lowered(R"(
functions { real f(real x) { return 2 * x; } }
data { array[3] real xs; }
transformed data { real t = 0; for (x in xs) t += f(x); }
)");
  EXPECT_NE(ir.find("function real f(real)"), std::string::npos) << ir;
  EXPECT_NE(ir.find("call.user \"f\""), std::string::npos) << ir;
  EXPECT_NE(ir.find("call size(any)"), std::string::npos) << ir;
}

}  // namespace
}  // namespace mvc
