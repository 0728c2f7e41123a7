// The log CDFs of every univariate family (mvc_lcdf) and the special functions gamma_p,
// gamma_q, inc_beta, owens_t, against values computed independently here: closed forms where
// they exist, the integral of the family's density (its lpdf kernel) between two points, the
// sum of its pmf for discrete families; lcdf and lccdf complementary; every partial against
// central finite differences. Also the densities exp_mod_normal, von_mises, ordered_probit,
// multinomial and discrete_range against closed forms.
#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <string>
#include <tuple>
#include <vector>

#include "compiled/values.h"
#include "mvc/distributions.h"

namespace {

using namespace mvc::values;
using Vec = std::vector<double>;

double lcdf(const std::string& fam, bool upper, const Vec& x) {
  std::vector<mvc_dist_arg> a;
  for (const double& v : x) a.push_back({&v, nullptr, 1});
  double out = std::nan("");
  EXPECT_EQ(mvc_lcdf(fam.c_str(), upper ? 1 : 0, a.data(), static_cast<int>(a.size()), &out), 0) << fam;
  return out;
}

Vec lcdfGrad(const std::string& fam, bool upper, const Vec& x) {
  std::vector<mvc_dist_arg> a;
  Vec g(x.size(), 0.0);
  std::vector<double*> gp;
  for (size_t k = 0; k < x.size(); ++k) {
    a.push_back({&x[k], nullptr, 1});
    gp.push_back(&g[k]);
  }
  EXPECT_EQ(mvc_lcdf_grad(fam.c_str(), upper ? 1 : 0, a.data(), static_cast<int>(a.size()), 1.0, gp.data()), 0);
  return g;
}

// The central difference of f in coordinate k, step 1e-6 max(floor, |x_k|).
double centralDifference(const std::function<double(const Vec&)>& f, const Vec& x, size_t k, double floor = 1.0) {
  const double h = 1e-6 * std::max(floor, std::fabs(x[k]));
  Vec xp = x, xm = x;
  xp[k] += h;
  xm[k] -= h;
  return (f(xp) - f(xm)) / (2 * h);
}

// The full (normalised) log density of the family through the value library.
double lpdf(const std::string& fam, const Vec& x, bool discrete) {
  std::vector<Value> vals;
  for (size_t k = 0; k < x.size(); ++k)
    vals.push_back(discrete && (k == 0 || ((fam == "binomial" || fam == "beta_binomial") && k == 1))
                       ? Value::integer(static_cast<int64_t>(x[k]))
                       : Value::real(x[k]));
  std::vector<const Value*> ptrs;
  for (const Value& v : vals) ptrs.push_back(&v);
  return density(fam + (discrete ? "_lpmf" : "_lpdf"), fam, false, Args(ptrs), 0, false);
}

// Adaptive Simpson on [a, b].
double simpson(const std::function<double(double)>& f, double a, double b, double fa, double fm, double fb,
               double whole, double tol, int depth) {
  const double m = 0.5 * (a + b), lm = 0.5 * (a + m), rm = 0.5 * (m + b);
  const double flm = f(lm), frm = f(rm);
  const double left = (m - a) / 6 * (fa + 4 * flm + fm), right = (b - m) / 6 * (fm + 4 * frm + fb);
  if (depth <= 0 || std::fabs(left + right - whole) <= 15 * tol) return left + right + (left + right - whole) / 15;
  return simpson(f, a, m, fa, flm, fm, left, tol / 2, depth - 1) + simpson(f, m, b, fm, frm, fb, right, tol / 2, depth - 1);
}
double integrate(const std::function<double(double)>& f, double a, double b) {
  const double fa = f(a), fb = f(b), fm = f(0.5 * (a + b));
  return simpson(f, a, b, fa, fm, fb, (b - a) / 6 * (fa + 4 * fm + fb), 1e-13, 50);
}

struct ContinuousCase {
  std::string family;
  Vec params;
  double y1, y2;  // points in the support; F(y2) - F(y1) = integral of the density
};

class ContinuousCdf : public ::testing::TestWithParam<ContinuousCase> {};

TEST_P(ContinuousCdf, IntegralOfTheDensityComplementAndGradients) {
  const ContinuousCase& c = GetParam();
  auto at = [&](double y) {
    Vec x{y};
    x.insert(x.end(), c.params.begin(), c.params.end());
    return x;
  };
  const double mass = integrate([&](double y) { return std::exp(lpdf(c.family, at(y), false)); }, c.y1, c.y2);
  const double F1 = std::exp(lcdf(c.family, false, at(c.y1))), F2 = std::exp(lcdf(c.family, false, at(c.y2)));
  EXPECT_NEAR(F2 - F1, mass, 1e-9) << c.family;
  // Computed from the upper tail too
  const double S1 = std::exp(lcdf(c.family, true, at(c.y1))), S2 = std::exp(lcdf(c.family, true, at(c.y2)));
  EXPECT_NEAR(S1 - S2, mass, 1e-9) << c.family;
  EXPECT_NEAR(F1 + S1, 1.0, 1e-12) << c.family;
  EXPECT_NEAR(F2 + S2, 1.0, 1e-12) << c.family;
  // Partials in every argument, both tails, at both points
  for (bool upper : {false, true})
    for (double y : {c.y1, c.y2}) {
      Vec x = at(y), g = lcdfGrad(c.family, upper, x);
      for (size_t k = 0; k < x.size(); ++k) {
        const double fd = centralDifference([&](const Vec& v) { return lcdf(c.family, upper, v); }, x, k);
        EXPECT_NEAR(g[k], fd, 1e-6 * std::max(1.0, std::fabs(fd)))
            << c.family << (upper ? " lccdf" : " lcdf") << " d/dx" << k << " at y = " << y;
      }
    }
}

INSTANTIATE_TEST_SUITE_P(
    All, ContinuousCdf,
    ::testing::Values(ContinuousCase{"normal", {0.3, 1.7}, -1.0, 2.0}, ContinuousCase{"std_normal", {}, -0.5, 1.2},
                      ContinuousCase{"cauchy", {0.5, 2.0}, -3.0, 1.0}, ContinuousCase{"logistic", {1.0, 0.7}, -0.4, 2.5},
                      ContinuousCase{"double_exponential", {0.2, 1.3}, -1.0, 0.1},
                      ContinuousCase{"double_exponential", {0.2, 1.3}, 0.5, 2.0},
                      ContinuousCase{"gumbel", {0.5, 2.0}, -1.0, 3.0}, ContinuousCase{"frechet", {2.5, 1.5}, 0.8, 3.0},
                      ContinuousCase{"rayleigh", {1.3}, 0.2, 2.5}, ContinuousCase{"pareto", {0.5, 2.5}, 0.7, 3.0},
                      ContinuousCase{"exp_mod_normal", {0.5, 1.2, 0.8}, -1.0, 3.0},
                      ContinuousCase{"skew_normal", {0.2, 1.4, 2.5}, -0.5, 1.8},
                      ContinuousCase{"skew_normal", {0.2, 1.4, -0.7}, -2.0, 0.3},
                      ContinuousCase{"gamma", {2.7, 1.3}, 0.5, 3.0}, ContinuousCase{"gamma", {0.6, 0.4}, 0.1, 9.0},
                      ContinuousCase{"gamma", {40.0, 2.0}, 15.0, 25.0},
                      ContinuousCase{"inv_gamma", {3.1, 2.0}, 0.3, 2.0},
                      ContinuousCase{"chi_square", {3.5}, 1.0, 6.0}, ContinuousCase{"inv_chi_square", {4.2}, 0.1, 0.6},
                      ContinuousCase{"beta", {2.5, 1.7}, 0.2, 0.8}, ContinuousCase{"beta", {0.7, 0.9}, 0.05, 0.5},
                      ContinuousCase{"beta", {30.0, 12.0}, 0.6, 0.75},
                      ContinuousCase{"student_t", {3.5, 0.4, 1.2}, -2.0, 0.1},
                      ContinuousCase{"student_t", {3.5, 0.4, 1.2}, 0.9, 4.0},
                      ContinuousCase{"student_t", {250.0, 0.0, 1.0}, -1.0, 1.5},
                      ContinuousCase{"exponential", {1.7}, 0.2, 1.5}, ContinuousCase{"lognormal", {0.1, 0.6}, 0.5, 2.0},
                      ContinuousCase{"uniform", {-1.0, 2.0}, -0.5, 1.0}, ContinuousCase{"weibull", {1.8, 2.2}, 0.4, 3.0},
                      ContinuousCase{"von_mises", {0.4, 2.5}, -2.0, 1.0}, ContinuousCase{"von_mises", {-2.8, 0.6}, -3.0, 2.5},
                      ContinuousCase{"von_mises", {1.0, 400.0}, 0.9, 1.05}),
    [](const ::testing::TestParamInfo<ContinuousCase>& i) { return i.param.family + std::to_string(i.index); });

double call(const std::string& fn, const Vec& x);  // (below, with the special functions)

// Arguments on large and small scales (the continued fractions' convergence test is relative
// to the derivatives' size), a point at the centre of a symmetric family, a large h in Owen's T.
TEST(Cdf, ScaledArgumentsAndSpecialPoints) {
  for (const auto& [fam, upper, x] : std::vector<std::tuple<std::string, bool, Vec>>{
           {"gamma", false, {0.01, 2.0, 1e4}}, {"gamma", true, {3e-4, 2.0, 1e4}},
           {"student_t", false, {0.001, 3.0, 0.0, 0.001}}, {"student_t", true, {-0.002, 3.0, 0.0, 0.001}},
           {"beta", false, {0.999, 300.0, 0.5}}, {"student_t", false, {0.4, 3.0, 0.4, 2.0}},
           {"student_t", true, {0.4, 7.0, 0.4, 2.0}}, {"inv_gamma", false, {2e-3, 3.0, 1e-2}}}) {
    Vec g = lcdfGrad(fam, upper, x);
    for (size_t k = 0; k < x.size(); ++k) {
      const std::string& family = fam;  // (a structured binding cannot be captured in C++17)
      const bool tail = upper;
      const double fd = centralDifference([&](const Vec& v) { return lcdf(family, tail, v); }, x, k, 1e-3);
      EXPECT_NEAR(g[k], fd, 1e-5 * std::max(1.0, std::fabs(fd))) << fam << " d/dx" << k;
    }
  }
  // student_t at its centre: F = 1/2, d log F / dy = 2 density(0) / sigma
  const Vec g = lcdfGrad("student_t", false, {0.4, 3.0, 0.4, 2.0});
  EXPECT_NEAR(g[0], 2 * std::tgamma(2.0) / (std::tgamma(1.5) * std::sqrt(3 * M_PI)) / 2.0, 1e-12);
  EXPECT_NEAR(lcdf("student_t", false, {0.4, 3.0, 0.4, 2.0}), std::log(0.5), 1e-15);
  // Owen's T for a huge h is 0 at once (not a loop over a number of panels that grows with h)
  EXPECT_EQ(call("owens_t", {1e9, 0.5}), 0.0);
  EXPECT_EQ(call("owens_t", {HUGE_VAL, 3.0}), 0.0);
  EXPECT_EQ(lcdf("skew_normal", true, {1e7, 0.0, 1.0, 2.0}), -HUGE_VAL);
}

TEST(Cdf, ClosedFormsAndLimits) {
  // chi_square(2): 1 - exp(-y/2); gamma(3, b): 1 - e^-t (1 + t + t^2/2), t = b y
  EXPECT_NEAR(std::exp(lcdf("chi_square", false, {1.7, 2.0})), 1 - std::exp(-0.85), 1e-14);
  const double t = 1.3 * 2.1;
  EXPECT_NEAR(std::exp(lcdf("gamma", false, {2.1, 3.0, 1.3})), 1 - std::exp(-t) * (1 + t + t * t / 2), 1e-14);
  // student_t(2): 1/2 + t / (2 sqrt(2 + t^2)); beta(1, b): 1 - (1 - y)^b
  EXPECT_NEAR(std::exp(lcdf("student_t", false, {-1.3, 2.0, 0.0, 1.0})), 0.5 - 1.3 / (2 * std::sqrt(2 + 1.69)), 1e-14);
  EXPECT_NEAR(std::exp(lcdf("beta", false, {0.3, 1.0, 2.5})), 1 - std::pow(0.7, 2.5), 1e-14);
  // Far tails stay finite in log space
  EXPECT_NEAR(lcdf("student_t", true, {1e4, 3.0, 0.0, 1.0}), std::log(std::exp(lcdf("student_t", false, {-1e4, 3.0, 0.0, 1.0}))), 1e-9);
  // Q(2, 200) = e^-200 (1 + 200), far below what 1 - P could resolve
  EXPECT_NEAR(lcdf("gamma", true, {200.0, 2.0, 1.0}), -200.0 + std::log(201.0), 1e-12);
  // The other tail computed independently: P(T < -t) for student_t(2) in closed form
  EXPECT_NEAR(lcdf("student_t", true, {30.0, 2.0, 0.0, 1.0}), std::log(0.5 - 30.0 / (2 * std::sqrt(2 + 900.0))), 1e-9);
  // Outside the support: -inf / 0, as Stan
  EXPECT_EQ(lcdf("gamma", false, {-1.0, 2.0, 1.0}), -HUGE_VAL);
  EXPECT_EQ(lcdf("gamma", true, {-1.0, 2.0, 1.0}), 0.0);
  EXPECT_EQ(lcdf("beta", false, {1.5, 2.0, 1.0}), 0.0);
  EXPECT_EQ(lcdf("pareto", false, {0.3, 0.5, 2.0}), -HUGE_VAL);
  EXPECT_EQ(lcdf("von_mises", true, {M_PI, 0.3, 2.0}), -HUGE_VAL);
  // Invalid parameters are errors, families without a CDF are unknown
  mvc_dist_arg a[3];
  const double y = 1, bad = -2, one = 1;
  a[0] = {&y, nullptr, 1}, a[1] = {&bad, nullptr, 1}, a[2] = {&one, nullptr, 1};
  double out;
  EXPECT_EQ(mvc_lcdf("gamma", 0, a, 3, &out), MVC_DIST_ERR_DOMAIN);
  EXPECT_EQ(mvc_lcdf("gamma", 0, a, 2, &out), MVC_DIST_ERR_SIZE);
  EXPECT_EQ(mvc_lcdf_arity("multi_normal"), 0);
  EXPECT_EQ(mvc_lcdf_arity("student_t"), 4);
  const double four = 4.0;
  a[0] = {&four, nullptr, 1};
  EXPECT_EQ(mvc_lcdf("von_mises", 0, a, 3, &out), MVC_DIST_ERR_DOMAIN);  // y outside [-pi, pi]
}

struct DiscreteCase {
  std::string family;
  Vec params;  // integer parameters first where the family has them
  int n_max;   // F(n) checked for n = -1 .. n_max
};

class DiscreteCdf : public ::testing::TestWithParam<DiscreteCase> {};

TEST_P(DiscreteCdf, SumOfThePmfAndGradients) {
  const DiscreteCase& c = GetParam();
  auto at = [&](double n) {
    Vec x{n};
    x.insert(x.end(), c.params.begin(), c.params.end());
    return x;
  };
  double F = 0;
  for (int n = -1; n <= c.n_max; ++n) {
    // the pmf beyond the support (n > N) is an error of the density kernel, and 0
    if (n >= 0) try {
        F += std::exp(lpdf(c.family, at(n), true));
      } catch (const Error&) {
        EXPECT_GT(n, 0) << c.family;
      }
    const double l = lcdf(c.family, false, at(n)), lc = lcdf(c.family, true, at(n));
    EXPECT_NEAR(std::exp(l), F, 1e-12 * std::max(1.0, F)) << c.family << " n = " << n;
    EXPECT_NEAR(std::exp(lc), 1 - F, 1e-11) << c.family << " n = " << n;
    if (n < 0 || std::exp(lc) < 1e-12 || std::exp(l) < 1e-12) continue;
    for (bool upper : {false, true}) {
      Vec x = at(n), g = lcdfGrad(c.family, upper, x);
      for (size_t k = 1; k < x.size(); ++k) {
        if (c.family == "binomial" && k == 1) continue;       // N is an integer
        if (c.family == "beta_binomial" && k == 1) continue;  // N
        const double fd = centralDifference([&](const Vec& v) { return lcdf(c.family, upper, v); }, x, k);
        EXPECT_NEAR(g[k], fd, 1e-6 * std::max(1.0, std::fabs(fd))) << c.family << " n = " << n << " k = " << k;
      }
    }
  }
}

INSTANTIATE_TEST_SUITE_P(All, DiscreteCdf,
                         ::testing::Values(DiscreteCase{"poisson", {3.7}, 12}, DiscreteCase{"bernoulli", {0.3}, 2},
                                           DiscreteCase{"binomial", {9, 0.35}, 10},
                                           DiscreteCase{"neg_binomial", {2.5, 0.8}, 15},
                                           DiscreteCase{"neg_binomial_2", {4.2, 1.7}, 15},
                                           DiscreteCase{"beta_binomial", {8, 1.5, 2.5}, 9}),
                         [](const ::testing::TestParamInfo<DiscreteCase>& i) { return i.param.family; });

TEST(Cdf, DiscreteRange) {
  EXPECT_NEAR(std::exp(lcdf("discrete_range", false, {3, 1, 6})), 3.0 / 6, 1e-15);
  EXPECT_NEAR(std::exp(lcdf("discrete_range", true, {3, 1, 6})), 3.0 / 6, 1e-15);
  EXPECT_EQ(lcdf("discrete_range", false, {0, 1, 6}), -HUGE_VAL);
  EXPECT_EQ(lcdf("discrete_range", false, {6, 1, 6}), 0.0);
  EXPECT_NEAR(lpdf("discrete_range", {2, 1, 6}, true), -std::log(6.0), 1e-15);
}

// ---- the special functions through the value library's built-ins
double call(const std::string& fn, const Vec& x) {
  std::vector<Value> vals;
  for (double v : x) vals.push_back(Value::real(v));
  std::vector<const Value*> ptrs;
  for (const Value& v : vals) ptrs.push_back(&v);
  return callBuiltin(fn, Args(ptrs), ResultType{}).num();
}
double grad(const std::string& fn, int k, const Vec& x) {
  std::vector<Value> vals;
  for (double v : x) vals.push_back(Value::real(v));
  std::vector<const Value*> ptrs;
  for (const Value& v : vals) ptrs.push_back(&v);
  Value y = callBuiltin(fn, Args(ptrs), ResultType{});
  return builtinGrad(fn, k, Value::real(1.0), y, Args(ptrs)).num();
}

TEST(Special, KnownValues) {
  EXPECT_NEAR(call("gamma_p", {1.0, 0.7}), 1 - std::exp(-0.7), 1e-15);
  EXPECT_NEAR(call("gamma_p", {0.5, 2.3}), std::erf(std::sqrt(2.3)), 1e-15);
  EXPECT_NEAR(call("gamma_q", {0.5, 2.3}), std::erfc(std::sqrt(2.3)), 1e-15);
  EXPECT_NEAR(call("gamma_q", {3.0, 12.0}), std::exp(-12.0) * (1 + 12.0 + 72.0), 1e-18);
  EXPECT_NEAR(call("inc_beta", {2.5, 1.0, 0.4}), std::pow(0.4, 2.5), 1e-15);
  EXPECT_NEAR(call("inc_beta", {2.0, 3.0, 0.3}), 1 - std::pow(0.7, 4) - 4 * 0.3 * std::pow(0.7, 3), 1e-15);
  // Owen's T: T(0, a) = atan(a) / (2 pi), T(h, 1) = Phi(h) (1 - Phi(h)) / 2, and the integral
  auto Phi = [](double z) { return 0.5 * std::erfc(-z / std::sqrt(2.0)); };
  EXPECT_NEAR(call("owens_t", {0.0, 3.0}), std::atan(3.0) / (2 * M_PI), 1e-15);
  EXPECT_NEAR(call("owens_t", {0.8, 1.0}), Phi(0.8) * (1 - Phi(0.8)) / 2, 1e-15);
  for (double h : {0.3, 1.7, 4.0})
    for (double a : {0.4, 2.5, -7.0}) {
      const double direct = integrate([&](double x) { return std::exp(-0.5 * h * h * (1 + x * x)) / (1 + x * x); },
                                      0, std::fabs(a)) / (2 * M_PI) * (a < 0 ? -1 : 1);
      EXPECT_NEAR(call("owens_t", {h, a}), direct, 1e-13) << h << " " << a;
    }
  EXPECT_THROW(call("gamma_p", {-1.0, 2.0}), Error);
  EXPECT_THROW(call("inc_beta", {1.0, 2.0, 1.5}), Error);
}

TEST(Special, PartialsMatchFiniteDifferences) {
  const std::vector<std::pair<std::string, Vec>> points = {
      {"gamma_p", {2.3, 1.1}}, {"gamma_p", {0.4, 3.0}}, {"gamma_p", {25.0, 30.0}}, {"gamma_q", {2.3, 1.1}},
      {"gamma_q", {7.5, 20.0}}, {"inc_beta", {2.5, 1.7, 0.3}}, {"inc_beta", {0.6, 4.0, 0.9}},
      {"inc_beta", {50.0, 40.0, 0.55}}, {"owens_t", {0.7, 0.4}}, {"owens_t", {-1.2, 3.0}}};
  for (const auto& [fn, x] : points)
    for (size_t k = 0; k < x.size(); ++k) {
      const std::string& name = fn;  // (a structured binding cannot be captured in C++17)
      const double fd = centralDifference([&](const Vec& v) { return call(name, v); }, x, k);
      EXPECT_NEAR(grad(fn, static_cast<int>(k), x), fd, 1e-7 * std::max(1.0, std::fabs(fd))) << fn << " d" << k;
    }
}

// ---- densities added with the CDFs
TEST(Densities, ClosedForms) {
  // exp_mod_normal: lambda exp(lambda (mu + lambda s^2 / 2 - y)) Phi((y - mu) / s - lambda s)
  {
    const double y = 0.7, mu = 0.2, s = 1.1, la = 1.6;
    const double w = (y - mu) / s - la * s;
    const double ref = std::log(la) + la * (mu + 0.5 * la * s * s - y) + std::log(0.5 * std::erfc(-w / std::sqrt(2.0)));
    EXPECT_NEAR(lpdf("exp_mod_normal", {y, mu, s, la}, false), ref, 1e-13);
  }
  // von_mises: exp(k cos(y - mu)) / (2 pi I0(k)), integrates to 1 over a period
  EXPECT_NEAR(lpdf("von_mises", {0.4, 1.0, 2.0}, false),
              2.0 * std::cos(-0.6) - std::log(2 * M_PI * std::cyl_bessel_i(0.0, 2.0)), 1e-13);
  EXPECT_NEAR(integrate([](double y) { return std::exp(lpdf("von_mises", {y, 0.3, 800.0}, false)); }, -M_PI + 0.3, M_PI + 0.3),
              1.0, 1e-9);
  // ordered_probit: Phi(c_k - eta) - Phi(c_{k-1} - eta); categories sum to 1
  {
    auto Phi = [](double z) { return 0.5 * std::erfc(-z / std::sqrt(2.0)); };
    const double eta = 0.3;
    const Vec c{-1.0, 0.4, 2.0};
    double total = 0;
    for (int k = 1; k <= 4; ++k) {
      Value y = Value::integer(k), e = Value::real(eta), cv = Value::vec(Eigen::Map<const Eigen::VectorXd>(c.data(), 3));
      const Value* args[] = {&y, &e, &cv};
      const double l = density("ordered_probit_lpmf", "ordered_probit", false, Args(args, 3), 0, false);
      const double hi = k < 4 ? Phi(c[k - 1] - eta) : 1.0, lo = k > 1 ? Phi(c[k - 2] - eta) : 0.0;
      EXPECT_NEAR(l, std::log(hi - lo), 1e-13) << k;
      total += std::exp(l);
    }
    EXPECT_NEAR(total, 1.0, 1e-14);
  }
  // multinomial: N! / prod y_k! prod theta_k^y_k
  {
    Value y = Value::array({Value::integer(2), Value::integer(0), Value::integer(3)});
    Eigen::VectorXd th(3);
    th << 0.2, 0.3, 0.5;
    Value t = Value::vec(th);
    const Value* args[] = {&y, &t};
    const double ref = std::log(120.0 / (2 * 6)) + 2 * std::log(0.2) + 3 * std::log(0.5);
    EXPECT_NEAR(density("multinomial_lpmf", "multinomial", false, Args(args, 2), 0, false), ref, 1e-13);
    EXPECT_NEAR(density("multinomial_lpmf", "multinomial", false, Args(args, 2), 2, true),
                2 * std::log(0.2) + 3 * std::log(0.5), 1e-13);  // ~ keeps only the theta terms
  }
}

}  // namespace
