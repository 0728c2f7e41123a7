// Log CDFs and log complementary CDFs (for truncation T[L, U]): normal, exponential,
// lognormal, uniform, weibull, poisson. Always normalised (no propto). Outside the support
// they return -inf or 0 as Stan does; invalid parameters return MVC_DIST_ERR_DOMAIN.
// Where the value is -inf the partials are reported as 0.
#include "dist_common.h"

namespace mvc::dist {
namespace {

#define MVC_PARTIAL(k, v) \
  do {                    \
    if (G) d[k] = (v);    \
  } while (0)

template <bool Upper>  // Upper: lccdf
struct NormalCdf {
  static constexpr int K = 3;
  template <bool G>
  int eval(const double* x, Inc, double* lp, double* d) {
    const double y = x[0], mu = x[1], s = x[2];
    if (std::isnan(y) || !is_fin(mu) || !pos_finite(s)) return MVC_DIST_ERR_DOMAIN;
    const double inv = 1.0 / s, z = (y - mu) * inv, zz = Upper ? -z : z;
    const double l = log_Phi(zz);
    double dz = 0;
    if (G && std::isfinite(z) && l > -kInf) dz = (Upper ? -1.0 : 1.0) * dlog_Phi(zz, l);
    *lp = l;
    MVC_PARTIAL(0, dz * inv); MVC_PARTIAL(1, -dz * inv); MVC_PARTIAL(2, -dz * z * inv);
    return 0;
  }
};

template <bool Upper>
struct ExponentialCdf {
  static constexpr int K = 2;
  template <bool G>
  int eval(const double* x, Inc, double* lp, double* d) {
    const double y = x[0], b = x[1];
    if (std::isnan(y) || !pos_finite(b)) return MVC_DIST_ERR_DOMAIN;
    double l, dy = 0, db = 0;
    if (y <= 0) {
      l = Upper ? 0.0 : (y < 0 ? -kInf : -kInf);
    } else if (Upper) {
      l = -b * y; dy = -b; db = -y;
    } else {
      const double t = b * y;
      l = std::log(-std::expm1(-t));
      const double r = std::isfinite(t) ? 1.0 / std::expm1(t) : 0.0;
      if (std::isfinite(y)) { dy = b * r; db = y * r; }
    }
    *lp = l;
    MVC_PARTIAL(0, dy); MVC_PARTIAL(1, db);
    return 0;
  }
};

template <bool Upper>
struct LognormalCdf {
  static constexpr int K = 3;
  template <bool G>
  int eval(const double* x, Inc, double* lp, double* d) {
    const double y = x[0], mu = x[1], s = x[2];
    if (std::isnan(y) || !is_fin(mu) || !pos_finite(s)) return MVC_DIST_ERR_DOMAIN;
    double dy = 0, dmu = 0, ds = 0, l;
    if (y <= 0) {
      l = Upper ? 0.0 : -kInf;
    } else {
      const double inv = 1.0 / s, z = (std::log(y) - mu) * inv, zz = Upper ? -z : z;
      l = log_Phi(zz);
      if (G && std::isfinite(z) && l > -kInf) {
        const double dz = (Upper ? -1.0 : 1.0) * dlog_Phi(zz, l);
        dy = dz * inv / y; dmu = -dz * inv; ds = -dz * z * inv;
      }
    }
    *lp = l;
    MVC_PARTIAL(0, dy); MVC_PARTIAL(1, dmu); MVC_PARTIAL(2, ds);
    return 0;
  }
};

template <bool Upper>
struct UniformCdf {
  static constexpr int K = 3;
  template <bool G>
  int eval(const double* x, Inc, double* lp, double* d) {
    const double y = x[0], a = x[1], b = x[2];
    if (std::isnan(y) || !is_fin(a) || !is_fin(b) || !(a < b)) return MVC_DIST_ERR_DOMAIN;
    double l, dy = 0, da = 0, db = 0;
    const double w = b - a;
    if (y <= a) {
      l = Upper ? 0.0 : -kInf;
    } else if (y >= b) {
      l = Upper ? -kInf : 0.0;
    } else if (!Upper) {
      l = std::log(y - a) - std::log(w);
      dy = 1.0 / (y - a); da = -1.0 / (y - a) + 1.0 / w; db = -1.0 / w;
    } else {
      l = std::log(b - y) - std::log(w);
      dy = -1.0 / (b - y); db = 1.0 / (b - y) - 1.0 / w; da = 1.0 / w;
    }
    *lp = l;
    MVC_PARTIAL(0, dy); MVC_PARTIAL(1, da); MVC_PARTIAL(2, db);
    return 0;
  }
};

template <bool Upper>
struct WeibullCdf {
  static constexpr int K = 3;
  template <bool G>
  int eval(const double* x, Inc, double* lp, double* d) {
    const double y = x[0], a = x[1], s = x[2];
    if (std::isnan(y) || !pos_finite(a) || !pos_finite(s)) return MVC_DIST_ERR_DOMAIN;
    double l, dy = 0, da = 0, ds = 0;
    if (y <= 0) {
      l = Upper ? 0.0 : -kInf;
    } else {
      const double lr = std::log(y / s), t = std::exp(a * lr);  // (y / sigma)^alpha
      double dt;                                                  // d value / dt
      if (Upper) { l = -t; dt = -1.0; }
      else { l = std::log(-std::expm1(-t)); dt = std::isfinite(t) ? 1.0 / std::expm1(t) : 0.0; }
      if (std::isfinite(y) && l > -kInf) {
        dy = dt * a * t / y; da = dt * t * lr; ds = -dt * a * t / s;
      }
    }
    *lp = l;
    MVC_PARTIAL(0, dy); MVC_PARTIAL(1, da); MVC_PARTIAL(2, ds);
    return 0;
  }
};

// poisson: cdf(n | lambda) = Q(n + 1, lambda), ccdf = P(n + 1, lambda);
// d cdf / d lambda = -pmf(n).
template <bool Upper>
struct PoissonCdf {
  static constexpr int K = 2;
  template <bool G>
  int eval(const double* x, Inc, double* lp, double* d) {
    const double n = x[0], lam = x[1];
    if (!(lam >= 0) || !is_fin(lam)) return MVC_DIST_ERR_DOMAIN;
    double l, dl = 0;
    if (n < 0) {
      l = Upper ? 0.0 : -kInf;
    } else {
      double lp_, lq_;
      log_gamma_pq(n + 1.0, lam, &lp_, &lq_);
      l = Upper ? lp_ : lq_;
      if (G && lam > 0 && l > -kInf) {
        const double lpmf = n * std::log(lam) - lam - lgam(n + 1.0);
        dl = (Upper ? 1.0 : -1.0) * std::exp(lpmf - l);
      }
    }
    *lp = l;
    MVC_PARTIAL(0, 0.0); MVC_PARTIAL(1, dl);
    return 0;
  }
};

}  // namespace
}  // namespace mvc::dist

using namespace mvc::dist;

#define MVC_CDF2(name, kind, F, T0)                                                           \
  extern "C" int mvc_##name##_##kind(const T0* a0, int64_t n0, const double* a1, int64_t n1, \
                                     double* out) noexcept {                                 \
    const Arg a[2] = {MVC_ARG_##T0(a0, n0), {a1, nullptr, n1}};                              \
    return run_uni<F, false>(a, ~0u, 0, out, 0.0, nullptr);                                   \
  }                                                                                           \
  extern "C" int mvc_##name##_##kind##_grad(const T0* a0, int64_t n0, const double* a1,      \
                                            int64_t n1, double adj, MVC_G_##T0(g0)          \
                                            double* g1) noexcept {                           \
    const Arg a[2] = {MVC_ARG_##T0(a0, n0), {a1, nullptr, n1}};                              \
    double* const g[2] = {MVC_GP_##T0(g0), g1};                                               \
    return run_uni<F, true>(a, ~0u, 0, nullptr, adj, g);                                     \
  }
#define MVC_ARG_double(p, n) {p, nullptr, n}
#define MVC_ARG_int32_t(p, n) {nullptr, p, n}
#define MVC_G_double(g) double* g,
#define MVC_G_int32_t(g)
#define MVC_GP_double(g) g
#define MVC_GP_int32_t(g) nullptr

#define MVC_CDF3(name, kind, F)                                                              \
  extern "C" int mvc_##name##_##kind(const double* a0, int64_t n0, const double* a1,        \
                                     int64_t n1, const double* a2, int64_t n2,              \
                                     double* out) noexcept {                                 \
    const Arg a[3] = {{a0, nullptr, n0}, {a1, nullptr, n1}, {a2, nullptr, n2}};              \
    return run_uni<F, false>(a, ~0u, 0, out, 0.0, nullptr);                                   \
  }                                                                                           \
  extern "C" int mvc_##name##_##kind##_grad(const double* a0, int64_t n0, const double* a1, \
                                            int64_t n1, const double* a2, int64_t n2,       \
                                            double adj, double* g0, double* g1,             \
                                            double* g2) noexcept {                           \
    const Arg a[3] = {{a0, nullptr, n0}, {a1, nullptr, n1}, {a2, nullptr, n2}};              \
    double* const g[3] = {g0, g1, g2};                                                        \
    return run_uni<F, true>(a, ~0u, 0, nullptr, adj, g);                                     \
  }

MVC_CDF3(normal, lcdf, NormalCdf<false>)
MVC_CDF3(normal, lccdf, NormalCdf<true>)
MVC_CDF2(exponential, lcdf, ExponentialCdf<false>, double)
MVC_CDF2(exponential, lccdf, ExponentialCdf<true>, double)
MVC_CDF3(lognormal, lcdf, LognormalCdf<false>)
MVC_CDF3(lognormal, lccdf, LognormalCdf<true>)
MVC_CDF3(uniform, lcdf, UniformCdf<false>)
MVC_CDF3(uniform, lccdf, UniformCdf<true>)
MVC_CDF3(weibull, lcdf, WeibullCdf<false>)
MVC_CDF3(weibull, lccdf, WeibullCdf<true>)
MVC_CDF2(poisson, lcdf, PoissonCdf<false>, int32_t)
MVC_CDF2(poisson, lccdf, PoissonCdf<true>, int32_t)
