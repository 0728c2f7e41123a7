// Eight schools, non-centered (models/eight_schools_noncentered.model), written by hand as the
// LLVM code generator emits it against mvc/compiled.h: one mvc_v_* call per IR op, the values
// as handles, the model's slots for data and constants, the reverse sweep as autodiff writes
// it. Compare `mvc compile models/eight_schools_noncentered.model --emit=llvm`. Two additions
// exercise more of the ABI:
//   model { if (mu > 1000) reject("mu is ", mu, ", too large"); }
//   generated quantities { array[J] real y_rep = normal_rng(theta, sigma); }
// Exceptions thrown by mvc_v_* pass through these functions to runtime/compiled/glue.cpp.
#include "mvc/compiled.h"

namespace {

// Model slots (construction stores them; later functions read them).
enum Slot { kJ, kZero, kY, kSigma, kFive, kOne, kThousand, kNumSlots };

struct Ops {  // argument arrays, as generated code keeps them in allocas
  const mvc_v* a[4];
  const mvc_v* const* operator()(const mvc_v* x) { a[0] = x; return a; }
  const mvc_v* const* operator()(const mvc_v* x, const mvc_v* y) { a[0] = x; a[1] = y; return a; }
  const mvc_v* const* operator()(const mvc_v* x, const mvc_v* y, const mvc_v* z) {
    a[0] = x; a[1] = y; a[2] = z;
    return a;
  }
};

void construct(mvc_st* st) {
  mvc_v** slots = mvc_st_slots(st);
  Ops ops;
  // data { int<lower=0> J; array[J] real y; array[J] real<lower=0> sigma; }
  mvc_v* J = mvc_v_data(st, "J", "int", MVC_ELEM_INT, 0, 0, nullptr);
  slots[kJ] = J;
  mvc_v* zero = mvc_v_int(st, 0);
  slots[kZero] = zero;
  mvc_v_check(st, "J", "lower", J, 1, ops(zero));
  int64_t dims[1] = {mvc_v_as_int(J)};
  slots[kY] = mvc_v_data(st, "y", "array[J] real", MVC_ELEM_REAL, 1, 1, dims);
  mvc_v* sigma = mvc_v_data(st, "sigma", "array[J] real", MVC_ELEM_REAL, 1, 1, dims);
  slots[kSigma] = sigma;
  mvc_v_check(st, "sigma", "lower", sigma, 1, ops(zero));
  slots[kFive] = mvc_v_int(st, 5);
  slots[kOne] = mvc_v_int(st, 1);
  slots[kThousand] = mvc_v_int(st, 1000);
  // parameters { real mu; real<lower=0> tau; vector[J] theta_tilde; }
  mvc_st_declare_param(st, "mu", "", MVC_ELEM_REAL, 0, 0, nullptr);
  mvc_st_declare_param(st, "tau", "lower", MVC_ELEM_REAL, 0, 0, nullptr);
  mvc_st_declare_param(st, "theta_tilde", "", MVC_ELEM_VECTOR, 0, 1, dims);
  mvc_st_declare_out(st, "theta", MVC_OUT_TPARAM, MVC_ELEM_VECTOR, 0, 1, dims);
  mvc_st_declare_out(st, "y_rep", MVC_OUT_GQ, MVC_ELEM_REAL, 1, 1, dims);
}

// theta = mu + tau * theta_tilde (a variable, as the IR declares it).
struct Theta {
  mvc_v *var, *prod, *sum;
};
Theta transformedParameters(mvc_st* st, mvc_v** slots, mvc_v* mu, mvc_v* tau, mvc_v* theta_tilde) {
  static void* cache_mul = nullptr;
  static void* cache_add = nullptr;
  Ops ops;
  int64_t dims[1] = {mvc_v_as_int(slots[kJ])};
  Theta t;
  t.var = mvc_v_var(st, MVC_ELEM_VECTOR, 0, 1, dims);
  t.prod = mvc_v_call(st, &cache_mul, "operator*", MVC_ELEM_VECTOR, 0, 2, ops(tau, theta_tilde));
  t.sum = mvc_v_call(st, &cache_add, "operator+", MVC_ELEM_VECTOR, 0, 2, ops(mu, t.prod));
  mvc_v_store(st, t.var, t.sum, "", 0, nullptr);
  return t;
}

void log_density(mvc_st* st) {
  static void* cache_gt = nullptr;
  static void* cache_sum1 = nullptr;
  static void* cache_emul = nullptr;
  static void* cache_sum2 = nullptr;
  static void* cache_mul = nullptr;
  mvc_v** slots = mvc_st_slots(st);
  Ops ops, ops2;
  mvc_v* mu = mvc_v_param(st, 0, 0, nullptr);
  mvc_v* tau = mvc_v_param(st, 1, 1, ops(slots[kZero]));
  mvc_v* theta_tilde = mvc_v_param(st, 2, 0, nullptr);
  Theta theta = transformedParameters(st, slots, mu, tau, theta_tilde);
  // if (mu > 1000) reject("mu is ", mu, ", too large");
  mvc_v* big = mvc_v_call(st, &cache_gt, "operator>", MVC_ELEM_INT, 0, 2, ops(mu, slots[kThousand]));
  if (mvc_v_truth(big)) mvc_v_reject(st, 0, "\"mu is \",$,\", too large\"", 1, ops(mu));
  // mu ~ normal(0, 5); tau ~ cauchy(0, 5); theta_tilde ~ normal(0, 1); y ~ normal(theta, sigma);
  mvc_v* d1 = mvc_v_density(st, "normal_lpdf", "normal", 0, 1, 1, 3, ops(mu, slots[kZero], slots[kFive]));
  mvc_v_target_add(st, d1);
  mvc_v* d2 = mvc_v_density(st, "cauchy_lpdf", "cauchy", 0, 1, 1, 3, ops(tau, slots[kZero], slots[kFive]));
  mvc_v_target_add(st, d2);
  mvc_v* d3 = mvc_v_density(st, "normal_lpdf", "normal", 0, 1, 1, 3, ops(theta_tilde, slots[kZero], slots[kOne]));
  mvc_v_target_add(st, d3);
  mvc_v* theta_l = mvc_v_load(st, theta.var);
  mvc_v* d4 = mvc_v_density(st, "normal_lpdf", "normal", 0, 1, 2, 3, ops(slots[kY], theta_l, slots[kSigma]));
  mvc_v_target_add(st, d4);
  if (!mvc_st_wants_gradient(st)) return;
  // The reverse sweep: one accumulator per value, then each op's adjoint in reverse order.
  mvc_v* mu_a = mvc_v_adj(st, mu);
  mvc_v* tau_a = mvc_v_adj(st, tau);
  mvc_v* tt_a = mvc_v_adj(st, theta_tilde);
  mvc_v* theta_a = mvc_v_adj(st, theta.var);
  mvc_v* prod_a = mvc_v_adj(st, theta.prod);
  mvc_v* sum_a = mvc_v_adj(st, theta.sum);
  mvc_v* d1_a = mvc_v_adj(st, d1);
  mvc_v* d2_a = mvc_v_adj(st, d2);
  mvc_v* d3_a = mvc_v_adj(st, d3);
  mvc_v* thl_a = mvc_v_adj(st, theta_l);
  mvc_v* d4_a = mvc_v_adj(st, d4);
  mvc_v_adj_add(st, d4_a, mvc_v_real(st, 1.0), "", 0, nullptr);
  mvc_v* accs[1] = {thl_a};
  mvc_v_density_grad(st, "normal_lpdf", "normal", 0, 1, "-a-", mvc_v_adj_get(st, d4_a), 3,
                     ops(slots[kY], theta_l, slots[kSigma]), 1, accs);
  mvc_v_adj_add(st, theta_a, mvc_v_adj_get(st, thl_a), "", 0, nullptr);
  mvc_v_adj_add(st, d3_a, mvc_v_real(st, 1.0), "", 0, nullptr);
  accs[0] = tt_a;
  mvc_v_density_grad(st, "normal_lpdf", "normal", 0, 1, "a--", mvc_v_adj_get(st, d3_a), 3,
                     ops(theta_tilde, slots[kZero], slots[kOne]), 1, accs);
  mvc_v_adj_add(st, d2_a, mvc_v_real(st, 1.0), "", 0, nullptr);
  accs[0] = tau_a;
  mvc_v_density_grad(st, "cauchy_lpdf", "cauchy", 0, 1, "a--", mvc_v_adj_get(st, d2_a), 3,
                     ops(tau, slots[kZero], slots[kFive]), 1, accs);
  mvc_v_adj_add(st, d1_a, mvc_v_real(st, 1.0), "", 0, nullptr);
  accs[0] = mu_a;
  mvc_v_density_grad(st, "normal_lpdf", "normal", 0, 1, "a--", mvc_v_adj_get(st, d1_a), 3,
                     ops(mu, slots[kZero], slots[kFive]), 1, accs);
  // store theta = sum: the adjoint moves to sum, theta's is zeroed
  mvc_v_adj_add(st, sum_a, mvc_v_adj_get(st, theta_a), "", 0, nullptr);
  mvc_v_adj_zero(st, theta_a, "", 0, nullptr);
  // sum = mu + prod
  mvc_v* sum_adj = mvc_v_adj_get(st, sum_a);
  mvc_v_adj_add(st, mu_a, mvc_v_call(st, &cache_sum1, "sum", MVC_ELEM_REAL, 0, 1, ops(sum_adj)), "", 0, nullptr);
  mvc_v_adj_add(st, prod_a, sum_adj, "", 0, nullptr);
  // prod = tau * theta_tilde
  mvc_v* prod_adj = mvc_v_adj_get(st, prod_a);
  mvc_v* e = mvc_v_call(st, &cache_emul, "operator.*", MVC_ELEM_VECTOR, 0, 2, ops(prod_adj, theta_tilde));
  mvc_v_adj_add(st, tau_a, mvc_v_call(st, &cache_sum2, "sum", MVC_ELEM_REAL, 0, 1, ops(e)), "", 0, nullptr);
  mvc_v_adj_add(st, tt_a, mvc_v_call(st, &cache_mul, "operator*", MVC_ELEM_VECTOR, 0, 2, ops2(prod_adj, tau)), "", 0,
                nullptr);
  // the parameters' transforms
  mvc_v_param_grad(st, 0, mu, 0, nullptr, mu_a, nullptr, nullptr);
  mvc_v_param_grad(st, 1, tau, 1, ops(slots[kZero]), tau_a, nullptr, nullptr);
  mvc_v_param_grad(st, 2, theta_tilde, 0, nullptr, tt_a, nullptr, nullptr);
}

void write_array(mvc_st* st) {
  mvc_v** slots = mvc_st_slots(st);
  Ops ops;
  mvc_v* mu = mvc_v_param(st, 0, 0, nullptr);
  mvc_v* tau = mvc_v_param(st, 1, 1, ops(slots[kZero]));
  mvc_v* theta_tilde = mvc_v_param(st, 2, 0, nullptr);
  mvc_v_out(st, 0, mu);
  mvc_v_out(st, 1, tau);
  mvc_v_out(st, 2, theta_tilde);
  Theta theta = transformedParameters(st, slots, mu, tau, theta_tilde);
  mvc_v_out(st, 3, theta.var);
  if (mvc_st_include_gq(st)) {
    int64_t dims[1] = {mvc_v_as_int(slots[kJ])};
    mvc_v* y_rep = mvc_v_var(st, MVC_ELEM_REAL, 1, 1, dims);
    mvc_v* draw = mvc_v_rng(st, "normal_rng", MVC_ELEM_REAL, 1, 2, ops(mvc_v_load(st, theta.var), slots[kSigma]));
    mvc_v_store(st, y_rep, draw, "", 0, nullptr);
    mvc_v_out(st, 4, y_rep);
  }
}

void unconstrain(mvc_st* st) {
  mvc_v** slots = mvc_st_slots(st);
  Ops ops;
  mvc_v_param_unconstrain(st, 0, 0, nullptr);
  mvc_v_param_unconstrain(st, 1, 1, ops(slots[kZero]));
  mvc_v_param_unconstrain(st, 2, 0, nullptr);
}

}  // namespace

extern "C" const mvc_cg_module mvc_cg_module_desc = {"eight_schools_noncentered", kNumSlots, construct, log_density,
                                                     write_array, unconstrain};
