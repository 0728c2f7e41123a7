// A tiny hand-written model for data validation and layouts, as generated code would be:
//
//   data {
//     int<lower=1> K;
//     int<lower=0> G;
//     array[G] cov_matrix[K] Sigma;
//     array[G] vector[K] y;
//   }
//   transformed data {   // hoisted: one Cholesky factor per group
//     array[G] matrix[K, K] L = cholesky_decompose(Sigma[g]) for each g;
//   }
//   parameters {
//     array[G] vector[K] mu;
//     simplex[K] w;
//   }
//   model {
//     for (g in 1:G) y[g] ~ multi_normal(mu[g], Sigma[g]);
//   }
//
// mu is an array of vectors (memory order differs from BridgeStan's order) and w a simplex
// (K constrained values, K - 1 unconstrained), so the runtime's reordering and names are
// exercised. Sigma is checked with mvc_tf_cov_matrix_check, element by element.
#include <cmath>
#include <cstdlib>

#include "mvc/generated.h"
#include "mvc/transforms.h"

namespace {
constexpr double kLogSqrt2Pi = 0.91893853320467274178;
const double kOne = 1.0, kZero = 0.0;
}  // namespace

struct mvc_gen_model {
  int64_t K, G;
  const double* Sigma;  // G x (K x K), memory order
  const double* y;      // G x K
  double* L;            // transformed data: Cholesky factors, G x (K x K), column-major
  double log_det_sum;   // sum_g log det Sigma[g]
  mvc_gen_var vars[2];
};

struct mvc_gen_scratch {
  double* r;      // K: residual, then solves
  double* w;      // K: the simplex
  double* w_adj;  // K: zero (no density on w)
};

namespace {

// Lower Cholesky factor of a symmetric positive definite K x K matrix (column-major).
void cholesky(int64_t K, const double* A, double* L) {
  for (int64_t j = 0; j < K; ++j) {
    for (int64_t i = 0; i < j; ++i) L[i + j * K] = 0;
    double d = A[j + j * K];
    for (int64_t k = 0; k < j; ++k) d -= L[j + k * K] * L[j + k * K];
    L[j + j * K] = std::sqrt(d);
    for (int64_t i = j + 1; i < K; ++i) {
      double v = A[i + j * K];
      for (int64_t k = 0; k < j; ++k) v -= L[i + k * K] * L[j + k * K];
      L[i + j * K] = v / L[j + j * K];
    }
  }
}

// r <- L^{-1} r, then L^{-T} r: r becomes Sigma^{-1} r.
void solve_forward(int64_t K, const double* L, double* r) {
  for (int64_t i = 0; i < K; ++i) {
    double v = r[i];
    for (int64_t k = 0; k < i; ++k) v -= L[i + k * K] * r[k];
    r[i] = v / L[i + i * K];
  }
}
void solve_backward(int64_t K, const double* L, double* r) {
  for (int64_t i = K - 1; i >= 0; --i) {
    double v = r[i];
    for (int64_t k = i + 1; k < K; ++k) v -= L[k + i * K] * r[k];
    r[i] = v / L[i + i * K];
  }
}

}  // namespace

extern "C" {

const char* mvc_gen_name(void) { return "groups"; }

mvc_gen_model* mvc_gen_construct(mvc_rt_context* ctx) {
  static const mvc_rt_decl decl_K = {"K", "int<lower=1>", 1, 0, 0, nullptr, 0, nullptr, nullptr};
  const double* K_data = mvc_rt_data(ctx, &decl_K);
  if (!K_data || mvc_rt_check_bounds(ctx, &decl_K, K_data, &kOne, 0, nullptr, 0)) return nullptr;
  const int64_t K = static_cast<int64_t>(K_data[0]);
  static const mvc_rt_decl decl_G = {"G", "int<lower=0>", 1, 0, 0, nullptr, 0, nullptr, nullptr};
  const double* G_data = mvc_rt_data(ctx, &decl_G);
  if (!G_data || mvc_rt_check_bounds(ctx, &decl_G, G_data, &kZero, 0, nullptr, 0)) return nullptr;
  const int64_t G = static_cast<int64_t>(G_data[0]);

  static const char* const size_names[] = {"G", "K"};
  const int64_t size_values[] = {G, K};
  const int64_t dims_Sigma[] = {G, K, K};
  const mvc_rt_decl decl_Sigma = {"Sigma", "array[G] cov_matrix[K]", 0, 3, 1, dims_Sigma, 2, size_names, size_values};
  const double* Sigma = mvc_rt_data(ctx, &decl_Sigma);
  if (!Sigma) return nullptr;
  {
    // cov_matrix check of each element; the scratch is small and only needed here
    double* scratch = static_cast<double*>(std::malloc(sizeof(double) * mvc_tf_cov_matrix_scratch_size(K)));
    if (!scratch) return mvc_rt_error(ctx, 2, "out of memory"), nullptr;
    char err[512];
    for (int64_t g = 0; g < G; ++g) {
      if (mvc_tf_cov_matrix_check(K, Sigma + g * K * K, scratch, err, sizeof err)) {
        std::free(scratch);
        mvc_rt_data_constraint_error(ctx, &decl_Sigma, g, err);
        return nullptr;
      }
    }
    std::free(scratch);
  }
  const int64_t dims_y[] = {G, K};
  const mvc_rt_decl decl_y = {"y", "array[G] vector[K]", 0, 2, 1, dims_y, 2, size_names, size_values};
  const double* y = mvc_rt_data(ctx, &decl_y);
  if (!y) return nullptr;

  mvc_gen_model* m = static_cast<mvc_gen_model*>(std::calloc(1, sizeof(mvc_gen_model)));
  double* L = static_cast<double*>(std::calloc(static_cast<size_t>(G * K * K + 1), sizeof(double)));
  if (!m || !L) {
    std::free(m);
    std::free(L);
    return mvc_rt_error(ctx, 2, "out of memory"), nullptr;
  }
  m->K = K;
  m->G = G;
  m->Sigma = Sigma;
  m->y = y;
  m->L = L;
  for (int64_t g = 0; g < G; ++g) {
    cholesky(K, Sigma + g * K * K, L + g * K * K);
    for (int64_t k = 0; k < K; ++k) m->log_det_sum += 2 * std::log(L[g * K * K + k + k * K]);
  }
  m->vars[0] = mvc_gen_var{"mu", MVC_GEN_PARAM, 2, {G, K}, 1, 0, G * K, 2, {G, K}};
  m->vars[1] = mvc_gen_var{"w", MVC_GEN_PARAM, 1, {K}, 0, 0, K - 1, 1, {K - 1}};
  return m;
}

void mvc_gen_destruct(mvc_gen_model* m) {
  if (!m) return;
  std::free(m->L);
  std::free(m);
}

mvc_gen_scratch* mvc_gen_scratch_new(const mvc_gen_model* m) {
  mvc_gen_scratch* s = static_cast<mvc_gen_scratch*>(std::calloc(1, sizeof(mvc_gen_scratch)));
  double* block = static_cast<double*>(std::calloc(static_cast<size_t>(3 * m->K), sizeof(double)));
  if (!s || !block) {
    std::free(s);
    std::free(block);
    return nullptr;
  }
  s->r = block;
  s->w = block + m->K;
  s->w_adj = block + 2 * m->K;
  return s;
}

void mvc_gen_scratch_delete(mvc_gen_scratch* s) {
  if (!s) return;
  std::free(s->r);
  std::free(s);
}

const mvc_gen_var* mvc_gen_vars(const mvc_gen_model* m, int* count) {
  *count = 2;
  return m->vars;
}

int mvc_gen_log_density(const mvc_gen_model* m, mvc_gen_scratch* s, mvc_rt_context* ctx, const double* x,
                        int propto, int jacobian, double* lp_out, double* grad) {
  const int64_t K = m->K, G = m->G;
  char err[256];
  double lp = 0;
  const double* mu = x;          // G x K, memory order
  const double* w_free = x + G * K;
  if (mvc_tf_simplex_constrain(K, w_free, s->w, jacobian ? &lp : nullptr, err, sizeof err))
    return mvc_rt_error(ctx, 1, "w: %s", err);
  double* r = s->r;
  for (int64_t g = 0; g < G; ++g) {
    const double* L = m->L + g * K * K;
    for (int64_t k = 0; k < K; ++k) r[k] = m->y[g * K + k] - mu[g * K + k];
    solve_forward(K, L, r);
    double q = 0;
    for (int64_t k = 0; k < K; ++k) q += r[k] * r[k];
    lp += -0.5 * q;
    if (grad) {  // d/dmu = Sigma^{-1} (y - mu)
      solve_backward(K, L, r);
      for (int64_t k = 0; k < K; ++k) grad[g * K + k] = r[k];
    }
  }
  if (!propto) lp += -static_cast<double>(G * K) * kLogSqrt2Pi - 0.5 * m->log_det_sum;
  *lp_out = lp;
  if (grad) {
    for (int64_t k = 0; k < K - 1; ++k) grad[G * K + k] = 0;
    mvc_tf_simplex_grad(K, w_free, s->w, s->w_adj, jacobian, grad + G * K);
  }
  return 0;
}

int mvc_gen_write_array(const mvc_gen_model* m, mvc_gen_scratch* /*s*/, mvc_rt_context* ctx, const double* x,
                        int /*include_tp*/, int /*include_gq*/, double* out) {
  const int64_t n = m->G * m->K;
  char err[256];
  for (int64_t i = 0; i < n; ++i) out[i] = x[i];
  if (mvc_tf_simplex_constrain(m->K, x + n, out + n, nullptr, err, sizeof err))
    return mvc_rt_error(ctx, 1, "w: %s", err);
  return 0;
}

int mvc_gen_unconstrain(const mvc_gen_model* m, mvc_gen_scratch* /*s*/, mvc_rt_context* ctx, const double* c,
                        double* x) {
  const int64_t n = m->G * m->K;
  char err[256];
  for (int64_t i = 0; i < n; ++i) x[i] = c[i];
  if (mvc_tf_simplex_free(m->K, c + n, x + n, err, sizeof err))
    return mvc_rt_error(ctx, 2, "variable 'w' %s", err);
  return 0;
}

}  // extern "C"
