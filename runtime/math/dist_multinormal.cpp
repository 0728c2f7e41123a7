// Batched multivariate normals over N vectors of size q: multi_normal (covariance),
// multi_normal_cholesky, multi_normal_prec, multi_student_t, and the prepared variant for
// data covariances. One templated loop (mvn_batch) serves all four parameterisations; q = 1..8
// get a compile-time size (fully unrolled small loops, stack workspace), larger q the run-time
// path with caller scratch.
//
// Per item n (matrix index m = n, or 0 when the matrix is broadcast):
//   r = y_n - mu_n;  Sigma = L L' (Cholesky, computed once per distinct matrix);
//   z = L^-1 r;  quad = z'z = r' Sigma^-1 r;  w = L^-T z = Sigma^-1 r
//   lp = -q/2 log(2 pi) - 1/2 log det Sigma - 1/2 quad
//   d/dy = -w, d/dmu = w, d/dSigma = 1/2 (w w' - Sigma^-1)   (symmetric convention)
//   Sigma^-1 = L^-T L^-1 from a triangular inverse, only when the log-det term's gradient is
//   asked for; it is formed once per distinct matrix, and the w w' of all items that share a
//   matrix are summed first (a broadcast covariance costs one q^3 step per call).
// Cholesky form: d/dL = lower(w z') - diag(1/L_ii). Precision form: quad = r' Omega r,
//   d/dOmega = 1/2 (Omega^-1 - r r'). Student-t: lp = c(nu) - 1/2 log det Sigma
//   - (nu+q)/2 log1p(quad/nu), and the Gaussian partials scaled by a = (nu+q)/(nu+quad).
#include <cstring>
#include <type_traits>

#include "dist_common.h"

namespace mvc::dist {
namespace {

enum class Kind { Cov, Chol, Prec, StudentT };

struct MvnCall {
  const double *y, *mu, *M, *nu;
  int64_t ny, nmu, nM, nnu;
  int q;
  uint32_t active;
  int propto;
  double* out;
  double adj;
  double *gy, *gmu, *gM, *gnu;
  mvc_dist_error* err;
  const char* name;
};

struct Work {
  double *L, *Li, *P, *Acc, *r, *z, *w;
};

inline void carve(double* base, int q, Work* w) {
  const int qq = q * q;
  w->L = base;
  w->Li = base + qq;
  w->P = base + 2 * qq;
  w->Acc = base + 3 * qq;
  w->r = base + 4 * qq;
  w->z = w->r + q;
  w->w = w->z + q;
}

template <int QC, Kind KD, bool G>
int mvn_batch(const MvnCall& c, Work& wk) {
  using la = LA<QC>;
  const int q = la::dim(c.q);
  const int qq = q * q;
  // argument bits
  constexpr bool ST = KD == Kind::StudentT;
  const uint32_t BY = 1, BNU = ST ? 2 : 0, BMU = ST ? 4 : 2, BM = ST ? 8 : 4;
  const uint32_t ALL = BY | BNU | BMU | BM;

  int64_t N = 1;
  {
    const int64_t ns[4] = {c.ny, c.nmu, c.nM, ST ? c.nnu : 1};
    for (int64_t n : ns) {
      if (n == 1) continue;
      if (n < 0 || (N != 1 && n != N)) {
        return set_error(c.err, MVC_DIST_ERR_SIZE, -1,
                         "%s: batch sizes do not match (y %lld, mu %lld, matrix %lld)", c.name,
                         (long long)c.ny, (long long)c.nmu, (long long)c.nM);
      }
      N = n;
    }
  }
  const Inc inc{c.active, c.propto};
  const bool keep_quad = inc(ALL), keep_ld = inc(BM), keep_c = inc(0);
  const bool want_gM = G && c.gM != nullptr;
  const bool want_P = want_gM && keep_ld && KD != Kind::Chol;  // needs the inverse

  double lp = 0.0;
  int64_t cur = -1;        // matrix index currently factored
  int64_t cnt = 0;         // items accumulated into Acc for it
  double logdet = 0.0;     // log det Sigma (Cov, Chol, StudentT) or log det Omega (Prec)
  const double* L = nullptr;
  Memo cnu, dcnu;

  auto flush = [&]() {
    if (!want_gM || cur < 0 || cnt == 0) return;
    double* g = c.gM + (c.nM == 1 ? 0 : cur * qq);
    const double a = c.adj, kld = keep_ld ? static_cast<double>(cnt) : 0.0;
    if (KD == Kind::Chol) {
      for (int j = 0; j < q; ++j) {
        g[j + j * q] -= a * kld / L[j + j * q];
        for (int i = j; i < q; ++i) g[i + j * q] += a * wk.Acc[i + j * q];
      }
    } else if (KD == Kind::Prec) {
      for (int k = 0; k < qq; ++k) g[k] += a * 0.5 * ((want_P ? kld * wk.P[k] : 0.0) - wk.Acc[k]);
    } else {
      for (int k = 0; k < qq; ++k) g[k] += a * 0.5 * (wk.Acc[k] - (want_P ? kld * wk.P[k] : 0.0));
    }
    cnt = 0;
  };

  for (int64_t n = 0; n < N; ++n) {
    const int64_t m = c.nM == 1 ? 0 : n;
    if (m != cur) {
      flush();
      cur = m;
      const double* A = c.M + m * qq;
      if (KD == Kind::Chol) {
        for (int i = 0; i < q; ++i)
          if (!pos_finite(A[i + i * q]))
            return set_error(c.err, MVC_DIST_ERR_NOT_PD, m,
                             "%s: Cholesky factor %lld has a non-positive diagonal element",
                             c.name, (long long)m);
        L = A;
      } else {
        if (!la::symmetric(A, q))
          return set_error(c.err, MVC_DIST_ERR_NOT_SYMMETRIC, m, "%s: %s matrix %lld is not symmetric",
                           c.name, KD == Kind::Prec ? "precision" : "covariance", (long long)m);
        if (!la::chol(A, wk.L, q))
          return set_error(c.err, MVC_DIST_ERR_NOT_PD, m,
                           "%s: %s matrix %lld is not positive definite", c.name,
                           KD == Kind::Prec ? "precision" : "covariance", (long long)m);
        L = wk.L;
      }
      if (keep_ld) logdet = la::log_det_from_chol(L, q);
      if (want_P) {
        la::inv_lower(L, wk.Li, q);
        la::inv_from_inv_lower(wk.Li, wk.P, q);
      }
      if (want_gM)
        for (int k = 0; k < qq; ++k) wk.Acc[k] = 0.0;
    }
    const double* yn = c.y + (c.ny == 1 ? 0 : n * q);
    const double* mn = c.mu + (c.nmu == 1 ? 0 : n * q);
    for (int i = 0; i < q; ++i) {
      if (std::isnan(yn[i]) || !is_fin(mn[i]))
        return set_error(c.err, MVC_DIST_ERR_DOMAIN, n, "%s: y or mu %lld is not finite", c.name,
                         (long long)n);
      wk.r[i] = yn[i] - mn[i];
    }
    double nu = 0.0;
    if (ST) {
      nu = c.nu[c.nnu == 1 ? 0 : n];
      if (!pos_finite(nu))
        return set_error(c.err, MVC_DIST_ERR_DOMAIN, n, "%s: nu %lld is not positive", c.name,
                         (long long)n);
    }
    // quadratic form
    double quad = 0.0;
    if (KD == Kind::Prec) {
      const double* A = c.M + m * qq;  // lower triangle of Omega
      for (int i = 0; i < q; ++i) {
        double t = 0.0;
        for (int j = 0; j < q; ++j) t += (i >= j ? A[i + j * q] : A[j + i * q]) * wk.r[j];
        wk.w[i] = t;
        quad += wk.r[i] * t;
      }
    } else {
      la::fsolve(L, wk.r, wk.z, q);
      for (int i = 0; i < q; ++i) quad += wk.z[i] * wk.z[i];
      if (G) la::bsolve_t(L, wk.z, wk.w, q);
    }
    // value
    double a = 1.0;  // scale of the quadratic-form partials
    if (keep_c) lp -= q * (ST ? kLogSqrtPi : kLogSqrt2Pi);
    if (keep_ld) lp += (KD == Kind::Prec ? 0.5 : -0.5) * logdet;
    double dnu = 0.0;
    if (ST) {
      const double qd = q;
      if (inc(BNU)) {
        lp += cnu(nu, [qd](double v) {
          return lgam(0.5 * (v + qd)) - lgam(0.5 * v) - 0.5 * qd * std::log(v);
        });
        if (G) dnu += dcnu(nu, [qd](double v) {
          return 0.5 * digamma(0.5 * (v + qd)) - 0.5 * digamma(0.5 * v) - 0.5 * qd / v;
        });
      }
      if (keep_quad) {
        const double l1 = std::log1p(quad / nu);
        lp -= 0.5 * (nu + qd) * l1;
        a = (nu + qd) / (nu + quad);
        dnu += -0.5 * l1 + 0.5 * (nu + qd) * quad / (nu * (nu + quad));
      }
    } else if (keep_quad) {
      lp -= 0.5 * quad;
    }
    if (G) {
      if (ST && c.gnu) c.gnu[c.nnu == 1 ? 0 : n] += c.adj * dnu;
      if (keep_quad) {
        const double s = c.adj * a;
        if (c.gy) {
          double* g = c.gy + (c.ny == 1 ? 0 : n * q);
          for (int i = 0; i < q; ++i) g[i] -= s * wk.w[i];
        }
        if (c.gmu) {
          double* g = c.gmu + (c.nmu == 1 ? 0 : n * q);
          for (int i = 0; i < q; ++i) g[i] += s * wk.w[i];
        }
        if (want_gM) {
          if (KD == Kind::Chol) {
            for (int j = 0; j < q; ++j)
              for (int i = j; i < q; ++i) wk.Acc[i + j * q] += a * wk.w[i] * wk.z[j];
          } else if (KD == Kind::Prec) {
            for (int j = 0; j < q; ++j)
              for (int i = 0; i < q; ++i) wk.Acc[i + j * q] += wk.r[i] * wk.r[j];
          } else {
            for (int j = 0; j < q; ++j)
              for (int i = 0; i < q; ++i) wk.Acc[i + j * q] += a * wk.w[i] * wk.w[j];
          }
        }
      }
      ++cnt;
    }
  }
  flush();
  if (c.out) *c.out = lp;
  return MVC_DIST_OK;
}

template <int QC, Kind KD, bool G>
int run_fixed(const MvnCall& c) {
  double buf[4 * QC * QC + 3 * QC];
  Work wk;
  carve(buf, QC, &wk);
  return mvn_batch<QC, KD, G>(c, wk);
}

template <Kind KD, bool G>
int dispatch(const MvnCall& c, double* scratch) noexcept {
  if (c.err) { c.err->status = 0; c.err->index = -1; c.err->message[0] = 0; }
  if (c.q < 1) return set_error(c.err, MVC_DIST_ERR_SIZE, -1, "%s: q must be >= 1", c.name);
  switch (c.q) {
    case 1: return run_fixed<1, KD, G>(c);
    case 2: return run_fixed<2, KD, G>(c);
    case 3: return run_fixed<3, KD, G>(c);
    case 4: return run_fixed<4, KD, G>(c);
    case 5: return run_fixed<5, KD, G>(c);
    case 6: return run_fixed<6, KD, G>(c);
    case 7: return run_fixed<7, KD, G>(c);
    case 8: return run_fixed<8, KD, G>(c);
    default: {
      Scratch s;
      if (!s.init(scratch, scratch_size(c.q)))
        return set_error(c.err, MVC_DIST_ERR_ALLOC, -1, "%s: out of memory", c.name);
      Work wk;
      carve(s.p, c.q, &wk);
      return mvn_batch<0, KD, G>(c, wk);
    }
  }
}

// ---- prepared (data covariance): the precision P = Sigma^-1 (r' Sigma^-1 r = r' P r), and log det Sigma

// q = 1..8: one SIMD vector per item (GCC vector extensions; this file is built for the host
// CPU), of W = 2, 4 or 8 doubles, the smallest that holds q: r = y - mu, z = P r as q column
// FMAs, quad = sum(r .* z). The arguments were checked already. Two partial sums of lp keep
// the loop-carried dependency short.
//
// When q < W (q = 1, 3, 5, 6, 7) a vector read at an item's values also reads the W - q values
// after them (the next item's, or the next column of P). Those lanes of r and z are never
// used: z takes only r's first q lanes, r .* z is masked to its first q lanes (bitwise, so
// that even an infinite neighbour adds exactly 0), and the gradient is updated in q scalar
// steps (a vector update would overlap the next item's and stall store forwarding). Every
// item but the last has such a neighbour in the same array (W - q <= q); the last item and
// broadcast arguments (one y, mu or P for all) are read from zero-padded copies. Against the
// scalar loop these q used before (bench/math BM_Prepared, N = 2000, value + gradient): q = 1
// 5.7 -> 2.8 us, 3: 13.2 -> 6.9, 5: 26.9 -> 11.7, 6: 35.7 -> 14.3, 7: 60 -> 22.
template <int W>
struct SimdT;
template <>
struct SimdT<2> {
  typedef double type __attribute__((vector_size(16)));
  typedef int64_t mask __attribute__((vector_size(16)));
};
template <>
struct SimdT<4> {
  typedef double type __attribute__((vector_size(32)));
  typedef int64_t mask __attribute__((vector_size(32)));
};
template <>
struct SimdT<8> {
  typedef double type __attribute__((vector_size(64)));
  typedef int64_t mask __attribute__((vector_size(64)));
};
template <int Q>
constexpr int simd_width() {
  return Q <= 2 ? 2 : Q <= 4 ? 4 : 8;
}
template <int W>
inline typename SimdT<W>::type load_v(const double* p) {
  typename SimdT<W>::type v;
  std::memcpy(&v, p, sizeof v);
  return v;
}
template <int W>
inline void store_v(double* p, typename SimdT<W>::type v) {
  std::memcpy(p, &v, sizeof v);
}
template <int Q, bool G>
double prepared_simd(const double* y, int64_t ny, const double* mu, int64_t nmu, const double* prep, int64_t np,
                     int64_t N, double adj, double* gy, double* gmu) {
  constexpr int W = simd_width<Q>(), QQ = Q * Q;
  using V = typename SimdT<W>::type;
  using M = typename SimdT<W>::mask;
  M lanes;  // all ones in the first Q lanes
  for (int i = 0; i < W; ++i) lanes[i] = i < Q ? -1 : 0;
  const bool yB = ny == 1, mB = nmu == 1, pB = np == 1;
  // Zero-padded copies (a broadcast argument's) and gradient sums; P keeps its column stride
  // Q, padded at the end.
  alignas(64) double yb[W] = {}, mb[W] = {}, Pb[QQ + W] = {}, gyb[W] = {}, gmb[W] = {};
  if (yB) std::memcpy(yb, y, Q * sizeof(double));
  if (mB) std::memcpy(mb, mu, Q * sizeof(double));
  if (pB) std::memcpy(Pb, prep, QQ * sizeof(double));
  // Item n's arguments are at base + n * stride (stride 0: broadcast, from the padded copy).
  const double* Y = yB ? yb : y;
  const double* MU = mB ? mb : mu;
  const double* PP = pB ? Pb : prep;
  double* GY = G && gy ? (yB ? gyb : gy) : nullptr;  // null: not wanted
  double* GM = G && gmu ? (mB ? gmb : gmu) : nullptr;
  const int64_t sy = yB ? 0 : Q, smu = mB ? 0 : Q, sp = pB ? 0 : QQ;
  // quad summed lane-wise into two accumulators (items alternate), reduced once at the end
  V acc[2] = {V{}, V{}};
  // The loop, for whether y's and mu's gradients are wanted (compile-time flags, so that the
  // loop tests nothing per item).
  auto run = [&](auto gy_on, auto gm_on) {
    constexpr bool GYon = decltype(gy_on)::value, GMon = decltype(gm_on)::value;
    auto item = [&](const double* yn, const double* mn, const double* P, double* gyn, double* gmn, V& a) {
      const V r = load_v<W>(yn) - load_v<W>(mn);
      V z = load_v<W>(P) * r[0];
      for (int j = 1; j < Q; ++j) z += load_v<W>(P + j * Q) * r[j];
      if constexpr (W > Q) {
        a += (V)((M)(r * z) & lanes);
      } else {
        a += r * z;
      }
      if constexpr (GYon || GMon) {
        const V az = adj * z;
        if constexpr (W > Q) {  // q scalar updates: a vector's would overlap the next item's
          if constexpr (GYon)
            for (int i = 0; i < Q; ++i) gyn[i] -= az[i];
          if constexpr (GMon)
            for (int i = 0; i < Q; ++i) gmn[i] += az[i];
        } else {
          if constexpr (GYon) store_v<W>(gyn, load_v<W>(gyn) - az);
          if constexpr (GMon) store_v<W>(gmn, load_v<W>(gmn) + az);
        }
      }
    };
    auto in_place = [&](int64_t n, V& a) {
      item(Y + n * sy, MU + n * smu, PP + n * sp, GYon ? GY + n * sy : nullptr, GMon ? GM + n * smu : nullptr, a);
    };
    const int64_t direct = W == Q ? N : N - 1;  // the items read where they are
    int64_t n = 0;
    for (; n + 1 < direct; n += 2) {
      in_place(n, acc[0]);
      in_place(n + 1, acc[1]);
    }
    if (n < direct) in_place(n++, acc[0]);
    if (n < N) {  // the last item, when q < W: its arguments copied and padded
      alignas(64) double yl[W] = {}, ml[W] = {}, Pl[QQ + W] = {};
      std::memcpy(yl, Y + n * sy, Q * sizeof(double));
      std::memcpy(ml, MU + n * smu, Q * sizeof(double));
      std::memcpy(Pl, PP + n * sp, QQ * sizeof(double));
      item(yl, ml, Pl, GYon ? GY + n * sy : nullptr, GMon ? GM + n * smu : nullptr, acc[1]);
    }
  };
  using On = std::true_type;
  using Off = std::false_type;
  if (GY && GM) run(On{}, On{});
  else if (GY) run(On{}, Off{});
  else if (GM) run(Off{}, On{});
  else run(Off{}, Off{});
  for (int i = 0; i < Q; ++i) {
    if (yB && GY) gy[i] += gyb[i];
    if (mB && GM) gmu[i] += gmb[i];
  }
  const V t = acc[0] + acc[1];
  double quad = 0.0;
  for (int i = 0; i < Q; ++i) quad += t[i];
  return -0.5 * quad;
}

template <int QC, bool G>
int prepared_batch(const double* y, int64_t ny, const double* mu, int64_t nmu,
                   const double* prep, int64_t np, int qd, uint32_t active, int propto,
                   double* out, double adj, double* gy, double* gmu, mvc_dist_error* err) {
  const int q = LA<QC>::dim(qd), qq = q * q;
  int64_t N = 1;
  for (int64_t n : {ny, nmu, np}) {
    if (n == 1) continue;
    if (n < 0 || (N != 1 && n != N))
      return set_error(err, MVC_DIST_ERR_SIZE, -1,
                       "multi_normal: batch sizes do not match (y %lld, mu %lld, matrix %lld)",
                       (long long)ny, (long long)nmu, (long long)np);
    N = n;
  }
  const Inc inc{active & 3u, propto};
  const bool keep_quad = inc(3), keep_c = inc(0);
  const double* logdets = prep + np * qq;
  double r[QC > 0 ? QC : 64], z[QC > 0 ? QC : 64];
  std::vector<double> heap;
  double *rp = r, *zp = z;
  if (QC == 0 && q > 64) {
    try { heap.resize(2 * q); } catch (...) { return MVC_DIST_ERR_ALLOC; }
    rp = heap.data();
    zp = rp + q;
  }
  double lp = 0.0;
  if constexpr (QC >= 1) {
    // The branch-free SIMD loop, then the checks only if its result is not finite (a finite
    // result means every y and mu was finite). A bad argument is an error, and the gradient
    // is then unspecified, as for every kernel.
    if (keep_quad) {
      const double quad_lp = prepared_simd<QC, G>(y, ny, mu, nmu, prep, np, N, adj, G ? gy : nullptr, G ? gmu : nullptr);
      if (!std::isfinite(quad_lp))
        for (int64_t n = 0; n < N; ++n)
          for (int i = 0; i < q; ++i)
            if (std::isnan(y[(ny == 1 ? 0 : n * q) + i]) || !is_fin(mu[(nmu == 1 ? 0 : n * q) + i]))
              return set_error(err, MVC_DIST_ERR_DOMAIN, n, "multi_normal: y or mu %lld is not finite", (long long)n);
      if (keep_c)
        for (int64_t n = 0; n < N; ++n) lp -= q * kLogSqrt2Pi + 0.5 * logdets[np == 1 ? 0 : n];
      if (out) *out = lp + quad_lp;
      return MVC_DIST_OK;
    }
  }
  for (int64_t n = 0; n < N; ++n) {
    const int64_t m = np == 1 ? 0 : n;
    const double* P = prep + m * qq;
    const double* yn = y + (ny == 1 ? 0 : n * q);
    const double* mn = mu + (nmu == 1 ? 0 : n * q);
    for (int i = 0; i < q; ++i) {
      if (std::isnan(yn[i]) || !is_fin(mn[i]))
        return set_error(err, MVC_DIST_ERR_DOMAIN, n, "multi_normal: y or mu %lld is not finite",
                         (long long)n);
      rp[i] = yn[i] - mn[i];
    }
    if (keep_c) lp -= q * kLogSqrt2Pi + 0.5 * logdets[m];
    if (!keep_quad) continue;
    // w = P r with P = Sigma^-1 (symmetric, full): quad = r' w, d/dy = -w, d/dmu = w
    double quad = 0.0;
    for (int i = 0; i < q; ++i) zp[i] = 0.0;
    for (int j = 0; j < q; ++j) {
      const double rj = rp[j];
      for (int i = 0; i < q; ++i) zp[i] += P[i + j * q] * rj;
    }
    for (int i = 0; i < q; ++i) quad += rp[i] * zp[i];
    lp -= 0.5 * quad;
    if (G) {
      if (gy) {
        double* g = gy + (ny == 1 ? 0 : n * q);
        for (int i = 0; i < q; ++i) g[i] -= adj * zp[i];
      }
      if (gmu) {
        double* g = gmu + (nmu == 1 ? 0 : n * q);
        for (int i = 0; i < q; ++i) g[i] += adj * zp[i];
      }
    }
  }
  if (out) *out = lp;
  return MVC_DIST_OK;
}

template <bool G>
int prepared_dispatch(const double* y, int64_t ny, const double* mu, int64_t nmu,
                      const double* prep, int64_t np, int64_t q, uint32_t active, int propto,
                      double* out, double adj, double* gy, double* gmu,
                      mvc_dist_error* err) noexcept {
  if (err) { err->status = 0; err->index = -1; err->message[0] = 0; }
  if (q < 1) return set_error(err, MVC_DIST_ERR_SIZE, -1, "multi_normal: q must be >= 1");
#define MVC_P(QC) \
  prepared_batch<QC, G>(y, ny, mu, nmu, prep, np, (int)q, active, propto, out, adj, gy, gmu, err)
  switch (q) {
    case 1: return MVC_P(1);
    case 2: return MVC_P(2);
    case 3: return MVC_P(3);
    case 4: return MVC_P(4);
    case 5: return MVC_P(5);
    case 6: return MVC_P(6);
    case 7: return MVC_P(7);
    case 8: return MVC_P(8);
    default: return MVC_P(0);
  }
#undef MVC_P
}

int prepare(Kind kd, const double* A, int64_t n, int64_t q64, double* prep,
            mvc_dist_error* err) noexcept {
  if (err) { err->status = 0; err->index = -1; err->message[0] = 0; }
  if (q64 < 1 || n < 0) return set_error(err, MVC_DIST_ERR_SIZE, -1, "multi_normal: bad sizes");
  const int q = (int)q64, qq = q * q;
  Scratch s;
  if (!s.init(nullptr, 2 * qq)) return MVC_DIST_ERR_ALLOC;
  double *L = s.p, *Li = s.p + qq;
  using la = LA<0>;
  const char* what = kd == Kind::Prec ? "precision" : "covariance";
  for (int64_t m = 0; m < n; ++m) {
    const double* Am = A + m * qq;
    double* P = prep + m * qq;
    const double* Lm = L;
    if (kd == Kind::Chol) {
      for (int i = 0; i < q; ++i)
        if (!pos_finite(Am[i + i * q]))
          return set_error(err, MVC_DIST_ERR_NOT_PD, m,
                           "multi_normal_cholesky: Cholesky factor %lld has a non-positive "
                           "diagonal element", (long long)m);
      for (int j = 0; j < q; ++j)
        for (int i = 0; i < q; ++i) L[i + j * q] = i >= j ? Am[i + j * q] : 0.0;
    } else {
      if (!la::symmetric(Am, q))
        return set_error(err, MVC_DIST_ERR_NOT_SYMMETRIC, m, "multi_normal: %s matrix %lld is not symmetric",
                         what, (long long)m);
      if (!la::chol(Am, L, q))
        return set_error(err, MVC_DIST_ERR_NOT_PD, m,
                         "multi_normal: %s matrix %lld is not positive definite", what,
                         (long long)m);
    }
    const double ld = la::log_det_from_chol(Lm, q);
    if (kd == Kind::Prec) {  // P = Omega itself (its lower triangle mirrored); log det Sigma = -log det Omega
      for (int j = 0; j < q; ++j)
        for (int i = 0; i < q; ++i) P[i + j * q] = i >= j ? Am[i + j * q] : Am[j + i * q];
      prep[n * qq + m] = -ld;
    } else {  // P = Sigma^-1 = L^-T L^-1
      la::inv_lower(L, Li, q);
      la::inv_from_inv_lower(Li, P, q);
      prep[n * qq + m] = ld;
    }
  }
  return MVC_DIST_OK;
}

// Items that share their matrix and mean, summarised by their count n, mean ybar and centered
// scatter C = sum (y_i - ybar)(y_i - ybar)': with d = ybar - mu the scatter about mu is
// S = C + n d d' (no cancellation when mu is far from the data), and
//   sum_i lp_i = -n q/2 log(2 pi) - n/2 log det Sigma - 1/2 tr(Sigma^-1 S)
//   d/dmu = n Sigma^-1 d;  d/dSigma = 1/2 (P S P - n P) with P = Sigma^-1;
//   d/dL = lower(P S L^-T) - n diag(1/L_ii);  d/dOmega = 1/2 (n Omega^-1 - S).
// The same partials as the per-item kernel summed over the items, at O(q^3) per group.
int stats_group(Kind kd, int q, double n, const double* ybar, const double* C, const double* mu,
                const double* M, uint32_t active, int propto, double* out, double* gmu, double* gM,
                mvc_dist_error* err) noexcept {
  using la = LA<0>;
  const int qq = q * q;
  const char* name = kd == Kind::Chol ? "multi_normal_cholesky" : kd == Kind::Prec ? "multi_normal_prec" : "multi_normal";
  Scratch s;  // on the stack up to q = 8: it runs once per group of every gradient
  double local[5 * 64 + 8];
  const int64_t need = 5 * qq + q;
  if (!s.init(need <= static_cast<int64_t>(sizeof local / sizeof local[0]) ? local : nullptr, need))
    return set_error(err, MVC_DIST_ERR_ALLOC, -1, "%s: out of memory", name);
  double *L = s.p, *Li = L + qq, *P = Li + qq, *S = P + qq, *T = S + qq, *d = T + qq;
  const Inc inc{active, propto};
  const bool keep_quad = inc(7), keep_ld = inc(4), keep_c = inc(0);
  for (int i = 0; i < q; ++i) {
    if (!is_fin(mu[i])) return set_error(err, MVC_DIST_ERR_DOMAIN, -1, "%s: mu is not finite", name);
    d[i] = ybar[i] - mu[i];
  }
  for (int j = 0; j < q; ++j)
    for (int i = 0; i < q; ++i) S[i + j * q] = C[i + j * q] + n * d[i] * d[j];
  // The factor and the inverse of the covariance (or of the precision, for its log det).
  if (kd == Kind::Chol) {
    for (int i = 0; i < q; ++i)
      if (!pos_finite(M[i + i * q]))
        return set_error(err, MVC_DIST_ERR_NOT_PD, 0, "%s: Cholesky factor has a non-positive diagonal element", name);
    for (int j = 0; j < q; ++j)
      for (int i = 0; i < q; ++i) L[i + j * q] = i >= j ? M[i + j * q] : 0.0;
  } else {
    if (!la::symmetric(M, q))
      return set_error(err, MVC_DIST_ERR_NOT_SYMMETRIC, 0, "%s: %s matrix is not symmetric", name,
                       kd == Kind::Prec ? "precision" : "covariance");
    if (!la::chol(M, L, q))
      return set_error(err, MVC_DIST_ERR_NOT_PD, 0, "%s: %s matrix is not positive definite", name,
                       kd == Kind::Prec ? "precision" : "covariance");
  }
  la::inv_lower(L, Li, q);
  la::inv_from_inv_lower(Li, P, q);  // Sigma^-1, or Omega^-1 for the precision form
  const double logdet = la::log_det_from_chol(L, q);
  // The quadratic form tr(A S) with A = Sigma^-1 (P) or Omega (its lower triangle mirrored).
  auto A = [&](int i, int j) { return kd == Kind::Prec ? (i >= j ? M[i + j * q] : M[j + i * q]) : P[i + j * q]; };
  double quad = 0.0;
  for (int j = 0; j < q; ++j)
    for (int i = 0; i < q; ++i) quad += A(i, j) * S[i + j * q];
  double lp = 0.0;
  if (keep_c) lp -= n * q * kLogSqrt2Pi;
  if (keep_ld) lp += (kd == Kind::Prec ? 0.5 : -0.5) * n * logdet;
  if (keep_quad) lp -= 0.5 * quad;
  *out = lp;
  if (gmu && keep_quad)
    for (int i = 0; i < q; ++i) {
      double t = 0.0;
      for (int j = 0; j < q; ++j) t += A(i, j) * d[j];
      gmu[i] += n * t;
    }
  if (!gM) return MVC_DIST_OK;
  const double kld = keep_ld ? n : 0.0, kq = keep_quad ? 1.0 : 0.0;
  if (kd == Kind::Prec) {
    for (int k = 0; k < qq; ++k) gM[k] += 0.5 * (kld * P[k] - kq * S[k]);
    return MVC_DIST_OK;
  }
  // T = P S (then P S P, or P S L^-T)
  for (int j = 0; j < q; ++j)
    for (int i = 0; i < q; ++i) {
      double t = 0.0;
      for (int k = 0; k < q; ++k) t += P[i + k * q] * S[k + j * q];
      T[i + j * q] = t;
    }
  if (kd == Kind::Cov) {
    for (int j = 0; j < q; ++j)
      for (int i = 0; i < q; ++i) {
        double t = 0.0;
        for (int k = 0; k < q; ++k) t += T[i + k * q] * P[k + j * q];
        gM[i + j * q] += 0.5 * (kq * t - kld * P[i + j * q]);
      }
    return MVC_DIST_OK;
  }
  for (int j = 0; j < q; ++j) {  // Cholesky: lower(P S L^-T) - n diag(1/L_ii); (L^-T)_kj = Li_jk
    gM[j + j * q] -= kld / L[j + j * q];
    for (int i = j; i < q; ++i) {
      double t = 0.0;
      for (int k = 0; k <= j; ++k) t += T[i + k * q] * Li[j + k * q];
      gM[i + j * q] += kq * t;
    }
  }
  return MVC_DIST_OK;
}

}  // namespace
}  // namespace mvc::dist

using namespace mvc::dist;

extern "C" int64_t mvc_dist_scratch_size(int64_t q) noexcept { return scratch_size(q < 1 ? 1 : q); }

#define MVC_MVN(fname, KD, label)                                                            \
  extern "C" int mvc_##fname##_lpdf(const double* y, int64_t n_y, const double* mu,         \
                                    int64_t n_mu, const double* M, int64_t n_M, int64_t q,  \
                                    uint32_t active, int propto, double* out,               \
                                    double* scratch, mvc_dist_error* err) noexcept {        \
    const MvnCall c{y, mu, M, nullptr, n_y, n_mu, n_M, 1, (int)q, active, propto, out, 0.0, \
                    nullptr, nullptr, nullptr, nullptr, err, label};                        \
    return dispatch<KD, false>(c, scratch);                                                  \
  }                                                                                          \
  extern "C" int mvc_##fname##_lpdf_grad(                                                   \
      const double* y, int64_t n_y, const double* mu, int64_t n_mu, const double* M,        \
      int64_t n_M, int64_t q, uint32_t active, int propto, double adj, double* g_y,         \
      double* g_mu, double* g_M, double* scratch, mvc_dist_error* err) noexcept {           \
    const MvnCall c{y, mu, M, nullptr, n_y, n_mu, n_M, 1, (int)q, active, propto, nullptr,  \
                    adj, g_y, g_mu, g_M, nullptr, err, label};                              \
    return dispatch<KD, true>(c, scratch);                                                   \
  }                                                                                          \
  extern "C" int mvc_##fname##_lpdf_vgrad(                                                  \
      const double* y, int64_t n_y, const double* mu, int64_t n_mu, const double* M,        \
      int64_t n_M, int64_t q, uint32_t active, int propto, double* out, double adj,         \
      double* g_y, double* g_mu, double* g_M, double* scratch, mvc_dist_error* err) noexcept { \
    const MvnCall c{y, mu, M, nullptr, n_y, n_mu, n_M, 1, (int)q, active, propto, out,      \
                    adj, g_y, g_mu, g_M, nullptr, err, label};                              \
    return dispatch<KD, true>(c, scratch);                                                   \
  }

MVC_MVN(multi_normal, Kind::Cov, "multi_normal")
MVC_MVN(multi_normal_cholesky, Kind::Chol, "multi_normal_cholesky")
MVC_MVN(multi_normal_prec, Kind::Prec, "multi_normal_prec")

extern "C" int mvc_multi_student_t_lpdf(const double* y, int64_t n_y, const double* nu,
                                        int64_t n_nu, const double* mu, int64_t n_mu,
                                        const double* Sigma, int64_t n_Sigma, int64_t q,
                                        uint32_t active, int propto, double* out,
                                        double* scratch, mvc_dist_error* err) noexcept {
  const MvnCall c{y, mu, Sigma, nu, n_y, n_mu, n_Sigma, n_nu, (int)q, active, propto, out, 0.0,
                  nullptr, nullptr, nullptr, nullptr, err, "multi_student_t"};
  return dispatch<Kind::StudentT, false>(c, scratch);
}
extern "C" int mvc_multi_student_t_lpdf_grad(const double* y, int64_t n_y, const double* nu,
                                             int64_t n_nu, const double* mu, int64_t n_mu,
                                             const double* Sigma, int64_t n_Sigma, int64_t q,
                                             uint32_t active, int propto, double adj,
                                             double* g_y, double* g_nu, double* g_mu,
                                             double* g_Sigma, double* scratch,
                                             mvc_dist_error* err) noexcept {
  const MvnCall c{y, mu, Sigma, nu, n_y, n_mu, n_Sigma, n_nu, (int)q, active, propto, nullptr,
                  adj, g_y, g_mu, g_Sigma, g_nu, err, "multi_student_t"};
  return dispatch<Kind::StudentT, true>(c, scratch);
}

extern "C" int mvc_multi_student_t_lpdf_vgrad(const double* y, int64_t n_y, const double* nu,
                                              int64_t n_nu, const double* mu, int64_t n_mu,
                                              const double* Sigma, int64_t n_Sigma, int64_t q,
                                              uint32_t active, int propto, double* out, double adj,
                                              double* g_y, double* g_nu, double* g_mu,
                                              double* g_Sigma, double* scratch,
                                              mvc_dist_error* err) noexcept {
  const MvnCall c{y, mu, Sigma, nu, n_y, n_mu, n_Sigma, n_nu, (int)q, active, propto, out,
                  adj, g_y, g_mu, g_Sigma, g_nu, err, "multi_student_t"};
  return dispatch<Kind::StudentT, true>(c, scratch);
}

extern "C" int64_t mvc_multi_normal_prepared_size(int64_t n, int64_t q) noexcept {
  return n * (q * q + 1);
}
extern "C" int mvc_multi_normal_prepare(const double* Sigma, int64_t n, int64_t q,
                                        double* prepared, mvc_dist_error* err) noexcept {
  return prepare(Kind::Cov, Sigma, n, q, prepared, err);
}
extern "C" int mvc_multi_normal_cholesky_prepare(const double* L, int64_t n, int64_t q,
                                                 double* prepared, mvc_dist_error* err) noexcept {
  return prepare(Kind::Chol, L, n, q, prepared, err);
}
extern "C" int mvc_multi_normal_prec_prepare(const double* Omega, int64_t n, int64_t q,
                                             double* prepared, mvc_dist_error* err) noexcept {
  return prepare(Kind::Prec, Omega, n, q, prepared, err);
}
extern "C" int mvc_multi_normal_prepared_lpdf(const double* y, int64_t n_y, const double* mu,
                                              int64_t n_mu, const double* prepared,
                                              int64_t n_prepared, int64_t q, uint32_t active,
                                              int propto, double* out,
                                              mvc_dist_error* err) noexcept {
  return prepared_dispatch<false>(y, n_y, mu, n_mu, prepared, n_prepared, q, active, propto, out,
                                  0.0, nullptr, nullptr, err);
}
extern "C" int mvc_multi_normal_prepared_lpdf_grad(const double* y, int64_t n_y,
                                                   const double* mu, int64_t n_mu,
                                                   const double* prepared, int64_t n_prepared,
                                                   int64_t q, uint32_t active, int propto,
                                                   double adj, double* g_y, double* g_mu,
                                                   mvc_dist_error* err) noexcept {
  return prepared_dispatch<true>(y, n_y, mu, n_mu, prepared, n_prepared, q, active, propto,
                                 nullptr, adj, g_y, g_mu, err);
}
extern "C" int mvc_multi_normal_prepared_lpdf_vgrad(const double* y, int64_t n_y,
                                                    const double* mu, int64_t n_mu,
                                                    const double* prepared, int64_t n_prepared,
                                                    int64_t q, uint32_t active, int propto,
                                                    double* out, double adj, double* g_y,
                                                    double* g_mu, mvc_dist_error* err) noexcept {
  return prepared_dispatch<true>(y, n_y, mu, n_mu, prepared, n_prepared, q, active, propto,
                                 out, adj, g_y, g_mu, err);
}

extern "C" int mvc_multi_normal_stats_lpdf_vgrad(int family, int64_t q, double n, const double* ybar, const double* C,
                                                 const double* mu, const double* M, uint32_t active, int propto,
                                                 double* out, double* g_mu, double* g_M, mvc_dist_error* err) noexcept {
  if (err) { err->status = 0; err->index = -1; err->message[0] = 0; }
  if (q < 1 || family < 0 || family > 2) return set_error(err, MVC_DIST_ERR_SIZE, -1, "multi_normal: bad arguments");
  const Kind kd = family == 0 ? Kind::Cov : family == 1 ? Kind::Chol : Kind::Prec;
  return stats_group(kd, (int)q, n, ybar, C, mu, M, active, propto, out, g_mu, g_M, err);
}
