// (b) For every program in models/ and a selection of small programs: the interpreted
// gradient equals central finite differences of the interpreted log density at random
// unconstrained points, with propto and jacobian on and off. The gradient IR passes the
// verifier (differentiate runs it).
#include "ad_test_util.h"

namespace mvc {
namespace {

void checkProgram(const std::string& src, const std::string& data, double scale = 1.0) {
  auto m = test::toIr(src, true);
  ASSERT_TRUE(m);
  io::DataMap d = io::parse_json_data(data);
  interp::Interpreter in(*m, d);
  for (unsigned seed : {1u, 2u, 3u}) {
    std::vector<double> th = test::randomPoint(in.numUnconstrained(), seed, scale);
    for (bool propto : {false, true})
      for (bool jac : {false, true}) {
        std::string report;
        double err = test::gradientError(in, th, {propto, jac}, &report);
        EXPECT_LT(err, 1e-6) << "seed " << seed << " propto " << propto << " jacobian " << jac << "\n" << report;
      }
  }
}

class Models : public ::testing::TestWithParam<std::string> {};

TEST_P(Models, GradientMatchesFiniteDifferences) {
  std::string base = MVC_SOURCE_DIR "/models/" + GetParam();
  checkProgram(test::readFile(base + ".model"), test::readFile(base + ".data.json"));
}

INSTANTIATE_TEST_SUITE_P(All, Models,
                         ::testing::Values("eight_schools_noncentered", "correlated_slopes", "mvn_latent_batched",
                                           "mvn_latent_loop", "mvn_llt", "mvn_param_cov"));

TEST(Gradient, ConstrainedTypes) {
  checkProgram(R"(
parameters {
  real<lower=-1, upper=2> a; vector<lower=0>[2] b; real<upper=3> c; real<offset=1, multiplier=2> d;
  simplex[3] s; unit_vector[3] u; ordered[3] o; positive_ordered[2] po;
  cholesky_factor_corr[3] L; cholesky_factor_cov[3] C; corr_matrix[2] R; cov_matrix[2] S;
}
model {
  target += a * sum(b) + c * d + dot_product(s, o) + sum(u) * sum(po) + sum(L) + sum(C) + sum(R) + sum(S);
}
)", "{}");
}

TEST(Gradient, LoopsIndexesAndLocalVariables) {
  checkProgram(R"(
data { int N; array[N] int g; vector[N] y; }
parameters { vector[3] mu; real<lower=0> sigma; matrix[2, 3] B; }
model {
  vector[N] m;
  for (n in 1:N) {
    real t = mu[g[n]] * 2;
    m[n] = t + B[1, g[n]];
  }
  y ~ normal(m, sigma);
  for (n in 1:N) {
    vector[2] loc = B[:, g[n]];
    target += -0.5 * dot_self(loc - y[n]);
  }
  mu[2:3] ~ normal(0, 1);
  target += normal_lpdf(mu | 0, 2) + sum(B[2]) + sum(mu[g]);
  if (y[1] > 0) target += exp(mu[1]); else target += mu[1];
}
)", R"({"N": 4, "g": [1, 3, 2, 3], "y": [0.5, -1, 2, 0.3]})");
}

TEST(Gradient, MultivariateAndIntegerDensities) {
  checkProgram(R"(
data { int N; array[N] int k; array[N] vector[2] x; }
parameters { vector[2] mu; cholesky_factor_corr[2] L; vector<lower=0>[2] tau; real alpha; }
model {
  mu ~ multi_normal(rep_vector(0, 2), diag_matrix(rep_vector(4, 2)));
  L ~ lkj_corr_cholesky(2);
  x ~ multi_normal_cholesky(mu, diag_pre_multiply(tau, L));
  k ~ poisson_log(alpha + mu[1]);
  tau ~ student_t(3, 0, 1);
  target += bernoulli_logit_lpmf(k[1] > 1 | alpha);
}
)", R"({"N": 3, "k": [1, 0, 4], "x": [[0.1, 0.2], [-1, 0.5], [0.3, 0.3]]})");
}

TEST(Gradient, SectionIsVerifiedAndPrinted) {
  auto m = test::toIr(test::readFile(MVC_SOURCE_DIR "/models/eight_schools_noncentered.model"), true);
  std::string text = ir::toString(*m);
  EXPECT_NE(text.find("gradient  [model] {"), std::string::npos) << text;
  EXPECT_NE(text.find("density.grad normal_lpdf propto"), std::string::npos) << text;
  EXPECT_NE(text.find("param.grad"), std::string::npos) << text;
  EXPECT_EQ(ir::verify(*m), "");
}

}  // namespace
}  // namespace mvc
