// The BridgeStan C API implemented over a TestModel (test_model.h).
#include <cstring>
#include <exception>
#include <string>

#include "mvc/bridgestan.h"
#include "test_model.h"

using mvc::testing::TestModel;

class bs_model {
 public:
  std::unique_ptr<TestModel> impl;
  std::string name, info, names_p, names_tp, names_gq, names_all_ptg, names_pg, names_unc;
  int n_params = 0, n_tp = 0, n_gq = 0;
};

class bs_rng {
 public:
  std::mt19937_64 engine;
};

extern "C" {

const int bs_major_version = 2;
const int bs_minor_version = 7;
const int bs_patch_version = 0;

namespace {

char* dup(const std::string& s) { return strdup(s.c_str()); }

void set_error(char** error_msg, const std::string& s) {
  if (error_msg) *error_msg = dup(s);
}

std::string join(const std::vector<std::string>& a, const std::vector<std::string>& b = {},
                 const std::vector<std::string>& c = {}) {
  std::string out;
  for (const auto* v : {&a, &b, &c})
    for (const auto& n : *v) out += (out.empty() ? "" : ",") + n;
  return out;
}

}  // namespace

bs_model* bs_model_construct(const char* data, unsigned int /*seed*/, char** error_msg) {
  try {
    mvc::io::DataMap d;
    const std::string s = data ? data : "";
    if (s.size() >= 5 && s.compare(s.size() - 5, 5, ".json") == 0)
      d = mvc::io::read_json_data_file(s);
    else if (!s.empty())
      d = mvc::io::parse_json_data(s);
    auto m = new bs_model;
    m->impl = mvc::testing::make_test_model(d);
    const TestModel& t = *m->impl;
    m->name = t.name();
    m->info = "mvc hand-written test model " + t.name();
    m->names_p = join(t.param_names());
    m->names_tp = join(t.param_names(), t.tp_names());
    m->names_pg = join(t.param_names(), t.gq_names());
    m->names_all_ptg = join(t.param_names(), t.tp_names(), t.gq_names());
    m->names_unc = join(t.unc_names());
    m->n_params = static_cast<int>(t.param_names().size());
    m->n_tp = static_cast<int>(t.tp_names().size());
    m->n_gq = static_cast<int>(t.gq_names().size());
    return m;
  } catch (const std::exception& e) {
    set_error(error_msg, e.what());
    return nullptr;
  }
}

void bs_model_destruct(bs_model* m) { delete m; }
void bs_free_error_msg(char* error_msg) { free(error_msg); }
const char* bs_name(const bs_model* m) { return m->name.c_str(); }
const char* bs_model_info(const bs_model* m) { return m->info.c_str(); }

const char* bs_param_names(const bs_model* m, bool include_tp, bool include_gq) {
  if (include_tp && include_gq) return m->names_all_ptg.c_str();
  if (include_tp) return m->names_tp.c_str();
  if (include_gq) return m->names_pg.c_str();
  return m->names_p.c_str();
}

const char* bs_param_unc_names(const bs_model* m) { return m->names_unc.c_str(); }

int bs_param_num(const bs_model* m, bool include_tp, bool include_gq) {
  return m->n_params + (include_tp ? m->n_tp : 0) + (include_gq ? m->n_gq : 0);
}

int bs_param_unc_num(const bs_model* m) { return m->impl->unc_dim(); }

int bs_param_constrain(const bs_model* m, bool include_tp, bool include_gq,
                       const double* theta_unc, double* theta, bs_rng* rng, char** error_msg) {
  const TestModel& t = *m->impl;
  t.constrain(theta_unc, theta);
  double* next = theta + m->n_params;
  if (include_tp) {
    t.transformed(theta, next);
    next += m->n_tp;
  }
  if (include_gq) {
    if (!rng) {
      set_error(error_msg, "bs_param_constrain: an rng is needed for generated quantities");
      return -1;
    }
    std::string err;
    if (!t.generated(theta, next, rng->engine, err)) {
      set_error(error_msg, err);
      return -1;
    }
  }
  return 0;
}

int bs_param_unconstrain(const bs_model* m, const double* theta, double* theta_unc,
                         char** /*error_msg*/) {
  m->impl->unconstrain(theta, theta_unc);
  return 0;
}

int bs_param_unconstrain_json(const bs_model* m, const char* json, double* theta_unc,
                              char** error_msg) {
  try {
    const mvc::io::DataMap d = mvc::io::parse_json_data(json, "inits");
    const TestModel& t = *m->impl;
    // Collect parameter values in name order: base names group their indexed entries.
    std::vector<double> params;
    std::string last;
    for (const std::string& n : t.param_names()) {
      const std::string base = n.substr(0, n.find('.'));
      if (base == last) continue;
      last = base;
      const auto it = d.find(base);
      if (it == d.end()) throw std::runtime_error("variable does not exist; variable name=" + base);
      params.insert(params.end(), it->second.values.begin(), it->second.values.end());
    }
    if (params.size() != t.param_names().size())
      throw std::runtime_error("wrong number of parameter values in JSON");
    t.unconstrain(params.data(), theta_unc);
    return 0;
  } catch (const std::exception& e) {
    set_error(error_msg, e.what());
    return -1;
  }
}

int bs_log_density(const bs_model* m, bool, bool, const double* theta_unc, double* lp,
                   char** error_msg) {
  std::vector<double> g(static_cast<std::size_t>(m->impl->unc_dim()));
  std::string err;
  if (!m->impl->log_density_gradient(theta_unc, *lp, g.data(), err)) {
    set_error(error_msg, err);
    return -1;
  }
  return 0;
}

int bs_log_density_gradient(const bs_model* m, bool, bool, const double* theta_unc, double* lp,
                            double* grad, char** error_msg) {
  std::string err;
  if (!m->impl->log_density_gradient(theta_unc, *lp, grad, err)) {
    set_error(error_msg, err);
    return -1;
  }
  return 0;
}

int bs_log_density_hessian(const bs_model*, bool, bool, const double*, double*, double*, double*,
                           char** error_msg) {
  set_error(error_msg, "Hessians are not implemented by the test models");
  return -1;
}

bs_rng* bs_rng_construct(unsigned int seed, char** /*error_msg*/) {
  auto r = new bs_rng;
  r->engine.seed(seed);
  return r;
}

void bs_rng_destruct(bs_rng* rng) { delete rng; }

}  // extern "C"
