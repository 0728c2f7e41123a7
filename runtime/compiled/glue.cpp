// mvc/generated.h (every mvc_gen_* function) on top of the generated object's
// mvc_cg_module_desc (mvc/compiled.h): construction, the variables, the log density and its
// gradient, write_array, unconstrain. Exceptions thrown by the value library pass through the
// generated functions and stop here: each becomes a status and a message (mvc_rt_error).
#include <cstring>
#include <new>

#include "state.h"

using mvc::compiled::OutDecl;
using mvc::compiled::ParamDecl;
using mvc::values::Error;

namespace {

// Runs f; returns 0, or the status of the exception after recording its message. `what`
// names the evaluation for messages of unexpected exceptions.
template <class F>
int guarded(mvc_rt_context* ctx, int defaultStatus, const char* what, F&& f) {
  try {
    f();
    return 0;
  } catch (const Error& e) {
    int status = e.status();
    // A domain error during construction is an error in the data.
    if (defaultStatus == Error::kData && status == Error::kDomain) status = Error::kData;
    return mvc_rt_error(ctx, status, "%s", e.what());
  } catch (const std::bad_alloc&) {
    return mvc_rt_error(ctx, Error::kFatal, "%s: out of memory", what);
  } catch (const std::exception& e) {
    return mvc_rt_error(ctx, Error::kFatal, "%s: %s", what, e.what());
  } catch (...) {
    return mvc_rt_error(ctx, Error::kFatal, "%s: unknown error", what);
  }
}

void fillDims(mvc_gen_var& v, const std::vector<int64_t>& dims) {
  v.ndims = static_cast<int>(dims.size());
  for (size_t k = 0; k < dims.size() && k < 8; ++k) v.dims[k] = dims[k];
}

void buildVars(mvc_gen_model* m) {
  m->vars.clear();
  for (const ParamDecl& p : m->params) {
    mvc_gen_var v{};
    v.name = p.name.c_str();
    v.role = MVC_GEN_PARAM;
    fillDims(v, p.dims);
    v.array_ndims = p.arrayDims;
    v.is_int = 0;
    v.unconstrained_size = p.uncSize;
    if (!mvc::values::structural(p.transform) || p.transform == "unit_vector" || p.transform == "ordered" ||
        p.transform == "positive_ordered") {
      v.unc_ndims = v.ndims;
      for (int k = 0; k < v.ndims; ++k) v.unc_dims[k] = v.dims[k];
    } else {
      v.unc_ndims = p.arrayDims + 1;
      for (int k = 0; k < p.arrayDims; ++k) v.unc_dims[k] = p.dims[static_cast<size_t>(k)];
      int nElem = static_cast<int>(p.dims.size()) - p.arrayDims;
      v.unc_dims[p.arrayDims] =
          mvc::values::elementFreeSize(p.transform, p.elem, p.dims.data() + p.arrayDims, nElem);
    }
    m->vars.push_back(v);
  }
  for (const OutDecl& o : m->outs) {
    mvc_gen_var v{};
    v.name = o.name.c_str();
    v.role = o.role == MVC_OUT_TPARAM ? MVC_GEN_TPARAM : MVC_GEN_GQ;
    fillDims(v, o.dims);
    v.array_ndims = o.arrayDims;
    v.is_int = o.elem == mvc::values::Elem::Int;
    m->vars.push_back(v);
  }
}

}  // namespace

extern "C" {

const char* mvc_gen_name(void) { return mvc_cg_module_desc.name; }

mvc_gen_model* mvc_gen_construct(mvc_rt_context* ctx) {
  mvc_gen_model* m = nullptr;
  int rc = guarded(ctx, Error::kData, "construction", [&] {
    m = new mvc_gen_model();
    m->desc = &mvc_cg_module_desc;
    if (mvc_cg_module_desc.nslots < 0) throw Error("the model object has a negative number of slots", Error::kFatal);
    m->slots.assign(static_cast<size_t>(mvc_cg_module_desc.nslots), nullptr);
    mvc_st st;
    st.mode = mvc_st::Construct;
    st.model = m;
    st.arena = &m->arena;
    st.ctx = ctx;
    if (mvc_cg_module_desc.construct) mvc_cg_module_desc.construct(&st);
    buildVars(m);
  });
  if (rc != 0) {
    delete m;
    return nullptr;
  }
  return m;
}

void mvc_gen_destruct(mvc_gen_model* m) { delete m; }

mvc_gen_scratch* mvc_gen_scratch_new(const mvc_gen_model* m) {
  (void)m;
  return new (std::nothrow) mvc_gen_scratch();
}

void mvc_gen_scratch_delete(mvc_gen_scratch* s) { delete s; }

const mvc_gen_var* mvc_gen_vars(const mvc_gen_model* m, int* count) {
  *count = static_cast<int>(m->vars.size());
  return m->vars.data();
}

int mvc_gen_log_density(const mvc_gen_model* m, mvc_gen_scratch* s, mvc_rt_context* ctx, const double* theta,
                        int propto, int jacobian, double* lp, double* grad) {
  s->arena.reset();
  s->partialsUsed = 0;
  s->tape.clear();  // an evaluation that threw may have left entries
  mvc_st st;
  st.mode = mvc_st::LogDensity;
  st.model = const_cast<mvc_gen_model*>(m);
  st.arena = &s->arena;
  st.scratch = s;
  st.ctx = ctx;
  st.theta = theta;
  st.grad = grad;
  st.propto = propto != 0;
  st.jacobian = jacobian != 0;
  if (grad) std::memset(grad, 0, sizeof(double) * static_cast<size_t>(m->numUnc));
  int rc = guarded(ctx, Error::kDomain, "log density", [&] { m->desc->log_density(&st); });
  if (rc == 0) *lp = st.target;
  return rc;
}

int mvc_gen_write_array(const mvc_gen_model* m, mvc_gen_scratch* s, mvc_rt_context* ctx, const double* theta,
                        int include_tp, int include_gq, double* out) {
  s->arena.reset();
  mvc_st st;
  st.mode = mvc_st::WriteArray;
  st.model = const_cast<mvc_gen_model*>(m);
  st.arena = &s->arena;
  st.ctx = ctx;
  st.theta = theta;
  st.includeTp = include_tp != 0;
  st.includeGq = include_gq != 0;
  st.out = out;
  return guarded(ctx, Error::kDomain, "write_array", [&] { m->desc->write_array(&st); });
}

int mvc_gen_unconstrain(const mvc_gen_model* m, mvc_gen_scratch* s, mvc_rt_context* ctx, const double* constrained,
                        double* theta) {
  s->arena.reset();
  mvc_st st;
  st.mode = mvc_st::Unconstrain;
  st.model = const_cast<mvc_gen_model*>(m);
  st.arena = &s->arena;
  st.ctx = ctx;
  st.constrained = constrained;
  st.unconstrained = theta;
  int rc = guarded(ctx, Error::kData, "unconstrain", [&] { m->desc->unconstrain(&st); });
  return rc;
}

}  // extern "C"
