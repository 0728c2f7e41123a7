// Log CDFs and log complementary CDFs (for truncation T[L, U]) of every univariate family
// with a CDF. Always normalised (no propto). Outside the support they return -inf or 0 as
// Stan does; invalid parameters return MVC_DIST_ERR_DOMAIN. Where the value is -inf the
// partials are reported as 0.
//
// normal, exponential, lognormal, uniform, weibull and poisson have hand-written partials
// (and typed entry points, mvc_normal_lcdf ...). Every other family is written once as a
// template on its scalar (`cdf<T>`) and differentiated in forward mode by DualKernel
// (special.h): the incomplete gamma / beta functions' derivatives in their shape parameters
// have no closed form. All families are reached through mvc_lcdf / mvc_lcdf_grad by name
// (the table at the end).
#include <cstring>

#include "special.h"

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


// ---------------------------------------------------------------- families by templates
// Each: K arguments (variate first, as in Stan), `template <bool Upper, class T> static int
// cdf(const T* x, T* l)` giving log cdf (Upper: log ccdf). Integer arguments arrive as
// exact doubles; their derivative slots are ignored.
using std::atan;
using std::exp;
using std::log;
using std::log1p;
using std::sin;

// Outside the support: below it the log cdf is -inf and the log ccdf 0; above it the reverse.
template <bool U, class T>
int below(T* l) {
  *l = T(U ? 0.0 : -kInf);
  return 0;
}
template <bool U, class T>
int above(T* l) {
  *l = T(U ? -kInf : 0.0);
  return 0;
}

struct StdNormalC {
  static constexpr int K = 1;
  template <bool U, class T>
  static int cdf(const T* x, T* l) {
    if (std::isnan(val(x[0]))) return MVC_DIST_ERR_DOMAIN;
    *l = log_Phi(U ? -x[0] : x[0]);
    return 0;
  }
};

// The location-scale families symmetric about their location, (y | mu, sigma): F::log_F(z) is
// the standardised log cdf at z = (y - mu) / sigma; the ccdf at z is the cdf at -z.
template <class F>
struct SymmetricC {
  static constexpr int K = 3;
  template <bool U, class T>
  static int cdf(const T* x, T* l) {
    if (std::isnan(val(x[0])) || !is_fin(val(x[1])) || !pos_finite(val(x[2]))) return MVC_DIST_ERR_DOMAIN;
    const T z = (x[0] - x[1]) / x[2];
    *l = F::log_F(U ? -z : z);
    return 0;
  }
};
// cauchy: F(z) = 1/2 + atan(z) / pi, written as atan(-1/z) / pi for z < 0 (no cancellation).
struct CauchyF {
  template <class T>
  static T log_F(const T& z) {
    if (val(z) < 0) return log(atan(-1.0 / z) / M_PI);
    return log(0.5 + atan(z) / M_PI);
  }
};
// logistic: F(z) = inv_logit(z)
struct LogisticF {
  template <class T>
  static T log_F(const T& z) {
    return log_inv_logit(z);
  }
};
// double_exponential: F(z) = exp(z) / 2 for z < 0, 1 - exp(-z) / 2 above.
struct DoubleExponentialF {
  template <class T>
  static T log_F(const T& z) {
    return val(z) < 0 ? z - kLog2 : log1p(-0.5 * exp(-z));
  }
};
using CauchyC = SymmetricC<CauchyF>;
using LogisticC = SymmetricC<LogisticF>;
using DoubleExponentialC = SymmetricC<DoubleExponentialF>;

// gumbel(mu, beta): F = exp(-exp(-z))
struct GumbelC {
  static constexpr int K = 3;
  template <bool U, class T>
  static int cdf(const T* x, T* l) {
    if (std::isnan(val(x[0])) || !is_fin(val(x[1])) || !pos_finite(val(x[2]))) return MVC_DIST_ERR_DOMAIN;
    const T t = -exp(-(x[0] - x[1]) / x[2]);
    *l = U ? log1m_exp(t) : t;
    return 0;
  }
};

// frechet(alpha, sigma): F = exp(-(y / sigma)^-alpha), y > 0
struct FrechetC {
  static constexpr int K = 3;
  template <bool U, class T>
  static int cdf(const T* x, T* l) {
    if (std::isnan(val(x[0])) || !pos_finite(val(x[1])) || !pos_finite(val(x[2]))) return MVC_DIST_ERR_DOMAIN;
    if (!(val(x[0]) > 0)) return below<U>(l);
    const T t = -exp(-x[1] * log(x[0] / x[2]));
    *l = U ? log1m_exp(t) : t;
    return 0;
  }
};

// rayleigh(sigma): 1 - F = exp(-y^2 / (2 sigma^2)), y >= 0
struct RayleighC {
  static constexpr int K = 2;
  template <bool U, class T>
  static int cdf(const T* x, T* l) {
    if (std::isnan(val(x[0])) || !pos_finite(val(x[1]))) return MVC_DIST_ERR_DOMAIN;
    if (!(val(x[0]) > 0)) return below<U>(l);
    const T r = x[0] / x[1], t = -0.5 * r * r;
    *l = U ? t : log1m_exp(t);
    return 0;
  }
};

// pareto(y_min, alpha): 1 - F = (y_min / y)^alpha, y >= y_min
struct ParetoC {
  static constexpr int K = 3;
  template <bool U, class T>
  static int cdf(const T* x, T* l) {
    if (std::isnan(val(x[0])) || !pos_finite(val(x[1])) || !pos_finite(val(x[2]))) return MVC_DIST_ERR_DOMAIN;
    if (!(val(x[0]) > val(x[1]))) return below<U>(l);
    const T t = x[2] * log(x[1] / x[0]);
    *l = U ? t : log1m_exp(t);
    return 0;
  }
};

// exp_mod_normal(mu, sigma, lambda): F = Phi(z) - exp(v) Phi(z - lambda sigma),
// v = -lambda (y - mu) + lambda^2 sigma^2 / 2; 1 - F = Phi(-z) + exp(v) Phi(z - lambda sigma).
struct ExpModNormalC {
  static constexpr int K = 4;
  template <bool U, class T>
  static int cdf(const T* x, T* l) {
    if (std::isnan(val(x[0])) || !is_fin(val(x[1])) || !pos_finite(val(x[2])) || !pos_finite(val(x[3])))
      return MVC_DIST_ERR_DOMAIN;
    if (std::isinf(val(x[0]))) return val(x[0]) > 0 ? above<U>(l) : below<U>(l);
    const T d = x[0] - x[1], z = d / x[2], ls = x[3] * x[2];
    const T b = -x[3] * d + 0.5 * ls * ls + log_Phi(z - ls);
    *l = U ? log_sum_exp(log_Phi(-z), b) : log_diff_exp(log_Phi(z), b);
    return 0;
  }
};

// skew_normal(xi, omega, alpha): F = Phi(z) - 2 T(z, alpha) (Owen's T)
struct SkewNormalC {
  static constexpr int K = 4;
  template <bool U, class T>
  static int cdf(const T* x, T* l) {
    if (std::isnan(val(x[0])) || !is_fin(val(x[1])) || !pos_finite(val(x[2])) || !is_fin(val(x[3])))
      return MVC_DIST_ERR_DOMAIN;
    if (std::isinf(val(x[0]))) return val(x[0]) > 0 ? above<U>(l) : below<U>(l);
    const T z = (x[0] - x[1]) / x[2];
    const T t2 = 2.0 * owens_t(z, x[3]);
    const T p = U ? exp(log_Phi(-z)) + t2 : exp(log_Phi(z)) - t2;
    *l = val(p) > 0 ? log(p) : T(-kInf);
    return 0;
  }
};

// gamma(alpha, beta): F = P(alpha, beta y); inv_gamma: F = Q(alpha, beta / y)
struct GammaC {
  static constexpr int K = 3;
  template <bool U, class T>
  static int cdf(const T* x, T* l) {
    if (std::isnan(val(x[0])) || !pos_finite(val(x[1])) || !pos_finite(val(x[2]))) return MVC_DIST_ERR_DOMAIN;
    T lp, lq;
    if (!log_gamma_pq_t(x[1], val(x[0]) > 0 ? x[2] * x[0] : T(0.0), &lp, &lq)) return MVC_DIST_ERR_DOMAIN;
    *l = U ? lq : lp;
    return 0;
  }
};
struct InvGammaC {
  static constexpr int K = 3;
  template <bool U, class T>
  static int cdf(const T* x, T* l) {
    if (std::isnan(val(x[0])) || !pos_finite(val(x[1])) || !pos_finite(val(x[2]))) return MVC_DIST_ERR_DOMAIN;
    if (!(val(x[0]) > 0)) return below<U>(l);
    T lp, lq;
    if (!log_gamma_pq_t(x[1], x[2] / x[0], &lp, &lq)) return MVC_DIST_ERR_DOMAIN;
    *l = U ? lp : lq;
    return 0;
  }
};
// chi_square(nu) = gamma(nu / 2, 1 / 2); inv_chi_square(nu) = inv_gamma(nu / 2, 1 / 2)
struct ChiSquareC {
  static constexpr int K = 2;
  template <bool U, class T>
  static int cdf(const T* x, T* l) {
    const T g[3] = {x[0], 0.5 * x[1], T(0.5)};
    return GammaC::cdf<U>(g, l);
  }
};
struct InvChiSquareC {
  static constexpr int K = 2;
  template <bool U, class T>
  static int cdf(const T* x, T* l) {
    const T g[3] = {x[0], 0.5 * x[1], T(0.5)};
    return InvGammaC::cdf<U>(g, l);
  }
};

// beta(a, b): F = I_y(a, b)
struct BetaC {
  static constexpr int K = 3;
  template <bool U, class T>
  static int cdf(const T* x, T* l) {
    if (std::isnan(val(x[0])) || !pos_finite(val(x[1])) || !pos_finite(val(x[2]))) return MVC_DIST_ERR_DOMAIN;
    T li, l1mi;
    if (!log_inc_beta_t(x[1], x[2], x[0], 1.0 - x[0], &li, &l1mi)) return MVC_DIST_ERR_DOMAIN;
    *l = U ? l1mi : li;
    return 0;
  }
};

// student_t(nu, mu, sigma): with t = (y - mu) / sigma, P(|T| > |t|) = I_{nu/(nu+t^2)}(nu/2, 1/2);
// F = that / 2 for t < 0, 1 - that / 2 above.
struct StudentTC {
  static constexpr int K = 4;
  template <bool U, class T>
  static int cdf(const T* x, T* l) {
    if (std::isnan(val(x[0])) || !pos_finite(val(x[1])) || !is_fin(val(x[2])) || !pos_finite(val(x[3])))
      return MVC_DIST_ERR_DOMAIN;
    const T t = (x[0] - x[2]) / x[3], t2 = t * t;
    if (!std::isfinite(val(t2))) return val(t) > 0 ? above<U>(l) : below<U>(l);
    if (val(t2) == 0) {  // F = 1/2 for every nu; d log F / dt = density(0) / (1/2)
      const double nu = val(x[1]);
      const double dens0 = std::exp(lgam(0.5 * (nu + 1)) - lgam(0.5 * nu) - 0.5 * std::log(nu * M_PI));
      *l = -kLog2 + (U ? -2.0 : 2.0) * dens0 * t;
      return 0;
    }
    const T den = x[1] + t2;
    T li, l1mi;
    if (!log_inc_beta_t(0.5 * x[1], T(0.5), x[1] / den, t2 / den, &li, &l1mi)) return MVC_DIST_ERR_DOMAIN;
    const T tail = li - kLog2;  // log P(T < -|t|)
    const bool lower_tail = (val(t) < 0) != U;
    *l = lower_tail ? tail : log1m_exp(tail);
    return 0;
  }
};

// ---- discrete (the variate an integer; truncation of a discrete family uses the cdf at
// L - 1 for a lower bound, done by the compiler)
// bernoulli(theta): F(0) = 1 - theta
struct BernoulliC {
  static constexpr int K = 2;
  template <bool U, class T>
  static int cdf(const T* x, T* l) {
    const double n = val(x[0]);
    if (!(val(x[1]) >= 0 && val(x[1]) <= 1)) return MVC_DIST_ERR_DOMAIN;
    if (n < 0) return below<U>(l);
    if (n >= 1) return above<U>(l);
    *l = U ? log(x[1]) : log1p(-x[1]);
    return 0;
  }
};

// binomial(N, theta): F(n) = I_{1-theta}(N - n, n + 1), n < N
struct BinomialC {
  static constexpr int K = 3;
  template <bool U, class T>
  static int cdf(const T* x, T* l) {
    const double n = val(x[0]), N = val(x[1]);
    if (N < 0 || !(val(x[2]) >= 0 && val(x[2]) <= 1)) return MVC_DIST_ERR_DOMAIN;
    if (n < 0) return below<U>(l);
    if (n >= N) return above<U>(l);
    T li, l1mi;
    if (!log_inc_beta_t(T(N - n), T(n + 1), 1.0 - x[2], x[2], &li, &l1mi)) return MVC_DIST_ERR_DOMAIN;
    *l = U ? l1mi : li;
    return 0;
  }
};

// neg_binomial(alpha, beta): F(n) = I_{beta/(1+beta)}(alpha, n + 1)
struct NegBinomialC {
  static constexpr int K = 3;
  template <bool U, class T>
  static int cdf(const T* x, T* l) {
    const double n = val(x[0]);
    if (!pos_finite(val(x[1])) || !pos_finite(val(x[2]))) return MVC_DIST_ERR_DOMAIN;
    if (n < 0) return below<U>(l);
    const T den = 1.0 + x[2];
    T li, l1mi;
    if (!log_inc_beta_t(x[1], T(n + 1), x[2] / den, 1.0 / den, &li, &l1mi)) return MVC_DIST_ERR_DOMAIN;
    *l = U ? l1mi : li;
    return 0;
  }
};

// neg_binomial_2(mu, phi): F(n) = I_{phi/(mu+phi)}(phi, n + 1)
struct NegBinomial2C {
  static constexpr int K = 3;
  template <bool U, class T>
  static int cdf(const T* x, T* l) {
    const double n = val(x[0]);
    if (!pos_finite(val(x[1])) || !pos_finite(val(x[2]))) return MVC_DIST_ERR_DOMAIN;
    if (n < 0) return below<U>(l);
    const T den = x[1] + x[2];
    T li, l1mi;
    if (!log_inc_beta_t(x[2], T(n + 1), x[2] / den, x[1] / den, &li, &l1mi)) return MVC_DIST_ERR_DOMAIN;
    *l = U ? l1mi : li;
    return 0;
  }
};

// beta_binomial(N, alpha, beta): the finite sum of the pmf, in log space
struct BetaBinomialC {
  static constexpr int K = 4;
  template <bool U, class T>
  static int cdf(const T* x, T* l) {
    const double n = val(x[0]), N = val(x[1]);
    if (N < 0 || !pos_finite(val(x[2])) || !pos_finite(val(x[3]))) return MVC_DIST_ERR_DOMAIN;
    if (n < 0) return below<U>(l);
    if (n >= N) return above<U>(l);
    const T& a = x[2];
    const T& b = x[3];
    const T lbeta_ab = lgam(a) + lgam(b) - lgam(a + b);
    T acc(-kInf);
    const int lo = U ? static_cast<int>(n) + 1 : 0, hi = U ? static_cast<int>(N) : static_cast<int>(n);
    for (int k = lo; k <= hi; ++k) {
      const T lbeta_k = lgam(k + a) + lgam(N - k + b) - lgam(N + a + b);
      acc = log_sum_exp(acc, T(lchoose(N, k)) + lbeta_k - lbeta_ab);
    }
    *l = val(acc) > 0 ? T(0.0) : acc;  // a sum of probabilities above 1 is rounding
    return 0;
  }
};

// discrete_range(lo, hi): F(y) = (y - lo + 1) / (hi - lo + 1); no real argument
struct DiscreteRangeC {
  static constexpr int K = 3;
  template <bool U, class T>
  static int cdf(const T* x, T* l) {
    const double y = val(x[0]), lo = val(x[1]), hi = val(x[2]);
    if (lo > hi) return MVC_DIST_ERR_DOMAIN;
    if (y < lo) return below<U>(l);
    if (y >= hi) return above<U>(l);
    *l = T(U ? std::log((hi - y) / (hi - lo + 1)) : std::log((y - lo + 1) / (hi - lo + 1)));
    return 0;
  }
};

// von_mises(mu, kappa) on y in [-pi, pi]: F(y) = G(y - mu) - G(-pi - mu), with the
// antiderivative G(t) = t / (2 pi) + sum_n A_n(kappa) sin(n t) / (n pi), A_n = I_n / I_0.
struct VonMisesC {
  static constexpr int K = 3;
  template <class T>
  static T G(const T& t, const std::vector<T>& A) {
    T s = t / (2 * M_PI);
    for (size_t n = 1; n <= A.size(); ++n) s += A[n - 1] * sin(double(n) * t) / (double(n) * M_PI);
    return s;
  }
  template <bool U, class T>
  static int cdf(const T* x, T* l) {
    if (!(std::fabs(val(x[0])) <= M_PI) || !is_fin(val(x[1])) || !pos_finite(val(x[2])))
      return MVC_DIST_ERR_DOMAIN;
    thread_local std::vector<T> A;
    bessel_ratios_t(x[2], von_mises_terms(val(x[2])), A);
    T F = G(x[0] - x[1], A) - G(-M_PI - x[1], A);
    if (val(F) < 0) F = T(0.0);
    if (val(F) > 1) F = T(1.0);
    *l = U ? log1p(-F) : log(F);
    if (std::isinf(val(*l))) *l = T(val(*l));
    return 0;
  }
};

// The K-argument kernel of run_uni around a template family F: plain doubles for the value,
// Dual<K> when the partials are wanted. Partials are 0 where the value is infinite.
template <class F, bool Upper>
struct DualCdf {
  static constexpr int K = F::K;
  template <bool G>
  int eval(const double* x, Inc, double* lp, double* d) {
    if (!G) return F::template cdf<Upper, double>(x, lp);
    Dual<K> xs[K];
    for (int k = 0; k < K; ++k) xs[k] = Dual<K>::var(x[k], k);
    Dual<K> l;
    if (int st = F::template cdf<Upper, Dual<K>>(xs, &l)) return st;
    *lp = l.v;
    for (int k = 0; k < K; ++k) d[k] = std::isfinite(l.v) && std::isfinite(l.d[k]) ? l.d[k] : 0.0;
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

// ---------------------------------------------------------------- every family by name
namespace {

using CdfEntry = int (*)(const mvc_dist_arg* args, double* out, double adj, double* const* g);

template <class F>
int call_cdf(const mvc_dist_arg* args, double* out, double adj, double* const* g) noexcept {
  Arg a[F::K];
  for (int k = 0; k < F::K; ++k) a[k] = {args[k].d, args[k].i, args[k].n};
  return g ? run_uni<F, true>(a, ~0u, 0, nullptr, adj, g) : run_uni<F, false>(a, ~0u, 0, out, 0.0, nullptr);
}

struct CdfRow {
  const char* family;
  int nargs;  // the variate and the parameters
  CdfEntry lcdf, lccdf;
};
#define MVC_HAND(family, F) {#family, F<false>::K, &call_cdf<F<false>>, &call_cdf<F<true>>}
#define MVC_TMPL(family, F) {#family, F::K, &call_cdf<DualCdf<F, false>>, &call_cdf<DualCdf<F, true>>}
const CdfRow kCdfs[] = {
    MVC_HAND(normal, NormalCdf),        MVC_HAND(exponential, ExponentialCdf),
    MVC_HAND(lognormal, LognormalCdf),  MVC_HAND(uniform, UniformCdf),
    MVC_HAND(weibull, WeibullCdf),      MVC_HAND(poisson, PoissonCdf),
    MVC_TMPL(std_normal, StdNormalC),   MVC_TMPL(cauchy, CauchyC),
    MVC_TMPL(logistic, LogisticC),      MVC_TMPL(double_exponential, DoubleExponentialC),
    MVC_TMPL(gumbel, GumbelC),          MVC_TMPL(frechet, FrechetC),
    MVC_TMPL(rayleigh, RayleighC),      MVC_TMPL(pareto, ParetoC),
    MVC_TMPL(exp_mod_normal, ExpModNormalC), MVC_TMPL(skew_normal, SkewNormalC),
    MVC_TMPL(gamma, GammaC),            MVC_TMPL(inv_gamma, InvGammaC),
    MVC_TMPL(chi_square, ChiSquareC),   MVC_TMPL(inv_chi_square, InvChiSquareC),
    MVC_TMPL(beta, BetaC),              MVC_TMPL(student_t, StudentTC),
    MVC_TMPL(von_mises, VonMisesC),     MVC_TMPL(bernoulli, BernoulliC),
    MVC_TMPL(binomial, BinomialC),      MVC_TMPL(neg_binomial, NegBinomialC),
    MVC_TMPL(neg_binomial_2, NegBinomial2C), MVC_TMPL(beta_binomial, BetaBinomialC),
    MVC_TMPL(discrete_range, DiscreteRangeC),
};
#undef MVC_HAND
#undef MVC_TMPL

const CdfRow* find_cdf(const char* family) {
  if (!family) return nullptr;
  for (const CdfRow& r : kCdfs)
    if (std::strcmp(r.family, family) == 0) return &r;
  return nullptr;
}

}  // namespace

extern "C" int mvc_lcdf_arity(const char* family) noexcept {
  const CdfRow* r = find_cdf(family);
  return r ? r->nargs : 0;
}

extern "C" int mvc_lcdf(const char* family, int upper, const mvc_dist_arg* args, int nargs,
                        double* out) noexcept {
  const CdfRow* r = find_cdf(family);
  if (!r) return MVC_DIST_ERR_DOMAIN;
  if (nargs != r->nargs || !out) return MVC_DIST_ERR_SIZE;
  return (upper ? r->lccdf : r->lcdf)(args, out, 0.0, nullptr);
}

extern "C" int mvc_lcdf_grad(const char* family, int upper, const mvc_dist_arg* args, int nargs,
                             double adj, double* const* g) noexcept {
  const CdfRow* r = find_cdf(family);
  if (!r) return MVC_DIST_ERR_DOMAIN;
  if (nargs != r->nargs || !g) return MVC_DIST_ERR_SIZE;
  return (upper ? r->lccdf : r->lcdf)(args, nullptr, adj, g);
}
