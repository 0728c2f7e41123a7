#include "interp/params.h"

#include <cmath>
#include <functional>

#include "interp/internal.h"
#include "mvc/transforms.h"

namespace mvc::interp {
using namespace ir;

namespace {

void forLeaves(Value& v, const std::function<void(Value&)>& f) {
  if (v.kind == Value::Array)
    for (Value& e : v.a) forLeaves(e, f);
  else
    f(v);
}

Value readValue(const io::VarData& d, ElemType elem, int arrayDims, std::vector<size_t>& index) {
  size_t k = index.size();
  if (arrayDims > 0) {
    std::vector<Value> a;
    for (size_t i = 0; i < d.dims.at(k); ++i) {
      index.push_back(i);
      a.push_back(readValue(d, elem, arrayDims - 1, index));
      index.pop_back();
    }
    return Value::array(std::move(a));
  }
  auto at = [&](std::vector<size_t> full) { return d.values.at(io::column_major_offset(d.dims, full)); };
  switch (elem) {
    case ElemType::Int: return Value::integer(static_cast<int64_t>(at(index)));
    case ElemType::Real: return Value::real(at(index));
    case ElemType::Vector:
    case ElemType::RowVector: {
      size_t n = d.dims.at(k);
      Eigen::MatrixXd m(elem == ElemType::Vector ? n : 1, elem == ElemType::Vector ? 1 : n);
      for (size_t i = 0; i < n; ++i) {
        auto full = index;
        full.push_back(i);
        m.data()[i] = at(full);
      }
      return elem == ElemType::Vector ? Value::vec(m) : Value::row(m);
    }
    case ElemType::Matrix: {
      size_t r = d.dims.at(k), c = d.dims.at(k + 1);
      Eigen::MatrixXd m(r, c);
      for (size_t i = 0; i < r; ++i)
        for (size_t j = 0; j < c; ++j) {
          auto full = index;
          full.push_back(i);
          full.push_back(j);
          m(i, j) = at(full);
        }
      return Value::mat(m);
    }
    default: throw Error("data of this type is not supported by the interpreter");
  }
}

std::vector<double> flat(const Value& v) {
  std::vector<double> out;
  flatten(v, out);
  return out;
}

int64_t leafK(const Value& v) { return v.kind == Value::Mat ? v.m.rows() : v.m.size(); }

}  // namespace

Value readData(const io::DataMap& data, const Node& n, const std::vector<int64_t>& dims) {
  auto it = data.find(n.s);
  if (it == data.end()) throw Error("variable does not exist; processing stage=data initialization; variable name=" + n.s);
  const io::VarData& d = it->second;
  const Type& t = n.type.base;
  if (t.elem == ElemType::Int && !d.is_int) throw Error(n.s + ": int variable contained non-int values");
  if (!dims.empty()) {
    if (d.dims.size() != dims.size()) throw Error(n.s + ": wrong number of dimensions in the data");
    for (size_t k = 0; k < dims.size(); ++k)
      if (static_cast<int64_t>(d.dims[k]) != dims[k])
        throw Error(n.s + ": dimension " + std::to_string(k + 1) + " is " + std::to_string(d.dims[k]) +
                    ", declared " + std::to_string(dims[k]));
  } else if (static_cast<int>(d.dims.size()) != totalDims(t)) {
    throw Error(n.s + ": wrong number of dimensions in the data");
  }
  std::vector<size_t> index;
  return readValue(d, t.elem, t.arrayDims, index);
}

std::string checkConstraint(const std::string& tr, const std::vector<Value>& in) {
  Value v = in.at(0);
  char err[256] = {0};
  std::vector<double> y = flat(v);
  auto bound = [&](size_t k, std::vector<double>& b) {
    b = flat(in.at(k));
    return b.size() == 1 ? int64_t{0} : int64_t{1};
  };
  int64_t n = static_cast<int64_t>(y.size());
  std::vector<double> lb, ub;
  int rc = 0;
  if (tr == "lower") {
    int64_t s = bound(1, lb);
    rc = mvc_tf_lb_check(n, y.data(), lb.data(), s, err, sizeof err);
  } else if (tr == "upper") {
    int64_t s = bound(1, ub);
    rc = mvc_tf_ub_check(n, y.data(), ub.data(), s, err, sizeof err);
  } else if (tr == "lower_upper") {
    int64_t s1 = bound(1, lb), s2 = bound(2, ub);
    rc = mvc_tf_lub_check(n, y.data(), lb.data(), s1, ub.data(), s2, err, sizeof err);
  } else if (tr == "offset_multiplier") {
    return "";
  } else {
    forLeaves(v, [&](Value& leaf) {
      if (rc) return;
      int64_t K = leafK(leaf);
      const double* p = leaf.m.data();
      std::vector<double> scratch(1024 + 16 * K * K);
      if (tr == "simplex") rc = mvc_tf_simplex_check(K, p, err, sizeof err);
      else if (tr == "unit_vector") rc = mvc_tf_unit_vector_check(K, p, err, sizeof err);
      else if (tr == "ordered") rc = mvc_tf_ordered_check(K, p, err, sizeof err);
      else if (tr == "positive_ordered") rc = mvc_tf_positive_ordered_check(K, p, err, sizeof err);
      else if (tr == "cholesky_factor_corr") rc = mvc_tf_cholesky_corr_check(K, p, err, sizeof err);
      else if (tr == "cholesky_factor_cov") rc = mvc_tf_cholesky_cov_check(leaf.m.rows(), leaf.m.cols(), p, err, sizeof err);
      else if (tr == "corr_matrix") rc = mvc_tf_corr_matrix_check(K, p, scratch.data(), err, sizeof err);
      else if (tr == "cov_matrix") rc = mvc_tf_cov_matrix_check(K, p, scratch.data(), err, sizeof err);
      else throw Error("the interpreter does not support the constraint '" + tr + "' yet");
    });
  }
  return rc ? std::string(err) : "";
}

namespace {

// Per-leaf sizes of the matrix transforms: (free size, K or M, N).
int64_t freeSize(const std::string& tr, const Value& leaf) {
  int64_t K = leafK(leaf);
  if (tr == "simplex") return mvc_tf_simplex_free_size(K);
  if (tr == "unit_vector") return mvc_tf_unit_vector_free_size(K);
  if (tr == "ordered") return mvc_tf_ordered_free_size(K);
  if (tr == "positive_ordered") return mvc_tf_positive_ordered_free_size(K);
  if (tr == "cholesky_factor_corr") return mvc_tf_cholesky_corr_free_size(K);
  if (tr == "cholesky_factor_cov") return mvc_tf_cholesky_cov_free_size(leaf.m.rows(), leaf.m.cols());
  if (tr == "corr_matrix") return mvc_tf_corr_matrix_free_size(K);
  if (tr == "cov_matrix") return mvc_tf_cov_matrix_free_size(K);
  throw Error("the interpreter does not support the transform '" + tr + "' yet");
}

bool scalarBounds(const std::string& tr) {
  return tr.empty() || tr == "lower" || tr == "upper" || tr == "lower_upper" || tr == "offset_multiplier";
}

Value shapeOf(const Node& p, const std::vector<int64_t>& dims) {
  if (dims.size() != static_cast<size_t>(totalDims(p.type.base)))
    throw Error("interpreter: the sizes of parameter " + p.s + " are not known");
  return shaped(p.type.base.elem, p.type.base.arrayDims, dims);
}

}  // namespace

size_t unconstrainedSize(const Node& p, const std::vector<int64_t>& dims) {
  Value v = shapeOf(p, dims);
  if (scalarBounds(p.transform)) return flat(v).size();
  size_t n = 0;
  forLeaves(v, [&](Value& leaf) { n += static_cast<size_t>(freeSize(p.transform, leaf)); });
  return n;
}

Value constrainParam(const Node& p, const std::vector<int64_t>& dims, const std::vector<Value>& bounds,
                     const double* x, double* lp) {
  Value v = shapeOf(p, dims);
  const std::string& tr = p.transform;
  char err[256] = {0};
  int rc = 0;
  if (scalarBounds(tr)) {
    int64_t n = static_cast<int64_t>(flat(v).size());
    std::vector<double> y(n), b0, b1;
    auto bnd = [&](size_t k, std::vector<double>& b) {
      b = flat(bounds.at(k));
      return b.size() == 1 ? int64_t{0} : int64_t{1};
    };
    if (tr.empty()) std::copy(x, x + n, y.begin());
    else if (tr == "lower") { int64_t s = bnd(0, b0); rc = mvc_tf_lb_constrain(n, x, b0.data(), s, y.data(), lp, err, sizeof err); }
    else if (tr == "upper") { int64_t s = bnd(0, b0); rc = mvc_tf_ub_constrain(n, x, b0.data(), s, y.data(), lp, err, sizeof err); }
    else if (tr == "lower_upper") {
      int64_t s0 = bnd(0, b0), s1 = bnd(1, b1);
      rc = mvc_tf_lub_constrain(n, x, b0.data(), s0, b1.data(), s1, y.data(), lp, err, sizeof err);
    } else {
      int64_t s0 = bnd(0, b0), s1 = bnd(1, b1);
      rc = mvc_tf_offset_multiplier_constrain(n, x, b0.data(), s0, b1.data(), s1, y.data(), lp, err, sizeof err);
    }
    if (rc) throw Error(p.s + ": " + err);
    fill(v, y.data());
    return v;
  }
  size_t off = 0;
  forLeaves(v, [&](Value& leaf) {
    int64_t K = leafK(leaf);
    const double* xi = x + off;
    double* y = leaf.m.data();
    std::vector<double> scratch(1024 + 16 * K * K);
    if (tr == "simplex") rc = mvc_tf_simplex_constrain(K, xi, y, lp, err, sizeof err);
    else if (tr == "unit_vector") rc = mvc_tf_unit_vector_constrain(K, xi, y, lp, err, sizeof err);
    else if (tr == "ordered") rc = mvc_tf_ordered_constrain(K, xi, y, lp, err, sizeof err);
    else if (tr == "positive_ordered") rc = mvc_tf_positive_ordered_constrain(K, xi, y, lp, err, sizeof err);
    else if (tr == "cholesky_factor_corr") rc = mvc_tf_cholesky_corr_constrain(K, xi, y, lp, scratch.data(), err, sizeof err);
    else if (tr == "cholesky_factor_cov") rc = mvc_tf_cholesky_cov_constrain(leaf.m.rows(), leaf.m.cols(), xi, y, lp, err, sizeof err);
    else if (tr == "corr_matrix") rc = mvc_tf_corr_matrix_constrain(K, xi, y, lp, scratch.data(), err, sizeof err);
    else if (tr == "cov_matrix") rc = mvc_tf_cov_matrix_constrain(K, xi, y, lp, scratch.data(), err, sizeof err);
    if (rc) throw Error(p.s + ": " + err);
    off += static_cast<size_t>(freeSize(tr, leaf));
  });
  return v;
}

void gradParam(const Node& p, const std::vector<int64_t>& dims, const std::vector<Value>& bounds, const double* x,
               const Value& yv, const Value& yAdjV, bool jacobian, double* xAdj) {
  const std::string& tr = p.transform;
  (void)dims;
  int jac = jacobian ? 1 : 0;
  if (scalarBounds(tr)) {
    std::vector<double> y = flat(yv), ya = flat(yAdjV), b0, b1;
    int64_t n = static_cast<int64_t>(y.size());
    if (static_cast<int64_t>(ya.size()) != n) throw Error("interpreter: adjoint of " + p.s + " has the wrong size");
    auto bnd = [&](size_t k, std::vector<double>& b) {
      b = flat(bounds.at(k));
      return b.size() == 1 ? int64_t{0} : int64_t{1};
    };
    if (tr.empty()) for (int64_t i = 0; i < n; ++i) xAdj[i] += ya[i];
    else if (tr == "lower") { int64_t s = bnd(0, b0); mvc_tf_lb_grad(n, x, y.data(), b0.data(), s, ya.data(), jac, xAdj, nullptr); }
    else if (tr == "upper") { int64_t s = bnd(0, b0); mvc_tf_ub_grad(n, x, y.data(), b0.data(), s, ya.data(), jac, xAdj, nullptr); }
    else if (tr == "lower_upper") {
      int64_t s0 = bnd(0, b0), s1 = bnd(1, b1);
      mvc_tf_lub_grad(n, x, y.data(), b0.data(), s0, b1.data(), s1, ya.data(), jac, xAdj, nullptr, nullptr);
    } else {
      int64_t s0 = bnd(0, b0), s1 = bnd(1, b1);
      mvc_tf_offset_multiplier_grad(n, x, y.data(), b0.data(), s0, b1.data(), s1, ya.data(), jac, xAdj, nullptr, nullptr);
    }
    return;
  }
  Value y = yv, ya = yAdjV;
  std::vector<Value*> yl, al;
  forLeaves(y, [&](Value& l) { yl.push_back(&l); });
  forLeaves(ya, [&](Value& l) { al.push_back(&l); });
  size_t off = 0;
  for (size_t k = 0; k < yl.size(); ++k) {
    Value& leaf = *yl[k];
    int64_t K = leafK(leaf);
    const double* xi = x + off;
    double* xa = xAdj + off;
    const double* yp = leaf.m.data();
    const double* ap = al.at(k)->m.data();
    std::vector<double> scratch(1024 + 16 * K * K);
    if (tr == "simplex") mvc_tf_simplex_grad(K, xi, yp, ap, jac, xa);
    else if (tr == "unit_vector") mvc_tf_unit_vector_grad(K, xi, yp, ap, jac, xa);
    else if (tr == "ordered") mvc_tf_ordered_grad(K, xi, yp, ap, jac, xa);
    else if (tr == "positive_ordered") mvc_tf_positive_ordered_grad(K, xi, yp, ap, jac, xa);
    else if (tr == "cholesky_factor_corr") mvc_tf_cholesky_corr_grad(K, xi, yp, ap, jac, xa, scratch.data());
    else if (tr == "cholesky_factor_cov") mvc_tf_cholesky_cov_grad(leaf.m.rows(), leaf.m.cols(), xi, yp, ap, jac, xa);
    else if (tr == "corr_matrix") mvc_tf_corr_matrix_grad(K, xi, yp, ap, jac, xa, scratch.data());
    else if (tr == "cov_matrix") mvc_tf_cov_matrix_grad(K, xi, yp, ap, jac, xa, scratch.data());
    off += static_cast<size_t>(freeSize(tr, leaf));
  }
}

}  // namespace mvc::interp
