// The built-in distributions, one row per family. Each row expands into the family's
// _lpdf/_lupdf (or _lpmf/_lupmf) signature, the _cdf/_lcdf/_lccdf signatures when it has a CDF
// (and then T[,] truncation is allowed in '~'), and its _rng signature.
//
// Multivariate families are batched (mvc's extension, DESIGN.md section 2): every argument may
// be an array -- `vectors` is vector, row_vector or an array of them, `matrices` is matrix or
// array[] matrix -- so `x ~ multi_normal(mu, Sigma)` with array[N] vector x, array[N] vector mu
// and array[N] cov_matrix Sigma is legal. Sizes are checked when the data are read.
#include "frontend/signatures.h"

#include <cctype>
#include <utility>

namespace mvc {

static const SignatureTable::DistRow kDistributions[] = {
    // family, discrete, variate, parameters, has CDF, _rng return (and arguments if they differ)
    // ---- continuous, univariate, vectorised over every argument
    {"normal", false, "reals", "reals, reals", true, "rng_real"},
    {"std_normal", false, "reals", "", true, "real"},
    {"cauchy", false, "reals", "reals, reals", true, "rng_real"},
    {"student_t", false, "reals", "reals, reals, reals", true, "rng_real"},
    {"double_exponential", false, "reals", "reals, reals", true, "rng_real"},
    {"logistic", false, "reals", "reals, reals", true, "rng_real"},
    {"exponential", false, "reals", "reals", true, "rng_real"},
    {"gamma", false, "reals", "reals, reals", true, "rng_real"},
    {"inv_gamma", false, "reals", "reals, reals", true, "rng_real"},
    {"lognormal", false, "reals", "reals, reals", true, "rng_real"},
    {"chi_square", false, "reals", "reals", true, "rng_real"},
    {"inv_chi_square", false, "reals", "reals", true, "rng_real"},
    {"beta", false, "reals", "reals, reals", true, "rng_real"},
    {"uniform", false, "reals", "reals, reals", true, "rng_real"},
    {"weibull", false, "reals", "reals, reals", true, "rng_real"},
    {"frechet", false, "reals", "reals, reals", true, "rng_real"},
    {"rayleigh", false, "reals", "reals", true, "rng_real"},
    {"pareto", false, "reals", "reals, reals", true, "rng_real"},
    {"gumbel", false, "reals", "reals, reals", true, "rng_real"},
    {"skew_normal", false, "reals", "reals, reals, reals", true, "rng_real"},
    {"exp_mod_normal", false, "reals", "reals, reals, reals", true, "rng_real"},
    {"von_mises", false, "reals", "reals, reals", true, "rng_real"},
    // ---- discrete
    {"bernoulli", true, "ints", "reals", true, "rng_int"},
    {"bernoulli_logit", true, "ints", "reals", false, "rng_int"},
    {"binomial", true, "ints", "ints, reals", true, "rng_int"},
    {"binomial_logit", true, "ints", "ints, reals", false, nullptr},
    {"beta_binomial", true, "ints", "ints, reals, reals", true, "rng_int"},
    {"poisson", true, "ints", "reals", true, "rng_int"},
    {"poisson_log", true, "ints", "reals", false, "rng_int"},
    {"neg_binomial", true, "ints", "reals, reals", true, "rng_int"},
    {"neg_binomial_2", true, "ints", "reals, reals", true, "rng_int"},
    {"neg_binomial_2_log", true, "ints", "reals, reals", false, "rng_int"},
    {"categorical", true, "ints", "vector", false, "int"},
    {"categorical_logit", true, "ints", "vector", false, "int"},
    {"ordered_logistic", true, "ints", "reals, vector", false, "int(real, vector)"},
    {"ordered_probit", true, "ints", "reals, vector", false, "int(real, vector)"},
    {"discrete_range", true, "ints", "ints, ints", true, "rng_int"},
    // ---- multivariate (batched over arrays)
    {"dirichlet", false, "vectors", "vectors", false, "vector(vector)"},
    {"multi_normal", false, "vectors", "vectors, matrices", false, "vector(vector, matrix)"},
    {"multi_normal_cholesky", false, "vectors", "vectors, matrices", false, "vector(vector, matrix)"},
    {"multi_normal_prec", false, "vectors", "vectors, matrices", false, nullptr},
    {"multi_student_t", false, "vectors", "reals, vectors, matrices", false, "vector(real, vector, matrix)"},
    {"lkj_corr", false, "matrices", "reals", false, "matrix(int, real)"},
    {"lkj_corr_cholesky", false, "matrices", "reals", false, "matrix(int, real)"},
    {"wishart", false, "matrices", "reals, matrices", false, "matrix(real, matrix)"},
    {"inv_wishart", false, "matrices", "reals, matrices", false, "matrix(real, matrix)"},
    {"multinomial", true, "array[] int", "vector", false, "array[] int(vector, int)"},
};

// Names users bring from PyMC, R and textbooks, with the Stan spelling (lowercased lookup).
static const std::pair<const char*, const char*> kForeignNames[] = {
    {"gaussian", "normal"},
    {"halfnormal", "normal on a variable declared <lower=0> (e.g. real<lower=0> s; s ~ normal(0, 1);)"},
    {"half_normal", "normal on a variable declared <lower=0> (e.g. real<lower=0> s; s ~ normal(0, 1);)"},
    {"halfcauchy", "cauchy on a variable declared <lower=0> (e.g. real<lower=0> s; s ~ cauchy(0, 5);)"},
    {"half_cauchy", "cauchy on a variable declared <lower=0> (e.g. real<lower=0> s; s ~ cauchy(0, 5);)"},
    {"halfstudentt", "student_t on a variable declared <lower=0>"},
    {"laplace", "double_exponential"},
    {"mvnormal", "multi_normal (or multi_normal_cholesky with a Cholesky factor)"},
    {"multivariate_normal", "multi_normal"},
    {"mvn", "multi_normal"},
    {"mvstudentt", "multi_student_t"},
    {"lkjcholeskycov", "lkj_corr_cholesky on a cholesky_factor_corr, with scales: diag_pre_multiply(tau, L)"},
    {"lkjcorr", "lkj_corr (or lkj_corr_cholesky on a cholesky_factor_corr)"},
    {"lkj", "lkj_corr_cholesky"},
    {"inversegamma", "inv_gamma"},
    {"inverse_gamma", "inv_gamma"},
    {"invgamma", "inv_gamma"},
    {"negativebinomial", "neg_binomial_2 (mean mu, dispersion phi)"},
    {"negative_binomial", "neg_binomial_2 (mean mu, dispersion phi)"},
    {"studentt", "student_t"},
    {"t", "student_t"},
    {"halft", "student_t on a variable declared <lower=0>"},
    {"binom", "binomial"},
    {"bern", "bernoulli"},
    {"multinomial_logit", "multinomial with softmax(...)"},
    {"flat", "no statement at all: a parameter with no prior has a flat (improper) prior"},
};

std::string foreignDistributionHint(const std::string& name) {
  std::string key;
  for (char c : name) key += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (const auto& [foreign, stan] : kForeignNames)
    if (key == foreign) return stan;
  return "";
}

void registerBuiltinDistributions(SignatureTable& table) {
  for (const auto& row : kDistributions) table.addDistribution(row);
  // Batched random draws: one draw per element of an array of means.
  table.addFunction("array[] vector multi_normal_rng(array[] vector, matrix)", FunctionKind::Rng);
  table.addFunction("array[] vector multi_normal_cholesky_rng(array[] vector, matrix)", FunctionKind::Rng);
  table.addFunction("array[] vector multi_normal_rng(array[] vector, array[] matrix)", FunctionKind::Rng);
  table.addFunction("array[] vector multi_normal_cholesky_rng(array[] vector, array[] matrix)", FunctionKind::Rng);
}

}  // namespace mvc
