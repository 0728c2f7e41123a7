// Univariate continuous densities: normal, std_normal, cauchy, student_t, double_exponential,
// logistic, exponential, gamma, inv_gamma, lognormal, chi_square, beta, uniform, weibull,
// rayleigh, pareto, gumbel, frechet, inv_chi_square, skew_normal, exp_mod_normal, von_mises.
// Each family is one struct: eval<G> computes one element's kept terms (the propto rule of
// mvc/distributions.h with Stan's grouping of terms) and, when G, their partials.
// Argument bits: Y = the variate, A = first parameter, B = second, C = third (student_t).
#include "special.h"

namespace mvc::dist {
namespace {

constexpr uint32_t Y = 1, A = 2, B = 4, C = 8;

#define MVC_PARTIAL(k, v) \
  do {                    \
    if (G) d[k] = (v);    \
  } while (0)

// normal(y | mu, sigma) = -0.5 log(2 pi) - log sigma - 0.5 z^2, z = (y - mu) / sigma
struct Normal {
  static constexpr int K = 3;
  Memo log_s;
  template <bool G>
  int eval(const double* x, Inc inc, double* lp, double* d) {
    const double y = x[0], mu = x[1], s = x[2];
    if (std::isnan(y) || !is_fin(mu) || !pos_finite(s)) return MVC_DIST_ERR_DOMAIN;
    const double inv = 1.0 / s, z = (y - mu) * inv;
    double l = 0, ds = 0, dz = 0;
    if (inc(0)) l -= kLogSqrt2Pi;
    if (inc(B)) { l -= log_s(s, [](double v) { return std::log(v); }); ds -= inv; }
    if (inc(Y | A | B)) { l -= 0.5 * z * z; dz = -z * inv; ds += z * z * inv; }
    *lp = l;
    MVC_PARTIAL(0, dz); MVC_PARTIAL(1, -dz); MVC_PARTIAL(2, ds);
    return 0;
  }
};

// std_normal(y) = -0.5 log(2 pi) - 0.5 y^2
struct StdNormal {
  static constexpr int K = 1;
  template <bool G>
  int eval(const double* x, Inc inc, double* lp, double* d) {
    const double y = x[0];
    if (std::isnan(y)) return MVC_DIST_ERR_DOMAIN;
    double l = 0, dy = 0;
    if (inc(0)) l -= kLogSqrt2Pi;
    if (inc(Y)) { l -= 0.5 * y * y; dy = -y; }
    *lp = l;
    MVC_PARTIAL(0, dy);
    return 0;
  }
};

// cauchy(y | mu, sigma) = -log pi - log sigma - log1p(z^2)
struct Cauchy {
  static constexpr int K = 3;
  Memo log_s;
  template <bool G>
  int eval(const double* x, Inc inc, double* lp, double* d) {
    const double y = x[0], mu = x[1], s = x[2];
    if (std::isnan(y) || !is_fin(mu) || !pos_finite(s)) return MVC_DIST_ERR_DOMAIN;
    const double inv = 1.0 / s, z = (y - mu) * inv;
    double l = 0, ds = 0, dz = 0;
    if (inc(0)) l -= kLogPi;
    if (inc(B)) { l -= log_s(s, [](double v) { return std::log(v); }); ds -= inv; }
    if (inc(Y | A | B)) {
      const double z2 = z * z;
      l -= std::log1p(z2);
      dz = -2.0 * z / (1.0 + z2) * inv;
      ds += 2.0 * z2 / (1.0 + z2) * inv;
    }
    *lp = l;
    MVC_PARTIAL(0, dz); MVC_PARTIAL(1, -dz); MVC_PARTIAL(2, ds);
    return 0;
  }
};

// student_t(y | nu, mu, sigma) = lgamma((nu+1)/2) - lgamma(nu/2) - 0.5 log nu - 0.5 log pi
//   - log sigma - (nu+1)/2 log1p(z^2 / nu)
struct StudentT {
  static constexpr int K = 4;
  static constexpr uint32_t NU = A, MU = B, S = C, ALL = Y | A | B | C;
  Memo log_s, cnu, dcnu;
  template <bool G>
  int eval(const double* x, Inc inc, double* lp, double* d) {
    const double y = x[0], nu = x[1], mu = x[2], s = x[3];
    if (std::isnan(y) || !pos_finite(nu) || !is_fin(mu) || !pos_finite(s))
      return MVC_DIST_ERR_DOMAIN;
    const double inv = 1.0 / s, z = (y - mu) * inv;
    double l = 0, dz = 0, ds = 0, dnu = 0;
    if (inc(0)) l -= kLogSqrtPi;
    if (inc(NU)) {
      l += cnu(nu, [](double v) { return lgam(0.5 * v + 0.5) - lgam(0.5 * v) - 0.5 * std::log(v); });
      if (G) dnu += dcnu(nu, [](double v) {
        return 0.5 * digamma(0.5 * v + 0.5) - 0.5 * digamma(0.5 * v) - 0.5 / v;
      });
    }
    if (inc(S)) { l -= log_s(s, [](double v) { return std::log(v); }); ds -= inv; }
    if (inc(ALL)) {
      const double t = z * z / nu, L1 = std::log1p(t);
      l -= 0.5 * (nu + 1.0) * L1;
      dz = -(nu + 1.0) * z / (nu * (1.0 + t)) * inv;
      ds += (nu + 1.0) * t / (1.0 + t) * inv;
      dnu += -0.5 * L1 + 0.5 * (nu + 1.0) * t / (nu * (1.0 + t));
    }
    *lp = l;
    MVC_PARTIAL(0, dz); MVC_PARTIAL(1, dnu); MVC_PARTIAL(2, -dz); MVC_PARTIAL(3, ds);
    return 0;
  }
};

// double_exponential(y | mu, sigma) = -log 2 - log sigma - |y - mu| / sigma
struct DoubleExponential {
  static constexpr int K = 3;
  Memo log_s;
  template <bool G>
  int eval(const double* x, Inc inc, double* lp, double* d) {
    const double y = x[0], mu = x[1], s = x[2];
    if (!is_fin(y) || !is_fin(mu) || !pos_finite(s)) return MVC_DIST_ERR_DOMAIN;
    const double inv = 1.0 / s, r = y - mu;
    double l = 0, dy = 0, ds = 0;
    if (inc(0)) l -= kLog2;
    if (inc(B)) { l -= log_s(s, [](double v) { return std::log(v); }); ds -= inv; }
    if (inc(Y | A | B)) {
      l -= std::fabs(r) * inv;
      dy = r > 0 ? -inv : (r < 0 ? inv : 0.0);
      ds += std::fabs(r) * inv * inv;
    }
    *lp = l;
    MVC_PARTIAL(0, dy); MVC_PARTIAL(1, -dy); MVC_PARTIAL(2, ds);
    return 0;
  }
};

// logistic(y | mu, sigma) = -log sigma - z - 2 log1p(exp(-z))   (symmetric in z)
struct Logistic {
  static constexpr int K = 3;
  Memo log_s;
  template <bool G>
  int eval(const double* x, Inc inc, double* lp, double* d) {
    const double y = x[0], mu = x[1], s = x[2];
    if (!is_fin(y) || !is_fin(mu) || !pos_finite(s)) return MVC_DIST_ERR_DOMAIN;
    const double inv = 1.0 / s, z = (y - mu) * inv;
    double l = 0, dy = 0, ds = 0;
    if (inc(B)) { l -= log_s(s, [](double v) { return std::log(v); }); ds -= inv; }
    if (inc(Y | A | B)) {
      const double az = std::fabs(z);
      l += -az - 2.0 * std::log1p(std::exp(-az));
      const double fz = -std::tanh(0.5 * z);  // d/dz
      dy = fz * inv;
      ds += -fz * z * inv;
    }
    *lp = l;
    MVC_PARTIAL(0, dy); MVC_PARTIAL(1, -dy); MVC_PARTIAL(2, ds);
    return 0;
  }
};

// exponential(y | beta) = log beta - beta y,  y >= 0
struct Exponential {
  static constexpr int K = 2;
  Memo log_b;
  template <bool G>
  int eval(const double* x, Inc inc, double* lp, double* d) {
    const double y = x[0], b = x[1];
    if (!pos_finite(b) || !(y >= 0)) return MVC_DIST_ERR_DOMAIN;
    double l = 0, dy = 0, db = 0;
    if (inc(A)) { l += log_b(b, [](double v) { return std::log(v); }); db += 1.0 / b; }
    if (inc(Y | A)) { l -= b * y; dy = -b; db -= y; }
    *lp = l;
    MVC_PARTIAL(0, dy); MVC_PARTIAL(1, db);
    return 0;
  }
};

// gamma(y | alpha, beta) = -lgamma(alpha) + alpha log beta + (alpha - 1) log y - beta y
struct Gamma {
  static constexpr int K = 3;
  Memo lga, dga, log_b;
  template <bool G>
  int eval(const double* x, Inc inc, double* lp, double* d) {
    const double y = x[0], a = x[1], b = x[2];
    if (!pos_finite(a) || !pos_finite(b) || !pos_finite(y)) return MVC_DIST_ERR_DOMAIN;
    double l = 0, dy = 0, da = 0, db = 0;
    if (inc(A)) {
      l -= lga(a, [](double v) { return lgam(v); });
      if (G) da -= dga(a, [](double v) { return digamma(v); });
    }
    if (inc(A | B)) {
      const double lb = log_b(b, [](double v) { return std::log(v); });
      l += a * lb; da += lb; db += a / b;
    }
    if (inc(Y | A)) { const double ly = std::log(y); l += (a - 1) * ly; dy += (a - 1) / y; da += ly; }
    if (inc(Y | B)) { l -= b * y; dy -= b; db -= y; }
    *lp = l;
    MVC_PARTIAL(0, dy); MVC_PARTIAL(1, da); MVC_PARTIAL(2, db);
    return 0;
  }
};

// inv_gamma(y | alpha, beta) = -lgamma(alpha) + alpha log beta - (alpha + 1) log y - beta / y
struct InvGamma {
  static constexpr int K = 3;
  Memo lga, dga, log_b;
  template <bool G>
  int eval(const double* x, Inc inc, double* lp, double* d) {
    const double y = x[0], a = x[1], b = x[2];
    if (!pos_finite(a) || !pos_finite(b) || !pos_finite(y)) return MVC_DIST_ERR_DOMAIN;
    double l = 0, dy = 0, da = 0, db = 0;
    if (inc(A)) {
      l -= lga(a, [](double v) { return lgam(v); });
      if (G) da -= dga(a, [](double v) { return digamma(v); });
    }
    if (inc(A | B)) {
      const double lb = log_b(b, [](double v) { return std::log(v); });
      l += a * lb; da += lb; db += a / b;
    }
    if (inc(Y | A)) { const double ly = std::log(y); l -= (a + 1) * ly; dy -= (a + 1) / y; da -= ly; }
    if (inc(Y | B)) { const double iy = 1.0 / y; l -= b * iy; dy += b * iy * iy; db -= iy; }
    *lp = l;
    MVC_PARTIAL(0, dy); MVC_PARTIAL(1, da); MVC_PARTIAL(2, db);
    return 0;
  }
};

// lognormal(y | mu, sigma) = -0.5 log(2 pi) - log sigma - log y - 0.5 ((log y - mu)/sigma)^2
struct Lognormal {
  static constexpr int K = 3;
  Memo log_s;
  template <bool G>
  int eval(const double* x, Inc inc, double* lp, double* d) {
    const double y = x[0], mu = x[1], s = x[2];
    if (!is_fin(mu) || !pos_finite(s) || !pos_finite(y)) return MVC_DIST_ERR_DOMAIN;
    const double inv = 1.0 / s, ly = std::log(y), z = (ly - mu) * inv;
    double l = 0, dy = 0, dmu = 0, ds = 0;
    if (inc(0)) l -= kLogSqrt2Pi;
    if (inc(B)) { l -= log_s(s, [](double v) { return std::log(v); }); ds -= inv; }
    if (inc(Y)) { l -= ly; dy -= 1.0 / y; }
    if (inc(Y | A | B)) {
      l -= 0.5 * z * z;
      dy -= z * inv / y; dmu = z * inv; ds += z * z * inv;
    }
    *lp = l;
    MVC_PARTIAL(0, dy); MVC_PARTIAL(1, dmu); MVC_PARTIAL(2, ds);
    return 0;
  }
};

// chi_square(y | nu) = -(nu/2) log 2 - lgamma(nu/2) + (nu/2 - 1) log y - y/2
struct ChiSquare {
  static constexpr int K = 2;
  Memo c, dc;
  template <bool G>
  int eval(const double* x, Inc inc, double* lp, double* d) {
    const double y = x[0], nu = x[1];
    if (!pos_finite(nu) || !pos_finite(y)) return MVC_DIST_ERR_DOMAIN;
    double l = 0, dy = 0, dnu = 0;
    if (inc(A)) {
      l += c(nu, [](double v) { return -0.5 * v * kLog2 - lgam(0.5 * v); });
      if (G) dnu += dc(nu, [](double v) { return -0.5 * kLog2 - 0.5 * digamma(0.5 * v); });
    }
    if (inc(Y | A)) {
      const double ly = std::log(y);
      l += (0.5 * nu - 1) * ly; dy += (0.5 * nu - 1) / y; dnu += 0.5 * ly;
    }
    if (inc(Y)) { l -= 0.5 * y; dy -= 0.5; }
    *lp = l;
    MVC_PARTIAL(0, dy); MVC_PARTIAL(1, dnu);
    return 0;
  }
};

// beta(y | a, b) = lgamma(a+b) - lgamma(a) - lgamma(b) + (a-1) log y + (b-1) log1m(y), 0<y<1
struct Beta {
  static constexpr int K = 3;
  Memo lga, lgb, dga, dgb;
  template <bool G>
  int eval(const double* x, Inc inc, double* lp, double* d) {
    const double y = x[0], a = x[1], b = x[2];
    if (!pos_finite(a) || !pos_finite(b) || !(y > 0 && y < 1)) return MVC_DIST_ERR_DOMAIN;
    double l = 0, dy = 0, da = 0, db = 0;
    if (inc(A)) {
      l -= lga(a, [](double v) { return lgam(v); });
      if (G) da -= dga(a, [](double v) { return digamma(v); });
    }
    if (inc(B)) {
      l -= lgb(b, [](double v) { return lgam(v); });
      if (G) db -= dgb(b, [](double v) { return digamma(v); });
    }
    if (inc(A | B)) {
      l += lgam(a + b);
      if (G) { const double p = digamma(a + b); da += p; db += p; }
    }
    if (inc(Y | A)) { const double ly = std::log(y); l += (a - 1) * ly; dy += (a - 1) / y; da += ly; }
    if (inc(Y | B)) {
      const double l1 = log1m(y);
      l += (b - 1) * l1; dy -= (b - 1) / (1 - y); db += l1;
    }
    *lp = l;
    MVC_PARTIAL(0, dy); MVC_PARTIAL(1, da); MVC_PARTIAL(2, db);
    return 0;
  }
};

// uniform(y | a, b) = -log(b - a),  a <= y <= b
struct Uniform {
  static constexpr int K = 3;
  template <bool G>
  int eval(const double* x, Inc inc, double* lp, double* d) {
    const double y = x[0], a = x[1], b = x[2];
    if (!is_fin(a) || !is_fin(b) || !(a < b) || !(y >= a && y <= b)) return MVC_DIST_ERR_DOMAIN;
    double l = 0, da = 0, db = 0;
    if (inc(A | B)) { const double w = b - a; l -= std::log(w); da = 1.0 / w; db = -1.0 / w; }
    *lp = l;
    MVC_PARTIAL(0, 0.0); MVC_PARTIAL(1, da); MVC_PARTIAL(2, db);
    return 0;
  }
};

// weibull(y | alpha, sigma) = log alpha + (alpha-1) log y - alpha log sigma - (y/sigma)^alpha
struct Weibull {
  static constexpr int K = 3;
  template <bool G>
  int eval(const double* x, Inc inc, double* lp, double* d) {
    const double y = x[0], a = x[1], s = x[2];
    if (!pos_finite(a) || !pos_finite(s) || !pos_finite(y)) return MVC_DIST_ERR_DOMAIN;
    double l = 0, dy = 0, da = 0, ds = 0;
    if (inc(A)) { l += std::log(a); da += 1.0 / a; }
    const double ly = std::log(y), ls = std::log(s);
    if (inc(Y | A)) { l += (a - 1) * ly; dy += (a - 1) / y; da += ly; }
    if (inc(A | B)) { l -= a * ls; da -= ls; ds -= a / s; }
    if (inc(Y | A | B)) {
      const double lr = ly - ls, t = std::exp(a * lr);  // (y/sigma)^alpha
      l -= t;
      dy -= a * t / y; da -= t * lr; ds += a * t / s;
    }
    *lp = l;
    MVC_PARTIAL(0, dy); MVC_PARTIAL(1, da); MVC_PARTIAL(2, ds);
    return 0;
  }
};

// rayleigh(y | sigma) = log y - 2 log sigma - y^2 / (2 sigma^2)
struct Rayleigh {
  static constexpr int K = 2;
  template <bool G>
  int eval(const double* x, Inc inc, double* lp, double* d) {
    const double y = x[0], s = x[1];
    if (!(y >= 0) || !std::isfinite(y) || !pos_finite(s)) return MVC_DIST_ERR_DOMAIN;
    double l = 0, dy = 0, ds = 0;
    if (inc(Y)) { l += std::log(y); dy += 1 / y; }
    if (inc(A)) { l -= 2 * std::log(s); ds -= 2 / s; }
    if (inc(Y | A)) { l -= y * y / (2 * s * s); dy -= y / (s * s); ds += y * y / (s * s * s); }
    *lp = l;
    MVC_PARTIAL(0, dy); MVC_PARTIAL(1, ds);
    return 0;
  }
};

// pareto(y | y_min, alpha) = log alpha + alpha log y_min - (alpha + 1) log y for y >= y_min
// (log 0 below y_min, as Stan).
struct Pareto {
  static constexpr int K = 3;
  template <bool G>
  int eval(const double* x, Inc inc, double* lp, double* d) {
    const double y = x[0], m = x[1], a = x[2];
    if (!std::isfinite(y) || !pos_finite(m) || !pos_finite(a)) return MVC_DIST_ERR_DOMAIN;
    if (y < m) {
      *lp = -HUGE_VAL;
      MVC_PARTIAL(0, 0.0); MVC_PARTIAL(1, 0.0); MVC_PARTIAL(2, 0.0);
      return 0;
    }
    double l = 0, dy = 0, dm = 0, da = 0;
    const double ly = std::log(y), lm = std::log(m);
    if (inc(B)) { l += std::log(a); da += 1 / a; }
    if (inc(A | B)) { l += a * lm; dm += a / m; da += lm; }
    if (inc(Y | B)) { l -= (a + 1) * ly; dy -= (a + 1) / y; da -= ly; }
    *lp = l;
    MVC_PARTIAL(0, dy); MVC_PARTIAL(1, dm); MVC_PARTIAL(2, da);
    return 0;
  }
};

// gumbel(y | mu, beta) = -log beta - z - exp(-z), z = (y - mu) / beta
struct Gumbel {
  static constexpr int K = 3;
  template <bool G>
  int eval(const double* x, Inc inc, double* lp, double* d) {
    const double y = x[0], mu = x[1], b = x[2];
    if (!std::isfinite(y) || !std::isfinite(mu) || !pos_finite(b)) return MVC_DIST_ERR_DOMAIN;
    double l = 0, dy = 0, dmu = 0, db = 0;
    if (inc(B)) { l -= std::log(b); db -= 1 / b; }
    if (inc(Y | A | B)) {
      const double z = (y - mu) / b, e = std::exp(-z);
      l += -z - e;
      dy += (e - 1) / b; dmu -= (e - 1) / b; db += (z - z * e) / b;
    }
    *lp = l;
    MVC_PARTIAL(0, dy); MVC_PARTIAL(1, dmu); MVC_PARTIAL(2, db);
    return 0;
  }
};

// frechet(y | alpha, sigma) = log alpha + alpha log sigma - (1 + alpha) log y - (y / sigma)^-alpha
struct Frechet {
  static constexpr int K = 3;
  template <bool G>
  int eval(const double* x, Inc inc, double* lp, double* d) {
    const double y = x[0], a = x[1], s = x[2];
    if (!pos_finite(y) || !pos_finite(a) || !pos_finite(s)) return MVC_DIST_ERR_DOMAIN;
    double l = 0, dy = 0, da = 0, ds = 0;
    const double ly = std::log(y), ls = std::log(s);
    if (inc(A)) { l += std::log(a); da += 1 / a; }
    if (inc(A | B)) { l += a * ls; da += ls; ds += a / s; }
    if (inc(Y | A)) { l -= (1 + a) * ly; dy -= (1 + a) / y; da -= ly; }
    if (inc(Y | A | B)) {
      const double t = std::exp(-a * (ly - ls));  // (y / sigma)^-alpha
      l -= t;
      dy += a * t / y; da += t * (ly - ls); ds -= a * t / s;
    }
    *lp = l;
    MVC_PARTIAL(0, dy); MVC_PARTIAL(1, da); MVC_PARTIAL(2, ds);
    return 0;
  }
};

// skew_normal(y | xi, omega, alpha) = -log(2 pi)/2 - log omega - z^2/2 + log erfc(-alpha z / sqrt 2),
// z = (y - xi) / omega; d/dt log erfc(t) = -2/sqrt(pi) exp(-t^2) / erfc(t).
struct SkewNormal {
  static constexpr int K = 4;
  template <bool G>
  int eval(const double* x, Inc inc, double* lp, double* d) {
    const double y = x[0], xi = x[1], om = x[2], al = x[3];
    if (!std::isfinite(y) || !std::isfinite(xi) || !pos_finite(om) || !std::isfinite(al)) return MVC_DIST_ERR_DOMAIN;
    const double z = (y - xi) / om;
    double l = 0, dz = 0, dom = 0, dal = 0;
    if (inc(0)) l -= 0.5 * std::log(2 * M_PI);
    if (inc(B)) { l -= std::log(om); dom -= 1 / om; }
    if (inc(Y | A | B)) { l -= 0.5 * z * z; dz -= z; }
    if (inc(Y | A | B | C)) {
      const double t = -al * z / std::sqrt(2.0), ec = std::erfc(t);
      l += std::log(ec);
      const double g = -2 / std::sqrt(M_PI) * std::exp(-t * t) / ec;
      dz += g * (-al / std::sqrt(2.0));
      dal += g * (-z / std::sqrt(2.0));
    }
    *lp = l;
    MVC_PARTIAL(0, dz / om); MVC_PARTIAL(1, -dz / om); MVC_PARTIAL(2, dom - dz * z / om); MVC_PARTIAL(3, dal);
    return 0;
  }
};

// inv_chi_square(y | nu) = -(nu / 2) log 2 - lgamma(nu / 2) - (nu / 2 + 1) log y - 1 / (2 y)
struct InvChiSquare {
  static constexpr int K = 2;
  template <bool G>
  int eval(const double* x, Inc inc, double* lp, double* d) {
    const double y = x[0], nu = x[1];
    if (!pos_finite(y) || !pos_finite(nu)) return MVC_DIST_ERR_DOMAIN;
    double l = 0, dy = 0, dnu = 0;
    const double ly = std::log(y);
    if (inc(A)) {
      l -= 0.5 * nu * std::log(2.0) + lgam(0.5 * nu);
      if (G) dnu -= 0.5 * std::log(2.0) + 0.5 * digamma(0.5 * nu);
    }
    if (inc(Y | A)) { l -= (0.5 * nu + 1) * ly; dy -= (0.5 * nu + 1) / y; dnu -= 0.5 * ly; }
    if (inc(Y)) { l -= 0.5 / y; dy += 0.5 / (y * y); }
    *lp = l;
    MVC_PARTIAL(0, dy); MVC_PARTIAL(1, dnu);
    return 0;
  }
};


// exp_mod_normal(y | mu, sigma, lambda) = log lambda + v + log Phi(w) (Stan's
// -log 2 + log erfc(-w / sqrt 2), with its -log 2 the constant), v = lambda (mu +
// lambda sigma^2 / 2 - y), w = (y - mu) / sigma - lambda sigma.
struct ExpModNormal {
  static constexpr int K = 4;
  template <bool G>
  int eval(const double* x, Inc inc, double* lp, double* d) {
    const double y = x[0], mu = x[1], s = x[2], la = x[3];
    if (std::isnan(y) || !is_fin(mu) || !pos_finite(s) || !pos_finite(la)) return MVC_DIST_ERR_DOMAIN;
    double l = 0, dy = 0, dmu = 0, ds = 0, dla = 0;
    if (inc(0)) l -= kLog2;
    if (inc(C)) { l += std::log(la); dla += 1 / la; }
    if (inc(Y | A | B | C)) {
      const double w = (y - mu) / s - la * s, lphi = log_Phi(w);
      l += la * (mu + 0.5 * la * s * s - y) + lphi + kLog2;
      const double r = G && std::isfinite(w) ? dlog_Phi(w, lphi) : 0.0;
      dy += -la + r / s;
      dmu += la - r / s;
      ds += la * la * s + r * (-(y - mu) / (s * s) - la);
      dla += mu + la * s * s - y - r * s;
    }
    *lp = l;
    MVC_PARTIAL(0, dy); MVC_PARTIAL(1, dmu); MVC_PARTIAL(2, ds); MVC_PARTIAL(3, dla);
    return 0;
  }
};

// von_mises(y | mu, kappa) = -log(2 pi) - log I0(kappa) + kappa cos(y - mu);
// d/dkappa log I0 = I1 / I0.
struct VonMises {
  static constexpr int K = 3;
  Memo log_i0, a1;
  template <bool G>
  int eval(const double* x, Inc inc, double* lp, double* d) {
    const double y = x[0], mu = x[1], k = x[2];
    if (!is_fin(y) || !is_fin(mu) || !(k >= 0) || !is_fin(k)) return MVC_DIST_ERR_DOMAIN;
    double l = 0, dy = 0, dk = 0;
    if (inc(0)) l -= std::log(2 * M_PI);
    if (inc(B)) {
      l -= log_i0(k, [](double v) { return log_bessel_i0(v); });
      if (G) dk -= a1(k, [](double v) {
        std::vector<double> r;
        bessel_ratios_t(v, 1, r);
        return r[0];
      });
    }
    if (inc(Y | A | B)) {
      const double c = std::cos(y - mu);
      l += k * c;
      dy = -k * std::sin(y - mu);
      dk += c;
    }
    *lp = l;
    MVC_PARTIAL(0, dy); MVC_PARTIAL(1, -dy); MVC_PARTIAL(2, dk);
    return 0;
  }
};

}  // namespace
}  // namespace mvc::dist

using namespace mvc::dist;

#define MVC_DEF1(name, F)                                                                   \
  extern "C" int mvc_##name##_lpdf(const double* a0, int64_t n0, uint32_t active,        \
                                   int propto, double* out) noexcept {                   \
    const Arg a[1] = {{a0, nullptr, n0}};                                                  \
    return run_uni<F, false>(a, active, propto, out, 0.0, nullptr);                        \
  }                                                                                         \
  extern "C" int mvc_##name##_lpdf_grad(const double* a0, int64_t n0, uint32_t active,   \
                                        int propto, double adj, double* g0) noexcept {     \
    const Arg a[1] = {{a0, nullptr, n0}};                                                  \
    double* const g[1] = {g0};                                                              \
    return run_uni<F, true>(a, active, propto, nullptr, adj, g);                           \
  }
#define MVC_DEF2(name, F)                                                                   \
  extern "C" int mvc_##name##_lpdf(const double* a0, int64_t n0, const double* a1,       \
                                   int64_t n1, uint32_t active, int propto,               \
                                   double* out) noexcept {                                 \
    const Arg a[2] = {{a0, nullptr, n0}, {a1, nullptr, n1}};                               \
    return run_uni<F, false>(a, active, propto, out, 0.0, nullptr);                        \
  }                                                                                         \
  extern "C" int mvc_##name##_lpdf_grad(const double* a0, int64_t n0, const double* a1,  \
                                        int64_t n1, uint32_t active, int propto,          \
                                        double adj, double* g0, double* g1) noexcept {    \
    const Arg a[2] = {{a0, nullptr, n0}, {a1, nullptr, n1}};                               \
    double* const g[2] = {g0, g1};                                                          \
    return run_uni<F, true>(a, active, propto, nullptr, adj, g);                           \
  }
#define MVC_DEF3(name, F)                                                                   \
  extern "C" int mvc_##name##_lpdf(const double* a0, int64_t n0, const double* a1,       \
                                   int64_t n1, const double* a2, int64_t n2,              \
                                   uint32_t active, int propto, double* out) noexcept {   \
    const Arg a[3] = {{a0, nullptr, n0}, {a1, nullptr, n1}, {a2, nullptr, n2}};            \
    return run_uni<F, false>(a, active, propto, out, 0.0, nullptr);                        \
  }                                                                                         \
  extern "C" int mvc_##name##_lpdf_grad(const double* a0, int64_t n0, const double* a1,  \
                                        int64_t n1, const double* a2, int64_t n2,         \
                                        uint32_t active, int propto, double adj,          \
                                        double* g0, double* g1, double* g2) noexcept {    \
    const Arg a[3] = {{a0, nullptr, n0}, {a1, nullptr, n1}, {a2, nullptr, n2}};            \
    double* const g[3] = {g0, g1, g2};                                                      \
    return run_uni<F, true>(a, active, propto, nullptr, adj, g);                           \
  }

MVC_DEF3(normal, Normal)
MVC_DEF1(std_normal, StdNormal)
MVC_DEF3(cauchy, Cauchy)
MVC_DEF3(double_exponential, DoubleExponential)
MVC_DEF3(logistic, Logistic)
MVC_DEF2(exponential, Exponential)
MVC_DEF3(gamma, Gamma)
MVC_DEF3(inv_gamma, InvGamma)
MVC_DEF3(lognormal, Lognormal)
MVC_DEF2(chi_square, ChiSquare)
MVC_DEF3(beta, Beta)
MVC_DEF3(uniform, Uniform)
MVC_DEF3(weibull, Weibull)
MVC_DEF2(rayleigh, Rayleigh)
MVC_DEF3(pareto, Pareto)
MVC_DEF3(gumbel, Gumbel)
MVC_DEF3(frechet, Frechet)
MVC_DEF2(inv_chi_square, InvChiSquare)

#define MVC_DEF4(name, F)                                                                      \
  extern "C" int mvc_##name##_lpdf(const double* a0, int64_t n0, const double* a1, int64_t n1,  \
                                   const double* a2, int64_t n2, const double* a3, int64_t n3,  \
                                   uint32_t active, int propto, double* out) noexcept {         \
    const Arg a[4] = {{a0, nullptr, n0}, {a1, nullptr, n1}, {a2, nullptr, n2}, {a3, nullptr, n3}}; \
    return run_uni<F, false>(a, active, propto, out, 0.0, nullptr);                              \
  }                                                                                               \
  extern "C" int mvc_##name##_lpdf_grad(const double* a0, int64_t n0, const double* a1, int64_t n1, \
                                        const double* a2, int64_t n2, const double* a3, int64_t n3, \
                                        uint32_t active, int propto, double adj, double* g0,       \
                                        double* g1, double* g2, double* g3) noexcept {             \
    const Arg a[4] = {{a0, nullptr, n0}, {a1, nullptr, n1}, {a2, nullptr, n2}, {a3, nullptr, n3}}; \
    double* const g[4] = {g0, g1, g2, g3};                                                        \
    return run_uni<F, true>(a, active, propto, nullptr, adj, g);                                 \
  }

MVC_DEF4(student_t, StudentT)
MVC_DEF4(skew_normal, SkewNormal)
MVC_DEF4(exp_mod_normal, ExpModNormal)
MVC_DEF3(von_mises, VonMises)

extern "C" const char* mvc_dist_status_string(int status) noexcept {
  switch (status) {
    case MVC_DIST_OK: return "ok";
    case MVC_DIST_ERR_SIZE: return "argument lengths do not match";
    case MVC_DIST_ERR_DOMAIN: return "argument outside its domain";
    case MVC_DIST_ERR_NOT_PD: return "matrix is not positive definite";
    case MVC_DIST_ERR_NOT_SYMMETRIC: return "matrix is not symmetric";
    case MVC_DIST_ERR_ALLOC: return "out of memory";
    default: return "unknown status";
  }
}
