// Special functions that need their derivatives with respect to every argument, including
// shape parameters where no closed form exists (d/da of the incomplete gamma function): the
// regularized incomplete gamma and beta functions, Owen's T, and log I0 with the Bessel ratios
// I_n / I_0 of the von Mises distribution.
//
// Each is written once, templated on its scalar: with `double` it is the value; with
// `Dual<K>` (forward mode, K directions) the same series or continued fraction carries the
// exact derivative of every approximant along with it, and the loops stop only when the value
// and every derivative have converged. This is differentiation of the algorithm, exact to
// rounding -- not finite differences. The CDF kernels (dist_cdf.cpp) and the built-ins
// gamma_p, gamma_q, inc_beta and owens_t (runtime/compiled) use them.
#pragma once

#include <cmath>
#include <algorithm>
#include <limits>
#include <vector>

#include "dist_common.h"

namespace mvc::dist {

// ---- forward-mode dual numbers
template <int K>
struct Dual {
  double v = 0;
  double d[K] = {};
  Dual() = default;
  Dual(double x) : v(x) {}  // NOLINT: a constant converts implicitly
  static Dual var(double x, int k) {
    Dual r(x);
    r.d[k] = 1.0;
    return r;
  }
  // f(v) with f'(v) = df: the chain rule for every direction
  Dual chain(double fv, double df) const {
    Dual r(fv);
    for (int k = 0; k < K; ++k) r.d[k] = df * d[k];
    return r;
  }
};

inline double val(double x) { return x; }
template <int K>
double val(const Dual<K>& x) {
  return x.v;
}

template <int K>
Dual<K> operator+(const Dual<K>& a, const Dual<K>& b) {
  Dual<K> r(a.v + b.v);
  for (int k = 0; k < K; ++k) r.d[k] = a.d[k] + b.d[k];
  return r;
}
template <int K>
Dual<K> operator-(const Dual<K>& a, const Dual<K>& b) {
  Dual<K> r(a.v - b.v);
  for (int k = 0; k < K; ++k) r.d[k] = a.d[k] - b.d[k];
  return r;
}
template <int K>
Dual<K> operator-(const Dual<K>& a) {
  return a.chain(-a.v, -1.0);
}
template <int K>
Dual<K> operator*(const Dual<K>& a, const Dual<K>& b) {
  Dual<K> r(a.v * b.v);
  for (int k = 0; k < K; ++k) r.d[k] = a.d[k] * b.v + a.v * b.d[k];
  return r;
}
template <int K>
Dual<K> operator/(const Dual<K>& a, const Dual<K>& b) {
  const double q = a.v / b.v;
  Dual<K> r(q);
  for (int k = 0; k < K; ++k) r.d[k] = (a.d[k] - q * b.d[k]) / b.v;
  return r;
}
#define MVC_DUAL_MIXED(op)                                          \
  template <int K>                                                  \
  Dual<K> operator op(const Dual<K>& a, double b) {                 \
    return a op Dual<K>(b);                                         \
  }                                                                 \
  template <int K>                                                  \
  Dual<K> operator op(double a, const Dual<K>& b) {                 \
    return Dual<K>(a) op b;                                         \
  }                                                                 \
  template <int K>                                                  \
  Dual<K>& operator op##=(Dual<K>& a, const Dual<K>& b) {           \
    return a = a op b;                                              \
  }
MVC_DUAL_MIXED(+)
MVC_DUAL_MIXED(-)
MVC_DUAL_MIXED(*)
MVC_DUAL_MIXED(/)
#undef MVC_DUAL_MIXED

// Elementary functions: the double overloads are the ones of <cmath> / dist_common.h.
template <int K>
Dual<K> exp(const Dual<K>& a) {
  const double e = std::exp(a.v);
  return a.chain(e, e);
}
template <int K>
Dual<K> log(const Dual<K>& a) {
  return a.chain(std::log(a.v), 1.0 / a.v);
}
template <int K>
Dual<K> log1p(const Dual<K>& a) {
  return a.chain(std::log1p(a.v), 1.0 / (1.0 + a.v));
}
template <int K>
Dual<K> expm1(const Dual<K>& a) {
  return a.chain(std::expm1(a.v), std::exp(a.v));
}
template <int K>
Dual<K> sqrt(const Dual<K>& a) {
  const double s = std::sqrt(a.v);
  return a.chain(s, 0.5 / s);
}
template <int K>
Dual<K> sin(const Dual<K>& a) {
  return a.chain(std::sin(a.v), std::cos(a.v));
}
template <int K>
Dual<K> cos(const Dual<K>& a) {
  return a.chain(std::cos(a.v), -std::sin(a.v));
}
template <int K>
Dual<K> atan(const Dual<K>& a) {
  return a.chain(std::atan(a.v), 1.0 / (1.0 + a.v * a.v));
}
template <int K>
Dual<K> lgam(const Dual<K>& a) {
  return a.chain(lgam(a.v), digamma(a.v));
}
template <int K>
Dual<K> log_Phi(const Dual<K>& a) {
  const double l = log_Phi(a.v);
  return a.chain(l, std::isfinite(a.v) ? dlog_Phi(a.v, l) : 0.0);
}
template <int K>
Dual<K> log_inv_logit(const Dual<K>& a) {
  return a.chain(log_inv_logit(a.v), inv_logit(-a.v));
}

// log(1 - e^x), x <= 0, accurate near 0 and for very negative x.
inline double log1m_exp(double x) {
  if (x > 0) return kNaN;
  return x > -0.693147 ? std::log(-std::expm1(x)) : std::log1p(-std::exp(x));
}
template <int K>
Dual<K> log1m_exp(const Dual<K>& a) {
  return a.chain(log1m_exp(a.v), a.v < 0 ? -1.0 / std::expm1(-a.v) : -kInf);
}
// log(e^a - e^b), a >= b; log(e^a + e^b)
template <class T>
T log_diff_exp(const T& a, const T& b) {
  if (val(b) == -kInf) return a;
  return a + log1m_exp(b - a);
}
template <class T>
T log_sum_exp(const T& a, const T& b) {
  if (val(a) == -kInf) return b;
  if (val(b) == -kInf) return a;
  using std::exp;
  using std::log1p;
  return val(a) >= val(b) ? a + log1p(exp(b - a)) : b + log1p(exp(a - b));
}

// |x| <= tol |ref| in the value and every derivative (an exactly zero step has converged)
inline bool small(double x, double ref, double tol) { return std::fabs(x) <= tol * std::fabs(ref); }
template <int K>
bool small(const Dual<K>& x, const Dual<K>& ref, double tol) {
  if (!small(x.v, ref.v, tol)) return false;
  for (int k = 0; k < K; ++k)
    if (!small(x.d[k], ref.d[k], tol)) return false;
  return true;
}
// A continued fraction's factor del -> 1 has converged: |del - 1| <= tol, and each derivative
// of log(product) has stopped moving relative to its size (|del.d| <= tol max(1, |h.d / h.v|),
// h the product so far): rounding leaves noise of about eps |h.d / h.v| in del.d, so an
// absolute test would never pass for arguments on a large scale.
inline bool near_one(double x, double, double tol) { return std::fabs(x - 1.0) <= tol; }
template <int K>
bool near_one(const Dual<K>& x, const Dual<K>& h, double tol) {
  if (!near_one(x.v, h.v, tol)) return false;
  for (int k = 0; k < K; ++k)
    if (!(std::fabs(x.d[k]) <= tol * std::max(1.0, std::fabs(h.d[k] / h.v)))) return false;
  return true;
}

constexpr double kSeriesTol = 1e-16;
constexpr double kFractionTol = 4e-16;  // a few ulps of 1: del is 1 to rounding once converged
constexpr int kMaxIter = 200000;
constexpr double kTiny = 1e-300;

// ---- log P(a, x) and log Q(a, x), the regularized lower and upper incomplete gamma
// functions, a > 0, x >= 0: the power series for P when x < a + 1, else the Lentz continued
// fraction for Q; the other one as log(1 - exp(.)). Returns false if it did not converge.
template <class T>
bool log_gamma_pq_t(const T& a, const T& x, T* log_p, T* log_q) {
  using std::log;
  if (!(val(x) > 0)) {
    *log_p = T(-kInf);
    *log_q = T(0.0);
    return true;
  }
  if (val(x) == kInf) {
    *log_p = T(0.0);
    *log_q = T(-kInf);
    return true;
  }
  const T lpre = a * log(x) - x - lgam(a);
  if (val(x) < val(a) + 1.0) {
    T ap = a, del = 1.0 / a, sum = del;
    int n = 0;
    for (; n < kMaxIter; ++n) {
      ap += T(1.0);
      del *= x / ap;
      sum += del;
      if (small(del, sum, kSeriesTol)) break;
    }
    if (n == kMaxIter) return false;
    *log_p = lpre + log(sum);
    *log_q = log1m_exp(*log_p);
  } else {
    T b = x + 1.0 - a, c = T(1.0 / kTiny), d = 1.0 / b, h = d;
    int i = 1;
    for (; i < kMaxIter; ++i) {
      const T an = -double(i) * (double(i) - a);
      b += T(2.0);
      d = an * d + b;
      if (std::fabs(val(d)) < kTiny) d = T(kTiny);
      c = b + an / c;
      if (std::fabs(val(c)) < kTiny) c = T(kTiny);
      d = 1.0 / d;
      const T del = d * c;
      h *= del;
      if (near_one(del, h, kFractionTol)) break;
    }
    if (i == kMaxIter) return false;
    *log_q = lpre + log(h);
    *log_p = log1m_exp(*log_q);
  }
  return true;
}

// ---- log I_x(a, b) and log(1 - I_x(a, b)), the regularized incomplete beta function, with
// x and y = 1 - x both given (so that a caller holding 1 - x loses no digits): the continued
// fraction of I_x(a, b) where it converges fast (x < (a + 1) / (a + b + 2)), else of
// I_y(b, a) = 1 - I_x(a, b).
template <class T>
bool beta_cf(const T& a, const T& b, const T& x, T* out) {
  const T qab = a + b, qap = a + 1.0, qam = a - 1.0;
  T c = T(1.0), d = 1.0 - qab * x / qap;
  if (std::fabs(val(d)) < kTiny) d = T(kTiny);
  d = 1.0 / d;
  T h = d;
  for (int m = 1; m < kMaxIter; ++m) {
    const double m2 = 2.0 * m;
    T aa = double(m) * (b - double(m)) * x / ((qam + m2) * (a + m2));
    d = 1.0 + aa * d;
    if (std::fabs(val(d)) < kTiny) d = T(kTiny);
    c = 1.0 + aa / c;
    if (std::fabs(val(c)) < kTiny) c = T(kTiny);
    d = 1.0 / d;
    h *= d * c;
    aa = -(a + double(m)) * (qab + double(m)) * x / ((a + m2) * (qap + m2));
    d = 1.0 + aa * d;
    if (std::fabs(val(d)) < kTiny) d = T(kTiny);
    c = 1.0 + aa / c;
    if (std::fabs(val(c)) < kTiny) c = T(kTiny);
    d = 1.0 / d;
    const T del = d * c;
    h *= del;
    if (near_one(del, h, kFractionTol)) {
      *out = h;
      return true;
    }
  }
  return false;
}

template <class T>
bool log_inc_beta_t(const T& a, const T& b, const T& x, const T& y, T* log_i, T* log_1mi) {
  using std::log;
  if (!(val(x) > 0)) {
    *log_i = T(-kInf);
    *log_1mi = T(0.0);
    return true;
  }
  if (!(val(y) > 0)) {
    *log_i = T(0.0);
    *log_1mi = T(-kInf);
    return true;
  }
  const T lfront = lgam(a + b) - lgam(a) - lgam(b) + a * log(x) + b * log(y);
  T cf;
  if (val(x) < (val(a) + 1.0) / (val(a) + val(b) + 2.0)) {
    if (!beta_cf(a, b, x, &cf)) return false;
    *log_i = lfront + log(cf) - log(a);
    *log_1mi = log1m_exp(*log_i);
  } else {
    if (!beta_cf(b, a, y, &cf)) return false;
    *log_1mi = lfront + log(cf) - log(b);
    *log_i = log1m_exp(*log_1mi);
  }
  return true;
}

// ---- Owen's T function T(h, a) = 1/(2 pi) int_0^a exp(-h^2 (1 + x^2) / 2) / (1 + x^2) dx.
// |a| <= 1: Gauss-Legendre on panels narrow against the width 1/h of the integrand's peak;
// |a| > 1: T(h, a) = [Phi(h) Q(ah) + Phi(ah) Q(h)] / 2 - T(ah, 1/a) (h, a >= 0, Q = 1 - Phi),
// with T even in h and odd in a. Partials: dT/dh = -phi(h) (Phi(a h) - 1/2),
// dT/da = exp(-h^2 (1 + a^2) / 2) / (2 pi (1 + a^2)).
double owens_t(double h, double a);
template <int K>
Dual<K> owens_t(const Dual<K>& h, const Dual<K>& a) {
  const double t = owens_t(h.v, a.v);
  const double phi_h = std::exp(-0.5 * h.v * h.v) * 0.3989422804014327;
  const double dh = -phi_h * (0.5 * std::erfc(-a.v * h.v * M_SQRT1_2) - 0.5);
  const double da = std::exp(-0.5 * h.v * h.v * (1.0 + a.v * a.v)) / (2.0 * M_PI * (1.0 + a.v * a.v));
  Dual<K> r(t);
  for (int k = 0; k < K; ++k) r.d[k] = dh * h.d[k] + da * a.d[k];
  return r;
}

// ---- von Mises: log I0(kappa) and the ratios A_n = I_n(kappa) / I_0(kappa), n = 1..N
// (backward recurrence r_n = I_n / I_{n-1} = 1 / (2n / kappa + r_{n+1}), stable, started
// where the ratios have died out).
double log_bessel_i0(double kappa);
// Terms the von Mises CDF series needs at this kappa (A_n < 1e-17 beyond).
int von_mises_terms(double kappa);
template <class T>
void bessel_ratios_t(const T& kappa, int n, std::vector<T>& A) {
  const int start = std::max(n, von_mises_terms(val(kappa))) + 30;
  T r(0.0);
  thread_local std::vector<T> rs;
  rs.assign(static_cast<size_t>(start) + 1, T(0.0));
  for (int k = start; k >= 1; --k) rs[k] = r = 1.0 / (2.0 * k / kappa + r);
  A.resize(static_cast<size_t>(n));
  T a(1.0);
  for (int k = 1; k <= n; ++k) A[k - 1] = a = a * rs[k];
}
template <int K>
Dual<K> log_bessel_i0(const Dual<K>& kappa) {
  std::vector<double> a1;
  bessel_ratios_t(kappa.v, 1, a1);
  return kappa.chain(log_bessel_i0(kappa.v), a1[0]);
}

}  // namespace mvc::dist
