// LKJ, Wishart, inverse Wishart, Dirichlet and the log CDFs: values against independent
// closed forms, propto, gradients against finite differences.
#include <gtest/gtest.h>

#include <Eigen/Dense>
#include <cmath>
#include <vector>

#include "dist_test_util.h"
#include "mvc/distributions.h"

using namespace mvc_test;
using Eigen::MatrixXd;

namespace {

const double kPi = 3.14159265358979323846;

Vec corr3() {  // a 3x3 correlation matrix
  MatrixXd S(3, 3);
  S << 1, 0.3, -0.2, 0.3, 1, 0.4, -0.2, 0.4, 1;
  return Vec(S.data(), S.data() + 9);
}
Vec chol_of(const Vec& S, int K) {
  MatrixXd L = Eigen::Map<const MatrixXd>(S.data(), K, K).llt().matrixL();
  return Vec(L.data(), L.data() + K * K);
}

TEST(Lkj, TwoByTwoClosedForm) {
  // K = 2: density of r is (1 - r^2)^(eta - 1) / (B(eta, eta) 2^(2 eta - 1))
  for (double eta : {0.5, 1.0, 2.5}) {
    const double r = 0.35;
    const Vec S{1, r, r, 1};
    double out;
    ASSERT_EQ(mvc_lkj_corr_lpdf(S.data(), 1, &eta, 1, 2, 3, 0, &out, nullptr, nullptr), 0);
    const double lbeta = 2 * std::lgamma(eta) - std::lgamma(2 * eta);
    const double ref = (eta - 1) * std::log(1 - r * r) - lbeta - (2 * eta - 1) * std::log(2.0);
    expect_rel(out, ref, 1e-10, "lkj_corr K=2");
  }
}

TEST(Lkj, EtaOneConstantMatchesStansSpecialCase) {
  for (int K : {2, 3, 4, 5, 6}) {
    // Stan's eta == 1 closed form of the normalising constant
    const int Km1 = K - 1;
    double c = 0;
    for (int k = 1; k <= Km1 / 2; ++k) c -= std::lgamma(2.0 * k);
    if (K % 2 == 1)
      c -= 0.25 * (K * K - 1) * std::log(kPi) - 0.25 * (Km1 * Km1) * std::log(2.0) - Km1 * std::lgamma(0.5 * (K + 1));
    else
      c -= 0.25 * K * (K - 2) * std::log(kPi) + 0.25 * (3 * K * K - 4 * K) * std::log(2.0) + K * std::lgamma(0.5 * K) - Km1 * std::lgamma(double(K));
    MatrixXd I = MatrixXd::Identity(K, K);
    const double eta = 1.0;
    double out;
    ASSERT_EQ(mvc_lkj_corr_lpdf(I.data(), 1, &eta, 1, K, 3, 0, &out, nullptr, nullptr), 0);
    expect_rel(out, c, 1e-10, "lkj eta=1 constant");
  }
}

TEST(Lkj, CholeskyIsCorrPlusJacobianAndGradients) {
  const int K = 3;
  const Vec S = corr3(), L = chol_of(S, K);
  const double eta = 1.7;
  double a, b;
  ASSERT_EQ(mvc_lkj_corr_lpdf(S.data(), 1, &eta, 1, K, 3, 0, &a, nullptr, nullptr), 0);
  ASSERT_EQ(mvc_lkj_corr_cholesky_lpdf(L.data(), 1, &eta, 1, K, 3, 0, &b, nullptr), 0);
  double jac = 0;
  for (int i = 1; i < K; ++i) jac += (K - i - 1) * std::log(L[i + i * K]);
  expect_rel(b, a + jac, 1e-10, "lkj_corr_cholesky = lkj_corr(LL') + log Jacobian");
  // propto: eta data drops the constant only
  double p;
  ASSERT_EQ(mvc_lkj_corr_cholesky_lpdf(L.data(), 1, &eta, 1, K, 1, 1, &p, nullptr), 0);
  double c = 2 * std::lgamma(eta + 1) - (0.5 * std::log(kPi) + std::lgamma(eta + 0.5)) - (std::log(kPi) + std::lgamma(eta));
  expect_rel(b - p, c, 1e-10, "propto drops c(eta)");
  // gradients
  for (uint32_t act : {3u, 1u, 2u}) {
    for (int propto : {0, 1}) {
      Vec gL(9, 0.0);
      double ge = 0;
      ASSERT_EQ(mvc_lkj_corr_cholesky_lpdf_grad(L.data(), 1, &eta, 1, K, act, propto, 1.0, gL.data(), &ge, nullptr), 0);
      auto fL = [&](const Vec& v) { double o; mvc_lkj_corr_cholesky_lpdf(v.data(), 1, &eta, 1, K, act, propto, &o, nullptr); return o; };
      for (int j = 0; j < K; ++j)
        for (int i = j; i < K; ++i) EXPECT_NEAR(gL[i + j * K], fd(fL, L, i + j * K, 1e-6), 1e-6);
      auto fe = [&](const Vec& v) { double o; mvc_lkj_corr_cholesky_lpdf(L.data(), 1, v.data(), 1, K, act, propto, &o, nullptr); return o; };
      EXPECT_NEAR(ge, fd(fe, Vec{eta}, 0, 1e-6), 1e-6);
      Vec gS(9, 0.0);
      ge = 0;
      ASSERT_EQ(mvc_lkj_corr_lpdf_grad(S.data(), 1, &eta, 1, K, act, propto, 1.0, gS.data(), &ge, nullptr, nullptr), 0);
      auto fe2 = [&](const Vec& v) { double o; mvc_lkj_corr_lpdf(S.data(), 1, v.data(), 1, K, act, propto, &o, nullptr, nullptr); return o; };
      EXPECT_NEAR(ge, fd(fe2, Vec{eta}, 0, 1e-6), 1e-6);
      // off-diagonal, symmetric perturbation (keeps a correlation matrix)
      for (int j = 0; j < K; ++j)
        for (int i = j + 1; i < K; ++i) {
          auto f = [&](const Vec& t) { Vec SS = S; SS[i + j * K] += t[0]; SS[j + i * K] += t[0]; double o; mvc_lkj_corr_lpdf(SS.data(), 1, &eta, 1, K, act, propto, &o, nullptr, nullptr); return o; };
          EXPECT_NEAR(gS[i + j * K] + gS[j + i * K], fd(f, Vec{0.0}, 0, 1e-6), 1e-6);
        }
    }
  }
}

TEST(Lkj, BatchedAndErrors) {
  const int K = 3;
  Vec S = corr3();
  Vec S2 = S;
  S2.insert(S2.end(), S.begin(), S.end());
  S2[9 + 1] = S2[9 + 3] = -0.1;
  const Vec eta{1.5, 3.0};
  double both, a, b;
  ASSERT_EQ(mvc_lkj_corr_lpdf(S2.data(), 2, eta.data(), 2, K, 3, 0, &both, nullptr, nullptr), 0);
  ASSERT_EQ(mvc_lkj_corr_lpdf(S2.data(), 1, &eta[0], 1, K, 3, 0, &a, nullptr, nullptr), 0);
  ASSERT_EQ(mvc_lkj_corr_lpdf(S2.data() + 9, 1, &eta[1], 1, K, 3, 0, &b, nullptr, nullptr), 0);
  EXPECT_NEAR(both, a + b, 1e-12);
  Vec bad = S2;
  bad[9] = 1.2;  // diagonal of matrix 1
  mvc_dist_error err;
  EXPECT_EQ(mvc_lkj_corr_lpdf(bad.data(), 2, eta.data(), 2, K, 3, 0, &a, nullptr, &err), MVC_DIST_ERR_NOT_PD);
  EXPECT_EQ(err.index, 1);
  const double neg = -1;
  EXPECT_EQ(mvc_lkj_corr_lpdf(S.data(), 1, &neg, 1, K, 3, 0, &a, nullptr, nullptr), MVC_DIST_ERR_DOMAIN);
}

TEST(Wishart, OneByOneIsGammaAndInvWishartIsInvGamma) {
  const double w = 2.3, nu = 4.5, s = 0.7;
  double out, ref;
  ASSERT_EQ(mvc_wishart_lpdf(&w, 1, &nu, 1, &s, 1, 1, 7, 0, &out, nullptr, nullptr), 0);
  const double a = nu / 2, b = 1 / (2 * s);  // Gamma(shape nu/2, rate 1/(2s))
  ref = a * std::log(b) - std::lgamma(a) + (a - 1) * std::log(w) - b * w;
  expect_rel(out, ref, 1e-10, "wishart q=1");
  ASSERT_EQ(mvc_inv_wishart_lpdf(&w, 1, &nu, 1, &s, 1, 1, 7, 0, &out, nullptr, nullptr), 0);
  const double bi = s / 2;  // InvGamma(nu/2, s/2)
  ref = a * std::log(bi) - std::lgamma(a) - (a + 1) * std::log(w) - bi / w;
  expect_rel(out, ref, 1e-10, "inv_wishart q=1");
}

TEST(Wishart, ThreeByThreeReferenceAndGradients) {
  const int q = 3;
  MatrixXd W(3, 3), S(3, 3);
  W << 2.0, 0.3, 0.1, 0.3, 1.5, -0.2, 0.1, -0.2, 1.1;
  S << 1.0, 0.2, 0.0, 0.2, 0.8, 0.1, 0.0, 0.1, 1.3;
  const double nu = 5.5;
  auto lmgamma = [](int k, double x) {
    double r = 0.25 * k * (k - 1) * std::log(kPi);
    for (int j = 1; j <= k; ++j) r += std::lgamma(x + 0.5 * (1 - j));
    return r;
  };
  const double refW = 0.5 * (nu - q - 1) * std::log(W.determinant()) - 0.5 * (S.inverse() * W).trace() -
                      0.5 * nu * q * std::log(2.0) - 0.5 * nu * std::log(S.determinant()) - lmgamma(q, nu / 2);
  const double refI = 0.5 * nu * std::log(S.determinant()) - 0.5 * (nu + q + 1) * std::log(W.determinant()) -
                      0.5 * (S * W.inverse()).trace() - 0.5 * nu * q * std::log(2.0) - lmgamma(q, nu / 2);
  const Vec Wv(W.data(), W.data() + 9), Sv(S.data(), S.data() + 9);
  for (int inv : {0, 1}) {
    auto lp = inv ? mvc_inv_wishart_lpdf : mvc_wishart_lpdf;
    auto gr = inv ? mvc_inv_wishart_lpdf_grad : mvc_wishart_lpdf_grad;
    double out;
    ASSERT_EQ(lp(Wv.data(), 1, &nu, 1, Sv.data(), 1, q, 7, 0, &out, nullptr, nullptr), 0);
    expect_rel(out, inv ? refI : refW, 1e-10, "wishart 3x3");
    // propto with nu, S data: only the W terms remain
    double p;
    ASSERT_EQ(lp(Wv.data(), 1, &nu, 1, Sv.data(), 1, q, 1, 1, &p, nullptr, nullptr), 0);
    const double wterms = inv ? -0.5 * (nu + q + 1) * std::log(W.determinant()) - 0.5 * (S * W.inverse()).trace()
                              : 0.5 * (nu - q - 1) * std::log(W.determinant()) - 0.5 * (S.inverse() * W).trace();
    expect_rel(p, wterms, 1e-10, "wishart propto");
    for (uint32_t act : {7u, 1u, 4u}) {
      for (int propto : {0, 1}) {
        Vec gW(9, 0.0), gS(9, 0.0);
        double gnu = 0;
        ASSERT_EQ(gr(Wv.data(), 1, &nu, 1, Sv.data(), 1, q, act, propto, 1.0, gW.data(), &gnu, gS.data(), nullptr, nullptr), 0);
        for (int which = 0; which < 2; ++which)
          for (int j = 0; j < q; ++j)
            for (int i = j; i < q; ++i) {
              auto f = [&](const Vec& t) {
                Vec A = Wv, B = Sv;
                Vec& M = which ? B : A;
                M[i + j * q] += t[0];
                if (i != j) M[j + i * q] += t[0];
                double o;
                lp(A.data(), 1, &nu, 1, B.data(), 1, q, act, propto, &o, nullptr, nullptr);
                return o;
              };
              const Vec& g = which ? gS : gW;
              const double gg = i == j ? g[i + j * q] : g[i + j * q] + g[j + i * q];
              EXPECT_NEAR(gg, fd(f, Vec{0.0}, 0, 1e-5), 1e-6 * (1 + std::fabs(gg)));
            }
        auto fn = [&](const Vec& v) { double o; lp(Wv.data(), 1, v.data(), 1, Sv.data(), 1, q, act, propto, &o, nullptr, nullptr); return o; };
        EXPECT_NEAR(gnu, fd(fn, Vec{nu}, 0, 1e-5), 1e-6);
      }
    }
  }
  const double badnu = 1.5;
  EXPECT_EQ(mvc_wishart_lpdf(Wv.data(), 1, &badnu, 1, Sv.data(), 1, q, 7, 0, nullptr, nullptr, nullptr), MVC_DIST_ERR_DOMAIN);
}

TEST(Dirichlet, BetaWhenKIsTwoAndGradients) {
  const Vec th{0.3, 0.7}, al{2.5, 1.5};
  double out, b;
  ASSERT_EQ(mvc_dirichlet_lpdf(th.data(), 1, al.data(), 1, 2, 3, 0, &out, nullptr), 0);
  ASSERT_EQ(mvc_beta_lpdf(&th[0], 1, &al[0], 1, &al[1], 1, 7, 0, &b), 0);
  expect_rel(out, b, 1e-10, "dirichlet K=2 = beta");
  const Vec t3{0.2, 0.5, 0.3, 0.6, 0.1, 0.3}, a3{1.5, 0.7, 3.0};
  double both;
  ASSERT_EQ(mvc_dirichlet_lpdf(t3.data(), 2, a3.data(), 1, 3, 3, 0, &both, nullptr), 0);
  double ref = 0;
  for (int n = 0; n < 2; ++n) {
    ref += std::lgamma(5.2) - std::lgamma(1.5) - std::lgamma(0.7) - std::lgamma(3.0);
    for (int k = 0; k < 3; ++k) ref += (a3[k] - 1) * std::log(t3[n * 3 + k]);
  }
  expect_rel(both, ref, 1e-10, "dirichlet batched broadcast alpha");
  for (uint32_t act : {3u, 2u}) {
    Vec ga(3, 0.0);
    ASSERT_EQ(mvc_dirichlet_lpdf_grad(t3.data(), 2, a3.data(), 1, 3, act, 1, 1.0, nullptr, ga.data(), nullptr), 0);
    auto f = [&](const Vec& v) { double o; mvc_dirichlet_lpdf(t3.data(), 2, v.data(), 1, 3, act, 1, &o, nullptr); return o; };
    for (int k = 0; k < 3; ++k) EXPECT_NEAR(ga[k], fd(f, a3, k), 1e-6);
  }
  Vec gt(6, 0.0);  // theta gradient: (alpha - 1) / theta
  ASSERT_EQ(mvc_dirichlet_lpdf_grad(t3.data(), 2, a3.data(), 1, 3, 3, 0, 1.0, gt.data(), nullptr, nullptr), 0);
  for (int i = 0; i < 6; ++i) EXPECT_NEAR(gt[i], (a3[i % 3] - 1) / t3[i], 1e-12);
  const Vec bad{0.5, 0.6};
  EXPECT_EQ(mvc_dirichlet_lpdf(bad.data(), 1, al.data(), 1, 2, 3, 0, &out, nullptr), MVC_DIST_ERR_DOMAIN);
}

// ---- log CDFs
TEST(Cdf, NormalTailsAgainstHighPrecision) {
  // values from mpmath (30 digits)
  const double mu = 0, s = 1;
  struct { double z, lcdf; } pts[] = {{-40, -804.608442013753788166606832919},
                                      {-10, -53.2312851505124705783470273541},
                                      {8, -6.22096057427178580937482943641e-16}};
  for (auto p : pts) {
    double out;
    ASSERT_EQ(mvc_normal_lcdf(&p.z, 1, &mu, 1, &s, 1, &out), 0);
    EXPECT_NEAR(out, p.lcdf, 1e-12 * std::fabs(p.lcdf)) << p.z;
    const double mz = -p.z;
    ASSERT_EQ(mvc_normal_lccdf(&mz, 1, &mu, 1, &s, 1, &out), 0);
    EXPECT_NEAR(out, p.lcdf, 1e-12 * std::fabs(p.lcdf)) << p.z;
  }
}

TEST(Cdf, ClosedFormsAndGradients) {
  struct C {
    const char* name;
    std::function<int(const Vec&, double*)> f;
    std::function<int(const Vec&, Vec&)> g;
    std::function<double(const Vec&)> ref;
    std::vector<Vec> pts;
  };
  auto Phi = [](double z) { return 0.5 * std::erfc(-z / std::sqrt(2.0)); };
  std::vector<C> cs = {
      {"normal_lcdf", [](const Vec& x, double* o) { return mvc_normal_lcdf(&x[0], 1, &x[1], 1, &x[2], 1, o); },
       [](const Vec& x, Vec& g) { return mvc_normal_lcdf_grad(&x[0], 1, &x[1], 1, &x[2], 1, 1.0, &g[0], &g[1], &g[2]); },
       [&](const Vec& x) { return std::log(Phi((x[0] - x[1]) / x[2])); }, {{0.3, -0.2, 1.5}, {-3, 1, 0.8}, {-12, 0, 1}}},
      {"normal_lccdf", [](const Vec& x, double* o) { return mvc_normal_lccdf(&x[0], 1, &x[1], 1, &x[2], 1, o); },
       [](const Vec& x, Vec& g) { return mvc_normal_lccdf_grad(&x[0], 1, &x[1], 1, &x[2], 1, 1.0, &g[0], &g[1], &g[2]); },
       [&](const Vec& x) { return std::log(Phi(-(x[0] - x[1]) / x[2])); }, {{0.3, -0.2, 1.5}, {3, 1, 0.8}, {12, 0, 1}}},
      {"exponential_lcdf", [](const Vec& x, double* o) { return mvc_exponential_lcdf(&x[0], 1, &x[1], 1, o); },
       [](const Vec& x, Vec& g) { return mvc_exponential_lcdf_grad(&x[0], 1, &x[1], 1, 1.0, &g[0], &g[1]); },
       [](const Vec& x) { return std::log(1 - std::exp(-x[1] * x[0])); }, {{0.3, 2.0}, {1e-3, 0.5}, {4, 3}}},
      {"exponential_lccdf", [](const Vec& x, double* o) { return mvc_exponential_lccdf(&x[0], 1, &x[1], 1, o); },
       [](const Vec& x, Vec& g) { return mvc_exponential_lccdf_grad(&x[0], 1, &x[1], 1, 1.0, &g[0], &g[1]); },
       [](const Vec& x) { return -x[1] * x[0]; }, {{0.3, 2.0}, {4, 3}}},
      {"lognormal_lcdf", [](const Vec& x, double* o) { return mvc_lognormal_lcdf(&x[0], 1, &x[1], 1, &x[2], 1, o); },
       [](const Vec& x, Vec& g) { return mvc_lognormal_lcdf_grad(&x[0], 1, &x[1], 1, &x[2], 1, 1.0, &g[0], &g[1], &g[2]); },
       [&](const Vec& x) { return std::log(Phi((std::log(x[0]) - x[1]) / x[2])); }, {{0.3, -0.2, 1.5}, {5, 1, 0.8}}},
      {"lognormal_lccdf", [](const Vec& x, double* o) { return mvc_lognormal_lccdf(&x[0], 1, &x[1], 1, &x[2], 1, o); },
       [](const Vec& x, Vec& g) { return mvc_lognormal_lccdf_grad(&x[0], 1, &x[1], 1, &x[2], 1, 1.0, &g[0], &g[1], &g[2]); },
       [&](const Vec& x) { return std::log(Phi(-(std::log(x[0]) - x[1]) / x[2])); }, {{0.3, -0.2, 1.5}, {5, 1, 0.8}}},
      {"uniform_lcdf", [](const Vec& x, double* o) { return mvc_uniform_lcdf(&x[0], 1, &x[1], 1, &x[2], 1, o); },
       [](const Vec& x, Vec& g) { return mvc_uniform_lcdf_grad(&x[0], 1, &x[1], 1, &x[2], 1, 1.0, &g[0], &g[1], &g[2]); },
       [](const Vec& x) { return std::log((x[0] - x[1]) / (x[2] - x[1])); }, {{0.3, -0.2, 1.5}}},
      {"uniform_lccdf", [](const Vec& x, double* o) { return mvc_uniform_lccdf(&x[0], 1, &x[1], 1, &x[2], 1, o); },
       [](const Vec& x, Vec& g) { return mvc_uniform_lccdf_grad(&x[0], 1, &x[1], 1, &x[2], 1, 1.0, &g[0], &g[1], &g[2]); },
       [](const Vec& x) { return std::log((x[2] - x[0]) / (x[2] - x[1])); }, {{0.3, -0.2, 1.5}}},
      {"weibull_lcdf", [](const Vec& x, double* o) { return mvc_weibull_lcdf(&x[0], 1, &x[1], 1, &x[2], 1, o); },
       [](const Vec& x, Vec& g) { return mvc_weibull_lcdf_grad(&x[0], 1, &x[1], 1, &x[2], 1, 1.0, &g[0], &g[1], &g[2]); },
       [](const Vec& x) { return std::log(1 - std::exp(-std::pow(x[0] / x[2], x[1]))); }, {{0.3, 1.5, 1.2}, {3, 0.7, 2}}},
      {"weibull_lccdf", [](const Vec& x, double* o) { return mvc_weibull_lccdf(&x[0], 1, &x[1], 1, &x[2], 1, o); },
       [](const Vec& x, Vec& g) { return mvc_weibull_lccdf_grad(&x[0], 1, &x[1], 1, &x[2], 1, 1.0, &g[0], &g[1], &g[2]); },
       [](const Vec& x) { return -std::pow(x[0] / x[2], x[1]); }, {{0.3, 1.5, 1.2}, {3, 0.7, 2}}},
  };
  for (auto& c : cs)
    for (const Vec& x : c.pts) {
      double out;
      ASSERT_EQ(c.f(x, &out), 0) << c.name;
      expect_rel(out, c.ref(x), 1e-10, c.name);
      Vec g(x.size(), 0.0);
      ASSERT_EQ(c.g(x, g), 0) << c.name;
      auto fun = [&](const Vec& v) { double o; c.f(v, &o); return o; };
      for (size_t k = 0; k < x.size(); ++k) {
        const double h = 1e-6 * std::max(1.0, std::fabs(x[k]));
        expect_grad_near(g[k], fd(fun, x, k, h), out, h, c.name);
      }
    }
}

TEST(Cdf, PoissonAgainstSumOfPmfAndGradient) {
  for (int n : {0, 3, 10, 40}) {
    for (double lam : {0.5, 4.0, 25.0}) {
      double cdf = 0;
      for (int k = 0; k <= n; ++k) cdf += std::exp(k * std::log(lam) - lam - std::lgamma(k + 1.0));
      double lc, lcc;
      ASSERT_EQ(mvc_poisson_lcdf(&n, 1, &lam, 1, &lc), 0);
      ASSERT_EQ(mvc_poisson_lccdf(&n, 1, &lam, 1, &lcc), 0);
      EXPECT_NEAR(lc, std::log(cdf), 1e-10 * std::max(1.0, std::fabs(std::log(cdf)))) << n << " " << lam;
      if (cdf < 0.999) EXPECT_NEAR(lcc, std::log1p(-cdf), 1e-9 * std::max(1.0, std::fabs(lcc))) << n << " " << lam;
      double g = 0, gg = 0;
      ASSERT_EQ(mvc_poisson_lcdf_grad(&n, 1, &lam, 1, 1.0, &g), 0);
      ASSERT_EQ(mvc_poisson_lccdf_grad(&n, 1, &lam, 1, 1.0, &gg), 0);
      auto f = [&](const Vec& v) { double o; mvc_poisson_lcdf(&n, 1, v.data(), 1, &o); return o; };
      auto f2 = [&](const Vec& v) { double o; mvc_poisson_lccdf(&n, 1, v.data(), 1, &o); return o; };
      EXPECT_NEAR(g, fd(f, Vec{lam}, 0, 1e-5 * lam), 1e-6 * (1 + std::fabs(g)));
      EXPECT_NEAR(gg, fd(f2, Vec{lam}, 0, 1e-5 * lam), 1e-6 * (1 + std::fabs(gg)));
    }
  }
}

TEST(Cdf, OutsideSupportAndErrors) {
  const double y = -1, b = 2, mu = 0, s = -1, a = 0, hi = 1;
  double out;
  ASSERT_EQ(mvc_exponential_lcdf(&y, 1, &b, 1, &out), 0);
  EXPECT_EQ(out, -INFINITY);
  ASSERT_EQ(mvc_exponential_lccdf(&y, 1, &b, 1, &out), 0);
  EXPECT_EQ(out, 0.0);
  const double y2 = 2;
  ASSERT_EQ(mvc_uniform_lccdf(&y2, 1, &a, 1, &hi, 1, &out), 0);
  EXPECT_EQ(out, -INFINITY);
  EXPECT_EQ(mvc_normal_lcdf(&y, 1, &mu, 1, &s, 1, &out), MVC_DIST_ERR_DOMAIN);
}

}  // namespace
