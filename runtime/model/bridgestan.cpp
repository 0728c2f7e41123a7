// The BridgeStan 2.x C API (mvc/bridgestan.h) on top of the generated model functions
// (mvc/generated.h). See docs/model-runtime.md.
//
// Every entry point catches all exceptions (none escapes the C ABI) and reports failures as
// BridgeStan does: return -1 (or null) and, when error_msg is not null, a malloc'ed message
// released with bs_free_error_msg.
#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <stdexcept>
#include <string>
#include <vector>

#include "context.h"
#include "layout.h"

#ifndef MVC_VERSION_STRING
#define MVC_VERSION_STRING "unknown"
#endif

using mvc::model::Slot;

namespace {

std::atomic<std::uint64_t> g_next_model_id{1};

// The per-thread cache: model id -> this thread's slot. Trivially constructible, so a
// thread's first access allocates nothing; ids are never reused, so an entry of a destroyed
// model never matches again.
constexpr int kCacheSize = 8;
struct CacheEntry {
  std::uint64_t id;
  Slot* slot;
};
thread_local CacheEntry t_cache[kCacheSize];
thread_local unsigned t_cache_next;

void set_error(char** error_msg, const char* msg) {
  if (error_msg) *error_msg = strdup(msg);
}

int fail(char** error_msg, const char* msg) {
  set_error(error_msg, msg);
  return -1;
}

int fail_ctx(char** error_msg, const mvc_rt_context& ctx, const char* fallback) {
  return fail(error_msg, ctx.has_message && ctx.message[0] ? ctx.message : fallback);
}

int unknown_exception(char** error_msg) { return fail(error_msg, "unknown C++ exception"); }

int64_t var_size(const mvc_gen_var& v) { return mvc::model::num_elements(v.ndims, v.dims); }

// Reorders `count` variables starting at vars[first] from memory order to flat order.
void to_flat(const bs_model& m, int first, int count, const double* mem, double* flat) {
  for (int i = first; i < first + count; ++i) {
    const mvc_gen_var& v = m.vars[static_cast<size_t>(i)];
    mvc::model::memory_to_flat(v.ndims, v.array_ndims, v.dims, mem, flat);
    mem += var_size(v);
    flat += var_size(v);
  }
}

void params_to_memory(const bs_model& m, const double* flat, double* mem) {
  for (int i = 0; i < m.n_param_vars; ++i) {
    const mvc_gen_var& v = m.vars[static_cast<size_t>(i)];
    mvc::model::flat_to_memory(v.ndims, v.array_ndims, v.dims, flat, mem);
    mem += var_size(v);
    flat += var_size(v);
  }
}

const char* role_name(int role) {
  return role == MVC_GEN_PARAM ? "parameter" : role == MVC_GEN_TPARAM ? "transformed parameter"
                                                                      : "generated quantity";
}

// Checks what generated code declared, then computes sizes and names.
void describe(bs_model& m) {
  int count = 0;
  const mvc_gen_var* vars = mvc_gen_vars(m.gen, &count);
  m.vars.assign(vars, vars + count);
  int last_role = MVC_GEN_PARAM;
  for (const mvc_gen_var& v : m.vars) {
    const std::string what = std::string("generated model: ") + role_name(v.role) + " '" + v.name + "': ";
    if (v.role < last_role || v.role > MVC_GEN_GQ)
      throw std::logic_error(what + "variables must come in the order parameters, transformed parameters, generated quantities");
    last_role = v.role;
    if (v.ndims < 0 || v.ndims > mvc::model::kMaxDims || v.array_ndims < 0 || v.array_ndims > v.ndims ||
        v.unc_ndims < 0 || v.unc_ndims > mvc::model::kMaxDims)
      throw std::logic_error(what + "bad number of dims");
    if (v.role == MVC_GEN_PARAM &&
        mvc::model::num_elements(v.unc_ndims, v.unc_dims) != v.unconstrained_size)
      throw std::logic_error(what + "unconstrained_size is not the product of unc_dims");
    const int64_t n = var_size(v);
    switch (v.role) {
      case MVC_GEN_PARAM:
        ++m.n_param_vars;
        m.param_size += n;
        m.unc_size += v.unconstrained_size;
        break;
      case MVC_GEN_TPARAM:
        ++m.n_tp_vars;
        m.tp_size += n;
        break;
      default:
        ++m.n_gq_vars;
        m.gq_size += n;
    }
  }
  if (m.param_size + m.tp_size + m.gq_size > 0x7fffffff || m.unc_size > 0x7fffffff)
    throw std::runtime_error("the model has more than 2^31 - 1 values; BridgeStan counts them in an int");
  std::string p, tp, gq;
  for (const mvc_gen_var& v : m.vars) {
    std::string& out = v.role == MVC_GEN_PARAM ? p : v.role == MVC_GEN_TPARAM ? tp : gq;
    mvc::model::append_flat_names(out, v.name, v.ndims, v.dims);
    if (v.role == MVC_GEN_PARAM) {
      // Unconstrained coordinates: named as Stan names them, listed in the order of the
      // unconstrained vector (arrays outermost).
      const int array_ndims = std::min(v.array_ndims, v.unc_ndims);
      mvc::model::append_memory_names(m.unc_names, v.name, v.unc_ndims, array_ndims, v.unc_dims);
    }
  }
  auto join = [](std::string a, const std::string& b) {
    if (!a.empty() && !b.empty()) a += ',';
    return a + b;
  };
  m.names[0] = p;
  m.names[1] = join(p, tp);
  m.names[2] = join(p, gq);
  m.names[3] = join(join(p, tp), gq);
  m.name = mvc_gen_name();
  m.info = std::string("mvc version: ") + MVC_VERSION_STRING + "\n" +
           "BridgeStan API version: " + std::to_string(bs_major_version) + "." +
           std::to_string(bs_minor_version) + "." + std::to_string(bs_patch_version) + "\n" +
           "Model: " + m.name + "\n" +
           "Compiler flags: (not recorded yet)\n" +
           "Parameters: " + std::to_string(m.n_param_vars) + " variables, " +
           std::to_string(m.param_size) + " values, " + std::to_string(m.unc_size) +
           " unconstrained\n" +
           "Transformed parameters: " + std::to_string(m.n_tp_vars) + " variables, " +
           std::to_string(m.tp_size) + " values\n" +
           "Generated quantities: " + std::to_string(m.n_gq_vars) + " variables, " +
           std::to_string(m.gq_size) + " values\n" +
           "Threads: one model may be used from several threads at once\n" +
           "RNG: std::mt19937_64 seeded with splitmix64(seed)\n" +
           "Hessian: central finite differences of the gradient\n";
}

bool ends_with(const std::string& s, const char* suffix) {
  const std::size_t n = std::strlen(suffix);
  return s.size() >= n && s.compare(s.size() - n, n, suffix) == 0;
}

// Gradient at x with this thread's slot; false on a model error (message in the slot).
bool gradient_at(const bs_model* m, Slot& s, bool propto, bool jacobian, const double* x,
                 double* lp, double* grad) {
  s.ctx.reset(nullptr);
  return mvc_gen_log_density(m->gen, s.scratch, &s.ctx, x, propto, jacobian, lp, grad) == 0;
}

}  // namespace

bs_model::~bs_model() {
  for (auto& [tid, s] : slots)
    if (s->scratch) mvc_gen_scratch_delete(s->scratch);
  slots.clear();
  if (gen) mvc_gen_destruct(gen);
}

Slot& bs_model::slot() const {
  for (const CacheEntry& e : t_cache)
    if (e.id == id) return *e.slot;
  Slot* found;
  {
    std::lock_guard<std::mutex> lock(mutex);
    std::unique_ptr<Slot>& p = slots[std::this_thread::get_id()];
    if (!p) {
      auto s = std::make_unique<Slot>();
      s->out.resize(static_cast<size_t>(param_size + tp_size + gq_size));
      s->in.resize(static_cast<size_t>(param_size));
      s->flat.resize(static_cast<size_t>(param_size));
      s->scratch = mvc_gen_scratch_new(gen);
      if (!s->scratch) throw std::runtime_error("could not create the model's scratch memory");
      p = std::move(s);
    }
    found = p.get();
  }
  t_cache[t_cache_next++ % kCacheSize] = CacheEntry{id, found};
  return *found;
}

extern "C" {

const int bs_major_version = 2;
const int bs_minor_version = 7;
const int bs_patch_version = 0;

bs_model* bs_model_construct(const char* data, unsigned int seed, char** error_msg) {
  try {
    const std::string text = data ? data : "";
    mvc::io::DataMap d;
    if (ends_with(text, ".json"))
      d = mvc::io::read_json_data_file(text);
    else if (!text.empty())
      d = mvc::io::parse_json_data(text);
    auto m = std::make_unique<bs_model>();
    m->id = g_next_model_id.fetch_add(1);
    mvc::model::Rng rng(seed);
    mvc_rt_context ctx;
    ctx.reset(&rng);
    ctx.data = &d;
    ctx.store = &m->data_store;
    m->gen = mvc_gen_construct(&ctx);
    if (!m->gen) {
      fail_ctx(error_msg, ctx, "model construction failed");
      return nullptr;
    }
    describe(*m);
    return m.release();
  } catch (const std::exception& e) {
    set_error(error_msg, e.what());
  } catch (...) {
    unknown_exception(error_msg);
  }
  return nullptr;
}

void bs_model_destruct(bs_model* m) {
  try {
    delete m;
  } catch (...) {
  }
}

void bs_free_error_msg(char* error_msg) { free(error_msg); }

const char* bs_name(const bs_model* m) { return m->name.c_str(); }

const char* bs_model_info(const bs_model* m) { return m->info.c_str(); }

const char* bs_param_names(const bs_model* m, bool include_tp, bool include_gq) {
  return m->names[(include_tp ? 1 : 0) + (include_gq ? 2 : 0)].c_str();
}

const char* bs_param_unc_names(const bs_model* m) { return m->unc_names.c_str(); }

int bs_param_num(const bs_model* m, bool include_tp, bool include_gq) {
  return static_cast<int>(m->param_size + (include_tp ? m->tp_size : 0) + (include_gq ? m->gq_size : 0));
}

int bs_param_unc_num(const bs_model* m) { return static_cast<int>(m->unc_size); }

int bs_param_constrain(const bs_model* m, bool include_tp, bool include_gq, const double* theta_unc,
                       double* theta, bs_rng* rng, char** error_msg) {
  try {
    if (include_gq && m->gq_size > 0 && rng == nullptr)
      return fail(error_msg,
                  "bs_param_constrain: include_gq is true, but no RNG was given (make one with "
                  "bs_rng_construct)");
    Slot& s = m->slot();
    s.ctx.reset(rng ? &rng->rng : nullptr);
    if (mvc_gen_write_array(m->gen, s.scratch, &s.ctx, theta_unc, include_tp, include_gq, s.out.data()) != 0)
      return fail_ctx(error_msg, s.ctx, "bs_param_constrain failed");
    to_flat(*m, 0, m->n_param_vars, s.out.data(), theta);
    int64_t off = m->param_size;
    if (include_tp) {
      to_flat(*m, m->n_param_vars, m->n_tp_vars, s.out.data() + off, theta + off);
      off += m->tp_size;
    }
    if (include_gq) to_flat(*m, m->n_param_vars + m->n_tp_vars, m->n_gq_vars, s.out.data() + off, theta + off);
    return 0;
  } catch (const std::exception& e) {
    return fail(error_msg, e.what());
  } catch (...) {
    return unknown_exception(error_msg);
  }
}

int bs_param_unconstrain(const bs_model* m, const double* theta, double* theta_unc, char** error_msg) {
  try {
    Slot& s = m->slot();
    s.ctx.reset(nullptr);
    params_to_memory(*m, theta, s.in.data());
    if (mvc_gen_unconstrain(m->gen, s.scratch, &s.ctx, s.in.data(), theta_unc) != 0)
      return fail_ctx(error_msg, s.ctx, "bs_param_unconstrain failed");
    return 0;
  } catch (const std::exception& e) {
    return fail(error_msg, e.what());
  } catch (...) {
    return unknown_exception(error_msg);
  }
}

int bs_param_unconstrain_json(const bs_model* m, const char* json, double* theta_unc, char** error_msg) {
  try {
    const mvc::io::DataMap d = mvc::io::parse_json_data(json ? json : "", "<json>");
    Slot& s = m->slot();
    double* flat = s.flat.data();
    for (int i = 0; i < m->n_param_vars; ++i) {
      const mvc_gen_var& v = m->vars[static_cast<size_t>(i)];
      const int64_t n = var_size(v);
      const auto it = d.find(v.name);
      if (it == d.end()) {
        if (n == 0) continue;
        return fail(error_msg, (std::string("variable '") + v.name +
                                "' is missing from the JSON of parameter values").c_str());
      }
      const mvc::io::VarData& x = it->second;
      bool ok = static_cast<int>(x.dims.size()) == v.ndims;
      for (int k = 0; ok && k < v.ndims; ++k) ok = static_cast<int64_t>(x.dims[static_cast<size_t>(k)]) == v.dims[k];
      if (!ok && !(n == 0 && x.values.empty())) {
        std::vector<int64_t> have(x.dims.begin(), x.dims.end());
        return fail(error_msg, (std::string("variable '") + v.name + "': the parameter has dims " +
                                mvc::model::dims_text(v.ndims, v.dims) + ", but the JSON has dims " +
                                mvc::model::dims_text(static_cast<int>(have.size()), have.data()))
                                   .c_str());
      }
      std::copy(x.values.begin(), x.values.end(), flat);  // the reader's order is flat order
      flat += n;
    }
    params_to_memory(*m, s.flat.data(), s.in.data());
    s.ctx.reset(nullptr);
    if (mvc_gen_unconstrain(m->gen, s.scratch, &s.ctx, s.in.data(), theta_unc) != 0)
      return fail_ctx(error_msg, s.ctx, "bs_param_unconstrain_json failed");
    return 0;
  } catch (const std::exception& e) {
    return fail(error_msg, e.what());
  } catch (...) {
    return unknown_exception(error_msg);
  }
}

// bs_log_density and bs_log_density_gradient: one evaluation, with or without the gradient.
static int log_density(const bs_model* m, bool propto, bool jacobian, const double* theta_unc, double* lp,
                       double* grad, char** error_msg) {
  try {
    Slot& s = m->slot();
    if (!gradient_at(m, s, propto, jacobian, theta_unc, lp, grad))
      return fail_ctx(error_msg, s.ctx, "log density evaluation failed");
    return 0;
  } catch (const std::exception& e) {
    return fail(error_msg, e.what());
  } catch (...) {
    return unknown_exception(error_msg);
  }
}

int bs_log_density(const bs_model* m, bool propto, bool jacobian, const double* theta_unc, double* lp,
                   char** error_msg) {
  return log_density(m, propto, jacobian, theta_unc, lp, nullptr, error_msg);
}

int bs_log_density_gradient(const bs_model* m, bool propto, bool jacobian, const double* theta_unc,
                            double* lp, double* grad, char** error_msg) {
  return log_density(m, propto, jacobian, theta_unc, lp, grad, error_msg);
}

// Central differences of the exact gradient, symmetrized (BridgeStan's default without
// BRIDGESTAN_AD_HESSIAN is also finite differences). Allocates: not a hot-path function.
int bs_log_density_hessian(const bs_model* m, bool propto, bool jacobian, const double* theta_unc,
                           double* lp, double* grad, double* hessian, char** error_msg) {
  try {
    Slot& s = m->slot();
    const int64_t n = m->unc_size;
    if (!gradient_at(m, s, propto, jacobian, theta_unc, lp, grad))
      return fail_ctx(error_msg, s.ctx, "log density evaluation failed");
    std::vector<double> x(theta_unc, theta_unc + n), gp(static_cast<size_t>(n)), gm(static_cast<size_t>(n));
    double unused;
    for (int64_t i = 0; i < n; ++i) {
      const double h = 6.0554544523933395e-06 * std::max(1.0, std::fabs(theta_unc[i]));  // eps^(1/3)
      x[static_cast<size_t>(i)] = theta_unc[i] + h;
      if (!gradient_at(m, s, propto, jacobian, x.data(), &unused, gp.data()))
        return fail_ctx(error_msg, s.ctx, "log density evaluation failed");
      x[static_cast<size_t>(i)] = theta_unc[i] - h;
      if (!gradient_at(m, s, propto, jacobian, x.data(), &unused, gm.data()))
        return fail_ctx(error_msg, s.ctx, "log density evaluation failed");
      x[static_cast<size_t>(i)] = theta_unc[i];
      for (int64_t j = 0; j < n; ++j) hessian[i * n + j] = (gp[static_cast<size_t>(j)] - gm[static_cast<size_t>(j)]) / (2 * h);
    }
    for (int64_t i = 0; i < n; ++i)
      for (int64_t j = i + 1; j < n; ++j) {
        const double a = 0.5 * (hessian[i * n + j] + hessian[j * n + i]);
        hessian[i * n + j] = hessian[j * n + i] = a;
      }
    return 0;
  } catch (const std::exception& e) {
    return fail(error_msg, e.what());
  } catch (...) {
    return unknown_exception(error_msg);
  }
}

int bs_log_density_hessian_vector_product(const bs_model* m, bool propto, bool jacobian,
                                          const double* theta_unc, const double* vector, double* lp,
                                          double* hvp, char** error_msg) {
  try {
    Slot& s = m->slot();
    const int64_t n = m->unc_size;
    std::vector<double> g(static_cast<size_t>(n)), gp(g), gm(g), x(theta_unc, theta_unc + n);
    if (!gradient_at(m, s, propto, jacobian, theta_unc, lp, g.data()))
      return fail_ctx(error_msg, s.ctx, "log density evaluation failed");
    double norm = 0, scale = 1;
    for (int64_t i = 0; i < n; ++i) {
      norm += vector[i] * vector[i];
      scale = std::max(scale, std::fabs(theta_unc[i]));
    }
    norm = std::sqrt(norm);
    if (norm == 0) {
      std::fill(hvp, hvp + n, 0.0);
      return 0;
    }
    const double h = 6.0554544523933395e-06 * scale / norm;
    double unused;
    for (int64_t i = 0; i < n; ++i) x[static_cast<size_t>(i)] = theta_unc[i] + h * vector[i];
    if (!gradient_at(m, s, propto, jacobian, x.data(), &unused, gp.data()))
      return fail_ctx(error_msg, s.ctx, "log density evaluation failed");
    for (int64_t i = 0; i < n; ++i) x[static_cast<size_t>(i)] = theta_unc[i] - h * vector[i];
    if (!gradient_at(m, s, propto, jacobian, x.data(), &unused, gm.data()))
      return fail_ctx(error_msg, s.ctx, "log density evaluation failed");
    for (int64_t i = 0; i < n; ++i) hvp[i] = (gp[static_cast<size_t>(i)] - gm[static_cast<size_t>(i)]) / (2 * h);
    return 0;
  } catch (const std::exception& e) {
    return fail(error_msg, e.what());
  } catch (...) {
    return unknown_exception(error_msg);
  }
}

bs_rng* bs_rng_construct(unsigned int seed, char** error_msg) {
  try {
    return new bs_rng(seed);
  } catch (const std::exception& e) {
    set_error(error_msg, e.what());
  } catch (...) {
    unknown_exception(error_msg);
  }
  return nullptr;
}

void bs_rng_destruct(bs_rng* rng) { delete rng; }

}  // extern "C"
