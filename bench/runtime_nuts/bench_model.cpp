// The cheapest possible model behind the BridgeStan API: a 10-dimensional standard normal
// whose gradient costs about 20 flops. Timing NUTS on it measures the sampler's own work
// per leapfrog step (momentum and position updates, kinetic energy, U-turn checks, tree
// bookkeeping), which is what these benchmarks are about.
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>

#include "mvc/bridgestan.h"

class bs_model {
 public:
  int dim = 10;
  std::string names;
};
class bs_rng {
 public:
  std::mt19937_64 engine;
};

extern "C" {
const int bs_major_version = 2;
const int bs_minor_version = 7;
const int bs_patch_version = 0;

bs_model* bs_model_construct(const char* data, unsigned int, char**) {
  auto* m = new bs_model;
  if (data && *data == '{') m->dim = std::atoi(std::strchr(data, ':') + 1);  // {"N": n}
  for (int i = 1; i <= m->dim; ++i) m->names += (i > 1 ? ",x." : "x.") + std::to_string(i);
  return m;
}
void bs_model_destruct(bs_model* m) { delete m; }
void bs_free_error_msg(char* e) { std::free(e); }
const char* bs_name(const bs_model*) { return "bench_std_normal"; }
const char* bs_model_info(const bs_model*) { return "benchmark model"; }
const char* bs_param_names(const bs_model* m, bool, bool) { return m->names.c_str(); }
const char* bs_param_unc_names(const bs_model* m) { return m->names.c_str(); }
int bs_param_num(const bs_model* m, bool, bool) { return m->dim; }
int bs_param_unc_num(const bs_model* m) { return m->dim; }
int bs_param_constrain(const bs_model* m, bool, bool, const double* q, double* out, bs_rng*,
                       char**) {
  std::memcpy(out, q, sizeof(double) * static_cast<std::size_t>(m->dim));
  return 0;
}
int bs_param_unconstrain(const bs_model* m, const double* p, double* q, char**) {
  std::memcpy(q, p, sizeof(double) * static_cast<std::size_t>(m->dim));
  return 0;
}
int bs_param_unconstrain_json(const bs_model*, const char*, double*, char** e) {
  if (e) *e = strdup("not supported by the benchmark model");
  return -1;
}
int bs_log_density(const bs_model* m, bool, bool, const double* q, double* lp, char**) {
  double s = 0;
  for (int i = 0; i < m->dim; ++i) s += q[i] * q[i];
  *lp = -0.5 * s;
  return 0;
}
int bs_log_density_gradient(const bs_model* m, bool, bool, const double* q, double* lp,
                            double* g, char**) {
  double s = 0;
  for (int i = 0; i < m->dim; ++i) {
    s += q[i] * q[i];
    g[i] = -q[i];
  }
  *lp = -0.5 * s;
  return 0;
}
int bs_log_density_hessian(const bs_model*, bool, bool, const double*, double*, double*, double*,
                           char** e) {
  if (e) *e = strdup("not supported by the benchmark model");
  return -1;
}
bs_rng* bs_rng_construct(unsigned int seed, char**) {
  auto* r = new bs_rng;
  r->engine.seed(seed);
  return r;
}
void bs_rng_destruct(bs_rng* r) { delete r; }
}
