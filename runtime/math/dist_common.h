// Internal helpers shared by runtime/math/dist_*.cpp: the broadcast loop of the univariate
// kernels, the propto rule, special functions, and small dense linear algebra (Cholesky,
// triangular solves) templated on a compile-time size for the batched kernels.
// Not installed; generated code sees only mvc/distributions.h.
#pragma once

#include <cmath>
#include <cstdarg>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <limits>
#include <new>
#include <vector>

#include "mvc/distributions.h"

namespace mvc::dist {

constexpr double kLogPi = 1.14472988584940017414;
constexpr double kLog2 = 0.69314718055994530942;
constexpr double kLogSqrt2Pi = 0.91893853320467274178;  // 0.5 log(2 pi)
constexpr double kLogSqrtPi = 0.57236494292470008707;   // 0.5 log(pi)
constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// ---- the propto rule: a term is kept unless propto is set and none of the arguments it
// depends on (a bit mask over argument positions) is active. Mask 0 = a pure constant.
struct Inc {
  uint32_t active;
  int propto;
  bool operator()(uint32_t mask) const { return !propto || (active & mask) != 0; }
};

// ---- special functions
inline double lgam(double x) {  // thread-safe lgamma (glibc's lgamma writes signgam)
  int sign;
  return ::lgamma_r(x, &sign);
}

// digamma for x > 0: recurrence up to x >= 6, then the asymptotic series (|error| < 1e-15).
inline double digamma(double x) {
  double r = 0.0;
  while (x < 6.0) {
    r -= 1.0 / x;
    x += 1.0;
  }
  const double f = 1.0 / (x * x);
  const double t =
      f * (-1.0 / 12 +
           f * (1.0 / 120 +
                f * (-1.0 / 252 +
                     f * (1.0 / 240 + f * (-1.0 / 132 + f * (691.0 / 32760 + f * (-1.0 / 12)))))));
  return r + std::log(x) - 0.5 / x + t;
}

inline double log1m(double x) { return std::log1p(-x); }
inline double inv_logit(double x) {
  if (x >= 0) return 1.0 / (1.0 + std::exp(-x));
  const double e = std::exp(x);
  return e / (1.0 + e);
}
inline double log1p_exp(double x) {  // log(1 + e^x)
  return x > 0 ? x + std::log1p(std::exp(-x)) : std::log1p(std::exp(x));
}
inline double log_inv_logit(double x) { return -log1p_exp(-x); }
inline double lchoose(double n, double k) {  // log binomial coefficient, 0 <= k <= n
  return lgam(n + 1) - lgam(k + 1) - lgam(n - k + 1);
}

// log Phi(z), accurate in both tails.
inline double log_Phi(double z) {
  if (z > 0) return std::log1p(-0.5 * std::erfc(z * M_SQRT1_2));
  if (z > -30) return std::log(0.5 * std::erfc(-z * M_SQRT1_2));
  // asymptotic: Phi(z) = phi(z)/(-z) * (1 - 1/z^2 + 3/z^4 - 15/z^6 + ...)
  const double u = 1.0 / (z * z);
  double s = 1.0, term = 1.0;
  for (int k = 1; k <= 8; ++k) {
    term *= -(2.0 * k - 1.0) * u;
    s += term;
  }
  return -0.5 * z * z - kLogSqrt2Pi - std::log(-z) + std::log(s);
}
// d/dz log Phi(z) = phi(z) / Phi(z)
inline double dlog_Phi(double z, double log_Phi_z) {
  return std::exp(-0.5 * z * z - kLogSqrt2Pi - log_Phi_z);
}

// log of the regularized incomplete gamma functions P(a, x) and Q(a, x), a > 0, x >= 0.
inline void log_gamma_pq(double a, double x, double* log_p, double* log_q) {
  if (x <= 0) {
    *log_p = -kInf;
    *log_q = 0.0;
    return;
  }
  const double lpre = -x + a * std::log(x) - lgam(a);
  if (x < a + 1.0) {  // series for P
    double ap = a, del = 1.0 / a, sum = del;
    for (int n = 0; n < 100000; ++n) {
      ap += 1.0;
      del *= x / ap;
      sum += del;
      if (std::fabs(del) < std::fabs(sum) * 1e-17) break;
    }
    *log_p = lpre + std::log(sum);
    *log_q = log1m(std::exp(*log_p));
  } else {  // Lentz continued fraction for Q
    const double tiny = 1e-300;
    double b = x + 1.0 - a, c = 1.0 / tiny, d = 1.0 / b, h = d;
    for (int i = 1; i < 100000; ++i) {
      const double an = -i * (i - a);
      b += 2.0;
      d = an * d + b;
      if (std::fabs(d) < tiny) d = tiny;
      c = b + an / c;
      if (std::fabs(c) < tiny) c = tiny;
      d = 1.0 / d;
      const double del = d * c;
      h *= del;
      if (std::fabs(del - 1.0) < 1e-17) break;
    }
    *log_q = lpre + std::log(h);
    *log_p = log1m(std::exp(*log_q));
  }
}

// ---- broadcasting
struct Arg {
  const double* d;   // real argument, or
  const int32_t* i;  // integer argument
  int64_t n;
};

template <int K>
inline bool common_length(const Arg (&a)[K], int64_t* N) {
  int64_t n = 1;
  for (int k = 0; k < K; ++k) {
    if (a[k].n == 1) continue;
    if (a[k].n < 0) return false;
    if (n == 1) n = a[k].n;
    else if (a[k].n != n) return false;
  }
  *N = n;
  return true;
}

// Memo of a scalar function of one argument: recomputed only when the argument changes,
// so a broadcast scalar parameter costs one lgamma / log per call, not one per element.
struct Memo {
  double x = kNaN, v = 0.0;
  template <class Fn>
  double operator()(double a, Fn fn) {
    if (!(a == x)) {
      x = a;
      v = fn(a);
    }
    return v;
  }
};

// The univariate loop. F::K arguments; F::eval<G>(x, inc, &lp, d) computes one element's
// log density (kept terms only) and, when G, its partials d[k] (of the kept terms).
template <class F, bool G>
inline int run_uni(const Arg (&a)[F::K], uint32_t active, int propto, double* out, double adj,
                   double* const* g) noexcept {
  constexpr int K = F::K;
  int64_t N;
  if (!common_length<K>(a, &N)) return MVC_DIST_ERR_SIZE;
  const Inc inc{active, propto};
  F f;
  double lp = 0.0, x[K], d[K];
  int64_t stride[K];
  for (int k = 0; k < K; ++k) stride[k] = a[k].n == 1 ? 0 : 1;
  for (int64_t i = 0; i < N; ++i) {
    for (int k = 0; k < K; ++k)
      x[k] = a[k].d ? a[k].d[i * stride[k]] : static_cast<double>(a[k].i[i * stride[k]]);
    double l = 0.0;
    const int st = f.template eval<G>(x, inc, &l, d);
    if (st) return st;
    lp += l;
    if (G)
      for (int k = 0; k < K; ++k)
        if (g[k]) g[k][i * stride[k]] += adj * d[k];
  }
  if (out) *out = lp;
  return MVC_DIST_OK;
}

inline bool is_fin(double x) { return std::isfinite(x); }
inline bool pos_finite(double x) { return x > 0 && std::isfinite(x); }

inline int set_error(mvc_dist_error* err, int status, int64_t index, const char* fmt, ...)
    __attribute__((format(printf, 4, 5)));
inline int set_error(mvc_dist_error* err, int status, int64_t index, const char* fmt, ...) {
  if (err) {
    err->status = status;
    err->index = index;
    va_list ap;
    va_start(ap, fmt);
    std::vsnprintf(err->message, sizeof err->message, fmt, ap);
    va_end(ap);
  }
  return status;
}

// ---- small dense linear algebra on column-major q x q arrays. QC > 0: compile-time size
// (the loops unroll); QC == 0: run-time size qd.
template <int QC>
struct LA {
  static int dim(int qd) { return QC > 0 ? QC : qd; }
  // |A[i,j] - A[j,i]| <= 1e-8 for all i > j (Stan's check_symmetric)
  static bool symmetric(const double* A, int qd) {
    const int q = dim(qd);
    for (int j = 0; j < q; ++j)
      for (int i = j + 1; i < q; ++i)
        if (!(std::fabs(A[i + j * q] - A[j + i * q]) <= 1e-8)) return false;
    return true;
  }
  // Lower Cholesky factor of the lower triangle of A into L (the upper triangle of L is set
  // to 0). Returns false unless A is numerically positive definite.
  static bool chol(const double* A, double* L, int qd) {
    const int q = dim(qd);
    for (int j = 0; j < q; ++j) {
      double s = A[j + j * q];
      for (int k = 0; k < j; ++k) s -= L[j + k * q] * L[j + k * q];
      if (!(s > 0) || !std::isfinite(s)) return false;
      const double ljj = std::sqrt(s), inv = 1.0 / ljj;
      L[j + j * q] = ljj;
      for (int i = 0; i < j; ++i) L[i + j * q] = 0.0;
      for (int i = j + 1; i < q; ++i) {
        double t = A[i + j * q];
        for (int k = 0; k < j; ++k) t -= L[i + k * q] * L[j + k * q];
        L[i + j * q] = t * inv;
      }
    }
    return true;
  }
  // x = L^-1 b (x may alias b)
  static void fsolve(const double* L, const double* b, double* x, int qd) {
    const int q = dim(qd);
    for (int i = 0; i < q; ++i) {
      double t = b[i];
      for (int k = 0; k < i; ++k) t -= L[i + k * q] * x[k];
      x[i] = t / L[i + i * q];
    }
  }
  // x = L^-T b (x may alias b)
  static void bsolve_t(const double* L, const double* b, double* x, int qd) {
    const int q = dim(qd);
    for (int i = q - 1; i >= 0; --i) {
      double t = b[i];
      for (int k = i + 1; k < q; ++k) t -= L[k + i * q] * x[k];
      x[i] = t / L[i + i * q];
    }
  }
  // Li = L^-1 (lower triangular; upper set to 0)
  static void inv_lower(const double* L, double* Li, int qd) {
    const int q = dim(qd);
    for (int j = 0; j < q; ++j) {
      for (int i = 0; i < j; ++i) Li[i + j * q] = 0.0;
      Li[j + j * q] = 1.0 / L[j + j * q];
      for (int i = j + 1; i < q; ++i) {
        double t = 0.0;
        for (int k = j; k < i; ++k) t -= L[i + k * q] * Li[k + j * q];
        Li[i + j * q] = t / L[i + i * q];
      }
    }
  }
  // P = Li^T Li (= A^-1 when Li = L^-1), full symmetric
  static void inv_from_inv_lower(const double* Li, double* P, int qd) {
    const int q = dim(qd);
    for (int j = 0; j < q; ++j)
      for (int i = j; i < q; ++i) {
        double t = 0.0;
        for (int k = i; k < q; ++k) t += Li[k + i * q] * Li[k + j * q];
        P[i + j * q] = t;
        P[j + i * q] = t;
      }
  }
  static double log_det_from_chol(const double* L, int qd) {
    const int q = dim(qd);
    double s = 0.0;
    for (int i = 0; i < q; ++i) s += std::log(L[i + i * q]);
    return 2.0 * s;
  }
};

// Scratch: a caller buffer, or a heap buffer owned by this object (only when none given).
struct Scratch {
  double* p = nullptr;
  std::vector<double> own;
  bool init(double* given, int64_t size) noexcept {
    if (given) {
      p = given;
      return true;
    }
    try {
      own.resize(static_cast<size_t>(size));
    } catch (...) {
      return false;
    }
    p = own.data();
    return true;
  }
};

inline int64_t scratch_size(int64_t q) { return 8 * q * q + 8 * q + 8; }

}  // namespace mvc::dist
