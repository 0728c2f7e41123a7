#include "metric.h"

#include <gtest/gtest.h>

namespace mvc::nuts {
namespace {

TEST(Metric, KineticEnergyAndVelocity) {
  Eigen::VectorXd p(2);
  p << 1, 2;
  Metric unit(Metric::Kind::Unit, 2);
  EXPECT_DOUBLE_EQ(unit.kinetic(p), 2.5);
  Metric diag(Metric::Kind::Diag, 2);
  Eigen::VectorXd d(2);
  d << 4, 0.25;
  diag.set_inv_metric_diag(d);
  EXPECT_DOUBLE_EQ(diag.kinetic(p), 0.5 * (4 * 1 + 0.25 * 4));
  Eigen::VectorXd v(2);
  diag.velocity(p, v);
  EXPECT_DOUBLE_EQ(v[0], 4);
  EXPECT_DOUBLE_EQ(v[1], 0.5);
  Metric dense(Metric::Kind::Dense, 2);
  Eigen::MatrixXd m(2, 2);
  m << 2, 0.5, 0.5, 1;
  dense.set_inv_metric_dense(m);
  EXPECT_DOUBLE_EQ(dense.kinetic(p), 0.5 * p.dot(m * p));
}

TEST(Metric, DenseMomentumHasCovarianceM) {
  // p ~ N(0, M) with M = inverse of the inverse metric.
  Metric dense(Metric::Kind::Dense, 2);
  Eigen::MatrixXd minv(2, 2);
  minv << 2, 0.9, 0.9, 1;
  dense.set_inv_metric_dense(minv);
  Rng rng(3, 1);
  Eigen::VectorXd p(2);
  Eigen::Matrix2d s = Eigen::Matrix2d::Zero();
  const int n = 200000;
  for (int i = 0; i < n; ++i) {
    dense.sample_momentum(rng, p);
    s += p * p.transpose();
  }
  s /= n;
  const Eigen::Matrix2d expected = minv.inverse();
  EXPECT_NEAR(s(0, 0), expected(0, 0), 0.02 * expected(0, 0));
  EXPECT_NEAR(s(1, 1), expected(1, 1), 0.02 * expected(1, 1));
  EXPECT_NEAR(s(0, 1), expected(0, 1), 0.03 * std::abs(expected(0, 1)));
}

TEST(Metric, RejectsNonPositiveDefinite) {
  Metric dense(Metric::Kind::Dense, 2);
  Eigen::MatrixXd m(2, 2);
  m << 1, 2, 2, 1;
  EXPECT_THROW(dense.set_inv_metric_dense(m), std::runtime_error);
}

}  // namespace
}  // namespace mvc::nuts
