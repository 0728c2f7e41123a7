// Private helpers shared by runtime/math/transforms_*.cpp (not part of the ABI).
#ifndef MVC_RUNTIME_MATH_TRANSFORMS_UTIL_H
#define MVC_RUNTIME_MATH_TRANSFORMS_UTIL_H

#include <cmath>
#include <cstdarg>
#include <cstdint>
#include <cstdio>
#include <limits>

#include "mvc/transforms.h"

namespace mvc::tf {

// Stan's CONSTRAINT_TOLERANCE: simplex sums, unit norms, symmetry, unit diagonals.
constexpr double kTolerance = 1e-8;
constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kLog2 = 0.69314718055994530942;

// Writes a printf-style message into the caller's buffer (truncated,
// NUL-terminated; nothing when err is null) and returns MVC_TF_ERROR.
[[gnu::format(printf, 3, 4)]] inline int fail(char* err, int64_t err_len,
                                              const char* fmt, ...) {
  if (err != nullptr && err_len > 0) {
    va_list args;
    va_start(args, fmt);
    std::vsnprintf(err, static_cast<size_t>(err_len), fmt, args);
    va_end(args);
  }
  return MVC_TF_ERROR;
}

// "element 3 " for vectors longer than one, "" for a single value, so that
// messages read "element 3 is -1, but ..." or "value is -1, but ...".
struct ElementName {
  char text[48];
  ElementName(int64_t n, int64_t i) {
    if (n > 1)
      std::snprintf(text, sizeof text, "element %lld", static_cast<long long>(i + 1));
    else
      std::snprintf(text, sizeof text, "value");
  }
};

// Stan's inv_logit (prim/fun/inv_logit.hpp): exp(a) below log(epsilon).
inline double inv_logit(double a) {
  if (a < 0) {
    const double e = std::exp(a);
    if (a < -36.04365338911715)  // log(DBL_EPSILON)
      return e;
    return e / (1 + e);
  }
  return 1 / (1 + std::exp(-a));
}

// s = inv_logit(x) and t = 1 - s, both without cancellation.
inline void logistic_pair(double x, double& s, double& t) {
  if (x >= 0) {
    const double e = std::exp(-x);
    s = 1 / (1 + e);
    t = e / (1 + e);
  } else {
    const double e = std::exp(x);
    s = e / (1 + e);
    t = 1 / (1 + e);
  }
}

// log(1 - tanh(x)^2) = 2 (log 2 - |x| - log1p(exp(-2|x|))), finite for all x.
inline double log_sech2(double x) {
  const double a = std::fabs(x);
  return 2 * (kLog2 - a - std::log1p(std::exp(-2 * a)));
}

// sech(x) = 1 / cosh(x), underflowing to 0 instead of overflowing cosh.
inline double sech(double x) {
  const double e = std::exp(-std::fabs(x));
  return 2 * e / (1 + e * e);
}

inline double bound(const double* b, int64_t stride, int64_t i) { return b[i * stride]; }

// Lower Cholesky factor L (K x K, column-major, upper triangle set to 0) of
// the lower triangle of A. Returns false when a pivot is not positive (or NaN).
inline bool cholesky_lower(int64_t K, const double* A, double* L) {
  for (int64_t j = 0; j < K; ++j) {
    for (int64_t i = 0; i < j; ++i) L[i + j * K] = 0;
    double d = A[j + j * K];
    for (int64_t k = 0; k < j; ++k) d -= L[j + k * K] * L[j + k * K];
    if (!(d > 0) || !std::isfinite(d)) return false;
    const double ljj = std::sqrt(d);
    L[j + j * K] = ljj;
    for (int64_t i = j + 1; i < K; ++i) {
      double v = A[i + j * K];
      for (int64_t k = 0; k < j; ++k) v -= L[i + k * K] * L[j + k * K];
      L[i + j * K] = v / ljj;
    }
  }
  return true;
}

}  // namespace mvc::tf

#endif  // MVC_RUNTIME_MATH_TRANSFORMS_UTIL_H
