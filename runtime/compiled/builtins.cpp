// Built-in functions and operators by name, on evaluated arguments (mvc_v_call, the interpreter's call).
#include <cmath>
#include <functional>
#include <map>
#include <numeric>

#include "math/dist_common.h"
#include "values.h"

namespace mvc::values {
namespace {

using M = Eigen::MatrixXd;
using Fn = std::function<Value(const Args&, const ResultType&)>;

double invLogit(double x) { return x >= 0 ? 1 / (1 + std::exp(-x)) : std::exp(x) / (1 + std::exp(x)); }
double log1pExp(double x) { return x > 0 ? x + std::log1p(std::exp(-x)) : std::log1p(std::exp(x)); }
// digamma on the whole real line: the series of runtime/math for x > 0, reflection
// psi(x) = psi(1 - x) - pi / tan(pi x) below (NaN at the poles 0, -1, -2, ...).
double digammaAll(double x) {
  if (x > 0) return mvc::dist::digamma(x);
  if (x == std::floor(x)) return std::nan("");
  return mvc::dist::digamma(1 - x) - M_PI / std::tan(M_PI * x);
}
double Phi(double x) { return 0.5 * std::erfc(-x / std::sqrt(2.0)); }
// The standard normal quantile: Acklam's rational approximation (relative error 1.2e-9), then
// one Halley step on Phi(x) - p, which brings it to double precision.
double invPhi(double p) {
  if (!(p >= 0 && p <= 1)) return std::nan("");
  if (p == 0) return -HUGE_VAL;
  if (p == 1) return HUGE_VAL;
  static const double a[] = {-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
                             1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00};
  static const double b[] = {-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
                             6.680131188771972e+01, -1.328068155288572e+01};
  static const double c[] = {-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
                             -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00};
  static const double d[] = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00,
                             3.754408661907416e+00};
  double x;
  if (p < 0.02425) {
    double q = std::sqrt(-2 * std::log(p));
    x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
        ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  } else if (p > 1 - 0.02425) {
    double q = std::sqrt(-2 * std::log1p(-p));
    x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
        ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  } else {
    double q = p - 0.5, r = q * q;
    x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
        (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
  }
  double e = Phi(x) - p, u = e * std::sqrt(2 * M_PI) * std::exp(0.5 * x * x);
  return x - u / (1 + 0.5 * x * u);
}

const std::map<std::string, double (*)(double)>& unaryTable() {
  static const std::map<std::string, double (*)(double)> t = {
      {"log", [](double x) { return std::log(x); }},
      {"exp", [](double x) { return std::exp(x); }},
      {"log1p", [](double x) { return std::log1p(x); }},
      {"expm1", [](double x) { return std::expm1(x); }},
      {"sqrt", [](double x) { return std::sqrt(x); }},
      {"square", [](double x) { return x * x; }},
      {"cbrt", [](double x) { return std::cbrt(x); }},
      {"inv", [](double x) { return 1 / x; }},
      {"inv_sqrt", [](double x) { return 1 / std::sqrt(x); }},
      {"inv_square", [](double x) { return 1 / (x * x); }},
      {"inv_logit", invLogit},
      {"logit", [](double x) { return std::log(x / (1 - x)); }},
      {"log1m", [](double x) { return std::log1p(-x); }},
      {"log1p_exp", log1pExp},
      {"log1m_exp", [](double x) { return x > -0.693147 ? std::log(-std::expm1(x)) : std::log1p(-std::exp(x)); }},
      {"log_inv_logit", [](double x) { return -log1pExp(-x); }},
      {"log1m_inv_logit", [](double x) { return -log1pExp(x); }},
      {"inv_cloglog", [](double x) { return -std::expm1(-std::exp(x)); }},
      {"lgamma", [](double x) { return std::lgamma(x); }},
      {"tgamma", [](double x) { return std::tgamma(x); }},
      {"digamma", digammaAll},
      {"erf", [](double x) { return std::erf(x); }},
      {"erfc", [](double x) { return std::erfc(x); }},
      {"Phi", Phi},
      {"inv_Phi", invPhi},
      {"Phi_approx", [](double x) { return invLogit(0.07056 * x * x * x + 1.5976 * x); }},
      {"fabs", [](double x) { return std::fabs(x); }},
      {"abs", [](double x) { return std::fabs(x); }},
      {"floor", [](double x) { return std::floor(x); }},
      {"ceil", [](double x) { return std::ceil(x); }},
      {"round", [](double x) { return std::round(x); }},
      {"trunc", [](double x) { return std::trunc(x); }},
      {"sin", [](double x) { return std::sin(x); }},
      {"cos", [](double x) { return std::cos(x); }},
      {"tan", [](double x) { return std::tan(x); }},
      {"asin", [](double x) { return std::asin(x); }},
      {"acos", [](double x) { return std::acos(x); }},
      {"atan", [](double x) { return std::atan(x); }},
      {"sinh", [](double x) { return std::sinh(x); }},
      {"cosh", [](double x) { return std::cosh(x); }},
      {"tanh", [](double x) { return std::tanh(x); }},
      {"asinh", [](double x) { return std::asinh(x); }},
      {"acosh", [](double x) { return std::acosh(x); }},
      {"atanh", [](double x) { return std::atanh(x); }},
      {"log2", [](double x) { return std::log2(x); }},
      {"log10", [](double x) { return std::log10(x); }},
      {"exp2", [](double x) { return std::exp2(x); }},
      {"step", [](double x) { return x < 0 ? 0.0 : 1.0; }},
  };
  return t;
}

}  // namespace

Value mapUnary(const Value& v, double (*f)(double)) {
  switch (v.kind) {
    case Value::Int:
    case Value::Real: return Value::real(f(v.num()));
    case Value::Array: {
      std::vector<Value> a;
      for (const Value& e : v.a) a.push_back(mapUnary(e, f));
      return Value::array(std::move(a));
    }
    default: {
      Value r = v;
      r.m = v.m.unaryExpr([f](double x) { return f(x); });
      return r;
    }
  }
}

namespace {

// Elementwise binary op over scalar/container combinations of the same linear-algebra kind.
Value binaryElementwise(const Value& a, const Value& b, const std::function<double(double, double)>& f) {
  if (a.scalar() && b.scalar()) return Value::real(f(a.num(), b.num()));
  if (a.kind == Value::Array || b.kind == Value::Array) {
    const Value& arr = a.kind == Value::Array ? a : b;
    std::vector<Value> out;
    for (size_t k = 0; k < arr.a.size(); ++k)
      out.push_back(binaryElementwise(a.kind == Value::Array ? a.a[k] : a, b.kind == Value::Array ? b.a[k] : b, f));
    return Value::array(std::move(out));
  }
  Value r = a.scalar() ? b : a;
  if (a.scalar()) r.m = b.m.unaryExpr([&](double y) { return f(a.num(), y); });
  else if (b.scalar()) r.m = a.m.unaryExpr([&](double x) { return f(x, b.num()); });
  else {
    if (a.m.rows() != b.m.rows() || a.m.cols() != b.m.cols())
      throw Error("size mismatch: " + describe(a) + " and " + describe(b));
    r.m = a.m.binaryExpr(b.m, [&](double x, double y) { return f(x, y); });
  }
  return r;
}

bool allInt(const Args& a) {
  for (size_t k = 0; k < a.size(); ++k)
    if (a[k].kind != Value::Int) return false;
  return true;
}

std::vector<double> flat(const Value& v) {
  std::vector<double> out;
  flatten(v, out);
  return out;
}

Value like(const Value& shape, M m) {
  Value r = shape;
  r.m = std::move(m);
  return r;
}

M asCol(const Value& v) {
  if (v.linalg()) return Eigen::Map<const Eigen::VectorXd>(v.m.data(), v.m.size());
  std::vector<double> f = flat(v);
  return Eigen::Map<const Eigen::VectorXd>(f.data(), static_cast<Eigen::Index>(f.size()));
}

void needSquare(const M& m, const char* fn) {
  if (m.rows() != m.cols()) throw Error(std::string(fn) + ": expecting a square matrix");
}

Value product(const Value& a, const Value& b) {
  if (a.scalar() || b.scalar()) return binaryElementwise(a, b, [](double x, double y) { return x * y; });
  if (a.m.cols() != b.m.rows()) throw Error("multiply: size mismatch " + describe(a) + " * " + describe(b));
  M r = a.m * b.m;
  if (a.kind == Value::Row && b.kind == Value::Vec) return Value::real(r(0, 0));
  if (a.kind == Value::Vec && b.kind == Value::Row) return Value::mat(r);
  if (b.kind == Value::Vec) return Value::vec(r);
  if (a.kind == Value::Row) return Value::row(r);
  return Value::mat(r);
}

Value repArray(const Value& x, const std::vector<int64_t>& n, size_t k) {
  if (k == n.size()) return x;
  std::vector<Value> a;
  for (int64_t i = 0; i < n[k]; ++i) a.push_back(repArray(x, n, k + 1));
  return Value::array(std::move(a));
}

Value arrayOfReals(const std::vector<double>& xs) {
  std::vector<Value> a;
  for (double x : xs) a.push_back(Value::real(x));
  return Value::array(std::move(a));
}

int64_t sizeOf(const Value& v) {
  if (v.kind == Value::Array) return static_cast<int64_t>(v.a.size());
  if (v.linalg()) return v.m.size();
  return 1;
}

Value segmentOf(const Value& v, int64_t start, int64_t len) {
  if (start < 1 || len < 0 || start - 1 + len > sizeOf(v)) throw Error("segment: index out of range");
  if (v.kind == Value::Array) return Value::array(std::vector<Value>(v.a.begin() + start - 1, v.a.begin() + start - 1 + len));
  M m = v.kind == Value::Vec ? M(v.m.middleRows(start - 1, len)) : M(v.m.middleCols(start - 1, len));
  return like(v, m);
}

const std::map<std::string, Fn>& table() {
  static const std::map<std::string, Fn> t = [] {
    std::map<std::string, Fn> t;
    // ---- operators
    t["operator+"] = [](const Args& a, const ResultType&) {
      if (a.size() == 1) return a[0];
      if (allInt(a)) return Value::integer(a[0].i + a[1].i);
      return binaryElementwise(a[0], a[1], [](double x, double y) { return x + y; });
    };
    t["operator-"] = [](const Args& a, const ResultType&) {
      if (a.size() == 1) return a[0].kind == Value::Int ? Value::integer(-a[0].i) : mapUnary(a[0], [](double x) { return -x; });
      if (allInt(a)) return Value::integer(a[0].i - a[1].i);
      return binaryElementwise(a[0], a[1], [](double x, double y) { return x - y; });
    };
    t["operator*"] = [](const Args& a, const ResultType&) {
      if (allInt(a)) return Value::integer(a[0].i * a[1].i);
      return product(a[0], a[1]);
    };
    t["operator/"] = [](const Args& a, const ResultType&) {
      if (allInt(a)) {
        if (a[1].i == 0) throw Error("integer division by zero");
        return Value::integer(a[0].i / a[1].i);
      }
      if (a[1].linalg()) {  // b / A = b * inverse(A)
        M inv = a[1].m.inverse();
        return like(a[0], a[0].m * inv);
      }
      return binaryElementwise(a[0], a[1], [](double x, double y) { return x / y; });
    };
    t["operator%/%"] = [](const Args& a, const ResultType&) {
      if (a[1].i == 0) throw Error("integer division by zero");
      return Value::integer(a[0].i / a[1].i);
    };
    t["operator%"] = [](const Args& a, const ResultType&) {
      if (a[1].i == 0) throw Error("modulus by zero");
      return Value::integer(a[0].i % a[1].i);
    };
    t["operator.*"] = [](const Args& a, const ResultType&) { return binaryElementwise(a[0], a[1], [](double x, double y) { return x * y; }); };
    t["operator./"] = [](const Args& a, const ResultType&) { return binaryElementwise(a[0], a[1], [](double x, double y) { return x / y; }); };
    t["operator^"] = [](const Args& a, const ResultType&) { return binaryElementwise(a[0], a[1], [](double x, double y) { return std::pow(x, y); }); };
    t["operator.^"] = t["operator^"];
    t["pow"] = t["operator^"];
    t["operator'"] = [](const Args& a, const ResultType&) {
      M m = a[0].m.transpose();
      if (a[0].kind == Value::Vec) return Value::row(m);
      if (a[0].kind == Value::Row) return Value::vec(m);
      return Value::mat(m);
    };
    t["transpose"] = t["operator'"];
    auto cmp = [](std::function<bool(double, double)> f) {
      return [f](const Args& a, const ResultType&) { return Value::integer(f(a[0].num(), a[1].num()) ? 1 : 0); };
    };
    t["operator<"] = cmp([](double x, double y) { return x < y; });
    t["operator<="] = cmp([](double x, double y) { return x <= y; });
    t["operator>"] = cmp([](double x, double y) { return x > y; });
    t["operator>="] = cmp([](double x, double y) { return x >= y; });
    t["operator=="] = cmp([](double x, double y) { return x == y; });
    t["operator!="] = cmp([](double x, double y) { return x != y; });
    t["operator&&"] = cmp([](double x, double y) { return x != 0 && y != 0; });
    t["operator||"] = cmp([](double x, double y) { return x != 0 || y != 0; });
    t["operator!"] = [](const Args& a, const ResultType&) { return Value::integer(a[0].num() == 0); };
    // ---- elementwise functions
    for (const auto& [name, f] : unaryTable()) {
      auto fp = f;
      t[name] = [fp, name = name](const Args& a, const ResultType&) {
        if (name == "abs" && a[0].kind == Value::Int) return Value::integer(std::llabs(a[0].i));
        return mapUnary(a[0], fp);
      };
    }
    // ---- binary scalar functions
    auto bin = [&](const char* name, std::function<double(double, double)> f) {
      t[name] = [f](const Args& a, const ResultType&) { return binaryElementwise(a[0], a[1], f); };
    };
    bin("fmin", [](double x, double y) { return std::fmin(x, y); });
    bin("fmax", [](double x, double y) { return std::fmax(x, y); });
    bin("fdim", [](double x, double y) { return std::fdim(x, y); });
    bin("fmod", [](double x, double y) { return std::fmod(x, y); });
    bin("hypot", [](double x, double y) { return std::hypot(x, y); });
    bin("atan2", [](double x, double y) { return std::atan2(x, y); });
    bin("log_diff_exp", [](double x, double y) { return x + std::log1p(-std::exp(y - x)); });
    bin("lbeta", [](double x, double y) { return std::lgamma(x) + std::lgamma(y) - std::lgamma(x + y); });
    bin("lchoose", [](double n, double k) { return std::lgamma(n + 1) - std::lgamma(k + 1) - std::lgamma(n - k + 1); });
    bin("binomial_coefficient_log", [](double n, double k) { return std::lgamma(n + 1) - std::lgamma(k + 1) - std::lgamma(n - k + 1); });
    bin("lmultiply", [](double x, double y) { return x == 0 && y == 0 ? 0.0 : x * std::log(y); });
    t["fma"] = [](const Args& a, const ResultType&) { return Value::real(a[0].num() * a[1].num() + a[2].num()); };
    t["log_mix"] = [](const Args& a, const ResultType&) {
      double th = a[0].num(), l1 = a[1].num(), l2 = a[2].num();
      double m = std::max(l1, l2);
      return Value::real(m + std::log(th * std::exp(l1 - m) + (1 - th) * std::exp(l2 - m)));
    };
    t["min"] = [](const Args& a, const ResultType&) {
      if (a.size() == 2) return allInt(a) ? Value::integer(std::min(a[0].i, a[1].i)) : Value::real(std::fmin(a[0].num(), a[1].num()));
      std::vector<double> f = flat(a[0]);
      if (a[0].kind == Value::Array && !a[0].a.empty() && a[0].a[0].kind == Value::Int) {
        if (f.empty()) throw Error("min: empty array");
        return Value::integer(static_cast<int64_t>(*std::min_element(f.begin(), f.end())));
      }
      return Value::real(f.empty() ? INFINITY : *std::min_element(f.begin(), f.end()));
    };
    t["max"] = [](const Args& a, const ResultType&) {
      if (a.size() == 2) return allInt(a) ? Value::integer(std::max(a[0].i, a[1].i)) : Value::real(std::fmax(a[0].num(), a[1].num()));
      std::vector<double> f = flat(a[0]);
      if (a[0].kind == Value::Array && !a[0].a.empty() && a[0].a[0].kind == Value::Int) {
        if (f.empty()) throw Error("max: empty array");
        return Value::integer(static_cast<int64_t>(*std::max_element(f.begin(), f.end())));
      }
      return Value::real(f.empty() ? -INFINITY : *std::max_element(f.begin(), f.end()));
    };
    t["int_step"] = [](const Args& a, const ResultType&) { return Value::integer(a[0].num() > 0); };
    t["is_inf"] = [](const Args& a, const ResultType&) { return Value::integer(std::isinf(a[0].num())); };
    t["is_nan"] = [](const Args& a, const ResultType&) { return Value::integer(std::isnan(a[0].num())); };
    t["to_int"] = [](const Args& a, const ResultType&) { return Value::integer(static_cast<int64_t>(a[0].num())); };
    t["positive_infinity"] = [](const Args&, const ResultType&) { return Value::real(INFINITY); };
    t["negative_infinity"] = [](const Args&, const ResultType&) { return Value::real(-INFINITY); };
    t["not_a_number"] = [](const Args&, const ResultType&) { return Value::real(NAN); };
    t["machine_precision"] = [](const Args&, const ResultType&) { return Value::real(2.220446049250313e-16); };
    t["pi"] = [](const Args&, const ResultType&) { return Value::real(M_PI); };
    t["e"] = [](const Args&, const ResultType&) { return Value::real(M_E); };
    t["sqrt2"] = [](const Args&, const ResultType&) { return Value::real(std::sqrt(2.0)); };
    // ---- reductions
    t["sum"] = [](const Args& a, const ResultType& ty) {
      std::vector<double> f = flat(a[0]);
      double s = std::accumulate(f.begin(), f.end(), 0.0);
      return ty.elem == Elem::Int ? Value::integer(static_cast<int64_t>(s)) : Value::real(s);
    };
    t["prod"] = [](const Args& a, const ResultType& ty) {
      std::vector<double> f = flat(a[0]);
      double s = std::accumulate(f.begin(), f.end(), 1.0, std::multiplies<double>());
      return ty.elem == Elem::Int ? Value::integer(static_cast<int64_t>(s)) : Value::real(s);
    };
    t["mean"] = [](const Args& a, const ResultType&) {
      std::vector<double> f = flat(a[0]);
      if (f.empty()) throw Error("mean: empty argument");
      return Value::real(std::accumulate(f.begin(), f.end(), 0.0) / f.size());
    };
    t["variance"] = [](const Args& a, const ResultType&) {
      std::vector<double> f = flat(a[0]);
      if (f.size() < 2) return Value::real(0);
      double m = std::accumulate(f.begin(), f.end(), 0.0) / f.size(), s = 0;
      for (double x : f) s += (x - m) * (x - m);
      return Value::real(s / (f.size() - 1));
    };
    t["sd"] = [t](const Args& a, const ResultType& ty) { return Value::real(std::sqrt(t.at("variance")(a, ty).d)); };
    t["log_sum_exp"] = [](const Args& a, const ResultType&) {
      std::vector<double> f = a.size() == 2 ? std::vector<double>{a[0].num(), a[1].num()} : flat(a[0]);
      if (f.empty()) return Value::real(-INFINITY);
      double m = *std::max_element(f.begin(), f.end());
      if (std::isinf(m)) return Value::real(m);
      double s = 0;
      for (double x : f) s += std::exp(x - m);
      return Value::real(m + std::log(s));
    };
    t["dot_product"] = [](const Args& a, const ResultType&) {
      M x = asCol(a[0]), y = asCol(a[1]);
      if (x.size() != y.size()) throw Error("dot_product: size mismatch");
      return Value::real(x.col(0).dot(y.col(0)));
    };
    t["dot_self"] = [](const Args& a, const ResultType&) { return Value::real(a[0].m.squaredNorm()); };
    t["squared_distance"] = [](const Args& a, const ResultType&) { return Value::real((asCol(a[0]) - asCol(a[1])).squaredNorm()); };
    t["distance"] = [](const Args& a, const ResultType&) { return Value::real((asCol(a[0]) - asCol(a[1])).norm()); };
    t["norm2"] = [](const Args& a, const ResultType&) { return Value::real(a[0].m.norm()); };
    t["norm1"] = [](const Args& a, const ResultType&) { return Value::real(a[0].m.lpNorm<1>()); };
    t["rows_dot_product"] = [](const Args& a, const ResultType&) {
      if (a[0].m.rows() != a[1].m.rows() || a[0].m.cols() != a[1].m.cols()) throw Error("rows_dot_product: size mismatch");
      return Value::vec(a[0].m.cwiseProduct(a[1].m).rowwise().sum());
    };
    t["columns_dot_product"] = [](const Args& a, const ResultType&) {
      if (a[0].m.rows() != a[1].m.rows() || a[0].m.cols() != a[1].m.cols()) throw Error("columns_dot_product: size mismatch");
      return Value::row(a[0].m.cwiseProduct(a[1].m).colwise().sum());
    };
    t["rows_dot_self"] = [](const Args& a, const ResultType&) { return Value::vec(a[0].m.rowwise().squaredNorm()); };
    t["columns_dot_self"] = [](const Args& a, const ResultType&) { return Value::row(a[0].m.colwise().squaredNorm()); };
    // ---- linear algebra
    t["diag_pre_multiply"] = [](const Args& a, const ResultType&) {
      if (a[0].m.size() != a[1].m.rows()) throw Error("diag_pre_multiply: size mismatch");
      return Value::mat(asCol(a[0]).col(0).asDiagonal() * a[1].m);
    };
    t["diag_post_multiply"] = [](const Args& a, const ResultType&) {
      if (a[1].m.size() != a[0].m.cols()) throw Error("diag_post_multiply: size mismatch");
      return Value::mat(a[0].m * asCol(a[1]).col(0).asDiagonal());
    };
    t["diag_matrix"] = [](const Args& a, const ResultType&) { return Value::mat(asCol(a[0]).col(0).asDiagonal()); };
    t["diagonal"] = [](const Args& a, const ResultType&) { return Value::vec(a[0].m.diagonal()); };
    t["multiply_lower_tri_self_transpose"] = [](const Args& a, const ResultType&) {
      M L = a[0].m.triangularView<Eigen::Lower>();
      return Value::mat(L * L.transpose());
    };
    t["tcrossprod"] = [](const Args& a, const ResultType&) { return Value::mat(a[0].m * a[0].m.transpose()); };
    t["crossprod"] = [](const Args& a, const ResultType&) { return Value::mat(a[0].m.transpose() * a[0].m); };
    t["cholesky_decompose"] = [](const Args& a, const ResultType&) {
      needSquare(a[0].m, "cholesky_decompose");
      if (!a[0].m.isApprox(a[0].m.transpose(), 1e-8)) throw Error("cholesky_decompose: matrix is not symmetric");
      Eigen::LLT<M> llt(a[0].m);
      if (llt.info() != Eigen::Success) throw Error("cholesky_decompose: matrix is not positive definite");
      return Value::mat(M(llt.matrixL()));
    };
    t["mdivide_left_tri_low"] = [](const Args& a, const ResultType&) {
      M L = a[0].m.triangularView<Eigen::Lower>();
      return like(a[1], L.triangularView<Eigen::Lower>().solve(a[1].m));
    };
    t["mdivide_right_tri_low"] = [](const Args& a, const ResultType&) {
      M L = a[1].m.triangularView<Eigen::Lower>();
      return like(a[0], L.transpose().triangularView<Eigen::Upper>().solve(a[0].m.transpose()).transpose());
    };
    t["mdivide_left_spd"] = [](const Args& a, const ResultType&) { return like(a[1], a[0].m.llt().solve(a[1].m)); };
    t["mdivide_left"] = [](const Args& a, const ResultType&) { return like(a[1], a[0].m.lu().solve(a[1].m)); };
    t["operator\\"] = t["mdivide_left"];
    t["inverse"] = [](const Args& a, const ResultType&) { return Value::mat(a[0].m.inverse()); };
    t["inverse_spd"] = t["inverse"];
    t["determinant"] = [](const Args& a, const ResultType&) { return Value::real(a[0].m.determinant()); };
    t["log_determinant"] = [](const Args& a, const ResultType&) { return Value::real(std::log(std::fabs(a[0].m.determinant()))); };
    t["trace"] = [](const Args& a, const ResultType&) { return Value::real(a[0].m.trace()); };
    t["quad_form"] = [](const Args& a, const ResultType&) {
      M r = a[1].m.transpose() * a[0].m * a[1].m;
      return a[1].kind == Value::Vec ? Value::real(r(0, 0)) : Value::mat(r);
    };
    t["quad_form_sym"] = t["quad_form"];
    t["quad_form_diag"] = [](const Args& a, const ResultType&) {
      const M tau = asCol(a[1]);  // named: asDiagonal() refers to it
      return Value::mat(tau.col(0).asDiagonal() * a[0].m * tau.col(0).asDiagonal());
    };
    t["add_diag"] = [](const Args& a, const ResultType&) {
      M m = a[0].m;
      if (a[1].scalar()) m.diagonal().array() += a[1].num();
      else m.diagonal() += asCol(a[1]);
      return Value::mat(m);
    };
    t["identity_matrix"] = [](const Args& a, const ResultType&) { return Value::mat(M::Identity(a[0].i, a[0].i)); };
    t["softmax"] = [](const Args& a, const ResultType&) {
      M e = (a[0].m.array() - a[0].m.maxCoeff()).exp();
      return Value::vec(e / e.sum());
    };
    t["log_softmax"] = [](const Args& a, const ResultType&) {
      double m = a[0].m.maxCoeff();
      double lse = m + std::log((a[0].m.array() - m).exp().sum());
      return Value::vec(a[0].m.array() - lse);
    };
    // ---- constructors and reshaping
    t["rep_vector"] = [](const Args& a, const ResultType&) { return Value::vec(M::Constant(a[1].i, 1, a[0].num())); };
    t["rep_row_vector"] = [](const Args& a, const ResultType&) { return Value::row(M::Constant(1, a[1].i, a[0].num())); };
    t["rep_matrix"] = [](const Args& a, const ResultType&) {
      if (a.size() == 3) return Value::mat(M::Constant(a[1].i, a[2].i, a[0].num()));
      if (a[0].kind == Value::Vec) return Value::mat(a[0].m.replicate(1, a[1].i));
      return Value::mat(a[0].m.replicate(a[1].i, 1));
    };
    t["rep_array"] = [](const Args& a, const ResultType& ty) {
      std::vector<int64_t> n;
      for (size_t k = 1; k < a.size(); ++k) n.push_back(a[k].i);
      Value x = a[0];
      if (x.kind == Value::Int && ty.elem == Elem::Real) x = Value::real(static_cast<double>(x.i));
      return repArray(x, n, 0);
    };
    t["to_vector"] = [](const Args& a, const ResultType&) { return Value::vec(asCol(a[0])); };
    t["to_row_vector"] = [](const Args& a, const ResultType&) { return Value::row(asCol(a[0]).transpose()); };
    t["to_matrix"] = [](const Args& a, const ResultType&) {
      if (a.size() == 3) {
        M c = asCol(a[0]);
        if (c.size() != a[1].i * a[2].i) throw Error("to_matrix: size mismatch");
        return Value::mat(Eigen::Map<const M>(c.data(), a[1].i, a[2].i));
      }
      if (a[0].linalg()) return Value::mat(a[0].m);
      // array[,] real: rows are the outer index
      size_t r = a[0].a.size(), c = r ? a[0].a[0].a.size() : 0;
      M m(r, c);
      for (size_t i = 0; i < r; ++i)
        for (size_t j = 0; j < c; ++j) m(i, j) = a[0].a[i].a[j].num();
      return Value::mat(m);
    };
    t["to_array_1d"] = [](const Args& a, const ResultType& ty) {
      std::vector<double> f = flat(a[0]);
      if (ty.elem == Elem::Int) {
        std::vector<Value> out;
        for (double x : f) out.push_back(Value::integer(static_cast<int64_t>(x)));
        return Value::array(std::move(out));
      }
      return arrayOfReals(f);
    };
    t["size"] = [](const Args& a, const ResultType&) { return Value::integer(sizeOf(a[0])); };
    t["num_elements"] = [](const Args& a, const ResultType&) { return Value::integer(static_cast<int64_t>(flat(a[0]).size())); };
    t["rows"] = [](const Args& a, const ResultType&) { return Value::integer(a[0].kind == Value::Row ? 1 : a[0].m.rows()); };
    t["cols"] = [](const Args& a, const ResultType&) { return Value::integer(a[0].kind == Value::Vec ? 1 : a[0].m.cols()); };
    t["append_row"] = [](const Args& a, const ResultType& ty) {
      M x = a[0].scalar() ? M::Constant(1, 1, a[0].num()) : a[0].m;
      M y = a[1].scalar() ? M::Constant(1, 1, a[1].num()) : a[1].m;
      if (x.cols() != y.cols()) throw Error("append_row: size mismatch");
      M r(x.rows() + y.rows(), x.cols());
      r << x, y;
      return ty.elem == Elem::Vector ? Value::vec(r) : Value::mat(r);
    };
    t["append_col"] = [](const Args& a, const ResultType& ty) {
      M x = a[0].scalar() ? M::Constant(1, 1, a[0].num()) : a[0].m;
      M y = a[1].scalar() ? M::Constant(1, 1, a[1].num()) : a[1].m;
      if (x.rows() != y.rows()) throw Error("append_col: size mismatch");
      M r(x.rows(), x.cols() + y.cols());
      r << x, y;
      return ty.elem == Elem::RowVector ? Value::row(r) : Value::mat(r);
    };
    t["segment"] = [](const Args& a, const ResultType&) { return segmentOf(a[0], a[1].i, a[2].i); };
    t["head"] = [](const Args& a, const ResultType&) { return segmentOf(a[0], 1, a[1].i); };
    t["tail"] = [](const Args& a, const ResultType&) { return segmentOf(a[0], sizeOf(a[0]) - a[1].i + 1, a[1].i); };
    t["reverse"] = [](const Args& a, const ResultType&) {
      if (a[0].kind == Value::Array) return Value::array(std::vector<Value>(a[0].a.rbegin(), a[0].a.rend()));
      return like(a[0], a[0].m.reverse());
    };
    t["cumulative_sum"] = [](const Args& a, const ResultType&) {
      if (a[0].kind == Value::Array) {
        Value r = a[0];
        for (size_t k = 1; k < r.a.size(); ++k) {
          if (r.a[k].kind == Value::Int) r.a[k].i += r.a[k - 1].i;
          else r.a[k].d += r.a[k - 1].num();
        }
        return r;
      }
      Value r = a[0];
      for (Eigen::Index k = 1; k < r.m.size(); ++k) r.m.data()[k] += r.m.data()[k - 1];
      return r;
    };
    t["col"] = [](const Args& a, const ResultType&) { return Value::vec(a[0].m.col(a[1].i - 1)); };
    t["row"] = [](const Args& a, const ResultType&) { return Value::row(a[0].m.row(a[1].i - 1)); };
    t["block"] = [](const Args& a, const ResultType&) { return Value::mat(a[0].m.block(a[1].i - 1, a[2].i - 1, a[3].i, a[4].i)); };
    t["linspaced_vector"] = [](const Args& a, const ResultType&) {
      return Value::vec(a[0].i == 1 ? M::Constant(1, 1, a[2].num()) : M(Eigen::VectorXd::LinSpaced(a[0].i, a[1].num(), a[2].num())));
    };
    t["zeros_vector"] = [](const Args& a, const ResultType&) { return Value::vec(M::Zero(a[0].i, 1)); };
    t["ones_vector"] = [](const Args& a, const ResultType&) { return Value::vec(M::Ones(a[0].i, 1)); };
    t["zeros_row_vector"] = [](const Args& a, const ResultType&) { return Value::row(M::Zero(1, a[0].i)); };
    t["ones_row_vector"] = [](const Args& a, const ResultType&) { return Value::row(M::Ones(1, a[0].i)); };
    addMoreBuiltins(t);     // builtins_more.cpp
    addSpecialBuiltins(t);  // builtins_special.cpp
    // mvc's mapped forms: given arrays (of the same size) where the function takes one value,
    // it applies item by item (VectorizeBatchedMvn computes a per-group covariance factor
    // diag_pre_multiply(tau[k], L[k]) for all k in one call; its adjoint uses rows_dot_product).
    for (const char* name : {"diag_pre_multiply", "rows_dot_product"}) {
      Fn one = t.at(name);
      t[name] = [one, name](const Args& a, const ResultType& rt) {
        if (a.size() != 2 || a[0].kind != Value::Array) return one(a, rt);
        if (a[1].kind != Value::Array || a[1].a.size() != a[0].a.size())
          throw Error(std::string(name) + ": arrays of " + std::to_string(a[0].a.size()) + " and " +
                      describe(a[1]) + " (the mapped form takes arrays of the same size)");
        std::vector<Value> out;
        out.reserve(a[0].a.size());
        for (size_t i = 0; i < a[0].a.size(); ++i) {
          const Value* item[] = {&a[0].a[i], &a[1].a[i]};
          out.push_back(one(Args(item, 2), rt));
        }
        return Value::array(std::move(out));
      };
    }
    return t;
  }();
  return t;
}

}  // namespace

const Builtin* findBuiltin(const std::string& name) {
  auto it = table().find(name);
  return it == table().end() ? nullptr : &it->second;
}

bool builtinSupported(const std::string& name) { return findBuiltin(name) != nullptr; }

Value callBuiltin(const Builtin& b, const Args& args, const ResultType& type) {
  Value v = b(args, type);
  if (type.elem == Elem::Real && type.arrayDims == 0 && v.kind == Value::Int) v = Value::real(static_cast<double>(v.i));
  return v;
}

Value callBuiltin(const std::string& name, const Args& args, const ResultType& type) {
  const Builtin* b = findBuiltin(name);
  if (!b) throw Error("the built-in function '" + name + "' is not supported by the runtime yet", Error::kFatal);
  return callBuiltin(*b, args, type);
}

Value builtinGrad(const std::string& name, int k, const Value& adjY, const Value& y, const Args& args) {
  if (name == "cholesky_decompose" && k == 0) {
    // Reverse of L = chol(A) (Murray 2016): Phi(L' adjL) symmetrised, adjA = L^-T Phi L^-1.
    M L = y.m, Lbar = M(adjY.m.triangularView<Eigen::Lower>());
    M P = L.transpose() * Lbar;
    P.diagonal() *= 0.5;
    M Pl = P.triangularView<Eigen::Lower>();
    M S = L.transpose().triangularView<Eigen::Upper>().solve(Pl);
    S = L.transpose().triangularView<Eigen::Upper>().solve(M(S.transpose())).transpose();
    M A = 0.5 * (S + S.transpose());
    return Value::mat(A);
  }
  if (name == "multiply_lower_tri_self_transpose" && k == 0) {
    // Y = L L' with L = tril(X): adj(X) = tril((adjY + adjY') L)
    M L = args[0].m.triangularView<Eigen::Lower>();
    M G = (adjY.m + adjY.m.transpose()) * L;
    return Value::mat(M(G.triangularView<Eigen::Lower>()));
  }
  if (name == "mdivide_left_tri_low" && k == 0) {
    // Y = tril(L) \ B: adj(L) = -tril(g Y'), g = tril(L)' \ adj(Y)
    M L = args[0].m.triangularView<Eigen::Lower>();
    M g = L.transpose().triangularView<Eigen::Upper>().solve(adjY.m);
    M G = -(g * y.m.transpose());
    return Value::mat(M(G.triangularView<Eigen::Lower>()));
  }
  if (name == "mdivide_right_tri_low" && k == 1) {
    // Y = B / tril(L): adj(L) = -tril(Y' g), g = adj(Y) tril(L)^-T = (tril(L) \ adj(Y)')'
    M L = args[1].m.triangularView<Eigen::Lower>();
    M g = L.triangularView<Eigen::Lower>().solve(M(adjY.m.transpose())).transpose();
    M G = -(y.m.transpose() * g);
    return Value::mat(M(G.triangularView<Eigen::Lower>()));
  }
  if (name == "chol2inv" && k == 0) {
    // Y = (L L')^-1, L = tril(X): adj(X) = -tril(Y (adjY + adjY') Y L)
    M L = args[0].m.triangularView<Eigen::Lower>();
    M G = -(y.m * (adjY.m + adjY.m.transpose()) * y.m * L);
    return Value::mat(M(G.triangularView<Eigen::Lower>()));
  }
  if (name == "prod" && k == 0) {
    // adj(x_i) = adj(y) prod_{j != i} x_j from prefix and suffix products (exact at zeros)
    std::vector<double> x = flat(args[0]);
    const size_t n = x.size();
    std::vector<double> suffix(n + 1, 1.0), g(n);
    for (size_t i = n; i-- > 0;) suffix[i] = suffix[i + 1] * x[i];
    double prefix = 1;
    for (size_t i = 0; i < n; ++i) {
      g[i] = adjY.num() * prefix * suffix[i + 1];
      prefix *= x[i];
    }
    if (args[0].kind == Value::Array) return arrayOfReals(g);
    return like(args[0], Eigen::Map<const M>(g.data(), args[0].m.rows(), args[0].m.cols()));
  }
  if (name == "eigenvectors_sym" && k == 0) {
    // V = eigenvectors_sym(A), l the eigenvalues: adj(A) = V (F .* (V' adj(V))) V', F[i, j] = 1 / (l[j] - l[i]), 0 on the diagonal
    Eigen::SelfAdjointEigenSolver<M> es(args[0].m, Eigen::EigenvaluesOnly);
    const Eigen::VectorXd& l = es.eigenvalues();
    const M& V = y.m;
    M F = V.transpose() * adjY.m;
    for (Eigen::Index i = 0; i < F.rows(); ++i)
      for (Eigen::Index j = 0; j < F.cols(); ++j) F(i, j) = i == j ? 0.0 : F(i, j) / (l(j) - l(i));
    return Value::mat(V * F * V.transpose());
  }
  if (name == "singular_values" && k == 0) {
    // y = diag(U' A V): adj(A) = U diag(adj(y)) V'
    Eigen::JacobiSVD<M> svd(args[0].m, Eigen::ComputeThinU | Eigen::ComputeThinV);
    const M d = asCol(adjY);
    return Value::mat(svd.matrixU() * d.col(0).asDiagonal() * svd.matrixV().transpose());
  }
  if ((name == "gp_exp_quad_cov" || name == "cov_exp_quad") && k <= 2) {
    // K[i, j] = a^2 e[i, j], e = exp(-d2[i, j] / (2 r^2)), W = adj(K) .* K:
    // adj(a) = 2 a sum(adj(K) .* e), adj(r) = sum(W .* d2) / r^3,
    // adj(x[i]) = -sum_j (W[i, j] + W[j, i]) (x[i] - x[j]) / r^2
    const Value& x = args[0];
    const double a = args[1].num(), r = args[2].num();
    const size_t n = x.a.size();
    auto diff = [&](size_t i, size_t j) -> M {
      if (x.a[i].scalar()) return M::Constant(1, 1, x.a[i].num() - x.a[j].num());
      return x.a[i].m - x.a[j].m;
    };
    if (k == 0) {
      std::vector<Value> g;
      for (size_t i = 0; i < n; ++i) {
        M gi = M::Zero(x.a[i].scalar() ? 1 : x.a[i].m.rows(), x.a[i].scalar() ? 1 : x.a[i].m.cols());
        for (size_t j = 0; j < n; ++j) {
          if (i == j) continue;
          double w = adjY.m(i, j) * y.m(i, j) + adjY.m(j, i) * y.m(j, i);
          gi -= (w / (r * r)) * diff(i, j);
        }
        g.push_back(x.a[i].scalar() ? Value::real(gi(0, 0)) : like(x.a[i], gi));
      }
      return Value::array(std::move(g));
    }
    double s = 0;
    for (size_t i = 0; i < n; ++i)
      for (size_t j = 0; j < n; ++j) {
        double d2 = diff(i, j).squaredNorm();
        s += k == 1 ? adjY.m(i, j) * std::exp(-0.5 * d2 / (r * r)) : adjY.m(i, j) * y.m(i, j) * d2;
      }
    return Value::real(k == 1 ? 2 * a * s : s / (r * r * r));
  }
  if (Value g; specialBuiltinGrad(name, k, adjY, args, &g)) return g;
  throw Error("there is no kernel gradient for '" + name + "' argument " + std::to_string(k), Error::kFatal);
}

}  // namespace mvc::values
