// Constrained parameters, so that constrained and unconstrained names and values differ:
//   real mu;                  mu ~ normal(1, 2)
//   real<lower=0> sigma;      sigma ~ gamma(3, 2)        (unconstrained: log sigma)
//   simplex[3] theta;         theta ~ dirichlet([2, 3, 5]') (unconstrained: 2 log-ratios)
// transformed parameters: real log_sigma = log(sigma);
// generated quantities:   real y_rep = normal_rng(mu, sigma);
// Exactly: E[mu] = 1, Var(mu) = 4; E[sigma] = 1.5, Var(sigma) = 0.75;
// E[theta] = (0.2, 0.3, 0.5); E[y_rep] = 1, Var(y_rep) = 4 + E[sigma^2] = 7.
// The simplex uses the additive log-ratio transform theta = softmax(y1, y2, 0), whose
// Jacobian determinant is theta1 * theta2 * theta3.
#include <algorithm>
#include <cmath>

#include "test_model.h"

namespace mvc::testing {
namespace {

constexpr double kAlpha[3] = {2, 3, 5};

class Constrained : public TestModel {
 public:
  std::string name() const override { return "constrained_model"; }
  int unc_dim() const override { return 4; }
  std::vector<std::string> param_names() const override {
    return {"mu", "sigma", "theta.1", "theta.2", "theta.3"};
  }
  std::vector<std::string> tp_names() const override { return {"log_sigma"}; }
  std::vector<std::string> gq_names() const override { return {"y_rep"}; }
  std::vector<std::string> unc_names() const override { return {"mu", "sigma", "theta.1", "theta.2"}; }

  static void softmax(const double* y, double* theta) {
    const double m = std::max({y[0], y[1], 0.0});
    const double e0 = std::exp(y[0] - m), e1 = std::exp(y[1] - m), e2 = std::exp(-m);
    const double s = e0 + e1 + e2;
    theta[0] = e0 / s;
    theta[1] = e1 / s;
    theta[2] = e2 / s;
  }

  bool log_density_gradient(const double* q, double& lp, double* grad,
                            std::string&) const override {
    const double mu = q[0], u = q[1];
    lp = -(mu - 1) * (mu - 1) / 8.0;
    grad[0] = -(mu - 1) / 4.0;
    // gamma(3, 2) on sigma = exp(u), plus the Jacobian u.
    lp += 3 * u - 2 * std::exp(u);
    grad[1] = 3 - 2 * std::exp(u);
    // dirichlet(alpha) plus log|J| = sum log theta: sum alpha_k log theta_k.
    double theta[3];
    softmax(q + 2, theta);
    double a_sum = 0;
    for (int k = 0; k < 3; ++k) {
      lp += kAlpha[k] * std::log(theta[k]);
      a_sum += kAlpha[k];
    }
    grad[2] = kAlpha[0] - a_sum * theta[0];
    grad[3] = kAlpha[1] - a_sum * theta[1];
    return true;
  }
  void constrain(const double* q, double* p) const override {
    p[0] = q[0];
    p[1] = std::exp(q[1]);
    softmax(q + 2, p + 2);
  }
  void transformed(const double* p, double* tp) const override { tp[0] = std::log(p[1]); }
  bool generated(const double* p, double* gq, std::mt19937_64& rng,
                 std::string&) const override {
    gq[0] = std::normal_distribution<double>(p[0], p[1])(rng);
    return true;
  }
  void unconstrain(const double* p, double* q) const override {
    q[0] = p[0];
    q[1] = std::log(p[1]);
    q[2] = std::log(p[2] / p[4]);
    q[3] = std::log(p[3] / p[4]);
  }
};

}  // namespace

std::unique_ptr<TestModel> make_test_model(const io::DataMap&) {
  return std::make_unique<Constrained>();
}

}  // namespace mvc::testing
