// The special functions gamma_p, gamma_q, inc_beta and owens_t: values, and the kernel
// gradients their adjoint rules call (compiler/autodiff/adjoints.cpp, call.grad). The math is
// runtime/math/special.h; the partials in the shape parameters come from differentiating its
// series and continued fractions in forward mode (Dual), exact to rounding.
#include <cmath>

#include "math/special.h"
#include "values.h"

namespace mvc::values {
namespace {

using mvc::dist::Dual;

void needPositive(double v, const char* fn, const char* arg) {
  if (!(v > 0) || !std::isfinite(v))
    throw Error(std::string(fn) + ": " + arg + " must be positive and finite, got " + std::to_string(v));
}

// P(a, z) (lower) or Q(a, z), with partials in a and z when d is given.
double gammaPQ(bool lower, double a, double z, double* d) {
  const char* fn = lower ? "gamma_p" : "gamma_q";
  needPositive(a, fn, "the first argument");
  if (!(z >= 0)) throw Error(std::string(fn) + ": the second argument must be non-negative, got " + std::to_string(z));
  Dual<2> lp, lq;
  if (!mvc::dist::log_gamma_pq_t(Dual<2>::var(a, 0), Dual<2>::var(z, 1), &lp, &lq))
    throw Error(std::string(fn) + ": the series did not converge at (" + std::to_string(a) + ", " + std::to_string(z) + ")");
  const Dual<2>& l = lower ? lp : lq;
  const double v = std::exp(l.v);
  if (d)
    for (int k = 0; k < 2; ++k) d[k] = v > 0 && std::isfinite(l.d[k]) ? v * l.d[k] : 0.0;
  return v;
}

double incBeta(double a, double b, double x, double* d) {
  needPositive(a, "inc_beta", "a");
  needPositive(b, "inc_beta", "b");
  if (!(x >= 0 && x <= 1)) throw Error("inc_beta: x must be in [0, 1], got " + std::to_string(x));
  Dual<3> li, l1mi;
  const Dual<3> xd = Dual<3>::var(x, 2);
  if (!mvc::dist::log_inc_beta_t(Dual<3>::var(a, 0), Dual<3>::var(b, 1), xd, 1.0 - xd, &li, &l1mi))
    throw Error("inc_beta: the continued fraction did not converge");
  const double v = std::exp(li.v);
  if (d)
    for (int k = 0; k < 3; ++k) d[k] = v > 0 && std::isfinite(li.d[k]) ? v * li.d[k] : 0.0;
  return v;
}

double owensT(double h, double a, double* d) {
  const Dual<2> t = mvc::dist::owens_t(Dual<2>::var(h, 0), Dual<2>::var(a, 1));
  if (d) d[0] = t.d[0], d[1] = t.d[1];
  return t.v;
}

// One function of the table: its value and partials from the scalar arguments.
double evalSpecial(const std::string& name, const Args& a, double* d) {
  if (name == "gamma_p") return gammaPQ(true, a[0].num(), a[1].num(), d);
  if (name == "gamma_q") return gammaPQ(false, a[0].num(), a[1].num(), d);
  if (name == "inc_beta") return incBeta(a[0].num(), a[1].num(), a[2].num(), d);
  return owensT(a[0].num(), a[1].num(), d);
}

const char* const kSpecial[] = {"gamma_p", "gamma_q", "inc_beta", "owens_t"};

// psi''(x), the derivative of trigamma: the recurrence psi''(x) = psi''(x + 1) - 2 / x^3 up to
// x >= 12, then the asymptotic series; reflection below 0:
// psi''(x) = psi''(1 - x) - 2 pi^3 cos(pi x) / sin(pi x)^3.
double tetragamma(double x) {
  if (x <= 0) {
    if (x == std::floor(x)) return std::nan("");
    const double s = std::sin(M_PI * x);
    return tetragamma(1 - x) - 2 * M_PI * M_PI * M_PI * std::cos(M_PI * x) / (s * s * s);
  }
  double r = 0;
  while (x < 12) {
    r -= 2 / (x * x * x);
    x += 1;
  }
  // -(1/x^2 + 1/x^3 + sum_k B_2k (2k + 1) / x^(2k + 2)), k = 1..6 (relative error < 1e-14 at x >= 12)
  const double u = 1 / (x * x);
  const double tail = 1 + 1 / x + u * (0.5 + u * (-1.0 / 6 + u * (1.0 / 6 + u * (-3.0 / 10 + u * (5.0 / 6 + u * (-691.0 * 13 / 2730))))));
  return r - u * tail;
}

// adj(y) .* f'(x) elementwise over a scalar, vector, matrix or array of them.
Value elementwise(const Value& adj, const Value& x, double (*df)(double)) {
  if (x.kind == Value::Array) {
    std::vector<Value> out;
    for (size_t i = 0; i < x.a.size(); ++i) out.push_back(elementwise(adj.a.at(i), x.a[i], df));
    return Value::array(std::move(out));
  }
  if (x.scalar()) return Value::real(adj.num() * df(x.num()));
  Value r = x;
  for (Eigen::Index k = 0; k < r.m.size(); ++k) r.m.data()[k] = adj.m.data()[k] * df(x.m.data()[k]);
  return r;
}

}  // namespace


void addSpecialBuiltins(std::map<std::string, Builtin>& t) {
  for (const char* name : kSpecial) {
    std::string n = name;
    t[n] = [n](const Args& a, const ResultType&) { return Value::real(evalSpecial(n, a, nullptr)); };
  }
}

bool specialBuiltinGrad(const std::string& name, int k, const Value& adjY, const Args& args, Value* out) {
  if (name == "trigamma" && k == 0) {
    *out = elementwise(adjY, args[0], &tetragamma);
    return true;
  }
  bool known = false;
  for (const char* n : kSpecial) known = known || name == n;
  if (!known || k < 0 || k >= static_cast<int>(args.size())) return false;
  double d[3] = {0, 0, 0};
  evalSpecial(name, args, d);
  *out = Value::real(adjY.num() * d[k]);
  return true;
}

}  // namespace mvc::values
