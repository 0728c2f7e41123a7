// x ~ normal(0, 1), N-dimensional (N from data, 100 by default).
#include <cmath>

#include "test_model.h"

namespace mvc::testing {
namespace {

class StdNormal : public TestModel {
 public:
  explicit StdNormal(int n) : n_(n) {}
  std::string name() const override { return "std_normal_model"; }
  int unc_dim() const override { return n_; }
  std::vector<std::string> param_names() const override { return indexed_names("x", n_); }
  bool log_density_gradient(const double* q, double& lp, double* grad,
                            std::string&) const override {
    lp = 0;
    for (int i = 0; i < n_; ++i) {
      lp -= 0.5 * q[i] * q[i];
      grad[i] = -q[i];
    }
    return true;
  }

 private:
  int n_;
};

}  // namespace

std::unique_ptr<TestModel> make_test_model(const io::DataMap& data) {
  int n = 100;
  if (auto it = data.find("N"); it != data.end()) {
    if (!it->second.is_int || !it->second.dims.empty() || it->second.values[0] < 1)
      throw std::domain_error("N must be a positive integer");
    n = static_cast<int>(it->second.values[0]);
  }
  return std::make_unique<StdNormal>(n);
}

}  // namespace mvc::testing
