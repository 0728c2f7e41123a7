// Vector constraint transforms: simplex (Stan 2.37+ inverse ILR),
// sum_to_zero_vector, unit_vector, ordered, positive_ordered. Stan's
// definitions (stan/math/prim/constraint/*); math in docs/transforms.md.
#include <Eigen/Core>
#include <cmath>

#include "mvc/transforms.h"
#include "transforms_util.h"

using namespace mvc::tf;

namespace {

using VecMap = Eigen::Map<Eigen::VectorXd>;
using ConstVecMap = Eigen::Map<const Eigen::VectorXd>;

// z = V x, V the K x (K-1) orthonormal basis of {z : sum z = 0} whose
// column i (1-based) is (1, ..., 1, -i, 0, ..., 0) / sqrt(i (i + 1)) with
// i ones: Stan's sum_to_zero_constrain (pivot coordinates of the ILR).
void sum_to_zero_forward(int64_t K, const double* x, double* z) {
  for (int64_t j = 0; j < K; ++j) z[j] = 0;
  double sum_w = 0;
  for (int64_t i = K - 1; i > 0; --i) {
    const double n = static_cast<double>(i);
    const double w = x[i - 1] / std::sqrt(n * (n + 1));
    sum_w += w;
    z[i - 1] += sum_w;
    z[i] -= w * n;
  }
}

// x_adj += V' z_adj, with z_adj(j) supplied by a functor (no temporary):
// (V' g)_i = (g_1 + ... + g_i - i g_(i+1)) / sqrt(i (i + 1)).
template <class Adj>
void sum_to_zero_reverse(int64_t K, Adj&& z_adj, double* x_adj) {
  double prefix = 0;
  for (int64_t i = 1; i < K; ++i) {
    prefix += z_adj(i - 1);
    const double n = static_cast<double>(i);
    x_adj[i - 1] += (prefix - n * z_adj(i)) / std::sqrt(n * (n + 1));
  }
}

int need_size(int64_t K, int64_t min, const char* what, char* err, int64_t err_len) {
  if (K < min)
    return fail(err, err_len, "%s size is %lld, but must be at least %lld", what,
                static_cast<long long>(K), static_cast<long long>(min));
  return MVC_TF_OK;
}

}  // namespace

extern "C" {

// ============================ sum_to_zero ===================================

int64_t mvc_tf_sum_to_zero_free_size(int64_t K) { return K > 0 ? K - 1 : 0; }

int mvc_tf_sum_to_zero_constrain(int64_t K, const double* x, double* y, double*,
                                 char* err, int64_t err_len) {
  if (need_size(K, 1, "sum_to_zero_vector", err, err_len)) return MVC_TF_ERROR;
  sum_to_zero_forward(K, x, y);
  return MVC_TF_OK;
}

void mvc_tf_sum_to_zero_grad(int64_t K, const double*, const double*,
                             const double* y_adj, int, double* x_adj) {
  sum_to_zero_reverse(K, [y_adj](int64_t j) { return y_adj[j]; }, x_adj);
}

int mvc_tf_sum_to_zero_check(int64_t K, const double* y, char* err, int64_t err_len) {
  if (need_size(K, 1, "sum_to_zero_vector", err, err_len)) return MVC_TF_ERROR;
  const double s = ConstVecMap(y, K).sum();
  if (!(std::fabs(s) <= kTolerance))
    return fail(err, err_len, "does not sum to zero: the sum is %.10g, but must be 0", s);
  return MVC_TF_OK;
}

int mvc_tf_sum_to_zero_free(int64_t K, const double* y, double* x, char* err,
                            int64_t err_len) {
  if (mvc_tf_sum_to_zero_check(K, y, err, err_len)) return MVC_TF_ERROR;
  for (int64_t i = 0; i + 1 < K; ++i) x[i] = 0;
  sum_to_zero_reverse(K, [y](int64_t j) { return y[j]; }, x);  // V' y (V orthonormal)
  return MVC_TF_OK;
}

// ============================== simplex =====================================

int64_t mvc_tf_simplex_free_size(int64_t K) { return K > 0 ? K - 1 : 0; }

int mvc_tf_simplex_constrain(int64_t K, const double* x, double* y, double* lp,
                             char* err, int64_t err_len) {
  if (need_size(K, 1, "simplex", err, err_len)) return MVC_TF_ERROR;
  if (K == 1) {  // no free coordinates; Stan adds nothing to lp
    y[0] = 1;
    return MVC_TF_OK;
  }
  sum_to_zero_forward(K, x, y);  // z in y
  VecMap z(y, K);
  const double zmax = z.maxCoeff();
  z.array() = (z.array() - zmax).exp();
  const double d = z.sum();
  z /= d;
  // log|J| = sum(log y) + 0.5 log K = -K logsumexp(z) + 0.5 log K (sum z = 0).
  if (lp) *lp += -static_cast<double>(K) * (zmax + std::log(d)) + 0.5 * std::log(double(K));
  return MVC_TF_OK;
}

void mvc_tf_simplex_grad(int64_t K, const double*, const double* y,
                         const double* y_adj, int jacobian, double* x_adj) {
  if (K <= 1) return;
  // softmax reverse: z_adj = y .* (g - g.y); Jacobian: d(-K lse(z))/dz = -K y.
  const double gy = ConstVecMap(y_adj, K).dot(ConstVecMap(y, K));
  const double jk = jacobian ? static_cast<double>(K) : 0.0;
  sum_to_zero_reverse(
      K, [=](int64_t j) { return y[j] * (y_adj[j] - gy - jk); }, x_adj);
}

int mvc_tf_simplex_check(int64_t K, const double* y, char* err, int64_t err_len) {
  if (need_size(K, 1, "simplex", err, err_len)) return MVC_TF_ERROR;
  for (int64_t i = 0; i < K; ++i)
    if (!(y[i] >= 0))
      return fail(err, err_len,
                  "is not a valid simplex: element %lld is %.10g, but must be "
                  "greater than or equal to 0",
                  static_cast<long long>(i + 1), y[i]);
  const double s = ConstVecMap(y, K).sum();
  if (!(std::fabs(1 - s) <= kTolerance))
    return fail(err, err_len, "is not a valid simplex: the sum is %.10g, but must be 1", s);
  return MVC_TF_OK;
}

int mvc_tf_simplex_free(int64_t K, const double* y, double* x, char* err,
                        int64_t err_len) {
  if (mvc_tf_simplex_check(K, y, err, err_len)) return MVC_TF_ERROR;
  // x = V' log(y) (the constant log-normaliser is orthogonal to V).
  for (int64_t i = 0; i + 1 < K; ++i) x[i] = 0;
  sum_to_zero_reverse(K, [y](int64_t j) { return std::log(y[j]); }, x);
  return MVC_TF_OK;
}

// ============================ unit_vector ===================================

int64_t mvc_tf_unit_vector_free_size(int64_t K) { return K; }

int mvc_tf_unit_vector_constrain(int64_t K, const double* x, double* y, double* lp,
                                 char* err, int64_t err_len) {
  if (need_size(K, 1, "unit_vector", err, err_len)) return MVC_TF_ERROR;
  const double sn = ConstVecMap(x, K).squaredNorm();
  if (!(sn > 0) || !std::isfinite(sn))
    return fail(err, err_len,
                "the squared norm of the unconstrained unit_vector is %.10g, but "
                "must be positive and finite",
                sn);
  VecMap(y, K) = ConstVecMap(x, K) / std::sqrt(sn);
  if (lp) *lp -= 0.5 * sn;
  return MVC_TF_OK;
}

void mvc_tf_unit_vector_grad(int64_t K, const double* x, const double* y,
                             const double* y_adj, int jacobian, double* x_adj) {
  ConstVecMap xv(x, K), yv(y, K), g(y_adj, K);
  VecMap xa(x_adj, K);
  const double r = xv.norm();
  // dy/dx = (I - y y') / r.
  xa += (g - yv * yv.dot(g)) / r;
  if (jacobian) xa -= xv;
}

int mvc_tf_unit_vector_check(int64_t K, const double* y, char* err, int64_t err_len) {
  if (need_size(K, 1, "unit_vector", err, err_len)) return MVC_TF_ERROR;
  const double ssq = ConstVecMap(y, K).squaredNorm();
  if (!(std::fabs(1 - ssq) <= kTolerance))
    return fail(err, err_len,
                "is not a valid unit vector: the sum of the squares of the elements "
                "is %.10g, but must be 1",
                ssq);
  return MVC_TF_OK;
}

int mvc_tf_unit_vector_free(int64_t K, const double* y, double* x, char* err,
                            int64_t err_len) {
  if (mvc_tf_unit_vector_check(K, y, err, err_len)) return MVC_TF_ERROR;
  VecMap(x, K) = ConstVecMap(y, K);
  return MVC_TF_OK;
}

// ============================== ordered =====================================

int64_t mvc_tf_ordered_free_size(int64_t K) { return K; }

int mvc_tf_ordered_constrain(int64_t K, const double* x, double* y, double* lp,
                             char*, int64_t) {
  if (K <= 0) return MVC_TF_OK;
  y[0] = x[0];
  double acc = 0;
  for (int64_t k = 1; k < K; ++k) {
    y[k] = y[k - 1] + std::exp(x[k]);
    acc += x[k];
  }
  if (lp) *lp += acc;
  return MVC_TF_OK;
}

void mvc_tf_ordered_grad(int64_t K, const double* x, const double*,
                         const double* y_adj, int jacobian, double* x_adj) {
  double c = 0;  // sum of y_adj[k..K-1]
  for (int64_t k = K - 1; k >= 1; --k) {
    c += y_adj[k];
    x_adj[k] += c * std::exp(x[k]) + (jacobian ? 1.0 : 0.0);
  }
  if (K > 0) x_adj[0] += c + y_adj[0];
}

int mvc_tf_ordered_check(int64_t K, const double* y, char* err, int64_t err_len) {
  for (int64_t k = 0; k < K; ++k)
    if (std::isnan(y[k]))
      return fail(err, err_len, "is not a valid ordered vector: element %lld is nan",
                  static_cast<long long>(k + 1));
  for (int64_t k = 1; k < K; ++k)
    if (!(y[k] > y[k - 1]))
      return fail(err, err_len,
                  "is not a valid ordered vector: element %lld is %.10g, but must be "
                  "greater than the previous element, %.10g",
                  static_cast<long long>(k + 1), y[k], y[k - 1]);
  return MVC_TF_OK;
}

int mvc_tf_ordered_free(int64_t K, const double* y, double* x, char* err,
                        int64_t err_len) {
  if (mvc_tf_ordered_check(K, y, err, err_len)) return MVC_TF_ERROR;
  if (K <= 0) return MVC_TF_OK;
  x[0] = y[0];
  for (int64_t k = 1; k < K; ++k) x[k] = std::log(y[k] - y[k - 1]);
  return MVC_TF_OK;
}

// ========================== positive_ordered ================================

int64_t mvc_tf_positive_ordered_free_size(int64_t K) { return K; }

int mvc_tf_positive_ordered_constrain(int64_t K, const double* x, double* y,
                                      double* lp, char*, int64_t) {
  if (K <= 0) return MVC_TF_OK;
  y[0] = std::exp(x[0]);
  double acc = x[0];
  for (int64_t k = 1; k < K; ++k) {
    y[k] = y[k - 1] + std::exp(x[k]);
    acc += x[k];
  }
  if (lp) *lp += acc;
  return MVC_TF_OK;
}

void mvc_tf_positive_ordered_grad(int64_t K, const double* x, const double*,
                                  const double* y_adj, int jacobian, double* x_adj) {
  double c = 0;
  for (int64_t k = K - 1; k >= 0; --k) {
    c += y_adj[k];
    x_adj[k] += c * std::exp(x[k]) + (jacobian ? 1.0 : 0.0);
  }
}

int mvc_tf_positive_ordered_check(int64_t K, const double* y, char* err,
                                  int64_t err_len) {
  if (K > 0 && !(y[0] >= 0))
    return fail(err, err_len,
                "is not a valid positive_ordered vector: element 1 is %.10g, but "
                "must be greater than or equal to 0",
                y[0]);
  for (int64_t k = 1; k < K; ++k)
    if (!(y[k] > y[k - 1]))
      return fail(err, err_len,
                  "is not a valid positive_ordered vector: element %lld is %.10g, "
                  "but must be greater than the previous element, %.10g",
                  static_cast<long long>(k + 1), y[k], y[k - 1]);
  return MVC_TF_OK;
}

int mvc_tf_positive_ordered_free(int64_t K, const double* y, double* x, char* err,
                                 int64_t err_len) {
  if (mvc_tf_positive_ordered_check(K, y, err, err_len)) return MVC_TF_ERROR;
  if (K <= 0) return MVC_TF_OK;
  x[0] = std::log(y[0]);
  for (int64_t k = 1; k < K; ++k) x[k] = std::log(y[k] - y[k - 1]);
  return MVC_TF_OK;
}

}  // extern "C"
