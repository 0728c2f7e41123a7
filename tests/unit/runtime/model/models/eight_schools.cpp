// Eight schools, non-centered (models/eight_schools_noncentered.model), written by hand as
// the code generator should emit it against mvc/generated.h. Plus a generated quantity
//   generated quantities { array[J] real y_rep = normal_rng(theta, sigma); }
// so that bs_param_constrain with include_gq and the RNG path are exercised.
//
// What generated code does, and this file shows:
//  - construction reads each data variable with mvc_rt_data (the runtime checks presence,
//    int-ness and dims), checks bounds with mvc_rt_check_bounds, and hoists data-only work
//    (here: sum(log(sigma)) for the normalizing constant);
//  - every buffer a gradient needs lives in the scratch, sized at construction;
//  - log density: constrain (mvc/transforms.h) -> forward -> reverse sweep -> transform
//    gradients; `~` statements drop constants only when propto is set;
//  - no exceptions, no heap allocation after construction.
#include <cmath>
#include <cstdlib>
#include <cstring>

#include "mvc/generated.h"
#include "mvc/transforms.h"

namespace {

constexpr double kLogSqrt2Pi = 0.91893853320467274178;  // 0.5 log(2 pi)
constexpr double kLogPi = 1.14472988584940017414;
constexpr double kPi = 3.14159265358979323846;
const double kZero = 0.0;

}  // namespace

struct mvc_gen_model {
  int64_t J;
  const double* y;      // array[J] real (owned by the runtime)
  const double* sigma;  // array[J] real<lower=0>
  double sum_log_sigma; // hoisted: the normal's constant needs it
  mvc_gen_var vars[5];
};

struct mvc_gen_scratch {
  double* theta;      // J: transformed parameter
  double* theta_adj;  // J
};

extern "C" {

const char* mvc_gen_name(void) { return "eight_schools_noncentered"; }

mvc_gen_model* mvc_gen_construct(mvc_rt_context* ctx) {
  // data { int<lower=0> J; ... }
  static const mvc_rt_decl decl_J = {"J", "int<lower=0>", 1, 0, 0, nullptr, 0, nullptr, nullptr};
  const double* J_data = mvc_rt_data(ctx, &decl_J);
  if (!J_data) return nullptr;
  if (mvc_rt_check_bounds(ctx, &decl_J, J_data, &kZero, 0, nullptr, 0)) return nullptr;
  const int64_t J = static_cast<int64_t>(J_data[0]);

  // array[J] real y;
  static const char* const sizes_J[] = {"J"};
  const int64_t dims_J[] = {J};
  const mvc_rt_decl decl_y = {"y", "array[J] real", 0, 1, 1, dims_J, 1, sizes_J, dims_J};
  const double* y = mvc_rt_data(ctx, &decl_y);
  if (!y) return nullptr;

  // array[J] real<lower=0> sigma;
  const mvc_rt_decl decl_sigma = {"sigma", "array[J] real<lower=0>", 0, 1, 1, dims_J, 1, sizes_J, dims_J};
  const double* sigma = mvc_rt_data(ctx, &decl_sigma);
  if (!sigma) return nullptr;
  if (mvc_rt_check_bounds(ctx, &decl_sigma, sigma, &kZero, 0, nullptr, 0)) return nullptr;

  mvc_gen_model* m = static_cast<mvc_gen_model*>(std::calloc(1, sizeof(mvc_gen_model)));
  if (!m) {
    mvc_rt_error(ctx, 2, "out of memory");
    return nullptr;
  }
  m->J = J;
  m->y = y;
  m->sigma = sigma;
  for (int64_t j = 0; j < J; ++j) m->sum_log_sigma += std::log(sigma[j]);

  // Output variables: name, role, ndims, dims, array_ndims, is_int, unc size, unc shape.
  m->vars[0] = mvc_gen_var{"mu", MVC_GEN_PARAM, 0, {}, 0, 0, 1, 0, {}};
  m->vars[1] = mvc_gen_var{"tau", MVC_GEN_PARAM, 0, {}, 0, 0, 1, 0, {}};
  m->vars[2] = mvc_gen_var{"theta_tilde", MVC_GEN_PARAM, 1, {J}, 0, 0, J, 1, {J}};
  m->vars[3] = mvc_gen_var{"theta", MVC_GEN_TPARAM, 1, {J}, 0, 0, 0, 0, {}};
  m->vars[4] = mvc_gen_var{"y_rep", MVC_GEN_GQ, 1, {J}, 1, 0, 0, 0, {}};
  return m;
}

void mvc_gen_destruct(mvc_gen_model* m) { std::free(m); }

mvc_gen_scratch* mvc_gen_scratch_new(const mvc_gen_model* m) {
  mvc_gen_scratch* s = static_cast<mvc_gen_scratch*>(std::calloc(1, sizeof(mvc_gen_scratch)));
  if (!s) return nullptr;
  double* block = static_cast<double*>(std::calloc(static_cast<size_t>(2 * m->J + 1), sizeof(double)));
  if (!block) {
    std::free(s);
    return nullptr;
  }
  s->theta = block;
  s->theta_adj = block + m->J;
  return s;
}

void mvc_gen_scratch_delete(mvc_gen_scratch* s) {
  if (!s) return;
  std::free(s->theta);
  std::free(s);
}

const mvc_gen_var* mvc_gen_vars(const mvc_gen_model* m, int* count) {
  *count = 5;
  return m->vars;
}

int mvc_gen_log_density(const mvc_gen_model* m, mvc_gen_scratch* s, mvc_rt_context* ctx, const double* x,
                        int propto, int jacobian, double* lp_out, double* grad) {
  const int64_t J = m->J;
  char err[256];
  double lp = 0;

  // parameters: mu = x[0]; tau = 0 + exp(x[1]); theta_tilde = x[2 .. 2+J)
  const double mu = x[0];
  double tau;
  if (mvc_tf_lb_constrain(1, x + 1, &kZero, 0, &tau, jacobian ? &lp : nullptr, err, sizeof err))
    return mvc_rt_error(ctx, 1, "tau: %s", err);
  const double* theta_tilde = x + 2;

  // transformed parameters: theta = mu + tau * theta_tilde
  double* theta = s->theta;
  for (int64_t j = 0; j < J; ++j) theta[j] = mu + tau * theta_tilde[j];

  // model
  // mu ~ normal(0, 5)
  lp += -0.5 * (mu / 5) * (mu / 5);
  if (!propto) lp += -kLogSqrt2Pi - std::log(5.0);
  // tau ~ cauchy(0, 5)
  lp += -std::log1p((tau / 5) * (tau / 5));
  if (!propto) lp += -kLogPi - std::log(5.0);
  // theta_tilde ~ normal(0, 1)
  for (int64_t j = 0; j < J; ++j) lp += -0.5 * theta_tilde[j] * theta_tilde[j];
  if (!propto) lp += -static_cast<double>(J) * kLogSqrt2Pi;
  // y ~ normal(theta, sigma)
  for (int64_t j = 0; j < J; ++j) {
    const double z = (m->y[j] - theta[j]) / m->sigma[j];
    lp += -0.5 * z * z;
  }
  if (!propto) lp += -static_cast<double>(J) * kLogSqrt2Pi - m->sum_log_sigma;
  *lp_out = lp;
  if (!grad) return 0;

  // reverse sweep
  double mu_adj = -mu / 25;
  double tau_adj = -(2 * tau / 25) / (1 + (tau / 5) * (tau / 5));
  double* theta_adj = s->theta_adj;
  for (int64_t j = 0; j < J; ++j) {
    theta_adj[j] = (m->y[j] - theta[j]) / (m->sigma[j] * m->sigma[j]);
    grad[2 + j] = -theta_tilde[j];
  }
  for (int64_t j = 0; j < J; ++j) {  // theta = mu + tau * theta_tilde
    mu_adj += theta_adj[j];
    tau_adj += theta_adj[j] * theta_tilde[j];
    grad[2 + j] += theta_adj[j] * tau;
  }
  grad[0] = mu_adj;
  grad[1] = 0;
  mvc_tf_lb_grad(1, x + 1, &tau, &kZero, 0, &tau_adj, jacobian, grad + 1, nullptr);
  return 0;
}

int mvc_gen_write_array(const mvc_gen_model* m, mvc_gen_scratch* /*s*/, mvc_rt_context* ctx, const double* x,
                        int include_tp, int include_gq, double* out) {
  const int64_t J = m->J;
  char err[256];
  double tau;
  if (mvc_tf_lb_constrain(1, x + 1, &kZero, 0, &tau, nullptr, err, sizeof err))
    return mvc_rt_error(ctx, 1, "tau: %s", err);
  double* p = out;
  *p++ = x[0];
  *p++ = tau;
  for (int64_t j = 0; j < J; ++j) *p++ = x[2 + j];
  if (!include_tp && !include_gq) return 0;
  // theta is needed by generated quantities even when it is not written
  if (include_tp)
    for (int64_t j = 0; j < J; ++j) *p++ = x[0] + tau * x[2 + j];
  if (include_gq) {
    // y_rep = normal_rng(theta, sigma): Box-Muller on two uniforms
    for (int64_t j = 0; j < J; ++j) {
      const double u1 = mvc_rt_uniform(ctx), u2 = mvc_rt_uniform(ctx);
      const double z = std::sqrt(-2 * std::log(u1)) * std::cos(2 * kPi * u2);
      *p++ = x[0] + tau * x[2 + j] + m->sigma[j] * z;
    }
  }
  return 0;
}

int mvc_gen_unconstrain(const mvc_gen_model* m, mvc_gen_scratch* /*s*/, mvc_rt_context* ctx, const double* c,
                        double* x) {
  char err[256];
  x[0] = c[0];
  if (mvc_tf_lb_free(1, c + 1, &kZero, 0, x + 1, err, sizeof err))
    return mvc_rt_error(ctx, 2, "variable 'tau': %s", err);
  for (int64_t j = 0; j < m->J; ++j) x[2 + j] = c[2 + j];
  return 0;
}

}  // extern "C"
