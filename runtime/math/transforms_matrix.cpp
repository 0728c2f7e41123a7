// Matrix constraint transforms: cholesky_factor_corr, cholesky_factor_cov,
// corr_matrix, cov_matrix. Stan's definitions (stan/math/prim/constraint/
// cholesky_corr_*, cholesky_factor_*, corr_matrix_*, cov_matrix_*, and
// prim/fun/read_corr_L.hpp); math in docs/transforms.md.
//
// All matrices are column-major: A(i, j) = A[i + j * rows].
#include <cmath>

#include "mvc/transforms.h"
#include "transforms_util.h"

using namespace mvc::tf;

namespace {

// ---- the canonical-partial-correlation Cholesky factor ---------------------
//
// Row i of L from the unconstrained values x_ij (j < i), z = tanh(x):
//   s_0 = 1,  L(i,j) = z_ij s_j,  s_(j+1) = s_j sech(x_ij),  L(i,i) = s_i,
// which is Stan's L(i,j) = z_ij sqrt(1 - sum_{l<j} L(i,l)^2) without the
// cancellation. Pos maps (i, j) to the index of x_ij; Coef gives the
// coefficient of log(1 - z_ij^2) in log|J| (it differs between
// cholesky_factor_corr and corr_matrix, whose Jacobians are w.r.t. L and
// w.r.t. L L' respectively).

struct RowMajorPos {  // cholesky_factor_corr: strictly lower triangle by rows
  int64_t K;
  int64_t operator()(int64_t i, int64_t j) const { return i * (i - 1) / 2 + j; }
  // log|d strict-lower(L) / dx|: each log(1 - z^2) once from tanh, plus
  // 0.5 log(1 - sum_{l<j} L(i,l)^2) for each L(i,j), 1 <= j < i.
  double coef(int64_t i, int64_t j) const { return 1.0 + 0.5 * double(i - 1 - j); }
};

struct ColMajorPos {  // corr_matrix: strictly lower triangle by columns
  int64_t K;
  int64_t operator()(int64_t i, int64_t j) const {
    return j * (2 * K - j - 1) / 2 + (i - j - 1);
  }
  // Stan's read_corr_L: 0.5 (K - k - 1) log(1 - cpc^2) for column k (1-based).
  double coef(int64_t, int64_t j) const { return 1.0 + 0.5 * double(K - j - 2); }
};

template <class Pos>
void cpc_cholesky_forward(int64_t K, const double* x, Pos pos, double* L, double* lp) {
  double acc = 0;
  for (int64_t j = 0; j < K; ++j)
    for (int64_t i = 0; i < j; ++i) L[i + j * K] = 0;
  for (int64_t i = 0; i < K; ++i) {
    double s = 1;
    for (int64_t j = 0; j < i; ++j) {
      const double xv = x[pos(i, j)];
      L[i + j * K] = std::tanh(xv) * s;
      s *= sech(xv);
      if (lp) acc += pos.coef(i, j) * log_sech2(xv);
    }
    L[i + i * K] = s;
  }
  if (lp) *lp += acc;
}

// x_adj += d/dx [ sum_{j<=i} Lbar(i,j) L(i,j) ] + jacobian * d log|J| / dx.
// Lbar is K x K column-major (only the lower triangle is read); s is K scratch.
template <class Pos>
void cpc_cholesky_reverse(int64_t K, const double* x, Pos pos, const double* Lbar,
                          int jacobian, double* x_adj, double* s) {
  for (int64_t i = 1; i < K; ++i) {
    s[0] = 1;
    for (int64_t j = 0; j < i; ++j) s[j + 1] = s[j] * sech(x[pos(i, j)]);
    double sbar = Lbar[i + i * K];  // adjoint of s_(j+1) as j runs down
    for (int64_t j = i - 1; j >= 0; --j) {
      const int64_t p = pos(i, j);
      const double z = std::tanh(x[p]), h = sech(x[p]), g = Lbar[i + j * K];
      // L(i,j) = tanh(x) s_j: d/dx = sech^2 s_j;  s_(j+1) = s_j sech(x):
      // d/dx = -s_j sech tanh.
      double xa = g * s[j] * h * h - sbar * s[j] * h * z;
      if (jacobian) xa += pos.coef(i, j) * (-2 * z);
      x_adj[p] += xa;
      sbar = sbar * h + g * z;
    }
  }
}

// C = L L' for lower-triangular L (K x K), written in full.
void lower_self_transpose(int64_t K, const double* L, double* C) {
  for (int64_t j = 0; j < K; ++j)
    for (int64_t i = j; i < K; ++i) {
      double v = 0;
      for (int64_t k = 0; k <= j; ++k) v += L[i + k * K] * L[j + k * K];
      C[i + j * K] = v;
      C[j + i * K] = v;
    }
}

// Lbar = lower((G + G') L): the adjoint of L for C = L L' and C_adj = G.
void lower_self_transpose_reverse(int64_t K, const double* L, const double* G,
                                  double* Lbar) {
  for (int64_t j = 0; j < K; ++j) {
    for (int64_t i = 0; i < j; ++i) Lbar[i + j * K] = 0;
    for (int64_t i = j; i < K; ++i) {
      double v = 0;
      for (int64_t k = j; k < K; ++k) v += (G[i + k * K] + G[k + i * K]) * L[k + j * K];
      Lbar[i + j * K] = v;
    }
  }
}

int check_finite(int64_t M, int64_t N, const double* y, char* err, int64_t err_len) {
  for (int64_t j = 0; j < N; ++j)
    for (int64_t i = 0; i < M; ++i)
      if (!std::isfinite(y[i + j * M]))
        return fail(err, err_len, "element [%lld,%lld] is %.10g, but must be finite",
                    static_cast<long long>(i + 1), static_cast<long long>(j + 1),
                    y[i + j * M]);
  return MVC_TF_OK;
}

int check_symmetric(int64_t K, const double* y, char* err, int64_t err_len) {
  for (int64_t j = 0; j < K; ++j)
    for (int64_t i = j + 1; i < K; ++i)
      if (!(std::fabs(y[i + j * K] - y[j + i * K]) <= kTolerance))
        return fail(err, err_len,
                    "is not symmetric: element [%lld,%lld] is %.10g, but element "
                    "[%lld,%lld] is %.10g",
                    static_cast<long long>(i + 1), static_cast<long long>(j + 1),
                    y[i + j * K], static_cast<long long>(j + 1),
                    static_cast<long long>(i + 1), y[j + i * K]);
  return MVC_TF_OK;
}

// Upper-triangle zeros of the first min(M, N) rows and a positive diagonal.
int check_lower_positive_diag(int64_t M, int64_t N, const double* y, char* err,
                              int64_t err_len) {
  for (int64_t j = 1; j < N; ++j)
    for (int64_t i = 0; i < j && i < M; ++i)
      if (y[i + j * M] != 0)
        return fail(err, err_len,
                    "is not lower triangular: element [%lld,%lld] is %.10g, but must be 0",
                    static_cast<long long>(i + 1), static_cast<long long>(j + 1),
                    y[i + j * M]);
  for (int64_t k = 0; k < N && k < M; ++k)
    if (!(y[k + k * M] > 0))
      return fail(err, err_len,
                  "diagonal element [%lld,%lld] is %.10g, but must be positive",
                  static_cast<long long>(k + 1), static_cast<long long>(k + 1),
                  y[k + k * M]);
  return MVC_TF_OK;
}

// atanh of the canonical partial correlations of row i of a Cholesky factor
// of a correlation matrix (row norm 1 up to rounding), without cancellation:
// s_j^2 = 1 - sum_{l<j} L(i,l)^2 is taken as the tail sum sum_{l>=j} L(i,l)^2
// (divided by the row norm), z = L(i,j) / s_j, 1 - z^2 = s_(j+1)^2 / s_j^2 and
// atanh(z) = sign(z) (log1p(|z|) - 0.5 log(1 - z^2)). Mathematically Stan's
// cholesky_corr_free / corr_matrix_free.
template <class Pos>
void cpc_free_row(int64_t K, const double* L, int64_t i, Pos pos, double* x, double* tail) {
  tail[i + 1] = 0;
  for (int64_t l = i; l >= 0; --l) tail[l] = tail[l + 1] + L[i + l * K] * L[i + l * K];
  for (int64_t j = 0; j < i; ++j) {
    const double v = L[i + j * K];
    const double z = v / std::sqrt(tail[j]);
    const double one_minus_z2 = tail[j + 1] / tail[j];
    const double a = std::log1p(std::fabs(z)) - 0.5 * std::log(one_minus_z2);
    x[pos(i, j)] = z < 0 ? -a : a;
  }
}

// cov_matrix: L read row-major, exp on the diagonal (Stan's cov_matrix_constrain).
void cov_read_L(int64_t K, const double* x, double* L) {
  int64_t p = 0;
  for (int64_t m = 0; m < K; ++m) {
    for (int64_t n = 0; n < m; ++n) L[m + n * K] = x[p++];
    L[m + m * K] = std::exp(x[p++]);
    for (int64_t n = m + 1; n < K; ++n) L[m + n * K] = 0;
  }
}

int need_nonneg(int64_t K, const char* what, char* err, int64_t err_len) {
  if (K < 0)
    return fail(err, err_len, "%s size is %lld, but must be non-negative", what,
                static_cast<long long>(K));
  return MVC_TF_OK;
}

}  // namespace

extern "C" {

// ======================= cholesky_factor_corr ===============================

int64_t mvc_tf_cholesky_corr_free_size(int64_t K) { return K > 0 ? K * (K - 1) / 2 : 0; }
int64_t mvc_tf_cholesky_corr_scratch_size(int64_t K) { return K > 0 ? K + 1 : 1; }

int mvc_tf_cholesky_corr_constrain(int64_t K, const double* x, double* y, double* lp,
                                   double*, char* err, int64_t err_len) {
  if (need_nonneg(K, "cholesky_factor_corr", err, err_len)) return MVC_TF_ERROR;
  cpc_cholesky_forward(K, x, RowMajorPos{K}, y, lp);
  return MVC_TF_OK;
}

void mvc_tf_cholesky_corr_grad(int64_t K, const double* x, const double*,
                               const double* y_adj, int jacobian, double* x_adj,
                               double* scratch) {
  cpc_cholesky_reverse(K, x, RowMajorPos{K}, y_adj, jacobian, x_adj, scratch);
}

int mvc_tf_cholesky_corr_check(int64_t K, const double* y, char* err, int64_t err_len) {
  if (need_nonneg(K, "cholesky_factor_corr", err, err_len)) return MVC_TF_ERROR;
  if (check_finite(K, K, y, err, err_len)) return MVC_TF_ERROR;
  if (check_lower_positive_diag(K, K, y, err, err_len)) return MVC_TF_ERROR;
  for (int64_t i = 0; i < K; ++i) {
    double ssq = 0;
    for (int64_t j = 0; j <= i; ++j) ssq += y[i + j * K] * y[i + j * K];
    if (!(std::fabs(1 - ssq) <= kTolerance))
      return fail(err, err_len,
                  "is not a valid Cholesky factor of a correlation matrix: row %lld "
                  "has sum of squares %.10g, but must have 1",
                  static_cast<long long>(i + 1), ssq);
  }
  return MVC_TF_OK;
}

int mvc_tf_cholesky_corr_free(int64_t K, const double* y, double* x, double* scratch,
                              char* err, int64_t err_len) {
  if (mvc_tf_cholesky_corr_check(K, y, err, err_len)) return MVC_TF_ERROR;
  for (int64_t i = 1; i < K; ++i) cpc_free_row(K, y, i, RowMajorPos{K}, x, scratch);
  return MVC_TF_OK;
}

// ======================= cholesky_factor_cov ================================

int64_t mvc_tf_cholesky_cov_free_size(int64_t M, int64_t N) {
  return N * (N + 1) / 2 + (M - N) * N;
}

int mvc_tf_cholesky_cov_constrain(int64_t M, int64_t N, const double* x, double* y,
                                  double* lp, char* err, int64_t err_len) {
  if (N < 0 || M < N)
    return fail(err, err_len,
                "cholesky_factor_cov has %lld rows and %lld columns, but must have "
                "at least as many rows as columns",
                static_cast<long long>(M), static_cast<long long>(N));
  int64_t p = 0;
  double acc = 0;
  for (int64_t m = 0; m < M; ++m) {
    const int64_t nlow = m < N ? m : N;  // entries left of the diagonal
    for (int64_t n = 0; n < nlow; ++n) y[m + n * M] = x[p++];
    if (m < N) {
      acc += x[p];
      y[m + m * M] = std::exp(x[p++]);
      for (int64_t n = m + 1; n < N; ++n) y[m + n * M] = 0;
    }
  }
  if (lp) *lp += acc;
  return MVC_TF_OK;
}

void mvc_tf_cholesky_cov_grad(int64_t M, int64_t N, const double* x, const double*,
                              const double* y_adj, int jacobian, double* x_adj) {
  int64_t p = 0;
  for (int64_t m = 0; m < M; ++m) {
    const int64_t nlow = m < N ? m : N;
    for (int64_t n = 0; n < nlow; ++n) x_adj[p++] += y_adj[m + n * M];
    if (m < N) {
      x_adj[p] += y_adj[m + m * M] * std::exp(x[p]) + (jacobian ? 1.0 : 0.0);
      ++p;
    }
  }
}

int mvc_tf_cholesky_cov_check(int64_t M, int64_t N, const double* y, char* err,
                              int64_t err_len) {
  if (N < 0 || M < N)
    return fail(err, err_len,
                "has %lld rows and %lld columns, but a Cholesky factor must have at "
                "least as many rows as columns",
                static_cast<long long>(M), static_cast<long long>(N));
  if (check_finite(M, N, y, err, err_len)) return MVC_TF_ERROR;
  return check_lower_positive_diag(M, N, y, err, err_len);
}

int mvc_tf_cholesky_cov_free(int64_t M, int64_t N, const double* y, double* x,
                             char* err, int64_t err_len) {
  if (mvc_tf_cholesky_cov_check(M, N, y, err, err_len)) return MVC_TF_ERROR;
  int64_t p = 0;
  for (int64_t m = 0; m < M; ++m) {
    const int64_t nlow = m < N ? m : N;
    for (int64_t n = 0; n < nlow; ++n) x[p++] = y[m + n * M];
    if (m < N) x[p++] = std::log(y[m + m * M]);
  }
  return MVC_TF_OK;
}

// ============================ corr_matrix ===================================

int64_t mvc_tf_corr_matrix_free_size(int64_t K) { return K > 0 ? K * (K - 1) / 2 : 0; }
int64_t mvc_tf_corr_matrix_scratch_size(int64_t K) {
  return K > 0 ? 2 * K * K + K + 1 : 1;
}

int mvc_tf_corr_matrix_constrain(int64_t K, const double* x, double* y, double* lp,
                                 double* scratch, char* err, int64_t err_len) {
  if (need_nonneg(K, "corr_matrix", err, err_len)) return MVC_TF_ERROR;
  double* L = scratch;
  cpc_cholesky_forward(K, x, ColMajorPos{K}, L, lp);
  lower_self_transpose(K, L, y);
  for (int64_t k = 0; k < K; ++k) y[k + k * K] = 1;  // exactly, not 1 +- eps
  return MVC_TF_OK;
}

void mvc_tf_corr_matrix_grad(int64_t K, const double* x, const double*,
                             const double* y_adj, int jacobian, double* x_adj,
                             double* scratch) {
  double* L = scratch;
  double* Lbar = scratch + K * K;
  double* s = scratch + 2 * K * K;
  cpc_cholesky_forward(K, x, ColMajorPos{K}, L, nullptr);
  lower_self_transpose_reverse(K, L, y_adj, Lbar);
  cpc_cholesky_reverse(K, x, ColMajorPos{K}, Lbar, jacobian, x_adj, s);
}

int mvc_tf_corr_matrix_check(int64_t K, const double* y, double* scratch, char* err,
                             int64_t err_len) {
  if (need_nonneg(K, "corr_matrix", err, err_len)) return MVC_TF_ERROR;
  if (check_finite(K, K, y, err, err_len)) return MVC_TF_ERROR;
  if (check_symmetric(K, y, err, err_len)) return MVC_TF_ERROR;
  for (int64_t k = 0; k < K; ++k)
    if (!(std::fabs(y[k + k * K] - 1) <= kTolerance))
      return fail(err, err_len,
                  "is not a valid correlation matrix: diagonal element [%lld,%lld] is "
                  "%.10g, but must be 1",
                  static_cast<long long>(k + 1), static_cast<long long>(k + 1),
                  y[k + k * K]);
  if (!cholesky_lower(K, y, scratch))
    return fail(err, err_len, "is not symmetric positive definite");
  return MVC_TF_OK;
}

int mvc_tf_corr_matrix_free(int64_t K, const double* y, double* x, double* scratch,
                            char* err, int64_t err_len) {
  if (mvc_tf_corr_matrix_check(K, y, scratch, err, err_len)) return MVC_TF_ERROR;
  // The Cholesky factor left in scratch by the check; its row norms are
  // sqrt(y(i,i)) = 1 within tolerance, and the tail sums normalise them away.
  const double* L = scratch;
  for (int64_t i = 1; i < K; ++i) cpc_free_row(K, L, i, ColMajorPos{K}, x, scratch + K * K);
  return MVC_TF_OK;
}

// ============================ cov_matrix ====================================

int64_t mvc_tf_cov_matrix_free_size(int64_t K) { return K > 0 ? K * (K + 1) / 2 : 0; }
int64_t mvc_tf_cov_matrix_scratch_size(int64_t K) { return K > 0 ? 2 * K * K : 1; }

int mvc_tf_cov_matrix_constrain(int64_t K, const double* x, double* y, double* lp,
                                double* scratch, char* err, int64_t err_len) {
  if (need_nonneg(K, "cov_matrix", err, err_len)) return MVC_TF_ERROR;
  double* L = scratch;
  cov_read_L(K, x, L);
  lower_self_transpose(K, L, y);
  if (lp) {
    // log|d lower(Sigma) / dx| = K log 2 + sum_m (K - m + 1) x_mm, m 0-based.
    double acc = double(K) * kLog2;
    int64_t p = 0;
    for (int64_t m = 0; m < K; ++m) {
      p += m;
      acc += double(K - m + 1) * x[p++];
    }
    *lp += acc;
  }
  return MVC_TF_OK;
}

void mvc_tf_cov_matrix_grad(int64_t K, const double* x, const double*,
                            const double* y_adj, int jacobian, double* x_adj,
                            double* scratch) {
  double* L = scratch;
  double* Lbar = scratch + K * K;
  cov_read_L(K, x, L);
  lower_self_transpose_reverse(K, L, y_adj, Lbar);
  int64_t p = 0;
  for (int64_t m = 0; m < K; ++m) {
    for (int64_t n = 0; n < m; ++n) x_adj[p++] += Lbar[m + n * K];
    x_adj[p++] += Lbar[m + m * K] * L[m + m * K] + (jacobian ? double(K - m + 1) : 0.0);
  }
}

int mvc_tf_cov_matrix_check(int64_t K, const double* y, double* scratch, char* err,
                            int64_t err_len) {
  if (need_nonneg(K, "cov_matrix", err, err_len)) return MVC_TF_ERROR;
  if (check_finite(K, K, y, err, err_len)) return MVC_TF_ERROR;
  if (check_symmetric(K, y, err, err_len)) return MVC_TF_ERROR;
  if (!cholesky_lower(K, y, scratch))
    return fail(err, err_len, "is not symmetric positive definite");
  return MVC_TF_OK;
}

int mvc_tf_cov_matrix_free(int64_t K, const double* y, double* x, double* scratch,
                           char* err, int64_t err_len) {
  if (mvc_tf_cov_matrix_check(K, y, scratch, err, err_len)) return MVC_TF_ERROR;
  const double* L = scratch;
  int64_t p = 0;
  for (int64_t m = 0; m < K; ++m) {
    for (int64_t n = 0; n < m; ++n) x[p++] = L[m + n * K];
    x[p++] = std::log(L[m + m * K]);
  }
  return MVC_TF_OK;
}

}  // extern "C"
