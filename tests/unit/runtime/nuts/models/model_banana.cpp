// A banana: a ~ normal(0, 1); b ~ normal(a^2, 1). Exactly: E[a] = 0, E[b] = 1,
// Var(a) = 1, Var(b) = Var(a^2) + 1 = 3. (With a conditional sd of 0.5 instead of 1 the
// tails curve so sharply that NUTS, like Stan's, reports divergences; this one it samples.)
#include "test_model.h"

namespace mvc::testing {
namespace {

class Banana : public TestModel {
 public:
  std::string name() const override { return "banana_model"; }
  int unc_dim() const override { return 2; }
  std::vector<std::string> param_names() const override { return {"a", "b"}; }
  bool log_density_gradient(const double* q, double& lp, double* grad,
                            std::string&) const override {
    const double a = q[0], b = q[1];
    const double r = b - a * a;  // (b - a^2) / sigma^2 with sigma = 1
    lp = -0.5 * a * a - 0.5 * (b - a * a) * r;
    grad[0] = -a + 2 * a * r;
    grad[1] = -r;
    return true;
  }
};

}  // namespace

std::unique_ptr<TestModel> make_test_model(const io::DataMap&) {
  return std::make_unique<Banana>();
}

}  // namespace mvc::testing
