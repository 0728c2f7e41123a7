// Univariate kernels of mvc/distributions.h: each family's value against an independent
// closed form (propto = 0), the exact set of terms kept under propto = 1 for every activity
// mask (Stan's grouping), gradients against finite differences at ordinary and edge points,
// domain errors, broadcasting and size errors.
#include "mvc/distributions.h"

#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <string>
#include <vector>

#include "dist_test_util.h"

using namespace mvc_test;

namespace {

struct Term {
  uint32_t mask;  // arguments the term depends on (0 = constant)
  double v;
};
using Args = std::vector<Vec>;
using LpdfFn = std::function<int(const Args&, uint32_t, int, double*)>;
using GradFn = std::function<int(const Args&, uint32_t, int, double, std::vector<double*>)>;

struct Fam {
  std::string name;
  int K;
  uint32_t int_mask;
  LpdfFn lpdf;
  GradFn grad;
  std::function<std::vector<Term>(const Vec&)> terms;  // Stan's terms, closed form
  std::function<double(const Vec&)> logdens;          // independent normalised log density
  std::vector<Vec> points;
  std::vector<Vec> bad;
};

std::vector<int32_t> I(const Vec& v) { return std::vector<int32_t>(v.begin(), v.end()); }
#define N_(k) (int64_t) a[k].size()
#define L1(fn) [](const Args& a, uint32_t m, int p, double* o) { return fn(a[0].data(), N_(0), m, p, o); }
#define G1(fn) [](const Args& a, uint32_t m, int p, double adj, std::vector<double*> g) { \
    return fn(a[0].data(), N_(0), m, p, adj, g[0]); }
#define L2(fn) [](const Args& a, uint32_t m, int p, double* o) { \
    return fn(a[0].data(), N_(0), a[1].data(), N_(1), m, p, o); }
#define G2(fn) [](const Args& a, uint32_t m, int p, double adj, std::vector<double*> g) { \
    return fn(a[0].data(), N_(0), a[1].data(), N_(1), m, p, adj, g[0], g[1]); }
#define L3(fn) [](const Args& a, uint32_t m, int p, double* o) { \
    return fn(a[0].data(), N_(0), a[1].data(), N_(1), a[2].data(), N_(2), m, p, o); }
#define G3(fn) [](const Args& a, uint32_t m, int p, double adj, std::vector<double*> g) { \
    return fn(a[0].data(), N_(0), a[1].data(), N_(1), a[2].data(), N_(2), m, p, adj, g[0], g[1], g[2]); }
#define L4(fn) [](const Args& a, uint32_t m, int p, double* o) { \
    return fn(a[0].data(), N_(0), a[1].data(), N_(1), a[2].data(), N_(2), a[3].data(), N_(3), m, p, o); }
#define G4(fn) [](const Args& a, uint32_t m, int p, double adj, std::vector<double*> g) { \
    return fn(a[0].data(), N_(0), a[1].data(), N_(1), a[2].data(), N_(2), a[3].data(), N_(3), m, p, adj, \
              g[0], g[1], g[2], g[3]); }
#define LID(fn) [](const Args& a, uint32_t m, int p, double* o) { \
    auto i0 = I(a[0]); return fn(i0.data(), N_(0), a[1].data(), N_(1), m, p, o); }
#define GID(fn) [](const Args& a, uint32_t m, int p, double adj, std::vector<double*> g) { \
    auto i0 = I(a[0]); return fn(i0.data(), N_(0), a[1].data(), N_(1), m, p, adj, g[1]); }
#define LIID(fn) [](const Args& a, uint32_t m, int p, double* o) { \
    auto i0 = I(a[0]); auto i1 = I(a[1]); \
    return fn(i0.data(), N_(0), i1.data(), N_(1), a[2].data(), N_(2), m, p, o); }
#define GIID(fn) [](const Args& a, uint32_t m, int p, double adj, std::vector<double*> g) { \
    auto i0 = I(a[0]); auto i1 = I(a[1]); \
    return fn(i0.data(), N_(0), i1.data(), N_(1), a[2].data(), N_(2), m, p, adj, g[2]); }
#define LIDD(fn) [](const Args& a, uint32_t m, int p, double* o) { \
    auto i0 = I(a[0]); return fn(i0.data(), N_(0), a[1].data(), N_(1), a[2].data(), N_(2), m, p, o); }
#define GIDD(fn) [](const Args& a, uint32_t m, int p, double adj, std::vector<double*> g) { \
    auto i0 = I(a[0]); \
    return fn(i0.data(), N_(0), a[1].data(), N_(1), a[2].data(), N_(2), m, p, adj, g[1], g[2]); }

const double kPi = 3.14159265358979323846;
double lg(double x) { return std::lgamma(x); }
double lchoose(double n, double k) { return lg(n + 1) - lg(k + 1) - lg(n - k + 1); }

std::vector<Fam> families() {
  std::vector<Fam> f;
  // bits: y = 1, then 2, 4, 8
  f.push_back({"normal", 3, 0, L3(mvc_normal_lpdf), G3(mvc_normal_lpdf_grad),
               [](const Vec& x) {
                 const double z = (x[0] - x[1]) / x[2];
                 return std::vector<Term>{{0, -0.5 * std::log(2 * kPi)}, {4, -std::log(x[2])},
                                          {7, -0.5 * z * z}};
               },
               [](const Vec& x) {
                 return -0.5 * std::log(2 * kPi * x[2] * x[2]) -
                        (x[0] - x[1]) * (x[0] - x[1]) / (2 * x[2] * x[2]);
               },
               {{0.3, -1.2, 2.5}, {1e3, 0, 1e-3}, {1e-9, 1e-9, 1e-8}, {5e7, -3e7, 1e8}, {-2, 3, 0.7}},
               {{0, 0, 0}, {0, 0, -1}, {NAN, 0, 1}, {0, INFINITY, 1}, {0, 0, INFINITY}}});
  f.push_back({"std_normal", 1, 0, L1(mvc_std_normal_lpdf), G1(mvc_std_normal_lpdf_grad),
               [](const Vec& x) {
                 return std::vector<Term>{{0, -0.5 * std::log(2 * kPi)}, {1, -0.5 * x[0] * x[0]}};
               },
               [](const Vec& x) { return std::log(std::exp(-0.5 * x[0] * x[0]) / std::sqrt(2 * kPi)); },
               {{0.3}, {-2.5}, {1e-12}, {30}},
               {{NAN}}});
  f.push_back({"cauchy", 3, 0, L3(mvc_cauchy_lpdf), G3(mvc_cauchy_lpdf_grad),
               [](const Vec& x) {
                 const double z = (x[0] - x[1]) / x[2];
                 return std::vector<Term>{{0, -std::log(kPi)}, {4, -std::log(x[2])},
                                          {7, -std::log1p(z * z)}};
               },
               [](const Vec& x) {
                 const double r = x[0] - x[1];
                 return std::log(x[2] / (kPi * (r * r + x[2] * x[2])));
               },
               {{0.3, -1.2, 2.5}, {1e4, 0, 1e-3}, {1e-7, 0, 1e-6}, {3, 1, 1e6}},
               {{0, 0, 0}, {NAN, 0, 1}, {0, NAN, 1}}});
  f.push_back({"student_t", 4, 0, L4(mvc_student_t_lpdf), G4(mvc_student_t_lpdf_grad),
               [](const Vec& x) {
                 const double nu = x[1], z = (x[0] - x[2]) / x[3];
                 return std::vector<Term>{
                     {0, -0.5 * std::log(kPi)},
                     {2, lg((nu + 1) / 2) - lg(nu / 2) - 0.5 * std::log(nu)},
                     {8, -std::log(x[3])},
                     {15, -(nu + 1) / 2 * std::log1p(z * z / nu)}};
               },
               [](const Vec& x) {
                 const double nu = x[1], z = (x[0] - x[2]) / x[3];
                 return std::log(std::tgamma((nu + 1) / 2) / (std::tgamma(nu / 2) * std::sqrt(nu * kPi) * x[3]) *
                                 std::pow(1 + z * z / nu, -(nu + 1) / 2));
               },
               {{0.3, 3.5, -1.2, 2.5}, {2, 0.5, 0, 1}, {10, 30, 1, 0.1}, {1e-6, 1.5, 0, 1e-5},
                {4, 120, 1, 2}},
               {{0, 0, 0, 1}, {0, 1, 0, 0}, {0, -1, 0, 1}, {NAN, 1, 0, 1}}});
  f.push_back({"double_exponential", 3, 0, L3(mvc_double_exponential_lpdf),
               G3(mvc_double_exponential_lpdf_grad),
               [](const Vec& x) {
                 return std::vector<Term>{{0, -std::log(2.0)}, {4, -std::log(x[2])},
                                          {7, -std::fabs(x[0] - x[1]) / x[2]}};
               },
               [](const Vec& x) { return std::log(std::exp(-std::fabs(x[0] - x[1]) / x[2]) / (2 * x[2])); },
               {{0.3, -1.2, 2.5}, {-4, 1, 0.5}, {1e-6, 2e-6, 1e-5}, {1e5, 1, 1e6}},
               {{0, 0, 0}, {INFINITY, 0, 1}, {0, 0, -2}}});
  f.push_back({"logistic", 3, 0, L3(mvc_logistic_lpdf), G3(mvc_logistic_lpdf_grad),
               [](const Vec& x) {
                 const double z = (x[0] - x[1]) / x[2];
                 return std::vector<Term>{{4, -std::log(x[2])},
                                          {7, -z - 2 * std::log1p(std::exp(-z))}};
               },
               [](const Vec& x) {
                 const double e = std::exp(-(x[0] - x[1]) / x[2]);
                 return std::log(e / (x[2] * (1 + e) * (1 + e)));
               },
               {{0.3, -1.2, 2.5}, {-4, 1, 0.5}, {30, 1, 2}, {1e-6, 0, 1e-5}},
               {{0, 0, 0}, {INFINITY, 0, 1}}});
  f.push_back({"exponential", 2, 0, L2(mvc_exponential_lpdf), G2(mvc_exponential_lpdf_grad),
               [](const Vec& x) {
                 return std::vector<Term>{{2, std::log(x[1])}, {3, -x[1] * x[0]}};
               },
               [](const Vec& x) { return std::log(x[1] * std::exp(-x[1] * x[0])); },
               {{0.3, 2.5}, {0, 1.5}, {1e-8, 1e6}, {1e5, 1e-4}},
               {{-1, 1}, {1, 0}, {NAN, 1}, {1, INFINITY}}});
  f.push_back({"gamma", 3, 0, L3(mvc_gamma_lpdf), G3(mvc_gamma_lpdf_grad),
               [](const Vec& x) {
                 const double y = x[0], a = x[1], b = x[2];
                 return std::vector<Term>{{2, -lg(a)}, {6, a * std::log(b)},
                                          {3, (a - 1) * std::log(y)}, {5, -b * y}};
               },
               [](const Vec& x) {
                 const double y = x[0], a = x[1], b = x[2];
                 return std::log(std::pow(b, a) / std::tgamma(a) * std::pow(y, a - 1) * std::exp(-b * y));
               },
               {{0.3, 2.5, 1.5}, {2, 0.5, 3}, {1e-5, 0.8, 1e-3}, {50, 40, 1}},
               {{0, 1, 1}, {-1, 1, 1}, {1, 0, 1}, {1, 1, -1}}});
  f.push_back({"inv_gamma", 3, 0, L3(mvc_inv_gamma_lpdf), G3(mvc_inv_gamma_lpdf_grad),
               [](const Vec& x) {
                 const double y = x[0], a = x[1], b = x[2];
                 return std::vector<Term>{{2, -lg(a)}, {6, a * std::log(b)},
                                          {3, -(a + 1) * std::log(y)}, {5, -b / y}};
               },
               [](const Vec& x) {
                 const double y = x[0], a = x[1], b = x[2];
                 return std::log(std::pow(b, a) / std::tgamma(a) * std::pow(y, -a - 1) * std::exp(-b / y));
               },
               {{0.3, 2.5, 1.5}, {2, 0.5, 3}, {1e-2, 3, 1e-3}, {50, 4, 10}},
               {{0, 1, 1}, {1, -1, 1}, {1, 1, 0}}});
  f.push_back({"lognormal", 3, 0, L3(mvc_lognormal_lpdf), G3(mvc_lognormal_lpdf_grad),
               [](const Vec& x) {
                 const double z = (std::log(x[0]) - x[1]) / x[2];
                 return std::vector<Term>{{0, -0.5 * std::log(2 * kPi)}, {4, -std::log(x[2])},
                                          {1, -std::log(x[0])}, {7, -0.5 * z * z}};
               },
               [](const Vec& x) {
                 const double z = (std::log(x[0]) - x[1]) / x[2];
                 return std::log(std::exp(-0.5 * z * z) / (x[0] * x[2] * std::sqrt(2 * kPi)));
               },
               {{0.3, -1.2, 2.5}, {1e-6, 0, 3}, {1e5, 10, 0.5}, {2, 0.7, 1e-3}},
               {{0, 0, 1}, {-1, 0, 1}, {1, 0, 0}}});
  f.push_back({"chi_square", 2, 0, L2(mvc_chi_square_lpdf), G2(mvc_chi_square_lpdf_grad),
               [](const Vec& x) {
                 const double y = x[0], nu = x[1];
                 return std::vector<Term>{{2, -nu / 2 * std::log(2.0) - lg(nu / 2)},
                                          {3, (nu / 2 - 1) * std::log(y)}, {1, -y / 2}};
               },
               [](const Vec& x) {
                 const double y = x[0], k = x[1];
                 return std::log(std::pow(y, k / 2 - 1) * std::exp(-y / 2) / (std::pow(2.0, k / 2) * std::tgamma(k / 2)));
               },
               {{0.3, 2.5}, {5, 1}, {1e-4, 0.5}, {80, 70}},
               {{0, 1}, {1, 0}, {-2, 3}}});
  f.push_back({"beta", 3, 0, L3(mvc_beta_lpdf), G3(mvc_beta_lpdf_grad),
               [](const Vec& x) {
                 const double y = x[0], a = x[1], b = x[2];
                 return std::vector<Term>{{2, -lg(a)}, {4, -lg(b)}, {6, lg(a + b)},
                                          {3, (a - 1) * std::log(y)}, {5, (b - 1) * std::log1p(-y)}};
               },
               [](const Vec& x) {
                 const double y = x[0], a = x[1], b = x[2];
                 return std::log(std::pow(y, a - 1) * std::pow(1 - y, b - 1) * std::tgamma(a + b) /
                                 (std::tgamma(a) * std::tgamma(b)));
               },
               {{0.3, 2.5, 1.5}, {0.999, 0.5, 0.5}, {1e-6, 2, 30}, {0.5, 1, 1}},
               {{0, 1, 1}, {1, 1, 1}, {0.5, 0, 1}, {0.5, 1, -1}}});
  f.push_back({"uniform", 3, 0, L3(mvc_uniform_lpdf), G3(mvc_uniform_lpdf_grad),
               [](const Vec& x) { return std::vector<Term>{{6, -std::log(x[2] - x[1])}}; },
               [](const Vec& x) { return std::log(1.0 / (x[2] - x[1])); },
               {{0.3, -1.2, 2.5}, {1e-9, 0, 1e-8}, {5, -1e6, 1e6}},
               {{3, -1, 2}, {-2, -1, 2}, {0, 1, 1}, {0, 2, 1}}});
  f.push_back({"weibull", 3, 0, L3(mvc_weibull_lpdf), G3(mvc_weibull_lpdf_grad),
               [](const Vec& x) {
                 const double y = x[0], a = x[1], s = x[2];
                 return std::vector<Term>{{2, std::log(a)}, {3, (a - 1) * std::log(y)},
                                          {6, -a * std::log(s)}, {7, -std::pow(y / s, a)}};
               },
               [](const Vec& x) {
                 const double y = x[0], a = x[1], s = x[2];
                 return std::log(a / s * std::pow(y / s, a - 1) * std::exp(-std::pow(y / s, a)));
               },
               {{0.3, 2.5, 1.5}, {2, 0.5, 3}, {1e-3, 1.2, 1e-2}, {30, 5, 20}},
               {{0, 1, 1}, {1, 0, 1}, {1, 1, -1}}});
  f.push_back({"rayleigh", 2, 0, L2(mvc_rayleigh_lpdf), G2(mvc_rayleigh_lpdf_grad),
               [](const Vec& x) {
                 const double y = x[0], s = x[1];
                 return std::vector<Term>{{1, std::log(y)}, {2, -2 * std::log(s)}, {3, -y * y / (2 * s * s)}};
               },
               [](const Vec& x) { return std::log(x[0] / (x[1] * x[1]) * std::exp(-x[0] * x[0] / (2 * x[1] * x[1]))); },
               {{0.3, 2.5}, {5, 1}, {1e-3, 0.5}, {40, 30}},
               {{-1, 1}, {1, 0}}});
  f.push_back({"pareto", 3, 0, L3(mvc_pareto_lpdf), G3(mvc_pareto_lpdf_grad),
               [](const Vec& x) {
                 const double y = x[0], m = x[1], a = x[2];
                 return std::vector<Term>{{4, std::log(a)}, {6, a * std::log(m)}, {5, -(a + 1) * std::log(y)}};
               },
               [](const Vec& x) { return std::log(x[2] * std::pow(x[1], x[2]) / std::pow(x[0], x[2] + 1)); },
               {{2.5, 1.5, 3}, {5, 0.5, 0.7}, {30, 20, 5}},
               {{1, 0, 1}, {1, 1, 0}}});
  f.push_back({"gumbel", 3, 0, L3(mvc_gumbel_lpdf), G3(mvc_gumbel_lpdf_grad),
               [](const Vec& x) {
                 const double z = (x[0] - x[1]) / x[2];
                 return std::vector<Term>{{4, -std::log(x[2])}, {7, -z - std::exp(-z)}};
               },
               [](const Vec& x) {
                 const double z = (x[0] - x[1]) / x[2];
                 return std::log(std::exp(-z - std::exp(-z)) / x[2]);
               },
               {{0.3, 0.5, 1.5}, {-2, 1, 0.5}, {10, 2, 3}},
               {{1, 1, 0}, {1, NAN, 1}}});
  f.push_back({"frechet", 3, 0, L3(mvc_frechet_lpdf), G3(mvc_frechet_lpdf_grad),
               [](const Vec& x) {
                 const double y = x[0], a = x[1], s = x[2];
                 return std::vector<Term>{{2, std::log(a)}, {6, a * std::log(s)}, {3, -(1 + a) * std::log(y)},
                                          {7, -std::pow(y / s, -a)}};
               },
               [](const Vec& x) {
                 const double y = x[0], a = x[1], s = x[2];
                 return std::log(a / s * std::pow(y / s, -1 - a) * std::exp(-std::pow(y / s, -a)));
               },
               {{0.8, 2.5, 1.5}, {2, 0.5, 3}, {30, 5, 20}},
               {{0, 1, 1}, {1, 0, 1}, {1, 1, -1}}});
  // exp_mod_normal: Stan's terms -log 2 [const], log lambda [lambda], and
  // lambda (mu + lambda sigma^2 / 2 - y) + log erfc((mu + lambda sigma^2 - y) / (sigma sqrt 2)) [all]
  f.push_back({"exp_mod_normal", 4, 0, L4(mvc_exp_mod_normal_lpdf), G4(mvc_exp_mod_normal_lpdf_grad),
               [](const Vec& x) {
                 const double y = x[0], mu = x[1], s = x[2], la = x[3];
                 return std::vector<Term>{{0, -std::log(2.0)}, {8, std::log(la)},
                                          {15, la * (mu + 0.5 * la * s * s - y) +
                                                   std::log(std::erfc((mu + la * s * s - y) / (s * std::sqrt(2.0))))}};
               },
               [](const Vec& x) {  // the convolution of N(mu, s) and Exp(la), by its textbook density
                 const double y = x[0], mu = x[1], s = x[2], la = x[3];
                 return std::log(la / 2 * std::exp(la / 2 * (2 * mu + la * s * s - 2 * y)) *
                                 std::erfc((mu + la * s * s - y) / (std::sqrt(2.0) * s)));
               },
               {{0.3, -0.2, 1.1, 0.7}, {2, 0.5, 0.4, 3}, {-1, 0, 2, 0.2}, {5, 1, 0.8, 1.5}},
               {{0, 0, 0, 1}, {0, 0, 1, 0}, {NAN, 0, 1, 1}, {0, INFINITY, 1, 1}}});
  // von_mises: -log(2 pi) [const], -log I0(kappa) [kappa], kappa cos(y - mu) [all]
  f.push_back({"von_mises", 3, 0, L3(mvc_von_mises_lpdf), G3(mvc_von_mises_lpdf_grad),
               [](const Vec& x) {
                 const double y = x[0], mu = x[1], k = x[2];
                 return std::vector<Term>{{0, -std::log(2 * kPi)}, {4, -std::log(std::cyl_bessel_i(0.0, k))},
                                          {7, k * std::cos(y - mu)}};
               },
               [](const Vec& x) {
                 return std::log(std::exp(x[2] * std::cos(x[0] - x[1])) / (2 * kPi * std::cyl_bessel_i(0.0, x[2])));
               },
               {{0.3, -0.2, 1.1}, {2, 0.5, 0.01}, {-3, 2.5, 40}, {1, 1, 300}},
               {{0, 0, -1}, {NAN, 0, 1}, {0, INFINITY, 1}}});
  f.push_back({"inv_chi_square", 2, 0, L2(mvc_inv_chi_square_lpdf), G2(mvc_inv_chi_square_lpdf_grad),
               [](const Vec& x) {
                 const double y = x[0], nu = x[1];
                 return std::vector<Term>{{2, -nu / 2 * std::log(2.0) - lg(nu / 2)},
                                          {3, -(nu / 2 + 1) * std::log(y)}, {1, -0.5 / y}};
               },
               [](const Vec& x) {
                 const double y = x[0], k = x[1];
                 return std::log(std::pow(2.0, -k / 2) / std::tgamma(k / 2) * std::pow(y, -k / 2 - 1) * std::exp(-1 / (2 * y)));
               },
               {{0.3, 2.5}, {5, 1}, {0.05, 4}, {2, 30}},
               {{0, 1}, {1, 0}}});
  f.push_back({"bernoulli", 2, 1, LID(mvc_bernoulli_lpmf), GID(mvc_bernoulli_lpmf_grad),
               [](const Vec& x) {
                 return std::vector<Term>{{2, x[0] == 1 ? std::log(x[1]) : std::log1p(-x[1])}};
               },
               [](const Vec& x) { return std::log(x[0] == 1 ? x[1] : 1 - x[1]); },
               {{1, 0.3}, {0, 0.3}, {1, 1e-9}, {0, 0.999999}},
               {{2, 0.5}, {-1, 0.5}, {1, 1.5}, {1, 0}, {0, 1}}});
  f.push_back({"bernoulli_logit", 2, 1, LID(mvc_bernoulli_logit_lpmf), GID(mvc_bernoulli_logit_lpmf_grad),
               [](const Vec& x) {
                 // log p = -log1p(exp(-alpha)), log(1 - p) = -log1p(exp(alpha))
                 return std::vector<Term>{{2, -std::log1p(std::exp(x[0] == 1 ? -x[1] : x[1]))}};
               },
               [](const Vec& x) {
                 const double e = std::exp(-x[1]);
                 return x[0] == 1 ? std::log(1 / (1 + e)) : std::log(e / (1 + e));
               },
               {{1, 0.3}, {0, -2.3}, {1, -30}, {0, 30}},
               {{2, 0.5}, {1, NAN}}});
  f.push_back({"binomial", 3, 3, LIID(mvc_binomial_lpmf), GIID(mvc_binomial_lpmf_grad),
               [](const Vec& x) {
                 const double n = x[0], N = x[1], t = x[2];
                 return std::vector<Term>{{0, lchoose(N, n)},
                                          {4, n * std::log(t) + (N - n) * std::log1p(-t)}};
               },
               [](const Vec& x) {
                 const double n = x[0], N = x[1], t = x[2];
                 return std::log(std::tgamma(N + 1) / (std::tgamma(n + 1) * std::tgamma(N - n + 1)) *
                                 std::pow(t, n) * std::pow(1 - t, N - n));
               },
               {{3, 10, 0.3}, {0, 5, 0.9}, {20, 20, 0.6}, {1, 100, 1e-4}},
               {{11, 10, 0.3}, {-1, 10, 0.3}, {3, 10, 1.2}, {3, 10, 0}}});
  f.push_back({"binomial_logit", 3, 3, LIID(mvc_binomial_logit_lpmf), GIID(mvc_binomial_logit_lpmf_grad),
               [](const Vec& x) {
                 const double n = x[0], N = x[1], p = 1 / (1 + std::exp(-x[2]));
                 return std::vector<Term>{{0, lchoose(N, n)},
                                          {4, n * std::log(p) + (N - n) * std::log(1 - p)}};
               },
               [](const Vec& x) {
                 const double n = x[0], N = x[1], p = 1 / (1 + std::exp(-x[2]));
                 return std::log(std::tgamma(N + 1) / (std::tgamma(n + 1) * std::tgamma(N - n + 1)) *
                                 std::pow(p, n) * std::pow(1 - p, N - n));
               },
               {{3, 10, 0.3}, {0, 5, 2.5}, {20, 20, -1}, {1, 100, -8}},
               {{11, 10, 0.3}, {3, 10, INFINITY}}});
  f.push_back({"poisson", 2, 1, LID(mvc_poisson_lpmf), GID(mvc_poisson_lpmf_grad),
               [](const Vec& x) {
                 return std::vector<Term>{{0, -lg(x[0] + 1)}, {2, x[0] * std::log(x[1]) - x[1]}};
               },
               [](const Vec& x) { return std::log(std::pow(x[1], x[0]) * std::exp(-x[1]) / std::tgamma(x[0] + 1)); },
               {{3, 2.5}, {0, 0.1}, {40, 35}, {1, 1e-6}},
               {{-1, 1}, {1, -1}, {2, 0}, {1, INFINITY}}});
  f.push_back({"poisson_log", 2, 1, LID(mvc_poisson_log_lpmf), GID(mvc_poisson_log_lpmf_grad),
               [](const Vec& x) {
                 return std::vector<Term>{{0, -lg(x[0] + 1)}, {2, x[0] * x[1] - std::exp(x[1])}};
               },
               [](const Vec& x) {
                 const double l = std::exp(x[1]);
                 return std::log(std::pow(l, x[0]) * std::exp(-l) / std::tgamma(x[0] + 1));
               },
               {{3, 0.5}, {0, -3}, {40, 3.5}, {1, -12}},
               {{-1, 1}, {1, NAN}}});
  f.push_back({"neg_binomial_2", 3, 1, LIDD(mvc_neg_binomial_2_lpmf), GIDD(mvc_neg_binomial_2_lpmf_grad),
               [](const Vec& x) {
                 const double n = x[0], mu = x[1], phi = x[2];
                 return std::vector<Term>{{4, lg(n + phi) - lg(n + 1) - lg(phi)},
                                          {2, n * std::log(mu)},
                                          {7, -phi * std::log1p(mu / phi) - n * std::log(mu + phi)}};
               },
               [](const Vec& x) {  // gamma-poisson mixture pmf
                 const double n = x[0], mu = x[1], phi = x[2];
                 return std::log(std::tgamma(n + phi) / (std::tgamma(n + 1) * std::tgamma(phi)) *
                                 std::pow(mu / (mu + phi), n) * std::pow(phi / (mu + phi), phi));
               },
               {{3, 2.5, 1.5}, {0, 0.5, 10}, {25, 20, 3}, {2, 1e-3, 0.1}, {5, 4, 1e4}},
               {{-1, 1, 1}, {1, 0, 1}, {1, 1, 0}}});
  f.push_back({"neg_binomial", 3, 1, LIDD(mvc_neg_binomial_lpmf), GIDD(mvc_neg_binomial_lpmf_grad),
               [](const Vec& x) {
                 const double n = x[0], a = x[1], b = x[2];
                 return std::vector<Term>{{2, lg(n + a) - lg(n + 1) - lg(a)},
                                          {6, a * std::log(b) - (a + n) * std::log1p(b)}};
               },
               [](const Vec& x) {  // C(n + a - 1, n) (b / (1 + b))^a (1 / (1 + b))^n
                 const double n = x[0], a = x[1], b = x[2];
                 return std::log(std::tgamma(n + a) / (std::tgamma(n + 1) * std::tgamma(a)) *
                                 std::pow(b / (1 + b), a) * std::pow(1 / (1 + b), n));
               },
               {{3, 2.5, 1.5}, {0, 0.5, 10}, {25, 20, 3}, {2, 1e-3, 0.1}},
               {{-1, 1, 1}, {1, 0, 1}, {1, 1, 0}}});
  f.push_back({"neg_binomial_2_log", 3, 1, LIDD(mvc_neg_binomial_2_log_lpmf),
               GIDD(mvc_neg_binomial_2_log_lpmf_grad),
               [](const Vec& x) {
                 const double n = x[0], eta = x[1], phi = x[2], mu = std::exp(eta);
                 return std::vector<Term>{{4, lg(n + phi) - lg(n + 1) - lg(phi)},
                                          {2, n * eta},
                                          {7, -phi * std::log1p(mu / phi) - n * std::log(mu + phi)}};
               },
               [](const Vec& x) {
                 const double n = x[0], mu = std::exp(x[1]), phi = x[2];
                 return std::log(std::tgamma(n + phi) / (std::tgamma(n + 1) * std::tgamma(phi)) *
                                 std::pow(mu / (mu + phi), n) * std::pow(phi / (mu + phi), phi));
               },
               {{3, 0.9, 1.5}, {0, -0.7, 10}, {25, 3, 3}, {2, -6, 0.1}},
               {{-1, 1, 1}, {1, NAN, 1}, {1, 1, 0}}});
  return f;
}

uint32_t real_mask(const Fam& f) { return ((1u << f.K) - 1) & ~f.int_mask; }

Args scalars(const Vec& x) {
  Args a;
  for (double v : x) a.push_back(Vec{v});
  return a;
}

double value(const Fam& f, const Vec& x, uint32_t active, int propto) {
  double out = NAN;
  const int st = f.lpdf(scalars(x), active, propto, &out);
  EXPECT_EQ(st, 0) << f.name;
  return out;
}

class Univariate : public ::testing::TestWithParam<int> {};

TEST_P(Univariate, FullDensityMatchesClosedForm) {
  const Fam f = families()[GetParam()];
  for (const Vec& x : f.points) {
    double sum = 0;
    for (const Term& t : f.terms(x)) sum += t.v;
    const double ref = f.logdens(x);
    if (std::isfinite(ref)) expect_rel(sum, ref, 1e-9, (f.name + " test terms").c_str());
    for (uint32_t act : {real_mask(f), 0u, 1u & real_mask(f)}) {
      expect_rel(value(f, x, act, 0), sum, 1e-10, (f.name + " propto=0").c_str());
    }
  }
}

TEST_P(Univariate, ProptoKeepsExactlyStansTerms) {
  const Fam f = families()[GetParam()];
  const uint32_t rm = real_mask(f);
  for (const Vec& x : f.points) {
    for (uint32_t act = 0; act < (1u << f.K); ++act) {
      if (act & ~rm) continue;
      double expect = 0;
      for (const Term& t : f.terms(x))
        if (t.mask & act) expect += t.v;
      expect_rel(value(f, x, act, 1), expect, 1e-10,
                 (f.name + " propto=1 active=" + std::to_string(act)).c_str());
    }
  }
}

TEST_P(Univariate, GradientMatchesFiniteDifferences) {
  const Fam f = families()[GetParam()];
  const uint32_t rm = real_mask(f);
  std::vector<uint32_t> masks{rm};
  for (int k = 0; k < f.K; ++k)
    if (rm & (1u << k)) masks.push_back(1u << k);
  const double adj = 1.7;
  for (const Vec& x : f.points) {
    for (uint32_t act : masks) {
      for (int propto : {0, 1}) {
        Args a = scalars(x);
        std::vector<Vec> g(f.K, Vec{0.0});
        std::vector<double*> gp(f.K, nullptr);
        for (int k = 0; k < f.K; ++k)
          if (rm & (1u << k)) gp[k] = g[k].data();
        ASSERT_EQ(f.grad(a, act, propto, adj, gp), 0) << f.name;
        const double fx = value(f, x, act, propto);
        for (int k = 0; k < f.K; ++k) {
          if (!(rm & (1u << k))) continue;
          auto fun = [&](const Vec& xx) {  // NaN outside the support
            double o = NAN;
            return f.lpdf(scalars(xx), act, propto, &o) == 0 ? o : NAN;
          };
          // keep the finite-difference stencil inside the support (uniform: y near bounds)
          // step: relative to the argument, but never larger than the point's smallest scale
          double floor = 1e-3;
          for (int j = 0; j < f.K; ++j)
            if ((rm & (1u << j)) && x[j] != 0) floor = std::min(floor, std::fabs(x[j]));
          const double h = 1e-5 * std::max(std::fabs(x[k]), floor);
          const double d = fd(fun, x, k, h);
          if (std::isnan(d)) continue;  // a point on the support's boundary (y = 0 for exponential)
          const std::string what = f.name + " d/darg" + std::to_string(k) + " active=" +
                                   std::to_string(act) + " propto=" + std::to_string(propto) +
                                   " at point " + std::to_string(&x - &f.points[0]);
          expect_grad_near(g[k][0], adj * d, adj * fx, h, what.c_str());
        }
      }
    }
  }
}

TEST_P(Univariate, DomainErrorsReturnNonzero) {
  const Fam f = families()[GetParam()];
  for (const Vec& x : f.bad) {
    double out = 0;
    EXPECT_NE(f.lpdf(scalars(x), real_mask(f), 0, &out), 0) << f.name;
    std::vector<Vec> g(f.K, Vec{0.0});
    std::vector<double*> gp(f.K, nullptr);
    for (int k = 0; k < f.K; ++k) gp[k] = g[k].data();
    EXPECT_NE(f.grad(scalars(x), real_mask(f), 0, 1.0, gp), 0) << f.name;
  }
}

INSTANTIATE_TEST_SUITE_P(Families, Univariate, ::testing::Range(0, (int)families().size()),
                         [](const ::testing::TestParamInfo<int>& i) {
                           return families()[i.param].name;
                         });

// ---- vectorisation and broadcasting
TEST(Broadcast, VectorEqualsSumOfScalarsAndScalarGetsSummedGradient) {
  const Vec y{0.1, -0.4, 2.0, 1.3}, sig{0.5, 1.5, 2.5, 0.9};
  const double mu = 0.25;
  double out = 0;
  ASSERT_EQ(mvc_normal_lpdf(y.data(), 4, &mu, 1, sig.data(), 4, 7, 0, &out), 0);
  double sum = 0, gmu_sum = 0;
  Vec gy_ref(4), gs_ref(4);
  for (int i = 0; i < 4; ++i) {
    double o;
    ASSERT_EQ(mvc_normal_lpdf(&y[i], 1, &mu, 1, &sig[i], 1, 7, 0, &o), 0);
    sum += o;
    double gy = 0, gm = 0, gs = 0;
    ASSERT_EQ(mvc_normal_lpdf_grad(&y[i], 1, &mu, 1, &sig[i], 1, 7, 0, 2.0, &gy, &gm, &gs), 0);
    gy_ref[i] = gy;
    gs_ref[i] = gs;
    gmu_sum += gm;
  }
  EXPECT_NEAR(out, sum, 1e-12);
  Vec gy(4, 1.0), gs(4, 0.0);
  double gm = 0.5;  // accumulates
  ASSERT_EQ(mvc_normal_lpdf_grad(y.data(), 4, &mu, 1, sig.data(), 4, 7, 0, 2.0, gy.data(), &gm, gs.data()), 0);
  for (int i = 0; i < 4; ++i) {
    EXPECT_NEAR(gy[i], 1.0 + gy_ref[i], 1e-12);
    EXPECT_NEAR(gs[i], gs_ref[i], 1e-12);
  }
  EXPECT_NEAR(gm, 0.5 + gmu_sum, 1e-12);
}

TEST(Broadcast, ProptoDropsConstantOncePerElement) {
  const Vec y{0.1, -0.4, 2.0};
  const double mu = 0, sigma = 2;
  double full = 0, prop = 0;
  ASSERT_EQ(mvc_normal_lpdf(y.data(), 3, &mu, 1, &sigma, 1, 1, 0, &full), 0);
  ASSERT_EQ(mvc_normal_lpdf(y.data(), 3, &mu, 1, &sigma, 1, 1, 1, &prop), 0);
  EXPECT_NEAR(full - prop, 3 * (-0.5 * std::log(2 * kPi) - std::log(2.0)), 1e-12);
}

TEST(Broadcast, MismatchedLengthsAreSizeErrors) {
  const Vec y{1, 2, 3}, s{1, 2};
  const double mu = 0;
  double out;
  EXPECT_EQ(mvc_normal_lpdf(y.data(), 3, &mu, 1, s.data(), 2, 7, 0, &out), MVC_DIST_ERR_SIZE);
  const std::vector<int32_t> n{1, 0, 1};
  const Vec t{0.5, 0.5};
  EXPECT_EQ(mvc_bernoulli_lpmf(n.data(), 3, t.data(), 2, 2, 0, &out), MVC_DIST_ERR_SIZE);
}

TEST(Broadcast, EmptyIsZero) {
  const double mu = 0, s = 1;
  double out = 5;
  EXPECT_EQ(mvc_normal_lpdf(nullptr, 0, &mu, 1, &s, 1, 7, 0, &out), 0);
  EXPECT_EQ(out, 0.0);
}

TEST(Broadcast, IntegerVectorsWithRealScalar) {
  const std::vector<int32_t> n{0, 3, 7, 1};
  const double lam = 2.5;
  double out = 0, g = 0;
  ASSERT_EQ(mvc_poisson_lpmf(n.data(), 4, &lam, 1, 2, 0, &out), 0);
  double ref = 0, gref = 0;
  for (int k : n) {
    ref += k * std::log(lam) - lam - std::lgamma(k + 1.0);
    gref += k / lam - 1;
  }
  EXPECT_NEAR(out, ref, 1e-12);
  ASSERT_EQ(mvc_poisson_lpmf_grad(n.data(), 4, &lam, 1, 2, 0, 1.0, &g), 0);
  EXPECT_NEAR(g, gref, 1e-12);
}

// ---- categorical
TEST(Categorical, ValueGradientAndErrors) {
  const std::vector<int32_t> y{1, 3, 3, 2};
  const Vec th{0.2, 0.5, 0.3};
  double out;
  ASSERT_EQ(mvc_categorical_lpmf(y.data(), 4, th.data(), 3, 2, 0, &out), 0);
  EXPECT_NEAR(out, std::log(0.2) + 2 * std::log(0.3) + std::log(0.5), 1e-12);
  ASSERT_EQ(mvc_categorical_lpmf(y.data(), 4, th.data(), 3, 0, 1, &out), 0);
  EXPECT_EQ(out, 0.0);
  Vec g(3, 0.0);
  ASSERT_EQ(mvc_categorical_lpmf_grad(y.data(), 4, th.data(), 3, 2, 0, 1.0, g.data()), 0);
  EXPECT_NEAR(g[0], 1 / 0.2, 1e-12);
  EXPECT_NEAR(g[1], 1 / 0.5, 1e-12);
  EXPECT_NEAR(g[2], 2 / 0.3, 1e-12);
  const std::vector<int32_t> bad{4};
  EXPECT_EQ(mvc_categorical_lpmf(bad.data(), 1, th.data(), 3, 2, 0, &out), MVC_DIST_ERR_DOMAIN);
  const Vec notsimplex{0.2, 0.5, 0.4};
  EXPECT_EQ(mvc_categorical_lpmf(y.data(), 4, notsimplex.data(), 3, 2, 0, &out), MVC_DIST_ERR_DOMAIN);
}

TEST(CategoricalLogit, ValueAndFiniteDifferences) {
  const std::vector<int32_t> y{1, 3, 3, 2, 3};
  const Vec b{0.2, -1.5, 3.0};
  double out;
  ASSERT_EQ(mvc_categorical_logit_lpmf(y.data(), 5, b.data(), 3, 2, 0, &out), 0);
  const double lse = std::log(std::exp(0.2) + std::exp(-1.5) + std::exp(3.0));
  EXPECT_NEAR(out, 0.2 - 1.5 + 3 * 3.0 - 5 * lse, 1e-12);
  Vec g(3, 0.0);
  ASSERT_EQ(mvc_categorical_logit_lpmf_grad(y.data(), 5, b.data(), 3, 2, 0, 1.0, g.data()), 0);
  auto f = [&](const Vec& bb) {
    double o;
    mvc_categorical_logit_lpmf(y.data(), 5, bb.data(), 3, 2, 0, &o);
    return o;
  };
  for (size_t k = 0; k < 3; ++k) EXPECT_NEAR(g[k], fd(f, b, k), 1e-7);
}

}  // namespace
