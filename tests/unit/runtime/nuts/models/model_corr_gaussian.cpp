// x ~ multi_normal(0, Sigma), 50-dimensional, Sigma_ij = s_i s_j 0.9^|i-j| with scales
// s_i = 0.5 + i / 25: strongly correlated and of different scales, so a dense metric
// helps a lot more than a diagonal one.
#include <cmath>

#include <Eigen/Dense>

#include "test_model.h"

namespace mvc::testing {
namespace {

constexpr int kDim = 50;

class CorrGaussian : public TestModel {
 public:
  CorrGaussian() {
    Eigen::MatrixXd sigma(kDim, kDim);
    for (int i = 0; i < kDim; ++i)
      for (int j = 0; j < kDim; ++j)
        sigma(i, j) = scale(i) * scale(j) * std::pow(0.9, std::abs(i - j));
    precision_ = sigma.llt().solve(Eigen::MatrixXd::Identity(kDim, kDim));
  }
  static double scale(int i) { return 0.5 + i / 25.0; }
  std::string name() const override { return "corr_gaussian_model"; }
  int unc_dim() const override { return kDim; }
  std::vector<std::string> param_names() const override { return indexed_names("x", kDim); }
  bool log_density_gradient(const double* q, double& lp, double* grad,
                            std::string&) const override {
    Eigen::Map<const Eigen::VectorXd> x(q, kDim);
    Eigen::Map<Eigen::VectorXd> g(grad, kDim);
    g.noalias() = -(precision_ * x);
    lp = 0.5 * x.dot(g);
    return true;
  }

 private:
  Eigen::MatrixXd precision_;
};

}  // namespace

std::unique_ptr<TestModel> make_test_model(const io::DataMap&) {
  return std::make_unique<CorrGaussian>();
}

}  // namespace mvc::testing
