// The mvc_v_* / mvc_st_* functions of mvc/compiled.h: each is the body of one IR op, on the
// value library (values.h). Errors are values::Error exceptions, caught by glue.cpp.
#include <cmath>
#include <cctype>
#include <cstdio>
#include <cstring>
#include <functional>

#include "state.h"

using mvc::compiled::DataDecl;
using mvc::compiled::OutDecl;
using mvc::compiled::ParamDecl;
using mvc::values::Args;
using mvc::values::AssignMode;
using mvc::values::Elem;
using mvc::values::Error;
using mvc::values::Value;
namespace values = mvc::values;

namespace {

// Handles are pointers to values (mvc_v is never defined).
inline Value& V(mvc_v* h) { return *reinterpret_cast<Value*>(h); }
inline const Value& V(const mvc_v* h) { return *reinterpret_cast<const Value*>(h); }
inline Args A(const mvc_v* const* hs, int32_t n) {
  return Args(reinterpret_cast<const Value* const*>(hs), n > 0 ? static_cast<size_t>(n) : 0);
}
inline Value* const* Acc(mvc_v* const* hs) { return reinterpret_cast<Value* const*>(hs); }

mvc_v* make(mvc_st* st, Value&& v) { return reinterpret_cast<mvc_v*>(st->arena->make(std::move(v))); }

Elem elemOf(int32_t e) {
  if (e < MVC_ELEM_INT || e > MVC_ELEM_MATRIX) throw Error("unknown element type " + std::to_string(e), Error::kFatal);
  return static_cast<Elem>(e);
}

int linalgDims(Elem e) { return e == Elem::Matrix ? 2 : e == Elem::Vector || e == Elem::RowVector ? 1 : 0; }

std::vector<int64_t> dimsOf(int32_t ndims, const int64_t* dims) {
  if (ndims <= 0 || !dims) return {};
  return std::vector<int64_t>(dims, dims + ndims);
}

// The sizes of a declared variable, all of which must be known.
std::vector<int64_t> declaredDims(const char* what, const char* name, Elem elem, int32_t arrayDims, int32_t ndims,
                                  const int64_t* dims) {
  if (arrayDims < 0 || ndims != arrayDims + linalgDims(elem) || ndims > 8)
    throw Error(std::string(what) + " '" + name + "': " + std::to_string(ndims) + " sizes given for a type with " +
                    std::to_string(arrayDims + linalgDims(elem)),
                Error::kFatal);
  std::vector<int64_t> d = dimsOf(ndims, dims);
  for (size_t k = 0; k < d.size(); ++k)
    if (d[k] < 0)
      throw Error(std::string(what) + " '" + name + "': size " + std::to_string(k + 1) + " is " + std::to_string(d[k]) +
                      "; sizes must be >= 0",
                  Error::kData);
  return d;
}

bool realLeaf(const Value& v) {
  const Value* p = &v;
  while (p->kind == Value::Array) {
    if (p->a.empty()) return false;
    p = &p->a[0];
  }
  return p->kind != Value::Int;
}

void needMode(const mvc_st* st, mvc_st::Mode mode, const char* fn) {
  if (st->mode != mode) throw Error(std::string(fn) + " called in the wrong function of the model", Error::kFatal);
}

double uniform(mvc_st* st) {
  double u = mvc_rt_uniform(st->ctx);
  if (std::isnan(u)) throw Error("a random number was requested where no random number generator is available", Error::kFatal);
  return u;
}

}  // namespace

namespace {

// The size expressions of a type text ("array[N] real", "matrix[K, K]"), one per dim: the
// names of the runtime's data messages ("with N = 10"); literals and computed sizes ("%12")
// are left out.
void parseSizes(DataDecl& d) {
  std::vector<std::string> exprs;
  int depth = 0;
  std::string cur;
  for (char c : d.type) {
    if (c == '[') {
      if (depth++ > 0) cur += c;
      continue;
    }
    if (c == ']') {
      if (--depth > 0) {
        cur += c;
      } else {
        exprs.push_back(cur);
        cur.clear();
      }
      continue;
    }
    if (depth == 1 && c == ',') {
      exprs.push_back(cur);
      cur.clear();
    } else if (depth > 0 && !(c == ' ' && cur.empty())) {
      cur += c;
    }
  }
  if (exprs.size() != d.dims.size()) return;  // not the shape we expect: no names
  for (size_t k = 0; k < exprs.size(); ++k) {
    std::string e = exprs[k];
    while (!e.empty() && e.back() == ' ') e.pop_back();
    if (e.empty() || e[0] == '%' || std::isdigit(static_cast<unsigned char>(e[0]))) continue;
    bool seen = false;
    for (const std::string& n : d.sizeNames) seen = seen || n == e;
    if (seen) continue;
    d.sizeNames.push_back(e);
    d.sizeValues.push_back(d.dims[k]);
  }
  for (const std::string& n : d.sizeNames) d.sizeNamePtrs.push_back(n.c_str());
}

std::string numberText(double x) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.15g", x);
  return buf;
}

// The declared type with its constraint for messages: "array[J] real<lower=0>",
// "cov_matrix[K]" (the IR's type text has the shape only).
std::string withConstraint(const std::string& type, const std::string& tr, const Args& bounds) {
  static const char* const elems[] = {"row_vector", "vector", "matrix", "real", "int"};
  size_t at = std::string::npos, len = 0;
  for (const char* e : elems) {
    size_t p = type.rfind(e);
    if (p != std::string::npos && (at == std::string::npos || p > at)) {
      at = p;
      len = std::strlen(e);
    }
  }
  if (at == std::string::npos) return type;
  if (tr == "lower" || tr == "upper" || tr == "lower_upper") {
    auto b = [&](size_t k) {
      return k < bounds.size() && bounds[k].scalar() ? numberText(bounds[k].num()) : std::string("...");
    };
    std::string c = tr == "lower" ? "<lower=" + b(0) + ">" : tr == "upper" ? "<upper=" + b(0) + ">"
                                                                         : "<lower=" + b(0) + ", upper=" + b(1) + ">";
    return type.substr(0, at + len) + c + type.substr(at + len);
  }
  std::string rest = type.substr(at + len);
  // Square matrices are declared with one size: matrix[K, K] -> cov_matrix[K].
  if (tr == "cov_matrix" || tr == "corr_matrix" || tr == "cholesky_factor_corr") {
    size_t comma = rest.find(',');
    if (comma != std::string::npos) rest = rest.substr(0, comma) + "]";
  }
  return type.substr(0, at) + tr + rest;
}

DataDecl* dataDeclOf(mvc_st* st, const char* what, const Value& v) {
  for (auto it = st->model->data.rbegin(); it != st->model->data.rend(); ++it)
    if (it->name == what && it->value == &v) return &*it;
  return nullptr;
}

// A failed check of a data variable, with the runtime's message (variable, declaration with
// sizes, element).
[[noreturn]] void dataCheckFailed(mvc_st* st, DataDecl& d, const std::string& tr, const Value& v, const Args& bounds,
                                  const std::string& fallback) {
  d.type = withConstraint(d.type, tr, bounds);
  d.decl.type = d.type.c_str();
  if (tr == "lower" || tr == "upper" || tr == "lower_upper") {
    std::vector<double> y, lb, ub;
    values::flatten(v, y);
    size_t k = 0;  // bounds: the check's inputs after the value
    if (tr != "upper" && k < bounds.size()) values::flatten(bounds[k++], lb);
    if (tr != "lower" && k < bounds.size()) values::flatten(bounds[k++], ub);
    auto ok = [&](const std::vector<double>& b) { return b.empty() || b.size() == 1 || b.size() == y.size(); };
    if (ok(lb) && ok(ub) &&
        mvc_rt_check_bounds(st->ctx, &d.decl, y.data(), lb.empty() ? nullptr : lb.data(), lb.size() == 1 ? 0 : 1,
                            ub.empty() ? nullptr : ub.data(), ub.size() == 1 ? 0 : 1) != 0)
      throw Error("variable '" + d.name + "': " + fallback, Error::kData);
  } else {
    int64_t element = v.kind == Value::Array ? 0 : -1;
    std::vector<const Value*> leaves;
    std::function<void(const Value&)> walk = [&](const Value& x) {
      if (x.kind == Value::Array)
        for (const Value& e : x.a) walk(e);
      else
        leaves.push_back(&x);
    };
    walk(v);
    for (size_t i = 0; i < leaves.size(); ++i) {
      std::string msg = values::checkElement(tr, *leaves[i]);
      if (!msg.empty()) {
        mvc_rt_data_constraint_error(st->ctx, &d.decl, element < 0 ? -1 : static_cast<int64_t>(i), msg.c_str());
        throw Error("variable '" + d.name + "': " + msg, Error::kData);
      }
    }
  }
  throw Error("variable '" + d.name + "': " + fallback, Error::kData);
}

}  // namespace

extern "C" {

// ---- the state

mvc_v** mvc_st_slots(mvc_st* st) { return st->model->slots.data(); }
int32_t mvc_st_wants_gradient(mvc_st* st) { return st->grad != nullptr; }
double* mvc_st_grad_at(mvc_st* st, int32_t k) {
  if (!st->grad || k < 0 || static_cast<size_t>(k) >= st->model->params.size()) return nullptr;
  return st->grad + st->model->params[static_cast<size_t>(k)].uncOffset;
}
int32_t mvc_st_include_tp(mvc_st* st) { return st->includeTp; }
int32_t mvc_st_include_gq(mvc_st* st) { return st->includeGq; }

void mvc_st_declare_param(mvc_st* st, const char* name, const char* transform, int32_t elem, int32_t array_dims,
                          int32_t ndims, const int64_t* dims) {
  needMode(st, mvc_st::Construct, "mvc_st_declare_param");
  mvc_gen_model* m = st->model;
  if (!m->outs.empty()) throw Error(std::string("parameter '") + name + "' declared after the outputs", Error::kFatal);
  ParamDecl p;
  p.name = name;
  p.transform = transform ? transform : "";
  p.elem = elemOf(elem);
  p.arrayDims = array_dims;
  p.dims = declaredDims("parameter", name, p.elem, array_dims, ndims, dims);
  p.conOffset = m->numCon;
  p.conSize = static_cast<int64_t>(values::numReals(values::shaped(p.elem, p.arrayDims, p.dims)));
  p.uncOffset = m->numUnc;
  p.uncSize = values::unconstrainedSize(p.transform, p.elem, p.arrayDims, p.dims);
  m->numCon += p.conSize;
  m->numUnc += p.uncSize;
  m->params.push_back(std::move(p));
}

void mvc_st_declare_out(mvc_st* st, const char* name, int32_t role, int32_t elem, int32_t array_dims, int32_t ndims,
                        const int64_t* dims) {
  needMode(st, mvc_st::Construct, "mvc_st_declare_out");
  mvc_gen_model* m = st->model;
  if (role != MVC_OUT_TPARAM && role != MVC_OUT_GQ)
    throw Error(std::string("output '") + name + "': unknown role " + std::to_string(role), Error::kFatal);
  if (role == MVC_OUT_TPARAM && !m->outs.empty() && m->outs.back().role == MVC_OUT_GQ)
    throw Error(std::string("transformed parameter '") + name + "' declared after the generated quantities",
                Error::kFatal);
  OutDecl o;
  o.name = name;
  o.role = role;
  o.elem = elemOf(elem);
  o.arrayDims = array_dims;
  o.dims = declaredDims(role == MVC_OUT_GQ ? "generated quantity" : "transformed parameter", name, o.elem, array_dims,
                        ndims, dims);
  o.size = static_cast<int64_t>(values::numReals(values::shaped(o.elem, o.arrayDims, o.dims)));
  int64_t& total = role == MVC_OUT_TPARAM ? m->tpSize : m->gqSize;
  o.offset = total;
  total += o.size;
  m->outs.push_back(std::move(o));
}

// ---- values

mvc_v* mvc_v_int(mvc_st* st, int64_t v) { return make(st, Value::integer(v)); }
mvc_v* mvc_v_real(mvc_st* st, double v) { return make(st, Value::real(v)); }

int64_t mvc_v_as_int(const mvc_v* h) {
  const Value& v = V(h);
  if (v.kind != Value::Int) throw Error("expecting an int, got " + values::describe(v), Error::kFatal);
  return v.i;
}

double mvc_v_as_real(const mvc_v* h) {
  const Value& v = V(h);
  if (!v.scalar()) throw Error("expecting a real, got " + values::describe(v), Error::kFatal);
  return v.num();
}

int32_t mvc_v_truth(const mvc_v* h) {
  const Value& v = V(h);
  if (!v.scalar()) throw Error("a condition must be an int or real, not " + values::describe(v), Error::kFatal);
  return v.kind == Value::Int ? v.i != 0 : v.d != 0;
}

mvc_v* mvc_v_data(mvc_st* st, const char* name, const char* type_text, int32_t elem, int32_t array_dims,
                  int32_t ndims, const int64_t* dims) {
  needMode(st, mvc_st::Construct, "mvc_v_data");
  Elem e = elemOf(elem);
  DataDecl d;
  d.name = name;
  d.type = type_text ? type_text : "";
  d.dims = declaredDims("data variable", name, e, array_dims, ndims, dims);
  parseSizes(d);
  st->model->data.push_back(std::move(d));
  DataDecl& s = st->model->data.back();
  s.decl = mvc_rt_decl{s.name.c_str(), s.type.c_str(), e == Elem::Int, static_cast<int>(s.dims.size()), array_dims,
                       s.dims.data(), static_cast<int>(s.sizeNames.size()), s.sizeNamePtrs.data(), s.sizeValues.data()};
  const double* data = mvc_rt_data(st->ctx, &s.decl);
  if (!data) throw Error("variable '" + s.name + "' could not be read from the data", Error::kData);
  Value v = values::shaped(e, array_dims, s.dims);
  values::fill(v, data);
  mvc_v* h = make(st, std::move(v));
  s.value = &V(h);
  return h;
}

void mvc_v_check(mvc_st* st, const char* what, const char* transform, const mvc_v* value, int32_t nbounds,
                 const mvc_v* const* bounds) {
  std::vector<const Value*> in{&V(value)};
  Args b = A(bounds, nbounds);
  for (size_t k = 0; k < b.size(); ++k) in.push_back(&b[k]);
  std::string tr = transform ? transform : "";
  std::string msg = values::checkConstraint(tr, Args(in));
  if (msg.empty()) return;
  if (st->mode == mvc_st::Construct) {
    if (DataDecl* d = dataDeclOf(st, what, V(value))) dataCheckFailed(st, *d, tr, V(value), b, msg);
    throw Error(std::string(what) + ": " + msg, Error::kData);
  }
  throw Error(std::string(what) + ": " + msg, Error::kDomain);
}

mvc_v* mvc_v_param(mvc_st* st, int32_t k, int32_t nbounds, const mvc_v* const* bounds) {
  if (st->mode != mvc_st::LogDensity && st->mode != mvc_st::WriteArray)
    throw Error("mvc_v_param called outside log_density and write_array", Error::kFatal);
  if (k < 0 || static_cast<size_t>(k) >= st->model->params.size())
    throw Error("parameter " + std::to_string(k) + " was not declared", Error::kFatal);
  const ParamDecl& p = st->model->params[static_cast<size_t>(k)];
  double lp = 0;
  bool jac = st->mode == mvc_st::LogDensity && st->jacobian;
  Value* v = st->arena->reuse();
  values::constrainParamInto(*v, p.name, p.transform, p.elem, p.arrayDims, p.dims, A(bounds, nbounds),
                             st->theta + p.uncOffset, jac ? &lp : nullptr);
  st->target += lp;
  return reinterpret_cast<mvc_v*>(v);
}

void mvc_v_param_grad(mvc_st* st, int32_t k, const mvc_v* value, int32_t nbounds, const mvc_v* const* bounds,
                      const mvc_v* adj, const char* mask, mvc_v* const* accs) {
  needMode(st, mvc_st::LogDensity, "mvc_v_param_grad");
  if (!st->grad) return;
  if (k < 0 || static_cast<size_t>(k) >= st->model->params.size())
    throw Error("parameter " + std::to_string(k) + " was not declared", Error::kFatal);
  const ParamDecl& p = st->model->params[static_cast<size_t>(k)];
  std::vector<Value*> boundAdj(static_cast<size_t>(nbounds), nullptr);
  for (int32_t b = 0, next = 0; mask && mask[b] && b < nbounds; ++b)
    if (mask[b] == 'a') boundAdj[static_cast<size_t>(b)] = &V(accs[next++]);
  values::gradParam(p.name, p.transform, A(bounds, nbounds), st->theta + p.uncOffset, V(value), V(adj), st->jacobian,
                    st->grad + p.uncOffset, boundAdj.data());
}

mvc_v* mvc_v_param_unconstrain(mvc_st* st, int32_t k, int32_t nbounds, const mvc_v* const* bounds) {
  needMode(st, mvc_st::Unconstrain, "mvc_v_param_unconstrain");
  if (k < 0 || static_cast<size_t>(k) >= st->model->params.size())
    throw Error("parameter " + std::to_string(k) + " was not declared", Error::kFatal);
  const ParamDecl& p = st->model->params[static_cast<size_t>(k)];
  Value v = values::shaped(p.elem, p.arrayDims, p.dims);
  values::fill(v, st->constrained + p.conOffset);
  values::unconstrainParam(p.name, p.transform, v, A(bounds, nbounds), st->unconstrained + p.uncOffset);
  return make(st, std::move(v));
}

mvc_v* mvc_v_var(mvc_st* st, int32_t elem, int32_t array_dims, int32_t ndims, const int64_t* dims) {
  return make(st, values::shaped(elemOf(elem), array_dims, dimsOf(ndims, dims)));
}

mvc_v* mvc_v_load(mvc_st* st, const mvc_v* var) { return make(st, Value(V(var))); }

void mvc_v_store(mvc_st* st, mvc_v* var, const mvc_v* value, const char* kinds, int32_t nops, const mvc_v* const* ops) {
  (void)st;
  Value& b = V(var);
  const Value& v = V(value);
  bool promote = realLeaf(b) && (v.kind == Value::Int || v.kind == Value::Array);
  Value promoted;
  if (promote) promoted = values::promoteReal(v);
  values::assignInto(b, values::indexPositions(kinds ? kinds : "", A(ops, nops)), 0, promote ? promoted : v,
                     AssignMode::Set);
}

// ---- the undo tape: only a log density with a gradient has a reverse sweep that reads it.

static values::Tape* tapeOf(mvc_st* st) { return st->grad && st->scratch ? &st->scratch->tape : nullptr; }
void mvc_v_tape_save_at(mvc_st* st, mvc_v* var, int32_t n, const int64_t* idx) {
  if (values::Tape* t = tapeOf(st)) t->save(V(var), n, idx);
}
void mvc_v_tape_mark(mvc_st* st, int64_t id) {
  if (values::Tape* t = tapeOf(st)) t->mark(id);
}
void mvc_v_tape_save(mvc_st* st, mvc_v* var, const char* kinds, int32_t nops, const mvc_v* const* ops) {
  if (values::Tape* t = tapeOf(st)) t->save(V(var), kinds ? kinds : "", A(ops, nops));
}
void mvc_v_tape_pop(mvc_st* st) {
  if (values::Tape* t = tapeOf(st)) t->pop();
}
int64_t mvc_v_tape_more(mvc_st* st, int64_t iteration, int64_t loop) {
  values::Tape* t = tapeOf(st);
  return t && t->more(iteration, loop) ? 1 : 0;
}
void mvc_v_tape_restore(mvc_st* st, int64_t id) {
  if (values::Tape* t = tapeOf(st)) t->restore(id);
}

mvc_v* mvc_v_index(mvc_st* st, const mvc_v* base, const char* kinds, int32_t nops, const mvc_v* const* ops) {
  // Fast path: single indexes into arrays (x[n], L[g[n]]): the element is copied into the
  // arena entry's old storage, so no allocation once warm. Anything else (and every error)
  // takes the general path.
  if (kinds && static_cast<int32_t>(std::strlen(kinds)) == nops) {
    const Value* v = &V(base);
    int32_t k = 0;
    for (; k < nops && kinds[k] == 's' && v->kind == Value::Array; ++k) {
      const Value& ix = V(ops[k]);
      if (ix.kind != Value::Int || ix.i < 1 || ix.i > static_cast<int64_t>(v->a.size())) break;
      v = &v->a[static_cast<size_t>(ix.i - 1)];
    }
    if (k == nops) {
      Value* out = st->arena->reuse();
      values::copyInto(*out, *v);
      return reinterpret_cast<mvc_v*>(out);
    }
  }
  // The general path fills a reused arena entry, so a slice (x[a:b], B[a:b, a:b]) allocates
  // nothing once warm.
  Value* out = st->arena->reuse();
  values::indexValueInto(*out, V(base), values::indexPositions(kinds ? kinds : "", A(ops, nops)));
  return reinterpret_cast<mvc_v*>(out);
}

mvc_v* mvc_v_call(mvc_st* st, void** cache, const char* name, int32_t result_elem, int32_t result_array_dims,
                  int32_t nargs, const mvc_v* const* args) {
  const values::Builtin* b = cache ? static_cast<const values::Builtin*>(__atomic_load_n(cache, __ATOMIC_ACQUIRE)) : nullptr;
  if (!b) {
    b = values::findBuiltin(name);
    if (!b) throw Error(std::string("the built-in function '") + name + "' is not supported by the runtime yet",
                        Error::kFatal);
    if (cache) __atomic_store_n(cache, const_cast<void*>(static_cast<const void*>(b)), __ATOMIC_RELEASE);
  }
  return make(st, values::callBuiltin(*b, A(args, nargs), values::ResultType{elemOf(result_elem), result_array_dims}));
}

mvc_v* mvc_v_call_grad(mvc_st* st, const char* name, int32_t k, const mvc_v* adj_y, const mvc_v* y, int32_t nargs,
                       const mvc_v* const* args) {
  return make(st, values::builtinGrad(name, k, V(adj_y), V(y), A(args, nargs)));
}

mvc_v* mvc_v_rng(mvc_st* st, const char* name, int32_t result_elem, int32_t result_array_dims, int32_t nargs,
                 const mvc_v* const* args) {
  return make(st, values::rng(name, A(args, nargs), values::ResultType{elemOf(result_elem), result_array_dims},
                              [st] { return uniform(st); }));
}

mvc_v* mvc_v_make_array(mvc_st* st, int32_t promote_real, int32_t n, const mvc_v* const* elems) {
  return make(st, values::makeArray(A(elems, n), promote_real != 0));
}

mvc_v* mvc_v_make_row(mvc_st* st, int32_t n, const mvc_v* const* elems) {
  return make(st, values::makeRow(A(elems, n)));
}

// ---- the log density

void mvc_v_target_add(mvc_st* st, const mvc_v* h) {
  const Value& v = V(h);
  if (v.scalar()) {
    st->target += v.num();
    return;
  }
  std::vector<double> xs;
  values::flatten(v, xs);
  for (double x : xs) st->target += x;
}

mvc_v* mvc_v_target_get(mvc_st* st) { return make(st, Value::real(st->target)); }

mvc_v* mvc_v_density(mvc_st* st, const char* name, const char* family, int32_t is_cdf, int32_t can_drop,
                     uint32_t active, int32_t nargs, const mvc_v* const* args) {
  return make(st, Value::real(values::density(name, family, is_cdf != 0, A(args, nargs), active,
                                              can_drop && st->propto)));
}

void mvc_v_density_grad(mvc_st* st, const char* name, const char* family, int32_t is_cdf, int32_t can_drop,
                        const char* mask, const mvc_v* adj, int32_t nargs, const mvc_v* const* args, int32_t naccs,
                        mvc_v* const* accs) {
  std::string_view m = mask ? mask : "";
  int32_t want = 0;
  for (char c : m) want += c == 'a';
  if (want != naccs)
    throw Error(std::string(name) + ": " + std::to_string(naccs) + " accumulators for mask '" + std::string(m) + "'",
                Error::kFatal);
  values::densityGrad(name, family, is_cdf != 0, m, can_drop && st->propto, mvc_v_as_real(adj), A(args, nargs),
                      Acc(accs));
}

namespace {
// The forward pass of a log density with a gradient: a batched multivariate normal keeps its
// partials for the reverse sweep (values::MvnPartials).
values::MvnPartials* partialsToKeep(mvc_st* st, const char* family) {
  if (!st->grad || !st->scratch || !values::batchedMvnFamily(family)) return nullptr;
  mvc_gen_scratch& s = *st->scratch;
  if (s.partialsUsed == s.partials.size()) s.partials.emplace_back();
  return &s.partials[s.partialsUsed++];
}

// The reverse sweep: the kept partials of the same call (the latest first), if any.
bool usePartials(mvc_st* st, const char* family, const std::string& modes, const std::string& mask, const Args& in,
                 bool propto, double adj, Value* const* accs, const Value* prepared, double* const* flat) {
  if (!st->scratch || !values::batchedMvnFamily(family)) return false;
  for (size_t k = st->scratch->partialsUsed; k-- > 0;)
    if (values::applyMvnPartials(st->scratch->partials[k], family, modes, mask, in, propto, adj, accs, prepared, flat))
      return true;
  return false;
}

std::pair<std::string, std::string> splitModesMask(const char* modes_mask) {
  std::string mm = modes_mask ? modes_mask : "";
  size_t slash = mm.find('/');
  return {mm.substr(0, slash), slash == std::string::npos ? "" : mm.substr(slash + 1)};
}
}  // namespace

mvc_v* mvc_v_density_batched(mvc_st* st, const char* name, const char* family, int32_t can_drop, const char* modes,
                             uint32_t active, int32_t ninputs, const mvc_v* const* inputs) {
  (void)name;
  if (values::MvnPartials* keep = partialsToKeep(st, family))
    return make(st, Value::real(values::batchedMvn(family, modes, "", A(inputs, ninputs), active,
                                                   can_drop && st->propto, 1, nullptr, nullptr, keep)));
  return make(st, Value::real(values::densityBatched(family, modes, A(inputs, ninputs), active, can_drop && st->propto)));
}

void mvc_v_density_batched_grad(mvc_st* st, const char* name, const char* family, int32_t can_drop,
                                const char* modes_mask, const mvc_v* adj, int32_t ninputs,
                                const mvc_v* const* inputs, int32_t naccs, mvc_v* const* accs,
                                double* const* flat) {
  std::string mm = modes_mask ? modes_mask : "";
  int32_t want = 0;
  size_t slash = mm.find('/');
  if (slash != std::string::npos)
    for (size_t i = slash + 1; i < mm.size(); ++i) want += mm[i] == 'a' || mm[i] == 'p';
  if (want != naccs)
    throw Error(std::string(name) + ": " + std::to_string(naccs) + " accumulators for '" + mm + "'", Error::kFatal);
  auto [modes, mask] = splitModesMask(modes_mask);
  if (usePartials(st, family, modes, mask, A(inputs, ninputs), can_drop && st->propto, mvc_v_as_real(adj), Acc(accs),
                  nullptr, flat))
    return;
  values::densityBatchedGrad(family, mm, can_drop && st->propto, mvc_v_as_real(adj), A(inputs, ninputs), Acc(accs),
                             flat);
}

// Data matrices of a batched multivariate normal, factored once at construction
// (values::batchedMvnPrepare); the _prepared forms use the factors at every evaluation.
mvc_v* mvc_v_batched_prepare(mvc_st* st, const char* family, int32_t mode, const mvc_v* matrices) {
  return make(st, values::batchedMvnPrepare(family ? family : "", static_cast<char>(mode), V(matrices)));
}

mvc_v* mvc_v_batched_stats(mvc_st* st, int64_t lo, int64_t hi, const mvc_v* y, const mvc_v* G) {
  return make(st, values::batchedMvnStats(lo, hi, V(y), G ? &V(G) : nullptr));
}

mvc_v* mvc_v_density_batched_prepared(mvc_st* st, const mvc_v* prepared, const char* name, const char* family,
                                      int32_t can_drop, const char* modes, uint32_t active, int32_t ninputs,
                                      const mvc_v* const* inputs) {
  (void)name;
  return make(st, Value::real(values::batchedMvn(family, modes, "", A(inputs, ninputs), active,
                                                 can_drop && st->propto, 0, nullptr, &V(prepared),
                                                 partialsToKeep(st, family))));
}

void mvc_v_density_batched_grad_prepared(mvc_st* st, const mvc_v* prepared, const char* name, const char* family,
                                         int32_t can_drop, const char* modes_mask, const mvc_v* adj, int32_t ninputs,
                                         const mvc_v* const* inputs, int32_t naccs, mvc_v* const* accs,
                                         double* const* flat) {
  std::string mm = modes_mask ? modes_mask : "";
  auto [modes, mask] = splitModesMask(modes_mask);
  uint32_t active = 0;
  int32_t want = 0;
  for (size_t k = 0; k < mask.size(); ++k)
    if (mask[k] == 'a' || mask[k] == 'p') active |= 1u << k, ++want;
  if (want != naccs || mask.size() != modes.size())
    throw Error(std::string(name) + ": " + std::to_string(naccs) + " accumulators for '" + mm + "'", Error::kFatal);
  if (usePartials(st, family, modes, mask, A(inputs, ninputs), can_drop && st->propto, mvc_v_as_real(adj), Acc(accs),
                  &V(prepared), flat))
    return;
  values::batchedMvn(family, modes, mask, A(inputs, ninputs), active, can_drop && st->propto, mvc_v_as_real(adj),
                     Acc(accs), &V(prepared), nullptr, flat);
}

// The direct form: no boxing per item, no gather, no kept partials (see compiled.h).
double mvc_v_density_batched_direct(mvc_st* st, const mvc_v* prepared, const char* family, int32_t can_drop,
                                    const char* modes, uint32_t active, int64_t lo, int64_t hi, const int32_t* params,
                                    const mvc_v* const* vals) {
  if (!family) family = "";
  if (!modes || std::strlen(modes) != 3)
    throw Error(std::string(family) + ": direct form with modes '" + (modes ? modes : "") + "'", Error::kFatal);
  values::DirectArg a[2];
  for (int k = 0; k < 2; ++k) {
    if (params[k] >= 0) {
      if (static_cast<size_t>(params[k]) >= st->model->params.size()) throw Error("parameter index", Error::kFatal);
      const ParamDecl& p = st->model->params[static_cast<size_t>(params[k])];
      const int64_t items = p.dims.empty() ? 0 : p.dims[0];
      const size_t size = items > 0 ? static_cast<size_t>(p.uncSize / items) : 0;
      values::checkIndexRange(lo, hi, items);
      const int64_t off = p.uncOffset + (lo - 1) * static_cast<int64_t>(size);
      a[k] = {st->theta + off, hi - lo + 1, size, st->grad ? st->grad + off : nullptr};
    } else if (modes[k] == 's') {  // packed at construction: a size x K matrix
      const Value& v = V(vals[k]);
      values::checkIndexRange(lo, hi, v.m.cols());
      a[k] = {v.m.data() + (lo - 1) * v.m.rows(), hi - lo + 1, static_cast<size_t>(v.m.rows()), nullptr};
    } else {
      const Value& v = V(vals[k]);
      a[k] = {v.scalar() ? &v.d : v.m.data(), 1, v.scalar() ? 1 : static_cast<size_t>(v.m.size()), nullptr};
    }
  }
  return values::batchedMvnDirect(family, V(prepared), modes[2], lo, hi, a[0], a[1], active, can_drop && st->propto);
}

mvc_v* mvc_v_pack_items(mvc_st* st, const mvc_v* array) { return make(st, values::packItems(V(array))); }

int32_t mvc_st_param_len(mvc_st* st, int32_t k) {
  if (k < 0 || static_cast<size_t>(k) >= st->model->params.size()) throw Error("parameter index", Error::kFatal);
  const ParamDecl& p = st->model->params[static_cast<size_t>(k)];
  return p.dims.empty() ? 0 : static_cast<int32_t>(p.dims[0]);
}

// ---- the reverse sweep

mvc_v* mvc_v_adj(mvc_st* st, const mvc_v* like) {
  Value* v = st->arena->reuse();
  values::zerosLikeInto(*v, V(like));
  return reinterpret_cast<mvc_v*>(v);
}
mvc_v* mvc_v_adj_get_at(mvc_st* st, const mvc_v* acc, const char* kinds, int32_t nops, const mvc_v* const* ops) {
  return make(st, values::storeAdjoint(V(acc), values::indexPositions(kinds ? kinds : "", A(ops, nops))));
}
mvc_v* mvc_v_adj_get(mvc_st* st, const mvc_v* acc) {
  Value* v = st->arena->reuse();
  values::copyInto(*v, V(acc));
  return reinterpret_cast<mvc_v*>(v);
}

void mvc_v_adj_add(mvc_st* st, mvc_v* acc, const mvc_v* value, const char* kinds, int32_t nops,
                   const mvc_v* const* ops) {
  (void)st;
  values::assignInto(V(acc), values::indexPositions(kinds ? kinds : "", A(ops, nops)), 0, V(value), AssignMode::Add);
}

// ---- scalar fast paths of element writes and of the reverse sweep (no boxing, no allocation)

namespace {
// The general form of an element write with n single indexes: boxes them (the slow path).
void assignAt(mvc_v* target, const Value& v, int32_t n, const int64_t* idx, AssignMode mode) {
  std::vector<Value> ops;
  std::vector<const Value*> ptrs;
  for (int32_t k = 0; k < n; ++k) ops.push_back(Value::integer(idx[k]));
  for (const Value& o : ops) ptrs.push_back(&o);
  values::assignInto(V(target), values::indexPositions(std::string(static_cast<size_t>(n), 's'), values::Args(ptrs)), 0, v,
                     mode);
}
}  // namespace

void mvc_v_store_real_at(mvc_st* st, mvc_v* var, double x, int32_t n, const int64_t* idx) {
  (void)st;
  if (double* leaf = values::realLeaf(V(var), n, idx)) *leaf = x;
  else assignAt(var, Value::real(x), n, idx, AssignMode::Set);
}
void mvc_v_adj_add_real_at(mvc_st* st, mvc_v* acc, double x, int32_t n, const int64_t* idx) {
  (void)st;
  if (double* leaf = values::realLeaf(V(acc), n, idx)) *leaf += x;
  else assignAt(acc, Value::real(x), n, idx, AssignMode::Add);
}
void mvc_v_adj_zero_at(mvc_st* st, mvc_v* acc, int32_t n, const int64_t* idx) {
  (void)st;
  if (double* leaf = values::realLeaf(V(acc), n, idx)) *leaf = 0;
  else assignAt(acc, Value::real(0), n, idx, AssignMode::Zero);
}

void mvc_v_adj_zero(mvc_st* st, mvc_v* acc, const char* kinds, int32_t nops, const mvc_v* const* ops) {
  (void)st;
  values::assignInto(V(acc), values::indexPositions(kinds ? kinds : "", A(ops, nops)), 0, Value::real(0),
                     AssignMode::Zero);
}

// ---- effects

void mvc_v_print(mvc_st* st, const char* pieces, int32_t n, const mvc_v* const* vals) {
  std::string text = values::formatPieces(pieces ? pieces : "", A(vals, n));
  text += '\n';
  mvc_rt_print(st->ctx, text.c_str());
}

void mvc_v_reject(mvc_st* st, int32_t fatal, const char* pieces, int32_t n, const mvc_v* const* vals) {
  std::string text = values::formatPieces(pieces ? pieces : "", A(vals, n));
  throw Error(text, fatal ? Error::kFatal : st->mode == mvc_st::Construct ? Error::kData : Error::kDomain);
}

void mvc_fn_too_deep(mvc_st* st, const char* name, int32_t limit) {
  throw Error("recursion deeper than " + std::to_string(limit) + " calls in '" + name + "'",
              st->mode == mvc_st::Construct ? Error::kData : Error::kDomain);
}

void mvc_fn_no_return(mvc_st*, const char* name) {
  throw Error(std::string("the function '") + name + "' ended without returning a value", Error::kFatal);
}

mvc_v* mvc_v_promote_real(mvc_st* st, const mvc_v* value) { return make(st, values::promoteReal(V(value))); }

void mvc_v_out(mvc_st* st, int32_t k, const mvc_v* h) {
  needMode(st, mvc_st::WriteArray, "mvc_v_out");
  mvc_gen_model* m = st->model;
  const Value& v = V(h);
  size_t np = m->params.size();
  int64_t offset, size;
  const std::string* name;
  if (k >= 0 && static_cast<size_t>(k) < np) {
    const ParamDecl& p = m->params[static_cast<size_t>(k)];
    offset = p.conOffset;
    size = p.conSize;
    name = &p.name;
  } else if (k >= 0 && static_cast<size_t>(k) < np + m->outs.size()) {
    const OutDecl& o = m->outs[static_cast<size_t>(k) - np];
    if (o.role == MVC_OUT_TPARAM) {
      if (!st->includeTp) return;
      offset = m->numCon + o.offset;
    } else {
      if (!st->includeGq) return;
      offset = m->numCon + (st->includeTp ? m->tpSize : 0) + o.offset;
    }
    size = o.size;
    name = &o.name;
  } else {
    throw Error("output " + std::to_string(k) + " was not declared", Error::kFatal);
  }
  if (static_cast<int64_t>(values::numReals(v)) != size)
    throw Error("'" + *name + "' has " + std::to_string(values::numReals(v)) + " values (" + values::describe(v) +
                    "), but its declared size is " + std::to_string(size),
                Error::kDomain);
  if (v.scalar()) {
    st->out[offset] = v.num();
    return;
  }
  std::vector<double> xs;
  xs.reserve(static_cast<size_t>(size));
  values::flatten(v, xs);
  std::copy(xs.begin(), xs.end(), st->out + offset);
}

// ---- scalar fast paths

double mvc_v_index_real(mvc_st* st, const mvc_v* base, int32_t n, const int64_t* idx) {
  (void)st;
  return values::indexScalar(V(base), n, idx).num();
}

int64_t mvc_v_index_int(mvc_st* st, const mvc_v* base, int32_t n, const int64_t* idx) {
  (void)st;
  const Value& v = values::indexScalar(V(base), n, idx);
  if (v.kind != Value::Int) throw Error("expecting an int element, got " + values::describe(v), Error::kFatal);
  return v.i;
}

void mvc_v_store_real(mvc_st* st, mvc_v* var, double x) {
  (void)st;
  Value& v = V(var);
  if (v.kind != Value::Real) throw Error("storing a real into " + values::describe(v), Error::kFatal);
  v.d = x;
}

void mvc_v_store_int(mvc_st* st, mvc_v* var, int64_t x) {
  (void)st;
  Value& v = V(var);
  if (v.kind == Value::Int) v.i = x;
  else if (v.kind == Value::Real) v.d = static_cast<double>(x);
  else throw Error("storing an int into " + values::describe(v), Error::kFatal);
}

void mvc_v_target_add_real(mvc_st* st, double x) { st->target += x; }

}  // extern "C"
