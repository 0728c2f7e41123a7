/* mvc/transforms.h: constraint transforms for constrained parameters.
 *
 * The C ABI that generated code calls. Every transform is Stan's (same
 * unconstrained coordinates, same log-Jacobian), so bs_param_unconstrain agrees
 * with Stan's; the math and references are in docs/transforms.md.
 *
 * Conventions (all functions):
 *  - x is the unconstrained vector, y the constrained value. Matrices are
 *    column-major, as Stan stores them; sizes are int64_t.
 *  - *_constrain(x, ..., y, lp, err, err_len): writes y. When lp is not NULL,
 *    adds log|J| to *lp (lp == NULL: no Jacobian). Returns 0 on success,
 *    nonzero on error (invalid bounds, zero-norm unit vector), with a message.
 *  - *_grad(x, y, ..., y_adj, jacobian, x_adj, ...): the reverse pass.
 *    y must be what *_constrain wrote for this x. Given y_adj = dL/dy,
 *    ACCUMULATES (+=) dL/dx into x_adj, plus d log|J| / dx when jacobian != 0.
 *    Bounds that are themselves parameters get their adjoints accumulated into
 *    *_adj arrays (pass NULL when the bound is data). Never fails.
 *  - *_free(y, ..., x, err, err_len): the inverse map (for inits and
 *    bs_param_unconstrain). Validates y first with the matching *_check.
 *  - *_check(y, ..., err, err_len): validation only (data and inits), Stan's
 *    rules and tolerance (1e-8 for sums, norms, symmetry, unit diagonals).
 *  - err: caller buffer of err_len bytes (may be NULL / 0). Messages are
 *    NUL-terminated, start lower-case, use 1-based indices and do not name the
 *    variable: the caller prefixes it, e.g. "Sigma: " + msg.
 *  - Matrix transforms take caller scratch of mvc_tf_<name>_scratch_size(...)
 *    doubles (the same size serves constrain, grad, free and check).
 *  - No function allocates on the heap or throws.
 *  - Scalar bounds (lb, ub, offset, multiplier) are read as b[i * stride] for
 *    element i: stride 0 broadcasts one value, stride 1 is elementwise.
 *    lb = -INFINITY / ub = +INFINITY mean "no bound", as in Stan.
 */
#ifndef MVC_TRANSFORMS_H
#define MVC_TRANSFORMS_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define MVC_TF_OK 0
#define MVC_TF_ERROR 1

/* ---------------- <lower=lb>: y = lb + exp(x), log|J| = x ---------------- */
int mvc_tf_lb_constrain(int64_t n, const double* x, const double* lb,
                        int64_t lb_stride, double* y, double* lp, char* err,
                        int64_t err_len);
void mvc_tf_lb_grad(int64_t n, const double* x, const double* y,
                    const double* lb, int64_t lb_stride, const double* y_adj,
                    int jacobian, double* x_adj, double* lb_adj);
int mvc_tf_lb_free(int64_t n, const double* y, const double* lb,
                   int64_t lb_stride, double* x, char* err, int64_t err_len);
int mvc_tf_lb_check(int64_t n, const double* y, const double* lb,
                    int64_t lb_stride, char* err, int64_t err_len);

/* ---------------- <upper=ub>: y = ub - exp(x), log|J| = x ---------------- */
int mvc_tf_ub_constrain(int64_t n, const double* x, const double* ub,
                        int64_t ub_stride, double* y, double* lp, char* err,
                        int64_t err_len);
void mvc_tf_ub_grad(int64_t n, const double* x, const double* y,
                    const double* ub, int64_t ub_stride, const double* y_adj,
                    int jacobian, double* x_adj, double* ub_adj);
int mvc_tf_ub_free(int64_t n, const double* y, const double* ub,
                   int64_t ub_stride, double* x, char* err, int64_t err_len);
int mvc_tf_ub_check(int64_t n, const double* y, const double* ub,
                    int64_t ub_stride, char* err, int64_t err_len);

/* ------- <lower=lb, upper=ub>: y = lb + (ub - lb) inv_logit(x) -----------
 * log|J| = log(ub - lb) - |x| - 2 log1p(exp(-|x|)). An infinite bound falls
 * back to lb / ub / identity as Stan does. Error if lb >= ub. */
int mvc_tf_lub_constrain(int64_t n, const double* x, const double* lb,
                         int64_t lb_stride, const double* ub,
                         int64_t ub_stride, double* y, double* lp, char* err,
                         int64_t err_len);
void mvc_tf_lub_grad(int64_t n, const double* x, const double* y,
                     const double* lb, int64_t lb_stride, const double* ub,
                     int64_t ub_stride, const double* y_adj, int jacobian,
                     double* x_adj, double* lb_adj, double* ub_adj);
int mvc_tf_lub_free(int64_t n, const double* y, const double* lb,
                    int64_t lb_stride, const double* ub, int64_t ub_stride,
                    double* x, char* err, int64_t err_len);
int mvc_tf_lub_check(int64_t n, const double* y, const double* lb,
                     int64_t lb_stride, const double* ub, int64_t ub_stride,
                     char* err, int64_t err_len);

/* ----- <offset=mu, multiplier=sigma>: y = mu + sigma x, log|J| = log sigma ---
 * Error unless mu is finite and sigma positive and finite. */
int mvc_tf_offset_multiplier_constrain(int64_t n, const double* x,
                                       const double* mu, int64_t mu_stride,
                                       const double* sigma,
                                       int64_t sigma_stride, double* y,
                                       double* lp, char* err, int64_t err_len);
void mvc_tf_offset_multiplier_grad(int64_t n, const double* x, const double* y,
                                   const double* mu, int64_t mu_stride,
                                   const double* sigma, int64_t sigma_stride,
                                   const double* y_adj, int jacobian,
                                   double* x_adj, double* mu_adj,
                                   double* sigma_adj);
int mvc_tf_offset_multiplier_free(int64_t n, const double* y, const double* mu,
                                  int64_t mu_stride, const double* sigma,
                                  int64_t sigma_stride, double* x, char* err,
                                  int64_t err_len);

/* ---------------- simplex[K]: K-1 unconstrained (K >= 1) -----------------
 * Stan 2.37+ (stan-dev/math PR #3171): y = softmax(sum_to_zero_constrain(x)),
 * the inverse isometric log ratio; log|J| = sum(log y) + 0.5 log K. */
int64_t mvc_tf_simplex_free_size(int64_t K);
int mvc_tf_simplex_constrain(int64_t K, const double* x, double* y, double* lp,
                             char* err, int64_t err_len);
void mvc_tf_simplex_grad(int64_t K, const double* x, const double* y,
                         const double* y_adj, int jacobian, double* x_adj);
int mvc_tf_simplex_free(int64_t K, const double* y, double* x, char* err,
                        int64_t err_len);
int mvc_tf_simplex_check(int64_t K, const double* y, char* err,
                         int64_t err_len);

/* ---------------- sum_to_zero_vector[K]: K-1 unconstrained ---------------
 * The linear isometric map used by simplex; no Jacobian term. */
int64_t mvc_tf_sum_to_zero_free_size(int64_t K);
int mvc_tf_sum_to_zero_constrain(int64_t K, const double* x, double* y,
                                 double* lp, char* err, int64_t err_len);
void mvc_tf_sum_to_zero_grad(int64_t K, const double* x, const double* y,
                             const double* y_adj, int jacobian, double* x_adj);
int mvc_tf_sum_to_zero_free(int64_t K, const double* y, double* x, char* err,
                            int64_t err_len);
int mvc_tf_sum_to_zero_check(int64_t K, const double* y, char* err,
                             int64_t err_len);

/* ---------------- unit_vector[K]: K unconstrained ------------------------
 * y = x / |x|; the "Jacobian" term is Stan's -0.5 |x|^2 (a N(0, I) prior on
 * x that makes the radius proper). Error if |x|^2 is 0 or not finite. */
int64_t mvc_tf_unit_vector_free_size(int64_t K);
int mvc_tf_unit_vector_constrain(int64_t K, const double* x, double* y,
                                 double* lp, char* err, int64_t err_len);
void mvc_tf_unit_vector_grad(int64_t K, const double* x, const double* y,
                             const double* y_adj, int jacobian, double* x_adj);
int mvc_tf_unit_vector_free(int64_t K, const double* y, double* x, char* err,
                            int64_t err_len);
int mvc_tf_unit_vector_check(int64_t K, const double* y, char* err,
                             int64_t err_len);

/* ---------------- ordered[K]: K unconstrained ----------------------------
 * y1 = x1, yk = y(k-1) + exp(xk); log|J| = sum_{k>=2} xk. */
int64_t mvc_tf_ordered_free_size(int64_t K);
int mvc_tf_ordered_constrain(int64_t K, const double* x, double* y, double* lp,
                             char* err, int64_t err_len);
void mvc_tf_ordered_grad(int64_t K, const double* x, const double* y,
                         const double* y_adj, int jacobian, double* x_adj);
int mvc_tf_ordered_free(int64_t K, const double* y, double* x, char* err,
                        int64_t err_len);
int mvc_tf_ordered_check(int64_t K, const double* y, char* err,
                         int64_t err_len);

/* ---------------- positive_ordered[K]: K unconstrained -------------------
 * y1 = exp(x1), yk = y(k-1) + exp(xk); log|J| = sum_k xk. */
int64_t mvc_tf_positive_ordered_free_size(int64_t K);
int mvc_tf_positive_ordered_constrain(int64_t K, const double* x, double* y,
                                      double* lp, char* err, int64_t err_len);
void mvc_tf_positive_ordered_grad(int64_t K, const double* x, const double* y,
                                  const double* y_adj, int jacobian,
                                  double* x_adj);
int mvc_tf_positive_ordered_free(int64_t K, const double* y, double* x,
                                 char* err, int64_t err_len);
int mvc_tf_positive_ordered_check(int64_t K, const double* y, char* err,
                                  int64_t err_len);

/* ---------------- cholesky_factor_corr[K]: K(K-1)/2 unconstrained --------
 * x is the strictly lower triangle in ROW-major order; z = tanh(x) are
 * canonical partial correlations; L(i,j) = z_ij sqrt(1 - sum_{l<j} L(i,l)^2),
 * L(i,i) = sqrt(1 - sum_{l<i} L(i,l)^2). y is K x K (upper triangle 0). */
int64_t mvc_tf_cholesky_corr_free_size(int64_t K);
int64_t mvc_tf_cholesky_corr_scratch_size(int64_t K);
int mvc_tf_cholesky_corr_constrain(int64_t K, const double* x, double* y,
                                   double* lp, double* scratch, char* err,
                                   int64_t err_len);
void mvc_tf_cholesky_corr_grad(int64_t K, const double* x, const double* y,
                               const double* y_adj, int jacobian,
                               double* x_adj, double* scratch);
int mvc_tf_cholesky_corr_free(int64_t K, const double* y, double* x,
                              double* scratch, char* err, int64_t err_len);
int mvc_tf_cholesky_corr_check(int64_t K, const double* y, char* err,
                               int64_t err_len);

/* ---------------- cholesky_factor_cov[M, N] (M >= N) ---------------------
 * N(N+1)/2 + (M-N)N unconstrained, row-major over the lower trapezoid, with
 * log of the diagonal; log|J| = sum of the diagonal x. y is M x N. */
int64_t mvc_tf_cholesky_cov_free_size(int64_t M, int64_t N);
int mvc_tf_cholesky_cov_constrain(int64_t M, int64_t N, const double* x,
                                  double* y, double* lp, char* err,
                                  int64_t err_len);
void mvc_tf_cholesky_cov_grad(int64_t M, int64_t N, const double* x,
                              const double* y, const double* y_adj,
                              int jacobian, double* x_adj);
int mvc_tf_cholesky_cov_free(int64_t M, int64_t N, const double* y, double* x,
                             char* err, int64_t err_len);
int mvc_tf_cholesky_cov_check(int64_t M, int64_t N, const double* y,
                              char* err, int64_t err_len);

/* ---------------- corr_matrix[K]: K(K-1)/2 unconstrained -----------------
 * Same Cholesky construction as cholesky_factor_corr but x is in COLUMN-major
 * order of the strictly lower triangle (Stan's read_corr_L); y = L L'. */
int64_t mvc_tf_corr_matrix_free_size(int64_t K);
int64_t mvc_tf_corr_matrix_scratch_size(int64_t K);
int mvc_tf_corr_matrix_constrain(int64_t K, const double* x, double* y,
                                 double* lp, double* scratch, char* err,
                                 int64_t err_len);
void mvc_tf_corr_matrix_grad(int64_t K, const double* x, const double* y,
                             const double* y_adj, int jacobian, double* x_adj,
                             double* scratch);
int mvc_tf_corr_matrix_free(int64_t K, const double* y, double* x,
                            double* scratch, char* err, int64_t err_len);
int mvc_tf_corr_matrix_check(int64_t K, const double* y, double* scratch,
                             char* err, int64_t err_len);

/* ---------------- cov_matrix[K]: K(K+1)/2 unconstrained ------------------
 * L lower triangular read row-major with exp on the diagonal; y = L L';
 * log|J| = K log 2 + sum_k (K - k + 1) log L(k,k)   (k 0-based). */
int64_t mvc_tf_cov_matrix_free_size(int64_t K);
int64_t mvc_tf_cov_matrix_scratch_size(int64_t K);
int mvc_tf_cov_matrix_constrain(int64_t K, const double* x, double* y,
                                double* lp, double* scratch, char* err,
                                int64_t err_len);
void mvc_tf_cov_matrix_grad(int64_t K, const double* x, const double* y,
                            const double* y_adj, int jacobian, double* x_adj,
                            double* scratch);
int mvc_tf_cov_matrix_free(int64_t K, const double* y, double* x,
                           double* scratch, char* err, int64_t err_len);
int mvc_tf_cov_matrix_check(int64_t K, const double* y, double* scratch,
                            char* err, int64_t err_len);

#ifdef __cplusplus
}
#endif

#endif /* MVC_TRANSFORMS_H */
