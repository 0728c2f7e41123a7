// VectorizeBatchedMvn fires on every form of issue 5 item 2, and on nothing else.
#include <gtest/gtest.h>

#include "../frontend/test_util.h"
#include "lower/lower.h"
#include "passes/pipeline.h"

namespace mvc {
namespace {

struct Result {
  std::string ir;
  std::string notes;
};

Result run(const std::string& src) {
  auto c = test::compile(src);
  EXPECT_TRUE(c.ok()) << c.text();
  auto m = lowerProgram(*c.program, "t");
  passes::PipelineOptions o;
  passes::runPipeline(*m, o);  // verifies after every pass
  Result r;
  r.ir = ir::toString(*m);
  for (const auto& n : m->notes) r.notes += n + "\n";
  return r;
}

bool has(const std::string& text, const std::string& what) { return text.find(what) != std::string::npos; }
bool hasLoop(const std::string& ir) { return has(ir, "for %") || has(ir, "for map %"); }

const char* kData = R"(
data {
  int N; int q; int K;
  array[N] int<lower=1, upper=K> g;
  array[N] vector[q] y;
  array[N] vector[q] mu;
  array[N] cov_matrix[q] Sigma;
  array[N] cholesky_factor_cov[q] Lc;
  array[N] matrix[q, q] P;
}
)";

std::string program(const std::string& params, const std::string& model) {
  return std::string(kData) + "parameters {" + params + "}\nmodel {\n" + model + "\n}\n";
}

TEST(VectorizeBatchedMvn, LoopWithItsOwnMeanAndCovariance) {
  auto r = run(program("array[N] vector[q] x;", "for (n in 1:N) x[n] ~ multi_normal(mu[n], Sigma[n]);"));
  EXPECT_TRUE(has(r.ir, "density.batched multi_normal_lpdf propto [s,s,s]")) << r.ir;
  EXPECT_FALSE(hasLoop(r.ir)) << r.ir;
  EXPECT_TRUE(has(r.notes, "is one batched multi_normal over n")) << r.notes;
}

TEST(VectorizeBatchedMvn, TargetPlusLpdfAndCholeskyAndPrecisionForms) {
  auto a = run(program("array[N] vector[q] x;", "for (n in 1:N) target += multi_normal_lpdf(x[n] | mu[n], Sigma[n]);"));
  EXPECT_TRUE(has(a.ir, "density.batched multi_normal_lpdf [s,s,s]")) << a.ir;  // no propto: constants kept
  auto b = run(program("array[N] vector[q] x;", "for (n in 1:N) x[n] ~ multi_normal_cholesky(mu[n], Lc[n]);"));
  EXPECT_TRUE(has(b.ir, "density.batched multi_normal_cholesky_lpdf propto [s,s,s]")) << b.ir;
  auto c = run(program("array[N] vector[q] x;", "for (n in 1:N) x[n] ~ multi_normal_prec(mu[n], P[n]);"));
  EXPECT_TRUE(has(c.ir, "density.batched multi_normal_prec_lpdf propto [s,s,s]")) << c.ir;
  auto d = run(program("array[N] vector[q] x; real<lower=0> nu;", "for (n in 1:N) x[n] ~ multi_student_t(nu, mu[n], Sigma[n]);"));
  EXPECT_TRUE(has(d.ir, "density.batched multi_student_t_lpdf propto [s,b,s,s]")) << d.ir;
}

TEST(VectorizeBatchedMvn, LoopInvariantMeanOrCovarianceIsBroadcast) {
  auto r = run(program("vector[q] m; cov_matrix[q] S;", "for (n in 1:N) y[n] ~ multi_normal(m, S);"));
  EXPECT_TRUE(has(r.ir, "density.batched multi_normal_lpdf propto [s,b,b]")) << r.ir;
}

TEST(VectorizeBatchedMvn, GroupIndexedCovarianceIsFactoredOncePerGroup) {
  auto r = run(program("array[K] cholesky_factor_corr[q] L; array[K] vector<lower=0>[q] tau; vector[q] m;",
                       "for (n in 1:N) y[n] ~ multi_normal_cholesky(m, diag_pre_multiply(tau[g[n]], L[g[n]]));"));
  EXPECT_TRUE(has(r.ir, "var \"diag_pre_multiply.per_group\"")) << r.ir;
  EXPECT_TRUE(has(r.ir, "array[K] matrix[q, q]")) << r.ir;
  EXPECT_TRUE(has(r.ir, "density.batched multi_normal_cholesky_lpdf propto [s,b,g]")) << r.ir;
  auto direct = run(program("array[K] cholesky_factor_cov[q] L; vector[q] m;",
                            "for (n in 1:N) y[n] ~ multi_normal_cholesky(m, L[g[n]]);"));
  EXPECT_TRUE(has(direct.ir, "density.batched multi_normal_cholesky_lpdf propto [s,b,g]")) << direct.ir;
  EXPECT_FALSE(has(direct.ir, "per_group")) << direct.ir;  // L itself is gathered: nothing to compute
}

TEST(VectorizeBatchedMvn, CovarianceComputedInTheLoopFromParameters) {
  auto r = run(program("array[N] cholesky_factor_cov[q] L;",
                       "for (n in 1:N) y[n] ~ multi_normal(mu[n], L[n] * L[n]');"));
  EXPECT_TRUE(has(r.ir, "per_n")) << r.ir;
  EXPECT_TRUE(has(r.ir, "density.batched multi_normal_lpdf propto [s,s,s]")) << r.ir;
  auto t = run(program("array[N] cholesky_factor_cov[q] L;",
                       "for (n in 1:N) y[n] ~ multi_normal(mu[n], multiply_lower_tri_self_transpose(L[n]));"));
  EXPECT_TRUE(has(t.ir, "density.batched multi_normal_lpdf propto [s,s,s]")) << t.ir;
}

TEST(VectorizeBatchedMvn, BatchedSyntaxBecomesTheSameNode) {
  auto loop = run(program("array[N] vector[q] x;", "for (n in 1:N) x[n] ~ multi_normal(mu[n], Sigma[n]);"));
  auto batched = run(program("array[N] vector[q] x;", "x ~ multi_normal(mu, Sigma);"));
  EXPECT_TRUE(has(batched.ir, "density.batched multi_normal_lpdf propto [s,s,s]")) << batched.ir;
  EXPECT_TRUE(has(batched.notes, "over arrays is one batched node")) << batched.notes;
}

TEST(VectorizeBatchedMvn, NearMissesAreLeftAloneWithAReason) {
  // A dependency between iterations: the mean is carried from one iteration to the next.
  auto carried = run(program("array[N] vector[q] x;",
                             "vector[q] m = rep_vector(0, q);\n"
                             "for (n in 1:N) { x[n] ~ multi_normal(m, Sigma[n]); m = x[n]; }"));
  EXPECT_TRUE(hasLoop(carried.ir)) << carried.ir;
  EXPECT_TRUE(has(carried.notes, "left as a loop: the body also has a 'load'") ||
              has(carried.notes, "left as a loop: the body also has a 'store'"))
      << carried.notes;
  // A covariance that changes inside the loop.
  auto changing = run(program("array[N] vector[q] x;",
                              "matrix[q, q] S = Sigma[1];\n"
                              "for (n in 1:N) { S = S * 2; x[n] ~ multi_normal(mu[n], S); }"));
  EXPECT_TRUE(hasLoop(changing.ir)) << changing.ir;
  EXPECT_TRUE(has(changing.notes, "left as a loop")) << changing.notes;
  // Two densities in one body.
  auto two = run(program("array[N] vector[q] x; array[N] vector[q] z;",
                         "for (n in 1:N) { x[n] ~ multi_normal(mu[n], Sigma[n]); z[n] ~ multi_normal(mu[n], Sigma[n]); }"));
  EXPECT_TRUE(has(two.notes, "more than one multivariate density")) << two.notes;
  // A print in the body.
  auto printing = run(program("array[N] vector[q] x;", "for (n in 1:N) { print(n); x[n] ~ multi_normal(mu[n], Sigma[n]); }"));
  EXPECT_TRUE(has(printing.notes, "the body also has a 'print'")) << printing.notes;
}

TEST(VectorizeBatchedMvn, OtherLoopsAreNotTouchedOrMentioned) {
  auto r = run(program("vector[q] m;", "for (n in 1:N) y[n] ~ normal(m, 1);"));
  EXPECT_TRUE(hasLoop(r.ir)) << r.ir;
  EXPECT_EQ(r.notes, "");
}

TEST(VectorizeBatchedMvn, NoVectorizeKeepsTheLoop) {
  auto c = test::compile(program("array[N] vector[q] x;", "for (n in 1:N) x[n] ~ multi_normal(mu[n], Sigma[n]);"));
  auto m = lowerProgram(*c.program, "t");
  passes::PipelineOptions o;
  o.skip = {"VectorizeBatchedMvn"};
  passes::runPipeline(*m, o);
  EXPECT_FALSE(has(ir::toString(*m), "density.batched"));
}

}  // namespace
}  // namespace mvc
