// The value library directly: print pieces, index errors, transforms' round trips, _rng.
#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <random>
#include <tuple>

#include "compiled/values.h"

namespace {

using namespace mvc::values;

TEST(Values, PrintPiecesParseQuotedStringsAndPlaceholders) {
  Value x = Value::real(1.5), v = Value::vec(Eigen::MatrixXd::Constant(2, 1, 3.0));
  const Value* vals[] = {&x, &v};
  EXPECT_EQ(formatPieces(R"("x = ",$,", v, \"q\" = ",$)", Args(vals, 2)), R"(x = 1.5, v, "q" = [3,3])");
  EXPECT_EQ(formatPieces(R"("a\\b\n")", Args()), "a\\b\n");
  EXPECT_EQ(formatPieces("", Args()), "");
  EXPECT_THROW(formatPieces("$", Args()), Error);
}

TEST(Values, IndexOutOfRangeSaysWhere) {
  Value a = shaped(Elem::Real, 1, {3});
  Value i = Value::integer(4);
  const Value* ops[] = {&i};
  try {
    indexValue(a, indexPositions("s", Args(ops, 1)));
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()), "index 4 out of range; expecting index to be between 1 and 3");
    EXPECT_EQ(e.status(), Error::kDomain);
  }
  EXPECT_THROW(indexPositions("r", Args(ops, 1)), Error);  // a range needs two operands
}

TEST(Values, UnconstrainInvertsConstrain) {
  for (const char* tr : {"simplex", "cov_matrix", "cholesky_factor_corr", "ordered", "corr_matrix"}) {
    bool vec = std::string(tr) == "simplex" || std::string(tr) == "ordered";
    Elem e = vec ? Elem::Vector : Elem::Matrix;
    std::vector<int64_t> dims = vec ? std::vector<int64_t>{2, 4} : std::vector<int64_t>{2, 3, 3};
    int64_t n = unconstrainedSize(tr, e, 1, dims);
    std::vector<double> x(static_cast<size_t>(n)), back(static_cast<size_t>(n));
    for (int64_t k = 0; k < n; ++k) x[static_cast<size_t>(k)] = 0.3 * std::sin(1.0 + static_cast<double>(k));
    Value y = constrainParam("p", tr, e, 1, dims, Args(), x.data(), nullptr);
    unconstrainParam("p", tr, y, Args(), back.data());
    for (int64_t k = 0; k < n; ++k) EXPECT_NEAR(back[static_cast<size_t>(k)], x[static_cast<size_t>(k)], 1e-9) << tr;
    EXPECT_EQ(checkConstraint(tr, Args(std::vector<const Value*>{&y})), "") << tr;
  }
}

TEST(Values, UnconstrainRejectsAViolation) {
  Value y = Value::vec(Eigen::MatrixXd::Constant(3, 1, 0.5));  // sums to 1.5
  std::vector<double> x(2);
  try {
    unconstrainParam("theta", "simplex", y, Args(), x.data());
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.status(), Error::kData);
    EXPECT_EQ(std::string(e.what()).rfind("variable 'theta': ", 0), 0u) << e.what();
  }
}

TEST(Values, RngMomentsAndErrors) {
  std::mt19937_64 g(3);
  auto u = [&] { return (static_cast<double>(g() >> 11) + 0.5) * 0x1.0p-53; };
  Value mu = Value::real(2), sigma = Value::real(3), n = Value::integer(40), p = Value::real(0.25);
  const Value* normalArgs[] = {&mu, &sigma};
  const Value* binomialArgs[] = {&n, &p};
  double s = 0, s2 = 0, b = 0;
  const int N = 20000;
  for (int k = 0; k < N; ++k) {
    double x = rng("normal_rng", Args(normalArgs, 2), {Elem::Real, 0}, u).d;
    s += x;
    s2 += x * x;
    b += static_cast<double>(rng("binomial_rng", Args(binomialArgs, 2), {Elem::Int, 0}, u).i);
  }
  EXPECT_NEAR(s / N, 2, 0.1);
  EXPECT_NEAR(std::sqrt(s2 / N - (s / N) * (s / N)), 3, 0.1);
  EXPECT_NEAR(b / N, 10, 0.1);
  Value bad = Value::real(-1);
  const Value* badArgs[] = {&mu, &bad};
  EXPECT_THROW(rng("normal_rng", Args(badArgs, 2), {Elem::Real, 0}, u), Error);
  EXPECT_THROW(rng("wishart_rng", Args(badArgs, 2), {Elem::Matrix, 0}, u), Error);
  // vectorised: an array of draws of the container's size
  Value v = Value::vec(Eigen::MatrixXd::Zero(5, 1));
  const Value* vecArgs[] = {&v, &sigma};
  Value d = rng("normal_rng", Args(vecArgs, 2), {Elem::Real, 1}, u);
  ASSERT_EQ(d.kind, Value::Array);
  EXPECT_EQ(d.a.size(), 5u);
}


// The inverse-CDF and composition generators: sample means against the distributions' means,
// within 5 Monte Carlo standard errors.
TEST(Values, MoreRngMeans) {
  std::mt19937_64 g(7);
  auto u = [&] { return (static_cast<double>(g() >> 11) + 0.5) * 0x1.0p-53; };
  struct Case {
    const char* name;
    std::vector<double> args;
    bool isInt;
    double mean;
  };
  const double euler = 0.5772156649015329;
  const Case cases[] = {
      {"double_exponential_rng", {1, 2}, false, 1},
      {"logistic_rng", {1, 2}, false, 1},
      {"weibull_rng", {2, 3}, false, 3 * std::tgamma(1.5)},
      {"frechet_rng", {3, 2}, false, 2 * std::tgamma(1 - 1.0 / 3)},
      {"rayleigh_rng", {2}, false, 2 * std::sqrt(M_PI / 2)},
      {"pareto_rng", {1, 3}, false, 1.5},
      {"gumbel_rng", {1, 2}, false, 1 + 2 * euler},
      {"chi_square_rng", {4}, false, 4},
      {"inv_chi_square_rng", {5}, false, 1.0 / 3},
      {"exp_mod_normal_rng", {1, 1, 2}, false, 1.5},
      {"discrete_range_rng", {2, 5}, true, 3.5},
      {"neg_binomial_2_log_rng", {std::log(3.0), 2}, true, 3},
      {"neg_binomial_rng", {4, 2}, true, 2},
  };
  const int N = 40000;
  for (const Case& c : cases) {
    std::vector<Value> vals;
    for (size_t k = 0; k < c.args.size(); ++k) {
      bool intArg = std::string(c.name) == "discrete_range_rng";
      vals.push_back(intArg ? Value::integer(static_cast<int64_t>(c.args[k])) : Value::real(c.args[k]));
    }
    std::vector<const Value*> ptrs;
    for (const Value& v : vals) ptrs.push_back(&v);
    double s = 0, s2 = 0;
    for (int k = 0; k < N; ++k) {
      Value x = rng(c.name, Args(ptrs), {c.isInt ? Elem::Int : Elem::Real, 0}, u);
      s += x.num();
      s2 += x.num() * x.num();
    }
    double m = s / N, sd = std::sqrt(s2 / N - m * m);
    EXPECT_NEAR(m, c.mean, 5 * sd / std::sqrt(N)) << c.name;
  }
}

TEST(Values, BatchedMultiNormalRngPairsMeansWithCovariances) {
  std::mt19937_64 g(5);
  auto u = [&] { return (static_cast<double>(g() >> 11) + 0.5) * 0x1.0p-53; };
  Eigen::MatrixXd m1(2, 1), m2(2, 1), S1(2, 2), S2(2, 2);
  m1 << 1, -1;
  m2 << 10, 20;
  S1 << 1, 0.5, 0.5, 2;
  S2 << 9, -3, -3, 4;
  Value mu = Value::array({Value::vec(m1), Value::vec(m2)}), S = Value::array({Value::mat(S1), Value::mat(S2)});
  const Value* args[] = {&mu, &S};
  const int N = 40000;
  Eigen::MatrixXd sum[2] = {Eigen::MatrixXd::Zero(2, 1), Eigen::MatrixXd::Zero(2, 1)};
  Eigen::MatrixXd sq[2] = {Eigen::MatrixXd::Zero(2, 2), Eigen::MatrixXd::Zero(2, 2)};
  for (int k = 0; k < N; ++k) {
    Value d = rng("multi_normal_rng", Args(args, 2), {Elem::Vector, 1}, u);
    ASSERT_EQ(d.a.size(), 2u);
    for (int i = 0; i < 2; ++i) sum[i] += d.a[i].m, sq[i] += d.a[i].m * d.a[i].m.transpose();
  }
  const Eigen::MatrixXd* want[2] = {&S1, &S2};
  const Eigen::MatrixXd* mean[2] = {&m1, &m2};
  for (int i = 0; i < 2; ++i) {
    Eigen::MatrixXd m = sum[i] / N, cov = sq[i] / N - m * m.transpose();
    for (int r = 0; r < 2; ++r) {
      EXPECT_NEAR(m(r, 0), (*mean[i])(r, 0), 5 * std::sqrt((*want[i])(r, r) / N)) << "item " << i;
      for (int c = 0; c < 2; ++c)
        EXPECT_NEAR(cov(r, c), (*want[i])(r, c), 0.05 * std::sqrt((*want[i])(r, r) * (*want[i])(c, c))) << "item " << i;
    }
  }
  // 2 means, 1 matrix too many: a clear error
  Value S3 = Value::array({Value::mat(S1), Value::mat(S2), Value::mat(S1)});
  const Value* bad[] = {&mu, &S3};
  try {
    rng("multi_normal_rng", Args(bad, 2), {Elem::Vector, 1}, u);
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(), "multi_normal_rng: 2 locations but 3 matrices");
  }
}


// The _rng functions of beta_binomial, skew_normal, von_mises, dirichlet, multinomial, wishart,
// inv_wishart, lkj_corr, multi_student_t and ordered_logistic/probit: sample moments against
// exact values within 5 Monte Carlo standard errors (estimated from the same draws), structural
// properties of every draw, and the errors for invalid arguments.
using Uniform = std::function<double()>;

Uniform seededUniform(std::mt19937_64& g) {
  return [&g] { return (static_cast<double>(g() >> 11) + 0.5) * 0x1.0p-53; };
}

// Mean of a stream of numbers and its Monte Carlo standard error.
struct McMean {
  double s = 0, s2 = 0;
  int n = 0;
  void add(double y) { s += y, s2 += y * y, ++n; }
  double mean() const { return s / n; }
  double se() const { return std::sqrt(std::max(0.0, s2 / n - mean() * mean()) / n); }
};
#define EXPECT_MC(stat, want) EXPECT_NEAR((stat).mean(), (want), 5 * (stat).se())

Value draw(const char* name, const std::vector<Value>& args, ResultType type, const Uniform& u) {
  std::vector<const Value*> p;
  for (const Value& a : args) p.push_back(&a);
  return rng(name, Args(p), type, u);
}
std::string rngError(const char* name, const std::vector<Value>& args, ResultType type, const Uniform& u) {
  try {
    draw(name, args, type, u);
  } catch (const Error& e) {
    return e.what();
  }
  return "no error";
}
Value column(std::vector<double> xs) {
  return Value::vec(Eigen::Map<Eigen::VectorXd>(xs.data(), static_cast<Eigen::Index>(xs.size())));
}

TEST(Values, BetaBinomialAndSkewNormalRngMoments) {
  std::mt19937_64 g(11);
  Uniform u = seededUniform(g);
  const int N = 40000;
  {  // beta_binomial(10, 2, 3): mean N a / (a + b) = 4, variance N a b (a + b + N) / ((a + b)^2 (a + b + 1)) = 6
    McMean m, v;
    for (int k = 0; k < N; ++k) {
      double x = static_cast<double>(draw("beta_binomial_rng", {Value::integer(10), Value::real(2), Value::real(3)}, {Elem::Int, 0}, u).i);
      ASSERT_TRUE(x >= 0 && x <= 10);
      m.add(x);
      v.add((x - 4) * (x - 4));
    }
    EXPECT_MC(m, 4);
    EXPECT_MC(v, 6);  // a binomial(10, 0.4) would give 2.4
  }
  {  // tiny shapes: draws at the ends, never NaN
    McMean m;
    for (int k = 0; k < 2000; ++k) {
      int64_t x = draw("beta_binomial_rng", {Value::integer(7), Value::real(0.01), Value::real(0.01)}, {Elem::Int, 0}, u).i;
      ASSERT_TRUE(x >= 0 && x <= 7) << x;
      m.add(static_cast<double>(x));
    }
    EXPECT_MC(m, 3.5);
  }
  // vectorised over N
  Value d = draw("beta_binomial_rng", {Value::array({Value::integer(0), Value::integer(3)}), Value::real(1), Value::real(1)},
                 {Elem::Int, 1}, u);
  ASSERT_EQ(d.a.size(), 2u);
  EXPECT_EQ(d.a[0].i, 0);

  // skew_normal(xi, omega, alpha): mean xi + omega delta sqrt(2/pi), variance omega^2 (1 - 2 delta^2 / pi)
  for (auto [xi, omega, alpha] : {std::tuple{1.0, 2.0, 3.0}, std::tuple{-1.0, 0.5, -2.0}, std::tuple{0.0, 1.0, 0.0}}) {
    double delta = alpha / std::sqrt(1 + alpha * alpha);
    double mean = xi + omega * delta * std::sqrt(2 / M_PI), var = omega * omega * (1 - 2 * delta * delta / M_PI);
    McMean m, v;
    for (int k = 0; k < N; ++k) {
      double x = draw("skew_normal_rng", {Value::real(xi), Value::real(omega), Value::real(alpha)}, {Elem::Real, 0}, u).d;
      m.add(x);
      v.add((x - mean) * (x - mean));
    }
    EXPECT_MC(m, mean) << "alpha " << alpha;
    EXPECT_MC(v, var) << "alpha " << alpha;
  }
}

TEST(Values, VonMisesRngCircularMoments) {
  std::mt19937_64 g(13);
  Uniform u = seededUniform(g);
  const int N = 40000;
  for (auto [mu, kappa] : {std::pair{-2.0, 2.0}, std::pair{7.0, 50.0}, std::pair{0.5, 0.3}, std::pair{1.0, 0.0}}) {
    // Stan's support: [m - pi, m + pi] with m = mu mod 2 pi in [0, 2 pi)
    double m = std::fmod(std::fmod(mu, 2 * M_PI) + 2 * M_PI, 2 * M_PI);
    double A = kappa == 0 ? 0 : std::cyl_bessel_i(1.0, kappa) / std::cyl_bessel_i(0.0, kappa);
    McMean c, s, C, S;
    for (int k = 0; k < N; ++k) {
      double x = draw("von_mises_rng", {Value::real(mu), Value::real(kappa)}, {Elem::Real, 0}, u).d;
      ASSERT_TRUE(x >= m - M_PI && x <= m + M_PI) << x << " for mu " << mu;
      c.add(std::cos(x - mu));
      s.add(std::sin(x - mu));
      C.add(std::cos(x));
      S.add(std::sin(x));
    }
    // E cos(x - mu) = A(kappa) = I1(kappa) / I0(kappa), E sin(x - mu) = 0
    EXPECT_MC(c, A) << "kappa " << kappa;
    EXPECT_MC(s, 0) << "kappa " << kappa;
    // the mean resultant length and the circular mean
    double R = std::hypot(C.mean(), S.mean());
    EXPECT_NEAR(R, A, 5 * c.se() + 5 / std::sqrt(static_cast<double>(N))) << "kappa " << kappa;
    if (kappa > 0) {
      double meanDir = std::atan2(S.mean(), C.mean()), diff = std::remainder(meanDir - mu, 2 * M_PI);
      EXPECT_NEAR(diff, 0, 5 * s.se() / A) << "kappa " << kappa;
    }
  }
  // vectorised: one draw per location
  Value d = draw("von_mises_rng", {column({0, 1, 2}), Value::real(1)}, {Elem::Real, 1}, u);
  EXPECT_EQ(d.a.size(), 3u);
}

TEST(Values, DirichletAndMultinomialRngMoments) {
  std::mt19937_64 g(17);
  Uniform u = seededUniform(g);
  const int N = 40000;
  for (const std::vector<double>& alpha : {std::vector<double>{2, 0.5, 1.5, 4}, std::vector<double>{0.01, 0.02, 0.05}}) {
    double a0 = 0;
    for (double a : alpha) a0 += a;
    std::vector<McMean> m(alpha.size()), v(alpha.size());
    Value al = column(alpha);
    for (int k = 0; k < N; ++k) {
      Value x = draw("dirichlet_rng", {al}, {Elem::Vector, 0}, u);
      ASSERT_EQ(x.kind, Value::Vec);
      ASSERT_EQ(x.m.size(), static_cast<Eigen::Index>(alpha.size()));
      ASSERT_TRUE(x.m.allFinite() && (x.m.array() >= 0).all());
      ASSERT_NEAR(x.m.sum(), 1, 1e-12);
      for (size_t i = 0; i < alpha.size(); ++i) {
        double mean = alpha[i] / a0, e = x.m(static_cast<Eigen::Index>(i)) - mean;
        m[i].add(x.m(static_cast<Eigen::Index>(i)));
        v[i].add(e * e);
      }
    }
    for (size_t i = 0; i < alpha.size(); ++i) {
      EXPECT_MC(m[i], alpha[i] / a0) << "alpha " << alpha[i];
      EXPECT_MC(v[i], alpha[i] * (a0 - alpha[i]) / (a0 * a0 * (a0 + 1))) << "alpha " << alpha[i];
    }
  }

  // multinomial(theta, 20): mean N theta, variance N theta (1 - theta), the counts sum to N
  const std::vector<double> theta = {0.2, 0.5, 0, 0.3};
  std::vector<McMean> m(4), v(4);
  for (int k = 0; k < N; ++k) {
    Value x = draw("multinomial_rng", {column(theta), Value::integer(20)}, {Elem::Int, 1}, u);
    ASSERT_EQ(x.a.size(), 4u);
    int64_t sum = 0;
    for (size_t i = 0; i < 4; ++i) {
      double e = static_cast<double>(x.a[i].i) - 20 * theta[i];
      m[i].add(static_cast<double>(x.a[i].i));
      v[i].add(e * e);
      sum += x.a[i].i;
    }
    ASSERT_EQ(sum, 20);
    ASSERT_EQ(x.a[2].i, 0);
  }
  for (size_t i = 0; i < 4; ++i) {
    if (theta[i] == 0) continue;
    EXPECT_MC(m[i], 20 * theta[i]) << i;
    EXPECT_MC(v[i], 20 * theta[i] * (1 - theta[i])) << i;
  }
  Value zero = draw("multinomial_rng", {column(theta), Value::integer(0)}, {Elem::Int, 1}, u);
  for (const Value& c : zero.a) EXPECT_EQ(c.i, 0);
}

TEST(Values, WishartAndInvWishartRngMoments) {
  std::mt19937_64 g(19);
  Uniform u = seededUniform(g);
  const int N = 40000;
  Eigen::Matrix3d S;
  S << 2, 0.5, 0.3, 0.5, 1, -0.2, 0.3, -0.2, 1.5;
  const Eigen::Matrix3d Sinv = S.llt().solve(Eigen::Matrix3d::Identity());
  {  // wishart(nu, S): mean nu S, Var(W_ij) = nu (S_ij^2 + S_ii S_jj)
    const double nu = 5.5;
    McMean m[3][3], v[3][3];
    for (int k = 0; k < N; ++k) {
      Value W = draw("wishart_rng", {Value::real(nu), Value::mat(S)}, {Elem::Matrix, 0}, u);
      ASSERT_EQ(W.m.rows(), 3);
      ASSERT_TRUE(W.m == W.m.transpose());
      ASSERT_EQ(Eigen::LLT<Eigen::MatrixXd>(W.m).info(), Eigen::Success);
      for (int i = 0; i < 3; ++i)
        for (int j = 0; j <= i; ++j) {
          double e = W.m(i, j) - nu * S(i, j);
          m[i][j].add(W.m(i, j));
          v[i][j].add(e * e);
        }
    }
    for (int i = 0; i < 3; ++i)
      for (int j = 0; j <= i; ++j) {
        EXPECT_MC(m[i][j], nu * S(i, j)) << i << "," << j;
        EXPECT_MC(v[i][j], nu * (S(i, j) * S(i, j) + S(i, i) * S(j, j))) << i << "," << j;
      }
  }
  {  // inv_wishart(nu, S): mean S / (nu - K - 1); its inverse is wishart(nu, S^-1), mean nu S^-1;
     // Var(X_ij) = ((nu-K+1) S_ij^2 + (nu-K-1) S_ii S_jj) / ((nu-K) (nu-K-1)^2 (nu-K-3))
    const double nu = 14, K = 3;
    McMean m[3][3], v[3][3], mi[3][3];
    for (int k = 0; k < N; ++k) {
      Value X = draw("inv_wishart_rng", {Value::real(nu), Value::mat(S)}, {Elem::Matrix, 0}, u);
      ASSERT_TRUE(X.m == X.m.transpose());
      Eigen::LLT<Eigen::MatrixXd> llt(X.m);
      ASSERT_EQ(llt.info(), Eigen::Success);
      Eigen::MatrixXd Xinv = llt.solve(Eigen::MatrixXd::Identity(3, 3));
      for (int i = 0; i < 3; ++i)
        for (int j = 0; j <= i; ++j) {
          double e = X.m(i, j) - S(i, j) / (nu - K - 1);
          m[i][j].add(X.m(i, j));
          v[i][j].add(e * e);
          mi[i][j].add(Xinv(i, j));
        }
    }
    for (int i = 0; i < 3; ++i)
      for (int j = 0; j <= i; ++j) {
        EXPECT_MC(m[i][j], S(i, j) / (nu - K - 1)) << i << "," << j;
        double var = ((nu - K + 1) * S(i, j) * S(i, j) + (nu - K - 1) * S(i, i) * S(j, j)) /
                     ((nu - K) * (nu - K - 1) * (nu - K - 1) * (nu - K - 3));
        EXPECT_MC(v[i][j], var) << i << "," << j;
        EXPECT_MC(mi[i][j], nu * Sinv(i, j)) << i << "," << j;
      }
  }
}

TEST(Values, LkjCorrRngIsACorrelationMatrixWithTheLkjMarginals) {
  std::mt19937_64 g(23);
  Uniform u = seededUniform(g);
  const int N = 40000;
  // each off-diagonal element is 2 Beta(b, b) - 1 with b = eta - 1 + K/2: mean 0, variance 1 / (2 eta + K - 1)
  for (auto [K, eta] : {std::pair{4, 2.0}, std::pair{3, 0.7}, std::pair{2, 1.0}}) {
    std::vector<McMean> m, v;
    m.resize(static_cast<size_t>(K * K)), v.resize(static_cast<size_t>(K * K));
    for (int k = 0; k < N; ++k) {
      Value C = draw("lkj_corr_rng", {Value::integer(K), Value::real(eta)}, {Elem::Matrix, 0}, u);
      ASSERT_EQ(C.m.rows(), K);
      ASSERT_EQ(C.m.cols(), K);
      ASSERT_TRUE(C.m == C.m.transpose());
      ASSERT_EQ(Eigen::LLT<Eigen::MatrixXd>(C.m).info(), Eigen::Success);
      for (int i = 0; i < K; ++i) {
        ASSERT_EQ(C.m(i, i), 1.0);
        for (int j = 0; j < i; ++j) {
          ASSERT_LT(std::fabs(C.m(i, j)), 1.0);
          m[static_cast<size_t>(i * K + j)].add(C.m(i, j));
          v[static_cast<size_t>(i * K + j)].add(C.m(i, j) * C.m(i, j));
        }
      }
    }
    for (int i = 0; i < K; ++i)
      for (int j = 0; j < i; ++j) {
        EXPECT_MC(m[static_cast<size_t>(i * K + j)], 0) << "K " << K << " [" << i << "," << j << "]";
        EXPECT_MC(v[static_cast<size_t>(i * K + j)], 1 / (2 * eta + K - 1)) << "K " << K << " [" << i << "," << j << "]";
      }
  }
  EXPECT_EQ(draw("lkj_corr_rng", {Value::integer(0), Value::real(1)}, {Elem::Matrix, 0}, u).m.size(), 0);
}

TEST(Values, MultiStudentTRngMomentsAndBatches) {
  std::mt19937_64 g(29);
  Uniform u = seededUniform(g);
  const int N = 40000;
  const double nu = 10;
  Eigen::Matrix3d Sigma;
  Sigma << 1, 0.6, -0.3, 0.6, 2, 0.4, -0.3, 0.4, 0.5;
  const Eigen::Vector3d mu(1, -2, 0.5);
  // mean mu, covariance nu / (nu - 2) Sigma
  McMean m[3], c[3][3];
  for (int k = 0; k < N; ++k) {
    Value x = draw("multi_student_t_rng", {Value::real(nu), Value::vec(mu), Value::mat(Sigma)}, {Elem::Vector, 0}, u);
    ASSERT_EQ(x.m.size(), 3);
    Eigen::Vector3d e = x.m - mu;
    for (int i = 0; i < 3; ++i) {
      m[i].add(x.m(i));
      for (int j = 0; j <= i; ++j) c[i][j].add(e(i) * e(j));
    }
  }
  for (int i = 0; i < 3; ++i) {
    EXPECT_MC(m[i], mu(i)) << i;
    for (int j = 0; j <= i; ++j) EXPECT_MC(c[i][j], nu / (nu - 2) * Sigma(i, j)) << i << "," << j;
  }
  // batched (the runtime accepts mvc's array forms as for multi_normal_rng): item by item
  Eigen::Matrix2d S1, S2;
  S1 << 1, 0.5, 0.5, 2;
  S2 << 9, -3, -3, 4;
  Value mus = Value::array({column({1, -1}), column({10, 20})});
  Value Ss = Value::array({Value::mat(S1), Value::mat(S2)});
  McMean bm[2][2], bv[2][2];
  for (int k = 0; k < N; ++k) {
    Value d = draw("multi_student_t_rng", {Value::real(nu), mus, Ss}, {Elem::Vector, 1}, u);
    ASSERT_EQ(d.a.size(), 2u);
    for (int i = 0; i < 2; ++i)
      for (int r = 0; r < 2; ++r) {
        double e = d.a[static_cast<size_t>(i)].m(r) - mus.a[static_cast<size_t>(i)].m(r);
        bm[i][r].add(d.a[static_cast<size_t>(i)].m(r));
        bv[i][r].add(e * e);
      }
  }
  for (int r = 0; r < 2; ++r) {
    EXPECT_MC(bm[0][r], mus.a[0].m(r));
    EXPECT_MC(bm[1][r], mus.a[1].m(r));
    EXPECT_MC(bv[0][r], nu / (nu - 2) * S1(r, r));
    EXPECT_MC(bv[1][r], nu / (nu - 2) * S2(r, r));
  }
  // an array of locations with one matrix
  Value d = draw("multi_student_t_rng", {Value::real(nu), mus, Value::mat(S1)}, {Elem::Vector, 1}, u);
  EXPECT_EQ(d.a.size(), 2u);
}

TEST(Values, OrderedLogisticAndProbitRngFrequencies) {
  std::mt19937_64 g(31);
  Uniform u = seededUniform(g);
  const int N = 40000;
  auto logistic = [](double t) { return 1 / (1 + std::exp(-t)); };
  auto Phi = [](double t) { return 0.5 * std::erfc(-t / std::sqrt(2.0)); };
  struct Case {
    const char* name;
    double eta;
    std::vector<double> c;
  };
  for (const Case& cs : {Case{"ordered_logistic_rng", 0.3, {-1, 0.5, 2}}, Case{"ordered_probit_rng", -0.2, {-0.5, 0, 1.2}},
                         Case{"ordered_logistic_rng", 1.5, {0.0}}}) {
    bool probit = std::string(cs.name) == "ordered_probit_rng";
    const size_t K = cs.c.size() + 1;
    // P(y = k) = F(c[k] - eta) - F(c[k-1] - eta) with F(c[0]) = 0 and F(c[K]) = 1
    std::vector<double> cdf;
    for (double ck : cs.c) cdf.push_back(probit ? Phi(ck - cs.eta) : logistic(ck - cs.eta));
    cdf.push_back(1);
    std::vector<McMean> f(K);
    for (int k = 0; k < N; ++k) {
      int64_t y = draw(cs.name, {Value::real(cs.eta), column(cs.c)}, {Elem::Int, 0}, u).i;
      ASSERT_TRUE(y >= 1 && y <= static_cast<int64_t>(K)) << y;
      for (size_t j = 0; j < K; ++j) f[j].add(y == static_cast<int64_t>(j + 1));
    }
    for (size_t j = 0; j < K; ++j) {
      double p = cdf[j] - (j == 0 ? 0 : cdf[j - 1]);
      EXPECT_NEAR(f[j].mean(), p, 5 * std::sqrt(p * (1 - p) / N)) << cs.name << " category " << j + 1;
    }
  }
}

TEST(Values, NewRngErrorsNameTheFunctionAndTheArgument) {
  std::mt19937_64 g(37);
  Uniform u = seededUniform(g);
  Eigen::Matrix2d S, notSym, notPd;
  S << 2, 0.5, 0.5, 1;
  notSym << 2, 0.5, 0.4, 1;
  notPd << 1, 2, 2, 1;
  const ResultType R{Elem::Real, 0}, I{Elem::Int, 0}, M{Elem::Matrix, 0}, V{Elem::Vector, 0}, IA{Elem::Int, 1};
  EXPECT_EQ(rngError("beta_binomial_rng", {Value::integer(-1), Value::real(2), Value::real(3)}, I, u),
            "beta_binomial_rng: the number of trials N must be >= 0 (N = -1)");
  EXPECT_EQ(rngError("beta_binomial_rng", {Value::integer(5), Value::real(0), Value::real(3)}, I, u),
            "beta_binomial_rng: the prior success and failure counts alpha and beta must be positive finite (alpha = 0, beta = 3)");
  EXPECT_EQ(rngError("skew_normal_rng", {Value::real(0), Value::real(0), Value::real(1)}, R, u),
            "skew_normal_rng: the scale omega must be positive finite (omega = 0)");
  EXPECT_EQ(rngError("von_mises_rng", {Value::real(0), Value::real(-1)}, R, u),
            "von_mises_rng: the concentration kappa must be >= 0 and finite (kappa = -1)");
  EXPECT_EQ(rngError("von_mises_rng", {Value::real(INFINITY), Value::real(1)}, R, u),
            "von_mises_rng: the location mu must be finite (mu = inf)");
  EXPECT_EQ(rngError("dirichlet_rng", {column({1, 0, 2})}, V, u),
            "dirichlet_rng: alpha must be positive finite (alpha[2] = 0)");
  EXPECT_EQ(rngError("multinomial_rng", {column({0.5, 0.6}), Value::integer(3)}, IA, u),
            "multinomial_rng: theta is not a simplex (it sums to 1.1)");
  EXPECT_EQ(rngError("multinomial_rng", {column({1.5, -0.5}), Value::integer(3)}, IA, u),
            "multinomial_rng: theta is not a simplex (theta[2] = -0.5)");
  EXPECT_EQ(rngError("multinomial_rng", {column({0.5, 0.5}), Value::integer(-2)}, IA, u),
            "multinomial_rng: the number of trials N must be >= 0 (N = -2)");
  EXPECT_EQ(rngError("wishart_rng", {Value::real(0.5), Value::mat(S)}, M, u),
            "wishart_rng: the degrees of freedom nu must be finite and > K - 1 = 1 for a 2x2 scale matrix (nu = 0.5)");
  EXPECT_EQ(rngError("wishart_rng", {Value::real(3), Value::mat(notSym)}, M, u),
            "wishart_rng: the scale matrix S is not symmetric (element [2, 1] is 0.4, element [1, 2] is 0.5)");
  EXPECT_EQ(rngError("inv_wishart_rng", {Value::real(3), Value::mat(notPd)}, M, u),
            "inv_wishart_rng: the scale matrix S is not positive definite");
  EXPECT_EQ(rngError("inv_wishart_rng", {Value::real(3), column({1, 2})}, M, u),
            "inv_wishart_rng: the scale matrix S must be a square matrix");
  EXPECT_EQ(rngError("lkj_corr_rng", {Value::integer(3), Value::real(0)}, M, u),
            "lkj_corr_rng: the shape eta must be positive finite (eta = 0)");
  EXPECT_EQ(rngError("lkj_corr_rng", {Value::integer(-1), Value::real(1)}, M, u),
            "lkj_corr_rng: the dimension K must be >= 0 (K = -1)");
  EXPECT_EQ(rngError("multi_student_t_rng", {Value::real(-1), column({0, 0}), Value::mat(S)}, V, u),
            "multi_student_t_rng: the degrees of freedom nu must be positive finite (nu = -1)");
  EXPECT_EQ(rngError("multi_student_t_rng", {Value::real(3), column({0, 0}), Value::mat(notPd)}, V, u),
            "multi_student_t_rng: the scale matrix is not positive definite");
  EXPECT_EQ(rngError("multi_student_t_rng", {Value::real(3), column({0, 0, 0}), Value::mat(S)}, V, u),
            "multi_student_t_rng: the location has size 3, the scale matrix 2");
  EXPECT_EQ(rngError("ordered_logistic_rng", {Value::real(0), column({-1, 0.5, 0.5})}, I, u),
            "ordered_logistic_rng: the cutpoints must be strictly increasing (c[3] = 0.5 is not greater than c[2] = 0.5)");
  EXPECT_EQ(rngError("ordered_probit_rng", {Value::real(0), column({1, 0})}, I, u),
            "ordered_probit_rng: the cutpoints must be strictly increasing (c[2] = 0 is not greater than c[1] = 1)");
  EXPECT_EQ(rngError("ordered_probit_rng", {Value::real(NAN), column({0, 1})}, I, u),
            "ordered_probit_rng: the location eta must be finite (eta = nan)");
}

// The built-ins of builtins_more.cpp against values known exactly (or computed directly here).
Value call(const char* name, std::vector<Value> args, Elem elem = Elem::Real, int arrayDims = 0) {
  std::vector<const Value*> p;
  for (const Value& a : args) p.push_back(&a);
  return callBuiltin(name, Args(p), ResultType{elem, arrayDims});
}
Value ia(std::vector<int64_t> xs) {
  std::vector<Value> v;
  for (int64_t x : xs) v.push_back(Value::integer(x));
  return Value::array(v);
}
Value vec(std::vector<double> xs) { return Value::vec(Eigen::Map<Eigen::VectorXd>(xs.data(), static_cast<Eigen::Index>(xs.size()))); }
std::vector<double> nums(const Value& v) {
  std::vector<double> out;
  flatten(v, out);
  return out;
}

TEST(MoreBuiltins, ArraysOfConstantsAndStructure) {
  EXPECT_EQ(nums(call("ones_int_array", {Value::integer(3)}, Elem::Int, 1)), (std::vector<double>{1, 1, 1}));
  EXPECT_EQ(nums(call("zeros_array", {Value::integer(2)}, Elem::Real, 1)), (std::vector<double>{0, 0}));
  EXPECT_EQ(nums(call("one_hot_vector", {Value::integer(4), Value::integer(2)})), (std::vector<double>{0, 1, 0, 0}));
  EXPECT_EQ(nums(call("one_hot_int_array", {Value::integer(3), Value::integer(3)}, Elem::Int, 1)), (std::vector<double>{0, 0, 1}));
  EXPECT_EQ(nums(call("uniform_simplex", {Value::integer(4)})), (std::vector<double>{0.25, 0.25, 0.25, 0.25}));
  EXPECT_EQ(nums(call("linspaced_array", {Value::integer(3), Value::real(1), Value::real(2)}, Elem::Real, 1)),
            (std::vector<double>{1, 1.5, 2}));
  EXPECT_EQ(nums(call("linspaced_int_array", {Value::integer(4), Value::integer(1), Value::integer(10)}, Elem::Int, 1)),
            (std::vector<double>{1, 4, 7, 10}));
  Value m = Value::mat((Eigen::MatrixXd(2, 3) << 1, 2, 3, 4, 5, 6).finished());
  EXPECT_EQ(nums(call("dims", {Value::array({m, m})}, Elem::Int, 1)), (std::vector<double>{2, 2, 3}));
  EXPECT_EQ(nums(call("sub_col", {m, Value::integer(1), Value::integer(2), Value::integer(2)})), (std::vector<double>{2, 5}));
  EXPECT_EQ(nums(call("sub_row", {m, Value::integer(2), Value::integer(2), Value::integer(2)})), (std::vector<double>{5, 6}));
  EXPECT_THROW(call("sub_row", {m, Value::integer(2), Value::integer(2), Value::integer(3)}), Error);
  EXPECT_EQ(nums(call("to_array_2d", {m}, Elem::Real, 2)), (std::vector<double>{1, 2, 3, 4, 5, 6}));
  EXPECT_EQ(nums(call("append_array", {ia({1, 2}), ia({3})}, Elem::Int, 1)), (std::vector<double>{1, 2, 3}));
  EXPECT_THROW(call("one_hot_vector", {Value::integer(3), Value::integer(4)}), Error);
}

TEST(MoreBuiltins, SortingAndRanks) {
  Value v = vec({3, 1, 2, 1});
  EXPECT_EQ(nums(call("sort_asc", {v})), (std::vector<double>{1, 1, 2, 3}));
  EXPECT_EQ(nums(call("sort_desc", {ia({2, 5, 1})}, Elem::Int, 1)), (std::vector<double>{5, 2, 1}));
  EXPECT_EQ(nums(call("sort_indices_asc", {v}, Elem::Int, 1)), (std::vector<double>{2, 4, 3, 1}));  // stable
  EXPECT_EQ(nums(call("sort_indices_desc", {v}, Elem::Int, 1)), (std::vector<double>{1, 3, 2, 4}));
  EXPECT_EQ(call("rank", {v, Value::integer(3)}, Elem::Int).i, 2);  // two elements below 2
}

TEST(MoreBuiltins, CombinatoricsAndSpecialFunctions) {
  EXPECT_EQ(call("choose", {Value::integer(10), Value::integer(3)}, Elem::Int).i, 120);
  EXPECT_EQ(call("choose", {Value::integer(3), Value::integer(5)}, Elem::Int).i, 0);
  EXPECT_NEAR(call("falling_factorial", {Value::real(5), Value::integer(2)}).d, 20, 1e-12);
  EXPECT_NEAR(call("rising_factorial", {Value::real(3), Value::integer(3)}).d, 60, 1e-11);
  EXPECT_NEAR(call("trigamma", {Value::real(1)}).d, M_PI * M_PI / 6, 1e-12);
  EXPECT_NEAR(call("trigamma", {Value::real(0.5)}).d, M_PI * M_PI / 2, 1e-12);
  EXPECT_NEAR(call("trigamma", {Value::real(-0.5)}).d, M_PI * M_PI / 2 + 4, 1e-11);  // psi1(x) = psi1(x + 1) + 1/x^2
  {  // elementwise over arrays too (it used to return the array unchanged)
    Value t = call("trigamma", {Value::array({Value::real(1), Value::real(0.5)})});
    ASSERT_EQ(t.kind, Value::Array);
    EXPECT_NEAR(t.a.at(0).d, M_PI * M_PI / 6, 1e-12);
    EXPECT_NEAR(t.a.at(1).d, M_PI * M_PI / 2, 1e-12);
  }
  // lmgamma(2, x) = log(pi) / 2 + lgamma(x) + lgamma(x - 1/2)
  EXPECT_NEAR(call("lmgamma", {Value::integer(2), Value::real(3)}).d, 0.5 * std::log(M_PI) + std::lgamma(3.0) + std::lgamma(2.5), 1e-12);
  double x = 0.7, y = -0.4, want = std::log(1 / (1 + std::exp(-x)) - 1 / (1 + std::exp(-y)));
  EXPECT_NEAR(call("log_inv_logit_diff", {Value::real(x), Value::real(y)}).d, want, 1e-12);
  EXPECT_EQ(call("logical_negation", {Value::real(0)}, Elem::Int).i, 1);
}

TEST(MoreBuiltins, InvPhiInvertsPhi) {
  for (double p : {1e-300, 1e-10, 0.01, 0.02425, 0.3, 0.5, 0.8, 0.99, 1 - 1e-10}) {
    double x = call("inv_Phi", {Value::real(p)}).d;
    EXPECT_NEAR(0.5 * std::erfc(-x / std::sqrt(2.0)), p, 1e-15 + 1e-13 * p) << p;
  }
  EXPECT_NEAR(call("inv_Phi", {Value::real(0.975)}).d, 1.959963984540054, 1e-14);
  EXPECT_TRUE(std::isnan(call("inv_Phi", {Value::real(1.5)}).d));
}

TEST(MoreBuiltins, SpdLinearAlgebraAndTheGpKernel) {
  Eigen::MatrixXd A(2, 2), B(2, 2);
  A << 4, 1, 1, 3;
  B << 1, 2, 0, 1;
  EXPECT_NEAR(call("log_determinant_spd", {Value::mat(A)}).d, std::log(11.0), 1e-12);
  EXPECT_NEAR(call("trace_quad_form", {Value::mat(A), Value::mat(B)}).d, (B.transpose() * A * B).trace(), 1e-12);
  Eigen::MatrixXd want = B * A.inverse();
  EXPECT_LT((call("mdivide_right_spd", {Value::mat(B), Value::mat(A)}).m - want).norm(), 1e-12);
  Eigen::MatrixXd L = A.llt().matrixL();
  EXPECT_LT((call("chol2inv", {Value::mat(L)}).m - A.inverse()).norm(), 1e-12);
  Eigen::VectorXd ev = call("eigenvalues_sym", {Value::mat(A)}).m;
  EXPECT_NEAR(ev(0) + ev(1), 7, 1e-12);
  EXPECT_NEAR(ev(0) * ev(1), 11, 1e-12);
  EXPECT_THROW(call("log_determinant_spd", {Value::mat(B - 3 * Eigen::MatrixXd::Identity(2, 2))}), Error);
  Value xs = Value::array({Value::real(0), Value::real(1), Value::real(3)});
  Eigen::MatrixXd K = call("gp_exp_quad_cov", {xs, Value::real(2), Value::real(0.5)}).m;
  EXPECT_NEAR(K(0, 0), 4, 1e-12);
  EXPECT_NEAR(K(0, 1), 4 * std::exp(-0.5 / 0.25), 1e-12);
  EXPECT_NEAR(K(2, 1), 4 * std::exp(-0.5 * 4 / 0.25), 1e-12);
}

}  // namespace

namespace {
// A block-diagonal matrix of equal blocks is prepared block by block (layout 2: K blocks of b,
// the vectors' segments the items); unequal blocks or an entry off the blocks are not.
TEST(Values, BlockDiagonalMatrixIsPreparedBlockByBlock) {
  using namespace mvc::values;
  Eigen::MatrixXd A = Eigen::MatrixXd::Zero(6, 6);
  for (int k = 0; k < 3; ++k) A.block(2 * k, 2 * k, 2, 2) << 2.0 + k, 0.3, 0.3, 1.0;
  Value p = batchedMvnPrepare("multi_normal", 'b', Value::mat(A));
  EXPECT_EQ(p.a.at(0).i, 2);  // q: the block size
  EXPECT_EQ(p.a.at(1).i, 2);  // layout
  EXPECT_EQ(p.a.at(2).i, 3);  // K blocks
  Eigen::MatrixXd U = A;
  U(4, 3) = U(3, 4) = 0.1;  // blocks of 2, 2+2 -> 2 and 4: unequal
  EXPECT_EQ(batchedMvnPrepare("multi_normal", 'b', Value::mat(U)).a.at(1).i, 1);
  Eigen::MatrixXd F = A;
  F(5, 0) = F(0, 5) = 0.05;  // one block
  EXPECT_EQ(batchedMvnPrepare("multi_normal", 'b', Value::mat(F)).a.at(1).i, 1);
  // A block that is not positive definite is named
  Eigen::MatrixXd N = A;
  N(3, 3) = -1;
  try {
    batchedMvnPrepare("multi_normal", 'b', Value::mat(N));
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()), "multi_normal: the covariance matrix (its diagonal block 2) is not positive definite");
  }
}
}  // namespace

namespace {
// Data y grouped by a data index, one mean, a matrix per group: batchedMvn from the statistics
// (batchedMvnStats, layout 3) gives the value and the gradients of the general path; a call
// the statistics do not describe (other bounds) takes the general path; data the statistics
// cannot summarise (an index out of range) are marked unusable, not an error.
TEST(Values, BatchedMvnFromSufficientStatisticsEqualsTheGeneralPath) {
  using namespace mvc::values;
  const int N = 6, q = 2, K = 3;
  std::vector<Value> ys, Ls, gs;
  for (int n = 0; n < N; ++n) {
    Eigen::VectorXd y(q);
    y << 0.3 * n - 0.5, std::sin(n);
    ys.push_back(Value::vec(y));
    gs.push_back(Value::integer(1 + n % K));
  }
  for (int k = 0; k < K; ++k) {
    Eigen::MatrixXd L(q, q);
    L << 1.0 + 0.2 * k, 0, 0.3 - 0.1 * k, 0.8;
    Ls.push_back(Value::mat(L));
  }
  Value y = Value::array(ys), L = Value::array(Ls), G = Value::array(gs);
  Eigen::VectorXd m(q);
  m << 0.1, -0.2;
  Value mu = Value::vec(m), lo = Value::integer(1), hi = Value::integer(N);
  const Value* in[] = {&lo, &hi, &y, &mu, &L, &G};
  Args args(in, 6);
  Value stats = batchedMvnStats(1, N, y, &G);
  ASSERT_EQ(stats.a.at(1).i, 3);
  ASSERT_EQ(stats.a.at(2).i, K);
  for (bool propto : {false, true}) {
    double general = batchedMvn("multi_normal_cholesky", "sbg", "", args, 6, propto, 0, nullptr, nullptr);
    double fromStats = batchedMvn("multi_normal_cholesky", "sbg", "", args, 6, propto, 0, nullptr, &stats);
    EXPECT_NEAR(fromStats, general, 1e-12 * std::fabs(general));
    Value gmu1 = Value::vec(Eigen::VectorXd::Zero(q)), gmu2 = gmu1;
    std::vector<Value> z(K, Value::mat(Eigen::MatrixXd::Zero(q, q)));
    Value gL1 = Value::array(z), gL2 = Value::array(z);
    Value* acc1[] = {&gmu1, &gL1};
    Value* acc2[] = {&gmu2, &gL2};
    batchedMvn("multi_normal_cholesky", "sbg", "-aa", args, 6, propto, 0.5, acc1, nullptr);
    batchedMvn("multi_normal_cholesky", "sbg", "-aa", args, 6, propto, 0.5, acc2, &stats);
    for (int i = 0; i < q; ++i) EXPECT_NEAR(gmu2.m(i), gmu1.m(i), 1e-12);
    for (int k = 0; k < K; ++k)
      for (int i = 0; i < q * q; ++i) EXPECT_NEAR(gL2.a[k].m(i), gL1.a[k].m(i), 1e-12) << k << " " << i;
  }
  // Other bounds than the statistics': the general path, the same value.
  Value hi5 = Value::integer(5);
  const Value* in5[] = {&lo, &hi5, &y, &mu, &L, &G};
  EXPECT_NEAR(batchedMvn("multi_normal_cholesky", "sbg", "", Args(in5, 6), 6, false, 0, nullptr, &stats),
              batchedMvn("multi_normal_cholesky", "sbg", "", Args(in5, 6), 6, false, 0, nullptr, nullptr), 1e-12);
  // A group index out of range: unusable statistics; the general path reports the error.
  std::vector<Value> bad = gs;
  bad[2] = Value::integer(0);
  Value Gbad = Value::array(bad);
  Value unusable = batchedMvnStats(1, N, y, &Gbad);
  EXPECT_EQ(unusable.a.at(2).i, -1);
  const Value* inBad[] = {&lo, &hi, &y, &mu, &L, &Gbad};
  EXPECT_THROW(batchedMvn("multi_normal_cholesky", "sbg", "", Args(inBad, 6), 6, false, 0, nullptr, &unusable), Error);
}
}  // namespace

namespace {
// mvc's mapped forms: diag_pre_multiply and rows_dot_product over arrays of the same size,
// item by item; arrays of different sizes are an error that says so.
TEST(Values, MappedFormsApplyItemByItem) {
  using namespace mvc::values;
  Eigen::MatrixXd L1(2, 2), L2(2, 2);
  L1 << 1, 0, 0.5, 2;
  L2 << 3, 0, -1, 1;
  Eigen::VectorXd t1(2), t2(2);
  t1 << 2, 3;
  t2 << 0.5, 4;
  Value taus = Value::array({Value::vec(t1), Value::vec(t2)}), Ls = Value::array({Value::mat(L1), Value::mat(L2)});
  Value D = call("diag_pre_multiply", {taus, Ls});
  ASSERT_EQ(D.a.size(), 2u);
  EXPECT_TRUE(D.a[0].m.isApprox(t1.asDiagonal() * L1, 1e-15));
  EXPECT_TRUE(D.a[1].m.isApprox(t2.asDiagonal() * L2, 1e-15));
  Value r = call("rows_dot_product", {D, Ls});
  ASSERT_EQ(r.a.size(), 2u);
  EXPECT_TRUE(r.a[1].m.isApprox((t2.asDiagonal() * L2).cwiseProduct(L2).rowwise().sum(), 1e-15));
  Value one = Value::array({Value::vec(t1)});
  try {
    call("diag_pre_multiply", {one, Ls});
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("arrays of 1 and"), std::string::npos) << e.what();
  }
}
}  // namespace

namespace {
// density.batched of a univariate and of a multivariate family (not the normals, which have
// their own path): items read in place over lo..hi with every mode ('b' one value, 's' the
// array's items, 'g' gathered by a group index) equal the sum of single densities, their
// gradients land on the right items of the accumulators (added to what they hold), an empty
// range is an empty sum, and a group index out of range is an error.
TEST(Values, BatchedDensitiesReadItemsInPlace) {
  using namespace mvc::values;
  const int K = 3, N = 5;
  std::vector<Value> taus, locs, Ls, gs;
  for (int k = 0; k < K; ++k) {
    Eigen::VectorXd t(2);
    t << 0.5 + k, 1.5 - 0.25 * k;
    taus.push_back(Value::vec(t));
    locs.push_back(Value::real(0.1 * k));
    const double c = 0.3 * (k + 1) - 0.5;
    Eigen::MatrixXd L(2, 2);
    L << 1, 0, c, std::sqrt(1 - c * c);
    Ls.push_back(Value::mat(L));
  }
  for (int n = 0; n < N; ++n) gs.push_back(Value::integer(1 + (2 * n) % K));
  Value tau = Value::array(taus), loc = Value::array(locs), L = Value::array(Ls), G = Value::array(gs);
  Value sd = Value::real(2.5), eta = Value::real(2.0);
  auto single = [](const char* fam, std::vector<const Value*> a, uint32_t act) {
    return density(std::string(fam) + "_lpdf", fam, false, Args(a), act, false);
  };
  for (int lo : {1, 2}) {
    const int hi = N - 1;
    Value vlo = Value::integer(lo), vhi = Value::integer(hi);
    // normal: tau gathered by G ('g'), loc gathered too, one sd for all ('b')
    const Value* in[] = {&vlo, &vhi, &tau, &G, &loc, &G, &sd};
    double ref = 0;
    for (int n = lo; n <= hi; ++n) {
      const size_t k = static_cast<size_t>(gs[n - 1].i - 1);
      ref += single("normal", {&taus[k], &locs[k], &sd}, 7);
    }
    EXPECT_NEAR(densityBatched("normal", "ggb", Args(in, 7), 7, false), ref, 1e-12 * std::fabs(ref)) << lo;
    // gradients: d/dtau[k] = -(tau - loc) / sd^2 per use, d/dloc = + that, summed over uses
    std::vector<Value> z2(K, Value::vec(Eigen::VectorXd::Constant(2, 1.0)));
    Value gtau = Value::array(z2), gloc = Value::array(std::vector<Value>(K, Value::real(0.5)));
    Value gsd = Value::real(0.0);
    Value* acc[] = {&gtau, &gloc, &gsd};
    densityBatchedGrad("normal", "ggb/aaa", false, 2.0, Args(in, 7), acc);
    std::vector<Eigen::VectorXd> et(K, Eigen::VectorXd::Constant(2, 1.0));
    std::vector<double> el(K, 0.5);
    double esd = 0;
    for (int n = lo; n <= hi; ++n) {
      const size_t k = static_cast<size_t>(gs[n - 1].i - 1);
      const Eigen::VectorXd r = taus[k].m - Eigen::VectorXd::Constant(2, locs[k].d);
      et[k] += -2.0 * r / 6.25;
      el[k] += 2.0 * r.sum() / 6.25;
      esd += 2.0 * (r.squaredNorm() / (2.5 * 6.25) - 2 / 2.5);
    }
    for (int k = 0; k < K; ++k) {
      for (int i = 0; i < 2; ++i) EXPECT_NEAR(gtau.a[k].m(i), et[k](i), 1e-12) << k;
      EXPECT_NEAR(gloc.a[k].d, el[k], 1e-12) << k;
    }
    EXPECT_NEAR(gsd.d, esd, 1e-12);
    // lkj_corr_cholesky: the factors' items lo..hi ('s'), one eta ('b')
    Value vk = Value::integer(K);
    const Value* inLk[] = {&vlo, &vk, &L, &eta};
    double refL = 0;
    for (int k = lo; k <= K; ++k) refL += single("lkj_corr_cholesky", {&Ls[k - 1], &eta}, 1);
    EXPECT_NEAR(densityBatched("lkj_corr_cholesky", "sb", Args(inLk, 4), 1, false), refL, 1e-12 * std::fabs(refL));
    Value gL = Value::array(std::vector<Value>(K, Value::mat(Eigen::MatrixXd::Zero(2, 2))));
    Value* accL[] = {&gL};
    densityBatchedGrad("lkj_corr_cholesky", "sb/a-", false, 1.0, Args(inLk, 4), accL);
    for (int k = 1; k <= K; ++k) {
      Value one = Value::mat(Eigen::MatrixXd::Zero(2, 2));
      Value* acc1[] = {&one};
      const Value* a1[] = {&Ls[k - 1], &eta};
      densityGrad("lkj_corr_cholesky_lpdf", "lkj_corr_cholesky", false, "a-", false, 1.0, Args(a1, 2), acc1);
      for (int i = 0; i < 4; ++i) {
        if (k < lo) {
          EXPECT_EQ(gL.a[k - 1].m(i), 0.0) << "item " << k << " is outside lo..hi";
        } else {
          EXPECT_NEAR(gL.a[k - 1].m(i), one.m(i), 1e-12) << k;
        }
      }
    }
  }
  // lo > hi: no items
  Value one = Value::integer(1), zero = Value::integer(0);
  const Value* none[] = {&one, &zero, &L, &eta};
  EXPECT_EQ(densityBatched("lkj_corr_cholesky", "sb", Args(none, 4), 1, false), 0.0);
  const Value* noneN[] = {&one, &zero, &tau, &sd, &sd};
  EXPECT_EQ(densityBatched("normal", "sbb", Args(noneN, 5), 7, false), 0.0);
  // a group index out of range names it
  std::vector<Value> bad = gs;
  bad[1] = Value::integer(K + 1);
  Value Gbad = Value::array(bad), vN = Value::integer(N);
  const Value* inBad[] = {&one, &vN, &tau, &Gbad, &loc, &G, &sd};
  try {
    densityBatched("normal", "ggb", Args(inBad, 7), 7, false);
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("index 4 out of range"), std::string::npos) << e.what();
  }
}
}  // namespace
