/*
 * mvc/distributions.h: the log-density kernels that generated code calls (C ABI).
 * Implementation: runtime/math/dist_*.cpp (library mvc_math). Reference: docs/kernels.md.
 *
 * CONVENTIONS (every function below follows them)
 *
 *  Status.  Every kernel returns int: 0 (MVC_DIST_OK) on success, nonzero on failure:
 *    MVC_DIST_ERR_SIZE      argument lengths do not broadcast (see below)
 *    MVC_DIST_ERR_DOMAIN    an argument outside its domain (sigma <= 0, a NaN, ...) or the
 *                           variate outside the support (y < 0 for exponential, n > N, ...)
 *    MVC_DIST_ERR_NOT_PD    a matrix that must be symmetric positive definite is not (or a
 *                           Cholesky factor has a non-positive diagonal, a correlation
 *                           matrix has a non-unit diagonal)
 *    MVC_DIST_ERR_NOT_SYMMETRIC  |A[i,j] - A[j,i]| > 1e-8 (Stan's tolerance)
 *    MVC_DIST_ERR_ALLOC     no scratch given and the fallback allocation failed
 *  A nonzero status means "reject the proposal"; outputs (out, g_*) are then unspecified.
 *  Where Stan would return log(0) = -inf from an lpdf/lpmf (y outside the support), these
 *  kernels return MVC_DIST_ERR_DOMAIN instead. The log CDFs return -inf or 0 outside the
 *  support, as Stan's do. No kernel throws, allocates in the univariate path, or keeps state:
 *  all are safe to call from several threads at once.
 *
 *  Vectorisation.  Each univariate argument is (const double* p, int64_t n) (integer
 *  variates and integer arguments: const int32_t*). n == 1 broadcasts a scalar; all lengths
 *  other than 1 must be equal (else MVC_DIST_ERR_SIZE); the result is the SUM over the common
 *  length N (N = 1 if every length is 1; a common length of 0 gives 0).
 *
 *  Activity and propto.  Bit i of `active` is set when argument i (0 = the variate, then the
 *  parameters in Stan's order) depends on parameters. propto = 0 gives the full normalised
 *  log density (Stan's `target += foo_lpdf(...)`). propto = 1 gives Stan's `~` / foo_lupdf:
 *  every additive term is kept if it depends on at least one active argument and dropped
 *  otherwise (e.g. normal with data sigma drops -log(sigma) and -0.5 log(2 pi); with nothing
 *  active the result is 0). The grouping of terms is Stan's; docs/kernels.md lists each.
 *
 *  Gradients.  foo_grad takes the same inputs plus `adj` and one g_<arg> per real argument:
 *  for each non-null g_<arg> it ACCUMULATES (+=) adj * d(value)/d(arg), where value is
 *  exactly what foo returns for the same active/propto (so ask only for active arguments).
 *  g_<arg> has the length of that argument; a broadcast scalar receives the sum.
 *  Integer arguments have no gradient.
 *
 *  Matrices.  Column-major. Batched multivariate kernels take N items of size q stored
 *  contiguously: vectors (N, q) as N consecutive q-vectors, matrices (N, q, q) as N
 *  consecutive column-major q x q matrices; each argument has its own count n_<arg>, 1
 *  (broadcast) or the common N. Symmetric matrices (covariance, precision, Wishart) are
 *  checked for symmetry and then only their LOWER triangle is read; their gradient is the
 *  symmetric one (g[i,j] = g[j,i] = d f(S)/dS[i,j] for f seen as a function of a symmetric
 *  matrix, i.e. the gradient of f((S + S')/2)): adjoint code must propagate it as it is.
 *  Cholesky factors: only the lower triangle is read and only the lower triangle of g_L is
 *  written.
 *
 *  Scratch.  Multivariate kernels take `double* scratch` with at least
 *  mvc_dist_scratch_size(q) doubles, or NULL (then q <= 8 uses the stack and larger q
 *  allocates once per call). Pass one scratch buffer per thread; it holds nothing between
 *  calls.
 *
 *  Errors with an index.  Multivariate kernels take an optional `mvc_dist_error* err` that
 *  receives the status, the 0-based batch index of the offending item and a message.
 */
#ifndef MVC_DISTRIBUTIONS_H
#define MVC_DISTRIBUTIONS_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#define MVC_DIST_NOEXCEPT noexcept
#else
#define MVC_DIST_NOEXCEPT
#endif

#define MVC_DIST_API __attribute__((visibility("default")))

enum {
  MVC_DIST_OK = 0,
  MVC_DIST_ERR_SIZE = 1,
  MVC_DIST_ERR_DOMAIN = 2,
  MVC_DIST_ERR_NOT_PD = 3,
  MVC_DIST_ERR_NOT_SYMMETRIC = 4,
  MVC_DIST_ERR_ALLOC = 5
};

typedef struct mvc_dist_error {
  int32_t status;    /* the status returned */
  int64_t index;     /* 0-based batch index of the item at fault, -1 if none */
  char message[160]; /* e.g. "multi_normal: covariance matrix 17 is not positive definite" */
} mvc_dist_error;

/* Human-readable name of a status code (static string). */
MVC_DIST_API const char* mvc_dist_status_string(int status) MVC_DIST_NOEXCEPT;

/* ---- univariate densities and mass functions: lpdf/lpmf and _grad ---- */
MVC_DIST_API int mvc_normal_lpdf(const double* y, int64_t n_y, const double* mu, int64_t n_mu, const double* sigma, int64_t n_sigma,
    uint32_t active, int propto, double* out) MVC_DIST_NOEXCEPT;
MVC_DIST_API int mvc_normal_lpdf_grad(const double* y, int64_t n_y, const double* mu, int64_t n_mu, const double* sigma, int64_t n_sigma,
    uint32_t active, int propto, double adj, double* g_y, double* g_mu, double* g_sigma) MVC_DIST_NOEXCEPT;
MVC_DIST_API int mvc_std_normal_lpdf(const double* y, int64_t n_y,
    uint32_t active, int propto, double* out) MVC_DIST_NOEXCEPT;
MVC_DIST_API int mvc_std_normal_lpdf_grad(const double* y, int64_t n_y,
    uint32_t active, int propto, double adj, double* g_y) MVC_DIST_NOEXCEPT;
MVC_DIST_API int mvc_cauchy_lpdf(const double* y, int64_t n_y, const double* mu, int64_t n_mu, const double* sigma, int64_t n_sigma,
    uint32_t active, int propto, double* out) MVC_DIST_NOEXCEPT;
MVC_DIST_API int mvc_cauchy_lpdf_grad(const double* y, int64_t n_y, const double* mu, int64_t n_mu, const double* sigma, int64_t n_sigma,
    uint32_t active, int propto, double adj, double* g_y, double* g_mu, double* g_sigma) MVC_DIST_NOEXCEPT;
MVC_DIST_API int mvc_student_t_lpdf(const double* y, int64_t n_y, const double* nu, int64_t n_nu, const double* mu, int64_t n_mu, const double* sigma, int64_t n_sigma,
    uint32_t active, int propto, double* out) MVC_DIST_NOEXCEPT;
MVC_DIST_API int mvc_student_t_lpdf_grad(const double* y, int64_t n_y, const double* nu, int64_t n_nu, const double* mu, int64_t n_mu, const double* sigma, int64_t n_sigma,
    uint32_t active, int propto, double adj, double* g_y, double* g_nu, double* g_mu, double* g_sigma) MVC_DIST_NOEXCEPT;
MVC_DIST_API int mvc_double_exponential_lpdf(const double* y, int64_t n_y, const double* mu, int64_t n_mu, const double* sigma, int64_t n_sigma,
    uint32_t active, int propto, double* out) MVC_DIST_NOEXCEPT;
MVC_DIST_API int mvc_double_exponential_lpdf_grad(const double* y, int64_t n_y, const double* mu, int64_t n_mu, const double* sigma, int64_t n_sigma,
    uint32_t active, int propto, double adj, double* g_y, double* g_mu, double* g_sigma) MVC_DIST_NOEXCEPT;
MVC_DIST_API int mvc_logistic_lpdf(const double* y, int64_t n_y, const double* mu, int64_t n_mu, const double* sigma, int64_t n_sigma,
    uint32_t active, int propto, double* out) MVC_DIST_NOEXCEPT;
MVC_DIST_API int mvc_logistic_lpdf_grad(const double* y, int64_t n_y, const double* mu, int64_t n_mu, const double* sigma, int64_t n_sigma,
    uint32_t active, int propto, double adj, double* g_y, double* g_mu, double* g_sigma) MVC_DIST_NOEXCEPT;
MVC_DIST_API int mvc_exponential_lpdf(const double* y, int64_t n_y, const double* beta, int64_t n_beta,
    uint32_t active, int propto, double* out) MVC_DIST_NOEXCEPT;
MVC_DIST_API int mvc_exponential_lpdf_grad(const double* y, int64_t n_y, const double* beta, int64_t n_beta,
    uint32_t active, int propto, double adj, double* g_y, double* g_beta) MVC_DIST_NOEXCEPT;
MVC_DIST_API int mvc_gamma_lpdf(const double* y, int64_t n_y, const double* alpha, int64_t n_alpha, const double* beta, int64_t n_beta,
    uint32_t active, int propto, double* out) MVC_DIST_NOEXCEPT;
MVC_DIST_API int mvc_gamma_lpdf_grad(const double* y, int64_t n_y, const double* alpha, int64_t n_alpha, const double* beta, int64_t n_beta,
    uint32_t active, int propto, double adj, double* g_y, double* g_alpha, double* g_beta) MVC_DIST_NOEXCEPT;
MVC_DIST_API int mvc_inv_gamma_lpdf(const double* y, int64_t n_y, const double* alpha, int64_t n_alpha, const double* beta, int64_t n_beta,
    uint32_t active, int propto, double* out) MVC_DIST_NOEXCEPT;
MVC_DIST_API int mvc_inv_gamma_lpdf_grad(const double* y, int64_t n_y, const double* alpha, int64_t n_alpha, const double* beta, int64_t n_beta,
    uint32_t active, int propto, double adj, double* g_y, double* g_alpha, double* g_beta) MVC_DIST_NOEXCEPT;
MVC_DIST_API int mvc_lognormal_lpdf(const double* y, int64_t n_y, const double* mu, int64_t n_mu, const double* sigma, int64_t n_sigma,
    uint32_t active, int propto, double* out) MVC_DIST_NOEXCEPT;
MVC_DIST_API int mvc_lognormal_lpdf_grad(const double* y, int64_t n_y, const double* mu, int64_t n_mu, const double* sigma, int64_t n_sigma,
    uint32_t active, int propto, double adj, double* g_y, double* g_mu, double* g_sigma) MVC_DIST_NOEXCEPT;
MVC_DIST_API int mvc_chi_square_lpdf(const double* y, int64_t n_y, const double* nu, int64_t n_nu,
    uint32_t active, int propto, double* out) MVC_DIST_NOEXCEPT;
MVC_DIST_API int mvc_chi_square_lpdf_grad(const double* y, int64_t n_y, const double* nu, int64_t n_nu,
    uint32_t active, int propto, double adj, double* g_y, double* g_nu) MVC_DIST_NOEXCEPT;
MVC_DIST_API int mvc_beta_lpdf(const double* y, int64_t n_y, const double* alpha, int64_t n_alpha, const double* beta, int64_t n_beta,
    uint32_t active, int propto, double* out) MVC_DIST_NOEXCEPT;
MVC_DIST_API int mvc_beta_lpdf_grad(const double* y, int64_t n_y, const double* alpha, int64_t n_alpha, const double* beta, int64_t n_beta,
    uint32_t active, int propto, double adj, double* g_y, double* g_alpha, double* g_beta) MVC_DIST_NOEXCEPT;
MVC_DIST_API int mvc_uniform_lpdf(const double* y, int64_t n_y, const double* alpha, int64_t n_alpha, const double* beta, int64_t n_beta,
    uint32_t active, int propto, double* out) MVC_DIST_NOEXCEPT;
MVC_DIST_API int mvc_uniform_lpdf_grad(const double* y, int64_t n_y, const double* alpha, int64_t n_alpha, const double* beta, int64_t n_beta,
    uint32_t active, int propto, double adj, double* g_y, double* g_alpha, double* g_beta) MVC_DIST_NOEXCEPT;
/* rayleigh(sigma), pareto(y_min, alpha), gumbel(mu, beta), frechet(alpha, sigma), inv_chi_square(nu) */
MVC_DIST_API int mvc_rayleigh_lpdf(const double* y, int64_t n_y, const double* a, int64_t n_a,
    uint32_t active, int propto, double* out) MVC_DIST_NOEXCEPT;
MVC_DIST_API int mvc_rayleigh_lpdf_grad(const double* y, int64_t n_y, const double* a, int64_t n_a,
    uint32_t active, int propto, double adj, double* g_y, double* g_a) MVC_DIST_NOEXCEPT;
MVC_DIST_API int mvc_pareto_lpdf(const double* y, int64_t n_y, const double* a, int64_t n_a, const double* b,
    int64_t n_b, uint32_t active, int propto, double* out) MVC_DIST_NOEXCEPT;
MVC_DIST_API int mvc_pareto_lpdf_grad(const double* y, int64_t n_y, const double* a, int64_t n_a, const double* b,
    int64_t n_b, uint32_t active, int propto, double adj, double* g_y, double* g_a, double* g_b) MVC_DIST_NOEXCEPT;
MVC_DIST_API int mvc_gumbel_lpdf(const double* y, int64_t n_y, const double* a, int64_t n_a, const double* b,
    int64_t n_b, uint32_t active, int propto, double* out) MVC_DIST_NOEXCEPT;
MVC_DIST_API int mvc_gumbel_lpdf_grad(const double* y, int64_t n_y, const double* a, int64_t n_a, const double* b,
    int64_t n_b, uint32_t active, int propto, double adj, double* g_y, double* g_a, double* g_b) MVC_DIST_NOEXCEPT;
MVC_DIST_API int mvc_frechet_lpdf(const double* y, int64_t n_y, const double* a, int64_t n_a, const double* b,
    int64_t n_b, uint32_t active, int propto, double* out) MVC_DIST_NOEXCEPT;
MVC_DIST_API int mvc_frechet_lpdf_grad(const double* y, int64_t n_y, const double* a, int64_t n_a, const double* b,
    int64_t n_b, uint32_t active, int propto, double adj, double* g_y, double* g_a, double* g_b) MVC_DIST_NOEXCEPT;
MVC_DIST_API int mvc_inv_chi_square_lpdf(const double* y, int64_t n_y, const double* a, int64_t n_a,
    uint32_t active, int propto, double* out) MVC_DIST_NOEXCEPT;
MVC_DIST_API int mvc_inv_chi_square_lpdf_grad(const double* y, int64_t n_y, const double* a, int64_t n_a,
    uint32_t active, int propto, double adj, double* g_y, double* g_a) MVC_DIST_NOEXCEPT;
MVC_DIST_API int mvc_weibull_lpdf(const double* y, int64_t n_y, const double* alpha, int64_t n_alpha, const double* sigma, int64_t n_sigma,
    uint32_t active, int propto, double* out) MVC_DIST_NOEXCEPT;
MVC_DIST_API int mvc_weibull_lpdf_grad(const double* y, int64_t n_y, const double* alpha, int64_t n_alpha, const double* sigma, int64_t n_sigma,
    uint32_t active, int propto, double adj, double* g_y, double* g_alpha, double* g_sigma) MVC_DIST_NOEXCEPT;
MVC_DIST_API int mvc_bernoulli_lpmf(const int32_t* n, int64_t n_n, const double* theta, int64_t n_theta,
    uint32_t active, int propto, double* out) MVC_DIST_NOEXCEPT;
MVC_DIST_API int mvc_bernoulli_lpmf_grad(const int32_t* n, int64_t n_n, const double* theta, int64_t n_theta,
    uint32_t active, int propto, double adj, double* g_theta) MVC_DIST_NOEXCEPT;
MVC_DIST_API int mvc_bernoulli_logit_lpmf(const int32_t* n, int64_t n_n, const double* alpha, int64_t n_alpha,
    uint32_t active, int propto, double* out) MVC_DIST_NOEXCEPT;
MVC_DIST_API int mvc_bernoulli_logit_lpmf_grad(const int32_t* n, int64_t n_n, const double* alpha, int64_t n_alpha,
    uint32_t active, int propto, double adj, double* g_alpha) MVC_DIST_NOEXCEPT;
MVC_DIST_API int mvc_binomial_lpmf(const int32_t* n, int64_t n_n, const int32_t* N, int64_t n_N, const double* theta, int64_t n_theta,
    uint32_t active, int propto, double* out) MVC_DIST_NOEXCEPT;
MVC_DIST_API int mvc_binomial_lpmf_grad(const int32_t* n, int64_t n_n, const int32_t* N, int64_t n_N, const double* theta, int64_t n_theta,
    uint32_t active, int propto, double adj, double* g_theta) MVC_DIST_NOEXCEPT;
MVC_DIST_API int mvc_binomial_logit_lpmf(const int32_t* n, int64_t n_n, const int32_t* N, int64_t n_N, const double* alpha, int64_t n_alpha,
    uint32_t active, int propto, double* out) MVC_DIST_NOEXCEPT;
MVC_DIST_API int mvc_binomial_logit_lpmf_grad(const int32_t* n, int64_t n_n, const int32_t* N, int64_t n_N, const double* alpha, int64_t n_alpha,
    uint32_t active, int propto, double adj, double* g_alpha) MVC_DIST_NOEXCEPT;
MVC_DIST_API int mvc_poisson_lpmf(const int32_t* n, int64_t n_n, const double* lambda, int64_t n_lambda,
    uint32_t active, int propto, double* out) MVC_DIST_NOEXCEPT;
MVC_DIST_API int mvc_poisson_lpmf_grad(const int32_t* n, int64_t n_n, const double* lambda, int64_t n_lambda,
    uint32_t active, int propto, double adj, double* g_lambda) MVC_DIST_NOEXCEPT;
MVC_DIST_API int mvc_poisson_log_lpmf(const int32_t* n, int64_t n_n, const double* alpha, int64_t n_alpha,
    uint32_t active, int propto, double* out) MVC_DIST_NOEXCEPT;
MVC_DIST_API int mvc_poisson_log_lpmf_grad(const int32_t* n, int64_t n_n, const double* alpha, int64_t n_alpha,
    uint32_t active, int propto, double adj, double* g_alpha) MVC_DIST_NOEXCEPT;
MVC_DIST_API int mvc_neg_binomial_lpmf(const int32_t* n, int64_t n_n, const double* alpha, int64_t n_alpha,
    const double* beta, int64_t n_beta, uint32_t active, int propto, double* out) MVC_DIST_NOEXCEPT;
MVC_DIST_API int mvc_neg_binomial_lpmf_grad(const int32_t* n, int64_t n_n, const double* alpha, int64_t n_alpha,
    const double* beta, int64_t n_beta, uint32_t active, int propto, double adj, double* g_alpha,
    double* g_beta) MVC_DIST_NOEXCEPT;
MVC_DIST_API int mvc_neg_binomial_2_lpmf(const int32_t* n, int64_t n_n, const double* mu, int64_t n_mu, const double* phi, int64_t n_phi,
    uint32_t active, int propto, double* out) MVC_DIST_NOEXCEPT;
MVC_DIST_API int mvc_neg_binomial_2_lpmf_grad(const int32_t* n, int64_t n_n, const double* mu, int64_t n_mu, const double* phi, int64_t n_phi,
    uint32_t active, int propto, double adj, double* g_mu, double* g_phi) MVC_DIST_NOEXCEPT;
MVC_DIST_API int mvc_neg_binomial_2_log_lpmf(const int32_t* n, int64_t n_n, const double* eta, int64_t n_eta, const double* phi, int64_t n_phi,
    uint32_t active, int propto, double* out) MVC_DIST_NOEXCEPT;
MVC_DIST_API int mvc_neg_binomial_2_log_lpmf_grad(const int32_t* n, int64_t n_n, const double* eta, int64_t n_eta, const double* phi, int64_t n_phi,
    uint32_t active, int propto, double adj, double* g_eta, double* g_phi) MVC_DIST_NOEXCEPT;

/* ---- log CDFs and log complementary CDFs (no propto: always normalised) ---- */
MVC_DIST_API int mvc_normal_lcdf(const double* y, int64_t n_y, const double* mu, int64_t n_mu, const double* sigma, int64_t n_sigma, double* out) MVC_DIST_NOEXCEPT;
MVC_DIST_API int mvc_normal_lcdf_grad(const double* y, int64_t n_y, const double* mu, int64_t n_mu, const double* sigma, int64_t n_sigma,
    double adj, double* g_y, double* g_mu, double* g_sigma) MVC_DIST_NOEXCEPT;
MVC_DIST_API int mvc_normal_lccdf(const double* y, int64_t n_y, const double* mu, int64_t n_mu, const double* sigma, int64_t n_sigma, double* out) MVC_DIST_NOEXCEPT;
MVC_DIST_API int mvc_normal_lccdf_grad(const double* y, int64_t n_y, const double* mu, int64_t n_mu, const double* sigma, int64_t n_sigma,
    double adj, double* g_y, double* g_mu, double* g_sigma) MVC_DIST_NOEXCEPT;
MVC_DIST_API int mvc_exponential_lcdf(const double* y, int64_t n_y, const double* beta, int64_t n_beta, double* out) MVC_DIST_NOEXCEPT;
MVC_DIST_API int mvc_exponential_lcdf_grad(const double* y, int64_t n_y, const double* beta, int64_t n_beta,
    double adj, double* g_y, double* g_beta) MVC_DIST_NOEXCEPT;
MVC_DIST_API int mvc_exponential_lccdf(const double* y, int64_t n_y, const double* beta, int64_t n_beta, double* out) MVC_DIST_NOEXCEPT;
MVC_DIST_API int mvc_exponential_lccdf_grad(const double* y, int64_t n_y, const double* beta, int64_t n_beta,
    double adj, double* g_y, double* g_beta) MVC_DIST_NOEXCEPT;
MVC_DIST_API int mvc_lognormal_lcdf(const double* y, int64_t n_y, const double* mu, int64_t n_mu, const double* sigma, int64_t n_sigma, double* out) MVC_DIST_NOEXCEPT;
MVC_DIST_API int mvc_lognormal_lcdf_grad(const double* y, int64_t n_y, const double* mu, int64_t n_mu, const double* sigma, int64_t n_sigma,
    double adj, double* g_y, double* g_mu, double* g_sigma) MVC_DIST_NOEXCEPT;
MVC_DIST_API int mvc_lognormal_lccdf(const double* y, int64_t n_y, const double* mu, int64_t n_mu, const double* sigma, int64_t n_sigma, double* out) MVC_DIST_NOEXCEPT;
MVC_DIST_API int mvc_lognormal_lccdf_grad(const double* y, int64_t n_y, const double* mu, int64_t n_mu, const double* sigma, int64_t n_sigma,
    double adj, double* g_y, double* g_mu, double* g_sigma) MVC_DIST_NOEXCEPT;
MVC_DIST_API int mvc_uniform_lcdf(const double* y, int64_t n_y, const double* alpha, int64_t n_alpha, const double* beta, int64_t n_beta, double* out) MVC_DIST_NOEXCEPT;
MVC_DIST_API int mvc_uniform_lcdf_grad(const double* y, int64_t n_y, const double* alpha, int64_t n_alpha, const double* beta, int64_t n_beta,
    double adj, double* g_y, double* g_alpha, double* g_beta) MVC_DIST_NOEXCEPT;
MVC_DIST_API int mvc_uniform_lccdf(const double* y, int64_t n_y, const double* alpha, int64_t n_alpha, const double* beta, int64_t n_beta, double* out) MVC_DIST_NOEXCEPT;
MVC_DIST_API int mvc_uniform_lccdf_grad(const double* y, int64_t n_y, const double* alpha, int64_t n_alpha, const double* beta, int64_t n_beta,
    double adj, double* g_y, double* g_alpha, double* g_beta) MVC_DIST_NOEXCEPT;
MVC_DIST_API int mvc_weibull_lcdf(const double* y, int64_t n_y, const double* alpha, int64_t n_alpha, const double* sigma, int64_t n_sigma, double* out) MVC_DIST_NOEXCEPT;
MVC_DIST_API int mvc_weibull_lcdf_grad(const double* y, int64_t n_y, const double* alpha, int64_t n_alpha, const double* sigma, int64_t n_sigma,
    double adj, double* g_y, double* g_alpha, double* g_sigma) MVC_DIST_NOEXCEPT;
MVC_DIST_API int mvc_weibull_lccdf(const double* y, int64_t n_y, const double* alpha, int64_t n_alpha, const double* sigma, int64_t n_sigma, double* out) MVC_DIST_NOEXCEPT;
MVC_DIST_API int mvc_weibull_lccdf_grad(const double* y, int64_t n_y, const double* alpha, int64_t n_alpha, const double* sigma, int64_t n_sigma,
    double adj, double* g_y, double* g_alpha, double* g_sigma) MVC_DIST_NOEXCEPT;
MVC_DIST_API int mvc_poisson_lcdf(const int32_t* n, int64_t n_n, const double* lambda, int64_t n_lambda, double* out) MVC_DIST_NOEXCEPT;
MVC_DIST_API int mvc_poisson_lcdf_grad(const int32_t* n, int64_t n_n, const double* lambda, int64_t n_lambda,
    double adj, double* g_lambda) MVC_DIST_NOEXCEPT;
MVC_DIST_API int mvc_poisson_lccdf(const int32_t* n, int64_t n_n, const double* lambda, int64_t n_lambda, double* out) MVC_DIST_NOEXCEPT;
MVC_DIST_API int mvc_poisson_lccdf_grad(const int32_t* n, int64_t n_n, const double* lambda, int64_t n_lambda,
    double adj, double* g_lambda) MVC_DIST_NOEXCEPT;

/* ---- categorical: y[i] in 1..K, one K-vector of probabilities (a simplex, sum within 1e-8
 * of 1) or of logits. Active bits: 0 = y (never), 1 = theta/beta. ---- */
MVC_DIST_API int mvc_categorical_lpmf(const int32_t* y, int64_t n_y, const double* theta,
    int64_t K, uint32_t active, int propto, double* out) MVC_DIST_NOEXCEPT;
MVC_DIST_API int mvc_categorical_lpmf_grad(const int32_t* y, int64_t n_y, const double* theta,
    int64_t K, uint32_t active, int propto, double adj, double* g_theta) MVC_DIST_NOEXCEPT;
MVC_DIST_API int mvc_categorical_logit_lpmf(const int32_t* y, int64_t n_y, const double* beta,
    int64_t K, uint32_t active, int propto, double* out) MVC_DIST_NOEXCEPT;
MVC_DIST_API int mvc_categorical_logit_lpmf_grad(const int32_t* y, int64_t n_y,
    const double* beta, int64_t K, uint32_t active, int propto, double adj, double* g_beta) MVC_DIST_NOEXCEPT;

/* beta_binomial(n | N, alpha, beta); skew_normal(y | xi, omega, alpha). */
MVC_DIST_API int mvc_beta_binomial_lpmf(const int32_t* n, int64_t n_n, const int32_t* N, int64_t n_N, const double* a,
    int64_t n_a, const double* b, int64_t n_b, uint32_t active, int propto, double* out) MVC_DIST_NOEXCEPT;
MVC_DIST_API int mvc_beta_binomial_lpmf_grad(const int32_t* n, int64_t n_n, const int32_t* N, int64_t n_N,
    const double* a, int64_t n_a, const double* b, int64_t n_b, uint32_t active, int propto, double adj,
    double* g_a, double* g_b) MVC_DIST_NOEXCEPT;
MVC_DIST_API int mvc_skew_normal_lpdf(const double* y, int64_t n_y, const double* xi, int64_t n_xi, const double* om,
    int64_t n_om, const double* al, int64_t n_al, uint32_t active, int propto, double* out) MVC_DIST_NOEXCEPT;
MVC_DIST_API int mvc_skew_normal_lpdf_grad(const double* y, int64_t n_y, const double* xi, int64_t n_xi,
    const double* om, int64_t n_om, const double* al, int64_t n_al, uint32_t active, int propto, double adj,
    double* g_y, double* g_xi, double* g_om, double* g_al) MVC_DIST_NOEXCEPT;

/* ordered_logistic(y | eta, c): eta one value or one per y, c the K - 1 increasing cutpoints.
 * Active bits: 1 = eta, 2 = c. */
MVC_DIST_API int mvc_ordered_logistic_lpmf(const int32_t* y, int64_t n_y, const double* eta, int64_t n_eta,
    const double* c, int64_t n_c, uint32_t active, int propto, double* out) MVC_DIST_NOEXCEPT;
MVC_DIST_API int mvc_ordered_logistic_lpmf_grad(const int32_t* y, int64_t n_y, const double* eta, int64_t n_eta,
    const double* c, int64_t n_c, uint32_t active, int propto, double adj, double* g_eta,
    double* g_c) MVC_DIST_NOEXCEPT;

/* ordered_probit(y | eta, c): as ordered_logistic, with Phi. */
MVC_DIST_API int mvc_ordered_probit_lpmf(const int32_t* y, int64_t n_y, const double* eta, int64_t n_eta,
    const double* c, int64_t n_c, uint32_t active, int propto, double* out) MVC_DIST_NOEXCEPT;
MVC_DIST_API int mvc_ordered_probit_lpmf_grad(const int32_t* y, int64_t n_y, const double* eta, int64_t n_eta,
    const double* c, int64_t n_c, uint32_t active, int propto, double adj, double* g_eta,
    double* g_c) MVC_DIST_NOEXCEPT;
/* multinomial(y | theta): y the K counts, theta a K-simplex. Active bits: 1 = theta. */
MVC_DIST_API int mvc_multinomial_lpmf(const int32_t* y, int64_t n_y, const double* theta, int64_t K,
    uint32_t active, int propto, double* out) MVC_DIST_NOEXCEPT;
MVC_DIST_API int mvc_multinomial_lpmf_grad(const int32_t* y, int64_t n_y, const double* theta, int64_t K,
    uint32_t active, int propto, double adj, double* g_theta) MVC_DIST_NOEXCEPT;
/* discrete_range(y | lo, hi): integers only (no gradient); propto gives 0. */
MVC_DIST_API int mvc_discrete_range_lpmf(const int32_t* y, int64_t n_y, const int32_t* lo, int64_t n_lo,
    const int32_t* hi, int64_t n_hi, uint32_t active, int propto, double* out) MVC_DIST_NOEXCEPT;
/* exp_mod_normal(y | mu, sigma, lambda); von_mises(y | mu, kappa), kappa >= 0. */
MVC_DIST_API int mvc_exp_mod_normal_lpdf(const double* y, int64_t n_y, const double* mu, int64_t n_mu, const double* sigma,
    int64_t n_sigma, const double* lambda, int64_t n_lambda, uint32_t active, int propto, double* out) MVC_DIST_NOEXCEPT;
MVC_DIST_API int mvc_exp_mod_normal_lpdf_grad(const double* y, int64_t n_y, const double* mu, int64_t n_mu,
    const double* sigma, int64_t n_sigma, const double* lambda, int64_t n_lambda, uint32_t active, int propto,
    double adj, double* g_y, double* g_mu, double* g_sigma, double* g_lambda) MVC_DIST_NOEXCEPT;
MVC_DIST_API int mvc_von_mises_lpdf(const double* y, int64_t n_y, const double* mu, int64_t n_mu, const double* kappa,
    int64_t n_kappa, uint32_t active, int propto, double* out) MVC_DIST_NOEXCEPT;
MVC_DIST_API int mvc_von_mises_lpdf_grad(const double* y, int64_t n_y, const double* mu, int64_t n_mu,
    const double* kappa, int64_t n_kappa, uint32_t active, int propto, double adj, double* g_y, double* g_mu,
    double* g_kappa) MVC_DIST_NOEXCEPT;

/* ---- log CDFs of every univariate family with a CDF, by name ----
 * family: "gamma", "student_t", ... (Stan's names; the list is docs/kernels.md's). args: the
 * variate, then the parameters in Stan's order; each either real (d) or integer (i), lengths
 * broadcast as above. upper = 0: log cdf, 1: log ccdf. mvc_lcdf_arity gives the number of
 * arguments (variate included), 0 for a family without a CDF. The gradient has one g per
 * argument (null: not wanted; integer arguments: null). */
typedef struct mvc_dist_arg {
  const double* d;
  const int32_t* i;
  int64_t n;
} mvc_dist_arg;
MVC_DIST_API int mvc_lcdf_arity(const char* family) MVC_DIST_NOEXCEPT;
MVC_DIST_API int mvc_lcdf(const char* family, int upper, const mvc_dist_arg* args, int nargs,
    double* out) MVC_DIST_NOEXCEPT;
MVC_DIST_API int mvc_lcdf_grad(const char* family, int upper, const mvc_dist_arg* args, int nargs,
    double adj, double* const* g) MVC_DIST_NOEXCEPT;

/* ---- dirichlet, batched: theta (n_theta, K) simplexes (entries in (0,1)), alpha (n_alpha, K)
 * positive. Active bits: 0 = theta, 1 = alpha. ---- */
MVC_DIST_API int mvc_dirichlet_lpdf(const double* theta, int64_t n_theta, const double* alpha,
    int64_t n_alpha, int64_t K, uint32_t active, int propto, double* out, mvc_dist_error* err) MVC_DIST_NOEXCEPT;
MVC_DIST_API int mvc_dirichlet_lpdf_grad(const double* theta, int64_t n_theta,
    const double* alpha, int64_t n_alpha, int64_t K, uint32_t active, int propto, double adj,
    double* g_theta, double* g_alpha, mvc_dist_error* err) MVC_DIST_NOEXCEPT;

/* ---- scratch for the matrix kernels below (doubles; 0 is never returned) ---- */
MVC_DIST_API int64_t mvc_dist_scratch_size(int64_t q) MVC_DIST_NOEXCEPT;

/* ---- batched multivariate normals over N vectors of size q ----
 * y (n_y, q), mu (n_mu, q), Sigma / L / Omega (n_*, q, q); active bits 0 = y, 1 = mu,
 * 2 = Sigma / L / Omega. A non-positive-definite matrix (or a Cholesky factor with a
 * diagonal <= 0) returns MVC_DIST_ERR_NOT_PD with its index in *err. */
MVC_DIST_API int mvc_multi_normal_lpdf(const double* y, int64_t n_y, const double* mu,
    int64_t n_mu, const double* Sigma, int64_t n_Sigma, int64_t q, uint32_t active,
    int propto, double* out, double* scratch, mvc_dist_error* err) MVC_DIST_NOEXCEPT;
MVC_DIST_API int mvc_multi_normal_lpdf_grad(const double* y, int64_t n_y, const double* mu,
    int64_t n_mu, const double* Sigma, int64_t n_Sigma, int64_t q, uint32_t active,
    int propto, double adj, double* g_y, double* g_mu, double* g_Sigma, double* scratch,
    mvc_dist_error* err) MVC_DIST_NOEXCEPT;
MVC_DIST_API int mvc_multi_normal_cholesky_lpdf(const double* y, int64_t n_y,
    const double* mu, int64_t n_mu, const double* L, int64_t n_L, int64_t q, uint32_t active,
    int propto, double* out, double* scratch, mvc_dist_error* err) MVC_DIST_NOEXCEPT;
MVC_DIST_API int mvc_multi_normal_cholesky_lpdf_grad(const double* y, int64_t n_y,
    const double* mu, int64_t n_mu, const double* L, int64_t n_L, int64_t q, uint32_t active,
    int propto, double adj, double* g_y, double* g_mu, double* g_L, double* scratch,
    mvc_dist_error* err) MVC_DIST_NOEXCEPT;
MVC_DIST_API int mvc_multi_normal_prec_lpdf(const double* y, int64_t n_y, const double* mu,
    int64_t n_mu, const double* Omega, int64_t n_Omega, int64_t q, uint32_t active,
    int propto, double* out, double* scratch, mvc_dist_error* err) MVC_DIST_NOEXCEPT;
MVC_DIST_API int mvc_multi_normal_prec_lpdf_grad(const double* y, int64_t n_y,
    const double* mu, int64_t n_mu, const double* Omega, int64_t n_Omega, int64_t q,
    uint32_t active, int propto, double adj, double* g_y, double* g_mu, double* g_Omega,
    double* scratch, mvc_dist_error* err) MVC_DIST_NOEXCEPT;
/* _vgrad: the value (*out) and the gradient (scaled by adj) in one pass. */
MVC_DIST_API int mvc_multi_normal_lpdf_vgrad(const double* y, int64_t n_y, const double* mu,
    int64_t n_mu, const double* Sigma, int64_t n_Sigma, int64_t q, uint32_t active,
    int propto, double* out, double adj, double* g_y, double* g_mu, double* g_Sigma,
    double* scratch, mvc_dist_error* err) MVC_DIST_NOEXCEPT;
MVC_DIST_API int mvc_multi_normal_cholesky_lpdf_vgrad(const double* y, int64_t n_y,
    const double* mu, int64_t n_mu, const double* L, int64_t n_L, int64_t q, uint32_t active,
    int propto, double* out, double adj, double* g_y, double* g_mu, double* g_L,
    double* scratch, mvc_dist_error* err) MVC_DIST_NOEXCEPT;
MVC_DIST_API int mvc_multi_normal_prec_lpdf_vgrad(const double* y, int64_t n_y,
    const double* mu, int64_t n_mu, const double* Omega, int64_t n_Omega, int64_t q,
    uint32_t active, int propto, double* out, double adj, double* g_y, double* g_mu,
    double* g_Omega, double* scratch, mvc_dist_error* err) MVC_DIST_NOEXCEPT;
/* multi_student_t(y | nu, mu, Sigma): nu (n_nu) one degrees-of-freedom value per item or one
 * for all. Active bits 0 = y, 1 = nu, 2 = mu, 3 = Sigma. */
MVC_DIST_API int mvc_multi_student_t_lpdf(const double* y, int64_t n_y, const double* nu,
    int64_t n_nu, const double* mu, int64_t n_mu, const double* Sigma, int64_t n_Sigma,
    int64_t q, uint32_t active, int propto, double* out, double* scratch, mvc_dist_error* err) MVC_DIST_NOEXCEPT;
MVC_DIST_API int mvc_multi_student_t_lpdf_grad(const double* y, int64_t n_y, const double* nu,
    int64_t n_nu, const double* mu, int64_t n_mu, const double* Sigma, int64_t n_Sigma,
    int64_t q, uint32_t active, int propto, double adj, double* g_y, double* g_nu,
    double* g_mu, double* g_Sigma, double* scratch, mvc_dist_error* err) MVC_DIST_NOEXCEPT;
MVC_DIST_API int mvc_multi_student_t_lpdf_vgrad(const double* y, int64_t n_y, const double* nu,
    int64_t n_nu, const double* mu, int64_t n_mu, const double* Sigma, int64_t n_Sigma,
    int64_t q, uint32_t active, int propto, double* out, double adj, double* g_y, double* g_nu,
    double* g_mu, double* g_Sigma, double* scratch, mvc_dist_error* err) MVC_DIST_NOEXCEPT;

/* ---- prepared multivariate normal: the covariance is DATA ----
 * At model construction, prepare n matrices once into a caller-owned buffer of
 * mvc_multi_normal_prepared_size(n, q) doubles (layout: n precision matrices P = Sigma^-1
 * (q x q, column-major, full), then n values log det Sigma). The buffer is
 * read-only afterwards and may be shared by threads. Then
 *   mvc_multi_normal_prepared_lpdf(y, mu, prepared) == mvc_multi_normal_lpdf(y, mu, Sigma)
 * with Sigma inactive (active bit 2 is ignored: the covariance is data). Each *_prepare
 * returns MVC_DIST_ERR_NOT_PD / _NOT_SYMMETRIC with the index of the bad matrix in *err. */
MVC_DIST_API int64_t mvc_multi_normal_prepared_size(int64_t n, int64_t q) MVC_DIST_NOEXCEPT;
MVC_DIST_API int mvc_multi_normal_prepare(const double* Sigma, int64_t n, int64_t q,
    double* prepared, mvc_dist_error* err) MVC_DIST_NOEXCEPT;
MVC_DIST_API int mvc_multi_normal_cholesky_prepare(const double* L, int64_t n, int64_t q,
    double* prepared, mvc_dist_error* err) MVC_DIST_NOEXCEPT;
MVC_DIST_API int mvc_multi_normal_prec_prepare(const double* Omega, int64_t n, int64_t q,
    double* prepared, mvc_dist_error* err) MVC_DIST_NOEXCEPT;
MVC_DIST_API int mvc_multi_normal_prepared_lpdf(const double* y, int64_t n_y,
    const double* mu, int64_t n_mu, const double* prepared, int64_t n_prepared, int64_t q,
    uint32_t active, int propto, double* out, mvc_dist_error* err) MVC_DIST_NOEXCEPT;
MVC_DIST_API int mvc_multi_normal_prepared_lpdf_grad(const double* y, int64_t n_y,
    const double* mu, int64_t n_mu, const double* prepared, int64_t n_prepared, int64_t q,
    uint32_t active, int propto, double adj, double* g_y, double* g_mu, mvc_dist_error* err) MVC_DIST_NOEXCEPT;
MVC_DIST_API int mvc_multi_normal_prepared_lpdf_vgrad(const double* y, int64_t n_y,
    const double* mu, int64_t n_mu, const double* prepared, int64_t n_prepared, int64_t q,
    uint32_t active, int propto, double* out, double adj, double* g_y, double* g_mu,
    mvc_dist_error* err) MVC_DIST_NOEXCEPT;

/* Items y_1..y_n of size q that share their mean mu and matrix M, given by their count n,
 * mean ybar and centered scatter C = sum (y_i - ybar)(y_i - ybar)' (q x q): the sum of their
 * log densities into *out, and (when non-null) its gradient added into g_mu (q) and g_M
 * (q x q; the conventions of the per-item kernels). family: 0 multi_normal (M = Sigma),
 * 1 multi_normal_cholesky (M = L), 2 multi_normal_prec (M = Omega). active: bit 0 y, 1 mu,
 * 2 M. O(q^3), whatever n: for data y grouped by matrix (mvc's sufficient statistics). */
MVC_DIST_API int mvc_multi_normal_stats_lpdf_vgrad(int family, int64_t q, double n, const double* ybar,
    const double* C, const double* mu, const double* M, uint32_t active, int propto, double* out,
    double* g_mu, double* g_M, mvc_dist_error* err) MVC_DIST_NOEXCEPT;

/* ---- LKJ, batched over matrices of size K ----
 * lkj_corr_cholesky(L | eta): L (n_L, K, K) lower-triangular with positive diagonal (the
 * upper triangle is not read); lkj_corr(Sigma | eta): Sigma (n_Sigma, K, K) a correlation
 * matrix (unit diagonal within 1e-8, symmetric, positive definite). eta (n_eta) > 0.
 * Active bits 0 = L / Sigma, 1 = eta. */
MVC_DIST_API int mvc_lkj_corr_cholesky_lpdf(const double* L, int64_t n_L, const double* eta,
    int64_t n_eta, int64_t K, uint32_t active, int propto, double* out, mvc_dist_error* err) MVC_DIST_NOEXCEPT;
MVC_DIST_API int mvc_lkj_corr_cholesky_lpdf_grad(const double* L, int64_t n_L,
    const double* eta, int64_t n_eta, int64_t K, uint32_t active, int propto, double adj,
    double* g_L, double* g_eta, mvc_dist_error* err) MVC_DIST_NOEXCEPT;
MVC_DIST_API int mvc_lkj_corr_lpdf(const double* Sigma, int64_t n_Sigma, const double* eta,
    int64_t n_eta, int64_t K, uint32_t active, int propto, double* out, double* scratch,
    mvc_dist_error* err) MVC_DIST_NOEXCEPT;
MVC_DIST_API int mvc_lkj_corr_lpdf_grad(const double* Sigma, int64_t n_Sigma,
    const double* eta, int64_t n_eta, int64_t K, uint32_t active, int propto, double adj,
    double* g_Sigma, double* g_eta, double* scratch, mvc_dist_error* err) MVC_DIST_NOEXCEPT;

/* ---- wishart(W | nu, S) and inv_wishart(W | nu, S), batched: W (n_W, q, q), nu (n_nu) with
 * nu > q - 1, S (n_S, q, q); W and S symmetric positive definite. Active bits 0 = W,
 * 1 = nu, 2 = S. ---- */
MVC_DIST_API int mvc_wishart_lpdf(const double* W, int64_t n_W, const double* nu,
    int64_t n_nu, const double* S, int64_t n_S, int64_t q, uint32_t active, int propto,
    double* out, double* scratch, mvc_dist_error* err) MVC_DIST_NOEXCEPT;
MVC_DIST_API int mvc_wishart_lpdf_grad(const double* W, int64_t n_W, const double* nu,
    int64_t n_nu, const double* S, int64_t n_S, int64_t q, uint32_t active, int propto,
    double adj, double* g_W, double* g_nu, double* g_S, double* scratch, mvc_dist_error* err) MVC_DIST_NOEXCEPT;
MVC_DIST_API int mvc_inv_wishart_lpdf(const double* W, int64_t n_W, const double* nu,
    int64_t n_nu, const double* S, int64_t n_S, int64_t q, uint32_t active, int propto,
    double* out, double* scratch, mvc_dist_error* err) MVC_DIST_NOEXCEPT;
MVC_DIST_API int mvc_inv_wishart_lpdf_grad(const double* W, int64_t n_W, const double* nu,
    int64_t n_nu, const double* S, int64_t n_S, int64_t q, uint32_t active, int propto,
    double adj, double* g_W, double* g_nu, double* g_S, double* scratch, mvc_dist_error* err) MVC_DIST_NOEXCEPT;

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* MVC_DISTRIBUTIONS_H */
