// Built-ins of the signature table beyond builtins.cpp's: array constructors, sorting and
// ranks, sub-rows/columns, combinatorics, symmetric-positive-definite linear algebra, the
// exponentiated-quadratic GP kernel. Values only: their adjoints are rows of
// compiler/autodiff/adjoints.cpp (the kernels among them in builtins.cpp's builtinGrad); autodiff
// gives those without a row a clear "not supported" message when they are applied to parameters.
#include <algorithm>
#include <cmath>
#include <numeric>

#include "values.h"

namespace mvc::values {

using M = Eigen::MatrixXd;
using Fn = std::function<Value(const Args&, const ResultType&)>;

namespace {

std::vector<Value> ints(int64_t n, int64_t v) { return std::vector<Value>(static_cast<size_t>(std::max<int64_t>(n, 0)), Value::integer(v)); }
std::vector<Value> reals(int64_t n, double v) { return std::vector<Value>(static_cast<size_t>(std::max<int64_t>(n, 0)), Value::real(v)); }

void nonNegative(int64_t n, const char* fn) {
  if (n < 0) throw Error(std::string(fn) + ": the size must be non-negative, got " + std::to_string(n));
}
void oneHot(int64_t n, int64_t k, const char* fn) {
  if (n < 1 || k < 1 || k > n)
    throw Error(std::string(fn) + ": needs 1 <= k <= n, got n = " + std::to_string(n) + ", k = " + std::to_string(k));
}

// The elements of a vector, row_vector or array of reals/ints, as doubles (sorting, ranks).
std::vector<double> elements(const Value& v) {
  std::vector<double> out;
  if (v.kind == Value::Array)
    for (const Value& e : v.a) out.push_back(e.num());
  else if (v.linalg())
    out.assign(v.m.data(), v.m.data() + v.m.size());
  else
    out.push_back(v.num());
  return out;
}

Value sorted(const Value& v, bool ascending) {
  Value r = v;
  if (r.kind == Value::Array) {
    std::stable_sort(r.a.begin(), r.a.end(), [&](const Value& x, const Value& y) {
      return ascending ? x.num() < y.num() : x.num() > y.num();
    });
  } else if (r.linalg()) {
    double* d = r.m.data();
    if (ascending) std::sort(d, d + r.m.size());
    else std::sort(d, d + r.m.size(), std::greater<double>());
  }
  return r;
}

Value sortIndices(const Value& v, bool ascending) {
  std::vector<double> x = elements(v);
  std::vector<int64_t> idx(x.size());
  std::iota(idx.begin(), idx.end(), 0);
  std::stable_sort(idx.begin(), idx.end(), [&](int64_t i, int64_t j) { return ascending ? x[i] < x[j] : x[i] > x[j]; });
  std::vector<Value> out;
  for (int64_t i : idx) out.push_back(Value::integer(i + 1));
  return Value::array(std::move(out));
}

M spdCholesky(const M& A, const char* fn) {
  if (A.rows() != A.cols()) throw Error(std::string(fn) + ": the matrix is not square");
  Eigen::LLT<M> llt(A);
  if (llt.info() != Eigen::Success) throw Error(std::string(fn) + ": the matrix is not symmetric positive definite");
  return llt.matrixL();
}

double trigamma(double x) {
  // Reflection below 0; recurrence up to x >= 12; then the asymptotic series (next term
  // 5 / (66 x^11) < 1e-13).
  if (x <= 0 && x == std::floor(x)) return std::nan("");
  if (x < 0) {
    double s = M_PI / std::sin(M_PI * x);
    return -trigamma(1 - x) + s * s;
  }
  double r = 0;
  while (x < 12) {
    r += 1 / (x * x);
    x += 1;
  }
  double x2 = 1 / (x * x);
  return r + 1 / x + x2 / 2 + (1 / x) * x2 * (1.0 / 6 - x2 * (1.0 / 30 - x2 * (1.0 / 42 - x2 / 30)));
}

Value expQuadCov(const Value& x, double alpha, double rho) {
  if (x.kind != Value::Array) throw Error("gp_exp_quad_cov: x must be an array");
  if (!(alpha > 0) || !(rho > 0)) throw Error("gp_exp_quad_cov: alpha and rho must be positive");
  const size_t n = x.a.size();
  M K(n, n);
  for (size_t i = 0; i < n; ++i)
    for (size_t j = 0; j <= i; ++j) {
      double d2 = 0;
      if (x.a[i].scalar()) d2 = (x.a[i].num() - x.a[j].num()) * (x.a[i].num() - x.a[j].num());
      else d2 = (x.a[i].m - x.a[j].m).squaredNorm();
      K(i, j) = K(j, i) = alpha * alpha * std::exp(-0.5 * d2 / (rho * rho));
    }
  return Value::mat(K);
}

}  // namespace

void addMoreBuiltins(std::map<std::string, Fn>& t) {
  // ---- arrays and vectors of constants
  t["zeros_array"] = [](const Args& a, const ResultType&) { nonNegative(a[0].i, "zeros_array"); return Value::array(reals(a[0].i, 0)); };
  t["ones_array"] = [](const Args& a, const ResultType&) { nonNegative(a[0].i, "ones_array"); return Value::array(reals(a[0].i, 1)); };
  t["zeros_int_array"] = [](const Args& a, const ResultType&) { nonNegative(a[0].i, "zeros_int_array"); return Value::array(ints(a[0].i, 0)); };
  t["ones_int_array"] = [](const Args& a, const ResultType&) { nonNegative(a[0].i, "ones_int_array"); return Value::array(ints(a[0].i, 1)); };
  t["uniform_simplex"] = [](const Args& a, const ResultType&) {
    if (a[0].i < 1) throw Error("uniform_simplex: the size must be positive, got " + std::to_string(a[0].i));
    return Value::vec(M::Constant(a[0].i, 1, 1.0 / static_cast<double>(a[0].i)));
  };
  t["one_hot_vector"] = [](const Args& a, const ResultType&) {
    oneHot(a[0].i, a[1].i, "one_hot_vector");
    M m = M::Zero(a[0].i, 1);
    m(a[1].i - 1, 0) = 1;
    return Value::vec(m);
  };
  t["one_hot_row_vector"] = [](const Args& a, const ResultType&) {
    oneHot(a[0].i, a[1].i, "one_hot_row_vector");
    M m = M::Zero(1, a[0].i);
    m(0, a[1].i - 1) = 1;
    return Value::row(m);
  };
  t["one_hot_array"] = [](const Args& a, const ResultType&) {
    oneHot(a[0].i, a[1].i, "one_hot_array");
    std::vector<Value> v = reals(a[0].i, 0);
    v[static_cast<size_t>(a[1].i - 1)] = Value::real(1);
    return Value::array(std::move(v));
  };
  t["one_hot_int_array"] = [](const Args& a, const ResultType&) {
    oneHot(a[0].i, a[1].i, "one_hot_int_array");
    std::vector<Value> v = ints(a[0].i, 0);
    v[static_cast<size_t>(a[1].i - 1)] = Value::integer(1);
    return Value::array(std::move(v));
  };
  t["linspaced_row_vector"] = [](const Args& a, const ResultType&) {
    nonNegative(a[0].i, "linspaced_row_vector");
    Eigen::VectorXd v = a[0].i == 1 ? Eigen::VectorXd(Eigen::VectorXd::Constant(1, a[2].num()))
                                    : Eigen::VectorXd(Eigen::VectorXd::LinSpaced(a[0].i, a[1].num(), a[2].num()));
    return Value::row(v.transpose());
  };
  t["linspaced_array"] = [](const Args& a, const ResultType&) {
    nonNegative(a[0].i, "linspaced_array");
    std::vector<Value> v;
    for (int64_t k = 0; k < a[0].i; ++k)
      v.push_back(Value::real(a[0].i == 1 ? a[2].num()
                                          : a[1].num() + (a[2].num() - a[1].num()) * static_cast<double>(k) /
                                                             static_cast<double>(a[0].i - 1)));
    return Value::array(std::move(v));
  };
  t["linspaced_int_array"] = [](const Args& a, const ResultType&) {
    // Stan: n evenly spaced ints from lo to hi, the step rounded down.
    int64_t n = a[0].i, lo = a[1].i, hi = a[2].i;
    nonNegative(n, "linspaced_int_array");
    if (hi < lo) throw Error("linspaced_int_array: high must be >= low");
    int64_t step = n > 1 ? (hi - lo) / (n - 1) : 0;
    std::vector<Value> v;
    for (int64_t k = 0; k < n; ++k) v.push_back(Value::integer(n == 1 ? hi : lo + k * step));
    return Value::array(std::move(v));
  };
  // ---- structure
  t["dims"] = [](const Args& a, const ResultType&) {
    std::vector<Value> d;
    const Value* v = &a[0];
    while (v->kind == Value::Array) {
      d.push_back(Value::integer(static_cast<int64_t>(v->a.size())));
      if (v->a.empty()) return Value::array(std::move(d));
      v = &v->a.front();
    }
    if (v->kind == Value::Vec) d.push_back(Value::integer(v->m.rows()));
    else if (v->kind == Value::Row) d.push_back(Value::integer(v->m.cols()));
    else if (v->kind == Value::Mat) d.push_back(Value::integer(v->m.rows())), d.push_back(Value::integer(v->m.cols()));
    return Value::array(std::move(d));
  };
  t["append_array"] = [](const Args& a, const ResultType& ty) {
    if (a[0].kind != Value::Array || a[1].kind != Value::Array) throw Error("append_array: both arguments must be arrays");
    std::vector<Value> v = a[0].a;
    v.insert(v.end(), a[1].a.begin(), a[1].a.end());
    Value r = Value::array(std::move(v));
    return ty.elem == Elem::Real ? promoteReal(r) : r;
  };
  t["to_array_2d"] = [](const Args& a, const ResultType&) {
    std::vector<Value> rows;
    for (Eigen::Index i = 0; i < a[0].m.rows(); ++i) {
      std::vector<Value> r;
      for (Eigen::Index j = 0; j < a[0].m.cols(); ++j) r.push_back(Value::real(a[0].m(i, j)));
      rows.push_back(Value::array(std::move(r)));
    }
    return Value::array(std::move(rows));
  };
  t["sub_col"] = [](const Args& a, const ResultType&) {
    int64_t i = a[1].i, j = a[2].i, n = a[3].i;
    if (i < 1 || j < 1 || j > a[0].m.cols() || n < 0 || i - 1 + n > a[0].m.rows())
      throw Error("sub_col: the block is outside the " + describe(a[0]));
    return Value::vec(a[0].m.block(i - 1, j - 1, n, 1));
  };
  t["sub_row"] = [](const Args& a, const ResultType&) {
    int64_t i = a[1].i, j = a[2].i, n = a[3].i;
    if (i < 1 || i > a[0].m.rows() || j < 1 || n < 0 || j - 1 + n > a[0].m.cols())
      throw Error("sub_row: the block is outside the " + describe(a[0]));
    return Value::row(a[0].m.block(i - 1, j - 1, 1, n));
  };
  // ---- sorting
  t["sort_asc"] = [](const Args& a, const ResultType&) { return sorted(a[0], true); };
  t["sort_desc"] = [](const Args& a, const ResultType&) { return sorted(a[0], false); };
  t["sort_indices_asc"] = [](const Args& a, const ResultType&) { return sortIndices(a[0], true); };
  t["sort_indices_desc"] = [](const Args& a, const ResultType&) { return sortIndices(a[0], false); };
  t["rank"] = [](const Args& a, const ResultType&) {
    std::vector<double> x = elements(a[0]);
    int64_t s = a[1].i;
    if (s < 1 || s > static_cast<int64_t>(x.size())) throw Error("rank: index out of range");
    int64_t r = 0;
    for (double v : x) r += v < x[static_cast<size_t>(s - 1)];
    return Value::integer(r);
  };
  // ---- combinatorics and special functions
  t["choose"] = [](const Args& a, const ResultType&) {
    int64_t n = a[0].i, k = a[1].i;
    if (n < 0 || k < 0) throw Error("choose: the arguments must be non-negative");
    if (k > n) return Value::integer(0);
    double r = std::round(std::exp(std::lgamma(n + 1.0) - std::lgamma(k + 1.0) - std::lgamma(n - k + 1.0)));
    if (r > 2147483647.0) throw Error("choose: the result does not fit an int");
    return Value::integer(static_cast<int64_t>(r));
  };
  t["falling_factorial"] = [](const Args& a, const ResultType&) {
    if (a[1].i < 0) throw Error("falling_factorial: n must be non-negative");
    return Value::real(std::exp(std::lgamma(a[0].num() + 1) - std::lgamma(a[0].num() - a[1].i + 1)));
  };
  t["rising_factorial"] = [](const Args& a, const ResultType&) {
    if (a[1].i < 0) throw Error("rising_factorial: n must be non-negative");
    return Value::real(std::exp(std::lgamma(a[0].num() + a[1].i) - std::lgamma(a[0].num())));
  };
  t["lmgamma"] = [](const Args& a, const ResultType&) {
    int64_t k = a[0].i;
    double x = a[1].num(), r = 0.25 * static_cast<double>(k * (k - 1)) * std::log(M_PI);
    for (int64_t j = 1; j <= k; ++j) r += std::lgamma(x + (1.0 - static_cast<double>(j)) / 2);
    return Value::real(r);
  };
  t["trigamma"] = [](const Args& a, const ResultType&) { return mapUnary(a[0], &trigamma); };
  t["log_inv_logit_diff"] = [](const Args& a, const ResultType&) {
    double x = a[0].num(), y = a[1].num();
    if (!(x > y)) throw Error("log_inv_logit_diff: x must be greater than y");
    // log(inv_logit(x) - inv_logit(y)) = x - log1p(e^x) + log1m(e^(y - x)) - log1p(e^y)
    auto log1pExp = [](double v) { return v > 0 ? v + std::log1p(std::exp(-v)) : std::log1p(std::exp(v)); };
    return Value::real(x - log1pExp(x) + std::log1p(-std::exp(y - x)) - log1pExp(y));
  };
  t["logical_negation"] = [](const Args& a, const ResultType&) { return Value::integer(a[0].num() == 0 ? 1 : 0); };
  // ---- symmetric positive definite linear algebra (Cholesky; never an explicit inverse of
  // the input, except chol2inv, whose result is the inverse)
  t["log_determinant_spd"] = [](const Args& a, const ResultType&) {
    M L = spdCholesky(a[0].m, "log_determinant_spd");
    return Value::real(2 * L.diagonal().array().log().sum());
  };
  t["trace_quad_form"] = [](const Args& a, const ResultType&) {
    if (a[0].m.rows() != a[0].m.cols() || a[0].m.cols() != a[1].m.rows()) throw Error("trace_quad_form: size mismatch");
    return Value::real((a[1].m.transpose() * a[0].m * a[1].m).trace());
  };
  t["mdivide_right_spd"] = [](const Args& a, const ResultType& ty) {
    M L = spdCholesky(a[1].m, "mdivide_right_spd");
    if (a[0].m.cols() != L.rows()) throw Error("mdivide_right_spd: size mismatch");
    // B A^-1 = (A^-1 B')' with A = L L'
    M x = L.triangularView<Eigen::Lower>().solve(a[0].m.transpose());
    x = L.transpose().triangularView<Eigen::Upper>().solve(x);
    return ty.elem == Elem::RowVector ? Value::row(x.transpose()) : Value::mat(x.transpose());
  };
  t["chol2inv"] = [](const Args& a, const ResultType&) {
    const M& L = a[0].m;
    if (L.rows() != L.cols()) throw Error("chol2inv: the matrix is not square");
    M Li = L.triangularView<Eigen::Lower>().solve(M::Identity(L.rows(), L.cols()));
    return Value::mat(Li.transpose() * Li);
  };
  t["eigenvalues_sym"] = [](const Args& a, const ResultType&) {
    Eigen::SelfAdjointEigenSolver<M> es(a[0].m, Eigen::EigenvaluesOnly);
    return Value::vec(es.eigenvalues());
  };
  t["eigenvectors_sym"] = [](const Args& a, const ResultType&) {
    Eigen::SelfAdjointEigenSolver<M> es(a[0].m);
    return Value::mat(es.eigenvectors());
  };
  t["singular_values"] = [](const Args& a, const ResultType&) {
    Eigen::JacobiSVD<M> svd(a[0].m);
    return Value::vec(svd.singularValues());
  };
  // ---- Gaussian-process kernel: K[i, j] = alpha^2 exp(-|x_i - x_j|^2 / (2 rho^2))
  t["gp_exp_quad_cov"] = [](const Args& a, const ResultType&) { return expQuadCov(a[0], a[1].num(), a[2].num()); };
  t["cov_exp_quad"] = t["gp_exp_quad_cov"];
}

}  // namespace mvc::values
