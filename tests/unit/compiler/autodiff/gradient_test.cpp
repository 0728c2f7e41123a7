// (b) For every program in models/ and a selection of small programs: the interpreted
// gradient equals central finite differences of the interpreted log density at random
// unconstrained points, with propto and jacobian on and off. The gradient IR passes the
// verifier (differentiate runs it).
#include <filesystem>

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
                                           "mvn_latent_loop", "mvn_llt", "mvn_param_cov", "state_space_ar1"));

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

void expectUnsupported(const std::string& src, const std::string& words) {
  try {
    test::toIr(src, true);
    ADD_FAILURE() << "expected Unsupported for\n" << src;
  } catch (const autodiff::Unsupported& e) {
    EXPECT_NE(std::string(e.what()).find(words), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("not supported by autodiff yet"), std::string::npos) << e.what();
  }
}

// c ? a : b on parameters: the reverse is an `if` on c adding adj(y) into the taken branch.
const char* kSelect = R"(
data { int N; vector[N] x; int robust; }
parameters { real mu; real<lower=0> sigma; real<lower=1> nu; vector[2] w; }
model {
  vector[N] c = N > 0 ? x - mu : x;
  real scale = robust ? sigma * 2 : sigma;
  target += -0.5 * dot_self(c) / square(scale);
  for (n in 1:N)
    target += robust ? student_t_lpdf(x[n] | nu, mu, sigma) : normal_lpdf(x[n] | mu, sigma);
  target += (mu > 0 ? exp(w[1]) * mu : (w[2] > 0 ? w[1] * w[2] : -w[2])) + (sigma > 1 ? 0.0 : sigma);
  target += robust ? sum(robust ? w .* w : w) : nu;
  w ~ normal(0, 1);
}
)";

TEST(Gradient, ConditionalOperator) {
  checkProgram(kSelect, R"({"N": 3, "x": [0.5, -1, 2], "robust": 1})");
  checkProgram(kSelect, R"({"N": 3, "x": [0.5, -1, 2], "robust": 0})");
  checkProgram(kSelect, R"({"N": 3, "x": [0.5, -1, 2], "robust": 1})", 3.0);
}

TEST(Gradient, CorpusConditional) {
  checkProgram(test::readFile(MVC_SOURCE_DIR "/tests/corpus/valid/ternary_conditional.model"),
               R"({"N": 4, "x": [0.5, -1, 2, 0.1], "use_robust": 1})");
  checkProgram(test::readFile(MVC_SOURCE_DIR "/tests/corpus/valid/ternary_conditional.model"),
               R"({"N": 4, "x": [0.5, -1, 2, 0.1], "use_robust": 0})");
}

// target() = everything added before it: each earlier term's adjoint gets adj(t) on top.
TEST(Gradient, TargetFlowsBack) {
  checkProgram(R"(
parameters { real a; vector[2] b; }
model {
  a ~ normal(0, 1);
  real t = target();
  target += 0.1 * t * b[1];
  b ~ normal(a, 2);
  real t2 = target();
  if (b[2] > 0) target += 0.05 * t2 * a; else target += sin(t2);
  print("target = ", target());
  for (n in 1:2) print(target() * n);
}
)", "{}");
}

TEST(Gradient, TargetOnlyPrintedWithConstrainedParameters) {
  checkProgram(R"(
data { int N; vector[N] y; }
parameters { real mu; real<lower=0> sigma; }
model {
  y ~ normal(mu, sigma);
  print("target after likelihood: ", target());
  for (n in 1:N) print(target() + n);
}
)", R"({"N": 3, "y": [0.5, -1, 2]})");
}

TEST(Gradient, TargetUnsupportedCases) {
  expectUnsupported("parameters { real<lower=0> s; } model { s ~ normal(0, 1); target += 0.5 * target(); }",
                    "constrained parameters");
  expectUnsupported("parameters { vector[2] a; } model { for (n in 1:2) target += a[n] * target(); }",
                    "inside a loop");
  expectUnsupported("parameters { vector[2] a; } model { a ~ normal(0, 1); if (a[1] > 0) target += a[2] * target(); }",
                    "inside a loop, branch");
}

// Bounds that are parameters: lower, upper and offset shift y, so adj(bound) += adj(y).
TEST(Gradient, BoundsThatAreParameters) {
  checkProgram(R"(
parameters {
  real mu; real<lower=0> tau; real<lower=mu> b; vector<upper=mu>[2] c; vector<lower=-1>[2] lo;
  vector<lower=lo>[2] d; vector<offset=mu, multiplier=2>[3] e; array[2] real<upper=b> g;
}
model {
  mu ~ normal(0, 1); tau ~ normal(0, 1); b ~ normal(1, 2); c ~ normal(-1, 1); lo ~ normal(0, 1);
  d ~ normal(0, 3); e ~ normal(1, 2); g ~ normal(0, 4);
}
)", "{}");
}

// A multiplier and a lower+upper pair that are parameters: their log-Jacobians depend on the
// bounds, whose adjoints param.grad's kernel fills (with the Jacobian on and off). A vector
// bound on an array of vectors applies to each element, as in Stan.
TEST(Gradient, MultiplierAndIntervalBoundsThatAreParameters) {
  checkProgram(R"(
parameters {
  real mu; real<lower=0> s; vector<offset=mu, multiplier=s>[3] a; vector<multiplier=s>[2] a2;
  real m; real<lower=m, upper=m + s> b; array[2] real<lower=-1, upper=s> c; vector<lower=-s, upper=s>[2] d;
  vector[2] lo; vector<lower=lo, upper=lo + s>[2] e; array[2] real<offset=m, multiplier=s> f;
  array[3] vector<lower=lo>[2] g; array[2] vector<offset=lo, multiplier=s>[2] h;
}
model {
  mu ~ normal(0, 1); s ~ lognormal(0, 0.5); a ~ normal(mu, s); a2 ~ normal(0, s); m ~ normal(0, 1);
  b ~ normal(m, 1); c ~ normal(0, 1); d ~ normal(0, 1); lo ~ normal(0, 1); e ~ normal(0, 2); f ~ normal(m, s);
  for (k in 1:3) g[k] ~ normal(0, 2);
  for (k in 1:2) h[k] ~ normal(lo, s);
}
)", "{}");
}

// Loops that carry state: reversed last iteration first with the undo tape (docs/autodiff.md).
// tests/fixtures/state_loops/: each program exercises a part of the bookkeeping (its first
// line says which); compiled_test.cpp runs the same programs compiled.
TEST(Gradient, LoopsThatCarryState) {
  std::string dir = MVC_SOURCE_DIR "/tests/fixtures/state_loops/";
  int programs = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    if (e.path().extension() != ".model") continue;
    SCOPED_TRACE(e.path().filename().string());
    checkProgram(test::readFile(e.path().string()), test::readFile(dir + "data.json"));
    ++programs;
  }
  EXPECT_GE(programs, 12);
  // A break (like a continue) is followed from an if at the top of the body whose branches
  // assign nothing (tests/fixtures/state_loops/break_leaves_the_loop.model); elsewhere it is not.
  expectUnsupported("parameters { vector[3] a; } model { real x = 0; for (i in 1:3) { x = x + a[i]; "
                    "if (x > 1) { x = 1; break; } } target += x; }",
                    "break in a loop whose body involves parameters");

  // continue from a branch that assigns: the sweep would not know what ran
  expectUnsupported("parameters { vector[3] a; } model { real x = 0; for (i in 1:3) { x = x + a[i]; if (x > 1) { x = 0; continue; } x = x * 2; } target += x; }",
                    "continue in a loop whose body involves parameters");
}

// A model applying the linear-algebra, GP-kernel and reduction rules of the adjoint table to
// (constrained) parameters; compiled_test.cpp runs the same program compiled.
TEST(Gradient, LinearAlgebraGpAndReductionRules) {
  std::string base = MVC_SOURCE_DIR "/tests/fixtures/adjoints/gp_and_linear_algebra";
  checkProgram(test::readFile(base + ".model"), test::readFile(base + ".data.json"));
}

// Densities whose kernels the value library had not wired (a review found programs that
// compiled but failed every evaluation): binomial(_logit), categorical(_logit), dirichlet,
// wishart, inv_wishart, poisson_lcdf/lccdf (truncation); and neg_binomial, beta_binomial,
// ordered_logistic, skew_normal, rayleigh, pareto, gumbel, frechet, inv_chi_square. Gradients against finite differences, and values against closed forms.
TEST(Gradient, CountAndSimplexAndWishartDensities) {
  const char* src = R"(
data { int K; array[3] int n; array[3] int N; array[4] int c; matrix[2, 2] W; array[3] int o; }
parameters {
  real<lower=0, upper=1> p; vector[3] a; simplex[K] th; vector[K] b; vector<lower=0>[K] al;
  cov_matrix[2] S; real<lower=2> nu; ordered[3] cut;
}
model {
  n ~ binomial(N, p);
  n ~ binomial_logit(N, a);
  n ~ neg_binomial(nu, p + 0.5);
  c ~ categorical(th);
  c ~ categorical_logit(b);
  th ~ dirichlet(al);
  al ~ gamma(2, 1);
  W ~ wishart(nu, S);
  W ~ inv_wishart(nu + 1, S);
  S ~ inv_wishart(4, diag_matrix(rep_vector(1, 2)));
  nu ~ gamma(4, 1);
  o ~ ordered_logistic(a, cut);
  target += poisson_lcdf(n | nu) + poisson_lccdf(n[2] | nu);
  n[1] ~ poisson(nu) T[, 12];
  n ~ beta_binomial(N, nu, p + 1);
  a ~ skew_normal(b[3], nu, b[1]);
  o[1] ~ ordered_logistic(b[2], cut);
  target += rayleigh_lpdf(nu | p + 1) + pareto_lpdf(nu + 1 | 1, nu) + gumbel_lpdf(a | b[1], nu)
            + frechet_lpdf(nu | 2, p + 1) + inv_chi_square_lpdf(p + 0.5 | nu);
}
)";
  checkProgram(src, R"({"K": 3, "n": [1, 4, 0], "N": [5, 6, 3], "c": [1, 3, 3, 2], "W": [[2, 0.3], [0.3, 1]], "o": [1, 3, 4]})", 0.5);
  // Values: a program of data only, so the log density is the terms themselves.
  auto m = test::toIr(R"(
data { int n; int N; real p; vector[3] th; vector[3] al; }
parameters { real z; }
model { target += binomial_lpmf(n | N, p) + categorical_lpmf(2 | th) + dirichlet_lpdf(th | al) + normal_lpdf(z | 0, 1)
                  + ordered_logistic_lpmf(2 | 0.4, [-1, 0.5]') + beta_binomial_lpmf(n | N, 2, 3)
                  + skew_normal_lpdf(0.3 | 0.1, 1.5, 2); }
)", true);
  ASSERT_TRUE(m);
  interp::Interpreter in(*m, io::parse_json_data(R"({"n": 3, "N": 10, "p": 0.3, "th": [0.2, 0.5, 0.3], "al": [2, 3, 4]})"));
  std::vector<double> g;
  double lp = in.logDensityGradient({0.0}, {false, true}, g);
  double binom = std::log(120.0) + 3 * std::log(0.3) + 7 * std::log(0.7);
  double cat = std::log(0.5);
  double dir = std::lgamma(9.0) - std::lgamma(2.0) - std::lgamma(3.0) - std::lgamma(4.0) + 1 * std::log(0.2) +
               2 * std::log(0.5) + 3 * std::log(0.3);
  double normal0 = -0.5 * std::log(2 * M_PI);
  auto s = [](double x) { return 1 / (1 + std::exp(-x)); };
  double ordered = std::log(s(0.4 + 1) - s(0.4 - 0.5));
  auto lbeta = [](double x, double y) { return std::lgamma(x) + std::lgamma(y) - std::lgamma(x + y); };
  double betaBinom = std::log(120.0) + lbeta(3 + 2, 7 + 3) - lbeta(2, 3);
  double z = (0.3 - 0.1) / 1.5;  // 2 / omega phi(z) Phi(alpha z)
  double skew = std::log(2 / 1.5 * std::exp(-0.5 * z * z) / std::sqrt(2 * M_PI) * 0.5 * std::erfc(-2 * z / std::sqrt(2.0)));
  EXPECT_NEAR(lp, binom + cat + dir + normal0 + ordered + betaBinom + skew, 1e-10 * std::fabs(lp));
}

TEST(Gradient, CdfsTruncationAndSpecialFunctions) {
  const char* src = R"(
data { int n; array[3] int k; array[3] int N; array[2] int c; array[3] int m; }
parameters {
  real<lower=0.5> a; real<lower=0.1> b; real<lower=0, upper=1> p; real mu; real<lower=-3, upper=3> ang;
  ordered[2] cut; simplex[3] th;
}
model {
  target += gamma_lcdf(1.5 | a, b) + gamma_lccdf(0.7 | b + 1, a) + beta_lcdf(p | a, b) + beta_lccdf(0.4 | b, a)
            + student_t_lcdf(mu | a + 2, 0.3, b) + student_t_lccdf(0.2 | a + 1, mu, 1.5)
            + inv_gamma_lcdf(0.8 | a, b) + chi_square_lccdf(2.5 | a) + inv_chi_square_lcdf(0.5 | b + 1)
            + cauchy_lcdf(mu | 0, b) + logistic_lccdf(mu | 0.2, a) + double_exponential_lcdf(mu | -0.1, b)
            + gumbel_lcdf(mu | 0.5, a) + frechet_lccdf(1.2 | a, b) + rayleigh_lcdf(0.9 | b) + pareto_lccdf(2.0 | 0.5, a)
            + exp_mod_normal_lcdf(mu | 0.1, a, b) + skew_normal_lccdf(mu | 0.2, a, b - 0.5) + std_normal_lcdf(mu)
            + von_mises_lcdf(0.3 | ang, a) + von_mises_lpdf(0.3 | ang, b) + exp_mod_normal_lpdf(0.2 | mu, a, b)
            + binomial_lcdf(k | N, p) + binomial_lccdf(k[1] | N[1], p) + neg_binomial_2_lcdf(k | a, b)
            + neg_binomial_lccdf(k[2] | a, b) + beta_binomial_lcdf(k[1] | N[1], a, b) + bernoulli_lccdf(0 | p)
            + gamma_p(a, b) + log(gamma_q(b, a)) + inc_beta(a, b, p) + owens_t(mu, a) + normal_cdf(mu | 0, a);
  n ~ poisson(a) T[2, ];
  k[1] ~ neg_binomial_2(a, b) T[1, 12];
  b ~ gamma(a, 2) T[0.05, ];
  p ~ beta(a, b) T[, 0.9];
  c ~ ordered_probit(mu, cut);
  m ~ multinomial(th);
}
)";
  checkProgram(src, R"({"n": 3, "k": [2, 5, 0], "N": [6, 8, 4], "c": [1, 3], "m": [2, 0, 5]})", 0.4);
  // Values: truncation of a discrete variate keeps its lower bound, P(n >= 2) = 1 - F(1); the
  // difference from the same program without truncation is the two normalising terms.
  auto logDensity = [](const char* model) {
    auto m = test::toIr(model, true);
    interp::Interpreter in(*m, io::parse_json_data(R"({"n": 4})"));
    std::vector<double> g;
    return in.logDensityGradient({0.0}, {true, true}, g);
  };
  const double lp = logDensity("data { int n; } parameters { real z; } "
                               "model { n ~ poisson(3.5) T[2, ]; n ~ poisson(3.5) T[1, 6]; z ~ normal(0, 1); }");
  const double plain = logDensity("data { int n; } parameters { real z; } "
                                  "model { n ~ poisson(3.5); n ~ poisson(3.5); z ~ normal(0, 1); }");
  const double l = 3.5, F0 = std::exp(-l), F1 = F0 * (1 + l);
  double F6 = 0, term = F0;
  for (int k = 0; k <= 6; ++k, term *= l / k) F6 += term;
  EXPECT_NEAR(lp - plain, -std::log(1 - F1) - std::log(F6 - F0), 1e-12);
  // With propto, a '~' of data only drops out entirely, as in Stan (it is not hoisted to
  // construction, where the evaluation mode is not known), and normal(0 | 0, 1) keeps 0.
  EXPECT_EQ(plain, 0.0);
}

TEST(Gradient, ElementwiseFunctionsOfRealArrays) {
  checkProgram(R"(
parameters { array[3] real a; array[2] real<lower=0> s; }
model {
  target += sum(exp(a)) + sum(log1p(exp(a))) + sum(inv_logit(a)) + sum(lgamma(s)) + sum(sqrt(s));
  target += sum(Phi(a)) + sum(log(s)) + sum(square(a)) + sum(tanh(a)) + sum(trigamma(s));
  target += normal_lpdf(a | 0, 1) + sum(fabs(a));
}
)", "{}", 0.4);

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
