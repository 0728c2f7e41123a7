// Constraint checks and parameter transforms through the runtime's kernels
// (runtime/include/mvc/transforms.h): constrain (+ log-Jacobian), its gradient, the inverse
// (unconstrain) and the checks of declared constraints.
#include "mvc/transforms.h"
#include "values.h"

namespace mvc::values {
namespace {

constexpr int64_t kErrLen = 512;

// f on every vector/matrix/scalar leaf of v (V: Value or const Value), in memory order. A
// template, not std::function, whose captures would be allocated at every call.
template <class V, class F>
void forLeaves(V& v, F&& f) {
  if (v.kind == Value::Array)
    for (V& e : v.a) forLeaves(e, f);
  else
    f(v);
}

std::vector<double> flat(const Value& v) {
  std::vector<double> out;
  flatten(v, out);
  return out;
}

// A structural transform on one vector/matrix: rows r, cols c (vectors: c = 1).
struct Structural {
  int64_t (*freeSize)(int64_t r, int64_t c);
  int (*constrain)(int64_t r, int64_t c, const double* x, double* y, double* lp, double* scratch, char* err);
  void (*grad)(int64_t r, int64_t c, const double* x, const double* y, const double* ya, int jac, double* xa,
               double* scratch);
  int (*free)(int64_t r, int64_t c, const double* y, double* x, double* scratch, char* err);
  int (*check)(int64_t r, int64_t c, const double* y, double* scratch, char* err);
  bool matrix;  // on a (square unless cholesky_factor_cov) matrix, else a vector
};

// K of a vector (its size) or a square matrix (its rows).
#define VEC_TF(name)                                                                                          \
  Structural {                                                                                                \
    [](int64_t r, int64_t) { return mvc_tf_##name##_free_size(r); },                                          \
        [](int64_t r, int64_t, const double* x, double* y, double* lp, double*, char* e) {                   \
          return mvc_tf_##name##_constrain(r, x, y, lp, e, kErrLen);                                          \
        },                                                                                                    \
        [](int64_t r, int64_t, const double* x, const double* y, const double* ya, int j, double* xa, double*) { \
          mvc_tf_##name##_grad(r, x, y, ya, j, xa);                                                           \
        },                                                                                                    \
        [](int64_t r, int64_t, const double* y, double* x, double*, char* e) {                               \
          return mvc_tf_##name##_free(r, y, x, e, kErrLen);                                                   \
        },                                                                                                    \
        [](int64_t r, int64_t, const double* y, double*, char* e) { return mvc_tf_##name##_check(r, y, e, kErrLen); }, \
        false                                                                                                 \
  }
#define MAT_TF(name, tf)                                                                                      \
  Structural {                                                                                                \
    [](int64_t r, int64_t) { return mvc_tf_##tf##_free_size(r); },                                           \
        [](int64_t r, int64_t, const double* x, double* y, double* lp, double* s, char* e) {                 \
          return mvc_tf_##tf##_constrain(r, x, y, lp, s, e, kErrLen);                                         \
        },                                                                                                    \
        [](int64_t r, int64_t, const double* x, const double* y, const double* ya, int j, double* xa, double* s) { \
          mvc_tf_##tf##_grad(r, x, y, ya, j, xa, s);                                                          \
        },                                                                                                    \
        [](int64_t r, int64_t, const double* y, double* x, double* s, char* e) {                             \
          return mvc_tf_##tf##_free(r, y, x, s, e, kErrLen);                                                  \
        },                                                                                                    \
        nullptr, true                                                                                         \
  }

const Structural* structuralOf(const std::string& tr) {
  static const Structural simplex = VEC_TF(simplex), unitVector = VEC_TF(unit_vector), ordered = VEC_TF(ordered),
                          positiveOrdered = VEC_TF(positive_ordered), sumToZero = VEC_TF(sum_to_zero);
  static const Structural cholCorr = [] {
    Structural s = MAT_TF(cholesky_factor_corr, cholesky_corr);
    s.check = [](int64_t r, int64_t, const double* y, double*, char* e) {
      return mvc_tf_cholesky_corr_check(r, y, e, kErrLen);
    };
    return s;
  }();
  static const Structural corr = [] {
    Structural s = MAT_TF(corr_matrix, corr_matrix);
    s.check = [](int64_t r, int64_t, const double* y, double* sc, char* e) {
      return mvc_tf_corr_matrix_check(r, y, sc, e, kErrLen);
    };
    return s;
  }();
  static const Structural cov = [] {
    Structural s = MAT_TF(cov_matrix, cov_matrix);
    s.check = [](int64_t r, int64_t, const double* y, double* sc, char* e) {
      return mvc_tf_cov_matrix_check(r, y, sc, e, kErrLen);
    };
    return s;
  }();
  static const Structural cholCov = {
      [](int64_t r, int64_t c) { return mvc_tf_cholesky_cov_free_size(r, c); },
      [](int64_t r, int64_t c, const double* x, double* y, double* lp, double*, char* e) {
        return mvc_tf_cholesky_cov_constrain(r, c, x, y, lp, e, kErrLen);
      },
      [](int64_t r, int64_t c, const double* x, const double* y, const double* ya, int j, double* xa, double*) {
        mvc_tf_cholesky_cov_grad(r, c, x, y, ya, j, xa);
      },
      [](int64_t r, int64_t c, const double* y, double* x, double*, char* e) {
        return mvc_tf_cholesky_cov_free(r, c, y, x, e, kErrLen);
      },
      [](int64_t r, int64_t c, const double* y, double*, char* e) { return mvc_tf_cholesky_cov_check(r, c, y, e, kErrLen); },
      true};
  if (tr == "simplex") return &simplex;
  if (tr == "unit_vector") return &unitVector;
  if (tr == "ordered") return &ordered;
  if (tr == "positive_ordered") return &positiveOrdered;
  if (tr == "sum_to_zero_vector") return &sumToZero;
  if (tr == "cholesky_factor_corr") return &cholCorr;
  if (tr == "cholesky_factor_cov") return &cholCov;
  if (tr == "corr_matrix") return &corr;
  if (tr == "cov_matrix") return &cov;
  return nullptr;
}

bool scalarBounds(const std::string& tr) {
  return tr.empty() || tr == "lower" || tr == "upper" || tr == "lower_upper" || tr == "offset_multiplier";
}

const Structural& structuralOrThrow(const std::string& tr) {
  const Structural* s = structuralOf(tr);
  if (!s) throw Error("the constraint '" + tr + "' is not supported by the runtime yet", Error::kFatal);
  return *s;
}

// Rows and columns of a leaf for a structural transform, checked against its kind.
void leafSize(const std::string& tr, const Structural& s, const Value& leaf, int64_t& r, int64_t& c) {
  if (s.matrix ? leaf.kind != Value::Mat : leaf.kind != Value::Vec)
    throw Error("the constraint '" + tr + "' applies to a " + (s.matrix ? "matrix" : "vector") + ", not " +
                    describe(leaf),
                Error::kFatal);
  r = leaf.m.rows();
  c = leaf.m.cols();
  if (s.matrix && tr != "cholesky_factor_cov" && r != c)
    throw Error(tr + ": expecting a square matrix, got " + describe(leaf));
}

// Scratch for a structural transform of an r x r leaf: per thread, keeping its capacity (every
// transform writes the scratch it reads before reading it).
double* scratchFor(int64_t r) {
  thread_local std::vector<double> scratch;
  const size_t need = static_cast<size_t>(64 + 16 * r * r);
  if (scratch.size() < need) scratch.resize(need);
  return scratch.data();
}

// A scalar bound: its values and stride (0: one for all, 1: one per element of n).
struct Bound {
  std::vector<double> v;
  int64_t stride = 0;
  size_t period = 0;  // > 0: a container bound repeated for each array element (its size)
};
// Bound k of variable `var` (n reals): one value for all, one per real, or, as Stan allows for
// `array[K] vector<lower=L>[q]`, a container bound the size of one array element, repeated.
Bound boundOf(const Args& bounds, size_t k, const Value& var, int64_t n, const char* what) {
  if (k >= bounds.size()) throw Error(std::string("the ") + what + " bound is missing", Error::kFatal);
  Bound b;
  b.v = flat(bounds[k]);
  if (b.v.size() == 1) return b;
  b.stride = 1;
  if (static_cast<int64_t>(b.v.size()) == n) return b;
  const Value* leaf = &var;
  while (leaf->kind == Value::Array && !leaf->a.empty()) leaf = &leaf->a.front();
  const size_t per = numReals(*leaf);
  if (var.kind == Value::Array && bounds[k].kind != Value::Array && b.v.size() == per && per > 0 &&
      n % static_cast<int64_t>(per) == 0) {
    b.period = per;
    std::vector<double> tiled;
    for (int64_t i = 0; i < n; ++i) tiled.push_back(b.v[static_cast<size_t>(i) % per]);
    b.v = std::move(tiled);
    return b;
  }
  throw Error(std::string("the ") + what + " bound has " + std::to_string(b.v.size()) + " values, but the variable has " +
              std::to_string(n));
}

}  // namespace

bool structural(const std::string& tr) { return structuralOf(tr) != nullptr; }

std::string checkElement(const std::string& tr, const Value& leaf) {
  const Structural& s = structuralOrThrow(tr);
  int64_t r, c;
  leafSize(tr, s, leaf, r, c);
  char err[kErrLen] = {0};
  return s.check(r, c, leaf.m.data(), scratchFor(r), err) ? std::string(err) : std::string();
}

std::string checkConstraint(const std::string& tr, const Args& in) {
  if (in.empty()) throw Error("a check needs a value", Error::kFatal);
  const Value& v = in[0];
  char err[kErrLen] = {0};
  int rc = 0;
  if (tr == "lower" || tr == "upper" || tr == "lower_upper") {
    std::vector<double> y = flat(v);
    int64_t n = static_cast<int64_t>(y.size());
    if (tr == "lower") {
      Bound lb = boundOf(in, 1, v, n, "lower");
      rc = mvc_tf_lb_check(n, y.data(), lb.v.data(), lb.stride, err, kErrLen);
    } else if (tr == "upper") {
      Bound ub = boundOf(in, 1, v, n, "upper");
      rc = mvc_tf_ub_check(n, y.data(), ub.v.data(), ub.stride, err, kErrLen);
    } else {
      Bound lb = boundOf(in, 1, v, n, "lower"), ub = boundOf(in, 2, v, n, "upper");
      rc = mvc_tf_lub_check(n, y.data(), lb.v.data(), lb.stride, ub.v.data(), ub.stride, err, kErrLen);
    }
    return rc ? std::string(err) : std::string();
  }
  if (tr.empty() || tr == "offset_multiplier") return "";
  std::string msg;
  forLeaves(v, [&](const Value& leaf) {
    if (msg.empty()) msg = checkElement(tr, leaf);
  });
  return msg;
}

int64_t elementFreeSize(const std::string& tr, Elem elem, const int64_t* d, int nd) {
  auto dim = [&](int k) { return k < nd ? d[k] : 0; };
  int64_t r = dim(0), c = elem == Elem::Matrix ? dim(1) : 1;
  if (elem == Elem::RowVector) std::swap(r, c);
  if (scalarBounds(tr)) return elem == Elem::Int || elem == Elem::Real ? 1 : r * c;
  const Structural& s = structuralOrThrow(tr);
  return s.freeSize(r, c);
}

int64_t unconstrainedSize(const std::string& tr, Elem elem, int arrayDims, const std::vector<int64_t>& dims) {
  int64_t n = 1;
  for (int k = 0; k < arrayDims; ++k) n *= k < static_cast<int>(dims.size()) ? dims[static_cast<size_t>(k)] : 0;
  int nd = static_cast<int>(dims.size()) - arrayDims;
  return n * elementFreeSize(tr, elem, dims.data() + arrayDims, nd < 0 ? 0 : nd);
}

Value constrainParam(const std::string& name, const std::string& tr, Elem elem, int arrayDims,
                     const std::vector<int64_t>& dims, const Args& bounds, const double* x, double* lp) {
  Value v;
  constrainParamInto(v, name, tr, elem, arrayDims, dims, bounds, x, lp);
  return v;
}

void constrainParamInto(Value& v, const std::string& name, const std::string& tr, Elem elem, int arrayDims,
                        const std::vector<int64_t>& dims, const Args& bounds, const double* x, double* lp) {
  reshapeInto(v, elem, arrayDims, dims);
  char err[kErrLen] = {0};
  int rc = 0;
  if (tr.empty()) {  // no transform: the coordinates are the values
    fill(v, x);
    return;
  }
  if (scalarBounds(tr)) {
    int64_t n = static_cast<int64_t>(numReals(v));
    std::vector<double> y(static_cast<size_t>(n));
    if (tr.empty()) {
      std::copy(x, x + n, y.begin());
    } else if (tr == "lower") {
      Bound b = boundOf(bounds, 0, v, n, "lower");
      rc = mvc_tf_lb_constrain(n, x, b.v.data(), b.stride, y.data(), lp, err, kErrLen);
    } else if (tr == "upper") {
      Bound b = boundOf(bounds, 0, v, n, "upper");
      rc = mvc_tf_ub_constrain(n, x, b.v.data(), b.stride, y.data(), lp, err, kErrLen);
    } else if (tr == "lower_upper") {
      Bound lb = boundOf(bounds, 0, v, n, "lower"), ub = boundOf(bounds, 1, v, n, "upper");
      rc = mvc_tf_lub_constrain(n, x, lb.v.data(), lb.stride, ub.v.data(), ub.stride, y.data(), lp, err, kErrLen);
    } else {
      Bound o = boundOf(bounds, 0, v, n, "offset"), m = boundOf(bounds, 1, v, n, "multiplier");
      rc = mvc_tf_offset_multiplier_constrain(n, x, o.v.data(), o.stride, m.v.data(), m.stride, y.data(), lp, err,
                                              kErrLen);
    }
    if (rc) throw Error(name + ": " + err);
    fill(v, y.data());
    return;
  }
  const Structural& s = structuralOrThrow(tr);
  size_t off = 0;
  forLeaves(v, [&](Value& leaf) {
    int64_t r, c;
    leafSize(tr, s, leaf, r, c);
    if (s.constrain(r, c, x + off, leaf.m.data(), lp, scratchFor(r), err)) throw Error(name + ": " + err);
    off += static_cast<size_t>(s.freeSize(r, c));
  });
}

void gradParam(const std::string& name, const std::string& tr, const Args& bounds, const double* x, const Value& yv,
               const Value& yAdjV, bool jacobian, double* xAdj, Value* const* boundAdj) {
  int jac = jacobian ? 1 : 0;
  if (tr.empty()) {  // no transform: the adjoint is the gradient (adj.* keeps the value's structure)
    addReals(yAdjV, xAdj);
    return;
  }
  if (scalarBounds(tr)) {
    std::vector<double> y = flat(yv), ya = flat(yAdjV);
    int64_t n = static_cast<int64_t>(y.size());
    if (static_cast<int64_t>(ya.size()) != n)
      throw Error("the adjoint of " + name + " (" + describe(yAdjV) + ") does not match its value (" + describe(yv) + ")",
                  Error::kFatal);
    // The bounds' adjoints, flat (one value for a broadcast bound), added to boundAdj after.
    std::vector<double> adj[2];
    double* ap[2] = {nullptr, nullptr};
    size_t period[2] = {0, 0};
    auto boundArg = [&](size_t k, const char* what) {
      Bound b = boundOf(bounds, k, yv, n, what);
      period[k] = b.period;
      if (boundAdj && boundAdj[k]) {
        adj[k].assign(b.v.size(), 0.0);
        ap[k] = adj[k].data();
      }
      return b;
    };
    if (tr == "lower") {
      Bound b = boundArg(0, "lower");
      mvc_tf_lb_grad(n, x, y.data(), b.v.data(), b.stride, ya.data(), jac, xAdj, ap[0]);
    } else if (tr == "upper") {
      Bound b = boundArg(0, "upper");
      mvc_tf_ub_grad(n, x, y.data(), b.v.data(), b.stride, ya.data(), jac, xAdj, ap[0]);
    } else if (tr == "lower_upper") {
      Bound lb = boundArg(0, "lower"), ub = boundArg(1, "upper");
      mvc_tf_lub_grad(n, x, y.data(), lb.v.data(), lb.stride, ub.v.data(), ub.stride, ya.data(), jac, xAdj, ap[0],
                      ap[1]);
    } else {
      Bound o = boundArg(0, "offset"), m = boundArg(1, "multiplier");
      mvc_tf_offset_multiplier_grad(n, x, y.data(), o.v.data(), o.stride, m.v.data(), m.stride, ya.data(), jac, xAdj,
                                    ap[0], ap[1]);
    }
    for (size_t k = 0; k < 2; ++k) {
      if (!ap[k]) continue;
      if (period[k]) {  // a repeated container bound: its adjoint sums over the array elements
        std::vector<double> folded(period[k], 0.0);
        for (size_t i = 0; i < adj[k].size(); ++i) folded[i % period[k]] += adj[k][i];
        adj[k] = std::move(folded);
      }
      addFrom(*boundAdj[k], adj[k].data());
    }
    return;
  }
  const Structural& s = structuralOrThrow(tr);
  thread_local std::vector<const Value*> yl, al;  // (capacity kept)
  yl.clear();
  al.clear();
  forLeaves(yv, [&](const Value& l) { yl.push_back(&l); });
  forLeaves(yAdjV, [&](const Value& l) { al.push_back(&l); });
  if (yl.size() != al.size())
    throw Error("the adjoint of " + name + " does not match its value", Error::kFatal);
  size_t off = 0;
  for (size_t k = 0; k < yl.size(); ++k) {
    const Value& leaf = *yl[k];
    int64_t r, c;
    leafSize(tr, s, leaf, r, c);
    if (!al[k]->linalg() || al[k]->m.size() != leaf.m.size())
      throw Error("the adjoint of " + name + " does not match its value", Error::kFatal);
    s.grad(r, c, x + off, leaf.m.data(), al[k]->m.data(), jac, xAdj + off, scratchFor(r));
    off += static_cast<size_t>(s.freeSize(r, c));
  }
}

void unconstrainParam(const std::string& name, const std::string& tr, const Value& yv, const Args& bounds, double* x) {
  char err[kErrLen] = {0};
  int rc = 0;
  auto fail = [&] { throw Error("variable '" + name + "': " + err, Error::kData); };
  if (scalarBounds(tr)) {
    std::vector<double> y = flat(yv);
    int64_t n = static_cast<int64_t>(y.size());
    if (tr.empty()) {
      std::copy(y.begin(), y.end(), x);
    } else if (tr == "lower") {
      Bound b = boundOf(bounds, 0, yv, n, "lower");
      rc = mvc_tf_lb_free(n, y.data(), b.v.data(), b.stride, x, err, kErrLen);
    } else if (tr == "upper") {
      Bound b = boundOf(bounds, 0, yv, n, "upper");
      rc = mvc_tf_ub_free(n, y.data(), b.v.data(), b.stride, x, err, kErrLen);
    } else if (tr == "lower_upper") {
      Bound lb = boundOf(bounds, 0, yv, n, "lower"), ub = boundOf(bounds, 1, yv, n, "upper");
      rc = mvc_tf_lub_free(n, y.data(), lb.v.data(), lb.stride, ub.v.data(), ub.stride, x, err, kErrLen);
    } else {
      Bound o = boundOf(bounds, 0, yv, n, "offset"), m = boundOf(bounds, 1, yv, n, "multiplier");
      rc = mvc_tf_offset_multiplier_free(n, y.data(), o.v.data(), o.stride, m.v.data(), m.stride, x, err, kErrLen);
    }
    if (rc) fail();
    return;
  }
  const Structural& s = structuralOrThrow(tr);
  size_t off = 0, element = 0;
  bool isArray = yv.kind == Value::Array;
  forLeaves(yv, [&](const Value& leaf) {
    int64_t r, c;
    leafSize(tr, s, leaf, r, c);
    if (s.free(r, c, leaf.m.data(), x + off, scratchFor(r), err)) {
      if (!isArray) fail();
      throw Error("variable '" + name + "': element " + std::to_string(element + 1) + " (in memory order): " + err,
                  Error::kData);
    }
    off += static_cast<size_t>(s.freeSize(r, c));
    ++element;
  });
}

}  // namespace mvc::values
