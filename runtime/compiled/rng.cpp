// _rng functions: draws from uniforms in (0, 1) (the runtime's RNG through mvc_rt_uniform).
// Univariate ones are vectorised as in Stan: any container argument makes the result an
// array of draws of its size (scalars broadcast).
#include <cmath>
#include <map>

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

// multi_normal(_cholesky)_rng: mu a vector/row_vector or an array of them; the covariance
// (or Cholesky factor) one matrix, or an array of them paired item by item with the means
// (mvc's batched form).
Value multiNormal(const std::string& fn, const Args& a, bool cholesky, const U& u) {
  auto factor = [&](const Value& S, size_t item) {
    std::string which = a[1].kind == Value::Array ? " " + std::to_string(item + 1) : "";
    if (!S.linalg() || S.m.rows() != S.m.cols())
      throw Error(fn + ": expecting a square matrix" + (which.empty() ? "" : " for item" + which));
    if (cholesky) return Eigen::MatrixXd(S.m.triangularView<Eigen::Lower>());
    Eigen::LLT<Eigen::MatrixXd> llt(S.m);
    if (llt.info() != Eigen::Success) throw Error(fn + ": the covariance matrix" + which + " is not positive definite");
    return Eigen::MatrixXd(llt.matrixL());
  };
  auto one = [&](const Value& mu, const Eigen::MatrixXd& L) {
    if (!mu.linalg() || mu.m.size() != L.rows())
      throw Error(fn + ": the location has size " + std::to_string(mu.m.size()) + ", the covariance " +
                  std::to_string(L.rows()));
    return Value::vec(Eigen::Map<const Eigen::VectorXd>(mu.m.data(), mu.m.size()) + L * stdNormalVector(L.rows(), u));
  };
  if (a[1].kind != Value::Array) {
    const Eigen::MatrixXd L = factor(a[1], 0);
    if (a[0].kind != Value::Array) return one(a[0], L);
    std::vector<Value> out;
    for (const Value& mu : a[0].a) out.push_back(one(mu, L));
    return Value::array(std::move(out));
  }
  const size_t n = a[1].a.size();
  if (a[0].kind == Value::Array && a[0].a.size() != n)
    throw Error(fn + ": " + std::to_string(a[0].a.size()) + " locations but " + std::to_string(n) + " matrices");
  std::vector<Value> out;
  for (size_t k = 0; k < n; ++k) out.push_back(one(a[0].kind == Value::Array ? a[0].a[k] : a[0], factor(a[1].a[k], k)));
  return Value::array(std::move(out));
}

// lkj_corr_cholesky_rng(K, eta): canonical partial correlations 2 Beta(alpha, alpha) - 1,
// read into a Cholesky factor column by column (Stan's read_corr_L).
Value lkjCorrCholesky(const std::string& fn, const Args& a, const U& u) {
  int64_t K = a[0].i;
  double eta = a[1].num();
  if (K < 0 || !(eta > 0)) throw Error(fn + ": K must be >= 0 and eta positive");
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

}  // namespace

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
  if (name == "multi_normal_rng") return multiNormal(name, a, false, u);
  if (name == "multi_normal_cholesky_rng") return multiNormal(name, a, true, u);
  if (name == "lkj_corr_cholesky_rng") return lkjCorrCholesky(name, a, u);
  if (name == "categorical_rng") return categorical(name, Eigen::Map<const Eigen::VectorXd>(a[0].m.data(), a[0].m.size()), u);
  if (name == "categorical_logit_rng") {
    Eigen::VectorXd e = (a[0].m.array() - a[0].m.maxCoeff()).exp();
    return categorical(name, e / e.sum(), u);
  }
  throw Error("the random number generator '" + name + "' is not supported by the runtime yet", Error::kFatal);
}

}  // namespace mvc::values
