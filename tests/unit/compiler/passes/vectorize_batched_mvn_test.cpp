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
  // diag_pre_multiply has a mapped form: one call over the arrays computes every group's factor.
  EXPECT_TRUE(has(r.ir, "array[K] matrix[q, q] = call diag_pre_multiply(array[] vector, array[] matrix)")) << r.ir;
  EXPECT_FALSE(hasLoop(r.ir)) << r.ir;
  EXPECT_TRUE(has(r.ir, "density.batched multi_normal_cholesky_lpdf propto [s,b,g]")) << r.ir;
  // Without one (a loop-invariant argument, a function with no mapped form): a loop over groups.
  auto perGroup = run(program("cov_matrix[q] Om; array[K] vector<lower=0>[q] tau; vector[q] m;",
                              "for (n in 1:N) y[n] ~ multi_normal(m, quad_form_diag(Om, tau[g[n]]));"));
  EXPECT_TRUE(has(perGroup.ir, "var \"quad_form_diag.per_group\"")) << perGroup.ir;
  EXPECT_TRUE(has(perGroup.ir, "array[K] matrix[q, q]")) << perGroup.ir;
  EXPECT_TRUE(has(perGroup.ir, "density.batched multi_normal_lpdf propto [s,b,g]")) << perGroup.ir;
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
  // A density's value used for something else than target.
  auto reused = run(program("array[N] vector[q] x;",
                            "for (n in 1:N) { real t = multi_normal_lpdf(x[n] | mu[n], Sigma[n]); target += t; target += t; }"));
  EXPECT_TRUE(hasLoop(reused.ir)) << reused.ir;
  EXPECT_TRUE(has(reused.notes, "left as a loop")) << reused.notes;
  // A density with no batched form next to a multivariate one.
  auto categorical = run(program("array[N] vector[q] x; simplex[q] th;",
                                 "for (n in 1:N) { x[n] ~ multi_normal(mu[n], Sigma[n]); g[n] ~ categorical(th); }"));
  EXPECT_TRUE(has(categorical.notes, "categorical has no batched form")) << categorical.notes;
  // A print in the body.
  auto printing = run(program("array[N] vector[q] x;", "for (n in 1:N) { print(n); x[n] ~ multi_normal(mu[n], Sigma[n]); }"));
  EXPECT_TRUE(has(printing.notes, "the body also has a 'print'")) << printing.notes;
}

// One multi_normal over N q values whose covariance is assembled block by block (kron-style):
// `B[(n-1)q+1:nq, (n-1)q+1:nq] = block` after `B = rep_matrix(0, N q, N q)`.
std::string blockDiagonal(const std::string& params, const std::string& zero, const std::string& fill,
                          const std::string& density = "yy ~ multi_normal(mm, B);") {
  return program(params, "matrix[N * q, N * q] B = " + zero + ";\n"
                         "vector[N * q] yy; vector[N * q] mm;\n"
                         "for (n in 1:N) {\n" + fill + "\n"
                         "  yy[((n - 1) * q + 1):(n * q)] = y[n]; mm[((n - 1) * q + 1):(n * q)] = m; }\n" +
                         density);
}
const char* kBlockParams = "vector[q] m; cholesky_factor_corr[q] Lr; vector<lower=0>[q] tau;";
const char* kZero = "rep_matrix(0, N * q, N * q)";
const char* kSameBlock =
    "  B[((n - 1) * q + 1):(n * q), ((n - 1) * q + 1):(n * q)] = "
    "multiply_lower_tri_self_transpose(diag_pre_multiply(tau, Lr));";

TEST(VectorizeBatchedMvn, BlockDiagonalCovarianceFromParametersIsBatchedOverItsBlocks) {
  // The same block for every n (kron(I_N, S)): computed once, broadcast.
  auto same = run(blockDiagonal(kBlockParams, kZero, kSameBlock));
  EXPECT_TRUE(has(same.ir, "density.batched multi_normal_lpdf propto [s,s,b]")) << same.ir;
  EXPECT_FALSE(has(same.ir, "var \"B\"")) << same.ir;  // the N q x N q matrix is never built
  EXPECT_TRUE(has(same.ir, "var \"y.segments\"")) << same.ir;
  EXPECT_TRUE(has(same.notes, "over a block-diagonal matrix filled in a loop is one batched node over its blocks, "
                              "the same block for every n"))
      << same.notes;
  // A block per n, from parameters: stored per n where the loop computed it.
  auto perN = run(blockDiagonal("vector[q] m; vector<lower=0>[q] tau;", kZero,
                                "  B[((n - 1) * q + 1):(n * q), ((n - 1) * q + 1):(n * q)] = quad_form_diag(Sigma[n], tau);"));
  EXPECT_TRUE(has(perN.ir, "density.batched multi_normal_lpdf propto [s,s,s]")) << perN.ir;
  EXPECT_TRUE(has(perN.ir, "var \"B.blocks\"")) << perN.ir;
  EXPECT_FALSE(has(perN.ir, "var \"B\" ")) << perN.ir;
  // The Cholesky and precision forms, and the stride written q * n.
  auto chol = run(blockDiagonal(kBlockParams, kZero,
                                "  B[(q * (n - 1) + 1):(q * n), (q * (n - 1) + 1):(q * n)] = diag_pre_multiply(tau, Lr);",
                                "yy ~ multi_normal_cholesky(mm, B);"));
  EXPECT_TRUE(has(chol.ir, "density.batched multi_normal_cholesky_lpdf propto [s,s,b]")) << chol.ir;
  auto prec = run(blockDiagonal(kBlockParams, kZero, kSameBlock, "target += multi_normal_prec_lpdf(yy | mm, B);"));
  EXPECT_TRUE(has(prec.ir, "density.batched multi_normal_prec_lpdf [s,s,b]")) << prec.ir;
}

TEST(VectorizeBatchedMvn, BlockDiagonalNearMissesAreLeftAloneWithAReason) {
  auto leftAlone = [](const std::string& src, const std::string& why) {
    auto r = run(src);
    EXPECT_FALSE(has(r.ir, "density.batched")) << r.ir;
    EXPECT_TRUE(has(r.notes, "over a matrix filled in a loop left as is: " + why)) << r.notes;
  };
  // Blocks that overlap, do not start at (n - 1) q + 1, or leave the diagonal.
  leftAlone(blockDiagonal(kBlockParams, kZero,
                          "  B[((n - 1) * q + 1):(n * q + 1), ((n - 1) * q + 1):(n * q + 1)] = rep_matrix(tau[1], q + 1, q + 1);"),
            "the block's end is not n * q");
  leftAlone(blockDiagonal(kBlockParams, kZero,
                          "  B[(n * q - q + 2):(n * q), (n * q - q + 2):(n * q)] = diag_pre_multiply(tau, Lr)[2:q, 2:q];"),
            "the block's start is not (n - 1) * q + 1");
  leftAlone(blockDiagonal(kBlockParams, kZero,
                          "  B[((n - 1) * q + 1):(n * q), 1:q] = diag_pre_multiply(tau, Lr);"),
            "the loop stores a block off the diagonal");
  // Not zeroed first; used for something else too; an output; a loop that may stop early.
  leftAlone(blockDiagonal(kBlockParams, "diag_matrix(rep_vector(1, N * q))", kSameBlock),
            "the matrix is not set to zeros");
  leftAlone(blockDiagonal(kBlockParams, kZero, kSameBlock, "yy ~ multi_normal(mm, B); print(B[1, 2]);"),
            "the matrix is also used");
  leftAlone(blockDiagonal(kBlockParams, kZero, kSameBlock + std::string(" if (n > N) break;")),
            "the filling loop has a break or continue");
  // A matrix larger than the blocks cover.
  leftAlone(program(kBlockParams, "matrix[N * q + 1, N * q + 1] B = rep_matrix(0, N * q + 1, N * q + 1);\n"
                                  "vector[N * q + 1] yy = rep_vector(0, N * q + 1);\n"
                                  "for (n in 1:N) {\n" + std::string(kSameBlock) + "\n}\n"
                                  "yy ~ multi_normal(rep_vector(0, N * q + 1), B);"),
            "the blocks do not provably cover the matrix");
  // A joint Student-t does not factor over blocks: not a candidate at all.
  auto t = run(blockDiagonal(kBlockParams, kZero, kSameBlock, "yy ~ multi_student_t(4, mm, B);"));
  EXPECT_FALSE(has(t.ir, "density.batched")) << t.ir;
}

// The other densities of a loop with a multivariate one (per-group priors: an LKJ factor and
// scales per group) become batched nodes of their own: a multivariate family with its items
// whole, a univariate one with its items laid end to end; a constant written in the body is
// one value for all n.
TEST(VectorizeBatchedMvn, EveryDensityOfALoopWithAMultivariateOneIsBatched) {
  auto r = run(program("array[K] cholesky_factor_corr[q] Lr; array[K] vector<lower=0>[q] tau; vector[q] m;",
                       "for (k in 1:K) { Lr[k] ~ lkj_corr_cholesky(2); tau[k] ~ normal(0, 2.5); }\n"
                       "for (n in 1:N) y[n] ~ multi_normal_cholesky(m, diag_pre_multiply(tau[g[n]], Lr[g[n]]));"));
  EXPECT_TRUE(has(r.ir, "density.batched lkj_corr_cholesky_lpdf propto [s,b]")) << r.ir;
  EXPECT_TRUE(has(r.ir, "density.batched normal_lpdf propto [s,b,b]")) << r.ir;
  EXPECT_TRUE(has(r.notes, "is one batched lkj_corr_cholesky over n (modes s,b); normal over n (modes s,b,b)")) << r.notes;
  // Two multivariate densities in one body: two batched nodes.
  auto two = run(program("array[N] vector[q] x; array[N] vector[q] z;",
                         "for (n in 1:N) { x[n] ~ multi_normal(mu[n], Sigma[n]); z[n] ~ multi_normal(mu[n], Sigma[n]); }"));
  EXPECT_FALSE(hasLoop(two.ir)) << two.ir;
  const std::string node = "density.batched multi_normal_lpdf propto [s,s,s]";
  const size_t first = two.ir.find(node);
  ASSERT_NE(first, std::string::npos) << two.ir;
  EXPECT_NE(two.ir.find(node, first + 1), std::string::npos) << two.ir;
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
