// x ~ normal(0, 1), 2-dimensional, but the model fails (returns -1 with a message, as a
// Cholesky failure would) whenever x[1] > 1: the sampler must reject those proposals, count
// them as divergences and never crash. The target is the normal truncated to x[1] <= 1.
#include "test_model.h"

namespace mvc::testing {
namespace {

class Throwing : public TestModel {
 public:
  std::string name() const override { return "throwing_model"; }
  int unc_dim() const override { return 2; }
  std::vector<std::string> param_names() const override { return {"x.1", "x.2"}; }
  bool log_density_gradient(const double* q, double& lp, double* grad,
                            std::string& error) const override {
    if (q[0] > 1) {
      error = "throwing_model: x[1] = " + std::to_string(q[0]) + " is above 1";
      return false;
    }
    lp = -0.5 * (q[0] * q[0] + q[1] * q[1]);
    grad[0] = -q[0];
    grad[1] = -q[1];
    return true;
  }
};

}  // namespace

std::unique_ptr<TestModel> make_test_model(const io::DataMap&) {
  return std::make_unique<Throwing>();
}

}  // namespace mvc::testing
