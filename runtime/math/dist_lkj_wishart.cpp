// Matrix densities, batched over N matrices: lkj_corr_cholesky, lkj_corr, wishart,
// inv_wishart; and dirichlet (batched over N simplexes). Run-time size with caller scratch
// (these are priors on a few matrices, not the per-observation hot path).
#include "dist_common.h"

namespace mvc::dist {
namespace {

inline double sym(const double* A, int q, int i, int j) {
  return i >= j ? A[i + j * q] : A[j + i * q];
}

// LKJ normalising constant (Lewandowski, Kurowicka and Joe 2009, theorem 5, as Stan):
//   c(eta, K) = (K-1) lgamma(eta + (K-1)/2) - sum_{k=1}^{K-1} [k/2 log pi + lgamma(eta + (K-1-k)/2)]
double lkj_const(double eta, int K) {
  const int Km1 = K - 1;
  double c = Km1 * lgam(eta + 0.5 * Km1);
  for (int k = 1; k <= Km1; ++k) c -= 0.5 * k * kLogPi + lgam(eta + 0.5 * (Km1 - k));
  return c;
}
double lkj_const_deta(double eta, int K) {
  const int Km1 = K - 1;
  double c = Km1 * digamma(eta + 0.5 * Km1);
  for (int k = 1; k <= Km1; ++k) c -= digamma(eta + 0.5 * (Km1 - k));
  return c;
}

bool batch_len(std::initializer_list<int64_t> ns, int64_t* N) {
  int64_t r = 1;
  for (int64_t n : ns) {
    if (n == 1) continue;
    if (n < 0 || (r != 1 && n != r)) return false;
    r = n;
  }
  *N = r;
  return true;
}

inline void clear(mvc_dist_error* err) {
  if (err) { err->status = 0; err->index = -1; err->message[0] = 0; }
}

// ---- lkj_corr_cholesky(L | eta) = c(eta, K) + sum_{i=2}^K (K - i + 2 eta - 2) log L_ii
template <bool G>
int lkj_chol(const double* L, int64_t nL, const double* eta, int64_t ne, int64_t K64,
             uint32_t active, int propto, double* out, double adj, double* gL, double* ge,
             mvc_dist_error* err) noexcept {
  clear(err);
  int64_t N;
  if (K64 < 1 || !batch_len({nL, ne}, &N))
    return set_error(err, MVC_DIST_ERR_SIZE, -1, "lkj_corr_cholesky: batch sizes do not match");
  const int K = (int)K64, KK = K * K;
  const Inc inc{active, propto};
  double lp = 0;
  for (int64_t n = 0; n < N; ++n) {
    const double* Ln = L + (nL == 1 ? 0 : n * KK);
    const double e = eta[ne == 1 ? 0 : n];
    if (!pos_finite(e))
      return set_error(err, MVC_DIST_ERR_DOMAIN, n, "lkj_corr_cholesky: eta %lld is not positive",
                       (long long)n);
    for (int i = 0; i < K; ++i)
      if (!pos_finite(Ln[i + i * K]))
        return set_error(err, MVC_DIST_ERR_NOT_PD, n,
                         "lkj_corr_cholesky: factor %lld has a non-positive diagonal element",
                         (long long)n);
    double de = 0;
    if (inc(2)) { lp += lkj_const(e, K); if (G) de += lkj_const_deta(e, K); }
    if (inc(3)) {
      for (int i = 1; i < K; ++i) {  // 0-based i: coefficient K - i - 3 + 2 eta
        const double lii = std::log(Ln[i + i * K]), coef = K - i - 3 + 2 * e;
        lp += coef * lii;
        if (G) {
          de += 2 * lii;
          if (gL) gL[(nL == 1 ? 0 : n * KK) + i + i * K] += adj * coef / Ln[i + i * K];
        }
      }
    }
    if (G && ge) ge[ne == 1 ? 0 : n] += adj * de;
  }
  if (out) *out = lp;
  return MVC_DIST_OK;
}

// ---- lkj_corr(Sigma | eta) = c(eta, K) + (eta - 1) log det Sigma
template <bool G>
int lkj_corr(const double* S, int64_t nS, const double* eta, int64_t ne, int64_t K64,
             uint32_t active, int propto, double* out, double adj, double* gS, double* ge,
             double* scratch, mvc_dist_error* err) noexcept {
  clear(err);
  int64_t N;
  if (K64 < 1 || !batch_len({nS, ne}, &N))
    return set_error(err, MVC_DIST_ERR_SIZE, -1, "lkj_corr: batch sizes do not match");
  const int K = (int)K64, KK = K * K;
  Scratch s;
  if (!s.init(scratch, scratch_size(K))) return MVC_DIST_ERR_ALLOC;
  double *L = s.p, *Li = s.p + KK, *P = s.p + 2 * KK;
  using la = LA<0>;
  const Inc inc{active, propto};
  double lp = 0;
  for (int64_t n = 0; n < N; ++n) {
    const double* Sn = S + (nS == 1 ? 0 : n * KK);
    const double e = eta[ne == 1 ? 0 : n];
    if (!pos_finite(e))
      return set_error(err, MVC_DIST_ERR_DOMAIN, n, "lkj_corr: eta %lld is not positive",
                       (long long)n);
    for (int i = 0; i < K; ++i)
      if (!(std::fabs(Sn[i + i * K] - 1.0) <= 1e-8))
        return set_error(err, MVC_DIST_ERR_NOT_PD, n,
                         "lkj_corr: matrix %lld is not a correlation matrix (diagonal)",
                         (long long)n);
    if (!la::symmetric(Sn, K))
      return set_error(err, MVC_DIST_ERR_NOT_SYMMETRIC, n, "lkj_corr: matrix %lld is not symmetric",
                       (long long)n);
    if (!la::chol(Sn, L, K))
      return set_error(err, MVC_DIST_ERR_NOT_PD, n, "lkj_corr: matrix %lld is not positive definite",
                       (long long)n);
    double de = 0;
    if (inc(2)) { lp += lkj_const(e, K); if (G) de += lkj_const_deta(e, K); }
    if (inc(3)) {
      const double ld = la::log_det_from_chol(L, K);
      lp += (e - 1) * ld;
      if (G) {
        de += ld;
        if (gS) {
          la::inv_lower(L, Li, K);
          la::inv_from_inv_lower(Li, P, K);
          double* g = gS + (nS == 1 ? 0 : n * KK);
          for (int k = 0; k < KK; ++k) g[k] += adj * (e - 1) * P[k];
        }
      }
    }
    if (G && ge) ge[ne == 1 ? 0 : n] += adj * de;
  }
  if (out) *out = lp;
  return MVC_DIST_OK;
}

// ---- wishart and inv_wishart (see docs/kernels.md for the terms and their grouping)
template <bool Inv, bool G>
int wishart(const double* W, int64_t nW, const double* nu, int64_t nn, const double* S,
            int64_t nS, int64_t q64, uint32_t active, int propto, double* out, double adj,
            double* gW, double* gnu, double* gS, double* scratch, mvc_dist_error* err) noexcept {
  const char* name = Inv ? "inv_wishart" : "wishart";
  clear(err);
  int64_t N;
  if (q64 < 1 || !batch_len({nW, nn, nS}, &N))
    return set_error(err, MVC_DIST_ERR_SIZE, -1, "%s: batch sizes do not match", name);
  const int q = (int)q64, qq = q * q;
  Scratch s;
  if (!s.init(scratch, scratch_size(q))) return MVC_DIST_ERR_ALLOC;
  double *LW = s.p, *LS = s.p + qq, *Wi = s.p + 2 * qq, *Si = s.p + 3 * qq, *T = s.p + 4 * qq,
         *T2 = s.p + 5 * qq;
  using la = LA<0>;
  const Inc inc{active, propto};
  constexpr uint32_t BW = 1, BN = 2, BS = 4;
  double lp = 0;
  for (int64_t n = 0; n < N; ++n) {
    const double* Wn = W + (nW == 1 ? 0 : n * qq);
    const double* Sn = S + (nS == 1 ? 0 : n * qq);
    const double v = nu[nn == 1 ? 0 : n];
    if (!(v > q - 1) || !is_fin(v))
      return set_error(err, MVC_DIST_ERR_DOMAIN, n, "%s: nu %lld must be > q - 1", name,
                       (long long)n);
    if (!la::symmetric(Wn, q) || !la::symmetric(Sn, q))
      return set_error(err, MVC_DIST_ERR_NOT_SYMMETRIC, n, "%s: W or S %lld is not symmetric", name,
                       (long long)n);
    if (!la::chol(Wn, LW, q))
      return set_error(err, MVC_DIST_ERR_NOT_PD, n, "%s: W %lld is not positive definite", name,
                       (long long)n);
    if (!la::chol(Sn, LS, q))
      return set_error(err, MVC_DIST_ERR_NOT_PD, n, "%s: S %lld is not positive definite", name,
                       (long long)n);
    const double ldW = la::log_det_from_chol(LW, q), ldS = la::log_det_from_chol(LS, q);
    la::inv_lower(LW, T, q);
    la::inv_from_inv_lower(T, Wi, q);
    la::inv_lower(LS, T, q);
    la::inv_from_inv_lower(T, Si, q);
    double* gWn = G && gW ? gW + (nW == 1 ? 0 : n * qq) : nullptr;
    double* gSn = G && gS ? gS + (nS == 1 ? 0 : n * qq) : nullptr;
    double dv = 0;
    if (inc(BN)) {
      lp -= 0.5 * v * q * kLog2 + 0.25 * q * (q - 1) * kLogPi;
      dv -= 0.5 * q * kLog2;
      for (int j = 1; j <= q; ++j) {
        lp -= lgam(0.5 * v + 0.5 * (1 - j));
        if (G) dv -= 0.5 * digamma(0.5 * v + 0.5 * (1 - j));
      }
    }
    const double sgn = Inv ? 1.0 : -1.0;  // +/- nu/2 log det S
    if (inc(BN | BS)) {
      lp += sgn * 0.5 * v * ldS;
      dv += sgn * 0.5 * ldS;
      if (gSn)
        for (int k = 0; k < qq; ++k) gSn[k] += adj * sgn * 0.5 * v * Si[k];
    }
    const double cW = Inv ? -0.5 * (v + q + 1) : 0.5 * (v - q - 1);  // coefficient of log det W
    if (inc(BW | BN)) {
      lp += cW * ldW;
      dv += (Inv ? -0.5 : 0.5) * ldW;
      if (gWn)
        for (int k = 0; k < qq; ++k) gWn[k] += adj * cW * Wi[k];
    }
    if (inc(BW | BS)) {
      // wishart: -1/2 tr(S^-1 W); inv_wishart: -1/2 tr(W^-1 S)
      const double* Ainv = Inv ? Wi : Si;  // the inverted one
      const double* B = Inv ? Sn : Wn;     // the other one (lower triangle read)
      double tr = 0;
      for (int j = 0; j < q; ++j)
        for (int i = 0; i < q; ++i) tr += Ainv[i + j * q] * sym(B, q, i, j);
      lp -= 0.5 * tr;
      double* gA = Inv ? gWn : gSn;  // d/dA of -1/2 tr(A^-1 B) = 1/2 A^-1 B A^-1
      double* gB = Inv ? gSn : gWn;  // d/dB = -1/2 A^-1
      if (gB)
        for (int k = 0; k < qq; ++k) gB[k] -= adj * 0.5 * Ainv[k];
      if (gA) {
        for (int j = 0; j < q; ++j)  // T2 = Ainv B
          for (int i = 0; i < q; ++i) {
            double t = 0;
            for (int k = 0; k < q; ++k) t += Ainv[i + k * q] * sym(B, q, k, j);
            T2[i + j * q] = t;
          }
        for (int j = 0; j < q; ++j)  // (Ainv B) Ainv
          for (int i = 0; i < q; ++i) {
            double t = 0;
            for (int k = 0; k < q; ++k) t += T2[i + k * q] * Ainv[k + j * q];
            gA[i + j * q] += adj * 0.5 * t;
          }
      }
    }
    if (G && gnu) gnu[nn == 1 ? 0 : n] += adj * dv;
  }
  if (out) *out = lp;
  return MVC_DIST_OK;
}

// ---- dirichlet(theta | alpha) = lgamma(sum alpha) - sum lgamma(alpha) + sum (alpha-1) log theta
template <bool G>
int dirichlet(const double* th, int64_t nt, const double* al, int64_t na, int64_t K64,
              uint32_t active, int propto, double* out, double adj, double* gt, double* ga,
              mvc_dist_error* err) noexcept {
  clear(err);
  int64_t N;
  if (K64 < 1 || !batch_len({nt, na}, &N))
    return set_error(err, MVC_DIST_ERR_SIZE, -1, "dirichlet: batch sizes do not match");
  const int K = (int)K64;
  const Inc inc{active, propto};
  double lp = 0;
  for (int64_t n = 0; n < N; ++n) {
    const double* t = th + (nt == 1 ? 0 : n * K);
    const double* a = al + (na == 1 ? 0 : n * K);
    double st = 0, sa = 0;
    for (int k = 0; k < K; ++k) {
      if (!(t[k] > 0 && t[k] <= 1))
        return set_error(err, MVC_DIST_ERR_DOMAIN, n, "dirichlet: theta %lld is not a simplex",
                         (long long)n);
      if (!pos_finite(a[k]))
        return set_error(err, MVC_DIST_ERR_DOMAIN, n, "dirichlet: alpha %lld is not positive",
                         (long long)n);
      st += t[k];
      sa += a[k];
    }
    if (!(std::fabs(st - 1.0) <= 1e-8))
      return set_error(err, MVC_DIST_ERR_DOMAIN, n, "dirichlet: theta %lld is not a simplex",
                       (long long)n);
    double* gtn = G && gt ? gt + (nt == 1 ? 0 : n * K) : nullptr;
    double* gan = G && ga ? ga + (na == 1 ? 0 : n * K) : nullptr;
    if (inc(2)) {
      lp += lgam(sa);
      const double psa = G && gan ? digamma(sa) : 0.0;
      for (int k = 0; k < K; ++k) {
        lp -= lgam(a[k]);
        if (gan) gan[k] += adj * (psa - digamma(a[k]));
      }
    }
    if (inc(3)) {
      for (int k = 0; k < K; ++k) {
        const double lt = std::log(t[k]);
        lp += (a[k] - 1) * lt;
        if (gtn) gtn[k] += adj * (a[k] - 1) / t[k];
        if (gan) gan[k] += adj * lt;
      }
    }
  }
  if (out) *out = lp;
  return MVC_DIST_OK;
}

}  // namespace
}  // namespace mvc::dist

using namespace mvc::dist;

extern "C" int mvc_lkj_corr_cholesky_lpdf(const double* L, int64_t n_L, const double* eta,
                                          int64_t n_eta, int64_t K, uint32_t active, int propto,
                                          double* out, mvc_dist_error* err) noexcept {
  return lkj_chol<false>(L, n_L, eta, n_eta, K, active, propto, out, 0, nullptr, nullptr, err);
}
extern "C" int mvc_lkj_corr_cholesky_lpdf_grad(const double* L, int64_t n_L, const double* eta,
                                               int64_t n_eta, int64_t K, uint32_t active,
                                               int propto, double adj, double* g_L,
                                               double* g_eta, mvc_dist_error* err) noexcept {
  return lkj_chol<true>(L, n_L, eta, n_eta, K, active, propto, nullptr, adj, g_L, g_eta, err);
}
extern "C" int mvc_lkj_corr_lpdf(const double* Sigma, int64_t n_Sigma, const double* eta,
                                 int64_t n_eta, int64_t K, uint32_t active, int propto,
                                 double* out, double* scratch, mvc_dist_error* err) noexcept {
  return lkj_corr<false>(Sigma, n_Sigma, eta, n_eta, K, active, propto, out, 0, nullptr, nullptr,
                         scratch, err);
}
extern "C" int mvc_lkj_corr_lpdf_grad(const double* Sigma, int64_t n_Sigma, const double* eta,
                                      int64_t n_eta, int64_t K, uint32_t active, int propto,
                                      double adj, double* g_Sigma, double* g_eta,
                                      double* scratch, mvc_dist_error* err) noexcept {
  return lkj_corr<true>(Sigma, n_Sigma, eta, n_eta, K, active, propto, nullptr, adj, g_Sigma,
                        g_eta, scratch, err);
}
#define MVC_WISHART(fname, INV)                                                               \
  extern "C" int mvc_##fname##_lpdf(const double* W, int64_t n_W, const double* nu,          \
                                    int64_t n_nu, const double* S, int64_t n_S, int64_t q,   \
                                    uint32_t active, int propto, double* out,                \
                                    double* scratch, mvc_dist_error* err) noexcept {         \
    return wishart<INV, false>(W, n_W, nu, n_nu, S, n_S, q, active, propto, out, 0, nullptr, \
                               nullptr, nullptr, scratch, err);                              \
  }                                                                                           \
  extern "C" int mvc_##fname##_lpdf_grad(                                                    \
      const double* W, int64_t n_W, const double* nu, int64_t n_nu, const double* S,         \
      int64_t n_S, int64_t q, uint32_t active, int propto, double adj, double* g_W,          \
      double* g_nu, double* g_S, double* scratch, mvc_dist_error* err) noexcept {            \
    return wishart<INV, true>(W, n_W, nu, n_nu, S, n_S, q, active, propto, nullptr, adj, g_W, \
                              g_nu, g_S, scratch, err);                                      \
  }
MVC_WISHART(wishart, false)
MVC_WISHART(inv_wishart, true)

extern "C" int mvc_dirichlet_lpdf(const double* theta, int64_t n_theta, const double* alpha,
                                  int64_t n_alpha, int64_t K, uint32_t active, int propto,
                                  double* out, mvc_dist_error* err) noexcept {
  return dirichlet<false>(theta, n_theta, alpha, n_alpha, K, active, propto, out, 0, nullptr,
                          nullptr, err);
}
extern "C" int mvc_dirichlet_lpdf_grad(const double* theta, int64_t n_theta, const double* alpha,
                                       int64_t n_alpha, int64_t K, uint32_t active, int propto,
                                       double adj, double* g_theta, double* g_alpha,
                                       mvc_dist_error* err) noexcept {
  return dirichlet<true>(theta, n_theta, alpha, n_alpha, K, active, propto, nullptr, adj,
                         g_theta, g_alpha, err);
}
