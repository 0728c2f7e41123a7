// Univariate discrete mass functions: bernoulli, bernoulli_logit, binomial, binomial_logit,
// poisson, poisson_log, neg_binomial_2, neg_binomial_2_log; and categorical,
// categorical_logit (one probability / logit vector for all variates).
// Terms are grouped as Stan groups them (see docs/kernels.md).
#include "dist_common.h"

namespace mvc::dist {
namespace {

constexpr uint32_t Y = 1, A = 2, B = 4, C = 8;

#define MVC_PARTIAL(k, v) \
  do {                    \
    if (G) d[k] = (v);    \
  } while (0)

// bernoulli(n | theta) = n log theta + (1 - n) log1m(theta)
struct Bernoulli {
  static constexpr int K = 2;
  template <bool G>
  int eval(const double* x, Inc inc, double* lp, double* d) {
    const double n = x[0], t = x[1];
    if (!(n == 0 || n == 1) || !(t >= 0 && t <= 1)) return MVC_DIST_ERR_DOMAIN;
    if ((n == 1 && t == 0) || (n == 0 && t == 1)) return MVC_DIST_ERR_DOMAIN;  // log(0)
    double l = 0, dt = 0;
    if (inc(A)) {
      if (n == 1) { l = std::log(t); dt = 1.0 / t; }
      else { l = log1m(t); dt = -1.0 / (1.0 - t); }
    }
    *lp = l;
    MVC_PARTIAL(0, 0.0); MVC_PARTIAL(1, dt);
    return 0;
  }
};

// bernoulli_logit(n | alpha) = log inv_logit(s alpha), s = 2n - 1
struct BernoulliLogit {
  static constexpr int K = 2;
  template <bool G>
  int eval(const double* x, Inc inc, double* lp, double* d) {
    const double n = x[0], a = x[1];
    if (!(n == 0 || n == 1) || !is_fin(a)) return MVC_DIST_ERR_DOMAIN;
    double l = 0, da = 0;
    if (inc(A)) {
      const double s = 2 * n - 1;
      l = log_inv_logit(s * a);
      da = s * inv_logit(-s * a);
    }
    *lp = l;
    MVC_PARTIAL(0, 0.0); MVC_PARTIAL(1, da);
    return 0;
  }
};

// binomial(n | N, theta) = lchoose(N, n) + n log theta + (N - n) log1m(theta)
struct Binomial {
  static constexpr int K = 3;
  template <bool G>
  int eval(const double* x, Inc inc, double* lp, double* d) {
    const double n = x[0], N = x[1], t = x[2];
    if (!(n >= 0 && n <= N) || !(t >= 0 && t <= 1)) return MVC_DIST_ERR_DOMAIN;
    if ((n > 0 && t == 0) || (n < N && t == 1)) return MVC_DIST_ERR_DOMAIN;
    double l = 0, dt = 0;
    if (inc(0)) l += lchoose(N, n);
    if (inc(B)) {
      if (n > 0) { l += n * std::log(t); dt += n / t; }
      if (N - n > 0) { l += (N - n) * log1m(t); dt -= (N - n) / (1.0 - t); }
    }
    *lp = l;
    MVC_PARTIAL(0, 0.0); MVC_PARTIAL(1, 0.0); MVC_PARTIAL(2, dt);
    return 0;
  }
};

// binomial_logit(n | N, alpha) = lchoose(N, n) + n log inv_logit(alpha)
//                                + (N - n) log inv_logit(-alpha)
struct BinomialLogit {
  static constexpr int K = 3;
  template <bool G>
  int eval(const double* x, Inc inc, double* lp, double* d) {
    const double n = x[0], N = x[1], a = x[2];
    if (!(n >= 0 && n <= N) || !is_fin(a)) return MVC_DIST_ERR_DOMAIN;
    double l = 0, da = 0;
    if (inc(0)) l += lchoose(N, n);
    if (inc(B)) {
      l += n * log_inv_logit(a) + (N - n) * log_inv_logit(-a);
      da = n - N * inv_logit(a);
    }
    *lp = l;
    MVC_PARTIAL(0, 0.0); MVC_PARTIAL(1, 0.0); MVC_PARTIAL(2, da);
    return 0;
  }
};

// poisson(n | lambda) = -lgamma(n + 1) + n log lambda - lambda
struct Poisson {
  static constexpr int K = 2;
  Memo log_l;
  template <bool G>
  int eval(const double* x, Inc inc, double* lp, double* d) {
    const double n = x[0], lam = x[1];
    if (!(n >= 0) || !(lam >= 0) || !is_fin(lam)) return MVC_DIST_ERR_DOMAIN;
    if (lam == 0 && n > 0) return MVC_DIST_ERR_DOMAIN;
    double l = 0, dl = 0;
    if (inc(0)) l -= lgam(n + 1);
    if (inc(A)) {
      if (n > 0) { l += n * log_l(lam, [](double v) { return std::log(v); }); dl += n / lam; }
      l -= lam; dl -= 1.0;
    }
    *lp = l;
    MVC_PARTIAL(0, 0.0); MVC_PARTIAL(1, dl);
    return 0;
  }
};

// poisson_log(n | alpha) = -lgamma(n + 1) + n alpha - exp(alpha)
struct PoissonLog {
  static constexpr int K = 2;
  Memo exp_a;
  template <bool G>
  int eval(const double* x, Inc inc, double* lp, double* d) {
    const double n = x[0], a = x[1];
    if (!(n >= 0) || !is_fin(a)) return MVC_DIST_ERR_DOMAIN;
    double l = 0, da = 0;
    if (inc(0)) l -= lgam(n + 1);
    if (inc(A)) {
      const double e = exp_a(a, [](double v) { return std::exp(v); });
      l += n * a - e; da = n - e;
    }
    *lp = l;
    MVC_PARTIAL(0, 0.0); MVC_PARTIAL(1, da);
    return 0;
  }
};

// neg_binomial_2(n | mu, phi) = lchoose(n + phi - 1, n) + n log mu - phi log1p(mu / phi)
//                               - n log(mu + phi)
// Stan keeps the whole binomial coefficient (with -lgamma(n+1)) when phi is active,
// n log mu when mu is active, and the rest when anything is.
struct NegBinomial2 {
  static constexpr int K = 3;
  template <bool G>
  int eval(const double* x, Inc inc, double* lp, double* d) {
    const double n = x[0], mu = x[1], phi = x[2];
    if (!(n >= 0) || !pos_finite(mu) || !pos_finite(phi)) return MVC_DIST_ERR_DOMAIN;
    double l = 0, dmu = 0, dphi = 0;
    if (inc(B)) {
      l += lgam(n + phi) - lgam(n + 1) - lgam(phi);
      if (G) dphi += digamma(n + phi) - digamma(phi);
    }
    if (inc(A)) { if (n > 0) l += n * std::log(mu); dmu += n / mu; }
    if (inc(Y | A | B)) {
      const double l1 = std::log1p(mu / phi), mpp = mu + phi;
      l += -phi * l1 - n * std::log(mpp);
      dmu -= (n + phi) / mpp;
      dphi += -l1 + (mu - n) / mpp;
    }
    *lp = l;
    MVC_PARTIAL(0, 0.0); MVC_PARTIAL(1, dmu); MVC_PARTIAL(2, dphi);
    return 0;
  }
};

// beta_binomial(n | N, alpha, beta) = lchoose(N, n) + lbeta(n + alpha, N - n + beta) - lbeta(alpha, beta)
struct BetaBinomial {
  static constexpr int K = 4;
  template <bool G>
  int eval(const double* x, Inc inc, double* lp, double* d) {
    const double n = x[0], N = x[1], a = x[2], b = x[3];
    if (!(n >= 0 && n <= N) || !pos_finite(a) || !pos_finite(b)) return MVC_DIST_ERR_DOMAIN;
    double l = 0, da = 0, db = 0;
    if (inc(0)) l += lchoose(N, n);
    if (inc(B | C)) {
      l += lgam(n + a) + lgam(N - n + b) - lgam(N + a + b) - lgam(a) - lgam(b) + lgam(a + b);
      if (G) {
        const double common = digamma(a + b) - digamma(N + a + b);
        da = digamma(n + a) - digamma(a) + common;
        db = digamma(N - n + b) - digamma(b) + common;
      }
    }
    *lp = l;
    MVC_PARTIAL(0, 0.0); MVC_PARTIAL(1, 0.0); MVC_PARTIAL(2, da); MVC_PARTIAL(3, db);
    return 0;
  }
};

// neg_binomial(n | alpha, beta) = lchoose(n + alpha - 1, n) + alpha log beta
//                                - (alpha + n) log1p(beta)   (a gamma(alpha, beta)-Poisson mixture)
struct NegBinomial {
  static constexpr int K = 3;
  template <bool G>
  int eval(const double* x, Inc inc, double* lp, double* d) {
    const double n = x[0], alpha = x[1], beta = x[2];
    if (!(n >= 0) || !pos_finite(alpha) || !pos_finite(beta)) return MVC_DIST_ERR_DOMAIN;
    double l = 0, da = 0, db = 0;
    if (inc(A)) {
      l += lgam(n + alpha) - lgam(n + 1) - lgam(alpha);
      if (G) da += digamma(n + alpha) - digamma(alpha);
    }
    if (inc(A | B)) {
      const double l1 = std::log1p(beta);
      l += alpha * std::log(beta) - (alpha + n) * l1;
      da += std::log(beta) - l1;
      db += alpha / beta - (alpha + n) / (1 + beta);
    }
    *lp = l;
    MVC_PARTIAL(0, 0.0); MVC_PARTIAL(1, da); MVC_PARTIAL(2, db);
    return 0;
  }
};

// neg_binomial_2_log(n | eta, phi): neg_binomial_2 with mu = exp(eta), computed in log space:
//   lchoose(n + phi - 1, n) + n eta - phi log1p_exp(eta - log phi)
//   - n (log phi + log1p_exp(eta - log phi))
struct NegBinomial2Log {
  static constexpr int K = 3;
  template <bool G>
  int eval(const double* x, Inc inc, double* lp, double* d) {
    const double n = x[0], eta = x[1], phi = x[2];
    if (!(n >= 0) || !is_fin(eta) || !pos_finite(phi)) return MVC_DIST_ERR_DOMAIN;
    double l = 0, deta = 0, dphi = 0;
    if (inc(B)) {
      l += lgam(n + phi) - lgam(n + 1) - lgam(phi);
      if (G) dphi += digamma(n + phi) - digamma(phi);
    }
    if (inc(A)) { l += n * eta; deta += n; }
    if (inc(Y | A | B)) {
      const double lphi = std::log(phi), u = eta - lphi, L = log1p_exp(u);
      l += -phi * L - n * (lphi + L);
      const double p = inv_logit(u);         // mu / (mu + phi)
      deta -= (n + phi) * p;
      // d/dphi: -L + p - n/(mu+phi) = -L + p - (n/phi)(1-p)
      dphi += -L + p - (n / phi) * (1.0 - p);
    }
    *lp = l;
    MVC_PARTIAL(0, 0.0); MVC_PARTIAL(1, deta); MVC_PARTIAL(2, dphi);
    return 0;
  }
};

}  // namespace
}  // namespace mvc::dist

using namespace mvc::dist;

#define MVC_DEF_ID(name, F)                                                                  \
  extern "C" int mvc_##name##_lpmf(const int32_t* a0, int64_t n0, const double* a1,       \
                                   int64_t n1, uint32_t active, int propto,                \
                                   double* out) noexcept {                                  \
    const Arg a[2] = {{nullptr, a0, n0}, {a1, nullptr, n1}};                                \
    return run_uni<F, false>(a, active, propto, out, 0.0, nullptr);                         \
  }                                                                                          \
  extern "C" int mvc_##name##_lpmf_grad(const int32_t* a0, int64_t n0, const double* a1,  \
                                        int64_t n1, uint32_t active, int propto,           \
                                        double adj, double* g1) noexcept {                 \
    const Arg a[2] = {{nullptr, a0, n0}, {a1, nullptr, n1}};                                \
    double* const g[2] = {nullptr, g1};                                                      \
    return run_uni<F, true>(a, active, propto, nullptr, adj, g);                            \
  }
#define MVC_DEF_IID(name, F)                                                                 \
  extern "C" int mvc_##name##_lpmf(const int32_t* a0, int64_t n0, const int32_t* a1,      \
                                   int64_t n1, const double* a2, int64_t n2,               \
                                   uint32_t active, int propto, double* out) noexcept {    \
    const Arg a[3] = {{nullptr, a0, n0}, {nullptr, a1, n1}, {a2, nullptr, n2}};             \
    return run_uni<F, false>(a, active, propto, out, 0.0, nullptr);                         \
  }                                                                                          \
  extern "C" int mvc_##name##_lpmf_grad(const int32_t* a0, int64_t n0, const int32_t* a1, \
                                        int64_t n1, const double* a2, int64_t n2,          \
                                        uint32_t active, int propto, double adj,           \
                                        double* g2) noexcept {                              \
    const Arg a[3] = {{nullptr, a0, n0}, {nullptr, a1, n1}, {a2, nullptr, n2}};             \
    double* const g[3] = {nullptr, nullptr, g2};                                             \
    return run_uni<F, true>(a, active, propto, nullptr, adj, g);                            \
  }
#define MVC_DEF_IDD(name, F)                                                                 \
  extern "C" int mvc_##name##_lpmf(const int32_t* a0, int64_t n0, const double* a1,       \
                                   int64_t n1, const double* a2, int64_t n2,               \
                                   uint32_t active, int propto, double* out) noexcept {    \
    const Arg a[3] = {{nullptr, a0, n0}, {a1, nullptr, n1}, {a2, nullptr, n2}};             \
    return run_uni<F, false>(a, active, propto, out, 0.0, nullptr);                         \
  }                                                                                          \
  extern "C" int mvc_##name##_lpmf_grad(const int32_t* a0, int64_t n0, const double* a1,  \
                                        int64_t n1, const double* a2, int64_t n2,          \
                                        uint32_t active, int propto, double adj,           \
                                        double* g1, double* g2) noexcept {                 \
    const Arg a[3] = {{nullptr, a0, n0}, {a1, nullptr, n1}, {a2, nullptr, n2}};             \
    double* const g[3] = {nullptr, g1, g2};                                                  \
    return run_uni<F, true>(a, active, propto, nullptr, adj, g);                            \
  }

MVC_DEF_ID(bernoulli, Bernoulli)
MVC_DEF_ID(bernoulli_logit, BernoulliLogit)
MVC_DEF_IID(binomial, Binomial)
MVC_DEF_IID(binomial_logit, BinomialLogit)
MVC_DEF_ID(poisson, Poisson)
MVC_DEF_ID(poisson_log, PoissonLog)
MVC_DEF_IDD(neg_binomial, NegBinomial)
extern "C" int mvc_beta_binomial_lpmf(const int32_t* n, int64_t n_n, const int32_t* N, int64_t n_N, const double* a,
                                      int64_t n_a, const double* b, int64_t n_b, uint32_t active, int propto,
                                      double* out) noexcept {
  const Arg x[4] = {{nullptr, n, n_n}, {nullptr, N, n_N}, {a, nullptr, n_a}, {b, nullptr, n_b}};
  return run_uni<BetaBinomial, false>(x, active, propto, out, 0.0, nullptr);
}
extern "C" int mvc_beta_binomial_lpmf_grad(const int32_t* n, int64_t n_n, const int32_t* N, int64_t n_N,
                                           const double* a, int64_t n_a, const double* b, int64_t n_b,
                                           uint32_t active, int propto, double adj, double* g_a,
                                           double* g_b) noexcept {
  const Arg x[4] = {{nullptr, n, n_n}, {nullptr, N, n_N}, {a, nullptr, n_a}, {b, nullptr, n_b}};
  double* const g[4] = {nullptr, nullptr, g_a, g_b};
  return run_uni<BetaBinomial, true>(x, active, propto, nullptr, adj, g);
}
MVC_DEF_IDD(neg_binomial_2, NegBinomial2)
MVC_DEF_IDD(neg_binomial_2_log, NegBinomial2Log)

// ---- categorical(y | theta) = sum_i log theta[y_i]; theta a simplex (Stan's tolerance 1e-8)
static int check_categorical_y(const int32_t* y, int64_t n_y, int64_t K) {
  if (n_y < 0 || K < 1) return MVC_DIST_ERR_SIZE;
  for (int64_t i = 0; i < n_y; ++i)
    if (y[i] < 1 || y[i] > K) return MVC_DIST_ERR_DOMAIN;
  return 0;
}
static int categorical_impl(const int32_t* y, int64_t n_y, const double* theta, int64_t K,
                            uint32_t active, int propto, double* out, double adj,
                            double* g) noexcept {
  if (int st = check_categorical_y(y, n_y, K)) return st;
  double s = 0;
  for (int64_t k = 0; k < K; ++k) {
    if (!(theta[k] >= 0 && theta[k] <= 1)) return MVC_DIST_ERR_DOMAIN;
    s += theta[k];
  }
  if (!(std::fabs(s - 1.0) <= 1e-8)) return MVC_DIST_ERR_DOMAIN;
  const Inc inc{active, propto};
  double lp = 0;
  for (int64_t i = 0; i < n_y; ++i) {
    const double t = theta[y[i] - 1];
    if (t == 0) return MVC_DIST_ERR_DOMAIN;
    if (inc(2)) {
      lp += std::log(t);
      if (g) g[y[i] - 1] += adj / t;
    }
  }
  if (out) *out = lp;
  return 0;
}
extern "C" int mvc_categorical_lpmf(const int32_t* y, int64_t n_y, const double* theta,
                                    int64_t K, uint32_t active, int propto,
                                    double* out) noexcept {
  return categorical_impl(y, n_y, theta, K, active, propto, out, 0.0, nullptr);
}
extern "C" int mvc_categorical_lpmf_grad(const int32_t* y, int64_t n_y, const double* theta,
                                         int64_t K, uint32_t active, int propto, double adj,
                                         double* g_theta) noexcept {
  return categorical_impl(y, n_y, theta, K, active, propto, nullptr, adj, g_theta);
}

// ---- ordered_logistic and ordered_probit (y | eta, c): K = size(c) + 1 ordered categories
// with cutpoints c (strictly increasing), P(y = k) = F(eta - c[k-1]) - F(eta - c[k]) with
// c[0] = -inf, c[K] = +inf, F = inv_logit or Phi. eta one value or one per y. Link::term gives
// one item's log P and its partials in eta, c[k-1] and c[k].
//
// Logistic, with a = eta - c[k-1] > b = eta - c[k] and s = inv_logit:
//   log P = log(s(a) - s(b)) = a - log1p_exp(a) + log1m(exp(b - a)) - log1p_exp(b),
//   d/deta = 1 - s(a) - s(b), d/dc[k-1] = -s'(a) / P, d/dc[k] = s'(b) / P, s'(x) = s(x) s(-x);
//   the end categories: log s(c[1] - eta) and log s(eta - c[K-1]).
struct OrderedLogistic {
  static void term(int64_t k, int64_t K, double e, const double* c, double* l, double* de, double* dlo, double* dhi) {
    if (k == 1) {
      const double b = e - c[0];
      *l = log_inv_logit(-b);
      *de = -inv_logit(b);
      *dhi = inv_logit(b);
    } else if (k == K) {
      const double a = e - c[K - 2];
      *l = log_inv_logit(a);
      *de = inv_logit(-a);
      *dlo = -inv_logit(-a);
    } else {
      const double a = e - c[k - 2], b = e - c[k - 1];
      *l = a - log1p_exp(a) + std::log1p(-std::exp(b - a)) - log1p_exp(b);
      *de = 1 - inv_logit(a) - inv_logit(b);
      *dlo = -std::exp(log_inv_logit(a) + log_inv_logit(-a) - *l);
      *dhi = std::exp(log_inv_logit(b) + log_inv_logit(-b) - *l);
    }
  }
};
// Probit: P = Phi(hi) - Phi(lo) with hi = c[k] - eta, lo = c[k-1] - eta, taken in the tail
// where it does not cancel (both > 0: Phi(-lo) - Phi(-hi)); d/dc[k] = phi(hi) / P,
// d/dc[k-1] = -phi(lo) / P, d/deta = -(both).
struct OrderedProbit {
  static void term(int64_t k, int64_t K, double e, const double* c, double* l, double* de, double* dlo, double* dhi) {
    auto log_phi = [](double x) { return -0.5 * x * x - kLogSqrt2Pi; };
    if (k == 1) {
      const double hi = c[0] - e;
      *l = log_Phi(hi);
      *dhi = dlog_Phi(hi, *l);
    } else if (k == K) {
      const double lo = c[K - 2] - e;
      *l = log_Phi(-lo);
      *dlo = -dlog_Phi(-lo, *l);
    } else {
      const double lo = c[k - 2] - e, hi = c[k - 1] - e;
      const double a = lo > 0 ? log_Phi(-lo) : log_Phi(hi), b = lo > 0 ? log_Phi(-hi) : log_Phi(lo);
      *l = a + std::log1p(-std::exp(b - a));
      *dhi = std::exp(log_phi(hi) - *l);
      *dlo = -std::exp(log_phi(lo) - *l);
    }
    *de = -(*dlo + *dhi);
  }
};

template <class Link>
static int ordered_impl(const int32_t* y, int64_t n_y, const double* eta, int64_t n_eta, const double* c,
                        int64_t n_c, uint32_t active, int propto, double* out, double adj, double* g_eta,
                        double* g_c) noexcept {
  if (n_y < 0 || n_c < 1 || (n_eta != 1 && n_eta != n_y)) return MVC_DIST_ERR_SIZE;
  for (int64_t k = 0; k < n_c; ++k)
    if (!is_fin(c[k]) || (k > 0 && !(c[k] > c[k - 1]))) return MVC_DIST_ERR_DOMAIN;
  const int64_t K = n_c + 1;
  const Inc inc{active, propto};
  double lp = 0;
  for (int64_t i = 0; i < n_y; ++i) {
    const int64_t k = y[i];
    const double e = eta[n_eta == 1 ? 0 : i];
    if (k < 1 || k > K || !is_fin(e)) return MVC_DIST_ERR_DOMAIN;
    if (!inc(6)) continue;
    double l = 0, de = 0, dlo = 0, dhi = 0;  // d/deta, d/dc[k-1], d/dc[k]
    Link::term(k, K, e, c, &l, &de, &dlo, &dhi);
    lp += l;
    if (g_eta) g_eta[n_eta == 1 ? 0 : i] += adj * de;
    if (g_c) {
      if (k > 1) g_c[k - 2] += adj * dlo;
      if (k < K) g_c[k - 1] += adj * dhi;
    }
  }
  if (out) *out = lp;
  return 0;
}
#define MVC_DEF_ORDERED(name, Link)                                                                    \
  extern "C" int mvc_##name##_lpmf(const int32_t* y, int64_t n_y, const double* eta, int64_t n_eta,          \
                                   const double* c, int64_t n_c, uint32_t active, int propto,              \
                                   double* out) noexcept {                                                  \
    return ordered_impl<Link>(y, n_y, eta, n_eta, c, n_c, active, propto, out, 0.0, nullptr, nullptr);     \
  }                                                                                                         \
  extern "C" int mvc_##name##_lpmf_grad(const int32_t* y, int64_t n_y, const double* eta, int64_t n_eta,     \
                                        const double* c, int64_t n_c, uint32_t active, int propto,         \
                                        double adj, double* g_eta, double* g_c) noexcept {                 \
    return ordered_impl<Link>(y, n_y, eta, n_eta, c, n_c, active, propto, nullptr, adj, g_eta, g_c);      \
  }
MVC_DEF_ORDERED(ordered_logistic, OrderedLogistic)
MVC_DEF_ORDERED(ordered_probit, OrderedProbit)

// ---- categorical_logit(y | beta) = sum_i beta[y_i] - n_y log_sum_exp(beta)
static int categorical_logit_impl(const int32_t* y, int64_t n_y, const double* beta, int64_t K,
                                  uint32_t active, int propto, double* out, double adj,
                                  double* g) noexcept {
  if (int st = check_categorical_y(y, n_y, K)) return st;
  double m = -kInf;
  for (int64_t k = 0; k < K; ++k) {
    if (!is_fin(beta[k])) return MVC_DIST_ERR_DOMAIN;
    m = std::max(m, beta[k]);
  }
  const Inc inc{active, propto};
  if (!inc(2)) {
    if (out) *out = 0;
    return 0;
  }
  double se = 0;
  for (int64_t k = 0; k < K; ++k) se += std::exp(beta[k] - m);
  const double lse = m + std::log(se);
  double lp = -static_cast<double>(n_y) * lse;
  for (int64_t i = 0; i < n_y; ++i) {
    lp += beta[y[i] - 1];
    if (g) g[y[i] - 1] += adj;
  }
  if (g)
    for (int64_t k = 0; k < K; ++k) g[k] -= adj * static_cast<double>(n_y) * std::exp(beta[k] - lse);
  if (out) *out = lp;
  return 0;
}
extern "C" int mvc_categorical_logit_lpmf(const int32_t* y, int64_t n_y, const double* beta,
                                          int64_t K, uint32_t active, int propto,
                                          double* out) noexcept {
  return categorical_logit_impl(y, n_y, beta, K, active, propto, out, 0.0, nullptr);
}
extern "C" int mvc_categorical_logit_lpmf_grad(const int32_t* y, int64_t n_y,
                                               const double* beta, int64_t K, uint32_t active,
                                               int propto, double adj,
                                               double* g_beta) noexcept {
  return categorical_logit_impl(y, n_y, beta, K, active, propto, nullptr, adj, g_beta);
}


// ---- multinomial(y | theta) = lgamma(N + 1) - sum lgamma(y_k + 1) + sum y_k log theta_k,
// N = sum y; y the K counts (>= 0), theta a K-simplex (sum within 1e-8 of 1).
static int multinomial_impl(const int32_t* y, int64_t n_y, const double* theta, int64_t K,
                            uint32_t active, int propto, double* out, double adj,
                            double* g) noexcept {
  if (K < 1 || n_y != K) return MVC_DIST_ERR_SIZE;
  double s = 0;
  for (int64_t k = 0; k < K; ++k) {
    if (!(theta[k] >= 0 && theta[k] <= 1) || y[k] < 0) return MVC_DIST_ERR_DOMAIN;
    s += theta[k];
  }
  if (!(std::fabs(s - 1.0) <= 1e-8)) return MVC_DIST_ERR_DOMAIN;
  const Inc inc{active, propto};
  double lp = 0, n = 0;
  for (int64_t k = 0; k < K; ++k) {
    n += y[k];
    if (inc(0)) lp -= lgam(y[k] + 1.0);
    if (inc(2) && y[k] > 0) {
      lp += y[k] * std::log(theta[k]);
      if (g) g[k] += adj * y[k] / theta[k];
    }
  }
  if (inc(0)) lp += lgam(n + 1.0);
  if (out) *out = lp;
  return 0;
}
extern "C" int mvc_multinomial_lpmf(const int32_t* y, int64_t n_y, const double* theta, int64_t K,
                                    uint32_t active, int propto, double* out) noexcept {
  return multinomial_impl(y, n_y, theta, K, active, propto, out, 0.0, nullptr);
}
extern "C" int mvc_multinomial_lpmf_grad(const int32_t* y, int64_t n_y, const double* theta, int64_t K,
                                         uint32_t active, int propto, double adj, double* g_theta) noexcept {
  return multinomial_impl(y, n_y, theta, K, active, propto, nullptr, adj, g_theta);
}

// ---- discrete_range(y | lo, hi) = -log(hi - lo + 1) for lo <= y <= hi; integers only, so
// `~` (propto) drops it entirely.
extern "C" int mvc_discrete_range_lpmf(const int32_t* y, int64_t n_y, const int32_t* lo, int64_t n_lo,
                                       const int32_t* hi, int64_t n_hi, uint32_t, int propto,
                                       double* out) noexcept {
  const Arg a[3] = {{nullptr, y, n_y}, {nullptr, lo, n_lo}, {nullptr, hi, n_hi}};
  int64_t N;
  if (!common_length<3>(a, &N)) return MVC_DIST_ERR_SIZE;
  double lp = 0;
  for (int64_t i = 0; i < N; ++i) {
    const double yi = y[n_y == 1 ? 0 : i], l = lo[n_lo == 1 ? 0 : i], h = hi[n_hi == 1 ? 0 : i];
    if (l > h || yi < l || yi > h) return MVC_DIST_ERR_DOMAIN;
    if (!propto) lp -= std::log(h - l + 1);
  }
  *out = lp;
  return 0;
}
