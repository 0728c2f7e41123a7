// Neal's funnel, centered: v ~ normal(0, 3); x[1:9] ~ normal(0, exp(v / 2)). Its neck
// defeats any single step size: NUTS must report divergences here.
#include <cmath>

#include "test_model.h"

namespace mvc::testing {
namespace {

class Funnel : public TestModel {
 public:
  std::string name() const override { return "funnel_model"; }
  int unc_dim() const override { return 10; }
  std::vector<std::string> param_names() const override {
    std::vector<std::string> n = {"v"};
    for (const auto& x : indexed_names("x", 9)) n.push_back(x);
    return n;
  }
  bool log_density_gradient(const double* q, double& lp, double* grad,
                            std::string&) const override {
    const double v = q[0];
    lp = -v * v / 18.0;
    grad[0] = -v / 9.0;
    const double inv_var = std::exp(-v);
    for (int i = 1; i < 10; ++i) {
      lp += -0.5 * q[i] * q[i] * inv_var - 0.5 * v;
      grad[0] += 0.5 * q[i] * q[i] * inv_var - 0.5;
      grad[i] = -q[i] * inv_var;
    }
    return true;
  }
};

}  // namespace

std::unique_ptr<TestModel> make_test_model(const io::DataMap&) {
  return std::make_unique<Funnel>();
}

}  // namespace mvc::testing
