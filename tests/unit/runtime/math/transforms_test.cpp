// Tests of runtime/math/transforms_*.cpp through the C ABI of mvc/transforms.h.
//
// For every transform, at several points including edges: round trips
// constrain(free(y)) = y and free(constrain(x)) = x; the constrained value
// passes the transform's own check; log|J| equals log|det| of the central
// finite-difference Jacobian of x -> (free coordinates of y); the reverse pass
// equals central differences of sum_i w_i y_i (+ log|J|) for random w; and
// hand-computed reference values.
#include <gtest/gtest.h>

#include <Eigen/Dense>
#include <cmath>
#include <functional>
#include <limits>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "mvc/transforms.h"

namespace {

using Vec = std::vector<double>;
constexpr double kInf = std::numeric_limits<double>::infinity();

// One transform seen through uniform closures (the test owns the scratch).
struct Tf {
  std::string name;
  int64_t n = 0;  // unconstrained size
  int64_t m = 0;  // constrained size (entries of y)
  std::function<int(const double* x, double* y, double* lp)> constrain;
  std::function<void(const double* x, const double* y, const double* w, int jac,
                     double* x_adj)>
      grad;
  std::function<int(const double* y, double* x)> free;
  std::function<int(const double* y)> check;
  // The free coordinates of y (n of them): the image whose Jacobian log|J| is.
  std::function<Vec(const Vec& y)> image;
  bool logj_is_logdet = true;  // false for unit_vector (-0.5 |x|^2)
  bool free_inverts = true;    // false for unit_vector (free(y) = y)
};

Vec constrain(const Tf& t, const Vec& x, double* lp = nullptr) {
  Vec y(t.m, std::nan(""));
  EXPECT_EQ(t.constrain(x.data(), y.data(), lp), MVC_TF_OK) << t.name;
  return y;
}

double log_jacobian(const Tf& t, const Vec& x) {
  double lp = 0;
  constrain(t, x, &lp);
  return lp;
}

// ---- the generic checks ----------------------------------------------------

void expect_round_trip(const Tf& t, const Vec& x, double tol) {
  SCOPED_TRACE(t.name);
  const Vec y = constrain(t, x);
  EXPECT_EQ(t.check(y.data()), MVC_TF_OK) << "constrained value fails its check";
  Vec x2(t.n, std::nan(""));
  ASSERT_EQ(t.free(y.data(), x2.data()), MVC_TF_OK);
  if (t.free_inverts) {
    for (int64_t i = 0; i < t.n; ++i)
      EXPECT_NEAR(x2[i], x[i], tol * (1 + std::fabs(x[i]))) << "free(constrain(x)), i=" << i;
  }
  const Vec y2 = constrain(t, x2);
  for (int64_t i = 0; i < t.m; ++i)
    EXPECT_NEAR(y2[i], y[i], tol * (1 + std::fabs(y[i]))) << "constrain(free(y)), i=" << i;
}

// log|det d image(constrain(x)) / dx| by central differences.
double fd_log_det(const Tf& t, const Vec& x, double h) {
  const int64_t n = t.n;
  Eigen::MatrixXd J(n, n);
  for (int64_t j = 0; j < n; ++j) {
    const double hj = h * (1 + std::fabs(x[j]));
    Vec xp = x, xm = x;
    xp[j] += hj;
    xm[j] -= hj;
    const Vec ip = t.image(constrain(t, xp)), im = t.image(constrain(t, xm));
    for (int64_t i = 0; i < n; ++i) J(i, j) = (ip[i] - im[i]) / (2 * hj);
  }
  if (n == 0) return 0;
  return std::log(std::fabs(J.fullPivLu().determinant()));
}

void expect_log_jacobian(const Tf& t, const Vec& x, double tol, double h = 1e-5) {
  SCOPED_TRACE(t.name);
  ASSERT_TRUE(t.logj_is_logdet);
  EXPECT_NEAR(log_jacobian(t, x), fd_log_det(t, x, h), tol);
}

// The reverse pass against central differences of w.y (+ log|J|).
void expect_gradient(const Tf& t, const Vec& x, std::mt19937& rng, double tol,
                     double h = 1e-6) {
  SCOPED_TRACE(t.name);
  std::normal_distribution<double> nd;
  Vec w(t.m);
  for (auto& v : w) v = nd(rng);
  for (int jac = 0; jac <= 1; ++jac) {
    auto F = [&](const Vec& xx) {
      double lp = 0;
      const Vec y = constrain(t, xx, jac ? &lp : nullptr);
      double f = lp;
      for (int64_t i = 0; i < t.m; ++i) f += w[i] * y[i];
      return f;
    };
    const Vec y = constrain(t, x);
    Vec xa(t.n, 0.25);  // grad accumulates: start from a non-zero value
    t.grad(x.data(), y.data(), w.data(), jac, xa.data());
    for (int64_t j = 0; j < t.n; ++j) {
      const double hj = h * (1 + std::fabs(x[j]));
      Vec xp = x, xm = x;
      xp[j] += hj;
      xm[j] -= hj;
      const double fd = (F(xp) - F(xm)) / (2 * hj);
      EXPECT_NEAR(xa[j] - 0.25, fd, tol * (1 + std::fabs(fd)))
          << "jacobian=" << jac << " j=" << j;
    }
  }
}

Vec random_vec(std::mt19937& rng, int64_t n, double scale) {
  std::normal_distribution<double> nd(0.0, scale);
  Vec v(n);
  for (auto& e : v) e = nd(rng);
  return v;
}

// ---- the transforms as Tf --------------------------------------------------

Tf lb_tf(int64_t n, double lb) {
  Tf t;
  t.name = "lb(" + std::to_string(lb) + ")";
  t.n = t.m = n;
  t.constrain = [=](const double* x, double* y, double* lp) {
    return mvc_tf_lb_constrain(n, x, &lb, 0, y, lp, nullptr, 0);
  };
  t.grad = [=](const double* x, const double* y, const double* w, int jac, double* xa) {
    mvc_tf_lb_grad(n, x, y, &lb, 0, w, jac, xa, nullptr);
  };
  t.free = [=](const double* y, double* x) {
    return mvc_tf_lb_free(n, y, &lb, 0, x, nullptr, 0);
  };
  t.check = [=](const double* y) { return mvc_tf_lb_check(n, y, &lb, 0, nullptr, 0); };
  t.image = [](const Vec& y) { return y; };
  return t;
}

Tf ub_tf(int64_t n, double ub) {
  Tf t;
  t.name = "ub(" + std::to_string(ub) + ")";
  t.n = t.m = n;
  t.constrain = [=](const double* x, double* y, double* lp) {
    return mvc_tf_ub_constrain(n, x, &ub, 0, y, lp, nullptr, 0);
  };
  t.grad = [=](const double* x, const double* y, const double* w, int jac, double* xa) {
    mvc_tf_ub_grad(n, x, y, &ub, 0, w, jac, xa, nullptr);
  };
  t.free = [=](const double* y, double* x) {
    return mvc_tf_ub_free(n, y, &ub, 0, x, nullptr, 0);
  };
  t.check = [=](const double* y) { return mvc_tf_ub_check(n, y, &ub, 0, nullptr, 0); };
  t.image = [](const Vec& y) { return y; };
  return t;
}

Tf lub_tf(int64_t n, double lb, double ub) {
  Tf t;
  t.name = "lub(" + std::to_string(lb) + "," + std::to_string(ub) + ")";
  t.n = t.m = n;
  t.constrain = [=](const double* x, double* y, double* lp) {
    return mvc_tf_lub_constrain(n, x, &lb, 0, &ub, 0, y, lp, nullptr, 0);
  };
  t.grad = [=](const double* x, const double* y, const double* w, int jac, double* xa) {
    mvc_tf_lub_grad(n, x, y, &lb, 0, &ub, 0, w, jac, xa, nullptr, nullptr);
  };
  t.free = [=](const double* y, double* x) {
    return mvc_tf_lub_free(n, y, &lb, 0, &ub, 0, x, nullptr, 0);
  };
  t.check = [=](const double* y) {
    return mvc_tf_lub_check(n, y, &lb, 0, &ub, 0, nullptr, 0);
  };
  t.image = [](const Vec& y) { return y; };
  return t;
}

Tf om_tf(int64_t n, double mu, double sigma) {
  Tf t;
  t.name = "offset_multiplier";
  t.n = t.m = n;
  t.constrain = [=](const double* x, double* y, double* lp) {
    return mvc_tf_offset_multiplier_constrain(n, x, &mu, 0, &sigma, 0, y, lp, nullptr, 0);
  };
  t.grad = [=](const double* x, const double* y, const double* w, int jac, double* xa) {
    mvc_tf_offset_multiplier_grad(n, x, y, &mu, 0, &sigma, 0, w, jac, xa, nullptr, nullptr);
  };
  t.free = [=](const double* y, double* x) {
    return mvc_tf_offset_multiplier_free(n, y, &mu, 0, &sigma, 0, x, nullptr, 0);
  };
  t.check = [](const double*) { return MVC_TF_OK; };
  t.image = [](const Vec& y) { return y; };
  return t;
}

// The first K-1 entries of a vector of size K (simplex, sum_to_zero).
Vec head_image(const Vec& y) { return Vec(y.begin(), y.end() - 1); }

#define MVC_VECTOR_TF(FN, NAME, FREE_SIZE, IMAGE)                                  \
  Tf FN(int64_t K) {                                                               \
    Tf t;                                                                          \
    t.name = std::string(#NAME "[") + std::to_string(K) + "]";                     \
    t.n = FREE_SIZE(K);                                                            \
    t.m = K;                                                                       \
    t.constrain = [=](const double* x, double* y, double* lp) {                    \
      return mvc_tf_##NAME##_constrain(K, x, y, lp, nullptr, 0);                   \
    };                                                                             \
    t.grad = [=](const double* x, const double* y, const double* w, int jac,       \
                 double* xa) { mvc_tf_##NAME##_grad(K, x, y, w, jac, xa); };       \
    t.free = [=](const double* y, double* x) {                                     \
      return mvc_tf_##NAME##_free(K, y, x, nullptr, 0);                            \
    };                                                                             \
    t.check = [=](const double* y) { return mvc_tf_##NAME##_check(K, y, nullptr, 0); }; \
    t.image = IMAGE;                                                               \
    return t;                                                                      \
  }

Vec identity_image(const Vec& y) { return y; }
MVC_VECTOR_TF(simplex_tf, simplex, mvc_tf_simplex_free_size, head_image)
MVC_VECTOR_TF(stz_tf, sum_to_zero, mvc_tf_sum_to_zero_free_size, head_image)
MVC_VECTOR_TF(unit_tf_base, unit_vector, mvc_tf_unit_vector_free_size, identity_image)
MVC_VECTOR_TF(ordered_tf, ordered, mvc_tf_ordered_free_size, identity_image)
MVC_VECTOR_TF(pordered_tf, positive_ordered, mvc_tf_positive_ordered_free_size,
              identity_image)

Tf unit_tf(int64_t K) {
  Tf t = unit_tf_base(K);
  t.logj_is_logdet = false;
  t.free_inverts = false;
  return t;
}

// Entries (i, j) of a K-column, R-row column-major matrix with j < i (strict)
// or j <= i (with diagonal).
Vec lower_image(const Vec& y, int64_t R, int64_t C, bool diag) {
  Vec out;
  for (int64_t j = 0; j < C; ++j)
    for (int64_t i = diag ? j : j + 1; i < R; ++i) out.push_back(y[i + j * R]);
  return out;
}

Tf chol_corr_tf(int64_t K) {
  Tf t;
  t.name = "cholesky_factor_corr[" + std::to_string(K) + "]";
  t.n = mvc_tf_cholesky_corr_free_size(K);
  t.m = K * K;
  auto s = std::make_shared<Vec>(mvc_tf_cholesky_corr_scratch_size(K));
  t.constrain = [=](const double* x, double* y, double* lp) {
    return mvc_tf_cholesky_corr_constrain(K, x, y, lp, s->data(), nullptr, 0);
  };
  t.grad = [=](const double* x, const double* y, const double* w, int jac, double* xa) {
    mvc_tf_cholesky_corr_grad(K, x, y, w, jac, xa, s->data());
  };
  t.free = [=](const double* y, double* x) {
    return mvc_tf_cholesky_corr_free(K, y, x, s->data(), nullptr, 0);
  };
  t.check = [=](const double* y) { return mvc_tf_cholesky_corr_check(K, y, nullptr, 0); };
  t.image = [=](const Vec& y) { return lower_image(y, K, K, false); };
  return t;
}

Tf chol_cov_tf(int64_t M, int64_t N) {
  Tf t;
  t.name = "cholesky_factor_cov[" + std::to_string(M) + "," + std::to_string(N) + "]";
  t.n = mvc_tf_cholesky_cov_free_size(M, N);
  t.m = M * N;
  t.constrain = [=](const double* x, double* y, double* lp) {
    return mvc_tf_cholesky_cov_constrain(M, N, x, y, lp, nullptr, 0);
  };
  t.grad = [=](const double* x, const double* y, const double* w, int jac, double* xa) {
    mvc_tf_cholesky_cov_grad(M, N, x, y, w, jac, xa);
  };
  t.free = [=](const double* y, double* x) {
    return mvc_tf_cholesky_cov_free(M, N, y, x, nullptr, 0);
  };
  t.check = [=](const double* y) { return mvc_tf_cholesky_cov_check(M, N, y, nullptr, 0); };
  t.image = [=](const Vec& y) { return lower_image(y, M, N, true); };
  return t;
}

Tf corr_tf(int64_t K) {
  Tf t;
  t.name = "corr_matrix[" + std::to_string(K) + "]";
  t.n = mvc_tf_corr_matrix_free_size(K);
  t.m = K * K;
  auto s = std::make_shared<Vec>(mvc_tf_corr_matrix_scratch_size(K));
  t.constrain = [=](const double* x, double* y, double* lp) {
    return mvc_tf_corr_matrix_constrain(K, x, y, lp, s->data(), nullptr, 0);
  };
  t.grad = [=](const double* x, const double* y, const double* w, int jac, double* xa) {
    mvc_tf_corr_matrix_grad(K, x, y, w, jac, xa, s->data());
  };
  t.free = [=](const double* y, double* x) {
    return mvc_tf_corr_matrix_free(K, y, x, s->data(), nullptr, 0);
  };
  t.check = [=](const double* y) {
    return mvc_tf_corr_matrix_check(K, y, s->data(), nullptr, 0);
  };
  t.image = [=](const Vec& y) { return lower_image(y, K, K, false); };
  return t;
}

Tf cov_tf(int64_t K) {
  Tf t;
  t.name = "cov_matrix[" + std::to_string(K) + "]";
  t.n = mvc_tf_cov_matrix_free_size(K);
  t.m = K * K;
  auto s = std::make_shared<Vec>(mvc_tf_cov_matrix_scratch_size(K));
  t.constrain = [=](const double* x, double* y, double* lp) {
    return mvc_tf_cov_matrix_constrain(K, x, y, lp, s->data(), nullptr, 0);
  };
  t.grad = [=](const double* x, const double* y, const double* w, int jac, double* xa) {
    mvc_tf_cov_matrix_grad(K, x, y, w, jac, xa, s->data());
  };
  t.free = [=](const double* y, double* x) {
    return mvc_tf_cov_matrix_free(K, y, x, s->data(), nullptr, 0);
  };
  t.check = [=](const double* y) {
    return mvc_tf_cov_matrix_check(K, y, s->data(), nullptr, 0);
  };
  t.image = [=](const Vec& y) { return lower_image(y, K, K, true); };
  return t;
}

// All checks at random points of three scales plus the given edge points.
void run_all(const Tf& t, std::vector<Vec> points, double rt_tol = 1e-9,
             double lj_tol = 1e-6, double g_tol = 2e-6,
             std::vector<double> scales = {0.3, 1.0, 2.5}) {
  std::mt19937 rng(12345);
  for (double scale : scales) points.push_back(random_vec(rng, t.n, scale));
  for (const Vec& x : points) {
    ASSERT_EQ(static_cast<int64_t>(x.size()), t.n) << t.name;
    expect_round_trip(t, x, rt_tol);
    if (t.logj_is_logdet) expect_log_jacobian(t, x, lj_tol);
    expect_gradient(t, x, rng, g_tol);
  }
}

void expect_vec_near(const Vec& a, const Vec& b, double tol) {
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) EXPECT_NEAR(a[i], b[i], tol) << "i=" << i;
}

// ============================ scalar bounds =================================

TEST(TransformsLower, AllChecks) {
  run_all(lb_tf(4, 0.0), {{-5, -1, 0, 3}, {-20, 10, 0.5, -0.5}});
  run_all(lb_tf(3, -3.5), {{-3, 2, 4}});
  run_all(lb_tf(2, 1e3), {{-2, 2}});
  expect_round_trip(lb_tf(3, 1e6), {-2, 0, 2}, 1e-8);  // y - lb cancels
  run_all(lb_tf(2, -kInf), {{-2, 2}});  // no bound: identity
}

TEST(TransformsLower, ReferenceValues) {
  const double lb = 0, x = 0;
  double y = -1, lp = 0;
  ASSERT_EQ(mvc_tf_lb_constrain(1, &x, &lb, 0, &y, &lp, nullptr, 0), 0);
  EXPECT_EQ(y, 1.0);
  EXPECT_EQ(lp, 0.0);
  const double lb2 = 2, x2 = std::log(3.0);
  ASSERT_EQ(mvc_tf_lb_constrain(1, &x2, &lb2, 0, &y, &lp, nullptr, 0), 0);
  EXPECT_NEAR(y, 5.0, 1e-15);
  EXPECT_NEAR(lp, std::log(3.0), 1e-15);
  // Near the bound: y = lb + 1e-12 frees to log(1e-12).
  const double yb = 1e-12;
  double xb;
  ASSERT_EQ(mvc_tf_lb_free(1, &yb, &lb, 0, &xb, nullptr, 0), 0);
  EXPECT_NEAR(xb, std::log(1e-12), 1e-12);
}

TEST(TransformsUpper, AllChecks) {
  run_all(ub_tf(4, 0.0), {{-5, -1, 0, 3}, {-20, 10, 0.5, -0.5}});
  run_all(ub_tf(3, 7.25), {{-3, 2, 4}});
  run_all(ub_tf(2, kInf), {{-2, 2}});
}

TEST(TransformsUpper, ReferenceValues) {
  const double ub = 0, x = 0;
  double y = 0, lp = 0;
  ASSERT_EQ(mvc_tf_ub_constrain(1, &x, &ub, 0, &y, &lp, nullptr, 0), 0);
  EXPECT_EQ(y, -1.0);
  EXPECT_EQ(lp, 0.0);
}

TEST(TransformsLowerUpper, AllChecks) {
  run_all(lub_tf(5, 0.0, 1.0), {{-10, -1, 0, 1, 10}, {-0.1, 0.2, 3, -3, 0}});
  run_all(lub_tf(3, -2.0, 5.0), {{-4, 0, 4}});
  run_all(lub_tf(2, -kInf, 3.0), {{-2, 2}});   // falls back to upper
  run_all(lub_tf(2, 2.0, kInf), {{-2, 2}});    // falls back to lower
  run_all(lub_tf(2, -kInf, kInf), {{-2, 2}});  // identity
}

TEST(TransformsLowerUpper, LargeArgumentsStayFinite) {
  // Far from 0 the value saturates at the bound but log|J| and its gradient
  // stay exact (|x| large: log|J| ~ log(ub - lb) - |x|).
  const Tf t = lub_tf(4, 0.0, 1.0);
  std::mt19937 rng(7);
  const Vec x = {-40, -25, 30, 700};
  const double lj = log_jacobian(t, x);
  EXPECT_TRUE(std::isfinite(lj));
  EXPECT_NEAR(lj, -40 - 25 - 30 - 700, 1e-9);
  expect_gradient(t, x, rng, 1e-6);
}

TEST(TransformsLowerUpper, NearBoundaryValuesFree) {
  // y within 1e-12 of either bound frees to |x| ~ 27.6 and maps back.
  const Tf t = lub_tf(2, 0.0, 1.0);
  const Vec y = {1e-12, 1 - 1e-12};
  Vec x(2);
  ASSERT_EQ(t.free(y.data(), x.data()), MVC_TF_OK);
  EXPECT_NEAR(x[0], std::log(1e-12), 1e-9);
  EXPECT_NEAR(x[1], -std::log(1e-12), 1e-3);  // 1 - y has 4 significant digits
  const Vec y2 = constrain(t, x);
  EXPECT_NEAR(y2[0], y[0], 1e-24);
  EXPECT_NEAR(y2[1], y[1], 3e-16);
}

TEST(TransformsLowerUpper, ReferenceValues) {
  const double lb = 0, ub = 1, x = 0;
  double y, lp = 0;
  ASSERT_EQ(mvc_tf_lub_constrain(1, &x, &lb, 0, &ub, 0, &y, &lp, nullptr, 0), 0);
  EXPECT_EQ(y, 0.5);
  EXPECT_NEAR(lp, -2 * std::log(2.0), 1e-15);
  // lb = -1, ub = 3, x = log 3: inv_logit = 3/4, y = 2, log|J| = log(4 * 3/16).
  const double lb2 = -1, ub2 = 3, x2 = std::log(3.0);
  lp = 0;
  ASSERT_EQ(mvc_tf_lub_constrain(1, &x2, &lb2, 0, &ub2, 0, &y, &lp, nullptr, 0), 0);
  EXPECT_NEAR(y, 2.0, 1e-15);
  EXPECT_NEAR(lp, std::log(0.75), 1e-15);
}

TEST(TransformsLowerUpper, InvalidBoundsAndValues) {
  const double lb = 5, ub = 3, x = 0;
  double y;
  char err[200] = "";
  EXPECT_EQ(mvc_tf_lub_constrain(1, &x, &lb, 0, &ub, 0, &y, nullptr, err, sizeof err),
            MVC_TF_ERROR);
  EXPECT_STREQ(err, "value: lower bound is 5, but must be less than the upper bound 3");
  const double lo = 0, hi = 1, ys[2] = {0.5, 1.5};
  double xs[2];
  EXPECT_EQ(mvc_tf_lub_free(2, ys, &lo, 0, &hi, 0, xs, err, sizeof err), MVC_TF_ERROR);
  EXPECT_STREQ(err, "element 2 is 1.5, but must be in the interval [0, 1]");
  const double nan = std::nan("");
  EXPECT_EQ(mvc_tf_lb_check(1, &nan, &lo, 0, err, sizeof err), MVC_TF_ERROR);
  EXPECT_STREQ(err, "value is nan, but must be greater than or equal to 0");
  const double neg = -1;
  EXPECT_EQ(mvc_tf_lb_free(1, &neg, &lo, 0, xs, err, 8), MVC_TF_ERROR);  // truncated
  EXPECT_STREQ(err, "value i");
}

// Bounds that are parameters get adjoints: vector bounds (stride 1).
TEST(TransformsBounds, BoundAdjointsMatchFiniteDifferences) {
  const int64_t n = 3;
  const Vec x = {-1.3, 0.2, 2.1};
  const Vec w = {0.7, -1.1, 0.4};
  const double h = 1e-6;
  for (int jac = 0; jac <= 1; ++jac) {
    auto F = [&](const Vec& lb, const Vec& ub, int which) {
      Vec y(n);
      double lp = 0;
      double* lpp = jac ? &lp : nullptr;
      if (which == 0) mvc_tf_lb_constrain(n, x.data(), lb.data(), 1, y.data(), lpp, nullptr, 0);
      if (which == 1) mvc_tf_ub_constrain(n, x.data(), ub.data(), 1, y.data(), lpp, nullptr, 0);
      if (which == 2)
        mvc_tf_lub_constrain(n, x.data(), lb.data(), 1, ub.data(), 1, y.data(), lpp, nullptr, 0);
      if (which == 3)  // offset = lb, multiplier = ub
        mvc_tf_offset_multiplier_constrain(n, x.data(), lb.data(), 1, ub.data(), 1, y.data(),
                                           lpp, nullptr, 0);
      double f = lp;
      for (int64_t i = 0; i < n; ++i) f += w[i] * y[i];
      return f;
    };
    const Vec lb = {-1, 0.5, 2}, ub = {1, 3, 2.5};
    for (int which = 0; which < 4; ++which) {
      Vec xa(n, 0), la(n, 0), ua(n, 0), y(n);
      if (which == 0) mvc_tf_lb_grad(n, x.data(), y.data(), lb.data(), 1, w.data(), jac, xa.data(), la.data());
      if (which == 1) mvc_tf_ub_grad(n, x.data(), y.data(), ub.data(), 1, w.data(), jac, xa.data(), ua.data());
      if (which == 2)
        mvc_tf_lub_grad(n, x.data(), y.data(), lb.data(), 1, ub.data(), 1, w.data(), jac,
                        xa.data(), la.data(), ua.data());
      if (which == 3)
        mvc_tf_offset_multiplier_grad(n, x.data(), y.data(), lb.data(), 1, ub.data(), 1,
                                      w.data(), jac, xa.data(), la.data(), ua.data());
      for (int64_t i = 0; i < n; ++i) {
        Vec lp_ = lb, lm = lb, up = ub, um = ub;
        lp_[i] += h;
        lm[i] -= h;
        up[i] += h;
        um[i] -= h;
        if (which != 1) {
          EXPECT_NEAR(la[i], (F(lp_, ub, which) - F(lm, ub, which)) / (2 * h), 1e-6)
              << "which=" << which << " jac=" << jac << " i=" << i;
        }
        if (which != 0) {
          EXPECT_NEAR(ua[i], (F(lb, up, which) - F(lb, um, which)) / (2 * h), 1e-6)
              << "which=" << which << " jac=" << jac << " i=" << i;
        }
      }
    }
  }
  // A scalar bound (stride 0) accumulates all elements' adjoints.
  const double lb0 = 1;
  double la0 = 0;
  Vec xa(n, 0), y(n);
  mvc_tf_lb_grad(n, x.data(), y.data(), &lb0, 0, w.data(), 1, xa.data(), &la0);
  EXPECT_NEAR(la0, w[0] + w[1] + w[2], 1e-15);
}

TEST(TransformsOffsetMultiplier, AllChecks) {
  run_all(om_tf(3, 1.5, 0.3), {{-5, 0, 5}});
  run_all(om_tf(1, 0.0, 1.0), {{0.0}});
}

TEST(TransformsOffsetMultiplier, ReferenceAndErrors) {
  const double mu = 2, sigma = 3, x = 0.5;
  double y, lp = 0;
  ASSERT_EQ(mvc_tf_offset_multiplier_constrain(1, &x, &mu, 0, &sigma, 0, &y, &lp, nullptr, 0), 0);
  EXPECT_EQ(y, 3.5);
  EXPECT_NEAR(lp, std::log(3.0), 1e-15);
  const double bad = 0;
  char err[200];
  EXPECT_EQ(mvc_tf_offset_multiplier_constrain(1, &x, &mu, 0, &bad, 0, &y, &lp, err, sizeof err),
            MVC_TF_ERROR);
  EXPECT_STREQ(err, "value: multiplier is 0, but must be positive finite");
}

// ============================== simplex =====================================

TEST(TransformsSimplex, Sizes) {
  EXPECT_EQ(mvc_tf_simplex_free_size(1), 0);
  EXPECT_EQ(mvc_tf_simplex_free_size(4), 3);
}

TEST(TransformsSimplex, AllChecks) {
  run_all(simplex_tf(1), {{}});
  run_all(simplex_tf(2), {{0.0}, {-8.0}, {8.0}});
  run_all(simplex_tf(3), {{0, 0}, {5, -5}, {-10, 3}});
  run_all(simplex_tf(5), {{0, 0, 0, 0}, {8, -8, 4, -4}});
  run_all(simplex_tf(12), {Vec(11, 0.0)});
}

TEST(TransformsSimplex, LargeArgumentsStayFinite) {
  // One coordinate dominates: y has entries ~exp(-60) but log|J| and the
  // gradient stay finite and exact (online softmax, no log(0)).
  const Tf t = simplex_tf(4);
  std::mt19937 rng(3);
  const Vec x = {40, -30, 50};
  const double lj = log_jacobian(t, x);
  EXPECT_TRUE(std::isfinite(lj));
  expect_gradient(t, x, rng, 1e-6);
}

TEST(TransformsSimplex, ReferenceValues) {
  // x = 0 is the centre: y = 1/K, log|J| = K log(1/K) + 0.5 log K.
  const Vec x3 = {0, 0};
  double lp = 0;
  const Vec y3 = constrain(simplex_tf(3), x3, &lp);
  expect_vec_near(y3, {1.0 / 3, 1.0 / 3, 1.0 / 3}, 1e-15);
  EXPECT_NEAR(lp, -2.5 * std::log(3.0), 1e-14);
  // K = 2: z = (a, -a)/sqrt(2), y1 = inv_logit(sqrt(2) a); a = log(3)/sqrt(2)
  // gives y = (3/4, 1/4), log|J| = log(3/4) + log(1/4) + 0.5 log 2.
  const Vec x2 = {std::log(3.0) / std::sqrt(2.0)};
  lp = 0;
  const Vec y2 = constrain(simplex_tf(2), x2, &lp);
  expect_vec_near(y2, {0.75, 0.25}, 1e-15);
  EXPECT_NEAR(lp, std::log(0.75) + std::log(0.25) + 0.5 * std::log(2.0), 1e-14);
  // Stan's simplex_free: x_i = (sum_{j<=i} log y_j - i log y_(i+1)) / sqrt(i (i+1)).
  const Vec y = {0.2, 0.3, 0.5};
  Vec x(2);
  ASSERT_EQ(mvc_tf_simplex_free(3, y.data(), x.data(), nullptr, 0), 0);
  EXPECT_NEAR(x[0], (std::log(0.2) - std::log(0.3)) / std::sqrt(2.0), 1e-15);
  EXPECT_NEAR(x[1], (std::log(0.2) + std::log(0.3) - 2 * std::log(0.5)) / std::sqrt(6.0), 1e-15);
}

TEST(TransformsSimplex, NearBoundaryValues) {
  // Entries of 1e-12 free to large |x| and come back to relative precision.
  const Tf t = simplex_tf(3);
  const Vec y = {1 - 2e-12, 1e-12, 1e-12};
  Vec x(2);
  ASSERT_EQ(t.free(y.data(), x.data()), MVC_TF_OK);
  const Vec y2 = constrain(t, x);
  for (int i = 0; i < 3; ++i) EXPECT_NEAR(y2[i], y[i], 1e-12 * y[i]) << i;
}

TEST(TransformsSimplex, InvalidValues) {
  char err[200];
  const Vec bad_sum = {0.2, 0.3, 0.6};
  Vec x(2);
  EXPECT_EQ(mvc_tf_simplex_free(3, bad_sum.data(), x.data(), err, sizeof err), MVC_TF_ERROR);
  EXPECT_STREQ(err, "is not a valid simplex: the sum is 1.1, but must be 1");
  const Vec neg = {-0.1, 0.6, 0.5};
  EXPECT_EQ(mvc_tf_simplex_check(3, neg.data(), err, sizeof err), MVC_TF_ERROR);
  EXPECT_STREQ(err,
               "is not a valid simplex: element 1 is -0.1, but must be greater than or equal to 0");
  EXPECT_EQ(mvc_tf_simplex_check(0, nullptr, err, sizeof err), MVC_TF_ERROR);
  EXPECT_STREQ(err, "simplex size is 0, but must be at least 1");
}

TEST(TransformsSumToZero, AllChecks) {
  // An isometry onto {sum = 0}: its log|J| is 0 by convention (Stan); the map
  // to the first K-1 coordinates has the constant log|det| -0.5 log K, so we
  // check the round trip and gradient, and the constant separately.
  for (int64_t K : {1, 2, 3, 6}) {
    Tf t = stz_tf(K);
    t.logj_is_logdet = false;
    run_all(t, {Vec(K - 1, 0.0)});
    std::mt19937 rng(11);
    const Vec x = random_vec(rng, K - 1, 1.0);
    EXPECT_EQ(log_jacobian(t, x), 0.0);
    if (K > 1) {
      EXPECT_NEAR(fd_log_det(t, x, 1e-3), -0.5 * std::log(double(K)), 1e-9);
    }
  }
}

// ============================ unit_vector ===================================

TEST(TransformsUnitVector, AllChecks) {
  for (int64_t K : {1, 2, 3, 7}) {
    const Tf t = unit_tf(K);
    std::mt19937 rng(5);
    for (double scale : {0.01, 1.0, 30.0}) {
      Vec x = random_vec(rng, K, scale);
      expect_round_trip(t, x, 1e-12);
      expect_gradient(t, x, rng, 2e-6, 1e-6 * scale);
      // Stan's term: -0.5 |x|^2.
      double sn = 0;
      for (double v : x) sn += v * v;
      EXPECT_NEAR(log_jacobian(t, x), -0.5 * sn, 1e-12 * (1 + sn));
      // free(constrain(x)) is the direction x / |x|.
      const Vec y = constrain(t, x);
      Vec x2(K);
      ASSERT_EQ(t.free(y.data(), x2.data()), 0);
      expect_vec_near(x2, y, 0);
    }
  }
}

TEST(TransformsUnitVector, ReferenceAndErrors) {
  const Vec x = {3, 4};
  double lp = 0;
  expect_vec_near(constrain(unit_tf(2), x, &lp), {0.6, 0.8}, 1e-15);
  EXPECT_EQ(lp, -12.5);
  const Vec zero = {0, 0};
  Vec y(2);
  char err[200];
  EXPECT_EQ(mvc_tf_unit_vector_constrain(2, zero.data(), y.data(), nullptr, err, sizeof err),
            MVC_TF_ERROR);
  EXPECT_STREQ(err,
               "the squared norm of the unconstrained unit_vector is 0, but must be "
               "positive and finite");
  const Vec not_unit = {0.6, 0.7};
  EXPECT_EQ(mvc_tf_unit_vector_check(2, not_unit.data(), err, sizeof err), MVC_TF_ERROR);
}

// ========================= ordered, positive_ordered ========================

TEST(TransformsOrdered, AllChecks) {
  run_all(ordered_tf(1), {{-3.0}, {1e6}});
  run_all(ordered_tf(2), {{0, 0}, {-3, -10}, {50, 5}});
  run_all(ordered_tf(6), {{1, -10, 2, 0, -1, 3}});
}

TEST(TransformsOrdered, ReferenceAndErrors) {
  const Vec x = {1, 0, std::log(2.0)};
  double lp = 0;
  expect_vec_near(constrain(ordered_tf(3), x, &lp), {1, 2, 4}, 1e-15);
  EXPECT_NEAR(lp, std::log(2.0), 1e-15);
  const Vec bad = {1, 3, 3};
  Vec xb(3);
  char err[200];
  EXPECT_EQ(mvc_tf_ordered_free(3, bad.data(), xb.data(), err, sizeof err), MVC_TF_ERROR);
  EXPECT_STREQ(err,
               "is not a valid ordered vector: element 3 is 3, but must be greater than "
               "the previous element, 3");
}

TEST(TransformsPositiveOrdered, AllChecks) {
  run_all(pordered_tf(1), {{-30.0}, {5.0}});
  run_all(pordered_tf(2), {{0, 0}, {-20, -20}, {3, 2}});
  run_all(pordered_tf(6), {{1, -10, 2, 0, -1, 3}});
}

TEST(TransformsPositiveOrdered, ReferenceAndErrors) {
  const Vec x = {0, 0};
  double lp = 0;
  expect_vec_near(constrain(pordered_tf(2), x, &lp), {1, 2}, 1e-15);
  EXPECT_EQ(lp, 0.0);
  const Vec bad = {-1, 3};
  Vec xb(2);
  char err[200];
  EXPECT_EQ(mvc_tf_positive_ordered_free(2, bad.data(), xb.data(), err, sizeof err),
            MVC_TF_ERROR);
  EXPECT_STREQ(err,
               "is not a valid positive_ordered vector: element 1 is -1, but must be "
               "greater than or equal to 0");
}

// ======================= cholesky_factor_corr ===============================

TEST(TransformsCholeskyCorr, Sizes) {
  EXPECT_EQ(mvc_tf_cholesky_corr_free_size(1), 0);
  EXPECT_EQ(mvc_tf_cholesky_corr_free_size(2), 1);
  EXPECT_EQ(mvc_tf_cholesky_corr_free_size(5), 10);
}

TEST(TransformsCholeskyCorr, AllChecks) {
  run_all(chol_corr_tf(1), {{}});
  run_all(chol_corr_tf(2), {{0.0}, {4.0}, {-4.0}});
  run_all(chol_corr_tf(3), {{0, 0, 0}, {3, -3, 2}});
  run_all(chol_corr_tf(5), {Vec(10, 0.0)});
  run_all(chol_corr_tf(8), {}, 1e-9, 1e-5);
  run_all(chol_corr_tf(12), {}, 1e-8, 1e-5);
}

TEST(TransformsCholeskyCorr, NearSingularRoundTrip) {
  // CPCs tanh(8) = 0.99999977: rows nearly collinear; free uses tail sums of
  // squares (no 1 - sum cancellation) and recovers x.
  expect_round_trip(chol_corr_tf(3), {8, -8, 8}, 1e-9);
  expect_round_trip(chol_corr_tf(4), {9, 0.5, -9, 3, 9, -2}, 1e-9);
}

TEST(TransformsCholeskyCorr, LargeArgumentsStayFinite) {
  // tanh(x) rounds to +-1 here; Stan's log1m(tanh^2) would be -inf, ours is
  // the exact log sech^2 and the gradient stays finite.
  const Tf t = chol_corr_tf(3);
  std::mt19937 rng(9);
  const Vec x = {25, -30, 40};
  const double lj = log_jacobian(t, x);
  EXPECT_TRUE(std::isfinite(lj));
  const Vec y = constrain(t, x);
  EXPECT_EQ(t.check(y.data()), MVC_TF_OK);
  expect_gradient(t, x, rng, 1e-6);
}

TEST(TransformsCholeskyCorr, ReferenceValues) {
  const Vec x = {std::atanh(0.6)};
  double lp = 0;
  expect_vec_near(constrain(chol_corr_tf(2), x, &lp), {1, 0.6, 0, 0.8}, 1e-15);
  EXPECT_NEAR(lp, std::log(0.64), 1e-14);
  // K = 3, CPCs 1/2: rows (1), (1/2, sqrt(3)/2), (1/2, sqrt(3)/4, 3/4).
  const double a = std::atanh(0.5);
  lp = 0;
  const Vec L = constrain(chol_corr_tf(3), {a, a, a}, &lp);
  expect_vec_near(L, {1, 0.5, 0.5, 0, std::sqrt(0.75), std::sqrt(0.75) / 2, 0, 0, 0.75}, 1e-15);
  // log|J| = sum over (i,j) of (1 + 0.5 (i-1-j)) log(3/4) = (1 + 1.5 + 1) log(3/4).
  EXPECT_NEAR(lp, 3.5 * std::log(0.75), 1e-14);
}

TEST(TransformsCholeskyCorr, InvalidValues) {
  char err[200];
  const Vec upper = {1, 0, 0.1, 1};  // [1 0.1; 0 1]
  EXPECT_EQ(mvc_tf_cholesky_corr_check(2, upper.data(), err, sizeof err), MVC_TF_ERROR);
  EXPECT_STREQ(err, "is not lower triangular: element [1,2] is 0.1, but must be 0");
  const Vec long_row = {1, 0.6, 0, 0.9};
  EXPECT_EQ(mvc_tf_cholesky_corr_check(2, long_row.data(), err, sizeof err), MVC_TF_ERROR);
  EXPECT_STREQ(err,
               "is not a valid Cholesky factor of a correlation matrix: row 2 has sum of "
               "squares 1.17, but must have 1");
}

// ======================= cholesky_factor_cov ================================

TEST(TransformsCholeskyCov, Sizes) {
  EXPECT_EQ(mvc_tf_cholesky_cov_free_size(1, 1), 1);
  EXPECT_EQ(mvc_tf_cholesky_cov_free_size(3, 3), 6);
  EXPECT_EQ(mvc_tf_cholesky_cov_free_size(5, 3), 12);
}

TEST(TransformsCholeskyCov, AllChecks) {
  run_all(chol_cov_tf(1, 1), {{0.0}, {-20.0}, {20.0}});
  run_all(chol_cov_tf(2, 2), {{0, 0, 0}});
  run_all(chol_cov_tf(3, 2), {{0, 0.5, 1, -1, 2}});
  run_all(chol_cov_tf(4, 4), {});
  run_all(chol_cov_tf(6, 3), {});
}

TEST(TransformsCholeskyCov, ReferenceAndErrors) {
  // Rows: (e^0), (0.5, e^(log 3)), (-1, 2).
  const Vec x = {0, 0.5, std::log(3.0), -1, 2};
  double lp = 0;
  expect_vec_near(constrain(chol_cov_tf(3, 2), x, &lp), {1, 0.5, -1, 0, 3, 2}, 1e-15);
  EXPECT_NEAR(lp, std::log(3.0), 1e-15);
  char err[200];
  const Vec neg_diag = {1, 0.5, 0, -2};
  EXPECT_EQ(mvc_tf_cholesky_cov_check(2, 2, neg_diag.data(), err, sizeof err), MVC_TF_ERROR);
  EXPECT_STREQ(err, "diagonal element [2,2] is -2, but must be positive");
  EXPECT_EQ(mvc_tf_cholesky_cov_check(2, 3, neg_diag.data(), err, sizeof err), MVC_TF_ERROR);
}

// ============================ corr_matrix ===================================

TEST(TransformsCorrMatrix, AllChecks) {
  run_all(corr_tf(1), {{}});
  run_all(corr_tf(2), {{0.0}, {3.0}, {-3.0}});
  run_all(corr_tf(3), {{0, 0, 0}, {2, -1.5, 1}});
  run_all(corr_tf(4), {Vec(6, 0.0)});
  run_all(corr_tf(6), {}, 1e-8, 1e-5);
  // At K = 12 random CPCs of scale 2.5 make Omega numerically singular
  // (the round trip through L L' then loses digits, in Stan as here).
  run_all(corr_tf(12), {}, 1e-8, 1e-5, 2e-6, {0.3, 1.0});
}

TEST(TransformsCorrMatrix, NearSingularRoundTrip) {
  // Correlations within 1e-6 of 1: Omega is nearly singular but frees back.
  expect_round_trip(corr_tf(2), {7.5}, 1e-7);
  expect_round_trip(corr_tf(3), {6, -6, 6}, 1e-6);
}

TEST(TransformsCorrMatrix, ColumnMajorOrderOfStanReadCorrL) {
  // corr_matrix reads the CPCs by columns, cholesky_factor_corr by rows:
  // for K = 4 the same L needs x permuted (1,0),(2,0),(3,0),(2,1),(3,1),(3,2)
  // versus (1,0),(2,0),(2,1),(3,0),(3,1),(3,2).
  const Vec xc = {0.1, 0.2, 0.3, 0.4, 0.5, 0.6};
  const Vec xr = {0.1, 0.2, 0.4, 0.3, 0.5, 0.6};
  const Vec Om = constrain(corr_tf(4), xc);
  const Vec L = constrain(chol_corr_tf(4), xr);
  Eigen::Map<const Eigen::Matrix4d> Lm(L.data());
  const Eigen::Matrix4d LLt = Lm * Lm.transpose();
  for (int i = 0; i < 16; ++i) EXPECT_NEAR(Om[i], LLt.data()[i], 1e-15);
}

TEST(TransformsCorrMatrix, ReferenceValues) {
  const Vec x = {std::atanh(0.6)};
  double lp = 0;
  expect_vec_near(constrain(corr_tf(2), x, &lp), {1, 0.6, 0.6, 1}, 1e-15);
  EXPECT_NEAR(lp, std::log(0.64), 1e-14);
  // K = 3, CPCs 1/2: Omega(2,1) = 1/2, Omega(3,1) = 1/2, Omega(3,2) = 1/4 + 3/8;
  // log|J| = (1.5 + 1.5 + 1) log(3/4) (Stan: read_corr_L + corr_constrain).
  const double a = std::atanh(0.5);
  lp = 0;
  const Vec Om = constrain(corr_tf(3), {a, a, a}, &lp);
  expect_vec_near(Om, {1, 0.5, 0.5, 0.5, 1, 0.625, 0.5, 0.625, 1}, 1e-15);
  EXPECT_NEAR(lp, 4 * std::log(0.75), 1e-14);
}

TEST(TransformsCorrMatrix, InvalidValues) {
  char err[200];
  Vec s(mvc_tf_corr_matrix_scratch_size(2));
  const Vec diag = {1, 0.5, 0.5, 1.1};
  EXPECT_EQ(mvc_tf_corr_matrix_check(2, diag.data(), s.data(), err, sizeof err), MVC_TF_ERROR);
  EXPECT_STREQ(err,
               "is not a valid correlation matrix: diagonal element [2,2] is 1.1, but must be 1");
  const Vec not_pd = {1, 1.5, 1.5, 1};
  EXPECT_EQ(mvc_tf_corr_matrix_check(2, not_pd.data(), s.data(), err, sizeof err), MVC_TF_ERROR);
  EXPECT_STREQ(err, "is not symmetric positive definite");
}

// ============================ cov_matrix ====================================

TEST(TransformsCovMatrix, AllChecks) {
  run_all(cov_tf(1), {{0.0}, {-15.0}, {15.0}});
  run_all(cov_tf(2), {{0, 0, 0}, {1, -2, 3}});
  run_all(cov_tf(3), {Vec(6, 0.0)});
  run_all(cov_tf(5), {}, 1e-8, 1e-5);
  run_all(cov_tf(12), {}, 1e-8, 1e-5, 2e-6, {0.3, 1.0});  // as corr_matrix[12]
}

TEST(TransformsCovMatrix, NearSingular) {
  // Strong correlation: Sigma nearly singular, the transforms still invert.
  const Tf t = cov_tf(3);
  std::mt19937 rng(21);
  const Vec x = {0, 3, -3, 3, 3, -3};  // L rows (1), (3, e^-3), (3, 3, e^-3)
  expect_round_trip(t, x, 1e-8);
  expect_gradient(t, x, rng, 1e-5);
}

TEST(TransformsCovMatrix, ReferenceAndErrors) {
  // L = [1 0; 1 2]: Sigma = [1 1; 1 5]; log|J| = 2 log 2 + 3*0 + 2*log 2.
  const Vec x = {0, 1, std::log(2.0)};
  double lp = 0;
  expect_vec_near(constrain(cov_tf(2), x, &lp), {1, 1, 1, 5}, 1e-14);
  EXPECT_NEAR(lp, 4 * std::log(2.0), 1e-14);
  char err[200];
  Vec s(mvc_tf_cov_matrix_scratch_size(2)), xf(3);
  const Vec asym = {1, 0.5, 0.4, 1};
  EXPECT_EQ(mvc_tf_cov_matrix_free(2, asym.data(), xf.data(), s.data(), err, sizeof err),
            MVC_TF_ERROR);
  EXPECT_STREQ(err, "is not symmetric: element [2,1] is 0.5, but element [1,2] is 0.4");
  const Vec not_pd = {1, 2, 2, 1};
  EXPECT_EQ(mvc_tf_cov_matrix_free(2, not_pd.data(), xf.data(), s.data(), err, sizeof err),
            MVC_TF_ERROR);
  EXPECT_STREQ(err, "is not symmetric positive definite");
  const Vec inf = {1, 0, 0, kInf};
  EXPECT_EQ(mvc_tf_cov_matrix_check(2, inf.data(), s.data(), err, sizeof err), MVC_TF_ERROR);
  EXPECT_STREQ(err, "element [2,2] is inf, but must be finite");
}

}  // namespace

// ============ agreement with Stan's own algorithms ==========================
//
// Our code reformulates some of Stan's loops for accuracy (sech products and
// tail sums instead of sqrt(1 - sum of squares), online softmax, exact unit
// diagonals). Here Stan's loops are written out plainly, as the stan-dev/math
// sources describe them, and the two must agree at moderate points.

namespace {
namespace stan_like {

double log1m(double v) { return std::log1p(-v); }

// prim/constraint/cholesky_corr_constrain.hpp
Vec cholesky_corr(const Vec& y, int64_t K, double& lp) {
  Vec z(y.size());
  for (size_t k = 0; k < y.size(); ++k) {
    z[k] = std::tanh(y[k]);
    lp += log1m(z[k] * z[k]);  // corr_constrain
  }
  Vec x(K * K, 0.0);
  x[0] = 1;
  int64_t k = 0;
  for (int64_t i = 1; i < K; ++i) {
    x[i] = z[k++];
    double sum_sqs = x[i] * x[i];
    for (int64_t j = 1; j < i; ++j) {
      lp += 0.5 * log1m(sum_sqs);
      x[i + j * K] = z[k++] * std::sqrt(1.0 - sum_sqs);
      sum_sqs += x[i + j * K] * x[i + j * K];
    }
    x[i + i * K] = std::sqrt(1.0 - sum_sqs);
  }
  return x;
}

// prim/fun/read_corr_L.hpp (with corr_constrain first), then L L'.
Vec corr_matrix(const Vec& y, int64_t K, double& lp) {
  Vec cpc(y.size());
  for (size_t k = 0; k < y.size(); ++k) {
    cpc[k] = std::tanh(y[k]);
    lp += log1m(cpc[k] * cpc[k]);
  }
  size_t pos = 0;
  double acc_lp = 0;
  for (int64_t k = 1; k <= K - 2; ++k)
    for (int64_t i = k + 1; i <= K; ++i) {
      acc_lp += double(K - k - 1) * log1m(cpc[pos] * cpc[pos]);
      ++pos;
    }
  lp += 0.5 * acc_lp;
  Eigen::MatrixXd L = Eigen::MatrixXd::Zero(K, K);
  Eigen::ArrayXd acc = Eigen::ArrayXd::Ones(K - 1);
  Eigen::Map<const Eigen::ArrayXd> c(cpc.data(), cpc.size());
  size_t position = 0, pull = K - 1;
  L(0, 0) = 1;
  L.col(0).tail(pull) = c.head(pull).matrix();
  acc.tail(pull) = 1.0 - c.head(pull).square();
  for (int64_t i = 1; i < K - 1; ++i) {
    position += pull;
    --pull;
    const Eigen::ArrayXd temp = c.segment(position, pull);
    L(i, i) = std::sqrt(acc(i - 1));
    L.col(i).tail(pull) = (temp * acc.tail(pull).sqrt()).matrix();
    acc.tail(pull) *= 1.0 - temp.square();
  }
  L(K - 1, K - 1) = std::sqrt(acc(K - 2));
  const Eigen::MatrixXd Om = L * L.transpose();
  return Vec(Om.data(), Om.data() + K * K);
}

// prim/constraint/cov_matrix_constrain.hpp
Vec cov_matrix(const Vec& x, int64_t K, double& lp) {
  Eigen::MatrixXd L = Eigen::MatrixXd::Zero(K, K);
  int64_t i = 0;
  for (int64_t m = 0; m < K; ++m) {
    for (int64_t n = 0; n < m; ++n) L(m, n) = x[i++];
    L(m, m) = std::exp(x[i++]);
  }
  lp += double(K) * std::log(2.0);
  for (int64_t k = 0; k < K; ++k) lp += double(K - k + 1) * std::log(L(k, k));
  const Eigen::MatrixXd S = L * L.transpose();
  return Vec(S.data(), S.data() + K * K);
}

// softmax(sum_to_zero_constrain(y)), log|J| = sum(log x) + 0.5 log K.
Vec simplex(const Vec& y, double& lp) {
  const int64_t N = y.size();
  Vec z(N + 1, 0.0);
  double sum_w = 0;
  for (int64_t i = N; i > 0; --i) {
    const double n = double(i), w = y[i - 1] / std::sqrt(n * (n + 1));
    sum_w += w;
    z[i - 1] += sum_w;
    z[i] -= w * n;
  }
  double total = 0;
  for (double v : z) total += std::exp(v);
  for (double& v : z) {
    v = std::exp(v) / total;
    lp += std::log(v);
  }
  lp += 0.5 * std::log(double(N + 1));
  return z;
}

}  // namespace stan_like
}  // namespace

TEST(TransformsStanAgreement, SameValuesAndLogJacobians) {
  std::mt19937 rng(2024);
  for (int rep = 0; rep < 4; ++rep) {
    for (int64_t K : {2, 3, 4, 6}) {
      SCOPED_TRACE("K=" + std::to_string(K) + " rep=" + std::to_string(rep));
      const Vec xc = random_vec(rng, K * (K - 1) / 2, 1.0);
      double lp_ref = 0, lp = 0;
      const Vec Lref = stan_like::cholesky_corr(xc, K, lp_ref);
      expect_vec_near(constrain(chol_corr_tf(K), xc, &lp), Lref, 1e-14);
      EXPECT_NEAR(lp, lp_ref, 1e-12);

      lp_ref = lp = 0;
      const Vec Oref = stan_like::corr_matrix(xc, K, lp_ref);
      expect_vec_near(constrain(corr_tf(K), xc, &lp), Oref, 1e-14);
      EXPECT_NEAR(lp, lp_ref, 1e-12);

      const Vec xv = random_vec(rng, K * (K + 1) / 2, 1.0);
      lp_ref = lp = 0;
      const Vec Sref = stan_like::cov_matrix(xv, K, lp_ref);
      const Vec S = constrain(cov_tf(K), xv, &lp);
      for (size_t i = 0; i < S.size(); ++i) EXPECT_NEAR(S[i], Sref[i], 1e-13 * (1 + std::fabs(Sref[i])));
      EXPECT_NEAR(lp, lp_ref, 1e-12);

      const Vec xs = random_vec(rng, K - 1, 2.0);
      lp_ref = lp = 0;
      const Vec yref = stan_like::simplex(xs, lp_ref);
      expect_vec_near(constrain(simplex_tf(K), xs, &lp), yref, 1e-15);
      EXPECT_NEAR(lp, lp_ref, 1e-12);
    }
  }
}
