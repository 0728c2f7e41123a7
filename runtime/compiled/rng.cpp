// _rng functions: draws from uniforms in (0, 1) (the runtime's RNG through mvc_rt_uniform).
// Univariate ones are vectorised as in Stan: any container argument makes the result an
// array of draws of its size (scalars broadcast).
#include <cmath>
#include <map>
#include <sstream>

#include "values.h"

namespace mvc::values {
namespace {

using U = std::function<double()>;
constexpr double kPi = 3.14159265358979323846;

double stdNormal(const U& u) {
  // Box-Muller with one output per pair (simple and stateless).
  double u1 = u(), u2 = u();
  return std::sqrt(-2 * std::log(u1)) * std::cos(2 * kPi * u2);
}

// Gamma(shape a, rate 1): Marsaglia and Tsang (2000); a < 1 by boosting.
double stdGamma(double a, const U& u) {
  if (a < 1) return stdGamma(a + 1, u) * std::pow(u(), 1 / a);
  double d = a - 1.0 / 3, c = 1 / std::sqrt(9 * d);
  for (;;) {
    double z = stdNormal(u), v = 1 + c * z;
    if (v <= 0) continue;
    v = v * v * v;
    double w = u();
    if (std::log(w) < 0.5 * z * z + d - d * v + d * std::log(v)) return d * v;
  }
}

double betaDraw(double a, double b, const U& u) {
  double x = stdGamma(a, u), y = stdGamma(b, u);
  return x / (x + y);
}

// log of a Gamma(a, 1) draw, finite even for small shapes where the draw itself underflows
// to 0 (G(a) = G(a + 1) U^(1/a)).
double logStdGamma(double a, const U& u) {
  if (a >= 1) return std::log(stdGamma(a, u));
  double g = stdGamma(a + 1, u);
  return std::log(g) + std::log(u()) / a;
}

// Beta(a, b) from the log gammas: never 0/0 for small shapes.
double betaDrawLog(double a, double b, const U& u) {
  double lx = logStdGamma(a, u);
  double ly = logStdGamma(b, u);
  return 1 / (1 + std::exp(ly - lx));
}

// Skew normal: delta |z0| + sqrt(1 - delta^2) z1 is SN(alpha) with delta = alpha / sqrt(1 + alpha^2)
// (Azzalini's representation).
double skewNormalDraw(double xi, double omega, double alpha, const U& u) {
  double delta = alpha / std::sqrt(1 + alpha * alpha);
  double z0 = stdNormal(u), z1 = stdNormal(u);
  return xi + omega * (delta * std::fabs(z0) + std::sqrt(1 - delta * delta) * z1);
}

// Von Mises by Best and Fisher (1979), as Stan: the result is (mu mod 2 pi) + an angle in
// [-pi, pi]; kappa < 1.4e-8 is the circular uniform. rho is computed without the cancellation
// of (r - sqrt(2 r)) / (2 kappa) for small kappa.
double vonMisesDraw(double mu, double kappa, const U& u) {
  const double twoPi = 2 * kPi;
  double m = std::fmod(std::fmod(mu, twoPi) + twoPi, twoPi);
  if (kappa < 1.4e-8) return m + (u() - 0.5) * twoPi;
  double q = std::sqrt(1 + 4 * kappa * kappa), r = 1 + q;
  double rho = 2 * kappa * r / ((q + 1) * (r + std::sqrt(2 * r)));
  double s = (1 + rho * rho) / (2 * rho);
  double w;
  for (;;) {
    double z = std::cos(kPi * u());
    w = (1 + s * z) / (s + z);
    double y = kappa * (s - w), u2 = u();
    if (y * (2 - y) - u2 > 0 || std::log(y / u2) + 1 - y >= 0) break;
  }
  w = std::min(1.0, std::max(-1.0, w));
  return m + (u() < 0.5 ? -1.0 : 1.0) * std::acos(w);
}

// Exact binomial: splitting by beta order statistics (Devroye), then Bernoulli trials.
int64_t binomialDraw(int64_t n, double p, const U& u) {
  int64_t k = 0;
  while (n > 64) {
    int64_t i = (n + 1) / 2;
    double x = betaDraw(static_cast<double>(i), static_cast<double>(n + 1 - i), u);
    if (x >= p) {
      n = i - 1;
      p = p / x;
    } else {
      k += i;
      n -= i;
      p = (p - x) / (1 - x);
    }
  }
  for (int64_t j = 0; j < n; ++j) k += u() < p;
  return k;
}

// Exact Poisson: gamma splitting for large means (Ahrens-Dieter), then Knuth's product.
int64_t poissonDraw(double lambda, const U& u) {
  int64_t k = 0;
  while (lambda > 30) {
    auto m = static_cast<int64_t>(std::floor(0.875 * lambda));
    double x = stdGamma(static_cast<double>(m), u);
    if (x < lambda) {
      k += m;
      lambda -= x;
    } else {
      return k + binomialDraw(m - 1, lambda / x, u);
    }
  }
  double l = std::exp(-lambda), prod = u();
  while (prod > l) {
    ++k;
    prod *= u();
  }
  return k;
}

void need(bool ok, const std::string& fn, const std::string& what) {
  if (!ok) throw Error(fn + ": " + what);
}

std::string str(double x) {
  std::ostringstream o;
  o << x;
  return o.str();
}

using Uni = std::function<Value(const std::vector<double>&, const U&, const std::string&)>;

Value real(double x) { return Value::real(x); }
Value integer(int64_t x) { return Value::integer(x); }

const std::map<std::string, Uni>& univariate() {
  static const std::map<std::string, Uni> t = {
      {"normal_rng", [](auto& p, const U& u, auto& fn) {
         need(std::isfinite(p[0]) && p[1] > 0 && std::isfinite(p[1]), fn, "location must be finite and scale positive");
         return real(p[0] + p[1] * stdNormal(u));
       }},
      {"std_normal_rng", [](auto&, const U& u, auto&) { return real(stdNormal(u)); }},
      {"cauchy_rng", [](auto& p, const U& u, auto& fn) {
         need(std::isfinite(p[0]) && p[1] > 0 && std::isfinite(p[1]), fn, "location must be finite and scale positive");
         return real(p[0] + p[1] * std::tan(kPi * (u() - 0.5)));
       }},
      {"student_t_rng", [](auto& p, const U& u, auto& fn) {
         need(p[0] > 0 && std::isfinite(p[1]) && p[2] > 0, fn, "degrees of freedom and scale must be positive");
         double chi2 = 2 * stdGamma(p[0] / 2, u);
         return real(p[1] + p[2] * stdNormal(u) / std::sqrt(chi2 / p[0]));
       }},
      {"exponential_rng", [](auto& p, const U& u, auto& fn) {
         need(p[0] > 0 && std::isfinite(p[0]), fn, "inverse scale must be positive finite");
         return real(-std::log(u()) / p[0]);
       }},
      {"gamma_rng", [](auto& p, const U& u, auto& fn) {
         need(p[0] > 0 && p[1] > 0 && std::isfinite(p[0]) && std::isfinite(p[1]), fn,
              "shape and inverse scale must be positive finite");
         return real(stdGamma(p[0], u) / p[1]);
       }},
      {"inv_gamma_rng", [](auto& p, const U& u, auto& fn) {
         need(p[0] > 0 && p[1] > 0 && std::isfinite(p[0]) && std::isfinite(p[1]), fn,
              "shape and scale must be positive finite");
         return real(p[1] / stdGamma(p[0], u));
       }},
      {"lognormal_rng", [](auto& p, const U& u, auto& fn) {
         need(std::isfinite(p[0]) && p[1] > 0 && std::isfinite(p[1]), fn, "location must be finite and scale positive");
         return real(std::exp(p[0] + p[1] * stdNormal(u)));
       }},
      {"beta_rng", [](auto& p, const U& u, auto& fn) {
         need(p[0] > 0 && p[1] > 0 && std::isfinite(p[0]) && std::isfinite(p[1]), fn,
              "both shapes must be positive finite");
         return real(betaDraw(p[0], p[1], u));
       }},
      {"uniform_rng", [](auto& p, const U& u, auto& fn) {
         need(std::isfinite(p[0]) && std::isfinite(p[1]) && p[0] < p[1], fn, "the bounds must be finite and lower < upper");
         return real(p[0] + (p[1] - p[0]) * u());
       }},
      {"bernoulli_rng", [](auto& p, const U& u, auto& fn) {
         need(p[0] >= 0 && p[0] <= 1, fn, "the probability must be in [0, 1]");
         return integer(u() < p[0]);
       }},
      {"bernoulli_logit_rng", [](auto& p, const U& u, auto& fn) {
         need(!std::isnan(p[0]), fn, "the log odds must not be nan");
         return integer(u() < 1 / (1 + std::exp(-p[0])));
       }},
      {"binomial_rng", [](auto& p, const U& u, auto& fn) {
         need(p[0] >= 0 && p[1] >= 0 && p[1] <= 1, fn, "the number of trials must be >= 0 and the probability in [0, 1]");
         return integer(binomialDraw(static_cast<int64_t>(p[0]), p[1], u));
       }},
      {"poisson_rng", [](auto& p, const U& u, auto& fn) {
         need(p[0] >= 0 && p[0] < 1073741824.0, fn, "the rate must be >= 0 and less than 2^30");
         return integer(poissonDraw(p[0], u));
       }},
      {"poisson_log_rng", [](auto& p, const U& u, auto& fn) {
         need(p[0] < 30 * std::log(2.0), fn, "the log rate must be less than 30 log(2)");
         return integer(poissonDraw(std::exp(p[0]), u));
       }},
      // Inverse CDFs (u in (0, 1)) and compositions.
      {"double_exponential_rng", [](auto& p, const U& u, auto& fn) {
         need(std::isfinite(p[0]) && p[1] > 0 && std::isfinite(p[1]), fn, "location must be finite and scale positive");
         double v = u() - 0.5;
         return real(p[0] - p[1] * (v < 0 ? -1.0 : 1.0) * std::log1p(-2 * std::fabs(v)));
       }},
      {"logistic_rng", [](auto& p, const U& u, auto& fn) {
         need(std::isfinite(p[0]) && p[1] > 0 && std::isfinite(p[1]), fn, "location must be finite and scale positive");
         double v = u();
         return real(p[0] + p[1] * std::log(v / (1 - v)));
       }},
      {"weibull_rng", [](auto& p, const U& u, auto& fn) {
         need(p[0] > 0 && p[1] > 0 && std::isfinite(p[0]) && std::isfinite(p[1]), fn, "shape and scale must be positive finite");
         return real(p[1] * std::pow(-std::log(u()), 1 / p[0]));
       }},
      {"frechet_rng", [](auto& p, const U& u, auto& fn) {
         need(p[0] > 0 && p[1] > 0 && std::isfinite(p[0]) && std::isfinite(p[1]), fn, "shape and scale must be positive finite");
         return real(p[1] * std::pow(-std::log(u()), -1 / p[0]));
       }},
      {"rayleigh_rng", [](auto& p, const U& u, auto& fn) {
         need(p[0] > 0 && std::isfinite(p[0]), fn, "the scale must be positive finite");
         return real(p[0] * std::sqrt(-2 * std::log(u())));
       }},
      {"pareto_rng", [](auto& p, const U& u, auto& fn) {
         need(p[0] > 0 && p[1] > 0 && std::isfinite(p[0]) && std::isfinite(p[1]), fn, "scale and shape must be positive finite");
         return real(p[0] * std::pow(u(), -1 / p[1]));
       }},
      {"gumbel_rng", [](auto& p, const U& u, auto& fn) {
         need(std::isfinite(p[0]) && p[1] > 0 && std::isfinite(p[1]), fn, "location must be finite and scale positive");
         return real(p[0] - p[1] * std::log(-std::log(u())));
       }},
      {"chi_square_rng", [](auto& p, const U& u, auto& fn) {
         need(p[0] > 0 && std::isfinite(p[0]), fn, "the degrees of freedom must be positive finite");
         return real(2 * stdGamma(p[0] / 2, u));
       }},
      {"inv_chi_square_rng", [](auto& p, const U& u, auto& fn) {
         need(p[0] > 0 && std::isfinite(p[0]), fn, "the degrees of freedom must be positive finite");
         return real(1 / (2 * stdGamma(p[0] / 2, u)));
       }},
      {"exp_mod_normal_rng", [](auto& p, const U& u, auto& fn) {
         need(std::isfinite(p[0]) && p[1] > 0 && p[2] > 0 && std::isfinite(p[1]) && std::isfinite(p[2]), fn,
              "location must be finite, scale and inverse scale positive");
         return real(p[0] + p[1] * stdNormal(u) - std::log(u()) / p[2]);
       }},
      {"discrete_range_rng", [](auto& p, const U& u, auto& fn) {
         need(p[0] <= p[1], fn, "lower must be <= upper");
         auto lo = static_cast<int64_t>(p[0]), hi = static_cast<int64_t>(p[1]);
         return integer(std::min(hi, lo + static_cast<int64_t>(std::floor(u() * static_cast<double>(hi - lo + 1)))));
       }},
      {"neg_binomial_2_log_rng", [](auto& p, const U& u, auto& fn) {
         need(std::isfinite(p[0]) && p[1] > 0 && std::isfinite(p[1]), fn, "log location finite and precision positive");
         double rate = stdGamma(p[1], u) * std::exp(p[0]) / p[1];
         need(rate < 1073741824.0, fn, "the gamma-Poisson rate is too large");
         return integer(poissonDraw(rate, u));
       }},
      {"neg_binomial_rng", [](auto& p, const U& u, auto& fn) {
         need(p[0] > 0 && p[1] > 0 && std::isfinite(p[0]) && std::isfinite(p[1]), fn, "shape and inverse scale must be positive");
         double rate = stdGamma(p[0], u) / p[1];
         need(rate < 1073741824.0, fn, "the gamma-Poisson rate is too large");
         return integer(poissonDraw(rate, u));
       }},
      {"beta_binomial_rng", [](auto& p, const U& u, auto& fn) {
         need(p[0] >= 0, fn, "the number of trials N must be >= 0 (N = " + str(p[0]) + ")");
         need(p[1] > 0 && p[2] > 0 && std::isfinite(p[1]) && std::isfinite(p[2]), fn,
              "the prior success and failure counts alpha and beta must be positive finite (alpha = " + str(p[1]) +
                  ", beta = " + str(p[2]) + ")");
         return integer(binomialDraw(static_cast<int64_t>(p[0]), betaDrawLog(p[1], p[2], u), u));
       }},
      {"skew_normal_rng", [](auto& p, const U& u, auto& fn) {
         need(std::isfinite(p[0]), fn, "the location xi must be finite (xi = " + str(p[0]) + ")");
         need(p[1] > 0 && std::isfinite(p[1]), fn, "the scale omega must be positive finite (omega = " + str(p[1]) + ")");
         need(std::isfinite(p[2]), fn, "the shape alpha must be finite (alpha = " + str(p[2]) + ")");
         return real(skewNormalDraw(p[0], p[1], p[2], u));
       }},
      {"von_mises_rng", [](auto& p, const U& u, auto& fn) {
         need(std::isfinite(p[0]), fn, "the location mu must be finite (mu = " + str(p[0]) + ")");
         need(p[1] >= 0 && std::isfinite(p[1]), fn, "the concentration kappa must be >= 0 and finite (kappa = " + str(p[1]) + ")");
         return real(vonMisesDraw(p[0], p[1], u));
       }},
      {"neg_binomial_2_rng", [](auto& p, const U& u, auto& fn) {
         need(p[0] > 0 && p[1] > 0 && std::isfinite(p[0]) && std::isfinite(p[1]), fn,
              "location and precision must be positive finite");
         double rate = stdGamma(p[1], u) * p[0] / p[1];
         need(rate < 1073741824.0, fn, "the gamma-Poisson rate is too large");
         return integer(poissonDraw(rate, u));
       }},
  };
  return t;
}

Eigen::VectorXd stdNormalVector(Eigen::Index n, const U& u) {
  Eigen::VectorXd z(n);
  for (Eigen::Index i = 0; i < n; ++i) z(i) = stdNormal(u);
  return z;
}

// The lower Cholesky factor of a symmetric positive definite matrix S, as Stan checks it:
// square, finite, symmetric within 1e-8, and positive definite (LLT succeeds). `what` names the
// argument in the messages ("the scale matrix", "the scale matrix 2", ...).
Eigen::MatrixXd spdFactor(const std::string& fn, const std::string& what, const Value& S) {
  if (!S.linalg() || S.m.rows() != S.m.cols()) throw Error(fn + ": " + what + " must be a square matrix");
  if (!S.m.allFinite()) throw Error(fn + ": " + what + " has a non-finite element");
  for (Eigen::Index j = 0; j < S.m.cols(); ++j)
    for (Eigen::Index i = j + 1; i < S.m.rows(); ++i)
      if (!(std::fabs(S.m(i, j) - S.m(j, i)) <= 1e-8))
        throw Error(fn + ": " + what + " is not symmetric (element [" + std::to_string(i + 1) + ", " +
                    std::to_string(j + 1) + "] is " + str(S.m(i, j)) + ", element [" + std::to_string(j + 1) + ", " +
                    std::to_string(i + 1) + "] is " + str(S.m(j, i)) + ")");
  Eigen::LLT<Eigen::MatrixXd> llt(S.m);
  if (llt.info() != Eigen::Success) throw Error(fn + ": " + what + " is not positive definite");
  return llt.matrixL();
}

// M M' with an exactly symmetric result (the lower triangle computed, then mirrored).
Eigen::MatrixXd gram(const Eigen::MatrixXd& M) {
  Eigen::MatrixXd R = Eigen::MatrixXd::Zero(M.rows(), M.rows());
  R.selfadjointView<Eigen::Lower>().rankUpdate(M);
  return R.selfadjointView<Eigen::Lower>();
}

// multi_normal(_cholesky)_rng and multi_student_t_rng: mu a vector/row_vector or an array of
// them; the covariance (scale, Cholesky factor) one matrix, or an array of them paired item by
// item with the means (mvc's batched form). factor(S, item) gives the lower Cholesky factor
// (item 0: not an array); radius() multiplies each item's standard normal (1 for the normal).
Value locationScale(const std::string& fn, const Value& muArg, const Value& SArg, const std::string& noun,
                    const std::function<Eigen::MatrixXd(const Value&, size_t)>& factor,
                    const std::function<double()>& radius, const std::function<void(const Value&)>& checkMu,
                    const U& u) {
  auto one = [&](const Value& mu, const Eigen::MatrixXd& L) {
    if (!mu.linalg() || mu.m.size() != L.rows())
      throw Error(fn + ": the location has size " + std::to_string(mu.m.size()) + ", the " + noun + " " +
                  std::to_string(L.rows()));
    checkMu(mu);
    double r = radius();
    return Value::vec(Eigen::Map<const Eigen::VectorXd>(mu.m.data(), mu.m.size()) + r * (L * stdNormalVector(L.rows(), u)));
  };
  if (SArg.kind != Value::Array) {
    const Eigen::MatrixXd L = factor(SArg, 0);
    if (muArg.kind != Value::Array) return one(muArg, L);
    std::vector<Value> out;
    for (const Value& mu : muArg.a) out.push_back(one(mu, L));
    return Value::array(std::move(out));
  }
  const size_t n = SArg.a.size();
  if (muArg.kind == Value::Array && muArg.a.size() != n)
    throw Error(fn + ": " + std::to_string(muArg.a.size()) + " locations but " + std::to_string(n) + " matrices");
  std::vector<Value> out;
  for (size_t k = 0; k < n; ++k) out.push_back(one(muArg.kind == Value::Array ? muArg.a[k] : muArg, factor(SArg.a[k], k + 1)));
  return Value::array(std::move(out));
}

Value multiNormal(const std::string& fn, const Args& a, bool cholesky, const U& u) {
  auto factor = [&](const Value& S, size_t item) {
    std::string which = item > 0 ? " " + std::to_string(item) : "";
    if (!S.linalg() || S.m.rows() != S.m.cols())
      throw Error(fn + ": expecting a square matrix" + (which.empty() ? "" : " for item" + which));
    if (cholesky) return Eigen::MatrixXd(S.m.triangularView<Eigen::Lower>());
    Eigen::LLT<Eigen::MatrixXd> llt(S.m);
    if (llt.info() != Eigen::Success) throw Error(fn + ": the covariance matrix" + which + " is not positive definite");
    return Eigen::MatrixXd(llt.matrixL());
  };
  return locationScale(fn, a[0], a[1], "covariance", factor, [] { return 1.0; }, [](const Value&) {}, u);
}

// multi_student_t_rng(nu, mu, Sigma): mu + sqrt(nu / chi2(nu)) L z with Sigma = L L'.
Value multiStudentT(const std::string& fn, const Args& a, const U& u) {
  double nu = a[0].num();
  if (!(nu > 0) || !std::isfinite(nu))
    throw Error(fn + ": the degrees of freedom nu must be positive finite (nu = " + str(nu) + ")");
  auto factor = [&](const Value& S, size_t item) {
    return spdFactor(fn, item > 0 ? "the scale matrix " + std::to_string(item) : "the scale matrix", S);
  };
  auto radius = [&] { return std::sqrt(nu / (2 * stdGamma(nu / 2, u))); };
  auto checkMu = [&](const Value& mu) {
    if (!mu.m.allFinite()) throw Error(fn + ": the location mu has a non-finite element");
  };
  return locationScale(fn, a[1], a[2], "scale matrix", factor, radius, checkMu, u);
}

// Bartlett's lower triangular A with A A' ~ Wishart(nu, I): A(j, j)^2 ~ chi2(nu - j) (j from 0),
// A(i, j) ~ N(0, 1) below the diagonal.
Eigen::MatrixXd bartlett(double nu, Eigen::Index K, const U& u) {
  Eigen::MatrixXd A = Eigen::MatrixXd::Zero(K, K);
  for (Eigen::Index j = 0; j < K; ++j) {
    A(j, j) = std::sqrt(2 * stdGamma((nu - static_cast<double>(j)) / 2, u));
    for (Eigen::Index i = j + 1; i < K; ++i) A(i, j) = stdNormal(u);
  }
  return A;
}

// wishart_rng(nu, S) = (L A)(L A)' with S = L L'. inv_wishart_rng(nu, S) is the inverse of a
// Wishart(nu, S^-1) draw: with S^-1 = L^-T L^-1 that inverse is (L A^-T)(L A^-T)' = X' X with
// X = A^-1 L' -- one triangular solve, no explicit inverse.
Value wishart(const std::string& fn, const Args& a, bool inverse, const U& u) {
  double nu = a[0].num();
  const Value& S = a[1];
  Eigen::MatrixXd L = spdFactor(fn, "the scale matrix S", S);
  const Eigen::Index K = L.rows();
  if (!(nu > static_cast<double>(K) - 1) || !std::isfinite(nu))
    throw Error(fn + ": the degrees of freedom nu must be finite and > K - 1 = " + std::to_string(K - 1) +
                " for a " + std::to_string(K) + "x" + std::to_string(K) + " scale matrix (nu = " + str(nu) + ")");
  Eigen::MatrixXd A = bartlett(nu, K, u);
  if (!inverse) return Value::mat(gram(L * A));
  Eigen::MatrixXd X = A.triangularView<Eigen::Lower>().solve(L.transpose());
  return Value::mat(gram(X.transpose()));
}

// dirichlet_rng(alpha): normalised gamma draws, in logs so that small alphas do not give 0/0.
Value dirichlet(const std::string& fn, const Value& alpha, const U& u) {
  if (!alpha.linalg() || alpha.m.size() == 0) throw Error(fn + ": alpha must be a non-empty vector");
  const Eigen::Index K = alpha.m.size();
  Eigen::VectorXd lg(K);
  for (Eigen::Index k = 0; k < K; ++k) {
    double ak = alpha.m(k);
    if (!(ak > 0) || !std::isfinite(ak))
      throw Error(fn + ": alpha must be positive finite (alpha[" + std::to_string(k + 1) + "] = " + str(ak) + ")");
    lg(k) = logStdGamma(ak, u);
  }
  Eigen::VectorXd e = (lg.array() - lg.maxCoeff()).exp();
  return Value::vec(e / e.sum());
}

// The simplex check of Stan (elements >= 0, sum within 1e-8 of 1), naming the argument.
void checkSimplex(const std::string& fn, const std::string& what, const Eigen::VectorXd& theta) {
  if (theta.size() == 0) throw Error(fn + ": " + what + " is empty");
  for (Eigen::Index k = 0; k < theta.size(); ++k)
    if (!(theta(k) >= 0))
      throw Error(fn + ": " + what + " is not a simplex (" + what + "[" + std::to_string(k + 1) + "] = " + str(theta(k)) + ")");
  double s = theta.sum();
  if (!(std::fabs(s - 1) <= 1e-8)) throw Error(fn + ": " + what + " is not a simplex (it sums to " + str(s) + ")");
}

// multinomial_rng(theta, N): sequential binomials on the remaining mass.
Value multinomial(const std::string& fn, const Value& thetaArg, int64_t N, const U& u) {
  if (!thetaArg.linalg()) throw Error(fn + ": theta must be a vector");
  Eigen::VectorXd theta = Eigen::Map<const Eigen::VectorXd>(thetaArg.m.data(), thetaArg.m.size());
  checkSimplex(fn, "theta", theta);
  if (N < 0) throw Error(fn + ": the number of trials N must be >= 0 (N = " + std::to_string(N) + ")");
  std::vector<Value> out;
  int64_t left = N;
  double mass = 1;
  for (Eigen::Index k = 0; k + 1 < theta.size(); ++k) {
    double p = mass > 0 ? std::min(1.0, theta(k) / mass) : 0.0;
    int64_t n = left > 0 ? binomialDraw(left, p, u) : 0;
    out.push_back(Value::integer(n));
    left -= n;
    mass -= theta(k);
  }
  out.push_back(Value::integer(left));
  return Value::array(std::move(out));
}

// ordered_logistic_rng / ordered_probit_rng(eta, c): P(y <= k) = F(c[k] - eta), y in 1..K+1.
Value ordered(const std::string& fn, const Args& a, bool probit, const U& u) {
  double eta = a[0].num();
  if (!std::isfinite(eta)) throw Error(fn + ": the location eta must be finite (eta = " + str(eta) + ")");
  const Value& c = a[1];
  if (!c.linalg() || c.m.size() == 0) throw Error(fn + ": the cutpoints c must be a non-empty vector");
  const Eigen::Index K = c.m.size();
  for (Eigen::Index k = 0; k < K; ++k) {
    if (!std::isfinite(c.m(k)))
      throw Error(fn + ": the cutpoints must be finite (c[" + std::to_string(k + 1) + "] = " + str(c.m(k)) + ")");
    if (k > 0 && !(c.m(k) > c.m(k - 1)))
      throw Error(fn + ": the cutpoints must be strictly increasing (c[" + std::to_string(k + 1) + "] = " + str(c.m(k)) +
                  " is not greater than c[" + std::to_string(k) + "] = " + str(c.m(k - 1)) + ")");
  }
  double x = u();
  for (Eigen::Index k = 0; k < K; ++k) {
    double t = c.m(k) - eta;
    double F = probit ? 0.5 * std::erfc(-t / std::sqrt(2.0)) : 1 / (1 + std::exp(-t));
    if (x < F) return Value::integer(k + 1);
  }
  return Value::integer(K + 1);
}

// lkj_corr_cholesky_rng(K, eta): canonical partial correlations 2 Beta(alpha, alpha) - 1,
// read into a Cholesky factor column by column (Stan's read_corr_L).
Value lkjCorrCholesky(const std::string& fn, const Args& a, const U& u) {
  int64_t K = a[0].i;
  double eta = a[1].num();
  if (K < 0) throw Error(fn + ": the dimension K must be >= 0 (K = " + std::to_string(K) + ")");
  if (!(eta > 0) || !std::isfinite(eta)) throw Error(fn + ": the shape eta must be positive finite (eta = " + str(eta) + ")");
  Eigen::MatrixXd L = Eigen::MatrixXd::Zero(K, K);
  if (K == 0) return Value::mat(L);
  Eigen::VectorXd acc = Eigen::VectorXd::Ones(K);
  double alpha = eta + 0.5 * static_cast<double>(K - 1);
  for (int64_t j = 0; j < K; ++j) {
    L(j, j) = std::sqrt(acc(j));
    if (j + 1 < K) alpha -= 0.5;
    for (int64_t i = j + 1; i < K; ++i) {
      double z = 2 * betaDraw(alpha, alpha, u) - 1;
      L(i, j) = z * std::sqrt(acc(i));
      acc(i) *= 1 - z * z;
    }
  }
  return Value::mat(L);
}

// lkj_corr_rng(K, eta) = L L' with L from lkj_corr_cholesky_rng.
Value lkjCorr(const std::string& fn, const Args& a, const U& u) {
  Value L = lkjCorrCholesky(fn, a, u);
  Eigen::MatrixXd C = gram(L.m);
  C.diagonal().setOnes();  // each row of L has unit norm; remove the rounding
  return Value::mat(C);
}

Value categorical(const std::string& fn, const Eigen::VectorXd& theta, const U& u) {
  if (theta.size() == 0) throw Error(fn + ": the probabilities are empty");
  double s = theta.sum();
  if ((theta.array() < 0).any() || std::fabs(s - 1) > 1e-8) throw Error(fn + ": the probabilities must be a simplex");
  double x = u() * s, c = 0;
  for (Eigen::Index k = 0; k < theta.size(); ++k) {
    c += theta(k);
    if (x < c) return Value::integer(k + 1);
  }
  return Value::integer(theta.size());
}

// The generators that are not vectorised over scalars: (name, arguments, uniforms).
using MultiRng = Value (*)(const std::string&, const Args&, const U&);
const std::map<std::string, MultiRng>& multivariate() {
  static const std::map<std::string, MultiRng> t = {
      {"multi_normal_rng", [](const std::string& n, const Args& a, const U& u) { return multiNormal(n, a, false, u); }},
      {"multi_normal_cholesky_rng", [](const std::string& n, const Args& a, const U& u) { return multiNormal(n, a, true, u); }},
      {"lkj_corr_cholesky_rng", [](const std::string& n, const Args& a, const U& u) { return lkjCorrCholesky(n, a, u); }},
      {"lkj_corr_rng", [](const std::string& n, const Args& a, const U& u) { return lkjCorr(n, a, u); }},
      {"multi_student_t_rng", [](const std::string& n, const Args& a, const U& u) { return multiStudentT(n, a, u); }},
      {"wishart_rng", [](const std::string& n, const Args& a, const U& u) { return wishart(n, a, false, u); }},
      {"inv_wishart_rng", [](const std::string& n, const Args& a, const U& u) { return wishart(n, a, true, u); }},
      {"dirichlet_rng", [](const std::string& n, const Args& a, const U& u) { return dirichlet(n, a[0], u); }},
      {"multinomial_rng",
       [](const std::string& n, const Args& a, const U& u) {
         return multinomial(n, a[0], a[1].kind == Value::Int ? a[1].i : static_cast<int64_t>(a[1].num()), u);
       }},
      {"ordered_logistic_rng", [](const std::string& n, const Args& a, const U& u) { return ordered(n, a, false, u); }},
      {"ordered_probit_rng", [](const std::string& n, const Args& a, const U& u) { return ordered(n, a, true, u); }},
      {"categorical_rng",
       [](const std::string& n, const Args& a, const U& u) {
         return categorical(n, Eigen::Map<const Eigen::VectorXd>(a[0].m.data(), a[0].m.size()), u);
       }},
      {"categorical_logit_rng",
       [](const std::string& n, const Args& a, const U& u) {
         Eigen::VectorXd e = (a[0].m.array() - a[0].m.maxCoeff()).exp();
         return categorical(n, e / e.sum(), u);
       }},
  };
  return t;
}

}  // namespace

bool rngSupported(const std::string& name) { return univariate().count(name) || multivariate().count(name); }

Value rng(const std::string& name, const Args& a, const ResultType& type, const U& u) {
  auto it = univariate().find(name);
  if (it != univariate().end()) {
    // Vectorised: the size of the container arguments; scalars broadcast.
    std::vector<std::vector<double>> p(a.size());
    size_t n = 1;
    bool container = false;
    for (size_t k = 0; k < a.size(); ++k) {
      flatten(a[k], p[k]);
      if (!a[k].scalar()) {
        if (container && p[k].size() != n)
          throw Error(name + ": the container arguments have different sizes (" + std::to_string(n) + " and " +
                      std::to_string(p[k].size()) + ")");
        n = p[k].size();
        container = true;
      }
    }
    std::vector<double> args(a.size());
    auto draw = [&](size_t i) {
      for (size_t k = 0; k < a.size(); ++k) args[k] = p[k].size() == 1 && a[k].scalar() ? p[k][0] : p[k][i];
      return it->second(args, u, name);
    };
    if (!container && type.arrayDims == 0) return draw(0);
    std::vector<Value> out;
    out.reserve(n);
    for (size_t i = 0; i < (container ? n : 1); ++i) out.push_back(draw(i));
    return Value::array(std::move(out));
  }
  auto mv = multivariate().find(name);
  if (mv != multivariate().end()) return mv->second(name, a, u);
  throw Error("the random number generator '" + name + "' is not supported by the runtime yet", Error::kFatal);
}

}  // namespace mvc::values
